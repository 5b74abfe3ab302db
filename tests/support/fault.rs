//! A scripted HTTP/1.1 server on 127.0.0.1 for fault injection: each request it reads is
//! recorded, and a script decides how to misbehave in answer (hang before the headers,
//! hang or drip mid-body, reset the connection, send a huge or truncated body, or answer
//! normally). By default every answer closes its connection, so each attempt is one
//! connection; a server started with [`FaultServer::keep_alive`] keeps connections open
//! between answers, so that the client's pool is exercised, and counts the connections
//! it accepted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// How to answer one request.
pub enum Answer {
    /// A response with a `content-length`; the server adds `connection: close` and closes
    /// unless it keeps connections alive.
    Http { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Write the answer without announcing a close, then close the connection: a pooled
    /// connection the client still holds goes stale.
    ThenClose(Box<Answer>),
    /// Close the connection (FIN) without answering the request just read.
    Close,
    /// Write these bytes, then close.
    Raw(Vec<u8>),
    /// Never answer; keep the connection open.
    Hang,
    /// Write these bytes (a head promising more body than they hold), then hang.
    HangAfter(Vec<u8>),
    /// Write these bytes one at a time, `every` apart.
    Drip(Vec<u8>, Duration),
    /// Reset the connection (RST) without answering.
    Reset,
    /// A 200 whose chunked body of `size` bytes of JSON-ish filler never ends early.
    Huge(usize),
    /// Answer after a delay.
    After(Duration, Box<Answer>),
}

/// An HTTP/1.1 response with a `Content-Length`.
pub fn http(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let headers = headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    Answer::Http { status, headers, body: body.to_vec() }
}

/// The bytes of [`Answer::Http`], saying `connection: close` when `close`.
fn render(status: u16, headers: &[(String, String)], body: &[u8], close: bool) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    if close {
        out.push_str("connection: close\r\n");
    }
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A JSON response.
pub fn json(status: u16, body: &serde_json::Value) -> Answer {
    http(status, &[("content-type", "application/json")], body.to_string().as_bytes())
}

type Script = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// The server; dropped, it stops accepting.
pub struct FaultServer {
    pub addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// Start a server whose `script` is given each request and how many requests came
    /// to the same path before it.
    pub async fn start(script: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> FaultServer {
        Self::serving(false, Arc::new(script)).await
    }

    /// Like [`Self::start`], but an [`Answer::Http`] leaves the connection open for the
    /// client's next request.
    pub async fn keep_alive(script: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> FaultServer {
        Self::serving(true, Arc::new(script)).await
    }

    async fn serving(keep_alive: bool, script: Arc<Script>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("address");
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let accepted: Arc<AtomicUsize> = Arc::default();
        let (record, count) = (seen.clone(), accepted.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let (record, script) = (record.clone(), script.clone());
                tokio::spawn(async move { serve(stream, record, script, keep_alive).await });
            }
        });
        FaultServer { addr, seen, accepted, task }
    }

    /// How many TCP connections the server accepted.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request read so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests to `path`.
    pub fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path() == path).collect()
    }
}

/// Answer the requests of one connection: only one, unless `keep_alive` and the script
/// answers plainly.
async fn serve(mut stream: TcpStream, record: Arc<Mutex<Vec<Seen>>>, script: Arc<Script>, keep_alive: bool) {
    loop {
        let Some(request) = read_request(&mut stream).await else { return };
        let answer = {
            let mut seen = record.lock().unwrap();
            let before = seen.iter().filter(|s| s.path() == request.path()).count();
            seen.push(request.clone());
            script(&request, before)
        };
        match answer {
            Answer::Http { status, headers, body } if keep_alive => {
                if stream.write_all(&render(status, &headers, &body, false)).await.is_err() {
                    return;
                }
            }
            answer => return act(stream, answer).await,
        }
    }
}

async fn act(mut stream: TcpStream, answer: Answer) {
    match answer {
        Answer::Http { status, headers, body } => {
            let _ = stream.write_all(&render(status, &headers, &body, true)).await;
            let _ = stream.shutdown().await;
        }
        Answer::ThenClose(answer) => {
            let bytes = match *answer {
                Answer::Http { status, headers, body } => render(status, &headers, &body, false),
                Answer::Raw(bytes) => bytes,
                _ => panic!("ThenClose takes an Http or Raw answer"),
            };
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Answer::Close => {
            let _ = stream.shutdown().await;
        }
        Answer::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Answer::Hang => hang(stream).await,
        Answer::HangAfter(bytes) => {
            let _ = stream.write_all(&bytes).await;
            hang(stream).await;
        }
        Answer::Drip(bytes, every) => {
            for b in bytes {
                if stream.write_all(&[b]).await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
        }
        Answer::Reset => {
            // A zero linger makes the close a reset; blocking on drop is no concern here.
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        Answer::Huge(size) => {
            let head = "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < size {
                let n = chunk.len().min(size - sent);
                let frame = [format!("{n:x}\r\n").as_bytes(), &chunk[..n], b"\r\n"].concat();
                if stream.write_all(&frame).await.is_err() {
                    return;
                }
                sent += n;
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        Answer::After(delay, answer) => {
            tokio::time::sleep(delay).await;
            Box::pin(act(stream, *answer)).await;
        }
    }
}

/// Hold the connection open until the client gives up.
async fn hang(mut stream: TcpStream) {
    let mut sink = [0u8; 1024];
    while let Ok(n) = stream.read(&mut sink).await {
        if n == 0 {
            return;
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen { method, target, headers, body })
}
