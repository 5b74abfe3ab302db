//! A changelog entry from a change of our spec: the facts of each API folder before and
//! after, compared as `spec-diff` compares (the new spec in the published role, so its
//! labels say what the change does to the SDK's users), written as Markdown with the
//! breaking changes first, then what was added.

use super::compare::compare;
use super::difference::{Change, Difference, Impact};
use super::facts::Facts;
use super::ours::spec_facts;
use crate::error::Error;
use std::fmt::Write as _;
use std::path::Path;

/// The differences of every API folder of `new` against the same folder of `old` (none
/// there: everything is added), by API name.
pub fn changes(old: &Path, new: &Path) -> Result<Vec<(String, Vec<Difference>)>, Error> {
    let mut apis = Vec::new();
    for dir in [new, old] {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| Error::io(dir, e))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if path.is_dir() && !name.starts_with('.') && !apis.contains(&name) {
                apis.push(name);
            }
        }
    }
    apis.sort();
    let facts = |root: &Path, api: &str| -> Result<Facts, Error> {
        let dir = root.join(api);
        if dir.is_dir() { Ok(spec_facts(&dir)?.0) } else { Ok(Facts::default()) }
    };
    let mut out = Vec::new();
    for api in apis {
        let (before, after) = (facts(old, &api)?, facts(new, &api)?);
        out.push((api.clone(), compare(&after, &before)));
    }
    Ok(out)
}

/// The entry's sections, in order, and which additions each takes.
const ADDED: [(&str, &[&str]); 4] = [
    ("Added operations", &["operation"]),
    ("Added fields and parameters", &["field", "parameter", "body"]),
    ("Added enum values, union cases and error cases", &["enum-value", "union-tag", "error"]),
    ("Added schemas and responses", &["schema", "response"]),
];

/// The Markdown entry: `### Breaking changes`, the `### Added …` sections, then
/// `### Other compatible changes`; an empty section is left out.
pub fn markdown(changes: &[(String, Vec<Difference>)]) -> String {
    let all: Vec<(&str, &Difference)> =
        changes.iter().flat_map(|(api, ds)| ds.iter().map(move |d| (api.as_str(), d))).collect();
    let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
    let breaking = all.iter().filter(|(_, d)| d.impact == Impact::Breaking);
    sections.push(("Breaking changes", breaking.map(|(api, d)| line(api, d)).collect()));
    let additive: Vec<&(&str, &Difference)> = all.iter().filter(|(_, d)| d.impact == Impact::Additive).collect();
    for (title, kinds) in ADDED {
        let lines = additive.iter().filter(|(_, d)| d.change == Change::Missing && kinds.contains(&d.kind.as_str()));
        sections.push((title, lines.map(|(api, d)| line(api, d)).collect()));
    }
    let placed =
        |d: &Difference| d.change == Change::Missing && ADDED.iter().any(|(_, k)| k.contains(&d.kind.as_str()));
    let other = additive.iter().filter(|(_, d)| !placed(d));
    sections.push(("Other compatible changes", other.map(|(api, d)| line(api, d)).collect()));
    let mut out = String::new();
    for (title, lines) in sections.iter().filter(|(_, lines)| !lines.is_empty()) {
        let _ = writeln!(out, "### {title}\n");
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("No change to the API descriptions.\n");
    }
    out
}

/// One difference as a list item: `- V2: added field: schema `Payment`, field `memo` (string).`
fn line(api: &str, d: &Difference) -> String {
    let api = api.to_uppercase();
    let noun = d.kind.replace('-', " ");
    let at: Vec<String> = d.location.iter().map(|(k, v)| format!("{k} `{v}`")).collect();
    let at = at.join(", ");
    // The new spec is in the published role, the old one in the spec role.
    let (new, old) = (d.published.as_deref(), d.spec.as_deref());
    match d.change {
        Change::Missing => format!("- {api}: added {noun}: {at}{}.", value(new)),
        Change::Extra => format!("- {api}: removed {noun}: {at}{}.", value(old)),
        Change::Differs => {
            format!("- {api}: {noun} of {at} changed from `{}` to `{}`.", old.unwrap_or("none"), new.unwrap_or("none"))
        }
    }
}

fn value(v: Option<&str>) -> String {
    v.map(|v| format!(" (`{v}`)")).unwrap_or_default()
}
