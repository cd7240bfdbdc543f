//! The emulator over HTTPS (`EmulatorConfig::tls`, `emulator --tls`): a token is got through a
//! verified TLS connection when the throw-away CA is trusted, and refused when it is not, or when
//! no CA can be read at all.
mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn tls_home() -> (Home, std::path::PathBuf) {
    let home = Home::with(EmulatorConfig {
        tls: true,
        ..Default::default()
    });
    let ca = home.path().join("emulator-ca.pem");
    std::fs::write(&ca, home.emulator.ca_pem().expect("a CA with tls")).unwrap();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    (home, ca)
}

/// `init --auth oauth` with the secret on stdin, trusting what `trusted` names.
fn init_trusting(home: &Home, trusted: &[(&str, &str)]) {
    let init = home
        .cmd()
        .args(oauth_init_stdin(OAUTH_SCOPES))
        .envs(trusted.iter().copied())
        .write_stdin(SECRET)
        .output()
        .unwrap();
    Run::from(init).ok();
}

#[test]
fn token_over_https_when_the_emulators_ca_is_trusted() {
    let (home, ca) = tls_home();
    assert!(home.emulator.url().starts_with("https://127.0.0.1:"));
    let trusted = [("SSL_CERT_FILE", ca.to_str().unwrap())];
    init_trusting(&home, &trusted);
    let token = home.run_env(&["token", "--force"], &trusted).ok();
    assert_eq!(
        token.stdout.trim().split('.').count(),
        3,
        "{}",
        token.stdout
    );
    assert_eq!(home.emulator.exchange_count(), 1);
}

#[test]
fn the_ca_can_come_from_a_folder_named_by_ssl_cert_dir() {
    let (home, ca) = tls_home();
    let folder = home.path().join("cas");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&ca, folder.join("emulator.pem")).unwrap();
    std::fs::write(folder.join("README"), "not a certificate").unwrap();
    let trusted = [
        ("SSL_CERT_FILE", "/nonexistent/bundle.pem"),
        ("SSL_CERT_DIR", folder.to_str().unwrap()),
    ];
    init_trusting(&home, &trusted);
    home.run_env(&["token", "--force"], &trusted).ok();
    assert_eq!(home.emulator.exchange_count(), 1);
}

#[test]
fn a_ca_only_in_the_folder_is_found_when_the_bundle_does_not_know_the_issuer() {
    // As OpenSSL does: the bundle first, the folder when the bundle alone does not verify.
    let (home, ca) = tls_home();
    let other = Emulator::start(EmulatorConfig {
        tls: true,
        ..Default::default()
    })
    .unwrap();
    let bundle = home.path().join("bundle.pem");
    std::fs::write(&bundle, other.ca_pem().unwrap()).unwrap();
    let folder = home.path().join("cas");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&ca, folder.join("emulator.pem")).unwrap();
    let trusted = [
        ("SSL_CERT_FILE", bundle.to_str().unwrap()),
        ("SSL_CERT_DIR", folder.to_str().unwrap()),
    ];
    init_trusting(&home, &trusted);
    home.run_env(&["token", "--force"], &trusted).ok();
    assert_eq!(home.emulator.exchange_count(), 1);
    // The bundle alone, without the folder: refused.
    home.run_env(
        &["token", "--force"],
        &[("SSL_CERT_FILE", bundle.to_str().unwrap())],
    )
    .fails(1)
    .stderr_has("certificate");
    assert_eq!(home.emulator.exchange_count(), 1);
}

#[test]
fn a_certificate_from_an_unknown_ca_is_refused() {
    let (home, ca) = tls_home();
    let trusted = [("SSL_CERT_FILE", ca.to_str().unwrap())];
    init_trusting(&home, &trusted);
    // Another throw-away CA: valid, but not the one that signed the emulator's certificate.
    let other = Emulator::start(EmulatorConfig {
        tls: true,
        ..Default::default()
    })
    .unwrap();
    let stranger = home.path().join("other-ca.pem");
    std::fs::write(&stranger, other.ca_pem().unwrap()).unwrap();
    home.run_env(
        &["token", "--force"],
        &[("SSL_CERT_FILE", stranger.to_str().unwrap())],
    )
    .fails(1)
    .stderr_has("certificate");
    assert_eq!(home.emulator.request_count(), 0, "nothing sent unverified");
}

#[test]
fn with_no_ca_to_read_the_error_says_where_it_looked_and_what_to_do() {
    let (home, ca) = tls_home();
    let trusted = [("SSL_CERT_FILE", ca.to_str().unwrap())];
    init_trusting(&home, &trusted);
    let empty = home.path().join("no-cas");
    std::fs::create_dir(&empty).unwrap();
    home.run_env(
        &["token", "--force"],
        &[
            ("SSL_CERT_FILE", "/nonexistent/bundle.pem"),
            ("SSL_CERT_DIR", empty.to_str().unwrap()),
        ],
    )
    .fails(1)
    .stderr_has("no trusted certificate authorities could be read")
    .stderr_has("/nonexistent/bundle.pem")
    .stderr_has("SSL_CERT_FILE");
    assert_eq!(home.emulator.request_count(), 0, "nothing sent unverified");
}

#[test]
fn emulator_command_with_tls_prints_an_https_url_and_its_ca() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_places-setup"))
        .args(["emulator", "--tls"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert!(
        info["ims_url"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:"),
        "{line}"
    );
    let ca = info["ca_certificate"].as_str().unwrap();
    let ca = places_setup::cert::Certificate::from_pem(ca.as_bytes()).unwrap();
    let name = places_setup::cert::Subject::from_certificate(&ca, "none")
        .map(|s| s.get(places_setup::cert::Field::CommonName).to_string())
        .unwrap_or_default();
    assert!(name.contains("throw-away CA"), "{name}");
}

#[test]
fn a_certificate_error_is_not_retried_and_its_hint_names_the_ca_store() {
    let (home, ca) = tls_home();
    init_trusting(&home, &[("SSL_CERT_FILE", ca.to_str().unwrap())]);
    let other = Emulator::start(EmulatorConfig {
        tls: true,
        ..Default::default()
    })
    .unwrap();
    let stranger = home.path().join("other-ca.pem");
    std::fs::write(&stranger, other.ca_pem().unwrap()).unwrap();
    let run = home
        .run_env(
            &["token", "--force"],
            &[("SSL_CERT_FILE", stranger.to_str().unwrap())],
        )
        .fails(1);
    // Another attempt meets the same certificate: one is enough.
    run.stderr_has("(1 attempt)").stderr_has("SSL_CERT_FILE");
    assert!(!run.stderr.contains("--timeout"), "{}", run.stderr);
}
