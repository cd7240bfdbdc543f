//! What an access token is, whoever holds it (IMS's answer, the cache, a face): its shape, and
//! the expiry it carries inside. Used by the IMS client and the store alike, so neither needs the
//! other.
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::time::{Duration, SystemTime};

/// An access token whose shape was checked when it was made: safe to put in a header, a shell
/// command or a terminal. A secret: `Debug` shows no part of it.
#[derive(Clone)]
pub struct AccessToken(SecretString);

impl AccessToken {
    /// The token, or what is wrong with its shape (never quoting it).
    pub fn new(text: String) -> Result<AccessToken, String> {
        match shape_problem(&text) {
            Some(problem) => Err(problem),
            None => Ok(AccessToken(SecretString::from(text))),
        }
    }

    /// The expiry the token's own claims give, if they give one.
    pub fn embedded_expiry(&self) -> Option<SystemTime> {
        embedded_expiry(self.0.expose_secret())
    }

    /// The token as a secret, for what takes any secret (the clipboard, a request).
    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

impl ExposeSecret<str> for AccessToken {
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([REDACTED])")
    }
}

/// What is wrong with a token's shape, if anything. Adobe's access tokens are JWTs: base64url
/// parts joined by dots. Anything else (spaces, quotes, control characters) is refused, as it would
/// go into a shell command, an HTTP header or a terminal.
pub fn shape_problem(token: &str) -> Option<String> {
    const MAX_TOKEN: usize = 16 * 1024;
    if token.len() > MAX_TOKEN {
        return Some(format!(
            "is {} bytes long, more than a token can be ({MAX_TOKEN})",
            token.len()
        ));
    }
    let (position, c) = token
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))?;
    Some(format!(
        "has a character a token cannot have ({}, at position {}): a token is base64url text and dots",
        crate::text::excerpt(&c.to_string()),
        position + 1
    ))
}

/// `created_at + expires_in` from the token's payload (epoch milliseconds, as strings).
pub fn embedded_expiry(access_token: &str) -> Option<SystemTime> {
    let payload = crate::jwt::unverified_payload(access_token)?;
    let number = |key: &str| -> Option<u64> {
        let v = payload.get(key)?;
        v.as_u64().or_else(|| v.as_str()?.parse().ok())
    };
    let ms = number("created_at")?.checked_add(number("expires_in")?)?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_token_shape_is_a_token_and_debug_shows_none_of_it() {
        let token = AccessToken::new("eyJ.abc.def".to_string()).unwrap();
        assert_eq!(token.expose_secret(), "eyJ.abc.def");
        assert!(!format!("{token:?}").contains("abc"), "{token:?}");
        let problem = AccessToken::new("eyJ abc".to_string()).unwrap_err();
        assert!(problem.contains("position 4"), "{problem}");
        assert!(AccessToken::new("x".repeat(16 * 1024 + 1)).is_err());
    }
}
