//! PortOne's dialect as published (`fixtures/dialect/`): inline objects in properties and
//! their list items, `properties` beside `type: array`, operations without
//! `x-portone-category`. The fixture's types and categories are snapshots, and the crate
//! it generates must compile without warnings.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/dialect")
}

fn generated() -> portone_codegen::Generated {
    portone_codegen::run(&fixture(), &root().join("templates"))
        .unwrap_or_else(|e| panic!("the dialect fixture should generate:\n{e}"))
}

/// The type files (`src/v2/types/*.rs`), each under a heading.
#[test]
fn dialect_types() {
    let mut out = String::new();
    for (path, contents) in generated().files.iter().filter(|(p, _)| p.starts_with("src/v2/types/")) {
        out.push_str(&format!("===== {path}\n"));
        out.push_str(std::str::from_utf8(contents).expect("utf-8"));
    }
    insta::assert_snapshot!("dialect_types", out);
}

/// The category of each operation, the category tree, and the warnings for the
/// operations whose category came from their path.
#[test]
fn dialect_categories() {
    let loaded = portone_codegen::load::load_spec_dir(&fixture()).expect("loads");
    let api = portone_codegen::model::from_spec::build(&loaded[0]).expect("builds");
    let mut out = String::new();
    for op in &api.operations {
        out.push_str(&format!("{} {} -> {} (feature {:?})\n", op.method.as_str(), op.path, op.category, op.feature));
    }
    fn tree(out: &mut String, list: &[portone_codegen::model::Category], depth: usize) {
        for c in list {
            out.push_str(&format!("{}{} .{}() {}\n", "  ".repeat(depth), c.id, c.accessor.name, c.type_name));
            tree(out, &c.children, depth + 1);
        }
    }
    out.push_str("-- categories\n");
    tree(&mut out, &api.categories, 0);
    out.push_str("-- warnings\n");
    let prefix = format!("{}/", fixture().display());
    for w in &generated().warnings {
        out.push_str(&format!("{}\n", w.to_string().replace(&prefix, "dialect/")));
    }
    insta::assert_snapshot!("dialect_categories", out);
}

/// Generate the fixture's crate into the target folder and `cargo check` its library
/// with every category, with and without `serde-all` (which adds the other serde trait
/// to every type), offline, with the workspace's lockfile and target folder so the
/// dependencies the workspace already built are reused and nothing is downloaded. TLS
/// stays off: it adds nothing the fixture is about.
#[test]
fn dialect_crate_compiles() {
    let started = std::time::Instant::now();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp.parent().expect("the target folder holds tmp/");
    let dir = tempfile::Builder::new().prefix("dialect-sdk-").tempdir_in(tmp).expect("temp dir");
    let krate = dir.path().join("portone-sdk");
    portone_codegen::generate_into(&fixture(), &root().join("templates"), &krate).expect("generates");
    // Its own workspace, not a stray member of ours (the target folder is inside ours).
    let manifest = krate.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).expect("manifest");
    std::fs::copy(root().join("Cargo.lock"), krate.join("Cargo.lock")).expect("lockfile");

    for features in ["full", "full,serde-all"] {
        let output = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--offline", "--lib", "--no-default-features", "--features", features])
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--target-dir")
            .arg(target)
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "the dialect crate does not compile with {features}:\n{stderr}");
        assert!(!stderr.contains("warning"), "the dialect crate has warnings with {features}:\n{stderr}");
    }
    eprintln!("dialect crate checked in {:.1?}", started.elapsed());
}
