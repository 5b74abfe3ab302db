//! What the SDK tests share: a mock server on 127.0.0.1 (the only host tests talk to),
//! an HTTP client that ignores proxy settings so requests reach it, and recorded requests.
// Each test target uses a part of this module.
#![allow(dead_code)]

pub mod capture;
pub mod fault;

use portone_sdk::reqwest;
use wiremock::{MockServer, Request};

/// A wiremock server bound to a free port of 127.0.0.1.
pub async fn loopback_server() -> MockServer {
    MockServer::builder().listener(free_port()).start().await
}

/// A listener on a free port of 127.0.0.1.
pub fn free_port() -> std::net::TcpListener {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1")
}

/// An HTTP client builder with no proxy from the environment: every request goes
/// straight to the mock server.
pub fn direct_http() -> reqwest::ClientBuilder {
    reqwest::Client::builder().no_proxy()
}

/// The requests the server received for path `p`, in order.
pub async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server.received_requests().await.expect("recording on").into_iter().filter(|r| r.url.path() == p).collect()
}
