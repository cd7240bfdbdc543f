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
