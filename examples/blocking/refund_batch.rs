//! A refund batch job written without async code: it walks every payment of a period
//! with a blocking iterator, refunds the paid ones a list of returned orders names, and
//! prints a report. Each refund carries a key derived from its order, so running the job
//! again after a crash cannot refund twice.
//!
//! The package depends on no async runtime; the SDK's `blocking` feature runs the calls
//! on threads of its own. It runs against the SDK's mock PortOne and checks what was sent:
//! `cargo run -p portone-example-blocking --example refund_batch`

use portone_sdk::blocking::{IterBlocking as _, SendBlocking as _};
use portone_sdk::serde_json::{self, Value, json};
use portone_sdk::testing::{MockPortOne, MockRequest, sample};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::{CancelPayment, GetPayments};
use portone_sdk::v2::types::{CancelPaymentBody, CancelPaymentResponse, GetPaymentsBody, GetPaymentsResponse, PageInput};
use portone_sdk::{PortOneError, RetryPolicy};
use std::time::Duration;

/// The reason each refund records.
const REASON: &str = "order returned";

/// What the job did with one returned order.
#[derive(Debug, PartialEq)]
enum Line {
    Refunded { order: String, amount: i64 },
    /// The order's payment is not in the period, or is not paid (already cancelled, failed).
    Skipped { order: String, status: String },
}

/// Refund every paid payment whose ID is in `returned`, walking the payments page by page.
fn run(client: &Client, returned: &[&str]) -> Result<Vec<Line>, PortOneError> {
    let mut report = Vec::new();
    let body = GetPaymentsBody::new().with_page(PageInput::new().with_number(0).with_size(PAGE_SIZE));
    for payment in client.payment().get_payments().body(body).items().iter_blocking() {
        let payment = payment?;
        let Some(id) = payment.id().filter(|id| returned.contains(id)) else { continue };
        let status = payment.tag().unwrap_or("UNKNOWN");
        if status != "PAID" {
            report.push(Line::Skipped { order: id.to_owned(), status: status.to_owned() });
            continue;
        }
        let amount = payment.amount().map_or(0, |a| a.total - a.cancelled);
        client
            .payment()
            .cancel_payment(id, CancelPaymentBody::new(REASON))
            .idempotency_key(format!("{id}-returned"))
            .send_blocking()?;
        report.push(Line::Refunded { order: id.to_owned(), amount });
    }
    Ok(report)
}

const PAGE_SIZE: i32 = 2;

/// A payment as `GET /payments` lists it.
fn payment(id: &str, status: &str, total: i64) -> Value {
    let mut payment = json!({
        "status": status, "id": id, "transactionId": format!("tx-{id}"), "merchantId": "merchant-1",
        "storeId": "store-1", "version": "V2", "orderName": "Jacket", "currency": "KRW",
        "channel": { "type": "LIVE", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "shop" },
        "requestedAt": "2024-05-10T09:00:00Z", "updatedAt": "2024-05-10T09:00:30Z",
        "statusChangedAt": "2024-05-10T09:00:30Z", "customer": {}, "disputes": [],
        "origin": { "platformType": "PC", "ipAddress": "203.0.113.7" },
        "amount": { "total": total, "taxFree": 0, "discount": 0, "paid": total, "cancelled": 0, "cancelledTaxFree": 0 }
    });
    if status == "PAID" {
        payment["paidAt"] = json!("2024-05-10T09:00:30Z");
    } else {
        payment["failedAt"] = json!("2024-05-10T09:00:30Z");
        payment["failure"] = json!({ "reason": "card declined" });
    }
    payment
}

/// The page number a `GetPayments` request asks for.
fn page_asked(request: &MockRequest) -> Option<i64> {
    let body: Value = serde_json::from_str(request.query_value("requestBody")?).ok()?;
    Some(body["page"]["number"].as_i64().unwrap_or(0))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Started without async code too: the mock serves on the SDK's blocking threads.
    let mock = MockPortOne::start_blocking();
    let first: GetPaymentsResponse = serde_json::from_value(json!({
        "items": [payment("order-1", "PAID", 30_000), payment("order-2", "PAID", 12_000)],
        "page": { "number": 0, "size": PAGE_SIZE, "totalCount": 3 }
    }))?;
    let second: GetPaymentsResponse = serde_json::from_value(json!({
        "items": [payment("order-3", "FAILED", 8_000)],
        "page": { "number": 1, "size": PAGE_SIZE, "totalCount": 3 }
    }))?;
    mock.on::<GetPayments>().matching(|r| page_asked(r) == Some(0)).respond(first);
    mock.on::<GetPayments>().matching(|r| page_asked(r) == Some(1)).respond(second);
    // The first refund meets a gateway hiccup once; the SDK repeats it with the same key.
    let hiccup = mock.on::<CancelPayment>().times(1).respond_raw(503, "text/html", "<html>busy</html>");
    let cancelled: CancelPaymentResponse = sample();
    mock.on::<CancelPayment>().respond(cancelled);

    let client = Client::builder("test-secret")
        .base_url(mock.base_url::<Client>())
        .http_client(portone_sdk::reqwest::Client::builder().no_proxy())
        .retry_policy(RetryPolicy { base_delay: Duration::from_millis(5), ..Default::default() })
        .build()?;
    let report = run(&client, &["order-1", "order-3"])?;
    for line in &report {
        println!("{line:?}");
    }

    assert_eq!(
        report,
        [
            Line::Refunded { order: "order-1".into(), amount: 30_000 },
            Line::Skipped { order: "order-3".into(), status: "FAILED".into() },
        ]
    );
    assert_eq!(hiccup.hits(), 1);
    let refunds = mock.requests_for::<CancelPayment>();
    assert_eq!(refunds.len(), 2, "the refund and its repeat after the 503");
    assert!(refunds.iter().all(|r| r.header("idempotency-key") == Some("order-1-returned")));
    assert!(refunds.iter().all(|r| r.path().ends_with("/payments/order-1/cancel")));
    assert_eq!(mock.requests_for::<GetPayments>().len(), 2, "both pages read");
    Ok(())
}
