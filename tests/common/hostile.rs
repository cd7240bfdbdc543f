//! A hostile server on loopback for the tests of what places-setup refuses to trust: it answers
//! every connection with the same bytes (any status, headers and body, or an endless body), and
//! counts the connections it got, so a test can also show that nothing reached it.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What the server sends after reading a request.
#[derive(Clone)]
pub enum Reply {
    /// These bytes, then the connection closes.
    Bytes(Vec<u8>),
    /// This head (status line and headers, ending in a blank line), then chunks of `x` forever.
    Endless(String),
    /// Nothing: the connection is held open until the client gives up.
    Hang,
    /// An error with this status whose JSON text (`error_description` and `message`) is the
    /// request as it came, secrets included, then this many bytes of filler: what a server that
    /// echoes what it was sent shows back.
    Echo { status: u16, filler: usize },
}

pub struct Hostile {
    pub port: u16,
    connections: Arc<AtomicUsize>,
}

impl Hostile {
    pub fn start(reply: Reply) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let reply = reply.clone();
                std::thread::spawn(move || serve(stream, reply));
            }
        });
        Hostile { port, connections }
    }

    /// A JSON answer with this status and body.
    pub fn json(status: u16, body: &str) -> Hostile {
        Hostile::start(Reply::Bytes(answer(
            status,
            "application/json",
            body.as_bytes(),
        )))
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// An HTTP/1.1 answer with a Content-Length.
pub fn answer(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn serve(mut stream: TcpStream, reply: Reply) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    // The request head (and a small form body) arrives at once on loopback.
    let mut buf = [0u8; 16 * 1024];
    let read = stream.read(&mut buf).unwrap_or(0);
    match reply {
        Reply::Echo { status, filler } => {
            let mut request = String::from_utf8_lossy(&buf[..read]).into_owned();
            let body_missing = request.split_once("\r\n\r\n").is_some_and(|(head, body)| {
                let length = head.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                });
                length.is_some_and(|n| body.len() < n)
            });
            if body_missing {
                let more = stream.read(&mut buf).unwrap_or(0);
                request.push_str(&String::from_utf8_lossy(&buf[..more]));
            }
            let text = format!("{request}{}", "z".repeat(filler));
            let body = serde_json::json!({
                "error": "invalid_client",
                "error_description": text,
                "error_code": "400000",
                "message": text,
            });
            let _ = stream.write_all(&answer(
                status,
                "application/json",
                body.to_string().as_bytes(),
            ));
        }
        Reply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes);
        }
        Reply::Endless(head) => {
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
            while stream.write_all(chunk.as_bytes()).is_ok() {}
        }
        Reply::Hang => std::thread::sleep(Duration::from_secs(120)),
    }
}
