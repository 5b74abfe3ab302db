//! What a call can fail with. Every failure names the operation; nothing the server
//! sent is thrown away.

use bytes::Bytes;
use std::borrow::Cow;
use std::fmt;

/// The error of one call, generic over the operation's own error cases `E`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// PortOne answered with an error: one of the operation's documented cases, or an
    /// unrecognized one.
    Api(Box<ApiError<E>>),
    /// The request was not sent or the response not received (connection, TLS, timeout).
    Transport(TransportError),
    /// The response could not be decoded: not JSON, or not the documented shape.
    Decode(Box<DecodeError>),
    /// The inputs cannot form a request (for example an empty path parameter); nothing was sent.
    InvalidInput(InvalidInputError),
    /// The client could not obtain an access token, so the call was not made.
    Auth(Box<AuthError>),
}

impl<E> Error<E> {
    /// The operation that failed (`getPayment`).
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(e) => e.operation,
            Error::Transport(e) => e.operation,
            Error::Decode(e) => e.operation,
            Error::InvalidInput(e) => e.operation,
            Error::Auth(e) => e.operation,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(_) | Error::InvalidInput(_) | Error::Auth(_) => None,
        }
    }

    /// The response body exactly as received, when a response arrived.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(&e.body),
            Error::Decode(e) => Some(&e.body),
            Error::Transport(_) | Error::InvalidInput(_) | Error::Auth(_) => None,
        }
    }

    /// The operation's error case, when PortOne sent one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.error),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::InvalidInput(e) => e.fmt(f),
            Error::Auth(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(&e.source),
            Error::Decode(e) => e.source.as_ref().map(|s| s as _),
            Error::Auth(e) => e.source.as_deref().map(|s| s as _),
            Error::Api(_) | Error::InvalidInput(_) => None,
        }
    }
}

impl<E> From<InvalidInputError> for Error<E> {
    fn from(e: InvalidInputError) -> Self {
        Error::InvalidInput(e)
    }
}

/// An error response from PortOne, decoded.
#[derive(Debug)]
pub struct ApiError<E> {
    pub(crate) operation: &'static str,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) error: E,
    pub(crate) body: Bytes,
}

impl<E> ApiError<E> {
    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// Headers of the response.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The decoded error case.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The decoded error case, by value.
    pub fn into_error(self) -> E {
        self.error
    }

    /// The response body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl<E: fmt::Display> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: PortOne answered HTTP {}: {}", self.operation, self.status.as_u16(), self.error)
    }
}

/// The request could not be sent or its response not read.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) operation: &'static str,
    pub(crate) source: reqwest::Error,
}

impl TransportError {
    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Whether the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether connecting failed, so the request never reached the server.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the request failed: {}", self.operation, self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A response that could not be decoded; keeps the status and the raw body.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) operation: &'static str,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) source: Option<serde_json::Error>,
    pub(crate) message: String,
}

impl DecodeError {
    /// The operation whose response this was.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// Headers of the response.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The response body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The response body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Why decoding failed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: cannot decode the HTTP {} response: {}", self.operation, self.status.as_u16(), self.message)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|s| s as _)
    }
}

/// Obtaining an access token failed: the token operation answered with an error or
/// something unreadable, or could not be reached. The call itself was not sent.
#[derive(Debug)]
pub struct AuthError {
    pub(crate) operation: &'static str,
    pub(crate) token_operation: &'static str,
    pub(crate) status: Option<reqwest::StatusCode>,
    pub(crate) body: Option<Bytes>,
    pub(crate) message: String,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// The operation that needed the token.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The operation that issues tokens (`getToken`).
    pub fn token_operation(&self) -> &'static str {
        self.token_operation
    }

    /// HTTP status of the token response, if one arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.status
    }

    /// Body of the token response exactly as received, if one arrived.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: authentication failed: {} could not issue an access token: ",
            self.operation, self.token_operation
        )?;
        match self.status {
            Some(status) => write!(f, "HTTP {}: {}", status.as_u16(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as _)
    }
}

/// The inputs of a call cannot form a request; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInputError {
    pub(crate) operation: &'static str,
    pub(crate) message: String,
}

impl InvalidInputError {
    pub(crate) fn new(operation: &'static str, message: String) -> Self {
        InvalidInputError { operation, message }
    }

    /// The operation that was called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What is wrong with the inputs.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: invalid input: {}", self.operation, self.message)
    }
}

impl std::error::Error for InvalidInputError {}

/// What every operation's error cases offer: the tag PortOne sent (`PAYMENT_NOT_FOUND`)
/// and its message.
pub trait ErrorCase {
    /// The error's tag (its `type`), when present.
    fn tag(&self) -> Option<&str>;

    /// The message PortOne sent with the error, when present.
    fn message(&self) -> Option<&str>;

    /// `TAG: message`, for `Display` implementations.
    fn fmt_case(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.tag(), self.message()) {
            (Some(tag), Some(message)) => write!(f, "{tag}: {message}"),
            (Some(tag), None) => f.write_str(tag),
            (None, Some(message)) => f.write_str(message),
            (None, None) => f.write_str("unspecified error"),
        }
    }
}

/// The error of an operation whose error cases the spec does not list: the JSON received.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct UntypedError(pub serde_json::Value);

impl ErrorCase for UntypedError {
    fn tag(&self) -> Option<&str> {
        self.0.get("type").and_then(serde_json::Value::as_str)
    }

    fn message(&self) -> Option<&str> {
        self.0.get("message").and_then(serde_json::Value::as_str)
    }
}

impl fmt::Display for UntypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_case(f)
    }
}

impl std::error::Error for UntypedError {}
