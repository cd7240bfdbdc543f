//! What goes beyond a token: `--min-valid` for long jobs, `token --claims`, `doctor`, `env` for
//! CI, `profile set` and what `profile remove` says of a token still alive; against the emulator.
mod common;
use common::*;
use std::time::Duration;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn source(run: &Run) -> String {
    json(&run.stdout)["source"].as_str().unwrap().to_string()
}

#[test]
fn min_valid_exchanges_again_only_when_the_cache_would_die_first() {
    let home = Home::with(EmulatorConfig {
        token_lifetime: Duration::from_secs(3600),
        ..EmulatorConfig::default()
    });
    home.oauth_profile();
    home.call(&["token"]).ok();
    assert_eq!(home.emulator.exchange_count(), 1);
    // An hour's token serves a 30-minute job from the cache...
    let run = home.call(&["token", "--json", "--min-valid", "30m"]).ok();
    assert_eq!(source(&run), "cache");
    assert_eq!(home.emulator.exchange_count(), 1);
    // ...but not a two-hour one: a new token, and a warning that even it will not last.
    let run = home.call(&["token", "--json", "--min-valid", "2h"]).ok();
    assert_eq!(source(&run), "ims");
    assert_eq!(home.emulator.exchange_count(), 2);
    run.stderr_has("less than the 2h 0m asked by --min-valid");
    // The same rule for env, exec and api.
    home.call(&["env", "--min-valid", "1h30m"]).ok();
    assert_eq!(home.emulator.exchange_count(), 3);
    home.call(&["api", "/libraries", "--min-valid", "90m"]).ok();
    assert_eq!(home.emulator.exchange_count(), 4);
    home.run(&["exec", "--min-valid", "2h", "--", "true"]).ok();
    assert_eq!(home.emulator.exchange_count(), 5);
    // Without the flag, the default 10 minutes: cached.
    home.call(&["env"]).ok();
    assert_eq!(home.emulator.exchange_count(), 5);
}

#[test]
fn min_valid_refuses_nonsense_and_more_than_a_token_lives() {
    let home = Home::new();
    home.oauth_profile();
    for value in ["25h", "soon", "0s"] {
        let run = home.call(&["token", "--min-valid", value]);
        assert_eq!(run.code, 2, "{value}: {}", run.stderr);
        run.stderr_has("--min-valid");
        run.stderr_has("at most 24h");
    }
    assert_eq!(home.emulator.exchange_count(), 0);
}

#[test]
fn claims_say_what_the_token_is_for_without_printing_it() {
    let home = Home::new();
    home.oauth_profile();
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    let text = home.call(&["token", "--claims"]).ok();
    assert!(!text.all().contains(&token), "the token is not shown");
    for expected in [
        "type       access_token",
        "scopes     openid, AdobeID",
        "expires",
        "from       cache",
    ] {
        assert!(
            text.stdout.contains(expected),
            "{expected}: {}",
            text.stdout
        );
    }
    let j = json(&home.call(&["token", "--claims", "--json"]).ok().stdout);
    assert!(!j.to_string().contains(&token));
    assert_eq!(j["client_id"], CLIENT);
    assert_eq!(j["type"], "access_token");
    assert!(
        j["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "AdobeID"),
        "{j}"
    );
    let left = j["expires_in"].as_i64().unwrap();
    assert!((86_000..=86_400).contains(&left), "{left}");
    assert_eq!(
        home.emulator.exchange_count(),
        1,
        "claims of the cached token"
    );
    // --copy would put the very token on the clipboard: not with --claims.
    assert_eq!(home.call(&["token", "--claims", "--copy"]).code, 2);
}

fn doctor(run: &Run) -> serde_json::Value {
    json(&run.stdout)
}

fn verdict<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}: {report}"))
}

#[test]
fn doctor_passes_a_working_profile_in_order_and_exits_0() {
    let home = Home::new();
    home.jwt_profile();
    home.call(&["token"]).ok();
    let exchanges = home.emulator.exchange_count();
    let run = home.call(&["doctor", "--json"]).ok();
    let report = doctor(&run);
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "config", "secrets", "key", "clock", "proxy", "tls", "ims", "token", "places"
        ]
    );
    for id in ids {
        assert_eq!(verdict(&report, id)["verdict"], "pass", "{report}");
    }
    assert_eq!(report["ok"], true);
    assert!(
        verdict(&report, "key")["figure"]
            .as_str()
            .unwrap()
            .contains("days left"),
        "{report}"
    );
    assert_eq!(
        home.emulator.exchange_count(),
        exchanges,
        "no exchange without --exchange"
    );
    // The text report: a mark, the title, the figure; no fix needed.
    let text = home.call(&["doctor"]).ok();
    assert!(
        text.stdout.contains("✓ Clock against IMS"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("No problems found."),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("fix:"), "{}", text.stdout);
}

#[test]
fn doctor_fails_a_clock_five_minutes_off_and_names_the_fix() {
    let home = Home::with(EmulatorConfig {
        clock_offset_secs: 600,
        ..EmulatorConfig::default()
    });
    home.oauth_profile();
    let run = home.call(&["doctor", "--json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = doctor(&run);
    let clock = verdict(&report, "clock");
    assert_eq!(clock["verdict"], "fail", "{report}");
    assert!(
        clock["figure"].as_str().unwrap().contains("behind IMS"),
        "{clock}"
    );
    assert!(
        clock["fix"].as_str().unwrap().contains("set the clock"),
        "{clock}"
    );
    assert_eq!(report["ok"], false);

    let home = Home::with(EmulatorConfig {
        clock_offset_secs: -90,
        ..EmulatorConfig::default()
    });
    home.oauth_profile();
    let report = doctor(&home.call(&["doctor", "--json"]).ok());
    let clock = verdict(&report, "clock");
    assert_eq!(clock["verdict"], "warn", "{report}");
    assert!(
        clock["figure"].as_str().unwrap().contains("ahead of IMS"),
        "{clock}"
    );
}

#[test]
fn doctor_without_a_token_warns_and_with_exchange_gets_one() {
    let home = Home::new();
    home.oauth_profile();
    home.call(&["token"]).ok();
    std::fs::remove_file(home.config_dir().join("profiles/default/token.json")).unwrap();
    let before = home.emulator.exchange_count();
    let report = doctor(&home.call(&["doctor", "--json"]).ok());
    assert_eq!(verdict(&report, "token")["verdict"], "warn", "{report}");
    assert_eq!(verdict(&report, "places")["verdict"], "skip", "{report}");
    assert!(
        verdict(&report, "token")["fix"]
            .as_str()
            .unwrap()
            .contains("--exchange")
    );
    assert_eq!(home.emulator.exchange_count(), before);
    let report = doctor(&home.call(&["doctor", "--json", "--exchange"]).ok());
    assert_eq!(verdict(&report, "token")["verdict"], "pass", "{report}");
    assert_eq!(verdict(&report, "places")["verdict"], "pass", "{report}");
    assert_eq!(home.emulator.exchange_count(), before + 1);
}

#[test]
fn doctor_names_an_ims_it_cannot_reach_and_a_missing_profile() {
    let home = Home::new();
    home.oauth_profile();
    let run = home.call(&["--ims-url", "http://127.0.0.1:1", "doctor", "--json"]);
    assert_eq!(run.code, 1);
    let report = doctor(&run);
    assert_eq!(verdict(&report, "ims")["verdict"], "fail", "{report}");
    assert!(
        verdict(&report, "ims")["figure"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1:1")
    );
    assert_eq!(verdict(&report, "clock")["verdict"], "skip", "{report}");

    // A profile that does not exist fails the first check; the others that need it are skipped,
    // and the status is that of a wrong value, as for every command that names a profile.
    let run = home.call(&["--profile", "nosuch", "doctor"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.starts_with("✗ Config folder and files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("known profiles: default"),
        "{}",
        run.stdout
    );
}

#[test]
fn env_for_github_masks_the_token_first_and_appends_to_github_env() {
    let home = Home::new();
    home.oauth_profile();
    let file = home.path().join("github_env");
    std::fs::write(&file, "EARLIER=kept\n").unwrap();
    let path = file.display().to_string();
    let run = home
        .call_env(&["env", "--format", "github"], &[("GITHUB_ENV", &path)])
        .ok();
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    assert_eq!(
        run.stdout,
        format!("::add-mask::{token}\n"),
        "the mask and nothing else"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("EARLIER=kept\n"), "appended: {written}");
    assert!(
        written.contains(&format!("\nPLACES_ACCESS_TOKEN={token}\n")),
        "{written}"
    );
    assert!(
        written.contains(&format!("\nPLACES_API_KEY={CLIENT}\n")),
        "{written}"
    );
    assert!(written.contains("\nPLACES_TOKEN_EXPIRES_AT="), "{written}");
    run.stderr_has("masked");
    assert!(!run.stderr.contains(&token));

    // Outside Actions: a clear refusal, nothing printed.
    let run = home.call(&["env", "--format", "github"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    run.stderr_has("GITHUB_ENV");
    assert_eq!(run.stdout, "");
}

#[test]
fn env_for_gitlab_writes_dotenv_lines_and_says_it_is_no_secret_store() {
    let home = Home::new();
    home.oauth_profile();
    let run = home.call(&["env", "--format", "gitlab"]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(
        lines[0].starts_with("PLACES_ACCESS_TOKEN=eyJ"),
        "{}",
        run.stdout
    );
    assert_eq!(lines[1], format!("PLACES_API_KEY={CLIENT}"));
    run.stderr_has("a dotenv report is a job artifact");
    run.stderr_has("masked, protected CI/CD variable");
}

fn config_text(home: &Home) -> String {
    std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap()
}

#[test]
fn profile_set_changes_scopes_and_drops_the_token_minted_for_the_old_ones() {
    let home = Home::new();
    home.oauth_profile();
    home.call(&["token"]).ok();
    let token_file = home.config_dir().join("profiles/default/token.json");
    assert!(token_file.exists());
    let run = home
        .call(&["profile", "set", "--scopes", "openid,AdobeID", "--json"])
        .ok();
    let j = json(&run.stdout);
    assert_eq!(j["token_dropped"], true, "{j}");
    assert_eq!(
        j["changes"][0],
        "scopes: openid,AdobeID,read_organizations → openid,AdobeID"
    );
    assert!(!token_file.exists());
    assert!(
        !config_text(&home).contains("read_organizations"),
        "{}",
        config_text(&home)
    );
    // The next token is asked with the new scopes.
    let before = home.emulator.exchange_count();
    home.call(&["token"]).ok();
    assert_eq!(home.emulator.exchange_count(), before + 1);
    let sent = home.emulator.last_request("/ims/token/v3").unwrap();
    assert_eq!(sent.field("scope"), Some("openid,AdobeID"));

    // A new Places URL keeps the token: it was not minted for the URL.
    let run = home
        .call(&[
            "profile",
            "set",
            "default",
            "--places-url",
            "https://places.example.com/v1",
        ])
        .ok();
    run.stderr_has("Places URL:");
    assert!(token_file.exists());
    assert!(config_text(&home).contains("https://places.example.com/v1"));
    // The same value again changes nothing.
    home.call(&[
        "profile",
        "set",
        "--places-url",
        "https://places.example.com/v1",
    ])
    .ok()
    .stderr_has("nothing changed");
    // A typed --ims-url changes the IMS (PLACES_SETUP_IMS_URL, set for every test, does not).
    let run = home
        .call(&[
            "profile",
            "set",
            "--ims-url",
            "http://127.0.0.1:9",
            "--json",
        ])
        .ok();
    assert_eq!(json(&run.stdout)["token_dropped"], true);
    assert!(
        config_text(&home).contains("ims_url = \"http://127.0.0.1:9\""),
        "{}",
        config_text(&home)
    );
}

#[test]
fn profile_set_refuses_bad_values_and_changes_nothing() {
    let home = Home::new();
    home.oauth_profile();
    home.call(&["token"]).ok();
    let before = config_text(&home);
    let cases: [(&[&str], &str); 6] = [
        (&["profile", "set"], "nothing to change"),
        (
            &["profile", "set", "--metascopes", "ent_places_sdk"],
            "--metascopes is for Service Account",
        ),
        (
            &["profile", "set", "--scopes", "openid,\"AdobeID\""],
            "--scopes",
        ),
        (
            &["profile", "set", "--scopes", " , "],
            "--scopes: the list is empty",
        ),
        // Both asked: the good one is not saved without the other.
        (
            &[
                "profile",
                "set",
                "--scopes",
                "openid",
                "--places-url",
                "http://10.0.0.1/v1",
            ],
            "--places-url",
        ),
        (
            &["profile", "set", "nosuch", "--scopes", "openid"],
            "no profile named \"nosuch\"",
        ),
    ];
    for (args, says) in cases {
        let run = home.call(args);
        assert_ne!(run.code, 0, "{args:?}");
        run.stderr_has(says);
        assert_eq!(config_text(&home), before, "{args:?} changed nothing");
    }
    assert!(
        home.config_dir()
            .join("profiles/default/token.json")
            .exists()
    );
}

#[test]
fn token_revoke_kills_the_token_at_ims_and_forgets_it() {
    let home = Home::new();
    home.oauth_profile();
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    let cache = home.config_dir().join("profiles/default/token.json");
    let copy = std::fs::read(&cache).unwrap();
    let run = home.call(&["token", "--revoke"]).ok();
    run.stderr_has("Revoked the cached token at IMS");
    assert!(!run.all().contains(&token));
    let sent = home
        .emulator
        .last_request("/ims/invalidate_token/v2")
        .unwrap();
    assert_eq!(sent.field("token"), Some(token.as_str()));
    assert_eq!(sent.field("client_id"), Some(CLIENT));
    assert!(!cache.exists(), "a revoked token is not kept");
    // Someone who kept a copy finds it dead: the Places API refuses it.
    std::fs::write(&cache, &copy).unwrap();
    home.call(&["api", "/libraries"])
        .ok()
        .stderr_has("The token was refused (401013)");
    // Nothing cached: nothing to do.
    std::fs::remove_file(&cache).unwrap();
    home.call(&["token", "--revoke"])
        .ok()
        .stderr_has("nothing to revoke");
}

#[test]
fn a_token_ims_will_not_revoke_is_kept_and_its_expiry_told() {
    let home = Home::new();
    home.oauth_profile();
    home.call(&["token"]).ok();
    home.emulator.push_faults([status_fault(
        400,
        "application/json",
        r#"{"error":"invalid_request"}"#,
        None,
    )]);
    let run = home.call(&["token", "--revoke"]).fails(1);
    run.stderr_has("IMS refused to revoke it: invalid_request (HTTP 400)");
    run.stderr_has("it keeps working until");
    assert!(
        home.config_dir()
            .join("profiles/default/token.json")
            .exists()
    );

    // `profile remove` removes the profile all the same, and says how long the token lives on.
    home.emulator.push_faults([status_fault(
        400,
        "application/json",
        r#"{"error":"invalid_request"}"#,
        None,
    )]);
    let run = home.call(&["profile", "remove", "default", "--yes"]).ok();
    run.stderr_has("warning: could not revoke the token");
    run.stderr_has("m left), for anyone holding a copy");
    assert!(
        !config_text(&home).contains("[profiles.default]"),
        "{}",
        config_text(&home)
    );
}

#[test]
fn profile_remove_revokes_the_token_first() {
    let home = Home::new();
    home.oauth_profile();
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    let run = home.call(&["profile", "remove", "default", "--yes"]).ok();
    run.stderr_has("Revoked the cached token at IMS");
    let sent = home
        .emulator
        .last_request("/ims/invalidate_token/v2")
        .unwrap();
    assert_eq!(sent.field("token"), Some(token.as_str()));
}
