//! Each call is a `portone.call` tracing span with operation, method, status, attempts and
//! elapsed time, and nothing recorded holds the secret, the query or the body.

use portone_sdk::RetryPolicy;
use portone_sdk::v2::Client;
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

mod support;
use support::capture::Capture;
use support::{direct_http, loopback_server};

const SECRET: &str = "sk-observability-Zq81-never-log";

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
