//! The generated V2 SDK against a wiremock server on 127.0.0.1.
//!
//! 1. Requests: method, path, headers, query and body, per kind of operation.
//! 2. Decoding: success, documented and unknown errors, forward compatibility
//!    (unknown enum values, union tags and fields), undecodable responses.
//! 3. The client never prints its secret.

use portone_sdk::chrono::{DateTime, NaiveDate, TimeZone, Utc};
use portone_sdk::v2::Client;
use portone_sdk::v2::types::{
    Address, BillingKeyPaymentScheduleInput, CancelPaymentBody, CardBrand, CardOwnerType, CardType,
    CreatePaymentScheduleBody, Currency, DeleteB2bCounterpartyBody, DisputeStatus, DownloadB2bTaxInvoicesSheetBody,
    GetAllPaymentsByCursorBody, GetPaymentError, GetPaymentsBody, PageInput, Payment, PaymentAmountInput,
    PaymentCancellation, PaymentFilterInput, PaymentMethod, PaymentOriginPlatformType, PaymentTimestampType,
    PgProvider, PortOneVersion, RevokePaymentSchedulesBody, SelectedChannelType, TaxInvoicesSheetField,
};
use portone_sdk::{Error, ErrorCase};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod support;
use support::{direct_http, loopback_server};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The API secret every test client authenticates with.
const SECRET: &str = "sk-test-7Hq2Zr9XvN4pLm8W-do-not-print";

/// `User-Agent` the SDK (crate version 0.1.0) must send.
const USER_AGENT: &str = "portone-sdk-rust/0.1.0";

/// A full PAID payment as `GET /payments/{id}` returns it.
const PAID_PAYMENT: &str = include_str!("data/paid_payment.json");

/// A mock server bound to 127.0.0.1 and a client for it, with an optional default storeId.
async fn start(store_id: Option<&str>) -> (MockServer, Client) {
    let server = loopback_server().await;
    let http = direct_http();
    let mut builder = Client::builder(SECRET).base_url(server.uri()).http_client(http);
    if let Some(store_id) = store_id {
        builder = builder.store_id(store_id);
    }
    (server, builder.build().expect("client"))
}

/// Answer every request with `response`.
async fn respond(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any()).respond_with(response).mount(server).await;
}

/// A 200 response with this JSON body.
fn json_ok(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The one request the server received.
async fn single_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("request recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    requests.pop().unwrap()
}

/// A request header as text.
fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().expect("ASCII header"))
}

/// Every value of the query parameter `name`, decoded.
fn query_values(request: &Request, name: &str) -> Vec<String> {
    request.url.query_pairs().filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).collect()
}

/// The JSON text of the `requestBody` query parameter, parsed.
fn query_body(request: &Request) -> Value {
    let values = query_values(request, "requestBody");
    assert_eq!(values.len(), 1, "expected one requestBody parameter in {}", request.url);
    serde_json::from_str(&values[0]).expect("requestBody is JSON")
}

/// The headers every request carries: authorization, user agent, JSON accepted.
fn assert_standard_headers(request: &Request) {
    assert_eq!(header(request, "authorization"), Some(format!("PortOne {SECRET}").as_str()));
    assert_eq!(header(request, "user-agent"), Some(USER_AGENT));
    assert_eq!(header(request, "accept"), Some("application/json"));
}

/// A request with no HTTP body and so no `Content-Type`.
fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "unexpected body: {:?}", String::from_utf8_lossy(&request.body));
    assert_eq!(header(request, "content-type"), None);
}

/// The PAID fixture as JSON.
fn paid_json() -> Value {
    serde_json::from_str(PAID_PAYMENT).expect("fixture is JSON")
}

/// A UTC instant.
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("valid date")
}

// ---------------------------------------------------------------------------
// 1. Requests
// ---------------------------------------------------------------------------

// getPayment: GET /payments/{id} with auth and user agent, no storeId without a default, no body.
#[tokio::test]
async fn get_payment_sends_get_with_auth_and_no_store_id() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&paid_json())).await;

    client.payment().get_payment("pay-1").send().await.expect("getPayment");

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/payments/pay-1");
    assert_standard_headers(&request);
    assert_eq!(request.url.query(), None, "no query parameters without a storeId");
    assert_no_body(&request);
}

// The futures of `send` and `send_with_response` can be spawned: they own what they
// need (no borrow of the client or the builder) and are `Send`, as `async fn`s were.
#[tokio::test]
async fn send_futures_are_send_and_static_and_run_on_a_spawned_task() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&paid_json())).await;
    let payment = tokio::spawn(client.payment().get_payment("pay-1").send());
    let response = tokio::spawn(client.payment().get_payment("pay-1").send_with_response());
    drop(client);
    payment.await.expect("no panic").expect("getPayment");
    assert_eq!(response.await.expect("no panic").expect("getPayment").status(), 200);
}

// getPayment: the client's default storeId is sent as the `storeId` query parameter.
#[tokio::test]
async fn get_payment_uses_client_default_store_id() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&paid_json())).await;

    client.payment().get_payment("pay-1").await.expect("getPayment");

    let request = single_request(&server).await;
    assert_eq!(query_values(&request, "storeId"), ["store-default"]);
}

// getPayment: a per-call storeId overrides the client default (and works without one).
#[tokio::test]
async fn get_payment_per_call_store_id_overrides_default() {
    for default in [Some("store-default"), None] {
        let (server, client) = start(default).await;
        respond(&server, json_ok(&paid_json())).await;

        client.payment().get_payment("pay-1").store_id("store-call").await.expect("getPayment");

        let request = single_request(&server).await;
        assert_eq!(query_values(&request, "storeId"), ["store-call"], "default {default:?}");
    }
}

// A path parameter with reserved and non-ASCII characters arrives as one percent-encoded segment.
#[tokio::test]
async fn path_parameter_is_one_escaped_segment() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&paid_json())).await;

    client.payment().get_payment("a/b?c#d%e f결제").await.expect("getPayment");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/payments/a%2Fb%3Fc%23d%25e%20f%EA%B2%B0%EC%A0%9C");
    assert_eq!(request.url.query(), None, "`?` in the id must not start a query");
    assert_eq!(request.url.fragment(), None);
}

// Empty, `.` and `..` path parameters are refused with InvalidInput and nothing is sent.
#[tokio::test]
async fn unsafe_path_parameters_are_refused_before_sending() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&paid_json())).await;

    for id in ["", ".", ".."] {
        let err = client.payment().get_payment(id).await.expect_err("must be refused");
        let Error::InvalidInput(invalid) = &err else { panic!("id {id:?}: expected InvalidInput, got {err:?}") };
        assert_eq!(invalid.operation(), "getPayment");
        assert!(invalid.message().contains("paymentId"), "message names the parameter: {}", invalid.message());
        assert_eq!(err.status(), None);
    }
    let err = client.payment().cancel_payment("", CancelPaymentBody::new("x")).await.expect_err("must be refused");
    assert!(matches!(&err, Error::InvalidInput(e) if e.operation() == "cancelPayment"), "{err:?}");

    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "nothing may reach the server: {received:#?}");
}

// getPayments (GET with a body): no HTTP body; the body is JSON in the `requestBody` query parameter.
#[tokio::test]
async fn get_payments_sends_body_as_request_body_query() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&json!({ "items": [], "page": { "number": 2, "size": 5, "totalCount": 0 } }))).await;

    let body = GetPaymentsBody::new().with_page(PageInput::new().with_number(2).with_size(5)).with_filter(
        PaymentFilterInput::new()
            .with_store_id("store-filter")
            .with_timestamp_type(PaymentTimestampType::StatusChangedAt)
            .with_from(utc(2024, 1, 1, 0, 0, 0)),
    );
    let response = client.payment().get_payments().body(body).send().await.expect("getPayments");
    assert!(response.items.is_empty());
    assert_eq!((response.page.number, response.page.size, response.page.total_count), (2, 5, 0));

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/payments");
    assert_standard_headers(&request);
    assert_no_body(&request);
    assert_eq!(
        query_body(&request),
        json!({
            "page": { "number": 2, "size": 5 },
            "filter": { "storeId": "store-filter", "timestampType": "STATUS_CHANGED_AT", "from": "2024-01-01T00:00:00Z" }
        })
    );
}

// getPayments without its optional body sends no query at all.
#[tokio::test]
async fn get_payments_without_body_sends_no_query() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&json!({ "items": [], "page": { "number": 0, "size": 10, "totalCount": 0 } }))).await;

    client.payment().get_payments().await.expect("getPayments");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/payments");
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

// revokePaymentSchedules (DELETE with a required query body): body JSON in `requestBody`, default storeId filled in.
#[tokio::test]
async fn revoke_payment_schedules_sends_body_as_request_body_query() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&json!({ "revokedScheduleIds": ["s-1", "s-2"], "revokedAt": "2024-06-01T12:00:00Z" })))
        .await;

    let body = RevokePaymentSchedulesBody::new()
        .with_billing_key("billing-key-1")
        .with_schedule_ids(vec!["s-1".into(), "s-2".into()]);
    let response = client.payment().payment_schedule().revoke_payment_schedules(body).await.expect("revoke");
    assert_eq!(response.revoked_schedule_ids, ["s-1", "s-2"]);
    assert_eq!(response.revoked_at, Some(utc(2024, 6, 1, 12, 0, 0)));

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/payment-schedules");
    assert_standard_headers(&request);
    assert_no_body(&request);
    assert_eq!(query_values(&request, "storeId"), Vec::<String>::new(), "storeId belongs in the body");
    assert_eq!(
        query_body(&request),
        json!({ "storeId": "store-default", "billingKey": "billing-key-1", "scheduleIds": ["s-1", "s-2"] })
    );
}

// cancelPayment (POST with JSON body): Content-Type, exact body; default storeId filled only when unset.
#[tokio::test]
async fn cancel_payment_posts_json_body_with_store_id_default() {
    let cases: [(Option<&str>, Option<&str>, Option<&str>); 3] = [
        // (client default, body's storeId, storeId expected in the JSON)
        (Some("store-default"), None, Some("store-default")),
        (Some("store-default"), Some("store-explicit"), Some("store-explicit")),
        (None, None, None),
    ];
    for (default, explicit, expected) in cases {
        let (server, client) = start(default).await;
        respond(
            &server,
            json_ok(&json!({
                "cancellation": {
                    "status": "SUCCEEDED",
                    "id": "cancel-1",
                    "totalAmount": 1000,
                    "taxFreeAmount": 0,
                    "vatAmount": 91,
                    "reason": "customer request",
                    "requestedAt": "2024-05-02T09:00:00Z",
                    "cancelledAt": "2024-05-02T09:00:01Z"
                }
            })),
        )
        .await;

        let mut body = CancelPaymentBody::new("customer request");
        body.amount = Some(1000);
        body.skip_webhook = Some(true);
        body.store_id = explicit.map(str::to_owned);
        let response = client.payment().cancel_payment("pay-1", body).send().await.expect("cancelPayment");
        let PaymentCancellation::Succeeded(cancellation) = &response.cancellation else {
            panic!("expected a SUCCEEDED cancellation, got {:?}", response.cancellation)
        };
        assert_eq!((cancellation.id.as_str(), cancellation.total_amount), ("cancel-1", 1000));

        let request = single_request(&server).await;
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), "/payments/pay-1/cancel");
        assert_standard_headers(&request);
        assert_eq!(header(&request, "content-type"), Some("application/json"));
        assert_eq!(request.url.query(), None, "storeId goes in the body, not the query");
        let mut expected_body = json!({ "reason": "customer request", "amount": 1000, "skipWebhook": true });
        if let Some(store_id) = expected {
            expected_body["storeId"] = json!(store_id);
        }
        let sent: Value = request.body_json().expect("body is JSON");
        assert_eq!(sent, expected_body, "default {default:?}, explicit {explicit:?}");
    }
}

// closeVirtualAccount (POST without a body): no body, no Content-Type; storeId in the query.
#[tokio::test]
async fn close_virtual_account_sends_no_body() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&json!({ "closedAt": "2024-05-05T00:00:00Z" }))).await;

    let response = client.payment().close_virtual_account("pay-1").await.expect("closeVirtualAccount");
    assert_eq!(response.closed_at, utc(2024, 5, 5, 0, 0, 0));

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/payments/pay-1/virtual-account/close");
    assert_standard_headers(&request);
    assert_no_body(&request);
    assert_eq!(query_values(&request, "storeId"), ["store-default"]);
}

// The client's default storeId reaches every shape of store input: a top-level body
// field (cancelPayment, above), a query parameter (getPayment, above), the body of a GET
// sent in `requestBody` (with or without a body), `filter.storeId` of a list, and a field of
// a required nested input (createPaymentSchedule's `payment.storeId`). A storeId the
// caller gives is never replaced.

// getAllPaymentsByCursor without a body: the default store alone becomes the body.
#[tokio::test]
async fn get_all_payments_by_cursor_without_body_sends_the_default_store() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&json!({ "items": [] }))).await;

    client.payment().get_all_payments_by_cursor().await.expect("getAllPaymentsByCursor");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/payments-by-cursor");
    assert_no_body(&request);
    assert_eq!(query_values(&request, "storeId"), Vec::<String>::new(), "storeId belongs in the body");
    assert_eq!(query_body(&request), json!({ "storeId": "store-default" }));
}

// getAllPaymentEventsByCursor, the other cursor list: the same.
#[tokio::test]
async fn get_all_payment_events_by_cursor_without_body_sends_the_default_store() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&json!({ "items": [] }))).await;

    client.payment().get_all_payment_events_by_cursor().await.expect("getAllPaymentEventsByCursor");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/payment-events-by-cursor");
    assert_eq!(query_body(&request), json!({ "storeId": "store-default" }));
}

// getAllPaymentsByCursor with a body lacking storeId: filled; with one: kept.
#[tokio::test]
async fn get_all_payments_by_cursor_body_gets_the_default_store_only_when_unset() {
    for (explicit, expected) in [(None, "store-default"), (Some("store-explicit"), "store-explicit")] {
        let (server, client) = start(Some("store-default")).await;
        respond(&server, json_ok(&json!({ "items": [] }))).await;

        let mut body = GetAllPaymentsByCursorBody::new().with_size(5);
        body.store_id = explicit.map(str::to_owned);
        client.payment().get_all_payments_by_cursor().body(body).await.expect("getAllPaymentsByCursor");

        let request = single_request(&server).await;
        assert_eq!(query_body(&request), json!({ "storeId": expected, "size": 5 }), "explicit {explicit:?}");
    }
}

// Without a default store, a call without a body still sends none.
#[tokio::test]
async fn get_all_payments_by_cursor_without_default_or_body_sends_no_query() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&json!({ "items": [] }))).await;

    client.payment().get_all_payments_by_cursor().await.expect("getAllPaymentsByCursor");

    let request = single_request(&server).await;
    assert_eq!(request.url.query(), None);
}

// getPayments, whose store is `filter.storeId`: filled with no body, with a body without a
// filter, and with a filter lacking storeId; a filter's own storeId is kept.
#[tokio::test]
async fn get_payments_default_store_goes_into_the_filter() {
    let from = utc(2024, 1, 1, 0, 0, 0);
    let page = PageInput::new().with_number(1).with_size(5);
    let cases: [(Option<GetPaymentsBody>, Value); 4] = [
        (None, json!({ "filter": { "storeId": "store-default" } })),
        (
            Some(GetPaymentsBody::new().with_page(page.clone())),
            json!({ "page": { "number": 1, "size": 5 }, "filter": { "storeId": "store-default" } }),
        ),
        (
            Some(GetPaymentsBody::new().with_filter(PaymentFilterInput::new().with_from(from))),
            json!({ "filter": { "storeId": "store-default", "from": "2024-01-01T00:00:00Z" } }),
        ),
        (
            Some(GetPaymentsBody::new().with_filter(PaymentFilterInput::new().with_store_id("store-explicit"))),
            json!({ "filter": { "storeId": "store-explicit" } }),
        ),
    ];
    for (body, expected) in cases {
        let (server, client) = start(Some("store-default")).await;
        respond(&server, json_ok(&json!({ "items": [], "page": { "number": 0, "size": 10, "totalCount": 0 } }))).await;

        let mut call = client.payment().get_payments();
        if let Some(body) = body.clone() {
            call = call.body(body);
        }
        call.await.expect("getPayments");

        let request = single_request(&server).await;
        assert_eq!(query_values(&request, "storeId"), Vec::<String>::new(), "storeId belongs in the filter");
        assert_eq!(query_body(&request), expected, "body {body:?}");
    }
}

// The other lists whose store is `filter.storeId` get it the same way.
#[tokio::test]
async fn filter_store_lists_get_the_default_store() {
    let (server, client) = start(Some("store-default")).await;
    respond(&server, json_ok(&json!({ "items": [], "page": { "number": 0, "size": 10, "totalCount": 0 } }))).await;

    client.payment().billing_key().get_billing_key_infos().await.expect("getBillingKeyInfos");
    client.payment().cash_receipt().get_cash_receipts().await.expect("getCashReceipts");
    client.payment().payment_schedule().get_payment_schedules().await.expect("getPaymentSchedules");
    client.identity_verification().get_identity_verifications().await.expect("getIdentityVerifications");

    let received = server.received_requests().await.expect("recording is on");
    let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/billing-keys", "/cash-receipts", "/payment-schedules", "/identity-verifications"]);
    for request in &received {
        assert_eq!(query_body(request), json!({ "filter": { "storeId": "store-default" } }), "{}", request.url);
    }
}

// createPaymentSchedule: the store is a field of the required `payment` input.
#[tokio::test]
async fn create_payment_schedule_fills_the_nested_payment_store() {
    for (explicit, expected) in [(None, "store-default"), (Some("store-explicit"), "store-explicit")] {
        let (server, client) = start(Some("store-default")).await;
        respond(&server, json_ok(&json!({ "schedule": { "id": "schedule-1" } }))).await;

        let mut payment =
            BillingKeyPaymentScheduleInput::new("billing-key-1", "order", PaymentAmountInput::new(1000), Currency::Krw);
        payment.store_id = explicit.map(str::to_owned);
        let body = CreatePaymentScheduleBody::new(payment, utc(2024, 7, 1, 0, 0, 0));
        client
            .payment()
            .payment_schedule()
            .create_payment_schedule("pay-1", body)
            .await
            .expect("createPaymentSchedule");

        let request = single_request(&server).await;
        let sent: Value = request.body_json().expect("body is JSON");
        assert_eq!(sent["payment"]["storeId"], json!(expected), "explicit {explicit:?}");
        assert_eq!(sent.get("storeId"), None, "no top-level storeId");
    }
}

// send_with_response gives the HTTP status and headers of a success along with the body.
#[tokio::test]
async fn success_status_and_headers_are_reachable() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&paid_json()).insert_header("x-request-id", "req-42")).await;

    let response = client.payment().get_payment("pay-1").send_with_response().await.expect("paid");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("req-42"));
    assert!(matches!(response.body(), Payment::Paid(_)));
    assert!(matches!(response.into_body(), Payment::Paid(_)));
}

// deleteB2bCounterparty (DELETE with an optional JSON body): the body travels as the HTTP body.
#[tokio::test]
async fn delete_with_json_body_sends_the_body() {
    let (server, client) = start(None).await;
    respond(&server, json_ok(&json!({}))).await;

    client
        .b2b()
        .counterparty()
        .delete_b2b_counterparty("cp/1")
        .test(true)
        .body(DeleteB2bCounterpartyBody::new())
        .await
        .expect("deleted");

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/b2b/counterparties/cp%2F1");
    assert_eq!(query_values(&request, "test"), ["true"]);
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(serde_json::from_slice::<Value>(&request.body).unwrap(), json!({}));
}

// downloadB2bTaxInvoicesSheet (a text/csv response): the body comes back as text, unparsed.
#[tokio::test]
async fn csv_response_is_returned_as_text() {
    let (server, client) = start(None).await;
    let csv = "issuance,amount\n2024-01-02,1000\n";
    respond(&server, ResponseTemplate::new(200).insert_header("content-type", "text/csv").set_body_string(csv)).await;

    let body = DownloadB2bTaxInvoicesSheetBody::new().with_fields(vec![TaxInvoicesSheetField::from("NOT_A_FIELD_YET")]);
    let text = client.b2b().tax_invoice().download_b2b_tax_invoices_sheet(body).await.expect("csv");
    assert_eq!(text, csv);

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(query_body(&request), json!({ "fields": ["NOT_A_FIELD_YET"] }));
}

// ---------------------------------------------------------------------------
// 2. Decoding
// ---------------------------------------------------------------------------

// A full PAID payment decodes into Payment::Paid with its fields, nested enums, unions and dates.
// A payment made through V1 has webhooks without a `url` (PortOne documents it as absent).
#[tokio::test]
async fn webhook_without_url_decodes() {
    let (server, client) = start(None).await;
    let mut paid = paid_json();
    paid["webhooks"] = json!([{ "id": "webhook-1", "status": "SUCCEEDED" }]);
    respond(&server, json_ok(&paid)).await;

    let payment = client.payment().get_payment("order-20240501-0001").await.expect("getPayment");
    let Payment::Paid(p) = payment else { panic!("expected Payment::Paid, got {payment:?}") };
    let webhooks = p.webhooks.expect("webhooks");
    assert_eq!((webhooks[0].id.as_str(), webhooks[0].url.as_deref()), ("webhook-1", None));
}

#[tokio::test]
async fn paid_payment_decodes() {
    let (server, client) = start(None).await;
    respond(&server, ResponseTemplate::new(200).set_body_raw(PAID_PAYMENT, "application/json")).await;

    let payment = client.payment().get_payment("order-20240501-0001").await.expect("getPayment");
    assert_eq!(payment.tag(), Some("PAID"));
    let Payment::Paid(p) = payment else { panic!("expected Payment::Paid, got {payment:?}") };

    assert_eq!(p.id, "order-20240501-0001");
    assert_eq!(p.transaction_id, "0190f5d2-7c3e-7a11-b2a4-6f1c0e5d9a01");
    assert_eq!(p.store_id, "store-4a7e2b3c");
    assert_eq!(p.version, PortOneVersion::V2);
    assert_eq!(p.order_name, "주문 상품 외 2건");
    assert_eq!(p.currency, Currency::Krw);
    assert_eq!(
        (p.amount.total, p.amount.tax_free, p.amount.vat, p.amount.supply, p.amount.paid, p.amount.cancelled),
        (50000, 0, Some(4545), Some(45455), 50000, 0)
    );
    assert_eq!(p.requested_at, utc(2024, 5, 1, 10, 0, 0));
    assert_eq!(p.status_changed_at, utc(2024, 5, 1, 10, 1, 0));
    let paid_at = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_milli_opt(10, 1, 0, 123).unwrap().and_utc();
    assert_eq!(p.paid_at, paid_at);

    assert_eq!(p.channel.r#type, SelectedChannelType::Live);
    assert_eq!(p.channel.pg_provider, PgProvider::KcpV2);
    assert_eq!(p.channel_group.as_ref().map(|g| g.is_for_test), Some(false));
    let Some(PaymentMethod::PaymentMethodCard(method)) = &p.method else {
        panic!("expected a card, got {:?}", p.method)
    };
    let card = method.card.as_ref().expect("card details");
    assert_eq!(card.brand, Some(CardBrand::Visa));
    assert_eq!(card.r#type, Some(CardType::Credit));
    assert_eq!(card.owner_type, Some(CardOwnerType::Personal));
    assert_eq!(method.installment.as_ref().map(|i| (i.month, i.is_interest_free)), Some((3, true)));

    assert_eq!(p.customer.name.as_deref(), Some("홍길동"));
    let Some(Address::OneLine(address)) = &p.customer.address else { panic!("expected a one-line address") };
    assert_eq!(address.one_line, "서울특별시 강남구 테헤란로 1");
    assert_eq!(p.origin.platform_type, PaymentOriginPlatformType::Pc);
    assert_eq!(p.origin.ip_address, "203.0.113.7");
    assert_eq!(p.disputes.len(), 1);
    assert_eq!(p.disputes[0].status, DisputeStatus::Resolved);
    assert_eq!(p.disputes[0].resolved_at, Some(utc(2024, 5, 4, 9, 0, 0)));
    assert_eq!(p.cancellations, None);

    // Serializing back gives exactly the JSON received.
    assert_eq!(serde_json::to_value(Payment::Paid(p)).unwrap(), paid_json());
}

// The methods for fields the payment cases share read whichever case arrived, without a
// match; a field some cases lack is `None` for those, and every field is `None` for a
// status the SDK does not know.
#[test]
fn payment_fields_read_through_the_union() {
    let paid: Payment = serde_json::from_str(PAID_PAYMENT).expect("PAID decodes");
    let mut ready = paid_json();
    let fields = ready.as_object_mut().expect("object");
    for paid_only in ["paidAt", "pgTxId", "pgResponse", "cashReceipt", "receiptUrl", "disputes"] {
        fields.remove(paid_only);
    }
    fields.insert("status".into(), json!("READY"));
    fields.insert("id".into(), json!("order-20240602-0007"));
    fields.insert("orderName".into(), json!("Tea, 2 boxes"));
    fields.insert("requestedAt".into(), json!("2024-06-02T03:04:05Z"));
    ready["amount"]["total"] = json!(1200);
    let ready: Payment = serde_json::from_str(&ready.to_string()).expect("READY decodes");
    assert!(matches!(paid, Payment::Paid(_)), "{paid:?}");
    assert!(matches!(ready, Payment::Ready(_)), "{ready:?}");

    assert_eq!(paid.id(), Some("order-20240501-0001"));
    assert_eq!(paid.amount().map(|a| a.total), Some(50000));
    assert_eq!(paid.order_name(), Some("주문 상품 외 2건"));
    assert_eq!(paid.requested_at(), Some(utc(2024, 5, 1, 10, 0, 0)));
    assert_eq!(paid.currency(), Some(&Currency::Krw));
    assert_eq!(paid.customer().and_then(|c| c.name.as_deref()), Some("홍길동"));
    let paid_at = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_milli_opt(10, 1, 0, 123).unwrap().and_utc();
    assert_eq!(paid.paid_at(), Some(paid_at));

    assert_eq!(ready.id(), Some("order-20240602-0007"));
    assert_eq!(ready.amount().map(|a| a.total), Some(1200));
    assert_eq!(ready.order_name(), Some("Tea, 2 boxes"));
    assert_eq!(ready.requested_at(), Some(utc(2024, 6, 2, 3, 4, 5)));
    assert_eq!(ready.paid_at(), None, "a READY payment has no paidAt");

    let mut unknown = paid_json();
    unknown["status"] = json!("SOMETHING_NEW");
    let unknown: Payment = serde_json::from_str(&unknown.to_string()).expect("an unknown status decodes");
    assert!(matches!(unknown, Payment::Unrecognized(_)), "{unknown:?}");
    assert_eq!(unknown.id(), None);
    assert_eq!(unknown.amount(), None);
    assert_eq!(unknown.order_name(), None);
    assert_eq!(unknown.requested_at(), None);
}

// Each documented getPayment error decodes to its own case, with status, message and raw body kept.
#[tokio::test]
async fn get_payment_errors_decode_to_their_cases() {
    let cases = [
        (403, "FORBIDDEN", "not allowed for this store"),
        (400, "INVALID_REQUEST", "paymentId is malformed"),
        (404, "PAYMENT_NOT_FOUND", "no payment order-x"),
        (401, "UNAUTHORIZED", "the API secret is invalid"),
    ];
    for (status, tag, message) in cases {
        let (server, client) = start(None).await;
        // Odd spacing on purpose: the raw body must be kept byte for byte, not re-serialized.
        let raw = format!(r#"{{ "type" : "{tag}",  "message": "{message}" }}"#);
        respond(&server, ResponseTemplate::new(status).set_body_raw(raw.clone(), "application/json")).await;

        let err = client.payment().get_payment("order-x").await.expect_err("error response");
        assert_eq!(err.operation(), "getPayment");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let Error::Api(api) = &err else { panic!("{tag}: expected Error::Api, got {err:?}") };
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.operation(), "getPayment");
        assert_eq!(api.body(), raw.as_bytes(), "{tag}: raw body kept");
        let decoded_message = match (tag, api.error()) {
            ("FORBIDDEN", GetPaymentError::Forbidden(e)) => e.message.as_deref(),
            ("INVALID_REQUEST", GetPaymentError::InvalidRequest(e)) => e.message.as_deref(),
            ("PAYMENT_NOT_FOUND", GetPaymentError::PaymentNotFound(e)) => e.message.as_deref(),
            ("UNAUTHORIZED", GetPaymentError::Unauthorized(e)) => e.message.as_deref(),
            (tag, other) => panic!("{tag} decoded as the wrong case: {other:?}"),
        };
        assert_eq!(decoded_message, Some(message));
        assert_eq!(api.error().tag(), Some(tag));
        assert_eq!(ErrorCase::message(api.error()), Some(message));
        assert_eq!(err.api_error(), Some(api.error()));
    }
}

// An error `type` the SDK does not know decodes to Unrecognized, keeping the JSON.
#[tokio::test]
async fn unknown_error_type_is_kept_as_unrecognized() {
    let (server, client) = start(None).await;
    let sent = json!({ "type": "RATE_LIMITED", "message": "slow down", "retryAfterSeconds": 30 });
    respond(&server, ResponseTemplate::new(429).set_body_json(&sent)).await;

    let err = client.payment().get_payment("pay-1").await.expect_err("error response");
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(api.status().as_u16(), 429);
    let GetPaymentError::Unrecognized(value) = api.error() else {
        panic!("expected Unrecognized, got {:?}", api.error())
    };
    assert_eq!(value, &sent);
    assert_eq!(api.error().tag(), Some("RATE_LIMITED"));
    assert_eq!(ErrorCase::message(api.error()), Some("slow down"));
    assert_eq!(serde_json::from_slice::<Value>(api.body()).unwrap(), sent);
}

// An error body without a `type` (say, from a gateway) is still an API error, kept as Unrecognized.
#[tokio::test]
async fn error_without_type_is_kept_as_unrecognized() {
    let (server, client) = start(None).await;
    let sent = json!({ "message": "internal" });
    respond(&server, ResponseTemplate::new(500).set_body_json(&sent)).await;

    let err = client.payment().get_payment("pay-1").await.expect_err("error response");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.body().map(|b| serde_json::from_slice::<Value>(b).unwrap()), Some(sent.clone()));
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert!(matches!(api.error(), GetPaymentError::Unrecognized(v) if v == &sent), "{:?}", api.error());
    assert_eq!(api.error().tag(), None);
    assert_eq!(err.to_string(), "getPayment: PortOne answered HTTP 500: internal");
}

// Unknown enum values deep inside a payment decode to Unrecognized and serialize back unchanged.
#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let (server, client) = start(None).await;
    let mut sent = paid_json();
    sent["currency"] = json!("XYZ");
    sent["channel"]["type"] = json!("STAGING");
    sent["channel"]["pgProvider"] = json!("BRAND_NEW_PG");
    sent["method"]["card"]["brand"] = json!("HYPERCARD");
    sent["customer"]["gender"] = json!("NONBINARY");
    sent["disputes"][0]["status"] = json!("ESCALATED");
    respond(&server, json_ok(&sent)).await;

    let payment = client.payment().get_payment("pay-1").await.expect("unknown enum values must not fail");
    let Payment::Paid(p) = &payment else { panic!("expected Payment::Paid, got {payment:?}") };
    assert_eq!(p.currency, Currency::Unrecognized("XYZ".into()));
    assert_eq!(p.currency.as_str(), "XYZ");
    assert_eq!(p.channel.r#type, SelectedChannelType::Unrecognized("STAGING".into()));
    assert_eq!(p.channel.pg_provider, PgProvider::Unrecognized("BRAND_NEW_PG".into()));
    let Some(PaymentMethod::PaymentMethodCard(method)) = &p.method else { panic!("expected a card") };
    assert_eq!(method.card.as_ref().unwrap().brand, Some(CardBrand::Unrecognized("HYPERCARD".into())));
    assert_eq!(p.disputes[0].status, DisputeStatus::Unrecognized("ESCALATED".into()));

    let back = serde_json::to_value(&payment).unwrap();
    assert_eq!(back["currency"], "XYZ");
    assert_eq!(back["method"]["card"]["brand"], "HYPERCARD");
    assert_eq!(back, sent, "serializing back keeps every unknown value");
}

// A payment `status` the SDK does not know decodes to Payment::Unrecognized with its tag and JSON.
#[tokio::test]
async fn unknown_payment_status_is_kept_as_unrecognized() {
    let (server, client) = start(None).await;
    let mut sent = paid_json();
    sent["status"] = json!("SOMETHING_NEW");
    sent["somethingNewAt"] = json!("2024-05-06T00:00:00Z");
    respond(&server, json_ok(&sent)).await;

    let payment = client.payment().get_payment("pay-1").await.expect("unknown status must not fail");
    assert_eq!(payment.tag(), Some("SOMETHING_NEW"));
    let Payment::Unrecognized(value) = &payment else { panic!("expected Payment::Unrecognized, got {payment:?}") };
    assert_eq!(value, &sent);
    assert_eq!(serde_json::to_value(&payment).unwrap(), sent);
}

// A known tag whose payload does not decode is an error naming the operation, the union,
// the tag and serde's reason, and keeping the body: not an Unrecognized case.
#[tokio::test]
async fn a_known_tag_with_a_bad_payload_is_a_decode_error_naming_union_and_tag() {
    let (server, client) = start(None).await;
    let mut sent = paid_json();
    sent.as_object_mut().expect("object").remove("paidAt");
    let raw = serde_json::to_vec(&sent).expect("JSON");
    respond(&server, ResponseTemplate::new(200).set_body_raw(raw.clone(), "application/json")).await;

    let err = client.payment().get_payment("pay-1").await.expect_err("PAID without paidAt");
    let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    let message = decode.to_string();
    for part in ["getPayment", "`Payment`", "`PAID`", "missing field `paidAt`"] {
        assert!(message.contains(part), "{part:?} not in {message:?}");
    }
    assert_eq!(decode.body(), raw.as_slice());
}

// A nested union tag the SDK does not know (payment method) decodes to that union's Unrecognized.
#[tokio::test]
async fn unknown_nested_union_tag_is_kept() {
    let (server, client) = start(None).await;
    let mut sent = paid_json();
    sent["method"] = json!({ "type": "PaymentMethodTeleport", "portal": "A-7" });
    respond(&server, json_ok(&sent)).await;

    let payment = client.payment().get_payment("pay-1").await.expect("unknown method must not fail");
    let Payment::Paid(p) = &payment else { panic!("expected Payment::Paid, got {payment:?}") };
    let method = p.method.as_ref().expect("method");
    assert_eq!(method.tag(), Some("PaymentMethodTeleport"));
    assert_eq!(method, &PaymentMethod::Unrecognized(sent["method"].clone()));
    assert_eq!(serde_json::to_value(&payment).unwrap(), sent);
}

// Unknown extra fields at every level of a payment are ignored.
#[tokio::test]
async fn unknown_fields_are_ignored() {
    let (server, client) = start(None).await;
    let mut sent = paid_json();
    sent["futureTopLevel"] = json!({ "deep": [1, 2, 3] });
    for pointer in [
        "/amount",
        "/channel",
        "/channelGroup",
        "/customer",
        "/customer/address",
        "/method",
        "/method/card",
        "/method/installment",
        "/origin",
        "/disputes/0",
    ] {
        let object = sent.pointer_mut(pointer).and_then(Value::as_object_mut).expect(pointer);
        object.insert("futureField".into(), json!("ignored"));
    }
    respond(&server, json_ok(&sent)).await;

    let payment = client.payment().get_payment("pay-1").await.expect("unknown fields must not fail");
    let expected: Payment = serde_json::from_str(PAID_PAYMENT).unwrap();
    assert_eq!(payment, expected);
}

// A non-JSON error body (HTML 502) is a Decode error naming the operation, keeping status and body.
#[tokio::test]
async fn html_error_body_is_a_decode_error() {
    let (server, client) = start(None).await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    respond(&server, ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;

    let err = client.payment().get_payment("pay-1").await.expect_err("502");
    assert_eq!(err.operation(), "getPayment");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.to_string().contains("getPayment"), "{err}");
    let Error::Decode(decode) = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(decode.operation(), "getPayment");
    assert_eq!(decode.status().as_u16(), 502);
    assert_eq!(decode.body(), html.as_bytes());
    assert_eq!(decode.body_text(), html);
    assert_eq!(decode.headers().get("content-type").map(|v| v.as_bytes()), Some(&b"text/html"[..]));
}

// An empty 200 body where JSON was expected is a Decode error with status 200.
#[tokio::test]
async fn empty_success_body_is_a_decode_error() {
    let (server, client) = start(None).await;
    respond(&server, ResponseTemplate::new(200)).await;

    let err = client.payment().get_payment("pay-1").await.expect_err("empty body");
    let Error::Decode(decode) = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(decode.operation(), "getPayment");
    assert_eq!(decode.status().as_u16(), 200);
    assert!(decode.body().is_empty());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

// ---------------------------------------------------------------------------
// 3. Secrets
// ---------------------------------------------------------------------------

// Debug output of the client, its builder and a request never contains the secret.
#[tokio::test]
async fn debug_output_never_contains_the_secret() {
    let (server, client) = start(Some("store-default")).await;

    let client_debug = format!("{client:?}");
    assert!(client_debug.contains(&server.uri()), "Debug shows the settings: {client_debug}");
    assert!(client_debug.contains("store-default"), "{client_debug}");

    let builder = Client::builder(SECRET).base_url(server.uri()).store_id("store-default");
    let request = client.payment().get_payment("pay-1");
    for debug in [client_debug.clone(), format!("{client:#?}"), format!("{builder:?}"), format!("{request:?}")] {
        assert!(!debug.contains(SECRET), "secret leaked: {debug}");
        assert!(!debug.contains("7Hq2Zr9XvN4pLm8W"), "part of the secret leaked: {debug}");
    }
}
