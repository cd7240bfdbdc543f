//! The Places Service REST API: a read-only check that a token works, and the curl command.
use crate::error::{Error, Result};
use crate::http::{self, Policy};
use reqwest::Client;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const DEFAULT_PLACES_URL: &str = "https://api-places.adobe.io/places/placesapi/v1";

/// Where the built-in emulator serves the Places API, under its own base URL (as Adobe's is).
pub const EMULATOR_PREFIX: &str = "/places/placesapi/v1";

/// One POI library, as `GET /libraries` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    #[serde(deserialize_with = "text")]
    pub id: String,
    pub name: String,
    #[serde(
        rename = "customerID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_id: Option<String>,
    #[serde(rename = "poiCount", default, skip_serializing_if = "Option::is_none")]
    pub poi_count: Option<u64>,
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// The three headers every Places request carries, and where it goes.
pub struct Request<'a> {
    pub places_url: &'a str,
    pub access_token: &'a SecretString,
    pub api_key: &'a str,
    pub org_id: &'a str,
}

impl Request<'_> {
    fn libraries_url(&self) -> Result<reqwest::Url> {
        let base = http::check_url("--places-url", self.places_url)?;
        http::check_url(
            "--places-url",
            &format!("{}/libraries", base.as_str().trim_end_matches('/')),
        )
    }

    /// A command to run by hand, like the Console's "Sample CURL command". It contains the token.
    pub fn curl_command(&self) -> Result<String> {
        Ok(format!(
            "curl -X GET {} \\\n  -H {} \\\n  -H {} \\\n  -H {}",
            shell_quote(self.libraries_url()?.as_str()),
            shell_quote(&format!(
                "Authorization: Bearer {}",
                self.access_token.expose_secret()
            )),
            shell_quote(&format!("x-api-key: {}", self.api_key)),
            shell_quote(&format!("x-gw-ims-org-id: {}", self.org_id)),
        ))
    }
}

/// Why the Places API refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 401013: expired or revoked token.
    TokenInvalid,
    /// The gateway refused this credential (HTTP 403: the org ID, the API key, the product
    /// profile), already explained.
    Refused(Error),
    /// Anything else (no answer, a server's trouble, a wrong URL), already explained.
    Other(Error),
}

impl Refusal {
    /// The refusal as an error to report; a 401013 is worded by the caller, which knows whether
    /// the token was cached.
    pub fn into_error(self) -> Error {
        match self {
            Refusal::TokenInvalid => {
                Error::new("the Places API says the token is not valid (401013)")
            }
            Refusal::Refused(e) | Refusal::Other(e) => e,
        }
    }
}

/// `GET /libraries`.
pub async fn libraries(
    client: &Client,
    policy: &Policy,
    request: &Request<'_>,
) -> Result<Vec<Library>, Refusal> {
    let url = request.libraries_url().map_err(Refusal::Other)?;
    let answer = http::send(policy, "the Places API", &url, || {
        Ok(client
            .get(url.clone())
            .bearer_auth(request.access_token.expose_secret())
            .header("x-api-key", request.api_key)
            .header("x-gw-ims-org-id", request.org_id))
    })
    .await
    .map_err(Refusal::Other)?;
    libraries_from(&answer, request)
}

/// Reads the Places API's answer to `GET /libraries`: the list, or why the request was refused.
pub fn libraries_from(
    answer: &http::Answer,
    request: &Request<'_>,
) -> Result<Vec<Library>, Refusal> {
    let body = answer.json("the Places API").map_err(Refusal::Other)?;
    if answer.status.is_success() {
        return serde_json::from_value(body).map_err(|e| {
            Refusal::Other(Error::new(format!(
                "the Places API answered with an unexpected list of libraries: {e}"
            )))
        });
    }
    // The gateway's code has been seen both as "401013" and as 401013 (adobe/aio-cli#812).
    let code = match body.get("error_code") {
        Some(Value::String(c)) => c.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let code = answer.server_text(&code);
    let code = code.as_str();
    let text = body
        .get("message")
        .or_else(|| body.get("title"))
        .and_then(Value::as_str)
        .map(|t| answer.server_text(t))
        .unwrap_or_default();
    if code == "401013" || answer.status == 401 {
        return Err(Refusal::TokenInvalid);
    }
    let mut message = format!(
        "the Places API refused the request: HTTP {} {code} {text}",
        answer.status.as_u16()
    );
    message = message.trim_end().to_string();
    // Quoted as IMS's x-debug-id is: Adobe support asks for it.
    if let Some(id) = answer.header("x-request-id") {
        message.push_str(&format!(" [x-request-id: {}]", answer.server_text(id)));
    }
    let hint = match (answer.status.as_u16(), code) {
        (403, "403003") => format!(
            "the API key {} is not accepted with this token: the x-api-key must be the client ID of the integration that issued it (check the profile with `places-setup status`)",
            request.api_key
        ),
        (403, _) => format!(
            "this integration may not use the Places Service for org {}: check that Places Service is added to the project and that the org ID is right",
            request.org_id
        ),
        (404, _) => "check --places-url: it should end in /places/placesapi/v1".to_string(),
        (429, _) => throttled(http::retry_after(&answer.headers)),
        _ => "try again later".to_string(),
    };
    let error = Error::new(message).with_hint(hint);
    Err(if answer.status == 403 {
        Refusal::Refused(error)
    } else {
        Refusal::Other(error)
    })
}

/// The hint for a 429: when to try again, as the gateway's Retry-After says (capped), if it does.
fn throttled(wait: Option<std::time::Duration>) -> String {
    match wait {
        Some(wait) => format!(
            "the Places API is throttling this integration: try again {}",
            http::try_again(wait, std::time::SystemTime::now())
        ),
        None => {
            "the Places API is throttling this integration: wait a minute and try again".to_string()
        }
    }
}

/// The URL of `path` under the Places API base URL. A whole URL is taken only when it lies under
/// the base URL: the token is never sent anywhere else.
pub fn api_url(base: &str, path: &str) -> Result<reqwest::Url> {
    let base_url = http::check_url("--places-url", base)?;
    let url = if path.contains("://") {
        http::check_url("PATH", path)?
    } else {
        http::check_url(
            "PATH",
            &format!(
                "{}/{}",
                base_url.as_str().trim_end_matches('/'),
                path.trim_start_matches('/')
            ),
        )?
    };
    if !under(&url, &base_url) {
        return Err(Error::invalid(
            "PATH",
            format!("{path} is not under the Places API at {base}"),
            "give a path such as /libraries (the token goes only to the Places API)",
        ));
    }
    Ok(url)
}

/// Whether `url` is on the same origin as `base`, under its path at a `/` boundary (so
/// `…/placesapi/v1evil` is not under `…/placesapi/v1`), and names no user: the token goes nowhere else.
fn under(url: &reqwest::Url, base: &reqwest::Url) -> bool {
    let root = base.path().trim_end_matches('/');
    let path = url.path();
    let below = path == root
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'));
    url.origin() == base.origin() && below && url.username().is_empty() && url.password().is_none()
}

/// Sends one request to the Places API with the three headers (and a JSON body, if any).
pub async fn call(
    client: &Client,
    policy: &Policy,
    request: &Request<'_>,
    method: &reqwest::Method,
    url: &reqwest::Url,
    body: Option<&bytes::Bytes>,
) -> Result<http::Answer> {
    http::send(policy, "the Places API", url, || {
        let mut builder = client
            .request(method.clone(), url.clone())
            .bearer_auth(request.access_token.expose_secret())
            .header("x-api-key", request.api_key)
            .header("x-gw-ims-org-id", request.org_id);
        if let Some(body) = body {
            builder = builder
                .header("content-type", "application/json")
                .body(body.clone());
        }
        Ok(builder)
    })
    .await
}

/// What the gateway says of a refused request: its code (a string or, as sometimes seen, a
/// number), its message, and the `X-Request-Id` to quote to Adobe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    pub status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// Retry-After, capped (see `http::retry_after`).
    pub retry_after: Option<std::time::Duration>,
}

impl GatewayError {
    pub fn from_answer(answer: &http::Answer) -> GatewayError {
        let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        let code = match body.get("error_code") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let message = ["message", "title", "error_description"]
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
            .map(|m| answer.server_text(m));
        GatewayError {
            status: answer.status.as_u16(),
            code: code.map(|c| answer.server_text(&c)),
            message,
            request_id: answer
                .header("x-request-id")
                .map(|id| answer.server_text(id)),
            retry_after: http::retry_after(&answer.headers),
        }
    }

    /// 401013: the token expired or was revoked.
    pub fn token_invalid(&self) -> bool {
        self.code.as_deref() == Some("401013")
    }

    /// The error for the person: status, code, message and request ID.
    pub fn to_error(&self, api_key: &str, org_id: &str) -> Error {
        let mut message = format!("the Places API answered HTTP {}", self.status);
        for part in [&self.code, &self.message].into_iter().flatten() {
            message.push(' ');
            message.push_str(part);
        }
        if let Some(id) = &self.request_id {
            message.push_str(&format!(" (request id {id})"));
        }
        let hint = match (self.status, self.code.as_deref()) {
            (401, _) => "the token was refused: check that --ims-url and --places-url belong to the same Adobe environment".to_string(),
            (403, Some("403003")) => format!("the API key {api_key} is not accepted with this token: it must be the client ID of the integration that issued it"),
            (403, _) => format!("this integration may not use the Places Service for org {org_id}: check that Places Service is added to the project"),
            (404, _) => "check PATH and the IDs in it (`places-setup api /libraries` lists the libraries)".to_string(),
            (400 | 415 | 422, _) => "check the body given with -d and the query parameters".to_string(),
            (429, _) => throttled(self.retry_after),
            _ => "try again later; quote the request id to Adobe if it persists".to_string(),
        };
        Error::new(message).with_hint(hint)
    }
}

/// The next page of a paged answer (`_links.next.href`), if any, resolved against `current`; a
/// link that leaves the Places API at `base` is refused rather than sent the token.
pub fn next_page(body: &Value, current: &reqwest::Url, base: &str) -> Result<Option<reqwest::Url>> {
    let Some(href) = body.pointer("/_links/next/href").and_then(Value::as_str) else {
        return Ok(None);
    };
    let base_url = http::check_url("--places-url", base)?;
    let next = current.join(href).map_err(|e| {
        Error::new(format!(
            "the Places API gave a next page link that is not a URL: {href:?} ({e})"
        ))
    })?;
    if !under(&next, &base_url) {
        return Err(Error::new(format!(
            "not following the next page link {next}: it leaves the Places API at {base}"
        )));
    }
    Ok(Some(next))
}

/// How far `api --paginate` follows next links: a server that links a page to itself, or
/// makes up a new page each time, would otherwise be asked (and sent the token) forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    pub max_pages: u32,
    pub max_bytes: u64,
}

impl PageLimits {
    pub const DEFAULT_MAX_PAGES: u32 = 1000;
    pub const DEFAULT_MAX_MIB: u64 = 100;
}

/// The pages followed so far: each URL at most once, within the limits.
#[derive(Debug)]
pub struct Pages {
    limits: PageLimits,
    seen: std::collections::HashSet<String>,
    bytes: u64,
}

impl Pages {
    pub fn new(limits: PageLimits) -> Pages {
        Pages {
            limits,
            seen: std::collections::HashSet::new(),
            bytes: 0,
        }
    }

    /// Counts a page (its URL and body) received; an error when it passes a limit or repeats a page.
    pub fn received(&mut self, url: &reqwest::Url, body: &[u8]) -> Result<()> {
        let pages = self.seen.len() as u32;
        if !self.seen.insert(url.to_string()) {
            return Err(Error::new(format!(
                "stopped after {pages} pages: the Places API linked back to a page already fetched ({url})"
            ))
            .with_hint("the pages printed so far are complete; the list itself is at fault, not the request"));
        }
        self.bytes = self.bytes.saturating_add(body.len() as u64);
        if self.seen.len() as u32 > self.limits.max_pages {
            return Err(Error::new(format!(
                "stopped after {} pages, the most --paginate follows (--max-pages)",
                self.limits.max_pages
            ))
            .with_hint("ask for more a page (e.g. ?limit=100), or raise --max-pages if the list is really that long"));
        }
        if self.bytes > self.limits.max_bytes {
            return Err(Error::new(format!(
                "stopped after {pages} pages and {} MiB, the most --paginate reads (--max-mib)",
                self.limits.max_bytes / (1024 * 1024)
            ))
            .with_hint("raise --max-mib if the list is really that large"));
        }
        Ok(())
    }
}

/// Single-quotes a word for POSIX shells.
pub fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_command_is_shell_safe() {
        let token = SecretString::from("tok'en".to_string());
        let r = Request {
            places_url: "https://api-places.adobe.io/places/placesapi/v1/",
            access_token: &token,
            api_key: "0123456789abcdef0123456789abcdef",
            org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
        };
        let cmd = r.curl_command().unwrap();
        assert_eq!(
            cmd,
            "curl -X GET 'https://api-places.adobe.io/places/placesapi/v1/libraries' \\\n  -H 'Authorization: Bearer tok'\\''en' \\\n  -H 'x-api-key: 0123456789abcdef0123456789abcdef' \\\n  -H 'x-gw-ims-org-id: 18FB61145BAC2FFB0A494777@AdobeOrg'"
        );
    }

    #[test]
    fn api_paths_stay_under_the_places_api() {
        let base = "http://127.0.0.1:9/places/placesapi/v1";
        for path in [
            "/libraries",
            "libraries",
            "http://127.0.0.1:9/places/placesapi/v1/libraries",
        ] {
            assert_eq!(
                api_url(base, path).unwrap().as_str(),
                "http://127.0.0.1:9/places/placesapi/v1/libraries"
            );
        }
        assert_eq!(
            api_url(base, "/libraries/x/pois?limit=5").unwrap().query(),
            Some("limit=5")
        );
        for elsewhere in [
            "http://127.0.0.1:10/places/placesapi/v1/libraries",
            "https://example.com/x",
            "http://127.0.0.1:9/other",
        ] {
            let e = api_url(base, elsewhere).unwrap_err();
            assert!(e.message.starts_with("PATH:"), "{e:?}");
        }
        let current = api_url(base, "/libraries/x/pois").unwrap();
        let page = |href: &str| serde_json::json!({"_links": {"next": {"href": href}}});
        assert_eq!(
            next_page(&page("?limit=2&page=2"), &current, base)
                .unwrap()
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9/places/placesapi/v1/libraries/x/pois?limit=2&page=2"
        );
        assert!(next_page(&page("https://example.com/steal"), &current, base).is_err());
        for trick in [
            "http://127.0.0.1:9/places/placesapi/v1evil/x",
            "http://127.0.0.1:9/places/placesapi/v1evil",
            "http://user@127.0.0.1:9/places/placesapi/v1/libraries",
            "http://user:pw@127.0.0.1:9/places/placesapi/v1/libraries",
        ] {
            assert!(next_page(&page(trick), &current, base).is_err(), "{trick}");
            assert!(api_url(base, trick).is_err(), "{trick}");
        }
        assert_eq!(
            next_page(&serde_json::json!({"data": []}), &current, base).unwrap(),
            None
        );
    }

    #[test]
    fn pages_stop_at_a_repeat_and_at_each_limit() {
        let url = |n: u32| {
            reqwest::Url::parse(&format!("http://127.0.0.1:9/places/placesapi/v1/l?p={n}")).unwrap()
        };
        let mut pages = Pages::new(PageLimits {
            max_pages: 3,
            max_bytes: 10,
        });
        pages.received(&url(1), b"ab").unwrap();
        let e = pages.received(&url(1), b"ab").unwrap_err();
        assert!(e.message.contains("already fetched"), "{e:?}");
        pages.received(&url(2), b"ab").unwrap();
        pages.received(&url(3), b"ab").unwrap();
        let e = pages.received(&url(4), b"ab").unwrap_err();
        assert!(e.message.contains("--max-pages"), "{e:?}");
        let mut pages = Pages::new(PageLimits {
            max_pages: 100,
            max_bytes: 3,
        });
        pages.received(&url(1), b"ab").unwrap();
        let e = pages.received(&url(2), b"ab").unwrap_err();
        assert!(e.message.contains("--max-mib"), "{e:?}");
    }

    #[test]
    fn gateway_errors_read_string_or_number_codes_and_the_request_id() {
        let answer = |body: &str| http::Answer {
            status: reqwest::StatusCode::UNAUTHORIZED,
            headers: [("x-request-id", "req-1")]
                .into_iter()
                .map(|(k, v)| {
                    (
                        reqwest::header::HeaderName::from_static(k),
                        v.parse().unwrap(),
                    )
                })
                .collect(),
            body: bytes::Bytes::from(body.to_string()),
            attempts: 1,
            sent: Vec::new(),
        };
        for body in [
            r#"{"error_code":"401013","message":"Oauth token is not valid"}"#,
            r#"{"error_code":401013,"title":"Oauth token is not valid","status":401}"#,
        ] {
            let e = GatewayError::from_answer(&answer(body));
            assert!(e.token_invalid(), "{body}");
            assert_eq!(
                e.to_error("k", "o").message,
                "the Places API answered HTTP 401 401013 Oauth token is not valid (request id req-1)"
            );
        }
    }

    #[test]
    fn libraries_parse_with_numeric_ids() {
        let libs: Vec<Library> =
            serde_json::from_str(r#"[{"id":7,"name":"Stores","customerID":"c","poiCount":12}]"#)
                .unwrap();
        assert_eq!(libs[0].id, "7");
        assert_eq!(libs[0].poi_count, Some(12));
    }

    fn answer(status: u16, body: &str, request_id: Option<&str>) -> http::Answer {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        if let Some(id) = request_id {
            headers.insert("x-request-id", id.parse().unwrap());
        }
        http::Answer {
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.to_string().into(),
            attempts: 1,
            sent: Vec::new(),
        }
    }

    #[test]
    fn gateway_codes_are_read_as_strings_or_numbers_with_the_request_id() {
        let token = SecretString::from("t".to_string());
        let r = Request {
            places_url: DEFAULT_PLACES_URL,
            access_token: &token,
            api_key: "0123456789abcdef0123456789abcdef",
            org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
        };
        for body in [
            r#"{"error_code":"403003","message":"Api Key is invalid"}"#,
            r#"{"error_code":403003,"title":"Api Key is invalid","status":403}"#,
        ] {
            let Err(Refusal::Refused(e)) = libraries_from(&answer(403, body, Some("req-42")), &r)
            else {
                panic!("{body}")
            };
            assert_eq!(
                e.message,
                "the Places API refused the request: HTTP 403 403003 Api Key is invalid [x-request-id: req-42]"
            );
            assert!(e.hint.unwrap().contains("is not accepted with this token"));
        }
        let expired = r#"{"error_code":401013,"message":"Oauth token is not valid"}"#;
        assert_eq!(
            libraries_from(&answer(400, expired, None), &r),
            Err(Refusal::TokenInvalid)
        );
        let mut throttled = answer(
            429,
            r#"{"error_code":"429050","message":"Too many requests"}"#,
            None,
        );
        throttled
            .headers
            .insert("retry-after", "90".parse().unwrap());
        let Err(Refusal::Other(e)) = libraries_from(&throttled, &r) else {
            panic!()
        };
        assert!(e.hint.unwrap().contains("try again in 90 s (after "));
        let Err(Refusal::Other(e)) = libraries_from(&answer(500, "{}", None), &r) else {
            panic!()
        };
        assert_eq!(e.message, "the Places API refused the request: HTTP 500");
    }
}
