//! A successful response: the decoded body with the HTTP status and headers it came with.

/// The result of a successful call with its HTTP status and headers, from a request's
/// `send_with_response()`. Plain `.send()` / `.await` give the body alone.
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: T,
    idempotency_key: Option<String>,
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: T,
        idempotency_key: Option<String>,
    ) -> Self {
        Response { status, headers, body, idempotency_key }
    }

    /// The idempotency key the call was sent with, if the API takes one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// HTTP status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// Headers of the response.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, by value.
    pub fn into_body(self) -> T {
        self.body
    }
}
