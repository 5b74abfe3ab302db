//! When and how long to wait before trying a call again: the policy, exponential
//! backoff with full jitter, `Retry-After`, the loop of attempts, and call-unique keys.

use reqwest::header::{DATE, HeaderMap, RETRY_AFTER};
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// How far ahead "no limit" ends: a [`later`] too far to hold on the clock is this far.
const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 3600);

/// `at + by`, never a panic: a sum past what the clock can hold is 30 years after `at`,
/// which no call waits for. Every deadline of the client is made with it.
pub(crate) fn later(at: Instant, by: Duration) -> Instant {
    at.checked_add(by).or_else(|| at.checked_add(FAR_FUTURE)).unwrap_or(at)
}

/// How a client retries failed calls.
///
/// Defaults: 2 retries (3 attempts in all), backoff starting at 500 ms and doubling up to
/// 8 s, each wait drawn at random between zero and that bound ("full jitter"), and a
/// server's `Retry-After` honoured up to 30 s (a longer one ends the call).
///
/// Any duration is accepted: `Duration::ZERO` for a delay retries at once, and
/// `Duration::MAX` means no bound; no wait ever runs past the call's `timeout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// Upper bound of the first wait; it doubles with each retry. Zero: no wait.
    pub base_delay: Duration,
    /// No wait is longer than this, however many retries came before. Zero: no wait.
    pub max_delay: Duration,
    /// The longest `Retry-After` waited for. A server asking for a longer wait, or one
    /// whose `Retry-After` cannot be read (negative, not a number or date), ends the call
    /// with its answer (see [`crate::Error::retry_after`]): retrying sooner than asked
    /// would only be refused again. Zero honours only `Retry-After: 0`.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: crate::default_setting!(max_retries),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// The upper bound of the wait before retry number `retry` (0 for the first retry).
    pub fn backoff_bound(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(31));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// The wait before retry number `retry`: the server's `Retry-After` when it gave one
    /// (none, so no retry, when it is longer than `max_retry_after` or unreadable),
    /// otherwise a random point in `[0, backoff_bound(retry)]`. `unit` is a random number
    /// in `[0, 1)`.
    pub(crate) fn delay(&self, retry: u32, retry_after: RetryAfter, unit: f64) -> Option<Duration> {
        match retry_after {
            RetryAfter::Wait(wait) => (wait <= self.max_retry_after).then_some(wait),
            RetryAfter::Unreadable => None,
            RetryAfter::Absent => {
                let bound = self.backoff_bound(retry);
                // A bound near `Duration::MAX` times 1.0 rounds past it as a float.
                let wait = Duration::try_from_secs_f64(bound.as_secs_f64() * unit.clamp(0.0, 1.0));
                Some(wait.map_or(bound, |w| w.min(bound)))
            }
        }
    }
}

/// What a response's `Retry-After` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    /// No `Retry-After`: the policy's backoff decides.
    Absent,
    /// This wait; `Duration::MAX` for a number of seconds too large to hold.
    Wait(Duration),
    /// A `Retry-After` that is neither a number of seconds nor an HTTP date (negative,
    /// a fraction, text): the server asked for a wait, but not one we can read.
    Unreadable,
}

impl RetryAfter {
    /// The wait, when one could be read.
    pub(crate) fn wait(self) -> Option<Duration> {
        match self {
            RetryAfter::Wait(wait) => Some(wait),
            RetryAfter::Absent | RetryAfter::Unreadable => None,
        }
    }
}

/// What the outcome of an attempt asks for.
pub(crate) enum Next {
    /// Hand the outcome to the caller.
    Stop,
    /// Try again, after what the server's `Retry-After` asks for.
    Retry(RetryAfter),
}

/// Make attempts until `judge` says stop, the policy's retries are used up, the server
/// asks for a wait longer than the policy allows, or the next wait would end past
/// `deadline`, sleeping between attempts on tokio's clock. `attempt`
/// is given the attempt's number (from 1) and the time left; `jitter` draws the random
/// unit of each backoff. Returns the last outcome and the number of attempts made.
/// The client calls [`run_observed`]; this form is the loop's own tests'.
#[cfg(test)]
pub(crate) async fn run<T, A, Fut>(
    policy: RetryPolicy,
    deadline: Instant,
    attempt: A,
    judge: impl Fn(&T) -> Next,
    jitter: impl FnMut() -> f64,
) -> (T, u32)
where
    A: FnMut(u32, Duration) -> Fut,
    Fut: Future<Output = T>,
{
    run_observed(policy, deadline, attempt, judge, jitter, |_, _| {}).await
}

/// What the loop knows of an attempt once it has decided what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Attempted {
    /// The attempt's number, from 1.
    pub(crate) number: u32,
    /// From the attempt's start to its outcome.
    pub(crate) elapsed: Duration,
    /// Whether another attempt follows.
    pub(crate) retrying: bool,
}

/// [`run`], telling `observe` each attempt's outcome with whether it will be retried,
/// before the wait that follows it.
pub(crate) async fn run_observed<T, A, Fut>(
    policy: RetryPolicy,
    deadline: Instant,
    mut attempt: A,
    judge: impl Fn(&T) -> Next,
    mut jitter: impl FnMut() -> f64,
    mut observe: impl FnMut(&T, Attempted),
) -> (T, u32)
where
    A: FnMut(u32, Duration) -> Fut,
    Fut: Future<Output = T>,
{
    let mut retry = 0;
    loop {
        let started = Instant::now();
        let outcome = attempt(retry + 1, deadline.saturating_duration_since(Instant::now())).await;
        let elapsed = started.elapsed();
        let delay = match judge(&outcome) {
            Next::Retry(_) if retry >= policy.max_retries => None,
            Next::Retry(retry_after) => match policy.delay(retry, retry_after, jitter()) {
                None => {
                    tracing::debug!("the server asks for a longer wait than the policy allows; not retrying");
                    None
                }
                Some(delay) => Instant::now().checked_add(delay).filter(|end| *end < deadline).map(|_| delay),
            },
            Next::Stop => None,
        };
        observe(&outcome, Attempted { number: retry + 1, elapsed, retrying: delay.is_some() });
        let Some(delay) = delay else { return (outcome, retry + 1) };
        tracing::debug!(delay_ms = delay.as_millis() as u64, "retrying");
        tokio::time::sleep(delay).await;
        retry += 1;
    }
}

/// What the `Retry-After` of a response with `headers` asks for. An HTTP date is
/// measured from the response's own `Date` when it has a readable one, so a skewed
/// local clock changes nothing; otherwise from `now`, the local clock.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> RetryAfter {
    let Some(value) = headers.get(RETRY_AFTER) else { return RetryAfter::Absent };
    let date = headers.get(DATE).and_then(|d| httpdate::parse_http_date(d.to_str().ok()?).ok());
    match value.to_str() {
        Ok(value) => parse_retry_after(value, date.unwrap_or(now)),
        Err(_) => RetryAfter::Unreadable,
    }
}

/// The wait a `Retry-After` value asks for, at `now`: delta-seconds (digits only; too
/// many for a `u64` is `Duration::MAX`), or an HTTP date in any of the three forms
/// HTTP allows (IMF-fixdate, RFC 850, asctime). A date before `now` asks for no wait.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> RetryAfter {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return RetryAfter::Wait(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
    }
    match httpdate::parse_http_date(value) {
        Ok(at) => RetryAfter::Wait(at.duration_since(now).unwrap_or(Duration::ZERO)),
        Err(_) => RetryAfter::Unreadable,
    }
}

/// A random 64-bit number from the standard library's randomly keyed hasher (seeded by
/// the OS per process), mixed with the time and a counter. Good for jitter and unique
/// keys; not for secrets.
pub(crate) fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.finish()
}

/// A random number in `[0, 1)`.
pub(crate) fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A fresh key in UUID v4 format, for an `Idempotency-Key`.
pub(crate) fn new_key() -> String {
    let (a, b) = (random_u64(), random_u64());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_bound(0), Duration::from_millis(500));
        assert_eq!(p.backoff_bound(1), Duration::from_secs(1));
        assert_eq!(p.backoff_bound(3), Duration::from_secs(4));
        assert_eq!(p.backoff_bound(4), Duration::from_secs(8));
        assert_eq!(p.backoff_bound(40), Duration::from_secs(8));
    }

    #[test]
    fn delay_is_jittered_within_the_bound() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, RetryAfter::Absent, 0.0), Some(Duration::ZERO));
        assert_eq!(p.delay(1, RetryAfter::Absent, 0.5), Some(Duration::from_millis(500)));
        assert!(p.delay(1, RetryAfter::Absent, 0.999_999) < Some(Duration::from_secs(1)));
        for _ in 0..1000 {
            assert!(p.delay(2, RetryAfter::Absent, random_unit()) <= Some(Duration::from_secs(2)));
        }
    }

    #[test]
    fn retry_after_wins_and_a_longer_one_than_the_cap_is_no_retry() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(0, RetryAfter::Wait(Duration::from_secs(3)), 0.9), Some(Duration::from_secs(3)));
        assert_eq!(p.delay(0, RetryAfter::Wait(Duration::from_secs(30)), 0.9), Some(Duration::from_secs(30)));
        assert_eq!(p.delay(0, RetryAfter::Wait(Duration::from_secs(31)), 0.9), None);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let wait = |s| RetryAfter::Wait(Duration::from_secs(s));
        assert_eq!(parse_retry_after("120", now), wait(120));
        // IMF-fixdate, RFC 850 and asctime: the three forms HTTP allows.
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), wait(10));
        assert_eq!(parse_retry_after("Sunday, 06-Nov-94 08:49:57 GMT", now), wait(20));
        assert_eq!(parse_retry_after("Sun Nov  6 08:50:07 1994", now), wait(30));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now), wait(0));
    }

    #[test]
    fn retry_after_out_of_range_or_unreadable_is_no_quick_retry() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_retry_after("18446744073709551615", now), RetryAfter::Wait(Duration::from_secs(u64::MAX)));
        assert_eq!(parse_retry_after("99999999999999999999", now), RetryAfter::Wait(Duration::MAX));
        for unreadable in ["soon", "-5", "1.5", "+3", "", "0x10", "Sun, 06 Nov 1994 25:00:00 GMT"] {
            assert_eq!(parse_retry_after(unreadable, now), RetryAfter::Unreadable, "{unreadable:?}");
        }
        let p = RetryPolicy { max_retry_after: Duration::MAX, ..RetryPolicy::default() };
        assert_eq!(p.delay(0, RetryAfter::Unreadable, 0.0), None, "whatever the cap");
        assert_eq!(p.delay(0, RetryAfter::Wait(Duration::MAX), 0.0), Some(Duration::MAX));
    }

    #[test]
    fn an_http_date_is_measured_from_the_response_date() {
        use reqwest::header::HeaderValue;
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000); // the local clock, years later
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, local), RetryAfter::Absent);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Sun, 06 Nov 1994 08:49:47 GMT"));
        assert_eq!(retry_after(&headers, local), RetryAfter::Wait(Duration::ZERO), "no Date: the local clock");
        headers.insert(DATE, HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"));
        assert_eq!(retry_after(&headers, local), RetryAfter::Wait(Duration::from_secs(10)));
        headers.insert(DATE, HeaderValue::from_static("yesterday"));
        assert_eq!(retry_after(&headers, local), RetryAfter::Wait(Duration::ZERO), "unreadable Date: the local clock");
        headers.insert(RETRY_AFTER, HeaderValue::from_bytes(b"\xff12").expect("opaque bytes"));
        assert_eq!(retry_after(&headers, local), RetryAfter::Unreadable);
    }

    #[test]
    fn extreme_policies_give_bounded_waits_without_panic() {
        let max = RetryPolicy { base_delay: Duration::MAX, max_delay: Duration::MAX, ..RetryPolicy::default() };
        assert_eq!(max.backoff_bound(40), Duration::MAX);
        for unit in [0.0, 0.5, 0.999_999, 1.0] {
            assert!(max.delay(3, RetryAfter::Absent, unit).is_some());
        }
        let zero = RetryPolicy { base_delay: Duration::ZERO, max_delay: Duration::ZERO, ..RetryPolicy::default() };
        assert_eq!(zero.delay(3, RetryAfter::Absent, 1.0), Some(Duration::ZERO));
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > later(now, Duration::from_secs(3600 * 24 * 365)));
        assert_eq!(later(now, Duration::ZERO), now);
    }

    #[test]
    fn keys_are_uuid_v4_and_distinct() {
        let a = new_key();
        let b = new_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }

    /// Run the loop on tokio's paused clock with `judge` deciding after every attempt;
    /// returns the times (from the start) at which attempts were made and the time left
    /// each was given.
    async fn attempts_at(
        policy: RetryPolicy,
        deadline: Duration,
        judge: impl Fn(&u32) -> Next,
        jitter: impl FnMut() -> f64,
    ) -> Vec<(Duration, Duration)> {
        let start = Instant::now();
        let seen = std::cell::RefCell::new(Vec::new());
        let (last, attempts) = run(
            policy,
            start + deadline,
            |n, remaining| {
                seen.borrow_mut().push((start.elapsed(), remaining));
                std::future::ready(n)
            },
            judge,
            jitter,
        )
        .await;
        let seen = seen.into_inner();
        assert_eq!((last as usize, attempts as usize), (seen.len(), seen.len()));
        seen
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[tokio::test(start_paused = true)]
    async fn waits_follow_the_backoff_and_jitter() {
        let policy = RetryPolicy { max_retries: 5, ..RetryPolicy::default() };
        let mut units = [1.0, 0.5, 0.25, 1.0, 1.0].into_iter();
        let times = attempts_at(policy, HOUR, |_| Next::Retry(RetryAfter::Absent), || units.next().unwrap()).await;
        let at: Vec<Duration> = times.iter().map(|(t, _)| *t).collect();
        // Waits of 500 ms, 1 s × 0.5, 2 s × 0.25, 4 s, then 8 s (the cap, not 16 s).
        assert_eq!(at, [ms(0), ms(500), ms(1000), ms(1500), ms(5500), ms(13_500)]);
    }

    #[tokio::test(start_paused = true)]
    async fn random_waits_stay_within_their_bounds() {
        let policy = RetryPolicy { max_retries: 8, ..RetryPolicy::default() };
        for _ in 0..50 {
            let times = attempts_at(policy, HOUR, |_| Next::Retry(RetryAfter::Absent), random_unit).await;
            assert_eq!(times.len(), 9);
            for (retry, pair) in times.windows(2).enumerate() {
                let wait = pair[1].0 - pair[0].0;
                assert!(wait <= policy.backoff_bound(retry as u32), "retry {retry} waited {wait:?}");
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_replaces_the_backoff_and_a_longer_wait_than_the_cap_ends_the_loop() {
        let policy = RetryPolicy { max_retry_after: Duration::from_secs(30), ..RetryPolicy::default() };
        let judge = |n: &u32| Next::Retry(RetryAfter::Wait(if *n == 1 { Duration::from_secs(3) } else { HOUR }));
        let times = attempts_at(policy, HOUR, judge, || 0.0).await;
        let at: Vec<Duration> = times.iter().map(|(t, _)| *t).collect();
        // 3 s as asked; then an hour is asked for, past the cap: no earlier retry.
        assert_eq!(at, [ms(0), ms(3000)]);
    }

    #[tokio::test(start_paused = true)]
    async fn no_wait_ends_past_the_deadline_and_each_attempt_gets_the_time_left() {
        let policy = RetryPolicy { max_retries: 5, ..RetryPolicy::default() };
        let times = attempts_at(policy, ms(1200), |_| Next::Retry(RetryAfter::Absent), || 1.0).await;
        // 500 ms, then 1 s: that wait would end at 1.5 s, past the deadline, so no third attempt.
        assert_eq!(times, [(ms(0), ms(1200)), (ms(500), ms(700))]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_endless_wait_under_an_endless_cap_ends_the_loop() {
        let policy = RetryPolicy { max_retry_after: Duration::MAX, ..RetryPolicy::default() };
        let start = Instant::now();
        let judge = |_: &u32| Next::Retry(RetryAfter::Wait(Duration::MAX));
        let (_, attempts) = run(policy, later(start, Duration::MAX), |n, _| std::future::ready(n), judge, || 0.0).await;
        assert_eq!(attempts, 1);
        let unreadable = |_: &u32| Next::Retry(RetryAfter::Unreadable);
        let (_, attempts) = run(policy, later(start, HOUR), |n, _| std::future::ready(n), unreadable, || 0.0).await;
        assert_eq!(attempts, 1, "an unreadable Retry-After is not retried at the backoff");
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn stop_and_zero_retries_make_one_attempt() {
        let once = attempts_at(RetryPolicy::default(), HOUR, |_| Next::Stop, || 1.0).await;
        assert_eq!(once, [(ms(0), HOUR)]);
        let none = attempts_at(RetryPolicy::none(), HOUR, |_| Next::Retry(RetryAfter::Absent), || 1.0).await;
        assert_eq!(none, [(ms(0), HOUR)]);
        let stops_later = attempts_at(
            RetryPolicy::default(),
            HOUR,
            |n| if *n < 2 { Next::Retry(RetryAfter::Absent) } else { Next::Stop },
            || 1.0,
        )
        .await;
        assert_eq!(stops_later.len(), 2);
    }
}
