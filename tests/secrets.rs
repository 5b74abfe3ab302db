//! No secret ever shows in `Debug` or `Display` of a client, its builder, a request, a
//! webhook verifier, or an error about a bad secret.

use portone_sdk::v2::Client;
use portone_sdk::v2::types::CancelPaymentBody;
use portone_sdk::webhook::Verifier;

const API_SECRET: &str = "api-secret-V3ry-5ecret-value-0042";
const WEBHOOK_SECRET: &str = "whsec_c2VjcmV0LXdlYmhvb2sta2V5LTEyMzQ1Njc4OTA=";

/// Fails if `text` contains the secret or a long piece of it.
fn assert_hidden(what: &str, text: &str, secret: &str) {
    for window in secret.as_bytes().windows(8) {
        let piece = std::str::from_utf8(window).expect("ascii secret");
        assert!(!text.contains(piece), "{what} shows part of the secret ({piece:?}): {text}");
    }
}

#[test]
fn client_builder_client_and_requests_hide_the_api_secret() {
    let builder = Client::builder(API_SECRET).store_id("store-1");
    assert_hidden("ClientBuilder {:?}", &format!("{builder:?}"), API_SECRET);
    assert_hidden("ClientBuilder {:#?}", &format!("{builder:#?}"), API_SECRET);
    let client = builder.build().expect("client");
    assert_hidden("Client {:?}", &format!("{client:?}"), API_SECRET);
    assert_hidden("Client {:#?}", &format!("{client:#?}"), API_SECRET);
    let request = client.payment().cancel_payment("p", CancelPaymentBody::new("r")).idempotency_key("k");
    assert_hidden("request {:?}", &format!("{request:?}"), API_SECRET);
    // The store id is not a secret and does show: the check above is not vacuous.
    assert!(format!("{client:?}").contains("store-1"));
}

#[test]
fn a_client_in_access_token_mode_hides_the_api_secret() {
    // Unlike API_SECRET, no piece of this one appears in the login path `/login/api-secret`.
    const SECRET: &str = "sk-Tok3n-Mode-Value-9981-zzq";
    let builder = Client::builder(SECRET).access_tokens();
    assert_hidden("ClientBuilder (tokens) {:#?}", &format!("{builder:#?}"), SECRET);
    let client = builder.build().expect("client");
    assert_hidden("Client (tokens) {:#?}", &format!("{client:#?}"), SECRET);
    // The builder shows its settings (the login operation among them): the checks are not vacuous.
    assert!(format!("{:?}", Client::builder(SECRET).access_tokens()).contains("loginViaApiSecret"));
}

#[test]
fn a_rejected_secret_is_not_echoed() {
    let bad = format!("{API_SECRET}\nInjected: header");
    let err = Client::new(bad.clone()).expect_err("a line break cannot go in a header");
    assert_hidden("ConfigError {:?}", &format!("{err:?}"), API_SECRET);
    assert_hidden("ConfigError {}", &err.to_string(), API_SECRET);
}

#[test]
fn webhook_verifier_hides_its_secret() {
    let verifier = Verifier::new(WEBHOOK_SECRET).expect("valid secret");
    let key = WEBHOOK_SECRET.trim_start_matches("whsec_");
    assert_hidden("Verifier {:?}", &format!("{verifier:?}"), key);
    assert_hidden("Verifier {:#?}", &format!("{verifier:#?}"), key);

    let err = Verifier::new("whsec_zz**qq%%bad-key-material").expect_err("invalid");
    assert_hidden("WebhookError {:?}", &format!("{err:?}"), "zz**qq%%bad-key-material");
    assert_hidden("WebhookError {}", &err.to_string(), "zz**qq%%bad-key-material");
}

const IMP_SECRET: &str = "imp-secret-Sh0uld-n3ver-Be-Printed-77";

#[test]
fn v1_client_builder_client_and_requests_hide_imp_secret() {
    let builder = portone_sdk::v1::Client::builder("imp-key-1234", IMP_SECRET).tier("T01");
    assert_hidden("v1 ClientBuilder {:?}", &format!("{builder:?}"), IMP_SECRET);
    assert_hidden("v1 ClientBuilder {:#?}", &format!("{builder:#?}"), IMP_SECRET);
    let client = builder.build().expect("client");
    assert_hidden("v1 Client {:?}", &format!("{client:?}"), IMP_SECRET);
    assert_hidden("v1 Client {:#?}", &format!("{client:#?}"), IMP_SECRET);
    let request = client.payment().get_payment_by_imp_uid("imp_1");
    assert_hidden("v1 request {:?}", &format!("{request:?}"), IMP_SECRET);
    // The key is not secret and the tier shows: the checks above are not vacuous.
    assert!(format!("{client:?}").contains("T01"));
}
