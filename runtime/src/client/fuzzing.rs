//! Not part of the SDK's API (hidden, may change in any release): the functions the
//! client runs on every answer, for the SDK's generated fuzz and union tests
//! (`tests/fuzz.rs`, `tests/unions.rs`), which feed them answers without a server. Each
//! is the production path itself, given a status and a body in place of a response read
//! from the network.

use super::{EnvelopeError, EnvelopeNames, Error, ErrorCase, RawResponse, Response};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// An answer as the client holds it once read; errors keep its body with `mask` masked.
fn answer(status: StatusCode, body: &[u8], mask: &'static [&'static str]) -> RawResponse {
    let body = bytes::Bytes::copy_from_slice(body);
    RawResponse { status, headers: HeaderMap::new(), body, idempotency_key: None, mask, retryable: false, scrubber: Default::default() }
}

/// Every body's decoder: one UTF-8 check, then `serde_json::from_str`.
pub fn from_json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, serde_json::Error> {
    crate::__private::de::from_json(body)
}

/// What a JSON operation's call returns for this answer: the status checked, the error
/// union or the success type decoded.
pub fn decode_json<T: DeserializeOwned, E: DeserializeOwned + ErrorCase>(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    mask: &'static [&'static str],
) -> Result<Response<T>, Error<E>> {
    super::decode_json(operation, answer(status, body, mask))
}

/// What an enveloped operation's call returns for this answer; `names` are the
/// envelope's code, message and data fields.
pub fn decode_enveloped<T: DeserializeOwned>(
    operation: &'static str,
    names: [&'static str; 3],
    status: StatusCode,
    body: &[u8],
    mask: &'static [&'static str],
) -> Result<Response<T>, Error<EnvelopeError>> {
    let [code, message, data] = names;
    super::decode_enveloped(operation, EnvelopeNames { code, message, data }, &answer(status, body, mask))
}

/// Whether the client would send a repeatable call again after this answer, for an
/// operation whose errors are `E` (or, with `envelope`, an enveloped API's).
pub fn retryable<E: ErrorCase>(
    envelope: Option<[&'static str; 3]>,
    retryable_error_types: &[&str],
    status: StatusCode,
    body: &[u8],
) -> bool {
    let envelope = envelope.map(|[code, message, data]| EnvelopeNames { code, message, data });
    let documented: fn(&[u8]) -> bool = super::documented::<E>;
    super::retryable_answer(envelope, Some(documented), retryable_error_types, &answer(status, body, &[]))
}

/// The value every masked field reads as.
pub const REDACTED: &str = crate::__private::redact::REDACTED;
