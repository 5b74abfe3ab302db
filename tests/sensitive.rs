//! Fields and parameters the spec marks `x-sensitive` (credentials, card data) never show
//! in `Debug`. The marks are read from the spec through the generator's model; the SDK's
//! generated test (`generated-sdk/tests/sensitive.rs`) checks each marked struct and
//! request, and this file checks that it covers every mark, plus a few values by hand.

use portone_sdk::v1::types::{CreateVbankBody, OnetimeBody};
use portone_sdk::v2::types::CardCredential;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// A mark: API module, owner (type or operation), wire name.
type Mark = (String, String, String);

/// What the spec marks: (API, type, field) for fields, (API, operationId, parameter) for
/// parameters.
fn marks() -> (Vec<Mark>, Vec<Mark>) {
    let loaded = portone_codegen::load::load_spec_dir(&root().join("spec")).expect("spec loads");
    let (mut fields, mut params) = (Vec::new(), Vec::new());
    for api in &loaded {
        let model = portone_codegen::model::build(api).expect("spec builds");
        for t in &model.types {
            if let portone_codegen::model::TypeKind::Struct(s) = &t.kind {
                for f in s.fields.iter().filter(|f| f.sensitive) {
                    fields.push((model.module.clone(), t.name.clone(), f.wire_name.clone()));
                }
            }
        }
        for op in &model.operations {
            for p in op.params.iter().filter(|p| p.sensitive) {
                params.push((model.module.clone(), op.id.clone(), p.wire_name.clone()));
            }
        }
    }
    (fields, params)
}

fn render(marks: &[Mark]) -> Vec<String> {
    marks.iter().map(|(api, owner, name)| format!("{api}::{owner}.{name}")).collect()
}

#[test]
fn the_spec_marks_credentials_and_card_data() {
    let (fields, params) = marks();
    assert!(!fields.is_empty(), "the spec marks no field x-sensitive");
    let fields = render(&fields);
    let params = render(&params);
    // The marks this SDK promises; the spec may add more, never drop these.
    let expected_fields = [
        "v1::GetTokenBody.imp_secret",
        "v1::AuthAnnotation.access_token",
        "v1::OnetimeBody.card_number",
        "v1::OnetimeBody.expiry",
        "v1::OnetimeBody.birth",
        "v1::OnetimeBody.pwd_2digit",
        "v1::OnetimeBody.cvc",
        "v1::CustomerSaveBody.card_number",
        "v1::CustomerSaveBody.cvc",
        "v1::ScheduleBody.card_number",
        "v1::ScheduleBody.pwd_2digit",
        "v2::CardCredential.number",
        "v2::CardCredential.expiryYear",
        "v2::CardCredential.expiryMonth",
        "v2::CardCredential.birthOrBusinessRegistrationNumber",
        "v2::CardCredential.passwordTwoDigits",
        "v2::LoginViaApiSecretBody.apiSecret",
        "v2::LoginViaApiSecretResponse.accessToken",
        "v2::LoginViaApiSecretResponse.refreshToken",
        "v2::RefreshTokenBody.refreshToken",
    ];
    for expected in expected_fields {
        assert!(fields.iter().any(|f| f == expected), "{expected} is not marked x-sensitive; marked: {fields:#?}");
    }
    assert!(params.iter().any(|p| p == "v1::createVbank.pg_api_key"), "marked parameters: {params:#?}");
    // The key is an identifier, not a secret: it stays visible.
    assert!(!fields.iter().any(|f| f == "v1::GetTokenBody.imp_key"));
}

#[test]
fn the_generated_test_covers_every_mark() {
    let (fields, params) = marks();
    assert!(!fields.is_empty() && !params.is_empty(), "nothing marked: the check would be vacuous");
    let text = std::fs::read_to_string(root().join("generated-sdk/tests/sensitive.json")).expect("sensitive.json");
    let data: Value = serde_json::from_str(&text).expect("JSON");
    for (api, owner, field) in &fields {
        let value = &data["structs"][format!("{api}::{owner}")][field];
        let marker = format!("SENSITIVE-{owner}-{field}-4111111111111111");
        assert_eq!(value.as_str(), Some(marker.as_str()), "{api}::{owner}.{field} is not checked");
    }
    for (api, op, param) in &params {
        let inputs = &data["requests"][format!("{api}::{op}")];
        let marker = Value::String(format!("SENSITIVE-{op}-{param}-4111111111111111"));
        let listed = inputs.as_array().is_some_and(|i| i.contains(&marker));
        assert!(listed, "{api}::{op}({param}) is not checked: {inputs}");
    }
}

/// Fails if `text` shows any of `values`.
fn assert_hidden(what: &str, text: &str, values: &[&str]) {
    for v in values {
        assert!(!text.contains(v), "{what} shows {v:?}: {text}");
    }
}

#[test]
fn a_v1_card_payment_and_its_request_hide_the_card() {
    let mut body = OnetimeBody::new("order-77", 500.0, "4111-1111-1111-1111", "2031-07");
    body.birth = Some("880101".into());
    body.pwd_2digit = Some("42".into());
    body.cvc = Some("987".into());
    let secrets = ["4111-1111-1111-1111", "2031-07", "880101", "\"42\"", "987"];
    for text in [format!("{body:?}"), format!("{body:#?}")] {
        assert_hidden("OnetimeBody", &text, &secrets);
        assert!(text.contains("order-77") && text.contains("cvc: Some(<redacted>)"), "{text}");
    }
    let client = portone_sdk::v1::Client::new("imp-key", "imp-secret").expect("client");
    let request = client.non_auth_payment().onetime(body);
    for text in [format!("{request:?}"), format!("{request:#?}")] {
        assert_hidden("onetime request", &text, &secrets);
        assert!(text.contains("order-77"), "{text}");
    }
}

#[test]
fn a_sensitive_query_parameter_is_hidden_in_its_request() {
    let client = portone_sdk::v1::Client::new("imp-key", "imp-secret").expect("client");
    let body = CreateVbankBody::new("channel-1", "order-9", 1000.0, "004", 1_700_000_000);
    let request = client.vbank().create_vbank(body).pg_api_key("inicis-api-key-Zz9");
    for text in [format!("{request:?}"), format!("{request:#?}")] {
        assert_hidden("createVbank request", &text, &["inicis-api-key-Zz9"]);
        assert!(text.contains("order-9"), "{text}");
    }
    assert!(format!("{request:?}").contains("pg_api_key: Some(<redacted>)"));
}

#[test]
fn a_v2_card_credential_is_hidden() {
    let mut card = CardCredential::new("4111111111111111", "31", "07");
    card.password_two_digits = Some("42".into());
    let text = format!("{:#?}", Some(&card));
    assert_hidden("CardCredential", &text, &["4111111111111111", "\"31\"", "\"07\"", "\"42\""]);
    assert!(text.contains("birth_or_business_registration_number: None"), "{text}");
}
