//! The V2 client in access-token mode against wiremock on 127.0.0.1: one login for many
//! concurrent calls, renewal with the refresh token, falling back to the secret when
//! renewal is refused, one new token and one retry on 401, refused logins, and tokens
//! that are not JWTs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use portone_sdk::v2::Client;
use portone_sdk::{Error, reqwest};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server as server, requests_to};

const SECRET: &str = "api-secret-for-bearer-tests";
const LOGIN: &str = "/login/api-secret";
const REFRESH: &str = "/token/refresh";
const PAYMENT: &str = "/payments/pay-1";
const PAID_PAYMENT: &str = include_str!("data/paid_payment.json");

fn client(server: &MockServer) -> Client {
    let http = direct_http();
    Client::builder(SECRET).base_url(server.uri()).http_client(http).access_tokens().build().expect("client")
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_secs() as i64
}

/// A JWT-shaped token numbered `n`, issued now and living `lifetime` seconds.
fn jwt(n: u64, lifetime: i64) -> String {
    let now = unix_now();
    let claims = json!({ "sub": "tester", "jti": n, "iat": now, "exp": now + lifetime });
    format!("{}.{}.signature", URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// Issues tokens numbered from `first` (`access-1`, ...) with refresh tokens `refresh-N`.
struct Issuer {
    first: u64,
    lifetime: i64,
    issued: AtomicU64,
    delay: Duration,
}

impl Issuer {
    fn new(first: u64, lifetime: i64) -> Self {
        Issuer { first, lifetime, issued: AtomicU64::new(0), delay: Duration::ZERO }
    }
}

impl wiremock::Respond for Issuer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.first + self.issued.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200)
            .set_body_json(json!({ "accessToken": jwt(n, self.lifetime), "refreshToken": format!("refresh-{n}") }))
            .set_delay(self.delay)
    }
}

/// The `jti` of the bearer token a request carried, or None.
fn token_number(r: &Request) -> Option<u64> {
    let value = r.headers.get("authorization")?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?;
    let payload = URL_SAFE_NO_PAD.decode(token.split('.').nth(1)?).ok()?;
    serde_json::from_slice::<Value>(&payload).ok()?.get("jti")?.as_u64()
}

/// Matches requests carrying bearer token number `.0`.
struct TokenIs(u64);

impl wiremock::Match for TokenIs {
    fn matches(&self, request: &Request) -> bool {
        token_number(request) == Some(self.0)
    }
}

async fn serve_payment(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(PAYMENT))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json"))
        .mount(server)
        .await;
}

fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).expect("JSON body")
}

// Fifty calls started together with no token cause exactly one login, made with the
// secret in the body and no Authorization header; every call then carries the token.
#[tokio::test]
async fn fifty_concurrent_calls_share_one_login() {
    let server = server().await;
    let issuer = Issuer { delay: Duration::from_millis(200), ..Issuer::new(1, 1800) };
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(issuer).mount(&server).await;
    serve_payment(&server).await;
    let client = client(&server);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.payment().get_payment("pay-1").await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("payment");
    }
    let logins = requests_to(&server, LOGIN).await;
    assert_eq!(logins.len(), 1);
    assert_eq!(body(&logins[0]), json!({ "apiSecret": SECRET }));
    assert!(logins[0].headers.get("authorization").is_none(), "the login carries no credentials header");
    let calls = requests_to(&server, PAYMENT).await;
    assert_eq!(calls.len(), 50);
    assert!(calls.iter().all(|r| token_number(r) == Some(1)), "every call carries token 1");
    assert!(requests_to(&server, REFRESH).await.is_empty());
}

// Without `access_tokens()` the secret itself is sent and nobody logs in.
#[tokio::test]
async fn the_secret_is_sent_unless_access_tokens_are_chosen() {
    let server = server().await;
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(Issuer::new(1, 1800)).mount(&server).await;
    serve_payment(&server).await;
    let http = direct_http();
    let client = Client::builder(SECRET).base_url(server.uri()).http_client(http).build().expect("client");
    client.payment().get_payment("pay-1").await.expect("payment");
    let calls = requests_to(&server, PAYMENT).await;
    assert_eq!(calls[0].headers.get("authorization").unwrap(), format!("PortOne {SECRET}").as_str());
    assert!(requests_to(&server, LOGIN).await.is_empty());
}

// A token at the end of its life is renewed with the refresh token that came with it,
// not with the secret; the renewed token is then reused.
#[tokio::test]
async fn an_expiring_token_is_renewed_with_its_refresh_token() {
    let server = server().await;
    // Token 1 lives 0 s, so the next call renews it; token 100 lives half an hour.
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(Issuer::new(1, 0)).mount(&server).await;
    Mock::given(method("POST")).and(path(REFRESH)).respond_with(Issuer::new(100, 1800)).mount(&server).await;
    serve_payment(&server).await;
    let client = client(&server);
    for _ in 0..3 {
        client.payment().get_payment("pay-1").await.expect("payment");
    }
    assert_eq!(requests_to(&server, LOGIN).await.len(), 1);
    let refreshes = requests_to(&server, REFRESH).await;
    assert_eq!(refreshes.len(), 1);
    assert_eq!(body(&refreshes[0]), json!({ "refreshToken": "refresh-1" }));
    assert!(refreshes[0].headers.get("authorization").is_none());
    let used: Vec<_> = requests_to(&server, PAYMENT).await.iter().map(token_number).collect();
    assert_eq!(used, [Some(1), Some(100), Some(100)]);
}

// Each renewal uses the newest refresh token: PortOne expires the previous one.
#[tokio::test]
async fn renewals_use_the_newest_refresh_token() {
    let server = server().await;
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(Issuer::new(1, 0)).mount(&server).await;
    Mock::given(method("POST")).and(path(REFRESH)).respond_with(Issuer::new(100, 0)).mount(&server).await;
    serve_payment(&server).await;
    let client = client(&server);
    for _ in 0..3 {
        client.payment().get_payment("pay-1").await.expect("payment");
    }
    let sent: Vec<_> = requests_to(&server, REFRESH).await.iter().map(body).collect();
    assert_eq!(sent, [json!({ "refreshToken": "refresh-1" }), json!({ "refreshToken": "refresh-100" })]);
    assert_eq!(requests_to(&server, LOGIN).await.len(), 1);
}

// A refused renewal (the refresh token expired, or another process used it) falls back
// to logging in with the secret, and the call goes through.
#[tokio::test]
async fn a_refused_renewal_logs_in_again() {
    let server = server().await;
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(Issuer::new(1, 0)).mount(&server).await;
    Mock::given(method("POST"))
        .and(path(REFRESH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "type": "UNAUTHORIZED", "message": "no" })))
        .mount(&server)
        .await;
    serve_payment(&server).await;
    let client = client(&server);
    client.payment().get_payment("pay-1").await.expect("first payment");
    client.payment().get_payment("pay-1").await.expect("second payment, after a new login");
    assert_eq!(requests_to(&server, REFRESH).await.len(), 1);
    assert_eq!(requests_to(&server, LOGIN).await.len(), 2);
    let used: Vec<_> = requests_to(&server, PAYMENT).await.iter().map(token_number).collect();
    assert_eq!(used, [Some(1), Some(2)]);
}

// A call refused with 401 gets one new token (from the secret) and is repeated once.
#[tokio::test]
async fn a_401_gets_one_new_token_and_one_retry() {
    let server = server().await;
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(Issuer::new(1, 1800)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(PAYMENT))
        .and(TokenIs(1))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "type": "UNAUTHORIZED", "message": "no" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PAYMENT))
        .and(TokenIs(2))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);
    client.payment().get_payment("pay-1").await.expect("repeated with a new token");
    assert_eq!(requests_to(&server, LOGIN).await.len(), 2);
    assert!(requests_to(&server, REFRESH).await.is_empty(), "a refused token is replaced from the secret");
    let used: Vec<_> = requests_to(&server, PAYMENT).await.iter().map(token_number).collect();
    assert_eq!(used, [Some(1), Some(2)]);
}

// A token refused twice is the caller's error after exactly one renewal and one retry.
#[tokio::test]
async fn a_second_401_is_returned_not_retried() {
    let server = server().await;
    Mock::given(method("POST")).and(path(LOGIN)).respond_with(Issuer::new(1, 1800)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(PAYMENT))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "type": "UNAUTHORIZED", "message": "no" })))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.payment().get_payment("pay-1").await.expect_err("refused");
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(requests_to(&server, LOGIN).await.len(), 2);
    assert_eq!(requests_to(&server, PAYMENT).await.len(), 2);
}

// A refused login is an authentication error that keeps the login's status and body;
// the call itself is never sent, and the secret shows nowhere in the error.
#[tokio::test]
async fn a_refused_login_is_an_auth_error() {
    let server = server().await;
    let refusal = json!({ "type": "UNAUTHORIZED", "message": "bad secret" });
    Mock::given(method("POST"))
        .and(path(LOGIN))
        .respond_with(ResponseTemplate::new(401).set_body_json(refusal.clone()))
        .mount(&server)
        .await;
    serve_payment(&server).await;
    let client = client(&server);
    let err = client.payment().get_payment("pay-1").await.expect_err("no token");
    let Error::Auth(auth) = &err else { panic!("expected an auth error, got {err:?}") };
    assert_eq!(auth.operation(), "getPayment");
    assert_eq!(auth.token_operation(), "loginViaApiSecret");
    assert_eq!(auth.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(serde_json::from_slice::<Value>(auth.body().expect("body")).unwrap(), refusal);
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(SECRET), "{text}");
    }
    assert!(requests_to(&server, PAYMENT).await.is_empty());
}

// A token that is not a JWT has no known lifetime: it is kept until the server refuses it.
#[tokio::test]
async fn an_opaque_token_is_kept_until_refused() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path(LOGIN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "accessToken": "opaque", "refreshToken": "r" })))
        .mount(&server)
        .await;
    serve_payment(&server).await;
    let client = client(&server);
    for _ in 0..3 {
        client.payment().get_payment("pay-1").await.expect("payment");
    }
    assert_eq!(requests_to(&server, LOGIN).await.len(), 1);
    let calls = requests_to(&server, PAYMENT).await;
    assert!(calls.iter().all(|r| r.headers.get("authorization").unwrap() == "Bearer opaque"));
}
