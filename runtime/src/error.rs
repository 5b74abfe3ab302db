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
    /// unrecognized one. Its case can be matched in the same pattern:
    /// `Err(Error::Api(ApiError { error: GetPaymentError::PaymentNotFound(_), .. }))`.
    Api(ApiError<E>),
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
            Error::Api(e) => e.meta.operation,
            Error::Transport(e) => e.operation,
            Error::Decode(e) => e.operation,
            Error::InvalidInput(e) => e.operation,
            Error::Auth(e) => e.operation,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(e) => Some(e.meta.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(_) | Error::InvalidInput(_) | Error::Auth(_) => None,
        }
    }

    /// The response body as received, when a response arrived; the client's known
    /// secret values (its credentials and current tokens, in any form, 8 characters or
    /// longer) are replaced by `<redacted>`, since bodies get printed and logged.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) => Some(&e.meta.body),
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

    /// The idempotency key the call was sent with (every attempt carried the same one),
    /// when the API takes one and the call got as far as sending. Give it to the
    /// request's `idempotency_key` to repeat the call without the risk of running it
    /// twice: PortOne answers a repeated key with the first call's outcome.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.meta.idempotency_key.as_deref(),
            Error::Transport(e) => e.idempotency_key.as_deref(),
            Error::Decode(e) => e.idempotency_key.as_deref(),
            Error::InvalidInput(_) | Error::Auth(_) => None,
        }
    }

    /// Whether repeating the same call later (with the same idempotency key, given to the
    /// request's `idempotency_key`) may succeed and cannot run it twice: the outcomes the
    /// client's own retries repeat (a connection or timeout failure of a request safe to
    /// repeat; HTTP 408, 429 or a 5xx that is not a documented error), here after the
    /// retries or the time ran out. A documented error (one whose tag the operation
    /// documents, even when its other fields do not decode), a decode error of a success
    /// and an input error are final.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.meta.retryable,
            Error::Transport(e) => e.retryable,
            Error::Decode(e) => e.retryable,
            Error::Auth(e) => e.is_retryable(),
            Error::InvalidInput(_) => false,
        }
    }

    /// The request ID the response carried, when it had one of the headers servers
    /// commonly use for it (`x-request-id`, `request-id`, `x-amzn-requestid`; PortOne's
    /// descriptions name none): give it to PortOne's support when asking about a call.
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.response_headers()?)
    }

    /// The headers of the response, when one arrived.
    fn response_headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.meta.headers),
            Error::Decode(e) => Some(&e.headers),
            Error::Transport(_) | Error::InvalidInput(_) | Error::Auth(_) => None,
        }
    }

    /// The wait the server asked for with `Retry-After` (seconds, or an HTTP date
    /// measured from the response's `Date`), when its response had a readable one: the
    /// call ended instead of retrying sooner than asked. Seconds too many to hold are
    /// `Duration::MAX`.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        super::retry::retry_after(self.response_headers()?, std::time::SystemTime::now()).wait()
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
            Error::Transport(e) => e.source.as_ref().map(|s| s as _),
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

impl<E> From<ApiError<E>> for Error<E> {
    fn from(e: ApiError<E>) -> Self {
        Error::Api(e)
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}

impl<E> From<AuthError> for Error<E> {
    fn from(e: AuthError) -> Self {
        Error::Auth(Box::new(e))
    }
}

/// An error response from PortOne, decoded. `Debug` shows the body's length, not its
/// content (it may hold personal data); [`ApiError::body`] gives it.
#[non_exhaustive]
pub struct ApiError<E> {
    /// The decoded error case (also [`ApiError::error`]); public so that a `match` can
    /// name the case in the same pattern as the `Error::Api` around it.
    pub error: E,
    /// The rest, boxed: it keeps `Error<E>` small (clippy's `result_large_err` in callers).
    pub(crate) meta: Box<ApiErrorMeta>,
}

/// What an [`ApiError`] keeps besides its case.
pub(crate) struct ApiErrorMeta {
    pub(crate) operation: &'static str,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) retryable: bool,
}

impl<E> ApiError<E> {
    /// An API error as a call would return it, for tests of code that handles errors:
    /// `operation` answered HTTP `status` with `error`. The body is empty, with no
    /// headers and no idempotency key, until set with the `with_` methods.
    pub fn new(operation: &'static str, status: reqwest::StatusCode, error: E) -> Self {
        ApiError {
            error,
            meta: Box::new(ApiErrorMeta {
                operation,
                status,
                headers: reqwest::header::HeaderMap::new(),
                body: Bytes::new(),
                idempotency_key: None,
                retryable: false,
            }),
        }
    }

    /// The same error, retryable or not (see [`Error::is_retryable`]); a new one is not.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.meta.retryable = retryable;
        self
    }

    /// Whether repeating the call may succeed (see [`Error::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        self.meta.retryable
    }

    /// The request ID the response carried (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.meta.headers)
    }

    /// The same error with this raw body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.meta.body = body.into();
        self
    }

    /// The same error with these response headers.
    pub fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> Self {
        self.meta.headers = headers;
        self
    }

    /// The same error with this idempotency key.
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.meta.idempotency_key = Some(key.into());
        self
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.meta.operation
    }

    /// HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.meta.status
    }

    /// Headers of the response.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.meta.headers
    }

    /// The decoded error case.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The decoded error case, by value.
    pub fn into_error(self) -> E {
        self.error
    }

    /// The response body as received, the client's known secret values replaced by
    /// `<redacted>` (see [`Error::body`]).
    pub fn body(&self) -> &[u8] {
        &self.meta.body
    }

    /// The idempotency key the call was sent with, if the API takes one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.meta.idempotency_key.as_deref()
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.meta.operation)
            .field("status", &self.meta.status)
            .field("error", &self.error)
            .field("body", &BodyLength(self.meta.body.len()))
            .field("idempotency_key", &self.meta.idempotency_key)
            .finish_non_exhaustive()
    }
}

/// The headers servers commonly carry a request ID in, in the order looked at.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-amzn-requestid"];

/// The request ID among `headers`, if one of `REQUEST_ID_HEADERS` is there as text.
fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name)?.to_str().ok())
}

/// Shows a body as its length.
struct BodyLength(usize);

impl fmt::Debug for BodyLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

impl<E: fmt::Display> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: PortOne answered HTTP {}: {}", self.meta.operation, self.meta.status.as_u16(), self.error)
    }
}

/// What kind of transport failure a [`TransportError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: the request never reached the server.
    Connect,
    /// No complete response arrived in time (the attempt's or the call's time limit).
    Timeout,
    /// The response body was larger than the client's limit; reading stopped there.
    BodyTooLarge,
    /// Anything else: a connection reset, a malformed response, a TLS failure.
    Other,
}

/// The request could not be sent or its response not read.
///
/// Neither `Display` nor `Debug` show the URL: paths hold payment and billing-key IDs
/// and query strings may hold a whole request body.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) operation: &'static str,
    pub(crate) kind: TransportErrorKind,
    /// The HTTP client's error, its URL removed.
    pub(crate) source: Option<reqwest::Error>,
    pub(crate) message: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) retryable: bool,
}

impl TransportError {
    /// A transport error of the HTTP client, its URL removed.
    pub(crate) fn from_reqwest(operation: &'static str, source: reqwest::Error) -> Self {
        let kind = if source.is_connect() {
            TransportErrorKind::Connect
        } else if source.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Other
        };
        TransportError {
            operation,
            kind,
            source: Some(source.without_url()),
            message: None,
            idempotency_key: None,
            retryable: false,
        }
    }

    /// A transport error of `kind` with `message`: the SDK's own (a body over the limit),
    /// or one a test of code that handles errors makes.
    pub fn new(operation: &'static str, kind: TransportErrorKind, message: impl Into<String>) -> Self {
        let retryable = kind != TransportErrorKind::BodyTooLarge;
        TransportError {
            operation,
            kind,
            source: None,
            message: Some(message.into()),
            idempotency_key: None,
            retryable,
        }
    }

    /// The same error, retryable or not (see [`Error::is_retryable`]). A new one is
    /// retryable unless its body was too large.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Whether repeating the call may succeed (see [`Error::is_retryable`]): a call that
    /// was not safe to repeat (a V1 POST that timed out) is not.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// The same error with this idempotency key.
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether connecting failed, so the request never reached the server.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// The idempotency key the call was sent with, if the API takes one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the request failed: ", self.operation)?;
        match (&self.message, &self.source) {
            (Some(message), _) => f.write_str(message),
            (None, Some(source)) => source.fmt(f),
            (None, None) => write!(f, "{:?}", self.kind),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|s| s as _)
    }
}

/// A response that could not be decoded; keeps the status and the raw body. `Debug`
/// shows the body's length, not its content; [`DecodeError::body`] gives it.
pub struct DecodeError {
    pub(crate) operation: &'static str,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) source: Option<serde_json::Error>,
    pub(crate) message: String,
    /// The documented tag and message of an error answer whose other fields did not decode.
    pub(crate) case: Option<(String, Option<String>)>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) retryable: bool,
}

impl DecodeError {
    /// A decode error as a call would return it, for tests of code that handles errors:
    /// the HTTP `status` answer of `operation` with `body` could not be decoded, for
    /// the reason `message`.
    pub fn new(
        operation: &'static str,
        status: reqwest::StatusCode,
        body: impl Into<Bytes>,
        message: impl Into<String>,
    ) -> Self {
        DecodeError {
            operation,
            status,
            headers: reqwest::header::HeaderMap::new(),
            body: body.into(),
            source: None,
            message: message.into(),
            case: None,
            idempotency_key: None,
            retryable: false,
        }
    }

    /// The same error, retryable or not (see [`Error::is_retryable`]); a new one is not.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// The same error as an error answer with the documented `tag` and `message` whose
    /// other fields did not decode (see [`DecodeError::tag`]).
    pub fn with_case(mut self, tag: impl Into<String>, message: Option<String>) -> Self {
        self.case = Some((tag.into(), message));
        self
    }

    /// The tag of an error answer that is one of the operation's documented cases but
    /// whose other fields did not decode (a `PG_PROVIDER` refusal without `pgCode`, say).
    /// Such an answer is PortOne's final word: it was not retried and
    /// [`Error::is_retryable`] is false. `None` for any other decode error.
    pub fn tag(&self) -> Option<&str> {
        self.case.as_ref().map(|(tag, _)| tag.as_str())
    }

    /// The message PortOne sent with such an error answer (see [`DecodeError::tag`]).
    pub fn error_message(&self) -> Option<&str> {
        self.case.as_ref().and_then(|(_, message)| message.as_deref())
    }

    /// Whether repeating the call may succeed: an unreadable 5xx page from a proxy may be
    /// gone next time (see [`Error::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// The request ID the response carried (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

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

    /// The response body as received, the client's known secret values replaced by
    /// `<redacted>` (see [`Error::body`]).
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

    /// The idempotency key the call was sent with, if the API takes one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("message", &self.message)
            .field("case", &self.case)
            .field("body", &BodyLength(self.body.len()))
            .field("idempotency_key", &self.idempotency_key)
            .finish_non_exhaustive()
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
/// something unreadable, or could not be reached, or no token came within the call's
/// time limit. The call itself was not sent.
///
/// A token response is never kept: only an error answer's body is, and even then with
/// every credential and token field masked and the client's known secret values
/// replaced by `<redacted>`, in the body and the message. `Debug` shows the body's length.
#[derive(Clone)]
pub struct AuthError {
    pub(crate) operation: &'static str,
    pub(crate) token_operation: &'static str,
    pub(crate) status: Option<reqwest::StatusCode>,
    pub(crate) body: Option<Bytes>,
    pub(crate) message: String,
    pub(crate) source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// An authentication error as a call would return it, for tests of code that handles
    /// errors: `token_operation` could not issue the token `operation` needed, for the
    /// reason `message`, with the HTTP status of its answer if one came.
    pub fn new(
        operation: &'static str,
        token_operation: &'static str,
        status: Option<reqwest::StatusCode>,
        message: impl Into<String>,
    ) -> Self {
        AuthError { operation, token_operation, status, body: None, message: message.into(), source: None }
    }

    /// The operation that needed the token.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Whether asking again may succeed: the token operation could not be reached, took
    /// too long, or answered HTTP 408, 429 or a 5xx. A refused credential is final.
    pub fn is_retryable(&self) -> bool {
        match self.status {
            None => true,
            Some(status) => status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429,
        }
    }

    /// The operation that issues tokens (`getToken`).
    pub fn token_operation(&self) -> &'static str {
        self.token_operation
    }

    /// HTTP status of the token response, if one arrived.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.status
    }

    /// Body of the token operation's error answer, credential and token fields masked
    /// and the known secret values replaced (see [`Error::body`]);
    /// none for a success answer or when no answer arrived.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Debug for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthError")
            .field("operation", &self.operation)
            .field("token_operation", &self.token_operation)
            .field("status", &self.status)
            .field("message", &self.message)
            .field("body", &self.body.as_ref().map(|b| BodyLength(b.len())))
            .field("source", &self.source)
            .finish()
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
    /// An input error of `operation`: what is wrong with the inputs, in `message`.
    pub fn new(operation: &'static str, message: impl Into<String>) -> Self {
        InvalidInputError { operation, message: message.into() }
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

    /// Whether this is one of the cases the operation documents, not one this SDK does
    /// not know. A documented error is PortOne's final answer, so it is never retried,
    /// whatever its HTTP status.
    fn is_documented(&self) -> bool {
        true
    }

    /// The tag and message of the error answer `answer` (its JSON) when the tag is one of
    /// the cases this type documents, whether or not the answer's other fields decode;
    /// `None` for an unknown tag or none. An answer with a documented tag is final:
    /// never retried, even when a field is missing (reported as [`Error::Decode`], whose
    /// [`DecodeError::tag`] gives the tag).
    fn documented_case(answer: &serde_json::Value) -> Option<(&str, Option<&str>)>
    where
        Self: Sized,
    {
        let _ = answer;
        None
    }

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

    fn is_documented(&self) -> bool {
        false
    }
}

impl fmt::Display for UntypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_case(f)
    }
}

impl std::error::Error for UntypedError {}
