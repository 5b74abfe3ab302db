use portone_sdk::testing::{MockPortOne, sample};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::{CancelPayment, GetPayment};
use portone_sdk::v2::types::{CancelPaymentBody, CancelPaymentResponse, PaidPayment, Payment};

/// Your code: after checkout, the payment must be paid with the order's total; one
/// that is not is cancelled. Returns whether the order is confirmed.
async fn confirm_checkout(client: &Client, payment_id: &str, total: i64) -> Result<bool, Box<dyn std::error::Error>> {
    match client.payment().get_payment(payment_id).await? {
        Payment::Paid(paid) if paid.amount.total == total => Ok(true),
        Payment::Paid(_) => {
            let body = CancelPaymentBody::new("amount does not match the order");
            client.payment().cancel_payment(payment_id, body).await?;
            Ok(false)
        }
        _ => Ok(false),
    }
}

#[tokio::test]
async fn a_payment_of_the_wrong_amount_is_cancelled() {
    let mock = MockPortOne::start().await;
    // Start from the test kit's valid samples and set only what the test is about.
    let mut paid: PaidPayment = sample();
    paid.amount.total = 1000;
    mock.on::<GetPayment>().path("paymentId", "order-1").respond(Payment::Paid(paid));
    let cancelled: CancelPaymentResponse = sample();
    mock.on::<CancelPayment>().path("paymentId", "order-1").times(1).respond(cancelled);

    // Your code runs against the mock: an order of 5000 won paid with 1000.
    let confirmed = confirm_checkout(&mock.client::<portone_sdk::v2::Client>(), "order-1", 5000).await.unwrap();

    assert!(!confirmed);
    let cancels = mock.requests_for::<CancelPayment>();
    assert_eq!(cancels.len(), 1);
    let body: CancelPaymentBody = cancels[0].body().unwrap();
    assert_eq!(body.reason, "amount does not match the order");
}
