//! The semver gate says "breaking" for each kind of breaking change PortOne can make:
//! each case in `tests/fixtures/regeneration/breaking/<case>/` is a new spec against the
//! shared old one, `base/`. Both SDKs are generated as a maintainer regenerates (the new
//! one with the lock the old one left), documented by rustdoc (JSON, every feature, one
//! cargo run for all of them, in the workspace's target folder so dependencies are
//! reused), listed by `portone-public-api` and compared as `cargo xtask public-api
//! --check` does.

#[path = "regeneration/pairs.rs"]
mod pairs;

use std::process::Command;

use pairs::{Expect, Pair};
use portone_public_api::{Class, Version, compare, listing_from_json, summary, verdict};

/// Each case, and a line of the gate's summary that names what broke.
const CASES: &[(&str, &str)] = &[
    ("changed_field_type", "to: field portone_sdk::v2::types::PaidPayment::amount: String"),
    ("new_required_request_field", "portone_sdk::v2::types::CreateThingBody::"),
    ("removed_enum_value", "removed: variant portone_sdk::v2::types::ThingKind::Large"),
    ("removed_field", "portone_sdk::v2::types::Thing::note: Option<String>"),
    ("removed_operation", "removed: struct portone_sdk::v2::operations::CreateThing"),
    ("removed_union_case", "removed: variant portone_sdk::v2::types::Payment::Failed"),
    ("renamed_field", "portone_sdk::v2::types::Thing::note: Option<String>"),
];

#[test]
fn every_breaking_change_is_called_breaking() {
    let started = std::time::Instant::now();
    let breaking: Vec<Pair> = pairs::pairs().into_iter().filter(|p| p.expect == Expect::Breaking).collect();
    let names: Vec<&str> = breaking.iter().map(|p| p.name.as_str()).collect();
    let cases: Vec<&str> = CASES.iter().map(|(c, _)| *c).collect();
    assert_eq!(names, cases, "every breaking fixture has its expected summary line");

    let scratch = pairs::Scratch::new("semver-gate-");
    let mut members = vec!["old".to_string()];
    for pair in &breaking {
        pairs::generate(pair, scratch.dir.path());
        members.push(pair.name.clone());
    }
    scratch.members(&members);

    // The flags of `cargo xtask public-api`: rustdoc's JSON, every feature.
    let output = Command::new(env!("CARGO"))
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .args(["doc", "--quiet", "--offline", "--no-deps", "--workspace", "--lib", "--all-features"])
        .arg("--manifest-path")
        .arg(scratch.dir.path().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&scratch.target)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "rustdoc fails:\n{}", String::from_utf8_lossy(&output.stderr));

    // Each crate's library is `regen_<member>` (see `pairs::generate_sdk`).
    let listing = |member: &str| {
        let file = scratch.target.join("doc").join(format!("regen_{}.json", member.replace('-', "_")));
        listing_from_json(&file, "portone_sdk").unwrap_or_else(|e| panic!("listing of {member}: {e}"))
    };
    let old = listing("old");
    assert!(
        old.lines.iter().any(|l| l == "field portone_sdk::v2::types::Thing::id: String"),
        "the old listing has the fixture's types:\n{}",
        old.lines.join("\n")
    );
    assert_eq!(compare(&old, &old).class(), Class::Identical, "a listing equals itself");
    let version: Version = "0.1.0".parse().expect("version");
    for (case, expected) in CASES {
        let diff = compare(&old, &listing(case));
        let said = summary(&diff);
        assert_eq!(diff.class(), Class::Breaking, "{case}: the gate says breaking:\n{said}");
        assert!(said.contains(expected), "{case}: the summary names `{expected}`:\n{said}");
        let refused = verdict(version, version, diff.class()).expect_err("an unannounced break fails");
        assert!(refused.starts_with("breaking: bump the version to 0.2.0"), "{case}: {refused}");
        assert_eq!(verdict(version, "0.2.0".parse().expect("version"), diff.class()), Ok(()), "{case}");
    }
    eprintln!("{} cases documented and compared in {:.1?}", CASES.len(), started.elapsed());
}
