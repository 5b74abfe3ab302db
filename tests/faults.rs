//! Fault injection against scripted servers on 127.0.0.1: servers that hang, drip, reset,
//! redirect, answer HTML or typed 502s, 503 with Retry-After, 401 storms, gigantic or
//! truncated bodies, and token endpoints that fail or hang under 50 concurrent callers.
//! The tests run on tokio's paused clock: a hang costs no real time, and a deadline is
//! checked to the millisecond whatever the machine's load. Each test checks how many
//! requests the server saw (no repeated send that is not idempotent), and ends with
//! [`Watch::check`]: every attempt of a call carried one idempotency key, the call ended
//! within its deadline, and no secret shows in the error, its `Debug`, or anything traced.

use portone_sdk::v2::Client;
use portone_sdk::v2::types::{
    BillingKeyPaymentInput, CancelPaymentBody, Currency, PayWithBillingKeyError, PaymentAmountInput,
};
use portone_sdk::{ApiError, Error, RetryPolicy, TransportErrorKind};
use serde_json::json;
use std::time::Duration;
use tokio::time::Instant;

mod support;
use support::capture::Capture;
use support::direct_http;
use support::fault::{Answer, FaultServer, http, json};

#[path = "faults/answers.rs"]
mod answers;

const SECRET: &str = "sk-fault-Secret-Value-7781-qq";
const IMP_SECRET: &str = "imp-secret-Hidden-5521";
const BILLING_KEY: &str = "billing-key-Pr1vate-0099";
const PAYMENT: &str = "/payments/pay-1";

/// Short waits so that every scenario ends in well under a second or two.
fn fast() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(3),
    }
}

fn client(server: &FaultServer) -> portone_sdk::v2::ClientBuilder {
    Client::builder(SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .retry_policy(fast())
        .attempt_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(2))
}

/// The error's `Display`, `Debug` and source chain.
fn everything_printed<E: std::fmt::Debug + std::fmt::Display>(err: &Error<E>) -> String
where
    Error<E>: std::error::Error,
{
    let mut text = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut next = std::error::Error::source(err);
    while let Some(e) = next {
        text.push_str(&format!("{e}\n{e:?}\n"));
        next = e.source();
    }
    text
}

/// Fails if `text` shows any of `hidden`.
fn assert_hidden(text: &str, hidden: &[&str]) {
    for h in hidden {
        assert!(!text.contains(h), "{h:?} shows in:\n{text}");
    }
}

/// Every request carried the same idempotency key; returns it.
fn one_key(seen: &[support::fault::Seen]) -> String {
    let keys: Vec<Option<&str>> = seen.iter().map(|s| s.header("idempotency-key")).collect();
    let first = keys[0].expect("a key on the first attempt").to_owned();
    assert!(keys.iter().all(|k| *k == Some(first.as_str())), "keys differ across attempts: {keys:?}");
    first
}

fn cancel() -> CancelPaymentBody {
    CancelPaymentBody::new("customer asked")
}

fn billing_payment() -> BillingKeyPaymentInput {
    BillingKeyPaymentInput::new(BILLING_KEY, "order", PaymentAmountInput::new(1000), Currency::Krw)
}

/// What every scenario checks at its end: started with a tracing capture on this thread
/// (the test's current-thread runtime runs the SDK's tasks on it too) and the call's
/// deadline.
struct Watch {
    capture: Capture,
    _guard: tracing::subscriber::DefaultGuard,
    started: Instant,
    deadline: Duration,
}

impl Watch {
    fn start(deadline: Duration) -> Watch {
        let capture = Capture::default();
        let _guard = tracing::subscriber::set_default(capture.clone());
        Watch { capture, _guard, started: Instant::now(), deadline }
    }

    /// The calls ended within the deadline; every request to one path that carried an
    /// idempotency key carried the same one; and neither the secrets nor `hidden` show in
    /// the errors (`Display`, `Debug`, source chain) or in anything traced.
    fn check<T, E>(&self, outcomes: &[Result<T, Error<E>>], server: &FaultServer, hidden: &[&str])
    where
        E: std::fmt::Debug + std::fmt::Display,
        Error<E>: std::error::Error,
    {
        let elapsed = self.started.elapsed();
        assert!(elapsed <= self.deadline, "the call took {elapsed:?}, past its {:?} deadline", self.deadline);
        let seen = server.seen();
        for path in seen.iter().map(|s| s.path()) {
            let at: Vec<_> = seen.iter().filter(|s| s.path() == path).cloned().collect();
            if at.iter().any(|s| s.header("idempotency-key").is_some()) {
                one_key(&at);
            }
        }
        let mut text = self.capture.text();
        for err in outcomes.iter().filter_map(|o| o.as_ref().err()) {
            text.push_str(&everything_printed(err));
        }
        assert_hidden(&text, &[&[SECRET, IMP_SECRET, BILLING_KEY], hidden].concat());
    }
}

// A server that reads the request and never answers: each attempt is given up at the
// attempt timeout and retried with the same key, and the call ends at its deadline (with
// retries to spare: the last attempt is cut short by the deadline, not by its own limit).
#[tokio::test(start_paused = true)]
async fn hang_before_headers() {
    let watch = Watch::start(Duration::from_millis(1000));
    let server = FaultServer::start(|_, _| Answer::Hang).await;
    let client = client(&server).max_retries(10).timeout(Duration::from_millis(1000)).build().expect("client");
    let outcome = client.payment().cancel_payment("pay-1", cancel()).await;
    let err = outcome.as_ref().expect_err("hangs");
    assert!(matches!(err, Error::Transport(e) if e.is_timeout()), "{err:?}");
    assert_eq!(watch.started.elapsed(), Duration::from_millis(1000), "ended at the deadline exactly");
    let seen = server.seen_at("/payments/pay-1/cancel");
    assert_eq!(seen.len(), 4, "three attempts of 300 ms, and a fourth cut short by the deadline");
    let key = one_key(&seen);
    assert_eq!(err.idempotency_key(), Some(key.as_str()), "the key is readable from the error");
    watch.check(&[outcome], &server, &["pay-1/cancel", "customer asked"]);
}

// Headers arrive, then the body stops halfway: the attempt times out like a hang.
#[tokio::test(start_paused = true)]
async fn hang_mid_body() {
    let watch = Watch::start(Duration::from_secs(2));
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"status\":\"PAID\",";
    let server = FaultServer::start(move |_, _| Answer::HangAfter(head.to_vec())).await;
    let client = client(&server).max_retries(1).build().expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    assert!(matches!(&outcome, Err(Error::Transport(e)) if e.is_timeout()), "{outcome:?}");
    assert_eq!(server.seen_at(PAYMENT).len(), 2);
    watch.check(&[outcome], &server, &["pay-1"]);
}

// A body dripped a byte at a time takes longer than the attempt may: given up, not
// waited for byte by byte past the deadline.
#[tokio::test(start_paused = true)]
async fn drip_fed_body() {
    let body = json!({"status": "PAID", "id": "pay-1", "padding": "x".repeat(40)}).to_string();
    let bytes = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}", body.len()).into_bytes();
    let server = FaultServer::start(move |_, _| Answer::Drip(bytes.clone(), Duration::from_millis(20))).await;
    let watch = Watch::start(Duration::from_millis(800));
    let client = client(&server).max_retries(0).timeout(Duration::from_millis(800)).build().expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    assert!(matches!(&outcome, Err(Error::Transport(e)) if e.is_timeout()), "{outcome:?}");
    assert_eq!(server.seen().len(), 1);
    watch.check(&[outcome], &server, &["pay-1"]);
}

// A reset after the request was read: a V2 call (idempotency key) is retried with the
// same key; the server sees every attempt.
#[tokio::test(start_paused = true)]
async fn reset_after_reading_the_request() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, n| {
        if n < 2 { Answer::Reset } else { json(200, &json!({"cancellation": {"status": "SOMETHING_NEW"}})) }
    })
    .await;
    let client = client(&server).build().expect("client");
    let response = client.payment().cancel_payment("pay-1", cancel()).send_with_response().await;
    let response = response.expect("third attempt answers");
    let seen = server.seen_at("/payments/pay-1/cancel");
    assert_eq!(seen.len(), 3);
    let key = one_key(&seen);
    assert_eq!(response.idempotency_key(), Some(key.as_str()), "the key is readable from the response");
    watch.check(&[Ok::<_, Error<String>>(response)], &server, &["customer asked"]);
}

// A V1 POST carries no idempotency key: after a reset it is not sent again.
#[tokio::test(start_paused = true)]
async fn v1_post_is_not_repeated_after_a_reset() {
    let watch = Watch::start(Duration::from_secs(60));
    let server = FaultServer::start(|seen, _| match seen.path() {
        "/users/getToken" => {
            json(200, &json!({"code": 0, "response": {"access_token": "t1", "now": 1000, "expired_at": 2800}}))
        }
        _ => Answer::Reset,
    })
    .await;
    let client = portone_sdk::v1::Client::builder("imp-key", IMP_SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .retry_policy(fast())
        .build()
        .expect("client");
    let outcome = client.payment().cancel_payment().await;
    assert!(matches!(outcome, Err(Error::Transport(_))), "{outcome:?}");
    assert_eq!(server.seen_at("/payments/cancel").len(), 1, "a POST without a key is sent once");
    assert!(!outcome.as_ref().expect_err("reset").is_retryable(), "it may have run: not safe to repeat");
    watch.check(&[outcome], &server, &["t1"]);
}

// An HTML 502 from a proxy is not PortOne's answer: retried, with one key.
#[tokio::test(start_paused = true)]
async fn html_502_is_retried() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| {
        http(502, &[("content-type", "text/html"), ("x-request-id", "req-7")], b"<html>bad gateway</html>")
    })
    .await;
    let client = client(&server).build().expect("client");
    let outcome = client.payment().pay_with_billing_key("pay-1", billing_payment()).await;
    assert!(matches!(&outcome, Err(Error::Decode(d)) if d.body() == b"<html>bad gateway</html>"), "{outcome:?}");
    assert_eq!(server.seen_at("/payments/pay-1/billing-key").len(), 3);
    // Out of retries, not final: the caller may repeat it later with the same key.
    let err = outcome.as_ref().expect_err("a decode error");
    assert!(err.is_retryable());
    assert_eq!(err.request_id(), Some("req-7"));
    watch.check(&[outcome], &server, &[]);
}

// A 502 whose body is the operation's documented PG_PROVIDER error is the payment
// gateway's refusal: final, sent once.
#[tokio::test(start_paused = true)]
async fn typed_502_is_final() {
    let watch = Watch::start(Duration::from_secs(2));
    let refusal = json!({"type": "PG_PROVIDER", "message": "declined", "pgCode": "51", "pgMessage": "limit"});
    let server = FaultServer::start(move |_, _| json(502, &refusal)).await;
    let client = client(&server).build().expect("client");
    let outcome = client.payment().pay_with_billing_key("pay-1", billing_payment()).await;
    match &outcome {
        Err(Error::Api(ApiError { error: PayWithBillingKeyError::PgProvider(p), .. })) => assert_eq!(p.pg_code, "51"),
        other => panic!("not the typed error: {other:?}"),
    }
    assert_eq!(server.seen_at("/payments/pay-1/billing-key").len(), 1, "never retried");
    assert!(!outcome.as_ref().expect_err("an API error").is_retryable(), "a documented refusal is final");
    assert!(outcome.as_ref().err().and_then(Error::idempotency_key).is_some());
    watch.check(&[outcome], &server, &[]);
}

// 503 with Retry-After in seconds and as a date: the retry waits as asked.
#[tokio::test(start_paused = true)]
async fn service_unavailable_with_retry_after() {
    for wait in ["1", "date"] {
        let server = FaultServer::start(move |_, n| {
            if n > 0 {
                return json(200, &json!({"status": "NEW_STATUS", "id": "pay-1"}));
            }
            let value = if wait == "date" {
                httpdate(std::time::SystemTime::now() + Duration::from_secs(2))
            } else {
                wait.to_owned()
            };
            http(503, &[("retry-after", value.as_str())], b"")
        })
        .await;
        let watch = Watch::start(Duration::from_secs(5));
        let client = client(&server).timeout(Duration::from_secs(5)).build().expect("client");
        let outcome = client.payment().get_payment("pay-1").await;
        assert!(outcome.is_ok(), "answered after the wait: {outcome:?}");
        // An HTTP date has whole seconds: "in 2 s" may be a little over 1 s away.
        let waited = watch.started.elapsed();
        assert!(waited >= Duration::from_millis(950), "{wait}: {waited:?}");
        // And no longer than asked (the attempts themselves take no time on this clock).
        let asked = if wait == "date" { Duration::from_millis(2000) } else { Duration::from_millis(1000) };
        assert!(waited <= asked + Duration::from_millis(50), "{wait}: waited {waited:?}, asked {asked:?}");
        assert_eq!(server.seen_at(PAYMENT).len(), 2);
        watch.check(&[outcome], &server, &[]);
    }
}

fn httpdate(at: std::time::SystemTime) -> String {
    portone_sdk::chrono::DateTime::<portone_sdk::chrono::Utc>::from(at).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

// Redirects are not followed: the other server sees nothing, in particular not a login
// body holding the secret.
#[tokio::test(start_paused = true)]
async fn redirects_to_another_port_are_not_followed() {
    let watch = Watch::start(Duration::from_secs(60));
    let elsewhere = FaultServer::start(|_, _| json(200, &json!({"accessToken": "stolen"}))).await;
    let target = format!("{}/login/api-secret", elsewhere.uri());
    let server = FaultServer::start(move |_, _| http(307, &[("location", target.as_str())], b"")).await;
    let client = Client::builder(SECRET)
        .base_url(server.uri())
        .retry_policy(fast())
        .access_tokens()
        .build()
        .expect("client with the SDK's own HTTP client");
    let login = client.payment().get_payment("pay-1").await;
    assert!(matches!(&login, Err(Error::Auth(e)) if e.status().map(|s| s.as_u16()) == Some(307)), "{login:?}");
    assert_eq!(server.seen().len(), 1);
    assert!(elsewhere.seen().is_empty(), "the login was resent to {:?}", elsewhere.seen());

    let plain = Client::builder(SECRET).base_url(server.uri()).retry_policy(fast()).build().expect("client");
    let call = plain.payment().get_payment("pay-1").await;
    assert_eq!(call.as_ref().err().and_then(Error::status).map(|s| s.as_u16()), Some(307), "{call:?}");
    assert!(elsewhere.seen().is_empty());
    watch.check(&[login, call], &server, &[]);
}

// A body over the client's limit ends the call without reading it whole, and is not
// retried (it would be as large again); with and without a Content-Length.
#[tokio::test(start_paused = true)]
async fn gigantic_body() {
    let server = FaultServer::start(|seen, _| {
        if seen.target.contains("declared") {
            http(200, &[], &vec![b' '; 3 * 1024 * 1024])
        } else {
            Answer::Huge(64 * 1024 * 1024)
        }
    })
    .await;
    let watch = Watch::start(Duration::from_secs(4));
    let client = client(&server).max_response_bytes(1024 * 1024).build().expect("client");
    let mut outcomes = Vec::new();
    for id in ["declared", "chunked"] {
        let outcome = client.payment().get_payment(id).await;
        let err = outcome.as_ref().expect_err("too large");
        assert!(matches!(err, Error::Transport(e) if e.kind() == TransportErrorKind::BodyTooLarge), "{err:?}");
        assert!(err.to_string().contains("1048576 bytes"), "{err}");
        assert_eq!(server.seen_at(&format!("/payments/{id}")).len(), 1);
        outcomes.push(outcome);
    }
    watch.check(&outcomes, &server, &[]);
}

// Truncated JSON is a decode error that keeps the raw body; a 200 is not retried.
#[tokio::test(start_paused = true)]
async fn truncated_json() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| http(200, &[], br#"{"status":"PAID","id":"pay-1","amount":{"tot"#)).await;
    let client = client(&server).build().expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    match &outcome {
        Err(Error::Decode(d)) => {
            assert!(d.body().starts_with(br#"{"status":"PAID""#));
            assert_eq!(d.operation(), "getPayment");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.seen().len(), 1);
    watch.check(&[outcome], &server, &[]);
}

/// A JWT for access-token tests, living `lifetime` seconds.
fn jwt(n: u64, lifetime: f64) -> String {
    use base64::Engine as _;
    let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.sig{n}", b64(json!({"alg": "HS256"})), b64(json!({"iat": 1000, "exp": 1000.0 + lifetime})))
}

// Every call answered 401: one new token and one repeat per call, never a storm; both
// sends carry the same key, and the call stays within its deadline.
#[tokio::test(start_paused = true)]
async fn a_401_storm_is_one_repeat_per_call_with_the_same_key() {
    let watch = Watch::start(Duration::from_secs(2));
    let logins = std::sync::atomic::AtomicU64::new(0);
    let server = FaultServer::start(move |seen, _| match seen.path() {
        "/login/api-secret" => {
            let n = logins.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            json(200, &json!({"accessToken": jwt(n, 1800.0), "refreshToken": format!("refresh-Zz{n}")}))
        }
        _ => json(401, &json!({"type": "UNAUTHORIZED", "message": "expired"})),
    })
    .await;
    let client = client(&server).access_tokens().build().expect("client");
    let outcome = client.payment().cancel_payment("pay-1", cancel()).await;
    let err = outcome.as_ref().expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let calls = server.seen_at("/payments/pay-1/cancel");
    assert_eq!(calls.len(), 2, "one call and its one repeat");
    let key = one_key(&calls);
    assert_eq!(err.idempotency_key(), Some(key.as_str()));
    assert_eq!(server.seen_at("/login/api-secret").len(), 2);
    watch.check(&[outcome], &server, &["refresh-Zz", "sig0", "sig1"]);
}

// The repeat after a 401 keeps the call's deadline: a second login that hangs does not
// get a fresh minute. The 401 comes 60 ms in and the call's own limit (100 ms) is shorter
// than an attempt's (300 ms): only the call's deadline ends it at 100 ms.
#[tokio::test(start_paused = true)]
async fn the_401_repeat_keeps_the_deadline() {
    let watch = Watch::start(Duration::from_millis(100));
    let logins = std::sync::atomic::AtomicU64::new(0);
    let server = FaultServer::start(move |seen, _| match seen.path() {
        "/login/api-secret" if logins.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 => Answer::Hang,
        "/login/api-secret" => json(200, &json!({"accessToken": jwt(0, 1800.0)})),
        _ => Answer::After(Duration::from_millis(60), Box::new(json(401, &json!({"type": "UNAUTHORIZED"})))),
    })
    .await;
    let client = client(&server).access_tokens().timeout(Duration::from_millis(700)).build().expect("client");
    let outcome = client.payment().cancel_payment("pay-1", cancel()).timeout(Duration::from_millis(100)).await;
    assert!(matches!(outcome, Err(Error::Auth(_))), "no second token in time: {outcome:?}");
    assert_eq!(watch.started.elapsed(), Duration::from_millis(100), "ended at the call's deadline");
    assert_eq!(server.seen_at("/payments/pay-1/cancel").len(), 1);
    watch.check(&[outcome], &server, &[]);
}

/// 50 calls at once on one client; their outcomes.
async fn fifty(
    client: &portone_sdk::v1::Client,
) -> Vec<Result<portone_sdk::v1::types::PaymentAnnotation, Error<portone_sdk::EnvelopeError>>> {
    let calls = (0..50).map(|_| {
        let client = client.clone();
        async move { client.payment().get_payment_by_imp_uid("imp_1").await }
    });
    futures_util::future::join_all(calls).await
}

fn v1_client(server: &FaultServer, timeout: Duration) -> portone_sdk::v1::Client {
    portone_sdk::v1::Client::builder("imp-key", IMP_SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .retry_policy(fast())
        .attempt_timeout(Duration::from_millis(300))
        .timeout(timeout)
        .build()
        .expect("client")
}

// getToken fails under 50 concurrent callers: one request, one error for all, and the
// secret in none of them.
#[tokio::test(start_paused = true)]
async fn a_failing_token_endpoint_is_asked_once_for_fifty_callers() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| {
        Answer::After(
            Duration::from_millis(100),
            Box::new(json(401, &json!({"code": -1, "message": "bad key", "response": {"imp_secret": IMP_SECRET}}))),
        )
    })
    .await;
    let client = v1_client(&server, Duration::from_secs(2));
    let outcomes = fifty(&client).await;
    assert_eq!(server.seen_at("/users/getToken").len(), 1, "one fetch for all fifty");
    assert!(server.seen_at("/payments/imp_1").is_empty());
    for outcome in &outcomes {
        match outcome {
            Err(Error::Auth(e)) => {
                assert_eq!(e.operation(), "getPaymentByImpUid");
                assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
                let body = String::from_utf8_lossy(e.body().expect("an error answer is kept"));
                assert!(body.contains("bad key") && body.contains("<redacted>"), "{body}");
                assert_hidden(&body, &[IMP_SECRET]);
            }
            other => panic!("{other:?}"),
        }
    }
    watch.check(&outcomes, &server, &[]);
}

// getToken hangs under 50 concurrent callers: each call ends at its own deadline (not
// 50 × 30 s in turn), and the endpoint is asked once. Each call's limit (100 ms, the
// n-th starting n ms late) is shorter than the fetch's attempt (300 ms): every call ends
// at its own deadline, before the fetch gives up.
#[tokio::test(start_paused = true)]
async fn a_hanging_token_endpoint_stalls_no_call_past_its_deadline() {
    let watch = Watch::start(Duration::from_millis(600));
    let server = FaultServer::start(|_, _| Answer::Hang).await;
    let client = v1_client(&server, Duration::from_millis(600));
    let start = Instant::now();
    let calls = (0..50u64).map(|n| {
        let client = client.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(n)).await;
            let outcome = client.payment().get_payment_by_imp_uid("imp_1").timeout(Duration::from_millis(100)).await;
            (n, start.elapsed(), outcome)
        }
    });
    let mut outcomes = Vec::new();
    for (n, ended, outcome) in futures_util::future::join_all(calls).await {
        assert_eq!(ended, Duration::from_millis(100 + n), "call {n} ends at its own deadline");
        outcomes.push(outcome);
    }
    assert!(outcomes.iter().all(|o| matches!(o, Err(Error::Auth(_)))));
    // The fetch runs on its own task; its one attempt (a POST without a key is not
    // repeated) is given up after 300 ms, and every caller gets that error.
    assert_eq!(server.seen_at("/users/getToken").len(), 1);
    watch.check(&outcomes, &server, &[]);
}

// A getToken answer that succeeds but cannot be read may hold a live token: the error
// keeps neither the body nor the token.
#[tokio::test(start_paused = true)]
async fn an_unreadable_token_answer_is_not_kept() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| {
        json(200, &json!({"code": 0, "response": {"access_token": "live-Token-31337", "now": "soon", "expired_at": 1}}))
    })
    .await;
    let client = v1_client(&server, Duration::from_secs(2));
    let outcome = client.payment().get_payment_by_imp_uid("imp_1").await;
    let Err(Error::Auth(auth)) = &outcome else { panic!("{outcome:?}") };
    assert!(auth.body().is_none());
    assert_eq!(server.seen().len(), 1);
    watch.check(&[outcome], &server, &["live-Token-31337"]);
}

/// A V1 envelope around a paid payment `imp_1`.
fn v1_paid_payment() -> Answer {
    let payment = json!({
        "imp_uid": "imp_1", "merchant_uid": "o", "amount": 1, "cancel_amount": 0, "currency": "KRW",
        "status": "paid", "sandbox": false, "pay_method": "card"
    });
    json(200, &json!({"code": 0, "response": payment}))
}

// A renewal that fails while the token is still valid fails no call.
#[tokio::test(start_paused = true)]
async fn a_failed_renewal_inside_the_margin_fails_no_call() {
    let watch = Watch::start(Duration::from_millis(2100 + 6 * 2000));
    let server = FaultServer::start(|seen, n| match (seen.path(), n) {
        // A 4 s token: renewal is due after 2 s, and it is still sent until 3.5 s.
        ("/users/getToken", 0) => {
            json(200, &json!({"code": 0, "response": {"access_token": "t1", "now": 1000, "expired_at": 1004}}))
        }
        ("/users/getToken", _) => http(500, &[], b"down"),
        _ => v1_paid_payment(),
    })
    .await;
    let client = v1_client(&server, Duration::from_secs(2));
    let mut outcomes = vec![client.payment().get_payment_by_imp_uid("imp_1").await];
    tokio::time::sleep(Duration::from_millis(2100)).await;
    for _ in 0..5 {
        outcomes.push(client.payment().get_payment_by_imp_uid("imp_1").await);
    }
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let calls = server.seen_at("/payments/imp_1");
    assert_eq!(calls.len(), 6);
    assert!(calls.iter().all(|c| c.header("authorization") == Some("t1")));
    assert_eq!(server.seen_at("/users/getToken").len(), 2, "one renewal, failed, not repeated within 2 s");
    watch.check(&outcomes, &server, &["t1"]);
}

// Absurd lifetimes do not panic: a V1 expiry at the end of time, a JWT exp of 1e19.
#[tokio::test(start_paused = true)]
async fn absurd_token_lifetimes() {
    let watch = Watch::start(Duration::from_secs(6));
    let server = FaultServer::start(|seen, _| match seen.path() {
        "/users/getToken" => {
            json(200, &json!({"code": 0, "response": {"access_token": "t", "now": 0.5, "expired_at": i64::MAX}}))
        }
        "/login/api-secret" => json(200, &json!({"accessToken": jwt(0, 1e19)})),
        "/payments/pay-1" => json(200, &json!({"status": "NEW_STATUS", "id": "pay-1"})),
        _ => v1_paid_payment(),
    })
    .await;
    let v1 = v1_client(&server, Duration::from_secs(2));
    let first = v1.payment().get_payment_by_imp_uid("imp_1").await;
    let second = v1.payment().get_payment_by_imp_uid("imp_1").await;
    let v2 = client(&server).access_tokens().build().expect("client");
    let third = v2.payment().get_payment("pay-1").await;
    assert!(first.is_ok() && second.is_ok() && third.is_ok(), "{first:?} {second:?} {third:?}");
    assert_eq!(server.seen_at("/users/getToken").len(), 1, "the token is kept");
    assert_eq!(server.seen_at("/login/api-secret").len(), 1);
    watch.check(&[first, second], &server, &[]);
    watch.check(&[third], &server, &[]);
}

// A transport error shows neither the path (a billing key) nor the query (a whole
// request body); connection refused to a port nobody listens on.
#[tokio::test(start_paused = true)]
async fn transport_errors_show_no_url() {
    let watch = Watch::start(Duration::from_secs(60));
    let port = support::free_port().local_addr().expect("address").port();
    let client = Client::builder(SECRET)
        .base_url(format!("http://127.0.0.1:{port}"))
        .http_client(direct_http())
        .max_retries(0)
        .build()
        .expect("client");
    let info = client.payment().billing_key().get_billing_key_info(BILLING_KEY).await;
    assert!(matches!(&info, Err(Error::Transport(e)) if e.is_connect()), "{info:?}");
    let filter = portone_sdk::v2::types::GetPaymentsBody::new();
    let list = client.payment().get_payments().body(filter).await;
    assert!(matches!(&list, Err(Error::Transport(e)) if e.is_connect()), "{list:?}");
    let nobody = FaultServer::start(|_, _| Answer::Reset).await;
    // The span's `url.template` names the path without its values; the URL never shows.
    let url = format!("http://127.0.0.1:{port}/");
    watch.check(&[info], &nobody, &[url.as_str()]);
    watch.check(&[list], &nobody, &["requestBody", url.as_str(), "/payments?"]);
}

// A header value the caller gave that cannot be sent is an input error: nothing is sent.
#[tokio::test(start_paused = true)]
async fn a_bad_header_value_is_an_input_error() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| json(200, &json!({"code": 0, "response": null}))).await;
    let client = v1_client(&server, Duration::from_secs(2));
    let outcome = client.payment().get_payment_by_imp_uid("imp_1").tier("T1\r\nX-Injected: 1").await;
    assert!(matches!(outcome, Err(Error::InvalidInput(_))), "{outcome:?}");
    assert!(server.seen().is_empty(), "{:?}", server.seen());
    watch.check(&[outcome], &server, &["X-Injected"]);
}

// Plain http is refused unless the host is loopback or named by the caller.
#[test]
fn plain_http_needs_loopback_or_an_allowed_host() {
    let refused = Client::builder(SECRET).base_url("http://api.portone.io").build().expect_err("plain http");
    assert!(refused.to_string().contains("allow_http_host"), "{refused}");
    assert_hidden(&format!("{refused}{refused:?}"), &[SECRET]);
    for url in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://api.portone.io"] {
        Client::builder(SECRET).base_url(url).build().unwrap_or_else(|e| panic!("{url}: {e}"));
    }
    Client::builder(SECRET)
        .base_url("http://egress.internal:3128")
        .allow_http_host("egress.internal")
        .build()
        .expect("named");
    portone_sdk::v1::Client::builder("k", "s").base_url("http://api.iamport.kr").build().expect_err("V1 too");
}

// Responses may be gzip-compressed, as PortOne's own clients ask for.
#[tokio::test(start_paused = true)]
async fn gzip_answers_are_decoded() {
    use std::io::Write as _;
    let watch = Watch::start(Duration::from_secs(2));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json!({"status": "NEW_STATUS", "id": "pay-1"}).to_string().as_bytes()).expect("gzip");
    let body = gz.finish().expect("gzip");
    let server = FaultServer::start(move |_, _| http(200, &[("content-encoding", "gzip")], &body)).await;
    let client = client(&server).build().expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    assert_eq!(outcome.as_ref().ok().and_then(|p| p.tag()), Some("NEW_STATUS"), "decoded: {outcome:?}");
    assert!(server.seen()[0].header("accept-encoding").is_some_and(|v| v.contains("gzip")));
    watch.check(&[outcome], &server, &[]);
}

// The same hang at the production limits (60 s per call, 30 s per attempt), on tokio's
// paused clock: the call ends at its deadline exactly, after two attempts, each with the
// same key.
#[tokio::test(start_paused = true)]
async fn hang_at_production_limits_on_a_paused_clock() {
    let watch = Watch::start(Duration::from_secs(60));
    let server = FaultServer::start(|_, _| Answer::Hang).await;
    let client = Client::builder(SECRET).base_url(server.uri()).http_client(direct_http()).build().expect("client");
    let outcome = client.payment().cancel_payment("pay-1", cancel()).await;
    assert!(matches!(&outcome, Err(Error::Transport(e)) if e.is_timeout()), "{outcome:?}");
    assert!(watch.started.elapsed() >= Duration::from_secs(60), "the second attempt gets the time left");
    let seen = server.seen_at("/payments/pay-1/cancel");
    assert_eq!(seen.len(), 2, "30 s, a wait, then the 30 s left: no third attempt fits");
    watch.check(&[outcome], &server, &[]);
}

// Fifty callers behind a getToken that hangs, at the production limits: the one fetch
// gives up after its 30 s attempt (a POST without a key is not repeated) and all fifty
// get its error then, not one after another (50 × 30 s).
#[tokio::test(start_paused = true)]
async fn fifty_callers_behind_a_hanging_token_endpoint_at_production_limits() {
    let watch = Watch::start(Duration::from_secs(60));
    let server = FaultServer::start(|_, _| Answer::Hang).await;
    let client = portone_sdk::v1::Client::builder("imp-key", IMP_SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .build()
        .expect("client");
    let outcomes = fifty(&client).await;
    assert_eq!(watch.started.elapsed(), Duration::from_secs(30), "one attempt's time for all fifty");
    assert!(outcomes.iter().all(|o| matches!(o, Err(Error::Auth(_)))));
    assert_eq!(server.seen_at("/users/getToken").len(), 1);
    watch.check(&outcomes, &server, &[]);
}

#[path = "faults/settings.rs"]
mod settings;

#[path = "faults/echoes.rs"]
mod echoes;

#[path = "faults/pool.rs"]
mod pool;
