//! Welcome, prerequisites, the Console screens, import and migration.
use super::*;
use crossterm::event::KeyCode;

#[test]
fn welcome_offers_new_integrations_and_starts_them() {
    let mut m = model();
    assert_eq!(
        m.choices(),
        vec![
            Choice::New(Auth::Oauth),
            Choice::Import,
            Choice::New(Auth::Jwt)
        ]
    );
    assert_eq!(
        m.welcome.choice, 0,
        "the cursor starts on OAuth Server-to-Server"
    );
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.step, m.auth()), (Step::Prerequisites, Auth::Oauth));
    assert_eq!(
        m.prerequisites()[1].title,
        "You are a user on a product profile of Adobe Experience Platform",
        "today's checklist"
    );
    update(&mut m, key(KeyCode::Esc));
    choose(&mut m, Choice::New(Auth::Jwt));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.step, m.auth()), (Step::Prerequisites, Auth::Jwt));
    assert!(
        m.prerequisites()[0].title.contains("Places Core Service"),
        "the original guide's checklist"
    );
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Welcome);
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.quit, "back from later screens, Esc first warns");
    update(&mut m, key(KeyCode::Esc));
    assert!(m.quit, "and a second Esc on the first screen leaves");
}

#[test]
fn rerun_refreshes_and_copies_in_one_key_press() {
    let mut m = Model::new(start(vec![saved_profile()]));
    assert_eq!(m.choices()[0], Choice::Refresh("default".into()));
    let effects = update(&mut m, key(KeyCode::Enter));
    let [
        Effect::Refresh {
            request, profile, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(profile, "default");
    assert_eq!(m.step, Step::Exchange);
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request: *request,
            result: Ok(token_info()),
        },
    );
    assert_eq!(m.step, Step::Token);
    assert!(
        matches!(effects.as_slice(), [Effect::Copy { .. }]),
        "copied at once: {effects:?}"
    );
    assert_eq!(
        m.credentials.client_id.text(),
        CLIENT,
        "the profile's IDs are known for verify"
    );
}

#[test]
fn prerequisites_tick_and_ask_once() {
    let mut m = model();
    choose(&mut m, Choice::New(Auth::Jwt));
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, key(KeyCode::Char(' ')));
    assert!(m.checklist.ticked[0]);
    update(&mut m, key(KeyCode::Char(' ')));
    assert!(!m.checklist.ticked[0]);
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Prerequisites, "unticked items ask first");
    assert!(m.checklist.unticked_warned);
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::KeyFiles, "asked once only");
    assert!(matches!(effects.as_slice(), [Effect::CheckExisting { .. }]));
}

#[test]
fn oauth_has_its_console_screen_and_skips_the_key_pair() {
    let mut m = model();
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Console);
    assert_eq!(m.position(), Some((2, 5)));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(
        m.credential_fields(),
        vec![
            CredentialField::OrgId,
            CredentialField::ClientId,
            CredentialField::ClientSecret,
            CredentialField::Scopes
        ]
    );
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Console);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Prerequisites);
}

#[test]
fn oauth_help_never_speaks_of_a_certificate_or_technical_account() {
    for step in [
        Step::Prerequisites,
        Step::Console,
        Step::Credentials,
        Step::Exchange,
        Step::Token,
        Step::Import,
    ] {
        let text = crate::wizard::view::help_text(step, Auth::Oauth).to_lowercase();
        assert!(!text.is_empty(), "{step:?}");
        for word in ["technical account", "certificate", "key pair is made"] {
            assert!(
                !text.contains(word),
                "{step:?} help mentions {word}: {text}"
            );
        }
    }
}

fn console_project(names: &[&str]) -> crate::session::ConsoleProject {
    let credentials = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            serde_json::json!({"name": name, "integration_type": "oauth_server_to_server",
                "oauth_server_to_server": {"client_id": format!("{i}123456789abcdef0123456789abcdef")[..32].to_string(),
                  "client_secrets": ["p8e-imported"], "scopes": ["openid", "AdobeID"]}})
        })
        .collect::<Vec<_>>();
    let text = serde_json::json!({"project": {"org": {"ims_org_id": ORG},
        "workspace": {"details": {"credentials": credentials}}}});
    crate::session::parse_console_json(&text.to_string(), "p.json").unwrap()
}

/// Welcome → import, the file named and read; returns the read request.
fn import_file(m: &mut Model) -> u64 {
    choose(m, Choice::Import);
    update(m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Import);
    let effects = update(m, key(KeyCode::Enter));
    assert!(
        effects.is_empty() && m.import.error.is_some(),
        "a file is needed"
    );
    type_text(m, "~/p.json");
    let effects = update(m, key(KeyCode::Enter));
    let [Effect::ReadConsoleJson { request, path }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(path, "~/p.json");
    *request
}

#[test]
fn import_with_one_credential_fills_the_form_to_test() {
    let mut m = model();
    let request = import_file(&mut m);
    update(
        &mut m,
        Msg::ConsoleRead {
            request,
            result: Ok(console_project(&["only"])),
        },
    );
    assert_eq!((m.step, m.auth()), (Step::Credentials, Auth::Oauth));
    assert_eq!(m.position(), Some((2, 4)));
    assert_eq!(m.credentials.org_id.text(), ORG);
    assert_eq!(
        m.credentials.client_id.text(),
        "0123456789abcdef0123456789abcdef"
    );
    assert_eq!(m.credentials.client_secret.text(), "p8e-imported");
    assert_eq!(m.credentials.scopes.text(), "openid,AdobeID");
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { draft, .. }, ..] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.profile.auth(), Auth::Oauth);
    let crate::session::Credential::Oauth(oauth) = &draft.profile.credential else {
        panic!("{draft:?}")
    };
    assert_eq!(oauth.scopes, vec!["openid", "AdobeID"]);
}

#[test]
fn import_with_several_credentials_offers_a_list() {
    let mut m = model();
    let request = import_file(&mut m);
    update(
        &mut m,
        Msg::ConsoleRead {
            request,
            result: Ok(console_project(&["first", "second"])),
        },
    );
    assert_eq!(m.step, Step::Import, "a choice first");
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(
        m.credentials.client_id.text(),
        "1123456789abcdef0123456789abcdef"
    );
    assert!(m.imported_from().unwrap().contains("\"second\""));
}

#[test]
fn import_errors_stay_on_the_screen_and_stale_reads_are_dropped() {
    let mut m = model();
    let request = import_file(&mut m);
    update(
        &mut m,
        Msg::ConsoleRead {
            request,
            result: Err("p.json is not valid JSON: EOF at line 3 column 1".into()),
        },
    );
    assert_eq!(m.step, Step::Import);
    assert!(
        m.import
            .error
            .as_deref()
            .unwrap()
            .contains("line 3 column 1")
    );
    update(
        &mut m,
        Msg::ConsoleRead {
            request,
            result: Ok(console_project(&[])),
        },
    );
    assert!(
        m.import
            .error
            .as_deref()
            .unwrap()
            .contains("no OAuth Server-to-Server credential"),
        "{:?}",
        m.import.error
    );
    update(
        &mut m,
        Msg::ConsoleRead {
            request: request + 100,
            result: Ok(console_project(&["late"])),
        },
    );
    assert_eq!(m.step, Step::Import, "an answer to no request is dropped");
}

#[test]
fn o_on_a_saved_jwt_profile_migrates_it_through_the_session() {
    let mut m = Model::new(start(vec![saved_profile()]));
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Refresh { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut m,
        Msg::Exchanged {
            request: *request,
            result: Err(Failure {
                message: "IMS refused the token request: internal_error (HTTP 500)".into(),
                hint: None,
                field: None,
                certificate: false,
                suggest_oauth: true,
                cause: Cause::Other,
            }),
        },
    );
    let refused = crate::wizard::screen_tests::screen(&m);
    assert!(
        refused.contains("press o to carry the profile across"),
        "the footer's o, in words:\n{refused}"
    );
    update(&mut m, key(KeyCode::Char('o')));
    assert_eq!((m.step, m.auth()), (Step::Credentials, Auth::Oauth));
    let form = crate::wizard::screen_tests::screen(&m);
    assert!(
        !form.contains("Ctrl-R"),
        "no secret to reveal on the scopes-only form:\n{form}"
    );
    assert_eq!(
        m.credential_fields(),
        vec![CredentialField::Scopes],
        "only the scopes are asked"
    );
    type_text(&mut m, "openid,AdobeID");
    let effects = update(&mut m, key(KeyCode::Enter));
    let [
        Effect::Migrate {
            request,
            profile,
            scopes,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (profile.as_str(), scopes.clone()),
        ("default", vec!["openid".to_string(), "AdobeID".to_string()])
    );
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request: *request,
            result: Ok(token_info()),
        },
    );
    assert_eq!(m.step, Step::Token);
    assert!(
        matches!(effects.as_slice(), [Effect::Copy { .. }]),
        "saved by the session, copied here"
    );
    let shown = crate::wizard::screen_tests::screen(&m);
    assert!(shown.contains("is OAuth Server-to-Server now"), "{shown}");
    // Back on Welcome, the profile is listed as what it is now.
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Welcome);
    let listed = m.profiles.iter().find(|p| p.name == "default").unwrap();
    assert_eq!((listed.auth, listed.untested), (Auth::Oauth, false));
}

#[test]
fn an_optional_prerequisite_left_unticked_warns_of_nothing() {
    let mut m = model();
    choose(&mut m, Choice::New(Auth::Oauth));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Prerequisites);
    let optional: Vec<bool> = m.prerequisites().iter().map(|p| p.optional).collect();
    assert!(
        optional.contains(&true),
        "the mobile SDK's item is optional"
    );
    // Every required item ticked, the optional one not: Enter goes straight on.
    for (i, optional) in optional.iter().enumerate() {
        m.checklist.focus = i;
        if !optional {
            update(&mut m, key(KeyCode::Char(' ')));
        }
    }
    update(&mut m, key(KeyCode::Enter));
    assert!(!m.checklist.unticked_warned);
    assert_eq!(m.step, Step::Console);
}

#[test]
fn welcome_has_no_step_count_and_each_way_counts_its_own_steps_from_one() {
    let mut m = model();
    assert_eq!(m.position(), None);
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.step, m.position()), (Step::Prerequisites, Some((1, 5))));
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(
        (m.step, m.position()),
        (Step::Welcome, None),
        "the way left behind is not counted on Welcome"
    );
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.step, m.auth()), (Step::Prerequisites, Auth::Jwt));
    assert_eq!(m.position(), Some((1, 7)));
}
