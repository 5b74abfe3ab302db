//! A stand-in PortOne for your tests (feature `testing`): a mock server on 127.0.0.1
//! that answers the SDK's clients with values you choose, records what they sent, and a
//! signer for webhook requests.
//!
//! ```ignore
//! let mock = MockPortOne::start().await;
//! mock.on::<v2::operations::GetPayment>().path("paymentId", "pay-1").respond(payment);
//! let client = mock.client::<portone_sdk::v2::Client>();
//! // ... call your code with `client`, then look at `mock.requests()`.
//! ```
//!
//! **Expectations.** [`MockPortOne::on`] names an operation by its request type; matchers
//! ([`When::path`], [`When::query`], [`When::matching`]) narrow which requests it takes,
//! and one of the `respond` methods registers it. A request is answered by the first
//! expectation, in the order they were registered, that matches and has answers left.
//! An expectation answers any number of times unless limited with [`When::times`]; once
//! used up it steps aside for the next one, so `.times(2).respond_raw(502, ..)` followed
//! by `.respond(..)` fails twice and then succeeds.
//!
//! **Answers.** [`When::respond`] takes the operation's success type and answers 200 with
//! its JSON (V1: inside `{code: 0, message: null, response: ...}`).
//! [`When::respond_error`] takes the operation's error type and answers with the HTTP
//! status the spec documents for that case (`x-portone-status-code`; a V2 case the spec
//! gives none for, and `Unrecognized`, answer [`UNDOCUMENTED_ERROR_STATUS`]). V2 errors
//! are their JSON with the `type` tag; a V1 error is an envelope with its code and
//! message under [`UNDOCUMENTED_ERROR_STATUS`], since V1 documents no status per error
//! ([`When::status`] sets another). [`When::respond_raw`] answers any status, content
//! type and body.
//!
//! **Tokens.** The mock answers an API's token operation itself (V1's `getToken`, V2's
//! login and refresh when a client uses access tokens) with a fresh token valid for
//! 30 minutes, unless an expectation for that operation matches first.
//!
//! **Unmatched requests** are answered 404 with a message naming the method and path
//! (for V1, inside an envelope with code -1; for V2 with `type` [`UNMATCHED_TYPE`]),
//! and are recorded with no operation ([`MockPortOne::unmatched`]).
//!
//! **Records.** Every request is recorded ([`MockPortOne::requests`]) with the operation
//! that answered it. The value of the `Authorization` header is replaced by
//! `<redacted>` (keeping a scheme word such as `PortOne`), and the API's credential and
//! token fields (`imp_secret`, `apiSecret`, `access_token`, ...) are masked wherever
//! they appear in a JSON body or the query.
//!
//! **Samples.** [`sample`] gives a valid value of any response type or union case
//! (`let mut paid: PaidPayment = sample();`), to change field by field and answer with.
//!
//! The mock listens on 127.0.0.1 only, and stops when dropped.

mod sample;
mod server;

#[doc(hidden)]
pub use sample::SampleBook;
#[doc(hidden)]
pub use crate::samples;
pub use sample::{Sample, sample};

use super::{ConfigError, EnvelopeError, EnvelopeNames, RetryPolicy, UntypedError};
use crate::webhook::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Verifier, WebhookError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// The status of an error case the spec gives no status for, of `Unrecognized` cases and
/// of V1 errors: 400, a client error that the SDK does not retry.
pub const UNDOCUMENTED_ERROR_STATUS: u16 = 400;

/// The `type` of a V2 answer to a request no expectation matched.
pub const UNMATCHED_TYPE: &str = "MOCK_UNMATCHED_REQUEST";

/// How long a token the mock issues lives.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// What the mock needs to know of one API. Written by the generated code for each API's
/// client; not meant to be made elsewhere.
#[derive(Clone, Debug)]
pub struct ApiShape {
    /// The path the mock serves the API under (`/v2`).
    #[doc(hidden)]
    pub prefix: &'static str,
    /// The envelope every answer comes in, if the API has one.
    #[doc(hidden)]
    pub envelope: Option<EnvelopeNames>,
    /// The operation that issues tokens, if the API has one; its secret fields are masked
    /// in recorded requests.
    #[doc(hidden)]
    pub token: Option<TokenShape>,
}

/// An API's token operation: the one description its client uses too.
pub use crate::token::TokenShape;

/// An API the mock can serve: implemented by each API's `Client`.
pub trait MockApi: Sized {
    /// What the mock needs to know of the API.
    const SHAPE: ApiShape;

    /// A client with test credentials, sending to `base_url` through a client built from `http`.
    fn mock_client(base_url: &str, http: reqwest::ClientBuilder, retry: RetryPolicy) -> Result<Self, ConfigError>;
}

/// How an operation's success body is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuccessBody {
    /// JSON (the default).
    Json,
    /// Text: the success value, a string, as it is.
    Text,
    /// No body (V1: an envelope without data).
    Empty,
}

/// An operation the mock can answer with typed values: implemented by each request
/// builder (`v2::operations::GetPayment`).
pub trait MockOperation {
    /// The client of the operation's API.
    type Api: MockApi;
    /// What a successful call returns.
    type Output: Serialize;
    /// The operation's error type.
    type Error: MockError;
    /// The operation id (`getPayment`).
    const ID: &'static str;
    /// The HTTP method (`GET`).
    const METHOD: &'static str;
    /// The path template (`/payments/{paymentId}`).
    const PATH: &'static str;
    /// How the success body is written.
    const SUCCESS_BODY: SuccessBody = SuccessBody::Json;
}

/// An error the mock can answer with: implemented by every operation error type.
pub trait MockError {
    /// The HTTP status to answer with.
    fn status(&self) -> u16;

    /// The JSON body to answer with, for an API of this shape.
    fn to_json(&self, api: &ApiShape) -> serde_json::Value;
}

/// `MockError` for an error union: each case's status, `Unrecognized` answering
/// [`UNDOCUMENTED_ERROR_STATUS`], and the union's own JSON (its tag included) as body.
///
/// `mock_error!(GetPaymentError, Forbidden = 403, PaymentNotFound = 404);`
#[macro_export]
macro_rules! mock_error {
    ($name:ident, $($case:ident = $status:expr),* $(,)?) => {
        impl $crate::__private::testing::MockError for $name {
            fn status(&self) -> u16 {
                match self {
                    $(Self::$case(_) => $status,)*
                    Self::Unrecognized(_) => $crate::__private::testing::UNDOCUMENTED_ERROR_STATUS,
                }
            }

            fn to_json(&self, _: &$crate::__private::testing::ApiShape) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
            }
        }
    };
}

#[doc(hidden)]
pub use crate::mock_error;

impl MockError for EnvelopeError {
    /// V1 documents no status per error: [`UNDOCUMENTED_ERROR_STATUS`].
    fn status(&self) -> u16 {
        UNDOCUMENTED_ERROR_STATUS
    }

    fn to_json(&self, api: &ApiShape) -> serde_json::Value {
        let names = api.envelope.unwrap_or(EnvelopeNames { code: "code", message: "message", data: "data" });
        server::envelope(names, self.code, self.message.clone(), serde_json::Value::Null)
    }
}

impl EnvelopeError {
    /// An error with this `code` (not 0, which means success) and `message`, for a mock
    /// to answer with (feature `testing`).
    pub fn new(code: i64, message: Option<String>) -> EnvelopeError {
        EnvelopeError { code, message }
    }
}

impl MockError for UntypedError {
    /// The spec lists no errors for the operation: [`UNDOCUMENTED_ERROR_STATUS`].
    fn status(&self) -> u16 {
        UNDOCUMENTED_ERROR_STATUS
    }

    fn to_json(&self, _: &ApiShape) -> serde_json::Value {
        self.0.clone()
    }
}

/// A mock PortOne listening on 127.0.0.1; see the [module docs](self).
///
/// Start one per test with [`MockPortOne::start`]; it stops when dropped.
pub struct MockPortOne {
    shared: Arc<Shared>,
    address: SocketAddr,
    accept: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for MockPortOne {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockPortOne").field("address", &self.address).finish_non_exhaustive()
    }
}

impl Drop for MockPortOne {
    fn drop(&mut self) {
        // The accept task owns the connections' tasks, which end with it.
        self.accept.abort();
    }
}

/// What the server and the handles share.
pub(crate) struct Shared {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    apis: Vec<ApiShape>,
    rules: Vec<Rule>,
    requests: Vec<MockRequest>,
    tokens_issued: u64,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves consistent data: keep serving.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A registered expectation.
struct Rule {
    operation: &'static str,
    method: &'static str,
    prefix: &'static str,
    template: &'static str,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    matcher: Option<Arc<Matcher>>,
    remaining: Option<u32>,
    answer: Answer,
    hits: Arc<AtomicUsize>,
}

type Matcher = dyn Fn(&MockRequest) -> bool + Send + Sync;

/// What the server sends back.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    content_type: String,
    body: bytes::Bytes,
    delay: Duration,
}

impl MockPortOne {
    /// Starts a mock on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be bound, or outside a Tokio runtime; see
    /// [`MockPortOne::try_start`].
    pub async fn start() -> MockPortOne {
        match Self::try_start().await {
            Ok(mock) => mock,
            Err(e) => panic!("MockPortOne could not listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts a mock on a free port of 127.0.0.1, or says why it cannot listen.
    pub async fn try_start() -> std::io::Result<MockPortOne> {
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared { state: Mutex::new(State::default()) });
        let accept = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(MockPortOne { shared, address, accept })
    }

    /// Starts a mock from code without an async runtime (features `testing` and
    /// `blocking`): it serves from the SDK's background runtime, the one blocking calls
    /// use.
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be bound, or when called inside async code; see
    /// [`MockPortOne::try_start_blocking`].
    #[cfg(feature = "blocking")]
    pub fn start_blocking() -> MockPortOne {
        match Self::try_start_blocking() {
            Ok(mock) => mock,
            Err(e) => panic!("MockPortOne could not listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts a mock from code without an async runtime, or says why it cannot.
    #[cfg(feature = "blocking")]
    pub fn try_start_blocking() -> std::io::Result<MockPortOne> {
        let runtime = super::blocking::handle()?;
        let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let _entered = runtime.enter();
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared { state: Mutex::new(State::default()) });
        let accept = runtime.spawn(server::serve(listener, shared.clone()));
        Ok(MockPortOne { shared, address, accept })
    }

    /// The address the mock listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The base URL under which the mock serves API `A` (`http://127.0.0.1:<port>/v2`),
    /// for a client you build yourself (`Client::builder(..).base_url(..)`).
    pub fn base_url<A: MockApi>(&self) -> String {
        self.register_api(A::SHAPE);
        format!("http://{}{}", self.address, A::SHAPE.prefix)
    }

    /// A client of API `A` pointed at the mock (what `v1_client` and `v2_client` return).
    ///
    /// # Panics
    ///
    /// When the HTTP client cannot be built (its TLS backend failed to start).
    pub fn client<A: MockApi>(&self) -> A {
        let http = reqwest::Client::builder().no_proxy();
        let retry = RetryPolicy {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        A::mock_client(&self.base_url::<A>(), http, retry)
            .unwrap_or_else(|e| panic!("MockPortOne: the client could not be built: {e}"))
    }

    /// Starts an expectation for operation `O` (a request type such as
    /// `v2::operations::GetPayment`); it is registered by one of its `respond` methods.
    pub fn on<O: MockOperation>(&self) -> When<'_, O> {
        self.register_api(<O::Api as MockApi>::SHAPE);
        When {
            mock: self,
            path: Vec::new(),
            query: Vec::new(),
            matcher: None,
            times: None,
            delay: Duration::ZERO,
            status: None,
            operation: PhantomData,
        }
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.shared.state().requests.clone()
    }

    /// The requests answered by an expectation for operation `O` (or by the mock's own
    /// token answer, for a token operation).
    pub fn requests_for<O: MockOperation>(&self) -> Vec<MockRequest> {
        self.requests().into_iter().filter(|r| r.operation == Some(O::ID)).collect()
    }

    /// The requests no expectation matched.
    pub fn unmatched(&self) -> Vec<MockRequest> {
        self.requests().into_iter().filter(|r| r.operation.is_none()).collect()
    }

    /// Forgets every expectation and recorded request.
    pub fn reset(&self) {
        let mut state = self.shared.state();
        state.rules.clear();
        state.requests.clear();
    }

    fn register_api(&self, shape: ApiShape) {
        let mut state = self.shared.state();
        if !state.apis.iter().any(|a| a.prefix == shape.prefix) {
            state.apis.push(shape);
        }
    }
}

/// An expectation being set up; registered by [`When::respond`], [`When::respond_error`]
/// or [`When::respond_raw`].
#[must_use = "an expectation is registered only by one of its `respond` methods"]
pub struct When<'m, O> {
    mock: &'m MockPortOne,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    matcher: Option<Arc<Matcher>>,
    times: Option<u32>,
    delay: Duration,
    status: Option<u16>,
    operation: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for When<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("When")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("times", &self.times)
            .field("delay", &self.delay)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl<O: MockOperation> When<'_, O> {
    /// Only requests whose path parameter `name` (as the spec spells it: `paymentId`)
    /// is `value`, compared after percent-decoding.
    ///
    /// # Panics
    ///
    /// When the operation's path has no parameter `name`.
    pub fn path(mut self, name: &str, value: impl Into<String>) -> Self {
        let placeholder = format!("{{{name}}}");
        if !O::PATH.split('/').any(|segment| segment == placeholder) {
            panic!("`{}` ({} {}) has no path parameter `{name}`", O::ID, O::METHOD, O::PATH);
        }
        self.path.push((name.to_owned(), value.into()));
        self
    }

    /// Only requests whose query has parameter `name` with `value` (one of its values,
    /// for a list).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Only requests `matches` accepts (say, by their body: [`MockRequest::body`]).
    pub fn matching(mut self, matches: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Arc::new(matches));
        self
    }

    /// Answers at most `n` requests, then leaves them to later expectations (by default
    /// an expectation answers every matching request).
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Waits this long before answering, to try a client's timeouts.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Answers with this HTTP status instead of the usual one (200 for `respond`, the
    /// documented one for `respond_error`).
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Answers with `value` as the operation's success: 200 and its JSON, for V1 in the
    /// envelope.
    ///
    /// # Panics
    ///
    /// When `value` cannot be written as JSON (a map with keys that are not strings).
    pub fn respond(self, value: O::Output) -> Expectation {
        let json = serde_json::to_value(&value)
            .unwrap_or_else(|e| panic!("the answer for `{}` cannot be written as JSON: {e}", O::ID));
        let shape = <O::Api as MockApi>::SHAPE;
        let (content_type, body) = match (O::SUCCESS_BODY, shape.envelope) {
            (SuccessBody::Empty, None) => ("application/json", Vec::new()),
            (SuccessBody::Text, None) => ("text/plain; charset=utf-8", text_of(json).into_bytes()),
            (kind, Some(names)) => {
                let data = if kind == SuccessBody::Empty { serde_json::Value::Null } else { json };
                ("application/json", to_bytes(&server::envelope(names, 0, None, data)))
            }
            (SuccessBody::Json, None) => ("application/json", to_bytes(&json)),
        };
        let status = self.status.unwrap_or(200);
        self.register(status, content_type, body)
    }

    /// Answers with `error`: its documented HTTP status and its JSON (V2: with its
    /// `type` tag; V1: an envelope with its code and message).
    pub fn respond_error(self, error: O::Error) -> Expectation {
        let shape = <O::Api as MockApi>::SHAPE;
        let status = self.status.unwrap_or_else(|| error.status());
        let body = to_bytes(&error.to_json(&shape));
        self.register(status, "application/json", body)
    }

    /// Answers with exactly this status, `Content-Type` and body: a proxy's HTML page, a
    /// malformed body, an answer the types cannot express.
    ///
    /// # Panics
    ///
    /// When `status` is not between 200 and 999.
    pub fn respond_raw(self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Expectation {
        self.register(status, content_type, body.into())
    }

    fn register(self, status: u16, content_type: &str, body: Vec<u8>) -> Expectation {
        if !(200..=999).contains(&status) {
            panic!("{status} is not an HTTP status (answer for `{}`)", O::ID);
        }
        let hits = Arc::new(AtomicUsize::new(0));
        let rule = Rule {
            operation: O::ID,
            method: O::METHOD,
            prefix: <O::Api as MockApi>::SHAPE.prefix,
            template: O::PATH,
            path: self.path,
            query: self.query,
            matcher: self.matcher,
            remaining: self.times,
            answer: Answer { status, content_type: content_type.to_owned(), body: body.into(), delay: self.delay },
            hits: hits.clone(),
        };
        self.mock.shared.state().rules.push(rule);
        Expectation { operation: O::ID, hits }
    }
}

/// A registered expectation: how many requests it answered.
#[derive(Clone, Debug)]
pub struct Expectation {
    operation: &'static str,
    hits: Arc<AtomicUsize>,
}

impl Expectation {
    /// How many requests it has answered so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The operation it answers.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// A request the mock received, with secrets masked.
#[derive(Clone)]
pub struct MockRequest {
    pub(crate) operation: Option<&'static str>,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) path_params: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: bytes::Bytes,
}

impl fmt::Debug for MockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl MockRequest {
    /// The operation whose expectation answered it (`getPayment`), the token operation
    /// for a token the mock issued, `None` for an unmatched request.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }

    /// The HTTP method (`GET`).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path below the API's prefix, as sent (percent-encoded): `/payments/pay-1`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value of path parameter `name` (percent-decoded), when an expectation
    /// answered the request.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The query's pairs, decoded, in order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The first value of query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The headers, names in lowercase; `authorization` reads `<redacted>` (after its
    /// scheme word, when it has one).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body's bytes (credential fields masked).
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded from JSON into `T` (a request body type, with `serde-all`, which
    /// `testing` turns on).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// A string's text; any other JSON value as JSON text.
fn text_of(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

fn to_bytes(value: &serde_json::Value) -> Vec<u8> {
    // Writing a `Value` to memory cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// The headers PortOne sends with a webhook: `webhook-id`, `webhook-timestamp` (now) and
/// `webhook-signature` over `body` with `secret` (as in PortOne's console, `whsec_`
/// prefix or not), for feeding to the handler you test together with the same body.
///
/// Fails only for a secret that is empty or not base64.
pub fn webhook_headers(secret: &str, body: &[u8]) -> Result<reqwest::header::HeaderMap, WebhookError> {
    static MESSAGES: AtomicUsize = AtomicUsize::new(0);
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
    let id = format!("msg_mock_{}", MESSAGES.fetch_add(1, Ordering::Relaxed) + 1);
    webhook_headers_at(secret, &id, now, body)
}

/// [`webhook_headers`] with a chosen message ID and Unix timestamp (to test replays, old
/// timestamps or duplicate deliveries).
pub fn webhook_headers_at(
    secret: &str,
    id: &str,
    timestamp: u64,
    body: &[u8],
) -> Result<reqwest::header::HeaderMap, WebhookError> {
    let signature = Verifier::new(secret)?.sign(id, timestamp, body);
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in
        [(HEADER_ID, id.to_owned()), (HEADER_TIMESTAMP, timestamp.to_string()), (HEADER_SIGNATURE, signature)]
    {
        // An ID that cannot be a header value is left out, as a broken sender would.
        if let Ok(value) = reqwest::header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    Ok(headers)
}
