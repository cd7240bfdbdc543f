//! `init --console-json`: the project JSON the Developer Console downloads, imported as an OAuth
//! Server-to-Server profile; made-up files with one, two and no such credential, broken ones.
mod common;
use common::*;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/console/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn config(home: &Home) -> String {
    std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap_or_default()
}

#[test]
fn one_credential_is_imported_and_gets_a_token() {
    let home = Home::new();
    home.emulator.add_oauth_credential(oauth_credential(CLIENT));
    let file = fixture("one.json");
    let run = home.call(&["init", "--console-json", &file]).ok();
    run.stderr_has("from credential \"Places S2S\"")
        .stderr_has("holds the client secret in clear: delete it");
    let saved = config(&home);
    assert!(saved.contains("auth = \"oauth\""), "{saved}");
    assert!(saved.contains(ORG) && saved.contains(CLIENT) && saved.contains(TECH));
    assert!(saved.contains("\"openid\",") && saved.contains("read_organizations"));
    assert_eq!(
        std::fs::read_to_string(home.config_dir().join("profiles/default/client_secret")).unwrap(),
        SECRET
    );
    let token = home.call(&["token", "--json"]).ok();
    assert!(
        token.stdout.contains("\"source\": \"ims\""),
        "{}",
        token.stdout
    );
    let request = home.emulator.last_request("/ims/token/v3").unwrap();
    assert_eq!(request.field("scope"), Some(OAUTH_SCOPES));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let home = Home::new();
    let text = std::fs::read_to_string(fixture("one.json")).unwrap();
    home.call_with_stdin(&["init", "--console-json", "-"], &text)
        .ok()
        .stderr_has("of standard input");
    assert!(config(&home).contains(CLIENT));
}

#[test]
fn several_credentials_are_chosen_by_name() {
    let home = Home::new();
    let file = fixture("two.json");
    home.call(&["init", "--console-json", &file])
        .fails(2)
        .stderr_has("holds 2 OAuth Server-to-Server credentials")
        .stderr_has("--credential NAME: \"Places S2S\", \"Places staging\"");
    assert!(!home.config_dir().join("config.toml").exists());
    home.call(&[
        "init",
        "--console-json",
        &file,
        "--credential",
        "Places staging",
    ])
    .ok();
    assert!(config(&home).contains(OTHER_CLIENT));
    home.call(&["init", "--console-json", &file, "--credential", "nope"])
        .fails(2)
        .stderr_has("no OAuth Server-to-Server credential named \"nope\"");
}

#[test]
fn a_file_without_one_names_what_it_holds() {
    let home = Home::new();
    home.call(&["init", "--console-json", &fixture("none.json")])
        .fails(2)
        .stderr_has("holds no OAuth Server-to-Server credential (only Legacy JWT (service))");
}

#[test]
fn broken_files_are_refused_and_nothing_is_lost() {
    let home = Home::new();
    home.oauth_profile();
    let before = snapshot(&home.config_dir(), &[]);
    home.call(&["init", "--console-json", &fixture("malformed.json")])
        .fails(2)
        .stderr_has("is not valid JSON")
        .stderr_has("at line 17 column 25");
    home.call(&["init", "--console-json", &fixture("wrong_types.json")])
        .fails(2)
        .stderr_has("client_secrets is a string, expected an array");
    home.run(&["init", "--console-json", "missing.json"])
        .fails(1)
        .stderr_has("missing.json");
    assert!(changed(&before, &snapshot(&home.config_dir(), &[])).is_empty());
}

#[test]
fn the_flags_it_replaces_are_refused_beside_it() {
    let home = Home::new();
    home.call(&[
        "init",
        "--console-json",
        &fixture("one.json"),
        "--scopes",
        "openid",
    ])
    .fails(2)
    .stderr_has("cannot be used with");
}
