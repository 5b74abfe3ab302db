//! A scripted HTTP/1.1 server on 127.0.0.1 for fault injection: each request it reads is
//! recorded, and a script decides how to misbehave in answer (hang before the headers,
//! hang or drip mid-body, reset the connection, send a huge or truncated body, or answer
//! normally). Every answer closes its connection, so each attempt is one connection.

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

/// An HTTP/1.1 response with `Connection: close` and a `Content-Length`.
pub fn http(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut out = format!("HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    Answer::Raw(bytes)
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
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("address");
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let script: Arc<Script> = Arc::new(script);
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (record, script) = (record.clone(), script.clone());
                tokio::spawn(async move { serve(stream, record, script).await });
            }
        });
        FaultServer { addr, seen, task }
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

async fn serve(mut stream: TcpStream, record: Arc<Mutex<Vec<Seen>>>, script: Arc<Script>) {
    let Some(request) = read_request(&mut stream).await else { return };
    let answer = {
        let mut seen = record.lock().unwrap();
        let before = seen.iter().filter(|s| s.path() == request.path()).count();
        seen.push(request.clone());
        script(&request, before)
    };
    act(stream, answer).await;
}

async fn act(mut stream: TcpStream, answer: Answer) {
    match answer {
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
