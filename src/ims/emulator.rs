//! A local stand-in for Adobe IMS and the Places API.
//!
//! Integration tests run the real binary against it and the offline demo mode talks to it, so it is exactly as
//! strict as `PROTOCOL.md` documents Adobe to be: same checks, same order, same error codes and units. It can also
//! misbehave on request ([`Fault`]) so retries and timeouts can be tested. It accepts TCP connections itself,
//! because socket-level faults (reset, hang, truncation, trickle) need the raw socket; everything else is served
//! by hyper, one request per connection so that each request can meet its own fault.

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::fmt::{self, Write as _};
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkey::{HasPublic, PKey, PKeyRef, Private};
use openssl::rsa::Rsa;
use openssl::sign::{Signer, Verifier};
use openssl::x509::X509;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const EXCHANGE_PATH: &str = "/ims/exchange/jwt";
const TOKEN_PATH: &str = "/ims/token/v3";
const PLACES_PREFIX: &str = "/places/placesapi/v1";
const LIBRARIES_PATH: &str = "/places/placesapi/v1/libraries";
const JSON: &str = "application/json;charset=utf-8";
const MALFORMED_JWT: &str = "JWT token is incorrectly formatted, and can not be decoded.";
const MAX_BODY: usize = 1 << 20;
const MAX_HEAD: usize = 64 << 10;
/// Adobe refuses a JWT whose `exp` lies further ahead than this.
const MAX_JWT_LIFETIME_SECS: i64 = 24 * 3600;

/// How the emulated servers behave where Adobe leaves room.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Lifetime of issued access tokens (Adobe: 24 hours).
    pub token_lifetime: Duration,
    /// The server's clock minus the real clock, to test clock skew.
    pub clock_offset_secs: i64,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            token_lifetime: Duration::from_secs(24 * 3600),
            clock_offset_secs: 0,
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

/// A misbehaviour served to one request instead of the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// An answer with this status, content type, body and optional `Retry-After` header.
    Status {
        status: u16,
        content_type: String,
        body: String,
        retry_after: Option<String>,
    },
    /// 502 with an HTML page, as a proxy in front of IMS sends.
    Html,
    /// 200 with a text/plain body.
    NonJson,
    /// A `Content-Length` larger than the body, then the connection closes.
    Truncated,
    /// The request is read, then the connection is reset (RST, not FIN).
    Reset,
    /// The request is read and never answered; the socket stays open.
    Hang,
    /// The normal answer, sent at this many bytes per second.
    Trickle { bytes_per_sec: usize },
}

impl Fault {
    fn is_socket_level(&self) -> bool {
        matches!(
            self,
            Fault::Truncated | Fault::Reset | Fault::Hang | Fault::Trickle { .. }
        )
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
    addr: SocketAddr,
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
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            base_url: format!("http://{addr}"),
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
                    match Rsa::generate(2048).and_then(PKey::from_rsa) {
                        Ok(key) => {
                            let _ = serving.signing_key.set(key);
                        }
                        Err(_) => return,
                    }
                    tokio::select! {
                        () = accept_loop(listener, serving) => {}
                        _ = stopped => {}
                    }
                });
                // Dropping the runtime drops every connection task, hung ones included.
                drop(runtime);
            })?;
        let gone = || io::Error::other("the emulator thread ended before serving");
        started.recv().unwrap_or_else(|_| Err(gone()))?;
        Ok(Emulator {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The IMS base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
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

    /// What `GET /libraries` returns for this org (otherwise two sample libraries).
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
    live_tokens: HashSet<String>,
    last: HashMap<String, RecordedRequest>,
}

struct Shared {
    config: EmulatorConfig,
    base_url: String,
    /// Set by the server thread before it accepts the first connection.
    signing_key: std::sync::OnceLock<PKey<Private>>,
    state: Mutex<State>,
}

/// The credential a client ID and secret stand for.
enum Client {
    Jwt(JwtIntegration),
    OAuth(OAuthClient),
}

/// A request read off the wire, by hyper or by hand.
struct Received {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        lookup(&self.headers, name)
    }
}

/// A response before it is written; `finish` adds the headers every response carries.
struct Answer {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            content_type: content_type.to_string(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    fn json(status: u16, value: &Value) -> Answer {
        Answer::new(status, JSON, serde_json::to_vec(value).unwrap_or_default())
    }

    fn error(status: u16, error: &str, description: &str) -> Answer {
        Answer::json(
            status,
            &json!({ "error": error, "error_description": description }),
        )
    }

    /// The API gateway in front of Places has its own error shape.
    fn gateway(status: u16, code: &str, message: &str) -> Answer {
        Answer::json(status, &json!({ "error_code": code, "message": message }))
    }

    fn fault(fault: &Fault) -> Option<Answer> {
        match fault {
            Fault::Status {
                status,
                content_type,
                body,
                retry_after,
            } => {
                let mut answer = Answer::new(*status, content_type, body.as_bytes());
                if let Some(seconds) = retry_after {
                    answer.headers.push(("retry-after".into(), seconds.clone()));
                }
                Some(answer)
            }
            Fault::Html => Some(Answer::new(
                502,
                "text/html; charset=utf-8",
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            )),
            Fault::NonJson => Some(Answer::new(200, "text/plain", "OK")),
            _ => None,
        }
    }

    /// The bytes of an HTTP/1.1 response, announcing `declared_length` as its length.
    fn to_http(&self, declared_length: usize) -> Vec<u8> {
        let reason = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\n",
            self.status, self.content_type
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        let _ = write!(
            head,
            "content-length: {declared_length}\r\nconnection: close\r\n\r\n"
        );
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let mut builder = Response::builder()
            .status(self.status)
            .header("content-type", self.content_type);
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(Bytes::from(self.body)))
            .unwrap_or_else(|_| {
                // Only a test's own fault can carry an invalid header; say so rather than panic in the server.
                let mut response =
                    Response::new(Full::new(Bytes::from_static(b"invalid fault headers")));
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
            })
    }
}

/// An IMS error answer as the `Err` of a check.
fn refuse<T>(status: u16, error: &str, description: &str) -> Result<T, Answer> {
    Err(Answer::error(status, error, description))
}

/// The parsed parts of a JWT and what its signature covers.
struct Jwt {
    header: Map<String, Value>,
    claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
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
        if request.path == EXCHANGE_PATH || request.path == TOKEN_PATH {
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
            TOKEN_PATH if method == "POST" => self.token_v3(request).unwrap_or_else(|a| a),
            LIBRARIES_PATH if method == "GET" => self.libraries(request),
            EXCHANGE_PATH | TOKEN_PATH | LIBRARIES_PATH => Answer::error(
                405,
                "method_not_allowed",
                &format!("{method} is not allowed on {}", request.path),
            ),
            path => Answer::error(404, "not_found", &format!("no such resource: {path}")),
        }
    }

    /// Both token endpoints check the client first, and the same way.
    fn authenticate(&self, form: &[(String, String)]) -> Result<Client, Answer> {
        let client_id = lookup(form, "client_id").unwrap_or_default();
        let state = self.lock();
        let (secret, client) = match (state.jwt.get(client_id), state.oauth.get(client_id)) {
            (Some(jwt), _) => (&jwt.client_secret, Client::Jwt(jwt.clone())),
            (None, Some(oauth)) => (
                &oauth.credential.client_secret,
                Client::OAuth(oauth.clone()),
            ),
            (None, None) => return refuse(400, "invalid_client", "invalid client_id parameter"),
        };
        if lookup(form, "client_secret") != Some(secret.as_str()) {
            return refuse(401, "invalid_client", "invalid client_secret parameter");
        }
        Ok(client)
    }

    fn exchange_jwt(&self, request: &Received) -> Result<Answer, Answer> {
        let form = form_fields(request, true)?;
        let Client::Jwt(integration) = self.authenticate(&form)? else {
            // What Adobe answers once a credential has been converted to OAuth Server-to-Server.
            return refuse(500, "internal_error", "Please try again later");
        };
        let Some(jwt) = lookup(&form, "jwt_token").and_then(decode_jwt) else {
            return refuse(400, "invalid_token", MALFORMED_JWT);
        };
        if jwt.header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return refuse(400, "invalid_signature", "JWT must be signed with RS256");
        }
        let text = |name: &str| jwt.claims.get(name).and_then(Value::as_str);
        let audience = format!("{}/c/{}", self.base_url, integration.client_id);
        if text("aud") != Some(audience.as_str()) {
            return refuse(
                400,
                "invalid_client",
                "aud names another IMS or another client",
            );
        }
        let (iss, sub) = (
            text("iss").unwrap_or_default(),
            text("sub").unwrap_or_default(),
        );
        if !is_org_id(iss) {
            return refuse(400, "bad_request", "iss must be an org ID (…@AdobeOrg)");
        }
        if !is_technical_account_id(sub) {
            return refuse(400, "bad_request", "sub must be a technical account ID");
        }
        let Some(exp) = jwt.claims.get("exp").and_then(Value::as_i64) else {
            return refuse(400, "bad_request", "exp must be an integer (epoch seconds)");
        };
        if iss != integration.org_id {
            return refuse(400, "invalid_token", "iss is not the integration's org");
        }
        if sub != integration.technical_account_id {
            return refuse(
                400,
                "invalid_token",
                "sub is not the integration's technical account",
            );
        }
        let now = self.now_secs();
        if exp <= now {
            return refuse(400, "invalid_token", "JWT token has expired");
        }
        if exp > now + MAX_JWT_LIFETIME_SECS {
            return refuse(
                400,
                "invalid_token",
                "JWT expiry is more than 24 hours away",
            );
        }
        let prefix = format!("{}/s/", self.base_url);
        let mut requested = Vec::new();
        let mut foreign = false;
        for (key, value) in &jwt.claims {
            if let Some(name) = key.strip_prefix(&prefix) {
                if value == &Value::Bool(true) {
                    requested.push(name);
                }
            } else if key.starts_with("http") && key.contains("/s/") {
                // A metascope of another IMS environment is never in this binding.
                foreign = true;
            }
        }
        if requested.is_empty() && !foreign {
            return refuse(
                400,
                "invalid_scope",
                "No metascopes were requested in the JWT.",
            );
        }
        if foreign
            || requested
                .iter()
                .any(|name| !integration.metascopes.iter().any(|own| own == name))
        {
            let text =
                "The metascopes in the JWT are not a subset of the metascopes in the binding.";
            return refuse(400, "invalid_scope", text);
        }
        let matched = integration
            .certificates_pem
            .iter()
            .filter_map(|pem| X509::from_pem(pem.as_bytes()).ok())
            // Adobe drops a binding when its certificate expires.
            .filter(|cert| Asn1Time::from_unix(now).is_ok_and(|now| cert.not_after() > now))
            .filter_map(|cert| cert.public_key().ok())
            .any(|key| verify_rs256(&key, &jwt.signing_input, &jwt.signature));
        if !matched {
            return refuse(
                400,
                "invalid_token",
                "Could not match JWT signature to any of the bindings",
            );
        }
        let account = &integration.technical_account_id;
        let token = self.issue_token(&integration.client_id, account, iss, &requested.join(","))?;
        let lifetime = self.config.token_lifetime.as_millis() as u64;
        let body = json!({ "token_type": "bearer", "access_token": token, "expires_in": lifetime });
        Ok(Answer::json(200, &body))
    }

    fn token_v3(&self, request: &Received) -> Result<Answer, Answer> {
        let form = form_fields(request, false)?;
        if lookup(&form, "grant_type") != Some("client_credentials") {
            return refuse(
                400,
                "unsupported_grant_type",
                "grant_type must be client_credentials",
            );
        }
        let Client::OAuth(oauth) = self.authenticate(&form)? else {
            return refuse(
                400,
                "invalid_client",
                "client is not allowed to use client_credentials",
            );
        };
        let credential = &oauth.credential;
        let scope = lookup(&form, "scope").unwrap_or_default();
        let scopes: Vec<&str> = scope
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if scopes.is_empty() {
            return refuse(400, "invalid_scope", "scope parameter is missing");
        }
        if let Some(unknown) = scopes
            .iter()
            .find(|s| !credential.scopes.iter().any(|own| own == *s))
        {
            return refuse(400, "invalid_scope", &format!("invalid scope: {unknown}"));
        }
        let account = &oauth.technical_account_id;
        let token = self.issue_token(
            &credential.client_id,
            account,
            &credential.org_id,
            &scopes.join(","),
        )?;
        let lifetime = self.config.token_lifetime.as_secs();
        let body = json!({ "access_token": token, "token_type": "bearer", "expires_in": lifetime });
        Ok(Answer::json(200, &body))
    }

    /// An access token shaped like Adobe's: a JWT whose `created_at` + `expires_in` (ms, as strings) is its expiry.
    fn issue_token(
        &self,
        client_id: &str,
        user_id: &str,
        org: &str,
        scope: &str,
    ) -> Result<String, Answer> {
        let id = random_hex(16);
        let header = json!({ "alg": "RS256", "x5u": "ims_na1-key-at-1.cer", "kid": "ims_na1-key-at-1", "itt": "at" });
        let claims = json!({
            "id": id, "type": "access_token", "client_id": client_id, "user_id": user_id, "as": "ims-na1",
            "org": org, "scope": scope, "created_at": self.now_millis().to_string(),
            "expires_in": self.config.token_lifetime.as_millis().to_string(),
        });
        let Some(token) = self
            .signing_key
            .get()
            .and_then(|key| sign_jwt(&header, &claims, key))
        else {
            return refuse(500, "internal_error", "Please try again later");
        };
        self.lock().live_tokens.insert(id);
        Ok(token)
    }

    /// The claims of a token this emulator issued and that is still live, by the server's clock.
    fn valid_token(&self, token: &str) -> Option<Map<String, Value>> {
        let jwt = decode_jwt(token)?;
        if !verify_rs256(self.signing_key.get()?, &jwt.signing_input, &jwt.signature) {
            return None;
        }
        let text = |name: &str| jwt.claims.get(name).and_then(Value::as_str);
        let created_at: i64 = text("created_at")?.parse().ok()?;
        let expires_in: i64 = text("expires_in")?.parse().ok()?;
        let live = self.lock().live_tokens.contains(text("id")?);
        (live
            && text("type") == Some("access_token")
            && created_at + expires_in > self.now_millis())
        .then_some(jwt.claims)
    }

    fn libraries(&self, request: &Received) -> Answer {
        let token = request.header("authorization").and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        });
        let Some(claims) = token.and_then(|token| self.valid_token(token.trim())) else {
            return Answer::gateway(401, "401013", "Oauth token is not valid");
        };
        let claim = |name: &str| claims.get(name).and_then(Value::as_str);
        if request.header("x-api-key").is_none()
            || request.header("x-api-key") != claim("client_id")
        {
            return Answer::gateway(403, "403003", "Api Key is invalid");
        }
        let org = claim("org").unwrap_or_default();
        if request.header("x-gw-ims-org-id") != Some(org) {
            return Answer::gateway(403, "403025", "Profile is not valid");
        }
        let libraries = self
            .lock()
            .libraries
            .get(org)
            .cloned()
            .unwrap_or_else(|| sample_libraries(org));
        Answer::json(200, &serde_json::to_value(libraries).unwrap_or_default())
    }
}

fn sample_libraries(org: &str) -> Vec<Library> {
    let library = |id: &str, name: &str, poi_count| Library {
        id: id.to_string(),
        name: name.to_string(),
        customer_id: org.to_string(),
        poi_count,
    };
    vec![
        library("3b1e8a4c-6f2d-4e0b-9a7c-1d5f2e8b9c01", "Stores", 42),
        library("9c4d2f7a-1b8e-4c3d-8e6f-5a2b7c9d0e12", "Airports", 7),
    ]
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(Arc::clone(&shared), stream));
            }
            // Out of file descriptors and the like: wait rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn serve_connection(shared: Arc<Shared>, stream: TcpStream) {
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
                    Ok::<_, Infallible>(shared.finish(answer).into_response())
                }
            });
            // Keep-alive off: every request arrives on a new connection, where it can meet a socket-level fault.
            let connection = http1::Builder::new()
                .keep_alive(false)
                .serve_connection(TokioIo::new(stream), service);
            let _ = connection.await;
        }
    }
}

async fn misbehave(shared: &Shared, mut stream: TcpStream, fault: Fault) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    shared.record(&request);
    match fault {
        Fault::Reset => {
            // SO_LINGER 0 makes the close send RST: the client sees "connection reset", not a clean EOF.
            let _ = stream.set_zero_linger();
        }
        Fault::Hang => {
            // The task holds the socket until the runtime drops it at shutdown.
            std::future::pending::<()>().await;
        }
        Fault::Truncated => {
            let answer = shared.finish(Answer::new(
                200,
                JSON,
                r#"{"token_type":"bearer","access_tok"#,
            ));
            let _ = stream
                .write_all(&answer.to_http(answer.body.len() + 512))
                .await;
            let _ = stream.shutdown().await;
        }
        Fault::Trickle { bytes_per_sec } => {
            let answer = shared.finish(shared.route(&request));
            let bytes = answer.to_http(answer.body.len());
            let rate = bytes_per_sec.max(1);
            let chunk = (rate / 10).max(1);
            let pause = Duration::from_secs_f64(chunk as f64 / rate as f64);
            for piece in bytes.chunks(chunk) {
                if stream.write_all(piece).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(pause).await;
            }
            let _ = stream.shutdown().await;
        }
        Fault::Status { .. } | Fault::Html | Fault::NonJson => {}
    }
}

/// Reads one request by hand (head and a `Content-Length` body), for the faults hyper cannot commit.
async fn read_request<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > MAX_HEAD {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?;
    let path = target.split('?').next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length = lookup(&headers, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buffer.split_off(head_end);
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Received {
        method,
        path,
        headers,
        body: Bytes::from(body),
    })
}

fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The fields of a form body; anything but urlencoded (or multipart, where allowed) is refused as IMS does.
fn form_fields(request: &Received, allow_multipart: bool) -> Result<Vec<(String, String)>, Answer> {
    let content_type = request.header("content-type").unwrap_or_default();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => Ok(urlencoded_fields(&request.body)),
        "multipart/form-data" if allow_multipart => multipart_fields(content_type, &request.body)
            .ok_or_else(|| {
                Answer::error(400, "invalid_request", "malformed multipart/form-data body")
            }),
        _ => Err(Answer::error(
            415,
            "invalid_request",
            &format!(
                "unsupported content type {content_type:?}: send application/x-www-form-urlencoded"
            ),
        )),
    }
}

fn urlencoded_fields(body: &[u8]) -> Vec<(String, String)> {
    body.split(|&byte| byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |&byte| byte == b'=');
            let name = percent_decode(halves.next().unwrap_or_default());
            (name, percent_decode(halves.next().unwrap_or_default()))
        })
        .collect()
}

fn percent_decode(text: &[u8]) -> String {
    let hex = |byte: Option<&u8>| byte.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(text.len());
    let mut index = 0;
    while let Some(&byte) = text.get(index) {
        index += 1;
        match (byte, hex(text.get(index)), hex(text.get(index + 1))) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 2;
            }
            (b'+', _, _) => out.push(b' '),
            (byte, _, _) => out.push(byte),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn multipart_fields(content_type: &str, body: &[u8]) -> Option<Vec<(String, String)>> {
    let boundary = content_type
        .split(';')
        .find_map(|part| part.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let body = std::str::from_utf8(body).ok()?;
    let mut fields = Vec::new();
    for part in body.split(&format!("--{boundary}")).skip(1) {
        if part.starts_with("--") {
            return Some(fields);
        }
        let (head, value) = part.strip_prefix("\r\n")?.split_once("\r\n\r\n")?;
        let name = head
            .split("\r\n")
            .filter(|line| {
                line.to_ascii_lowercase()
                    .starts_with("content-disposition:")
            })
            .find_map(|line| {
                line.split(';')
                    .find_map(|item| item.trim().strip_prefix("name="))
            })?;
        fields.push((
            name.trim_matches('"').to_string(),
            value.strip_suffix("\r\n").unwrap_or(value).to_string(),
        ));
    }
    None
}

fn is_hex_id(text: &str, suffix: &str) -> bool {
    text.strip_suffix(suffix)
        .is_some_and(|id| id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_org_id(text: &str) -> bool {
    is_hex_id(text, "@AdobeOrg")
}

fn is_technical_account_id(text: &str) -> bool {
    is_hex_id(text, "@techacct.adobe.com")
}

fn base64url_encode(data: &[u8]) -> String {
    openssl::base64::encode_block(data)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1
        || !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let mut standard = text.replace('-', "+").replace('_', "/");
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    openssl::base64::decode_block(&standard).ok()
}

fn decode_jwt(token: &str) -> Option<Jwt> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return None;
    };
    let object = |part: &str| match serde_json::from_slice(&base64url_decode(part)?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    Some(Jwt {
        header: object(header)?,
        claims: object(claims)?,
        signing_input: format!("{header}.{claims}"),
        signature: base64url_decode(signature)?,
    })
}

fn sign_jwt(header: &Value, claims: &Value, key: &PKey<Private>) -> Option<String> {
    let input = format!(
        "{}.{}",
        base64url_encode(&serde_json::to_vec(header).ok()?),
        base64url_encode(&serde_json::to_vec(claims).ok()?)
    );
    let mut signer = Signer::new(MessageDigest::sha256(), key).ok()?;
    signer.update(input.as_bytes()).ok()?;
    let signature = signer.sign_to_vec().ok()?;
    Some(format!("{input}.{}", base64url_encode(&signature)))
}

fn verify_rs256<T: HasPublic>(key: &PKeyRef<T>, input: &str, signature: &[u8]) -> bool {
    Verifier::new(MessageDigest::sha256(), key)
        .and_then(|mut verifier| {
            verifier.update(input.as_bytes())?;
            verifier.verify(signature)
        })
        .unwrap_or(false)
}

fn random_hex(bytes: usize) -> String {
    static FALLBACK: AtomicU64 = AtomicU64::new(0);
    let mut buffer = vec![0u8; bytes];
    if openssl::rand::rand_bytes(&mut buffer).is_err() {
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

/// IMF-fixdate (RFC 9110), e.g. `Tue, 14 Nov 2023 22:13:20 GMT`.
fn http_date(epoch_secs: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = epoch_secs.div_euclid(86_400);
    let seconds = epoch_secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// Entry points for the fuzz targets in `fuzz/` (not part of the API): the emulator's own request parsing,
/// reached without a socket.
#[doc(hidden)]
pub mod fuzzing {
    use super::*;
    use std::sync::OnceLock;

    /// The client ID, secret and org of the one JWT integration and the one OAuth credential the fuzzed
    /// emulator knows, so that inputs can get past client authentication.
    pub const JWT_CLIENT_ID: &str = "0123456789abcdef0123456789abcdef";
    pub const OAUTH_CLIENT_ID: &str = "fedcba9876543210fedcba9876543210";
    pub const CLIENT_SECRET: &str = "p8e-fuzz";
    pub const ORG_ID: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
    pub const TECHNICAL_ACCOUNT_ID: &str = "0123456789ABCDEF01234567@techacct.adobe.com";
    /// The emulator's base URL, as the `aud` and metascope claims must name it.
    pub const BASE_URL: &str = "http://127.0.0.1:1";

    fn shared() -> &'static Shared {
        static SHARED: OnceLock<Shared> = OnceLock::new();
        SHARED.get_or_init(|| {
            let signing_key = Rsa::generate(2048)
                .and_then(PKey::from_rsa)
                .expect("an RSA key for the fuzzed emulator");
            let certificate = super::fuzzing_certificate(&signing_key);
            let mut state = State::default();
            state.jwt.insert(
                JWT_CLIENT_ID.into(),
                JwtIntegration {
                    org_id: ORG_ID.into(),
                    client_id: JWT_CLIENT_ID.into(),
                    client_secret: CLIENT_SECRET.into(),
                    technical_account_id: TECHNICAL_ACCOUNT_ID.into(),
                    certificates_pem: certificate.into_iter().collect(),
                    metascopes: vec!["ent_places_sdk".into()],
                },
            );
            state.oauth.insert(
                OAUTH_CLIENT_ID.into(),
                OAuthClient {
                    credential: OAuthCredential {
                        org_id: ORG_ID.into(),
                        client_id: OAUTH_CLIENT_ID.into(),
                        client_secret: CLIENT_SECRET.into(),
                        scopes: vec!["openid".into(), "AdobeID".into()],
                    },
                    technical_account_id: TECHNICAL_ACCOUNT_ID.into(),
                },
            );
            Shared {
                config: EmulatorConfig::default(),
                base_url: BASE_URL.into(),
                signing_key: OnceLock::from(signing_key),
                state: Mutex::new(state),
            }
        })
    }

    /// Reads `raw` as one HTTP/1.1 request the way the socket-fault path does, routes it, and returns the
    /// status and body the emulator would send; `None` when the bytes are not a request at all.
    pub fn serve_raw(raw: &[u8]) -> Option<(u16, Vec<u8>)> {
        static RUNTIME: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
        let runtime = RUNTIME
            .get_or_init(|| tokio::runtime::Builder::new_current_thread().build().ok())
            .as_ref()?;
        let mut reader = raw;
        let request = runtime.block_on(read_request(&mut reader))?;
        let shared = shared();
        shared.record(&request);
        let answer = shared.finish(shared.route(&request));
        let _ = answer.to_http(answer.body.len());
        // Keep the state from growing over millions of runs.
        let mut state = shared.lock();
        state.live_tokens.clear();
        state.last.clear();
        Some((answer.status, answer.body))
    }

    /// Signs claims with the key whose certificate the fuzzed JWT integration holds, to make seeds that pass.
    pub fn sign_for_integration(claims: &Value) -> Option<String> {
        sign_jwt(
            &json!({"alg": "RS256", "typ": "JWT"}),
            claims,
            shared().signing_key.get()?,
        )
    }
}

/// A self-signed certificate for `key`, valid for a year, for the fuzzed emulator's integration.
fn fuzzing_certificate(key: &PKey<Private>) -> Option<String> {
    let mut name = openssl::x509::X509NameBuilder::new().ok()?;
    name.append_entry_by_text("CN", "places-setup fuzz").ok()?;
    let name = name.build();
    let not_before = Asn1Time::days_from_now(0).ok()?;
    let not_after = Asn1Time::days_from_now(365).ok()?;
    let mut builder = X509::builder().ok()?;
    builder.set_version(2).ok()?;
    builder.set_subject_name(&name).ok()?;
    builder.set_issuer_name(&name).ok()?;
    builder.set_pubkey(key).ok()?;
    builder.set_not_before(&not_before).ok()?;
    builder.set_not_after(&not_after).ok()?;
    builder.sign(key, MessageDigest::sha256()).ok()?;
    String::from_utf8(builder.build().to_pem().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::bn::BigNum;
    use openssl::x509::{X509Builder, X509NameBuilder};
    use std::sync::OnceLock;
    use std::time::Instant;

    const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
    const TECH: &str = "0123456789ABCDEF01234567@techacct.adobe.com";
    const CLIENT: &str = "0123456789abcdef0123456789abcdef";
    // Characters that must survive form encoding both ways.
    const SECRET: &str = "p8e-T3st+/=&% secret";
    const OAUTH_CLIENT: &str = "fedcba9876543210fedcba9876543210";
    const OAUTH_SECRET: &str = "p8e-oauth-secret";

    fn now() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    }

    fn self_signed(key: &PKey<Private>, not_before: i64, not_after: i64) -> String {
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", "places-setup test")
            .unwrap();
        let name = name.build();
        let mut cert = X509Builder::new().unwrap();
        cert.set_version(2).unwrap();
        let serial = BigNum::from_u32(1).unwrap().to_asn1_integer().unwrap();
        cert.set_serial_number(&serial).unwrap();
        cert.set_subject_name(&name).unwrap();
        cert.set_issuer_name(&name).unwrap();
        cert.set_pubkey(key).unwrap();
        cert.set_not_before(&Asn1Time::from_unix(not_before).unwrap())
            .unwrap();
        cert.set_not_after(&Asn1Time::from_unix(not_after).unwrap())
            .unwrap();
        cert.sign(key, MessageDigest::sha256()).unwrap();
        String::from_utf8(cert.build().to_pem().unwrap()).unwrap()
    }

    /// RSA key generation is slow: one key pair (and certificate) per role for the whole module.
    fn key_pair(
        cell: &'static OnceLock<(PKey<Private>, String)>,
    ) -> &'static (PKey<Private>, String) {
        cell.get_or_init(|| {
            let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
            let cert = self_signed(&key, now() - 60, now() + 365 * 86_400);
            (key, cert)
        })
    }

    fn keys() -> &'static (PKey<Private>, String) {
        static KEYS: OnceLock<(PKey<Private>, String)> = OnceLock::new();
        key_pair(&KEYS)
    }

    fn other_keys() -> &'static (PKey<Private>, String) {
        static KEYS: OnceLock<(PKey<Private>, String)> = OnceLock::new();
        key_pair(&KEYS)
    }

    fn integration() -> JwtIntegration {
        JwtIntegration {
            org_id: ORG.into(),
            client_id: CLIENT.into(),
            client_secret: SECRET.into(),
            technical_account_id: TECH.into(),
            certificates_pem: vec![keys().1.clone()],
            metascopes: vec!["ent_places_sdk".into()],
        }
    }

    fn oauth() -> OAuthCredential {
        OAuthCredential {
            org_id: ORG.into(),
            client_id: OAUTH_CLIENT.into(),
            client_secret: OAUTH_SECRET.into(),
            scopes: vec!["openid".into(), "AdobeID".into(), "ent_places_sdk".into()],
        }
    }

    fn emulator_with(config: EmulatorConfig) -> Emulator {
        let emulator = Emulator::start(config).unwrap();
        emulator.add_jwt_integration(integration());
        emulator
    }

    fn emulator() -> Emulator {
        emulator_with(EmulatorConfig::default())
    }

    /// The claims Adobe's own clients send, for this emulator.
    fn claims(emulator: &Emulator) -> Value {
        let mut claims = json!({
            "iss": ORG, "sub": TECH, "aud": format!("{}/c/{CLIENT}", emulator.url()), "exp": now() + 300,
        });
        claims[format!("{}/s/ent_places_sdk", emulator.url())] = json!(true);
        claims
    }

    fn jwt_signed_by(claims: &Value, key: &PKey<Private>) -> String {
        sign_jwt(&json!({ "alg": "RS256", "typ": "JWT" }), claims, key).unwrap()
    }

    fn jwt(claims: &Value) -> String {
        jwt_signed_by(claims, &keys().0)
    }

    fn client() -> reqwest::Client {
        crate::http::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }

    struct Reply {
        status: u16,
        headers: reqwest::header::HeaderMap,
        json: Value,
    }

    impl Reply {
        fn header(&self, name: &str) -> &str {
            self.headers
                .get(name)
                .map_or("", |value| value.to_str().unwrap())
        }
    }

    async fn send(request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status().as_u16(), response.headers().clone());
        let json = serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            json,
        }
    }

    async fn post(emulator: &Emulator, path: &str, fields: &[(&str, &str)]) -> Reply {
        send(
            client()
                .post(format!("{}{path}", emulator.url()))
                .form(fields),
        )
        .await
    }

    async fn exchange_jwt(emulator: &Emulator, token: &str) -> Reply {
        let fields = [
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("jwt_token", token),
        ];
        post(emulator, EXCHANGE_PATH, &fields).await
    }

    async fn token_v3(emulator: &Emulator, client_id: &str, secret: &str, scope: &str) -> Reply {
        let fields = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", scope),
        ];
        post(emulator, TOKEN_PATH, &fields).await
    }

    async fn access_token(emulator: &Emulator) -> String {
        let reply = exchange_jwt(emulator, &jwt(&claims(emulator))).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        reply.json["access_token"].as_str().unwrap().to_string()
    }

    async fn libraries(
        emulator: &Emulator,
        token: &str,
        api_key: Option<&str>,
        org: &str,
    ) -> Reply {
        let mut request = client()
            .get(format!("{}/libraries", emulator.places_url()))
            .header("authorization", format!("Bearer {token}"))
            .header("x-gw-ims-org-id", org);
        if let Some(api_key) = api_key {
            request = request.header("x-api-key", api_key);
        }
        send(request).await
    }

    fn assert_error(reply: &Reply, status: u16, error: &str, description: &str) {
        assert_eq!(
            (reply.status, reply.json["error"].as_str()),
            (status, Some(error)),
            "{}",
            reply.json
        );
        let text = reply.json["error_description"].as_str().unwrap();
        assert!(
            text.contains(description),
            "{text:?} does not contain {description:?}"
        );
    }

    fn assert_gateway(reply: &Reply, status: u16, code: &str, message: &str) {
        let expected = json!({ "error_code": code, "message": message });
        assert_eq!((reply.status, &reply.json), (status, &expected));
    }

    #[tokio::test]
    async fn jwt_exchange_answers_an_adobe_shaped_token_lasting_milliseconds() {
        let emulator = emulator();
        let reply = exchange_jwt(&emulator, &jwt(&claims(&emulator))).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        assert_eq!(reply.header("content-type"), JSON);
        assert_eq!(
            (&reply.json["token_type"], &reply.json["expires_in"]),
            (&json!("bearer"), &json!(86_400_000))
        );
        let token = decode_jwt(reply.json["access_token"].as_str().unwrap()).unwrap();
        assert_eq!(
            (&token.header["kid"], &token.header["itt"]),
            (&json!("ims_na1-key-at-1"), &json!("at"))
        );
        let claim = |name: &str| token.claims[name].as_str().unwrap().to_string();
        assert_eq!(
            [claim("type"), claim("client_id"), claim("user_id")],
            ["access_token", CLIENT, TECH]
        );
        assert_eq!(
            [claim("org"), claim("scope"), claim("expires_in")],
            [ORG, "ent_places_sdk", "86400000"]
        );
        let created_at: i64 = claim("created_at").parse().unwrap();
        assert!(
            (created_at - now() * 1000).abs() < 10_000,
            "created_at {created_at}"
        );
        // What the client sent is on record, secret included.
        let sent = emulator.last_request(EXCHANGE_PATH).unwrap();
        assert_eq!(
            (sent.method.as_str(), sent.field("client_secret")),
            ("POST", Some(SECRET))
        );
        assert_eq!(
            (emulator.exchange_count(), emulator.request_count()),
            (1, 1)
        );

        let hourly = emulator_with(EmulatorConfig {
            token_lifetime: Duration::from_secs(3600),
            ..Default::default()
        });
        let reply = exchange_jwt(&hourly, &jwt(&claims(&hourly))).await;
        assert_eq!(reply.json["expires_in"], 3_600_000);
    }

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
    async fn jwt_exchange_accepts_multipart_and_refuses_other_bodies() {
        let emulator = emulator();
        let token = jwt(&claims(&emulator));
        let url = format!("{}{EXCHANGE_PATH}", emulator.url());
        let fields = [
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("jwt_token", token.as_str()),
        ];
        let mut body: String = fields
            .iter()
            .map(|(name, value)| {
                format!(
                    "--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
            })
            .collect();
        body.push_str("--XyZ--\r\n");
        let multipart = client()
            .post(&url)
            .header("content-type", "multipart/form-data; boundary=XyZ");
        let reply = send(multipart.body(body)).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let as_json =
            json!({ "client_id": CLIENT, "client_secret": SECRET, "jwt_token": token }).to_string();
        let reply = send(
            client()
                .post(&url)
                .header("content-type", "application/json")
                .body(as_json),
        )
        .await;
        assert_error(
            &reply,
            415,
            "invalid_request",
            "application/x-www-form-urlencoded",
        );
    }

    #[tokio::test]
    async fn jwt_exchange_checks_the_client_before_the_token() {
        let emulator = emulator();
        let token = jwt(&claims(&emulator));
        let reply = post(
            &emulator,
            EXCHANGE_PATH,
            &[("client_secret", SECRET), ("jwt_token", &token)],
        )
        .await;
        assert_error(&reply, 400, "invalid_client", "invalid client_id parameter");
        let fields = [
            ("client_id", OAUTH_CLIENT),
            ("client_secret", SECRET),
            ("jwt_token", &token),
        ];
        assert_error(
            &post(&emulator, EXCHANGE_PATH, &fields).await,
            400,
            "invalid_client",
            "invalid client_id parameter",
        );
        let fields = [
            ("client_id", CLIENT),
            ("client_secret", "p8e-wrong"),
            ("jwt_token", "garbage"),
        ];
        let reply = post(&emulator, EXCHANGE_PATH, &fields).await;
        assert_error(
            &reply,
            401,
            "invalid_client",
            "invalid client_secret parameter",
        );
    }

    #[tokio::test]
    async fn jwt_exchange_refuses_undecodable_tokens() {
        let emulator = emulator();
        let good = jwt(&claims(&emulator));
        let (header, rest) = good.split_once('.').unwrap();
        let not_json = format!("{}.{rest}", base64url_encode(b"not json"));
        let array = format!("{}.{rest}", base64url_encode(b"[1]"));
        for token in [
            "",
            "a.b",
            &format!("{good}.x"),
            &format!("{header}.%%.sig"),
            &not_json,
            &array,
        ] {
            assert_error(
                &exchange_jwt(&emulator, token).await,
                400,
                "invalid_token",
                MALFORMED_JWT,
            );
        }
        let reply = post(
            &emulator,
            EXCHANGE_PATH,
            &[("client_id", CLIENT), ("client_secret", SECRET)],
        )
        .await;
        assert_error(&reply, 400, "invalid_token", MALFORMED_JWT);
    }

    #[tokio::test]
    async fn jwt_exchange_requires_rs256_and_this_audience() {
        let emulator = emulator();
        for alg in [json!("RS512"), json!("none"), Value::Null] {
            let token = sign_jwt(&json!({ "alg": alg }), &claims(&emulator), &keys().0).unwrap();
            assert_error(
                &exchange_jwt(&emulator, &token).await,
                400,
                "invalid_signature",
                "RS256",
            );
        }
        let other_client = format!("{}/c/{OAUTH_CLIENT}", emulator.url());
        for aud in [
            json!(format!("https://ims-na1.adobelogin.com/c/{CLIENT}")),
            json!(other_client),
            json!(null),
        ] {
            let mut claims = claims(&emulator);
            claims["aud"] = aud;
            assert_error(
                &exchange_jwt(&emulator, &jwt(&claims)).await,
                400,
                "invalid_client",
                "aud",
            );
        }
    }

    #[tokio::test]
    async fn jwt_exchange_checks_claim_shapes_then_identity() {
        let emulator = emulator();
        let cases = [
            ("iss", json!("18FB61145BAC2FFB0A494777"), "bad_request"),
            ("iss", json!(42), "bad_request"),
            ("sub", json!("places@techacct.adobe.com"), "bad_request"),
            ("exp", json!((now() + 300).to_string()), "bad_request"),
            ("exp", json!(now() as f64 + 300.5), "bad_request"),
            (
                "iss",
                json!("AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg"),
                "invalid_token",
            ),
            (
                "sub",
                json!("AAAAAAAAAAAAAAAAAAAAAAAA@techacct.adobe.com"),
                "invalid_token",
            ),
        ];
        for (name, value, error) in cases {
            let mut claims = claims(&emulator);
            claims[name] = value;
            assert_error(
                &exchange_jwt(&emulator, &jwt(&claims)).await,
                400,
                error,
                name,
            );
        }
    }

    #[tokio::test]
    async fn jwt_exchange_judges_expiry_by_the_server_clock() {
        let emulator = emulator();
        let mut claims_now = claims(&emulator);
        claims_now["exp"] = json!(now() - 10);
        let reply = exchange_jwt(&emulator, &jwt(&claims_now)).await;
        assert_error(&reply, 400, "invalid_token", "JWT token has expired");
        claims_now["exp"] = json!(now() + 25 * 3600);
        assert_error(
            &exchange_jwt(&emulator, &jwt(&claims_now)).await,
            400,
            "invalid_token",
            "24 hours",
        );

        let ahead = emulator_with(EmulatorConfig {
            clock_offset_secs: 3600,
            ..Default::default()
        });
        let reply = exchange_jwt(&ahead, &jwt(&claims(&ahead))).await;
        assert_error(&reply, 400, "invalid_token", "JWT token has expired");
        let date = reply.header("date");
        assert!(
            (3590..=3610).any(|offset| http_date(now() + offset) == date),
            "server date {date}"
        );
    }

    #[tokio::test]
    async fn jwt_exchange_requires_metascopes_of_the_binding() {
        let emulator = emulator();
        let ours = format!("{}/s/ent_places_sdk", emulator.url());
        let mut none = claims(&emulator);
        none.as_object_mut().unwrap().remove(&ours);
        assert_error(
            &exchange_jwt(&emulator, &jwt(&none)).await,
            400,
            "invalid_scope",
            "No metascopes",
        );
        let subset = "The metascopes in the JWT are not a subset of the metascopes in the binding.";
        let other = format!("{}/s/ent_analytics_bulk_ingest_sdk", emulator.url());
        for key in [
            other.as_str(),
            "https://ims-na1.adobelogin.com/s/ent_places_sdk",
        ] {
            let (mut alone, mut beside) = (none.clone(), claims(&emulator));
            alone[key] = json!(true);
            beside[key] = json!(true);
            assert_error(
                &exchange_jwt(&emulator, &jwt(&alone)).await,
                400,
                "invalid_scope",
                subset,
            );
            assert_error(
                &exchange_jwt(&emulator, &jwt(&beside)).await,
                400,
                "invalid_scope",
                subset,
            );
        }
    }

    #[tokio::test]
    async fn jwt_exchange_matches_the_signature_to_an_uploaded_certificate() {
        let emulator = emulator();
        let unbound = jwt_signed_by(&claims(&emulator), &other_keys().0);
        let mismatch = "Could not match JWT signature to any of the bindings";
        assert_error(
            &exchange_jwt(&emulator, &unbound).await,
            400,
            "invalid_token",
            mismatch,
        );
        // Claims altered after signing no longer match the signature.
        let good = jwt(&claims(&emulator));
        let mut altered = claims(&emulator);
        altered["exp"] = json!(now() + 600);
        let forged = format!(
            "{}.{}",
            altered_input(&good, &altered),
            good.rsplit('.').next().unwrap()
        );
        assert_error(
            &exchange_jwt(&emulator, &forged).await,
            400,
            "invalid_token",
            mismatch,
        );
        // A second uploaded certificate is a second binding.
        let both = vec![keys().1.clone(), other_keys().1.clone()];
        emulator.add_jwt_integration(JwtIntegration {
            certificates_pem: both,
            ..integration()
        });
        assert_eq!(exchange_jwt(&emulator, &unbound).await.status, 200);
        // Adobe drops the binding once its certificate has expired.
        let expired = self_signed(&keys().0, now() - 400 * 86_400, now() - 86_400);
        emulator.add_jwt_integration(JwtIntegration {
            certificates_pem: vec![expired],
            ..integration()
        });
        assert_error(
            &exchange_jwt(&emulator, &good).await,
            400,
            "invalid_token",
            mismatch,
        );
    }

    fn altered_input(token: &str, claims: &Value) -> String {
        let header = token.split('.').next().unwrap();
        format!(
            "{header}.{}",
            base64url_encode(&serde_json::to_vec(claims).unwrap())
        )
    }

    #[tokio::test]
    async fn oauth_token_lasts_seconds_and_checks_every_field() {
        let emulator = emulator();
        emulator.add_oauth_credential(oauth());
        let reply = token_v3(
            &emulator,
            OAUTH_CLIENT,
            OAUTH_SECRET,
            "openid,ent_places_sdk",
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        assert_eq!(
            (&reply.json["token_type"], &reply.json["expires_in"]),
            (&json!("bearer"), &json!(86_400))
        );
        let token = decode_jwt(reply.json["access_token"].as_str().unwrap()).unwrap();
        assert_eq!(
            (&token.claims["scope"], &token.claims["org"]),
            (&json!("openid,ent_places_sdk"), &json!(ORG))
        );

        let fields = [
            ("grant_type", "password"),
            ("client_id", OAUTH_CLIENT),
            ("client_secret", OAUTH_SECRET),
        ];
        let reply = post(&emulator, TOKEN_PATH, &fields).await;
        assert_error(&reply, 400, "unsupported_grant_type", "client_credentials");
        let reply = token_v3(
            &emulator,
            "ffffffffffffffffffffffffffffffff",
            OAUTH_SECRET,
            "openid",
        )
        .await;
        assert_error(&reply, 400, "invalid_client", "invalid client_id parameter");
        let reply = token_v3(&emulator, OAUTH_CLIENT, "p8e-wrong", "openid").await;
        assert_error(
            &reply,
            401,
            "invalid_client",
            "invalid client_secret parameter",
        );
        let reply = token_v3(
            &emulator,
            OAUTH_CLIENT,
            OAUTH_SECRET,
            "openid,read_organizations",
        )
        .await;
        assert_error(&reply, 400, "invalid_scope", "read_organizations");
        assert_error(
            &token_v3(&emulator, OAUTH_CLIENT, OAUTH_SECRET, "").await,
            400,
            "invalid_scope",
            "missing",
        );
        let reply = token_v3(&emulator, CLIENT, SECRET, "openid").await;
        assert_error(
            &reply,
            400,
            "invalid_client",
            "client is not allowed to use client_credentials",
        );
        // An OAuth credential cannot exchange a JWT: IMS answers with a bare 500.
        let fields = [
            ("client_id", OAUTH_CLIENT),
            ("client_secret", OAUTH_SECRET),
            ("jwt_token", "x"),
        ];
        let reply = post(&emulator, EXCHANGE_PATH, &fields).await;
        assert_error(&reply, 500, "internal_error", "Please try again later");
        assert_eq!(emulator.exchange_count(), 8);
    }

    #[tokio::test]
    async fn conversion_to_oauth_moves_the_credential_to_token_v3() {
        let emulator = emulator();
        emulator.convert_to_oauth(CLIENT, vec!["openid".into(), "ent_places_sdk".into()]);
        let reply = exchange_jwt(&emulator, &jwt(&claims(&emulator))).await;
        assert_error(&reply, 500, "internal_error", "Please try again later");
        let reply = token_v3(&emulator, CLIENT, SECRET, "openid,ent_places_sdk").await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let token = reply.json["access_token"].as_str().unwrap();
        assert_eq!(decode_jwt(token).unwrap().claims["user_id"], TECH);
        assert_eq!(
            libraries(&emulator, token, Some(CLIENT), ORG).await.status,
            200
        );
    }

    #[tokio::test]
    async fn libraries_answer_a_valid_token() {
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let reply = libraries(&emulator, &token, Some(CLIENT), ORG).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let listed: Vec<Library> = serde_json::from_value(reply.json).unwrap();
        assert_eq!(listed, sample_libraries(ORG));
        assert_eq!(listed.len(), 2);
        let own = vec![Library {
            id: "lib-1".into(),
            name: "Depots".into(),
            customer_id: ORG.into(),
            poi_count: 3,
        }];
        emulator.set_libraries(ORG, own.clone());
        let reply = libraries(&emulator, &token, Some(CLIENT), ORG).await;
        assert_eq!(
            reply.json,
            json!([{ "id": "lib-1", "name": "Depots", "customerID": ORG, "poiCount": 3 }])
        );
        let sent = emulator.last_request(LIBRARIES_PATH).unwrap();
        assert_eq!(sent.header("X-Api-Key"), Some(CLIENT));
    }

    #[tokio::test]
    async fn libraries_refuse_a_foreign_api_key_or_org() {
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let invalid_key = ("403003", "Api Key is invalid");
        for api_key in [Some(OAUTH_CLIENT), None] {
            let reply = libraries(&emulator, &token, api_key, ORG).await;
            assert_gateway(&reply, 403, invalid_key.0, invalid_key.1);
        }
        let reply = libraries(
            &emulator,
            &token,
            Some(CLIENT),
            "AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg",
        )
        .await;
        assert_gateway(&reply, 403, "403025", "Profile is not valid");
    }

    #[tokio::test]
    async fn libraries_refuse_tokens_that_are_not_live() {
        let invalid = ("401013", "Oauth token is not valid");
        let emulator = emulator();
        let token = access_token(&emulator).await;
        assert_eq!(
            libraries(&emulator, &token, Some(CLIENT), ORG).await.status,
            200
        );
        let elsewhere = self::emulator();
        let foreign = access_token(&elsewhere).await;
        let expired_at_birth = emulator_with(EmulatorConfig {
            token_lifetime: Duration::ZERO,
            ..Default::default()
        });
        let expired = access_token(&expired_at_birth).await;
        let expired_reply = libraries(&expired_at_birth, &expired, Some(CLIENT), ORG).await;
        assert_gateway(&expired_reply, 401, invalid.0, invalid.1);
        for bad in ["", "garbage", foreign.as_str(), &format!("{token}x")] {
            assert_gateway(
                &libraries(&emulator, bad, Some(CLIENT), ORG).await,
                401,
                invalid.0,
                invalid.1,
            );
        }
        emulator.revoke_tokens();
        assert_gateway(
            &libraries(&emulator, &token, Some(CLIENT), ORG).await,
            401,
            invalid.0,
            invalid.1,
        );
        let fresh = access_token(&emulator).await;
        assert_eq!(
            libraries(&emulator, &fresh, Some(CLIENT), ORG).await.status,
            200
        );
    }

    #[tokio::test]
    async fn answer_faults_come_in_order_then_normal_answers_resume() {
        let emulator = emulator();
        let throttled = Fault::Status {
            status: 429,
            content_type: JSON.into(),
            body: r#"{"error":"too_many_requests"}"#.into(),
            retry_after: Some("7".into()),
        };
        emulator.push_faults([throttled, Fault::Html, Fault::NonJson]);
        let token = jwt(&claims(&emulator));
        let reply = exchange_jwt(&emulator, &token).await;
        assert_eq!((reply.status, reply.header("retry-after")), (429, "7"));
        assert_eq!(reply.json["error"], "too_many_requests");
        let reply = exchange_jwt(&emulator, &token).await;
        assert_eq!(reply.status, 502);
        assert!(reply.header("content-type").starts_with("text/html"));
        let reply = exchange_jwt(&emulator, &token).await;
        assert_eq!(
            (reply.status, reply.header("content-type"), &reply.json),
            (200, "text/plain", &Value::Null)
        );
        assert_eq!(exchange_jwt(&emulator, &token).await.status, 200);
        assert_eq!(
            (emulator.exchange_count(), emulator.request_count()),
            (4, 4)
        );
    }

    #[tokio::test]
    async fn socket_faults_break_the_connection_as_promised() {
        let emulator = emulator();
        let url = format!("{}{EXCHANGE_PATH}", emulator.url());
        let fields = [
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("jwt_token", "x"),
        ];

        emulator.push_faults([Fault::Reset]);
        let error = client().post(&url).form(&fields).send().await.unwrap_err();
        let reset = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
            .filter_map(|e| e.downcast_ref::<io::Error>())
            .any(|e| e.kind() == io::ErrorKind::ConnectionReset);
        assert!(reset, "{error:?}");

        emulator.push_faults([Fault::Truncated]);
        let response = client().post(&url).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let error = response.bytes().await.unwrap_err();
        assert!(error.is_body() || error.is_decode(), "{error:?}");

        emulator.push_faults([Fault::Hang]);
        let started = Instant::now();
        let impatient = crate::http::builder()
            .no_proxy()
            .timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        let error = impatient.post(&url).form(&fields).send().await.unwrap_err();
        assert!(
            error.is_timeout() && started.elapsed() < Duration::from_secs(3),
            "{error:?}"
        );
        // The hung connection blocks neither other requests nor shutdown.
        assert_eq!(
            exchange_jwt(&emulator, &jwt(&claims(&emulator)))
                .await
                .status,
            200
        );
        assert_eq!(emulator.exchange_count(), 4);
        let started = Instant::now();
        drop(emulator);
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn trickle_sends_a_valid_answer_slowly() {
        let emulator = emulator();
        emulator.push_faults([Fault::Trickle {
            bytes_per_sec: 2000,
        }]);
        let started = Instant::now();
        let reply = exchange_jwt(&emulator, &jwt(&claims(&emulator))).await;
        assert_eq!(
            (reply.status, &reply.json["expires_in"]),
            (200, &json!(86_400_000))
        );
        // An Adobe-shaped answer is over a kilobyte: at 2 kB/s it takes at least half a second.
        assert!(
            started.elapsed() >= Duration::from_millis(450),
            "{:?}",
            started.elapsed()
        );
        let token = reply.json["access_token"].as_str().unwrap();
        assert_eq!(
            libraries(&emulator, token, Some(CLIENT), ORG).await.status,
            200
        );
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

    #[test]
    fn the_fuzzing_entry_serves_raw_requests() {
        use fuzzing::*;
        let request = |body: &str| {
            format!(
                "POST {{}} HTTP/1.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        let oauth = format!(
            "grant_type=client_credentials&client_id={OAUTH_CLIENT_ID}&client_secret={CLIENT_SECRET}&scope=openid"
        );
        let (status, _) = serve_raw(request(&oauth).replace("{}", TOKEN_PATH).as_bytes()).unwrap();
        assert_eq!(status, 200);
        let claims = json!({
            "iss": ORG_ID, "sub": TECHNICAL_ACCOUNT_ID, "aud": format!("{BASE_URL}/c/{JWT_CLIENT_ID}"),
            "exp": now() + 300, format!("{BASE_URL}/s/ent_places_sdk"): true,
        });
        let token = sign_for_integration(&claims).unwrap();
        let jwt =
            format!("client_id={JWT_CLIENT_ID}&client_secret={CLIENT_SECRET}&jwt_token={token}");
        let (status, body) =
            serve_raw(request(&jwt).replace("{}", EXCHANGE_PATH).as_bytes()).unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        assert_eq!(serve_raw(b"GET / HTTP/1.1\r\n\r\n").unwrap().0, 404);
        assert!(serve_raw(b"GET / HTTP/1.1\r\n").is_none());
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(http_date(4_102_444_800), "Fri, 01 Jan 2100 00:00:00 GMT");
    }
}
