//! The report: differences sorted into what a maintainer must do, corrections applied,
//! as text or JSON, and the exit code.

use super::corrections::Correction;
use super::difference::{Change, Difference, Impact};
use serde::Serialize;
use std::fmt::Write as _;

/// The outcome of one comparison.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The published description, by the SHA-256 of its file (`sha256:…`), so that its
    /// stored facts give the same report.
    pub published: String,
    /// Our API folder.
    pub spec: String,
    /// The corrections file read, if there was one.
    pub corrections: Option<String>,
    /// In the published description, not in ours.
    pub missing: Vec<Difference>,
    /// In ours, not in the published description.
    pub extra: Vec<Difference>,
    /// In both, with different values.
    pub differs: Vec<Difference>,
    /// Differences a correction excuses, with its reason.
    pub documented: Vec<Documented>,
    /// Corrections that excuse no difference.
    pub stale: Vec<Correction>,
    pub summary: Summary,
}

/// A difference a correction excuses.
#[derive(Debug, Serialize)]
pub struct Documented {
    pub difference: Difference,
    pub reason: String,
}

/// The counts of the report.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub missing: usize,
    pub extra: usize,
    pub differs: usize,
    pub documented: usize,
    pub stale: usize,
    /// Of the missing, extra and differing ones: those that break programs built on the
    /// SDK when our spec follows the published description, and those that do not.
    pub breaking: usize,
    pub additive: usize,
    /// Operations and schemas of the published description that were compared.
    pub published_operations: usize,
    pub published_schemas: usize,
}

/// What the published description and our spec are, for the report's head.
pub struct Subjects {
    pub published: String,
    pub spec: String,
    pub corrections: Option<String>,
    pub published_operations: usize,
    pub published_schemas: usize,
}

impl Report {
    /// Sort differences into groups, the first matching correction excusing each.
    pub fn new(subjects: Subjects, differences: Vec<Difference>, corrections: Vec<Correction>) -> Self {
        let mut used = vec![false; corrections.len()];
        let (mut missing, mut extra, mut differs, mut documented) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for difference in differences {
            if let Some(i) = corrections.iter().position(|c| c.matches(&difference)) {
                used[i] = true;
                documented.push(Documented { difference, reason: corrections[i].reason.clone() });
                continue;
            }
            match difference.change {
                Change::Missing => missing.push(difference),
                Change::Extra => extra.push(difference),
                Change::Differs => differs.push(difference),
            }
        }
        let stale: Vec<Correction> =
            corrections.into_iter().zip(used).filter(|(_, used)| !used).map(|(c, _)| c).collect();
        let open = || missing.iter().chain(&extra).chain(&differs);
        let breaking = open().filter(|d| d.impact == Impact::Breaking).count();
        let summary = Summary {
            breaking,
            additive: open().count() - breaking,
            missing: missing.len(),
            extra: extra.len(),
            differs: differs.len(),
            documented: documented.len(),
            stale: stale.len(),
            published_operations: subjects.published_operations,
            published_schemas: subjects.published_schemas,
        };
        Report {
            published: subjects.published,
            spec: subjects.spec,
            corrections: subjects.corrections,
            missing,
            extra,
            differs,
            documented,
            stale,
            summary,
        }
    }

    /// 0 when every difference is documented and no correction is stale, else 1.
    pub fn exit_code(&self) -> u8 {
        let s = &self.summary;
        if s.missing + s.extra + s.differs + s.stale == 0 { 0 } else { 1 }
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The report as text, one line per item, the summary last.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let corrections = self.corrections.as_deref().unwrap_or("none");
        let published = &self.published;
        let _ = writeln!(out, "spec-diff: {} against published {published} (corrections: {corrections})", self.spec);
        let groups: [(&str, &str, &[Difference]); 3] = [
            ("missing in spec", "published, not in our spec: add them", &self.missing),
            ("extra in spec", "in our spec, not published: remove them or document why", &self.extra),
            ("differs", "in both with other values: fix ours or document why", &self.differs),
        ];
        for (title, hint, items) in groups {
            let _ = writeln!(out, "== {title} ({}): {hint}", items.len());
            for item in items {
                let _ = writeln!(out, "  {item}");
            }
        }
        let _ = writeln!(
            out,
            "== documented corrections ({}): differences our spec makes on purpose",
            self.documented.len()
        );
        for item in &self.documented {
            let _ = writeln!(out, "  {} -- {}", item.difference, item.reason);
        }
        let _ = writeln!(
            out,
            "== stale corrections ({}): entries that match no difference: remove or fix them",
            self.stale.len()
        );
        for item in &self.stale {
            let _ = writeln!(out, "  {} ({})", item.describe(), item.pointer);
        }
        let s = &self.summary;
        let _ = writeln!(
            out,
            "summary: {} missing, {} extra, {} differ, {} documented, {} stale corrections; \
             {} breaking, {} additive (published: operations {}, schemas {})",
            s.missing,
            s.extra,
            s.differs,
            s.documented,
            s.stale,
            s.breaking,
            s.additive,
            s.published_operations,
            s.published_schemas
        );
        out
    }
}
