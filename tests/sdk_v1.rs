//! The V1 client against wiremock on 127.0.0.1: the token lifecycle (reuse, renewal,
//! clock skew, single flight, one renewal on 401), the envelope (`code != 0` under 200,
//! errors with and without an envelope, HTML from a proxy), the `Tier` header, path
//! escaping, list query parameters, and decoding of unknown fields and values.

use portone_sdk::v1::Client;
use portone_sdk::v1::types::{
    CancelPaymentBody, CustomerOrSuperBillingKey, EditPreparePaymentBody, NaverReviewType, PayMethod, PaymentStatus,
    PaymentStatusFilter,
};
use portone_sdk::{Error, ErrorCase, RetryPolicy, reqwest};
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server as server, requests_to};

const TOKEN_PATH: &str = "/users/getToken";

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_secs() as i64
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client")
}

fn builder(server: &MockServer) -> portone_sdk::v1::ClientBuilder {
    let http = direct_http();
    let fast = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
    };
    Client::builder("imp-key", "imp-secret").base_url(server.uri()).http_client(http).retry_policy(fast)
}

/// `{code: 0, message: null, response: data}`.
fn envelope(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "code": 0, "message": null, "response": data }))
}

/// Issue tokens `token-1`, `token-2`, ... living `lifetime` seconds by a server clock at `now`.
struct Tokens {
    lifetime: i64,
    now: i64,
    issued: std::sync::atomic::AtomicU64,
}

impl wiremock::Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        envelope(
            json!({ "access_token": format!("token-{n}"), "now": self.now, "expired_at": self.now + self.lifetime }),
        )
    }
}

async fn issue_tokens(server: &MockServer, lifetime: i64, now: i64) {
    let tokens = Tokens { lifetime, now, issued: Default::default() };
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(tokens).mount(server).await;
}

fn payment(imp_uid: &str) -> Value {
    json!({
        "imp_uid": imp_uid, "merchant_uid": "order-1", "amount": 1000, "cancel_amount": 0,
        "currency": "KRW", "status": "paid", "sandbox": false, "pay_method": "card"
    })
}

async fn serve_payments(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(envelope(payment("imp_1")))
        .mount(server)
        .await;
}

fn auth_header(r: &Request) -> String {
    r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

// The token is fetched once with the credentials as JSON, sent as the whole Authorization
// value, and reused by later calls.
#[tokio::test]
async fn the_token_is_fetched_once_and_reused() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    serve_payments(&server).await;
    let client = client(&server);
    for _ in 0..3 {
        let p = client.payment().get_payment_by_imp_uid("imp_1").await.expect("payment");
        assert_eq!(p.imp_uid, "imp_1");
    }
    let token_calls = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(token_calls.len(), 1);
    let body: Value = serde_json::from_slice(&token_calls[0].body).expect("JSON body");
    assert_eq!(body, json!({ "imp_key": "imp-key", "imp_secret": "imp-secret" }));
    assert!(token_calls[0].headers.get("authorization").is_none(), "getToken is sent without a token");
    let calls = requests_to(&server, "/payments/imp_1").await;
    assert_eq!(calls.len(), 3);
    assert!(
        calls.iter().all(|r| auth_header(r) == "token-1"),
        "{:?}",
        calls.iter().map(auth_header).collect::<Vec<_>>()
    );
}

// A token is renewed ahead of its expiry: with a 2 s lifetime, renewal is due after 1 s.
// The call that finds it due is not held up: it still uses the valid token while the
// renewal runs in the background, and the calls after it get the new token.
#[tokio::test]
async fn the_token_is_renewed_before_it_expires() {
    let server = server().await;
    issue_tokens(&server, 2, unix_now()).await;
    serve_payments(&server).await;
    let client = client(&server);
    client.payment().get_payment_by_imp_uid("imp_1").await.expect("first call");
    client.payment().get_payment_by_imp_uid("imp_1").await.expect("second call, same token");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.payment().get_payment_by_imp_uid("imp_1").await.expect("third call, still the valid token");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while requests_to(&server, TOKEN_PATH).await.len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "one renewal in the background");
    // Let the renewal's answer be stored before the next call looks.
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.payment().get_payment_by_imp_uid("imp_1").await.expect("fourth call, renewed token");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    let calls = requests_to(&server, "/payments/imp_1").await;
    assert_eq!(auth_header(&calls[2]), "token-1");
    assert_eq!(auth_header(&calls[3]), "token-2");
}

// The server's clock a day behind ours (or ahead) does not make a fresh token look
// expired (or an old one fresh): only the server's own `expired_at - now` counts.
#[tokio::test]
async fn clock_skew_does_not_matter() {
    for skew in [-86_400, 86_400] {
        let server = server().await;
        issue_tokens(&server, 1800, unix_now() + skew).await;
        serve_payments(&server).await;
        let client = client(&server);
        for _ in 0..3 {
            client.payment().get_payment_by_imp_uid("imp_1").await.expect("payment");
        }
        assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "skew {skew}");
    }
}

// Fifty calls started together with no token cause exactly one getToken.
#[tokio::test]
async fn concurrent_calls_share_one_token_request() {
    let server = server().await;
    let tokens = Tokens { lifetime: 1800, now: unix_now(), issued: Default::default() };
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(SlowTokens(tokens)).mount(&server).await;
    serve_payments(&server).await;
    let client = client(&server);
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.payment().get_payment_by_imp_uid("imp_1").await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.expect("task").expect("payment");
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    assert_eq!(requests_to(&server, "/payments/imp_1").await.len(), 50);
}

/// Tokens issued after a delay, so that callers pile up while one is being fetched.
struct SlowTokens(Tokens);

impl wiremock::Respond for SlowTokens {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request).set_delay(Duration::from_millis(200))
    }
}

// A 401 renews the token once and repeats the call once.
#[tokio::test]
async fn a_401_renews_the_token_and_repeats_once() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .and(header("authorization", "token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": -1, "message": "Unauthorized"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .and(header("authorization", "token-2"))
        .respond_with(envelope(payment("imp_1")))
        .mount(&server)
        .await;
    let client = client(&server);
    client.payment().get_payment_by_imp_uid("imp_1").await.expect("repeated with a new token");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, "/payments/imp_1").await.len(), 2);
}

// A server that refuses every token gets one renewal and one repeat, then the 401 is the
// caller's: never a loop.
#[tokio::test]
async fn a_401_never_loops() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": -1, "message": "Unauthorized"})))
        .mount(&server)
        .await;
    let err = client(&server).payment().get_payment_by_imp_uid("imp_1").await.expect_err("refused");
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(err.api_error().map(|e| e.code()), Some(-1));
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, "/payments/imp_1").await.len(), 2);
}

// getToken refusing the credentials is an authentication error that says so, keeps the
// response, and the call itself is never sent.
#[tokio::test]
async fn a_get_token_failure_is_an_authentication_error() {
    let server = server().await;
    let refusal = json!({ "code": -1, "message": "imp_key or imp_secret is wrong", "response": null });
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(refusal))
        .mount(&server)
        .await;
    serve_payments(&server).await;
    let err = client(&server).payment().get_payment_by_imp_uid("imp_1").await.expect_err("no token");
    let Error::Auth(auth) = &err else { panic!("expected an authentication error, got {err:?}") };
    assert_eq!(auth.operation(), "getPaymentByImpUid");
    assert_eq!(auth.token_operation(), "getToken");
    assert_eq!(auth.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert!(auth.body().is_some_and(|b| String::from_utf8_lossy(b).contains("imp_secret is wrong")));
    let text = err.to_string();
    assert!(text.contains("authentication failed") && text.contains("imp_key or imp_secret is wrong"), "{text}");
    assert!(!text.contains("imp-secret"), "the secret itself is never shown: {text}");
    assert!(requests_to(&server, "/payments/imp_1").await.is_empty());
}

// `code != 0` under HTTP 200 is an API error with the code, message, status and raw body.
#[tokio::test]
async fn a_non_zero_code_under_200_is_an_api_error() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let body = json!({ "code": 1, "message": "No such payment", "response": null });
    Mock::given(method("GET"))
        .and(path("/payments/imp_404"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let err = client(&server).payment().get_payment_by_imp_uid("imp_404").await.expect_err("code 1");
    let Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.status(), reqwest::StatusCode::OK);
    assert_eq!(api.error().code(), 1);
    assert_eq!(ErrorCase::message(api.error()), Some("No such payment"));
    assert_eq!(serde_json::from_slice::<Value>(api.body()).expect("raw body"), body);
    assert!(err.to_string().contains("code 1: No such payment"), "{err}");
}

// A 4xx with an envelope is an API error; one without (plain text) is a decode error
// that keeps the status and body.
#[tokio::test]
async fn client_errors_with_and_without_an_envelope() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_a"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"code": -1, "message": "not found"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_b"))
        .respond_with(ResponseTemplate::new(400).set_body_string("Bad Request"))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.payment().get_payment_by_imp_uid("imp_a").await.expect_err("404");
    let Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!((api.status().as_u16(), api.error().code()), (404, -1));
    let err = client.payment().get_payment_by_imp_uid("imp_b").await.expect_err("400");
    let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!((decode.status().as_u16(), decode.body()), (400, &b"Bad Request"[..]));
    // A 4xx is never retried.
    assert_eq!(requests_to(&server, "/payments/imp_b").await.len(), 1);
}

// HTML from a proxy is a decode error that names the operation and keeps the page.
#[tokio::test]
async fn an_html_502_is_a_decode_error_with_the_raw_body() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(502).set_body_string(page))
        .mount(&server)
        .await;
    let err = client(&server).payment().get_payment_by_imp_uid("imp_1").await.expect_err("502");
    let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(decode.operation(), "getPaymentByImpUid");
    assert_eq!(decode.status().as_u16(), 502);
    assert_eq!(decode.body_text(), page);
    // A GET is retried on 502: the first attempt and two retries.
    assert_eq!(requests_to(&server, "/payments/imp_1").await.len(), 3);
}

// V1 has no idempotency key: a POST that reached the server is not repeated after a 500.
#[tokio::test]
async fn a_post_is_not_retried_after_a_500() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"code": -1, "message": "internal"})))
        .mount(&server)
        .await;
    let body = CancelPaymentBody::new().with_imp_uid("imp_1").with_reason("customer asked");
    let err = client(&server).payment().cancel_payment().body(body).await.expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    let sent = requests_to(&server, "/payments/cancel").await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].headers.get("idempotency-key").is_none());
    let json: Value = serde_json::from_slice(&sent[0].body).expect("JSON body");
    assert_eq!(json, json!({ "imp_uid": "imp_1", "reason": "customer asked" }));
}

// Nor after a timeout: the server may have acted on it.
#[tokio::test]
async fn a_post_is_not_retried_after_a_timeout() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(envelope(json!({})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let body = CancelPaymentBody::new().with_imp_uid("imp_1");
    let err = client(&server)
        .payment()
        .cancel_payment()
        .body(body)
        .attempt_timeout(Duration::from_millis(200))
        .await
        .expect_err("timed out");
    assert!(matches!(&err, Error::Transport(t) if t.is_timeout()), "{err:?}");
    assert_eq!(requests_to(&server, "/payments/cancel").await.len(), 1);
}

// The Tier header: the client's on every call, a call's own instead when given, and not
// on getToken.
#[tokio::test]
async fn the_tier_header_per_client_and_per_call() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    serve_payments(&server).await;
    let plain = client(&server);
    plain.payment().get_payment_by_imp_uid("imp_1").await.expect("no tier");
    let tiered = builder(&server).tier("T01").build().expect("client");
    tiered.payment().get_payment_by_imp_uid("imp_1").await.expect("client tier");
    tiered.payment().get_payment_by_imp_uid("imp_1").tier("T02").await.expect("call tier");
    plain.payment().get_payment_by_imp_uid("imp_1").tier("T03").await.expect("call tier only");
    let tiers: Vec<Option<String>> = requests_to(&server, "/payments/imp_1")
        .await
        .iter()
        .map(|r| r.headers.get("tier").and_then(|v| v.to_str().ok()).map(str::to_owned))
        .collect();
    assert_eq!(tiers, [None, Some("T01".into()), Some("T02".into()), Some("T03".into())]);
    assert!(requests_to(&server, TOKEN_PATH).await.iter().all(|r| r.headers.get("tier").is_none()));
}

// A merchant_uid with `/`, `?`, `#`, spaces and Korean stays one path segment.
#[tokio::test]
async fn path_values_are_escaped_as_whole_segments() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET"))
        .and(path("/payments/find/order%2F1%3Fa%23b%20%EC%A3%BC%EB%AC%B8/paid"))
        .respond_with(envelope(payment("imp_1")))
        .mount(&server)
        .await;
    let client = client(&server);
    let p = client
        .payment()
        .get_payment_by_merchant_uid("order/1?a#b 주문", PaymentStatus::Paid)
        .await
        .expect("escaped path");
    assert_eq!(p.imp_uid, "imp_1");
    let err = client.payment().get_payment_by_merchant_uid("..", PaymentStatus::Paid).await.expect_err("..");
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
}

// A list query parameter repeats its name per item (`imp_uid[]=a&imp_uid[]=b`).
#[tokio::test]
async fn list_parameters_repeat_the_name() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .respond_with(envelope(json!([payment("imp_a"), payment("imp_b")])))
        .mount(&server)
        .await;
    let list = client(&server)
        .payment()
        .get_payment_list_by_imp_uid()
        .imp_uid(vec!["imp_a".into(), "imp_b".into()])
        .await
        .expect("list");
    assert_eq!(list.len(), 2);
    let sent = requests_to(&server, "/payments").await;
    assert_eq!(sent[0].url.query(), Some("imp_uid%5B%5D=imp_a&imp_uid%5B%5D=imp_b"));
}

// Fields PortOne adds later are ignored, values it adds later are kept.
#[tokio::test]
async fn unknown_fields_and_values_in_a_payment_are_kept_or_ignored() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let mut p = payment("imp_1");
    p["status"] = json!("partial_refunded");
    p["pay_method"] = json!("quantum_wallet");
    p["a_field_added_later"] = json!({ "nested": [1, 2] });
    Mock::given(method("GET"))
        .and(path("/payments/status/all"))
        .and(query_param("limit", "2"))
        .respond_with(envelope(json!({ "total": 1, "previous": 0, "next": 0, "list": [p] })))
        .mount(&server)
        .await;
    let page = client(&server).payment().get_payments_by_status(PaymentStatusFilter::All).limit(2).await.expect("page");
    let p = &page.list.as_ref().expect("list")[0];
    assert_eq!(p.status, PaymentStatus::Unrecognized("partial_refunded".into()));
    assert_eq!(p.pay_method, Some(PayMethod::Unrecognized("quantum_wallet".into())));
}

// A billing key response is a regular or a super billing key, told apart by `channelGroupId`.
#[tokio::test]
async fn regular_and_super_billing_keys_are_told_apart() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let regular = json!({
        "customer_uid": "c1", "pg_provider": "nice", "pg_id": "m", "card_name": "X", "inserted": 1,
        "updated": 2, "sandbox": true
    });
    let sup = json!({ "customer_uid": "c2", "channelGroupId": "g", "succeededChannels": [] });
    Mock::given(method("GET"))
        .and(path("/subscribe/customers/c1"))
        .respond_with(envelope(regular))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/subscribe/customers/c2")).respond_with(envelope(sup)).mount(&server).await;
    let client = client(&server);
    let c1 = client.billingkey().customer_view("c1").await.expect("regular");
    assert!(matches!(c1, CustomerOrSuperBillingKey::Customer(ref c) if c.customer_uid == "c1"), "{c1:?}");
    let c2 = client.billingkey().customer_view("c2").await.expect("super");
    assert!(matches!(c2, CustomerOrSuperBillingKey::SuperBillingKey(ref c) if c.channel_group_id == "g"), "{c2:?}");
}

// A value the field picks a case for, but that the case cannot decode, is an error naming
// the union and the case, with the raw body kept; so is a value that is not an object.
#[tokio::test]
async fn a_billing_key_its_case_cannot_decode_is_an_error() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    // `channelGroupId` picks the super billing key, which requires `customer_uid`.
    let broken = json!({ "code": 0, "message": null, "response": { "channelGroupId": "g", "succeededChannels": [] } });
    let raw = serde_json::to_vec(&broken).expect("JSON");
    Mock::given(method("GET"))
        .and(path("/subscribe/customers/c3"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(raw.clone(), "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/subscribe/customers/c4"))
        .respond_with(envelope(json!(["not", "an", "object"])))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.billingkey().customer_view("c3").await.expect_err("undecodable case");
    let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    let message = decode.to_string();
    for part in ["customer_view", "`CustomerOrSuperBillingKey`", "`SuperBillingKey`", "missing field `customer_uid`"] {
        assert!(message.contains(part), "{part:?} not in {message:?}");
    }
    assert_eq!(decode.body(), raw.as_slice());

    let err = client.billingkey().customer_view("c4").await.expect_err("not an object");
    let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    assert!(decode.to_string().contains("`CustomerOrSuperBillingKey`"), "{decode}");
}

// Amounts are `f64`; a whole one is sent as an integer, as PortOne's own clients send
// it (`500`, not `500.0`), and any other as it is.
#[tokio::test]
async fn whole_amounts_are_sent_as_integers() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(envelope(payment("imp_1")))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/payments/prepare"))
        .respond_with(envelope(json!({ "merchant_uid": "order-1", "amount": 500 })))
        .mount(&server)
        .await;
    let client = client(&server);
    // Optional amounts.
    let body = CancelPaymentBody::new().with_imp_uid("imp_1").with_amount(500.0).with_tax_free(500.5);
    client.payment().cancel_payment().body(body).await.expect("cancelled");
    // A required amount, whole and not.
    for amount in [500.0, 500.5] {
        let _ =
            client.payment().validation().edit_prepare_payment(EditPreparePaymentBody::new("order-1", amount)).await;
    }
    let cancel = requests_to(&server, "/payments/cancel").await;
    assert_eq!(String::from_utf8_lossy(&cancel[0].body), r#"{"imp_uid":"imp_1","amount":500,"tax_free":500.5}"#);
    let prepare: Vec<String> = requests_to(&server, "/payments/prepare")
        .await
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(prepare, [r#"{"merchant_uid":"order-1","amount":500}"#, r#"{"merchant_uid":"order-1","amount":500.5}"#]);
}

// A payment is found by its merchant_uid alone, whatever its status: the status-less
// paths `/payments/find/{merchant_uid}` and `/payments/findAll/{merchant_uid}`.
#[tokio::test]
async fn payments_are_found_by_merchant_uid_without_a_status() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET"))
        .and(path("/payments/find/order-1"))
        .respond_with(envelope(payment("imp_1")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/findAll/order-1"))
        .respond_with(envelope(json!({ "total": 1, "previous": 0, "next": 0, "list": [payment("imp_1")] })))
        .mount(&server)
        .await;
    let client = client(&server);
    let p = client.payment().get_payment_by_merchant_uid_any_status("order-1").await.expect("find");
    assert_eq!(p.imp_uid, "imp_1");
    let page = client.payment().get_all_payments_by_merchant_uid_any_status("order-1").limit(5).await.expect("findAll");
    assert_eq!(page.list.as_ref().map(Vec::len), Some(1));
    let sent = requests_to(&server, "/payments/findAll/order-1").await;
    assert_eq!(sent[0].url.query(), Some("limit=5"));
}

// PayPal billing keys come without a card: `card_name` is null or absent.
#[tokio::test]
async fn a_paypal_billing_key_without_a_card_name_decodes() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let with_null = json!({
        "customer_uid": "c1", "pg_provider": "paypal_v2", "pg_id": "m", "card_name": null, "card_code": null,
        "card_number": null, "card_type": null, "inserted": 1, "updated": 2, "sandbox": true
    });
    let absent = json!({
        "customer_uid": "c2", "pg_provider": "paypal_v2", "pg_id": "m", "inserted": 1, "updated": 2, "sandbox": true
    });
    Mock::given(method("GET"))
        .and(path("/subscribe/customers/c1"))
        .respond_with(envelope(with_null))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/subscribe/customers/c2")).respond_with(envelope(absent)).mount(&server).await;
    let client = client(&server);
    for id in ["c1", "c2"] {
        let c = client.billingkey().customer_view(id).await.expect("a PayPal billing key");
        let CustomerOrSuperBillingKey::Customer(c) = c else { panic!("expected a regular billing key, got {c:?}") };
        assert_eq!((c.customer_uid.as_str(), c.card_name), (id, None));
    }
}

// GET /naver/reviews takes its inputs in the query, `channel_key` included; a GET sends no body.
#[tokio::test]
async fn naver_reviews_are_asked_for_in_the_query() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    Mock::given(method("GET")).and(path("/naver/reviews")).respond_with(envelope(json!([]))).mount(&server).await;
    let reviews = client(&server)
        .pg()
        .naverpay()
        .get_reviews("channel-1", 1_700_000_000, 1_700_086_400, NaverReviewType::Premium)
        .await
        .expect("reviews");
    assert!(reviews.is_empty());
    let sent = requests_to(&server, "/naver/reviews").await;
    assert_eq!(sent[0].url.query(), Some("channel_key=channel-1&from=1700000000&to=1700086400&review_type=premium"));
    assert!(sent[0].body.is_empty(), "a GET carries no body: {:?}", String::from_utf8_lossy(&sent[0].body));
    assert_eq!(sent[0].headers.get("content-type"), None);
}

// Empty credentials are refused before anything is sent.
#[test]
fn empty_credentials_are_refused() {
    assert!(Client::new("", "secret").is_err());
    assert!(Client::new("key", " ").is_err());
}

// V1's UNIX-second timestamps are instants; `0`, V1's "not yet", and a missing one are none.
#[tokio::test]
async fn unix_timestamps_are_instants_and_zero_is_none() {
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let mut body = payment("imp_1");
    body["started_at"] = json!(1_714_979_289);
    body["paid_at"] = json!(1_714_979_300);
    body["failed_at"] = json!(0);
    body["cancelled_at"] = json!(0);
    Mock::given(method("GET")).and(path("/payments/imp_1")).respond_with(envelope(body)).mount(&server).await;
    let p = client(&server).payment().get_payment_by_imp_uid("imp_1").await.expect("payment");
    let at = |s| portone_sdk::chrono::DateTime::from_timestamp(s, 0);
    assert_eq!(p.started_at, at(1_714_979_289));
    assert_eq!(p.paid_at, at(1_714_979_300));
    assert_eq!((p.failed_at, p.cancelled_at, p.vbank_date), (None, None, None));
    let written = serde_json::to_value(&p).expect("serde-all");
    assert_eq!((written["paid_at"].clone(), written["failed_at"].clone()), (json!(1_714_979_300), json!(0)));
}

// V1's currency is an open enum: listed codes match, an unlisted one is kept.
#[tokio::test]
async fn currencies_are_an_open_enum() {
    use portone_sdk::v1::types::Currency;
    let server = server().await;
    issue_tokens(&server, 1800, unix_now()).await;
    let mut body = payment("imp_1");
    body["currency"] = json!("ZZZ");
    Mock::given(method("GET")).and(path("/payments/imp_1")).respond_with(envelope(body)).mount(&server).await;
    serve_payments(&server).await;
    let p = client(&server).payment().get_payment_by_imp_uid("imp_1").await.expect("payment");
    assert_eq!(p.currency, Currency::Unrecognized("ZZZ".into()));
    assert_eq!(serde_json::from_value::<Currency>(json!("KRW")).expect("listed"), Currency::Krw);
}
