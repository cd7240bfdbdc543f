//! The token cache file (`profiles/NAME/token.json`): `CachedToken::from_json`, what `status` and
//! `token` do with what it read, and that a cache written from it reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::store::{Auth, CachedToken};
use places_setup::timefmt;
use secrecy::ExposeSecret;
use std::time::{Duration, SystemTime};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(token) = CachedToken::from_json(text) else {
        return;
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let left = token.remaining(now);
    let _ = token.reusable(
        now,
        Auth::Jwt,
        "0123456789abcdef0123456789abcdef",
        "https://ims",
    );
    let _ = timefmt::span(left);
    let _ = timefmt::rfc3339(token.expires_at);
    let _ = timefmt::seconds_until(token.expires_at, now);

    // Trusted at most 25 hours from when it was cached, and only a token-shaped token.
    assert!(token.expires_at <= token.obtained_at + places_setup::store::token::MAX_TRUST);
    assert!(places_setup::access_token::shape_problem(token.access_token.expose_secret()).is_none());

    let back = CachedToken::from_json(&token.to_json()).expect("a cache we wrote reads back");
    assert_eq!(
        back.access_token.expose_secret(),
        token.access_token.expose_secret()
    );
    assert_eq!(
        (&back.token_type, back.auth, &back.client_id, &back.ims_url),
        (
            &token.token_type,
            token.auth,
            &token.client_id,
            &token.ims_url
        )
    );
    let secs = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .ok()
    };
    assert_eq!(secs(back.expires_at), secs(token.expires_at));

    // Debug output never shows the token, unless another field happens to contain the same text.
    let secret = token.access_token.expose_secret();
    let others = format!(
        "{:?}",
        CachedToken {
            access_token: places_setup::access_token::AccessToken::new(String::new())
                .expect("an empty text has no character a token cannot have"),
            ..token.clone()
        }
    );
    if !secret.is_empty() && !others.contains(secret) {
        assert!(!format!("{token:?}").contains(secret));
    }
});
