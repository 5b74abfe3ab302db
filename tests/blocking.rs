//! The blocking calls (feature `blocking`) against the test kit's mock started without
//! async code: the async suite's key scenarios (retries with one idempotency key, the
//! 401 repeat, one token fetch for many threads, pages as an iterator, the deadline),
//! the `raw` escape hatch, and where a blocking call may be made: from plain threads and
//! `spawn_blocking`, not inside async code. Every test is a plain `#[test]`.

use portone_sdk::Error;
use portone_sdk::blocking::{self, IterBlocking as _, SendBlocking as _};
use portone_sdk::testing::MockPortOne;
use portone_sdk::v1::operations::{GetPaymentByImpUid, GetToken};
use portone_sdk::v1::types::{AuthAnnotation, PaymentAnnotation};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::{CancelPayment, GetPayment, GetPayments};
use portone_sdk::v2::types::{CancelPaymentBody, CancelPaymentResponse, GetPaymentsResponse, Payment};
use serde_json::{Value, json};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn paid(id: &str) -> Payment {
    serde_json::from_value(json!({
        "status": "PAID", "id": id, "transactionId": "tx-1", "merchantId": "merchant-1", "storeId": "store-1",
        "channel": { "type": "TEST", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "tosstest" },
        "version": "V2", "requestedAt": "2024-05-01T10:00:00Z", "updatedAt": "2024-05-01T10:01:00Z",
        "statusChangedAt": "2024-05-01T10:01:00Z", "paidAt": "2024-05-01T10:01:00Z",
        "orderName": "T-shirt", "currency": "KRW", "customer": {}, "disputes": [],
        "amount": { "total": 1000, "taxFree": 0, "discount": 0, "paid": 1000, "cancelled": 0, "cancelledTaxFree": 0 },
        "origin": { "platformType": "PC", "ipAddress": "127.0.0.1" }
    }))
    .expect("a paid payment")
}

fn v1_payment(imp_uid: &str) -> PaymentAnnotation {
    serde_json::from_value(json!({
        "imp_uid": imp_uid, "merchant_uid": "order-1", "amount": 1000, "cancel_amount": 0,
        "currency": "KRW", "status": "paid", "sandbox": false, "pay_method": "card"
    }))
    .expect("a V1 payment")
}

fn operations(mock: &MockPortOne) -> Vec<Option<&'static str>> {
    mock.requests().iter().map(|r| r.operation()).collect()
}

#[test]
fn retries_keep_one_idempotency_key_and_the_default_store() {
    let mock = MockPortOne::start_blocking();
    let proxy = mock.on::<CancelPayment>().times(2).respond_raw(502, "text/html", "<html>bad gateway</html>");
    let cancelled: CancelPaymentResponse = portone_sdk::testing::sample();
    mock.on::<CancelPayment>().respond(cancelled.clone());
    let client = Client::builder("test-secret")
        .base_url(mock.base_url::<Client>())
        .http_client(portone_sdk::reqwest::Client::builder().no_proxy())
        .retry_policy(portone_sdk::RetryPolicy {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..Default::default()
        })
        .store_id("store-9")
        .build()
        .expect("client");

    let got = client.payment().cancel_payment("pay-1", CancelPaymentBody::new("changed mind")).send_blocking();
    assert_eq!(got.expect("the third attempt succeeds"), cancelled);
    assert_eq!(proxy.hits(), 2);
    let attempts = mock.requests_for::<CancelPayment>();
    assert_eq!(attempts.len(), 3, "{attempts:#?}");
    let keys: Vec<_> = attempts.iter().map(|r| r.header("idempotency-key")).collect();
    assert!(keys[0].is_some() && keys.iter().all(|k| *k == keys[0]), "{keys:?}");
    assert!(attempts.iter().all(|r| r.body::<Value>().expect("JSON")["storeId"] == "store-9"));
    assert!(attempts.iter().all(|r| r.header("authorization") == Some("PortOne <redacted>")));
}

#[test]
fn a_401_gets_a_new_token_and_the_call_is_repeated_once() {
    let mock = MockPortOne::start_blocking();
    let refused = r#"{"code":-1,"message":"Unauthorized","response":null}"#;
    mock.on::<GetPaymentByImpUid>().times(1).respond_raw(401, "application/json", refused);
    mock.on::<GetPaymentByImpUid>().respond(v1_payment("imp_1"));
    let client = mock.client::<portone_sdk::v1::Client>();

    let got = client.payment().get_payment_by_imp_uid("imp_1").send_blocking().expect("after a new token");
    assert_eq!(got, v1_payment("imp_1"));
    assert_eq!(
        operations(&mock),
        [Some("getToken"), Some("getPaymentByImpUid"), Some("getToken"), Some("getPaymentByImpUid")]
    );
}

#[test]
fn threads_calling_at_once_share_one_token_fetch() {
    let mock = MockPortOne::start_blocking();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs() as i64;
    let token: AuthAnnotation =
        serde_json::from_value(json!({ "access_token": "slow-token", "expired_at": now + 1800, "now": now }))
            .expect("a token");
    // The login takes a while, so every thread asks while it is under way.
    mock.on::<GetToken>().delay(Duration::from_millis(300)).respond(token);
    mock.on::<GetPaymentByImpUid>().respond(v1_payment("imp_1"));
    let client = mock.client::<portone_sdk::v1::Client>();

    std::thread::scope(|scope| {
        let calls: Vec<_> =
            (0..8).map(|_| scope.spawn(|| client.payment().get_payment_by_imp_uid("imp_1").send_blocking())).collect();
        for call in calls {
            call.join().expect("no panic").expect("the call succeeds");
        }
    });
    assert_eq!(mock.requests_for::<GetToken>().len(), 1, "{:?}", operations(&mock));
    assert_eq!(mock.requests_for::<GetPaymentByImpUid>().len(), 8);
}

fn page(number: i32, ids: &[&str], total: i32) -> GetPaymentsResponse {
    let items: Vec<Payment> = ids.iter().map(|id| paid(id)).collect();
    serde_json::from_value(json!({ "items": items, "page": { "number": number, "size": 2, "totalCount": total } }))
        .expect("a page")
}

#[test]
fn pages_are_an_iterator_that_fetches_as_it_is_read() {
    let mock = MockPortOne::start_blocking();
    let on_page = |n: u64| {
        move |r: &portone_sdk::testing::MockRequest| {
            let body: Value =
                r.query_value("requestBody").and_then(|b| serde_json::from_str(b).ok()).unwrap_or_default();
            body["page"]["number"].as_u64().unwrap_or(0) == n
        }
    };
    mock.on::<GetPayments>().matching(on_page(0)).respond(page(0, &["p0", "p1"], 3));
    mock.on::<GetPayments>().matching(on_page(1)).respond(page(1, &["p2"], 3));
    let client = mock.client::<Client>();

    let mut items = client.payment().get_payments().items().iter_blocking();
    let first = items.next().expect("an item").expect("page 0");
    assert_eq!(first.id(), Some("p0"));
    assert_eq!(mock.requests().len(), 1, "only the first page is fetched before it is needed");
    let rest: Vec<String> = items.map(|p| p.expect("item").id().unwrap_or_default().to_owned()).collect();
    assert_eq!(rest, ["p1", "p2"]);
    assert_eq!(operations(&mock), [Some("getPayments"), Some("getPayments")]);

    // An error is the last item.
    mock.reset();
    mock.on::<GetPayments>().matching(on_page(0)).respond(page(0, &["p0", "p1"], 3));
    mock.on::<GetPayments>().respond_raw(400, "application/json", r#"{"type":"INVALID_REQUEST","message":"no"}"#);
    let pages: Vec<_> = client.payment().get_payments().pages().iter_blocking().collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].is_ok() && pages[1].as_ref().is_err_and(|e| e.status().map(|s| s.as_u16()) == Some(400)));
}

#[test]
fn the_deadline_ends_a_slow_call() {
    let mock = MockPortOne::start_blocking();
    mock.on::<GetPayment>().delay(Duration::from_secs(10)).respond(paid("pay-1"));
    let started = Instant::now();
    let err = mock
        .client::<Client>()
        .payment()
        .get_payment("pay-1")
        .timeout(Duration::from_millis(300))
        .send_blocking()
        .expect_err("the answer comes too late");
    assert!(matches!(&err, Error::Transport(t) if t.is_timeout()), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn raw_requests_and_responses_with_headers_block_too() {
    let mock = MockPortOne::start_blocking();
    mock.on::<GetPayment>().respond(paid("pay-1"));
    let client = mock.client::<Client>();
    let raw = client.raw(portone_sdk::reqwest::Method::GET, "/payments/pay-1").send_blocking::<Value>();
    assert_eq!(raw.expect("raw GET").into_body()["id"], "pay-1");
    let answer = blocking::wait(client.payment().get_payment("pay-1").send_with_response()).expect("getPayment");
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.into_body().id(), Some("pay-1"));
}

#[test]
fn inside_async_code_a_blocking_call_is_an_error_and_from_spawn_blocking_it_works() {
    let mock = MockPortOne::start_blocking();
    mock.on::<GetPayment>().respond(paid("pay-1"));
    let client = mock.client::<Client>();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");

    let direct = client.clone();
    let err = runtime
        .block_on(async move { direct.payment().get_payment("pay-1").send_blocking() })
        .expect_err("refused inside block_on");
    let Error::InvalidInput(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.operation(), blocking::OPERATION);
    assert!(e.message().contains("`.await` the request"), "{e}");
    let task = client.clone();
    let in_task = runtime.block_on(async move {
        tokio::spawn(async move { task.payment().get_payment("pay-1").send_blocking() }).await.expect("no panic")
    });
    assert!(matches!(in_task, Err(Error::InvalidInput(_))), "{in_task:?}");
    let pages = client.clone();
    let in_iter = runtime.block_on(async move { pages.payment().get_payments().items().iter_blocking().next() });
    assert!(matches!(in_iter, Some(Err(Error::InvalidInput(_)))), "{in_iter:?}");
    assert!(mock.requests().is_empty(), "nothing was sent: {:?}", operations(&mock));

    let offloaded = runtime.block_on(async move {
        tokio::task::spawn_blocking(move || client.payment().get_payment("pay-1").send_blocking())
            .await
            .expect("no panic")
    });
    assert_eq!(offloaded.expect("getPayment from spawn_blocking").id(), Some("pay-1"));
    assert_eq!(operations(&mock), [Some("getPayment")]);
}
