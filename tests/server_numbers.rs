//! Numbers a server gives are capped before any arithmetic: a Retry-After of 300000000000 or
//! 18446744073709551615 seconds on a 429 once made every command that asks IMS or the Places API
//! panic (exit 101). Each command here meets such a server through the real binary.
mod common;
use common::*;

const ABSURD_WAITS: [&str; 3] = [
    "300000000000",
    "18446744073709551615",
    "Fri, 31 Dec 9999 23:59:59 GMT",
];

fn throttling(retry_after: &str) -> Hostile {
    let body = br#"{"error":"too_many_requests","error_description":"slow down"}"#;
    let mut bytes = format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: {retry_after}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    Hostile::start(Reply::Bytes(bytes))
}

/// Exit 1 with the throttling explained and a far date shown, never a panic.
fn refused_without_panic(run: Run, who: &str) {
    let run = run.fails(1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr_has(&format!("{who} is throttling this integration"));
    run.stderr_has("a year or more");
}

#[test]
fn an_absurd_retry_after_from_ims_is_an_error_not_a_panic() {
    let home = Home::new();
    home.oauth_profile();
    for wait in ABSURD_WAITS {
        let ims = throttling(wait);
        let ims_url = ims.url();
        for args in [&["token", "--force"][..], &["env"], &["exec", "--", "true"]] {
            // env and exec find the cached token first: without one, they ask IMS.
            let _ = std::fs::remove_file(home.config_dir().join("profiles/default/token.json"));
            let run = home.run_env(args, &[("PLACES_SETUP_IMS_URL", &ims_url)]);
            refused_without_panic(run, "IMS");
        }
        assert!(ims.connections() >= 3, "{wait}: IMS was asked");
    }
}

#[test]
fn an_absurd_retry_after_from_the_places_api_is_an_error_not_a_panic() {
    let home = Home::new();
    home.oauth_profile();
    home.run(&["token"]).ok();
    for wait in ABSURD_WAITS {
        let places = throttling(wait);
        let places_url = format!("{}/places/placesapi/v1", places.url());
        for args in [&["verify"][..], &["api", "/libraries"]] {
            let run = home.run_env(args, &[("PLACES_SETUP_PLACES_URL", &places_url)]);
            refused_without_panic(run, "the Places API");
        }
        assert!(
            places.connections() >= 2,
            "{wait}: the Places API was asked"
        );
    }
}

/// An access token shaped as Adobe's, with these claims (epoch milliseconds, as strings).
fn token_with_claims(created_at_ms: u128, expires_in_ms: u128) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(r#"{"alg":"RS256","x5u":"ims_na1-key-at-1.cer","kid":"ims_na1-key-at-1"}"#),
        b64(&format!(
            r#"{{"type":"access_token","created_at":"{created_at_ms}","expires_in":"{expires_in_ms}"}}"#
        ))
    )
}

#[test]
fn a_token_whose_claims_say_it_expired_is_never_handed_out() {
    let home = Home::new();
    home.oauth_profile();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    // Made two days ago for a day; IMS's answer still says it lasts a day.
    let expired = token_with_claims(now_ms - 2 * 86_400_000, 86_400_000);
    let ims = Hostile::json(
        200,
        &format!(r#"{{"token_type":"bearer","access_token":"{expired}","expires_in":86399}}"#),
    );
    let cache = home.config_dir().join("profiles/default/token.json");
    home.run(&["token"]).ok();
    let before = std::fs::read(&cache).expect("a cached token");
    let run = home
        .run_env(
            &["token", "--force"],
            &[("PLACES_SETUP_IMS_URL", &ims.url())],
        )
        .fails(1);
    run.stderr_has("whose own claims say it expired at");
    assert_eq!(run.stdout, "", "no token printed");
    assert_eq!(
        std::fs::read(&cache).unwrap(),
        before,
        "the cache is unchanged"
    );
    // One that is still valid by its claims is handed out.
    let valid = token_with_claims(now_ms, 86_400_000);
    let ims = Hostile::json(
        200,
        &format!(r#"{{"token_type":"bearer","access_token":"{valid}","expires_in":86399}}"#),
    );
    let run = home
        .run_env(
            &["token", "--force"],
            &[("PLACES_SETUP_IMS_URL", &ims.url())],
        )
        .ok();
    assert_eq!(run.stdout.trim(), valid);
}

#[test]
fn a_cached_token_whose_claims_say_it_expired_is_exchanged_again() {
    let home = Home::new();
    home.oauth_profile();
    home.run(&["token"]).ok();
    let cache = home.config_dir().join("profiles/default/token.json");
    let mut cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    // The file says it lasts hours more; the token's own claims say it expired an hour ago.
    let expired = token_with_claims(now_ms - 25 * 3_600_000, 24 * 3_600_000);
    cached["access_token"] = expired.clone().into();
    std::fs::write(&cache, cached.to_string()).unwrap();
    let run = home.run(&["token"]).ok();
    let printed = run.stdout.trim();
    assert!(!printed.is_empty() && printed != expired, "a new token");
}
