//! Each call is a `portone.call` tracing span with operation, method, status, attempts and
//! elapsed time, and nothing recorded holds the secret, the query or the body.

use portone_sdk::v2::Client;
use portone_sdk::RetryPolicy;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server};

const SECRET: &str = "sk-observability-Zq81-never-log";

/// Every span name, field and event the SDK records, as `name field=value` lines.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Line(&mut line));
        let mut lines = self.0.lock().unwrap();
        lines.push(line);
        Id::from_u64(lines.len() as u64)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = String::from("record");
        values.record(&mut Line(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = String::from("event");
        event.record(&mut Line(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn a_call_is_one_span_with_its_facts_and_no_secrets() {
    let capture = Capture::default();
    let lines = capture.0.clone();
    tracing::subscriber::with_default(capture, || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let server = loopback_server().await;
            Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "NEW", "secretBody": 1})),
                )
                .mount(&server)
                .await;
            let http = direct_http();
            let policy = RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() };
            let client = Client::builder(SECRET)
                .base_url(server.uri())
                .http_client(http)
                .retry_policy(policy)
                .store_id("store-in-query")
                .build()
                .expect("client");
            client.payment().get_payment("pay-1").await.expect("second attempt");
        });
    });
    let text = lines.lock().unwrap().join("\n");
    assert!(text.contains("span portone.call operation=\"getPayment\" method=GET"), "{text}");
    assert!(text.contains("record attempts=2"), "{text}");
    assert!(text.contains("record status=200"), "{text}");
    assert!(text.contains("elapsed_ms="), "{text}");
    assert!(text.contains("status=503"), "the failed attempt is an event: {text}");
    for hidden in [SECRET, "store-in-query", "secretBody", "pay-1"] {
        assert!(!text.contains(hidden), "{hidden:?} was recorded: {text}");
    }
}
