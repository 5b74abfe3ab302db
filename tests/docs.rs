//! Every item the SDK documents from the spec has a sentence of its own there, so the
//! emitters' fallback docs ("The `x` field.", "The `x` case.", a bare "`VALUE`") never
//! reach the generated crate. Checked on the model the emitters read, not on their text.
//!
//! The rule: anything the emitters would otherwise document with a made-up sentence must
//! carry `description` (or `title`/`summary`) in `spec/`: named types, struct fields,
//! enum values (`x-portone-enum-descriptions`), union cases (the case schema's own
//! description), operations, parameters and client defaults.
//!
//! Left out on purpose, because their generic sentence is complete:
//! - request bodies ("The request body." on a builder's `body` setter): the body's type
//!   is a named schema whose own docs the setter links to;
//! - category handles ("Operations of the `x` category."): always that summary, with the
//!   spec's text added below when there is one.

use portone_codegen::model::{Api, Docs, TypeKind};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn apis() -> Vec<Api> {
    let loaded = portone_codegen::load::load_spec_dir(&root().join("spec")).expect("spec/ loads");
    loaded
        .iter()
        .map(|api| {
            portone_codegen::model::build(api).unwrap_or_else(|e| panic!("{} builds: {e:?}", api.name))
        })
        .collect()
}

/// Docs the emitters would replace with their fallback: nothing but blank text, or
/// text that is itself one of the fallback sentences ("The `x` field.").
fn empty(docs: &Docs) -> bool {
    [&docs.summary, &docs.description].into_iter().flatten().all(|t| t.trim().is_empty() || placeholder(t.trim()))
}

fn placeholder(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("The `") else { return false };
    let Some((name, tail)) = rest.split_once('`') else { return false };
    !name.contains(' ') && [" field.", " case.", " object.", " type.", " operation."].contains(&tail)
}

/// Every undocumented item of one API, as `module: what`.
fn undocumented(api: &Api) -> Vec<String> {
    let mut out = Vec::new();
    let m = &api.module;
    for op in &api.operations {
        if empty(&op.docs) {
            out.push(format!("{m}: operation `{}`", op.id));
        }
        for p in op.params.iter().filter(|p| empty(&p.docs)) {
            out.push(format!("{m}: parameter `{}` of operation `{}`", p.wire_name, op.id));
        }
    }
    for d in api.client_defaults.iter().filter(|d| empty(&d.docs)) {
        out.push(format!("{m}: client default `{}`", d.wire_name));
    }
    for t in &api.types {
        let schema = &t.schema_name;
        if empty(&t.docs) {
            out.push(format!("{m}: schema `{schema}`"));
        }
        match &t.kind {
            TypeKind::Struct(s) => {
                for f in s.fields.iter().filter(|f| empty(&f.docs)) {
                    out.push(format!("{m}: field `{schema}.{}`", f.wire_name));
                }
            }
            TypeKind::Enum(e) => {
                for v in e.values.iter().filter(|v| empty(&v.docs)) {
                    out.push(format!("{m}: enum value `{schema}::{}`", v.wire));
                }
            }
            TypeKind::Union(u) => {
                for v in u.variants.iter().filter(|v| empty(&v.docs)) {
                    out.push(format!("{m}: union case `{schema}::{}` ({})", v.tag, v.type_name));
                }
            }
            TypeKind::Alias(_) => {}
        }
    }
    out
}

#[test]
fn every_item_has_docs_from_the_spec() {
    let missing: Vec<String> = apis().iter().flat_map(undocumented).collect();
    assert!(
        missing.is_empty(),
        "{} items have no description in spec/, so the generated docs would fall back to a placeholder:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn fallback_sentences_written_into_the_spec_count_as_missing() {
    let docs = |text: &str| Docs { summary: None, description: Some(text.to_string()) };
    assert!(empty(&docs("The `graphqlId` field.")));
    assert!(empty(&docs("The `CARD` case.")));
    assert!(empty(&docs("  ")));
    assert!(!empty(&docs("The `id` of the partner.")));
    assert!(!empty(&docs("Unique ID of the payout.")));
}
