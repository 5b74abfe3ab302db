//! Every fixture the generator is tested on (the snapshot fixtures and the dialect
//! fixture) generates a crate that compiles: snapshots show what is emitted, this shows
//! that it is Rust. The crates are checked together in one temporary workspace, offline,
//! with the workspace's lockfile and target folder so that nothing is downloaded and the
//! dependencies already built are reused; with every category, with and without
//! `serde-all` (which adds the other serde trait to every type), and with no warning.

#[path = "regeneration/pairs.rs"]
mod pairs;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Each fixture's spec folder, named.
fn fixtures() -> Vec<(String, PathBuf)> {
    let snapshots = root().join("tests/fixtures/snapshots");
    let mut all: Vec<(String, PathBuf)> = std::fs::read_dir(&snapshots)
        .expect("snapshot fixtures")
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().expect("name").to_string_lossy().into_owned(), p))
        .collect();
    all.push(("dialect".to_owned(), root().join("tests/fixtures/dialect")));
    all.sort();
    all
}

#[test]
fn every_fixture_crate_compiles() {
    let started = std::time::Instant::now();
    let scratch = pairs::Scratch::new("fixture-crates-");
    let (dir, target) = (&scratch.dir, &scratch.target);
    let fixtures = fixtures();
    assert!(fixtures.len() >= 14, "the fixtures are found: {fixtures:?}");
    let mut members = Vec::new();
    for (name, spec) in &fixtures {
        let krate = dir.path().join(name);
        portone_codegen::generate_into(spec, &root().join("templates"), &krate)
            .unwrap_or_else(|e| panic!("fixture {name} generates:\n{e}"));
        // Members of one workspace need names of their own; the library keeps its name.
        let manifest = krate.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("manifest");
        let text = text.replacen("name = \"portone-sdk\"", &format!("name = \"fixture-{name}\""), 1);
        std::fs::write(&manifest, text).expect("manifest");
        members.push(name.clone());
    }
    scratch.members(&members);

    for features in ["full", "full,serde-all"] {
        let output = Command::new(env!("CARGO"))
            .args([
                "check",
                "--quiet",
                "--offline",
                "--workspace",
                "--lib",
                "--no-default-features",
                "--features",
                features,
            ])
            .arg("--manifest-path")
            .arg(dir.path().join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target)
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "a fixture crate does not compile with {features}:\n{stderr}");
        assert!(!stderr.contains("warning"), "a fixture crate has warnings with {features}:\n{stderr}");
    }
    eprintln!("{} fixture crates checked in {:.1?}", fixtures.len(), started.elapsed());
}
