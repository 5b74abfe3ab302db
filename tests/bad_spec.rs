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
fn only_strings_can_be_marked_sensitive() {
    let message = fails("sensitive_not_a_string");
    for expected in [
        "#/components/schemas/Card/properties/pin/x-sensitive: only string fields and parameters can be marked sensitive",
        "#/components/schemas/Card/properties/cvc/x-sensitive: invalid type: string \"yes\", expected a boolean",
    ] {
        assert!(message.contains(expected), "{expected:?} not in: {message}");
    }
    assert!(!message.contains("properties/number"), "a string may be marked: {message}");
}

#[test]
fn missing_spec_folder_is_an_error_not_a_panic() {
    let temp = tempfile::tempdir().expect("temp dir");
    let err = portone_codegen::generate(&temp.path().join("nope"), &root().join("templates")).expect_err("must fail");
    assert!(err.to_string().contains("nope"), "{err}");
}

/// Odd but parseable inputs give errors or output, never a panic.
#[test]
fn odd_inputs_do_not_panic() {
    let header = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://x.test'}]\n\
                  x-client-auth: s\ncomponents:\n  securitySchemes: {s: {type: http, scheme: PortOne}}\n";
    let cases: &[(&str, &str)] = &[
        ("empty file", ""),
        ("null", "null"),
        ("a list", "[1, 2]"),
        ("not UTF-8 safe text", "\u{0}\u{1}openapi"),
        ("root only", header),
        (
            "symbols as names",
            &format!(
                "{header}  schemas:\n    'a$b': {{type: object, properties: {{'---': {{type: string}}, '': {{type: string}}}}}}\n    '123': {{type: string, enum: ['', '-', '1']}}\npaths: {{}}\n"
            ),
        ),
        (
            "Korean names",
            &format!(
                "{header}  schemas:\n    결제: {{type: object, properties: {{금액: {{type: integer}}}}}}\npaths: {{}}\n"
            ),
        ),
        (
            "path without parameters declared",
            &format!(
                "{header}paths:\n  /a/{{b}}:\n    get:\n      operationId: x\n      x-portone-category: c\n      responses: {{'200': {{description: ok}}}}\n"
            ),
        ),
        (
            "self-referencing alias",
            &format!("{header}  schemas:\n    A: {{$ref: '#/components/schemas/A'}}\npaths: {{}}\n"),
        ),
        (
            "union of itself",
            &format!(
                "{header}  schemas:\n    U: {{oneOf: [{{$ref: '#/components/schemas/U'}}], discriminator: {{propertyName: t}}}}\npaths: {{}}\n"
            ),
        ),
    ];
    for (what, text) in cases {
        let temp = tempfile::tempdir().expect("temp dir");
        let api = temp.path().join("v2");
        std::fs::create_dir_all(&api).expect("mkdir");
        std::fs::write(api.join("openapi.yaml"), text).expect("write");
        let result = std::panic::catch_unwind(|| portone_codegen::generate(temp.path(), &root().join("templates")));
        assert!(result.is_ok(), "{what}: the generator panicked");
    }
}

#[test]
fn enveloped_api_response_must_be_an_envelope() {
    assert_eq!(
        fails("response_not_an_envelope"),
        "response_not_an_envelope/v1/openapi.yaml: #/paths/~1things/get/responses/200/content/application~1json/schema: \
         with x-response-envelope, a success response must $ref an envelope schema"
    );
}

#[test]
fn token_auth_names_an_existing_operation() {
    assert_eq!(
        fails("token_operation_missing"),
        "token_operation_missing/v1/openapi.yaml: #/x-token-auth/operation: no operation \"issueToken\""
    );
}

#[test]
fn token_renewal_is_checked_like_the_login() {
    assert_eq!(
        fails("token_refresh_unsent"),
        "token_refresh_unsent/v2/openapi.yaml: #/x-token-auth/refresh/token: \"refresh_token\" is not a body field of renew"
    );
}

// The operations `x-token-auth` names are sent without credentials even when the spec
// gives them no `security: []`, as PortOne's published descriptions do not.
#[test]
fn token_operations_need_no_security_marker() {
    let fixture =
        std::fs::read_to_string(fixtures().join("bad/token_refresh_unsent/v2/openapi.yaml")).expect("fixture");
    let fixed = fixture.replace("token: refresh_token", "token: refreshToken").replace("      security: []\n", "");
    assert!(!fixed.contains("      security: []"), "the fixture no longer marks either token operation");
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(temp.path().join("v2")).expect("dir");
    std::fs::write(temp.path().join("v2/openapi.yaml"), fixed).expect("write");
    let loaded = portone_codegen::load::load_spec_dir(temp.path()).expect("loads");
    let model = portone_codegen::model::build(&loaded[0]).expect("builds without the marker");
    for id in ["login", "renew"] {
        let op = model.operations.iter().find(|o| o.id == id).expect("operation");
        assert!(!op.authenticated, "{id} would be sent with credentials");
    }
}

#[test]
fn optional_tokens_take_the_secret_as_their_one_credential() {
    assert_eq!(
        fails("token_two_secrets"),
        "token_two_secrets/v2/openapi.yaml: #/x-token-auth/credentials: with an http client scheme, the only credential is the client's secret: name one field"
    );
}

#[test]
fn inline_object_names_taken_name_both_places() {
    assert_eq!(
        fails("inline_name_collision"),
        "inline_name_collision/v2/openapi.yaml: #/components/schemas/Order/properties/shipping: this inline \
         object's type would be `OrderShipping` (parent and property), the name of schema \"OrderShipping\" at \
         inline_name_collision/v2/shipping.yaml: #/components/schemas/OrderShipping; rename one, or name this \
         object under components/schemas and $ref it\n\
         inline_name_collision/v2/shipping.yaml: #/components/schemas/OrderShipping/properties/address/items: this \
         inline object's type would be `OrderShippingAddress` (parent and property), the name of the inline object \
         at inline_name_collision/v2/openapi.yaml: #/components/schemas/Order/properties/shippingAddress; rename \
         one, or name this object under components/schemas and $ref it"
    );
}

/// The model of `fixtures/dialect/`, the constructs of PortOne's published V2
/// description that the generator reads as they are.
fn dialect() -> portone_codegen::model::Api {
    let loaded = portone_codegen::load::load_spec_dir(&fixtures().join("dialect")).expect("loads");
    portone_codegen::model::build(&loaded[0])
        .unwrap_or_else(|e| panic!("the dialect fixture builds: {}", portone_codegen::Error::from(e)))
}

/// The type of field `wire` of struct `name`.
fn field_type(api: &portone_codegen::model::Api, name: &str, wire: &str) -> portone_codegen::model::TypeRef {
    let def = api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}"));
    let portone_codegen::model::TypeKind::Struct(s) = &def.kind else { panic!("{name} is not a struct") };
    s.fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("no field {name}.{wire}")).ty.clone()
}

#[test]
fn inline_objects_in_properties_are_named_after_parent_and_property() {
    use portone_codegen::model::TypeRef::{Array, Named};
    let api = dialect();
    let named = |n: &str| Named(n.to_string());
    assert_eq!(field_type(&api, "Order", "shipping"), named("OrderShipping"));
    assert_eq!(field_type(&api, "OrderShipping", "geo"), named("OrderShippingGeo"));
    assert_eq!(field_type(&api, "Order", "lines"), Array(Box::new(named("OrderLines"))));
    assert_eq!(field_type(&api, "Order", "meta"), named("OrderMeta"));
    assert_eq!(field_type(&api, "Widget", "grid"), Array(Box::new(Array(Box::new(named("WidgetGrid"))))));
    let shipping = api.types.iter().find(|t| t.name == "OrderShipping").expect("OrderShipping");
    assert_eq!(shipping.schema_name, "Order.shipping");
    assert_eq!(shipping.module.name, "order", "placed with the operations that reach it");
    let card = api.types.iter().find(|t| t.name == "CreateOrderBodyCard").expect("CreateOrderBodyCard");
    assert!(card.direction.request && !card.direction.response, "{:?}", card.direction);
}

#[test]
fn properties_beside_type_array_are_ignored() {
    use portone_codegen::model::{TypeKind, TypeRef};
    let api = dialect();
    let groups = TypeRef::Array(Box::new(TypeRef::Named("ProductGroup".into())));
    assert_eq!(field_type(&api, "ProductGroupList", "groups"), groups);
    let tags = api.types.iter().find(|t| t.name == "Tags").expect("Tags");
    assert_eq!(tags.kind, TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::Named("Tag".into())))));
    assert!(!api.types.iter().any(|t| t.name == "ProductGroupListGroups" || t.name == "TagsLabel"));
}

#[test]
fn operations_without_a_category_take_one_from_their_path_with_a_warning() {
    let api = dialect();
    let category = |id: &str| api.operations.iter().find(|o| o.id == id).expect("operation").category.clone();
    assert_eq!(category("getOrder"), "order", "its own");
    assert_eq!(category("createOrder"), "order", "/orders names the declared order");
    assert_eq!(category("listProductGroups"), "catalog.productGroup", "/v2/product-groups, nested");
    assert_eq!(category("getWidget"), "widgets", "a new category");
    let placed: Vec<_> = api.warnings.iter().filter(|w| w.message.starts_with("x-portone-category is missing")).collect();
    let warned: Vec<&str> = placed.iter().map(|w| w.location.as_str()).collect();
    assert_eq!(
        warned,
        ["#/paths/~1orders/post", "#/paths/~1v2~1product-groups/get", "#/paths/~1widgets~1{widgetId}/get"]
    );
    assert!(placed.iter().all(|w| w.file.ends_with("dialect/v2/openapi.yaml")));
}

// Every `x-` key the generator does not read at its place is an error naming the file
// and the pointer, so a typo cannot pass for a setting; PortOne's own metadata
// (`x-portone-title`, `x-portone-description`, `x-portone-status-code`) is accepted.
#[test]
fn unknown_extensions_name_file_and_pointer() {
    let known = "every extension is listed in generator/src/load/extensions.rs)";
    let message = fails("unknown_extension");
    let expected = [
        format!(
            "unknown_extension/v2/openapi.yaml: #/components/schemas/Thing/properties/id/x-senstive: unknown \
             extension \"x-senstive\" on a property: a typo of \"x-sensitive\"? (known here: x-sensitive; {known}"
        ),
        format!(
            "unknown_extension/v2/openapi.yaml: #/components/schemas/Thing/x-sensitive: extension \"x-sensitive\" \
             is not read on a schema, only on a parameter, a property (known here: x-enum-descriptions, \
             x-enum-varnames, x-portone-case-by-field, x-portone-status-code, x-portone-enum, \
             x-portone-discriminator; {known}"
        ),
        format!(
            "unknown_extension/v2/openapi.yaml: #/x-client-default: unknown extension \"x-client-default\" on the \
             document root: a typo of \"x-client-defaults\"? (known here: x-client-auth, x-token-auth, \
             x-response-envelope, x-api-feature, x-client-defaults, x-default-features, x-portone-categories, \
             x-idempotency-key-header, x-retryable-error-types; {known}"
        ),
        "unknown_extension/v2/things.yaml: #/paths/~1things/get/parameters/0/x-portone-query-or-body/named: \
         unknown field `named`, expected `enabled` or `required`"
            .to_string(),
        format!(
            "unknown_extension/v2/things.yaml: #/paths/~1things/get/parameters/1/x-sensitiv: unknown extension \
             \"x-sensitiv\" on a parameter: a typo of \"x-sensitive\"? (known here: x-portone-query-or-body, \
             x-sensitive; {known}"
        ),
        format!(
            "unknown_extension/v2/things.yaml: #/paths/~1things/get/x-portone-categroy: unknown extension \
             \"x-portone-categroy\" on an operation: a typo of \"x-portone-category\"? (known here: \
             x-portone-category, x-portone-error, x-portone-unstable, x-portone-pagination; {known}"
        ),
        format!(
            "unknown_extension/v2/things.yaml: #/paths/~1things/x-portone-category: extension \
             \"x-portone-category\" is not read on a path item, only on an operation (known here: none; {known}"
        ),
    ];
    // `x-logo` on info is far from every key the generator knows: a warning, not listed here.
    assert_eq!(message, expected.join("\n"));
}

// A file may repeat a security scheme of the root file (PortOne's published description
// names the schemes its operations use), but only as the same scheme.
#[test]
fn a_copy_of_a_root_security_scheme_must_agree_with_it() {
    assert_eq!(
        fails("scheme_copy_differs"),
        "scheme_copy_differs/v2/things.yaml: #/components/securitySchemes/secret: security scheme secret differs \
         from the one in scheme_copy_differs/v2/openapi.yaml (only descriptions and the case of an http scheme may \
         differ); make the two agree"
    );
}

// The page-number stream reads `number`, `size` and `totalCount` of the page info and
// writes `number` and `size` of the page input: a missing or mistyped one is a spec
// error at the extension, not a compile error in the generated SDK.
#[test]
fn page_fields_are_checked_against_the_schemas() {
    let at = "pagination_fields/v2/openapi.yaml: #/paths";
    assert_eq!(
        fails("pagination_fields"),
        [
            format!(
                "{at}/~1formats/post/x-portone-pagination: `number` and `size` of body field \"page\" and of \
                 response field \"page\" must have the same integer formats: the next page is asked for with the \
                 numbers the last one came with"
            ),
            format!(
                "{at}/~1good-input/post/x-portone-pagination/page-info: response field \"page\" must have required \
                 integer fields `number`, `size` and `totalCount`"
            ),
            format!(
                "{at}/~1things/post/x-portone-pagination/page-input: body field \"page\" (PageInput) must have \
                 optional integer fields `number` and `size`, and no required ones"
            ),
        ]
        .join("\n")
    );
}

#[test]
fn a_path_part_must_name_a_path_parameter() {
    // `{thingId}` is declared, but as a query parameter: the path has no value for it.
    assert_eq!(
        fails("path_part_names_no_parameter"),
        "path_part_names_no_parameter/v2/things.yaml: #/paths/~1things~1{thingId}~1parts/get: \
         path template names {thingId} but no path parameter \"thingId\" is declared"
    );
}
