//! The cached access token of a profile.
use super::Auth;
use crate::access_token::AccessToken;
use crate::ids::ClientId;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// A token is reused while at least this much of its life remains.
pub const REUSE_MARGIN: Duration = Duration::from_secs(10 * 60);

/// The longest a cached token is trusted after it was cached, whatever the cache says.
pub const MAX_TRUST: Duration = Duration::from_secs(25 * 3600);

#[derive(Debug, Clone)]
pub struct CachedToken {
    pub token_type: String,
    pub access_token: AccessToken,
    pub expires_at: SystemTime,
    pub obtained_at: SystemTime,
    /// What the token was issued for: a cache made for other credentials is not reused.
    pub auth: Auth,
    pub client_id: ClientId,
    pub ims_url: String,
}

#[derive(Serialize, Deserialize)]
struct File {
    token_type: String,
    access_token: String,
    expires_at: String,
    obtained_at: String,
    auth: Auth,
    client_id: ClientId,
    ims_url: String,
}

impl CachedToken {
    /// Reads a cache as written by `to_json`. A token of the wrong shape is no token; the expiry
    /// believed is the earliest of the one stored, the one inside the token, and 25 hours after
    /// it was cached (IMS's tokens last 24), so an edited cache cannot extend a token's life.
    pub fn from_json(text: &str) -> Option<CachedToken> {
        let file: File = serde_json::from_str(text).ok()?;
        let access_token = AccessToken::new(file.access_token).ok()?;
        let obtained_at = humantime::parse_rfc3339(&file.obtained_at).ok()?;
        let mut expires_at = humantime::parse_rfc3339(&file.expires_at)
            .ok()?
            .min(obtained_at.checked_add(MAX_TRUST)?);
        if let Some(inside) = access_token.embedded_expiry() {
            expires_at = expires_at.min(inside);
        }
        Some(CachedToken {
            token_type: file.token_type,
            access_token,
            expires_at,
            obtained_at,
            auth: file.auth,
            client_id: file.client_id,
            ims_url: file.ims_url,
        })
    }

    pub fn to_json(&self) -> String {
        let file = File {
            token_type: self.token_type.clone(),
            access_token: self.access_token.expose_secret().to_string(),
            expires_at: humantime::format_rfc3339_seconds(self.expires_at).to_string(),
            obtained_at: humantime::format_rfc3339_seconds(self.obtained_at).to_string(),
            auth: self.auth,
            client_id: self.client_id.clone(),
            ims_url: self.ims_url.clone(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }

    /// Time left at `now`; zero once expired.
    pub fn remaining(&self, now: SystemTime) -> Duration {
        self.expires_at
            .duration_since(now)
            .unwrap_or(Duration::ZERO)
    }

    /// Whether this token can be handed out for these credentials at `now`. A cache that says it
    /// was made in the future (beyond a little clock skew) is not believed.
    pub fn reusable(&self, now: SystemTime, auth: Auth, client_id: &str, ims_url: &str) -> bool {
        self.remaining(now) >= REUSE_MARGIN
            && self.obtained_at <= now + Duration::from_secs(300)
            && self.belongs_to(auth, client_id, ims_url)
    }

    /// Whether this token was issued for these credentials by this IMS.
    pub fn belongs_to(&self, auth: Auth, client_id: &str, ims_url: &str) -> bool {
        self.auth == auth && self.client_id == client_id && self.ims_url == ims_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "0123456789abcdef0123456789abcdef";

    fn token(expires_in: u64) -> (CachedToken, SystemTime) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        (
            CachedToken {
                token_type: "bearer".into(),
                access_token: AccessToken::new("eyJ.abc.def".to_string()).unwrap(),
                expires_at: now + Duration::from_secs(expires_in),
                obtained_at: now,
                auth: Auth::Jwt,
                client_id: "0123456789abcdef0123456789abcdef".into(),
                ims_url: "https://ims".into(),
            },
            now,
        )
    }

    #[test]
    fn reuse_needs_ten_minutes_and_the_same_credentials() {
        let (t, now) = token(600);
        assert!(t.reusable(now, Auth::Jwt, C, "https://ims"));
        assert!(!t.reusable(now + Duration::from_secs(1), Auth::Jwt, C, "https://ims"));
        assert!(!t.reusable(now, Auth::Oauth, C, "https://ims"));
        assert!(!t.reusable(
            now,
            Auth::Jwt,
            "fedcba9876543210fedcba9876543210",
            "https://ims"
        ));
        assert!(!t.reusable(now, Auth::Jwt, C, "https://other"));
        assert_eq!(t.remaining(now + Duration::from_secs(700)), Duration::ZERO);
    }

    #[test]
    fn an_edited_cache_cannot_extend_a_token_or_change_its_shape() {
        let (mut t, now) = token(3600);
        t.expires_at = now + Duration::from_secs(400 * 86_400);
        let back = CachedToken::from_json(&t.to_json()).unwrap();
        assert_eq!(back.expires_at, now + MAX_TRUST);
        // The expiry inside the token counts when it is earlier.
        let payload = r#"{"created_at":"1800000000000","expires_in":"60000"}"#;
        let b64 =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, payload);
        t.access_token = AccessToken::new(format!(
            "e30.{}.sig",
            b64.replace('+', "-").replace('/', "_")
        ))
        .unwrap();
        let back = CachedToken::from_json(&t.to_json()).unwrap();
        assert_eq!(back.expires_at, now + Duration::from_secs(60));
        // A token is made only of its shape: an edited cache is where another one can come from.
        t.access_token = AccessToken::new("eyJ.abc.def".to_string()).unwrap();
        let edited = t
            .to_json()
            .replace("eyJ.abc.def", "eyJ.abc.def\\u001b]0;x\\u0007");
        assert!(edited.contains("\\u001b"), "{edited}");
        assert!(CachedToken::from_json(&edited).is_none());
        // Cached "in the future": not reused.
        let (mut t, now) = token(3600);
        t.obtained_at = now + Duration::from_secs(3000);
        assert!(!t.reusable(now, Auth::Jwt, C, "https://ims"));
    }

    #[test]
    fn round_trips_and_hides_the_token_from_debug() {
        let (t, _) = token(3600);
        let back = CachedToken::from_json(&t.to_json()).unwrap();
        assert_eq!(back.expires_at, t.expires_at);
        assert_eq!(back.access_token.expose_secret(), "eyJ.abc.def");
        assert!(!format!("{back:?}").contains("eyJ.abc.def"));
        assert!(CachedToken::from_json("{").is_none());
    }
}
