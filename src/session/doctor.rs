//! `doctor`: the checks that explain why a token cannot be had, in the order a failure would
//! show itself (as `flutter doctor` and `brew doctor` do): the config folder, the profile's
//! secrets, the key pair, the clock against IMS's, the proxy, the CA store, IMS, a token, the
//! Places API. Each check says how it went, the figure behind it and the fix. Prints nothing.
use super::*;
use crate::store::token::REUSE_MARGIN;

/// How one check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Works for now, but deserves attention.
    Warn,
    Fail,
    /// Not run: what it needs failed earlier, or it does not apply to this profile.
    Skip,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
            Verdict::Skip => "skip",
        }
    }
}

/// One line of the doctor's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// A stable name for scripts (`--json`).
    pub id: &'static str,
    pub title: &'static str,
    pub verdict: Verdict,
    /// What was found: a path, a count, an offset, a time left.
    pub figure: String,
    /// What to do about a warning or a failure.
    pub fix: Option<String>,
}

impl Check {
    fn new(
        id: &'static str,
        title: &'static str,
        verdict: Verdict,
        figure: impl Into<String>,
    ) -> Check {
        Check {
            id,
            title,
            verdict,
            figure: figure.into(),
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(fix.into());
        self
    }

    fn from_error(id: &'static str, title: &'static str, e: &Error) -> Check {
        Check {
            id,
            title,
            verdict: Verdict::Fail,
            figure: e.message.clone(),
            fix: e.hint.clone(),
        }
    }
}

/// A clock this far from IMS's is worth a warning: a JWT's `exp` is a few minutes ahead.
pub const CLOCK_WARN: Duration = Duration::from_secs(60);
/// Beyond this, IMS refuses the JWT as expired or not yet valid.
pub const CLOCK_FAIL: Duration = Duration::from_secs(300);
/// A certificate with fewer days left than this is worth a warning.
const CERTIFICATE_WARN_DAYS: i64 = 30;

/// Runs every check, in order. With `exchange`, a new token is asked of IMS (and cached) rather
/// than the cached one looked at.
pub async fn doctor(session: &Session, exchange: bool) -> Vec<Check> {
    let mut checks = Vec::new();
    let profile = match config_check(session) {
        Ok((check, profile)) => {
            checks.push(check);
            Some(profile)
        }
        Err(check) => {
            checks.push(check);
            None
        }
    };
    checks.push(match &profile {
        Some(p) => secrets_check(session, p),
        None => skipped("secrets", "Secrets reachable"),
    });
    checks.push(match &profile {
        Some(p) => key_check(session, p, SystemTime::now()),
        None => skipped("key", "Key and certificate"),
    });
    let ims_url = match &profile {
        Some(p) => session.ims_url(p),
        None => session.new_ims_url(None),
    };
    let places_url = profile
        .as_ref()
        .and_then(|p| session.places_url(None, p).ok());
    let probe = probe_ims(session, &ims_url).await;
    checks.push(clock_check(&probe, SystemTime::now()));
    checks.push(proxy_check(
        &ims_url,
        places_url.as_deref(),
        &proxy_environment(),
    ));
    checks.push(ca_check(&ims_url, &probe));
    checks.push(ims_check(&ims_url, &probe));
    let token = match &profile {
        Some(p) => {
            let (check, token) = token_check(session, p, exchange).await;
            checks.push(check);
            token
        }
        None => {
            checks.push(skipped("token", "Access token"));
            None
        }
    };
    checks.push(match (&profile, &token, &places_url) {
        (Some(p), Some(t), Some(url)) => places_check(session, p, t, url).await,
        (Some(_), None, _) => Check::new(
            "places",
            "Places API accepts the token",
            Verdict::Skip,
            "not checked: no token (see above)",
        ),
        _ => skipped("places", "Places API accepts the token"),
    });
    checks
}

/// Whether any check failed: `doctor` then exits 1.
pub fn any_failed(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.verdict == Verdict::Fail)
}

fn skipped(id: &'static str, title: &'static str) -> Check {
    Check::new(
        id,
        title,
        Verdict::Skip,
        "not checked: an earlier check failed",
    )
}

fn config_check(session: &Session) -> std::result::Result<(Check, Profile), Check> {
    const TITLE: &str = "Config folder and files";
    let fail = |e: &Error| Check::from_error("config", TITLE, e);
    let profile = session.load_profile().map_err(|e| fail(&e))?;
    session
        .store
        .check_profile(&session.profile)
        .map_err(|e| fail(&e))?;
    let figure = format!(
        "{} (profile {}, {})",
        session.store.config_path().display(),
        session.profile,
        profile.auth().as_str()
    );
    Ok((Check::new("config", TITLE, Verdict::Pass, figure), profile))
}

fn secrets_check(session: &Session, profile: &Profile) -> Check {
    const TITLE: &str = "Secrets reachable";
    let where_kept =
        session
            .store
            .secret_location(profile.secret_store, &session.profile, Secret::ClientSecret);
    if let Err(e) = client_secret(session, profile) {
        return Check::from_error("secrets", TITLE, &e);
    }
    let exposed = session.store.exposure_warnings(&session.profile, profile);
    if exposed.is_empty() {
        Check::new(
            "secrets",
            TITLE,
            Verdict::Pass,
            format!("client secret in {where_kept}"),
        )
    } else {
        Check::new("secrets", TITLE, Verdict::Warn, exposed.join("; "))
            .fix("make each file readable by you alone (the chmod above)")
    }
}

fn key_check(session: &Session, profile: &Profile, now: SystemTime) -> Check {
    const TITLE: &str = "Key and certificate";
    let (Some(key_path), Some(jwt)) = (profile.private_key(), profile.jwt()) else {
        return Check::new(
            "key",
            TITLE,
            Verdict::Skip,
            "OAuth Server-to-Server uses no key pair",
        );
    };
    let key = match load_key(session, profile.secret_store, key_path) {
        Ok((key, _)) => key,
        Err(e) => return Check::from_error("key", TITLE, &e),
    };
    let Some(certificate_path) = &jwt.certificate else {
        return Check::new(
            "key",
            TITLE,
            Verdict::Warn,
            format!(
                "{} opens; no certificate saved to compare it with",
                key_path.display()
            ),
        )
        .fix(format!(
            "name the certificate you uploaded: places-setup{} init --certificate PATH",
            session.profile.flag()
        ));
    };
    let certificate = match cert::load_certificate(certificate_path) {
        Ok(c) => c,
        Err(e) => return Check::from_error("key", TITLE, &e),
    };
    if !cert::key_matches(&key, &certificate) {
        return Check::new(
            "key",
            TITLE,
            Verdict::Fail,
            format!(
                "{} does not belong to {}",
                key_path.display(),
                certificate_path.display()
            ),
        )
        .fix("name the key made with that certificate, or make a new pair (places-setup keys --rotate) and upload its certificate");
    }
    let days = crate::timefmt::days_left(cert::expiry(&certificate), now);
    let figure = format!(
        "key matches {}; {days} days left",
        certificate_path.display()
    );
    match days {
        ..=0 => Check::new("key", TITLE, Verdict::Fail, figure.replace(&format!("{days} days left"), "expired"))
            .fix("IMS refuses a JWT signed for an expired certificate: places-setup keys --rotate, then upload the new certificate in the Developer Console"),
        d if d < CERTIFICATE_WARN_DAYS => Check::new("key", TITLE, Verdict::Warn, figure)
            .fix("make the next pair now: places-setup keys --rotate, and upload its certificate beside the old one"),
        _ => Check::new("key", TITLE, Verdict::Pass, figure),
    }
}

/// What one plain request to IMS found out.
#[derive(Debug)]
pub struct Probe {
    /// The HTTP status, when IMS answered at all.
    status: Option<u16>,
    /// IMS's clock, from its `Date` header.
    server_time: Option<SystemTime>,
    /// When the answer came, on this machine's clock.
    local_time: SystemTime,
    /// Why no answer came.
    error: Option<Error>,
    /// Whether the failure was the server's certificate.
    certificate_refused: bool,
}

/// A GET of IMS's root: any answer at all shows it can be reached (through the proxy, past TLS)
/// and carries IMS's clock. One attempt: a doctor reports, it does not retry.
async fn probe_ims(session: &Session, ims_url: &str) -> Probe {
    let failed = |error: Error, certificate_refused: bool| Probe {
        status: None,
        server_time: None,
        local_time: SystemTime::now(),
        error: Some(error),
        certificate_refused,
    };
    let client = match http::client(&session.policy) {
        Ok(c) => c,
        Err(e) => return failed(e, false),
    };
    let url = format!("{}/", ims_url.trim_end_matches('/'));
    match client.get(&url).send().await {
        Ok(answer) => {
            let local_time = SystemTime::now();
            let server_time = answer
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_http_date);
            Probe {
                status: Some(answer.status().as_u16()),
                server_time,
                local_time,
                error: None,
                certificate_refused: false,
            }
        }
        Err(e) => failed(
            Error::new(format!(
                "{ims_url}: {}",
                http::describe(&e, &session.policy)
            )),
            http::certificate_refused(&e),
        ),
    }
}

/// An HTTP `Date` (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, the form RFC 9110 has servers
/// send); `None` for anything else.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let hms: Vec<i64> = time
        .split(':')
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || !(1970..=9999).contains(&year) || *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    // Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + m * 60 + s;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

/// The command that sets this machine's clock from the network.
pub fn clock_fix() -> &'static str {
    if cfg!(target_os = "macos") {
        "sudo sntp -sS time.apple.com (or System Settings → General → Date & Time → Set automatically)"
    } else if cfg!(windows) {
        "w32tm /resync (in an administrator's terminal; or Settings → Time & language → Sync now)"
    } else {
        "sudo timedatectl set-ntp true (or sudo chronyc makestep where chrony keeps the time)"
    }
}

fn clock_check(probe: &Probe, _now: SystemTime) -> Check {
    const TITLE: &str = "Clock against IMS";
    let Some(server) = probe.server_time else {
        let why = if probe.status.is_some() {
            "IMS's answer carried no Date header"
        } else {
            "IMS could not be reached (see below)"
        };
        return Check::new("clock", TITLE, Verdict::Skip, why);
    };
    clock_verdict(server, probe.local_time)
}

/// The clock check from IMS's time and this machine's at the same moment.
pub fn clock_verdict(server: SystemTime, local: SystemTime) -> Check {
    const TITLE: &str = "Clock against IMS";
    let (offset, direction) = match local.duration_since(server) {
        Ok(ahead) => (ahead, "ahead of"),
        Err(e) => (e.duration(), "behind"),
    };
    // IMS's Date header counts whole seconds.
    let figure = if offset < Duration::from_secs(2) {
        "in step with IMS (within a second)".to_string()
    } else {
        format!("{} {direction} IMS", crate::timefmt::span(offset))
    };
    let fix = format!("set the clock from the network: {}", clock_fix());
    if offset > CLOCK_FAIL {
        Check::new(
            "clock",
            TITLE,
            Verdict::Fail,
            format!(
                "{figure}: IMS refuses a JWT made with this clock (its exp is 5 minutes ahead)"
            ),
        )
        .fix(fix)
    } else if offset > CLOCK_WARN {
        Check::new("clock", TITLE, Verdict::Warn, figure).fix(fix)
    } else {
        Check::new("clock", TITLE, Verdict::Pass, figure)
    }
}

/// The proxy variables as the HTTP client reads them: (name, value) of those set.
pub fn proxy_environment() -> Vec<(String, String)> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ]
    .into_iter()
    .filter_map(|n| {
        std::env::var(n)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (n.to_string(), v))
    })
    .collect()
}

/// A proxy URL fit to show: a user name and password in it are left out.
fn without_credentials(proxy: &str) -> String {
    match url::Url::parse(proxy.trim()) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            format!(
                "{} (its credentials not shown)",
                url.as_str().trim_end_matches('/')
            )
        }
        Ok(url) => url.as_str().trim_end_matches('/').to_string(),
        Err(_) => crate::text::excerpt(proxy),
    }
}

/// The proxy a request to `url` goes through, given the variables: (variable, proxy), or `None`
/// when it goes direct. Loopback is always direct, as `http::client` makes it.
pub fn proxy_for(url: &str, environment: &[(String, String)]) -> Option<(String, String)> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed
        .host_str()?
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    let get = |names: [&str; 2]| {
        names.iter().find_map(|n| {
            environment
                .iter()
                .find(|(k, _)| k == n)
                .map(|(k, v)| (k.clone(), v.clone()))
        })
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let no_proxy = get(["NO_PROXY", "no_proxy"])
        .map(|(_, v)| v)
        .unwrap_or_default();
    let bypassed = no_proxy.split(',').map(str::trim).any(|entry| {
        let entry = entry
            .trim_start_matches("*.")
            .trim_start_matches('.')
            .to_ascii_lowercase();
        entry == "*"
            || (!entry.is_empty() && (host == entry || host.ends_with(&format!(".{entry}"))))
    });
    if loopback || bypassed {
        return None;
    }
    let scheme_var = if parsed.scheme() == "https" {
        ["HTTPS_PROXY", "https_proxy"]
    } else {
        ["HTTP_PROXY", "http_proxy"]
    };
    get(scheme_var).or_else(|| get(["ALL_PROXY", "all_proxy"]))
}

fn proxy_check(ims_url: &str, places_url: Option<&str>, environment: &[(String, String)]) -> Check {
    const TITLE: &str = "Proxy";
    let route = |name: &str, url: &str| match proxy_for(url, environment) {
        Some((var, proxy)) => format!("{name} through {} ({var})", without_credentials(&proxy)),
        None => format!("{name} direct"),
    };
    let mut routes = vec![route("IMS", ims_url)];
    if let Some(url) = places_url {
        routes.push(route("Places", url));
    }
    let named: Vec<&str> = environment.iter().map(|(k, _)| k.as_str()).collect();
    let figure = if named.is_empty() {
        format!("no proxy variable set; {}", routes.join(", "))
    } else {
        format!("{} set; {}", named.join(", "), routes.join(", "))
    };
    Check::new("proxy", TITLE, Verdict::Pass, figure)
}

fn ca_check(ims_url: &str, probe: &Probe) -> Check {
    const TITLE: &str = "CA store and IMS's certificate";
    let store = ca_store();
    if !ims_url.starts_with("https://") {
        return Check::new(
            "tls",
            TITLE,
            Verdict::Pass,
            format!(
                "{store}; IMS is plain HTTP on this machine (the emulator): no certificate to verify"
            ),
        );
    }
    if probe.certificate_refused {
        let figure = probe
            .error
            .as_ref()
            .map_or_else(|| store.clone(), |e| format!("{store}; {}", e.message));
        return Check::new("tls", TITLE, Verdict::Fail, figure).fix(
            "a company proxy that inspects TLS signs with its own CA: add that CA to the system's store, or name a PEM file of it with SSL_CERT_FILE (a folder with SSL_CERT_DIR)",
        );
    }
    if probe.status.is_some() {
        Check::new(
            "tls",
            TITLE,
            Verdict::Pass,
            format!("{store}; IMS's certificate verified"),
        )
    } else {
        Check::new(
            "tls",
            TITLE,
            Verdict::Skip,
            format!("{store}; IMS not reached, its certificate not seen"),
        )
    }
}

/// The CA store in words: where its CAs come from (the platform knows).
fn ca_store() -> String {
    crate::platform::ca_store::summary()
}

fn ims_check(ims_url: &str, probe: &Probe) -> Check {
    const TITLE: &str = "IMS reachable";
    match (&probe.status, &probe.error) {
        (Some(status), _) => Check::new("ims", TITLE, Verdict::Pass, format!("{ims_url} answered (HTTP {status})")),
        (None, Some(e)) => Check::from_error("ims", TITLE, e).fix(e.hint.clone().unwrap_or_else(|| {
            "check the network and --ims-url; behind a company proxy set HTTPS_PROXY (see the proxy line)".to_string()
        })),
        (None, None) => Check::new("ims", TITLE, Verdict::Fail, format!("{ims_url} did not answer")),
    }
}

async fn token_check(
    session: &Session,
    profile: &Profile,
    exchange: bool,
) -> (Check, Option<CachedToken>) {
    const TITLE: &str = "Access token";
    let now = SystemTime::now();
    if exchange {
        let mut warnings = Vec::new();
        return match ensure_token(session, profile, true, &mut warnings).await {
            Ok((token, _)) => (
                Check::new(
                    "token",
                    TITLE,
                    Verdict::Pass,
                    format!(
                        "IMS gave a new token, valid {}",
                        crate::timefmt::span(token.remaining(now))
                    ),
                ),
                Some(token),
            ),
            Err(e) => (Check::from_error("token", TITLE, &e), None),
        };
    }
    let ims_url = session.ims_url(profile);
    let cached = session
        .store
        .read_token(&session.profile)
        .filter(|t| t.belongs_to(profile.auth(), &profile.client_id, &ims_url));
    let fix = format!(
        "get one: places-setup{} token (or run doctor --exchange)",
        session.profile.flag()
    );
    match cached {
        Some(token) if token.remaining(now) >= REUSE_MARGIN => (
            Check::new(
                "token",
                TITLE,
                Verdict::Pass,
                format!(
                    "cached, {} left",
                    crate::timefmt::span(token.remaining(now))
                ),
            ),
            Some(token),
        ),
        Some(token) if token.remaining(now) > Duration::ZERO => (
            Check::new(
                "token",
                TITLE,
                Verdict::Warn,
                format!(
                    "cached, only {} left: the next use exchanges a new one",
                    crate::timefmt::span(token.remaining(now))
                ),
            ),
            Some(token),
        ),
        Some(_) => (
            Check::new(
                "token",
                TITLE,
                Verdict::Warn,
                "the cached token has expired",
            )
            .fix(fix),
            None,
        ),
        None => (
            Check::new("token", TITLE, Verdict::Warn, "none cached").fix(fix),
            None,
        ),
    }
}

async fn places_check(
    session: &Session,
    profile: &Profile,
    token: &CachedToken,
    places_url: &str,
) -> Check {
    const TITLE: &str = "Places API accepts the token";
    let request = places::Request {
        places_url,
        access_token: token.access_token.secret(),
        api_key: &profile.client_id,
        org_id: &profile.org_id,
    };
    match check_places(session, &request).await {
        Ok(libraries) => Check::new(
            "places",
            TITLE,
            Verdict::Pass,
            format!("GET /libraries: {} libraries", libraries.len()),
        ),
        Err(Refusal::TokenInvalid) => Check::new(
            "places",
            TITLE,
            Verdict::Fail,
            "the gateway refused the token (401013: expired or revoked)",
        )
        .fix(format!(
            "get a new one: places-setup{} token --force",
            session.profile.flag()
        )),
        Err(Refusal::Refused(e) | Refusal::Other(e)) => Check::from_error("places", TITLE, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn http_dates_are_read() {
        let at = |secs| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), at(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"),
            at(951_782_400)
        );
        assert_eq!(
            parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"),
            at(1_700_000_000)
        );
        assert_eq!(
            parse_http_date("Fri, 01 Jan 2100 00:00:00 GMT"),
            at(4_102_444_800)
        );
        for bad in [
            "",
            "yesterday",
            "Tue, 14 Nov 2023 22:13:20 CET",
            "Tue, 14 Foo 2023 22:13:20 GMT",
            "Tue, 14 Nov 2023 25:13:20 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_clock_warns_past_a_minute_and_fails_past_five() {
        let server = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let at = |secs: i64| {
            if secs >= 0 {
                server + Duration::from_secs(secs as u64)
            } else {
                server - Duration::from_secs((-secs) as u64)
            }
        };
        assert_eq!(clock_verdict(server, at(1)).verdict, Verdict::Pass);
        assert_eq!(clock_verdict(server, at(-59)).verdict, Verdict::Pass);
        let warn = clock_verdict(server, at(90));
        assert_eq!(warn.verdict, Verdict::Warn);
        assert!(warn.figure.contains("1m 30s ahead of"), "{warn:?}");
        let fail = clock_verdict(server, at(-600));
        assert_eq!(fail.verdict, Verdict::Fail);
        assert!(fail.figure.contains("10m 0s behind"), "{fail:?}");
        assert!(fail.fix.unwrap().contains(clock_fix()));
    }

    #[test]
    fn the_proxy_in_effect_is_told_per_host() {
        let ims = "https://ims-na1.adobelogin.com";
        let proxied = env(&[("HTTPS_PROXY", "http://user:pw@proxy.corp:3128")]);
        assert_eq!(
            proxy_for(ims, &proxied).map(|(k, _)| k).as_deref(),
            Some("HTTPS_PROXY")
        );
        assert_eq!(proxy_for("http://127.0.0.1:9", &proxied), None);
        let bypass = env(&[
            ("https_proxy", "http://proxy.corp:3128"),
            ("NO_PROXY", "localhost, .adobelogin.com"),
        ]);
        assert_eq!(proxy_for(ims, &bypass), None);
        assert!(proxy_for("https://api-places.adobe.io", &bypass).is_some());
        assert_eq!(
            proxy_for(
                ims,
                &env(&[("ALL_PROXY", "socks5://p:1"), ("NO_PROXY", "*")])
            ),
            None
        );
        // The proxy's password is never shown.
        let check = proxy_check(ims, None, &proxied);
        assert!(!check.figure.contains("pw"), "{check:?}");
        assert!(check.figure.contains("proxy.corp:3128"), "{check:?}");
    }
}
