//! Regenerating after PortOne adds or relaxes something keeps dependents compiling.
//!
//! For every additive pair of `tests/fixtures/regeneration/` (see `regeneration/pairs.rs`),
//! the SDK of the old spec (`base/`) and that of the new spec, generated with the lock the
//! old one left, are written into one temporary workspace with a dependent crate per SDK
//! whose source is the same file, `dependent.rs`, written against the old SDK. The whole
//! workspace is checked in one cargo run, offline, with the project's lockfile and target
//! folder (as `fixture_crates.rs` does), so the dependencies already built are reused.
//! The dependent must compile against the old SDK (it is honest) and against every new
//! one. A control pair regenerates `union_case_other_type` without the lock and must
//! fail, which shows the check can fail and that the lock is what keeps the method.

#[path = "regeneration/pairs.rs"]
mod pairs;

use pairs::{Expect, Pair};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The dependent crate of `sdk`, as member `name`.
fn dependent(dir: &Path, name: &str, sdk: &Path, package: &str) {
    let krate = dir.join(name);
    std::fs::create_dir_all(&krate).expect("dependent folder");
    let source = pairs::fixtures().join("dependent.rs");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [lib]\npath = {source:?}\n\n\
         [dependencies]\nportone_sdk = {{ package = \"{package}\", path = {sdk:?}, default-features = false, features = [\"full\"] }}\n"
    );
    std::fs::write(krate.join("Cargo.toml"), manifest).expect("dependent manifest");
}

/// The source files of a generated crate, for telling two apart.
fn sources(krate: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![krate.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((
                    path.strip_prefix(krate).expect("inside").to_path_buf(),
                    std::fs::read(&path).expect("file"),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn dependents_compile_after_additive_regeneration() {
    let started = std::time::Instant::now();
    let scratch = pairs::Scratch::new("regeneration-");
    let (dir, target) = (&scratch.dir, &scratch.target);
    let additive: Vec<Pair> = pairs::pairs().into_iter().filter(|p| p.expect == Expect::Compatible).collect();
    assert!(additive.len() >= 13, "the additive pairs are found: {additive:?}");

    let mut members = vec!["old".to_string(), "dep-old".to_string()];
    let mut expected_failures = Vec::new();
    for pair in &additive {
        let (old, new) = pairs::generate(pair, dir.path());
        assert_ne!(sources(&old), sources(&new), "pair {} changes the SDK", pair.name);
        let dep = format!("dep-{}", pair.name.replace('_', "-"));
        dependent(dir.path(), &dep, &new, &format!("regen-{}", pair.name.replace('_', "-")));
        members.extend([pair.name.clone(), dep]);
    }
    dependent(dir.path(), "dep-old", &dir.path().join("old"), "regen-old");

    // The control: the same new spec without the lock loses the union's `amount` method.
    let control = dir.path().join("control");
    pairs::generate_sdk(&pairs::fixtures().join("additive/union_case_other_type"), None, &control, "regen-control");
    dependent(dir.path(), "dep-control", &control, "regen-control");
    members.extend(["control".to_string(), "dep-control".to_string()]);
    expected_failures.push("dep-control");

    scratch.members(&members);

    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--workspace", "--lib", "--keep-going", "--message-format", "short"])
        .arg("--manifest-path")
        .arg(dir.path().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed: Vec<&str> =
        members.iter().map(String::as_str).filter(|m| stderr.contains(&format!("could not compile `{m}`"))).collect();
    assert_eq!(failed, expected_failures, "crates that did not compile (want only the control):\n{stderr}");
    assert!(stderr.contains("no method named `amount`"), "the control fails for the method the lock keeps:\n{stderr}");
    eprintln!("{} pairs regenerated and their dependents checked in {:.1?}", additive.len(), started.elapsed());
}
