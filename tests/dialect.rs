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
    let api = portone_codegen::model::build(&loaded[0]).expect("builds");
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

/// The model of the fixture.
fn model() -> portone_codegen::model::Api {
    let loaded = portone_codegen::load::load_spec_dir(&fixture()).expect("loads");
    portone_codegen::model::build(&loaded[0])
        .unwrap_or_else(|e| panic!("the dialect fixture builds: {}", portone_codegen::Error::from(e)))
}

fn docs(d: &portone_codegen::model::Docs) -> (Option<&str>, Option<&str>) {
    (d.summary.as_deref(), d.description.as_deref())
}

// `x-portone-enum` gives each value's texts; they document the variants unless the
// schema has its own (`x-enum-descriptions`).
#[test]
fn portone_enum_texts_document_values_the_spec_leaves_undocumented() {
    use portone_codegen::model::TypeKind;
    let api = model();
    let values = |name: &str| match &api.types.iter().find(|t| t.name == name).expect("type").kind {
        TypeKind::Enum(e) => e.values.clone(),
        other => panic!("{name} is no enum: {other:?}"),
    };
    let status: Vec<_> = values("ParcelStatus").into_iter().map(|v| (v.wire.clone(), v.docs)).collect();
    assert_eq!(docs(&status[0].1), (Some("Waiting at the depot."), None));
    assert_eq!(docs(&status[1].1), (Some("On the road."), Some("Handed to the carrier.")));
    assert_eq!(docs(&status[2].1), (None, None), "ARRIVED has an empty entry");
    let size: Vec<_> = values("ParcelSize").into_iter().map(|v| v.docs).collect();
    assert_eq!(docs(&size[0]), (None, Some("Fits a letter box.")));
    assert_eq!(docs(&size[1]), (None, Some("Needs a signature.")));

    let code = type_files();
    assert!(code.contains("/// Waiting at the depot.\n"), "{code}");
    assert!(code.contains("/// Sent as `WAITING`."), "the wire value beside a title: {code}");
}

// `x-portone-discriminator` gives each union case's title, by tag: it documents a case
// whose schema has no docs of its own.
#[test]
fn portone_discriminator_titles_document_cases_without_docs() {
    use portone_codegen::model::TypeKind;
    let api = model();
    let TypeKind::Union(route) = &api.types.iter().find(|t| t.name == "Route").expect("Route").kind else {
        panic!("Route is no union")
    };
    let case = |tag: &str| route.variants.iter().find(|v| v.tag == tag).expect("case").docs.clone();
    assert_eq!(docs(&case("ROAD")), (Some("Carried by road."), None));
    assert_eq!(docs(&case("AIR")), (None, Some("A parcel on a flight.")));
}

// PortOne may start to publish a key the generator does not know: it is a warning naming
// file and pointer, and the SDK is generated all the same. So are texts for enum values
// or union tags that do not exist.
#[test]
fn unknown_extensions_and_stray_texts_are_warnings_and_generation_succeeds() {
    let prefix = format!("{}/", fixture().display());
    let warnings: Vec<String> = generated()
        .warnings
        .iter()
        .filter(|w| w.file.ends_with("published.yaml"))
        .map(|w| w.to_string().replace(&prefix, ""))
        .collect();
    let far = "(known here: x-portone-category, x-portone-error, x-portone-unstable, x-portone-pagination; \
               every extension is listed in generator/src/load/extensions.rs)";
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    assert_eq!(
        warnings[0],
        "v2/published.yaml: #/components/schemas/ParcelStatus/x-portone-enum/LOST: describes \"LOST\", which is \
         not one of the enum values; ignored"
    );
    assert!(
        warnings[1].starts_with(
            "v2/published.yaml: #/components/schemas/ParcelStatus/x-vendor-colour: unknown extension \
             \"x-vendor-colour\" on a schema, ignored (known here: "
        ),
        "{}",
        warnings[1]
    );
    assert_eq!(
        warnings[2],
        "v2/published.yaml: #/components/schemas/Route/x-portone-discriminator/SEA: names \"SEA\", which is not \
         one of the union's tags; ignored"
    );
    assert_eq!(
        warnings[3],
        format!(
            "v2/published.yaml: #/paths/~1parcels~1{{parcelId}}/get/x-portone-brand-new: unknown extension \
             \"x-portone-brand-new\" on an operation, ignored {far}"
        )
    );
}

/// The generated type files (`src/v2/types/*.rs`), one after the other.
fn type_files() -> String {
    let generated = generated();
    let files = generated.files.iter().filter(|(p, _)| p.starts_with("src/v2/types/"));
    files.map(|(_, contents)| String::from_utf8(contents.to_vec()).expect("utf-8")).collect()
}
