//! What an access token is, whoever holds it (IMS's answer, the cache): its shape, and the
//! expiry it carries inside. Used by the IMS client and the store alike, so neither needs the other.
use std::time::{Duration, SystemTime};

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
