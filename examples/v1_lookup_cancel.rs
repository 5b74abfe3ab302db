//! A refund desk on PortOne V1 (`api.iamport.kr`): look a payment up by its `imp_uid`,
//! refuse what cannot be refunded, and cancel the rest in full. The client gets and
//! renews the access token itself and unwraps V1's `{code, message, response}` envelope;
//! a `code` other than 0 is an `Error::Api` with the code and PortOne's message.
//!
//! The mock issues the token and wraps its answers in the envelope:
//! `cargo run -p portone-sdk --features testing,v1 --example v1_lookup_cancel`

use portone_sdk::EnvelopeError;
use portone_sdk::serde_json::{self, json};
use portone_sdk::testing::MockPortOne;
use portone_sdk::v1::operations::{CancelPayment, GetPaymentByImpUid};
use portone_sdk::v1::types::{CancelPaymentBody, PaymentAnnotation, PaymentStatus};
use portone_sdk::v1::{Client, Error};

#[derive(Debug, PartialEq)]
enum Refund {
    Done { amount: f64 },
    NotFound,
    NotRefundable(String),
}

async fn refund(client: &Client, imp_uid: &str, reason: &str) -> Result<Refund, Error> {
    let payment = match client.payment().get_payment_by_imp_uid(imp_uid).await {
        Ok(payment) => payment,
        // V1 answers an unknown imp_uid with HTTP 404 and a non-zero code.
        Err(Error::Api(e)) if e.status().as_u16() == 404 => return Ok(Refund::NotFound),
        Err(e) => return Err(e),
    };
    if payment.status != PaymentStatus::Paid {
        return Ok(Refund::NotRefundable(format!("status {:?}", payment.status)));
    }
    let left = payment.amount - payment.cancel_amount;
    let body = CancelPaymentBody::new()
        .with_imp_uid(payment.imp_uid)
        .with_amount(left)
        // PortOne refuses the cancel if the refundable amount changed meanwhile.
        .with_checksum(left)
        .with_reason(reason);
    let cancelled = client.payment().cancel_payment().body(body).await?;
    Ok(Refund::Done { amount: cancelled.cancel_amount })
}

fn v1_payment(imp_uid: &str, status: &str, amount: f64, cancelled: f64) -> PaymentAnnotation {
    serde_json::from_value(json!({
        "imp_uid": imp_uid, "merchant_uid": format!("order-{imp_uid}"), "pay_method": "card",
        "pg_provider": "html5_inicis", "name": "Hoodie", "amount": amount, "cancel_amount": cancelled,
        "currency": "KRW", "status": status, "sandbox": false, "paid_at": 1_717_232_430
    }))
    .expect("a V1 payment")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockPortOne::start().await;
    let paid = v1_payment("imp_100000000001", "paid", 39_000.0, 0.0);
    let refunded = v1_payment("imp_100000000002", "cancelled", 12_000.0, 12_000.0);
    mock.on::<GetPaymentByImpUid>().path("imp_uid", "imp_100000000001").respond(paid);
    mock.on::<GetPaymentByImpUid>().path("imp_uid", "imp_100000000002").respond(refunded);
    mock.on::<GetPaymentByImpUid>()
        .path("imp_uid", "imp_404")
        .status(404)
        .respond_error(EnvelopeError::new(1, Some("no payment with this imp_uid".into())));
    mock.on::<CancelPayment>().times(1).respond(v1_payment("imp_100000000001", "cancelled", 39_000.0, 39_000.0));
    let client = mock.client::<portone_sdk::v1::Client>();

    let done = refund(&client, "imp_100000000001", "customer returned the item").await?;
    let again = refund(&client, "imp_100000000002", "customer returned the item").await?;
    let missing = refund(&client, "imp_404", "customer returned the item").await?;
    println!("imp_100000000001: {done:?}\nimp_100000000002: {again:?}\nimp_404: {missing:?}");

    assert_eq!(done, Refund::Done { amount: 39_000.0 });
    assert_eq!(again, Refund::NotRefundable("status Cancelled".into()));
    assert_eq!(missing, Refund::NotFound);
    let operations: Vec<_> = mock.requests().iter().map(|r| r.operation()).collect();
    assert_eq!(
        operations,
        [
            Some("getToken"),
            Some("getPaymentByImpUid"),
            Some("cancelPayment"),
            Some("getPaymentByImpUid"),
            Some("getPaymentByImpUid")
        ],
        "one token serves every call"
    );
    let cancels = mock.requests_for::<CancelPayment>();
    let body: CancelPaymentBody = cancels[0].body()?;
    assert_eq!(body.imp_uid.as_deref(), Some("imp_100000000001"));
    assert_eq!((body.amount, body.checksum), (Some(39_000.0), Some(39_000.0)));
    assert_eq!(body.reason.as_deref(), Some("customer returned the item"));
    Ok(())
}
