//! Request hooks: code of the caller's that the client runs around every call, to add
//! headers (a `traceparent`, say) and to count and time calls per operation.
//!
//! A [`Hook`] is given to the client builder's `hook` method. For each call the client
//! runs [`Hook::before_attempt`] before every attempt it sends, [`Hook::after_attempt`]
//! when the attempt has an outcome, and [`Hook::call_finished`] once the call is over.
//! The calls that fetch an access token are seen too, marked by
//! [`CallInfo::is_token_fetch`]. With several hooks, each step runs them in the order
//! they were given.
//!
//! Hooks run on the task that sends the call, between its steps: they must be quick and
//! must not block. A hook never sees a credential: not the `Authorization` value, not
//! the idempotency key, not a body (a token operation's answer holds a token), not the
//! URL (paths hold payment IDs), nor the headers set before it.
//!
//! The context types are `#[non_exhaustive]` and read through methods, so that later
//! versions can tell hooks more without breaking them.

use super::any_error::ErrorKind;
use super::error::TransportErrorKind;
use reqwest::header::{CONNECTION, CONTENT_LENGTH, HOST, HeaderMap, TRANSFER_ENCODING};
use reqwest::{Method, StatusCode};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Code the client runs around every call it makes, given to the client builder's `hook`.
///
/// Every method does nothing unless implemented. Methods run synchronously on the task
/// that sends the call, so keep them quick: count, time, copy a trace context, never
/// wait. A panic in a hook is a panic of the call.
pub trait Hook: Send + Sync + 'static {
    /// Before each attempt is sent (the first and every retry): may add headers with
    /// [`AttemptStart::add_header`].
    fn before_attempt(&self, attempt: &mut AttemptStart<'_>) {
        let _ = attempt;
    }

    /// When an attempt has an outcome (an HTTP status or a transport failure), with
    /// whether the client will try again.
    fn after_attempt(&self, attempt: &AttemptEnd<'_>) {
        let _ = attempt;
    }

    /// Once per call, when it is over: its outcome, attempts and total time.
    fn call_finished(&self, call: &CallEnd<'_>) {
        let _ = call;
    }
}

/// Which call a hook is looking at: names only, never a value of the request.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CallInfo {
    operation: &'static str,
    method: Method,
    template: Option<&'static str>,
    token_fetch: bool,
}

impl CallInfo {
    pub(crate) fn new(operation: &'static str, method: Method, template: Option<&'static str>, token: bool) -> Self {
        CallInfo { operation, method, template, token_fetch: token }
    }

    /// The operation's ID in PortOne's API (`getPayment`), or `raw` for a request made
    /// with the client's `raw`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The operation's path template below the base URL, parameters as names
    /// (`/payments/{paymentId}`); `None` for a `raw` request, whose path is the
    /// caller's own and may hold IDs.
    pub fn path_template(&self) -> Option<&'static str> {
        self.template
    }

    /// Whether this is the client fetching or renewing an access token for the calls
    /// it makes, rather than a call of the caller's.
    pub fn is_token_fetch(&self) -> bool {
        self.token_fetch
    }
}

/// An attempt about to be sent, given to [`Hook::before_attempt`].
#[non_exhaustive]
pub struct AttemptStart<'a> {
    call: &'a CallInfo,
    number: u32,
    headers: &'a mut HeaderMap,
    idempotency_header: Option<&'static str>,
}

impl fmt::Debug for AttemptStart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the headers: they hold the caller's and may hold a credential.
        f.debug_struct("AttemptStart").field("call", self.call).field("number", &self.number).finish_non_exhaustive()
    }
}

impl AttemptStart<'_> {
    /// The call this attempt belongs to.
    pub fn call(&self) -> &CallInfo {
        self.call
    }

    /// The attempt's number in its call, from 1; a repeat after a refused access token
    /// goes on counting.
    pub fn attempt(&self) -> u32 {
        self.number
    }

    /// Send the header `name: value` with this attempt, in place of any value of that
    /// name the caller or an earlier hook set. Refused, and not sent, when HTTP cannot
    /// carry the name or value, and for the headers the SDK sets itself or that frame
    /// the request: `Authorization`, `Content-Type`, `Accept`, `User-Agent`, the API's
    /// idempotency key header (`Idempotency-Key`), `Host`, `Content-Length`,
    /// `Transfer-Encoding` and `Connection`. Like the caller's headers, the value is
    /// kept out of `Debug` and HTTP logging.
    pub fn add_header(&mut self, name: &str, value: &str) -> Result<(), HeaderRefused> {
        let refuse = |reason| Err(HeaderRefused { name: name.to_owned(), reason });
        let (name, value) = match super::client::caller_header(name, value, self.idempotency_header) {
            Ok(header) => header,
            Err(reason) => return refuse(reason),
        };
        if [HOST, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION].contains(&name) {
            return refuse("frames the request, which the HTTP client does");
        }
        self.headers.insert(name, value);
        Ok(())
    }
}

/// Why [`AttemptStart::add_header`] did not add a header. Keeps the name, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderRefused {
    name: String,
    reason: &'static str,
}

impl HeaderRefused {
    /// The header's name as the hook gave it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for HeaderRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a hook cannot send header {:?}: it {}", self.name, self.reason)
    }
}

impl std::error::Error for HeaderRefused {}

/// The outcome of one attempt, given to [`Hook::after_attempt`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AttemptEnd<'a> {
    call: &'a CallInfo,
    number: u32,
    status: Option<StatusCode>,
    transport: Option<TransportErrorKind>,
    elapsed: Duration,
    retrying: bool,
}

impl<'a> AttemptEnd<'a> {
    pub(crate) fn new(
        call: &'a CallInfo,
        number: u32,
        outcome: Result<StatusCode, TransportErrorKind>,
        elapsed: Duration,
        retrying: bool,
    ) -> Self {
        AttemptEnd { call, number, status: outcome.ok(), transport: outcome.err(), elapsed, retrying }
    }

    /// The call this attempt belongs to.
    pub fn call(&self) -> &CallInfo {
        self.call
    }

    /// The attempt's number in its call, from 1.
    pub fn attempt(&self) -> u32 {
        self.number
    }

    /// The HTTP status the server answered with; `None` when no answer was read.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// What failed when no answer was read (no connection, a timeout, a body over the
    /// limit, a broken connection).
    pub fn transport_error(&self) -> Option<TransportErrorKind> {
        self.transport
    }

    /// From sending the attempt to its outcome, the body read.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Whether the retry policy sends the call again after this outcome (after a
    /// wait). An answer `401` to an access token is not retried by the policy but
    /// repeated once with a new token: then this is `false` and another attempt follows.
    pub fn will_retry(&self) -> bool {
        self.retrying
    }
}

/// A finished call, given to [`Hook::call_finished`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CallEnd<'a> {
    call: &'a CallInfo,
    attempts: u32,
    status: Option<StatusCode>,
    transport: Option<TransportErrorKind>,
    error: Option<ErrorKind>,
    elapsed: Duration,
}

impl<'a> CallEnd<'a> {
    pub(crate) fn new(
        call: &'a CallInfo,
        attempts: u32,
        answer: Option<Result<StatusCode, TransportErrorKind>>,
        error: Option<ErrorKind>,
        elapsed: Duration,
    ) -> Self {
        let (status, transport) = match answer {
            Some(Ok(status)) => (Some(status), None),
            Some(Err(kind)) => (None, Some(kind)),
            None => (None, None),
        };
        CallEnd { call, attempts, status, transport, error, elapsed }
    }

    /// The call.
    pub fn call(&self) -> &CallInfo {
        self.call
    }

    /// Attempts sent, repeats after a refused access token included; 0 when the call
    /// ended before sending anything (no access token could be had).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The HTTP status of the last answer; `None` when none was read.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// How the call failed, as the variant of the `Error` the caller gets; `None` for
    /// a success. For a token fetch, any failure is [`ErrorKind::Auth`] (what the
    /// calls waiting for the token get).
    pub fn error_kind(&self) -> Option<ErrorKind> {
        self.error
    }

    /// The failure as a short label fit for a metric or span attribute (OpenTelemetry's
    /// `error.type`): the transport failure (`connect`, `timeout`, `body_too_large`,
    /// `transport`), else the HTTP status of an error answer (`"404"`), else the kind
    /// of error (`api` for an error in a successful answer's envelope, `decode`, `auth`,
    /// `invalid_input`). `None` for a success.
    pub fn error_type(&self) -> Option<&str> {
        let error = self.error?;
        if let Some(kind) = self.transport {
            return Some(match kind {
                TransportErrorKind::Connect => "connect",
                TransportErrorKind::Timeout => "timeout",
                TransportErrorKind::BodyTooLarge => "body_too_large",
                TransportErrorKind::Other => "transport",
            });
        }
        if let Some(status) = self.status.as_ref().filter(|s| s.is_client_error() || s.is_server_error()) {
            return Some(status.as_str());
        }
        Some(match error {
            ErrorKind::Api => "api",
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Auth => "auth",
        })
    }

    /// From the start of the call to its outcome: attempts, waits between them, the
    /// wait for an access token, and decoding the answer.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// The hooks of a client, in the order given.
#[derive(Clone, Default)]
pub(crate) struct Hooks(Vec<Arc<dyn Hook>>);

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

impl Hooks {
    pub(crate) fn push(&mut self, hook: impl Hook) {
        self.0.push(Arc::new(hook));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Runs every hook's `before_attempt` on the headers of an attempt about to be sent.
    pub(crate) fn before_attempt(
        &self,
        call: &CallInfo,
        number: u32,
        headers: &mut HeaderMap,
        idempotency_header: Option<&'static str>,
    ) {
        if self.0.is_empty() {
            return;
        }
        let mut start = AttemptStart { call, number, headers, idempotency_header };
        for hook in &self.0 {
            hook.before_attempt(&mut start);
        }
    }

    pub(crate) fn after_attempt(&self, end: &AttemptEnd<'_>) {
        for hook in &self.0 {
            hook.after_attempt(end);
        }
    }

    pub(crate) fn call_finished(&self, end: &CallEnd<'_>) {
        for hook in &self.0 {
            hook.call_finished(end);
        }
    }
}
