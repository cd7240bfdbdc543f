//! The two token exchanges: Service Account (JWT) and OAuth Server-to-Server.
use super::error::ImsError;
use crate::access_token::AccessToken;
use crate::error::{Error, Result};
use crate::http::{self, Answer, Policy};
use reqwest::Client;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use std::time::{Duration, SystemTime};

pub const DEFAULT_IMS_URL: &str = "https://ims-na1.adobelogin.com";
pub const JWT_PATH: &str = "/ims/exchange/jwt";
pub const OAUTH_PATH: &str = "/ims/token/v3";
/// The longest life a token is credited with, whatever `expires_in` says.
pub const MAX_LIFETIME: Duration = Duration::from_secs(366 * 86_400);

/// A token IMS issued.
#[derive(Debug, Clone)]
pub struct Token {
    pub token_type: String,
    pub access_token: AccessToken,
    pub expires_at: SystemTime,
    /// When the request that got it was sent; expiry is counted from here, to be safe.
    pub obtained_at: SystemTime,
}

/// Why an exchange failed: IMS said no, or something else went wrong on the way.
#[derive(Debug, Clone)]
pub enum ExchangeError {
    Ims(Box<ImsError>),
    Other(Error),
}

impl From<Error> for ExchangeError {
    fn from(e: Error) -> Self {
        ExchangeError::Other(e)
    }
}

/// The unit of `expires_in`, which differs between the two endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Milliseconds,
    Seconds,
}

fn endpoint(ims_url: &str, path: &str) -> Result<reqwest::Url> {
    let base = http::check_url("--ims-url", ims_url)?;
    let joined = format!("{}{path}", base.as_str().trim_end_matches('/'));
    http::check_url("--ims-url", &joined)
}

/// `POST {ims}/ims/exchange/jwt` with a JWT signed by `sign` afresh for every attempt.
pub async fn exchange_jwt(
    client: &Client,
    policy: &Policy,
    ims_url: &str,
    client_id: &str,
    client_secret: &SecretString,
    mut sign: impl FnMut() -> Result<String>,
) -> Result<Token, ExchangeError> {
    let url = endpoint(ims_url, JWT_PATH)?;
    let sent = SystemTime::now();
    let answer = http::send(policy, "IMS", &url, || {
        let jwt = sign()?;
        Ok(client.post(url.clone()).form(&[
            ("client_id", client_id),
            ("client_secret", client_secret.expose_secret()),
            ("jwt_token", jwt.as_str()),
        ]))
    })
    .await?;
    token_from(&answer, sent, Unit::Milliseconds, JWT_PATH)
}

/// `POST {ims}/ims/token/v3` with `grant_type=client_credentials`.
pub async fn client_credentials(
    client: &Client,
    policy: &Policy,
    ims_url: &str,
    client_id: &str,
    client_secret: &SecretString,
    scopes: &[String],
) -> Result<Token, ExchangeError> {
    let url = endpoint(ims_url, OAUTH_PATH)?;
    let scope = scopes.join(",");
    let sent = SystemTime::now();
    let answer = http::send(policy, "IMS", &url, || {
        Ok(client.post(url.clone()).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", client_secret.expose_secret()),
            ("scope", scope.as_str()),
        ]))
    })
    .await?;
    token_from(&answer, sent, Unit::Seconds, OAUTH_PATH)
}

/// Where Adobe's own client asks IMS to invalidate a token: `Ims.invalidateToken` of
/// `@adobe/aio-lib-ims` (src/ims.js) posts `token_type`, `token`, `cascading=all`, `client_id` and
/// `client_secret` here. Adobe's OAuth Server-to-Server API reference documents no revocation.
pub const INVALIDATE_PATH: &str = "/ims/invalidate_token/v2";

/// Asks IMS to invalidate `token`, as aio-lib-ims does; `Ok` when IMS answered 200.
pub async fn invalidate(
    client: &Client,
    policy: &Policy,
    ims_url: &str,
    client_id: &str,
    client_secret: &SecretString,
    token: &SecretString,
) -> Result<(), ExchangeError> {
    let url = endpoint(ims_url, INVALIDATE_PATH)?;
    let answer = http::send(policy, "IMS", &url, || {
        Ok(client.post(url.clone()).form(&[
            ("token_type", "access_token"),
            ("token", token.expose_secret()),
            ("cascading", "all"),
            ("client_id", client_id),
            ("client_secret", client_secret.expose_secret()),
        ]))
    })
    .await?;
    if answer.status.is_success() {
        return Ok(());
    }
    let body = answer.json("IMS").unwrap_or_default();
    Err(ExchangeError::Ims(Box::new(ImsError::from_answer(
        &answer,
        &body,
        INVALIDATE_PATH,
    ))))
}

/// Reads IMS's answer: a token on 200, else IMS's error with its debug ID.
pub fn token_from(
    answer: &Answer,
    sent: SystemTime,
    unit: Unit,
    path: &str,
) -> Result<Token, ExchangeError> {
    if answer.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(ExchangeError::Other(throttled(answer)));
    }
    let body = answer.json("IMS")?;
    if !answer.status.is_success() {
        return Err(ExchangeError::Ims(Box::new(ImsError::from_answer(
            answer, &body, path,
        ))));
    }
    let malformed = |what: &str| {
        ExchangeError::Other(
            Error::new(format!("IMS answered HTTP {} but {what}", answer.status))
                .with_hint("check --ims-url: it should be the IMS base URL, e.g. https://ims-na1.adobelogin.com"),
        )
    };
    let access_token = body
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| malformed("without an access_token"))?;
    // Never printed, cached or exported unless of a token's shape: it would go into shell
    // commands and headers.
    let access_token = AccessToken::new(access_token.to_string())
        .map_err(|problem| malformed(&format!("its access_token {problem}")))?;
    let token_type = body
        .get("token_type")
        .and_then(Value::as_str)
        .unwrap_or("bearer");
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(malformed(&format!(
            "with token_type {}, not bearer",
            crate::text::excerpt(token_type)
        )));
    }
    let expires_in = body.get("expires_in").and_then(|v| {
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_u64().map(i128::from))
            .or_else(|| v.as_str().and_then(|s| s.trim().parse::<i128>().ok()))
    });
    let expires_in = match expires_in {
        None => return Err(malformed("without a numeric expires_in")),
        Some(n) if n <= 0 => {
            return Err(malformed(&format!(
                "with a token that has already expired (expires_in {n})"
            )));
        }
        Some(n) => u64::try_from(n).unwrap_or(u64::MAX),
    };
    let lifetime = match unit {
        Unit::Milliseconds => Duration::from_millis(expires_in),
        Unit::Seconds => Duration::from_secs(expires_in),
    };
    // IMS's tokens last a day. A claim of more than a year is not believed: unbounded, it would
    // overflow the clock or make an expiry past year 9999, which cannot be printed or cached.
    let mut expires_at = sent
        .checked_add(lifetime.min(MAX_LIFETIME))
        .ok_or_else(|| malformed("with an expiry this machine's clock cannot hold"))?;
    // Adobe's access tokens carry their own expiry; when it is earlier, it is the one that counts.
    if let Some(embedded) = access_token.embedded_expiry()
        && embedded < expires_at
    {
        // A token whose own claims say it has expired is never handed out, whatever expires_in says.
        if embedded <= sent {
            return Err(malformed(&format!(
                "with a token whose own claims say it expired at {}",
                crate::timefmt::rfc3339(embedded)
            )));
        }
        expires_at = embedded;
    }
    Ok(Token {
        token_type: "bearer".to_string(),
        access_token,
        expires_at,
        obtained_at: sent,
    })
}

/// IMS throttles integrations that ask for many tokens. Its 429 comes with or without a JSON body,
/// with or without Retry-After; either way the fix is to wait, and to reuse the cached token.
fn throttled(answer: &Answer) -> Error {
    let wait = http::retry_after(&answer.headers);
    let mut message = format!(
        "IMS is throttling this integration: HTTP 429, too many requests ({} attempt{})",
        answer.attempts,
        if answer.attempts == 1 { "" } else { "s" }
    );
    if let Some(wait) = wait {
        message.push_str(&format!(
            "; it asked to wait {}",
            http::in_seconds(wait).trim_start_matches("in ")
        ));
    }
    if let Some(id) = answer.header("x-debug-id") {
        message.push_str(&format!(" [x-debug-id: {}]", answer.server_text(id)));
    }
    let wait = wait.map_or_else(
        || "wait a minute and try again".to_string(),
        |w| format!("try again {}", http::try_again(w, SystemTime::now())),
    );
    Error::new(message).with_hint(format!(
        "{wait}. Adobe throttles integrations that request many tokens: \
         let `places-setup token` reuse its cached token (no --force in loops or scripts)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn answer(status: u16, body: &str) -> Answer {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/json;charset=utf-8".parse().unwrap(),
        );
        headers.insert("x-debug-id", "dbg-1".parse().unwrap());
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.to_string().into(),
            attempts: 1,
            sent: Vec::new(),
        }
    }

    #[test]
    fn units_differ_by_endpoint() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let body = r#"{"token_type":"bearer","access_token":"opaque","expires_in":86399999}"#;
        let t = token_from(&answer(200, body), now, Unit::Milliseconds, JWT_PATH).unwrap();
        assert_eq!(t.expires_at, now + Duration::from_millis(86_399_999));
        let body = r#"{"token_type":"bearer","access_token":"opaque","expires_in":86399}"#;
        let t = token_from(&answer(200, body), now, Unit::Seconds, OAUTH_PATH).unwrap();
        assert_eq!(t.expires_at, now + Duration::from_secs(86_399));
    }

    #[test]
    fn embedded_expiry_wins_when_earlier() {
        let payload = r#"{"created_at":"1000000000","expires_in":"60000"}"#;
        let b64 =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, payload);
        let token = format!("e30.{}.sig", b64.replace('+', "-").replace('/', "_"));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let body =
            format!(r#"{{"token_type":"bearer","access_token":"{token}","expires_in":86399999}}"#);
        let t = token_from(&answer(200, &body), now, Unit::Milliseconds, JWT_PATH).unwrap();
        assert_eq!(t.expires_at, now + Duration::from_secs(60));
    }

    #[test]
    fn errors_keep_code_description_and_debug_id() {
        let body =
            r#"{"error":"invalid_client","error_description":"invalid client_secret parameter"}"#;
        let now = SystemTime::now();
        let Err(ExchangeError::Ims(e)) =
            token_from(&answer(401, body), now, Unit::Milliseconds, JWT_PATH)
        else {
            panic!("expected an IMS error");
        };
        assert_eq!(e.code, "invalid_client");
        assert_eq!(e.status, 401);
        assert_eq!(e.description, "invalid client_secret parameter");
        assert_eq!(e.debug_id.as_deref(), Some("dbg-1"));
    }

    #[test]
    fn an_absurd_lifetime_is_capped_not_a_panic() {
        // Found by fuzz/fuzz_targets/ims_answer.rs: an expiry past year 9999 panicked when printed or
        // cached, and one past the clock's range panicked when computed.
        let now = SystemTime::now();
        for (unit, path) in [(Unit::Milliseconds, JWT_PATH), (Unit::Seconds, OAUTH_PATH)] {
            for expires_in in [
                "\"10248191152060859518\"",
                "18446744073709551615",
                "1000000000000000",
            ] {
                let body = format!(r#"{{"access_token":"opaque","expires_in":{expires_in}}}"#);
                let t = token_from(&answer(200, &body), now, unit, path).unwrap();
                assert_eq!(t.expires_at, now + MAX_LIFETIME, "{body}");
                assert_eq!(crate::timefmt::rfc3339(t.expires_at).len(), 20);
            }
        }
    }

    #[test]
    fn throttling_says_how_long_to_wait_whatever_the_body() {
        let now = SystemTime::now();
        let mut throttled = answer(429, "");
        throttled.attempts = 3;
        let Err(ExchangeError::Other(e)) = token_from(&throttled, now, Unit::Seconds, OAUTH_PATH)
        else {
            panic!("expected an error");
        };
        assert!(
            e.message
                .contains("HTTP 429, too many requests (3 attempts)"),
            "{e:?}"
        );
        assert!(
            e.hint.as_deref().unwrap().starts_with("wait a minute"),
            "{e:?}"
        );
        let mut throttled = answer(429, r#"{"error":"too_many_requests"}"#);
        throttled
            .headers
            .insert("retry-after", "7".parse().unwrap());
        let Err(ExchangeError::Other(e)) = token_from(&throttled, now, Unit::Seconds, OAUTH_PATH)
        else {
            panic!("expected an error");
        };
        assert!(
            e.message.contains("asked to wait 7 s [x-debug-id: dbg-1]"),
            "{e:?}"
        );
        assert!(e.hint.as_deref().unwrap().contains("cached token"), "{e:?}");
    }

    #[test]
    fn malformed_success_is_an_error() {
        let now = SystemTime::now();
        for body in [
            r#"{"token_type":"bearer"}"#,
            r#"{"access_token":"x","expires_in":"soon"}"#,
            r#"{"access_token":"x","token_type":"mac","expires_in":1}"#,
        ] {
            assert!(
                matches!(
                    token_from(&answer(200, body), now, Unit::Seconds, OAUTH_PATH),
                    Err(ExchangeError::Other(_))
                ),
                "{body}"
            );
        }
    }
}
