//! The tracing span of each call, in OpenTelemetry's semantic conventions for HTTP
//! clients (so `tracing-opentelemetry` exports it as a client span as it is), and the
//! end of a call: its span's last fields and the hooks' [`Hook::call_finished`].
//!
//! Recorded: the operation and method, `server.address` and `server.port` of the base
//! URL, `url.template` (the path with its parameters as names), the final status, the
//! resend count and `error.type`. Never a value: no secret, token, query, body, header
//! value, nor the path or URL, which hold payment and billing-key IDs.
//!
//! [`Hook::call_finished`]: super::hooks::Hook::call_finished

use super::any_error::ErrorKind;
use super::error::{Error, TransportErrorKind};
use super::hooks::{CallEnd, CallInfo, Hooks};
use reqwest::StatusCode;
use tokio::time::Instant;
use tracing::field::Empty;

/// The host and port of a client's base URL, recorded as `server.address` and `server.port`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Server {
    address: Option<String>,
    port: Option<u16>,
}

impl Server {
    pub(crate) fn of(url: &reqwest::Url) -> Self {
        let address = url.host_str().map(|h| h.trim_start_matches('[').trim_end_matches(']').to_owned());
        Server { address, port: url.port_or_known_default() }
    }
}

/// The span of one call: `portone.call` with the fields documented since 0.1
/// (`operation`, `method`, `status`, `attempts`, `elapsed_ms`) and OpenTelemetry's.
pub(crate) fn call_span(call: &CallInfo, server: &Server) -> tracing::Span {
    let span = tracing::info_span!(
        "portone.call",
        operation = call.operation(),
        method = %call.method(),
        status = Empty,
        attempts = Empty,
        elapsed_ms = Empty,
        otel.name = Empty,
        otel.kind = "client",
        otel.status_code = Empty,
        http.request.method = call.method().as_str(),
        server.address = server.address.as_deref(),
        server.port = server.port.map(i64::from),
        url.template = call.path_template(),
        http.response.status_code = Empty,
        http.request.resend_count = Empty,
        error.type = Empty,
    );
    if !span.is_disabled() {
        // OpenTelemetry's span name for HTTP clients: `{method} {url.template}`, or the
        // method alone when there is no template (a raw request).
        match call.path_template() {
            Some(template) => span.record("otel.name", format!("{} {template}", call.method())),
            None => span.record("otel.name", call.method().as_str()),
        };
    }
    span
}

/// A call whose HTTP part is over and whose outcome is being decided: ending it records
/// the span's last fields and tells the hooks.
#[must_use = "a call's end must be reported"]
pub(crate) struct Finish<'a> {
    pub(crate) hooks: &'a Hooks,
    pub(crate) call: CallInfo,
    pub(crate) span: tracing::Span,
    pub(crate) started: Instant,
    pub(crate) attempts: u32,
    /// The last answer's status, or what kept it from being read; `None` if nothing was sent.
    pub(crate) answer: Option<Result<StatusCode, TransportErrorKind>>,
}

impl Finish<'_> {
    /// End the call with the outcome the caller gets.
    pub(crate) fn done<T, E>(self, result: &Result<T, Error<E>>) {
        self.end(result.as_ref().err().map(kind))
    }

    /// End the call, failed with an error of kind `error` or (`None`) successful.
    pub(crate) fn end(self, error: Option<ErrorKind>) {
        let end = CallEnd::new(&self.call, self.attempts, self.answer, error, self.started.elapsed());
        let span = &self.span;
        // As `i64`: the type OpenTelemetry's attributes hold integers in (unsigned ones
        // reach it as text).
        span.record("attempts", i64::from(end.attempts()));
        span.record("elapsed_ms", i64::try_from(end.elapsed().as_millis()).unwrap_or(i64::MAX));
        if let Some(status) = end.status() {
            span.record("status", i64::from(status.as_u16()));
            span.record("http.response.status_code", i64::from(status.as_u16()));
        }
        if end.attempts() > 1 {
            span.record("http.request.resend_count", i64::from(end.attempts() - 1));
        }
        if let Some(error_type) = end.error_type() {
            span.record("error.type", error_type);
            span.record("otel.status_code", "ERROR");
        }
        self.hooks.call_finished(&end);
    }
}

/// Which variant an error is.
fn kind<E>(error: &Error<E>) -> ErrorKind {
    match error {
        Error::Api(_) => ErrorKind::Api,
        Error::Transport(_) => ErrorKind::Transport,
        Error::Decode(_) => ErrorKind::Decode,
        Error::InvalidInput(_) => ErrorKind::InvalidInput,
        Error::Auth(_) => ErrorKind::Auth,
    }
}
