//! Pagination streams against wiremock on 127.0.0.1: V2 page-number lists, V2 cursor
//! lists and V1 paged lists yield items across pages, stop on the last page, stop when
//! the server repeats a page or cursor, and end after an error.

use futures_util::StreamExt as _;
use portone_sdk::RetryPolicy;
use portone_sdk::v2::types::{GetPaymentsBody, PageInput, Payment};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server as server};

fn v2(server: &MockServer) -> portone_sdk::v2::Client {
    portone_sdk::v2::Client::builder("secret")
        .base_url(server.uri())
        .http_client(direct_http())
        .retry_policy(RetryPolicy { max_retries: 0, ..RetryPolicy::default() })
        .build()
        .expect("client")
}

/// The JSON body a GET carried in its `requestBody` query parameter.
fn query_body(request: &Request) -> Value {
    let text = request.url.query_pairs().find(|(k, _)| k == "requestBody").map(|(_, v)| v.into_owned());
    text.map(|t| serde_json::from_str(&t).expect("JSON in requestBody")).unwrap_or(Value::Null)
}

/// A payment of a status this SDK does not know, identified by `id`.
fn payment(id: usize) -> Value {
    json!({ "status": "FROM_THE_FUTURE", "id": format!("p{id}") })
}

fn id_of(p: &Payment) -> String {
    match p {
        Payment::Unrecognized(v) => v["id"].as_str().unwrap_or_default().to_owned(),
        other => panic!("unexpected case {other:?}"),
    }
}

/// Five payments served in pages of the requested size.
struct FivePayments;

impl Respond for FivePayments {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page = &query_body(request)["page"];
        let number = page["number"].as_u64().unwrap_or(0) as usize;
        let size = page["size"].as_u64().unwrap_or(10) as usize;
        let items: Vec<Value> = (0..5).skip(number * size).take(size).map(payment).collect();
        let info = json!({ "number": number, "size": size, "totalCount": 5 });
        ResponseTemplate::new(200).set_body_json(json!({ "items": items, "page": info }))
    }
}

#[tokio::test]
async fn v2_page_numbers_across_three_pages() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/payments")).respond_with(FivePayments).mount(&server).await;
    let body = GetPaymentsBody::new().with_page(PageInput::new().with_number(0).with_size(2));
    let items: Vec<_> = v2(&server).payment().get_payments().body(body).items().collect().await;
    let ids: Vec<String> = items.into_iter().map(|r| id_of(&r.expect("item"))).collect();
    assert_eq!(ids, ["p0", "p1", "p2", "p3", "p4"]);
    let pages: Vec<Value> =
        server.received_requests().await.expect("recorded").iter().map(|r| query_body(r)["page"].clone()).collect();
    assert_eq!(
        pages,
        [json!({"number": 0, "size": 2}), json!({"number": 1, "size": 2}), json!({"number": 2, "size": 2})]
    );
}

#[tokio::test]
async fn v2_pages_without_a_body_start_from_the_default() {
    let server = server().await;
    Mock::given(method("GET")).and(path("/payments")).respond_with(FivePayments).mount(&server).await;
    // The server's default page size (10) holds all five: one request.
    let pages: Vec<_> = v2(&server).payment().get_payments().pages().collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().expect("page").items.len(), 5);
}

#[tokio::test]
async fn v2_a_server_ignoring_the_page_number_is_read_once_per_page() {
    let server = server().await;
    // Always page 0, full, of a long list.
    let stuck = json!({ "items": [payment(0), payment(1)], "page": { "number": 0, "size": 2, "totalCount": 100 } });
    Mock::given(method("GET"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(stuck))
        .mount(&server)
        .await;
    let body = GetPaymentsBody::new().with_page(PageInput::new().with_number(0).with_size(2));
    let items: Vec<_> = v2(&server).payment().get_payments().body(body).items().collect().await;
    // Page 0, then the request for page 1 (answered as page 0 again), whose next would be page 1 again.
    assert_eq!(items.len(), 4);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

/// Cursor pages: `c1`, `c2` in the first, `c3` in the second, then an empty page. A
/// server that repeats a cursor is simulated by `repeat`.
struct Cursors {
    repeat: bool,
}

impl Respond for Cursors {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let cursor = query_body(request)["cursor"].as_str().map(str::to_owned);
        let with = |c: &str| json!({ "payment": payment(0), "cursor": c });
        let items = match (cursor.as_deref(), self.repeat) {
            (_, true) => vec![with("c1")],
            (None, _) => vec![with("c1"), with("c2")],
            (Some("c2"), _) => vec![with("c3")],
            _ => vec![],
        };
        ResponseTemplate::new(200).set_body_json(json!({ "items": items }))
    }
}

#[tokio::test]
async fn v2_cursors_until_an_empty_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/payments-by-cursor"))
        .respond_with(Cursors { repeat: false })
        .mount(&server)
        .await;
    let items: Vec<_> = v2(&server).payment().get_all_payments_by_cursor().items().collect().await;
    let cursors: Vec<String> = items.into_iter().map(|r| r.expect("item").cursor).collect();
    assert_eq!(cursors, ["c1", "c2", "c3"]);
    let sent: Vec<Value> =
        server.received_requests().await.expect("recorded").iter().map(|r| query_body(r)["cursor"].clone()).collect();
    assert_eq!(sent, [Value::Null, json!("c2"), json!("c3")]);
}

#[tokio::test]
async fn v2_a_repeated_cursor_ends_the_stream() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/payments-by-cursor"))
        .respond_with(Cursors { repeat: true })
        .mount(&server)
        .await;
    let items: Vec<_> = v2(&server).payment().get_all_payments_by_cursor().items().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test]
async fn an_error_is_the_last_item() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({ "type": "INVALID_REQUEST", "message": "no" })))
        .mount(&server)
        .await;
    let items: Vec<_> = v2(&server).payment().get_payments().items().collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().err().and_then(|e| e.status()).map(|s| s.as_u16()), Some(400));
}

/// V1 pages 1..=3 of the paid payments, two per page, `next` 0 on the last; with
/// `repeat`, every page says the next is page 2.
struct V1Pages {
    repeat: bool,
}

impl Respond for V1Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.url.path() == "/users/getToken" {
            let now = 1_700_000_000;
            return ResponseTemplate::new(200).set_body_json(
                json!({ "code": 0, "response": { "access_token": "t", "now": now, "expired_at": now + 1800 } }),
            );
        }
        let page: i64 =
            request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
        let next = if self.repeat {
            2
        } else if page < 3 {
            page + 1
        } else {
            0
        };
        let list: Vec<Value> = (0..2)
            .map(|i| {
                json!({ "imp_uid": format!("imp_{page}_{i}"), "merchant_uid": "m", "amount": 1, "cancel_amount": 0,
                        "currency": "KRW", "status": "paid", "sandbox": false })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(
            json!({ "code": 0, "response": { "total": 6, "previous": page - 1, "next": next, "list": list } }),
        )
    }
}

async fn v1_items(repeat: bool) -> (Vec<String>, usize) {
    let server = server().await;
    Mock::given(wiremock::matchers::any()).respond_with(V1Pages { repeat }).mount(&server).await;
    let client = portone_sdk::v1::Client::builder("key", "secret")
        .base_url(server.uri())
        .http_client(direct_http())
        .build()
        .expect("client");
    let items: Vec<_> = client
        .payment()
        .get_payments_by_status(portone_sdk::v1::types::PaymentStatusFilter::Paid)
        .items()
        .collect()
        .await;
    let ids = items.into_iter().map(|r| r.expect("item").imp_uid).collect();
    let calls = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.url.path() != "/users/getToken")
        .count();
    (ids, calls)
}

#[tokio::test]
async fn v1_pages_follow_next_until_zero() {
    let (ids, calls) = v1_items(false).await;
    assert_eq!(ids, ["imp_1_0", "imp_1_1", "imp_2_0", "imp_2_1", "imp_3_0", "imp_3_1"]);
    assert_eq!(calls, 3);
}

#[tokio::test]
async fn v1_a_repeated_next_page_ends_the_stream() {
    let (ids, calls) = v1_items(true).await;
    assert_eq!(ids, ["imp_1_0", "imp_1_1", "imp_2_0", "imp_2_1"]);
    assert_eq!(calls, 2);
}
