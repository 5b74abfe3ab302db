//! Access tokens an API issues to its own clients (PortOne V1's `getToken`, V2's
//! `loginViaApiSecret`): fetched on first need, cached, renewed ahead of expiry (with a
//! refresh token where the API gives one), and fetched once however many calls are
//! waiting. Which operations, fields and header are used comes from the generated client.

use super::secret::Secret;
use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Where a token comes from and how it is sent, as the generated client describes it.
#[derive(Debug)]
pub(crate) struct TokenConfig {
    /// Header the token is sent in (`Authorization`).
    pub(crate) header: &'static str,
    /// Word before the token in the header (`Bearer`); none sends the token alone.
    pub(crate) prefix: Option<&'static str>,
    /// Operation that issues tokens (`getToken`), for errors and logs.
    pub(crate) operation: &'static str,
    /// Its path; it is called with POST and a JSON body of the credentials.
    pub(crate) path: &'static str,
    /// Body fields and values sent to obtain a token (`imp_key`, `imp_secret`).
    pub(crate) credentials: Vec<(&'static str, Secret)>,
    /// Field of the issued data holding the token.
    pub(crate) token_field: &'static str,
    /// Where the token's lifetime is read from.
    pub(crate) expiry: TokenExpiry,
    /// Renewal with a refresh token, if the API offers it.
    pub(crate) refresh: Option<TokenRefresh>,
}

/// Where a token's lifetime is read from.
#[derive(Debug)]
pub(crate) enum TokenExpiry {
    /// Fields of the issued data: the expiry and the server's clock when it issued the
    /// token, both UNIX seconds.
    Fields { expires_at: &'static str, now: &'static str },
    /// The token is a JWT: its `exp` claim, less its `iat` claim when present. A token
    /// that is not a readable JWT is used until the server refuses it.
    Jwt,
}

/// Renewal without the credentials.
#[derive(Debug)]
pub(crate) struct TokenRefresh {
    /// The renewing operation (`refreshToken`), for errors and logs.
    pub(crate) operation: &'static str,
    /// Its path; it is called with POST and a JSON body of the refresh token.
    pub(crate) path: &'static str,
    /// Field of the refresh token, in issued data and in the renewal's body.
    pub(crate) field: &'static str,
}

/// A token is renewed this long before the server says it expires, so that a call
/// made just before expiry does not arrive just after it ...
pub(crate) const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// ... but never earlier than half-way through a short lifetime.
fn margin(lifetime: Duration) -> Duration {
    RENEW_MARGIN.min(lifetime / 2)
}

/// A token in use: the header value and a number telling it from its successors.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) value: HeaderValue,
    pub(crate) generation: u64,
}

struct Cached {
    token: Token,
    /// When to renew; never, for a token whose lifetime is unknown.
    renew_at: Option<Instant>,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// The refresh token that came with the current token, until used or refused.
    refresh: Option<Secret>,
}

/// The token cache of one client.
pub(crate) struct TokenSource {
    pub(crate) config: TokenConfig,
    pub(crate) header: HeaderName,
    state: Mutex<State>,
    generations: std::sync::atomic::AtomicU64,
}

impl fmt::Debug for TokenSource {
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
}

impl TokenSource {
    pub(crate) fn new(config: TokenConfig) -> Option<Self> {
        let header = HeaderName::from_bytes(config.header.as_bytes()).ok()?;
        Some(TokenSource { config, header, state: Mutex::new(State::default()), generations: Default::default() })
    }

    /// The cached token if it is still good; otherwise `fetch` is awaited for a new one
    /// while every other caller waits for its result, so one renewal serves them all.
    /// `fetch` is given the refresh token, if one is held; it is used once at most.
    pub(crate) async fn get<F, Fut, E>(&self, fetch: F) -> Result<Token, E>
    where
        F: FnOnce(Option<Secret>) -> Fut,
        Fut: std::future::Future<Output = Result<Issued, E>>,
    {
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(cached) = state.current.as_ref().filter(|c| c.renew_at.is_none_or(|at| now < at)) {
            return Ok(cached.token.clone());
        }
        let issued = fetch(state.refresh.take()).await?;
        let generation = self.generations.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let token = Token { value: issued.value, generation };
        // Measured on our monotonic clock from when we asked: the server's clock is only
        // used for the lifetime, so a skewed local wall clock changes nothing.
        let renew_at = issued.lifetime.map(|lifetime| now + lifetime - margin(lifetime));
        state.current = Some(Cached { token: token.clone(), renew_at });
        state.refresh = issued.refresh;
        Ok(token)
    }

    /// Forget `token` (the server refused it) and its refresh token, so that the next
    /// token comes from the credentials; unless a newer token already replaced it.
    pub(crate) async fn invalidate(&self, token: &Token) {
        let mut state = self.state.lock().await;
        if state.current.as_ref().is_some_and(|c| c.token.generation == token.generation) {
            *state = State::default();
        }
    }

    /// The JSON body that asks for a token with the credentials.
    pub(crate) fn request_body(&self) -> Vec<u8> {
        json_body(self.config.credentials.iter().map(|(k, v)| (*k, v)))
    }

    /// The JSON body that renews with `refresh`, if the API renews.
    pub(crate) fn refresh_body(&self, refresh: &Secret) -> Option<Vec<u8>> {
        let field = self.config.refresh.as_ref()?.field;
        Some(json_body([(field, refresh)]))
    }

    /// Read the issued token from an operation's data (`{access_token, expired_at, now}`,
    /// `{accessToken, refreshToken}`).
    pub(crate) fn read_issued(&self, data: &[u8]) -> Result<Issued, String> {
        let value: serde_json::Value =
            serde_json::from_slice(data).map_err(|e| format!("the token data is not JSON: {e}"))?;
        let c = &self.config;
        let token = match value.get(c.token_field).and_then(serde_json::Value::as_str) {
            Some(token) if !token.is_empty() => token,
            _ => return Err(format!("the token data has no `{}`", c.token_field)),
        };
        let lifetime = match c.expiry {
            TokenExpiry::Fields { expires_at, now } => {
                let at = value.get(expires_at).and_then(serde_json::Value::as_i64);
                let now_at = value.get(now).and_then(serde_json::Value::as_i64);
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
        Ok(Issued { value: header, lifetime, refresh: refresh.map(|t| Secret::new(t.to_owned())) })
    }
}

fn json_body<'a>(fields: impl IntoIterator<Item = (&'a str, &'a Secret)>) -> Vec<u8> {
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
    let claim = |name: &str| claims.get(name).and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)));
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

    fn v1_source() -> TokenSource {
        TokenSource::new(TokenConfig {
            header: "authorization",
            prefix: None,
            operation: "getToken",
            path: "/users/getToken",
            credentials: vec![("imp_key", Secret::new("k".into())), ("imp_secret", Secret::new("s".into()))],
            token_field: "access_token",
            expiry: TokenExpiry::Fields { expires_at: "expired_at", now: "now" },
            refresh: None,
        })
        .unwrap()
    }

    fn bearer_source() -> TokenSource {
        TokenSource::new(TokenConfig {
            header: "authorization",
            prefix: Some("Bearer"),
            operation: "login",
            path: "/login",
            credentials: vec![("apiSecret", Secret::new("s".into()))],
            token_field: "accessToken",
            expiry: TokenExpiry::Jwt,
            refresh: Some(TokenRefresh { operation: "refresh", path: "/refresh", field: "refreshToken" }),
        })
        .unwrap()
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
}
