//! The escape hatch and extra headers: `client.raw(method, path)` reaches an endpoint the
//! spec lacks with the client's credentials, retries and headers; `default_header` and a
//! call's `header` add headers, never over the SDK's own, and never into `Debug`.

use portone_sdk::reqwest::{Method, StatusCode};
use portone_sdk::v2::Client;
use portone_sdk::{ConfigError, Error, ErrorCase};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server};

const SECRET: &str = "sk-escape-hatch-do-not-print";

async fn start() -> (MockServer, Client) {
    let server = loopback_server().await;
    let client = Client::builder(SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .default_header("X-Team", "checkout")
        .build()
        .expect("client");
    (server, client)
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Coupon {
    id: String,
    percent: u8,
}

#[tokio::test]
async fn raw_requests_carry_credentials_query_body_and_headers_and_decode_typed_or_json() {
    let (server, client) = start().await;
    Mock::given(method("POST"))
        .and(path("/coupons/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c-1", "percent": 10})))
        .mount(&server)
        .await;
    let coupon = client
        .raw(Method::POST, "/coupons/new")
        .query("storeId", "store-1")
        .json(&json!({"percent": 10}))
        .header("X-Trace", "t-1")
        .send::<Coupon>()
        .await
        .expect("typed answer");
    assert_eq!(coupon.body(), &Coupon { id: "c-1".into(), percent: 10 });
    assert!(coupon.idempotency_key().is_some(), "a POST carries a key like the generated ones");

    let seen = &server.received_requests().await.expect("recorded")[0];
    let header = |name: &str| seen.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("authorization").as_deref(), Some(format!("PortOne {SECRET}").as_str()));
    assert_eq!(header("x-team").as_deref(), Some("checkout"));
    assert_eq!(header("x-trace").as_deref(), Some("t-1"));
    assert_eq!(seen.url.query(), Some("storeId=store-1"));
    assert_eq!(serde_json::from_slice::<Value>(&seen.body).expect("JSON"), json!({"percent": 10}));

    Mock::given(method("GET"))
        .and(path("/coupons/c-1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"type": "COUPON_NOT_FOUND", "message": "none"})))
        .mount(&server)
        .await;
    match client.raw(Method::GET, "/coupons/c-1").send::<Value>().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), StatusCode::NOT_FOUND);
            assert_eq!(e.error.tag(), Some("COUPON_NOT_FOUND"));
            assert_eq!(e.operation(), "raw");
        }
        other => panic!("expected the untyped API error: {other:?}"),
    }
}

#[tokio::test]
async fn raw_retries_like_the_generated_calls() {
    let (server, client) = start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let answer = client.raw(Method::GET, "/anything").send::<Value>().await.expect("second attempt");
    assert_eq!(answer.body(), &json!({"ok": true}));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test]
async fn bad_paths_and_headers_are_input_errors_and_nothing_is_sent() {
    let (server, client) = start().await;
    for bad in ["coupons", "/coupons?x=1", "/a b", "/a#b"] {
        let outcome = client.raw(Method::GET, bad).send::<Value>().await;
        assert!(matches!(outcome, Err(Error::InvalidInput(_))), "{bad}: {outcome:?}");
    }
    for (name, value) in
        [("Authorization", "Bearer mine"), ("Idempotency-Key", "k"), ("bad name", "v"), ("X-Ok", "line\nbreak")]
    {
        let outcome = client.payment().get_payment("pay-1").header(name, value).await;
        assert!(matches!(outcome, Err(Error::InvalidInput(_))), "{name}: {outcome:?}");
    }
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing was sent");
}

#[tokio::test]
async fn client_headers_are_checked_when_the_client_is_built_and_hidden_from_debug() {
    let err =
        Client::builder(SECRET).default_header("Authorization", "Bearer x").build().expect_err("SDK's own header");
    assert!(matches!(&err, ConfigError::InvalidHeader { name, .. } if name == "Authorization"), "{err}");
    assert!(!err.to_string().contains("Bearer x"), "the value is not in the error: {err}");

    let request = Client::builder(SECRET)
        .build()
        .expect("client")
        .payment()
        .get_payment("pay-1")
        .header("X-Partner-Token", "partner-secret-123");
    let printed = format!("{request:?}");
    assert!(printed.contains("X-Partner-Token") && !printed.contains("partner-secret-123"), "{printed}");
}
