//! `places-setup init` and `token` against the IMS emulator: both flows, the cache, every refusal.
mod common;
use common::*;
use std::time::{Duration, SystemTime};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn expires_in(run: &Run) -> i64 {
    json(&run.stdout)["expires_in"].as_i64().unwrap()
}

#[test]
fn jwt_flow_gives_a_token_and_caches_it() {
    let home = Home::new();
    home.jwt_profile();
    let first = home.call(&["token"]).ok();
    let token = first.stdout.trim().to_string();
    assert_eq!(
        token.split('.').count(),
        3,
        "an Adobe access token is a JWT: {token}"
    );
    assert_eq!(
        first.stdout,
        format!("{token}\n"),
        "stdout carries the token and nothing else"
    );
    assert_eq!(home.emulator.exchange_count(), 1);

    // The request carried what PROTOCOL.md says.
    let sent = home.emulator.last_request("/ims/exchange/jwt").unwrap();
    assert_eq!(sent.field("client_id"), Some(CLIENT));
    assert_eq!(sent.field("client_secret"), Some(SECRET));
    assert!(
        sent.header("content-type")
            .unwrap()
            .starts_with("application/x-www-form-urlencoded")
    );

    let second = home.call(&["token", "--json"]).ok();
    let j = json(&second.stdout);
    assert_eq!(j["source"], "cache");
    assert_eq!(j["access_token"], token.as_str());
    assert_eq!(j["profile"], "default");
    assert_eq!(j["token_type"], "bearer");
    assert_eq!(
        home.emulator.exchange_count(),
        1,
        "the cached token is reused"
    );
    // 24 hours, counted in milliseconds by this endpoint: not 24,000 hours, not 86 seconds.
    let left = expires_in(&second);
    assert!((86_000..=86_400).contains(&left), "{left}");
    let at = humantime::parse_rfc3339(j["expires_at"].as_str().unwrap()).unwrap();
    let secs = at.duration_since(SystemTime::now()).unwrap().as_secs() as i64;
    assert!((secs - left).abs() <= 2);

    let forced = home.call(&["token", "--force", "--json"]).ok();
    assert_eq!(json(&forced.stdout)["source"], "ims");
    assert_eq!(
        home.emulator.exchange_count(),
        2,
        "--force always exchanges"
    );
}

#[test]
fn every_attempt_signs_a_fresh_jwt() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator
        .push_faults([status_fault(503, "application/json", "{}", Some("0"))]);
    home.call(&["token"]).ok();
    assert_eq!(home.emulator.exchange_count(), 2);
    let jwt = home
        .emulator
        .last_request("/ims/exchange/jwt")
        .unwrap()
        .field("jwt_token")
        .unwrap()
        .to_string();
    let payload = places_setup::jwt::unverified_payload(&jwt).unwrap();
    let exp = payload["exp"].as_u64().unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        exp > now && exp <= now + 300,
        "exp is now + 5 minutes: {exp} vs {now}"
    );
    assert_eq!(payload["iss"], ORG);
    assert_eq!(payload["sub"], TECH);
    assert_eq!(
        payload["aud"],
        format!("{}/c/{CLIENT}", home.emulator.url())
    );
    assert_eq!(
        payload[&format!("{}/s/ent_places_sdk", home.emulator.url())],
        true
    );
}

#[test]
fn oauth_flow_counts_seconds() {
    let home = Home::new();
    home.oauth_profile();
    let run = home.call(&["token", "--json"]).ok();
    let j = json(&run.stdout);
    assert_eq!(j["source"], "ims");
    let left = expires_in(&run);
    assert!((86_000..=86_400).contains(&left), "{left}");
    let sent = home.emulator.last_request("/ims/token/v3").unwrap();
    assert_eq!(sent.field("grant_type"), Some("client_credentials"));
    assert_eq!(sent.field("scope"), Some(OAUTH_SCOPES));
    home.call(&["token"]).ok();
    assert_eq!(home.emulator.exchange_count(), 1);
}

#[test]
fn a_token_with_under_ten_minutes_left_is_refreshed() {
    let home = Home::with(EmulatorConfig {
        token_lifetime: Duration::from_secs(9 * 60),
        ..EmulatorConfig::default()
    });
    home.jwt_profile();
    let first = home.call(&["token"]).ok();
    let second = home.call(&["token", "--json"]).ok();
    assert_eq!(json(&second.stdout)["source"], "ims");
    assert_ne!(json(&second.stdout)["access_token"], first.stdout.trim());
    assert_eq!(home.emulator.exchange_count(), 2);

    let home = Home::with(EmulatorConfig {
        token_lifetime: Duration::from_secs(11 * 60),
        ..EmulatorConfig::default()
    });
    home.jwt_profile();
    home.call(&["token"]).ok();
    assert_eq!(
        json(&home.call(&["token", "--json"]).ok().stdout)["source"],
        "cache"
    );
}

#[test]
fn a_profile_switch_does_not_reuse_the_old_token() {
    let home = Home::new();
    home.jwt_profile();
    home.call(&["token"]).ok();
    home.emulator
        .convert_to_oauth(CLIENT, OAUTH_SCOPES.split(',').map(String::from).collect());
    home.call(&["init", "--auth", "oauth", "--scopes", OAUTH_SCOPES])
        .ok();
    let run = home.call(&["token", "--json"]).ok();
    assert_eq!(json(&run.stdout)["source"], "ims");
    assert!(home.emulator.last_request("/ims/token/v3").is_some());
}

#[test]
fn wrong_client_secret_says_where_to_copy_it() {
    let home = Home::new();
    let (key, cert) = home.make_keys("p");
    let mut integration = home.integration(&cert);
    integration.client_secret = "p8e-the-real-one".into();
    home.emulator.add_jwt_integration(integration);
    home.init_jwt(&key).ok();
    let run = home.call(&["token"]).fails(1);
    run.stderr_has("invalid_client")
        .stderr_has("HTTP 401")
        .stderr_has("x-debug-id: ")
        .stderr_has("Credentials tab");
    run.stderr_has("places-setup migrate --scopes SCOPES");
    assert!(
        !home
            .config_dir()
            .join("profiles/default/token.json")
            .exists()
    );
}

#[test]
fn unknown_client_id() {
    let home = Home::new();
    let (key, _) = home.make_keys("p");
    home.init_jwt(&key).ok();
    home.call(&["token"])
        .fails(1)
        .stderr_has("invalid_client")
        .stderr_has("HTTP 400")
        .stderr_has("IMS does not know client ID");
}

#[test]
fn certificate_not_uploaded_names_the_file_to_upload() {
    let home = Home::new();
    let (_, uploaded) = home.make_keys("uploaded");
    let (key, other_cert) = home.make_keys("other");
    home.emulator
        .add_jwt_integration(home.integration(&uploaded));
    home.init_jwt(&key).ok();
    let run = home.call(&["token"]).fails(1);
    run.stderr_has("invalid_token")
        .stderr_has("bindings")
        .stderr_has(other_cert.file_name().unwrap().to_str().unwrap());
}

#[test]
fn metascope_not_in_the_binding() {
    let home = Home::new();
    let (key, cert) = home.make_keys("p");
    home.emulator.add_jwt_integration(home.integration(&cert));
    home.call_with_stdin(
        &[
            &jwt_init(&key)[..],
            &[
                "--metascopes",
                "ent_analytics_bulk_ingest_sdk",
                "--client-secret-stdin",
            ],
        ]
        .concat(),
        SECRET,
    )
    .ok();
    home.call(&["token"])
        .fails(1)
        .stderr_has("invalid_scope")
        .stderr_has("product profile");
}

#[test]
fn converted_credential_is_guided_to_oauth() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator
        .convert_to_oauth(CLIENT, OAUTH_SCOPES.split(',').map(String::from).collect());
    let run = home.call(&["token"]).fails(1);
    run.stderr_has("internal_error")
        .stderr_has("OAuth Server-to-Server");
    let command = "places-setup migrate --scopes SCOPES";
    run.stderr_has(command)
        .stderr_has("Adobe stopped accepting Service Account (JWT) credentials on 2026-03-01");
    // Following the hint works, with the secret kept.
    let args: Vec<String> = command
        .replace("SCOPES", OAUTH_SCOPES)
        .split(' ')
        .skip(1)
        .map(String::from)
        .collect();
    home.call(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    // The migration's own test exchange left a token in the cache.
    assert_eq!(
        json(&home.call(&["token", "--json"]).ok().stdout)["source"],
        "cache"
    );
    assert!(home.emulator.last_request("/ims/token/v3").is_some());
}

#[test]
fn expired_jwt_from_clock_skew_shows_the_server_date() {
    let home = Home::with(EmulatorConfig {
        clock_offset_secs: 3600,
        ..EmulatorConfig::default()
    });
    home.jwt_profile();
    home.call(&["token"])
        .fails(1)
        .stderr_has("invalid_token")
        .stderr_has("clock")
        .stderr_has("GMT");
}

#[test]
fn oauth_refusals() {
    let home = Home::new();
    home.oauth_profile();
    home.call(&["init", "--scopes", "openid,ent_other"]).ok();
    home.call(&["token"])
        .fails(1)
        .stderr_has("invalid_scope")
        .stderr_has("Scopes tab");
    home.call_with_stdin(
        &["init", "--scopes", OAUTH_SCOPES, "--client-secret-stdin"],
        "p8e-wrong",
    )
    .ok();
    let run = home.call(&["token"]).fails(1);
    run.stderr_has("HTTP 401").stderr_has("Credentials tab");
    assert!(
        !run.stderr.contains("--auth oauth"),
        "no conversion advice for an OAuth profile"
    );
}

#[test]
fn retries_5xx_and_429_then_succeeds() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator.push_faults([
        status_fault(500, "application/json", "{}", None),
        status_fault(429, "application/json", "{}", Some("1")),
    ]);
    home.call(&["token"]).ok();
    assert_eq!(home.emulator.exchange_count(), 3);
}

#[test]
fn gives_up_after_three_attempts_and_never_retries_4xx() {
    let home = Home::new();
    home.jwt_profile();
    let unavailable = status_fault(
        503,
        "application/json",
        r#"{"error":"server_error","error_description":"unavailable"}"#,
        Some("0"),
    );
    home.emulator.push_faults([
        unavailable.clone(),
        unavailable.clone(),
        unavailable.clone(),
        unavailable,
    ]);
    home.call(&["token"])
        .fails(1)
        .stderr_has("server_error")
        .stderr_has("HTTP 503");
    assert_eq!(home.emulator.exchange_count(), 3);

    let home = Home::new();
    let (key, _) = home.make_keys("p");
    home.init_jwt(&key).ok();
    home.call(&["token"]).fails(1);
    assert_eq!(home.emulator.exchange_count(), 1, "a 400 is final");
}

#[test]
fn html_and_non_json_answers_name_status_and_content_type() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator
        .push_faults([Fault::Html, Fault::Html, Fault::Html]);
    home.call(&["token"])
        .fails(1)
        .stderr_has("HTTP 502")
        .stderr_has("HTML")
        .stderr_has("text/html");
    home.emulator.push_faults([Fault::NonJson]);
    home.call(&["token"])
        .fails(1)
        .stderr_has("HTTP 200")
        .stderr_has("text/plain");
}

#[test]
fn connection_faults_are_retried() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator.push_faults([Fault::Reset, Fault::Truncated]);
    home.call(&["token"]).ok();
    assert_eq!(home.emulator.exchange_count(), 3);
}

#[test]
fn a_server_that_never_answers_is_bounded_by_the_timeout() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator
        .push_faults([Fault::Hang, Fault::Hang, Fault::Hang]);
    let run = home.call(&["--timeout", "1", "token"]).fails(1);
    run.stderr_has("no answer within 1 s")
        .stderr_has("3 attempts")
        .stderr_has("--timeout");
}

#[test]
fn nothing_is_listening() {
    let home = Home::new();
    home.jwt_profile();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    home.call(&["--ims-url", &url, "token"])
        .fails(1)
        .stderr_has("cannot reach IMS")
        .stderr_has("could not connect");
}

#[test]
fn plain_http_to_another_host_is_refused() {
    let home = Home::new();
    home.jwt_profile();
    let run = home
        .run(&["--ims-url", "http://ims-na1.adobelogin.com", "token"])
        .fails(2);
    run.stderr_has("--ims-url").stderr_has("https://");
    assert_eq!(home.emulator.request_count(), 0);
}

#[test]
fn no_profile_says_how_to_make_one() {
    let home = Home::new();
    home.call(&["token"])
        .fails(2)
        .stderr_has("no profile named \"default\"")
        .stderr_has("places-setup keys");
    home.jwt_profile();
    home.call(&["--profile", "prod", "token"])
        .fails(2)
        .stderr_has("known profiles: default");
}
