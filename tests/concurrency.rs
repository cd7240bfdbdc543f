//! Many places-setup processes at once on one config folder, as scripts and CI jobs start them:
//! every profile saved is kept, a profile's secret always matches its entry, and a stale cache
//! is refreshed by one exchange, not one per process.
mod common;
use common::*;
use std::io::Write;
use std::process::{Child, Stdio};

/// Starts every command at once, each with `stdin` written to it, and waits for all of them.
fn all_at_once(home: &Home, commands: &[(Vec<&str>, &str)]) -> Vec<Run> {
    let children: Vec<Child> = commands
        .iter()
        .map(|(args, stdin)| {
            let mut child = home
                .process(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("starts");
            let mut input = child.stdin.take().expect("stdin");
            input.write_all(stdin.as_bytes()).expect("writes");
            child
        })
        .collect();
    children
        .into_iter()
        .map(|c| Run::from(c.wait_with_output().expect("ends")))
        .collect()
}

#[test]
fn eight_inits_at_once_keep_eight_profiles() {
    let home = Home::new();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let names: Vec<String> = (1..=8).map(|i| format!("p{i}")).collect();
    let commands: Vec<(Vec<&str>, &str)> = names
        .iter()
        .map(|name| {
            let mut args = vec!["--profile", name.as_str()];
            args.extend(oauth_init_stdin(OAUTH_SCOPES));
            (args, SECRET)
        })
        .collect();
    for run in all_at_once(&home, &commands) {
        run.ok();
    }
    let status = home.run(&["status", "--json"]).ok();
    for name in &names {
        assert!(
            status.stdout.contains(&format!("\"{name}\"")),
            "{name} lost:\n{}",
            status.stdout
        );
        home.run(&["--profile", name, "token"]).ok();
    }
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert_eq!(config.matches("[profiles.").count(), 8, "{config}");
}

#[test]
fn two_inits_of_one_profile_leave_one_whole() {
    let home = Home::new();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let other_secret = "p8e-Other-Client-Secret-9876543210";
    let mut other = oauth_credential(OTHER_CLIENT);
    other.client_secret = other_secret.into();
    home.emulator.add_oauth_credential(other);
    let first = oauth_init_stdin(OAUTH_SCOPES);
    let mut second = oauth_init_stdin(OAUTH_SCOPES);
    set_flag(&mut second, "--client-id", OTHER_CLIENT);
    for _ in 0..6 {
        for run in all_at_once(
            &home,
            &[(first.clone(), SECRET), (second.clone(), other_secret)],
        ) {
            run.ok();
        }
        // The client ID saved and the secret saved belong together, whichever init came last.
        home.run(&["token", "--force"]).ok();
    }
}

#[test]
fn twenty_tokens_on_a_stale_cache_make_one_exchange() {
    let home = Home::new();
    home.oauth_profile();
    home.run(&["token"]).ok();
    let cache = home.config_dir().join("profiles/default/token.json");
    let mut stale: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    stale["expires_at"] = "2020-01-01T00:00:00Z".into();
    std::fs::write(&cache, stale.to_string()).unwrap();
    let before = home.emulator.exchange_count();
    let commands: Vec<(Vec<&str>, &str)> = (0..20).map(|_| (vec!["token"], "")).collect();
    let runs = all_at_once(&home, &commands);
    let tokens: std::collections::BTreeSet<String> =
        runs.into_iter().map(|r| r.ok().stdout).collect();
    let exchanges = home.emulator.exchange_count() - before;
    eprintln!("20 concurrent `token`s on a stale cache: {exchanges} exchange(s)");
    assert_eq!(exchanges, 1);
    assert_eq!(tokens.len(), 1, "all print the one new token");
}
