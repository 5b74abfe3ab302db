//! PortOne's dialect as published (`fixtures/dialect/`): inline objects in properties and
//! their list items, `properties` beside `type: array`, operations without
//! `x-portone-category`. The fixture's types and categories are snapshots; the crate it
//! generates is compiled with every other fixture's by `fixture_crates.rs`.

use std::path::{Path, PathBuf};

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
