//! `places-setup keys`: the key pair of the guide's `openssl req` command, checked with `openssl`.
mod common;
use common::{Home, mode, openssl};

fn guide_subject() -> Vec<&'static str> {
    vec![
        "--country",
        "US",
        "--state",
        "California",
        "--locality",
        "San Jose",
        "--organization",
        "Places",
        "--unit",
        "Engineering",
        "--common-name",
        "places.com",
        "--email",
        "poi@places.com",
    ]
}

#[test]
fn makes_the_pair_the_guide_describes() {
    let home = Home::new();
    let mut args = vec!["keys"];
    args.extend(guide_subject());
    let run = home.run(&args).ok();
    let key = home.path().join("keys/places_integration_test_private.key");
    let crt = home.path().join("keys/places_integration_test_public.crt");
    assert!(
        run.stdout
            .contains("keys/places_integration_test_public.crt")
    );
    assert!(run.stdout.contains("SHA-256:"));

    let k = key.to_str().unwrap();
    let c = crt.to_str().unwrap();
    let subject = openssl(&[
        "x509", "-in", c, "-noout", "-subject", "-nameopt", "RFC2253",
    ]);
    assert_eq!(
        subject.trim(),
        "subject=emailAddress=poi@places.com,CN=places.com,OU=Engineering,O=Places,L=San Jose,ST=California,C=US"
    );
    let text = openssl(&["x509", "-in", c, "-noout", "-text"]);
    assert!(text.contains("Public-Key: (2048 bit)"), "{text}");
    assert!(text.contains("Signature Algorithm: sha256WithRSAEncryption"));
    assert!(text.contains("Version: 3 (0x2)"));
    assert!(text.contains("CA:TRUE"));
    // Valid now, not after 366 days, still after 364.
    openssl(&[
        "x509",
        "-in",
        c,
        "-noout",
        "-checkend",
        &(364 * 86400).to_string(),
    ]);
    let late = std::process::Command::new("openssl")
        .args([
            "x509",
            "-in",
            c,
            "-noout",
            "-checkend",
            &(366 * 86400).to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        !late.status.success(),
        "the certificate must expire within 366 days"
    );

    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----"),
        "PKCS#8 PEM"
    );
    openssl(&["pkey", "-in", k, "-noout", "-check"]);
    let from_key = openssl(&["pkey", "-in", k, "-pubout"]);
    let from_cert = openssl(&["x509", "-in", c, "-noout", "-pubkey"]);
    assert_eq!(from_key, from_cert, "the key matches the certificate");
    let fingerprint = openssl(&["x509", "-in", c, "-noout", "-fingerprint", "-sha256"]);
    let fingerprint = fingerprint.trim().rsplit('=').next().unwrap().to_string();
    assert!(
        run.stdout.contains(&fingerprint),
        "printed fingerprint matches openssl's {fingerprint}"
    );

    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(&home.path().join("keys")), 0o700);
}

#[test]
fn days_and_name_are_honoured() {
    let home = Home::new();
    let run = home
        .run(&[
            "keys",
            "--dir",
            "k2",
            "--name",
            "prod",
            "--days",
            "30",
            "--common-name",
            "x.example",
        ])
        .ok();
    // What comes next says that JWT credentials are gone, and where the pair still works.
    for said in [
        "Next: Adobe stopped accepting Service Account (JWT) credentials",
        "places-setup demo",
        "places-setup emulator --certificate k2/prod_public.crt",
        "init --auth jwt --private-key k2/prod_private.key",
        "places-setup init --auth oauth",
    ] {
        assert!(run.stdout.contains(said), "{said}:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("upload k2"), "{}", run.stdout);
    let c = home.path().join("k2/prod_public.crt");
    openssl(&[
        "x509",
        "-in",
        c.to_str().unwrap(),
        "-noout",
        "-checkend",
        &(29 * 86400).to_string(),
    ]);
    let late = std::process::Command::new("openssl")
        .args([
            "x509",
            "-in",
            c.to_str().unwrap(),
            "-noout",
            "-checkend",
            &(31 * 86400).to_string(),
        ])
        .output()
        .unwrap();
    assert!(!late.status.success());
}

#[test]
fn refuses_to_overwrite_and_changes_nothing() {
    let home = Home::new();
    let (key, crt) = home.make_keys("places_integration_test");
    let before = (std::fs::read(&key).unwrap(), std::fs::read(&crt).unwrap());
    let run = home.run(&["keys", "--dir", "keys"]).fails(1);
    run.stderr_has("places_integration_test_private.key")
        .stderr_has("--force");
    assert_eq!(
        before,
        (std::fs::read(&key).unwrap(), std::fs::read(&crt).unwrap())
    );
    // Only the certificate left: still refused.
    std::fs::remove_file(&key).unwrap();
    home.run(&["keys", "--dir", "keys"])
        .fails(1)
        .stderr_has("places_integration_test_public.crt");
    assert_eq!(std::fs::read(&crt).unwrap(), before.1);
    assert_eq!(
        std::fs::read_dir(home.path().join("keys")).unwrap().count(),
        1
    );
}

#[test]
fn force_moves_the_old_pair_to_backups() {
    let home = Home::new();
    let (key, crt) = home.make_keys("places_integration_test");
    let old_key = std::fs::read(&key).unwrap();
    let old_crt = std::fs::read(&crt).unwrap();
    let run = home.run(&["keys", "--dir", "keys", "--force"]).ok();
    assert!(run.stderr.contains("Moved"), "{}", run.stderr);
    assert_ne!(std::fs::read(&key).unwrap(), old_key);
    let mut backups: Vec<Vec<u8>> = std::fs::read_dir(home.path().join("keys"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bak"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    backups.sort();
    let mut expected = vec![old_key, old_crt];
    expected.sort();
    assert_eq!(backups, expected, "both old files kept as backups");
}

#[test]
fn each_bad_subject_field_is_named_and_nothing_is_written() {
    let home = Home::new();
    let long64 = "x".repeat(65);
    let long128 = "x".repeat(129);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("--country", "USA", "Country Name"),
        ("--country", "U1", "Country Name"),
        ("--state", &long128, "State or Province Name"),
        ("--locality", &long128, "Locality Name"),
        ("--organization", &long64, "Organization Name"),
        ("--unit", &long64, "Organizational Unit Name"),
        ("--common-name", &long64, "Common Name"),
        ("--email", "poi.places.com", "Email Address"),
        ("--email", "pöi@places.com", "Email Address"),
    ];
    for (flag, value, field) in cases {
        let run = home.run(&["keys", flag, value]).fails(2);
        run.stderr_has(field).stderr_has(flag);
        assert!(run.stderr.contains("hint: "), "{}", run.stderr);
        assert!(
            !home.path().join("keys").exists(),
            "{flag} {value}: nothing may be written"
        );
    }
    home.run(&["keys", "--name", "../evil"])
        .fails(2)
        .stderr_has("name");
    home.run(&["keys", "--days", "0"]).fails(2);
}

#[test]
fn a_planted_symlink_never_receives_a_key() {
    let home = Home::new();
    let keys = home.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let stolen = home.path().join("stolen.key");
    let bashrc = home.path().join(".bashrc");
    std::fs::write(&bashrc, "alias ls=ls\n").unwrap();
    // A dangling link where the key goes, a link to a file worth keeping where the certificate goes.
    std::os::unix::fs::symlink(&stolen, keys.join("places_integration_test_private.key")).unwrap();
    std::os::unix::fs::symlink(&bashrc, keys.join("places_integration_test_public.crt")).unwrap();
    for args in [
        vec!["keys", "--dir", "keys"],
        vec!["keys", "--dir", "keys", "--force"],
    ] {
        let run = home.run(&args);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(!stolen.exists(), "{args:?} wrote the key through a link");
        assert_eq!(
            std::fs::read_to_string(&bashrc).unwrap(),
            "alias ls=ls\n",
            "{args:?} wrote through a link"
        );
    }
    // What --force wrote is a regular key file of its own, 0600.
    let key = keys.join("places_integration_test_private.key");
    let meta = std::fs::symlink_metadata(&key).unwrap();
    assert!(meta.is_file(), "the key is still a link");
    assert_eq!(mode(&key), 0o600);
}
