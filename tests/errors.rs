//! Every error a call can return can be made without a server, so a user's unit test can
//! feed their own error handling: API errors with status, body, headers and key;
//! transport, decode, auth and input errors; all convert into `Error<E>` with `?`/`into`.

use portone_sdk::reqwest::StatusCode;
use portone_sdk::reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use portone_sdk::v2::types::{CancelPaymentError, GetPaymentError, PaymentAlreadyCancelledError, PaymentNotFoundError};
use portone_sdk::{
    ApiError, AuthError, DecodeError, Error, ErrorKind, InvalidInputError, PortOneError, TransportError,
    TransportErrorKind,
};
use std::time::Duration;

/// What a service might do with a failed `getPayment`: the code under test.
fn reaction(err: &Error<GetPaymentError>) -> &'static str {
    match err {
        Error::Api(ApiError { error: GetPaymentError::PaymentNotFound(_), .. }) => "404 to our caller",
        Error::Api(_) if err.retry_after().is_some() => "try again later",
        Error::Transport(e) if e.is_timeout() => "repeat with the same key",
        Error::Transport(_) => "report the network",
        Error::Decode(_) => "alert: PortOne changed",
        Error::Auth(_) => "check the secret",
        Error::InvalidInput(_) => "fix our request",
        _ => "unknown",
    }
}

#[test]
fn an_api_error_carries_what_a_call_would() {
    let not_found = GetPaymentError::PaymentNotFound(
        serde_json::from_value::<PaymentNotFoundError>(serde_json::json!({ "message": "no such payment" }))
            .expect("decodes"),
    );
    let api = ApiError::new("getPayment", StatusCode::NOT_FOUND, not_found)
        .with_body(&br#"{"type":"PAYMENT_NOT_FOUND","message":"no such payment"}"#[..])
        .with_idempotency_key("key-1");
    let err: Error<GetPaymentError> = api.into();
    assert_eq!(reaction(&err), "404 to our caller");
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.operation(), "getPayment");
    assert_eq!(err.idempotency_key(), Some("key-1"));
    assert!(err.body().is_some_and(|b| b.starts_with(br#"{"type":"PAYMENT_NOT_FOUND""#)));
    assert_eq!(err.to_string(), "getPayment: PortOne answered HTTP 404: PAYMENT_NOT_FOUND: no such payment");

    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
    let busy = GetPaymentError::Unrecognized(serde_json::json!({"type": "BUSY"}));
    let err: Error<GetPaymentError> =
        ApiError::new("getPayment", StatusCode::TOO_MANY_REQUESTS, busy).with_headers(headers).into();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(reaction(&err), "try again later");
}

#[test]
fn transport_decode_auth_and_input_errors_can_be_made_too() {
    let timeout: Error<GetPaymentError> =
        TransportError::new("getPayment", TransportErrorKind::Timeout, "no answer in 30 s")
            .with_idempotency_key("k")
            .into();
    assert_eq!(reaction(&timeout), "repeat with the same key");
    assert_eq!(timeout.idempotency_key(), Some("k"));
    assert_eq!(timeout.to_string(), "getPayment: the request failed: no answer in 30 s");

    let refused: Error<GetPaymentError> =
        TransportError::new("getPayment", TransportErrorKind::Connect, "connection refused").into();
    assert_eq!(reaction(&refused), "report the network");

    let decode: Error<GetPaymentError> =
        DecodeError::new("getPayment", StatusCode::OK, &b"<html>"[..], "expected value").into();
    assert_eq!(reaction(&decode), "alert: PortOne changed");
    assert_eq!(decode.body(), Some(&b"<html>"[..]));
    assert_eq!(decode.to_string(), "getPayment: cannot decode the HTTP 200 response: expected value");

    let auth: Error<GetPaymentError> =
        AuthError::new("getPayment", "loginViaApiSecret", Some(StatusCode::UNAUTHORIZED), "the secret was refused")
            .into();
    assert_eq!(reaction(&auth), "check the secret");
    assert!(auth.to_string().contains("loginViaApiSecret could not issue an access token: HTTP 401"), "{auth}");

    let input: Error<GetPaymentError> =
        InvalidInputError::new("getPayment", "path parameter `paymentId` is empty").into();
    assert_eq!(reaction(&input), "fix our request");
    assert_eq!(input.to_string(), "getPayment: invalid input: path parameter `paymentId` is empty");
}

/// Two steps of a user's function, each an operation with its own error type.
fn find(outcome: Result<(), Error<GetPaymentError>>) -> Result<(), Error<GetPaymentError>> {
    outcome
}

fn cancel(outcome: Result<(), Error<CancelPaymentError>>) -> Result<(), Error<CancelPaymentError>> {
    outcome
}

/// `?` on both operations in one function returning the crate-wide error.
fn refund(
    found: Result<(), Error<GetPaymentError>>,
    cancelled: Result<(), Error<CancelPaymentError>>,
) -> Result<(), PortOneError> {
    find(found)?;
    cancel(cancelled)?;
    Ok(())
}

#[test]
fn every_operation_error_converts_into_one_type_that_keeps_what_callers_read() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("req-1"));
    headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
    let already_cancelled = CancelPaymentError::PaymentAlreadyCancelled(
        serde_json::from_value::<PaymentAlreadyCancelledError>(serde_json::json!({ "message": "already cancelled" }))
            .expect("decodes"),
    );
    let api = ApiError::new("cancelPayment", StatusCode::CONFLICT, already_cancelled)
        .with_body(&br#"{"type":"PAYMENT_ALREADY_CANCELLED"}"#[..])
        .with_headers(headers)
        .with_idempotency_key("key-9");
    let err = refund(Ok(()), Err(api.into())).expect_err("the cancel step fails");
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.operation(), "cancelPayment");
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    assert_eq!(err.tag(), Some("PAYMENT_ALREADY_CANCELLED"));
    assert_eq!(err.message(), Some("already cancelled"));
    assert_eq!(err.body(), Some(&br#"{"type":"PAYMENT_ALREADY_CANCELLED"}"#[..]));
    assert_eq!(err.idempotency_key(), Some("key-9"));
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "cancelPayment: PortOne answered HTTP 409: PAYMENT_ALREADY_CANCELLED: already cancelled"
    );
    assert!(
        matches!(
            err.downcast_ref::<CancelPaymentError>(),
            Some(Error::Api(ApiError { error: CancelPaymentError::PaymentAlreadyCancelled(_), .. }))
        ),
        "the typed error is still there"
    );
    assert!(err.downcast_ref::<GetPaymentError>().is_none());
    assert!(!format!("{err:?}").contains("PAYMENT_ALREADY_CANCELLED\"}"), "Debug shows the body's length only");

    let timeout = TransportError::new("getPayment", TransportErrorKind::Timeout, "timed out");
    let err = refund(Err(timeout.into()), Ok(())).expect_err("the find step fails");
    assert_eq!((err.kind(), err.operation(), err.status()), (ErrorKind::Transport, "getPayment", None));
    assert!(err.is_retryable());
    assert!(refund(Ok(()), Ok(())).is_ok());
}

#[test]
fn the_source_chain_continues_below_the_operation_error() {
    let cause = serde_json::from_str::<u8>("x").expect_err("not JSON");
    let decode = DecodeError::new("getPayment", StatusCode::OK, &b"x"[..], cause.to_string());
    let err: PortOneError = Error::<GetPaymentError>::from(decode).into();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().starts_with("getPayment: cannot decode the HTTP 200 response"), "{err}");
    assert!(std::error::Error::source(&err).is_none(), "a decode error made by hand has no cause");
    let auth: PortOneError = Error::<GetPaymentError>::from(AuthError::new(
        "getPayment",
        "loginViaApiSecret",
        Some(StatusCode::SERVICE_UNAVAILABLE),
        "unavailable",
    ))
    .into();
    assert!(auth.is_retryable(), "a token endpoint answering 503 may recover");
    let refused: PortOneError = Error::<GetPaymentError>::from(AuthError::new(
        "getPayment",
        "loginViaApiSecret",
        Some(StatusCode::UNAUTHORIZED),
        "bad secret",
    ))
    .into();
    assert!(!refused.is_retryable(), "a refused secret is final");
}
