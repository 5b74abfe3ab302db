//! Access tokens an API issues to its own clients (PortOne V1's `getToken`, V2's
//! `loginViaApiSecret`): fetched on first need, cached, renewed ahead of expiry (with a
//! refresh token where the API gives one), and fetched once however many calls are
//! waiting. Which operations, fields and header are used comes from the generated client.

use super::secret::Secret;
use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// One API's token operation and how its tokens are sent: written once by the generated
/// client, and read by the client (to fetch, send and mask tokens) and by the test kit
/// (to answer the operation). Made by generated code only; its fields are not part of
/// the API.
#[derive(Clone, Copy)]
pub struct TokenShape {
    /// Header the token is sent in (`Authorization`).
    #[doc(hidden)]
    pub header: &'static str,
    /// Word before the token in the header (`Bearer`); none sends the token alone.
    #[doc(hidden)]
    pub prefix: Option<&'static str>,
    /// Operation that issues tokens (`getToken`), for errors and logs.
    #[doc(hidden)]
    pub operation: &'static str,
    /// Its path; it is called with POST and a JSON body of the credentials.
    #[doc(hidden)]
    pub path: &'static str,
    /// Body fields of the credentials sent to obtain a token (`imp_key`, `imp_secret`),
    /// in the order the client's constructor takes their values.
    #[doc(hidden)]
    pub credentials: &'static [&'static str],
    /// Field of the issued data holding the token.
    #[doc(hidden)]
    pub token_field: &'static str,
    /// Where the token's lifetime is read from.
    #[doc(hidden)]
    pub expiry: TokenExpiry,
    /// Renewal with a refresh token, if the API offers it.
    #[doc(hidden)]
    pub refresh: Option<TokenRefresh>,
    /// Every field of the token operations' bodies and answers that holds a credential
    /// or a token: masked in whatever an error or the test kit keeps of them.
    #[doc(hidden)]
    pub secret_fields: &'static [&'static str],
}

/// Names the token operation only: the rest is fixed by the API and would fill every
/// client's `Debug` with paths and field names.
impl fmt::Debug for TokenShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenShape").field("operation", &self.operation).finish_non_exhaustive()
    }
}

impl TokenShape {
    /// Whether `operation` is one of the token operations, whose answers hold secrets.
    pub(crate) fn issues(&self, operation: &str) -> bool {
        operation == self.operation || self.refresh.is_some_and(|r| r.operation == operation)
    }
}

/// A token shape with the credentials' values, in the order of its `credentials`.
#[derive(Debug)]
pub(crate) struct TokenConfig {
    pub(crate) shape: TokenShape,
    pub(crate) credentials: Vec<Secret>,
}

impl TokenConfig {
    /// The credentials' body fields with their values.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&'static str, &Secret)> {
        self.shape.credentials.iter().copied().zip(&self.credentials)
    }
}

/// Where a token's lifetime is read from.
#[derive(Clone, Copy, Debug)]
pub enum TokenExpiry {
    /// Fields of the issued data: the expiry and the server's clock when it issued the
    /// token, both UNIX seconds.
    Fields {
        /// The expiry field.
        expires_at: &'static str,
        /// The field of the server's clock.
        now: &'static str,
    },
    /// The token is a JWT: its `exp` claim, less its `iat` claim when present. A token
    /// that is not a readable JWT is used until the server refuses it.
    Jwt,
}

/// Renewal without the credentials.
#[derive(Clone, Copy, Debug)]
pub struct TokenRefresh {
    /// The renewing operation (`refreshToken`), for errors and logs.
    pub operation: &'static str,
    /// Its path; it is called with POST and a JSON body of the refresh token.
    pub path: &'static str,
    /// Field of the refresh token, in issued data and in the renewal's body.
    pub field: &'static str,
}

/// A token is renewed this long before the server says it expires, so that a call
/// made just before expiry does not arrive just after it ...
pub(crate) const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// ... but never earlier than half-way through a short lifetime.
fn margin(lifetime: Duration) -> Duration {
    RENEW_MARGIN.min(lifetime / 2)
}

/// After a failed fetch, callers that need a new token get its error at once for this
/// long instead of each asking the token operation again.
pub(crate) const FAILURE_BACKOFF: Duration = Duration::from_secs(2);

/// A token in use: the header value and a number telling it from its successors.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) value: HeaderValue,
    pub(crate) generation: u64,
}

struct Cached {
    token: Token,
    /// When to start renewing it; never, for a token whose lifetime is unknown.
    renew_at: Option<Instant>,
    /// When to stop sending it: a quarter of the renewal margin before the server's
    /// expiry, so that a call does not arrive just after it.
    use_until: Option<Instant>,
}

impl Cached {
    fn usable(&self, now: Instant) -> bool {
        self.use_until.is_none_or(|at| now < at)
    }

    fn due(&self, now: Instant) -> bool {
        self.renew_at.is_some_and(|at| now >= at)
    }
}

/// What every caller waiting on one fetch receives.
pub(crate) type Outcome<E> = Result<Token, E>;

/// The fetch state: none running, one running (its outcome is broadcast), or one that
/// failed recently (its error is handed out until the backoff passes). `renewal` marks a
/// fetch started in the background while the token was still usable.
enum Fetch<E> {
    Idle,
    Running { id: u64, renewal: bool, done: tokio::sync::watch::Sender<Option<Outcome<E>>> },
    Failed { until: Instant, renewal: bool, error: E },
}

struct State<E> {
    current: Option<Cached>,
    /// The refresh token that came with the current token, until used or refused.
    refresh: Option<Secret>,
    fetch: Fetch<E>,
}

/// The token cache of one client.
pub(crate) struct TokenSource<E> {
    pub(crate) config: TokenConfig,
    pub(crate) header: HeaderName,
    state: std::sync::Mutex<State<E>>,
    counter: std::sync::atomic::AtomicU64,
}

impl<E> fmt::Debug for TokenSource<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource").field("config", &self.config).finish_non_exhaustive()
    }
}

/// What a token response held.
pub(crate) struct Issued {
    /// The header value (prefix and token), marked sensitive.
    pub(crate) value: HeaderValue,
    /// How long the token lives, by the server's own clock, if known.
    pub(crate) lifetime: Option<Duration>,
    /// The refresh token that came with it, if any.
    pub(crate) refresh: Option<Secret>,
    /// The token alone, kept out of errors while it is the client's.
    pub(crate) token: Secret,
}

/// A fetch this caller must start: its id, and the refresh token to renew with.
pub(crate) struct Ticket {
    pub(crate) id: u64,
    pub(crate) refresh: Option<Secret>,
}

/// What a caller asking for a token is told to do.
pub(crate) enum Lookup<E> {
    /// Use this token. With a ticket, it is due for renewal: start the fetch in the
    /// background and do not wait for it.
    Ready(Token, Option<Ticket>),
    /// No usable token: start the fetch and wait for its outcome on the receiver.
    Start(Ticket, tokio::sync::watch::Receiver<Option<Outcome<E>>>),
    /// No usable token and a fetch is running: wait for its outcome.
    Wait(tokio::sync::watch::Receiver<Option<Outcome<E>>>),
    /// No usable token and the last fetch failed moments ago.
    Failed(E),
}

impl<E: Clone> TokenSource<E> {
    pub(crate) fn new(config: TokenConfig) -> Option<Self> {
        if config.credentials.len() != config.shape.credentials.len() {
            return None;
        }
        let header = HeaderName::from_bytes(config.shape.header.as_bytes()).ok()?;
        let state = State { current: None, refresh: None, fetch: Fetch::Idle };
        Some(TokenSource { config, header, state: std::sync::Mutex::new(state), counter: Default::default() })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<E>> {
        // The lock is never held across an await or a call that can panic mid-update.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The next step for a caller that needs a token now. Never waits: the lock is held
    /// only to read and update the state. A token that is still usable is always
    /// handed out, renewal or no renewal, so a slow or failing renewal delays no call.
    pub(crate) fn lookup(&self) -> Lookup<E> {
        let mut state = self.lock();
        let now = Instant::now();
        if let Some(cached) = state.current.as_ref().filter(|c| c.usable(now)) {
            let token = cached.token.clone();
            let renew = cached.due(now) && self.may_start(&state.fetch, now);
            let ticket = renew.then(|| self.start(&mut state, true).0);
            return Lookup::Ready(token, ticket);
        }
        match &state.fetch {
            Fetch::Running { done, .. } => Lookup::Wait(done.subscribe()),
            Fetch::Failed { until, error, .. } if now < *until => Lookup::Failed(error.clone()),
            _ => {
                let (ticket, receiver) = self.start(&mut state, false);
                Lookup::Start(ticket, receiver)
            }
        }
    }

    fn may_start(&self, fetch: &Fetch<E>, now: Instant) -> bool {
        match fetch {
            Fetch::Idle => true,
            Fetch::Running { .. } => false,
            Fetch::Failed { until, .. } => now >= *until,
        }
    }

    fn start(
        &self,
        state: &mut State<E>,
        renewal: bool,
    ) -> (Ticket, tokio::sync::watch::Receiver<Option<Outcome<E>>>) {
        let id = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let (done, receiver) = tokio::sync::watch::channel(None);
        state.fetch = Fetch::Running { id, renewal, done };
        (Ticket { id, refresh: state.refresh.take() }, receiver)
    }

    /// Record the outcome of fetch `id` and hand it to every caller waiting for it.
    pub(crate) fn finish(&self, id: u64, outcome: Result<Issued, E>) {
        let mut state = self.lock();
        let Fetch::Running { id: running, renewal, .. } = &state.fetch else { return };
        if *running != id {
            return;
        }
        let renewal = *renewal;
        let now = Instant::now();
        let (fetch, outcome) = match outcome {
            Ok(issued) => {
                let token = Token { value: issued.value, generation: id };
                // Measured on our monotonic clock from when it arrived: the server's clock
                // is only used for the lifetime, so a skewed local wall clock changes
                // nothing. A lifetime too long to add to the clock never expires.
                let (renew_at, use_until) = match issued.lifetime {
                    Some(lifetime) => {
                        let margin = margin(lifetime);
                        (now.checked_add(lifetime - margin), now.checked_add(lifetime - margin / 4))
                    }
                    None => (None, None),
                };
                state.current = Some(Cached { token: token.clone(), renew_at, use_until });
                state.refresh = issued.refresh;
                (Fetch::Idle, Ok(token))
            }
            Err(error) => {
                let until = now.checked_add(FAILURE_BACKOFF).unwrap_or(now);
                (Fetch::Failed { until, renewal, error: error.clone() }, Err(error))
            }
        };
        if let Fetch::Running { done, .. } = std::mem::replace(&mut state.fetch, fetch) {
            done.send_replace(Some(outcome));
        }
    }

    /// Forget `token` (the server refused it) and its refresh token, so that the next
    /// token comes from the credentials; unless a newer token already replaced it. A
    /// background renewal of it that failed is forgotten too: it failed while no call
    /// needed a new token, so the next caller logs in once instead of getting that
    /// failure. A failed login keeps its backoff, so refusals cause no login storm.
    pub(crate) fn invalidate(&self, token: &Token) {
        let mut state = self.lock();
        if state.current.as_ref().is_some_and(|c| c.token.generation == token.generation) {
            state.current = None;
            state.refresh = None;
            if matches!(state.fetch, Fetch::Failed { renewal: true, .. }) {
                state.fetch = Fetch::Idle;
            }
        }
    }

    /// The JSON body that asks for a token with the credentials.
    pub(crate) fn request_body(&self) -> Vec<u8> {
        json_body(self.config.fields())
    }

    /// The JSON body that renews with `refresh`, if the API renews.
    pub(crate) fn refresh_body(&self, refresh: &Secret) -> Option<Vec<u8>> {
        let field = self.config.shape.refresh.as_ref()?.field;
        Some(json_body([(field, refresh)]))
    }

    /// Read the issued token from an operation's data (`{access_token, expired_at, now}`,
    /// `{accessToken, refreshToken}`).
    pub(crate) fn read_issued(&self, data: &[u8]) -> Result<Issued, String> {
        let value: serde_json::Value =
            serde_json::from_slice(data).map_err(|e| format!("the token data is not JSON: {e}"))?;
        let c = &self.config.shape;
        let token = match value.get(c.token_field).and_then(serde_json::Value::as_str) {
            Some(token) if !token.is_empty() => token,
            _ => return Err(format!("the token data has no `{}`", c.token_field)),
        };
        let lifetime = match c.expiry {
            TokenExpiry::Fields { expires_at, now } => {
                let at = value.get(expires_at).and_then(whole_seconds);
                let now_at = value.get(now).and_then(whole_seconds);
                match (at, now_at) {
                    (Some(at), Some(now_at)) => Some(seconds(at.saturating_sub(now_at))),
                    _ => return Err(format!("the token data lacks `{expires_at}` or `{now}`")),
                }
            }
            TokenExpiry::Jwt => jwt_lifetime(token, SystemTime::now()),
        };
        let header = match c.prefix {
            Some(prefix) => format!("{prefix} {token}"),
            None => token.to_owned(),
        };
        let mut header =
            HeaderValue::from_str(&header).map_err(|_| "the token cannot be sent in an HTTP header".to_string())?;
        header.set_sensitive(true);
        let refresh = c.refresh.as_ref().and_then(|r| value.get(r.field)?.as_str()).filter(|t| !t.is_empty());
        let token = Secret::new(token.to_owned());
        Ok(Issued { value: header, lifetime, refresh: refresh.map(|t| Secret::new(t.to_owned())), token })
    }
}

/// A count of seconds written as an integer or as a number with a fraction (cut off);
/// out-of-range values saturate.
fn whole_seconds(value: &serde_json::Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
}

fn json_body<'a, 'b>(fields: impl IntoIterator<Item = (&'a str, &'b Secret)>) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> =
        fields.into_iter().map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.expose().to_owned()))).collect();
    serde_json::to_vec(&map).unwrap_or_default()
}

fn seconds(n: i64) -> Duration {
    Duration::from_secs(n.max(0) as u64)
}

/// A JWT's lifetime: `exp - iat` by the issuer's clock, or `exp` less our wall clock when
/// it has no `iat`. None when the token is not a JWT with a numeric `exp`.
fn jwt_lifetime(token: &str, now: SystemTime) -> Option<Duration> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    let claim = |name: &str| claims.get(name).and_then(whole_seconds);
    let exp = claim("exp")?;
    let start = match claim("iat") {
        Some(iat) => iat,
        None => now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64,
    };
    Some(seconds(exp.saturating_sub(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v1_source() -> TokenSource<String> {
        const SHAPE: TokenShape = TokenShape {
            header: "authorization",
            prefix: None,
            operation: "getToken",
            path: "/users/getToken",
            credentials: &["imp_key", "imp_secret"],
            token_field: "access_token",
            expiry: TokenExpiry::Fields { expires_at: "expired_at", now: "now" },
            refresh: None,
            secret_fields: &["imp_key", "imp_secret", "access_token"],
        };
        let credentials = vec![Secret::new("k".into()), Secret::new("s".into())];
        TokenSource::new(TokenConfig { shape: SHAPE, credentials })
        .unwrap()
    }

    fn bearer_source() -> TokenSource<String> {
        const SHAPE: TokenShape = TokenShape {
            header: "authorization",
            prefix: Some("Bearer"),
            operation: "login",
            path: "/login",
            credentials: &["apiSecret"],
            token_field: "accessToken",
            expiry: TokenExpiry::Jwt,
            refresh: Some(TokenRefresh { operation: "refresh", path: "/refresh", field: "refreshToken" }),
            secret_fields: &["apiSecret", "accessToken", "refreshToken"],
        };
        TokenSource::new(TokenConfig { shape: SHAPE, credentials: vec![Secret::new("s".into())] })
        .unwrap()
    }

    #[test]
    fn credentials_that_do_not_match_the_shape_make_no_source() {
        let source = bearer_source();
        let shape = source.config.shape;
        let two = vec![Secret::new("a".into()), Secret::new("b".into())];
        assert!(TokenSource::<String>::new(TokenConfig { shape, credentials: two }).is_none());
        assert!(TokenSource::<String>::new(TokenConfig { shape, credentials: vec![] }).is_none());
    }

    fn jwt(claims: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(r#"{"alg":"HS256"}"#), b64(claims))
    }

    #[test]
    fn lifetime_comes_from_the_servers_clock_alone() {
        let s = v1_source();
        // The server's clock is a day behind ours: only the difference matters.
        let issued = s.read_issued(br#"{"access_token":"t","expired_at":1001800,"now":1000000}"#).ok().unwrap();
        assert_eq!(issued.lifetime, Some(Duration::from_secs(1800)));
        assert_eq!(issued.value, "t");
        assert!(issued.refresh.is_none());
        assert!(s.read_issued(br#"{"access_token":"t","now":1}"#).is_err());
        assert_eq!(margin(Duration::from_secs(1800)), RENEW_MARGIN);
        assert_eq!(margin(Duration::from_secs(4)), Duration::from_secs(2));
    }

    #[test]
    fn the_request_body_holds_the_credentials() {
        let body: serde_json::Value = serde_json::from_slice(&v1_source().request_body()).unwrap();
        assert_eq!(body, serde_json::json!({"imp_key": "k", "imp_secret": "s"}));
        assert!(v1_source().refresh_body(&Secret::new("r".into())).is_none());
        let body = bearer_source().refresh_body(&Secret::new("r".into())).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            serde_json::json!({"refreshToken": "r"})
        );
    }

    #[test]
    fn a_jwt_lives_from_iat_to_exp() {
        let now = UNIX_EPOCH + Duration::from_secs(5_000_000);
        // iat and exp alone decide, whatever our clock says.
        assert_eq!(jwt_lifetime(&jwt(r#"{"iat":1000,"exp":2800}"#), now), Some(Duration::from_secs(1800)));
        // Without iat, exp is measured from our clock.
        assert_eq!(jwt_lifetime(&jwt(r#"{"exp":5000600}"#), now), Some(Duration::from_secs(600)));
        assert_eq!(jwt_lifetime(&jwt(r#"{"exp":4000000}"#), now), Some(Duration::ZERO));
        assert_eq!(jwt_lifetime(&jwt(r#"{"exp":2800.0,"iat":1000}"#), now), Some(Duration::from_secs(1800)));
        // Not a JWT with an exp: the lifetime is unknown.
        assert_eq!(jwt_lifetime(&jwt(r#"{"iat":1000}"#), now), None);
        assert_eq!(jwt_lifetime("opaque-token", now), None);
        assert_eq!(jwt_lifetime("a.!!!.c", now), None);
        assert_eq!(jwt_lifetime(&format!("{}.extra", jwt(r#"{"exp":1}"#)), now), None);
    }

    #[test]
    fn a_bearer_token_carries_its_prefix_and_refresh_token() {
        let token = jwt(r#"{"iat":1000,"exp":2800}"#);
        let data = serde_json::json!({"accessToken": token, "refreshToken": "r1"}).to_string();
        let issued = bearer_source().read_issued(data.as_bytes()).ok().unwrap();
        assert_eq!(issued.value, format!("Bearer {token}").as_str());
        assert!(issued.value.is_sensitive());
        assert_eq!(issued.lifetime, Some(Duration::from_secs(1800)));
        assert_eq!(issued.refresh.as_ref().map(Secret::expose), Some("r1"));
        let opaque = bearer_source().read_issued(br#"{"accessToken":"opaque"}"#).ok().unwrap();
        assert_eq!((opaque.lifetime, opaque.refresh.is_none()), (None, true));
        assert!(bearer_source().read_issued(br#"{"accessToken":""}"#).is_err());
    }

    #[test]
    fn absurd_lifetimes_and_fractional_seconds_do_not_panic() {
        let s = v1_source();
        let issued = s.read_issued(br#"{"access_token":"t","expired_at":9223372036854775807,"now":0}"#).ok().unwrap();
        assert_eq!(issued.lifetime, Some(Duration::from_secs(i64::MAX as u64)));
        let issued = s.read_issued(br#"{"access_token":"t","expired_at":1001800.75,"now":1000000.5}"#).ok().unwrap();
        assert_eq!(issued.lifetime, Some(Duration::from_secs(1800)));
        let issued = s.read_issued(br#"{"access_token":"t","expired_at":-9223372036854775808,"now":1}"#).ok().unwrap();
        assert_eq!(issued.lifetime, Some(Duration::ZERO));
        let now = UNIX_EPOCH + Duration::from_secs(5_000_000);
        assert_eq!(
            jwt_lifetime(&jwt(r#"{"exp":1e19}"#), now),
            Some(Duration::from_secs((i64::MAX - 5_000_000) as u64))
        );
        assert_eq!(jwt_lifetime(&jwt(r#"{"exp":1e19,"iat":-1e19}"#), now), Some(Duration::from_secs(i64::MAX as u64)));
        // A lifetime past the end of the monotonic clock never expires rather than panicking.
        for lifetime in [Duration::MAX, Duration::from_secs(i64::MAX as u64), Duration::ZERO] {
            let s = v1_source();
            let Lookup::Start(ticket, _) = s.lookup() else { panic!("no token yet: a fetch starts") };
            s.finish(ticket.id, Ok(issued_with(lifetime)));
            let usable = matches!(s.lookup(), Lookup::Ready(..));
            assert_eq!(usable, lifetime > Duration::ZERO, "{lifetime:?}");
        }
    }

    fn issued_with(lifetime: Duration) -> Issued {
        let token = Secret::new("t".into());
        Issued { value: HeaderValue::from_static("t"), lifetime: Some(lifetime), refresh: None, token }
    }

    #[tokio::test(start_paused = true)]
    async fn a_usable_token_is_handed_out_while_one_renewal_runs() {
        let s = v1_source();
        let Lookup::Start(ticket, mut done) = s.lookup() else { panic!("no token yet: a fetch starts") };
        // A second caller waits for the same fetch; it does not start one.
        let Lookup::Wait(mut also) = s.lookup() else { panic!("one fetch for all") };
        s.finish(ticket.id, Ok(issued_with(Duration::from_secs(1800))));
        let first = done.wait_for(Option::is_some).await.unwrap().clone().unwrap().unwrap();
        let second = also.wait_for(Option::is_some).await.unwrap().clone().unwrap().unwrap();
        assert_eq!((first.generation, second.generation), (ticket.id, ticket.id));
        // Until the margin the token is simply used.
        tokio::time::advance(Duration::from_secs(1739)).await;
        assert!(matches!(s.lookup(), Lookup::Ready(_, None)));
        // Inside the margin: the first caller gets the token and a renewal to start; the
        // next ones get the token alone.
        tokio::time::advance(Duration::from_secs(2)).await;
        let Lookup::Ready(token, Some(renewal)) = s.lookup() else { panic!("renewal due") };
        assert_eq!(token.generation, ticket.id);
        assert!(matches!(s.lookup(), Lookup::Ready(_, None)));
        // The renewal fails: callers keep the still-usable token, and none starts another
        // renewal until the backoff has passed.
        s.finish(renewal.id, Err("refused".to_string()));
        assert!(matches!(s.lookup(), Lookup::Ready(ref t, None) if t.generation == ticket.id));
        tokio::time::advance(FAILURE_BACKOFF).await;
        assert!(matches!(s.lookup(), Lookup::Ready(_, Some(_))));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_fetch_is_one_error_for_all_then_a_short_backoff() {
        let s = v1_source();
        let Lookup::Start(ticket, mut done) = s.lookup() else { panic!("a fetch starts") };
        let waiters: Vec<_> = (0..5)
            .map(|_| match s.lookup() {
                Lookup::Wait(receiver) => receiver,
                _ => panic!("every later caller waits for the one fetch"),
            })
            .collect();
        s.finish(ticket.id, Err("getToken refused".to_string()));
        assert_eq!(done.wait_for(Option::is_some).await.unwrap().clone().unwrap().err().unwrap(), "getToken refused");
        for mut w in waiters {
            assert!(w.wait_for(Option::is_some).await.unwrap().clone().unwrap().is_err());
        }
        // During the backoff, callers get the error at once; after it, one fetch starts again.
        assert!(matches!(s.lookup(), Lookup::Failed(ref e) if e == "getToken refused"));
        tokio::time::advance(FAILURE_BACKOFF).await;
        assert!(matches!(s.lookup(), Lookup::Start(..)));
        assert!(matches!(s.lookup(), Lookup::Wait(..)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_stale_outcome_and_a_stale_invalidation_change_nothing() {
        let s = v1_source();
        let Lookup::Start(first, _) = s.lookup() else { panic!("a fetch starts") };
        s.finish(first.id, Ok(issued_with(Duration::from_secs(1800))));
        s.finish(first.id, Err("late duplicate".to_string()));
        let Lookup::Ready(old, None) = s.lookup() else { panic!("token kept") };
        s.invalidate(&old);
        let Lookup::Start(second, _) = s.lookup() else { panic!("refused token forgotten") };
        s.finish(second.id, Ok(issued_with(Duration::from_secs(1800))));
        // The refused token's caller invalidating again must not drop the new token.
        s.invalidate(&old);
        assert!(matches!(s.lookup(), Lookup::Ready(ref t, None) if t.generation == second.id));
    }
}
