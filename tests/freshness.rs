//! The committed SDK is exactly what the spec generates, and generating is deterministic.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn generate() -> portone_codegen::FileSet {
    portone_codegen::generate(&root().join("spec"), &root().join("templates"))
        .unwrap_or_else(|e| panic!("spec/ should generate:\n{e}"))
}

#[test]
fn committed_sdk_matches_the_spec() {
    let drift = portone_codegen::write::check(&root().join("generated-sdk"), &generate()).expect("readable");
    let listing: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(drift.is_empty(), "generated-sdk/ is stale; run `cargo xtask codegen`:\n{}", listing.join("\n"));
}

#[test]
fn committed_locks_match_the_spec() {
    let generated = portone_codegen::run(&root().join("spec"), &root().join("templates")).expect("spec/ generates");
    let names: Vec<&str> = generated.locks.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(names, ["v1.lock.yaml", "v2.lock.yaml"], "one lock per API");
    let stale = portone_codegen::stale_locks(&root().join("spec"), &generated);
    assert!(stale.is_empty(), "{stale:?} stale in spec/; run `cargo xtask codegen`");
    // A second run reading the committed locks would write them unchanged.
    let again = portone_codegen::run(&root().join("spec"), &root().join("templates")).expect("spec/ generates");
    assert_eq!(generated.locks, again.locks);
}

#[test]
fn generation_is_deterministic() {
    let first = generate();
    let second = generate();
    assert_eq!(first.len(), second.len());
    for ((pa, ca), (pb, cb)) in first.iter().zip(second.iter()) {
        assert_eq!(pa, pb);
        assert!(ca == cb, "{pa} differs between two runs");
    }
}

#[test]
fn spec_descriptions_are_english() {
    // Descriptions are ours, in English: no Hangul may remain in spec/.
    let mut stack = vec![root().join("spec")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("spec dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("text");
            for (n, line) in text.lines().enumerate() {
                let hangul = line
                    .chars()
                    .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c));
                assert!(!hangul, "{}:{}: Korean text in the spec: {line}", path.display(), n + 1);
            }
        }
    }
}
