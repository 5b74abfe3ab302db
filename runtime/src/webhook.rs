//! Receiving PortOne's webhooks: check their signature, then decode their payload.
//!
//! PortOne signs every webhook with the [Standard Webhooks] symmetric scheme. A request
//! carries three headers:
//!
//! - `webhook-id`: the message's ID, the same on every delivery attempt;
//! - `webhook-timestamp`: when it was sent, in Unix seconds;
//! - `webhook-signature`: a space-separated list of `version,base64` signatures.
//!
//! A `v1` signature is the base64 of HMAC-SHA256, keyed with the webhook secret, over
//! `{webhook-id}.{webhook-timestamp}.{body}`. A [`Verifier`] accepts a request when any
//! `v1` signature matches (compared in constant time) and the timestamp is within the
//! tolerance of its clock (300 seconds either way, by default), which limits replays.
//!
//! Verify the **raw body bytes** as received, before any JSON decoding: re-encoding the
//! JSON changes the bytes and the signature no longer matches.
//!
//! Nothing here is tied to one payload type: [`Verifier::verify_and_parse`] and
//! [`parse`] decode into any `serde` type. PortOne's V2 events are `v2::types::Webhook`,
//! which keeps event types this version does not know in its `Unrecognized` variant.
//!
//! Headers are read through [`WebhookHeaders`], implemented for `reqwest`'s (that is, the
//! `http` crate's) `HeaderMap`, which axum, hyper and tonic use too; for lists and maps of
//! name-value pairs; and for closures `Fn(&str) -> Option<String>`, for any other
//! framework. Header names match case-insensitively.
//!
//! The example needs the SDK's `Webhook` type, so it is not compiled here; the SDK's
//! example `webhook_handler` runs the same steps in CI.
//!
//! ```ignore
//! use portone_sdk::webhook::{Verifier, WebhookError};
//! use portone_sdk::reqwest::header::HeaderMap;
//! use std::time::{Duration, SystemTime};
//!
//! // What a web handler does with a request's headers and raw body.
//! fn on_webhook(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
//!     let event: portone_sdk::v2::types::Webhook = verifier.verify_and_parse(headers, body)?;
//!     if let Some(kind) = event.tag() {
//!         println!("received {kind}");
//!     }
//!     Ok(())
//! }
//!
//! // The secret comes from PortOne's console, `whsec_` prefix or not; build the
//! // verifier once and share it.
//! let verifier = Verifier::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
//!
//! // A request as PortOne would send it. The verifier's clock is fixed at the time it
//! // was sent, as a test would do, so that the example stays valid.
//! let body = r#"{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00Z","data":{"paymentId":"p-1","storeId":"store-1","transactionId":"t-1"}}"#;
//! let sent = 1_714_039_200;
//! let verifier = verifier.with_clock(move || SystemTime::UNIX_EPOCH + Duration::from_secs(sent));
//! let mut headers = HeaderMap::new();
//! headers.insert("webhook-id", "msg_1".parse().unwrap());
//! headers.insert("webhook-timestamp", sent.to_string().parse().unwrap());
//! headers.insert("webhook-signature", verifier.sign("msg_1", sent, body.as_bytes()).parse().unwrap());
//!
//! on_webhook(&verifier, &headers, body.as_bytes())?;
//!
//! // A changed body is refused.
//! let forged = body.replace("p-1", "p-2");
//! assert!(matches!(on_webhook(&verifier, &headers, forged.as_bytes()), Err(WebhookError::NoMatchingSignature)));
//! # Ok::<(), WebhookError>(())
//! ```
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com/

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Name of the header carrying the message ID.
pub const HEADER_ID: &str = "webhook-id";
/// Name of the header carrying the Unix time (seconds) the message was sent at.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Name of the header carrying the space-separated `version,base64` signatures.
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// How far a message's timestamp may be from the verifier's clock, either way, unless
/// set with [`Verifier::with_tolerance`].
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The optional prefix of a webhook secret, stripped before base64 decoding.
const SECRET_PREFIX: &str = "whsec_";
/// The only signature version this module checks; entries of other versions are skipped.
const SIGNATURE_VERSION: &str = "v1";

/// Base64 with the standard alphabet that accepts input with or without padding.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

type HmacSha256 = Hmac<Sha256>;

/// Why a webhook was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The webhook secret is empty (or only the `whsec_` prefix).
    EmptySecret,
    /// The webhook secret, after the optional `whsec_` prefix, is not base64.
    InvalidSecret,
    /// A required header is absent (or not valid text); holds its lowercase name, one
    /// of [`HEADER_ID`], [`HEADER_TIMESTAMP`] and [`HEADER_SIGNATURE`].
    MissingHeader(&'static str),
    /// The `webhook-timestamp` header is not a whole number of seconds.
    InvalidTimestamp,
    /// The timestamp is further in the past than the tolerance allows: an old message,
    /// possibly replayed.
    TimestampTooOld {
        /// The message's timestamp, in Unix seconds.
        timestamp: u64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    TimestampTooNew {
        /// The message's timestamp, in Unix seconds.
        timestamp: u64,
    },
    /// The `webhook-signature` header holds no well-formed entry: it is blank, or none of
    /// its space-separated entries is a `version,signature` pair (for `v1`, with a
    /// base64 signature).
    MalformedSignature,
    /// No `v1` signature matches the message: a wrong secret or a changed body, ID or
    /// timestamp.
    NoMatchingSignature,
    /// The body is not JSON of the expected shape.
    InvalidBody(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::EmptySecret => f.write_str("the webhook secret is empty"),
            WebhookError::InvalidSecret => {
                f.write_str("the webhook secret is not base64 (after an optional `whsec_` prefix)")
            }
            WebhookError::MissingHeader(name) => write!(f, "the webhook request has no `{name}` header"),
            WebhookError::InvalidTimestamp => {
                write!(f, "the `{HEADER_TIMESTAMP}` header is not a Unix time in whole seconds")
            }
            WebhookError::TimestampTooOld { timestamp } => {
                write!(f, "the webhook timestamp {timestamp} is older than the tolerance allows")
            }
            WebhookError::TimestampTooNew { timestamp } => {
                write!(f, "the webhook timestamp {timestamp} is further in the future than the tolerance allows")
            }
            WebhookError::MalformedSignature => {
                write!(f, "the `{HEADER_SIGNATURE}` header holds no well-formed `v1,<base64>` signature")
            }
            WebhookError::NoMatchingSignature => f.write_str("no webhook signature matches the message"),
            WebhookError::InvalidBody(e) => write!(f, "the webhook body could not be decoded: {e}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::InvalidBody(e) => Some(e),
            _ => None,
        }
    }
}

/// Read access to a request's headers, by name, case-insensitively.
///
/// Implemented for `reqwest::header::HeaderMap` (the `http` crate's, as used by axum and
/// hyper), for slices, arrays and `Vec`s of `(name, value)` pairs, for `HashMap` and
/// `BTreeMap` from names to values, and for closures `Fn(&str) -> Option<String>`,
/// which adapt any other framework's headers:
///
/// ```
/// # use portone_runtime as portone_sdk;
/// # use portone_sdk::webhook::WebhookHeaders;
/// # use std::collections::HashMap;
/// let theirs: HashMap<&str, &str> = HashMap::from([("Webhook-Id", "msg_1")]);
/// let lookup = |name: &str| theirs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.to_string());
/// assert_eq!(lookup.header("webhook-id").as_deref(), Some("msg_1"));
/// ```
pub trait WebhookHeaders {
    /// The value of the header `name`, whatever the case of the stored name; `None` when
    /// it is absent or not valid text. With several values, the first.
    fn header(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl WebhookHeaders for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        // `http` normalizes names to lowercase, on insertion and on lookup.
        self.get(name).and_then(|v| v.to_str().ok()).map(Cow::Borrowed)
    }
}

/// The first value of a pair whose name equals `name`, ignoring ASCII case.
fn find_pair<'a, K: AsRef<str> + 'a, V: AsRef<str> + 'a>(
    pairs: impl IntoIterator<Item = (&'a K, &'a V)>,
    name: &str,
) -> Option<Cow<'a, str>> {
    pairs.into_iter().find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| Cow::Borrowed(v.as_ref()))
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        find_pair(self.iter().map(|(k, v)| (k, v)), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> WebhookHeaders for HashMap<K, V, S> {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        // Scanned rather than looked up, so that stored names of any case match; with
        // several names differing only in case, which one wins is unspecified.
        find_pair(self.iter(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for BTreeMap<K, V> {
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        find_pair(self.iter(), name)
    }
}

impl<F: Fn(&str) -> Option<String>> WebhookHeaders for F {
    /// Calls the closure with the lowercase header name; the closure does the
    /// case-insensitive lookup (most frameworks' header maps already do).
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self(name).map(Cow::Owned)
    }
}

/// Checks webhook signatures with one webhook secret.
///
/// Build it once from the secret ([`Verifier::new`]) and share it: it is cheap to clone,
/// `Send` and `Sync`. Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct Verifier {
    key: Vec<u8>,
    tolerance: Duration,
    clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &format_args!("<redacted>"))
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for the webhook secret from PortOne's console: base64, with or
    /// without the `whsec_` prefix (and with or without `=` padding). It checks
    /// timestamps against the system clock with [`DEFAULT_TOLERANCE`].
    ///
    /// Fails with [`WebhookError::EmptySecret`] or [`WebhookError::InvalidSecret`]; the
    /// error never contains the secret.
    pub fn new(secret: impl AsRef<str>) -> Result<Verifier, WebhookError> {
        let secret = secret.as_ref().trim();
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        if encoded.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        let key = LENIENT_BASE64.decode(encoded).map_err(|_| WebhookError::InvalidSecret)?;
        if key.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        Ok(Verifier { key, tolerance: DEFAULT_TOLERANCE, clock: Arc::new(SystemTime::now) })
    }

    /// The same verifier, accepting timestamps up to `tolerance` before or after its
    /// clock's time (inclusive). With `Duration::ZERO` the clock must read exactly the
    /// timestamp's second, which is rarely what you want.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// The same verifier, reading the current time from `clock` instead of
    /// [`SystemTime::now`]: for tests, or to replay stored webhooks at the time they
    /// arrived.
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Verifier {
        self.clock = Arc::new(clock);
        self
    }

    /// How far a timestamp may be from the clock, either way.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks a request's signature: the three headers are present, the timestamp is
    /// within the tolerance, and some `v1` signature matches `body`, the raw bytes as
    /// received. Checks run in that order; the first failure is returned.
    pub fn verify<H: WebhookHeaders + ?Sized>(&self, headers: &H, body: &[u8]) -> Result<(), WebhookError> {
        let id = required(headers, HEADER_ID)?;
        let timestamp_text = required(headers, HEADER_TIMESTAMP)?;
        let signatures = required(headers, HEADER_SIGNATURE)?;

        let timestamp = parse_timestamp(&timestamp_text)?;
        self.check_timestamp(timestamp)?;

        let mac = self.mac(&id, timestamp_text.trim(), body);
        // Whether some entry was a well-formed `version,signature` pair (for `v1`, with
        // a base64 signature): telling a wrong signature from a garbled header.
        let mut well_formed = false;
        for entry in signatures.split_ascii_whitespace() {
            let Some((version, signature)) = entry.split_once(',') else { continue };
            if version.is_empty() || signature.is_empty() {
                continue;
            }
            if version != SIGNATURE_VERSION {
                well_formed = true;
                continue;
            }
            let Ok(signature) = LENIENT_BASE64.decode(signature) else { continue };
            well_formed = true;
            // `verify_slice` compares in constant time and refuses other lengths.
            if mac.clone().verify_slice(&signature).is_ok() {
                return Ok(());
            }
        }
        Err(if well_formed { WebhookError::NoMatchingSignature } else { WebhookError::MalformedSignature })
    }

    /// [`verify`](Self::verify)s the request, then decodes its body with [`parse`].
    pub fn verify_and_parse<T, H>(&self, headers: &H, body: &[u8]) -> Result<T, WebhookError>
    where
        T: serde::de::DeserializeOwned,
        H: WebhookHeaders + ?Sized,
    {
        self.verify(headers, body)?;
        parse(body)
    }

    /// The `webhook-signature` entry (`v1,<base64>`) for a message with this ID, Unix
    /// timestamp and body: what PortOne sends. For testing your own webhook handlers.
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let tag = self.mac(id, &timestamp.to_string(), body).finalize().into_bytes();
        format!("{SIGNATURE_VERSION},{}", STANDARD.encode(tag))
    }

    /// The HMAC over `{id}.{timestamp}.{body}`, not yet finalized.
    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// Refuses a timestamp further than the tolerance from the clock's time.
    fn check_timestamp(&self, timestamp: u64) -> Result<(), WebhookError> {
        let sent = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(timestamp));
        let Some(sent) = sent else { return Err(WebhookError::TimestampTooNew { timestamp }) };
        let now = (self.clock)();
        match now.duration_since(sent) {
            // Sent before now (or at it): how long ago?
            Ok(age) if age > self.tolerance => Err(WebhookError::TimestampTooOld { timestamp }),
            Ok(_) => Ok(()),
            // Sent after now: how far ahead?
            Err(ahead) if ahead.duration() > self.tolerance => Err(WebhookError::TimestampTooNew { timestamp }),
            Err(_) => Ok(()),
        }
    }
}

/// A header's value, or the error naming it.
fn required<'h, H: WebhookHeaders + ?Sized>(headers: &'h H, name: &'static str) -> Result<Cow<'h, str>, WebhookError> {
    headers.header(name).ok_or(WebhookError::MissingHeader(name))
}

/// Unix seconds: ASCII digits only (no sign, no fraction).
fn parse_timestamp(text: &str) -> Result<u64, WebhookError> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::InvalidTimestamp);
    }
    text.parse().map_err(|_| WebhookError::InvalidTimestamp)
}

/// Decodes a webhook body as JSON into `T` (such as `v2::types::Webhook`), without
/// checking its signature: only for bodies verified already, or in tests.
pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    super::de::from_json(body).map_err(WebhookError::InvalidBody)
}
