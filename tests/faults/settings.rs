//! What the caller's settings can and cannot weaken (issue 18, items 1, 3, 4 and 7): an
//! HTTP client the caller brings still follows no redirect, `Retry-After` in every form,
//! extreme durations in every setter, and proxies that would read a plain-http secret.

use super::*;
use portone_sdk::reqwest;
use portone_sdk::v2::ClientBuilder;

/// A `reqwest` builder as a caller would bring it: reqwest's defaults (which follow up
/// to ten redirects), no proxy from the environment.
fn callers_http() -> reqwest::ClientBuilder {
    reqwest::Client::builder().no_proxy()
}

/// The status of a call's error, as a number.
fn status_of<T: std::fmt::Debug, E: std::fmt::Debug>(outcome: &Result<T, Error<E>>) -> Option<u16> {
    outcome.as_ref().err().and_then(Error::status).map(|s| s.as_u16())
}

// A client built from the caller's own `reqwest` builder follows no redirect: not the
// login (its body holds the secret), not a call (its `Authorization` header), not a POST
// whose body holds a billing key.
#[tokio::test(start_paused = true)]
async fn a_callers_http_client_follows_no_redirect() {
    let watch = Watch::start(Duration::from_secs(60));
    let elsewhere = FaultServer::start(|_, _| json(200, &json!({"accessToken": "stolen"}))).await;
    let to = elsewhere.uri();
    let server =
        FaultServer::start(move |seen, _| http(307, &[("location", &format!("{to}{}", seen.path()))], b"")).await;
    let with_tokens = Client::builder(SECRET)
        .base_url(server.uri())
        .http_client(callers_http())
        .retry_policy(fast())
        .access_tokens()
        .build()
        .expect("client");
    let login = with_tokens.payment().get_payment("pay-1").await;
    assert!(matches!(&login, Err(Error::Auth(e)) if e.status().map(|s| s.as_u16()) == Some(307)), "{login:?}");

    let plain = Client::builder(SECRET)
        .base_url(server.uri())
        .http_client(callers_http())
        .retry_policy(fast())
        .build()
        .expect("client");
    let call = plain.payment().get_payment("pay-1").await;
    assert_eq!(status_of(&call), Some(307), "{call:?}");
    let card = plain.payment().pay_with_billing_key("pay-1", billing_payment()).await;
    assert_eq!(status_of(&card), Some(307), "{card:?}");
    assert_eq!(server.seen().len(), 3, "one login, one GET, one POST");
    assert!(elsewhere.seen().is_empty(), "a redirect was followed: {:?}", elsewhere.seen());
    watch.check(&[call], &server, &[]);
    watch.check(&[login], &server, &[]);
    watch.check(&[card], &server, &[]);
}

/// A server answering 503 with `headers` to the first request and 200 after.
async fn busy_then_ok(headers: Vec<(&'static str, String)>) -> FaultServer {
    FaultServer::start(move |_, n| {
        if n > 0 {
            return json(200, &json!({"status": "NEW_STATUS", "id": "pay-1"}));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        http(503, &headers, b"")
    })
    .await
}

// A `Retry-After` the client cannot honour (too large, negative, a fraction, text, a
// date centuries away) ends the call at once with the server's answer, as a wait past the
// cap does: never a quick retry against a server that asked for a wait.
#[tokio::test(start_paused = true)]
async fn a_retry_after_that_cannot_be_honoured_ends_the_call() {
    let cases = [
        ("99999999999999999999", Some(Duration::MAX)),
        ("18446744073709551615", Some(Duration::from_secs(u64::MAX))),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
    ];
    for (value, asked) in cases {
        let server = busy_then_ok(vec![("retry-after", value.to_owned())]).await;
        let watch = Watch::start(Duration::ZERO);
        let client = client(&server).build().expect("client");
        let outcome = client.payment().get_payment("pay-1").await;
        assert_eq!(status_of(&outcome), Some(503), "{value:?}: {outcome:?}");
        assert_eq!(server.seen().len(), 1, "{value:?} was retried");
        let err = outcome.as_ref().expect_err("503");
        assert_eq!(err.retry_after(), asked, "{value:?}");
        assert!(err.is_retryable(), "{value:?}: the answer asks for a retry, later");
        watch.check(&[outcome], &server, &[]);
    }
    let far = busy_then_ok(vec![("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT".into())]).await;
    let outcome = client(&far).build().expect("client").payment().get_payment("pay-1").await;
    assert_eq!((status_of(&outcome), far.seen().len()), (Some(503), 1), "{outcome:?}");
    assert!(outcome.expect_err("503").retry_after() > Some(Duration::from_secs(3600 * 24 * 365 * 7000)));
}

// An HTTP date is measured from the answer's own `Date`, so the local clock's skew does
// not matter: here the server's clock is in 1994.
#[tokio::test(start_paused = true)]
async fn a_retry_after_date_is_measured_from_the_answers_date() {
    let date = ("date", "Sun, 06 Nov 1994 08:49:37 GMT".to_owned());
    let server = busy_then_ok(vec![date.clone(), ("retry-after", "Sun, 06 Nov 1994 08:49:39 GMT".into())]).await;
    let watch = Watch::start(Duration::from_secs(3));
    let outcome =
        client(&server).timeout(Duration::from_secs(3)).build().expect("client").payment().get_payment("pay-1").await;
    assert!(outcome.is_ok(), "{outcome:?}");
    let waited = watch.started.elapsed();
    assert!(waited >= Duration::from_secs(2) && waited < Duration::from_millis(2100), "{waited:?}");
    assert_eq!(server.seen().len(), 2);
    watch.check(&[outcome], &server, &[]);

    // Two hours after the server's `Date`, past the 3 s cap: the call ends, although by
    // the local clock that moment is long past.
    let server = busy_then_ok(vec![date, ("retry-after", "Sun, 06 Nov 1994 10:49:37 GMT".into())]).await;
    let outcome = client(&server).build().expect("client").payment().get_payment("pay-1").await;
    assert_eq!((status_of(&outcome), server.seen().len()), (Some(503), 1), "{outcome:?}");
    assert_eq!(outcome.expect_err("503").retry_after(), Some(Duration::from_secs(7200)));

    // An unreadable `Date`: the local clock decides (an HTTP date has whole seconds, so
    // "in 2 s" is one to two seconds away).
    let in_two = httpdate(std::time::SystemTime::now() + Duration::from_secs(2));
    let server = busy_then_ok(vec![("date", "yesterday".into()), ("retry-after", in_two)]).await;
    let watch = Watch::start(Duration::from_secs(3));
    let outcome =
        client(&server).timeout(Duration::from_secs(3)).build().expect("client").payment().get_payment("pay-1").await;
    assert!(outcome.is_ok(), "{outcome:?}");
    let waited = watch.started.elapsed();
    assert!(waited >= Duration::from_millis(950) && waited <= Duration::from_secs(2), "{waited:?}");
    watch.check(&[outcome], &server, &[]);
}

// Zero for one of the client's time limits is refused by `build`: every call would end
// before it is sent.
#[test]
fn a_zero_client_time_limit_is_refused_by_build() {
    type Setter = fn(ClientBuilder) -> ClientBuilder;
    let setters: [(&str, Setter); 3] = [
        ("timeout", |b| b.timeout(Duration::ZERO)),
        ("attempt_timeout", |b| b.attempt_timeout(Duration::ZERO)),
        ("connect_timeout", |b| b.connect_timeout(Duration::ZERO)),
    ];
    for (name, set) in setters {
        let err = set(Client::builder(SECRET)).build().expect_err(name);
        assert!(matches!(err, portone_sdk::ConfigError::ZeroTimeout { setting } if setting == name), "{err:?}");
        assert!(err.to_string().contains(name), "{err}");
    }
    let v1 = portone_sdk::v1::Client::builder("k", "s").timeout(Duration::ZERO).build();
    assert!(matches!(v1, Err(portone_sdk::ConfigError::ZeroTimeout { setting: "timeout" })), "{v1:?}");
}

// Zero for a call's own time limit ends the call at once with a timeout; nothing is sent.
#[tokio::test(start_paused = true)]
async fn a_zero_call_time_limit_times_out_at_once_and_sends_nothing() {
    let server = busy_then_ok(Vec::new()).await;
    let watch = Watch::start(Duration::ZERO);
    let client = client(&server).build().expect("client");
    let total = client.payment().get_payment("pay-1").timeout(Duration::ZERO).await;
    let attempt = client.payment().cancel_payment("pay-1", cancel()).attempt_timeout(Duration::ZERO).await;
    let raw =
        client.raw(reqwest::Method::GET, "/payments/pay-1").timeout(Duration::ZERO).send::<serde_json::Value>().await;
    for err in [total.as_ref().err().map(|e| e as &dyn std::fmt::Debug), attempt.as_ref().err().map(|e| e as _)] {
        let text = format!("{err:?}");
        assert!(text.contains("Timeout"), "{text}");
    }
    assert!(matches!(&total, Err(Error::Transport(e)) if e.is_timeout() && !e.is_connect()), "{total:?}");
    assert!(matches!(&attempt, Err(Error::Transport(e)) if e.is_timeout()), "{attempt:?}");
    assert!(matches!(&raw, Err(Error::Transport(e)) if e.is_timeout()), "{raw:?}");
    assert!(!total.as_ref().expect_err("zero").is_retryable());
    assert!(server.seen().is_empty(), "sent: {:?}", server.seen());
    watch.check(&[total], &server, &[]);
}

/// One duration setting of a client or a call, for the extreme-value test.
type Setting = (&'static str, fn(ClientBuilder, Duration) -> ClientBuilder);

// Every duration a caller sets, at `Duration::MAX` and (where `build` accepts it) zero,
// against a server that answers 503 with the largest `Retry-After`, then 503, then 200:
// each call ends, none panics, and none waits past its deadline.
#[tokio::test(start_paused = true)]
async fn extreme_durations_end_every_call_without_panic() {
    let settings: [Setting; 7] = [
        ("timeout", |b, d| b.timeout(d)),
        ("attempt_timeout", |b, d| b.attempt_timeout(d)),
        ("connect_timeout", |b, d| b.connect_timeout(d)),
        ("base_delay", |b, d| b.retry_policy(RetryPolicy { base_delay: d, ..fast() })),
        ("max_delay", |b, d| b.retry_policy(RetryPolicy { max_delay: d, ..fast() })),
        ("max_retry_after", |b, d| b.retry_policy(RetryPolicy { max_retry_after: d, ..fast() })),
        ("every delay", |b, d| {
            b.retry_policy(RetryPolicy { base_delay: d, max_delay: d, max_retry_after: d, ..fast() })
        }),
    ];
    for (name, set) in settings {
        for extreme in [Duration::MAX, Duration::ZERO] {
            let server = FaultServer::start(|_, n| match n {
                0 => http(503, &[("retry-after", "18446744073709551615")], b""),
                1 => http(503, &[], b""),
                _ => json(200, &json!({"status": "NEW_STATUS", "id": "pay-1"})),
            })
            .await;
            let builder = set(client(&server).timeout(Duration::from_secs(2)), extreme);
            let client = match builder.build() {
                Ok(client) => client,
                Err(e) => {
                    assert!(extreme.is_zero(), "{name} = {extreme:?}: {e}");
                    continue;
                }
            };
            let watch = Watch::start(Duration::from_secs(2));
            let outcome = client.payment().get_payment("pay-1").await;
            assert!(!server.seen().is_empty(), "{name} = {extreme:?}");
            watch.check(&[outcome], &server, &[]);
        }
    }
    // The call's own limits, and a policy that waits as long as any server asks within a
    // call that has no limit either.
    let server = busy_then_ok(vec![("retry-after", "18446744073709551615".into())]).await;
    let unbounded = RetryPolicy { max_retry_after: Duration::MAX, ..fast() };
    let endless = client(&server).timeout(Duration::MAX).retry_policy(unbounded).build().expect("client");
    let outcome = endless.payment().get_payment("pay-1").timeout(Duration::MAX).attempt_timeout(Duration::MAX).await;
    assert_eq!((status_of(&outcome), server.seen().len()), (Some(503), 1), "{outcome:?}");
    let server = busy_then_ok(Vec::new()).await;
    let outcome = client(&server).build().expect("client").payment().get_payment("pay-1").timeout(Duration::MAX).await;
    assert!(outcome.is_ok(), "{outcome:?}");
}

/// A fake forward proxy: it records what reaches it and answers 502.
async fn fake_proxy() -> FaultServer {
    FaultServer::start(|_, _| http(502, &[], b"")).await
}

// A proxy the caller configured never sees a plain-http call: to a loopback base URL or
// to one named with `allow_http_host`, the secret, the login body and the token go
// straight to the server.
#[tokio::test(start_paused = true)]
async fn no_proxy_sees_a_plain_http_secret() {
    let proxy = fake_proxy().await;
    let server = FaultServer::start(|seen, _| match seen.path() {
        "/login/api-secret" => json(200, &json!({"accessToken": jwt(1, 3600.0), "refreshToken": "r1"})),
        _ => json(200, &json!({"status": "NEW_STATUS", "id": "pay-1"})),
    })
    .await;
    let through = || reqwest::Client::builder().proxy(reqwest::Proxy::all(proxy.uri()).expect("proxy URL"));
    let loopback = Client::builder(SECRET).base_url(server.uri()).http_client(through()).access_tokens();
    let outcome = loopback.build().expect("client").payment().get_payment("pay-1").await;
    assert!(outcome.is_ok(), "{outcome:?}");
    let named = format!("http://portone.internal:{}", server.addr.port());
    let internal = Client::builder(SECRET)
        .base_url(named)
        .allow_http_host("portone.internal")
        .http_client(through().resolve("portone.internal", ([127, 0, 0, 1], 0).into()));
    let outcome = internal.build().expect("client").payment().get_payment("pay-1").await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(proxy.seen().is_empty(), "the proxy saw {:?}", proxy.seen());
    assert_eq!(server.seen().len(), 3, "a login, then two calls");
}

// Through an https base URL the caller's proxy is still used: it is asked for a tunnel
// and sees the host, never the secret.
#[tokio::test(start_paused = true)]
async fn an_https_call_still_goes_through_the_callers_proxy() {
    let proxy = fake_proxy().await;
    let http = reqwest::Client::builder().proxy(reqwest::Proxy::all(proxy.uri()).expect("proxy URL"));
    let client = Client::builder(SECRET)
        .base_url("https://api.portone.internal")
        .http_client(http)
        .max_retries(0)
        .build()
        .expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    assert!(matches!(&outcome, Err(Error::Transport(_))), "{outcome:?}");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("CONNECT", "api.portone.internal:443"));
    assert_hidden(&format!("{seen:?}"), &[SECRET]);
}

/// Set in the child process that [`the_sdks_own_client_ignores_http_proxy_for_plain_http`] runs.
const PROXY_CHILD: &str = "PORTONE_TEST_PROXY_CHILD";

// `HTTP_PROXY` and `ALL_PROXY` name a fake proxy, in a child process of this test binary
// (the environment is the whole process's, and the tests run on parallel threads): the
// client the SDK builds itself sends a loopback plain-http call straight to the server.
#[tokio::test]
async fn the_sdks_own_client_ignores_http_proxy_for_plain_http() {
    let proxy = fake_proxy().await;
    let url = proxy.uri();
    let exe = std::env::current_exe().expect("the test binary");
    let child = "settings::child_with_http_proxy_in_the_environment";
    let output = tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(exe);
        command.args(["--exact", child, "--ignored", "--test-threads=1"]).env(PROXY_CHILD, "1");
        for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
            command.env(name, &url);
        }
        command.env_remove("NO_PROXY").env_remove("no_proxy").output()
    })
    .await
    .expect("joined")
    .expect("the child ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = format!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && stdout.contains("1 passed"), "{report}");
    assert!(proxy.seen().is_empty(), "the proxy saw {:?}", proxy.seen());
}

// The child's half of the test above; on its own (no proxy variables) it does nothing.
#[tokio::test]
#[ignore = "run by the_sdks_own_client_ignores_http_proxy_for_plain_http in a child process"]
async fn child_with_http_proxy_in_the_environment() {
    if std::env::var_os(PROXY_CHILD).is_none() {
        return;
    }
    let server = FaultServer::start(|_, _| json(200, &json!({"status": "NEW_STATUS", "id": "pay-1"}))).await;
    let client = Client::builder(SECRET).base_url(server.uri()).max_retries(0).build().expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(server.seen().len(), 1);
    assert_eq!(server.seen()[0].header("authorization"), Some(format!("PortOne {SECRET}").as_str()));
}
