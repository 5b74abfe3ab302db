//! A month-end reconciliation export: every payment requested in a month, read through
//! the SDK's paged-list stream (`get_payments().items()`, which fetches the next page only
//! when the stream gets there), written as CSV for the accounting team.
//!
//! The mock answers two pages; the CSV is printed to stdout:
//! `cargo run -p portone-sdk --features testing --example reconciliation_export`

use futures_util::StreamExt as _;
use portone_sdk::PortOneError;
use portone_sdk::chrono::{DateTime, TimeZone, Utc};
use portone_sdk::serde_json::{self, Value, json};
use portone_sdk::testing::{MockPortOne, MockRequest};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::GetPayments;
use portone_sdk::v2::types::{GetPaymentsBody, GetPaymentsResponse, PageInput, PaymentFilterInput};
use std::io::Write;

const HEADER: [&str; 7] = ["payment_id", "status", "order_name", "currency", "total", "cancelled", "paid_at"];

/// One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv_row(fields: &[&str]) -> String {
    let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    fields.join(",") + "\r\n"
}

/// Writes every payment requested in `[from, until)` as CSV; returns how many rows.
async fn export(
    client: &Client,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    out: &mut impl Write,
) -> Result<usize, Box<dyn std::error::Error>> {
    let filter = PaymentFilterInput::new().with_from(from).with_until(until);
    let page = PageInput::new().with_number(0).with_size(PAGE_SIZE);
    let body = GetPaymentsBody::new().with_filter(filter).with_page(page);

    out.write_all(csv_row(&HEADER).as_bytes())?;
    let mut rows = 0;
    let mut payments = std::pin::pin!(client.payment().get_payments().body(body).items());
    while let Some(payment) = payments.next().await {
        let payment = payment.map_err(PortOneError::from)?;
        let amount = payment.amount();
        let (total, cancelled) = (amount.map(|a| a.total.to_string()), amount.map(|a| a.cancelled.to_string()));
        let paid_at = payment.paid_at().map(|t| t.to_rfc3339());
        out.write_all(
            csv_row(&[
                payment.id().unwrap_or_default(),
                payment.tag().unwrap_or("UNKNOWN"),
                payment.order_name().unwrap_or_default(),
                payment.currency().map(|c| c.as_str()).unwrap_or_default(),
                total.as_deref().unwrap_or_default(),
                cancelled.as_deref().unwrap_or_default(),
                paid_at.as_deref().unwrap_or_default(),
            ])
            .as_bytes(),
        )?;
        rows += 1;
    }
    Ok(rows)
}

/// Small pages, so that the mock's five payments take two of them; a real export asks
/// for up to 1000.
const PAGE_SIZE: i32 = 3;

/// A payment of the month as PortOne lists it.
fn payment(id: &str, status: &str, order_name: &str, total: i64, cancelled: i64) -> Value {
    let mut payment = json!({
        "status": status, "id": id, "transactionId": format!("tx-{id}"), "merchantId": "merchant-1",
        "storeId": "store-1", "version": "V2", "orderName": order_name, "currency": "KRW",
        "channel": { "type": "LIVE", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "shop" },
        "requestedAt": "2024-05-10T09:00:00Z", "updatedAt": "2024-05-10T09:00:30Z",
        "statusChangedAt": "2024-05-10T09:00:30Z", "customer": {}, "disputes": [],
        "origin": { "platformType": "PC", "ipAddress": "203.0.113.7" },
        "amount": { "total": total, "taxFree": 0, "discount": 0, "paid": total, "cancelled": cancelled, "cancelledTaxFree": 0 }
    });
    if status != "FAILED" {
        payment["paidAt"] = json!("2024-05-10T09:00:30Z");
    }
    match status {
        "CANCELLED" => {
            payment["cancelledAt"] = json!("2024-05-11T10:00:00Z");
            payment["cancellations"] = json!([{ "status": "SUCCEEDED", "id": "c-1", "totalAmount": cancelled,
                "taxFreeAmount": 0, "vatAmount": 0, "reason": "customer asked", "requestedAt": "2024-05-11T10:00:00Z",
                "cancelledAt": "2024-05-11T10:00:00Z" }]);
        }
        "FAILED" => {
            payment["failedAt"] = json!("2024-05-10T09:00:30Z");
            payment["failure"] = json!({ "reason": "card declined" });
        }
        _ => {}
    }
    payment
}

/// The page number a recorded `getPayments` request asked for (its query's `requestBody`).
fn page_asked(request: &MockRequest) -> Option<i64> {
    let body: Value = serde_json::from_str(request.query_value("requestBody")?).ok()?;
    Some(body["page"]["number"].as_i64().unwrap_or(0))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockPortOne::start().await;
    let first: GetPaymentsResponse = serde_json::from_value(json!({
        "items": [
            payment("order-2001", "PAID", "Hoodie", 39_000, 0),
            payment("order-2002", "CANCELLED", "Mug, \"large\"", 12_000, 12_000),
            payment("order-2003", "FAILED", "Socks", 5_000, 0),
        ],
        "page": { "number": 0, "size": PAGE_SIZE, "totalCount": 5 }
    }))?;
    let second: GetPaymentsResponse = serde_json::from_value(json!({
        "items": [
            payment("order-2004", "PAID", "Gift card\n(50,000)", 50_000, 0),
            payment("order-2005", "PAID", "Cap", 19_000, 0),
        ],
        "page": { "number": 1, "size": PAGE_SIZE, "totalCount": 5 }
    }))?;
    mock.on::<GetPayments>().matching(|r| page_asked(r) == Some(0)).respond(first);
    mock.on::<GetPayments>().matching(|r| page_asked(r) == Some(1)).respond(second);

    let may = Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).single().ok_or("a date")?;
    let june = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).single().ok_or("a date")?;
    let mut csv = Vec::new();
    let rows = export(&mock.client::<portone_sdk::v2::Client>(), may, june, &mut csv).await?;
    std::io::stdout().write_all(&csv)?;

    assert_eq!(rows, 5);
    let csv = String::from_utf8(csv)?;
    let expected = "payment_id,status,order_name,currency,total,cancelled,paid_at\r\n\
        order-2001,PAID,Hoodie,KRW,39000,0,2024-05-10T09:00:30+00:00\r\n\
        order-2002,CANCELLED,\"Mug, \"\"large\"\"\",KRW,12000,12000,2024-05-10T09:00:30+00:00\r\n\
        order-2003,FAILED,Socks,KRW,5000,0,\r\n\
        order-2004,PAID,\"Gift card\n(50,000)\",KRW,50000,0,2024-05-10T09:00:30+00:00\r\n\
        order-2005,PAID,Cap,KRW,19000,0,2024-05-10T09:00:30+00:00\r\n";
    assert_eq!(csv, expected);
    let requests = mock.requests_for::<GetPayments>();
    assert_eq!(requests.iter().map(page_asked).collect::<Vec<_>>(), [Some(0), Some(1)], "two pages, one request each");
    let asked: Value = serde_json::from_str(requests[0].query_value("requestBody").unwrap_or("null"))?;
    assert_eq!(asked["filter"]["from"], "2024-05-01T00:00:00Z", "{asked}");
    Ok(())
}
