//! A local stand-in for Adobe IMS and the Places API.
//!
//! Integration tests run the real binary against it and the offline demo mode talks to it, so it is exactly as
//! strict as `PROTOCOL.md` documents Adobe to be: same checks, same order, same error codes and units. It can also
//! misbehave on request ([`Fault`]) so retries and timeouts can be tested. It accepts TCP connections itself,
//! because socket-level faults (reset, hang, truncation, trickle) need the raw socket; everything else is served
//! by hyper, one request per connection so that each request can meet its own fault.
//!
//! The server, its state and its routing live here; IMS, the Places API, the fault modes and the wire format
//! each have their own file, and `demo` is the built-in integration of the offline demo.

pub mod demo;
mod faults;
#[doc(hidden)]
pub mod fuzzing;
mod ims;
mod places;
#[cfg(test)]
mod test_support;
mod tls;
mod wire;

pub use faults::Fault;

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::fmt::{self, Write as _};
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Limited};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use faults::misbehave;
use ims::{EXCHANGE_PATH, INVALIDATE_PATH, TOKEN_PATH, TOKEN_V2_PATH};
use places::PLACES_PREFIX;
use wire::{Answer, MAX_BODY, Received, form_fields, http_date, lookup};

/// How the emulated servers behave where Adobe leaves room.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Lifetime of issued access tokens (Adobe: 24 hours).
    pub token_lifetime: Duration,
    /// The server's clock minus the real clock, to test clock skew.
    pub clock_offset_secs: i64,
    /// Serve HTTPS with a certificate from a throw-away CA made at start ([`Emulator::ca_pem`]), to
    /// measure what TLS costs a client. Socket-level faults are for plain HTTP only.
    pub tls: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            token_lifetime: Duration::from_secs(24 * 3600),
            clock_offset_secs: 0,
            tls: false,
        }
    }
}

/// A Service Account (JWT) credential as the Developer Console holds it.
#[derive(Clone)]
pub struct JwtIntegration {
    pub org_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub technical_account_id: String,
    /// The uploaded public certificates (PEM): a JWT must be signed by the key of one of them.
    pub certificates_pem: Vec<String>,
    /// Metascope names, e.g. `ent_places_sdk`.
    pub metascopes: Vec<String>,
}

impl fmt::Debug for JwtIntegration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtIntegration")
            .field("org_id", &self.org_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("technical_account_id", &self.technical_account_id)
            .field("certificates", &self.certificates_pem.len())
            .field("metascopes", &self.metascopes)
            .finish()
    }
}

/// An OAuth Server-to-Server credential.
#[derive(Clone)]
pub struct OAuthCredential {
    pub org_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: Vec<String>,
}

impl fmt::Debug for OAuthCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthCredential")
            .field("org_id", &self.org_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// One entry of `GET /libraries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub id: String,
    pub name: String,
    #[serde(rename = "customerID")]
    pub customer_id: String,
    #[serde(rename = "poiCount")]
    pub poi_count: u64,
}

/// A request as the emulator received it, secrets included, so tests can check what the client sent.
#[derive(Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// Fields of an urlencoded or multipart body.
    pub form: Vec<(String, String)>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        lookup(&self.headers, &name.to_ascii_lowercase())
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        lookup(&self.form, name)
    }
}

impl fmt::Debug for RecordedRequest {
    // Values can be secrets (client_secret, jwt_token, Authorization): show only names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names =
            |pairs: &[(String, String)]| pairs.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &names(&self.headers))
            .field("form", &names(&self.form))
            .finish()
    }
}

/// A running emulator; dropping it stops the server.
pub struct Emulator {
    ca_pem: Option<String>,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url())
            .field("requests", &self.request_count())
            .finish()
    }
}

impl Emulator {
    /// Binds 127.0.0.1 on a free port and serves from a thread of its own, with its own runtime, so that it
    /// works from synchronous tests and from inside another tokio runtime alike.
    pub fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        Emulator::start_on(config, 0)
    }

    /// As `start`, on this port of 127.0.0.1 (0: a free one).
    pub fn start_on(config: EmulatorConfig, port: u16) -> io::Result<Emulator> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let tls = if config.tls {
            Some(tls::Tls::new()?)
        } else {
            None
        };
        let (acceptor, ca_pem) = tls.map(|t| (t.acceptor, t.ca_pem)).unzip();
        let shared = Arc::new(Shared {
            base_url: format!("{}://{addr}", if config.tls { "https" } else { "http" }),
            config,
            served: Mutex::new(None),
            signing_key: std::sync::OnceLock::new(),
            state: Mutex::new(State::default()),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, started) = std::sync::mpsc::channel::<io::Result<()>>();
        let serving = Arc::clone(&shared);
        // The runtime is built, run and dropped on its own thread: a runtime dropped inside the caller's
        // runtime would panic.
        let thread = std::thread::Builder::new()
            .name("ims-emulator".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                let runtime = match runtime {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = ready.send(Err(error));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(error) => {
                            let _ = ready.send(Err(error));
                            return;
                        }
                    };
                    let _ = ready.send(Ok(()));
                    // The key that signs access tokens is made here, after `start` has returned, so
                    // a caller (the demo's first frame) does not wait for RSA key generation.
                    // Connections made meanwhile wait in the listen backlog.
                    match crate::cert::generate_key() {
                        Ok(key) => {
                            let _ = serving.signing_key.set(key);
                        }
                        Err(_) => return,
                    }
                    tokio::select! {
                        () = accept_loop(listener, serving, acceptor) => {}
                        _ = stopped => {}
                    }
                });
                // Dropping the runtime drops every connection task, hung ones included.
                drop(runtime);
            })?;
        let gone = || io::Error::other("the emulator thread ended before serving");
        started.recv().unwrap_or_else(|_| Err(gone()))?;
        Ok(Emulator {
            ca_pem,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The IMS base URL, `http://127.0.0.1:PORT` (`https://` with [`EmulatorConfig::tls`]).
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// With [`EmulatorConfig::tls`], the certificate (PEM) of the CA that signed the server's: what
    /// a client must trust.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The Places API base URL.
    pub fn places_url(&self) -> String {
        format!("{}{PLACES_PREFIX}", self.url())
    }

    pub fn add_jwt_integration(&self, integration: JwtIntegration) {
        let mut state = self.shared.lock();
        state.oauth.remove(&integration.client_id);
        state.jwt.insert(integration.client_id.clone(), integration);
    }

    pub fn add_oauth_credential(&self, credential: OAuthCredential) {
        let technical_account_id = format!("{}@techacct.adobe.com", random_hex(12).to_uppercase());
        let mut state = self.shared.lock();
        state.jwt.remove(&credential.client_id);
        state.oauth.insert(
            credential.client_id.clone(),
            OAuthClient {
                credential,
                technical_account_id,
            },
        );
    }

    /// Adobe's migration of a JWT credential to OAuth Server-to-Server: client ID, secret, org and technical
    /// account carry over; the JWT exchange stops working. Does nothing for an unknown client ID.
    pub fn convert_to_oauth(&self, client_id: &str, scopes: Vec<String>) {
        let mut state = self.shared.lock();
        if let Some(integration) = state.jwt.remove(client_id) {
            let credential = OAuthCredential {
                org_id: integration.org_id,
                client_id: integration.client_id,
                client_secret: integration.client_secret,
                scopes,
            };
            let technical_account_id = integration.technical_account_id;
            state.oauth.insert(
                client_id.to_string(),
                OAuthClient {
                    credential,
                    technical_account_id,
                },
            );
        }
    }

    /// The next requests, on any path, get these faults in order instead of the normal answer.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.lock().faults.extend(faults);
    }

    /// Requests received on the two token endpoints, failed and faulted ones included.
    pub fn exchange_count(&self) -> usize {
        self.shared.lock().exchanges
    }

    pub fn request_count(&self) -> usize {
        self.shared.lock().requests
    }

    /// The libraries of this org, replacing what it had (otherwise two sample libraries). A
    /// library's POIs are made up from its `poiCount` when they are first asked for.
    pub fn set_libraries(&self, org_id: &str, libraries: Vec<Library>) {
        self.shared
            .lock()
            .libraries
            .insert(org_id.to_string(), libraries);
    }

    /// Every token issued so far becomes invalid (the gateway answers 401013).
    pub fn revoke_tokens(&self) {
        self.shared.lock().live_tokens.clear();
    }

    /// From now on, each request answered (method, path, status), in order.
    pub fn served(&self) -> std::sync::mpsc::Receiver<Served> {
        let (sender, receiver) = std::sync::mpsc::channel();
        *self
            .shared
            .served
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(sender);
        receiver
    }

    /// The last request received on this path (without query string).
    pub fn last_request(&self, path: &str) -> Option<RecordedRequest> {
        self.shared.lock().last.get(path).cloned()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[derive(Clone)]
struct OAuthClient {
    credential: OAuthCredential,
    technical_account_id: String,
}

#[derive(Default)]
struct State {
    jwt: HashMap<String, JwtIntegration>,
    oauth: HashMap<String, OAuthClient>,
    faults: VecDeque<Fault>,
    exchanges: usize,
    requests: usize,
    libraries: HashMap<String, Vec<Library>>,
    /// The POIs of each library, by library ID, made when a library is first asked for them.
    pois: HashMap<String, Vec<serde_json::Value>>,
    live_tokens: HashSet<String>,
    last: HashMap<String, RecordedRequest>,
}

/// One request as `emulator` shows it at a terminal: what was asked and how it was answered,
/// never a header or a body (where the secrets are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub method: String,
    pub path: String,
    pub status: u16,
}

struct Shared {
    config: EmulatorConfig,
    /// Where each answered request is told, once someone asks (`Emulator::served`).
    served: Mutex<Option<std::sync::mpsc::Sender<Served>>>,
    base_url: String,
    /// Set by the server thread before it accepts the first connection.
    signing_key: std::sync::OnceLock<crate::cert::PrivateKey>,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take the server down with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now_millis(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        real + self.config.clock_offset_secs * 1000
    }

    fn now_secs(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    fn record(&self, request: &Received) {
        let recorded = RecordedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            headers: request.headers.clone(),
            form: form_fields(request, true).unwrap_or_default(),
        };
        let mut state = self.lock();
        state.requests += 1;
        if [EXCHANGE_PATH, TOKEN_PATH, TOKEN_V2_PATH].contains(&request.path.as_str()) {
            state.exchanges += 1;
        }
        state.last.insert(request.path.clone(), recorded);
    }

    /// Every response carries the server's clock (so a client can see skew) and a fresh `x-debug-id`.
    fn finish(&self, mut answer: Answer) -> Answer {
        answer
            .headers
            .push(("date".into(), http_date(self.now_secs())));
        answer.headers.push(("x-debug-id".into(), random_hex(16)));
        answer
    }

    fn route(&self, request: &Received) -> Answer {
        let method = request.method.as_str();
        match request.path.as_str() {
            EXCHANGE_PATH if method == "POST" => self.exchange_jwt(request).unwrap_or_else(|a| a),
            TOKEN_PATH | TOKEN_V2_PATH if method == "POST" => {
                self.token_v3(request).unwrap_or_else(|a| a)
            }
            INVALIDATE_PATH if method == "POST" => {
                self.invalidate_token(request).unwrap_or_else(|a| a)
            }
            path if path == PLACES_PREFIX || path.starts_with(&format!("{PLACES_PREFIX}/")) => {
                self.places(request)
            }
            EXCHANGE_PATH | TOKEN_PATH | TOKEN_V2_PATH | INVALIDATE_PATH => Answer::error(
                405,
                "method_not_allowed",
                &format!("{method} is not allowed on {}", request.path),
            ),
            path => Answer::error(404, "not_found", &format!("no such resource: {path}")),
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, tls: Option<TlsAcceptor>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(Arc::clone(&shared), stream, tls.clone()));
            }
            // Out of file descriptors and the like: wait rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn serve_connection(shared: Arc<Shared>, stream: TcpStream, tls: Option<TlsAcceptor>) {
    // A fault belongs to a request: wait for one before taking it, so an idle connection consumes none.
    let mut probe = [0u8; 1];
    if !matches!(stream.peek(&mut probe).await, Ok(n) if n > 0) {
        return;
    }
    let fault = shared.lock().faults.pop_front();
    match fault {
        Some(fault) if fault.is_socket_level() => misbehave(&shared, stream, fault).await,
        fault => {
            let fault = Arc::new(Mutex::new(fault));
            let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let shared = Arc::clone(&shared);
                let fault = Arc::clone(&fault);
                async move {
                    let (parts, body) = request.into_parts();
                    let headers = parts
                        .headers
                        .iter()
                        .map(|(name, value)| {
                            (
                                name.as_str().to_string(),
                                String::from_utf8_lossy(value.as_bytes()).into(),
                            )
                        })
                        .collect();
                    let body = Limited::new(body, MAX_BODY)
                        .collect()
                        .await
                        .map(|c| c.to_bytes());
                    // Adobe's own Node client posts to `/ims/exchange/jwt/`, which IMS takes.
                    let path = parts.uri.path();
                    let path = path
                        .strip_suffix('/')
                        .filter(|p| !p.is_empty())
                        .unwrap_or(path);
                    let received = Received {
                        method: parts.method.as_str().to_string(),
                        path: path.to_string(),
                        query: parts.uri.query().unwrap_or_default().to_string(),
                        headers,
                        body: body.as_ref().cloned().unwrap_or_default(),
                    };
                    shared.record(&received);
                    let fault = fault
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .take();
                    let answer = match (fault.as_ref().and_then(Answer::fault), body) {
                        (Some(answer), _) => answer,
                        (None, Ok(_)) => shared.route(&received),
                        (None, Err(_)) => {
                            Answer::error(413, "invalid_request", "request body too large")
                        }
                    };
                    if let Some(served) = shared
                        .served
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .as_ref()
                    {
                        let _ = served.send(Served {
                            method: received.method.clone(),
                            path: received.path.clone(),
                            status: answer.status,
                        });
                    }
                    Ok::<_, Infallible>(shared.finish(answer).into_response())
                }
            });
            // Keep-alive off: every request arrives on a new connection, where it can meet a socket-level fault.
            let mut http = http1::Builder::new();
            http.keep_alive(false);
            let _ = match tls {
                None => http.serve_connection(TokioIo::new(stream), service).await,
                Some(tls) => match tls.accept(stream).await {
                    Ok(stream) => http.serve_connection(TokioIo::new(stream), service).await,
                    // A client that fails the handshake (one not trusting the CA) just goes.
                    Err(_) => return,
                },
            };
        }
    }
}

fn random_hex(bytes: usize) -> String {
    static FALLBACK: AtomicU64 = AtomicU64::new(0);
    let mut buffer = vec![0u8; bytes];
    if getrandom::fill(&mut buffer).is_err() {
        // Never expected; uniqueness is all a debug id and a token id need.
        let seed = FALLBACK.fetch_add(1, Ordering::Relaxed)
            ^ SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
        buffer
            .iter_mut()
            .enumerate()
            .for_each(|(i, byte)| *byte = (seed >> ((i % 8) * 8)) as u8);
    }
    buffer.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::test_support::*;
    use crate::emulator::wire::JSON;

    #[tokio::test]
    async fn jwt_exchange_takes_a_trailing_slash_as_adobes_node_client_sends_it() {
        let emulator = emulator();
        let token = jwt(&claims(&emulator));
        let fields = [
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("jwt_token", token.as_str()),
        ];
        let reply = post(&emulator, &format!("{EXCHANGE_PATH}/"), &fields).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
    }

    #[tokio::test]
    async fn every_response_is_json_with_a_fresh_debug_id() {
        let emulator = emulator();
        let missing = send(client().get(format!("{}/nowhere", emulator.url()))).await;
        assert_error(&missing, 404, "not_found", "/nowhere");
        let wrong_method = send(client().get(format!("{}{EXCHANGE_PATH}", emulator.url()))).await;
        assert_error(&wrong_method, 405, "method_not_allowed", "GET");
        for reply in [&missing, &wrong_method] {
            assert_eq!(reply.header("content-type"), JSON);
            assert_eq!(reply.header("x-debug-id").len(), 32);
        }
        assert_ne!(
            missing.header("x-debug-id"),
            wrong_method.header("x-debug-id")
        );
    }

    #[test]
    fn serves_synchronous_callers_and_keeps_secrets_out_of_debug() {
        use std::io::{Read, Write};
        let emulator = emulator();
        emulator.add_oauth_credential(oauth());
        let mut stream =
            std::net::TcpStream::connect(emulator.url().trim_start_matches("http://")).unwrap();
        let body = format!("client_id={CLIENT}&client_secret=p8e-sync");
        let head = "POST /ims/exchange/jwt HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded";
        write!(
            stream,
            "{head}\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        let recorded = emulator.last_request(EXCHANGE_PATH).unwrap();
        assert_eq!(recorded.field("client_secret"), Some("p8e-sync"));
        let shown = format!(
            "{emulator:?} {:?} {:?} {recorded:?}",
            integration(),
            oauth()
        );
        assert!(
            shown.contains(&emulator.url()) && shown.contains("client_secret"),
            "{shown}"
        );
        for secret in [SECRET, OAUTH_SECRET, "p8e-sync"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
