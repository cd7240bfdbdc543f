//! `token --copy` under a real X server: the token can still be pasted after places-setup exits,
//! and it is marked to be kept out of clipboard history.
mod common;
use common::xvfb::Xvfb;
use common::*;

#[test]
fn token_copy_stays_pasteable_after_exit() {
    let x = Xvfb::start();
    let home = Home::new();
    home.jwt_profile();
    let run = Run::from(
        home.cmd()
            .args(["token", "--copy"])
            .env("DISPLAY", &x.display)
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap(),
    )
    .ok();
    run.stderr_has("Copied the token to the clipboard (X11)");
    let token = run.stdout.trim();
    assert_eq!(
        x.clipboard(None),
        token,
        "pasteable after the program exited"
    );
    let targets = x.clipboard(Some("TARGETS"));
    assert!(
        targets.contains("x-kde-passwordManagerHint"),
        "kept out of clipboard history: {targets}"
    );
}

#[test]
fn without_a_display_copy_falls_back_and_never_fails() {
    let home = Home::new();
    home.jwt_profile();
    let run = Run::from(
        home.cmd()
            .args(["token", "--copy"])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap(),
    )
    .ok();
    assert_eq!(
        run.stdout.trim().split('.').count(),
        3,
        "the token is still printed"
    );
    assert!(
        run.stderr.contains("OSC 52") || run.stderr.contains("could not copy"),
        "{}",
        run.stderr
    );
}

#[test]
fn commands_the_tests_start_never_reach_the_tmux_or_display_of_whoever_runs_them() {
    let home = Home::new();
    let command = home.process(&["token", "--copy"]);
    let removed: Vec<String> = command
        .get_envs()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name.to_string_lossy().into_owned())
        .collect();
    for var in ["TMUX", "TMUX_PANE", "DISPLAY", "WAYLAND_DISPLAY"] {
        assert!(removed.iter().any(|r| r == var), "{var} is passed on");
    }
}
