//! Snapshot tests of the emitters: one small fixture spec per construct under
//! `fixtures/snapshots/<case>/`, and the Rust the generator writes for it under
//! `snapshots/`. Under `CI=true` insta never writes snapshots, so drift fails.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The files of a fixture's generated API module (`src/v1/**` or `src/v2/**`) whose path
/// contains one of `parts`, each under a heading: a fixture's snapshot holds only what it
/// is about (its types, or its operations, or its client), not the same client
/// boilerplate every time.
fn generated(case: &str, parts: &[&str]) -> String {
    let spec = root().join("tests/fixtures/snapshots").join(case);
    let files = portone_codegen::generate(&spec, &root().join("templates"))
        .unwrap_or_else(|e| panic!("fixture {case} should generate:\n{e}"));
    let mut out = String::new();
    for (path, contents) in files.iter().filter(|(p, _)| p.starts_with("src/v1/") || p.starts_with("src/v2/")) {
        if !parts.iter().any(|part| path.contains(part)) {
            continue;
        }
        out.push_str(&format!("===== {path}\n"));
        out.push_str(std::str::from_utf8(contents).expect("utf-8"));
    }
    assert!(!out.is_empty(), "fixture {case}: no generated file matches {parts:?}");
    out
}

/// The model the generator builds for a fixture, as `Debug` prints it: what the model
/// decided (names, modules, features, directions, union cases, defaults), before any
/// Rust is written.
fn model(case: &str) -> String {
    let spec = root().join("tests/fixtures/snapshots").join(case);
    let loaded = portone_codegen::load::load_spec_dir(&spec).unwrap_or_else(|e| panic!("fixture {case} loads:\n{e}"));
    let mut out = String::new();
    for api in &loaded {
        let model =
            portone_codegen::model::build(api).unwrap_or_else(|e| panic!("fixture {case} builds a model: {e:?}"));
        out.push_str(&format!("{model:#?}\n"));
    }
    out
}

macro_rules! snapshot_case {
    ($($case:ident: [$($part:literal),+]),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                insta::assert_snapshot!(stringify!($case), generated(stringify!($case), &[$($part),+]));
                insta::assert_snapshot!(concat!(stringify!($case), "_model"), model(stringify!($case)));
            }
        )*
    };
}

snapshot_case!(
    // Required, optional and keyword-named fields, renames, a recursive field (boxed), a
    // sensitive field (Debug by hand), an f64 sent with whole values as integers.
    struct_fields: ["/types/"],
    // String enum with a value starting with a digit and one named UNKNOWN.
    string_enum: ["/types/"],
    // Discriminated union; a case used only in the union drops the tag field, one used
    // on its own keeps it.
    union: ["/types/"],
    // Methods for the fields union cases share: a field in every case, one some case
    // lacks or leaves optional, one whose type differs (none), one in a single case
    // (none), a keyword name, a reserved name (none), a boxed recursive field; a union
    // told apart by field returns a field every case requires without `Option`.
    union_accessors: ["/types/"],
    // An operation's error union: Display, ErrorCase, message accessors.
    error_union: ["/types/"],
    // Arrays of primitives and named types, maps, any-JSON objects, a named map.
    array_map: ["/types/"],
    // date-time and date formats.
    date_time: ["/types/"],
    // Two path parameters escaped into one path.
    path_params: ["/operations/", "/client.rs"],
    // A GET whose optional body travels as JSON in the `requestBody` query parameter.
    get_with_body: ["/operations/"],
    // A POST without body: required and optional query parameters, a client default,
    // an unstable operation in a nested category, a sensitive parameter (Debug by hand).
    no_body: ["/operations/", "/client.rs"],
    // Deprecated operations and types carry #[deprecated]; the SDK's own uses of them do not warn.
    deprecated: ["/operations/", "/types/", "/client.rs"],
    // A secret that may be traded for JWT access tokens (Bearer) renewed with a refresh
    // token: the builder's `access_tokens`, and token operations sent without credentials.
    bearer_tokens: ["/client.rs", "/operations/"],
    // V1's conventions: a token from the API's own operation, responses in an envelope
    // (allOf and flat), a header set per client and per call, a union told apart by a
    // field, a list query parameter, enum variant names given in the spec.
    v1_envelope_token: ["/client.rs", "/operations/", "/types/"],
);

/// Where the client's default `storeId` goes in each V2 operation that takes a store,
/// as the model decides it: a query parameter, a body field path, and whether an absent
/// body is sent holding it. Operations whose store is required (the caller's to give)
/// are listed too, so that a store input the defaults miss shows up here.
#[test]
fn v2_store_defaults() {
    use portone_codegen::model::{TypeKind, TypeRef};
    let loaded = portone_codegen::load::load_spec_dir(&root().join("spec")).expect("spec loads");
    let v2 = loaded.iter().find(|a| a.name == "v2").expect("a v2 API");
    let api = portone_codegen::model::build(v2).expect("v2 builds");
    let mut out = String::new();
    for op in &api.operations {
        let mut targets: Vec<String> =
            op.params.iter().filter(|p| p.client_default).map(|p| format!("query parameter {}", p.wire_name)).collect();
        if let Some(body) = &op.body {
            for d in &body.client_defaults {
                let path: Vec<&str> = d.path.iter().map(|s| s.wire_name.as_str()).collect();
                targets.push(format!("body {}", path.join(".")));
            }
            if body.default_when_absent {
                targets.push("a body holding it when the call has none".into());
            }
            let required_store = match &body.ty {
                TypeRef::Named(n) => api.types.iter().any(|t| {
                    &t.name == n
                        && matches!(&t.kind, TypeKind::Struct(s)
                            if s.fields.iter().any(|f| f.wire_name == "storeId" && f.required))
                }),
                _ => false,
            };
            if required_store {
                targets.push("body storeId is required: the caller gives it".into());
            }
        }
        if !targets.is_empty() {
            out.push_str(&format!("{}: {}\n", op.id, targets.join("; ")));
        }
    }
    insta::assert_snapshot!("v2_store_defaults", out);
}

/// The layout pass's decisions for every API of a spec folder (locks applied), one line
/// per item: the gate of each module file and category handle; each operation's module,
/// feature, gate, error type, idempotency header, arguments in order and path parts by
/// parameter index; each type's module, features and gate.
fn layout(spec: &Path) -> String {
    use portone_codegen::model::{Argument, Category, ErrorType, Gate, PathPart};
    fn gate(g: &Gate) -> String {
        let mut out = if g.features.is_empty() { "-".to_string() } else { g.features.join("|") };
        if g.unstable {
            out.push_str(" +unstable");
        }
        out
    }
    fn error(e: &ErrorType) -> String {
        match e {
            ErrorType::Union(name) => name.clone(),
            ErrorType::Envelope => "(envelope)".into(),
            ErrorType::Untyped => "(untyped)".into(),
        }
    }
    fn categories(list: &[Category], depth: usize, out: &mut String) {
        for c in list {
            out.push_str(&format!("{}{} [{}]\n", "  ".repeat(depth + 1), c.id, gate(&c.gate)));
            categories(&c.children, depth + 1, out);
        }
    }
    let apis = portone_codegen::models(spec).unwrap_or_else(|e| panic!("{} builds:\n{e}", spec.display()));
    let mut out = String::new();
    for api in &apis {
        out.push_str(&format!(
            "== {} (api feature {:?}, raw error {})\n",
            api.module,
            api.feature,
            error(&api.raw_error)
        ));
        for (what, modules) in [("operations", &api.operation_modules), ("types", &api.type_modules)] {
            out.push_str(&format!("{what}/\n"));
            for m in modules {
                out.push_str(&format!("  {} [{}]\n", m.name.name, gate(&m.gate)));
            }
        }
        out.push_str("categories\n");
        categories(&api.categories, 0, &mut out);
        out.push_str("operations\n");
        for op in &api.operations {
            let args: Vec<String> = op
                .arguments
                .iter()
                .map(|a| match a {
                    Argument::Param(i) => format!("{i}:{}", op.params[*i].wire_name),
                    Argument::Body => "body".into(),
                })
                .collect();
            let path: String = op
                .path_parts
                .iter()
                .map(|p| match p {
                    PathPart::Literal(text) => text.clone(),
                    PathPart::Param(i) => format!("<{i}:{}>", op.params[*i].wire_name),
                })
                .collect();
            out.push_str(&format!(
                "  {}: module {}, feature {}, gate [{}], error {}, key {}, args ({}), path {}\n",
                op.id,
                op.module.name,
                op.feature.as_deref().unwrap_or("-"),
                gate(&op.gate),
                error(&op.error_type),
                op.idempotency_header.as_deref().unwrap_or("-"),
                args.join(", "),
                path,
            ));
        }
        out.push_str("types\n");
        for t in &api.types {
            let features = if t.features.is_empty() { "-".to_string() } else { t.features.join("|") };
            out.push_str(&format!(
                "  {}: module {}, features {features}, gate [{}]\n",
                t.name,
                t.module.name,
                gate(&t.gate)
            ));
        }
    }
    out
}

/// The layout of the real specs: where every operation and type of V1 and V2 lives,
/// when it is compiled, and each call's signature.
#[test]
fn layout_of_the_specs() {
    insta::assert_snapshot!("layout_specs", layout(&root().join("spec")));
}

/// The layout of small fixtures: an unstable operation alone in its module and a nested
/// category (`no_body`), a token API whose answers come in an envelope and whose
/// token operations are sent without credentials (`v1_envelope_token`), two path
/// parameters (`path_params`), an error union (`error_union`).
#[test]
fn layout_of_fixtures() {
    let mut out = String::new();
    for case in ["no_body", "v1_envelope_token", "path_params", "error_union"] {
        out.push_str(&format!("##### {case}\n"));
        out.push_str(&layout(&root().join("tests/fixtures/snapshots").join(case)));
    }
    insta::assert_snapshot!("layout_fixtures", out);
}
