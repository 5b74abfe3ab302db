//! The semver gate says "breaking" for each kind of breaking change PortOne can make:
//! each case in `tests/fixtures/regeneration_breaking/<case>/` holds an old and a new
//! spec; both SDKs are generated, documented by rustdoc (JSON, every feature, one cargo
//! run for all of them, in the workspace's target folder so dependencies are reused),
//! listed by `portone-public-api` and compared as `cargo xtask public-api --check` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use portone_public_api::{Class, Version, compare, listing_from_json, summary, verdict};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Each case, and a line of the gate's summary that names what broke.
const CASES: &[(&str, &str)] = &[
    ("removed_operation", "removed: struct portone_sdk::v2::operations::CancelPayment"),
    ("removed_field", "portone_sdk::v2::types::PaidPayment::order_name: String"),
    ("renamed_field", "portone_sdk::v2::types::PaidPayment::order_name: String"),
    ("changed_field_type", "to: field portone_sdk::v2::types::PaidPayment::amount: String"),
    ("new_required_request_field", "portone_sdk::v2::types::CancelPaymentBody::"),
    ("removed_enum_value", "removed: variant portone_sdk::v2::types::Currency::Usd"),
    ("removed_union_case", "removed: variant portone_sdk::v2::types::Payment::Failed"),
];

fn spec_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("v2/openapi.yaml")).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

#[test]
fn every_breaking_change_is_called_breaking() {
    let started = std::time::Instant::now();
    let fixtures = root().join("tests/fixtures/regeneration_breaking");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp.parent().expect("the target folder holds tmp/");
    let dir = tempfile::Builder::new().prefix("semver-gate-").tempdir_in(tmp).expect("temp dir");

    // One crate per distinct spec (the cases share their old spec).
    let mut crates: BTreeMap<String, String> = BTreeMap::new();
    let mut pairs = Vec::new();
    for (case, _) in CASES {
        let mut names = Vec::new();
        for side in ["old", "new"] {
            let spec = fixtures.join(case).join(side);
            let next = format!("gate_fixture_{}", crates.len());
            let name = crates.entry(spec_text(&spec)).or_insert(next).clone();
            let krate = dir.path().join(&name);
            if !krate.exists() {
                portone_codegen::generate_into(&spec, &root().join("templates"), &krate)
                    .unwrap_or_else(|e| panic!("{case}/{side} generates:\n{e}"));
                let manifest = krate.join("Cargo.toml");
                let text = std::fs::read_to_string(&manifest).expect("manifest");
                let text = text
                    .replacen("name = \"portone-sdk\"", &format!("name = \"{}\"", name.replace('_', "-")), 1)
                    .replacen("name = \"portone_sdk\"", &format!("name = \"{name}\""), 1);
                std::fs::write(&manifest, text).expect("manifest");
            }
            names.push(name);
        }
        pairs.push((*case, names[0].clone(), names[1].clone()));
    }
    let members: Vec<String> = crates.values().map(|n| format!("\"{n}\"")).collect();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("workspace manifest");
    std::fs::copy(root().join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("lockfile");

    // The flags of `cargo xtask public-api`: rustdoc's JSON, every feature.
    let output = Command::new(env!("CARGO"))
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .args(["doc", "--quiet", "--offline", "--no-deps", "--workspace", "--lib", "--all-features"])
        .arg("--manifest-path")
        .arg(dir.path().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "rustdoc fails:\n{}", String::from_utf8_lossy(&output.stderr));

    let listing = |name: &str| {
        listing_from_json(&target.join("doc").join(format!("{name}.json")), "portone_sdk")
            .unwrap_or_else(|e| panic!("listing of {name}: {e}"))
    };
    let version: Version = "0.1.0".parse().expect("version");
    for (case, old, new) in &pairs {
        let (old, new) = (listing(old), listing(new));
        assert!(
            old.lines.iter().any(|l| l == "field portone_sdk::v2::types::PaidPayment::id: String"),
            "{case}: the old listing has the fixture's types:\n{}",
            old.lines.join("\n")
        );
        assert_eq!(compare(&old, &old).class(), Class::Identical, "{case}: a listing equals itself");
        let diff = compare(&old, &new);
        let said = summary(&diff);
        assert_eq!(diff.class(), Class::Breaking, "{case}: the gate says breaking:\n{said}");
        let (_, expected) = CASES.iter().find(|(c, _)| c == case).expect("case");
        assert!(said.contains(expected), "{case}: the summary names `{expected}`:\n{said}");
        let refused = verdict(version, version, diff.class()).expect_err("an unannounced break fails");
        assert!(refused.starts_with("breaking: bump the version to 0.2.0"), "{case}: {refused}");
        assert_eq!(verdict(version, "0.2.0".parse().expect("version"), diff.class()), Ok(()), "{case}");
    }
    eprintln!("{} cases, {} crates documented and compared in {:.1?}", pairs.len(), crates.len(), started.elapsed());
}
