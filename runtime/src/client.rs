//! The part of every API client that does not depend on the API: base URL, the
//! `reqwest` client, the authorization header, default values, and sending a
//! [`Request`] and sorting its response into success or [`Error`].

use super::any_error::ErrorKind;
use super::envelope::{Envelope, EnvelopeError, EnvelopeNames};
use super::error::{
    ApiError, ApiErrorMeta, AuthError, DecodeError, Error, ErrorCase, InvalidInputError, TransportError,
    TransportErrorKind,
};
use super::hooks::{AttemptEnd, CallInfo, Hook, Hooks};
use super::request::{ExtraHeaders, Request};
use super::response::Response;
use super::retry::{self, Next, RetryPolicy};
use super::scrub::Scrubber;
use super::secret::Secret;
use super::span::{self, Finish, Server};
use super::token::{Issued, Lookup, Ticket, Token, TokenConfig, TokenShape, TokenSource};
use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[doc(hidden)]
pub mod fuzzing;

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
    /// A `default_header` the client cannot send: a name or value HTTP cannot carry, or
    /// a header the SDK sets itself.
    InvalidHeader {
        /// The header's name (its value is not kept: it may be a credential).
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A time limit of the client (`timeout`, `attempt_timeout`, `connect_timeout`) is
    /// zero, which would end every call before it is sent.
    ZeroTimeout {
        /// The setting's name.
        setting: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
            ConfigError::InvalidSecret => {
                f.write_str("the secret is empty or has characters an HTTP header cannot carry")
            }
            ConfigError::HttpClient(e) => write!(f, "cannot build the HTTP client: {e}"),
            ConfigError::InvalidHeader { name, reason } => write!(f, "cannot send header {name:?}: {reason}"),
            ConfigError::ZeroTimeout { setting } => {
                write!(f, "`{setting}` is zero: every call would time out before it is sent")
            }
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
pub struct CoreBuilder {
    base_url: String,
    auth: AuthConfig,
    envelope: Option<EnvelopeNames>,
    http: Option<reqwest::ClientBuilder>,
    defaults: Vec<(&'static str, String)>,
    timeout: Duration,
    attempt_timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    idempotency_header: Option<&'static str>,
    retryable_error_types: &'static [&'static str],
    max_response_bytes: u64,
    http_hosts: Vec<String>,
    token_shape: Option<TokenShape>,
    headers: ExtraHeaders,
    hooks: Hooks,
}

/// Total time for one call, retries and waits included, unless the client or call says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(crate::default_setting!(timeout_secs));
/// Longest wait for one attempt's response; an attempt that takes longer is given up
/// and, when it is safe to repeat, retried within the call's total time.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(crate::default_setting!(attempt_timeout_secs));
/// Time to establish a connection, for the HTTP client the SDK builds itself.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(crate::default_setting!(connect_timeout_secs));
/// The largest response body read; a larger one is an error, not an allocation.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = crate::default_setting!(max_response_mib) * 1024 * 1024;

impl CoreBuilder {
    /// Authenticate with `Authorization: <scheme> <secret>`.
    pub fn new(base_url: &str, scheme: &'static str, secret: String) -> Self {
        Self::with_auth(base_url, AuthConfig::Scheme { scheme, secret: Secret::new(secret) })
    }

    /// Authenticate with a token the API issues (as `shape` describes) for `credentials`,
    /// the values of the shape's credential fields in order.
    pub fn with_token(base_url: &str, shape: TokenShape, credentials: Vec<String>) -> Self {
        let credentials = credentials.into_iter().map(Secret::new).collect();
        Self::with_auth(base_url, AuthConfig::Token(TokenConfig { shape, credentials })).token_shape(shape)
    }

    /// The API issues tokens as `shape` describes: their answers are masked wherever kept,
    /// and [`Self::secret_for_tokens`] can trade the secret for them.
    pub fn token_shape(mut self, shape: TokenShape) -> Self {
        self.token_shape = Some(shape);
        self
    }

    /// Trade the secret given to [`Self::new`] for tokens the API issues, as the shape given
    /// to [`Self::token_shape`] describes; the secret is its one credential.
    pub fn secret_for_tokens(mut self) -> Self {
        self.auth = match (self.auth, self.token_shape) {
            (AuthConfig::Scheme { secret, .. }, Some(shape)) => {
                AuthConfig::Token(TokenConfig { shape, credentials: vec![secret] })
            }
            (auth, _) => auth,
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
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_hosts: Vec::new(),
            token_shape: None,
            headers: ExtraHeaders::default(),
            hooks: Hooks::default(),
        }
    }

    /// The limit on a whole call, retries included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit on each attempt of a call.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The limit on opening a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When and how often failed calls are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy, to change in place.
    pub fn retry_policy_mut(&mut self) -> &mut RetryPolicy {
        &mut self.retry
    }

    /// The largest response body to read; a larger one ends the call with an error.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Allow a plain `http://` base URL for this host (say, an egress proxy inside a
    /// private network). Loopback hosts are always allowed.
    pub fn allow_http_host(mut self, host: impl Into<String>) -> Self {
        self.http_hosts.push(host.into().to_ascii_lowercase());
        self
    }

    /// State-changing calls carry a fresh key in this header, the same on every retry,
    /// which makes them safe to repeat.
    pub fn idempotency_header(mut self, name: &'static str) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    /// Error responses with one of these `type`s are retried like a 5xx.
    pub fn retryable_error_types(mut self, types: &'static [&'static str]) -> Self {
        self.retryable_error_types = types;
        self
    }

    /// Every response body is an envelope with these fields.
    pub fn envelope(mut self, names: EnvelopeNames) -> Self {
        self.envelope = Some(names);
        self
    }

    /// The URL that operation paths are appended to.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A header sent with every call, after the SDK's own.
    pub fn default_header(mut self, name: String, value: String) -> Self {
        self.headers.0.push((name, value));
        self
    }

    /// Run `hook` around every call, after the hooks given before it.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(hook);
        self
    }

    /// Build the HTTP client from this builder (its proxies, certificates, TLS and pool
    /// settings) instead of the SDK's own; [`Self::build`] still turns redirects off.
    pub fn http_client(mut self, http: reqwest::ClientBuilder) -> Self {
        self.http = Some(http);
        self
    }

    /// The value used when a call leaves the parameter or field `name` unset.
    pub fn default_value(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.defaults.retain(|(n, _)| *n != name);
        self.defaults.push((name, value.into()));
        self
    }

    /// The client core, or why the settings cannot make one.
    pub fn build(self) -> Result<Core, ConfigError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let invalid = |reason: String| ConfigError::InvalidBaseUrl { url: self.base_url.clone(), reason };
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("expected http:// or https:// with no query or fragment".into()));
        }
        if parsed.scheme() == "http" && !is_loopback(&parsed) {
            let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
            if !self.http_hosts.contains(&host) {
                return Err(invalid(format!(
                    "plain http:// would send credentials unencrypted; use https://, or name the host \
                     with `allow_http_host({host:?})` if it is a proxy inside a private network"
                )));
            }
        }
        let scrubber = Arc::new(Scrubber::new(match &self.auth {
            AuthConfig::Scheme { secret, .. } => vec![secret.clone()],
            AuthConfig::Token(config) => config.credentials.clone(),
        }));
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
                if config.credentials.iter().any(|v| v.expose().trim().is_empty()) {
                    return Err(ConfigError::InvalidSecret);
                }
                Credentials::Token(Box::new(TokenSource::new(config).ok_or(ConfigError::InvalidSecret)?))
            }
        };
        let limits = [
            ("timeout", self.timeout),
            ("attempt_timeout", self.attempt_timeout),
            ("connect_timeout", self.connect_timeout),
        ];
        if let Some((setting, _)) = limits.into_iter().find(|(_, limit)| limit.is_zero()) {
            return Err(ConfigError::ZeroTimeout { setting });
        }
        let http = http_client(self.http, self.connect_timeout, parsed.scheme() == "http")?;
        let mut headers = Vec::new();
        for (name, value) in &self.headers.0 {
            let header = caller_header(name, value, self.idempotency_header)
                .map_err(|reason| ConfigError::InvalidHeader { name: name.clone(), reason: reason.to_owned() })?;
            headers.push(header);
        }
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
            max_response_bytes: self.max_response_bytes,
            token_shape: self.token_shape,
            headers,
            scrubber,
            hooks: self.hooks,
            server: Server::of(&parsed),
        })
    }
}

/// The HTTP client: built from the caller's builder, or the SDK's own with
/// `connect_timeout`, and in both cases made safe for credentials.
///
/// No redirects: a 307 or 308 would send the body (a login holds the secret) and the
/// credentials to wherever the answer points; a redirect is returned as the response.
/// No proxy for a plain `http://` base URL: the proxy would read the secret in clear
/// text (through an `https://` base URL, a proxy only tunnels encrypted bytes).
fn http_client(
    caller: Option<reqwest::ClientBuilder>,
    connect_timeout: Duration,
    plain_http: bool,
) -> Result<reqwest::Client, ConfigError> {
    let builder = caller.unwrap_or_else(|| {
        let builder = reqwest::Client::builder().connect_timeout(connect_timeout);
        // With both TLS features on, the one that must be asked for wins.
        #[cfg(feature = "native-tls")]
        let builder = builder.tls_backend_native();
        builder
    });
    let builder = builder.redirect(reqwest::redirect::Policy::none());
    let builder = if plain_http { builder.no_proxy() } else { builder };
    builder.build().map_err(ConfigError::HttpClient)
}

/// Whether the URL's host is this machine: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
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
    Token(Box<TokenSource<AuthError>>),
}

/// Why a request produced no response to decode.
enum SendError {
    Transport(TransportError),
    Auth(AuthError),
    Input(InvalidInputError),
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::Auth(e) => Error::Auth(Box::new(e)),
            SendError::Input(e) => Error::InvalidInput(e),
        }
    }
}

/// What a client holds: everything needed to send a request.
pub struct Core {
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
    max_response_bytes: u64,
    token_shape: Option<TokenShape>,
    /// The client's own headers (`default_header`), checked when it was built.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The secret values (credentials, current tokens) kept out of errors.
    scrubber: Arc<Scrubber>,
    /// The caller's hooks, run around every call and attempt.
    hooks: Hooks,
    /// The base URL's host and port, for the spans.
    server: Server,
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
            .field("max_response_bytes", &self.max_response_bytes)
            .field("hooks", &self.hooks)
            .finish_non_exhaustive()
    }
}

/// One logical call: what stays the same across all its attempts, the repeat after a
/// 401 included. Built once, before anything is sent.
struct Call<'a> {
    request: &'a Request,
    /// The HTTP request, without credentials or timeout; each attempt sends a copy.
    http: reqwest::Request,
    /// The end of the call's time: attempts, waits, the token and the 401 repeat.
    deadline: Instant,
    /// The idempotency key every attempt carries, if the API takes one.
    key: Option<String>,
    /// What the hooks are told of the call.
    info: CallInfo,
}

impl Call<'_> {
    /// Safe to send again: a GET, or a call carrying an idempotency key.
    fn repeatable(&self) -> bool {
        self.request.method == reqwest::Method::GET || self.key.is_some()
    }
}

/// Whether the retry loop sends `call` again after the transport failure `e`. A
/// connection never made reached nobody, so that is always safe to repeat; a body over
/// the limit would be as large again.
fn repeats_failure(call: &Call<'_>, e: &TransportError) -> bool {
    e.is_connect() || (call.repeatable() && e.kind() != TransportErrorKind::BodyTooLarge)
}

/// Whether `body` carries the tag of one of the error cases `E` documents (not an
/// unrecognized one), whether or not its other fields decode.
fn documented<E: ErrorCase>(body: &[u8]) -> bool {
    documented_case::<E>(body).is_some()
}

/// The documented tag and message of the error answer `body`, if it has such a tag.
fn documented_case<E: ErrorCase>(body: &[u8]) -> Option<(String, Option<String>)> {
    let answer = serde_json::from_slice::<serde_json::Value>(body).ok()?;
    E::documented_case(&answer).map(|(tag, message)| (tag.to_owned(), message.map(str::to_owned)))
}

impl Core {
    /// The client's default for `name`, if one was set.
    pub fn default_value(&self, name: &str) -> Option<&str> {
        self.defaults.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Send and decode a JSON success body.
    pub async fn send_json<T: DeserializeOwned, E: DeserializeOwned + ErrorCase>(
        self: &Arc<Self>,
        mut request: Request,
    ) -> Result<Response<T>, Error<E>> {
        let operation = request.operation;
        request.documented_error = Some(documented::<E>);
        let (response, finish) = self.send(request).await?;
        let result = decode_json(operation, response);
        finish.done(&result);
        result
    }

    /// Send and decode the data of an enveloped success body.
    pub async fn send_enveloped<T: DeserializeOwned>(
        self: &Arc<Self>,
        request: Request,
    ) -> Result<Response<T>, Error<EnvelopeError>> {
        let operation = request.operation;
        let (response, finish) = self.send(request).await?;
        let result = decode_enveloped(operation, self.envelope_names(), &response);
        finish.done(&result);
        result
    }

    /// Send, check the envelope's code, and ignore its data.
    pub async fn send_enveloped_empty(
        self: &Arc<Self>,
        request: Request,
    ) -> Result<Response<()>, Error<EnvelopeError>> {
        let operation = request.operation;
        let (response, finish) = self.send(request).await?;
        let result = open_envelope(operation, self.envelope_names(), &response).map(|(ok, _)| ok.success(()));
        finish.done(&result);
        result
    }

    /// The envelope's field names. Only enveloped APIs call the enveloped sends; for any
    /// other, no field name matches, so every body is reported as not an envelope.
    fn envelope_names(&self) -> EnvelopeNames {
        self.envelope.unwrap_or(EnvelopeNames { code: "", message: "", data: "" })
    }

    /// Send and return a text success body.
    pub async fn send_text<E: DeserializeOwned + ErrorCase>(
        self: &Arc<Self>,
        mut request: Request,
    ) -> Result<Response<String>, Error<E>> {
        let operation = request.operation;
        request.documented_error = Some(documented::<E>);
        let (response, finish) = self.send(request).await?;
        let result = decode_text(operation, response);
        finish.done(&result);
        result
    }

    /// Send and ignore the success body.
    pub async fn send_empty<E: DeserializeOwned + ErrorCase>(
        self: &Arc<Self>,
        mut request: Request,
    ) -> Result<Response<()>, Error<E>> {
        let operation = request.operation;
        request.documented_error = Some(documented::<E>);
        let (response, finish) = self.send(request).await?;
        let result = check_status(operation, response).map(|ok| ok.success(()));
        finish.done(&result);
        result
    }

    /// Send a request and read the whole response, retrying what is safe to retry.
    /// Not generic, so the HTTP machinery is compiled once for all operations.
    ///
    /// A retry happens on a connection failure (the request never left), and, when the
    /// request is safe to repeat (a GET, or one carrying an idempotency key), on a
    /// timeout or broken connection, HTTP 408, 429, a 5xx whose body is not one of the
    /// operation's documented errors, or an error `type` the API names as retryable.
    /// The whole call, waits and the access token included, stays within the timeout.
    async fn send(self: &Arc<Self>, request: Request) -> Result<(RawResponse, Finish<'_>), SendError> {
        use tracing::Instrument as _;
        let started = Instant::now();
        let timeout = request.options.timeout.unwrap_or(self.timeout);
        if timeout.is_zero() || request.options.attempt_timeout.is_some_and(|t| t.is_zero()) {
            let message = "the call's time limit is zero; nothing was sent";
            let e = TransportError::new(request.operation, TransportErrorKind::Timeout, message);
            return Err(SendError::Transport(e.with_retryable(false)));
        }
        let deadline = retry::later(started, timeout);
        let key = match self.idempotency_header {
            Some(_) if request.method != reqwest::Method::GET => {
                Some(request.options.idempotency_key.clone().unwrap_or_else(retry::new_key))
            }
            _ => None,
        };
        let http = self.http_request(&request, key.as_deref()).map_err(SendError::Input)?;
        let info = CallInfo::new(request.operation, request.method.clone(), request.template, false);
        // Names and numbers only: never the secret, a token, a query or a body.
        let span = span::call_span(&info, &self.server);
        let call = Call { request: &request, http, deadline, key, info };
        let (result, attempts) = self.send_authenticated(&call).instrument(span.clone()).await;
        let answer = match &result {
            Ok(response) => Some(Ok(response.status)),
            Err(SendError::Transport(e)) => Some(Err(e.kind())),
            Err(_) => None,
        };
        let finish = Finish { hooks: &self.hooks, call: call.info.clone(), span, started, attempts, answer };
        // Whether the outcome is one the retry loop would have tried again (had it the
        // attempts and the time): what `Error::is_retryable` reports.
        let mask = self.token_shape.filter(|t| t.issues(request.operation)).map_or(&[][..], |t| t.secret_fields);
        match result {
            Ok(response) => {
                let retryable = self.repeats_answer(&call, &response);
                let mut response = RawResponse { idempotency_key: call.key, mask, retryable, ..response };
                if request.operation == super::raw::OPERATION && self.is_token_path(&request.path) {
                    response.body = response.scrubbed_body();
                }
                Ok((response, finish))
            }
            Err(SendError::Transport(e)) => {
                finish.end(Some(ErrorKind::Transport));
                let retryable = repeats_failure(&call, &e);
                Err(SendError::Transport(TransportError { idempotency_key: call.key, retryable, ..e }))
            }
            Err(e) => {
                finish.end(Some(match e {
                    SendError::Input(_) => ErrorKind::InvalidInput,
                    _ => ErrorKind::Auth,
                }));
                Err(e)
            }
        }
    }

    /// Whether `path` is that of an operation issuing tokens: a raw answer from it is
    /// kept only with the known secrets replaced.
    fn is_token_path(&self, path: &str) -> bool {
        let Credentials::Token(source) = &self.credentials else { return false };
        let config = &source.config.shape;
        let path = path.trim_end_matches('/');
        path == config.path || config.refresh.as_ref().is_some_and(|r| path == r.path)
    }

    /// The HTTP request of a call, without credentials: anything the inputs cannot
    /// form (a header value with a line break, say) is an input error, never sent.
    fn http_request(&self, request: &Request, key: Option<&str>) -> Result<reqwest::Request, InvalidInputError> {
        let invalid = |what: &str| InvalidInputError::new(request.operation, what.to_owned());
        let url = format!("{}{}", self.base_url, request.path);
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .header(USER_AGENT, SDK_USER_AGENT)
            .header(ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            let value = HeaderValue::from_str(value)
                .map_err(|_| invalid(&format!("header `{name}` has characters an HTTP header cannot carry")))?;
            builder = builder.header(*name, value);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        for (name, value) in &request.options.headers.0 {
            let (name, value) = caller_header(name, value, self.idempotency_header)
                .map_err(|why| invalid(&format!("header `{name}` {why}")))?;
            builder = builder.header(name, value);
        }
        if let (Some(header), Some(key)) = (self.idempotency_header, key) {
            let value = HeaderValue::from_str(key)
                .map_err(|_| invalid("the idempotency key has characters an HTTP header cannot carry"))?;
            builder = builder.header(header, value);
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        builder.build().map_err(|e| invalid(&format!("cannot form the request: {}", e.without_url())))
    }

    /// Send with the client's credentials. With a token: a 401 on a call made with a
    /// cached token renews it once and repeats the call once, never more, with the same
    /// idempotency key and within the same deadline.
    async fn send_authenticated(self: &Arc<Self>, call: &Call<'_>) -> (Result<RawResponse, SendError>, u32) {
        let source = match &self.credentials {
            _ if !call.request.authenticated => {
                let (result, attempts) = self.send_retrying(call, None, 0).await;
                return (result.map_err(SendError::Transport), attempts);
            }
            Credentials::Static(name, value) => {
                let (result, attempts) = self.send_retrying(call, Some((name, value)), 0).await;
                return (result.map_err(SendError::Transport), attempts);
            }
            Credentials::Token(source) => source,
        };
        let token = match self.token(source, call).await {
            Ok(t) => t,
            Err(e) => return (Err(SendError::Auth(e)), 0),
        };
        let (result, attempts) = self.send_retrying(call, Some((&source.header, &token.value)), 0).await;
        if !matches!(&result, Ok(r) if r.status == reqwest::StatusCode::UNAUTHORIZED) {
            return (result.map_err(SendError::Transport), attempts);
        }
        tracing::debug!("token refused; renewing it once");
        source.invalidate(&token);
        let token = match self.token(source, call).await {
            Ok(t) => t,
            Err(e) => return (Err(SendError::Auth(e)), attempts),
        };
        let (again, more) = self.send_retrying(call, Some((&source.header, &token.value)), attempts).await;
        (again.map_err(SendError::Transport), attempts + more)
    }

    /// A usable token, within the call's deadline. A token due for renewal but still
    /// usable is used while the renewal runs in the background; without one, the call
    /// waits for the one fetch every waiting call shares, and gets its error if it fails.
    async fn token(self: &Arc<Self>, source: &TokenSource<AuthError>, call: &Call<'_>) -> Result<Token, AuthError> {
        let operation = call.request.operation;
        let wait = async {
            loop {
                let mut receiver = match source.lookup() {
                    Lookup::Ready(token, renewal) => {
                        if let Some(ticket) = renewal {
                            tracing::debug!("token due for renewal; renewing in the background");
                            self.spawn_fetch(ticket);
                        }
                        return Ok(token);
                    }
                    Lookup::Start(ticket, receiver) => {
                        self.spawn_fetch(ticket);
                        receiver
                    }
                    Lookup::Wait(receiver) => receiver,
                    Lookup::Failed(error) => return Err(error),
                };
                // An error means the fetch was dropped unfinished (its runtime shut down):
                // ask again.
                let outcome = receiver.wait_for(Option::is_some).await.ok().and_then(|slot| slot.clone());
                if let Some(outcome) = outcome {
                    return outcome;
                }
            }
        };
        let outcome = match tokio::time::timeout_at(call.deadline, wait).await {
            Ok(outcome) => outcome,
            Err(_) => Err(AuthError::new(
                operation,
                source.config.shape.operation,
                None,
                "no access token came within the call's time limit",
            )),
        };
        outcome.map_err(|e| AuthError { operation, ..e })
    }

    /// Fetch a token on a task of its own, so that no caller's deadline or cancellation
    /// cuts short the fetch every other caller waits for. Its time limit is the client's.
    fn spawn_fetch(self: &Arc<Self>, ticket: Ticket) {
        let core = Arc::clone(self);
        tokio::spawn(async move {
            let Credentials::Token(source) = &core.credentials else { return };
            let mut unfinished = Unfinished { source, id: ticket.id, armed: true };
            let deadline = retry::later(Instant::now(), core.timeout);
            let outcome = core.fetch_token(source, ticket.refresh, deadline).await;
            if let Ok(issued) = &outcome {
                core.scrubber.set_tokens(std::iter::once(&issued.token).chain(&issued.refresh).cloned());
            }
            unfinished.armed = false;
            source.finish(ticket.id, outcome);
        });
    }

    /// A new token: renewed with the refresh token when one is held, else (or when the
    /// renewal is refused) issued for the credentials.
    async fn fetch_token(
        &self,
        source: &TokenSource<AuthError>,
        refresh: Option<Secret>,
        deadline: Instant,
    ) -> Result<Issued, AuthError> {
        let config = &source.config.shape;
        let renewal = refresh.and_then(|r| Some((config.refresh.as_ref()?, source.refresh_body(&r)?)));
        if let Some((renew, body)) = renewal {
            match self.issue(source, renew.operation, renew.path, body, deadline).await {
                Ok(issued) => return Ok(issued),
                // Refused or unreadable: the credentials still work.
                Err(e) if e.status.is_some() => {
                    tracing::debug!(status = e.status.map(|s| s.as_u16()), "renewal refused; issuing anew")
                }
                Err(e) => return Err(e),
            }
        }
        self.issue(source, config.operation, config.path, source.request_body(), deadline).await
    }

    /// Call token operation `token_operation` (POST `path`, JSON `body`, no credentials)
    /// and read the token it issues. The answer is kept in the error only when it is an
    /// error answer, and then with the fields the generated client names as secret
    /// masked: a success answer this client cannot read may still hold a live token.
    async fn issue(
        &self,
        source: &TokenSource<AuthError>,
        token_operation: &'static str,
        path: &'static str,
        body: Vec<u8>,
        deadline: Instant,
    ) -> Result<Issued, AuthError> {
        use tracing::Instrument as _;
        let fail = |status, body, message: String, source| AuthError {
            body,
            source,
            ..AuthError::new(token_operation, token_operation, status, self.scrubber.text(&message).into_owned())
        };
        let mut request = Request::new(token_operation, reqwest::Method::POST, path.to_owned());
        request.template = Some(path);
        request.authenticated = false;
        request.body = Some(body.into());
        let http = self.http_request(&request, None).map_err(|e| fail(None, None, e.message().to_owned(), None))?;
        let info = CallInfo::new(token_operation, reqwest::Method::POST, Some(path), true);
        let span = span::call_span(&info, &self.server);
        let started = Instant::now();
        let call = Call { request: &request, http, deadline, key: None, info };
        let (result, attempts) = self.send_retrying(&call, None, 0).instrument(span.clone()).await;
        let answer = Some(result.as_ref().map(|r| r.status).map_err(TransportError::kind));
        let finish = Finish { hooks: &self.hooks, call: call.info, span, started, attempts, answer };
        let issued = match result {
            Ok(response) => self.read_token(source, RawResponse { mask: source.config.shape.secret_fields, ..response }, fail),
            Err(e) => Err(fail(None, None, e.to_string(), Some(Arc::new(e) as _))),
        };
        finish.end(issued.as_ref().err().map(|_| ErrorKind::Auth));
        issued
    }

    /// The token a token operation's answer issues, or the error `fail` makes of why not.
    fn read_token(
        &self,
        source: &TokenSource<AuthError>,
        response: RawResponse,
        fail: impl Fn(Option<reqwest::StatusCode>, Option<Bytes>, String, Option<ErrorSource>) -> AuthError,
    ) -> Result<Issued, AuthError> {
        let names = self.envelope_names();
        let envelope = self.envelope.and_then(|_| Envelope::parse(names, &response.body));
        let data = match (self.envelope.is_some(), envelope) {
            (false, _) if response.status.is_success() => Ok(&response.body[..]),
            (true, Some(e)) if response.status.is_success() && e.code == 0 => Ok(e.data_bytes()),
            (true, Some(e)) => Err((true, EnvelopeError { code: e.code, message: e.message }.to_string())),
            (true, None) => Err((!response.status.is_success(), "the response is not a token".to_string())),
            (false, _) => Err((true, "the request for a token was refused".to_string())),
        };
        let status = Some(response.status);
        let data = data.map_err(|(error_answer, why)| {
            let kept = error_answer.then(|| response.kept_body());
            fail(status, kept, why, None)
        })?;
        source.read_issued(data).map_err(|why| fail(status, None, why, None))
    }

    /// [`Self::send`]'s retry loop; also returns the number of attempts made. The
    /// hooks see attempts numbered on from `earlier`, the attempts the call made before.
    async fn send_retrying(
        &self,
        call: &Call<'_>,
        auth: Option<(&HeaderName, &HeaderValue)>,
        earlier: u32,
    ) -> (Result<RawResponse, TransportError>, u32) {
        let request = call.request;
        let policy =
            RetryPolicy { max_retries: request.options.max_retries.unwrap_or(self.retry.max_retries), ..self.retry };
        let per_attempt = request.options.attempt_timeout.unwrap_or(self.attempt_timeout);
        let attempt = |attempt: u32, remaining: Duration| async move {
            let started = Instant::now();
            let result = self.send_once(call, auth, remaining.min(per_attempt), earlier + attempt).await;
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
            Ok(response) if self.repeats_answer(call, response) => {
                Next::Retry(retry::retry_after(&response.headers, std::time::SystemTime::now()))
            }
            Err(e) if repeats_failure(call, e) => Next::Retry(retry::RetryAfter::Absent),
            _ => Next::Stop,
        };
        let observe = |result: &Result<RawResponse, TransportError>, attempted: retry::Attempted| {
            if self.hooks.is_empty() {
                return;
            }
            let outcome = result.as_ref().map(|r| r.status).map_err(TransportError::kind);
            let number = earlier + attempted.number;
            let end = AttemptEnd::new(&call.info, number, outcome, attempted.elapsed, attempted.retrying);
            self.hooks.after_attempt(&end);
        };
        retry::run_observed(policy, call.deadline, attempt, judge, retry::random_unit, observe).await
    }

    /// Whether the retry loop sends `call` again after `response`: the call is safe to
    /// repeat and the answer asks for it.
    fn repeats_answer(&self, call: &Call<'_>, response: &RawResponse) -> bool {
        call.repeatable() && self.retryable_response(call.request, response)
    }

    /// Whether an answer asks to be tried again: 408, 429, a 5xx that is not one of the
    /// operation's documented errors (those are PortOne's final word, a payment
    /// gateway's refusal among them), or an error `type` the API names as "later".
    fn retryable_response(&self, request: &Request, response: &RawResponse) -> bool {
        retryable_answer(self.envelope, request.documented_error, self.retryable_error_types, response)
    }

    /// One attempt (number `number` of its call): a copy of the call's request with the
    /// hooks' headers, the credentials and the attempt's time limit, and its body read
    /// in chunks up to the client's limit.
    async fn send_once(
        &self,
        call: &Call<'_>,
        auth: Option<(&HeaderName, &HeaderValue)>,
        timeout: Duration,
        number: u32,
    ) -> Result<RawResponse, TransportError> {
        let operation = call.request.operation;
        let transport = |source| TransportError::from_reqwest(operation, source);
        let Some(mut http) = call.http.try_clone() else {
            let message = "the request body cannot be sent twice".to_owned();
            return Err(TransportError::new(operation, TransportErrorKind::Other, message));
        };
        // The hooks go first: what they add never overrides the credentials.
        self.hooks.before_attempt(&call.info, number, http.headers_mut(), self.idempotency_header);
        if let Some((name, value)) = auth {
            http.headers_mut().insert(name.clone(), value.clone());
        }
        *http.timeout_mut() = Some(timeout);
        let mut response = self.http.execute(http).await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = self.max_response_bytes;
        let too_large = || {
            let message = format!("the response body is larger than the client's limit of {limit} bytes");
            TransportError::new(operation, TransportErrorKind::BodyTooLarge, message)
        };
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let scrubber = Arc::clone(&self.scrubber);
        let body = body.into();
        Ok(RawResponse { status, headers, body, idempotency_key: None, mask: &[], retryable: false, scrubber })
    }
}

/// The cause an [`AuthError`] keeps.
type ErrorSource = Arc<dyn std::error::Error + Send + Sync>;

/// Marks a spawned token fetch as abandoned if it is dropped before it finishes (its
/// runtime shut down), so that callers waiting for it ask again instead of waiting on.
struct Unfinished<'a> {
    source: &'a TokenSource<AuthError>,
    id: u64,
    armed: bool,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if self.armed {
            let operation = self.source.config.shape.operation;
            self.source
                .finish(self.id, Err(AuthError::new(operation, operation, None, "the token request was abandoned")));
        }
    }
}

/// A caller's header as sent, or why it cannot be: a name or value HTTP cannot carry,
/// or a header the SDK sets itself (the credentials, the body's type, the idempotency
/// key), which a second copy would contradict.
pub(super) fn caller_header(
    name: &str,
    value: &str,
    idempotency_header: Option<&str>,
) -> Result<(HeaderName, HeaderValue), &'static str> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| "is not a valid header name")?;
    let own = [AUTHORIZATION, CONTENT_TYPE, ACCEPT, USER_AGENT];
    if own.contains(&name) || idempotency_header.is_some_and(|h| name.as_str().eq_ignore_ascii_case(h)) {
        return Err("is set by the SDK");
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| "has characters an HTTP header cannot carry")?;
    // Kept out of HTTP logging, like the credentials: it may be one.
    value.set_sensitive(true);
    Ok((name, value))
}

/// [`Core::retryable_response`] given the API's envelope, the operation's test for a
/// documented error and the API's retryable error types.
fn retryable_answer(
    envelope: Option<EnvelopeNames>,
    documented_error: Option<fn(&[u8]) -> bool>,
    retryable_error_types: &[&str],
    response: &RawResponse,
) -> bool {
    let status = response.status.as_u16();
    if status == 408 || status == 429 {
        return true;
    }
    if response.status.is_server_error() {
        let documented = match envelope {
            Some(names) => Envelope::parse(names, &response.body).is_some(),
            None => documented_error.is_some_and(|is_documented| is_documented(&response.body)),
        };
        return !documented;
    }
    if response.status.is_client_error() && !retryable_error_types.is_empty() {
        let tag = serde_json::from_slice::<serde_json::Value>(&response.body)
            .ok()
            .and_then(|v| v.get("type").and_then(serde_json::Value::as_str).map(str::to_owned));
        return tag.is_some_and(|t| retryable_error_types.contains(&t.as_str()));
    }
    false
}

/// A response, body read.
struct RawResponse {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The idempotency key the call was sent with.
    idempotency_key: Option<String>,
    /// Fields masked in the body an error keeps (a token operation's answer).
    mask: &'static [&'static str],
    /// Whether the retry loop would have tried this answer again.
    retryable: bool,
    /// The client's secret values, replaced in what an error keeps.
    scrubber: Arc<Scrubber>,
}

impl RawResponse {
    /// The body as an error keeps it: the known secret values replaced, and the secret
    /// fields masked.
    fn kept_body(&self) -> Bytes {
        let body = self.scrubbed_body();
        match self.mask {
            [] => body,
            fields => super::redact::mask_json_fields(&body, fields).map_or(body, Bytes::from),
        }
    }

    /// The body with the known secret values replaced (the same bytes when none is there).
    fn scrubbed_body(&self) -> Bytes {
        self.scrubber.body(&self.body).map_or_else(|| self.body.clone(), Bytes::from)
    }

    /// This response with the known secret values replaced in its body, for an error
    /// decoded from it.
    fn scrubbed(self) -> RawResponse {
        RawResponse { body: self.scrubbed_body(), ..self }
    }

    /// This response as the decode error of `operation`: status, headers and raw body kept.
    /// The known secret values are replaced in the message and the source too.
    fn decode_error<E>(&self, operation: &'static str, message: String, source: Option<serde_json::Error>) -> Error<E> {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: self.status,
            headers: self.headers.clone(),
            message: self.scrubber.text(&message).into_owned(),
            source: source.map(|e| self.scrubber.serde_error(e)),
            case: None,
            body: self.kept_body(),
            idempotency_key: self.idempotency_key.clone(),
            retryable: self.retryable,
        }))
    }

    /// This response as the success of a call, with `body` decoded from it.
    fn success<T>(&self, body: T) -> Response<T> {
        Response::new(self.status, self.headers.clone(), body, self.idempotency_key.clone())
    }

    /// This response as the API error `error` of `operation`.
    fn api_error<E>(&self, operation: &'static str, error: E) -> Error<E> {
        Error::Api(ApiError {
            error,
            meta: Box::new(ApiErrorMeta {
                operation,
                status: self.status,
                headers: self.headers.clone(),
                body: self.kept_body(),
                idempotency_key: self.idempotency_key.clone(),
                retryable: self.retryable,
            }),
        })
    }
}

/// The response if its status is a success; otherwise the operation's error, decoded.
/// An answer with a documented tag whose other fields do not decode is a decode error
/// that keeps the tag and message.
fn check_status<E: DeserializeOwned + ErrorCase>(
    operation: &'static str,
    response: RawResponse,
) -> Result<RawResponse, Error<E>> {
    if response.status.is_success() {
        return Ok(response);
    }
    let response = response.scrubbed();
    match super::de::from_json::<E>(&response.body) {
        Ok(error) => Err(response.api_error(operation, error)),
        Err(e) => match documented_case::<E>(&response.body) {
            Some(case) => {
                let message = format!("the documented error `{}` lacks or mistypes a field: {e}", case.0);
                let mut error = response.decode_error(operation, message, Some(e));
                if let Error::Decode(decode) = &mut error {
                    decode.case = Some(case);
                }
                Err(error)
            }
            None => {
                let message = format!("the error response is not one PortOne documents: {e}");
                Err(response.decode_error(operation, message, Some(e)))
            }
        },
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
    let message = envelope.message.map(|m| response.scrubber.text(&m).into_owned());
    Err(response.api_error(operation, EnvelopeError { code: envelope.code, message }))
}

/// The data of an enveloped answer, decoded; or the API's error, or a decode error.
fn decode_enveloped<T: DeserializeOwned>(
    operation: &'static str,
    names: EnvelopeNames,
    response: &RawResponse,
) -> Result<Response<T>, Error<EnvelopeError>> {
    let (ok, envelope) = open_envelope(operation, names, response)?;
    match super::de::from_json(envelope.data_bytes()) {
        Ok(body) => Ok(ok.success(body)),
        Err(e) => Err(ok.decode_error(operation, format!("`{}` of the envelope: {e}", names.data), Some(e))),
    }
}

fn decode_json<T: DeserializeOwned, E: DeserializeOwned + ErrorCase>(
    operation: &'static str,
    response: RawResponse,
) -> Result<Response<T>, Error<E>> {
    let ok = check_status(operation, response)?;
    match super::de::from_json(&ok.body) {
        Ok(body) => Ok(ok.success(body)),
        Err(e) => Err(ok.decode_error(operation, e.to_string(), Some(e))),
    }
}

fn decode_text<E: DeserializeOwned + ErrorCase>(
    operation: &'static str,
    response: RawResponse,
) -> Result<Response<String>, Error<E>> {
    let ok = check_status(operation, response)?;
    match std::str::from_utf8(&ok.body) {
        Ok(text) => Ok(ok.success(text.to_owned())),
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
        let core = Arc::new(
            CoreBuilder::new(&format!("https://127.0.0.1:{port}"), "PortOne", "secret".into())
                .retry_policy(RetryPolicy { max_retries: 0, ..RetryPolicy::default() })
                .build()
                .expect("client"),
        );
        let request = Request::new("probe", reqwest::Method::GET, "/".into());
        let err = core
            .send_json::<serde_json::Value, crate::UntypedError>(request)
            .await
            .expect_err("no TLS server");
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
