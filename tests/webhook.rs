//! V2 webhooks: verification and parsing.
//!
//! 1. Signatures: the Standard Webhooks known-answer vector, several signatures,
//!    wrong secret, changed body or ID, malformed headers.
//! 2. Headers: each one missing, case-insensitive names, every `WebhookHeaders` impl.
//! 3. Timestamps: not a number, too old, too new, the tolerance's edges.
//! 4. Secrets: with and without `whsec_`, empty, not base64, never printed.
//! 5. Payloads: a known event type, an unknown one kept as JSON, verify-and-parse.

use portone_sdk::chrono::{TimeZone, Utc};
use portone_sdk::reqwest::header::HeaderMap;
use portone_sdk::v2::types::{Webhook, WebhookTransactionCancelData, WebhookTransactionCancelled};
use portone_sdk::webhook::{self, Verifier, WebhookError, WebhookHeaders};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::error::Error as _;
use std::time::{Duration, SystemTime};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The known-answer vector of the Standard Webhooks specification's reference tests.
const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const SECRET_BASE64: &str = "C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const TIMESTAMP: u64 = 1649367553;
const BODY: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

/// The example payload of the reference (`Transaction.Cancelled`).
const CANCELLED: &str = r#"{"type":"Transaction.Cancelled","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"example-payment-id","transactionId":"55451513-9763-4a7a-bb43-78a4c65be843","cancellationId":"0cdd91e9-4e7c-44a3-a72e-1a6511826c2b","storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667"}}"#;

/// A clock stopped at `secs` Unix seconds.
fn at(secs: u64) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    move || SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

/// The vector's verifier, its clock at the vector's timestamp.
fn verifier() -> Verifier {
    Verifier::new(SECRET).unwrap().with_clock(at(TIMESTAMP))
}

/// Headers with the given values, lowercase names.
fn headers(id: &str, timestamp: &str, signature: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".to_string(), id.to_string()),
        ("webhook-timestamp".to_string(), timestamp.to_string()),
        ("webhook-signature".to_string(), signature.to_string()),
    ]
}

/// The vector's headers.
fn vector_headers() -> Vec<(String, String)> {
    headers(ID, &TIMESTAMP.to_string(), SIGNATURE)
}

/// The vector's headers with `signature` as the signature header.
fn with_signature(signature: &str) -> Vec<(String, String)> {
    headers(ID, &TIMESTAMP.to_string(), signature)
}

/// Headers for `body` signed at `timestamp` with the vector's secret.
fn signed(timestamp: u64, body: &str) -> Vec<(String, String)> {
    let signature = verifier().sign(ID, timestamp, body.as_bytes());
    headers(ID, &timestamp.to_string(), &signature)
}

// ---------------------------------------------------------------------------
// 1. Signatures
// ---------------------------------------------------------------------------

#[test]
fn known_answer_vector_verifies() {
    assert!(matches!(verifier().verify(&vector_headers(), BODY.as_bytes()), Ok(())));
}

#[test]
fn sign_reproduces_the_known_answer() {
    assert_eq!(verifier().sign(ID, TIMESTAMP, BODY.as_bytes()), SIGNATURE);
}

#[test]
fn one_matching_signature_among_several_is_enough() {
    let wrong = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    for list in [format!("{wrong} {SIGNATURE}"), format!("{SIGNATURE} {wrong}"), format!("v2,abc  {wrong} {SIGNATURE}")]
    {
        assert!(matches!(verifier().verify(&with_signature(&list), BODY.as_bytes()), Ok(())), "{list}");
    }
}

#[test]
fn only_wrong_signatures_are_refused() {
    let list = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,dGVzdA==";
    let err = verifier().verify(&with_signature(list), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
}

#[test]
fn other_versions_are_ignored_even_with_the_right_bytes() {
    // The correct HMAC, but labelled `v2`: only `v1` entries count.
    let v2 = SIGNATURE.replacen("v1,", "v2,", 1);
    let err = verifier().verify(&with_signature(&v2), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
}

#[test]
fn wrong_secret_is_refused() {
    let other = Verifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap().with_clock(at(TIMESTAMP));
    let err = other.verify(&vector_headers(), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
}

#[test]
fn tampered_body_is_refused() {
    let tampered = BODY.replace("test_user", "admin");
    let err = verifier().verify(&vector_headers(), tampered.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
    // One byte more (re-encoded JSON often gains whitespace) is a different body too.
    let err = verifier().verify(&vector_headers(), format!("{BODY}\n").as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
}

#[test]
fn tampered_id_is_refused() {
    let err = verifier().verify(&headers("msg_other", &TIMESTAMP.to_string(), SIGNATURE), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
}

#[test]
fn malformed_signature_headers_are_reported_as_such() {
    for bad in ["", "   ", "garbage", "v1", "v1,", ",abc", "v1,!!!not-base64!!!", "v1:abc"] {
        let err = verifier().verify(&with_signature(bad), BODY.as_bytes()).unwrap_err();
        assert!(matches!(err, WebhookError::MalformedSignature), "{bad:?}: {err:?}");
    }
}

#[test]
fn a_garbled_entry_does_not_hide_a_matching_one() {
    let list = format!("garbage v1,!!! {SIGNATURE}");
    assert!(matches!(verifier().verify(&with_signature(&list), BODY.as_bytes()), Ok(())));
}

// ---------------------------------------------------------------------------
// 2. Headers
// ---------------------------------------------------------------------------

#[test]
fn each_missing_header_is_named() {
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let partial: Vec<(String, String)> = vector_headers().into_iter().filter(|(k, _)| k != missing).collect();
        let err = verifier().verify(&partial, BODY.as_bytes()).unwrap_err();
        match err {
            WebhookError::MissingHeader(name) => assert_eq!(name, missing),
            other => panic!("{missing}: {other:?}"),
        }
        assert!(err_text(&partial).contains(missing), "{missing}");
    }
}

/// The `Display` text of verifying the vector's body with `headers`.
fn err_text(headers: &[(String, String)]) -> String {
    verifier().verify(headers, BODY.as_bytes()).unwrap_err().to_string()
}

#[test]
fn header_names_match_case_insensitively() {
    let ts = TIMESTAMP.to_string();
    let mixed = [("Webhook-Id", ID), ("WEBHOOK-TIMESTAMP", ts.as_str()), ("Webhook-Signature", SIGNATURE)];
    assert!(matches!(verifier().verify(&mixed, BODY.as_bytes()), Ok(())));
    assert!(matches!(verifier().verify(mixed.as_slice(), BODY.as_bytes()), Ok(())));

    let map: HashMap<String, String> = mixed.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert!(matches!(verifier().verify(&map, BODY.as_bytes()), Ok(())));
    let map: BTreeMap<&str, &str> = mixed.into_iter().collect();
    assert!(matches!(verifier().verify(&map, BODY.as_bytes()), Ok(())));
}

#[test]
fn http_header_map_works() {
    let mut map = HeaderMap::new();
    map.insert("Webhook-Id", ID.parse().unwrap());
    map.insert("Webhook-Timestamp", TIMESTAMP.to_string().parse().unwrap());
    map.insert("Webhook-Signature", SIGNATURE.parse().unwrap());
    assert!(matches!(verifier().verify(&map, BODY.as_bytes()), Ok(())));
    assert_eq!(map.header("WEBHOOK-ID").as_deref(), Some(ID));

    map.remove("webhook-signature");
    let err = verifier().verify(&map, BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::MissingHeader("webhook-signature")), "{err:?}");
}

#[test]
fn closures_adapt_other_frameworks() {
    let theirs = vector_headers();
    let asked = std::cell::RefCell::new(Vec::new());
    let lookup = |name: &str| {
        asked.borrow_mut().push(name.to_string());
        theirs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    assert!(matches!(verifier().verify(&lookup, BODY.as_bytes()), Ok(())));
    // The closure is asked with the lowercase names.
    assert_eq!(*asked.borrow(), ["webhook-id", "webhook-timestamp", "webhook-signature"]);

    let nothing = |_: &str| -> Option<String> { None };
    let err = verifier().verify(&nothing, BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::MissingHeader("webhook-id")), "{err:?}");
}

// ---------------------------------------------------------------------------
// 3. Timestamps
// ---------------------------------------------------------------------------

#[test]
fn non_numeric_timestamps_are_refused() {
    for bad in ["", "abc", "1649367553.5", "-1649367553", "+1649367553", "1649367553s", "99999999999999999999999"] {
        let err = verifier().verify(&headers(ID, bad, SIGNATURE), BODY.as_bytes()).unwrap_err();
        assert!(matches!(err, WebhookError::InvalidTimestamp), "{bad:?}: {err:?}");
    }
}

#[test]
fn stale_timestamps_are_refused() {
    let v = verifier().with_clock(at(TIMESTAMP + 301));
    let err = v.verify(&vector_headers(), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::TimestampTooOld { timestamp: TIMESTAMP }), "{err:?}");
    // Checked before the signature: a stale replay is refused as stale.
    let v = verifier().with_clock(at(TIMESTAMP + 86_400));
    let err = v.verify(&vector_headers(), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::TimestampTooOld { .. }), "{err:?}");
}

#[test]
fn future_timestamps_are_refused() {
    let v = verifier().with_clock(at(TIMESTAMP - 301));
    let err = v.verify(&vector_headers(), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::TimestampTooNew { timestamp: TIMESTAMP }), "{err:?}");
}

#[test]
fn timestamps_just_inside_the_tolerance_are_accepted() {
    for now in [TIMESTAMP - 300, TIMESTAMP - 1, TIMESTAMP + 1, TIMESTAMP + 300] {
        let v = verifier().with_clock(at(now));
        assert!(matches!(v.verify(&vector_headers(), BODY.as_bytes()), Ok(())), "now = {now}");
    }
    // A fraction of a second past the edge is outside.
    let v = verifier().with_clock(|| SystemTime::UNIX_EPOCH + Duration::from_millis((TIMESTAMP + 300) * 1000 + 1));
    assert!(matches!(v.verify(&vector_headers(), BODY.as_bytes()), Err(WebhookError::TimestampTooOld { .. })));
}

#[test]
fn tolerance_is_configurable() {
    assert_eq!(verifier().tolerance(), Duration::from_secs(300));
    let v = verifier().with_tolerance(Duration::from_secs(10));
    assert_eq!(v.tolerance(), Duration::from_secs(10));
    let ok = v.clone().with_clock(at(TIMESTAMP + 10));
    assert!(matches!(ok.verify(&vector_headers(), BODY.as_bytes()), Ok(())));
    let old = v.clone().with_clock(at(TIMESTAMP + 11));
    assert!(matches!(old.verify(&vector_headers(), BODY.as_bytes()), Err(WebhookError::TimestampTooOld { .. })));
    let new = v.with_clock(at(TIMESTAMP - 11));
    assert!(matches!(new.verify(&vector_headers(), BODY.as_bytes()), Err(WebhookError::TimestampTooNew { .. })));

    let wide = verifier().with_tolerance(Duration::from_secs(3600)).with_clock(at(TIMESTAMP + 3000));
    assert!(matches!(wide.verify(&vector_headers(), BODY.as_bytes()), Ok(())));
}

#[test]
fn the_default_clock_is_the_system_clock() {
    // The vector is from 2022: far outside the tolerance of today's clock.
    let v = Verifier::new(SECRET).unwrap();
    assert!(matches!(v.verify(&vector_headers(), BODY.as_bytes()), Err(WebhookError::TimestampTooOld { .. })));
    // A message signed now is accepted.
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    let fresh = signed(now, BODY);
    assert!(matches!(v.verify(&fresh, BODY.as_bytes()), Ok(())));
}

// ---------------------------------------------------------------------------
// 4. Secrets
// ---------------------------------------------------------------------------

#[test]
fn secret_with_and_without_prefix() {
    for secret in [SECRET, SECRET_BASE64] {
        let v = Verifier::new(secret).unwrap().with_clock(at(TIMESTAMP));
        assert!(matches!(v.verify(&vector_headers(), BODY.as_bytes()), Ok(())), "{secret}");
    }
    // Taken as text: `whsec_` is not part of the key.
    let literal = Verifier::new(format!("whsec_{SECRET}"));
    assert!(matches!(literal, Err(WebhookError::InvalidSecret)), "{literal:?}");
}

#[test]
fn empty_secrets_are_refused() {
    for secret in ["", "whsec_", "  "] {
        let err = Verifier::new(secret).unwrap_err();
        assert!(matches!(err, WebhookError::EmptySecret), "{secret:?}: {err:?}");
    }
}

#[test]
fn non_base64_secrets_are_refused() {
    for secret in ["whsec_not base64!", "not-base64-$$$", "whsec_A"] {
        let err = Verifier::new(secret).unwrap_err();
        assert!(matches!(err, WebhookError::InvalidSecret), "{secret:?}: {err:?}");
        assert!(!err.to_string().contains(secret), "{err}");
    }
}

#[test]
fn debug_never_shows_the_secret() {
    let v = verifier();
    let printed = format!("{v:?} {v:#?}");
    assert!(!printed.contains(SECRET_BASE64), "{printed}");
    assert!(!printed.contains("C2FVsBQ"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
    assert!(printed.contains("Verifier"), "{printed}");
}

// ---------------------------------------------------------------------------
// 5. Payloads
// ---------------------------------------------------------------------------

#[test]
fn parse_the_reference_example() {
    let event: Webhook = webhook::parse(CANCELLED.as_bytes()).unwrap();
    assert_eq!(event.tag(), Some("Transaction.Cancelled"));
    let Webhook::TransactionCancelled(WebhookTransactionCancelled { timestamp, data, .. }) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(*timestamp, Utc.with_ymd_and_hms(2024, 4, 25, 10, 0, 0).unwrap());
    let WebhookTransactionCancelData { payment_id, store_id, transaction_id, cancellation_id, .. } = data;
    assert_eq!(payment_id, "example-payment-id");
    assert_eq!(transaction_id, "55451513-9763-4a7a-bb43-78a4c65be843");
    assert_eq!(cancellation_id, "0cdd91e9-4e7c-44a3-a72e-1a6511826c2b");
    assert_eq!(store_id, "store-ae356798-3d20-4969-b739-14c6b0e1a667");

    // Encodes back to the same JSON (with the tag).
    let again: Value = serde_json::to_value(&event).unwrap();
    let original: Value = serde_json::from_str(CANCELLED).unwrap();
    assert_eq!(again["type"], original["type"]);
    assert_eq!(again["data"], original["data"]);
}

#[test]
fn parse_every_known_type() {
    let tx = json!({"paymentId": "p", "storeId": "s", "transactionId": "t"});
    let cancel = json!({"paymentId": "p", "storeId": "s", "transactionId": "t", "cancellationId": "c"});
    let key = json!({"billingKey": "b", "storeId": "s"});
    let cases = [
        ("Transaction.Ready", &tx),
        ("Transaction.Paid", &tx),
        ("Transaction.VirtualAccountIssued", &tx),
        ("Transaction.PartialCancelled", &cancel),
        ("Transaction.Cancelled", &cancel),
        ("Transaction.CancelPending", &cancel),
        ("Transaction.Failed", &tx),
        ("Transaction.PayPending", &tx),
        ("Transaction.DisputeCreated", &tx),
        ("Transaction.DisputeResolved", &tx),
        ("BillingKey.Ready", &key),
        ("BillingKey.Issued", &key),
        ("BillingKey.Failed", &key),
        ("BillingKey.Deleted", &key),
        ("BillingKey.Updated", &key),
    ];
    for (kind, data) in cases {
        let body = json!({"type": kind, "timestamp": "2024-04-25T10:00:00Z", "data": data}).to_string();
        let event: Webhook = webhook::parse(body.as_bytes()).unwrap();
        assert_eq!(event.tag(), Some(kind));
        assert!(!matches!(event, Webhook::Unrecognized(_)), "{kind}");
    }

    let body = r#"{"type":"Transaction.Confirm","timestamp":"2024-04-25T10:00:00Z","data":{"paymentId":"p","storeId":"s","transactionId":"t","totalAmount":5000000000}}"#;
    let Webhook::TransactionConfirm(confirm) = webhook::parse(body.as_bytes()).unwrap() else { panic!() };
    assert_eq!(confirm.data.total_amount, 5_000_000_000_i64);
    assert_eq!(confirm.data.payment_id, "p");
}

#[test]
fn unknown_types_are_kept_as_json() {
    let body = r#"{"type":"Transaction.SomethingNew","timestamp":"2024-04-25T10:00:00Z","data":{"paymentId":"p","extra":[1,2]}}"#;
    let event: Webhook = webhook::parse(body.as_bytes()).unwrap();
    let Webhook::Unrecognized(value) = &event else { panic!("{event:?}") };
    assert_eq!(*value, serde_json::from_str::<Value>(body).unwrap());
    assert_eq!(event.tag(), Some("Transaction.SomethingNew"));
}

#[test]
fn missing_required_fields_are_a_body_error() {
    // A known type without its `cancellationId`.
    let body = r#"{"type":"Transaction.Cancelled","timestamp":"2024-04-25T10:00:00Z","data":{"paymentId":"p","storeId":"s","transactionId":"t"}}"#;
    let err = webhook::parse::<Webhook>(body.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidBody(_)), "{err:?}");
    assert!(err.to_string().contains("cancellationId"), "{err}");
}

#[test]
fn verify_and_parse_success() {
    let v = verifier();
    let event: Webhook = v.verify_and_parse(&signed(TIMESTAMP, CANCELLED), CANCELLED.as_bytes()).unwrap();
    assert!(
        matches!(&event, Webhook::TransactionCancelled(c) if c.data.payment_id == "example-payment-id"),
        "{event:?}"
    );

    // Any serde type works, not only `Webhook`.
    let any: Value = v.verify_and_parse(&vector_headers(), BODY.as_bytes()).unwrap();
    assert_eq!(any, json!({"email": "test@example.com", "username": "test_user"}));
}

#[test]
fn verify_and_parse_checks_the_signature_first() {
    let tampered = CANCELLED.replace("example-payment-id", "other-payment-id");
    let err =
        verifier().verify_and_parse::<Webhook, _>(&signed(TIMESTAMP, CANCELLED), tampered.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::NoMatchingSignature), "{err:?}");
}

#[test]
fn verify_and_parse_keeps_the_serde_error() {
    let body = "not json";
    let err = verifier().verify_and_parse::<Webhook, _>(&signed(TIMESTAMP, body), body.as_bytes()).unwrap_err();
    let WebhookError::InvalidBody(inner) = &err else { panic!("{err:?}") };
    assert!(inner.is_syntax(), "{inner}");
    assert!(err.source().is_some());
}
