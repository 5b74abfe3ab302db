//! The futures of generated request builders: each builder's `send_with_response` states
//! its request without `async` (path, parameters, body) and hands it to one of these,
//! by how the API answers. They are generic, so each is compiled where a caller awaits
//! an operation, for the operations it calls; no builder carries a state machine of
//! its own. Each returns its future boxed: the box is `Send` and `'static` by these
//! functions' bounds, checked here once, where an opaque future would have to be
//! checked anew in the SDK for every operation (rustc spent about 0.85 s of the
//! SDK's 8.5 s on the 147 V2 builders' `into_future` alone).

use crate::BoxFuture;
use crate::client::Core;
use crate::envelope::EnvelopeError;
use crate::error::{Error, ErrorCase, InvalidInputError};
use crate::request::Request;
use crate::response::Response;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// What every error type of a call is: decodable, with documented cases, sendable.
pub trait CallError: DeserializeOwned + ErrorCase + Send + 'static {}
impl<E: DeserializeOwned + ErrorCase + Send + 'static> CallError for E {}

/// A JSON success body, decoded.
pub fn json<T: DeserializeOwned + Send + 'static, E: CallError>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> BoxFuture<Result<Response<T>, Error<E>>> {
    Box::pin(async move { core.send_json(request?).await })
}

/// A text success body, as it came.
pub fn text<E: CallError>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> BoxFuture<Result<Response<String>, Error<E>>> {
    Box::pin(async move { core.send_text(request?).await })
}

/// A success without a body worth reading.
pub fn empty<E: CallError>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> BoxFuture<Result<Response<()>, Error<E>>> {
    Box::pin(async move { core.send_empty(request?).await })
}

/// The data of an enveloped success body, decoded.
pub fn enveloped<T: DeserializeOwned + Send + 'static>(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> BoxFuture<Result<Response<T>, Error<EnvelopeError>>> {
    Box::pin(async move { core.send_enveloped(request?).await })
}

/// An enveloped success whose data is not read.
pub fn enveloped_empty(
    core: Arc<Core>,
    request: Result<Request, InvalidInputError>,
) -> BoxFuture<Result<Response<()>, Error<EnvelopeError>>> {
    Box::pin(async move { core.send_enveloped_empty(request?).await })
}

/// The body of a call's response, without its status and headers (`send`).
pub fn body<T: Send + 'static, E: Send + 'static>(
    call: BoxFuture<Result<Response<T>, Error<E>>>,
) -> BoxFuture<Result<T, Error<E>>> {
    Box::pin(async move { call.await.map(Response::into_body) })
}
