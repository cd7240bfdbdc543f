//! Shared set-up for the command-line tests: a temporary home for config and keys, the real binary,
//! and the IMS emulator on loopback.
#![allow(dead_code)]

use assert_cmd::Command;
use places_setup::emulator::{Emulator, EmulatorConfig, JwtIntegration, OAuthCredential};
use std::path::{Path, PathBuf};
use std::process::Output;

pub const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
pub const CLIENT: &str = "0123456789abcdef0123456789abcdef";
pub const TECH: &str = "0123456789ABCDEF01234567@techacct.adobe.com";
pub const SECRET: &str = "p8e-Test-Client-Secret-0123456789";
pub const OAUTH_SCOPES: &str = "openid,AdobeID,read_organizations";

/// What a command printed, and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.starts_with("error: "),
            "one error line first: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

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

    /// The real binary, pointed at this home and this emulator, with nothing from the outer environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("places-setup").expect("binary built");
        cmd.current_dir(self.path())
            .env("PLACES_SETUP_CONFIG_DIR", self.config_dir())
            .env("PLACES_SETUP_IMS_URL", self.emulator.url())
            .env("PLACES_SETUP_PLACES_URL", self.emulator.places_url())
            .env("NO_PROXY", "*")
            .env("NO_COLOR", "1")
            // Never the keyring of the person running the tests: tests/keyring.rs asks for it.
            .env("PLACES_SETUP_STORE", "file")
            .timeout(std::time::Duration::from_secs(120));
        for var in [
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
        ] {
            cmd.env_remove(var);
        }
        cmd
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

    /// `keys --dir keys --name NAME`; returns (private key, certificate).
    pub fn make_keys(&self, name: &str) -> (PathBuf, PathBuf) {
        self.run(&["keys", "--dir", "keys", "--name", name]).ok();
        let dir = self.path().join("keys");
        (
            dir.join(format!("{name}_private.key")),
            dir.join(format!("{name}_public.crt")),
        )
    }

    /// The Console side of a JWT integration, with this certificate uploaded.
    pub fn integration(&self, certificate: &Path) -> JwtIntegration {
        JwtIntegration {
            org_id: ORG.into(),
            client_id: CLIENT.into(),
            client_secret: SECRET.into(),
            technical_account_id: TECH.into(),
            certificates_pem: vec![std::fs::read_to_string(certificate).expect("certificate")],
            metascopes: vec!["ent_places_sdk".into()],
        }
    }

    /// Keys made, certificate uploaded, profile saved: the state after the guide's steps.
    pub fn jwt_profile(&self) -> (PathBuf, PathBuf) {
        let (key, cert) = self.make_keys("places_integration_test");
        self.emulator.add_jwt_integration(self.integration(&cert));
        self.init_jwt(&key).ok();
        (key, cert)
    }

    pub fn init_jwt(&self, key: &Path) -> Run {
        self.run_with_stdin(
            &[
                "init",
                "--auth",
                "jwt",
                "--org-id",
                ORG,
                "--client-id",
                CLIENT,
                "--technical-account-id",
                TECH,
                "--private-key",
                key.to_str().unwrap(),
                "--client-secret-stdin",
            ],
            &format!("{SECRET}\n"),
        )
    }

    pub fn oauth_profile(&self) {
        self.emulator.add_oauth_credential(OAuthCredential {
            org_id: ORG.into(),
            client_id: CLIENT.into(),
            client_secret: SECRET.into(),
            scopes: OAUTH_SCOPES.split(',').map(String::from).collect(),
        });
        self.run_with_stdin(
            &[
                "init",
                "--auth",
                "oauth",
                "--org-id",
                ORG,
                "--client-id",
                CLIENT,
                "--scopes",
                OAUTH_SCOPES,
                "--client-secret-stdin",
            ],
            SECRET,
        )
        .ok();
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

/// The client secret must never be printed.
pub fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "the client secret leaked:\n{text}");
}

/// Runs the `openssl` command and returns its standard output.
pub fn openssl(args: &[&str]) -> String {
    let out = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

impl Home {
    /// An OAuth profile under another name, for the same org.
    pub fn oauth_profile_named(&self, name: &str) {
        self.emulator.add_oauth_credential(OAuthCredential {
            org_id: ORG.into(),
            client_id: "fedcba9876543210fedcba9876543210".into(),
            client_secret: SECRET.into(),
            scopes: OAUTH_SCOPES.split(',').map(String::from).collect(),
        });
        self.run_with_stdin(
            &[
                "--profile",
                name,
                "init",
                "--auth",
                "oauth",
                "--org-id",
                ORG,
                "--client-id",
                "fedcba9876543210fedcba9876543210",
                "--scopes",
                OAUTH_SCOPES,
                "--client-secret-stdin",
            ],
            SECRET,
        )
        .ok();
    }
}

pub mod xvfb;
