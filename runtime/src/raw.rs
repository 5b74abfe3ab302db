//! The escape hatch: a request to any path of the API, for an endpoint PortOne offers
//! before this SDK describes it, sent with the client's credentials, retries, time
//! limits, default headers and tracing like every generated operation.

use super::client::Core;
use super::envelope::EnvelopeError;
use super::error::{Error, InvalidInputError, UntypedError};
use super::request::{CallOptions, Request};
use super::response::Response;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::sync::Arc;

/// The operation name raw requests carry in errors and tracing.
pub(crate) const OPERATION: &str = "raw";

/// A request to any path, from a client's `raw(method, path)`; `E` is the API's error
/// type (`UntypedError` for V2's JSON errors, `EnvelopeError` for V1's envelopes).
/// Send it with `send::<T>()` for a typed answer or `send::<serde_json::Value>()`.
/// An answer from the path of the operation that issues tokens comes with the client's
/// known secret values (its credentials and current tokens) replaced by `<redacted>`,
/// success or not; so does every error's body and message.
#[must_use = "a request does nothing until it is sent with `.send()`"]
pub struct RawRequest<E> {
    core: Arc<Core>,
    request: Request,
    /// The call's options (`timeout`, `header`, ...), moved into the request when sent.
    options: CallOptions,
    /// The first input error, reported when sending (nothing is sent then).
    invalid: Option<InvalidInputError>,
    error: PhantomData<E>,
}

impl<E> std::fmt::Debug for RawRequest<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The path and query may hold IDs, the body anything: method and options only.
        f.debug_struct("RawRequest")
            .field("method", &self.request.method)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<E> RawRequest<E> {
    /// A request of `method` to `path` below the client's base URL. The path is sent as
    /// given (escape its parameters yourself); it must start with `/` and carry no query
    /// (use [`RawRequest::query`]) or fragment.
    #[doc(hidden)]
    pub fn new(core: Arc<Core>, method: reqwest::Method, path: String) -> Self {
        let invalid = (!path.starts_with('/')
            || path.contains(['?', '#'])
            || path.chars().any(|c| c.is_whitespace() || c.is_control()))
        .then(|| {
            InvalidInputError::new(OPERATION, "the path must start with `/` and have no query, fragment or spaces")
        });
        let request = Request::new(OPERATION, method, path);
        RawRequest { core, request, options: CallOptions::default(), invalid, error: PhantomData }
    }

    /// Add the query parameter `name=value`.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.query.push((name.into().into(), value.into()));
        self
    }

    /// Send `body` as the JSON request body.
    pub fn json<B: serde::Serialize>(mut self, body: &B) -> Self {
        if let Err(e) = self.request.json_body(body) {
            self.invalid.get_or_insert(e);
        }
        self
    }

    crate::call_options!();

    /// The idempotency key to send instead of a generated one (APIs that take one).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.idempotency_key = Some(key.into());
        self
    }

    /// The request, or the input error that stops it.
    fn ready<X>(self) -> Result<(Arc<Core>, Request), Error<X>> {
        match self.invalid {
            Some(e) => Err(Error::InvalidInput(e)),
            None => Ok((self.core, Request { options: self.options, ..self.request })),
        }
    }
}

impl RawRequest<UntypedError> {
    /// Send the request and decode a success body as `T` (`serde_json::Value` for any
    /// JSON); an error answer is kept as the JSON PortOne sent.
    pub async fn send<T: DeserializeOwned>(self) -> Result<Response<T>, Error<UntypedError>> {
        let (core, request) = self.ready()?;
        core.send_json(request).await
    }
}

impl RawRequest<EnvelopeError> {
    /// Send the request and decode the envelope's data as `T` (`serde_json::Value` for
    /// any JSON); a non-zero code is the envelope's error.
    pub async fn send<T: DeserializeOwned>(self) -> Result<Response<T>, Error<EnvelopeError>> {
        let (core, request) = self.ready()?;
        core.send_enveloped(request).await
    }
}
