//! Caps on what is read, at input as on reading back: a value too long to be kept is refused when
//! it is given, naming the cap; a file named by a flag or variable is read only if it is a regular
//! file, and only up to its cap (a device, a FIFO or a 2 GB sparse file once was read whole).
mod common;
use common::*;
use std::path::{Path, PathBuf};

/// A 2 GB file that takes no room on disk: holes read as zeros.
fn sparse(dir: &Path, name: &str, prefix: &[u8]) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).unwrap();
    std::io::Write::write_all(&mut &file, prefix).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap();
    path
}

fn fifo(dir: &Path) -> PathBuf {
    let path = dir.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    path
}

#[test]
fn a_secret_too_long_to_keep_is_refused_when_given() {
    let home = Home::new();
    home.oauth_profile();
    let config = std::fs::read(home.config_dir().join("config.toml")).unwrap();
    let secret_file = home.config_dir().join("profiles/default/client_secret");
    let before = std::fs::read(&secret_file).ok();
    let long = format!("p8e-{}", "x".repeat(70 * 1024));
    let run = home
        .run_with_stdin(&oauth_init_stdin(OAUTH_SCOPES), &long)
        .fails(2);
    run.stderr_has("client secret: it is");
    run.stderr_has("more than the 1024 places-setup keeps");
    assert!(!run.all().contains(&long[..64]), "the value is not echoed");
    assert_eq!(
        std::fs::read(home.config_dir().join("config.toml")).unwrap(),
        config
    );
    assert_eq!(
        std::fs::read(&secret_file).ok(),
        before,
        "the saved secret is untouched"
    );
}

#[test]
fn a_key_passphrase_too_long_to_keep_is_refused() {
    let home = Home::new();
    let long = "x".repeat(2000);
    let run = home
        .run_env(
            &["keys", "--dir", "keys", "--name", "long", "--encrypt"],
            &[("PLACES_SETUP_KEY_PASSPHRASE", &long)],
        )
        .fails(2);
    run.stderr_has("PLACES_SETUP_KEY_PASSPHRASE: it is 2000 bytes long");
    assert!(
        !home.path().join("keys/long_private.key").exists(),
        "nothing written"
    );
}

#[test]
fn a_console_json_that_is_not_a_regular_file_or_too_large_is_not_read() {
    let home = Home::new();
    let dir = home.path();
    for (path, says) in [
        (
            PathBuf::from("/dev/zero"),
            "is a device, not a regular file",
        ),
        (fifo(dir), "is a FIFO (named pipe), not a regular file"),
        (
            sparse(dir, "big.json", b"{"),
            "is larger than 1 MiB, the most read for it",
        ),
        (dir.join("missing.json"), "does not exist"),
    ] {
        let run = home
            .run(&["init", "--console-json", path.to_str().unwrap()])
            .fails(1);
        run.stderr_has(&format!("--console-json: {}", path.display()));
        run.stderr_has(says);
    }
    assert!(
        !home.config_dir().join("config.toml").exists(),
        "nothing saved"
    );
}

#[test]
fn a_body_file_that_is_not_a_regular_file_or_too_large_is_not_read() {
    let home = Home::new();
    home.oauth_profile();
    let dir = home.path();
    let big = sparse(dir, "big.json", b"[");
    for (data, says) in [
        ("@/dev/zero".to_string(), "is a device, not a regular file"),
        (format!("@{}", fifo(dir).display()), "is a FIFO"),
        (format!("@{}", big.display()), "is larger than 16 MiB"),
    ] {
        home.run(&["api", "/libraries", "-d", &data])
            .fails(1)
            .stderr_has(says);
    }
    // Standard input is capped the same way.
    let endless = "[".to_string() + &"0,".repeat(9 * 1024 * 1024);
    home.run_with_stdin(&["api", "/libraries", "-d", "@-"], &endless)
        .fails(2)
        .stderr_has("--data @-: standard input holds more than 16 MiB");
}

#[test]
fn an_emulator_certificate_that_is_a_device_is_refused() {
    let home = Home::new();
    home.run(&["emulator", "--certificate", "/dev/zero"])
        .fails(1)
        .stderr_has("--certificate: /dev/zero is a device, not a regular file");
}

#[test]
fn a_ca_file_too_large_is_not_read_and_the_error_says_so() {
    let home = Home::with(EmulatorConfig {
        tls: true,
        ..Default::default()
    });
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    // The emulator's CA at its start, then 2 GB of nothing: read whole, it would verify the server.
    let ca = home.emulator.ca_pem().expect("a CA with tls");
    let big = sparse(home.path(), "ca.pem", ca.as_bytes());
    let empty = home.path().join("no-certs");
    std::fs::create_dir(&empty).unwrap();
    let trusting = |file: &Path| {
        [
            ("SSL_CERT_FILE", file.to_str().unwrap().to_string()),
            ("SSL_CERT_DIR", empty.to_str().unwrap().to_string()),
        ]
    };
    let small = home.path().join("ca-small.pem");
    std::fs::write(&small, ca.as_bytes()).unwrap();
    let env = trusting(&small);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let init = home
        .cmd()
        .args(oauth_init_stdin(OAUTH_SCOPES))
        .envs(env.iter().copied())
        .write_stdin(SECRET)
        .output()
        .unwrap();
    Run::from(init).ok();
    home.run_env(&["token", "--force"], &env).ok();
    let env = trusting(&big);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = home.run_env(&["token", "--force"], &env).fails(1);
    run.stderr_has("no trusted certificate authorities could be read");
    run.stderr_has("is larger than 16 MiB");
}
