//! No secret ever shows in `Debug` or `Display` of a client, its builder, a request, a
//! webhook verifier, or an error about a bad secret.

use portone_sdk::v2::Client;
use portone_sdk::v2::types::CancelPaymentBody;
use portone_sdk::webhook::Verifier;

mod support;

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

/// A server on 127.0.0.1 answering every request with `status` and `body`.
async fn answering(status: u16, body: serde_json::Value) -> wiremock::MockServer {
    let server = support::loopback_server().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn v2_client(server: &wiremock::MockServer) -> Client {
    Client::builder(API_SECRET)
        .base_url(server.uri())
        .http_client(support::direct_http())
        .max_retries(0)
        .build()
        .expect("client")
}

// Calling a token operation directly: an answer that cannot be decoded, or an error answer,
// is kept in the error with every token and credential field masked, and the error's
// Debug shows no body at all.
#[tokio::test]
async fn token_operation_answers_are_masked_in_errors() {
    use portone_sdk::v2::types::LoginViaApiSecretBody;
    const ACCESS: &str = "at-Live-Access-Token-8812";
    const REFRESH: &str = "rt-Live-Refresh-Token-7713";
    // `refreshToken` of the wrong type: the answer cannot be decoded, yet holds a live token.
    let server = answering(200, serde_json::json!({"accessToken": ACCESS, "refreshToken": 7, "note": REFRESH})).await;
    let err = v2_client(&server).auth().login_via_api_secret(LoginViaApiSecretBody::new(API_SECRET)).await;
    let err = err.expect_err("undecodable");
    let kept = String::from_utf8_lossy(err.body().expect("the answer is kept")).into_owned();
    assert!(kept.contains("<redacted>") && kept.contains(REFRESH), "masked, other fields kept: {kept}");
    for text in [format!("{err}"), format!("{err:?}"), format!("{err:#?}"), kept] {
        assert_hidden("login decode error", &text, ACCESS);
    }

    let server = answering(401, serde_json::json!({"type": "UNAUTHORIZED", "apiSecret": API_SECRET})).await;
    let err = v2_client(&server).auth().login_via_api_secret(LoginViaApiSecretBody::new(API_SECRET)).await;
    let err = err.expect_err("refused");
    let kept = String::from_utf8_lossy(err.body().expect("the answer is kept")).into_owned();
    for text in [format!("{err}"), format!("{err:?}"), format!("{err:#?}"), kept] {
        assert_hidden("login API error", &text, API_SECRET);
    }

    // V1's getToken alike.
    let data = serde_json::json!({"access_token": ACCESS, "now": "not a number", "expired_at": 1});
    let server = answering(200, serde_json::json!({"code": 0, "message": null, "response": data})).await;
    let v1 = portone_sdk::v1::Client::builder("imp-key", IMP_SECRET)
        .base_url(server.uri())
        .http_client(support::direct_http())
        .build()
        .expect("client");
    let body = portone_sdk::v1::types::GetTokenBody::new("imp-key", IMP_SECRET);
    let err = v1.auth().get_token(body).await.expect_err("undecodable");
    let kept = String::from_utf8_lossy(err.body().expect("kept")).into_owned();
    for text in [format!("{err}"), format!("{err:?}"), format!("{err:#?}"), kept] {
        assert_hidden("getToken decode error", &text, ACCESS);
    }
}

// An ordinary operation's error keeps its body as received, but Debug shows only its length.
#[tokio::test]
async fn error_debug_shows_the_body_length_not_the_body() {
    let body = serde_json::json!({"type": "INVALID_REQUEST", "message": "customer Kim Minji", "holder": "Lee Seoyeon"});
    let server = answering(400, body).await;
    let err = v2_client(&server).payment().get_payment("p").await.expect_err("400");
    assert!(String::from_utf8_lossy(err.body().expect("kept")).contains("Lee Seoyeon"));
    let debug = format!("{err:?}");
    assert!(debug.contains("bytes>"), "{debug}");
    // `holder` is in the body only (the decoded case has no such field): absent from Debug.
    for debug in [debug.clone(), format!("{err:#?}")] {
        assert!(!debug.contains("Lee Seoyeon") && !debug.contains("holder"), "{debug}");
    }
    // The decoded error case still shows: only the raw body is left out.
    assert!(debug.contains("InvalidRequest"), "{debug}");
}
