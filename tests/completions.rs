//! `completions SHELL` and `man`: bash really completes with the script (subcommands, and the
//! saved profiles after --profile), every shell gets a script, and `man -l` renders the page.
mod common;
use common::*;
use std::process::Command;

/// What bash offers for the command line `words` (the last being the word being completed),
/// with the completion script of `places-setup completions bash` loaded.
fn bash_completes(home: &Home, words: &[&str]) -> Vec<String> {
    let script = home.run(&["completions", "bash"]).ok().stdout;
    let path = home.path().join("places-setup.bash");
    std::fs::write(&path, script).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let driver = format!(
        r#"source '{}'
spec=$(complete -p places-setup) || exit 9
function=$(printf '%s' "$spec" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
COMP_WORDS=({})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
"$function" places-setup "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        path.display(),
        quoted.join(" ")
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &driver])
        .envs(home.environment())
        .env("PATH", path_with_binary())
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// PATH with the folder of the built binary first: the script calls `places-setup` from PATH.
fn path_with_binary() -> std::ffi::OsString {
    let binary = assert_cmd::cargo::cargo_bin("places-setup");
    let folder = binary.parent().expect("the binary's folder").to_path_buf();
    let outer = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(folder).chain(std::env::split_paths(&outer)))
        .expect("a PATH")
}

#[test]
fn bash_completes_subcommands_and_saved_profiles() {
    let home = Home::new();
    let commands = bash_completes(&home, &["places-setup", ""]);
    for expected in [
        "token",
        "profile",
        "exec",
        "api",
        "emulator",
        "completions",
        "man",
    ] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected} in {commands:?}"
        );
    }
    assert!(
        !commands.iter().any(|c| c == "clipboard-holder"),
        "{commands:?}"
    );
    assert_eq!(bash_completes(&home, &["places-setup", "pro"]), ["profile"]);
    assert_eq!(
        bash_completes(&home, &["places-setup", "profile", "re"]),
        ["remove"]
    );
    // No profiles yet: nothing to offer.
    assert_eq!(
        bash_completes(&home, &["places-setup", "--profile", ""]),
        Vec::<String>::new()
    );
    home.oauth_profile();
    home.oauth_profile_named("staging");
    assert_eq!(
        bash_completes(&home, &["places-setup", "--profile", ""]),
        ["default", "staging"]
    );
    assert_eq!(
        bash_completes(&home, &["places-setup", "token", "--profile", "st"]),
        ["staging"]
    );
    // The profiles first; then, as clap offers them there, the global flags.
    let names = bash_completes(&home, &["places-setup", "profile", "use", ""]);
    assert_eq!(names[..2], ["default", "staging"], "{names:?}");
    assert!(names[2..].iter().all(|n| n.starts_with("--")), "{names:?}");
}

#[test]
fn every_shell_gets_a_script_that_asks_places_setup() {
    let home = Home::new();
    let binary = assert_cmd::cargo::cargo_bin("places-setup");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = home.run(&["completions", shell]).ok().stdout;
        assert!(
            script.contains("PLACES_SETUP_COMPLETE"),
            "{shell}: {script}"
        );
        // Called from PATH, not where this binary happens to be (gone after `cargo clean`).
        assert!(
            !script.contains(&*binary.to_string_lossy()),
            "{shell}: {script}"
        );
        assert!(script.contains("places-setup"), "{shell}: {script}");
    }
    // The variable's own way of asking for the script says the same.
    let script = home
        .run_env(&[], &[("PLACES_SETUP_COMPLETE", "bash")])
        .ok()
        .stdout;
    assert!(script.contains("complete "), "{script}");
    assert!(!script.contains(&*binary.to_string_lossy()), "{script}");
    home.run(&["completions", "tcsh"]).fails(2);
}

#[test]
fn man_renders_the_page() {
    let home = Home::new();
    let page = home.run(&["man"]).ok().stdout;
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
    let path = home.path().join("places-setup.1");
    std::fs::write(&path, page).unwrap();
    let out = Command::new("man")
        .args(["-P", "cat", "-l"])
        .arg(&path)
        .env("MANWIDTH", "80")
        .output()
        .expect("man runs (scripts/setup --for-tests installs man-db)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for section in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "SUBCOMMANDS",
        "ENVIRONMENT",
        "EXAMPLES",
        "EXIT STATUS",
    ] {
        assert!(
            text.contains(&format!("\n{section}\n")),
            "{section}:\n{text}"
        );
    }
    assert!(text.contains("places-setup-profile(1)"), "{text}");
    assert!(!text.contains("places-setup-help(1)"), "{text}");
    let environment = text
        .split("\nENVIRONMENT\n")
        .nth(1)
        .and_then(|rest| rest.split("\nEXAMPLES\n").next())
        .unwrap_or_default();
    for (name, _) in places_setup::environment::DOCUMENTED {
        assert!(
            environment.lines().any(|line| line.trim() == name),
            "{name}:\n{environment}"
        );
    }
    for name in ["PLACES_SETUP_CLIENT_SECRET", "XDG_CONFIG_HOME"] {
        assert!(environment.contains(name), "{name}");
    }
    assert!(
        text.contains("  130   interrupted (Ctrl-C); 143 terminated (SIGTERM)"),
        "{text}"
    );
}

#[test]
fn man_dir_is_created_and_never_writes_through_a_planted_symlink() {
    let home = Home::new();
    let fresh = home.path().join("share/man/man1");
    home.run(&["man", "--dir", fresh.to_str().unwrap()]).ok();
    for page in ["places-setup.1", "places-setup-token.1"] {
        assert!(fresh.join(page).is_file(), "{page} missing");
    }

    // Another hand planted links under the pages' names, pointing at files worth keeping.
    let planted = home.path().join("planted");
    std::fs::create_dir(&planted).unwrap();
    let (config, bashrc) = (home.path().join("config.toml"), home.path().join(".bashrc"));
    std::fs::write(&config, "keep = 1\n").unwrap();
    std::fs::write(&bashrc, "alias ls=ls\n").unwrap();
    std::os::unix::fs::symlink(&config, planted.join("places-setup.1")).unwrap();
    std::os::unix::fs::symlink(&bashrc, planted.join("places-setup-token.1")).unwrap();
    home.run(&["man", "--dir", planted.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "keep = 1\n");
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), "alias ls=ls\n");
    for page in ["places-setup.1", "places-setup-token.1"] {
        let meta = std::fs::symlink_metadata(planted.join(page)).unwrap();
        assert!(meta.is_file(), "{page} is still a link");
        let text = std::fs::read_to_string(planted.join(page)).unwrap();
        assert!(text.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    }
}
