//! `portone-codegen changelog` on the fixture pairs in `tests/fixtures/changelog/<case>/`
//! (`old/` and `new/` spec folders, the expected Markdown entry).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/changelog").join(case)
}

fn changelog(old: &Path, new: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portone-codegen"))
        .arg("changelog")
        .arg("--old")
        .arg(old)
        .arg("--new")
        .arg(new)
        .output()
        .expect("the generator runs")
}

/// Breaking changes first (a new required request field, a removed operation, a type
/// change), then added operations, fields and parameters, enum values, and relaxations.
#[test]
fn entry_lists_breaking_changes_first_then_additions() {
    let dir = fixture("pair");
    let out = changelog(&dir.join("old"), &dir.join("new"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let expected = std::fs::read_to_string(dir.join("expected.md")).expect("expected.md");
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn an_unchanged_spec_has_an_empty_entry_and_a_missing_folder_is_an_error() {
    let old = fixture("pair").join("old");
    let out = changelog(&old, &old);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "No change to the API descriptions.\n");
    let out = changelog(&old.join("no-such-folder"), &old);
    assert_eq!(out.status.code(), Some(2));
}

/// An API folder only in the new spec: all of it is added, nothing breaks.
#[test]
fn a_new_api_folder_is_all_additions() {
    let dir = fixture("pair");
    let empty = std::env::temp_dir().join(format!("portone-changelog-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    let out = changelog(&empty, &dir.join("new"));
    let _ = std::fs::remove_dir_all(&empty);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("### Breaking changes"), "{text}");
    assert!(text.contains("- V2: added operation: operation `GET /items` (`listItems`).\n"), "{text}");
}
