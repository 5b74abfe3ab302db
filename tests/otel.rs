//! The call spans as OpenTelemetry receives them through `tracing-opentelemetry`, with
//! the SDK's in-memory exporter: client spans named `{method} {url.template}` with the
//! HTTP client conventions' attributes, an error status on failure, and no ID, secret,
//! query or full URL among them.

use opentelemetry::Value;
use opentelemetry::trace::{SpanKind, Status, TracerProvider as _};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use portone_sdk::RetryPolicy;
use portone_sdk::v2::Client;
use std::time::Duration;
use tracing_subscriber::layer::SubscriberExt as _;
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server};

const SECRET: &str = "sk-otel-Lp20-never-exported";
const PAID_PAYMENT: &str = include_str!("data/paid_payment.json");

/// Runs `calls` with a tracing subscriber that exports to memory; returns the spans.
fn exported(calls: impl AsyncFnOnce(String)) -> Vec<SpanData> {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("tests"));
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let server = loopback_server().await;
            Mock::given(path("/payments/pay-otel-1"))
                .respond_with(ResponseTemplate::new(503))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(path("/payments/pay-otel-1"))
                .respond_with(ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json"))
                .mount(&server)
                .await;
            Mock::given(path("/payments/pay-otel-404"))
                .respond_with(
                    ResponseTemplate::new(404)
                        .set_body_json(serde_json::json!({"type": "PAYMENT_NOT_FOUND", "message": "none"})),
                )
                .mount(&server)
                .await;
            calls(server.uri()).await;
        });
    });
    provider.force_flush().expect("flush");
    exporter.get_finished_spans().expect("spans")
}

fn client(base_url: String) -> Client {
    let policy = RetryPolicy { base_delay: Duration::from_millis(1), ..RetryPolicy::default() };
    Client::builder(SECRET)
        .base_url(base_url)
        .http_client(direct_http())
        .retry_policy(policy)
        .store_id("store-in-query-otel")
        .build()
        .expect("client")
}

fn attribute<'a>(span: &'a SpanData, key: &str) -> Option<&'a Value> {
    span.attributes.iter().find(|kv| kv.key.as_str() == key).map(|kv| &kv.value)
}

#[test]
fn calls_are_client_spans_in_the_http_conventions() {
    let spans = exported(async |base_url| {
        let client = client(base_url);
        client.payment().get_payment("pay-otel-1").await.expect("second attempt");
        client.payment().get_payment("pay-otel-404").await.expect_err("404");
    });
    assert_eq!(spans.len(), 2, "{spans:#?}");
    let (ok, missing) = (&spans[0], &spans[1]);
    let port = attribute(ok, "server.port").cloned().expect("server.port");
    assert!(matches!(port, Value::I64(p) if p > 0), "{port:?}");
    assert_eq!(ok.name, "GET /payments/{paymentId}");
    assert_eq!(ok.span_kind, SpanKind::Client);
    assert_eq!(ok.status, Status::Unset);
    let expected = [
        ("http.request.method", Value::from("GET")),
        ("server.address", Value::from("127.0.0.1")),
        ("server.port", port),
        ("url.template", Value::from("/payments/{paymentId}")),
        ("http.response.status_code", Value::from(200i64)),
        ("http.request.resend_count", Value::from(1i64)),
        // The names documented before these conventions keep working.
        ("operation", Value::from("getPayment")),
        ("method", Value::from("GET")),
        ("status", Value::from(200i64)),
        ("attempts", Value::from(2i64)),
    ];
    for (key, value) in &expected {
        assert_eq!(attribute(ok, key), Some(value), "{key} of {:#?}", ok.attributes);
    }
    assert_eq!(attribute(ok, "error.type"), None);

    assert_eq!(missing.name, "GET /payments/{paymentId}");
    assert_eq!(missing.span_kind, SpanKind::Client);
    assert!(matches!(missing.status, Status::Error { .. }), "{:?}", missing.status);
    assert_eq!(attribute(missing, "error.type"), Some(&Value::from("404")));
    assert_eq!(attribute(missing, "http.response.status_code"), Some(&Value::from(404i64)));
    assert_eq!(attribute(missing, "http.request.resend_count"), None, "a call sent once was not resent");

    let text = format!("{spans:?}");
    for hidden in [SECRET, "pay-otel-1", "pay-otel-404", "store-in-query-otel", "url.full", "url.path"] {
        assert!(!text.contains(hidden), "{hidden:?} was exported: {text}");
    }
}

#[test]
fn a_raw_request_is_named_by_its_method_alone() {
    let spans = exported(async |base_url| {
        let client = client(base_url);
        client.raw(portone_sdk::reqwest::Method::GET, "/payments/pay-otel-1").send::<serde_json::Value>().await.ok();
    });
    let span = spans.last().expect("a span");
    assert_eq!(span.name, "GET");
    assert_eq!(attribute(span, "url.template"), None, "a raw path is the caller's own and may hold IDs");
    assert!(!format!("{spans:?}").contains("pay-otel-1"));
}
