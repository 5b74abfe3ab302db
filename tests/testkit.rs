//! The test kit users get with the `testing` feature (`portone_sdk::testing`): the mock
//! PortOne with typed answers, documented error statuses, raw answers and retries, delays,
//! unmatched requests, recorded requests with secrets masked, V1's token and envelope,
//! and webhook signing checked by the SDK's own verifier. The SDK README's example is at
//! the end, checked to be the README's text word for word.

use portone_sdk::testing::{self, MockPortOne, UNDOCUMENTED_ERROR_STATUS, UNMATCHED_TYPE};
use portone_sdk::v2::Client;
use portone_sdk::v2::operations::{CancelPayment, GetPayment};
use portone_sdk::v2::types::{
    CancelPaymentBody, CancelPaymentError, GetPaymentError, Payment, PaymentNotFoundError, PgProviderError, Webhook,
};
use portone_sdk::webhook::{Verifier, WebhookError};
use portone_sdk::{EnvelopeError, Error};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A paid payment of `total` won.
fn paid(id: &str, total: i64) -> Payment {
    serde_json::from_value(json!({
        "status": "PAID", "id": id, "transactionId": "tx-1", "merchantId": "merchant-1", "storeId": "store-1",
        "channel": { "type": "TEST", "pgProvider": "TOSSPAYMENTS", "pgMerchantId": "tosstest" },
        "version": "V2", "requestedAt": "2024-05-01T10:00:00Z", "updatedAt": "2024-05-01T10:01:00Z",
        "statusChangedAt": "2024-05-01T10:01:00Z", "paidAt": "2024-05-01T10:01:00Z",
        "orderName": "T-shirt", "currency": "KRW", "customer": {}, "disputes": [],
        "amount": { "total": total, "taxFree": 0, "discount": 0, "paid": total, "cancelled": 0, "cancelledTaxFree": 0 },
        "origin": { "platformType": "PC", "ipAddress": "127.0.0.1" }
    }))
    .expect("a paid payment")
}

#[tokio::test]
async fn v2_answers_the_typed_success_for_the_expected_path_only() {
    let mock = MockPortOne::start().await;
    let expectation = mock.on::<GetPayment>().path("paymentId", "pay-1").respond(paid("pay-1", 1000));
    let client = mock.client::<portone_sdk::v2::Client>();

    let payment = client.payment().get_payment("pay-1").await.expect("getPayment");
    assert_eq!(payment, paid("pay-1", 1000));
    assert_eq!(expectation.hits(), 1);

    let requests = mock.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let request = &requests[0];
    assert_eq!((request.operation(), request.method(), request.path()), (Some("getPayment"), "GET", "/payments/pay-1"));
    assert_eq!(request.path_param("paymentId"), Some("pay-1"));
    assert_eq!(request.header("Authorization"), Some("PortOne <redacted>"));

    // Another ID is not this expectation's.
    let other = client.payment().get_payment("pay-2").await.expect_err("no expectation for pay-2");
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(expectation.hits(), 1);
}

#[tokio::test]
async fn v2_errors_come_with_the_status_the_spec_documents_and_their_type() {
    let mock = MockPortOne::start().await;
    let not_found = GetPaymentError::PaymentNotFound(
        serde_json::from_value::<PaymentNotFoundError>(serde_json::json!({ "message": "no such payment" }))
            .expect("decodes"),
    );
    mock.on::<GetPayment>().respond_error(not_found.clone());
    // PortOne answers a gateway's refusal with 502; being documented, it is final.
    let refused = CancelPaymentError::PgProvider(
        serde_json::from_value::<PgProviderError>(
            serde_json::json!({ "message": "card company refused", "pgCode": "E1", "pgMessage": "refused" }),
        )
        .expect("decodes"),
    );
    mock.on::<CancelPayment>().respond_error(refused.clone());
    let client = mock.client::<portone_sdk::v2::Client>();

    let err = client.payment().get_payment("pay-1").await.expect_err("not found");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.api_error(), Some(&not_found));
    let body: Value = serde_json::from_slice(err.body().expect("body")).expect("JSON");
    assert_eq!(body["type"], "PAYMENT_NOT_FOUND");

    let err = client.payment().cancel_payment("pay-1", CancelPaymentBody::new("r")).await.expect_err("refused");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.api_error(), Some(&refused));
    assert_eq!(mock.requests_for::<CancelPayment>().len(), 1, "a documented error is not retried");

    // A case the SDK does not know answers the undocumented-error status.
    let mock = MockPortOne::start().await;
    let unknown = GetPaymentError::Unrecognized(json!({ "type": "SOMETHING_NEW", "message": "new" }));
    mock.on::<GetPayment>().respond_error(unknown);
    let err = mock.client::<portone_sdk::v2::Client>().payment().get_payment("pay-1").await.expect_err("unknown case");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(UNDOCUMENTED_ERROR_STATUS));
    assert_eq!(err.api_error().and_then(|e| e.tag()), Some("SOMETHING_NEW"));
}

#[tokio::test]
async fn raw_502s_are_retried_and_the_attempts_recorded() {
    let mock = MockPortOne::start().await;
    let proxy = mock.on::<GetPayment>().times(2).respond_raw(502, "text/html", "<html>bad gateway</html>");
    mock.on::<GetPayment>().respond(paid("pay-1", 1000));

    let payment = mock.client::<portone_sdk::v2::Client>().payment().get_payment("pay-1").await.expect("third attempt succeeds");
    assert_eq!(payment.tag(), Some("PAID"));
    assert_eq!(proxy.hits(), 2);
    let attempts = mock.requests_for::<GetPayment>();
    assert_eq!(attempts.len(), 3, "{attempts:#?}");
    assert!(attempts.iter().all(|r| r.path() == "/payments/pay-1"));

    // With nothing but 502s, the call ends after its retries with the proxy's page.
    let mock = MockPortOne::start().await;
    mock.on::<GetPayment>().respond_raw(502, "text/html", "<html>bad gateway</html>");
    let err = mock.client::<portone_sdk::v2::Client>().payment().get_payment("pay-1").await.expect_err("only 502s");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.body(), Some(&b"<html>bad gateway</html>"[..]));
    assert_eq!(mock.requests().len(), 3, "the first attempt and two retries");
}

#[tokio::test]
async fn a_delayed_answer_runs_into_the_clients_timeout() {
    let mock = MockPortOne::start().await;
    mock.on::<GetPayment>().delay(Duration::from_secs(10)).respond(paid("pay-1", 1000));
    let started = Instant::now();
    let err = mock
        .client::<portone_sdk::v2::Client>()
        .payment()
        .get_payment("pay-1")
        .timeout(Duration::from_millis(300))
        .await
        .expect_err("the answer comes too late");
    assert!(matches!(&err, Error::Transport(t) if t.is_timeout()), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(!mock.requests().is_empty(), "the request arrived before the delay");
}

#[tokio::test]
async fn an_unmatched_request_is_a_404_naming_method_and_path_and_is_recorded() {
    let mock = MockPortOne::start().await;
    mock.on::<GetPayment>().path("paymentId", "pay-1").respond(paid("pay-1", 1000));

    let err = mock.client::<portone_sdk::v2::Client>().payment().get_payment("pay-2").await.expect_err("unmatched");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let case = err.api_error().expect("an error answer");
    assert_eq!(case.tag(), Some(UNMATCHED_TYPE));
    let message = case.message().expect("a message");
    assert!(message.contains("GET /payments/pay-2"), "{message}");
    assert!(message.contains("getPayment GET /payments/{paymentId} paymentId=pay-1"), "{message}");

    let unmatched = mock.unmatched();
    assert_eq!(unmatched.len(), 1);
    assert_eq!((unmatched[0].operation(), unmatched[0].path()), (None, "/payments/pay-2"));
}

#[tokio::test]
async fn recorded_bodies_decode_into_request_types_and_hide_the_secret() {
    let mock = MockPortOne::start().await;
    let cancelled = serde_json::from_value(json!({ "cancellation": {
        "status": "SUCCEEDED", "id": "c-1", "totalAmount": 300, "taxFreeAmount": 0, "vatAmount": 0,
        "reason": "partial refund", "requestedAt": "2024-05-01T10:02:00Z"
    }}))
    .expect("a cancellation");
    mock.on::<CancelPayment>()
        .path("paymentId", "pay-1")
        .matching(|r| r.body::<CancelPaymentBody>().is_ok_and(|b| b.amount == Some(300)))
        .respond(cancelled);
    let client = mock.client::<portone_sdk::v2::Client>();

    let mut body = CancelPaymentBody::new("partial refund");
    body.amount = Some(300);
    client.payment().cancel_payment("pay-1", body.clone()).idempotency_key("key-1").await.expect("cancelPayment");

    let requests = mock.requests_for::<CancelPayment>();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.body::<CancelPaymentBody>().expect("the body decodes"), body);
    assert_eq!(request.header("idempotency-key"), Some("key-1"));
    assert_eq!(request.header("authorization"), Some("PortOne <redacted>"));
    let printed = format!("{:?} {:#?}", mock.requests(), request.headers());
    assert!(!printed.contains("test-secret"), "{printed}");
    assert!(printed.contains("partial refund"), "{printed}");
}

#[tokio::test]
async fn v1_gets_a_token_and_enveloped_answers_and_errors_with_codes() {
    use portone_sdk::v1::operations::{CancelPayment as CancelV1, GetPaymentByImpUid};
    use portone_sdk::v1::types::{CancelPaymentBody as CancelV1Body, PaymentAnnotation};

    let mock = MockPortOne::start().await;
    let payment: PaymentAnnotation = serde_json::from_value(json!({
        "imp_uid": "imp_1", "merchant_uid": "order-1", "amount": 1000, "cancel_amount": 0,
        "currency": "KRW", "status": "paid", "sandbox": false, "pay_method": "card"
    }))
    .expect("a V1 payment");
    mock.on::<GetPaymentByImpUid>().path("imp_uid", "imp_1").respond(payment.clone());
    mock.on::<GetPaymentByImpUid>()
        .path("imp_uid", "imp_2")
        .status(404)
        .respond_error(EnvelopeError::new(1, Some("no such payment".into())));
    mock.on::<CancelV1>().respond_error(EnvelopeError::new(-1, Some("already cancelled".into())));
    let client = mock.client::<portone_sdk::v1::Client>();

    let got = client.payment().get_payment_by_imp_uid("imp_1").await.expect("getPaymentByImpUid");
    assert_eq!(got, payment);

    let err = client.payment().get_payment_by_imp_uid("imp_2").await.expect_err("code 1");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let case = err.api_error().expect("an envelope error");
    assert_eq!((case.code(), case.message()), (1, Some("no such payment")));

    let body = CancelV1Body::new().with_imp_uid("imp_1");
    let err = client.payment().cancel_payment().body(body).await.expect_err("code -1");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(UNDOCUMENTED_ERROR_STATUS));
    assert_eq!(err.api_error().map(EnvelopeError::code), Some(-1));

    // One token served every call; it was sent as the whole Authorization value, and
    // neither the credentials nor the token show in the records.
    let requests = mock.requests();
    let operations: Vec<_> = requests.iter().map(|r| r.operation()).collect();
    assert_eq!(
        operations,
        [Some("getToken"), Some("getPaymentByImpUid"), Some("getPaymentByImpUid"), Some("cancelPayment")]
    );
    let login: Value = requests[0].body().expect("JSON login");
    assert_eq!(login, json!({ "imp_key": "<redacted>", "imp_secret": "<redacted>" }));
    assert!(requests[1..].iter().all(|r| r.header("authorization") == Some("<redacted>")));
    let printed = format!("{requests:?}");
    assert!(!printed.contains("test-imp_secret") && !printed.contains("mock-token"), "{printed}");

    // On the wire: the envelope around the data, and the token the mock issued.
    let http = portone_sdk::reqwest::Client::builder().no_proxy().build().expect("http");
    let base = mock.base_url::<portone_sdk::v1::Client>();
    let token = http
        .post(format!("{base}/users/getToken"))
        .header("content-type", "application/json")
        .body(r#"{"imp_key":"k","imp_secret":"s"}"#)
        .send()
        .await
        .expect("getToken");
    let token: Value = serde_json::from_slice(&token.bytes().await.expect("body")).expect("JSON");
    assert_eq!((&token["code"], &token["message"]), (&json!(0), &Value::Null));
    let (now, expires) = (token["response"]["now"].as_i64(), token["response"]["expired_at"].as_i64());
    assert_eq!(expires.zip(now).map(|(e, n)| e - n), Some(1800), "{token}");
    let answer = http.get(format!("{base}/payments/imp_1")).send().await.expect("GET");
    let answer: Value = serde_json::from_slice(&answer.bytes().await.expect("body")).expect("JSON");
    assert_eq!((&answer["code"], &answer["message"]), (&json!(0), &Value::Null));
    assert_eq!(answer["response"]["imp_uid"], "imp_1");
}

#[tokio::test]
async fn a_v2_client_on_access_tokens_logs_in_at_the_mock() {
    let mock = MockPortOne::start().await;
    mock.on::<GetPayment>().respond(paid("pay-1", 1000));
    let http = portone_sdk::reqwest::Client::builder().no_proxy();
    let client = Client::builder("my-api-secret")
        .base_url(mock.base_url::<Client>())
        .http_client(http)
        .access_tokens()
        .build()
        .expect("client");

    client.payment().get_payment("pay-1").await.expect("getPayment with a token");
    client.payment().get_payment("pay-1").await.expect("the same token again");

    let requests = mock.requests();
    let operations: Vec<_> = requests.iter().map(|r| r.operation()).collect();
    assert_eq!(operations, [Some("loginViaApiSecret"), Some("getPayment"), Some("getPayment")]);
    assert_eq!(requests[0].body::<Value>().expect("JSON"), json!({ "apiSecret": "<redacted>" }));
    assert!(requests[1..].iter().all(|r| r.header("authorization") == Some("Bearer <redacted>")));
    let printed = format!("{requests:?}");
    assert!(!printed.contains("my-api-secret") && !printed.contains("eyJ"), "{printed}");
}

#[tokio::test]
async fn signed_webhooks_pass_the_sdks_verifier() {
    let secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let body = br#"{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00Z","data":{"paymentId":"pay-1","storeId":"store-1","transactionId":"tx-1"}}"#;
    let headers = testing::webhook_headers(secret, body).expect("a valid secret");
    assert!(headers.get("webhook-id").is_some() && headers.get("webhook-timestamp").is_some());

    let verifier = Verifier::new(secret).expect("secret");
    let event: Webhook = verifier.verify_and_parse(&headers, body).expect("PortOne's signature");
    assert_eq!(event.tag(), Some("Transaction.Paid"));

    let forged = String::from_utf8_lossy(body).replace("pay-1", "pay-2");
    assert!(matches!(verifier.verify(&headers, forged.as_bytes()), Err(WebhookError::NoMatchingSignature)));
    let other = Verifier::new("whsec_b3RoZXIgc2VjcmV0").expect("secret");
    assert!(matches!(other.verify(&headers, body), Err(WebhookError::NoMatchingSignature)));

    // A chosen, old timestamp is refused as a replay.
    let old = testing::webhook_headers_at(secret, "msg_1", 1_000_000_000, body).expect("headers");
    assert!(matches!(verifier.verify(&old, body), Err(WebhookError::TimestampTooOld { .. })));
    assert!(matches!(testing::webhook_headers("", body), Err(WebhookError::EmptySecret)));
}

#[tokio::test]
async fn garbage_on_the_socket_does_not_stop_the_mock() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mock = MockPortOne::start().await;
    mock.on::<GetPayment>().respond(paid("pay-1", 1000));
    for garbage in [&b"\x00\xff\r\n\r\n"[..], b"GET /v2/payments/x HTTP/1.1\r\nContent-Length: nope\r\n\r\n", b"GET"] {
        let mut socket = tokio::net::TcpStream::connect(mock.address()).await.expect("connect");
        socket.write_all(garbage).await.expect("write");
        socket.shutdown().await.expect("shutdown");
        let mut answer = Vec::new();
        let _ = socket.read_to_end(&mut answer).await;
    }
    let payment = mock.client::<portone_sdk::v2::Client>().payment().get_payment("pay-1").await.expect("still serving");
    assert_eq!(payment.tag(), Some("PAID"));
}

/// The SDK README's example, word for word (checked below).
#[path = "testkit/readme.rs"]
mod readme;

/// `tests/testkit/readme.rs` is the code block of the README's "Testing your code
/// without PortOne" section.
#[test]
fn the_readme_example_is_a_test_here() {
    let readme = include_str!("../templates/README.md");
    let section = readme.split("## Testing your code without PortOne").nth(1).expect("the README section");
    let block = section.split("```rust,ignore\n").nth(1).and_then(|b| b.split("```").next()).expect("a rust block");
    assert_eq!(block, include_str!("testkit/readme.rs"), "the README's example differs from tests/testkit/readme.rs");
}

/// A union's sample is one of its known cases; a case struct's sample, wrapped in its
/// union, travels through the mock and the client unchanged; V1 types have samples too.
#[tokio::test]
async fn samples_answer_calls_and_cover_union_cases() {
    let any: Payment = testing::sample();
    assert!(!matches!(any, Payment::Unrecognized(_)), "a sample is a known case: {any:?}");

    let mut paid: portone_sdk::v2::types::PaidPayment = testing::sample();
    paid.amount.total = 4321;
    let sent = Payment::Paid(paid);
    let mock = MockPortOne::start().await;
    mock.on::<GetPayment>().path("paymentId", "pay-s").respond(sent.clone());
    let got = mock.client::<portone_sdk::v2::Client>().payment().get_payment("pay-s").await.unwrap();
    assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(&sent).unwrap());
    let Payment::Paid(got) = got else { panic!("expected a paid payment: {got:?}") };
    assert_eq!(got.amount.total, 4321);

    let v1: portone_sdk::v1::types::PaymentAnnotation = testing::sample();
    assert_eq!(v1.buyer_postcode.as_deref(), Some("text"), "every field is filled: {v1:?}");
}
