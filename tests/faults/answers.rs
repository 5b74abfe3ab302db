//! How answers are sorted (issue 18, items 2, 5, 6 and 8): a documented error whose
//! fields do not decode, secrets a server echoes back, a 401 after a failed renewal, and
//! pooled connections the server closes.

use super::*;
use portone_sdk::{ErrorKind, PortOneError};

// A 502 carrying the documented `PG_PROVIDER` tag, but without `pgCode`/`pgMessage`: the
// gateway's refusal is final by its tag. Sent once, not retryable, and the caller still
// reads the tag, the message and the raw body (from `Error::Decode`).
#[tokio::test(start_paused = true)]
async fn a_documented_tag_is_final_even_when_its_fields_do_not_decode() {
    let watch = Watch::start(Duration::from_secs(2));
    let refusal = json!({"type": "PG_PROVIDER", "message": "declined"});
    let body = refusal.to_string();
    let server = FaultServer::start(move |_, _| json(502, &refusal)).await;
    let client = client(&server).build().expect("client");
    let outcome = client.payment().pay_with_billing_key("pay-1", billing_payment()).await;
    assert_eq!(server.seen_at("/payments/pay-1/billing-key").len(), 1, "a documented refusal is sent once");
    let err = outcome.as_ref().expect_err("502");
    assert!(!err.is_retryable(), "final by its tag");
    let Error::Decode(decode) = err else { panic!("a known tag with a bad payload is Error::Decode: {err:?}") };
    assert_eq!(decode.tag(), Some("PG_PROVIDER"));
    assert_eq!(decode.error_message(), Some("declined"));
    assert_eq!(decode.body(), body.as_bytes());
    assert!(err.to_string().contains("PG_PROVIDER"), "{err}");
    watch.check(&[outcome], &server, &[]);
}

// The same through `PortOneError`: tag and message carry over from the decode error.
#[tokio::test(start_paused = true)]
async fn a_documented_tag_reaches_portone_error() {
    let server = FaultServer::start(|_, _| json(502, &json!({"type": "PG_PROVIDER", "message": "declined"}))).await;
    let client = client(&server).build().expect("client");
    let err: PortOneError =
        client.payment().pay_with_billing_key("pay-1", billing_payment()).await.expect_err("502").into();
    assert_eq!((err.kind(), err.tag(), err.message()), (ErrorKind::Decode, Some("PG_PROVIDER"), Some("declined")));
    assert!(!err.is_retryable());
}

// A tag the SDK does not know is no documented error: a 502 with it is retried, and ends
// as `Unrecognized`, retryable.
#[tokio::test(start_paused = true)]
async fn an_unknown_tag_on_a_502_is_retried() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| json(502, &json!({"type": "SOMETHING_NEW", "message": "later"}))).await;
    let client = client(&server).build().expect("client");
    let outcome = client.payment().pay_with_billing_key("pay-1", billing_payment()).await;
    assert_eq!(server.seen_at("/payments/pay-1/billing-key").len(), 3);
    match &outcome {
        Err(e @ Error::Api(ApiError { error: PayWithBillingKeyError::Unrecognized(_), .. })) => {
            assert!(e.is_retryable())
        }
        other => panic!("{other:?}"),
    }
    watch.check(&[outcome], &server, &[]);
}
