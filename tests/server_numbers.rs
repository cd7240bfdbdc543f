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
