//! Snapshot tests of the emitters: one small fixture spec per construct under
//! `fixtures/snapshots/<case>/`, and the Rust the generator writes for it under
//! `snapshots/`. Under `CI=true` insta never writes snapshots, so drift fails.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The generated API module of a fixture (`src/v1/**` or `src/v2/**`), each file under a heading.
fn generated(case: &str) -> String {
    let spec = root().join("tests/fixtures/snapshots").join(case);
    let files = portone_codegen::generate(&spec, &root().join("templates"))
        .unwrap_or_else(|e| panic!("fixture {case} should generate:\n{e}"));
    let mut out = String::new();
    for (path, contents) in files.iter().filter(|(p, _)| p.starts_with("src/v1/") || p.starts_with("src/v2/")) {
        out.push_str(&format!("===== {path}\n"));
        out.push_str(std::str::from_utf8(contents).expect("utf-8"));
    }
    out
}

macro_rules! snapshot_case {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                insta::assert_snapshot!(stringify!($case), generated(stringify!($case)));
            }
        )*
    };
}

snapshot_case!(
    // Required, optional and keyword-named fields, renames, a recursive field (boxed), a
    // sensitive field (Debug by hand), an f64 sent with whole values as integers.
    struct_fields,
    // String enum with a value starting with a digit and one named UNKNOWN.
    string_enum,
    // Discriminated union; a case used only in the union drops the tag field, one used
    // on its own keeps it.
    union,
    // An operation's error union: Display, ErrorCase, message accessors.
    error_union,
    // Arrays of primitives and named types, maps, any-JSON objects, a named map.
    array_map,
    // date-time and date formats.
    date_time,
    // Two path parameters escaped into one path.
    path_params,
    // A GET whose optional body travels as JSON in the `requestBody` query parameter.
    get_with_body,
    // A POST without body: required and optional query parameters, a client default,
    // an unstable operation in a nested category, a sensitive parameter (Debug by hand).
    no_body,
    // Deprecated operations and types carry #[deprecated]; the SDK's own uses of them do not warn.
    deprecated,
    // A secret that may be traded for JWT access tokens (Bearer) renewed with a refresh
    // token: the builder's `access_tokens`, and token operations sent without credentials.
    bearer_tokens,
    // V1's conventions: a token from the API's own operation, responses in an envelope
    // (allOf and flat), a header set per client and per call, a union told apart by a
    // field, a list query parameter, enum variant names given in the spec.
    v1_envelope_token,
);
