//! Request hooks: count and time calls per operation for a metrics back end, and send
//! the current trace context (`traceparent`) with every attempt, so PortOne's side and
//! our own traces line up. The hook sees names and numbers only, never a credential.
//!
//! It runs against the SDK's mock PortOne, which fails the first attempt with a 503:
//! `cargo run -p portone-sdk --features testing,payment --example request_hooks`

use portone_sdk::hooks::{AttemptStart, CallEnd, Hook};
use portone_sdk::reqwest;
use portone_sdk::testing::{MockPortOne, sample};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::GetPayment;
use portone_sdk::v2::types::{PaidPayment, Payment};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// What a metrics library would hold: per operation, calls, failures and attempts.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    calls: u32,
    failures: u32,
    attempts: u32,
}

/// The hook: a trace ID for this process's current request (an OpenTelemetry
/// propagator would supply it) and the metrics it records.
struct Observability {
    trace_id: &'static str,
    metrics: Arc<Mutex<BTreeMap<String, Counts>>>,
}

impl Hook for Observability {
    fn before_attempt(&self, attempt: &mut AttemptStart<'_>) {
        // W3C Trace Context: a span ID of our own per attempt, so retries tell apart.
        let traceparent =
            format!("00-{}-{:016x}-01", self.trace_id, 0x00f0_67aa_0ba9_0000_u64 + u64::from(attempt.attempt()));
        if let Err(refused) = attempt.add_header("traceparent", &traceparent) {
            eprintln!("{refused}");
        }
    }

    fn call_finished(&self, call: &CallEnd<'_>) {
        // Label by operation (`getPayment`) or path template, never by the path: it holds IDs.
        let label = format!("{} {}", call.call().operation(), call.error_type().unwrap_or("ok"));
        let mut metrics = self.metrics.lock().unwrap();
        let counts = metrics.entry(label).or_default();
        counts.calls += 1;
        counts.failures += u32::from(call.error_kind().is_some());
        counts.attempts += call.attempts();
    }
}

fn paid(id: &str) -> Payment {
    let mut paid: PaidPayment = sample();
    paid.id = id.to_owned();
    Payment::Paid(paid)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockPortOne::start().await;
    // The first lookup of order-1 meets a 503 and is retried; order-2 does not exist.
    mock.on::<GetPayment>().path("paymentId", "order-1").times(1).respond_raw(503, "text/plain", "busy");
    mock.on::<GetPayment>().path("paymentId", "order-1").respond(paid("order-1"));
    mock.on::<GetPayment>().path("paymentId", "order-2").respond_raw(
        404,
        "application/json",
        r#"{"type":"PAYMENT_NOT_FOUND","message":"no such payment"}"#,
    );

    let metrics = Arc::new(Mutex::new(BTreeMap::new()));
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let client = Client::builder("test-secret")
        .base_url(mock.base_url::<Client>())
        .http_client(reqwest::Client::builder().no_proxy())
        .retry_policy(portone_sdk::RetryPolicy {
            base_delay: std::time::Duration::from_millis(5),
            ..Default::default()
        })
        .hook(Observability { trace_id, metrics: Arc::clone(&metrics) })
        .build()?;

    client.payment().get_payment("order-1").await?;
    client.payment().get_payment("order-2").await.expect_err("order-2 does not exist");
    let metrics = metrics.lock().unwrap();
    println!("{metrics:#?}");

    assert_eq!(metrics["getPayment ok"], Counts { calls: 1, failures: 0, attempts: 2 });
    assert_eq!(metrics["getPayment 404"], Counts { calls: 1, failures: 1, attempts: 1 });
    let sent: Vec<_> = mock.requests().iter().map(|r| r.header("traceparent").map(str::to_owned)).collect();
    assert_eq!(
        sent,
        [
            Some(format!("00-{trace_id}-00f067aa0ba90001-01")),
            Some(format!("00-{trace_id}-00f067aa0ba90002-01")),
            Some(format!("00-{trace_id}-00f067aa0ba90001-01")),
        ]
    );
    Ok(())
}
