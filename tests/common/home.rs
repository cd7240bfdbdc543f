//! A fresh home for each test: a temporary folder with `config/` and `keys/`, an emulator of its
//! own, and places-setup pointed at both with nothing from the outer environment — either the
//! real binary (`run`…), or a command run in this process with its output captured (`call`…),
//! which saves starting a process for tests that only read what a command printed.
use super::SECRET;
use super::emulator::{Emulator, EmulatorConfig};
use super::run::{Run, assert_no_secret};
use assert_cmd::Command;
use places_setup::commands::{self, Io};
use places_setup::environment::{Environment, SETTINGS};
use std::path::{Path, PathBuf};

/// What the outer environment may hold that would change a command's behaviour: removed from
/// every command the tests start. TMUX and the displays among them: `token --copy` and the
/// wizard would otherwise write to the tmux buffer or the clipboard of whoever runs the tests (a
/// test that means a display or a tmux gives its own).
pub const OUTER_VARIABLES: [&str; 15] = [
    "TMUX",
    "TMUX_PANE",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "XAUTHORITY",
    "PLACES_SETUP_CLIENT_SECRET",
    "PLACES_SETUP_PROFILE",
    "PLACES_SETUP_KEY_PASSPHRASE",
    "PLACES_SETUP_TIMEOUT",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// A temporary workspace: `config/` for places-setup, `keys/` for key pairs, and an emulator.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub emulator: Emulator,
}

impl Home {
    pub fn new() -> Home {
        Home::with(EmulatorConfig::default())
    }

    pub fn with(config: EmulatorConfig) -> Home {
        Home {
            dir: tempfile::tempdir().expect("temporary folder"),
            emulator: Emulator::start(config).expect("emulator starts"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config")
    }

    /// The environment `cmd` gives, for commands started some other way: this home, this emulator,
    /// the file store (never the keyring of the person running the tests: tests/keyring.rs asks
    /// for it).
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "PLACES_SETUP_CONFIG_DIR",
                self.config_dir().display().to_string(),
            ),
            ("PLACES_SETUP_IMS_URL", self.emulator.url()),
            ("PLACES_SETUP_PLACES_URL", self.emulator.places_url()),
            ("PLACES_SETUP_STORE", "file".into()),
            ("NO_PROXY", "*".into()),
            ("NO_COLOR", "1".into()),
        ]
    }

    /// The real binary, pointed at this home and this emulator, with nothing from the outer environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("places-setup").expect("binary built");
        cmd.current_dir(self.path())
            .envs(self.environment())
            .timeout(std::time::Duration::from_secs(120));
        for var in OUTER_VARIABLES {
            cmd.env_remove(var);
        }
        cmd
    }

    /// The real binary as a plain process, for tests that start many at once.
    pub fn process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("places-setup"));
        cmd.current_dir(self.path())
            .envs(self.environment())
            .args(args);
        for var in OUTER_VARIABLES {
            cmd.env_remove(var);
        }
        cmd
    }

    /// The variables `environment` gives that places-setup reads, plus `extra`, as the value a
    /// command run in-process is given.
    pub fn snapshot(&self, extra: &[(&str, &str)]) -> Environment {
        let mut environment = Environment::default();
        for (name, value) in self.environment() {
            if SETTINGS.contains(&name) {
                environment = environment.with(name, value);
            }
        }
        for (name, value) in extra {
            environment = environment.with(name, *value);
        }
        environment
    }

    /// Runs `places-setup ARGS` in this process, as the binary would (same parsing, same command,
    /// same error report), with `stdin` as its input, no terminal, and this home's environment
    /// plus `extra`. The test process's folder is not this home's: give paths as absolute ones
    /// (a relative one would be taken from where the tests run); commands that need a terminal,
    /// signals, the process's environment or its folder run the binary (`run`).
    pub fn call_full(&self, args: &[&str], stdin: &str, extra: &[(&str, &str)]) -> Run {
        let (mut io, captured) = Io::captured(stdin, self.snapshot(extra));
        let code = commands::run_args(
            std::iter::once("places-setup").chain(args.iter().copied()),
            &mut io,
        );
        let run = Run {
            code,
            stdout: String::from_utf8_lossy(&captured.stdout()).into_owned(),
            stderr: String::from_utf8_lossy(&captured.stderr()).into_owned(),
        };
        assert_no_secret(&run.all());
        run
    }

    /// `run`, in this process (see `call_full`).
    pub fn call(&self, args: &[&str]) -> Run {
        self.call_full(args, "", &[])
    }

    /// `run_with_stdin`, in this process (see `call_full`).
    pub fn call_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.call_full(args, stdin, &[])
    }

    /// `run_env`, in this process (see `call_full`).
    pub fn call_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.call_full(args, "", env)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let run = Run::from(self.cmd().args(args).output().expect("runs"));
        assert_no_secret(&run.all());
        run
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let run = Run::from(
            self.cmd()
                .args(args)
                .write_stdin(stdin)
                .output()
                .expect("runs"),
        );
        assert_no_secret(&run.all());
        run
    }

    /// `run` with `stdin` and these variables added to the environment.
    pub fn run_full(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let run = Run::from(
            self.cmd()
                .args(args)
                .envs(env.iter().copied())
                .write_stdin(stdin)
                .output()
                .expect("runs"),
        );
        assert_no_secret(&run.all());
        run
    }

    /// `run` with these variables added to the environment (a secret, a passphrase, a store).
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let run = Run::from(
            self.cmd()
                .args(args)
                .envs(env.iter().copied())
                .output()
                .expect("runs"),
        );
        assert_no_secret(&run.all());
        run
    }

    /// `keys --dir HOME/keys --name NAME`, in-process; returns (private key, certificate).
    pub fn make_keys(&self, name: &str) -> (PathBuf, PathBuf) {
        let dir = self.path().join("keys");
        let folder = dir.to_str().expect("a UTF-8 folder");
        self.call(&["keys", "--dir", folder, "--name", name]).ok();
        (
            dir.join(format!("{name}_private.key")),
            dir.join(format!("{name}_public.crt")),
        )
    }

    /// Every file under the config folder except the 0600 secret-holding ones, as text.
    pub fn public_files(&self) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        let mut stack = vec![self.config_dir()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if !["client_secret", "key_passphrase", "token.json"]
                    .contains(&p.file_name().unwrap().to_str().unwrap())
                {
                    out.push((p.clone(), std::fs::read_to_string(&p).unwrap_or_default()));
                }
            }
        }
        out
    }
}

/// A fresh temporary folder and the config folder inside it (not yet made), for tests that start
/// the binary some other way (in a terminal) and need no emulator. Keep the folder alive as long
/// as the config is used.
pub fn fresh_config() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = dir.path().join("config");
    (dir, config)
}
