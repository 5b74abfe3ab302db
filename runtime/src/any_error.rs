//! One error type for every operation: each call's `Error<E>` converts into
//! [`PortOneError`], so a function that calls several operations can return
//! `Result<T, PortOneError>` and use `?` on each. It keeps what a caller reads from any
//! failure (operation, status, the API error's tag and message, the raw body, the
//! idempotency key, the request ID, whether to retry) and the typed error itself, to get
//! back with [`PortOneError::downcast_ref`].

use super::error::{Error, ErrorCase};
use bytes::Bytes;
use std::fmt;

/// The failure of any call, whatever its operation.
///
/// `Display` is the operation's own error text; `source()` continues with its cause (the
/// HTTP client's or the JSON decoder's error). `Debug` shows the body's length, not its
/// content.
pub struct PortOneError(Box<Inner>);

/// What a [`PortOneError`] keeps (boxed, so `Result<T, PortOneError>` stays small).
struct Inner {
    kind: ErrorKind,
    operation: &'static str,
    status: Option<reqwest::StatusCode>,
    tag: Option<String>,
    message: Option<String>,
    body: Option<Bytes>,
    idempotency_key: Option<String>,
    request_id: Option<String>,
    retry_after: Option<std::time::Duration>,
    retryable: bool,
    typed: Box<dyn std::error::Error + Send + Sync>,
}

/// Which variant of `Error<E>` a [`PortOneError`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// PortOne answered with an error ([`Error::Api`]).
    Api,
    /// The request was not sent or its response not read ([`Error::Transport`]).
    Transport,
    /// The response could not be decoded ([`Error::Decode`]).
    Decode,
    /// The inputs could not form a request ([`Error::InvalidInput`]).
    InvalidInput,
    /// No access token could be obtained ([`Error::Auth`]).
    Auth,
}

impl<E> From<Error<E>> for PortOneError
where
    E: ErrorCase + fmt::Debug + fmt::Display + Send + Sync + 'static,
{
    fn from(error: Error<E>) -> Self {
        let kind = match &error {
            Error::Api(_) => ErrorKind::Api,
            Error::Transport(_) => ErrorKind::Transport,
            Error::Decode(_) => ErrorKind::Decode,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Auth(_) => ErrorKind::Auth,
        };
        let case = error.api_error();
        PortOneError(Box::new(Inner {
            kind,
            operation: error.operation(),
            status: error.status(),
            tag: match &error {
                Error::Decode(e) => e.tag().map(str::to_owned),
                _ => case.and_then(ErrorCase::tag).map(str::to_owned),
            },
            message: match &error {
                Error::Decode(e) => e.error_message().map(str::to_owned),
                _ => case.and_then(ErrorCase::message).map(str::to_owned),
            },
            body: match &error {
                Error::Api(e) => Some(e.meta.body.clone()),
                Error::Decode(e) => Some(e.body.clone()),
                _ => None,
            },
            idempotency_key: error.idempotency_key().map(str::to_owned),
            request_id: error.request_id().map(str::to_owned),
            retry_after: error.retry_after(),
            retryable: error.is_retryable(),
            typed: Box::new(error),
        }))
    }
}

impl PortOneError {
    /// Which kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The operation that failed (`getPayment`).
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.0.status
    }

    /// The API error's tag (V2's `type`, such as `PAYMENT_NOT_FOUND`), when PortOne sent
    /// one; for a decode error, the documented tag of an answer whose other fields did
    /// not decode ([`super::error::DecodeError::tag`]).
    pub fn tag(&self) -> Option<&str> {
        self.0.tag.as_deref()
    }

    /// The message PortOne sent with its error, when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// The response body as received, when a response arrived; the client's known secret
    /// values replaced by `<redacted>` (see [`crate::Error::body`]).
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }

    /// The idempotency key the call was sent with (see [`Error::idempotency_key`]).
    pub fn idempotency_key(&self) -> Option<&str> {
        self.0.idempotency_key.as_deref()
    }

    /// The request ID the response carried (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The wait the server asked for with `Retry-After`, when it did.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.0.retry_after
    }

    /// Whether repeating the call may succeed (see [`Error::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }

    /// The typed error of the operation, when it is `Error<E>`:
    /// `err.downcast_ref::<GetPaymentError>()` to match on `getPayment`'s cases.
    pub fn downcast_ref<E: fmt::Debug + fmt::Display + Send + Sync + 'static>(&self) -> Option<&Error<E>>
    where
        Error<E>: std::error::Error,
    {
        self.0.typed.downcast_ref::<Error<E>>()
    }
}

impl fmt::Display for PortOneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.typed.fmt(f)
    }
}

impl fmt::Debug for PortOneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortOneError")
            .field("kind", &self.0.kind)
            .field("operation", &self.0.operation)
            .field("status", &self.0.status)
            .field("tag", &self.0.tag)
            .field("message", &self.0.message)
            .field("body", &self.0.body.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .field("idempotency_key", &self.0.idempotency_key)
            .field("request_id", &self.0.request_id)
            .field("retryable", &self.0.retryable)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for PortOneError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The typed error is this error (same text); its cause comes next.
        self.0.typed.source()
    }
}
