//! A subscription renewal job charging a stored billing key. The idempotency key is made
//! from the subscription and the period, so every attempt at one period's charge, in this
//! run or a later one, is the same request to PortOne and can never charge twice. A
//! failure that may pass (`is_retryable()`: a gateway timeout, a proxy's 502 page) is
//! tried again later with that same key; any other is reported.
//!
//! The mock answers a proxy's 502 page twice, then the charge:
//! `cargo run -p portone-sdk --features testing --example billing_key_renewal`

use portone_sdk::PortOneError;
use portone_sdk::serde_json::{self, json};
use portone_sdk::testing::MockPortOne;
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::PayWithBillingKey;
use portone_sdk::v2::types::{BillingKeyPaymentInput, Currency, PayWithBillingKeyResponse, PaymentAmountInput};
use std::time::Duration;

struct Subscription {
    id: &'static str,
    billing_key: &'static str,
    monthly_fee: i64,
}

/// How the job spaces its own attempts; a real job waits minutes, or leaves the charge
/// to its next scheduled run.
struct Schedule {
    attempts: u32,
    wait: Duration,
}

/// Charges `period` (`2024-06`) of a subscription; returns PortOne's transaction ID.
async fn renew(client: &Client, sub: &Subscription, period: &str, schedule: &Schedule) -> Result<String, PortOneError> {
    let payment_id = format!("{}-{period}", sub.id);
    let idempotency_key = format!("renewal-{}-{period}", sub.id);
    let mut attempt = 1;
    loop {
        let body = BillingKeyPaymentInput::new(
            sub.billing_key,
            format!("Premium plan {period}"),
            PaymentAmountInput::new(sub.monthly_fee),
            Currency::Krw,
        );
        let result = client
            .payment()
            .pay_with_billing_key(&payment_id, body)
            .idempotency_key(&idempotency_key)
            // One quick retry inside the call; a longer outage is the job's to wait out.
            .max_retries(1)
            .await;
        match result {
            Ok(charged) => return Ok(charged.payment.pg_tx_id),
            Err(e) if e.is_retryable() && attempt < schedule.attempts => {
                eprintln!("{payment_id}: attempt {attempt} failed ({e}); trying again with the same key");
                tokio::time::sleep(schedule.wait).await;
                attempt += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockPortOne::start().await;
    let bad_gateway = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    mock.on::<PayWithBillingKey>().times(2).respond_raw(502, "text/html", bad_gateway);
    let charged: PayWithBillingKeyResponse =
        serde_json::from_value(json!({ "payment": { "pgTxId": "pg-tx-7781", "paidAt": "2024-06-01T00:00:05Z" } }))?;
    mock.on::<PayWithBillingKey>().path("paymentId", "sub-42-2024-06").respond(charged);

    let sub = Subscription { id: "sub-42", billing_key: "billing-key-of-sub-42", monthly_fee: 9_900 };
    let schedule = Schedule { attempts: 3, wait: Duration::from_millis(10) };
    let tx = renew(&mock.client::<portone_sdk::v2::Client>(), &sub, "2024-06", &schedule).await?;
    println!("sub-42 renewed for 2024-06: {tx}");

    assert_eq!(tx, "pg-tx-7781");
    let attempts = mock.requests_for::<PayWithBillingKey>();
    assert_eq!(attempts.len(), 3, "two 502 pages, then the charge: {attempts:#?}");
    for attempt in &attempts {
        assert_eq!(attempt.header("idempotency-key"), Some("renewal-sub-42-2024-06"));
        assert_eq!(attempt.path_param("paymentId"), Some("sub-42-2024-06"));
        let body: BillingKeyPaymentInput = attempt.body()?;
        assert_eq!(body.amount.total, 9_900);
    }
    Ok(())
}
