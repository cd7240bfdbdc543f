//! `migrate`: a saved JWT profile carried across to OAuth Server-to-Server, and the marks a JWT
//! profile carries until then.
mod common;
use common::*;

fn scopes() -> Vec<String> {
    OAUTH_SCOPES.split(',').map(String::from).collect()
}

#[test]
fn a_converted_credential_is_migrated_keeping_ids_secret_and_key_files() {
    let home = Home::new();
    let (key, cert) = home.jwt_profile();
    home.emulator.convert_to_oauth(CLIENT, scopes());
    let run = home.call(&["migrate", "--scopes", OAUTH_SCOPES]).ok();
    run.stderr_has("Migrated profile \"default\" to OAuth Server-to-Server")
        .stderr_has(&format!("client ID {CLIENT}"))
        .stderr_has(key.file_name().unwrap().to_str().unwrap());
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(config.contains("auth = \"oauth\""), "{config}");
    assert!(config.contains(ORG) && config.contains(CLIENT) && config.contains(TECH));
    assert!(!config.contains("private_key"), "{config}");
    assert!(key.exists() && cert.exists(), "the key files stay on disk");
    assert_eq!(
        std::fs::read_to_string(home.config_dir().join("profiles/default/client_secret")).unwrap(),
        SECRET
    );
    // The token of the test exchange is the cached one: no second exchange.
    let exchanges = home.emulator.exchange_count();
    let token = home.call(&["token", "--json"]).ok();
    assert!(
        token.stdout.contains("\"source\": \"cache\""),
        "{}",
        token.stdout
    );
    assert_eq!(home.emulator.exchange_count(), exchanges);
    assert_eq!(
        home.emulator
            .last_request("/ims/token/v3")
            .unwrap()
            .field("scope"),
        Some(OAUTH_SCOPES)
    );
}

#[test]
fn a_failed_migration_changes_nothing() {
    let home = Home::new();
    home.jwt_profile();
    // Not converted: IMS refuses client credentials for a JWT integration.
    let before = snapshot(&home.config_dir(), &[]);
    home.call(&["migrate", "--scopes", OAUTH_SCOPES])
        .fails(1)
        .stderr_has("invalid_client")
        .stderr_has("Nothing was changed: profile \"default\" is still Service Account (JWT)");
    assert!(changed(&before, &snapshot(&home.config_dir(), &[])).is_empty());
    home.call(&["migrate"])
        .fails(2)
        .stderr_has("--scopes is required");
    // Converted, but the scopes are not the credential's: the fix is `migrate` again, not
    // `init --scopes`, which a JWT profile refuses.
    home.emulator.convert_to_oauth(CLIENT, scopes());
    home.call(&["migrate", "--scopes", "openid,not_granted"])
        .fails(1)
        .stderr_has("places-setup migrate --scopes SCOPES");
    assert!(changed(&before, &snapshot(&home.config_dir(), &[])).is_empty());
}

/// What `migrate` asks at a terminal when `--scopes` is not given.
const SCOPES_PROMPT: &str = "Scopes (the credential's Scopes tab, comma-separated): ";

#[test]
fn at_a_terminal_the_scopes_are_asked_and_used() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator.convert_to_oauth(CLIENT, scopes());
    let (code, output) = at_terminal(&home, &["migrate"], SCOPES_PROMPT, OAUTH_SCOPES);
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains("Migrated profile \"default\" to OAuth Server-to-Server"),
        "{output}"
    );
    let status: serde_json::Value =
        serde_json::from_str(&home.call(&["status", "--json"]).ok().stdout).unwrap();
    let profile = &status["profiles"][0];
    assert_eq!(profile["name"], "default");
    assert_eq!(profile["auth"], "oauth");
    assert_eq!(profile["scopes"], serde_json::json!(scopes()));
    assert_eq!(
        home.emulator
            .last_request("/ims/token/v3")
            .unwrap()
            .field("scope"),
        Some(OAUTH_SCOPES)
    );
}

#[test]
fn a_bad_list_typed_at_the_terminal_changes_nothing() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator.convert_to_oauth(CLIENT, scopes());
    let before = snapshot(&home.config_dir(), &[]);
    for (typed, problem) in [
        ("", "the list is empty"),
        ("openid, \"AdobeID\"", "is not a valid entry"),
    ] {
        let (code, output) = at_terminal(&home, &["migrate"], SCOPES_PROMPT, typed);
        assert_eq!(code, 2, "{typed:?}: {output}");
        assert!(output.contains(SCOPES_PROMPT), "{output}");
        assert!(
            output.contains("error: scopes: ") && output.contains(problem),
            "{typed:?}: {output}"
        );
        assert!(
            changed(&before, &snapshot(&home.config_dir(), &[])).is_empty(),
            "{typed:?}"
        );
    }
}

#[test]
fn an_oauth_profile_has_nothing_to_migrate() {
    let home = Home::new();
    home.oauth_profile();
    for args in [&["migrate", "--scopes", "openid"][..], &["migrate"]] {
        let run = home.call(args).fails(2);
        run.stderr_has("already OAuth Server-to-Server");
        // Only that: not "--scopes is required", nor a failed migration's "still JWT".
        assert!(
            !run.stderr.contains("JWT") && !run.stderr.contains("required"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn status_marks_jwt_profiles_with_the_date_and_the_command() {
    let home = Home::new();
    home.jwt_profile();
    home.oauth_profile_named("s2s");
    let text = home.call(&["status"]).ok();
    assert!(
        text.stdout.contains(
            "warning: this profile is Service Account (JWT): Adobe stopped accepting JWT credentials on 2026-03-01"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("`places-setup migrate --scopes SCOPES`")
    );
    let json: serde_json::Value =
        serde_json::from_str(&home.call(&["status", "--json"]).ok().stdout).unwrap();
    let profiles = json["profiles"].as_array().unwrap();
    let warnings = |name: &str| {
        profiles.iter().find(|p| p["name"] == name).unwrap()["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        warnings("default")
            .iter()
            .any(|w| w.contains("2026-03-01") && w.contains("migrate"))
    );
    assert!(warnings("s2s").iter().all(|w| !w.contains("JWT")));
}

#[test]
fn init_auth_jwt_speaks_of_the_conversion_in_the_past() {
    let home = Home::new();
    let (key, cert) = home.make_keys("p");
    home.emulator.add_jwt_integration(home.integration(&cert));
    home.init_jwt(&key)
        .ok()
        .stderr_has("Adobe stopped accepting Service Account (JWT) credentials on 2026-03-01: each was converted")
        .stderr_has("places-setup migrate --scopes SCOPES");
}
