//! A request as the generated code describes it, before it is sent.

use super::error::InvalidInputError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// Characters a path segment keeps as they are: RFC 3986's unreserved set. Everything
/// else, `/ ? # %` and spaces and non-ASCII included, is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Encode a path parameter as one whole segment. Values that would change which
/// resource the path names (empty, `.` or `..`) are refused rather than sent.
pub fn path_segment(operation: &'static str, name: &str, value: &str) -> Result<String, InvalidInputError> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(InvalidInputError::new(
            operation,
            format!("path parameter `{name}` cannot be {value:?}: it would address a different resource"),
        ));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// How a non-string parameter value is written in a query string, header or path.
pub trait ParamValue {
    /// The value as parameter text.
    fn to_param(&self) -> String;
}

macro_rules! display_param {
    ($($t:ty),*) => {
        $(impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

display_param!(i32, i64, f64, bool, chrono::NaiveDate, String);

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// Settings of one call that override the client's.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Total time for the call, retries included.
    pub timeout: Option<std::time::Duration>,
    /// Longest wait for one attempt.
    pub attempt_timeout: Option<std::time::Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// The idempotency key to send instead of a generated one.
    pub idempotency_key: Option<String>,
    /// Headers of the caller's, sent after the SDK's own.
    pub headers: ExtraHeaders,
}

/// Headers a caller adds to a call or a client. `Debug` shows their names only: a
/// caller's header may carry a credential of its own.
#[derive(Clone, Default)]
pub struct ExtraHeaders(pub Vec<(String, String)>);

impl std::fmt::Debug for ExtraHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(name, _)| name)).finish()
    }
}

/// One call, as built by an operation's `send`.
#[derive(Debug)]
pub struct Request {
    /// The operation's name, for errors and tracing.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The operation's path template (`/payments/{paymentId}`), for hooks and spans;
    /// `None` when the path is the caller's own (a raw request).
    pub template: Option<&'static str>,
    /// Path below the base URL, parameters already escaped.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(std::borrow::Cow<'static, str>, String)>,
    /// Headers of the operation's parameters.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body.
    pub body: Option<bytes::Bytes>,
    /// Overrides of the client's timeout and retry settings.
    pub options: CallOptions,
    /// Sent with the client's credentials (not so for the call that obtains a token).
    pub authenticated: bool,
    /// Whether an error body is one of the operation's documented errors: such an
    /// answer is final, even under a 5xx, and never retried.
    pub documented_error: Option<fn(&[u8]) -> bool>,
}

impl Request {
    /// A call of `operation` with no parameters yet.
    pub fn new(operation: &'static str, method: reqwest::Method, path: String) -> Self {
        Request {
            operation,
            method,
            template: None,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            options: CallOptions::default(),
            authenticated: true,
            documented_error: None,
        }
    }

    /// A call of the operation whose path template is `template`, at `path` (the
    /// template with its parameters filled in and escaped).
    pub fn templated(
        operation: &'static str,
        method: reqwest::Method,
        template: &'static str,
        path: String,
    ) -> Self {
        Request { template: Some(template), ..Request::new(operation, method, path) }
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: &str) {
        self.query.push((name.into(), value.to_owned()));
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: &str) {
        self.headers.push((name, value.to_owned()));
    }

    /// Send each value of a list parameter as its own `name=value` pair.
    pub fn query_each<T: ParamValue>(&mut self, name: &'static str, values: &[T]) {
        for v in values {
            self.query.push((name.into(), v.to_param()));
        }
    }

    /// Send `body` as the JSON request body.
    pub fn json_body<T: Serialize>(&mut self, body: &T) -> Result<(), InvalidInputError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| InvalidInputError::new(self.operation, format!("cannot encode the body: {e}")))?;
        self.body = Some(bytes.into());
        Ok(())
    }

    /// Send `body` as JSON text in the query parameter `name` (for GET operations,
    /// whose bodies proxies may drop).
    pub fn json_query<T: Serialize>(&mut self, name: &'static str, body: &T) -> Result<(), InvalidInputError> {
        let text = serde_json::to_string(body)
            .map_err(|e| InvalidInputError::new(self.operation, format!("cannot encode the body: {e}")))?;
        self.query.push((name.into(), text));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_whole() {
        assert_eq!(path_segment("op", "id", "a/b?c#d%e f").unwrap(), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(path_segment("op", "id", "결제-1_.~").unwrap(), "%EA%B2%B0%EC%A0%9C-1_.~");
        assert!(path_segment("op", "id", "").is_err());
        assert!(path_segment("op", "id", "..").is_err());
    }
}
