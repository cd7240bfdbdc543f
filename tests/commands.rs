//! `status`, `env`, `verify` and `curl` against the emulator.
mod common;
use common::*;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn status_shows_everything_but_secrets() {
    let home = Home::new();
    let (key, cert) = home.jwt_profile();
    let before = home.call(&["status"]).ok();
    assert!(
        before.stdout.contains("none cached yet"),
        "{}",
        before.stdout
    );
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    let run = home.call(&["status"]).ok();
    for expected in [
        "default (selected)",
        "Service Account (JWT)",
        ORG,
        CLIENT,
        TECH,
        "(mode 0600)",
        "days)",
        "valid for 23h",
        "client_secret (mode 0600)",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} missing:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains(key.file_name().unwrap().to_str().unwrap())
    );
    assert!(
        run.stdout
            .contains(cert.file_name().unwrap().to_str().unwrap())
    );
    assert!(!run.all().contains(&token), "status never prints the token");
    assert!(!run.all().contains(&token[..40]), "nor a large part of it");

    let j = json(&home.call(&["status", "--json"]).ok().stdout);
    let p = &j["profiles"][0];
    assert_eq!(p["auth"], "jwt");
    assert_eq!(p["certificate"]["days_left"], 365);
    assert_eq!(p["token"]["valid"], true);
    assert_eq!(p["secrets"]["store"], "file");
    // The one warning of a healthy JWT profile: Adobe's end of JWT (tests/migrate.rs).
    let warnings = p["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].as_str().unwrap().contains("migrate"));
    assert!(!j.to_string().contains(&token));
}

#[test]
fn status_shows_the_real_mode_of_a_secret_file_and_a_draft() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.oauth_profile();
    let secret = home.config_dir().join("profiles/default/client_secret");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = home.call(&["status"]).ok();
    assert!(
        run.stdout.contains("client_secret (mode 0644)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("(0600)"), "{}", run.stdout);
    assert!(!run.stdout.contains("untested"), "{}", run.stdout);

    // A profile the wizard saved before IMS accepted it says so.
    let config = home.config_dir().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}untested = true\n")).unwrap();
    let run = home.call(&["status"]).ok();
    assert!(
        run.stdout.contains("untested: saved by the wizard"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("default (selected, untested draft)"),
        "{}",
        run.stdout
    );
    let run = home.call(&["status", "--json"]).ok();
    assert_eq!(json(&run.stdout)["profiles"][0]["untested"], true);
    let list = home.call(&["profile", "list"]).ok();
    assert!(list.stdout.ends_with("untested draft\n"), "{}", list.stdout);
    let list = json(&home.call(&["profile", "list", "--json"]).ok().stdout);
    assert_eq!(list[0]["untested"], true);
}

#[test]
fn status_and_profile_list_show_the_places_url() {
    let home = Home::new();
    home.oauth_profile();
    let places = home.emulator.places_url();
    let run = home.call(&["status"]).ok();
    assert!(
        run.stdout
            .contains(&format!("  Places API          {places}\n")),
        "{}",
        run.stdout
    );
    let status = json(&home.call(&["status", "--json"]).ok().stdout);
    assert_eq!(status["profiles"][0]["places_url"], places.as_str());
    let list = home.call(&["profile", "list"]).ok();
    assert!(list.stdout.contains(&places), "{}", list.stdout);
    assert!(!list.stdout.contains("untested"), "{}", list.stdout);
    let list = json(&home.call(&["profile", "list", "--json"]).ok().stdout);
    assert_eq!(list[0]["places_url"], places.as_str());
}

#[test]
fn status_warns_before_the_certificate_expires() {
    let home = Home::new();
    home.run(&["keys", "--dir", "keys", "--name", "soon", "--days", "20"])
        .ok();
    let key = home.path().join("keys/soon_private.key");
    home.init_jwt(&key).ok();
    let run = home.call(&["status"]).ok();
    assert!(
        run.stdout.contains("warning: the certificate"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("expires in 19 days") || run.stdout.contains("expires in 20 days"),
        "{}",
        run.stdout
    );
}

#[test]
fn status_with_no_profiles() {
    let home = Home::new();
    home.call(&["status"]).ok().stderr_has("No profiles yet");
    assert_eq!(
        json(&home.call(&["status", "--json"]).ok().stdout)["profiles"],
        serde_json::json!([])
    );
}

#[test]
fn env_in_every_format() {
    let home = Home::new();
    home.jwt_profile();
    let sh = home.call(&["env"]).ok().stdout;
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    assert!(
        sh.contains(&format!("export PLACES_ACCESS_TOKEN='{token}'")),
        "{sh}"
    );
    assert!(sh.contains(&format!("export PLACES_API_KEY='{CLIENT}'")));
    assert!(sh.contains(&format!("export PLACES_ORG_ID='{ORG}'")));
    assert!(sh.contains("export PLACES_TOKEN_EXPIRES_AT='"));
    // The exports work in a real shell.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{sh}\nprintf %s \"$PLACES_ORG_ID\""))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), ORG);

    assert!(
        home.call(&["env", "--format", "fish"])
            .ok()
            .stdout
            .contains(&format!("set -gx PLACES_API_KEY '{CLIENT}'"))
    );
    assert!(
        home.call(&["env", "--format", "powershell"])
            .ok()
            .stdout
            .contains(&format!("$env:PLACES_ORG_ID = '{ORG}'"))
    );
    let j = json(&home.call(&["env", "--format", "json"]).ok().stdout);
    assert_eq!(j["PLACES_ACCESS_TOKEN"], token.as_str());
    assert_eq!(home.emulator.exchange_count(), 1, "env reused the token");
}

#[test]
fn verify_counts_the_libraries() {
    let home = Home::new();
    home.jwt_profile();
    home.emulator.set_libraries(
        ORG,
        vec![
            Library {
                id: "lib-1".into(),
                name: "Stores".into(),
                customer_id: "c".into(),
                poi_count: 12,
            },
            Library {
                id: "lib-2".into(),
                name: "Stadiums".into(),
                customer_id: "c".into(),
                poi_count: 3,
            },
            Library {
                id: "lib-3".into(),
                name: "Airports".into(),
                customer_id: "c".into(),
                poi_count: 0,
            },
        ],
    );
    let run = home.call(&["verify"]).ok();
    assert!(run.stdout.contains("has 3 POI libraries"), "{}", run.stdout);
    assert!(run.stdout.contains("Stadiums (3 POIs)"));
    let sent = home
        .emulator
        .last_request("/places/placesapi/v1/libraries")
        .unwrap();
    assert_eq!(sent.header("x-api-key"), Some(CLIENT));
    assert_eq!(sent.header("x-gw-ims-org-id"), Some(ORG));
    assert!(
        sent.header("authorization")
            .unwrap()
            .starts_with("Bearer ey")
    );
    let j = json(&home.call(&["verify", "--json"]).ok().stdout);
    assert_eq!(j["count"], 3);
    assert_eq!(j["libraries"][0]["poiCount"], 12);
}

#[test]
fn verify_replaces_a_revoked_cached_token_once() {
    let home = Home::new();
    home.jwt_profile();
    home.call(&["token"]).ok();
    home.emulator.revoke_tokens();
    let run = home.call(&["verify"]).ok();
    run.stderr_has("401013");
    assert_eq!(home.emulator.exchange_count(), 2);
}

#[test]
fn verify_explains_gateway_errors() {
    let home = Home::new();
    home.jwt_profile();
    // A token for another client, sent with this profile's API key.
    home.oauth_profile_named("other");
    let other = home
        .run(&["--profile", "other", "token"])
        .ok()
        .stdout
        .trim()
        .to_string();
    let cache = home.config_dir().join("profiles/default/token.json");
    home.call(&["token"]).ok();
    let text = std::fs::read_to_string(&cache).unwrap();
    let mine: serde_json::Value = serde_json::from_str(&text).unwrap();
    std::fs::write(
        &cache,
        text.replace(mine["access_token"].as_str().unwrap(), &other),
    )
    .unwrap();
    home.call(&["verify"])
        .fails(1)
        .stderr_has("403003")
        .stderr_has("x-api-key");
}

#[test]
fn curl_prints_a_command_that_works() {
    let home = Home::new();
    home.oauth_profile();
    let run = home.call(&["curl"]).ok();
    let token = home.call(&["token"]).ok().stdout.trim().to_string();
    assert!(
        run.stdout.starts_with(&format!(
            "curl -X GET '{}/libraries'",
            home.emulator.places_url()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("-H 'Authorization: Bearer {token}'"))
    );
    assert!(run.stdout.contains(&format!("-H 'x-api-key: {CLIENT}'")));
    assert!(run.stdout.contains(&format!("-H 'x-gw-ims-org-id: {ORG}'")));
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok()
    {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{} -s -w ' %{{http_code}}'", run.stdout.trim()))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.ends_with(" 200"), "{text}");
    }
}

#[test]
fn help_has_examples_and_usage_errors_exit_2() {
    let home = Home::new();
    let run = home.run(&["--help"]).ok();
    assert!(run.stdout.contains("Examples:") && run.stdout.contains("places-setup token"));
    for cmd in ["keys", "init", "token", "env"] {
        assert!(
            home.run(&[cmd, "--help"]).ok().stdout.contains("Examples:"),
            "{cmd}"
        );
    }
    assert_eq!(home.run(&["tokn"]).code, 2);
    assert_eq!(home.run(&["env", "--format", "csh"]).code, 2);
    assert_eq!(home.run(&["--timeout", "0", "token"]).code, 2);
}

#[test]
fn the_wizard_needs_a_terminal() {
    let home = Home::new();
    let run = home.run(&[]).fails(2);
    run.stderr_has("needs a terminal").stderr_has("--help");
}

#[test]
fn help_examples_fit_80_columns_so_no_command_wraps_in_two() {
    let home = Home::new();
    for command in [
        "", "keys", "init", "token", "status", "env", "verify", "curl", "demo",
    ] {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let run = home.run(&args).ok();
        let examples = run
            .stdout
            .split_once("Examples:")
            .map(|(_, e)| e.to_string())
            .unwrap_or_default();
        let mut columns = std::collections::BTreeSet::new();
        let first_block = examples.trim_start_matches('\n').split("\n\n").next();
        let in_examples = |line: &str| first_block.is_some_and(|b| b.contains(line));
        for line in examples.lines() {
            assert!(
                line.chars().count() <= 80,
                "`places-setup {command} --help`: {} columns:\n{line}",
                line.chars().count()
            );
            // An example and its description: the description's column.
            if let Some(gap) = line.trim_start().find("  ").filter(|_| in_examples(line)) {
                let indent = line.len() - line.trim_start().len();
                let rest = &line[indent + gap..];
                columns.insert(indent + gap + rest.len() - rest.trim_start().len());
            }
        }
        assert!(
            columns.len() <= 1,
            "`places-setup {command} --help`: descriptions start at columns {columns:?}:\n{examples}"
        );
    }
}

#[test]
fn a_command_run_in_process_answers_as_the_binary_does() {
    let home = Home::new();
    home.oauth_profile();
    for args in [
        &["profile", "list"][..],
        &["--profile", "prod", "token"],
        &["env", "--format", "csh"],
        &["init", "--org-id", "not-an-org"],
        &["profile", "remove", "default"],
    ] {
        let (binary, here) = (home.run(args), home.call(args));
        assert_eq!(
            (binary.code, &binary.stdout, &binary.stderr),
            (here.code, &here.stdout, &here.stderr),
            "{args:?}"
        );
    }
    // The environment a test gives is the one the command sees, not the test process's.
    let run = home.call_env(&["token"], &[("PLACES_SETUP_PROFILE", "elsewhere")]);
    // A profile that does not exist is a wrong value (issue 21): exit 2.
    run.fails(2).stderr_has("no profile named \"elsewhere\"");
}

/// A secret typed as `NAME=value` before a command stays in the shell's history: no example in
/// the README or in any command's help shows one.
#[test]
fn no_example_puts_a_secret_on_a_command_line() {
    let assigned = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| {
                ["SECRET=", "PASSPHRASE="].iter().any(|name| {
                    line.match_indices(name).any(|(at, _)| {
                        let value = &line[at + name.len()..];
                        // A variable expanded there (`"$SECRET"`) is not a secret typed there.
                        !value.starts_with('$') && !value.starts_with("\"$")
                    })
                })
            })
            .map(str::to_string)
            .collect()
    };
    // The README and the reference it links to (docs/), where the examples moved.
    for page in ["README.md", "docs/commands.md", "docs/wizard.md"] {
        let text =
            std::fs::read_to_string(format!("{}/{page}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(assigned(&text), Vec::<String>::new(), "{page}");
    }
    let home = Home::new();
    for command in [
        "init", "token", "env", "exec", "api", "keys", "migrate", "status", "profile", "verify",
    ] {
        let help = home.call(&[command, "--help"]).ok();
        assert_eq!(
            assigned(&help.stdout),
            Vec::<String>::new(),
            "{command} --help"
        );
    }
    let help = home.call(&["--help"]).ok();
    assert_eq!(assigned(&help.stdout), Vec::<String>::new(), "--help");
}

#[test]
fn a_profile_that_does_not_exist_is_a_wrong_value_for_every_command() {
    let home = Home::new();
    home.oauth_profile();
    for args in [
        &["--profile", "nope", "token"][..],
        &["--profile", "nope", "env"],
        &["--profile", "nope", "verify"],
        &["--profile", "nope", "curl"],
        &["--profile", "nope", "api", "/libraries"],
        &["--profile", "nope", "exec", "--", "true"],
        &["--profile", "nope", "status"],
        &["--profile", "nope", "status", "--json"],
        &["--profile", "nope", "migrate", "--scopes", "openid"],
        &["profile", "use", "nope"],
        &["profile", "remove", "nope", "--yes"],
    ] {
        let run = home.call(args).fails(2);
        run.stderr_has("no profile named \"nope\"");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    // Named by the variable, as by the flag.
    home.call_env(&["status"], &[("PLACES_SETUP_PROFILE", "nope")])
        .fails(2);
}

/// The part of `--help` under `heading:`, up to the next heading.
fn help_section<'a>(help: &'a str, heading: &str) -> &'a str {
    help.split(&format!("\n{heading}:\n"))
        .nth(1)
        .map(|rest| rest.split("\n\n").next().unwrap_or_default())
        .unwrap_or_default()
}

#[test]
fn each_command_shows_its_own_options_first_and_only_the_global_ones_that_work_there() {
    let home = Home::new();
    let token = home.run(&["token", "--help"]).ok().stdout;
    let own = token.find("\nOptions:\n").expect("Options");
    let global = token.find("\nGlobal options:\n").expect("Global options");
    assert!(own < global, "{token}");
    assert!(
        help_section(&token, "Options").contains("--force"),
        "{token}"
    );
    assert!(
        !help_section(&token, "Options").contains("--profile"),
        "{token}"
    );
    for flag in [
        "--profile",
        "--config-dir",
        "--ims-url",
        "--timeout",
        "--debug",
    ] {
        assert!(
            help_section(&token, "Global options").contains(flag),
            "{flag}: {token}"
        );
    }
    for (command, hidden) in [
        ("keys", &["--ims-url", "--timeout", "--debug"][..]),
        (
            "completions",
            &["--ims-url", "--timeout", "--profile", "--config-dir"],
        ),
        (
            "man",
            &["--ims-url", "--timeout", "--profile", "--config-dir"],
        ),
        ("emulator", &["--ims-url", "--timeout", "--profile"]),
    ] {
        let help = home.run(&[command, "--help"]).ok().stdout;
        let options = [
            help_section(&help, "Options"),
            help_section(&help, "Global options"),
        ]
        .concat();
        for flag in hidden {
            assert!(
                !options.contains(flag),
                "{command} --help shows {flag}:\n{help}"
            );
        }
    }
    // Hidden, still accepted: a script that passes one everywhere keeps working.
    home.run(&["--timeout", "5", "completions", "bash"]).ok();
    let keys = home.run(&["keys", "--help"]).ok().stdout;
    assert!(
        help_section(&keys, "Global options").contains("--profile"),
        "{keys}"
    );
}

#[test]
fn help_answers_help_and_names_any_command() {
    let home = Home::new();
    let run = home.run(&["help", "--help"]).ok();
    assert!(
        run.stdout.contains("Usage: places-setup help"),
        "{}",
        run.stdout
    );
    let token = home.run(&["token", "--help"]).ok().stdout;
    assert_eq!(home.run(&["help", "token"]).ok().stdout, token);
    let used = home.run(&["profile", "use", "--help"]).ok().stdout;
    assert_eq!(home.run(&["help", "profile", "use"]).ok().stdout, used);
    assert_eq!(home.run(&["profile", "help", "use"]).ok().stdout, used);
    home.run(&["help", "nope"]).fails(2);
}

/// Each `env --format` read by its own shell sets the four variables to the values `env --format
/// json` gives.
#[test]
fn env_formats_set_the_variables_in_their_own_shell() {
    let home = Home::new();
    home.oauth_profile();
    let expected = json(&home.call(&["env", "--format", "json"]).ok().stdout);
    let names = [
        "PLACES_ACCESS_TOKEN",
        "PLACES_API_KEY",
        "PLACES_ORG_ID",
        "PLACES_TOKEN_EXPIRES_AT",
    ];
    // fish reads this line as the POSIX shells do.
    let print = names
        .iter()
        .map(|n| format!("printf '%s\\n' \"${n}\""))
        .collect::<Vec<_>>()
        .join("\n");
    for (format, shell, read) in [
        ("sh", "sh", ""),
        ("bash", "bash", ""),
        ("zsh", "zsh", ""),
        ("fish", "fish", ""),
        // A .env file as a POSIX shell reads one: its lines are plain assignments.
        ("dotenv", "sh", "set -a\n"),
    ] {
        let text = home.call(&["env", "--format", format]).ok().stdout;
        let script = format!("{read}{text}\n{print}");
        let out = match std::process::Command::new(shell)
            .args(["-c", &script])
            .env_clear()
            .output()
        {
            Ok(out) => out,
            Err(e) => {
                skip(
                    "env_formats_set_the_variables_in_their_own_shell",
                    &format!("{shell} ({format}): {e}; scripts/setup --for-tests installs it"),
                );
                continue;
            }
        };
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let values: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        let wanted: Vec<String> = names
            .iter()
            .map(|n| expected[n].as_str().unwrap().to_string())
            .collect();
        assert_eq!(values, wanted, "{format}:\n{text}");
    }
    assert_eq!(
        home.emulator.exchange_count(),
        1,
        "each format reused the token"
    );
}
