//! HTTP for IMS and the Places API: timeouts, bounded retries, and which URLs may be used.
use crate::error::{Error, Result, Unreachable};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Client, RequestBuilder, StatusCode, Url};
use secrecy::ExposeSecret;
use std::time::{Duration, Instant};

/// Timeouts and retry bounds.
#[derive(Debug, Clone)]
pub struct Policy {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub timeout: Duration,
    pub max_attempts: u32,
    /// All attempts together, waits included.
    pub budget: Duration,
    /// The first backoff; each next one doubles, with jitter.
    pub backoff: Duration,
    /// Told of every attempt (`--debug`); never given a header value, body or secret.
    pub observer: Option<Observer>,
}

/// One HTTP attempt as `--debug` shows it: nothing in it is secret. The URL has no user or
/// password; IMS and the Places API take secrets only in bodies and headers, never in a URL.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub method: String,
    pub url: String,
    /// The status, or why there was none (no connection, a timeout…).
    pub outcome: std::result::Result<u16, String>,
    pub duration: Duration,
    pub attempt: u32,
    /// IMS's `x-debug-id` and the gateway's `X-Request-Id`, as (header, value), to quote to
    /// Adobe's support.
    pub ids: Vec<(&'static str, String)>,
}

impl std::fmt::Display for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let outcome = match &self.outcome {
            Ok(status) => status.to_string(),
            Err(failure) => format!("failed ({failure})"),
        };
        write!(
            f,
            "{} {} -> {outcome} in {} ms (attempt {})",
            self.method,
            self.url,
            self.duration.as_millis(),
            self.attempt
        )?;
        for (header, id) in &self.ids {
            write!(f, " {header} {id}")?;
        }
        Ok(())
    }
}

/// Who is told of each attempt.
#[derive(Clone)]
pub struct Observer(pub std::sync::Arc<dyn Fn(&Attempt) + Send + Sync>);

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Observer")
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_attempts: 3,
            budget: Duration::from_secs(60),
            backoff: Duration::from_millis(500),
            observer: None,
        }
    }
}

impl Policy {
    pub fn with_timeout(timeout: Duration) -> Policy {
        Policy {
            timeout,
            connect_timeout: timeout.min(Duration::from_secs(10)),
            ..Policy::default()
        }
    }
}

/// A reqwest client builder with the TLS every client here uses: build clients through this, as
/// reqwest's `rustls-no-provider` panics when no rustls crypto provider is installed.
pub fn builder() -> reqwest::ClientBuilder {
    // ring rather than reqwest's default aws-lc-rs: a smaller, quicker build. An error only means
    // a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // On Linux the system's CAs are loaded by `platform::ca_store`, several times quicker than
    // through the platform verifier, and only when a certificate is to be verified; elsewhere the
    // platform verifier does it.
    crate::platform::ca_store::client_builder()
}

/// The most of an answer's body that is read: IMS's and the Places API's answers are a few
/// kilobytes; a larger one is refused rather than filling memory.
pub const MAX_BODY: usize = 1024 * 1024;

/// The proxies named by the environment, as reqwest would use them, except that loopback hosts
/// (the emulator, or a tunnel on this machine) are always reached directly: a proxy would see a
/// plain `http://` request, client secret included.
fn proxies() -> Result<Vec<reqwest::Proxy>> {
    fn var(names: [&'static str; 2]) -> Option<(&'static str, String)> {
        names.into_iter().find_map(|n| {
            std::env::var(n)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (n, v))
        })
    }
    let no_proxy = var(["NO_PROXY", "no_proxy"])
        .map(|(_, v)| v)
        .unwrap_or_default();
    let direct = reqwest::NoProxy::from_string(&format!("{no_proxy},localhost,127.0.0.0/8,::1"));
    let mut proxies = Vec::new();
    type Make = fn(&str) -> reqwest::Result<reqwest::Proxy>;
    let kinds: [([&str; 2], Make); 3] = [
        (["HTTPS_PROXY", "https_proxy"], |u| reqwest::Proxy::https(u)),
        (["HTTP_PROXY", "http_proxy"], |u| reqwest::Proxy::http(u)),
        (["ALL_PROXY", "all_proxy"], |u| reqwest::Proxy::all(u)),
    ];
    for (names, make) in kinds {
        if let Some((name, url)) = var(names) {
            let proxy = make(url.trim()).map_err(|_| {
                Error::new(format!("{name} is not a proxy URL")).with_hint(format!(
                    "set {name} to a URL such as http://proxy.example:3128, or unset it"
                ))
            })?;
            proxies.push(proxy.no_proxy(direct.clone()));
        }
    }
    Ok(proxies)
}

pub fn client(policy: &Policy) -> Result<Client> {
    let mut builder = builder();
    let proxies = proxies()?;
    if !proxies.is_empty() {
        // Named proxies replace reqwest's own reading of the same variables.
        builder = builder.no_proxy();
    }
    for proxy in proxies {
        builder = builder.proxy(proxy);
    }
    builder
        .connect_timeout(policy.connect_timeout)
        .timeout(policy.timeout)
        // A redirected POST would lose its body; IMS and the Places API do not redirect.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("places-setup/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::new(format!("cannot set up HTTPS: {e}")))
}

/// Parses a service URL. `http://` is allowed only for loopback hosts (the emulator); anything
/// else must be `https://`, whose certificates are always verified.
pub fn check_url(field: &str, raw: &str) -> Result<Url> {
    if raw.len() > MAX_URL_LEN {
        return Err(Error::invalid(
            field,
            format!(
                "a URL of {} bytes is longer than the {MAX_URL_LEN} kept",
                raw.len()
            ),
            "give the base URL only, for example https://ims-na1.adobelogin.com",
        ));
    }
    let url = Url::parse(raw.trim()).map_err(|e| {
        Error::invalid(
            field,
            format!("{} is not a URL ({e})", crate::text::excerpt(raw)),
            "for example https://ims-na1.adobelogin.com",
        )
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(Error::invalid(
            field,
            format!(
                "{} uses plain http:// to a host that is not this machine",
                crate::text::excerpt(raw)
            ),
            "use https:// (plain http is allowed only for 127.0.0.1, ::1 and localhost)",
        )),
        other => Err(Error::invalid(
            field,
            format!("unsupported scheme {other}://"),
            "use https://",
        )),
    }
}

/// Whether the URL's host is this machine (127.0.0.0/8, ::1, localhost).
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A complete answer: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
    /// The secret values the requests carried (the bearer token, the client secret, each JWT),
    /// redacted from whatever the server says (`Answer::server_text`).
    pub sent: Vec<secrecy::SecretString>,
}

impl Answer {
    /// A text of the server's (an error's description, an ID header) fit to show: redacted of
    /// every value sent, and cut (`text::from_server`).
    pub fn server_text(&self, text: &str) -> String {
        let sent: Vec<&str> = self.sent.iter().map(|s| s.expose_secret()).collect();
        crate::text::from_server(text, &sent)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("no content type")
    }

    /// The body as JSON. A non-JSON answer (an HTML error page from a proxy, say) is an error
    /// naming the status and content type.
    pub fn json(&self, service: &str) -> Result<serde_json::Value> {
        let declared_json = self.content_type().to_ascii_lowercase().contains("json");
        match serde_json::from_slice(&self.body) {
            Ok(value) if declared_json || !self.body.is_empty() => Ok(value),
            _ => {
                let what = if self.content_type().contains("html") {
                    "an HTML page"
                } else {
                    "something that is not JSON"
                };
                Err(Error::new(format!(
                    "{service} answered HTTP {} with {what} ({}, {} bytes)",
                    self.status,
                    self.content_type(),
                    self.body.len()
                ))
                .with_hint(
                    "a proxy, captive portal or wrong URL may be in the way: check --ims-url / --places-url and HTTPS_PROXY",
                ))
            }
        }
    }
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// The longest wait a server's Retry-After is taken for. A server's number goes into sums with
/// the clock (when to try again, whether a retry fits the budget); unbounded, 18446744073709551615
/// seconds overflows them. Longer is shown as "a year or more".
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// The longest URL taken from a flag, a variable or a saved profile.
pub const MAX_URL_LEN: usize = 2048;

/// Retry-After as seconds or an HTTP date, at most `MAX_SERVER_WAIT`.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        // All digits but more than u64 holds: as far off as the cap.
        Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => MAX_SERVER_WAIT,
        Err(_) => httpdate_parse(value)?
            .duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    };
    Some(wait.min(MAX_SERVER_WAIT))
}

fn httpdate_parse(value: &str) -> Option<std::time::SystemTime> {
    // HTTP dates are RFC 1123, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| m == month)? + 1;
    let text = format!("{year}-{month:02}-{:0>2}T{time}Z", day);
    humantime::parse_rfc3339(&text).ok()
}

/// When to try again, for a refusal that asked to wait `wait`: `in 120 s (after 2026-11-24T16:05:00Z)`.
pub fn try_again(wait: Duration, now: std::time::SystemTime) -> String {
    let wait = wait.clamp(Duration::from_secs(1), MAX_SERVER_WAIT);
    let after = now.checked_add(wait).map_or_else(
        || "a date this clock cannot show".to_string(),
        crate::timefmt::rfc3339,
    );
    format!("{} (after {after})", in_seconds(wait))
}

/// `in 7 s`, or `in a year or more` for a wait at the cap (the server's own figure may be absurd).
pub fn in_seconds(wait: Duration) -> String {
    if wait >= MAX_SERVER_WAIT {
        "in a year or more".to_string()
    } else {
        format!("in {} s", wait.as_secs())
    }
}

/// Full jitter in [d/2, d]: spreads retries of many clients apart.
fn jittered(d: Duration) -> Duration {
    let mut byte = [0u8; 1];
    let fraction = match getrandom::fill(&mut byte) {
        Ok(()) => 0.5 + f64::from(byte[0]) / 510.0,
        Err(_) => 0.75,
    };
    d.mul_f64(fraction)
}

/// The secret values a request carries — the bearer token, a form's client secret and JWT — to
/// be redacted from what the server says back about it.
fn values_sent(request: &reqwest::Request) -> Vec<secrecy::SecretString> {
    let mut values = Vec::new();
    if let Some(token) = request
        .headers()
        .get(reqwest::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        values.push(secrecy::SecretString::from(token.to_string()));
    }
    if let Some(body) = request.body().and_then(reqwest::Body::as_bytes) {
        for (name, value) in url::form_urlencoded::parse(body) {
            if matches!(&*name, "client_secret" | "jwt_token") {
                values.push(secrecy::SecretString::from(value.into_owned()));
            }
        }
    }
    values
}

/// Sends a request built afresh by `build` for each attempt (so a JWT is signed anew every time),
/// retrying connection failures, timeouts, 408, 429 and 5xx with exponential backoff, within the
/// policy's attempts and time budget. Other answers, errors included, are returned as they are.
pub async fn send(
    policy: &Policy,
    service: &str,
    url: &Url,
    mut build: impl FnMut() -> Result<RequestBuilder>,
) -> Result<Answer> {
    let started = Instant::now();
    let mut attempt = 0;
    // Kept across attempts: each signs a new JWT, and a server may echo any of them.
    let mut secrets = Vec::new();
    loop {
        attempt += 1;
        let remaining = policy.budget.saturating_sub(started.elapsed());
        let (client, request) = build()?.build_split();
        let request = request
            .map_err(|e| Error::new(format!("cannot make the request to {service}: {e}")))?;
        let mut shown_url = request.url().clone();
        let _ = shown_url.set_username("");
        let _ = shown_url.set_password(None);
        let method = request.method().to_string();
        secrets.extend(values_sent(&request));
        let sent = Instant::now();
        let outcome = tokio::time::timeout(remaining.min(policy.timeout), async {
            let response = client.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_capped(response).await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        })
        .await;
        if let Some(observer) = &policy.observer {
            let (outcome, ids) = match &outcome {
                Ok(Ok((status, headers, _))) => (
                    Ok(status.as_u16()),
                    ["x-request-id", "x-debug-id"]
                        .into_iter()
                        .filter_map(|h| {
                            let value = headers.get(h)?.to_str().ok()?;
                            let secrets: Vec<&str> =
                                secrets.iter().map(|s| s.expose_secret()).collect();
                            Some((h, crate::text::from_server(value, &secrets)))
                        })
                        .collect(),
                ),
                Ok(Err(e)) => (Err(describe(e, policy)), Vec::new()),
                Err(_) => (Err("no answer in time".to_string()), Vec::new()),
            };
            (observer.0)(&Attempt {
                method,
                url: shown_url.to_string(),
                outcome,
                duration: sent.elapsed(),
                attempt,
                ids,
            });
        }
        let (wait, failure) = match outcome {
            Ok(Ok((status, headers, None))) => {
                return Err(Error::new(format!(
                    "{service} answered HTTP {status} with more than {} KiB, the most places-setup reads ({})",
                    MAX_BODY / 1024,
                    headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("no content type")
                ))
                .with_hint(
                    "its answers are a few kilobytes: check --ims-url / --places-url, and any proxy in the way (HTTPS_PROXY)",
                ));
            }
            Ok(Ok((status, headers, Some(body)))) => {
                let answer = Answer {
                    status,
                    headers,
                    body,
                    attempts: attempt,
                    sent: secrets.clone(),
                };
                if !retryable(status) {
                    return Ok(answer);
                }
                // A Retry-After is honoured as asked, as Adobe's clients do: when the wait does
                // not fit in the budget, the answer goes back at once (its caller says when to
                // try again) rather than a retry coming early.
                let wait = retry_after(&answer.headers)
                    .unwrap_or_else(|| jittered(policy.backoff * 2u32.pow(attempt - 1)));
                if attempt >= policy.max_attempts
                    || started.elapsed().saturating_add(wait) >= policy.budget
                {
                    return Ok(answer);
                }
                (wait, None)
            }
            Ok(Err(e)) if certificate_refused(&e) => {
                // Another attempt meets the same certificate: waiting cannot help, trust can.
                return Err(Error::new(format!(
                    "cannot reach {service} at {}: {} (1 attempt)",
                    origin(url),
                    describe(&e, policy)
                ))
                .with_hint(
                    "its TLS certificate is not trusted here: if the server is the one meant (a company proxy, a test server), add its CA to the system's CA store or name a PEM file of it with SSL_CERT_FILE (or a folder with SSL_CERT_DIR)",
                ));
            }
            Ok(Err(e)) => (
                jittered(policy.backoff * 2u32.pow(attempt - 1)),
                Some((describe(&e, policy), unreachable(&e))),
            ),
            Err(_) => (
                jittered(policy.backoff * 2u32.pow(attempt - 1)),
                Some((
                    format!(
                        "no answer within {}",
                        seconds(remaining.min(policy.timeout))
                    ),
                    Unreachable::TimedOut,
                )),
            ),
        };
        if let Some((failure, how)) = failure
            && (attempt >= policy.max_attempts
                || started.elapsed().saturating_add(wait) >= policy.budget)
        {
            // A longer wait helps only what was slow: a refused connection needs another address.
            let hint = match how {
                Unreachable::TimedOut => {
                    "check the network and any proxy (HTTPS_PROXY, NO_PROXY); on a slow network raise --timeout"
                }
                Unreachable::Refused => {
                    "nothing accepts connections there: check the URL, and that the server (or `places-setup emulator`) is running"
                }
                Unreachable::Other => {
                    "check the network, the URL and any proxy (HTTPS_PROXY, NO_PROXY)"
                }
            };
            return Err(Error::new(format!(
                "cannot reach {service} at {}: {failure} ({attempt} attempt{})",
                origin(url),
                if attempt == 1 { "" } else { "s" }
            ))
            .with_hint(hint)
            .with_unreachable(how));
        }
        tokio::time::sleep(wait).await;
    }
}

/// The body, or `None` when it is longer than `MAX_BODY` (said by Content-Length or found while
/// reading: a chunked answer may never end).
async fn read_capped(mut response: reqwest::Response) -> reqwest::Result<Option<Bytes>> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(Bytes::from(body)))
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `https://host:port`, as errors name a server.
fn origin(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}", url.scheme())
}

/// Whether the TLS handshake failed on the server's certificate (unknown issuer, expired, wrong
/// name): rustls's error, found along the causes. An `io::Error` hides the error it wraps from
/// `source()` (and may wrap another `io::Error`), so it is looked into.
pub fn certificate_refused(e: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = cause {
        if matches!(
            error.downcast_ref::<rustls::Error>(),
            Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
        ) {
            return true;
        }
        cause = match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner),
            None => error.source(),
        };
    }
    false
}

/// How a request that got no answer failed: refused at once, too slow, or otherwise.
fn unreachable(e: &reqwest::Error) -> Unreachable {
    use std::error::Error as _;
    if e.is_timeout() {
        return Unreachable::TimedOut;
    }
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Unreachable::Refused,
                std::io::ErrorKind::TimedOut => return Unreachable::TimedOut,
                _ => {}
            }
        }
        source = s.source();
    }
    Unreachable::Other
}

pub fn describe(e: &reqwest::Error, policy: &Policy) -> String {
    use std::error::Error as _;
    if e.is_timeout() {
        return format!("no answer within {}", seconds(policy.timeout));
    }
    let mut text = if e.is_connect() {
        "could not connect".to_string()
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off".to_string()
    } else {
        "the connection failed".to_string()
    };
    // The innermost cause says what really happened (refused, reset, certificate…).
    let mut source = e.source();
    let mut last = None;
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    if let Some(cause) = last {
        text.push_str(": ");
        text.push_str(&cause);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check_url("--ims-url", "https://ims-na1.adobelogin.com").is_ok());
        assert!(check_url("--ims-url", "http://127.0.0.1:8080").is_ok());
        assert!(check_url("--ims-url", "http://127.9.9.9").is_ok());
        assert!(check_url("--ims-url", "http://[::1]:9").is_ok());
        assert!(check_url("--ims-url", "http://localhost:9").is_ok());
        let err = check_url("--ims-url", "http://ims-na1.adobelogin.com").unwrap_err();
        assert!(err.message.starts_with("--ims-url:"), "{err:?}");
        assert_eq!(err.exit_code(), 2);
        assert!(check_url("--ims-url", "http://10.0.0.1").is_err());
        assert!(check_url("--ims-url", "ftp://x").is_err());
        assert!(check_url("--ims-url", "not a url").is_err());
    }

    #[test]
    fn a_servers_wait_is_capped_before_any_sum() {
        let now = std::time::SystemTime::now();
        for value in [
            "300000000000",
            "18446744073709551615",
            "99999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            let mut h = HeaderMap::new();
            h.insert("retry-after", value.parse().unwrap());
            let wait = retry_after(&h).expect(value);
            assert_eq!(wait, MAX_SERVER_WAIT, "{value}");
            let text = try_again(wait, now);
            assert!(text.starts_with("in a year or more (after "), "{text}");
        }
        assert_eq!(
            try_again(Duration::from_secs(7), std::time::SystemTime::UNIX_EPOCH),
            "in 7 s (after 1970-01-01T00:00:07Z)"
        );
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&h),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            httpdate_parse("Wed, 21 Oct 2015 07:28:00 GMT"),
            humantime::parse_rfc3339("2015-10-21T07:28:00Z").ok()
        );
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn jitter_stays_within_half_and_whole() {
        for _ in 0..100 {
            let d = jittered(Duration::from_millis(1000));
            assert!(
                d >= Duration::from_millis(500) && d <= Duration::from_millis(1000),
                "{d:?}"
            );
        }
    }

    #[test]
    fn which_statuses_are_retried() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(retryable(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [400, 401, 403, 404, 415] {
            assert!(!retryable(StatusCode::from_u16(s).unwrap()), "{s}");
        }
    }
}
