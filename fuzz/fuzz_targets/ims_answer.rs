//! IMS's answer to a token request: `ims::client::token_from` for both endpoints, then what the
//! commands do with the result (cache it, print its expiry, explain a refusal), and Retry-After.
#![no_main]
mod response;

use libfuzzer_sys::fuzz_target;
use places_setup::http;
use places_setup::ims::ExchangeError;
use places_setup::ims::client::{JWT_PATH, OAUTH_PATH, Unit, token_from};
use places_setup::ims::error::{Context, explain};
use places_setup::store::{Auth, CachedToken};
use places_setup::timefmt;
use secrecy::ExposeSecret;
use std::path::Path;
use std::time::{Duration, SystemTime};

fuzz_target!(|data: &[u8]| {
    let Some(answer) = response::answer(data) else {
        return;
    };
    let _ = http::retry_after(&answer.headers);
    // A realistic clock: the request was sent now-ish.
    let sent = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    for (unit, path, auth) in [
        (Unit::Milliseconds, JWT_PATH, Auth::Jwt),
        (Unit::Seconds, OAUTH_PATH, Auth::Oauth),
    ] {
        match token_from(&answer, sent, unit, path) {
            Ok(token) => {
                assert!(!token.access_token.expose_secret().is_empty());
                // Only a token-shaped token is accepted: it goes into shells and headers.
                assert!(
                    places_setup::access_token::shape_problem(
                        token.access_token.expose_secret()
                    )
                    .is_none()
                );
                // What `token --json` prints and what the cache keeps.
                let _ = timefmt::rfc3339(token.expires_at);
                let _ = timefmt::seconds_until(token.expires_at, sent);
                let cached = CachedToken {
                    token_type: token.token_type,
                    access_token: token.access_token,
                    expires_at: token.expires_at,
                    obtained_at: token.obtained_at,
                    auth,
                    client_id: places_setup::ids::client_id("0123456789abcdef0123456789abcdef")
                        .expect("a client ID"),
                    ims_url: "https://ims-na1.adobelogin.com".into(),
                };
                let back = CachedToken::from_json(&cached.to_json())
                    .expect("a token IMS gave can be cached and read back");
                assert_eq!(
                    back.access_token.expose_secret(),
                    cached.access_token.expose_secret()
                );
            }
            Err(ExchangeError::Ims(refusal)) => {
                let metascopes = vec!["ent_places_sdk".to_string()];
                let profile = places_setup::ids::profile_name("default").expect("a name");
                let context = Context {
                    profile: &profile,
                    auth,
                    org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
                    client_id: "0123456789abcdef0123456789abcdef",
                    private_key: Some(Path::new("/k/places_integration_test_private.key")),
                    certificate: None,
                    metascopes: &metascopes,
                };
                let error = explain(&refusal, &context);
                assert!(error.hint.is_some(), "every refusal has a fix");
            }
            Err(ExchangeError::Other(error)) => {
                assert!(!error.message.is_empty());
            }
        }
    }
});
