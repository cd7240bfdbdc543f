//! `exec -- CMD`: the program gets the token, API key, org ID and expiry in its environment (and
//! none of places-setup's own secrets), signals are passed on to it, and its status is the exit
//! status.
mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn the_program_gets_the_token_and_its_status_is_the_exit_status() {
    let home = Home::new();
    home.oauth_profile();
    let token = home.run(&["token"]).ok().stdout.trim().to_string();
    let script = r#"printf '%s\n' "$PLACES_ACCESS_TOKEN" "$PLACES_API_KEY" "$PLACES_ORG_ID" "$PLACES_TOKEN_EXPIRES_AT" "${PLACES_SETUP_CLIENT_SECRET:-none}" "$1"; exit 3"#;
    let run = home.run_env(
        &["exec", "--", "sh", "-c", script, "sh", "--not-an-option"],
        &[("PLACES_SETUP_CLIENT_SECRET", SECRET)],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], token, "the cached token");
    assert_eq!(&lines[1..3], [CLIENT, ORG]);
    assert!(
        lines[3].ends_with('Z') && lines[3].len() == 20,
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4], "none",
        "the client secret is withheld from the program"
    );
    assert_eq!(lines[5], "--not-an-option");
    assert!(!run.stderr.contains(&token), "{}", run.stderr);

    // An expired cache is renewed first.
    home.emulator.revoke_tokens();
    let token_file = home.config_dir().join("profiles/default/token.json");
    let cached = std::fs::read_to_string(&token_file).unwrap();
    let expires = serde_json::from_str::<serde_json::Value>(&cached).unwrap()["expires_at"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        &token_file,
        cached.replace(&expires, "2001-01-01T00:00:00Z"),
    )
    .unwrap();
    let renewed = home
        .run(&[
            "exec",
            "--",
            "sh",
            "-c",
            "printf %s \"$PLACES_ACCESS_TOKEN\"",
        ])
        .ok();
    assert!(!renewed.stdout.is_empty() && renewed.stdout != token);
}

#[test]
fn a_program_that_cannot_be_run_is_127_and_no_program_is_a_usage_error() {
    let home = Home::new();
    home.oauth_profile();
    home.run(&["exec", "--", "no-such-program-here"])
        .fails(127)
        .stderr_has("cannot run no-such-program-here");
    let run = home.run(&["exec"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // Without a profile nothing runs.
    let empty = Home::new();
    empty.run(&["exec", "--", "touch", "ran"]).fails(2);
    assert!(!empty.path().join("ran").exists());
}

/// Starts `exec -- sh -c SCRIPT`, waits for the program to say it is ready, sends `signal` to
/// places-setup, and returns its exit code and what the program printed.
fn signalled(home: &Home, script: &str, signal: i32) -> (i32, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("places-setup"))
        .args(["exec", "--", "sh", "-c", script])
        .current_dir(home.path())
        .envs(home.environment())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    // SAFETY: a plain syscall on the pid of a child this test started and has not waited for.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), rest)
}

#[test]
fn signals_are_passed_on_and_a_signalled_program_ends_128_plus_n() {
    let home = Home::new();
    home.oauth_profile();
    home.run(&["token"]).ok();
    // The program handles SIGTERM itself: its own status comes back.
    let trap = r#"trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.05; done"#;
    assert_eq!(
        signalled(&home, trap, libc::SIGTERM),
        (7, "got TERM\n".to_string())
    );
    // A program that does not handle them dies of them: 128 + the signal's number.
    let plain = "echo ready; exec sleep 30";
    assert_eq!(signalled(&home, plain, libc::SIGINT).0, 130);
    assert_eq!(signalled(&home, plain, libc::SIGHUP).0, 129);
    assert_eq!(signalled(&home, plain, libc::SIGTERM).0, 143);
}
