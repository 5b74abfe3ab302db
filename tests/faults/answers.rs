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

/// A 4 s V1 token `t1` (renewal due after 2 s), as getToken's answer.
fn v1_token(token: &str) -> Answer {
    json(200, &json!({"code": 0, "response": {"access_token": token, "now": 1000, "expired_at": 1004}}))
}

// A background renewal fails on the transport; a 401 arriving within the failure
// backoff then leads to one login (not to the stored failure), and the call is repeated
// with the new token. A login that fails is still backed off: the next call within 2 s
// gets its error without asking again.
#[tokio::test(start_paused = true)]
async fn a_401_after_a_failed_renewal_logs_in_once() {
    let watch = Watch::start(Duration::from_secs(10));
    let server = FaultServer::start(|seen, n| match (seen.path(), n) {
        ("/users/getToken", 0) => v1_token("t1"),
        ("/users/getToken", 1) => Answer::Reset,
        ("/users/getToken", 2) => v1_token("t2"),
        ("/users/getToken", _) => http(500, &[], b"down"),
        // The call made with t1 once renewal is due: refused, after the renewal failed.
        ("/payments/imp_1", 1) => Answer::After(Duration::from_millis(50), Box::new(http(401, &[], b""))),
        _ => v1_paid_payment(),
    })
    .await;
    let client = v1_client(&server, Duration::from_secs(2));
    let mut outcomes = vec![client.payment().get_payment_by_imp_uid("imp_1").await];
    tokio::time::sleep(Duration::from_millis(2100)).await;
    outcomes.push(client.payment().get_payment_by_imp_uid("imp_1").await);
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let tokens: Vec<_> =
        server.seen_at("/payments/imp_1").iter().map(|s| s.header("authorization").map(str::to_owned)).collect();
    assert_eq!(tokens, [Some("t1"), Some("t1"), Some("t2")].map(|t| t.map(str::to_owned)));
    assert_eq!(server.seen_at("/users/getToken").len(), 3, "the first token, the failed renewal, one login");

    // A failed login still backs off.
    tokio::time::sleep(Duration::from_millis(4000)).await;
    let failed = client.payment().get_payment_by_imp_uid("imp_1").await;
    assert!(matches!(failed, Err(Error::Auth(_))), "{failed:?}");
    let again = client.payment().get_payment_by_imp_uid("imp_1").await;
    assert!(matches!(again, Err(Error::Auth(_))), "{again:?}");
    assert_eq!(server.seen_at("/users/getToken").len(), 4, "no second login within the backoff");
    watch.check(&outcomes, &server, &["t1", "t2"]);
}
