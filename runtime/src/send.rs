//! The futures of generated request builders: each builder's `send_with_response` states
//! its request without `async` (path, parameters, body) and hands it to one of these,
//! by how the API answers. They are generic, so each is compiled where a caller awaits
//! an operation, for the operations it calls; no builder carries a state machine of
//! its own.

use crate::client::Core;
use crate::envelope::EnvelopeError;
use crate::error::{Error, ErrorCase, InvalidInputError};
use crate::request::Request;
use crate::response::Response;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;

/// A JSON success body, decoded.
pub async fn json<T: DeserializeOwned, E: DeserializeOwned + ErrorCase>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> Result<Response<T>, Error<E>> {
    core.send_json(request?).await
}

/// A text success body, as it came.
pub async fn text<E: DeserializeOwned + ErrorCase>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> Result<Response<String>, Error<E>> {
    core.send_text(request?).await
}

/// A success without a body worth reading.
pub async fn empty<E: DeserializeOwned + ErrorCase>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> Result<Response<()>, Error<E>> {
    core.send_empty(request?).await
}

/// The data of an enveloped success body, decoded.
pub async fn enveloped<T: DeserializeOwned>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> Result<Response<T>, Error<EnvelopeError>> {
    core.send_enveloped(request?).await
}

/// An enveloped success whose data is not read.
pub async fn enveloped_empty(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> Result<Response<()>, Error<EnvelopeError>> {
    core.send_enveloped_empty(request?).await
}

/// The body of a call's response, without its status and headers (`send`).
pub async fn body<T, E>(call: impl Future<Output = Result<Response<T>, Error<E>>>) -> Result<T, Error<E>> {
    call.await.map(Response::into_body)
}
