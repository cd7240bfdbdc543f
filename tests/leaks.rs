//! The leak test: runs every command (and the errors a wrong secret or passphrase causes) with
//! distinctive secrets, then scans everything that was shown or written for them: stdout and stderr
//! of every run, panic messages (there must be none), and every file under the workspace except the
//! 0600 files whose job is to hold a secret (`client_secret`, `key_passphrase`) and the 0600 token
//! cache (`token.json`).
//!
//! What is looked for: the client secret (and a wrong one that was tried), the private key's
//! passphrase (and a wrong one), and each access token issued, whole or its signature.
//!
//! Exactly three kinds of output are *meant* to carry the access token, and only on stdout:
//! `token` (and `token --json`), `env` in every format, and `curl`. Those stdouts are exempt from
//! the token check only; they are still checked for the client secret and the passphrase.
//!
//! For the wizard's screens: build the state with [`leak_home`], drive the wizard, and pass each
//! rendered screen's text to [`Canaries::assert_screen_leaks_nothing`].
mod common;
use common::*;

/// The values that must never be shown, made distinctive so that a match cannot be chance.
pub struct Canaries {
    pub client_secret: &'static str,
    pub wrong_client_secret: &'static str,
    pub passphrase: &'static str,
    pub wrong_passphrase: &'static str,
    /// Access tokens issued so far; grows as commands print new ones.
    pub tokens: Vec<String>,
}

impl Canaries {
    fn new() -> Canaries {
        Canaries {
            client_secret: "p8e-LeakCanary-ClientSecret-7Q2xV9mK",
            wrong_client_secret: "p8e-LeakCanary-WrongSecret-3Hf8Lp0Z",
            passphrase: "LeakCanary passphrase 5tY#q1",
            wrong_passphrase: "LeakCanary wrong passphrase 9wE$u4",
            tokens: Vec::new(),
        }
    }

    fn secrets(&self) -> [(&'static str, &'static str); 4] {
        [
            ("the client secret", self.client_secret),
            ("a wrong client secret", self.wrong_client_secret),
            ("the key passphrase", self.passphrase),
            ("a wrong key passphrase", self.wrong_passphrase),
        ]
    }

    /// Panics if `text`, shown or written at `place`, holds a secret or, unless `may_hold_token`, a token.
    pub fn assert_not_in(&self, place: &str, text: &str, may_hold_token: bool) {
        for (what, secret) in self.secrets() {
            assert!(!text.contains(secret), "{what} leaked in {place}:\n{text}");
        }
        if may_hold_token {
            return;
        }
        for token in &self.tokens {
            assert!(
                !text.contains(token.as_str()),
                "an access token leaked in {place}:\n{text}"
            );
            let signature = token.rsplit('.').next().unwrap_or_default();
            assert!(
                signature.len() < 20 || !text.contains(signature),
                "an access token's signature leaked in {place}:\n{text}"
            );
        }
    }

    /// For the wizard's author: every rendered screen of the wizard goes through this. No screen
    /// may show a secret or the token (the screen that hands out the token masks it).
    pub fn assert_screen_leaks_nothing(&self, screen: &str, rendered: &str) {
        self.assert_not_in(&format!("wizard screen {screen:?}"), rendered, false);
    }

    /// Remembers every access token in `text` (three base64url parts, as Adobe's are).
    fn learn_tokens(&mut self, text: &str) {
        let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)));
        for word in words {
            let parts: Vec<&str> = word.split('.').collect();
            if parts.len() == 3 && word.len() > 100 && !self.tokens.iter().any(|t| t == word) {
                self.tokens.push(word.to_string());
            }
        }
    }
}

/// One command's output, kept until every token is known.
struct Shown {
    label: String,
    stdout: String,
    stderr: String,
    /// `token`, `env` and `curl` print the token on stdout by design.
    stdout_may_hold_token: bool,
}

/// Runs the command with both secrets in the environment, as a CI job would have them.
fn run(home: &Home, canaries: &Canaries, args: &[&str], stdin: Option<&str>) -> Run {
    run_env(home, canaries, args, stdin, &[])
}

fn run_env(
    home: &Home,
    canaries: &Canaries,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut cmd = home.cmd();
    cmd.args(args)
        .env("PLACES_SETUP_CLIENT_SECRET", canaries.client_secret)
        .env("PLACES_SETUP_KEY_PASSPHRASE", canaries.passphrase)
        .env("RUST_BACKTRACE", "1");
    for (name, value) in env {
        cmd.env(name, value);
    }
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let run = Run::from(cmd.output().expect("runs"));
    assert!(
        !run.stderr.contains("panicked") && run.code != 101,
        "{args:?} panicked:\n{}",
        run.stderr
    );
    run
}

/// A workspace with an encrypted private key, a JWT profile whose client secret and key passphrase
/// are the canaries, and a cached token: the state in which the most secrets are about.
pub fn leak_home() -> (Home, Canaries) {
    let home = Home::new();
    let mut canaries = Canaries::new();
    let (plain, cert) = home.make_keys("plain");
    let encrypted = home.path().join("keys/places_private.key");
    encrypt_key(&plain, &encrypted, canaries.passphrase);
    std::fs::remove_file(&plain).unwrap();
    std::fs::rename(&cert, home.path().join("keys/places_public.crt")).unwrap();
    let mut integration = home.integration(&home.path().join("keys/places_public.crt"));
    integration.client_secret = canaries.client_secret.into();
    home.emulator.add_jwt_integration(integration);
    run(
        &home,
        &canaries,
        &jwt_init_stdin(&encrypted),
        Some(&format!("{}\n", canaries.client_secret)),
    )
    .ok();
    let token = run(&home, &canaries, &["token"], None).ok();
    canaries.learn_tokens(&token.stdout);
    assert_eq!(canaries.tokens.len(), 1, "one token: {}", token.stdout);
    (home, canaries)
}

#[test]
fn no_command_shows_or_writes_a_secret_or_the_token() {
    let (home, mut canaries) = leak_home();
    let key = home.path().join("keys/places_private.key");
    let mut shown: Vec<Shown> = Vec::new();
    let mut keep = |label: &str, run: Run, may_hold_token: bool| {
        shown.push(Shown {
            label: label.to_string(),
            stdout: run.stdout,
            stderr: run.stderr,
            stdout_may_hold_token: may_hold_token,
        });
    };

    // Every command, in the order a person meets them.
    let h = &home;
    let c = &canaries;
    keep(
        "keys",
        run(h, c, &["keys", "--dir", "keys", "--name", "second"], None).ok(),
        false,
    );
    keep(
        "keys --json",
        run(
            h,
            c,
            &["keys", "--dir", "keys", "--name", "third", "--json"],
            None,
        )
        .ok(),
        false,
    );
    keep(
        "keys --force",
        run(
            h,
            c,
            &["keys", "--dir", "keys", "--name", "third", "--force"],
            None,
        )
        .ok(),
        false,
    );
    keep(
        "init (secret from stdin)",
        run(h, c, &jwt_init_stdin(&key), Some(canaries.client_secret)).ok(),
        false,
    );
    keep(
        "init (secret from the environment)",
        run(h, c, &["init", "--metascopes", "ent_places_sdk"], None).ok(),
        false,
    );
    for (label, args) in [
        ("token", &["token"][..]),
        ("token --json", &["token", "--json"]),
        ("token --force", &["token", "--force"]),
        ("token --copy", &["token", "--copy"]),
        ("env", &["env"]),
        ("env --format sh", &["env", "--format", "sh"]),
        ("env --format fish", &["env", "--format", "fish"]),
        (
            "env --format powershell",
            &["env", "--format", "powershell"],
        ),
        ("env --format json", &["env", "--format", "json"]),
        ("curl", &["curl"]),
    ] {
        keep(label, run(h, c, args, None).ok(), true);
    }
    for (label, args) in [
        ("status", &["status"][..]),
        ("status --json", &["status", "--json"]),
        ("verify", &["verify"]),
        ("verify --json", &["verify", "--json"]),
        ("demo", &["demo"]),
        ("no command", &[]),
        ("--version", &["--version"]),
        ("--help", &["--help"]),
    ] {
        keep(label, run(h, c, args, None), false);
    }
    for command in [
        "keys",
        "init",
        "token",
        "status",
        "env",
        "verify",
        "curl",
        "demo",
        "profile",
        "exec",
        "api",
        "emulator",
        "completions",
    ] {
        keep(
            &format!("{command} --help"),
            run(h, c, &[command, "--help"], None).ok(),
            false,
        );
    }
    // A revoked token: verify replaces it, and says so.
    home.emulator.revoke_tokens();
    keep(
        "verify (token revoked)",
        run(h, c, &["verify"], None).ok(),
        false,
    );
    // --debug describes every request (the IMS exchange with its form body, the Places API with
    // its bearer token, a refused token and its renewal) and must show none of them.
    home.emulator.revoke_tokens();
    for (label, args) in [
        (
            "--debug api /libraries (token revoked)",
            &["--debug", "api", "/libraries"][..],
        ),
        ("--debug token --force", &["--debug", "token", "--force"]),
        ("--debug verify", &["--debug", "verify"]),
        ("profile list", &["profile", "list"]),
        ("profile list --json", &["profile", "list", "--json"]),
        (
            "api -d (a library made)",
            &["api", "/libraries", "-d", r#"{"name":"Depots"}"#],
        ),
    ] {
        let shown = run(h, c, args, None).ok();
        assert!(
            !args.contains(&"--debug") || shown.stderr.contains("debug: "),
            "{label}: {}",
            shown.stderr
        );
        keep(label, shown, args == ["--debug", "token", "--force"]);
    }
    // The program exec runs gets the token, and neither the client secret nor the passphrase of
    // the environment places-setup was given; its environment less the token is scanned.
    keep(
        "exec (the program's environment)",
        run(
            h,
            c,
            &[
                "exec",
                "--",
                "sh",
                "-c",
                "env | grep -v '^PLACES_ACCESS_TOKEN='",
            ],
            None,
        )
        .ok(),
        false,
    );

    // The errors secrets cause.
    keep(
        "token (wrong passphrase)",
        run_env(
            h,
            c,
            &["token", "--force"],
            None,
            &[("PLACES_SETUP_KEY_PASSPHRASE", canaries.wrong_passphrase)],
        )
        .fails(1),
        false,
    );
    keep(
        "init (wrong passphrase)",
        run_env(
            h,
            c,
            &jwt_init_stdin(&key),
            Some(canaries.client_secret),
            &[("PLACES_SETUP_KEY_PASSPHRASE", canaries.wrong_passphrase)],
        )
        .fails(1),
        false,
    );
    keep(
        "init --profile wrong (wrong secret)",
        run(
            h,
            c,
            &[&["--profile", "wrong"][..], &jwt_init_stdin(&key)].concat(),
            Some(canaries.wrong_client_secret),
        )
        .ok(),
        false,
    );
    keep(
        "token --profile wrong (IMS refuses the secret)",
        run(h, c, &["--profile", "wrong", "token"], None).fails(1),
        false,
    );
    keep(
        "verify --profile wrong",
        run(h, c, &["--profile", "wrong", "verify"], None).fails(1),
        false,
    );
    keep(
        "init (a secret with a space)",
        run(
            h,
            c,
            &jwt_init_stdin(&key),
            Some(&format!("{} x", canaries.wrong_client_secret)),
        )
        .fails(2),
        false,
    );
    keep(
        "init --client-secret VALUE (no such flag)",
        run(
            h,
            c,
            &["init", "--client-secret", canaries.wrong_client_secret],
            None,
        ),
        false,
    );
    keep(
        "init --client-secret=VALUE (no such flag)",
        run(
            h,
            c,
            &[
                "init",
                &format!("--client-secret={}", canaries.wrong_client_secret),
            ],
            None,
        ),
        false,
    );
    keep(
        "token (the secret is in the environment only)",
        {
            std::fs::remove_file(home.config_dir().join("profiles/wrong/client_secret")).unwrap();
            run_env(
                h,
                c,
                &["--profile", "wrong", "token"],
                None,
                &[("PLACES_SETUP_CLIENT_SECRET", canaries.wrong_client_secret)],
            )
            .fails(1)
        },
        false,
    );

    // Every token printed or cached is a canary from now on; then every output is scanned for all.
    for s in &shown {
        if s.stdout_may_hold_token {
            canaries.learn_tokens(&s.stdout);
        }
    }
    let cached = std::fs::read_to_string(home.config_dir().join("profiles/default/token.json"));
    canaries.learn_tokens(&cached.unwrap());
    assert!(
        canaries.tokens.len() >= 3,
        "first, forced and replaced tokens: {}",
        canaries.tokens.len()
    );
    for s in &shown {
        canaries.assert_not_in(
            &format!("the stdout of `{}`", s.label),
            &s.stdout,
            s.stdout_may_hold_token,
        );
        canaries.assert_not_in(&format!("the stderr of `{}`", s.label), &s.stderr, false);
    }
    let token_outputs = shown.iter().filter(|s| s.stdout_may_hold_token).count();
    assert_eq!(token_outputs, 11, "only token, env and curl are exempt");

    // Every file written, except the 0600 files whose job is to hold a secret or the token.
    let mut scanned = 0;
    let mut stack = vec![home.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_str().unwrap();
            if ["client_secret", "key_passphrase", "token.json"].contains(&name) {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            canaries.assert_not_in(&path.display().to_string(), &text, false);
            scanned += 1;
        }
    }
    // config.toml, and keys: places (key, certificate), plain's certificate was moved, second and
    // third pairs and third's backups.
    assert!(scanned >= 8, "{scanned} files scanned");
}

#[test]
fn the_canaries_catch_what_they_should() {
    let (_home, canaries) = leak_home();
    let token = canaries.tokens[0].clone();
    let caught = |text: String, may_hold_token: bool| {
        std::panic::catch_unwind(|| canaries.assert_not_in("test", &text, may_hold_token)).is_err()
    };
    assert!(caught(format!("x {} y", canaries.client_secret), true));
    assert!(caught(canaries.passphrase.to_string(), true));
    assert!(caught(format!("Bearer {token}"), false));
    assert!(caught(token.rsplit('.').next().unwrap().to_string(), false));
    assert!(!caught(format!("Bearer {token}"), true));
    assert!(!caught("nothing to see".to_string(), false));
}
