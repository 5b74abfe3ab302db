//! Request hooks against wiremock on 127.0.0.1: what a hook sees before and after each
//! attempt and at the end of each call, the headers it may add and those it may not,
//! several hooks in order, and token fetches marked as such.

use portone_sdk::RetryPolicy;
use portone_sdk::hooks::{AttemptEnd, AttemptStart, CallEnd, Hook};
use portone_sdk::v2::Client;
use portone_sdk::v2::types::CancelPaymentBody;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server, requests_to};

const SECRET: &str = "sk-hooks-Qw93-never-seen";
const PAID_PAYMENT: &str = include_str!("data/paid_payment.json");

/// Writes what it sees as text lines into a shared log, prefixed with its name.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Hook for Recorder {
    fn before_attempt(&self, attempt: &mut AttemptStart<'_>) {
        let call = attempt.call();
        let line = format!(
            "{} before {} {} {:?} #{} token={}",
            self.name,
            call.operation(),
            call.method(),
            call.path_template(),
            attempt.attempt(),
            call.is_token_fetch()
        );
        self.log.lock().unwrap().push(line);
        attempt.add_header("x-hook-order", self.name).expect("a header of our own");
    }

    fn after_attempt(&self, attempt: &AttemptEnd<'_>) {
        let line = format!(
            "{} after {} #{} status={:?} transport={:?} retry={}",
            self.name,
            attempt.call().operation(),
            attempt.attempt(),
            attempt.status().map(|s| s.as_u16()),
            attempt.transport_error(),
            attempt.will_retry()
        );
        self.log.lock().unwrap().push(line);
    }

    fn call_finished(&self, call: &CallEnd<'_>) {
        let line = format!(
            "{} done {} attempts={} status={:?} kind={:?} type={:?} token={}",
            self.name,
            call.call().operation(),
            call.attempts(),
            call.status().map(|s| s.as_u16()),
            call.error_kind(),
            call.error_type(),
            call.call().is_token_fetch()
        );
        self.log.lock().unwrap().push(line);
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2), ..RetryPolicy::default() }
}

fn client_with(
    server: &MockServer,
    hooks: Vec<Box<dyn FnOnce(portone_sdk::v2::ClientBuilder) -> portone_sdk::v2::ClientBuilder>>,
) -> Client {
    let mut builder = Client::builder(SECRET).base_url(server.uri()).http_client(direct_http()).retry_policy(quick());
    for add in hooks {
        builder = add(builder);
    }
    builder.build().expect("client")
}

fn recorder(name: &'static str, log: &Arc<Mutex<Vec<String>>>) -> Recorder {
    Recorder { name, log: Arc::clone(log) }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_the_end_in_order() {
    let server = loopback_server().await;
    Mock::given(path("/payments/pay-1")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/payments/pay-1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json"))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let (a, b) = (recorder("A", &log), recorder("B", &log));
    let client = client_with(&server, vec![Box::new(move |c| c.hook(a)), Box::new(move |c| c.hook(b))]);
    client.payment().get_payment("pay-1").await.expect("second attempt answers");

    let expected = [
        "A before getPayment GET Some(\"/payments/{paymentId}\") #1 token=false",
        "B before getPayment GET Some(\"/payments/{paymentId}\") #1 token=false",
        "A after getPayment #1 status=Some(503) transport=None retry=true",
        "B after getPayment #1 status=Some(503) transport=None retry=true",
        "A before getPayment GET Some(\"/payments/{paymentId}\") #2 token=false",
        "B before getPayment GET Some(\"/payments/{paymentId}\") #2 token=false",
        "A after getPayment #2 status=Some(200) transport=None retry=false",
        "B after getPayment #2 status=Some(200) transport=None retry=false",
        "A done getPayment attempts=2 status=Some(200) kind=None type=None token=false",
        "B done getPayment attempts=2 status=Some(200) kind=None type=None token=false",
    ];
    assert_eq!(*log.lock().unwrap(), expected);
    // Both hooks' header reached the server; the later hook's value replaced the earlier's.
    for request in requests_to(&server, "/payments/pay-1").await {
        let values: Vec<_> = request.headers.get_all("x-hook-order").iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(values, ["B"]);
    }
}

#[tokio::test]
async fn the_end_reports_error_answers_and_transport_failures() {
    let server = loopback_server().await;
    let missing = json!({"type": "PAYMENT_NOT_FOUND", "message": "no such payment"});
    Mock::given(path("/payments/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(missing))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let hook = recorder("H", &log);
    let client = client_with(&server, vec![Box::new(move |c| c.hook(hook))]);
    client.payment().get_payment("gone").await.expect_err("404");
    let done = log.lock().unwrap().last().cloned().unwrap();
    assert_eq!(done, "H done getPayment attempts=1 status=Some(404) kind=Some(Api) type=Some(\"404\") token=false");

    // Nothing listens on this port: a connection failure, retried, then the end.
    let closed = support::free_port().local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder(SECRET)
        .base_url(format!("http://{closed}"))
        .http_client(direct_http())
        .retry_policy(RetryPolicy { max_retries: 1, ..quick() })
        .hook(recorder("H", &log))
        .build()
        .unwrap();
    client.payment().get_payment("pay-1").await.expect_err("nothing listens");
    let lines = log.lock().unwrap().clone();
    let after: Vec<_> = lines.iter().filter(|l| l.contains(" after ")).collect();
    assert_eq!(
        after,
        [
            "H after getPayment #1 status=None transport=Some(Connect) retry=true",
            "H after getPayment #2 status=None transport=Some(Connect) retry=false"
        ]
    );
    assert_eq!(
        lines.last().unwrap(),
        "H done getPayment attempts=2 status=None kind=Some(Transport) type=Some(\"connect\") token=false"
    );
}

/// Tries to send credentials and framing headers of its own, and reads back why not.
struct Forger {
    refusals: Arc<Mutex<Vec<String>>>,
}

impl Hook for Forger {
    fn before_attempt(&self, attempt: &mut AttemptStart<'_>) {
        for name in [
            "Authorization",
            "authorization",
            "Idempotency-Key",
            "Content-Type",
            "Accept",
            "User-Agent",
            "Host",
            "Content-Length",
            "Transfer-Encoding",
            "Connection",
            "bad header",
        ] {
            let refused = attempt.add_header(name, "forged").expect_err(name);
            assert_eq!(refused.name(), name);
            self.refusals.lock().unwrap().push(refused.to_string());
        }
        attempt.add_header("x-request-source", "batch\nline").expect_err("a line break");
        attempt.add_header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").expect("allowed");
    }
}

#[tokio::test]
async fn hooks_cannot_set_credentials_or_the_idempotency_key() {
    let server = loopback_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"cancellation": {"status": "REQUESTED", "id": "c-1", "totalAmount": 1000, "taxFreeAmount": 0, "vatAmount": 0, "reason": "r", "requestedAt": "2024-01-01T00:00:00Z"}})))
        .mount(&server)
        .await;
    let refusals = Arc::new(Mutex::new(Vec::new()));
    let forger = Forger { refusals: Arc::clone(&refusals) };
    let client = client_with(&server, vec![Box::new(move |c| c.hook(forger))]);
    let _ = client.payment().cancel_payment("pay-1", CancelPaymentBody::new("r")).idempotency_key("key-of-mine").await;

    let received = server.received_requests().await.unwrap();
    assert!(!received.is_empty(), "the call was sent");
    for request in received {
        let one = |name: &str| {
            request.headers.get_all(name).iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>()
        };
        assert_eq!(one("authorization"), [format!("PortOne {SECRET}")]);
        assert_eq!(one("idempotency-key"), ["key-of-mine"]);
        assert_eq!(one("content-type"), ["application/json"]);
        assert_eq!(one("accept"), ["application/json"]);
        assert!(one("user-agent")[0].starts_with("portone-sdk-rust/"));
        assert_eq!(one("traceparent"), ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]);
        assert!(one("x-request-source").is_empty());
        assert!(one("connection").iter().all(|v| v != "forged"));
    }
    let refusals = refusals.lock().unwrap();
    assert!(refusals[0].contains("\"Authorization\": it is set by the SDK"), "{refusals:?}");
    assert!(refusals[6].contains("\"Host\": it frames the request"), "{refusals:?}");
    assert!(refusals.iter().all(|r| !r.contains("forged")), "a refusal shows no value: {refusals:?}");
}

/// Keeps everything a hook is handed, as `Debug` text.
struct Snoop(Arc<Mutex<String>>);

impl Hook for Snoop {
    fn before_attempt(&self, attempt: &mut AttemptStart<'_>) {
        self.0.lock().unwrap().push_str(&format!("{attempt:?} {:?}\n", attempt.call()));
    }
    fn after_attempt(&self, attempt: &AttemptEnd<'_>) {
        self.0.lock().unwrap().push_str(&format!("{attempt:?}\n"));
    }
    fn call_finished(&self, call: &CallEnd<'_>) {
        self.0.lock().unwrap().push_str(&format!("{call:?}\n"));
    }
}

#[tokio::test]
async fn token_fetches_are_seen_marked_and_without_the_token() {
    let server = loopback_server().await;
    let token = "eyJ-access-token-never-seen";
    Mock::given(path("/login/api-secret"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"accessToken": token, "refreshToken": "refresh-never-seen"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/payments/pay-1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json"))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::new(Mutex::new(String::new()));
    let client = Client::builder(SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .access_tokens()
        .hook(recorder("H", &log))
        .hook(Snoop(Arc::clone(&seen)))
        .build()
        .unwrap();
    client.payment().get_payment("pay-1").await.expect("paid");
    let lines = log.lock().unwrap().clone();
    assert_eq!(
        lines,
        [
            "H before loginViaApiSecret POST Some(\"/login/api-secret\") #1 token=true",
            "H after loginViaApiSecret #1 status=Some(200) transport=None retry=false",
            "H done loginViaApiSecret attempts=1 status=Some(200) kind=None type=None token=true",
            "H before getPayment GET Some(\"/payments/{paymentId}\") #1 token=false",
            "H after getPayment #1 status=Some(200) transport=None retry=false",
            "H done getPayment attempts=1 status=Some(200) kind=None type=None token=false",
        ]
    );
    let seen = seen.lock().unwrap();
    for hidden in [SECRET, token, "refresh-never-seen", "pay-1"] {
        assert!(!seen.contains(hidden), "{hidden:?} was handed to a hook: {seen}");
    }
}

#[tokio::test]
async fn a_refused_token_repeat_goes_on_counting() {
    let server = loopback_server().await;
    Mock::given(path("/login/api-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"accessToken": "t", "refreshToken": "r"})))
        .mount(&server)
        .await;
    Mock::given(path("/payments/pay-1")).respond_with(ResponseTemplate::new(401)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/payments/pay-1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json"))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder(SECRET)
        .base_url(server.uri())
        .http_client(direct_http())
        .access_tokens()
        .hook(recorder("H", &log))
        .build()
        .unwrap();
    client.payment().get_payment("pay-1").await.expect("paid after a new token");
    let calls: Vec<_> =
        log.lock().unwrap().iter().filter(|l| l.contains("getPayment") && !l.contains(" before ")).cloned().collect();
    assert_eq!(
        calls,
        [
            "H after getPayment #1 status=Some(401) transport=None retry=false",
            "H after getPayment #2 status=Some(200) transport=None retry=false",
            "H done getPayment attempts=2 status=Some(200) kind=None type=None token=false",
        ]
    );
}
