use portone_sdk::serde_json::{self, json};
use portone_sdk::testing::MockPortOne;
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::{CancelPayment, GetPayment};
use portone_sdk::v2::types::{CancelPaymentBody, Payment};

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
    let paid: Payment = serde_json::from_value(json!({
        "status": "PAID", "id": "order-1", "transactionId": "tx-1", "merchantId": "m-1", "storeId": "s-1",
        "channel": { "type": "TEST", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "tosstest" },
        "version": "V2", "requestedAt": "2024-05-01T10:00:00Z", "updatedAt": "2024-05-01T10:01:00Z",
        "statusChangedAt": "2024-05-01T10:01:00Z", "paidAt": "2024-05-01T10:01:00Z",
        "orderName": "T-shirt", "currency": "KRW", "customer": {}, "disputes": [],
        "amount": { "total": 1000, "taxFree": 0, "discount": 0, "paid": 1000, "cancelled": 0, "cancelledTaxFree": 0 },
        "origin": { "platformType": "PC", "ipAddress": "127.0.0.1" }
    }))
    .unwrap();
    mock.on::<GetPayment>().path("paymentId", "order-1").respond(paid);
    let cancelled = serde_json::from_value(json!({ "cancellation": {
        "status": "SUCCEEDED", "id": "c-1", "totalAmount": 1000, "taxFreeAmount": 0, "vatAmount": 0,
        "reason": "amount does not match the order", "requestedAt": "2024-05-01T10:02:00Z"
    }}))
    .unwrap();
    mock.on::<CancelPayment>().path("paymentId", "order-1").times(1).respond(cancelled);

    // Your code runs against the mock: an order of 5000 won paid with 1000.
    let confirmed = confirm_checkout(&mock.v2_client(), "order-1", 5000).await.unwrap();

    assert!(!confirmed);
    let cancels = mock.requests_for::<CancelPayment>();
    assert_eq!(cancels.len(), 1);
    let body: CancelPaymentBody = cancels[0].body().unwrap();
    assert_eq!(body.reason, "amount does not match the order");
}
