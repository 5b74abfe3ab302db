//! A PortOne webhook endpoint in axum: it checks the signature with
//! `portone_sdk::webhook::Verifier`, decodes the event into `v2::types::Webhook`, and
//! handles each delivery once by its `webhook-id` (PortOne delivers again when it gets no
//! answer in time, so a repeat is acknowledged without fulfilling the order twice).
//!
//! The router is driven in-process with `tower::ServiceExt::oneshot`, with bodies signed
//! as PortOne signs them (`portone_sdk::testing::webhook_headers`):
//! `cargo run -p portone-sdk --features testing --example webhook_handler`

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::routing::post;
use portone_sdk::testing;
use portone_sdk::v2::types::Webhook;
use portone_sdk::webhook::Verifier;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tower::ServiceExt as _;

/// The shop's state: the webhook IDs already handled and the orders fulfilled. A real
/// service keeps both in its database, the ID under a unique constraint.
struct Shop {
    verifier: Verifier,
    handled: Mutex<HashSet<String>>,
    fulfilled: Mutex<Vec<String>>,
}

async fn portone_webhook(State(shop): State<Arc<Shop>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    // Verify before anything else, on the raw bytes.
    let event: Webhook = match shop.verifier.verify_and_parse(&headers, &body) {
        Ok(event) => event,
        Err(e) => {
            eprintln!("refused a webhook: {e}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // The verifier has checked that the ID is there: it is part of what is signed.
    let Some(id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) else {
        return StatusCode::BAD_REQUEST;
    };
    if !shop.handled.lock().expect("lock").insert(id.to_owned()) {
        println!("{id}: delivered again, already handled");
        return StatusCode::OK;
    }
    match event {
        Webhook::TransactionPaid(paid) => {
            println!("{id}: payment {} paid, fulfilling", paid.data.payment_id);
            shop.fulfilled.lock().expect("lock").push(paid.data.payment_id);
        }
        // Acknowledge what this shop does not act on, so PortOne stops delivering it.
        other => println!("{id}: {} not handled here", other.tag().unwrap_or("an unknown event")),
    }
    StatusCode::OK
}

fn app(shop: Arc<Shop>) -> Router {
    Router::new().route("/webhooks/portone", post(portone_webhook)).with_state(shop)
}

/// One delivery: the body with the headers PortOne would send.
async fn deliver(router: &Router, headers: &HeaderMap, body: &str) -> StatusCode {
    let mut request = Request::post("/webhooks/portone").body(Body::from(body.to_owned())).expect("request");
    request.headers_mut().extend(headers.clone());
    router.clone().oneshot(request).await.expect("the router is infallible").status()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A made-up secret of PortOne's format; a real one comes from the console, via config.
    let secret = "whsec_dGhpcyBpcyBub3QgYSByZWFsIHNlY3JldA==";
    let shop =
        Arc::new(Shop { verifier: Verifier::new(secret)?, handled: Mutex::default(), fulfilled: Mutex::default() });
    let router = app(shop.clone());

    let paid = r#"{"type":"Transaction.Paid","timestamp":"2024-06-01T09:00:31Z","data":{"paymentId":"order-1001","storeId":"store-1","transactionId":"tx-1"}}"#;
    let paid_headers = testing::webhook_headers(secret, paid.as_bytes())?;
    assert_eq!(deliver(&router, &paid_headers, paid).await, StatusCode::OK);
    // PortOne did not see the answer and delivers the same webhook again.
    assert_eq!(deliver(&router, &paid_headers, paid).await, StatusCode::OK);

    // A body changed on the way (another payment ID) no longer matches its signature.
    let forged = paid.replace("order-1001", "order-9999");
    assert_eq!(deliver(&router, &paid_headers, &forged).await, StatusCode::BAD_REQUEST);
    // Neither does one signed with another secret.
    let other_headers = testing::webhook_headers("whsec_c29tZW9uZSBlbHNl", paid.as_bytes())?;
    assert_eq!(deliver(&router, &other_headers, paid).await, StatusCode::BAD_REQUEST);

    // An event the shop does not act on, and one newer than this SDK: both acknowledged.
    let ready = r#"{"type":"Transaction.Ready","timestamp":"2024-06-01T09:00:00Z","data":{"paymentId":"order-1002","storeId":"store-1","transactionId":"tx-2"}}"#;
    assert_eq!(deliver(&router, &testing::webhook_headers(secret, ready.as_bytes())?, ready).await, StatusCode::OK);
    let newer = r#"{"type":"Transaction.SomethingNew","timestamp":"2024-06-01T09:02:00Z","data":{}}"#;
    assert_eq!(deliver(&router, &testing::webhook_headers(secret, newer.as_bytes())?, newer).await, StatusCode::OK);

    assert_eq!(*shop.fulfilled.lock().expect("lock"), ["order-1001"], "fulfilled once, forged body ignored");
    assert_eq!(shop.handled.lock().expect("lock").len(), 3);
    Ok(())
}
