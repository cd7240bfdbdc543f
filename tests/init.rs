//! `places-setup init` and storage: validation, secrets kept out of sight, files left intact on error.
mod common;
use common::*;

#[test]
fn saves_a_profile_without_secrets_in_config() {
    let home = Home::new();
    let (key, cert) = home.jwt_profile();
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(config.contains("[profiles.default]"), "{config}");
    assert!(config.contains("auth = \"jwt\""));
    assert!(config.contains(ORG) && config.contains(CLIENT) && config.contains(TECH));
    assert!(config.contains(&*std::fs::canonicalize(&key).unwrap().to_string_lossy()));
    assert!(
        config.contains(&*std::fs::canonicalize(&cert).unwrap().to_string_lossy()),
        "the certificate beside the key is found"
    );
    assert!(config.contains("ent_places_sdk"));
    for (path, text) in home.public_files() {
        assert!(
            !text.contains(SECRET),
            "{} holds the secret",
            path.display()
        );
    }
    let secret_file = home.config_dir().join("profiles/default/client_secret");
    assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), SECRET);
    assert_eq!(mode(&secret_file), 0o600);
    assert_eq!(mode(&home.config_dir().join("profiles/default")), 0o700);
    assert_eq!(mode(&home.config_dir()), 0o700);
}

#[test]
fn pasted_values_are_trimmed() {
    let home = Home::new();
    let (key, _) = home.make_keys("p");
    let (org, client, tech) = (
        format!(" {ORG}\n"),
        format!("\"{CLIENT}\""),
        format!("{TECH} "),
    );
    let mut args = jwt_init_stdin(&key);
    set_flag(&mut args, "--org-id", &org);
    set_flag(&mut args, "--client-id", &client);
    set_flag(&mut args, "--technical-account-id", &tech);
    home.call_with_stdin(&args, &format!("  '{SECRET}'\r\n"))
        .ok();
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(config.contains(&format!("org_id = \"{ORG}\"")), "{config}");
    assert!(config.contains(&format!("client_id = \"{CLIENT}\"")));
    assert_eq!(
        std::fs::read_to_string(home.config_dir().join("profiles/default/client_secret")).unwrap(),
        SECRET
    );
}

#[test]
fn malformed_ids_show_the_expected_shape() {
    let home = Home::new();
    let (key, _) = home.make_keys("p");
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["--org-id", "18FB61145BAC2FFB0A494777"],
            "org ID",
            "@AdobeOrg",
        ),
        (
            vec!["--client-id", "not-hex"],
            "client ID",
            "32 hexadecimal",
        ),
        (
            vec![
                "--technical-account-id",
                "a1b2c3d4-1234-5678-9abc-def012345678@techacct.adobe.com",
            ],
            "technical account ID",
            "email",
        ),
    ];
    for (bad, field, shape) in cases {
        let mut args = jwt_init_stdin(&key);
        set_flag(&mut args, bad[0], bad[1]);
        let run = home.call_with_stdin(&args, SECRET).fails(2);
        run.stderr_has(field).stderr_has(shape);
        assert!(!home.config_dir().join("config.toml").exists());
    }
}

#[test]
fn the_secret_is_never_an_argument_and_must_come_from_somewhere() {
    let home = Home::new();
    let (key, _) = home.make_keys("p");
    let args = jwt_init(&key);
    home.call(&args)
        .fails(2)
        .stderr_has("--client-secret-stdin")
        .stderr_has("PLACES_SETUP_CLIENT_SECRET");
    let run = home
        .run_env(&args, &[("PLACES_SETUP_CLIENT_SECRET", SECRET)])
        .ok();
    assert_no_secret(&run.all());
    assert_eq!(
        std::fs::read_to_string(home.config_dir().join("profiles/default/client_secret")).unwrap(),
        SECRET
    );
    home.call_with_stdin(&["init", "--client-secret-stdin"], "\n")
        .fails(2)
        .stderr_has("client secret");
    assert!(
        Run::from(
            home.cmd()
                .args(["init", "--client-secret", "x"])
                .output()
                .unwrap()
        )
        .code
            == 2
    );
}

#[test]
fn oauth_needs_scopes_and_rejects_jwt_flags() {
    let home = Home::new();
    let mut no_scopes = oauth_init_stdin(OAUTH_SCOPES);
    drop_flag(&mut no_scopes, "--scopes");
    home.call_with_stdin(&no_scopes, SECRET)
        .fails(2)
        .stderr_has("--scopes")
        .stderr_has("Scopes tab");
    let mut with_key = oauth_init_stdin("openid");
    with_key.extend(["--private-key", "x"]);
    home.call_with_stdin(&with_key, SECRET)
        .fails(2)
        .stderr_has("JWT profiles");
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_refused() {
    let home = Home::new();
    let (key, _) = home.make_keys("a");
    let (_, other) = home.make_keys("b");
    let run = home
        .run_with_stdin(
            &[
                &jwt_init(&key)[..],
                &[
                    "--certificate",
                    other.to_str().unwrap(),
                    "--client-secret-stdin",
                ],
            ]
            .concat(),
            SECRET,
        )
        .fails(1);
    run.stderr_has("b_public.crt")
        .stderr_has("does not belong to")
        .stderr_has("a_private.key");
    assert!(!home.config_dir().join("config.toml").exists());
}

#[test]
fn a_file_that_is_not_a_key_is_refused() {
    let home = Home::new();
    let not_key = home.path().join("notes.txt");
    std::fs::write(&not_key, "hello").unwrap();
    home.call_with_stdin(&jwt_init_stdin(&not_key), SECRET)
        .fails(1)
        .stderr_has("notes.txt is not a PEM private key");
    home.call_with_stdin(&jwt_init_stdin("missing.key"), SECRET)
        .fails(1)
        .stderr_has("missing.key");
}

#[test]
fn the_key_forms_openssl_writes_are_read_legacy_encryption_too() {
    let home = Home::new();
    let (key, cert) = home.make_keys("plain");
    home.emulator.add_jwt_integration(home.integration(&cert));
    let key = key.to_str().unwrap();
    let beside = |name: &str| {
        std::fs::copy(&cert, home.path().join(format!("keys/{name}_public.crt"))).unwrap();
        home.path().join(format!("keys/{name}_private.key"))
    };
    // PKCS#1 (`RSA PRIVATE KEY`), as `openssl genrsa -traditional` writes it.
    let pkcs1 = beside("pkcs1");
    openssl(&[
        "rsa",
        "-traditional",
        "-in",
        key,
        "-out",
        pkcs1.to_str().unwrap(),
    ]);
    home.call_with_stdin(&jwt_init_stdin(&pkcs1), SECRET).ok();
    // Encrypted PKCS#8 with AES-128-CBC.
    let aes128 = beside("aes128");
    openssl(&[
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-128-cbc",
        "-passout",
        "pass:pw",
        "-in",
        key,
        "-out",
        aes128.to_str().unwrap(),
    ]);
    let args = jwt_init_stdin(&aes128);
    Run::from(
        home.cmd()
            .args(&args)
            .write_stdin(SECRET)
            .env("PLACES_SETUP_KEY_PASSPHRASE", "pw")
            .output()
            .unwrap(),
    )
    .ok();
    // OpenSSL's legacy encryption (`Proc-Type: 4,ENCRYPTED`, as `openssl genrsa -aes256` wrote
    // it for years) opens with its passphrase, and only with it.
    let legacy = beside("legacy");
    openssl(&[
        "rsa",
        "-aes128",
        "-traditional",
        "-passout",
        "pass:pw",
        "-in",
        key,
        "-out",
        legacy.to_str().unwrap(),
    ]);
    let with_passphrase = |passphrase: &str| {
        Run::from(
            home.cmd()
                .args(jwt_init_stdin(&legacy))
                .write_stdin(SECRET)
                .env("PLACES_SETUP_KEY_PASSPHRASE", passphrase)
                .output()
                .unwrap(),
        )
    };
    with_passphrase("px")
        .fails(1)
        .stderr_has("cannot decrypt")
        .stderr_has("legacy_private.key");
    with_passphrase("pw").ok();
}

#[test]
fn an_encrypted_key_uses_its_passphrase() {
    let home = Home::new();
    let (key, cert) = home.make_keys("plain");
    let encrypted = home.path().join("keys/enc_private.key");
    encrypt_key(&key, &encrypted, "correct horse");
    std::fs::copy(&cert, home.path().join("keys/enc_public.crt")).unwrap();
    home.emulator.add_jwt_integration(home.integration(&cert));
    let args = jwt_init_stdin(&encrypted);
    home.call_with_stdin(&args, SECRET)
        .fails(1)
        .stderr_has("encrypted")
        .stderr_has("PLACES_SETUP_KEY_PASSPHRASE");
    let wrong = Run::from(
        home.cmd()
            .args(&args)
            .write_stdin(SECRET)
            .env("PLACES_SETUP_KEY_PASSPHRASE", "nope")
            .output()
            .unwrap(),
    )
    .fails(1);
    wrong.stderr_has("wrong passphrase");
    let ok = Run::from(
        home.cmd()
            .args(&args)
            .write_stdin(SECRET)
            .env("PLACES_SETUP_KEY_PASSPHRASE", "correct horse")
            .output()
            .unwrap(),
    )
    .ok();
    assert!(!ok.all().contains("correct horse"));
    let saved = home.config_dir().join("profiles/default/key_passphrase");
    assert_eq!(mode(&saved), 0o600);
    // Later runs use the saved passphrase.
    let run = home.call(&["token"]).ok();
    assert!(!run.all().contains("correct horse"));
}

#[test]
fn a_broken_config_is_reported_and_left_untouched() {
    let home = Home::new();
    home.jwt_profile();
    let path = home.config_dir().join("config.toml");
    let broken =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("auth = \"jwt\"", "auth = jwt", 1);
    std::fs::write(&path, &broken).unwrap();
    for args in [
        vec!["token"],
        vec!["status"],
        vec!["init", "--client-secret-stdin"],
    ] {
        let run = home.call_with_stdin(&args, SECRET).fails(1);
        run.stderr_has("config.toml line")
            .stderr_has("left exactly as it was");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            broken,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn files_readable_by_others_are_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.jwt_profile();
    let secret = home.config_dir().join("profiles/default/client_secret");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    home.call(&["token"])
        .ok()
        .stderr_has("can be read by other users")
        .stderr_has("chmod 600");
}

#[test]
fn profiles_live_side_by_side() {
    let home = Home::new();
    home.jwt_profile();
    home.oauth_profile_named("eu");
    let status = home.call(&["status", "--json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let names: Vec<&str> = j["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "eu"]);
    home.call(&["--profile", "../x", "token"])
        .fails(2)
        .stderr_has("profile");
}

#[test]
fn no_chmod_hint_for_the_target_of_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let (key, _) = home.jwt_profile();
    // The key kept elsewhere (a shared folder), readable by others, and linked where it was.
    let elsewhere = home.path().join("shared_private.key");
    std::fs::rename(&key, &elsewhere).unwrap();
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &key).unwrap();
    for args in [&["token", "--force"][..], &["status"]] {
        let run = home.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let shown = run.all();
        assert!(
            shown.contains("can be read by other users"),
            "{args:?}: {shown}"
        );
        assert!(shown.contains("symbolic link"), "{args:?}: {shown}");
        assert!(!shown.contains("chmod"), "{args:?}: {shown}");
    }
}

#[test]
fn a_relative_config_folder_is_saved_in_and_read_back() {
    let home = Home::new();
    let mut args = vec!["--config-dir", "relative/config"];
    args.extend(oauth_init_stdin("openid,AdobeID,read_organizations"));
    let run = home.run_with_stdin(&args, SECRET);
    assert_eq!(run.code, 0, "{}", run.all());
    let config = home.path().join("relative/config/config.toml");
    assert!(
        std::fs::read_to_string(&config)
            .unwrap()
            .contains("[profiles.default]"),
        "saved under the folder named relative to where it ran"
    );
    // The variable, relative too, for a second save.
    let run = home.run_env(
        &["profile", "set", "--scopes", "openid,AdobeID"],
        &[("PLACES_SETUP_CONFIG_DIR", "relative/config")],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(
        saved.contains("\"AdobeID\"") && !saved.contains("read_organizations"),
        "{saved}"
    );
    let mut folders = vec![home.path().join("relative")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            assert!(
                !path.to_string_lossy().ends_with(".staged"),
                "{path:?} left"
            );
            if path.is_dir() {
                folders.push(path);
            }
        }
    }
}
