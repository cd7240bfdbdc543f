//! What an access token says of itself (`token --claims`): its payload read without verifying
//! the signature, which only IMS can do. Shown to the person; the token itself never is.
use super::AccessToken;
use secrecy::ExposeSecret;
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime};

/// The most characters of any one claim kept: the token came from a server, and a claim is read
/// by a person at a terminal.
const MAX_CLAIM_CHARS: usize = 256;

/// The claims a person asks about, each absent when the token does not carry it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claims {
    /// `type`: `access_token` for what IMS hands out.
    pub token_type: Option<String>,
    pub client_id: Option<String>,
    /// The technical account (server-to-server) or user the token acts as.
    pub user_id: Option<String>,
    pub org: Option<String>,
    /// `scope`, split at its commas.
    pub scopes: Vec<String>,
    /// `as`: which IMS cluster issued it (e.g. `ims-na1`).
    pub issuer: Option<String>,
    /// `created_at`.
    pub issued_at: Option<SystemTime>,
    /// `created_at + expires_in`.
    pub expires_at: Option<SystemTime>,
}

impl Claims {
    /// The token's claims, or `None` when its payload is no JSON object (not a JWT).
    pub fn of(token: &AccessToken) -> Option<Claims> {
        let payload = crate::jwt::unverified_payload(token.expose_secret())?;
        Some(Claims::from_payload(&payload))
    }

    fn from_payload(payload: &Map<String, Value>) -> Claims {
        let text = |key: &str| -> Option<String> {
            let value = payload.get(key)?;
            let raw = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            let cut: String = raw.chars().take(MAX_CLAIM_CHARS).collect();
            Some(crate::text::printable(&cut, false))
        };
        // IMS writes these as strings of epoch milliseconds; a number is read as well.
        let millis = |key: &str| -> Option<u64> {
            let v = payload.get(key)?;
            v.as_u64().or_else(|| v.as_str()?.parse().ok())
        };
        let issued_ms = millis("created_at");
        let at = |ms: u64| SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(ms));
        Claims {
            token_type: text("type"),
            client_id: text("client_id"),
            user_id: text("user_id"),
            org: text("org"),
            scopes: text("scope")
                .map(|s| {
                    s.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            issuer: text("as"),
            issued_at: issued_ms.and_then(at),
            expires_at: issued_ms
                .zip(millis("expires_in"))
                .and_then(|(a, b)| a.checked_add(b))
                .and_then(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn imss_string_millis_and_comma_scopes_are_read() {
        let payload = json!({"type": "access_token", "client_id": "c", "user_id": "u@techacct.adobe.com",
            "org": "o@AdobeOrg", "scope": "openid,AdobeID, read_organizations", "as": "ims-na1",
            "created_at": "1800000000000", "expires_in": "86399000"});
        let claims = Claims::from_payload(payload.as_object().unwrap());
        assert_eq!(claims.scopes, ["openid", "AdobeID", "read_organizations"]);
        assert_eq!(claims.issuer.as_deref(), Some("ims-na1"));
        let issued = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(claims.issued_at, Some(issued));
        assert_eq!(
            claims.expires_at,
            Some(issued + Duration::from_secs(86_399))
        );
    }

    #[test]
    fn hostile_claims_are_cut_and_shown_without_control_characters() {
        let payload = json!({"client_id": format!("\u{1b}]52;c;x\u{7}{}", "a".repeat(5000)),
            "created_at": "not a number", "scope": ["not", "text"]});
        let claims = Claims::from_payload(payload.as_object().unwrap());
        let client_id = claims.client_id.unwrap();
        assert!(!client_id.contains('\u{1b}'), "{client_id:?}");
        // 256 characters kept, two of them written out as \u001b and \u0007.
        assert_eq!(client_id.chars().count(), MAX_CLAIM_CHARS + 10);
        assert_eq!(claims.issued_at, None);
        assert!(claims.scopes.is_empty());
    }
}
