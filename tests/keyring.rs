//! Where secrets are kept: the system keyring when one answers within 3 seconds, 0600 files
//! otherwise, never a hang. Ends with a real Secret Service (gnome-keyring on a private D-Bus).
#![cfg(target_os = "linux")]
mod common;
use common::*;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "k3yring pass phrase";

/// `init` for an OAuth profile, with the store left to choose unless `store` is given.
fn init_oauth(home: &Home, bus: &str, runtime: &Path, store: Option<&str>) -> (Run, Duration) {
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let mut cmd = home.cmd();
    cmd.args(oauth_init_stdin(OAUTH_SCOPES))
        .env_remove("PLACES_SETUP_STORE")
        .env("XDG_RUNTIME_DIR", runtime)
        .write_stdin(SECRET)
        .timeout(Duration::from_secs(20));
    if bus.is_empty() {
        cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    } else {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    if let Some(store) = store {
        cmd.args(["--store", store]);
    }
    let started = Instant::now();
    let run = Run::from(cmd.output().unwrap());
    let took = started.elapsed();
    assert_no_secret(&run.all());
    (run, took)
}

fn config(home: &Home) -> String {
    std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap_or_default()
}

fn secrets_store(home: &Home) -> String {
    let run = home.run(&["status", "--json"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    answer["profiles"][0]["secrets"]["store"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn with_no_d_bus_session_the_secrets_go_to_files_at_once() {
    for bus in ["", "unix:path=/nonexistent/places-setup-test/bus"] {
        let home = Home::new();
        let runtime = tempfile::tempdir().unwrap();
        let (run, took) = init_oauth(&home, bus, runtime.path(), None);
        let run = run.ok();
        run.stderr_has("No system keyring").stderr_has("0600 files");
        assert!(
            took < Duration::from_millis(2500),
            "bus {bus:?}: no waiting for a keyring that is not there ({took:?})"
        );
        assert!(
            config(&home).contains("secret_store = \"file\""),
            "{}",
            config(&home)
        );
        let secret_file = home.config_dir().join("profiles/default/client_secret");
        assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), SECRET);
        assert_eq!(mode(&secret_file), 0o600);
        assert_eq!(secrets_store(&home), "file");
        let status = home.run(&["status"]).ok();
        assert!(status.stdout.contains("file "), "{}", status.stdout);
        // Later commands read from the recorded store without probing again.
        home.run(&["token"]).ok();
    }
}

/// A D-Bus socket that accepts connections and never answers, for as long as it lives.
struct SilentBus {
    address: String,
    _dir: tempfile::TempDir,
}

impl SilentBus {
    fn start() -> SilentBus {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bus");
        let listener = UnixListener::bind(&path).unwrap();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
            }
        });
        SilentBus {
            address: format!("unix:path={}", path.display()),
            _dir: dir,
        }
    }
}

#[test]
fn a_bus_that_never_answers_costs_three_seconds_then_files_are_used() {
    let bus = SilentBus::start();
    let home = Home::new();
    let runtime = tempfile::tempdir().unwrap();
    let (run, took) = init_oauth(&home, &bus.address, runtime.path(), None);
    run.ok()
        .stderr_has("did not answer within 3 seconds")
        .stderr_has("0600 files");
    assert!(
        took >= Duration::from_millis(2900) && took < Duration::from_secs(10),
        "the probe waits 3 s and no more ({took:?})"
    );
    assert_eq!(secrets_store(&home), "file");

    // Asked for files: no probe at all.
    let home = Home::new();
    let (run, took) = init_oauth(&home, &bus.address, runtime.path(), Some("file"));
    run.ok();
    assert!(took < Duration::from_millis(2500), "{took:?}");
    assert_eq!(secrets_store(&home), "file");
}

#[test]
fn store_keyring_without_a_keyring_names_the_fix_and_saves_nothing() {
    let bus = SilentBus::start();
    let runtime = tempfile::tempdir().unwrap();
    for (address, cause) in [
        (
            "unix:path=/nonexistent/places-setup-test/bus".to_string(),
            // One sentence, not the D-Bus library's error (issue 21).
            "the system keyring is not available: no D-Bus session bus answered\n",
        ),
        (bus.address.clone(), "did not answer within 3 seconds"),
    ] {
        let home = Home::new();
        let (run, took) = init_oauth(&home, &address, runtime.path(), Some("keyring"));
        let run = run.fails(1);
        run.stderr_has("--store keyring: the system keyring is not available")
            .stderr_has(cause)
            .stderr_has("DBUS_SESSION_BUS_ADDRESS")
            .stderr_has("--store file")
            .stderr_has("nothing was saved");
        assert!(!run.stderr.contains("zbus"), "{}", run.stderr);
        assert!(took < Duration::from_secs(10), "{took:?}");
        assert!(!home.config_dir().exists(), "nothing on disk");
    }
    // The variable does the same as the flag; a value that is not a store is refused.
    let home = Home::new();
    let run = home.run_env(
        &["init", "--auth", "oauth"],
        &[("PLACES_SETUP_STORE", "vault")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("vault") && run.stderr.contains("keyring, file"));
}

// ---------------------------------------------------------------------------------------------- a real keyring

/// A private D-Bus session with gnome-keyring's Secret Service on it, unlocked, in a temporary
/// home; both daemons are children of the test and are ended when it drops.
struct SecretService {
    address: String,
    dir: tempfile::TempDir,
    bus: Child,
    keyring: Child,
}

fn tool(name: &str) -> PathBuf {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
        let path = Path::new(dir).join(name);
        if path.is_file() {
            return path;
        }
    }
    panic!(
        "{name} is not installed: scripts/setup installs dbus, gnome-keyring and libsecret-tools"
    );
}

impl SecretService {
    fn start() -> SecretService {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        let socket = dir.path().join("bus");
        let address = format!("unix:path={}", socket.display());
        // A bus of its own that starts no services: nothing but the daemons below runs on it,
        // and a keyring prompt cannot bring up a window.
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{address}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#
            ),
        )
        .unwrap();
        let bus = Command::new(tool("dbus-daemon"))
            .args(["--nofork", "--nosyslog"])
            .arg(format!("--config-file={}", config.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for(|| socket.exists(), "the D-Bus socket");
        let mut keyring = Command::new(tool("gnome-keyring-daemon"))
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            // The login keyring's password; closing stdin ends it.
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"test keyring password").unwrap();
        }
        let service = SecretService {
            address,
            dir,
            bus,
            keyring,
        };
        wait_for(|| service.owns_secrets_name(), "the Secret Service");
        service
    }

    fn env(&self, cmd: &mut Command) {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"));
    }

    fn owns_secrets_name(&self) -> bool {
        let mut cmd = Command::new(tool("dbus-send"));
        cmd.args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ]);
        self.env(&mut cmd);
        cmd.output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
            .unwrap_or(false)
    }

    fn secret_tool(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(tool("secret-tool"));
        cmd.args(args);
        self.env(&mut cmd);
        cmd.output().unwrap()
    }

    /// What the Secret Service holds for places-setup under `account`, read by another client.
    fn lookup(&self, account: &str) -> Option<String> {
        let out = self.secret_tool(&["lookup", "service", "places-setup", "username", account]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn cmd(&self, home: &Home) -> assert_cmd::Command {
        let mut cmd = home.cmd();
        cmd.env_remove("PLACES_SETUP_STORE")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .timeout(Duration::from_secs(60));
        cmd
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

fn wait_for(mut ready: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !ready() {
        assert!(Instant::now() < deadline, "{what} did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn account(home: &Home, profile: &str, secret: &str) -> String {
    format!("{profile}/{secret} in {}", home.config_dir().display())
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let run = Run::from(cmd.output().unwrap());
    assert_no_secret(&run.all());
    assert!(!run.all().contains(PASSPHRASE), "{}", run.all());
    run
}

#[test]
fn secrets_round_trip_through_a_real_secret_service() {
    let service = SecretService::start();
    let home = Home::new();
    let keys = home
        .run_env(
            &["keys", "--dir", "keys", "--name", "kr", "--encrypt"],
            &[("PLACES_SETUP_KEY_PASSPHRASE", PASSPHRASE)],
        )
        .ok();
    assert!(!keys.all().contains(PASSPHRASE));
    let key = home.path().join("keys/kr_private.key");
    let cert = home.path().join("keys/kr_public.crt");
    home.emulator.add_jwt_integration(home.integration(&cert));

    // No --store: the keyring answers, so it is chosen.
    let started = Instant::now();
    let init = run(service
        .cmd(&home)
        .args(jwt_init_stdin(&key))
        .env("PLACES_SETUP_KEY_PASSPHRASE", PASSPHRASE)
        .write_stdin(SECRET))
    .ok();
    eprintln!("init with the keyring took {:?}", started.elapsed());
    init.stderr_has("system keyring");
    assert!(config(&home).contains("secret_store = \"keyring\""));
    // In the keyring, as another Secret Service client sees it; not on disk.
    assert_eq!(
        service
            .lookup(&account(&home, "default", "client_secret"))
            .as_deref(),
        Some(SECRET)
    );
    assert_eq!(
        service
            .lookup(&account(&home, "default", "key_passphrase"))
            .as_deref(),
        Some(PASSPHRASE)
    );
    let profile_dir = home.config_dir().join("profiles/default");
    assert!(!profile_dir.join("client_secret").exists());
    assert!(!profile_dir.join("key_passphrase").exists());

    // The token is exchanged with the secret and passphrase read back from the keyring.
    let token = run(service.cmd(&home).arg("token")).ok();
    assert!(!token.stdout.trim().is_empty());
    let status = run(service.cmd(&home).args(["status", "--json"])).ok();
    let answer: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(answer["profiles"][0]["secrets"]["store"], "keyring");
    let text = run(service.cmd(&home).arg("status")).ok();
    assert!(text.stdout.contains("system keyring"), "{}", text.stdout);

    // Out of reach later: the error says where the secret is and how to do without the keyring.
    let unreachable = run(service
        .cmd(&home)
        .args(["token", "--force"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"))
    .fails(1);
    unreachable
        .stderr_has("client secret of profile \"default\" in the system keyring")
        .stderr_has("--store file");

    // Moving to files carries both secrets over and leaves nothing in the keyring.
    run(service.cmd(&home).args(["init", "--store", "file"]))
        .ok()
        .stderr_has("moved there");
    assert_eq!(
        std::fs::read_to_string(profile_dir.join("client_secret")).unwrap(),
        SECRET
    );
    assert_eq!(
        std::fs::read_to_string(profile_dir.join("key_passphrase")).unwrap(),
        PASSPHRASE
    );
    assert_eq!(
        service.lookup(&account(&home, "default", "client_secret")),
        None
    );
    assert_eq!(
        service.lookup(&account(&home, "default", "key_passphrase")),
        None
    );
    run(service.cmd(&home).args(["token", "--force"])).ok();

    // And back: the files are removed once the keyring holds the secrets.
    run(service.cmd(&home).args(["init", "--store", "keyring"])).ok();
    assert!(!profile_dir.join("client_secret").exists());
    assert!(!profile_dir.join("key_passphrase").exists());
    assert_eq!(
        service
            .lookup(&account(&home, "default", "client_secret"))
            .as_deref(),
        Some(SECRET)
    );
    run(service.cmd(&home).args(["token", "--force"])).ok();
    for (path, text) in home.public_files() {
        assert!(!text.contains(PASSPHRASE), "{}", path.display());
    }

    // A save whose files then fail (as on a full disk) puts the keyring entries back as they
    // were: the profile never names a secret other than the one kept.
    let config_before = config(&home);
    let lookup_all = || {
        ["client_secret", "key_passphrase"]
            .map(|secret| service.lookup(&account(&home, "default", secret)))
    };
    let entries_before = lookup_all();
    assert_eq!(entries_before[0].as_deref(), Some(SECRET));
    run(service
        .cmd(&home)
        .args(["init", "--client-secret-stdin"])
        .env("PLACES_SETUP_TEST_FAIL_SAVE_AT", "1")
        .write_stdin("p8e-a-secret-that-is-not-kept"))
    .fails(1)
    .stderr_has("as asked");
    assert_eq!(lookup_all(), entries_before);
    assert_eq!(config(&home), config_before);
    run(service
        .cmd(&home)
        .args(["profile", "remove", "default", "--yes"])
        .env("PLACES_SETUP_TEST_FAIL_SAVE_AT", "1"))
    .fails(1)
    .stderr_has("as asked");
    assert_eq!(lookup_all(), entries_before);
    assert_eq!(config(&home), config_before);
    // Failed once its journal is written, a save is done all the same: the next command
    // finishes the files, and the keyring keeps the new entry.
    run(service
        .cmd(&home)
        .args(["init", "--client-secret-stdin"])
        .env("PLACES_SETUP_TEST_FAIL_SAVE_AT", "2")
        .write_stdin("p8e-a-secret-kept-after-all"))
    .fails(1)
    .stderr_has("finished by the next places-setup command");
    run(service.cmd(&home).args(["profile", "list"])).ok();
    assert_eq!(
        lookup_all()[0].as_deref(),
        Some("p8e-a-secret-kept-after-all")
    );
    assert!(!home.config_dir().join(".save-journal").exists());
    run(service
        .cmd(&home)
        .args(["init", "--client-secret-stdin"])
        .write_stdin(SECRET))
    .ok();
    assert_eq!(lookup_all(), entries_before);

    // A keyring out of reach stops the removal with the profile still saved.
    run(service
        .cmd(&home)
        .args(["profile", "remove", "default", "--yes"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"))
    .fails(1)
    .stderr_has("the profile is still saved");
    assert!(config(&home).contains("[profiles.default]"));
    // Removing the profile takes its secrets out of the keyring.
    let removed = run(service
        .cmd(&home)
        .args(["profile", "remove", "default", "--yes"]))
    .ok();
    assert!(
        removed.stdout.contains("system keyring"),
        "{}",
        removed.stdout
    );
    for secret in ["client_secret", "key_passphrase"] {
        assert_eq!(
            service.lookup(&account(&home, "default", secret)),
            None,
            "{secret}"
        );
    }
    assert!(!profile_dir.exists());
}
