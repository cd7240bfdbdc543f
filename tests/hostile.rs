//! What a hostile server, a hostile file or another local user can make places-setup do: servers
//! on loopback that answer with terminal escapes, malformed tokens and endless bodies; files that
//! are FIFOs, devices or writable by others; a hand-edited config.
mod common;
use common::*;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

fn token_path(home: &Home) -> PathBuf {
    home.config_dir().join("profiles/default/token.json")
}

fn no_escape(text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'),
        "a control character reached the terminal: {text:?}"
    );
}

/// `token` with IMS at `ims` instead of the emulator.
fn token_from(home: &Home, ims: &Hostile, args: &[&str]) -> Run {
    let mut all = vec!["token"];
    all.extend_from_slice(args);
    home.call_env(&all, &[("PLACES_SETUP_IMS_URL", &ims.url())])
}

const ESCAPES: &str = r#"\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u009b31m"#;

#[test]
fn an_ims_error_cannot_drive_the_terminal() {
    let home = Home::new();
    home.oauth_profile();
    let ims = Hostile::json(
        400,
        &format!(r#"{{"error":"invalid_scope","error_description":"bad {ESCAPES} scope"}}"#),
    );
    let run = token_from(&home, &ims, &["--force"]).fails(1);
    no_escape(&run.all());
    run.stderr_has(r"bad \u001b]0;pwned\u0007\u001b[2J");
}

#[test]
fn places_text_cannot_drive_the_terminal_and_json_stays_valid() {
    let home = Home::new();
    home.oauth_profile();
    let name = "Stores\u{1b}]0;pwned\u{7}\u{9b}2J";
    home.emulator.set_libraries(
        ORG,
        vec![Library {
            id: "1".into(),
            name: name.into(),
            customer_id: "c".into(),
            poi_count: 3,
        }],
    );
    let run = home.call(&["verify"]).ok();
    no_escape(&run.all());
    assert!(
        run.stdout.contains(r"Stores\u001b]0;pwned\u0007\u009b2J"),
        "{}",
        run.stdout
    );
    let run = home.call(&["verify", "--json"]).ok();
    no_escape(&run.all());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        json["libraries"][0]["name"], name,
        "the same value, escaped"
    );

    // A gateway's refusal, quoted in the error.
    home.emulator.push_faults([status_fault(
        403,
        "application/json",
        &format!(r#"{{"error_code":"403027","message":"no {ESCAPES}"}}"#),
        None,
    )]);
    let run = home.call(&["verify"]).fails(1);
    no_escape(&run.all());
}

#[test]
fn a_token_outside_its_alphabet_is_refused_and_never_kept() {
    let home = Home::new();
    home.oauth_profile();
    std::fs::remove_file(token_path(&home)).ok();
    for token in [
        "eyJ.abc.def\\u001b]0;x\\u0007",
        "eyJ abc",
        "abc'; rm -rf ~; '",
        "abc\\ndef",
    ] {
        let ims = Hostile::json(
            200,
            &format!(r#"{{"token_type":"bearer","access_token":"{token}","expires_in":86399}}"#),
        );
        let run = token_from(&home, &ims, &[]).fails(1);
        assert_eq!(run.stdout, "", "nothing printed");
        run.stderr_has("has a character a token cannot have");
        no_escape(&run.all());
        assert!(!token_path(&home).exists(), "nothing cached");
        let run = home.call_env(&["env"], &[("PLACES_SETUP_IMS_URL", &ims.url())]);
        assert_eq!(run.code, 1);
        assert_eq!(run.stdout, "", "nothing exported");
    }
}

#[test]
fn an_already_expired_token_is_an_error() {
    let home = Home::new();
    home.oauth_profile();
    for expires_in in ["0", "-5", "\"-86399\""] {
        let ims = Hostile::json(
            200,
            &format!(
                r#"{{"token_type":"bearer","access_token":"abc.def.ghi","expires_in":{expires_in}}}"#
            ),
        );
        let run = token_from(&home, &ims, &["--force"]).fails(1);
        run.stderr_has("already expired");
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn a_cached_token_is_trusted_at_most_25_hours() {
    let home = Home::new();
    home.oauth_profile();
    let now = SystemTime::now();
    let cache = serde_json::json!({
        "token_type": "bearer",
        "access_token": "opaque-token.without.expiry",
        "expires_at": humantime::format_rfc3339_seconds(now + Duration::from_secs(400 * 86_400)).to_string(),
        "obtained_at": humantime::format_rfc3339_seconds(now).to_string(),
        "auth": "oauth",
        "client_id": CLIENT,
        "ims_url": home.emulator.url(),
    });
    std::fs::write(token_path(&home), cache.to_string()).unwrap();
    let run = home.call(&["token", "--json"]).ok();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["source"], "cache");
    let left = json["expires_in"].as_i64().unwrap();
    assert!(left <= 25 * 3600, "trusted for {left} s");
}

#[test]
fn answers_are_capped_at_one_mebibyte() {
    let home = Home::new();
    home.oauth_profile();
    let big = vec![b' '; 2 * 1024 * 1024];
    let ims = Hostile::start(Reply::Bytes(answer(200, "application/json", &big)));
    let run = token_from(&home, &ims, &["--force"]).fails(1);
    run.stderr_has("more than 1024 KiB");
    let endless = Hostile::start(Reply::Endless(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .into(),
    ));
    let run = token_from(&home, &endless, &["--force"]).fails(1);
    run.stderr_has("more than 1024 KiB");
}

#[test]
fn a_fifo_or_a_device_is_never_read() {
    let home = Home::new();
    home.oauth_profile();
    let cache = token_path(&home);
    std::fs::remove_file(&cache).ok();
    let made = std::process::Command::new("mkfifo")
        .arg(&cache)
        .status()
        .unwrap();
    assert!(made.success());
    // Blocked forever before; now the FIFO is no cache, and is replaced by one.
    let run = home.call(&["token"]).ok();
    assert_eq!(run.stdout.trim().split('.').count(), 3);
    assert!(cache.is_file());
    home.call(&["status"]).ok();

    let config = home.config_dir().join("config.toml");
    std::fs::remove_file(&config).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
    home.call(&["status"])
        .fails(1)
        .stderr_has("is a device, not a regular file");
    std::fs::remove_file(&config).unwrap();
    std::fs::write(&config, "#".repeat(2 * 1024 * 1024)).unwrap();
    home.call(&["status"])
        .fails(1)
        .stderr_has("is larger than 1024 KiB");
}

#[test]
fn a_config_another_user_could_change_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.oauth_profile();
    let dir = home.config_dir();
    let set = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&dir, 0o777);
    let run = home.call(&["token"]).fails(1);
    run.stderr_has("can be changed by other users (mode 777)");
    run.stderr_has(&format!("chmod go-w '{}'", dir.display()));
    assert_eq!(run.stdout, "");
    set(&dir, 0o700);
    let secret = dir.join("profiles/default/client_secret");
    set(&secret, 0o662);
    let run = home.call(&["token", "--force"]).fails(1);
    run.stderr_has(&format!("chmod go-w '{}'", secret.display()));
    // Readable by others is still only a warning, as before.
    set(&secret, 0o644);
    home.call(&["token", "--force"])
        .ok()
        .stderr_has("can be read by other users");
}

#[test]
fn a_key_file_others_can_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let (key, _) = home.jwt_profile();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o620)).unwrap();
    home.call(&["token", "--force"])
        .fails(1)
        .stderr_has(&format!("chmod go-w '{}'", key.display()));
}

#[test]
fn a_profile_name_in_config_toml_is_checked_with_its_line() {
    let home = Home::new();
    home.oauth_profile();
    let config = home.config_dir().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("[profiles.default]", "[profiles.\"../../outside\"]"),
    )
    .unwrap();
    let line = std::fs::read_to_string(&config)
        .unwrap()
        .lines()
        .position(|l| l.contains("outside"))
        .unwrap()
        + 1;
    for args in [&["status"][..], &["token"], &["--profile", "x", "token"]] {
        home.call(args).fails(1).stderr_has(&format!(
            "line {line}: \"../../outside\" is not a valid profile name"
        ));
    }
    assert!(!home.path().join("outside").exists());
}

#[test]
fn quotes_in_an_org_id_written_into_config_toml_never_reach_a_shell() {
    // The quoting itself is tested in-process (commands::env); here the edited file is refused
    // before anything is printed.
    let home = Home::new();
    home.oauth_profile();
    let config = home.config_dir().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(ORG, "org\u{2019}; calc; \u{2018}x\u{201a}\u{201b}'"),
    )
    .unwrap();
    for shell in ["powershell", "fish", "sh"] {
        let run = home.call(&["env", "--format", shell]).fails(1);
        assert_eq!(run.stdout, "", "{shell}");
        assert!(
            run.stderr.contains("config.toml line ") && run.stderr.contains("org ID"),
            "{shell}: {}",
            run.stderr
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn no_core_dumps() {
    let home = Home::new();
    home.oauth_profile();
    let ims = Hostile::start(Reply::Hang);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("places-setup"))
        .args(["token", "--force", "--timeout", "30"])
        .envs(home.environment())
        .env("PLACES_SETUP_IMS_URL", ims.url())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Mid-exchange: the secret has been read and sent.
    let started = std::time::Instant::now();
    while ims.connections() == 0 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
}

#[test]
fn loopback_never_goes_through_a_proxy() {
    let home = Home::new();
    home.oauth_profile();
    let proxy = Hostile::json(502, "{}");
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY"] {
        let run = Run::from(
            home.cmd()
                .args(["token", "--force"])
                .env_remove("NO_PROXY")
                .env(var, proxy.url())
                .output()
                .unwrap(),
        )
        .ok();
        assert_eq!(run.stdout.trim().split('.').count(), 3);
    }
    assert_eq!(proxy.connections(), 0, "the secret went to the proxy");
    // A proxy that is not a URL is named.
    home.cmd()
        .args(["token", "--force"])
        .env_remove("NO_PROXY")
        .env("HTTPS_PROXY", "::not a url::")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("HTTPS_PROXY is not a proxy URL"));
}

#[test]
fn a_secret_that_is_not_utf8_has_its_own_error() {
    use std::os::unix::ffi::OsStrExt;
    let home = Home::new();
    let bad = std::ffi::OsStr::from_bytes(b"abc\xff");
    let run = Run::from(
        home.cmd()
            .args(
                oauth_init_stdin(OAUTH_SCOPES)
                    .iter()
                    .filter(|a| **a != "--client-secret-stdin"),
            )
            .env("PLACES_SETUP_CLIENT_SECRET", bad)
            .output()
            .unwrap(),
    )
    .fails(2);
    run.stderr_has("PLACES_SETUP_CLIENT_SECRET is set but is not valid UTF-8");
}

#[test]
fn long_values_are_cut_in_errors() {
    let home = Home::new();
    let long = "p".repeat(10_000);
    let run = home.call(&["--profile", &long, "status"]).fails(2);
    assert!(run.stderr.len() < 400, "{}", run.stderr);
    run.stderr_has("(10000 characters)");
}

#[test]
fn a_killed_writer_leaves_no_secret_behind() {
    let home = Home::new();
    home.oauth_profile();
    let dir = home.config_dir().join("profiles/default");
    // What `kill -9` mid-write leaves: temporaries of the store's own naming.
    let stale = [
        dir.join(".token.json.Ab12Cd.tmp"),
        dir.join(".client_secret.x9Y8z7.tmp"),
        home.config_dir().join(".config.toml.QwErTy.tmp"),
    ];
    for path in &stale {
        std::fs::write(path, SECRET).unwrap();
    }
    let unrelated = dir.join(".token.json.notours");
    std::fs::write(&unrelated, "x").unwrap();
    home.call(&["token", "--force"]).ok();
    assert!(!stale[0].exists(), "the next cache write removes it");
    home.call_with_stdin(&oauth_init_stdin(OAUTH_SCOPES), SECRET)
        .ok();
    for path in &stale {
        assert!(!path.exists(), "{} left behind", path.display());
    }
    assert!(unrelated.exists(), "only our own naming is removed");
}

/// The forms a value sent in a form body or a header can take when a server echoes it.
fn sent_forms(value: &str) -> Vec<String> {
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    vec![value.to_string(), encoded]
}

#[test]
fn what_ims_echoes_shows_no_value_sent_and_is_cut() {
    let home = Home::new();
    home.oauth_profile();
    let (key, _) = home.jwt_profile_named("signed");
    assert!(key.exists());
    let ims = Hostile::start(Reply::Echo {
        status: 401,
        filler: 440 * 1024,
    });
    for args in [
        vec!["token", "--force"],
        vec!["--debug", "token", "--force"],
        vec!["--profile", "signed", "token", "--force"],
    ] {
        let run = home.run_env(&args, &[("PLACES_SETUP_IMS_URL", &ims.url())]);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        for form in sent_forms(SECRET) {
            assert!(!run.stderr.contains(&form), "{args:?}: {}", run.stderr);
        }
        // The JWT: header and claims start `eyJ`, as every JSON object in base64url does.
        assert!(
            !run.stderr.contains("jwt_token=eyJ"),
            "{args:?}: {}",
            run.stderr
        );
        run.stderr_has("client_secret=[REDACTED]");
        run.stderr_has("bytes more)");
        assert!(run.stderr.len() < 8 * 1024, "{args:?}: {}", run.stderr);
    }
}

#[test]
fn what_the_places_gateway_echoes_shows_no_token_and_is_cut() {
    let home = Home::new();
    home.oauth_profile();
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    assert!(token.len() > 20);
    let places = Hostile::start(Reply::Echo {
        status: 400,
        filler: 440 * 1024,
    });
    let url = format!("{}/places/placesapi/v1", places.url());
    for args in [vec!["api", "/libraries"], vec!["verify"]] {
        let run = home
            .run_env(&args, &[("PLACES_SETUP_PLACES_URL", &url)])
            .fails(1);
        assert!(!run.stderr.contains(&token), "{args:?}: {}", run.stderr);
        assert!(run.stderr.len() < 8 * 1024, "{args:?}: {}", run.stderr);
    }
}

/// The profile of `home` moved into `above/config`, and `token` run there.
fn token_under(home: &Home, above: &std::path::Path) -> Run {
    let config = above.join("config");
    home.run_env(
        &["token"],
        &[("PLACES_SETUP_CONFIG_DIR", config.to_str().unwrap())],
    )
}

#[test]
fn a_folder_above_that_another_user_can_change_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.oauth_profile();
    let above = home.path().join("shared");
    std::fs::create_dir(&above).unwrap();
    std::fs::rename(home.config_dir(), above.join("config")).unwrap();
    token_under(&home, &above).ok();

    // Writable by all and not sticky: anyone could rename the config folder away.
    std::fs::set_permissions(&above, std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = token_under(&home, &above).fails(1);
    run.stderr_has("above the config folder")
        .stderr_has("mode 777")
        .stderr_has(&format!("chmod go-w '{}'", above.display()));
    // Sticky, as /tmp is: only owners may rename their entries.
    std::fs::set_permissions(&above, std::fs::Permissions::from_mode(0o1777)).unwrap();
    token_under(&home, &above).ok();

    // Another user's folder (uid 65534, nobody), even when only they can write it.
    std::fs::set_permissions(&above, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&above, Some(65534), None).unwrap();
    token_under(&home, &above)
        .fails(1)
        .stderr_has("belongs to user 65534");
}

#[test]
fn a_config_folder_linked_to_another_users_folder_is_refused() {
    let home = Home::new();
    home.oauth_profile();
    let real = home.path().join("real-config");
    std::fs::rename(home.config_dir(), &real).unwrap();
    // A link to one's own folder (as a dotfile manager makes) is followed.
    std::os::unix::fs::symlink(&real, home.config_dir()).unwrap();
    home.run(&["token"]).ok();
    // The same link, once the folder is another user's: refused on the folder's own handle.
    std::os::unix::fs::chown(&real, Some(65534), None).unwrap();
    home.run(&["token"])
        .fails(1)
        .stderr_has("belongs to user 65534");
}

#[test]
fn a_secret_file_swapped_for_a_symlink_is_not_read() {
    let home = Home::new();
    home.oauth_profile();
    let secret = home.config_dir().join("profiles/default/client_secret");
    // A file of the attacker's choosing, private as a secret would be.
    let planted = home.path().join("planted_secret");
    std::fs::write(&planted, "p8e-planted").unwrap();
    std::fs::set_permissions(
        &planted,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    std::fs::remove_file(&secret).unwrap();
    std::os::unix::fs::symlink(&planted, &secret).unwrap();
    home.run(&["token", "--force"])
        .fails(1)
        .stderr_has("is a symbolic link");
    assert_eq!(home.emulator.exchange_count(), 0, "nothing was sent");
}
