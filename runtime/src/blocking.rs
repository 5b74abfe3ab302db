//! Blocking calls (feature `blocking`), for programs without an async runtime: a batch
//! job, a migration script, a CLI.
//!
//! There is no second client. The same `Client` and the same request builders are used;
//! instead of `.await`, a request is sent with [`SendBlocking::send_blocking`], a paged
//! list is read with [`IterBlocking::iter_blocking`], and `raw(..)` requests have
//! `send_blocking::<T>()`. Each of these hands the very future `.await` would run to a
//! Tokio runtime the SDK starts on its own threads on first use (one per process), and
//! waits for its outcome; so retries, idempotency keys, deadlines, tokens, redaction
//! and defaults behave exactly as in async code.
//!
//! ```ignore
//! use portone_sdk::blocking::{IterBlocking as _, SendBlocking as _};
//!
//! let client = portone_sdk::v2::Client::new(secret)?;
//! let payment = client.payment().get_payment("pay-1").send_blocking()?;
//! for payment in client.payment().get_payments().items().iter_blocking() {
//!     println!("{:?}", payment?.id());
//! }
//! ```
//!
//! A blocking call made on a thread that is running async code (inside a Tokio task or
//! `block_on`) would stall that thread's other tasks; it returns
//! [`Error::InvalidInput`] at once instead, naming
//! [`OPERATION`] and saying to `.await` the request. From `tokio::task::spawn_blocking`
//! blocking calls work.

use super::envelope::EnvelopeError;
use super::error::UntypedError;
use super::error::{Error, InvalidInputError};
use super::raw::RawRequest;
use super::response::Response;
use futures_core::Stream;
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

/// The operation name the errors of the blocking layer itself carry (a call made inside
/// async code, or a background runtime that could not start).
pub const OPERATION: &str = "send_blocking";

/// What [`SendBlocking::send_blocking`] says to a call made inside async code.
const IN_ASYNC_CONTEXT: &str = "a blocking call was made on a thread running async code (a Tokio task or \
     `block_on`), where it would stall other tasks: `.await` the request there, or make the call \
     from `tokio::task::spawn_blocking`";

/// The SDK's runtime for blocking calls, started on first use; or why it could not start.
static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// The background runtime: a few worker threads of its own, I/O and timers on. Its
/// threads never block on a caller, so a caller waiting on it cannot deadlock it.
fn runtime() -> Result<&'static tokio::runtime::Runtime, &'static str> {
    RUNTIME
        .get_or_init(|| {
            let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .thread_name("portone-blocking")
                .enable_all()
                .build()
                .map_err(|e| format!("the SDK's background runtime could not start: {e}"))
        })
        .as_ref()
        .map_err(String::as_str)
}

/// Whether this thread is running async code right now. Tokio gives every task it polls
/// (and `block_on`'s future) a cooperative budget, and runs `spawn_blocking` closures and
/// plain threads without one; it offers no direct way to ask, so this takes budget units
/// until one is refused (a budget holds at most 255) and then puts them all back.
fn in_async_context() -> bool {
    let mut cx = Context::from_waker(Waker::noop());
    let mut taken = Vec::new();
    let mut refused = false;
    for _ in 0..=u8::MAX {
        match tokio::task::coop::poll_proceed(&mut cx) {
            Poll::Ready(unit) => taken.push(unit),
            Poll::Pending => {
                refused = true;
                break;
            }
        }
    }
    // Each unit restores the budget as it was when it was taken: put back the last first.
    while let Some(unit) = taken.pop() {
        drop(unit);
    }
    refused
}

/// Runs `future` on the background runtime and waits for its output on this thread.
fn run<F>(future: F) -> Result<F::Output, &'static str>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if in_async_context() {
        return Err(IN_ASYNC_CONTEXT);
    }
    let runtime = runtime()?;
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    runtime.spawn(async move {
        let _ = sender.send(future.await);
    });
    // The task drops its sender without sending only if the future panicked.
    receiver.recv().map_err(|_| "the request panicked on the SDK's background runtime")
}

/// Waits for a call's future (say `request.send_with_response()`, or any future of the
/// SDK) on the background runtime; see the [module docs](self).
pub fn wait<F, T, E>(future: F) -> Result<T, Error<E>>
where
    F: Future<Output = Result<T, Error<E>>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    run(future).unwrap_or_else(|reason| Err(blocking_error(reason)))
}

fn blocking_error<E>(reason: &str) -> Error<E> {
    Error::InvalidInput(InvalidInputError::new(OPERATION, reason))
}

/// Sending a request without `.await`: implemented for every request builder of the SDK.
pub trait SendBlocking {
    /// The call's result, as `.await` would give it.
    type Output;

    /// Sends the request on the SDK's background runtime and waits for the outcome:
    /// what `.await` gives, retries, time limits and tokens included.
    fn send_blocking(self) -> Self::Output;
}

impl<B, T, E> SendBlocking for B
where
    B: IntoFuture<Output = Result<T, Error<E>>>,
    B::IntoFuture: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    type Output = Result<T, Error<E>>;

    fn send_blocking(self) -> Self::Output {
        wait(self.into_future())
    }
}

/// Reading a paged list without `.await`: implemented for the streams of every list
/// request's `pages()` and `items()`.
pub trait IterBlocking<T, E>: Sized {
    /// An iterator that fetches each page when it is reached, as the stream does; an
    /// error is its last item.
    fn iter_blocking(self) -> BlockingIter<T, E>;
}

impl<S, T, E> IterBlocking<T, E> for S
where
    S: Stream<Item = Result<T, Error<E>>> + Send + 'static,
{
    fn iter_blocking(self) -> BlockingIter<T, E> {
        BlockingIter { stream: Some(Box::pin(self)) }
    }
}

/// A paged list's stream, boxed so that the iterator's type does not name it.
type BoxStream<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>;

/// The items of a paged list's stream, read one at a time on the background runtime.
#[must_use = "an iterator fetches nothing until it is read"]
pub struct BlockingIter<T, E> {
    /// `None` once the stream ended, failed, or could not be read.
    stream: Option<BoxStream<T, E>>,
}

impl<T, E> std::fmt::Debug for BlockingIter<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingIter").field("ended", &self.stream.is_none()).finish()
    }
}

impl<T: Send + 'static, E: Send + 'static> Iterator for BlockingIter<T, E> {
    type Item = Result<T, Error<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut stream = self.stream.take()?;
        match run(async move {
            let item = stream.next().await;
            (stream, item)
        }) {
            Ok((stream, item)) => {
                // An error is the stream's last item, as it is for the stream.
                if matches!(item, Some(Ok(_))) {
                    self.stream = Some(stream);
                }
                item
            }
            Err(reason) => Some(Err(blocking_error(reason))),
        }
    }
}

impl RawRequest<UntypedError> {
    /// [`RawRequest::send`] without `.await` (feature `blocking`).
    pub fn send_blocking<T: DeserializeOwned + Send + 'static>(self) -> Result<Response<T>, Error<UntypedError>> {
        wait(self.send::<T>())
    }
}

impl RawRequest<EnvelopeError> {
    /// [`RawRequest::send`] without `.await` (feature `blocking`).
    pub fn send_blocking<T: DeserializeOwned + Send + 'static>(self) -> Result<Response<T>, Error<EnvelopeError>> {
        wait(self.send::<T>())
    }
}

/// The background runtime, for the test kit's mock started without async code.
#[cfg(feature = "testing")]
pub(crate) fn handle() -> std::io::Result<tokio::runtime::Handle> {
    if in_async_context() {
        return Err(std::io::Error::other(IN_ASYNC_CONTEXT));
    }
    runtime().map(|r| r.handle().clone()).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_thread_is_not_async_and_a_task_is() {
        assert!(!in_async_context());
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        assert!(rt.block_on(async { in_async_context() }));
        // The budget taken to ask is put back: a second question gets the same answer.
        assert!(rt.block_on(async { in_async_context() && in_async_context() }));
        assert!(!rt.block_on(async { tokio::task::spawn_blocking(in_async_context).await.unwrap() }));
    }
}
