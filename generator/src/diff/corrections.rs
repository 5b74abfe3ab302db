//! The list of documented corrections: differences from a published description that
//! our spec makes on purpose, each naming the fact it excuses and why.
//!
//! ```yaml
//! corrections:
//! - kind: field-type
//!   schema: PaymentAnnotation
//!   field: amount
//!   reason: The reference writes the number as a string.
//! ```
//!
//! Every key besides `kind` and `reason` is a location part of the difference
//! (`operation`, `parameter`, `status`, `schema`, `field`, `tag`, `value`) or one of its
//! values (`published`, `spec`); `*` in a value matches any run of characters.

use super::difference::Difference;
use super::node::Node;
use crate::error::{Error, SpecError};
use serde::Serialize;
use std::path::Path;

/// Location keys a correction may name.
const LOCATION_KEYS: [&str; 7] = ["operation", "parameter", "status", "schema", "field", "tag", "value"];

/// One documented correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub kind: String,
    /// The location parts and values it must match, in the file's order.
    #[serde(rename = "match", serialize_with = "super::difference::location_as_map")]
    pub conditions: Vec<(String, String)>,
    pub reason: String,
    /// Where it is written (`#/corrections/3`).
    pub pointer: String,
}

impl Correction {
    /// Whether this correction excuses `difference`.
    pub fn matches(&self, difference: &Difference) -> bool {
        difference.kind == self.kind
            && self.conditions.iter().all(|(key, pattern)| {
                let value = match key.as_str() {
                    "published" => difference.published.as_deref(),
                    "spec" => difference.spec.as_deref(),
                    _ => difference.at(key),
                };
                value.is_some_and(|v| glob(pattern, v))
            })
    }

    /// The correction as the file says it, in one line.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self.conditions.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!("{}: {}", self.kind, parts.join(", "))
    }
}

/// Read a corrections file; a problem is an error naming the file and the entry.
pub fn load(file: &Path) -> Result<Vec<Correction>, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let value: serde_json::Value = serde_yaml::from_str(&text).map_err(|e| SpecError {
        file: file.to_path_buf(),
        location: e.location().map(|l| format!("line {} column {}", l.line(), l.column())).unwrap_or("#".into()),
        message: format!("not YAML: {e}"),
    })?;
    parse(&Node::root(&value, file)).map_err(Error::from)
}

fn parse(root: &Node<'_>) -> Result<Vec<Correction>, SpecError> {
    if root.value.is_null() {
        return Ok(Vec::new());
    }
    let Some(list) = root.get("corrections") else {
        return Err(root.error("expected `corrections:`, a list of entries"));
    };
    if list.value.is_null() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in list.items()? {
        let mut kind = None;
        let mut reason = None;
        let mut conditions = Vec::new();
        let Some(map) = entry.value.as_object() else { return Err(entry.error("an entry must be a mapping")) };
        for (key, value) in map {
            let Some(text) = value.as_str().map(str::to_string).or_else(|| scalar_text(value)) else {
                return Err(entry.get(key).map_or_else(|| entry.error("bad value"), |n| n.error("expected text")));
            };
            match key.as_str() {
                "kind" => kind = Some(text),
                "reason" => reason = Some(text),
                k if LOCATION_KEYS.contains(&k) || k == "published" || k == "spec" => {
                    conditions.push((k.to_string(), text))
                }
                other => {
                    let known = LOCATION_KEYS.join(", ");
                    return Err(entry.error(format!(
                        "unknown key `{other}`; an entry has kind, reason, published, spec and location keys ({known})"
                    )));
                }
            }
        }
        let Some(kind) = kind else { return Err(entry.error("an entry needs `kind`")) };
        let Some(reason) = reason.filter(|r| !r.trim().is_empty()) else {
            return Err(entry.error("an entry needs a `reason`, in a sentence"));
        };
        if !conditions.iter().any(|(k, _)| LOCATION_KEYS.contains(&k.as_str())) {
            return Err(entry.error("an entry must name where the difference is (operation, schema, ...)"));
        }
        // Location parts in the order a difference prints them, then the values.
        conditions.sort_by_key(|(k, _)| LOCATION_KEYS.iter().chain(&["published", "spec"]).position(|x| x == k));
        let pointer = entry.pointer();
        out.push(Correction { kind, conditions, reason, pointer });
    }
    Ok(out)
}

/// Numbers and booleans in a corrections file are compared as their text (`status: 200`).
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else { return pattern == text };
    let Some(mut remaining) = text.strip_prefix(first) else { return false };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse_value(value: serde_json::Value) -> Result<Vec<Correction>, SpecError> {
        parse(&Node::root(&value, Path::new("c.yaml")))
    }

    #[test]
    fn globs() {
        assert!(glob("a*c", "abbc"));
        assert!(glob("*", ""));
        assert!(glob("Naver*Reason", "NaverCancelReason"));
        assert!(!glob("a*c", "abd"));
        assert!(!glob("ab*b", "ab"));
        assert!(glob("exact", "exact"));
    }

    #[test]
    fn entries_match_kind_location_and_values() {
        let list = parse_value(json!({"corrections": [
            {"kind": "field-type", "schema": "P*", "field": "amount", "spec": "string", "reason": "why"}
        ]}))
        .unwrap();
        let hit = Difference::differs(
            "field-type",
            &[("schema", "Pay"), ("field", "amount")],
            "integer".into(),
            "string".into(),
        );
        let other_kind =
            Difference::differs("field-required", &[("schema", "Pay"), ("field", "amount")], "a".into(), "b".into());
        let other_value =
            Difference::differs("field-type", &[("schema", "Pay"), ("field", "amount")], "a".into(), "b".into());
        assert!(list[0].matches(&hit));
        assert!(!list[0].matches(&other_kind));
        assert!(!list[0].matches(&other_value));
        assert_eq!(list[0].pointer, "#/corrections/0");
        let json = serde_json::to_value(&list[0]).unwrap();
        assert_eq!(json["match"], json!({"schema": "P*", "field": "amount", "spec": "string"}));
    }

    #[test]
    fn bad_entries_are_errors_at_their_pointer() {
        let no_reason = parse_value(json!({"corrections": [{"kind": "schema", "schema": "A"}]})).unwrap_err();
        assert_eq!(no_reason.location, "#/corrections/0");
        let unknown =
            parse_value(json!({"corrections": [{"kind": "schema", "schem": "A", "reason": "r"}]})).unwrap_err();
        assert!(unknown.message.contains("unknown key `schem`"), "{unknown}");
        let nowhere = parse_value(json!({"corrections": [{"kind": "schema", "reason": "r"}]})).unwrap_err();
        assert!(nowhere.message.contains("must name where"), "{nowhere}");
        assert!(parse_value(json!({"corrections": "x"})).is_err());
        assert!(parse_value(json!([1])).is_err());
    }
}
