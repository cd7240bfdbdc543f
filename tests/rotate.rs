//! `places-setup keys --rotate` and the certificate expiry warning: a new pair beside the old one,
//! the old one working until the switch, and the exact command to switch.
mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn today() -> String {
    places_setup::timefmt::rfc3339(SystemTime::now())[..10].to_string()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The switch command the output prints, as arguments (paths carry no spaces in these tests).
fn switch_command(stdout: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("places-setup") && l.contains(" init --private-key "))
        .unwrap_or_else(|| panic!("no switch command in:\n{stdout}"));
    line.split_whitespace()
        .skip(1)
        .map(|word| word.trim_matches('\'').to_string())
        .collect()
}

fn subject(cert: &Path) -> String {
    openssl(&[
        "x509",
        "-in",
        cert.to_str().unwrap(),
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253",
    ])
}

#[test]
fn a_new_pair_beside_the_old_one_and_nothing_else_changes() {
    let home = Home::new();
    let (old_key, old_cert) = home.jwt_profile();
    let config_path = home.config_dir().join("config.toml");
    let before = (
        read(&config_path),
        read(&old_key),
        read(&old_cert),
        read(&home.config_dir().join("profiles/default/client_secret")),
    );
    home.call(&["token"]).ok();

    let run = home.call(&["keys", "--rotate"]).ok();
    let name = format!("places_integration_test_{}", today());
    let new_key = home.path().join(format!("keys/{name}_private.key"));
    let new_cert = home.path().join(format!("keys/{name}_public.crt"));
    assert!(new_key.is_file() && new_cert.is_file(), "{}", run.stdout);
    assert_eq!(mode(&new_key), 0o600);
    // The old pair, the profile and its secret are exactly as they were.
    assert_eq!(
        before,
        (
            read(&config_path),
            read(&old_key),
            read(&old_cert),
            read(&home.config_dir().join("profiles/default/client_secret")),
        )
    );
    // A real pair, with the old certificate's subject and a new key.
    let from_key = openssl(&["pkey", "-in", new_key.to_str().unwrap(), "-pubout"]);
    let from_cert = openssl(&[
        "x509",
        "-in",
        new_cert.to_str().unwrap(),
        "-noout",
        "-pubkey",
    ]);
    assert_eq!(from_key, from_cert);
    assert_ne!(
        from_cert,
        openssl(&[
            "x509",
            "-in",
            old_cert.to_str().unwrap(),
            "-noout",
            "-pubkey"
        ])
    );
    assert_eq!(subject(&new_cert), subject(&old_cert));
    for expected in ["upload", "Keep the old certificate", "token --force"] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?}:\n{}",
            run.stdout
        );
    }
    let args = switch_command(&run.stdout);
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap().display().to_string();
    assert_eq!(
        args,
        [
            "init",
            "--private-key",
            &canonical(&new_key),
            "--certificate",
            &canonical(&new_cert)
        ]
    );

    // Until the new certificate is uploaded the old key keeps working.
    home.call(&["token", "--force"]).ok();
    // The person uploads the new certificate beside the old one, then runs the printed command.
    let mut integration = home.integration(&old_cert);
    integration
        .certificates_pem
        .push(std::fs::read_to_string(&new_cert).unwrap());
    home.emulator.add_jwt_integration(integration);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    home.call(&args).ok();
    let config = String::from_utf8(read(&config_path)).unwrap();
    assert!(config.contains(&canonical(&new_key)), "{config}");
    assert!(config.contains(&canonical(&new_cert)), "{config}");
    // Only the new certificate left in the Console: the switched profile still gets tokens.
    home.emulator
        .add_jwt_integration(home.integration(&new_cert));
    home.call(&["token", "--force"]).ok();
}

#[test]
fn the_old_key_alone_is_refused_once_only_the_new_certificate_is_uploaded() {
    let home = Home::new();
    let (_, _) = home.jwt_profile();
    let run = home.call(&["keys", "--rotate", "--json"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let new_cert = PathBuf::from(answer["certificate"].as_str().unwrap());
    assert_eq!(answer["encrypted"], false);
    assert!(
        answer["switch_commands"][0]
            .as_str()
            .unwrap()
            .starts_with("places-setup init --private-key ")
    );
    home.emulator
        .add_jwt_integration(home.integration(&new_cert));
    // The profile was not switched: it still signs with the old key.
    home.call(&["token", "--force"])
        .fails(1)
        .stderr_has("certificate");
}

#[test]
fn rotating_again_keeps_names_short_and_never_replaces_a_pair() {
    let home = Home::new();
    home.make_keys("prod");
    let first = home
        .run(&["keys", "--rotate", "--dir", "keys", "--name", "prod"])
        .ok();
    let day = today();
    assert!(first.stdout.contains(&format!("prod_{day}_private.key")));
    let second = home
        .run(&["keys", "--rotate", "--dir", "keys", "--name", "prod"])
        .ok();
    assert!(
        second.stdout.contains(&format!("prod_{day}-2_private.key")),
        "{}",
        second.stdout
    );
    // Rotating a rotated pair replaces its date rather than adding one.
    let third = home
        .run(&[
            "keys",
            "--rotate",
            "--dir",
            "keys",
            "--name",
            &format!("prod_{day}"),
        ])
        .ok();
    assert!(
        third.stdout.contains(&format!("prod_{day}-3_private.key")),
        "{}",
        third.stdout
    );
    let files = std::fs::read_dir(home.path().join("keys")).unwrap().count();
    assert_eq!(files, 8, "four pairs, nothing replaced");
}

#[test]
fn an_encrypted_key_is_rotated_to_an_encrypted_key() {
    let home = Home::new();
    let made = home
        .run_env(
            &["keys", "--dir", "keys", "--name", "enc", "--encrypt"],
            &[("PLACES_SETUP_KEY_PASSPHRASE", "old pass phrase")],
        )
        .ok();
    assert!(!made.all().contains("old pass phrase"));
    let run = home
        .run_env(
            &["keys", "--rotate", "--dir", "keys", "--name", "enc"],
            &[("PLACES_SETUP_KEY_PASSPHRASE", "new pass phrase")],
        )
        .ok();
    assert!(!run.all().contains("new pass phrase"), "{}", run.all());
    assert!(run.stdout.contains("encrypted with AES-256-CBC"));
    let new_key = home
        .path()
        .join(format!("keys/enc_{}_private.key", today()));
    let k = new_key.to_str().unwrap();
    openssl(&[
        "pkey",
        "-in",
        k,
        "-passin",
        "pass:new pass phrase",
        "-noout",
    ]);
    let plain = std::process::Command::new("openssl")
        .args(["pkey", "-in", k, "-passin", "pass:", "-noout"])
        .output()
        .unwrap();
    assert!(!plain.status.success(), "the new key needs its passphrase");
}

#[test]
fn what_cannot_be_rotated_is_explained() {
    let home = Home::new();
    home.run(&["keys", "--rotate"])
        .fails(2)
        .stderr_has("no profile named \"default\"");
    home.run(&["keys", "--rotate", "--dir", "keys", "--name", "missing"])
        .fails(1)
        .stderr_has("nothing to rotate")
        .stderr_has("missing_private.key");
    home.run(&["keys", "--rotate", "--dir", "keys"])
        .fails(2)
        .stderr_has("--name");
    home.run(&["keys", "--rotate", "--force"])
        .fails(2)
        .stderr_has("--force");
    home.oauth_profile();
    home.run(&["keys", "--rotate"])
        .fails(1)
        .stderr_has("no private key to rotate");
    assert!(!home.path().join("keys").exists(), "nothing was written");
}

#[test]
fn the_expiry_warning_starts_thirty_days_before_and_names_rotate() {
    let home = Home::new();
    home.run(&["keys", "--dir", "keys", "--name", "soon", "--days", "30"])
        .ok();
    home.run(&["keys", "--dir", "keys", "--name", "later", "--days", "31"])
        .ok();
    home.init_jwt(&home.path().join("keys/later_private.key"))
        .ok();
    let quiet = home.call(&["status", "--json"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&quiet.stdout).unwrap();
    let warnings = answer["profiles"][0]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .all(|w| !w.as_str().unwrap().contains("certificate")),
        "31 days left: no warning yet: {warnings:?}"
    );
    home.init_jwt(&home.path().join("keys/soon_private.key"))
        .ok();
    let run = home.call(&["status"]).ok();
    assert!(
        run.stdout.contains("expires in 30 days")
            && run.stdout.contains("`places-setup keys --rotate`"),
        "{}",
        run.stdout
    );
    let answer: serde_json::Value =
        serde_json::from_str(&home.call(&["status", "--json"]).ok().stdout).unwrap();
    let warnings = answer["profiles"][0]["warnings"].to_string();
    assert!(warnings.contains("keys --rotate"), "{warnings}");
}
