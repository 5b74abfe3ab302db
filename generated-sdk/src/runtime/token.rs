//! Access tokens an API issues to its own clients (PortOne V1's `getToken`): fetched on
//! first need, cached, renewed ahead of expiry, and fetched once however many calls are
//! waiting. Which operation, fields and header are used comes from the generated client.

use super::secret::Secret;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Where a token comes from and how it is sent, as the generated client describes it.
#[derive(Debug)]
pub(crate) struct TokenConfig {
    /// Header the token is sent in, as the whole value (`Authorization`).
    pub(crate) header: &'static str,
    /// Operation that issues tokens (`getToken`), for errors and logs.
    pub(crate) operation: &'static str,
    /// Its path; it is called with POST and a JSON body of the credentials.
    pub(crate) path: &'static str,
    /// Body fields and values sent to obtain a token (`imp_key`, `imp_secret`).
    pub(crate) credentials: Vec<(&'static str, Secret)>,
    /// Field of the issued data holding the token.
    pub(crate) token_field: &'static str,
    /// Field with the expiry, UNIX seconds on the server's clock.
    pub(crate) expires_at_field: &'static str,
    /// Field with the server's clock when it issued the token, UNIX seconds.
    pub(crate) now_field: &'static str,
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
    renew_at: Instant,
}

/// The token cache of one client.
pub(crate) struct TokenSource {
    pub(crate) config: TokenConfig,
    pub(crate) header: HeaderName,
    cache: Mutex<Option<Cached>>,
    generations: std::sync::atomic::AtomicU64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource").field("config", &self.config).finish_non_exhaustive()
    }
}

/// What a token response held, or why it could not be read.
pub(crate) struct Issued {
    /// The token as a header value, marked sensitive.
    pub(crate) value: HeaderValue,
    /// How long the token lives, by the server's own clock (`expires_at - now`).
    pub(crate) lifetime: Duration,
}

impl TokenSource {
    pub(crate) fn new(config: TokenConfig) -> Option<Self> {
        let header = HeaderName::from_bytes(config.header.as_bytes()).ok()?;
        Some(TokenSource { config, header, cache: Mutex::new(None), generations: Default::default() })
    }

    /// The cached token if it is still good; otherwise `fetch` is awaited for a new one
    /// while every other caller waits for its result, so one renewal serves them all.
    pub(crate) async fn get<F, Fut, E>(&self, fetch: F) -> Result<Token, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Issued, E>>,
    {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref().filter(|c| Instant::now() < c.renew_at) {
            return Ok(cached.token.clone());
        }
        let received = Instant::now();
        let issued = fetch().await?;
        let generation = self.generations.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let token = Token { value: issued.value, generation };
        // Measured on our monotonic clock from when we asked: the server's clock is only
        // used for the lifetime, so a skewed local wall clock changes nothing.
        let renew_at = received + issued.lifetime - margin(issued.lifetime);
        *cache = Some(Cached { token: token.clone(), renew_at });
        Ok(token)
    }

    /// Forget `token` (the server refused it), unless a newer one already replaced it.
    pub(crate) async fn invalidate(&self, token: &Token) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| c.token.generation == token.generation) {
            *cache = None;
        }
    }

    /// The JSON body that asks for a token.
    pub(crate) fn request_body(&self) -> Vec<u8> {
        let map: serde_json::Map<String, serde_json::Value> = self
            .config
            .credentials
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.expose().to_owned())))
            .collect();
        serde_json::to_vec(&map).unwrap_or_default()
    }

    /// Read the issued token from the operation's data (`{access_token, expired_at, now}`).
    pub(crate) fn read_issued(&self, data: &[u8]) -> Result<Issued, String> {
        let value: serde_json::Value =
            serde_json::from_slice(data).map_err(|e| format!("the token data is not JSON: {e}"))?;
        let c = &self.config;
        let token = value.get(c.token_field).and_then(serde_json::Value::as_str);
        let expires_at = value.get(c.expires_at_field).and_then(serde_json::Value::as_i64);
        let now = value.get(c.now_field).and_then(serde_json::Value::as_i64);
        match (token, expires_at, now) {
            (Some(token), Some(expires_at), Some(now)) if !token.is_empty() => {
                let mut value = HeaderValue::from_str(token)
                    .map_err(|_| "the token cannot be sent in an HTTP header".to_string())?;
                value.set_sensitive(true);
                let lifetime = Duration::from_secs(expires_at.saturating_sub(now).max(0) as u64);
                Ok(Issued { value, lifetime })
            }
            _ => {
                Err(format!("the token data lacks `{}`, `{}` or `{}`", c.token_field, c.expires_at_field, c.now_field))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> TokenSource {
        TokenSource::new(TokenConfig {
            header: "authorization",
            operation: "getToken",
            path: "/users/getToken",
            credentials: vec![("imp_key", Secret::new("k".into())), ("imp_secret", Secret::new("s".into()))],
            token_field: "access_token",
            expires_at_field: "expired_at",
            now_field: "now",
        })
        .unwrap()
    }

    #[test]
    fn lifetime_comes_from_the_servers_clock_alone() {
        let s = source();
        // The server's clock is a day behind ours: only the difference matters.
        let issued = s.read_issued(br#"{"access_token":"t","expired_at":1001800,"now":1000000}"#).ok().unwrap();
        assert_eq!(issued.lifetime, Duration::from_secs(1800));
        assert!(s.read_issued(br#"{"access_token":"t","now":1}"#).is_err());
        assert_eq!(margin(Duration::from_secs(1800)), RENEW_MARGIN);
        assert_eq!(margin(Duration::from_secs(4)), Duration::from_secs(2));
    }

    #[test]
    fn the_request_body_holds_the_credentials() {
        let body: serde_json::Value = serde_json::from_slice(&source().request_body()).unwrap();
        assert_eq!(body, serde_json::json!({"imp_key": "k", "imp_secret": "s"}));
    }
}
