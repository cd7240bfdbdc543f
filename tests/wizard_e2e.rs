//! The real binary in a real pseudo-terminal (tmux), driven by key presses: first-time setup to a
//! token on screen and a saved profile, then a second run that refreshes an expired token; the
//! terminal's state is checked after every exit. Under Xvfb, the token copied in the wizard is
//! read back with xclip after the program has exited.
mod common;
use common::xvfb::Xvfb;
use common::*;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own, with one 80×24 pane running a plain `sh` (no readline touching the
/// terminal modes behind our back).
pub struct Pane {
    socket: String,
}

impl Pane {
    pub fn start(env: &[(&str, String)]) -> Pane {
        let socket = format!(
            "places-setup-test-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let mut cmd = Command::new("tmux");
        cmd.args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            "-s",
            "t",
        ]);
        // The pane's server starts with this environment: not the tmux or the display of
        // whoever runs the tests (a test under Xvfb names its own DISPLAY in `env`).
        for var in OUTER_VARIABLES {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            cmd.args(["-e", &format!("{k}={v}")]);
        }
        cmd.args(["env", "PS1=$ ", "sh"]);
        let status = cmd
            .status()
            .expect("tmux is installed (scripts/setup installs it)");
        assert!(status.success());
        let pane = Pane { socket };
        pane.wait_for("$");
        pane
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
        }
    }

    pub fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
    }

    pub fn line(&self, command: &str) {
        self.text(command);
        self.keys(&["Enter"]);
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    pub fn display(&self, format: &str) -> String {
        self.tmux(&["display", "-p", "-t", "t", format])
            .trim()
            .to_string()
    }

    /// Waits (bounded) until `text` is on screen; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{text:?} never appeared; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (bounded) until the shell is the pane's foreground process again.
    pub fn wait_for_shell(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.display("#{pane_current_command}") != "sh" {
            assert!(
                Instant::now() < deadline,
                "the shell never came back; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (bounded) until a line of output starts with `prefix` (the typed command line, which
    /// also contains it, starts with the prompt).
    pub fn wait_for_line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            // Under load the shell may draw its next prompt before the output lands on that
            // line ("$ EXIT=143"): the prompt is not part of the output.
            let output = |l: &str| {
                l.starts_with(prefix) || l.strip_prefix("$ ").is_some_and(|r| r.starts_with(prefix))
            };
            if screen.lines().any(output) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "no line starting {prefix:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// After the program ended: normal screen, cursor shown, cooked mode with echo, no bracketed paste.
    pub fn assert_terminal_restored(&self) {
        assert_eq!(
            self.display("#{alternate_on}"),
            "0",
            "the alternate screen was left"
        );
        assert_eq!(self.display("#{cursor_flag}"), "1", "the cursor is visible");
        // The quotes keep the marker out of the echoed command line.
        self.line("echo \"MO\"\"DES=$(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ' ')\"");
        let screen = self.wait_for("MODES=");
        assert!(
            screen.contains("MODES=icanon echo"),
            "cooked mode with echo is back:\n{screen}"
        );
        // Bracketed paste off: a paste reaches `cat -v` without the \e[200~ markers.
        self.line("cat -v");
        self.tmux(&["set-buffer", "pasted-text"]);
        self.tmux(&["paste-buffer", "-p", "-t", "t"]);
        self.keys(&["Enter", "C-d"]);
        let screen = self.wait_for("pasted-text\n");
        assert!(
            !screen.contains("[200~"),
            "bracketed paste is off:\n{screen}"
        );
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_places-setup")
}

fn env(config: &Path) -> Vec<(&'static str, String)> {
    env_with_display(config, "")
}

fn env_with_display(config: &Path, display: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PLACES_SETUP_CONFIG_DIR", config.display().to_string()),
        ("NO_COLOR", "1".into()),
        ("TERM", "xterm-256color".into()),
        ("DISPLAY", display.into()),
        ("WAYLAND_DISPLAY", String::new()),
        ("TMUX", String::new()),
    ]
}

/// Runs the demo in `config` (named with --config-dir: the only way it keeps its files) through the
/// whole JWT flow; returns the access token it saved.
pub fn first_time_setup(pane: &Pane, config: &Path, copied: &str) -> String {
    pane.line(&format!(
        "{} --config-dir {} demo; echo EXIT=$?",
        binary(),
        config.display()
    ));
    to_credentials(pane);
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("saved in");
    assert!(screen.contains("7/7 Access token"), "{screen}");
    assert!(screen.contains("(new from Adobe IMS)"));
    pane.keys(&["v"]);
    pane.wait_for("The Places API accepts the token: the org has 2 POI libraries.");
    pane.keys(&["c"]);
    pane.wait_for(copied);
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    let cache: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(config.join("profiles/default/token.json")).unwrap(),
    )
    .unwrap();
    cache["access_token"].as_str().unwrap().to_string()
}

/// From the demo's welcome screen (JWT, the first choice) to the credentials, the key pair
/// written in the key folder the screen offers.
pub fn to_credentials(pane: &Pane) {
    let screen = pane.wait_for("places-setup · Welcome");
    assert!(screen.contains("DEMO"));
    pane.keys(&["Enter"]);
    pane.wait_for("1/7 Prerequisites");
    for _ in 0..4 {
        pane.keys(&["Space", "Down"]);
    }
    pane.keys(&["Enter"]);
    pane.wait_for("2/7 Key folder and name");
    pane.keys(&["Enter"]);
    pane.wait_for("3/7 Certificate subject");
    for (i, value) in [
        "US",
        "California",
        "San Jose",
        "Places",
        "Engineering",
        "places.com",
        "poi@places.com",
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            pane.keys(&["Tab"]);
        }
        pane.text(value);
    }
    // A person takes seconds over the form; by then the background key is ready.
    pane.wait_for("RSA 2048 key ready");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("Key pair written");
    assert!(screen.contains("0600"), "{screen}");
    assert!(screen.contains("registered with the emulator"), "{screen}");
    pane.keys(&["Enter"]);
    pane.wait_for("5/7 Credentials");
}

#[test]
fn first_time_setup_then_refresh_of_an_expired_token() {
    let (_dir, config) = fresh_config();
    let pane = Pane::start(&env(&config));
    // Inside tmux (with its default settings) the token goes to tmux's paste buffer.
    let first = first_time_setup(&pane, &config, "in tmux's paste buffer");
    assert_eq!(pane.tmux(&["show-buffer"]), first, "tmux holds the token");
    pane.assert_terminal_restored();

    let saved = std::fs::read_to_string(config.join("config.toml")).unwrap();
    assert!(
        saved.contains("[profiles.default]") && saved.contains("auth = \"jwt\""),
        "{saved}"
    );
    assert!(!saved.contains("p8e-"), "no secret in config.toml");
    // Made against the demo's emulator, the profile keeps its Places API beside its IMS.
    assert!(
        saved.contains("places_url = \"http://127.0.0.1:")
            && saved.contains("/places/placesapi/v1\""),
        "{saved}"
    );
    assert_eq!(mode(&config.join("profiles/default/client_secret")), 0o600);
    assert_eq!(
        mode(&config.join("keys/places_integration_test_private.key")),
        0o600
    );
    let subject = Command::new("openssl")
        .args(["x509", "-noout", "-subject", "-in"])
        .arg(config.join("keys/places_integration_test_public.crt"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&subject.stdout).contains("CN = places.com"));

    // The token expires; re-running opens on the profile and Enter refreshes and copies it.
    let cache_path = config.join("profiles/default/token.json");
    let mut cache: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache_path).unwrap()).unwrap();
    cache["expires_at"] = "2026-01-01T00:00:00Z".into();
    std::fs::write(&cache_path, cache.to_string()).unwrap();
    pane.line("printf '\\033[H\\033[2J'");
    pane.line(&format!(
        "{} --config-dir {} demo; echo EXIT=$?",
        binary(),
        config.display()
    ));
    let screen = pane.wait_for("Refresh the token of \"default\" and copy it");
    assert!(screen.contains("token expired"), "{screen}");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("in tmux's paste buffer");
    assert!(
        screen.contains("2/2 Access token") && screen.contains("(new from Adobe IMS)"),
        "{screen}"
    );
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    pane.assert_terminal_restored();
    let refreshed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache_path).unwrap()).unwrap();
    assert_ne!(
        refreshed["access_token"].as_str().unwrap(),
        first,
        "a new token"
    );
    let expires = humantime::parse_rfc3339(refreshed["expires_at"].as_str().unwrap()).unwrap();
    assert!(expires > std::time::SystemTime::now() + Duration::from_secs(23 * 3600));
}

#[test]
fn signals_and_ctrl_c_restore_the_terminal() {
    let (_dir, config) = fresh_config();
    let pane = Pane::start(&env(&config));
    for (how, status) in [
        ("C-c", 130),
        ("TERM", 143),
        ("HUP", 129),
        ("INT", 130),
        ("QUIT", 131),
    ] {
        pane.line("printf '\\033[H\\033[2J'");
        // The config folder in the command line tells this test's process from other tests'.
        pane.line(&format!(
            "{} --config-dir {} demo; echo EXIT=$?",
            binary(),
            config.display()
        ));
        pane.wait_for("places-setup · Welcome");
        pane.keys(&["Enter"]);
        pane.wait_for("1/7 Prerequisites");
        if how == "C-c" {
            // Ctrl-C is a key press in raw mode; INT is the signal, sent from outside.
            pane.keys(&["C-c"]);
        } else {
            let pattern = format!("--config-dir {} demo", config.display());
            let pids = Command::new("pgrep")
                .args(["-f", "--", &pattern])
                .output()
                .unwrap();
            let pids = String::from_utf8_lossy(&pids.stdout).into_owned();
            assert!(!pids.trim().is_empty(), "the wizard is running");
            for pid in pids.split_whitespace() {
                Command::new("kill")
                    .args([&format!("-{how}"), pid])
                    .status()
                    .unwrap();
            }
        }
        pane.wait_for_line(&format!("EXIT={status}"));
        pane.assert_terminal_restored();
    }
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_resumes_where_it_was() {
    let (_dir, config) = fresh_config();
    let pane = Pane::start(&env(&config));
    // No `; echo` after it: a shell goes on with the rest of a list when its job stops.
    pane.line(&format!(
        "{} --config-dir {} demo",
        binary(),
        config.display()
    ));
    pane.wait_for("places-setup · Welcome");
    pane.keys(&["Enter"]);
    pane.wait_for("1/7 Prerequisites");
    pane.keys(&["Space"]);
    let ticked = pane.wait_for("[x]");
    pane.keys(&["C-z"]);
    // The job is stopped and the shell has the terminal, in the state it expects.
    pane.wait_for("Stopped");
    pane.wait_for_shell();
    pane.line("jobs -l; echo \"JO\"\"BS=done\"");
    let screen = pane.wait_for("JOBS=done");
    assert!(screen.to_lowercase().contains("stopped"), "{screen}");
    pane.assert_terminal_restored();
    pane.line("fg");
    let resumed = pane.wait_for("1/7 Prerequisites");
    assert_eq!(
        pane.display("#{alternate_on}"),
        "1",
        "the wizard's screen is back"
    );
    let marks = |s: &str| s.matches("[x]").count();
    assert_eq!(
        marks(&resumed),
        marks(&ticked),
        "what was ticked is kept:\n{resumed}"
    );
    // Keys work again: raw mode is back (Space ticks the next item rather than echoing).
    pane.keys(&["Down", "Space"]);
    let screen = pane.wait_for("1/7 Prerequisites");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut screen = screen;
    while marks(&screen) != marks(&ticked) + 1 {
        assert!(Instant::now() < deadline, "Space ticks after fg:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
        screen = pane.screen();
    }
    pane.keys(&["C-c"]);
    // Typed only once the wizard has ended, so that it cannot read the keys meant for the shell.
    pane.wait_for_shell();
    pane.line("echo EXIT=$?");
    pane.wait_for_line("EXIT=130");
    pane.assert_terminal_restored();
}

#[test]
fn a_small_terminal_asks_to_be_enlarged() {
    let (_dir, config) = fresh_config();
    let pane = Pane::start(&env(&config));
    pane.line(&format!("{} demo; echo EXIT=$?", binary()));
    pane.wait_for("places-setup · Welcome");
    pane.tmux(&["resize-window", "-t", "t", "-x", "60", "-y", "20"]);
    pane.wait_for("Please enlarge this terminal");
    pane.keys(&["Enter"]);
    pane.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    let screen = pane.wait_for("places-setup · Welcome");
    assert!(
        !screen.contains("Prerequisites"),
        "keys are ignored while too small"
    );
    pane.keys(&["C-c"]);
    pane.wait_for_line("EXIT=130");
}

#[test]
fn the_copied_token_is_pasteable_after_the_wizard_exits() {
    let x = Xvfb::start();
    let (_dir, config) = fresh_config();
    let pane = Pane::start(&env_with_display(&config, &x.display));
    let token = first_time_setup(&pane, &config, "Copied the token to the clipboard (X11)");
    assert_eq!(x.clipboard(None), token);
    assert!(
        x.clipboard(Some("TARGETS"))
            .contains("x-kde-passwordManagerHint")
    );
}

/// `env` with a private TMPDIR (where the demo makes its folder) and a HOME of the test's own.
fn env_in(config: &Path, tmp: &Path, home: &Path) -> Vec<(&'static str, String)> {
    let mut env = env(config);
    env.push(("TMPDIR", tmp.display().to_string()));
    env.push(("HOME", home.display().to_string()));
    env
}

/// The demo's temporary folders under `tmp`.
fn demo_folders(tmp: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(tmp)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().contains("places-setup-demo."))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_demo_never_touches_the_profiles_of_the_config_variable() {
    // A real profile where PLACES_SETUP_CONFIG_DIR points.
    let home = Home::new();
    home.oauth_profile();
    let real = home.config_dir();
    let before = snapshot(&real, &[]);
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let pane = Pane::start(&env_in(&real, &tmp, home.path()));
    pane.line(&format!("{} demo; echo EXIT=$?", binary()));
    let screen = pane.wait_for("places-setup · Welcome");
    assert!(
        !screen.contains("Refresh the token of") && !screen.contains("Saved profiles"),
        "the real profiles are not listed:\n{screen}"
    );
    assert_eq!(
        demo_folders(&tmp).len(),
        1,
        "the demo works in a folder of its own"
    );
    to_credentials(&pane);
    pane.keys(&["Enter"]);
    pane.wait_for("saved in");
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    assert_eq!(
        changed(&before, &snapshot(&real, &[])),
        Vec::<String>::new(),
        "the real config folder is byte-identical"
    );
    assert!(
        demo_folders(&tmp).is_empty(),
        "the demo's folder is removed"
    );
}

#[test]
fn the_demo_folder_is_removed_on_every_way_out() {
    let (dir, config) = fresh_config();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let pane = Pane::start(&env_in(&config, &tmp, dir.path()));
    for (i, how) in ["C-c", "TERM", "HUP", "QUIT", "Escape"]
        .into_iter()
        .enumerate()
    {
        // The quotes keep the marker out of the echoed command line.
        pane.line(&format!("{} demo; echo \"EX\"\"IT{i}=$?\"", binary()));
        pane.wait_for("places-setup · Welcome");
        assert_eq!(demo_folders(&tmp).len(), 1);
        assert_eq!(
            mode(&demo_folders(&tmp)[0]),
            0o700,
            "the demo's folder is private"
        );
        match how {
            "C-c" | "Escape" => pane.keys(&[how]),
            signal => {
                let pids = Command::new("pgrep")
                    .args(["-f", "-P", &pane.display("#{pane_pid}"), "--", "demo"])
                    .output()
                    .unwrap();
                let pids = String::from_utf8_lossy(&pids.stdout).into_owned();
                assert!(!pids.trim().is_empty(), "the wizard is running");
                for pid in pids.split_whitespace() {
                    Command::new("kill")
                        .args([&format!("-{signal}"), pid])
                        .status()
                        .unwrap();
                }
            }
        }
        pane.wait_for(&format!("EXIT{i}="));
        assert!(
            demo_folders(&tmp).is_empty(),
            "{how}: the folder is removed"
        );
    }

    // The terminal itself goes away (tmux kill-server), with a key pair and a secret written.
    let pane = Pane::start(&env_in(&config, &tmp, dir.path()));
    pane.line(&format!("{} demo", binary()));
    to_credentials(&pane);
    pane.keys(&["Enter"]);
    pane.wait_for("saved in");
    assert_eq!(demo_folders(&tmp).len(), 1);
    drop(pane);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !demo_folders(&tmp).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the folder outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Pastes `text` into the focused field as a terminal paste (bracketed).
fn paste(pane: &Pane, text: &str) {
    pane.tmux(&["set-buffer", "--", text]);
    pane.tmux(&["paste-buffer", "-p", "-t", "t"]);
}

/// Welcome → prerequisites (unticked: asked once) → key folder.
fn to_key_folder(pane: &Pane, config: &Path, extra: &str) {
    pane.line(&format!(
        "{} --config-dir {}{extra} demo; echo \"EX\"\"IT=$?\"",
        binary(),
        config.display()
    ));
    pane.wait_for("places-setup · Welcome");
    pane.keys(&["Enter"]);
    pane.wait_for("1/7 Prerequisites");
    pane.keys(&["Enter", "Enter"]);
    pane.wait_for("2/7 Key folder and name");
}

#[test]
fn the_key_folder_screen_offers_existing_files_however_they_came_and_never_loops() {
    let (dir, config) = fresh_config();
    let home = dir.path();
    let status = Command::new(binary())
        .args(["keys", "--dir"])
        .arg(home.join("existing"))
        .status()
        .unwrap();
    assert!(status.success());
    let pane = Pane::start(&env_in(&config, home, home));
    to_key_folder(&pane, &config, "");
    // A pasted folder (with ~ for home) that holds a pair.
    pane.keys(&["C-u"]);
    paste(&pane, "~/existing");
    let screen = pane.wait_for("These files exist");
    let key = home.join("existing/places_integration_test_private.key");
    assert!(
        screen.contains(&key.display().to_string()),
        "absolute path:\n{screen}"
    );
    pane.keys(&["Enter"]);
    pane.wait_for("Using the existing key pair");
    // Back to the folder screen and on again: the same pair, used again.
    pane.keys(&["Escape"]);
    pane.wait_for("3/7 Certificate subject");
    pane.keys(&["Escape"]);
    pane.wait_for("These files exist");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("Using the existing key pair");
    assert!(!screen.contains("already exist"), "{screen}");

    // A new folder under ~: written there, then Esc back and Enter uses it — no loop.
    pane.keys(&["Escape"]);
    pane.wait_for("3/7 Certificate subject");
    pane.keys(&["Escape"]);
    pane.wait_for("2/7 Key folder and name");
    pane.keys(&["C-u"]);
    pane.text("~/newkeys");
    pane.keys(&["Enter"]);
    pane.wait_for("3/7 Certificate subject");
    pane.wait_for("RSA 2048 key ready");
    pane.keys(&["Enter"]);
    let certificate = home.join("newkeys/places_integration_test_public.crt");
    let screen = pane.wait_for("Key pair written");
    assert!(
        screen.contains(&certificate.display().to_string()),
        "the absolute path to upload:\n{screen}"
    );
    assert!(!home.join("~").exists() && !config.join("~").exists());
    pane.keys(&["c"]);
    pane.wait_for("in tmux's paste buffer");
    assert_eq!(
        pane.tmux(&["show-buffer"]),
        certificate.display().to_string(),
        "c copies the absolute path"
    );
    pane.keys(&["Escape"]);
    pane.wait_for("3/7 Certificate subject");
    pane.keys(&["Escape"]);
    pane.wait_for("These files exist");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("Using the existing key pair");
    assert!(!screen.contains("already exist"), "{screen}");
    pane.keys(&["Enter"]);
    pane.wait_for("5/7 Credentials");
    pane.keys(&["C-c"]);
    pane.wait_for("EXIT=130");
}

#[test]
fn a_refused_setup_is_kept_as_an_untested_draft_and_resumed() {
    let (dir, config) = fresh_config();
    let pane = Pane::start(&env_in(&config, dir.path(), dir.path()));
    pane.line(&format!(
        "{} --config-dir {} --profile staging demo; echo \"EX\"\"IT=$?\"",
        binary(),
        config.display()
    ));
    to_credentials(&pane);
    // org, client ID, technical account, then the secret: typed wrong.
    pane.keys(&["Tab", "Tab", "Tab", "C-u"]);
    pane.text("p8e-not-the-right-secret");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("profile \"staging\" (untested)");
    assert!(
        screen.contains("press e to paste the secret again"),
        "the wizard's key first:\n{screen}"
    );
    pane.keys(&["C-c"]);
    pane.wait_for("EXIT=130");
    let status = Command::new(binary())
        .args(["--config-dir"])
        .arg(&config)
        .arg("status")
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        status.contains("staging") && status.contains("untested"),
        "{status}"
    );
    assert!(!status.contains("p8e-"), "{status}");

    // The next run offers it (the cursor on it: --profile staging) and resumes at the credentials.
    pane.line("clear");
    pane.line(&format!(
        "{} --config-dir {} --profile staging demo; echo \"EX\"\"IT=$?\"",
        binary(),
        config.display()
    ));
    let screen = pane.wait_for("Resume \"staging\"");
    assert!(screen.contains("› Resume \"staging\""), "{screen}");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("5/7 Credentials");
    assert!(
        screen.contains("DE40DE40DE40DE40DE40DE40@AdobeOrg"),
        "{screen}"
    );
    pane.keys(&["Tab", "Tab", "Tab", "C-u"]);
    pane.text("p8e-DEMO-not-a-real-secret");
    pane.keys(&["Enter"]);
    pane.wait_for("saved in");
    pane.keys(&["Enter"]);
    pane.wait_for("EXIT=0");
    let saved = std::fs::read_to_string(config.join("config.toml")).unwrap();
    assert!(saved.contains("[profiles.staging]"), "{saved}");
    assert!(!saved.contains("untested"), "tested now:\n{saved}");
}

#[test]
fn an_encrypted_key_nothing_opens_is_reported_not_prompted_for_in_the_wizard() {
    let home = Home::new();
    let (key, cert) = home.make_keys("places_integration_test");
    home.emulator.add_jwt_integration(home.integration(&cert));
    let plain = home.path().join("keys/plain.key");
    std::fs::rename(&key, &plain).unwrap();
    encrypt_key(&plain, &key, "the right passphrase");
    let saved = home
        .cmd()
        .args(jwt_init_stdin(&key))
        .env("PLACES_SETUP_KEY_PASSPHRASE", "the right passphrase")
        .write_stdin(format!("{SECRET}\n"))
        .output()
        .unwrap();
    assert!(saved.status.success(), "{saved:?}");
    // The saved passphrase no longer opens it, and no variable gives one.
    std::fs::write(
        home.config_dir().join("profiles/default/key_passphrase"),
        "a wrong one",
    )
    .unwrap();
    let _ = std::fs::remove_file(home.config_dir().join("profiles/default/token.json"));
    let mut env = home.environment();
    env.extend([
        ("TERM", "xterm-256color".to_string()),
        ("DISPLAY", String::new()),
        ("WAYLAND_DISPLAY", String::new()),
    ]);
    let pane = Pane::start(&env);
    pane.line(&format!("{}; echo \"EX\"\"IT=$?\"", binary()));
    pane.wait_for("Refresh the token of \"default\"");
    pane.keys(&["Enter"]);
    // The key could not be opened, so IMS was never asked: the screen does not say it refused.
    let screen = pane.wait_for("No token.");
    assert!(!screen.contains("IMS did not give a token"), "{screen}");
    assert!(
        screen.contains("is encrypted") || screen.contains("passphrase"),
        "{screen}"
    );
    assert!(
        !screen.contains("Passphrase for"),
        "no prompt under the wizard:\n{screen}"
    );
    pane.keys(&["C-c"]);
    pane.wait_for("EXIT=130");
}

/// A real run (no demo) against this home's emulator, from the pane's shell.
fn real_run(home: &Home) -> Pane {
    let mut env: Vec<(&str, String)> = home.environment();
    env.retain(|(k, _)| *k != "NO_COLOR");
    env.extend(env_with_display(&home.config_dir(), ""));
    Pane::start(&env)
}

#[test]
fn the_consoles_json_is_imported_tested_and_saved() {
    let home = Home::new();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let pane = real_run(&home);
    pane.line(&format!("{}; echo EXIT=$?", binary()));
    pane.wait_for("› New integration: OAuth Server-to-Server (recommended)");
    pane.keys(&["Down", "Enter"]);
    pane.wait_for("1/4 Import the Console's JSON");
    pane.text(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/console/one.json"
    ));
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("Imported \"Places S2S\" from one.json");
    assert!(
        screen.contains(CLIENT) && !screen.contains(SECRET),
        "{screen}"
    );
    pane.keys(&["Enter"]);
    pane.wait_for("4/4 Access token");
    pane.wait_for("saved in");
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(
        config.contains("auth = \"oauth\"") && config.contains(TECH),
        "{config}"
    );
    assert_eq!(
        home.emulator
            .last_request("/ims/token/v3")
            .unwrap()
            .field("scope"),
        Some(OAUTH_SCOPES)
    );
}

#[test]
fn o_on_a_converted_profile_migrates_it() {
    let home = Home::new();
    let (key, _) = home.jwt_profile();
    home.emulator
        .convert_to_oauth(CLIENT, OAUTH_SCOPES.split(',').map(String::from).collect());
    let pane = real_run(&home);
    pane.line(&format!("{}; echo EXIT=$?", binary()));
    let screen = pane.wait_for("› Refresh the token of \"default\" and copy it");
    assert!(
        screen.contains("JWT, refused by Adobe since 2026-03-01"),
        "{screen}"
    );
    pane.keys(&["Enter"]);
    pane.wait_for("internal_error");
    pane.keys(&["o"]);
    pane.wait_for("Migrate \"default\" to OAuth Server-to-Server");
    pane.text(OAUTH_SCOPES);
    pane.keys(&["Enter"]);
    pane.wait_for("Access token");
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(config.contains("auth = \"oauth\""), "{config}");
    assert!(key.exists(), "the key file stays");
}

/// A real run against this home's emulator with no Places API named: the wizard finds it where
/// the profile keeps it (beside a loopback IMS), as `verify` does.
fn real_run_without_places_variable(home: &Home) -> Pane {
    let mut env: Vec<(&str, String)> = home.environment();
    env.retain(|(k, _)| *k != "NO_COLOR" && *k != "PLACES_SETUP_PLACES_URL");
    env.extend(env_with_display(&home.config_dir(), ""));
    Pane::start(&env)
}

/// Imports the Console's JSON at `json` and exchanges it: the token screen.
fn import(pane: &Pane, json: &Path) {
    pane.line(&format!("{}; echo EXIT=$?", binary()));
    pane.wait_for("› New integration: OAuth Server-to-Server (recommended)");
    pane.keys(&["Down", "Enter"]);
    pane.wait_for("1/4 Import the Console's JSON");
    pane.text(&json.display().to_string());
    pane.keys(&["Enter"]);
    pane.wait_for("Imported \"Places S2S\"");
    pane.keys(&["Enter"]);
    pane.wait_for("4/4 Access token");
}

#[test]
fn a_profile_made_against_the_emulator_is_verified_there_now_and_when_refreshed() {
    let home = Home::new();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let pane = real_run_without_places_variable(&home);
    let json = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/console/one.json");
    import(&pane, &json);
    // Checked on its way to the screen, without `v`, at the emulator's Places API.
    pane.wait_for("The Places API accepts the token");
    pane.wait_for("saved in");
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    let asked = home.emulator.last_request("/places/placesapi/v1/libraries");
    assert!(asked.is_some(), "checked at the emulator");

    // Refreshed in a later run: the profile's own Places API is asked again (it now lists none).
    home.emulator.set_libraries(ORG, vec![]);
    let cache = home.config_dir().join("profiles/default/token.json");
    std::fs::remove_file(&cache).unwrap();
    // A marker of its own: the first run's EXIT=0 is still on screen.
    pane.line(&format!("{}; echo AGAIN=$?", binary()));
    pane.wait_for("Refresh the token of \"default\" and copy it");
    pane.keys(&["Enter"]);
    pane.wait_for("2/2 Access token");
    pane.wait_for("The Places API accepts the token: the org has 0 POI libraries");
    pane.keys(&["Enter"]);
    pane.wait_for_line("AGAIN=0");
}

#[test]
fn a_wrong_org_id_is_shown_refused_by_the_places_api_not_working() {
    let home = Home::new();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/console/one.json"),
    )
    .unwrap();
    let wrong = home.path().join("wrong-org.json");
    std::fs::write(
        &wrong,
        text.replace(ORG, "AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg"),
    )
    .unwrap();
    let pane = real_run(&home);
    import(&pane, &wrong);
    pane.wait_for("refuses this token");
    let screen = pane.wait_for("saved in");
    assert!(screen.contains("403025"), "{screen}");
    // Lines wrap where the folder's path ends: read the words in order.
    let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("marked refused by the Places API"),
        "{screen}"
    );
    assert!(!screen.contains("✓ Profile"), "{screen}");
    pane.keys(&["Enter"]);
    pane.wait_for_line("EXIT=0");
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(config.contains("state = \"refused\""), "{config}");
    let status = home.run(&["status"]);
    assert!(
        status.stdout.contains("refused by the Places API"),
        "{}",
        status.stdout
    );
    // `verify` meets the same refusal; once the org ID is put right, it clears the mark.
    assert_ne!(home.run(&["verify"]).code, 0);
    let wrong_org = "AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg";
    std::fs::write(
        home.config_dir().join("config.toml"),
        config.replace(wrong_org, ORG),
    )
    .unwrap();
    let verified = home.run(&["verify"]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    let status = home.run(&["status"]);
    assert!(
        !status.stdout.contains("refused by the Places API"),
        "{}",
        status.stdout
    );
}
