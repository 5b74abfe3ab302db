//! Secret values a server echoes back (issue 18, item 5): the credentials and the
//! current tokens are replaced by `<redacted>` in every error's `Display`, `Debug`,
//! source chain and kept body, in the forms JSON and serde write them in, and in raw
//! answers from token operations; a value of an `x-sensitive` field that does not
//! decode is never quoted. Values shorter than 8 characters are left alone.

use super::*;
use portone_sdk::reqwest;
use portone_sdk::v1::types::GetTokenBody;

/// Everything an error shows, its kept body included.
fn shown<E: std::fmt::Debug + std::fmt::Display>(err: &Error<E>) -> String
where
    Error<E>: std::error::Error,
{
    let mut text = everything_printed(err);
    if let Some(body) = err.body() {
        text.push_str(&String::from_utf8_lossy(body));
    }
    if let Error::Auth(auth) = err {
        text.push_str(&String::from_utf8_lossy(auth.body().unwrap_or_default()));
    }
    text
}

fn v1_with(server: &FaultServer, imp_secret: &str) -> portone_sdk::v1::Client {
    portone_sdk::v1::Client::builder("imp-key-Public-3141", imp_secret)
        .base_url(server.uri())
        .http_client(direct_http())
        .retry_policy(fast())
        .build()
        .expect("client")
}

// The issue's example: getToken answers that the secret it names is not valid. The error
// of the call that needed the token shows the message, not the secret.
#[tokio::test(start_paused = true)]
async fn a_token_endpoint_echoing_imp_secret() {
    let watch = Watch::start(Duration::from_secs(2));
    let message = format!("imp_secret {IMP_SECRET} is not valid");
    let server = FaultServer::start(move |_, _| json(401, &json!({"code": -1, "message": message}))).await;
    let client = v1_client(&server, Duration::from_secs(2));
    let outcome = client.payment().get_payment_by_imp_uid("imp_1").await;
    let err = outcome.as_ref().expect_err("refused");
    let text = shown(err);
    assert!(text.contains("imp_secret <redacted> is not valid"), "{text}");
    let Error::Auth(auth) = err else { panic!("{err:?}") };
    let body = String::from_utf8_lossy(auth.body().expect("kept"));
    assert_eq!(body, r#"{"code":-1,"message":"imp_secret <redacted> is not valid"}"#);
    assert_hidden(&text, &[IMP_SECRET]);
    watch.check(&[outcome], &server, &[]);
}

// A V2 error answer naming the API secret, and a success body that does not decode
// because the secret sits where a number belongs (serde quotes it).
#[tokio::test(start_paused = true)]
async fn a_v2_answer_echoing_the_api_secret() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|seen, _| match seen.path() {
        "/payments/pay-1" => {
            json(400, &json!({"type": "INVALID_REQUEST", "message": format!("secret {SECRET} unknown")}))
        }
        _ => json(200, &json!({"count": SECRET})),
    })
    .await;
    let client = client(&server).build().expect("client");
    let api = client.payment().get_payment("pay-1").await;
    let err = api.as_ref().expect_err("400");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let text = shown(err);
    assert!(text.contains("secret <redacted> unknown"), "{text}");
    assert_hidden(&text, &[SECRET]);

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Count {
        count: u32,
    }
    let decode = client.raw(reqwest::Method::GET, "/count").send::<Count>().await;
    let err = decode.as_ref().expect_err("not a number");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    let text = shown(err);
    assert!(text.contains("invalid type: string \"<redacted>\""), "{text}");
    assert!(std::error::Error::source(err).is_some(), "the serde error is still the source");
    assert_hidden(&text, &[SECRET]);
    watch.check(&[api], &server, &[]);
    watch.check(&[decode], &server, &[]);
}

const ACCESS: &str = "v1-access-Token-9090";
const REFRESH: &str = "refresh-Token-Long-0042";

// Error answers naming the tokens the client holds: V1's access token, V2's access
// token (a JWT) and refresh token.
#[tokio::test(start_paused = true)]
async fn answers_echoing_the_current_tokens() {
    let watch = Watch::start(Duration::from_secs(4));
    let access = jwt(7, 1800.0);
    let v2_access = access.clone();
    let server = FaultServer::start(move |seen, _| match seen.path() {
        "/users/getToken" => {
            json(200, &json!({"code": 0, "response": {"access_token": ACCESS, "now": 1000, "expired_at": 2800}}))
        }
        "/login/api-secret" => json(200, &json!({"accessToken": v2_access, "refreshToken": REFRESH})),
        "/payments/imp_1" => json(200, &json!({"code": -1, "message": format!("token {ACCESS} has expired")})),
        _ => json(
            403,
            &json!({"type": "FORBIDDEN", "message": format!("token {v2_access} with refresh {REFRESH} refused")}),
        ),
    })
    .await;
    let v1 = v1_client(&server, Duration::from_secs(2));
    let first = v1.payment().get_payment_by_imp_uid("imp_1").await;
    let text = shown(first.as_ref().expect_err("code -1"));
    assert!(text.contains("token <redacted> has expired"), "{text}");
    assert_hidden(&text, &[ACCESS]);
    let v2 = client(&server).access_tokens().build().expect("client");
    let second = v2.payment().get_payment("pay-1").await;
    let text = shown(second.as_ref().expect_err("403"));
    assert!(text.contains("token <redacted> with refresh <redacted> refused"), "{text}");
    assert_hidden(&text, &[&access, REFRESH]);
    watch.check(&[first], &server, &[ACCESS]);
    watch.check(&[second], &server, &[&access, REFRESH]);
}

// A secret with a quote, a backslash and a non-ASCII letter, echoed as JSON writes it:
// escaped as serde_json does, with `\uXXXX` for the letter, with an escape no encoder
// would choose (`\u0069` for `i`), and percent-encoded in an echoed URL.
#[tokio::test(start_paused = true)]
async fn echoes_in_json_escaped_and_percent_encoded_forms() {
    const ODD: &str = "imp-\"odd\"\\secret-\u{fc}-77";
    let watch = Watch::start(Duration::from_secs(8));
    let escaped = serde_json::to_string(ODD).expect("json");
    let bodies = [
        format!(r#"{{"code":-1,"message":"bad {}"}}"#, &escaped[1..escaped.len() - 1]),
        r#"{"code":-1,"message":"bad imp-\"odd\"\\secret-\u00fc-77"}"#.to_owned(),
        r#"{"code":-1,"message":"bad \u0069mp-\"odd\"\\secret-\u00FC-77"}"#.to_owned(),
        r#"{"code":-1,"message":"see /users/getToken?imp_secret=imp-%22odd%22%5Csecret-%C3%BC-77"}"#.to_owned(),
    ];
    let count = bodies.len();
    let server = FaultServer::start(move |_, n| http(401, &[], bodies[n % count].as_bytes())).await;
    let mut outcomes = Vec::new();
    for _ in 0..count {
        // A new client each time: a failed login is kept for 2 s.
        let client = v1_with(&server, ODD);
        let outcome = client.payment().get_payment_by_imp_uid("imp_1").await;
        let text = shown(outcome.as_ref().expect_err("refused"));
        assert!(text.contains("<redacted>"), "{text}");
        assert_hidden(&text, &[ODD, "odd", "secret-"]);
        outcomes.push(outcome);
    }
    assert_eq!(server.seen_at("/users/getToken").len(), count);
    watch.check(&outcomes, &server, &[]);
}

// A secret shorter than 8 characters is not looked for in text: it would blank ordinary
// words. (Field-name masking still applies to it.)
#[tokio::test(start_paused = true)]
async fn a_short_secret_does_not_blank_ordinary_text() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| {
        json(400, &json!({"type": "INVALID_REQUEST", "message": "test payments need a test store"}))
    })
    .await;
    let client = Client::builder("test").base_url(server.uri()).http_client(direct_http()).build().expect("client");
    let outcome = client.payment().get_payment("pay-1").await;
    let text = shown(outcome.as_ref().expect_err("400"));
    assert!(text.contains("test payments need a test store"), "{text}");
    assert!(!text.contains("<redacted>"), "{text}");
    watch.check(&[outcome], &server, &[]);
}

// A raw request to the token operation: its answer (which holds the client's current
// token, as V1 repeats a valid one, and here echoes the secret) comes back with both
// replaced; so does an error answer from it.
#[tokio::test(start_paused = true)]
async fn raw_answers_from_the_token_operation() {
    let watch = Watch::start(Duration::from_secs(4));
    let server = FaultServer::start(|seen, n| match (seen.path(), n) {
        ("/users/getToken", 0 | 1) => json(
            200,
            &json!({"code": 0, "response": {"access_token": ACCESS, "now": 1000, "expired_at": 2800,
                "note": format!("issued for {IMP_SECRET}")}}),
        ),
        ("/users/getToken", _) => json(401, &json!({"code": -1, "message": format!("imp_secret {IMP_SECRET} bad")})),
        _ => v1_paid_payment(),
    })
    .await;
    let client = v1_client(&server, Duration::from_secs(2));
    client.payment().get_payment_by_imp_uid("imp_1").await.expect("the token is held");
    let body = json!({"imp_key": "imp-key", "imp_secret": IMP_SECRET});
    let answer = client.raw(reqwest::Method::POST, "/users/getToken").json(&body).send::<serde_json::Value>().await;
    let answer = answer.expect("answered");
    assert_eq!(answer.body()["access_token"], "<redacted>");
    assert_eq!(answer.body()["note"], "issued for <redacted>");
    assert_hidden(&format!("{answer:?}"), &[ACCESS, IMP_SECRET]);
    let refused = client.raw(reqwest::Method::POST, "/users/getToken").json(&body).send::<serde_json::Value>().await;
    let text = shown(refused.as_ref().expect_err("refused"));
    assert!(text.contains("imp_secret <redacted> bad"), "{text}");
    assert_hidden(&text, &[ACCESS, IMP_SECRET]);
    watch.check(&[refused], &server, &[ACCESS]);
}

// A card-number-like value where an `x-sensitive` string belongs (`access_token` of
// getToken's answer): the decode error says what kind of value came, never the value.
#[tokio::test(start_paused = true)]
async fn a_sensitive_field_of_the_wrong_type_is_not_quoted() {
    let watch = Watch::start(Duration::from_secs(2));
    let server = FaultServer::start(|_, _| {
        let data = json!({"access_token": 4242424242424242u64, "now": 1000, "expired_at": 2800});
        json(200, &json!({"code": 0, "response": data}))
    })
    .await;
    let client = v1_client(&server, Duration::from_secs(2));
    let outcome = client.auth().get_token(GetTokenBody::new("imp-key", IMP_SECRET)).await;
    let err = outcome.as_ref().expect_err("not a string");
    assert_hidden(&shown(err), &["4242424242424242", "42424242"]);
    let Error::Decode(decode) = err else { panic!("{err:?}") };
    assert!(decode.message().contains("invalid type: an integer"), "{}", decode.message());
    assert!(std::error::Error::source(err).is_some());
    watch.check(&[outcome], &server, &["4242424242424242", "42424242"]);
}
