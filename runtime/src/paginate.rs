//! Streams over paged lists. The generated request builders say how to get from one
//! page's request and response to the next request; this module fetches pages as the
//! stream is read, stops on the last page, and stops too when a next request would
//! repeat one already made (a server repeating a page or cursor), so it never loops.

use crate::BoxStream;
use futures_core::Stream;
use futures_util::StreamExt as _;
use std::collections::BTreeSet;
use std::future::Future;

struct State<R, F, N, K> {
    next: Option<R>,
    seen: BTreeSet<String>,
    fetch: F,
    advance: N,
    key: K,
}

/// Every page, starting with `first` (as `unfold_pages` reads them), boxed: the stream is `Send`
/// and `'static` by these bounds, proved here once rather than for each paged
/// operation where the SDK is compiled.
pub fn pages<R, P, E, F, N, K>(first: R, fetch: F, advance: N, key: K) -> BoxStream<Result<P, E>>
where
    R: Clone + Send + 'static,
    P: Send + 'static,
    E: Send + 'static,
    F: Fn(R) -> crate::BoxFuture<Result<P, E>> + Send + 'static,
    N: Fn(&R, &P) -> Option<R> + Send + 'static,
    K: Fn(&R) -> String + Send + 'static,
{
    Box::pin(unfold_pages(first, fetch, advance, key))
}

/// Every page, starting with `first`. `advance` gives the request for the page after a
/// response, or `None` on the last page; `key` names a request's position (page number,
/// cursor) so that a request already made is not made again. An error ends the stream
/// after it is yielded.
fn unfold_pages<R, P, E, F, Fut, N, K>(first: R, fetch: F, advance: N, key: K) -> impl Stream<Item = Result<P, E>>
where
    R: Clone,
    F: Fn(R) -> Fut,
    Fut: Future<Output = Result<P, E>>,
    N: Fn(&R, &P) -> Option<R>,
    K: Fn(&R) -> String,
{
    let seen = BTreeSet::from([key(&first)]);
    let state = State { next: Some(first), seen, fetch, advance, key };
    futures_util::stream::unfold(state, |mut state| async move {
        let request = state.next.take()?;
        match (state.fetch)(request.clone()).await {
            Ok(page) => {
                if let Some(next) = (state.advance)(&request, &page) {
                    if state.seen.insert((state.key)(&next)) {
                        state.next = Some(next);
                    } else {
                        tracing::debug!("the server repeated a page; stopping");
                    }
                }
                Some((Ok(page), state))
            }
            Err(e) => Some((Err(e), state)),
        }
    })
}

/// The items of every page, in order.
pub fn items<P, T, E, I>(pages: BoxStream<Result<P, E>>, items_of: I) -> BoxStream<Result<T, E>>
where
    P: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    I: Fn(P) -> Vec<T> + Send + 'static,
{
    Box::pin(flatten(pages, items_of))
}

fn flatten<P, T, E, S, I>(pages: S, items_of: I) -> impl Stream<Item = Result<T, E>>
where
    S: Stream<Item = Result<P, E>>,
    I: Fn(P) -> Vec<T>,
{
    pages.flat_map(move |page| {
        let batch: Vec<Result<T, E>> = match page {
            Ok(page) => items_of(page).into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        };
        futures_util::stream::iter(batch)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect<S: Stream>(s: S) -> Vec<S::Item> {
        let mut s = std::pin::pin!(s);
        let mut out = Vec::new();
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        loop {
            match s.as_mut().poll_next(&mut cx) {
                std::task::Poll::Ready(Some(x)) => out.push(x),
                std::task::Poll::Ready(None) => return out,
                std::task::Poll::Pending => panic!("ready futures only"),
            }
        }
    }

    #[test]
    fn stops_on_the_last_page_and_on_a_repeat() {
        // Pages 0..3 of two items each; page 2 is the last.
        let fetch = |n: u32| -> crate::BoxFuture<_> { Box::pin(async move { Ok::<_, ()>((n, vec![n * 10, n * 10 + 1])) }) };
        let next = |n: &u32, _: &(u32, Vec<u32>)| (*n < 2).then_some(n + 1);
        let got = collect(items(pages(0u32, fetch, next, |n| n.to_string()), |(_, v)| v));
        assert_eq!(got, [0, 1, 10, 11, 20, 21].map(Ok));
        // A server that always points back at page 1 is read once per page.
        let looping = |_: &u32, _: &(u32, Vec<u32>)| Some(1);
        assert_eq!(collect(pages(0u32, fetch, looping, |n| n.to_string())).len(), 2);
    }

    #[test]
    fn an_error_ends_the_stream() {
        let fetch = |n: u32| -> crate::BoxFuture<_> { Box::pin(async move { if n == 1 { Err("boom") } else { Ok(n) } }) };
        let got = collect(pages(0u32, fetch, |n, _| Some(n + 1), |n| n.to_string()));
        assert_eq!(got, [Ok(0), Err("boom")]);
    }
}
