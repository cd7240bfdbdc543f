//! `places-setup keys --encrypt` and passphrase-protected keys in use: the key is what
//! `openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000` makes (with a 16-byte salt), the passphrase is asked twice (or read from
//! PLACES_SETUP_KEY_PASSPHRASE), asked at most once by `init`, and never printed.
mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const PASSPHRASE: &str = "Tr0ub4dor&3 staple";

/// The binary in a session of its own with no controlling terminal, so no prompt can be shown,
/// even when the tests themselves run in a terminal.
fn without_terminal(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = assert_cmd::Command::new("setsid");
    cmd.arg("-w")
        .arg(assert_cmd::cargo::cargo_bin("places-setup"))
        .args(args)
        .current_dir(home.path())
        .envs(home.environment())
        .timeout(std::time::Duration::from_secs(60));
    for k in OUTER_VARIABLES {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().copied());
    let run = Run::from(cmd.output().unwrap());
    assert_no_secret(&run.all());
    run
}

fn opens(key: &Path, passphrase: &str) -> bool {
    Command::new("openssl")
        .args(["pkey", "-in", key.to_str().unwrap(), "-noout", "-passin"])
        .arg(format!("pass:{passphrase}"))
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn the_key_is_pkcs8_pbes2_aes256_and_opens_with_its_passphrase_only() {
    let home = Home::new();
    let run = without_terminal(
        &home,
        &["keys", "--dir", "keys", "--name", "enc", "--encrypt"],
        &[("PLACES_SETUP_KEY_PASSPHRASE", PASSPHRASE)],
    )
    .ok();
    assert!(!run.all().contains(PASSPHRASE), "{}", run.all());
    assert!(run.stdout.contains("encrypted with AES-256-CBC"));
    let key = home.path().join("keys/enc_private.key");
    let cert = home.path().join("keys/enc_public.crt");
    assert_eq!(mode(&key), 0o600);
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let structure = openssl(&["asn1parse", "-in", key.to_str().unwrap()]);
    for algorithm in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(structure.contains(algorithm), "{algorithm}:\n{structure}");
    }
    // PBKDF2's parameters: a 16-byte salt, then 600,000 (0x0927C0) iterations, OWASP's figure
    // for HMAC-SHA256 (OpenSSL's own default is 2,048 and 8 bytes of salt).
    let pbkdf2: Vec<&str> = structure
        .lines()
        .skip_while(|l| !l.contains(":PBKDF2"))
        .collect();
    assert!(
        pbkdf2[2].contains("l=  16 prim: OCTET STRING"),
        "{structure}"
    );
    assert!(
        pbkdf2[3].ends_with("INTEGER           :0927C0"),
        "{structure}"
    );
    assert!(opens(&key, PASSPHRASE));
    assert!(!opens(&key, ""), "no passphrase, no key");
    assert!(!opens(&key, "Tr0ub4dor&3 stapler"));
    let public = openssl(&[
        "pkey",
        "-in",
        key.to_str().unwrap(),
        "-passin",
        &format!("pass:{PASSPHRASE}"),
        "-pubout",
    ]);
    assert_eq!(
        public,
        openssl(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-pubkey"])
    );
    let json = without_terminal(
        &home,
        &[
            "keys",
            "--dir",
            "keys",
            "--name",
            "enc2",
            "--encrypt",
            "--json",
        ],
        &[("PLACES_SETUP_KEY_PASSPHRASE", PASSPHRASE)],
    )
    .ok();
    let answer: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(answer["encrypted"], true);
    assert!(!json.all().contains(PASSPHRASE));
}

#[test]
fn an_empty_passphrase_or_none_at_all_writes_nothing() {
    let home = Home::new();
    without_terminal(
        &home,
        &["keys", "--encrypt"],
        &[("PLACES_SETUP_KEY_PASSPHRASE", "")],
    )
    .fails(2)
    .stderr_has("PLACES_SETUP_KEY_PASSPHRASE")
    .stderr_has("empty");
    without_terminal(&home, &["keys", "--encrypt"], &[])
        .fails(2)
        .stderr_has("no terminal")
        .stderr_has("PLACES_SETUP_KEY_PASSPHRASE");
    assert!(!home.path().join("keys").exists());
}

#[test]
fn typed_twice_at_the_terminal_and_never_shown() {
    let home = Home::new();
    let typed = in_terminal(
        &home,
        &["keys", "--dir", "keys", "--name", "tty", "--encrypt"],
        &[
            Answer::secret("Passphrase for the new private key", PASSPHRASE),
            Answer::secret("same passphrase again", PASSPHRASE),
        ],
        &[],
    );
    assert_eq!(typed.code, 0, "{}", typed.output);
    assert!(
        typed.output.contains("same passphrase again"),
        "asked twice: {}",
        typed.output
    );
    assert!(!typed.output.contains(PASSPHRASE), "{}", typed.output);
    assert!(opens(&home.path().join("keys/tty_private.key"), PASSPHRASE));
}

#[test]
fn two_different_entries_or_an_empty_one_are_refused() {
    let home = Home::new();
    let typed = in_terminal(
        &home,
        &["keys", "--encrypt"],
        &[
            Answer::secret("Passphrase for the new private key", PASSPHRASE),
            Answer::secret("same passphrase again", "something else"),
        ],
        &[],
    );
    assert_eq!(typed.code, 2, "{}", typed.output);
    assert!(typed.output.contains("differ"), "{}", typed.output);
    assert!(!typed.output.contains(PASSPHRASE));
    let typed = in_terminal(
        &home,
        &["keys", "--encrypt"],
        &[Answer::secret("Passphrase for the new private key", "")],
        &[],
    );
    assert_eq!(typed.code, 2, "{}", typed.output);
    assert!(typed.output.contains("empty"), "{}", typed.output);
    assert!(
        !typed.output.contains("same passphrase again"),
        "an empty one is refused at once"
    );
    assert!(!home.path().join("keys").exists(), "nothing was written");
}

#[test]
fn init_asks_once_then_the_saved_passphrase_is_used() {
    let home = Home::new();
    without_terminal(
        &home,
        &["keys", "--dir", "keys", "--name", "enc", "--encrypt"],
        &[("PLACES_SETUP_KEY_PASSPHRASE", PASSPHRASE)],
    )
    .ok();
    let key = home.path().join("keys/enc_private.key");
    home.emulator
        .add_jwt_integration(home.integration(&home.path().join("keys/enc_public.crt")));
    let typed = in_terminal(
        &home,
        &jwt_init(&key),
        &[Answer::secret("Passphrase for", PASSPHRASE)],
        &[("PLACES_SETUP_CLIENT_SECRET", SECRET)],
    );
    assert_eq!(typed.code, 0, "{}", typed.output);
    assert_eq!(
        typed.output.matches("Passphrase for").count(),
        1,
        "{}",
        typed.output
    );
    assert!(!typed.output.contains(PASSPHRASE));
    assert!(!typed.output.contains(SECRET));
    let saved = home.config_dir().join("profiles/default/key_passphrase");
    assert_eq!(mode(&saved), 0o600);
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), PASSPHRASE);
    // Later runs need neither a terminal nor the variable.
    let run = without_terminal(&home, &["token"], &[]).ok();
    assert!(!run.all().contains(PASSPHRASE));
    for (path, text) in home.public_files() {
        assert!(!text.contains(PASSPHRASE), "{} holds it", path.display());
    }
}

#[test]
fn a_saved_passphrase_that_no_longer_fits_is_asked_for_once() {
    let home = Home::new();
    for (name, passphrase) in [("one", "first pass phrase"), ("two", PASSPHRASE)] {
        without_terminal(
            &home,
            &["keys", "--dir", "keys", "--name", name, "--encrypt"],
            &[("PLACES_SETUP_KEY_PASSPHRASE", passphrase)],
        )
        .ok();
    }
    let first = home.path().join("keys/one_private.key");
    let second = home.path().join("keys/two_private.key");
    without_terminal(
        &home,
        &jwt_init(&first),
        &[
            ("PLACES_SETUP_KEY_PASSPHRASE", "first pass phrase"),
            ("PLACES_SETUP_CLIENT_SECRET", SECRET),
        ],
    )
    .ok();
    // Switching to a key with another passphrase: the saved one fails, so it is asked, once.
    let typed = in_terminal(
        &home,
        &["init", "--private-key", second.to_str().unwrap()],
        &[Answer::secret("Passphrase for", PASSPHRASE)],
        &[],
    );
    assert_eq!(typed.code, 0, "{}", typed.output);
    assert_eq!(typed.output.matches("Passphrase for").count(), 1);
    // Without a terminal the same situation is explained instead.
    without_terminal(
        &home,
        &["init", "--private-key", first.to_str().unwrap()],
        &[],
    )
    .fails(1)
    .stderr_has("saved passphrase does not open this key")
    .stderr_has("PLACES_SETUP_KEY_PASSPHRASE");
}
