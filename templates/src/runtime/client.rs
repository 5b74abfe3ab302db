//! The part of every API client that does not depend on the API: base URL, the
//! `reqwest` client, the authorization header, default values, and sending a
//! [`Request`] and sorting its response into success or [`Error`].

use super::error::{ApiError, DecodeError, Error, TransportError};
use super::request::Request;
use super::secret::Secret;
use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;
use std::fmt;

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
    scheme: &'static str,
    secret: Secret,
    http: Option<reqwest::Client>,
    defaults: Vec<(&'static str, String)>,
}

impl CoreBuilder {
    /// Authenticate with `Authorization: <scheme> <secret>`.
    pub(crate) fn new(base_url: &str, scheme: &'static str, secret: String) -> Self {
        CoreBuilder {
            base_url: base_url.to_owned(),
            scheme,
            secret: Secret::new(secret),
            http: None,
            defaults: Vec::new(),
        }
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
        if self.secret.expose().trim().is_empty() {
            return Err(ConfigError::InvalidSecret);
        }
        let mut authorization = HeaderValue::from_str(&format!("{} {}", self.scheme, self.secret.expose()))
            .map_err(|_| ConfigError::InvalidSecret)?;
        authorization.set_sensitive(true);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().build().map_err(ConfigError::HttpClient)?,
        };
        Ok(Core { base_url, authorization, http, defaults: self.defaults })
    }
}

/// What a client holds: everything needed to send a request.
pub(crate) struct Core {
    base_url: String,
    /// `<scheme> <secret>`, marked sensitive so HTTP logging leaves it out.
    authorization: HeaderValue,
    http: reqwest::Client,
    defaults: Vec<(&'static str, String)>,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.base_url)
            .field("authorization", &"<redacted>")
            .field("defaults", &self.defaults)
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
    ) -> Result<T, Error<E>> {
        let operation = request.operation;
        let response = self.send(request).await.map_err(Error::Transport)?;
        decode_json(operation, response)
    }

    /// Send and return a text success body.
    pub(crate) async fn send_text<E: DeserializeOwned>(&self, request: Request) -> Result<String, Error<E>> {
        let operation = request.operation;
        let response = self.send(request).await.map_err(Error::Transport)?;
        decode_text(operation, response)
    }

    /// Send and ignore the success body.
    pub(crate) async fn send_empty<E: DeserializeOwned>(&self, request: Request) -> Result<(), Error<E>> {
        let operation = request.operation;
        let response = self.send(request).await.map_err(Error::Transport)?;
        check_status(operation, response).map(|_| ())
    }

    /// Send a request and read the whole response. Not generic, so the HTTP machinery is
    /// compiled once for all operations; decoding, which is, happens after.
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let operation = request.operation;
        let transport = |source| TransportError { operation, source };
        let url = format!("{}{}", self.base_url, request.path);
        let mut builder = self
            .http
            .request(request.method, url)
            .header(USER_AGENT, SDK_USER_AGENT)
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, self.authorization.clone());
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body);
        }
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?;
        Ok(Response { status, headers, body })
    }
}

/// A response, body read.
struct Response {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// The response if its status is a success; otherwise the operation's error, decoded.
fn check_status<E: DeserializeOwned>(operation: &'static str, response: Response) -> Result<Response, Error<E>> {
    if response.status.is_success() {
        return Ok(response);
    }
    let Response { status, headers, body } = response;
    match serde_json::from_slice::<E>(&body) {
        Ok(error) => Err(Error::Api(Box::new(ApiError { operation, status, headers, error, body }))),
        Err(e) => Err(Error::Decode(Box::new(DecodeError {
            operation,
            status,
            headers,
            message: format!("the error response is not one PortOne documents: {e}"),
            source: Some(e),
            body,
        }))),
    }
}

fn decode_json<T: DeserializeOwned, E: DeserializeOwned>(
    operation: &'static str,
    response: Response,
) -> Result<T, Error<E>> {
    let ok = check_status(operation, response)?;
    serde_json::from_slice(&ok.body).map_err(|e| {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: ok.status,
            headers: ok.headers,
            message: e.to_string(),
            source: Some(e),
            body: ok.body,
        }))
    })
}

fn decode_text<E: DeserializeOwned>(operation: &'static str, response: Response) -> Result<String, Error<E>> {
    let ok = check_status(operation, response)?;
    String::from_utf8(ok.body.to_vec()).map_err(|e| {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: ok.status,
            headers: ok.headers,
            message: format!("the body is not UTF-8 text: {e}"),
            source: None,
            body: ok.body,
        }))
    })
}
