//! A malformed spec gets one precise message naming the file and the JSON pointer of
//! the problem, and the output folder is left exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// Every file below `dir` with its contents, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).expect("below dir").to_path_buf(),
                    std::fs::read(&path).expect("file"),
                );
            }
        }
    }
    out
}

/// Generate from `fixtures/bad/<case>` into an output folder that already holds a good
/// SDK; return the error message (with the fixture folder shortened to `<case>/`) after
/// checking that the folder, and its parent, are exactly as before.
fn fails(case: &str) -> String {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("generated-sdk");
    let templates = root().join("templates");
    portone_codegen::generate_into(&fixtures().join("snapshots/union"), &templates, &out).expect("good spec generates");
    let before = tree(temp.path());

    let spec = fixtures().join("bad").join(case);
    let err = portone_codegen::generate_into(&spec, &templates, &out).expect_err("bad spec must fail");

    assert_eq!(tree(temp.path()), before, "{case}: the output folder changed");
    err.to_string().replace(&format!("{}/", spec.display()), &format!("{case}/"))
}

#[test]
fn malformed_yaml_names_file_pointer_and_position() {
    assert_eq!(
        fails("malformed_yaml"),
        "malformed_yaml/v2/openapi.yaml: #/components/schemas/Order/properties: did not find expected ',' or '}' \
         at line 17 column 1, while parsing a flow mapping"
    );
}

#[test]
fn dangling_ref_names_the_pointer() {
    assert_eq!(
        fails("dangling_ref"),
        "dangling_ref/v2/openapi.yaml: #/components/schemas/Payment/oneOf/3: $ref to unknown schema PaidPaymnt"
    );
}

#[test]
fn duplicate_operation_id_names_both_places() {
    assert_eq!(
        fails("duplicate_operation_id"),
        "duplicate_operation_id/v2/things.yaml: #/paths/~1things~1{thingId}/get/operationId: \
         duplicate operationId \"getThing\": also used by GET /things"
    );
}

#[test]
fn one_of_without_discriminator_is_refused() {
    assert_eq!(
        fails("oneof_without_discriminator"),
        "oneof_without_discriminator/v2/openapi.yaml: #/components/schemas/Method/oneOf: oneOf without \
         discriminator: add discriminator.propertyName (and mapping) so each case is chosen by its tag"
    );
}

#[test]
fn names_colliding_after_case_conversion_are_reported() {
    assert_eq!(
        fails("name_collision"),
        "name_collision/v2/openapi.yaml: #/components/schemas/Order/properties/payment_id: fields \
         \"payment_id\" and \"paymentId\" both become the Rust name `payment_id`; rename one"
    );
}

#[test]
fn wrong_type_names_the_pointer() {
    let message = fails("wrong_type");
    assert!(
        message.starts_with("wrong_type/v2/openapi.yaml: #/components/schemas/Order"),
        "unexpected message: {message}"
    );
}

#[test]
fn missing_spec_folder_is_an_error_not_a_panic() {
    let temp = tempfile::tempdir().expect("temp dir");
    let err = portone_codegen::generate(&temp.path().join("nope"), &root().join("templates")).expect_err("must fail");
    assert!(err.to_string().contains("nope"), "{err}");
}
