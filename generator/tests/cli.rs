//! The generator's command line: what it prints besides the files it writes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ has a parent").to_path_buf()
}

/// Warnings go to stderr, one line each, naming file and pointer; the run still writes.
#[test]
fn warnings_are_printed_to_stderr() {
    let root = project_root();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-warnings-sdk");
    let run = Command::new(env!("CARGO_BIN_EXE_portone-codegen"))
        .current_dir(&root)
        .args(["--spec", "tests/fixtures/dialect", "--templates", "templates", "--out"])
        .arg(&out)
        .output()
        .expect("the generator runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    // Three operations placed by their path, and four unknown keys or stray texts.
    assert_eq!(lines.len(), 7, "{stderr}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "warning: tests/fixtures/dialect/v2/published.yaml: #/paths/~1parcels~1{parcelId}/get/x-portone-brand-new: \
             unknown extension"
        )),
        "{stderr}"
    );
    assert!(
        lines[0].starts_with(
            "warning: tests/fixtures/dialect/v2/openapi.yaml: #/paths/~1orders/post: x-portone-category is missing"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("wrote "));
    assert!(out.join("src/v2/operations/widgets.rs").is_file());
}
