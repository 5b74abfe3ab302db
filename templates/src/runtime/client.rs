//! The part of every API client that does not depend on the API: base URL, the
//! `reqwest` client, the authorization header, default values, and sending a
//! [`Request`] and sorting its response into success or [`Error`].

use super::envelope::{Envelope, EnvelopeError, EnvelopeNames};
use super::error::{ApiError, AuthError, DecodeError, Error, TransportError};
use super::request::Request;
use super::response::Response;
use super::retry::{self, Next, RetryPolicy};
use super::secret::Secret;
use super::token::{Issued, Token, TokenConfig, TokenSource};
use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;
use tokio::time::Instant;

/// `User-Agent` of every request.
const SDK_USER_AGENT: &str = concat!("portone-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// Why client settings cannot make a client.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL is not an absolute http(s) URL.
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The secret cannot be sent in an HTTP header (empty, or with line breaks or
    /// other control characters).
    InvalidSecret,
    /// The default HTTP client could not be built (for example, no TLS roots).
    HttpClient(reqwest::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
            ConfigError::InvalidSecret => {
                f.write_str("the secret is empty or has characters an HTTP header cannot carry")
            }
            ConfigError::HttpClient(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::HttpClient(e) => Some(e),
            _ => None,
        }
    }
}

/// Settings of a [`Core`].
#[derive(Debug)]
pub(crate) struct CoreBuilder {
    base_url: String,
    auth: AuthConfig,
    envelope: Option<EnvelopeNames>,
    http: Option<reqwest::Client>,
    defaults: Vec<(&'static str, String)>,
    timeout: Duration,
    attempt_timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    idempotency_header: Option<&'static str>,
    retryable_error_types: &'static [&'static str],
}

/// Total time for one call, retries and waits included, unless the client or call says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait for one attempt's response; an attempt that takes longer is given up
/// and, when it is safe to repeat, retried within the call's total time.
pub(crate) const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Time to establish a connection, for the HTTP client the SDK builds itself.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl CoreBuilder {
    /// Authenticate with `Authorization: <scheme> <secret>`.
    pub(crate) fn new(base_url: &str, scheme: &'static str, secret: String) -> Self {
        Self::with_auth(base_url, AuthConfig::Scheme { scheme, secret: Secret::new(secret) })
    }

    /// Authenticate with a token the API issues for the configured credentials.
    pub(crate) fn with_token(base_url: &str, config: TokenConfig) -> Self {
        Self::with_auth(base_url, AuthConfig::Token(config))
    }

    /// Trade the secret given to [`Self::new`] for tokens the API issues: `config`
    /// receives the secret as its one credential.
    pub(crate) fn secret_for_tokens(mut self, config: impl FnOnce(Secret) -> TokenConfig) -> Self {
        self.auth = match self.auth {
            AuthConfig::Scheme { secret, .. } => AuthConfig::Token(config(secret)),
            token => token,
        };
        self
    }

    fn with_auth(base_url: &str, auth: AuthConfig) -> Self {
        CoreBuilder {
            base_url: base_url.to_owned(),
            auth,
            envelope: None,
            http: None,
            defaults: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            idempotency_header: None,
            retryable_error_types: &[],
        }
    }

    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub(crate) fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    pub(crate) fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub(crate) fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    pub(crate) fn retry_policy_mut(&mut self) -> &mut RetryPolicy {
        &mut self.retry
    }

    /// State-changing calls carry a fresh key in this header, the same on every retry,
    /// which makes them safe to repeat.
    pub(crate) fn idempotency_header(mut self, name: &'static str) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    /// Error responses with one of these `type`s are retried like a 5xx.
    pub(crate) fn retryable_error_types(mut self, types: &'static [&'static str]) -> Self {
        self.retryable_error_types = types;
        self
    }

    /// Every response body is an envelope with these fields.
    pub(crate) fn envelope(mut self, names: EnvelopeNames) -> Self {
        self.envelope = Some(names);
        self
    }

    pub(crate) fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    pub(crate) fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The value used when a call leaves the parameter or field `name` unset.
    pub(crate) fn default_value(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.defaults.retain(|(n, _)| *n != name);
        self.defaults.push((name, value.into()));
        self
    }

    pub(crate) fn build(self) -> Result<Core, ConfigError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| ConfigError::InvalidBaseUrl { url: self.base_url.clone(), reason: e.to_string() })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(ConfigError::InvalidBaseUrl {
                url: self.base_url.clone(),
                reason: "expected http:// or https:// with no query or fragment".into(),
            });
        }
        let credentials = match self.auth {
            AuthConfig::Scheme { scheme, secret } => {
                if secret.expose().trim().is_empty() {
                    return Err(ConfigError::InvalidSecret);
                }
                let mut authorization = HeaderValue::from_str(&format!("{scheme} {}", secret.expose()))
                    .map_err(|_| ConfigError::InvalidSecret)?;
                authorization.set_sensitive(true);
                Credentials::Static(AUTHORIZATION, authorization)
            }
            AuthConfig::Token(config) => {
                if config.credentials.iter().any(|(_, v)| v.expose().trim().is_empty()) {
                    return Err(ConfigError::InvalidSecret);
                }
                Credentials::Token(Box::new(TokenSource::new(config).ok_or(ConfigError::InvalidSecret)?))
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = reqwest::Client::builder().connect_timeout(self.connect_timeout);
                // With both TLS features on, the one that must be asked for wins.
                #[cfg(feature = "native-tls")]
                let builder = builder.tls_backend_native();
                builder.build().map_err(ConfigError::HttpClient)?
            }
        };
        Ok(Core {
            base_url,
            credentials,
            envelope: self.envelope,
            http,
            defaults: self.defaults,
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            retry: self.retry,
            idempotency_header: self.idempotency_header,
            retryable_error_types: self.retryable_error_types,
        })
    }
}

/// How a client authenticates, as configured.
#[derive(Debug)]
enum AuthConfig {
    /// `Authorization: <scheme> <secret>`.
    Scheme { scheme: &'static str, secret: Secret },
    /// A token the API issues.
    Token(TokenConfig),
}

/// How a built client authenticates.
enum Credentials {
    /// A fixed header, its value marked sensitive so HTTP logging leaves it out.
    Static(HeaderName, HeaderValue),
    /// A token from the API, cached (boxed: the cache is large next to a header).
    Token(Box<TokenSource>),
}

/// Why a request produced no response to decode.
enum SendError {
    Transport(TransportError),
    Auth(AuthError),
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::Auth(e) => Error::Auth(Box::new(e)),
        }
    }
}

/// What a client holds: everything needed to send a request.
pub(crate) struct Core {
    base_url: String,
    credentials: Credentials,
    envelope: Option<EnvelopeNames>,
    http: reqwest::Client,
    defaults: Vec<(&'static str, String)>,
    timeout: Duration,
    attempt_timeout: Duration,
    retry: RetryPolicy,
    idempotency_header: Option<&'static str>,
    retryable_error_types: &'static [&'static str],
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.base_url)
            .field("credentials", &"<redacted>")
            .field("defaults", &self.defaults)
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Core {
    /// The client's default for `name`, if one was set.
    pub(crate) fn default_value(&self, name: &str) -> Option<&str> {
        self.defaults.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Send and decode a JSON success body.
    pub(crate) async fn send_json<T: DeserializeOwned, E: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error<E>> {
        let operation = request.operation;
        let response = self.send(request).await?;
        decode_json(operation, response)
    }

    /// Send and decode the data of an enveloped success body.
    pub(crate) async fn send_enveloped<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error<EnvelopeError>> {
        let operation = request.operation;
        let response = self.send(request).await?;
        let names = self.envelope_names();
        let (ok, envelope) = open_envelope(operation, names, &response)?;
        let data = envelope.data_bytes();
        match serde_json::from_slice(data) {
            Ok(body) => Ok(Response::new(ok.status, ok.headers.clone(), body)),
            Err(e) => Err(ok.decode_error(operation, format!("`{}` of the envelope: {e}", names.data), Some(e))),
        }
    }

    /// Send, check the envelope's code, and ignore its data.
    pub(crate) async fn send_enveloped_empty(&self, request: Request) -> Result<Response<()>, Error<EnvelopeError>> {
        let operation = request.operation;
        let response = self.send(request).await?;
        open_envelope(operation, self.envelope_names(), &response)?;
        Ok(Response::new(response.status, response.headers, ()))
    }

    /// The envelope's field names. Only enveloped APIs call the enveloped sends; for any
    /// other, no field name matches, so every body is reported as not an envelope.
    fn envelope_names(&self) -> EnvelopeNames {
        self.envelope.unwrap_or(EnvelopeNames { code: "", message: "", data: "" })
    }

    /// Send and return a text success body.
    pub(crate) async fn send_text<E: DeserializeOwned>(&self, request: Request) -> Result<Response<String>, Error<E>> {
        let operation = request.operation;
        let response = self.send(request).await?;
        decode_text(operation, response)
    }

    /// Send and ignore the success body.
    pub(crate) async fn send_empty<E: DeserializeOwned>(&self, request: Request) -> Result<Response<()>, Error<E>> {
        let operation = request.operation;
        let response = self.send(request).await?;
        check_status(operation, response).map(|ok| Response::new(ok.status, ok.headers, ()))
    }

    /// Send a request and read the whole response, retrying what is safe to retry.
    /// Not generic, so the HTTP machinery is compiled once for all operations.
    ///
    /// A retry happens on a connection failure (the request never left), and, when the
    /// request is safe to repeat (a GET, or one carrying an idempotency key), on a
    /// timeout or broken connection, HTTP 408, 429, 5xx, or an error `type` the API
    /// names as retryable. The whole call, waits included, stays within the timeout.
    async fn send(&self, request: Request) -> Result<RawResponse, SendError> {
        use tracing::Instrument as _;
        // Names and numbers only: never the secret, a token, a query or a body.
        let span = tracing::info_span!(
            "portone.call",
            operation = request.operation,
            method = %request.method,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let (result, attempts) = self.send_authenticated(&request).instrument(span.clone()).await;
        span.record("attempts", attempts);
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status.as_u16());
        }
        result
    }

    /// Send with the client's credentials. With a token: a 401 on a call made with a
    /// cached token renews it once and repeats the call once, never more.
    async fn send_authenticated(&self, request: &Request) -> (Result<RawResponse, SendError>, u32) {
        let source = match &self.credentials {
            _ if !request.authenticated => {
                let (result, attempts) = self.send_retrying(request, None).await;
                return (result.map_err(SendError::Transport), attempts);
            }
            Credentials::Static(name, value) => {
                let (result, attempts) = self.send_retrying(request, Some((name, value))).await;
                return (result.map_err(SendError::Transport), attempts);
            }
            Credentials::Token(source) => source,
        };
        let token = match self.token(source, request.operation).await {
            Ok(t) => t,
            Err(e) => return (Err(SendError::Auth(e)), 0),
        };
        let (result, attempts) = self.send_retrying(request, Some((&source.header, &token.value))).await;
        if !matches!(&result, Ok(r) if r.status == reqwest::StatusCode::UNAUTHORIZED) {
            return (result.map_err(SendError::Transport), attempts);
        }
        tracing::debug!("token refused; renewing it once");
        source.invalidate(&token).await;
        let token = match self.token(source, request.operation).await {
            Ok(t) => t,
            Err(e) => return (Err(SendError::Auth(e)), attempts),
        };
        let (again, more) = self.send_retrying(request, Some((&source.header, &token.value))).await;
        (again.map_err(SendError::Transport), attempts + more)
    }

    /// A valid token; if the cache has none, renewed with the refresh token when one is
    /// held, else (or when the renewal is refused) issued for the credentials.
    async fn token(&self, source: &TokenSource, operation: &'static str) -> Result<Token, AuthError> {
        let config = &source.config;
        source
            .get(|refresh| async move {
                let renewal = refresh.and_then(|r| Some((config.refresh.as_ref()?, source.refresh_body(&r)?)));
                if let Some((renew, body)) = renewal {
                    match self.issue(source, operation, renew.operation, renew.path, body).await {
                        Ok(issued) => return Ok(issued),
                        // Refused or unreadable: the credentials still work.
                        Err(e) if e.status.is_some() => {
                            tracing::debug!(status = e.status.map(|s| s.as_u16()), "renewal refused; issuing anew")
                        }
                        Err(e) => return Err(e),
                    }
                }
                self.issue(source, operation, config.operation, config.path, source.request_body()).await
            })
            .await
    }

    /// Call token operation `token_operation` (POST `path`, JSON `body`, no credentials)
    /// and read the token it issues.
    async fn issue(
        &self,
        source: &TokenSource,
        operation: &'static str,
        token_operation: &'static str,
        path: &'static str,
        body: Vec<u8>,
    ) -> Result<Issued, AuthError> {
        let fail = |status, body, message: String, source| AuthError {
            operation,
            token_operation,
            status,
            body,
            message,
            source,
        };
        let mut request = Request::new(token_operation, reqwest::Method::POST, path.to_owned());
        request.authenticated = false;
        request.body = Some(body.into());
        let (result, _) = self.send_retrying(&request, None).await;
        let response = result.map_err(|e| fail(None, None, e.to_string(), Some(Box::new(e) as _)))?;
        let names = self.envelope_names();
        let data = match (self.envelope.is_some(), Envelope::parse(names, &response.body)) {
            (false, _) if response.status.is_success() => Ok(response.body.to_vec()),
            (true, Some(e)) if response.status.is_success() && e.code == 0 => Ok(e.data_bytes().to_vec()),
            (true, Some(e)) => Err(EnvelopeError { code: e.code, message: e.message }.to_string()),
            (true, None) => Err("the response is not a token".to_string()),
            (false, _) => Err("the request for a token was refused".to_string()),
        };
        let data = data.map_err(|why| fail(Some(response.status), Some(response.body.clone()), why, None))?;
        source.read_issued(&data).map_err(|why| fail(Some(response.status), Some(response.body.clone()), why, None))
    }

    /// [`Self::send`]'s retry loop; also returns the number of attempts made.
    async fn send_retrying(
        &self,
        request: &Request,
        auth: Option<(&HeaderName, &HeaderValue)>,
    ) -> (Result<RawResponse, TransportError>, u32) {
        let policy =
            RetryPolicy { max_retries: request.options.max_retries.unwrap_or(self.retry.max_retries), ..self.retry };
        let deadline = Instant::now() + request.options.timeout.unwrap_or(self.timeout);
        let key = match self.idempotency_header {
            Some(header) if request.method != reqwest::Method::GET => {
                Some((header, request.options.idempotency_key.clone().unwrap_or_else(retry::new_key)))
            }
            _ => None,
        };
        let repeatable = request.method == reqwest::Method::GET || key.is_some();
        let key = key.as_ref();
        let per_attempt = request.options.attempt_timeout.unwrap_or(self.attempt_timeout);
        let attempt = |attempt: u32, remaining: Duration| async move {
            let started = Instant::now();
            let result = self.send_once(request, auth, key, remaining.min(per_attempt)).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match &result {
                Ok(r) => tracing::debug!(attempt, status = r.status.as_u16(), elapsed_ms, "attempt answered"),
                Err(e) => tracing::debug!(
                    attempt,
                    timeout = e.is_timeout(),
                    connect = e.is_connect(),
                    elapsed_ms,
                    "attempt failed"
                ),
            }
            result
        };
        let judge = |result: &Result<RawResponse, TransportError>| match result {
            Ok(response) if repeatable && self.retryable_response(response) => Next::Retry(retry_after(response)),
            // A connection never made reached nobody: always safe to repeat. An attempt
            // that timed out at the call's deadline is not retried: no wait fits before it.
            Err(e) if e.is_connect() || repeatable => Next::Retry(None),
            _ => Next::Stop,
        };
        retry::run(policy, deadline, attempt, judge, retry::random_unit).await
    }

    fn retryable_response(&self, response: &RawResponse) -> bool {
        let status = response.status.as_u16();
        if status == 408 || status == 429 || response.status.is_server_error() {
            return true;
        }
        if response.status.is_client_error() && !self.retryable_error_types.is_empty() {
            let tag = serde_json::from_slice::<serde_json::Value>(&response.body)
                .ok()
                .and_then(|v| v.get("type").and_then(serde_json::Value::as_str).map(str::to_owned));
            return tag.is_some_and(|t| self.retryable_error_types.contains(&t.as_str()));
        }
        false
    }

    async fn send_once(
        &self,
        request: &Request,
        auth: Option<(&HeaderName, &HeaderValue)>,
        key: Option<&(&'static str, String)>,
        timeout: Duration,
    ) -> Result<RawResponse, TransportError> {
        let operation = request.operation;
        let transport = |source| TransportError { operation, source };
        let url = format!("{}{}", self.base_url, request.path);
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .timeout(timeout)
            .header(USER_AGENT, SDK_USER_AGENT)
            .header(ACCEPT, "application/json");
        if let Some((name, value)) = auth {
            builder = builder.header(name, value.clone());
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some((header, value)) = key {
            builder = builder.header(*header, value);
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?;
        Ok(RawResponse { status, headers, body })
    }
}

/// The wait a response's `Retry-After` asks for.
fn retry_after(response: &RawResponse) -> Option<Duration> {
    let value = response.headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    retry::parse_retry_after(value, std::time::SystemTime::now())
}

/// A response, body read.
struct RawResponse {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// This response as the decode error of `operation`: status, headers and raw body kept.
    fn decode_error<E>(&self, operation: &'static str, message: String, source: Option<serde_json::Error>) -> Error<E> {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: self.status,
            headers: self.headers.clone(),
            message,
            source,
            body: self.body.clone(),
        }))
    }
}

/// The response if its status is a success; otherwise the operation's error, decoded.
fn check_status<E: DeserializeOwned>(operation: &'static str, response: RawResponse) -> Result<RawResponse, Error<E>> {
    if response.status.is_success() {
        return Ok(response);
    }
    match serde_json::from_slice::<E>(&response.body) {
        Ok(error) => {
            let RawResponse { status, headers, body } = response;
            Err(Error::Api(Box::new(ApiError { operation, status, headers, error, body })))
        }
        Err(e) => {
            let message = format!("the error response is not one PortOne documents: {e}");
            Err(response.decode_error(operation, message, Some(e)))
        }
    }
}

/// The envelope of a response, if its status and code say success; otherwise the API's
/// error, or a decode error when the body is not an envelope at all.
fn open_envelope<'a>(
    operation: &'static str,
    names: EnvelopeNames,
    response: &'a RawResponse,
) -> Result<(&'a RawResponse, Envelope<'a>), Error<EnvelopeError>> {
    let Some(envelope) = Envelope::parse(names, &response.body) else {
        let message = format!(
            "the body is not a PortOne envelope (an object with an integer `{}`), HTTP {}",
            names.code,
            response.status.as_u16()
        );
        return Err(response.decode_error(operation, message, None));
    };
    if response.status.is_success() && envelope.code == 0 {
        return Ok((response, envelope));
    }
    Err(Error::Api(Box::new(ApiError {
        operation,
        status: response.status,
        headers: response.headers.clone(),
        error: EnvelopeError { code: envelope.code, message: envelope.message },
        body: response.body.clone(),
    })))
}

fn decode_json<T: DeserializeOwned, E: DeserializeOwned>(
    operation: &'static str,
    response: RawResponse,
) -> Result<Response<T>, Error<E>> {
    let ok = check_status(operation, response)?;
    match serde_json::from_slice(&ok.body) {
        Ok(body) => Ok(Response::new(ok.status, ok.headers, body)),
        Err(e) => Err(ok.decode_error(operation, e.to_string(), Some(e))),
    }
}

fn decode_text<E: DeserializeOwned>(
    operation: &'static str,
    response: RawResponse,
) -> Result<Response<String>, Error<E>> {
    let ok = check_status(operation, response)?;
    match String::from_utf8(ok.body.to_vec()) {
        Ok(text) => Ok(Response::new(ok.status, ok.headers, text)),
        Err(e) => Err(ok.decode_error(operation, format!("the body is not UTF-8 text: {e}"), None)),
    }
}

#[cfg(test)]
mod tls_tests {
    use super::*;

    /// The error chain of an https call to a local server that answers in plain text: the
    /// handshake fails inside the TLS library the features chose, and its words show which.
    async fn handshake_error() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("address").port();
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            if let Ok((mut stream, _)) = listener.accept() {
                let _ = stream.read(&mut [0u8; 2048]);
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            }
        });
        let core = CoreBuilder::new(&format!("https://127.0.0.1:{port}"), "PortOne", "secret".into())
            .retry_policy(RetryPolicy { max_retries: 0, ..RetryPolicy::default() })
            .build()
            .expect("client");
        let request = Request::new("probe", reqwest::Method::GET, "/".into());
        let err = core.send_json::<serde_json::Value, serde_json::Value>(request).await.expect_err("no TLS server");
        let mut text = String::new();
        let mut next: Option<&dyn std::error::Error> = Some(&err);
        while let Some(e) = next {
            text.push_str(&format!("{e} / {e:?}\n"));
            next = e.source();
        }
        text
    }

    #[cfg(all(feature = "native-tls", target_os = "linux"))]
    #[tokio::test]
    async fn native_tls_uses_openssl() {
        let chain = handshake_error().await;
        assert!(chain.contains("SSL routines"), "not OpenSSL's error:\n{chain}");
    }

    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    #[tokio::test]
    async fn rustls_is_the_default() {
        let chain = handshake_error().await;
        assert!(chain.contains("InvalidContentType") && !chain.contains("SSL routines"), "not rustls' error:\n{chain}");
    }
}
