//! Pooled connections (issue 18, item 8): a server that keeps connections alive sees
//! sequential calls on one connection, and a pooled connection the server closes is
//! never a reason to send a call that could move money twice without its key.

use super::*;

/// A V2 cancellation answer (its union case unknown to the SDK, so any status decodes).
fn cancelled() -> Answer {
    json(200, &json!({"cancellation": {"status": "SOMETHING_NEW"}}))
}

/// A V1 token answer, on the server's connection rules.
fn v1_token() -> Answer {
    json(200, &json!({"code": 0, "response": {"access_token": "t1", "now": 1000, "expired_at": 2800}}))
}

/// A V1 client whose POSTs carry no idempotency key.
fn v1(server: &FaultServer) -> portone_sdk::v1::Client {
    v1_client(server, Duration::from_secs(2))
}

// Two sequential calls to a server that keeps connections alive share one connection.
#[tokio::test(start_paused = true)]
async fn a_pooled_connection_is_reused_across_calls() {
    let watch = Watch::start(Duration::from_secs(4));
    let server = FaultServer::keep_alive(|_, _| cancelled()).await;
    let client = client(&server).build().expect("client");
    let first = client.payment().cancel_payment("pay-1", cancel()).await;
    let second = client.payment().cancel_payment("pay-2", cancel()).await;
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
    assert_eq!(server.seen().len(), 2, "each call sent once");
    assert_eq!(server.connections(), 1, "the second call went over the first call's connection");
    watch.check(&[first.map(drop), second.map(drop)], &server, &["customer asked"]);
}

// The server answers a V1 cancellation and closes the connection without saying so; the
// client still holds it in its pool. The next cancellation (a POST without a key) goes out
// on a fresh connection when the client saw the close before sending; if it was written
// to the dead connection it is reported, not sent again. Either way the server sees each
// cancellation once.
#[tokio::test(start_paused = true)]
async fn a_connection_closed_after_an_answer_sends_no_money_moving_call_twice() {
    let watch = Watch::start(Duration::from_secs(4));
    let server = FaultServer::keep_alive(|seen, _| match seen.path() {
        "/users/getToken" => v1_token(),
        _ => Answer::ThenClose(Box::new(v1_paid_payment())),
    })
    .await;
    let client = v1(&server);
    let first = client.payment().cancel_payment().await;
    assert!(first.is_ok(), "{first:?}");
    let second = client.payment().cancel_payment().await;
    let cancels = server.seen_at("/payments/cancel").len();
    match &second {
        Ok(_) => assert_eq!((cancels, server.connections()), (2, 2), "sent once, on a new connection"),
        Err(e) => {
            assert!(matches!(e, Error::Transport(t) if !t.is_timeout()), "the close, not a timeout: {e:?}");
            assert!(!e.is_retryable(), "it may have arrived: not safe to repeat");
            assert!(cancels <= 2, "sent at most once: {cancels} cancellations seen");
        }
    }
    watch.check(&[first.map(drop), second.map(drop)], &server, &["t1"]);
}

/// A server that keeps connections alive and reads request number `nth` (from 0) to
/// `path`, then closes without answering (it gave up on the connection just as the request
/// came); other requests are answered with `answer`.
async fn closing_at(path: &'static str, nth: usize, answer: fn() -> Answer) -> FaultServer {
    FaultServer::keep_alive(move |seen, n| match seen.path() {
        "/users/getToken" => v1_token(),
        p if p == path && n == nth => Answer::Close,
        _ => answer(),
    })
    .await
}

// The stale connection takes the V1 cancellation (no idempotency key) and closes: the
// request arrived, so it may have moved money; it is reported, not retried.
#[tokio::test(start_paused = true)]
async fn a_keyless_post_lost_on_a_stale_connection_is_reported_not_repeated() {
    let watch = Watch::start(Duration::from_secs(4));
    let server = closing_at("/payments/cancel", 1, v1_paid_payment).await;
    let client = v1(&server);
    let first = client.payment().cancel_payment().await;
    assert!(first.is_ok(), "{first:?}");
    let second = client.payment().cancel_payment().await;
    let err = second.as_ref().expect_err("the connection closed under the request");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_retryable(), "it may have arrived: not safe to repeat");
    assert_eq!(server.seen_at("/payments/cancel").len(), 2, "each cancellation sent once");
    assert_eq!(server.connections(), 1, "the second went over the pooled connection");
    watch.check(&[first.map(drop), second.map(drop)], &server, &["t1"]);
}

// The same with a V2 cancellation: it carries an idempotency key and no answer came, so
// it is sent again with the same key, on a new connection, and succeeds.
#[tokio::test(start_paused = true)]
async fn a_keyed_post_lost_on_a_stale_connection_is_repeated_with_its_key() {
    let watch = Watch::start(Duration::from_secs(4));
    let server = closing_at("/payments/pay-1/cancel", 0, cancelled).await;
    let client = client(&server).build().expect("client");
    let first = client.payment().cancel_payment("pay-0", cancel()).await;
    assert!(first.is_ok(), "{first:?}");
    let second = client.payment().cancel_payment("pay-1", cancel()).send_with_response().await;
    let second = second.expect("repeated on a new connection");
    let seen = server.seen_at("/payments/pay-1/cancel");
    assert_eq!(seen.len(), 2, "the lost request and its repeat");
    let key = one_key(&seen);
    assert_eq!(second.idempotency_key(), Some(key.as_str()));
    assert_eq!(server.seen().len(), 3, "and the first call");
    assert_eq!(server.connections(), 2, "the pooled connection, then a new one");
    watch.check(&[first.map(drop)], &server, &["customer asked"]);
}
