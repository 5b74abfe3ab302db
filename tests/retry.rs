//! Retries, backoff, Retry-After, idempotency keys and timeouts of the V2 client, against
//! wiremock on 127.0.0.1.

use portone_sdk::v2::Client;
use portone_sdk::v2::types::CancelPaymentBody;
use portone_sdk::{Error, RetryPolicy};
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod support;
use support::{direct_http, free_port, loopback_server};

/// A retry policy with millisecond waits, so tests run fast.
fn fast() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(30),
    }
}

async fn start(policy: RetryPolicy) -> (MockServer, Client) {
    let server = loopback_server().await;
    let http = direct_http();
    let client = Client::builder("secret").base_url(server.uri()).http_client(http).retry_policy(policy).build();
    (server, client.expect("client"))
}

/// Answer the first `n` requests with `first`, every later one with `then`.
async fn answer(server: &MockServer, n: u64, first: ResponseTemplate, then: ResponseTemplate) {
    if n > 0 {
        Mock::given(any()).respond_with(first).up_to_n_times(n).with_priority(1).mount(server).await;
    }
    Mock::given(any()).respond_with(then).with_priority(2).mount(server).await;
}

fn ok_payment_json() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "status": "SOMETHING_NEW", "id": "p" }))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording on")
}

fn key(request: &Request) -> Option<String> {
    request.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

// A 503 is retried: two failures, then success on the third attempt.
#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let (server, client) = start(fast()).await;
    answer(&server, 2, ResponseTemplate::new(503), ok_payment_json()).await;
    client.payment().get_payment("p").await.expect("third attempt succeeds");
    assert_eq!(requests(&server).await.len(), 3);
}

// Retries stop after max_retries: three 500s give the last error, after exactly 3 attempts.
#[tokio::test]
async fn retries_stop_at_the_limit() {
    let (server, client) = start(fast()).await;
    answer(&server, 10, ResponseTemplate::new(500).set_body_json(json!({"type": "X"})), ok_payment_json()).await;
    let err = client.payment().get_payment("p").await.expect_err("still failing");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(requests(&server).await.len(), 3);
}

// A 400 is the caller's fault: never retried.
#[tokio::test]
async fn client_errors_are_not_retried() {
    let (server, client) = start(fast()).await;
    answer(&server, 1, ResponseTemplate::new(400).set_body_json(json!({"type": "INVALID_REQUEST"})), ok_payment_json())
        .await;
    let err = client.payment().get_payment("p").await.expect_err("400");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1);
}

// IDEMPOTENCY_OUTSTANDING_REQUEST is a 4xx that means "later": retried.
#[tokio::test]
async fn outstanding_idempotent_request_is_retried() {
    let (server, client) = start(fast()).await;
    let busy = ResponseTemplate::new(409).set_body_json(json!({"type": "IDEMPOTENCY_OUTSTANDING_REQUEST"}));
    answer(&server, 1, busy, ResponseTemplate::new(200).set_body_json(json!({"cancellation": {}}))).await;
    let _ = client.payment().cancel_payment("p", CancelPaymentBody::new("r")).await;
    assert_eq!(requests(&server).await.len(), 2);
}

// Retrying can be turned off per client and per call.
#[tokio::test]
async fn retries_can_be_turned_off() {
    let (server, client) = start(RetryPolicy { max_retries: 0, ..fast() }).await;
    answer(&server, 5, ResponseTemplate::new(503), ok_payment_json()).await;
    client.payment().get_payment("p").await.expect_err("no retry");
    assert_eq!(requests(&server).await.len(), 1);

    let (server, client) = start(fast()).await;
    answer(&server, 5, ResponseTemplate::new(503), ok_payment_json()).await;
    client.payment().get_payment("p").max_retries(0).await.expect_err("no retry for this call");
    assert_eq!(requests(&server).await.len(), 1);
}

// Retry-After (seconds) is honoured: the retry waits at least that long.
#[tokio::test]
async fn retry_after_is_honoured() {
    let (server, client) = start(fast()).await;
    answer(&server, 1, ResponseTemplate::new(429).insert_header("retry-after", "1"), ok_payment_json()).await;
    let started = Instant::now();
    client.payment().get_payment("p").await.expect("second attempt");
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(requests(&server).await.len(), 2);
}

// A Retry-After longer than the policy allows ends the call with the server's answer and
// its wait, instead of retrying sooner than asked.
#[tokio::test]
async fn a_retry_after_past_the_cap_ends_the_call_with_the_wait() {
    let policy = RetryPolicy { max_retry_after: Duration::from_millis(30), ..fast() };
    let (server, client) = start(policy).await;
    answer(&server, 1, ResponseTemplate::new(503).insert_header("retry-after", "3600"), ok_payment_json()).await;
    let started = Instant::now();
    let err = client.payment().get_payment("p").await.expect_err("no early retry");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(requests(&server).await.len(), 1);
}

// A wait that would end past the call's deadline is not taken either: the answer and its
// Retry-After (an HTTP date) come back at once.
#[tokio::test]
async fn a_retry_after_past_the_deadline_ends_the_call() {
    let (server, client) = start(fast()).await;
    let later = httpdate_in(Duration::from_secs(20));
    answer(&server, 1, ResponseTemplate::new(503).insert_header("retry-after", later.as_str()), ok_payment_json())
        .await;
    let started = Instant::now();
    let err = client.payment().get_payment("p").timeout(Duration::from_secs(5)).await.expect_err("no retry");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    let wait = err.retry_after().expect("the server's wait is kept");
    assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20), "{wait:?}");
    assert_eq!(requests(&server).await.len(), 1);
}

/// An IMF-fixdate `d` from now.
fn httpdate_in(d: Duration) -> String {
    let at = portone_sdk::chrono::DateTime::<portone_sdk::chrono::Utc>::from(std::time::SystemTime::now() + d);
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

// Backoff waits stay within the policy's bounds (5 ms, then 10 ms, at most).
#[tokio::test]
async fn backoff_stays_within_bounds() {
    let policy =
        RetryPolicy { base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(150), ..fast() };
    let (server, client) = start(policy).await;
    answer(&server, 2, ResponseTemplate::new(503), ok_payment_json()).await;
    let started = Instant::now();
    client.payment().get_payment("p").await.expect("third attempt");
    // Waits: at most 100 ms, then at most 150 ms (the cap), plus three quick requests.
    assert!(started.elapsed() < Duration::from_millis(250 + 700), "{:?}", started.elapsed());
}

// A POST carries an Idempotency-Key, the same on every attempt, and a fresh one per call.
#[tokio::test]
async fn idempotency_key_is_stable_across_attempts_and_fresh_per_call() {
    let (server, client) = start(fast()).await;
    answer(
        &server,
        2,
        ResponseTemplate::new(502),
        ResponseTemplate::new(200).set_body_json(json!({"cancellation": {}})),
    )
    .await;
    let _ = client.payment().cancel_payment("p", CancelPaymentBody::new("r")).await;
    let first: Vec<Option<String>> = requests(&server).await.iter().map(key).collect();
    assert_eq!(first.len(), 3);
    assert!(first[0].is_some());
    assert!(first.iter().all(|k| k == &first[0]), "{first:?}");

    let _ = client.payment().cancel_payment("p", CancelPaymentBody::new("r")).await;
    let all = requests(&server).await;
    let second = key(&all[3]);
    assert!(second.is_some() && second != first[0], "{second:?} vs {:?}", first[0]);
}

// A caller's idempotency key is sent as given; a GET sends none.
#[tokio::test]
async fn caller_key_is_used_and_gets_have_none() {
    let (server, client) = start(fast()).await;
    answer(&server, 0, ok_payment_json(), ResponseTemplate::new(200).set_body_json(json!({"cancellation": {}}))).await;
    let _ = client.payment().cancel_payment("p", CancelPaymentBody::new("r")).idempotency_key("order-7-cancel").await;
    let _ = client.payment().get_payment("p").await;
    let all = requests(&server).await;
    assert_eq!(key(&all[0]).as_deref(), Some("order-7-cancel"));
    assert_eq!(key(&all[1]), None);
}

// The per-call timeout bounds the whole call: a slow server gives a timeout error quickly.
#[tokio::test]
async fn timeout_bounds_the_call() {
    let (server, client) = start(fast()).await;
    answer(&server, 0, ok_payment_json(), ok_payment_json().set_delay(Duration::from_secs(5))).await;
    let started = Instant::now();
    let err = client.payment().get_payment("p").timeout(Duration::from_millis(300)).await.expect_err("too slow");
    assert!(matches!(&err, Error::Transport(t) if t.is_timeout()), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

// An attempt slower than the attempt timeout is given up and retried within the total.
#[tokio::test]
async fn a_timed_out_attempt_is_retried_within_the_total() {
    let (server, client) = start(fast()).await;
    answer(&server, 1, ok_payment_json().set_delay(Duration::from_secs(5)), ok_payment_json()).await;
    let started = Instant::now();
    client
        .payment()
        .get_payment("p")
        .attempt_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(4))
        .await
        .expect("second attempt");
    assert_eq!(requests(&server).await.len(), 2);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

// A POST that timed out is retried like any failure: its idempotency key makes it safe,
// and the retry carries the same key.
#[tokio::test]
async fn a_timed_out_post_is_retried_with_the_same_key() {
    let (server, client) = start(fast()).await;
    let cancelled = ResponseTemplate::new(200).set_body_json(json!({"cancellation": {}}));
    answer(&server, 1, cancelled.clone().set_delay(Duration::from_secs(5)), cancelled).await;
    let _ = client
        .payment()
        .cancel_payment("p", CancelPaymentBody::new("r"))
        .attempt_timeout(Duration::from_millis(200))
        .await;
    let keys: Vec<Option<String>> = requests(&server).await.iter().map(key).collect();
    assert_eq!(keys.len(), 2);
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
}

// A refused connection never reached the server: it is retried, then reported as a connect error.
#[tokio::test]
async fn connection_failures_are_retried_and_reported() {
    let port = { free_port().local_addr().expect("addr").port() };
    let http = direct_http();
    let policy =
        RetryPolicy { base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(100), ..fast() };
    let client = Client::builder("secret")
        .base_url(format!("http://127.0.0.1:{port}"))
        .http_client(http)
        .retry_policy(policy)
        .build()
        .expect("client");
    let capture = support::capture::Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let started = Instant::now();
    let err = client.payment().cancel_payment("p", CancelPaymentBody::new("r")).await.expect_err("nobody listens");
    assert!(matches!(&err, Error::Transport(t) if t.is_connect()), "{err:?}");
    // The SDK traces each attempt: three refused connections, one call.
    let failed =
        |text: &str| text.lines().filter(|l| l.contains("attempt failed") && l.contains("connect=true")).count();
    assert_eq!(failed(&capture.text()), 3, "{}", capture.text());
    // A V1 login is a POST without an idempotency key: a refused connection is still
    // retried (it reached nobody), a timed-out one would not be.
    capture.0.lock().unwrap().clear();
    let v1 = portone_sdk::v1::Client::builder("imp-key", "imp-secret-value")
        .base_url(format!("http://127.0.0.1:{port}"))
        .http_client(direct_http())
        .retry_policy(policy)
        .build()
        .expect("client");
    let err = v1.payment().get_payment_by_imp_uid("imp_1").await.expect_err("nobody listens");
    assert!(matches!(&err, Error::Auth(_)), "{err:?}");
    assert_eq!(failed(&capture.text()), 3, "getToken sent three times: {}", capture.text());
    // Nothing can count refused connections; with full jitter the waits may be near zero,
    // so the firm check is that retrying a refused POST ends promptly with the right error.
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}
