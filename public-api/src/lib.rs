//! The SDK's semver gate. A crate's public API is written as a sorted listing
//! (`listing`, read from rustdoc's JSON through `walk` and `render`); the listing
//! committed in `api/` is the baseline, and `compare` sorts the differences from it
//! into breaking and additive, which `policy` holds against the crate's version.
//! `baseline` reads and writes the committed files; the binary drives cargo.

pub mod baseline;
pub mod compare;
pub mod listing;
pub mod policy;
mod render;
mod walk;

pub use compare::{Class, Diff, compare};
pub use listing::Listing;
pub use policy::{Version, verdict};

/// The rustdoc JSON format this build reads (rustdoc-types' `FORMAT_VERSION`).
pub const FORMAT_VERSION: u32 = rustdoc_types::FORMAT_VERSION;

/// The listing of the crate documented in a rustdoc JSON file, local paths starting
/// with `root_name`.
pub fn listing_from_json(path: &std::path::Path, root_name: &str) -> Result<Listing, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let krate: rustdoc_types::Crate = serde_json::from_str(&text).map_err(|e| {
        // The version is the file's last field; name it when it is not ours.
        let found = text
            .rfind("\"format_version\":")
            .map(|i| text[i + 17..].chars().take_while(char::is_ascii_digit).collect::<String>())
            .unwrap_or_default();
        if found.parse() != Ok(FORMAT_VERSION) {
            format!(
                "{}: rustdoc JSON format {found}, this tool reads {FORMAT_VERSION}: change rustdoc-types in public-api/Cargo.toml to the version for {found}",
                path.display()
            )
        } else {
            format!("{}: {e}", path.display())
        }
    })?;
    Ok(Listing::from_crate(&krate, root_name))
}

/// A summary of a diff for people: removed and changed items in full, breaking
/// additions with their reason, then counts and a few of the additive lines.
pub fn summary(diff: &Diff) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for line in &diff.removed {
        let _ = writeln!(s, "  removed: {line}");
    }
    if diff.removed_with_owner > 0 {
        let _ = writeln!(s, "  removed: {} more lines of the removed items above", diff.removed_with_owner);
    }
    for (old, new) in &diff.changed {
        let _ = writeln!(s, "  changed: {old}\n       to: {new}");
    }
    for (line, why) in &diff.breaking_added {
        let _ = writeln!(s, "  added, breaking: {line}\n    ({why})");
    }
    for line in &diff.unstable {
        let _ = writeln!(s, "  unstable, changed or removed: {line}");
    }
    const SHOWN: usize = 20;
    for line in diff.added.iter().take(SHOWN) {
        let _ = writeln!(s, "  added: {line}");
    }
    if diff.added.len() > SHOWN {
        let _ = writeln!(s, "  added: {} more lines", diff.added.len() - SHOWN);
    }
    s
}
