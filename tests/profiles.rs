//! `profile list | use | remove`: the profiles at a glance, the default one kept in config.toml,
//! and removing one with its secrets and cached token, asked at a terminal or with --yes.
mod common;
use common::*;

fn config(home: &Home) -> String {
    std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap()
}

/// Two OAuth profiles, `default` (with a cached token) and `other` (without).
fn two_profiles() -> Home {
    let home = Home::new();
    home.oauth_profile();
    home.oauth_profile_named("other");
    home.call(&["token"]).ok();
    home
}

#[test]
fn list_shows_each_profile_its_auth_and_token_and_marks_the_default() {
    let home = two_profiles();
    let (key, _) = home.jwt_profile_named("signed");
    assert!(key.exists());
    let list = home.call(&["profile", "list"]).ok();
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", list.stdout);
    assert!(
        lines[0].starts_with("* default  oauth  token valid until "),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("  other    oauth  no cached token"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("  signed   jwt    no cached token"),
        "{}",
        lines[2]
    );
    let json: serde_json::Value =
        serde_json::from_str(&home.call(&["profile", "list", "--json"]).ok().stdout).unwrap();
    assert_eq!(json[0]["name"], "default");
    assert_eq!(json[0]["default"], true);
    assert_eq!(json[0]["token"]["state"], "valid");
    assert!(
        json[0]["token"]["expires_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(json[1]["token"]["state"], "none");
    assert_eq!(json[2]["auth"], "jwt");
}

#[test]
fn use_makes_a_profile_the_default_until_another_is_named() {
    let home = two_profiles();
    home.call(&["profile", "use", "other"])
        .ok()
        .stderr_has("other is now the default profile");
    assert!(
        config(&home).contains("default_profile = \"other\""),
        "{}",
        config(&home)
    );
    // No --profile: `other` gets the token.
    home.call(&["token"]).ok();
    assert!(home.config_dir().join("profiles/other/token.json").exists());
    let status = home.call(&["status"]).ok();
    assert!(
        status.stdout.contains("other (default, selected)"),
        "{}",
        status.stdout
    );
    assert!(status.stdout.starts_with("default\n"), "{}", status.stdout);
    let list = home.call(&["profile", "list"]).ok();
    assert!(list.stdout.contains("* other"), "{}", list.stdout);
    // The flag and the variable still choose.
    let json = home
        .call(&["--profile", "default", "status", "--json"])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["profiles"][0]["name"], "default");
    assert_eq!(json["profiles"][0]["selected"], true);
    assert_eq!(json["profiles"][1]["default"], true);
    let by_variable = home
        .run_env(&["status"], &[("PLACES_SETUP_PROFILE", "default")])
        .ok();
    assert!(
        by_variable.stdout.contains("default (selected)"),
        "{}",
        by_variable.stdout
    );

    // An unknown name changes nothing and names the known ones.
    let before = config(&home);
    home.call(&["profile", "use", "nope"])
        .fails(2)
        .stderr_has("no profile named \"nope\"")
        .stderr_has("known profiles: default, other");
    assert_eq!(config(&home), before);
}

#[test]
fn remove_needs_yes_without_a_terminal_and_takes_secrets_and_token() {
    let home = two_profiles();
    let profile_dir = home.config_dir().join("profiles/default");
    assert!(profile_dir.join("client_secret").exists());
    assert!(profile_dir.join("token.json").exists());
    let before = config(&home);
    home.call(&["profile", "remove", "default"])
        .fails(2)
        .stderr_has("--yes");
    assert_eq!(config(&home), before, "nothing removed");
    assert!(profile_dir.join("client_secret").exists());

    let removed = home.call(&["profile", "remove", "default", "--yes"]).ok();
    assert!(
        removed.stdout.contains("removed profile \"default\" from"),
        "{}",
        removed.stdout
    );
    assert!(
        removed.stdout.contains("removed its client secret ("),
        "{}",
        removed.stdout
    );
    assert!(
        removed.stdout.contains("removed its cached token ("),
        "{}",
        removed.stdout
    );
    assert!(!profile_dir.exists());
    assert!(!config(&home).contains("[profiles.default]"));
    assert!(config(&home).contains("[profiles.other]"));
    home.call(&["--profile", "other", "token"]).ok();
    home.call(&["profile", "remove", "default", "--yes"])
        .fails(2)
        .stderr_has("known profiles: other");
}

#[test]
fn remove_keeps_the_key_files_unless_told_and_forgets_a_removed_default() {
    let home = Home::new();
    let (key, cert) = home.jwt_profile_named("signed");
    home.oauth_profile();
    home.call(&["profile", "use", "signed"]).ok();
    let kept = home.call(&["profile", "remove", "signed", "--yes"]).ok();
    kept.stderr_has("kept the key files")
        .stderr_has("--delete-keys");
    kept.stderr_has("was the default profile");
    assert!(key.exists() && cert.exists());
    assert!(
        !config(&home).contains("default_profile"),
        "{}",
        config(&home)
    );

    let (key, cert) = home.jwt_profile_named("again");
    let gone = home
        .run(&["profile", "remove", "again", "--yes", "--delete-keys"])
        .ok();
    assert!(
        gone.stdout.contains(&key.display().to_string()),
        "{}",
        gone.stdout
    );
    assert!(!key.exists() && !cert.exists());
    assert!(config(&home).contains("[profiles.default]"));
}

#[test]
fn remove_asks_at_a_terminal_and_no_keeps_everything() {
    let home = two_profiles();
    let before = config(&home);
    let (code, output) = at_terminal(&home, &["profile", "remove", "other"], "[y/N]", "n");
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains("Remove profile \"other\" (OAuth Server-to-Server, client"),
        "{output}"
    );
    assert!(output.contains("Nothing removed."), "{output}");
    assert_eq!(config(&home), before);
    let (code, output) = at_terminal(&home, &["profile", "remove", "other"], "[y/N]", "y");
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("removed profile \"other\""), "{output}");
    assert!(!config(&home).contains("[profiles.other]"));
}

#[test]
fn remove_during_a_slow_refresh_leaves_no_token_behind() {
    let home = Home::new();
    home.oauth_profile();
    let profile_dir = home.config_dir().join("profiles/default");
    // The token's answer trickles in over a few seconds: the refresh is under way, holding the
    // profile's lock, when the removal starts.
    home.emulator
        .push_faults([Fault::Trickle { bytes_per_sec: 300 }]);
    let requests = home.emulator.request_count();
    let refresh = home
        .process(&["token"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while home.emulator.request_count() == requests {
        assert!(started.elapsed().as_secs() < 30, "the refresh never asked");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let removed = home.run(&["profile", "remove", "default", "--yes"]).ok();
    assert!(
        removed.stdout.contains("removed profile \"default\""),
        "{}",
        removed.stdout
    );
    let refresh = refresh.wait_with_output().unwrap();
    assert!(
        !profile_dir.join("token.json").exists(),
        "a token was cached for the removed profile (refresh: {})",
        String::from_utf8_lossy(&refresh.stderr)
    );
    assert!(
        !profile_dir.exists(),
        "the removed profile's folder is back"
    );
    assert!(!config(&home).contains("[profiles.default]"));
}

#[test]
fn status_hints_name_the_profile_they_are_for() {
    let home = Home::new();
    home.oauth_profile();
    let mut args = vec!["--profile", "staging"];
    args.extend(oauth_init_stdin(OAUTH_SCOPES));
    home.call_with_stdin(&args, SECRET).ok();
    let run = home.call(&["status"]).ok();
    assert!(
        run.stdout
            .contains("`places-setup --profile staging token` gets one"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`places-setup token` gets one"),
        "the default profile's hint needs no flag:\n{}",
        run.stdout
    );
}
