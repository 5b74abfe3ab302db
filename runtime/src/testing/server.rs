//! The mock's HTTP side: hyper's HTTP/1.1 server on the listener, and for each request
//! the choice of an answer (an expectation, a token, or "unmatched") and its record.

use super::{Answer, ApiShape, MockRequest, Rule, Shared, TOKEN_LIFETIME, TokenShape, UNMATCHED_TYPE};
use crate::EnvelopeNames;
use crate::token::TokenExpiry;
use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode, header};
use serde_json::{Map, Value};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, SystemTime};

/// The largest request body read; a larger one is answered 413.
const MAX_BODY: usize = 16 << 20;

/// What recorded secrets read.
use crate::redact::REDACTED;

/// Accepts connections until the task is aborted; dropping the task drops the set of
/// connection tasks, which aborts them too.
pub(super) async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let shared = shared.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(answer(&shared, request).await) }
            });
            // A client that breaks the connection or speaks nonsense ends only its own.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let too_large = Answer {
                status: 413,
                content_type: "text/plain; charset=utf-8".into(),
                body: Bytes::from_static(b"the request body is too large or could not be read"),
                delay: Duration::ZERO,
            };
            return response(too_large);
        }
    };
    let answer = decide(shared, &parts, body);
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    response(answer)
}

fn response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = header::HeaderValue::from_str(&answer.content_type) {
        if !answer.content_type.is_empty() {
            response.headers_mut().insert(header::CONTENT_TYPE, value);
        }
    }
    response
}

/// Records the request and picks its answer.
fn decide(shared: &Shared, parts: &hyper::http::request::Parts, body: Bytes) -> Answer {
    let raw_path = parts.uri.path();
    let api = shared.state().apis.iter().find(|a| is_under(raw_path, a.prefix)).cloned();
    let path = match &api {
        Some(api) => &raw_path[api.prefix.len()..],
        None => raw_path,
    };
    let secret_fields = api.as_ref().and_then(|a| a.token).map_or(&[][..], |t| t.secret_fields);
    let mut request = MockRequest {
        operation: None,
        method: parts.method.as_str().to_owned(),
        path: path.to_owned(),
        path_params: Vec::new(),
        query: decode_query(parts.uri.query().unwrap_or_default(), secret_fields),
        headers: parts.headers.iter().map(|(name, value)| recorded_header(name.as_str(), value.as_bytes())).collect(),
        body: redact_body(body, secret_fields),
    };
    let prefix = api.as_ref().map(|a| a.prefix);

    // Expectations that fit the request, in order; their own matchers run without the
    // lock held, since they may look at the mock themselves.
    let candidates: Vec<Candidate> = {
        let state = shared.state();
        state
            .rules
            .iter()
            .filter(|rule| rule.remaining != Some(0) && Some(rule.prefix) == prefix)
            .filter(|rule| rule.method == request.method)
            .filter_map(|rule| {
                let params = match_template(rule.template, path)?;
                fits(rule, &params, &request.query).then(|| Candidate {
                    rule: rule.hits.clone(),
                    operation: rule.operation,
                    params,
                    matcher: rule.matcher.clone(),
                })
            })
            .collect()
    };
    let mut accepted = Vec::new();
    for mut candidate in candidates {
        if let Some(matcher) = candidate.matcher.take() {
            request.operation = Some(candidate.operation);
            request.path_params = std::mem::take(&mut candidate.params);
            let matches = matcher(&request);
            candidate.params = std::mem::take(&mut request.path_params);
            if !matches {
                continue;
            }
        }
        accepted.push(candidate);
    }
    request.operation = None;

    let mut state = shared.state();
    for candidate in accepted {
        // Found again by identity: expectations may have come or gone meanwhile.
        let Some(rule) = state.rules.iter_mut().find(|r| Arc::ptr_eq(&r.hits, &candidate.rule)) else { continue };
        match &mut rule.remaining {
            Some(0) => continue,
            Some(n) => *n -= 1,
            None => {}
        }
        rule.hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let answer = rule.answer.clone();
        request.operation = Some(rule.operation);
        request.path_params = candidate.params;
        state.requests.push(request);
        return answer;
    }

    if let Some(api) = &api {
        if let Some(token) = &api.token {
            let refresh = token.refresh.as_ref().filter(|r| r.path == path);
            if request.method == "POST" && (path == token.path || refresh.is_some()) {
                state.tokens_issued += 1;
                let answer = token_answer(api, token, state.tokens_issued);
                request.operation = Some(refresh.map_or(token.operation, |r| r.operation));
                state.requests.push(request);
                return answer;
            }
        }
    }

    let mut message = format!("no expectation of the mock matches {} {}", request.method, request.path);
    let expected: Vec<String> = state
        .rules
        .iter()
        .filter(|rule| Some(rule.prefix) == prefix)
        .map(|rule| {
            let params = rule.path.iter().map(|(n, v)| format!(" {n}={v}")).collect::<String>();
            format!("{} {} {}{params}", rule.operation, rule.method, rule.template)
        })
        .collect();
    if expected.is_empty() {
        message.push_str(" (it has no expectations for this API)");
    } else {
        message.push_str(&format!(" (expected: {})", expected.join("; ")));
    }
    state.requests.push(request);
    let json = match api.as_ref().and_then(|a| a.envelope) {
        Some(names) => envelope(names, -1, Some(message), Value::Null),
        None => serde_json::json!({ "type": UNMATCHED_TYPE, "message": message }),
    };
    Answer {
        status: 404,
        content_type: "application/json".into(),
        body: super::to_bytes(&json).into(),
        delay: Duration::ZERO,
    }
}

/// An expectation that fits a request by method and path, before its own matcher runs.
struct Candidate {
    /// The expectation, known by its counter.
    rule: Arc<AtomicUsize>,
    operation: &'static str,
    params: Vec<(String, String)>,
    matcher: Option<Arc<super::Matcher>>,
}

/// `{code, message, data}` under the API's names.
pub(super) fn envelope(names: EnvelopeNames, code: i64, message: Option<String>, data: Value) -> Value {
    let mut map = Map::new();
    map.insert(names.code.into(), code.into());
    map.insert(names.message.into(), message.map_or(Value::Null, Value::String));
    map.insert(names.data.into(), data);
    Value::Object(map)
}

/// A fresh token (with a refresh token, when the API has them) valid for
/// [`TOKEN_LIFETIME`] by the system clock.
fn token_answer(api: &ApiShape, token: &TokenShape, serial: u64) -> Answer {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
    let expires = now + TOKEN_LIFETIME.as_secs();
    let mut data = Map::new();
    match token.expiry {
        TokenExpiry::Fields { expires_at, now: now_field } => {
            data.insert(token.token_field.into(), format!("mock-token-{serial}").into());
            data.insert(expires_at.into(), expires.into());
            data.insert(now_field.into(), now.into());
        }
        TokenExpiry::Jwt => {
            let part = |json: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
            let claims = format!(r#"{{"sub":"mock-{serial}","iat":{now},"exp":{expires}}}"#);
            let jwt =
                format!("{}.{}.{}", part(r#"{"alg":"none","typ":"JWT"}"#.into()), part(claims), part("mock".into()));
            data.insert(token.token_field.into(), jwt.into());
        }
    }
    if let Some(refresh) = &token.refresh {
        data.insert(refresh.field.into(), format!("mock-refresh-{serial}").into());
    }
    let json = match api.envelope {
        Some(names) => envelope(names, 0, None, Value::Object(data)),
        None => Value::Object(data),
    };
    Answer {
        status: 200,
        content_type: "application/json".into(),
        body: super::to_bytes(&json).into(),
        delay: Duration::ZERO,
    }
}

/// Whether `path` lies under `prefix` (`/v2/payments` under `/v2`, not `/v20`).
fn is_under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The parameters of `path` when it has the template's shape: as many segments, equal
/// literals, and a non-empty segment for each `{name}` (percent-decoded).
fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (mut wanted, mut got) = (template.split('/'), path.split('/'));
    let mut params = Vec::new();
    loop {
        match (wanted.next(), got.next()) {
            (None, None) => return Some(params),
            (Some(want), Some(segment)) => match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(_) if segment.is_empty() => return None,
                Some(name) => params.push((name.to_owned(), decode(segment))),
                None if want == segment => {}
                None => return None,
            },
            _ => return None,
        }
    }
}

/// The rule's own path and query values are all there.
fn fits(rule: &Rule, params: &[(String, String)], query: &[(String, String)]) -> bool {
    rule.path.iter().all(|wanted| params.contains(wanted)) && rule.query.iter().all(|wanted| query.contains(wanted))
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `a=1&b=x+y` as decoded pairs, secret values masked.
fn decode_query(query: &str, secret_fields: &[&str]) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(&name.replace('+', " "));
            let value = if secret_fields.contains(&name.as_str()) {
                REDACTED.to_owned()
            } else {
                decode(&value.replace('+', " "))
            };
            (name, value)
        })
        .collect()
}

/// A header as recorded: credentials replaced, keeping a scheme word (`PortOne`,
/// `Bearer`) so a test can tell which way the client authenticated.
fn recorded_header(name: &str, value: &[u8]) -> (String, String) {
    let value = String::from_utf8_lossy(value);
    let value = match name {
        "authorization" | "proxy-authorization" | "cookie" => match value.trim().split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {REDACTED}"),
            None => REDACTED.to_owned(),
        },
        _ => value.into_owned(),
    };
    (name.to_owned(), value)
}

/// The body with the value of every secret field of its JSON masked; kept byte for
/// byte when it has none, or is not JSON.
fn redact_body(body: Bytes, secret_fields: &[&str]) -> Bytes {
    crate::redact::mask_json_fields(&body, secret_fields).map_or(body, Bytes::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments() {
        assert_eq!(
            match_template("/payments/{paymentId}", "/payments/pay%2D1"),
            Some(vec![("paymentId".to_owned(), "pay-1".to_owned())])
        );
        assert_eq!(match_template("/payments/{paymentId}", "/payments/"), None);
        assert_eq!(match_template("/payments/{paymentId}", "/payments/a/cancel"), None);
        assert_eq!(match_template("/payments/{id}/cancel", "/payments/a/refund"), None);
        assert_eq!(match_template("/users/getToken", "/users/getToken"), Some(vec![]));
    }

    #[test]
    fn prefixes_end_at_a_slash() {
        assert!(is_under("/v2/payments", "/v2"));
        assert!(is_under("/v2", "/v2"));
        assert!(!is_under("/v20/payments", "/v2"));
    }

    #[test]
    fn secrets_are_masked_in_bodies_queries_and_headers() {
        let body = Bytes::from_static(br#"{"imp_key":"k","nested":[{"imp_secret":"s"}],"amount":1}"#);
        let masked = redact_body(body, &["imp_key", "imp_secret"]);
        let masked: Value = serde_json::from_slice(&masked).expect("JSON");
        assert_eq!(
            masked,
            serde_json::json!({ "imp_key": "<redacted>", "nested": [{ "imp_secret": "<redacted>" }], "amount": 1 })
        );
        let untouched = Bytes::from_static(b"{\"a\": 1}");
        assert_eq!(redact_body(untouched.clone(), &["imp_key"]), untouched);
        assert_eq!(
            decode_query("apiSecret=s3cr3t&q=a+b%21", &["apiSecret"]),
            vec![("apiSecret".into(), "<redacted>".into()), ("q".into(), "a b!".into())]
        );
        assert_eq!(recorded_header("authorization", b"PortOne s3cr3t").1, "PortOne <redacted>");
        assert_eq!(recorded_header("authorization", b"tok3n").1, "<redacted>");
        assert_eq!(recorded_header("tier", b"T01").1, "T01");
    }
}
