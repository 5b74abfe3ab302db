//! Confirming a checkout on the server: fetch the payment from PortOne, compare the amount
//! paid with the order's total, and cancel a payment that does not match, so a tampered
//! browser cannot buy at a price of its own choosing.
//!
//! It runs against the SDK's mock PortOne and checks what was sent:
//! `cargo run -p portone-sdk --features testing --example checkout_confirmation`

use portone_sdk::PortOneError;
use portone_sdk::testing::{MockPortOne, sample};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::{CancelPayment, GetPayment};
use portone_sdk::v2::types::{CancelPaymentBody, CancelPaymentResponse, PaidPayment, Payment};

/// An order as the shop's database keeps it; its ID is the payment ID the browser used.
struct Order {
    id: &'static str,
    total: i64,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Confirmed,
    /// The amount did not match and the payment was cancelled in full.
    Cancelled {
        paid: i64,
    },
    /// Not paid (yet): ready, failed, cancelled already, or a status this SDK does not know.
    NotPaid(String),
}

const MISMATCH_REASON: &str = "paid amount does not match the order total";

/// The shop's confirmation step, called when the browser reports a finished payment.
async fn confirm(client: &Client, order: &Order) -> Result<Outcome, PortOneError> {
    let paid = match client.payment().get_payment(order.id).await? {
        Payment::Paid(paid) => paid,
        other => return Ok(Outcome::NotPaid(other.tag().unwrap_or("unknown").to_owned())),
    };
    if paid.amount.total == order.total {
        return Ok(Outcome::Confirmed);
    }
    let mut body = CancelPaymentBody::new(MISMATCH_REASON);
    body.amount = Some(paid.amount.total);
    // A fixed key per order: confirming the same order twice cannot cancel twice.
    client.payment().cancel_payment(order.id, body).idempotency_key(format!("{}-amount-mismatch", order.id)).await?;
    Ok(Outcome::Cancelled { paid: paid.amount.total })
}

/// A paid payment as PortOne's `GET /payments/{paymentId}` returns it: the test kit's
/// sample with the ID and amounts this run is about.
fn paid_payment(id: &str, total: i64) -> Payment {
    let mut paid: PaidPayment = sample();
    paid.id = id.to_string();
    paid.amount.total = total;
    paid.amount.paid = total;
    Payment::Paid(paid)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockPortOne::start().await;
    // order-1001 was paid in full; order-1002 was paid 1,000 won for a 39,000 won order.
    mock.on::<GetPayment>().path("paymentId", "order-1001").respond(paid_payment("order-1001", 39_000));
    mock.on::<GetPayment>().path("paymentId", "order-1002").respond(paid_payment("order-1002", 1_000));
    let cancelled: CancelPaymentResponse = sample();
    mock.on::<CancelPayment>().path("paymentId", "order-1002").times(1).respond(cancelled);
    let client = mock.client::<portone_sdk::v2::Client>();

    let honest = confirm(&client, &Order { id: "order-1001", total: 39_000 }).await?;
    let tampered = confirm(&client, &Order { id: "order-1002", total: 39_000 }).await?;
    println!("order-1001: {honest:?}\norder-1002: {tampered:?}");

    assert_eq!(honest, Outcome::Confirmed);
    assert_eq!(tampered, Outcome::Cancelled { paid: 1_000 });
    let cancels = mock.requests_for::<CancelPayment>();
    assert_eq!(cancels.len(), 1, "only the mismatched payment is cancelled: {cancels:#?}");
    assert_eq!(cancels[0].path_param("paymentId"), Some("order-1002"));
    assert_eq!(cancels[0].header("idempotency-key"), Some("order-1002-amount-mismatch"));
    let body: CancelPaymentBody = cancels[0].body()?;
    assert_eq!((body.reason.as_str(), body.amount), (MISMATCH_REASON, Some(1_000)));
    Ok(())
}
