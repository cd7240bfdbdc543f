//! `update` tests for the wizard off its straight path: files that appear under the chosen
//! names, `~` in the key folder, how the wizard ends, drafts, and what the forms tell apart.
use super::model::tests::*;
use super::model::*;
use crossterm::event::KeyCode;
use std::path::PathBuf;

fn check_request(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::CheckExisting { request, .. }, ..] => *request,
        other => panic!("what exists is checked again: {other:?}"),
    }
}

#[test]
fn a_pasted_folder_is_checked_and_an_existing_pair_offers_the_choice() {
    let mut m = model();
    let first = at_key_files(&mut m);
    update(
        &mut m,
        Msg::ExistingChecked {
            request: first,
            existing: Existing::None,
        },
    );
    clear(&mut m);
    let effects = update(&mut m, Msg::Paste("/srv/keys".into()));
    let request = check_request(&effects);
    assert_eq!(
        m.key_files.existing,
        Existing::Unknown,
        "the old answer no longer applies"
    );
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::KeyFiles, "Enter waits for the check");
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    assert_eq!(m.step, Step::KeyFiles, "the choice is shown, not skipped");
    assert_eq!(m.key_files.write_mode, WriteMode::UseExisting);
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Generating);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::WritePair {
                mode: WriteMode::UseExisting,
                ..
            }]
        ),
        "{effects:?}"
    );
}

#[test]
fn coming_back_after_the_pair_was_written_checks_again_and_never_loops() {
    let mut m = model();
    at_subject(&mut m);
    // Esc from the subject form: the folder is checked again on arrival.
    let effects = update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::KeyFiles);
    let request = check_request(&effects);
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(
        m.step,
        Step::Generating,
        "the pair written is used, not rewritten"
    );

    // A write refused because files appeared in between goes back to a fresh check and the choice.
    m.step = Step::Generating;
    m.pair.written = None;
    m.pair.error = Some("keys/x_private.key already exists; nothing was changed".into());
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::KeyFiles);
    check_request(&effects);
}

#[test]
fn a_tilde_is_the_home_folder_and_paths_are_absolute() {
    let mut s = start(vec![]);
    s.home = Some(PathBuf::from("/home/ann"));
    s.cwd = Some(PathBuf::from("/home/ann/project"));
    let mut m = Model::new(s);
    for (typed, folder) in [
        ("~/mykeys", "/home/ann/mykeys"),
        ("~", "/home/ann"),
        ("~/", "/home/ann"),
        ("keys", "/home/ann/project/keys"),
        ("/abs/k", "/abs/k"),
        ("~ann/k", "/home/ann/project/~ann/k"),
    ] {
        m.key_files.dir.set(typed);
        assert_eq!(m.key_folder(), PathBuf::from(folder), "{typed}");
    }
    m.key_files.dir.set("~/mykeys");
    assert_eq!(
        m.pair_paths().certificate,
        PathBuf::from("/home/ann/mykeys/places_integration_test_public.crt")
    );
}

#[test]
fn the_exit_status_says_how_the_wizard_ended() {
    let mut m = model();
    update(&mut m, ctrl('c'));
    assert!(m.quit);
    assert_eq!(m.exit_code, INTERRUPTED);
    for code in [TERMINATED, HANGUP] {
        let mut m = model();
        update(&mut m, Msg::Ended(code));
        assert!(m.quit);
        assert_eq!(m.exit_code, code);
    }
    let mut m = model();
    update(&mut m, key(KeyCode::Char('q')));
    assert!(m.quit);
    assert_eq!(m.exit_code, 0, "leaving the welcome screen by choice");
}

#[test]
fn ctrl_z_asks_for_a_stop_on_every_screen_and_changes_nothing_else() {
    let mut m = model();
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, key(KeyCode::Char(' ')));
    let step = m.step;
    let ticked = m.checklist.ticked.clone();
    assert!(update(&mut m, ctrl('z')).is_empty());
    assert!(m.suspend && !m.quit);
    assert_eq!((m.step, &m.checklist.ticked), (step, &ticked));
    // Even with help open or the terminal too small, where other keys are ignored.
    let mut m = model();
    update(&mut m, key(KeyCode::F(1)));
    update(&mut m, ctrl('z'));
    assert!(m.suspend && m.help_open);
    let mut m = model();
    update(&mut m, Msg::Resize(40, 10));
    update(&mut m, ctrl('z'));
    assert!(m.suspend);
}

/// The refusal IMS gives a wrong secret on a JWT profile named "staging", as the runner words it.
fn wrong_secret_refusal() -> Failure {
    use crate::session::{Credential, ImsError, JwtCredential, Profile, SecretStore};
    let ims = ImsError {
        status: 401,
        code: "invalid_client".into(),
        description: "invalid client_secret parameter".into(),
        debug_id: Some("7f3c0a".into()),
        server_date: None,
        path: "/ims/exchange/jwt".into(),
    };
    let profile = Profile {
        org_id: ORG.into(),
        client_id: CLIENT.into(),
        ims_url: String::new(),
        secret_store: SecretStore::File,
        untested: false,
        places_url: None,
        places: None,
        credential: Credential::Jwt(JwtCredential {
            technical_account_id: TECH.into(),
            private_key: "keys/p_private.key".into(),
            certificate: None,
            metascopes: vec!["ent_places_sdk".to_string()],
        }),
    };
    Failure::from(crate::session::explain_refusal(
        &"staging".into(),
        &profile,
        &ims,
    ))
}

#[test]
fn a_long_refusal_names_wizard_keys_first_and_scrolls_without_breaking_commands() {
    use super::screen_tests::screen;
    for (width, height) in [(80u16, 24u16), (100, 30)] {
        let mut m = model();
        update(&mut m, Msg::Resize(width, height));
        failed(&mut m, wrong_secret_refusal());
        let first = screen(&m);
        let keys = first.find("press e to paste the secret again");
        let oauth = first.find("press o to switch to OAuth Server-to-Server");
        assert!(keys.is_some() && oauth.is_some(), "{first}");
        if let Some(shell) = first.find("Later, from a shell") {
            assert!(
                keys < Some(shell),
                "wizard keys come before shell commands:\n{first}"
            );
        }
        // Everything, scrolled through page by page: each command whole, on lines ending in `\`.
        let mut seen = String::new();
        let mut last = String::new();
        for _ in 0..10 {
            let s = screen(&m);
            seen.push_str(&s);
            if s == last {
                break;
            }
            last = s;
            update(&mut m, key(KeyCode::PageDown));
        }
        assert!(
            seen.contains("more below") || super::view::scroll_max(&m) == 0,
            "{seen}"
        );
        assert!(seen.contains("Later, from a shell:"), "{seen}");
        assert!(
            seen.contains("places-setup --profile staging init --client-secret-stdin"),
            "{seen}"
        );
        // The switch command, joined back from its continuation lines, is whole.
        let lines: Vec<&str> = last.lines().collect();
        let start = lines
            .iter()
            .position(|l| l.contains("migrate --scopes"))
            .unwrap_or_else(|| panic!("the switch command is shown at the end:\n{last}"));
        let mut command = String::new();
        for l in &lines[start..] {
            let l = l.trim_matches(|c| c == '"' || c == ' ');
            let more = l.ends_with('\\');
            command.push_str(l.trim_end_matches('\\').trim());
            command.push(' ');
            if !more {
                break;
            }
        }
        assert!(
            command.contains("places-setup --profile staging migrate --scopes SCOPES"),
            "{width}x{height}: {command}"
        );
        update(&mut m, key(KeyCode::PageUp));
        update(&mut m, key(KeyCode::Up));
        assert!(
            m.exchange.scroll < super::view::scroll_max(&m) || super::view::scroll_max(&m) == 0
        );
    }
}

fn summary(name: &str, untested: bool) -> ProfileSummary {
    ProfileSummary {
        name: name.into(),
        untested,
        ..saved_profile()
    }
}

#[test]
fn the_cursor_starts_on_the_profile_named_and_enter_refreshes_it() {
    let mut s = start(vec![summary("default", false), summary("eu", false)]);
    s.profile_name = "eu".into();
    let mut m = Model::new(s);
    assert_eq!(m.choices()[m.welcome.choice], Choice::Refresh("eu".into()));
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Refresh { profile, .. }] if profile == "eu"),
        "{effects:?}"
    );
    // A profile name not saved yet: a new integration, saved under it.
    let mut s = start(vec![summary("default", false)]);
    s.profile_name = "staging".into();
    let mut m = Model::new(s);
    assert_eq!(
        m.choices()[m.welcome.choice],
        Choice::New(crate::session::Auth::Oauth),
        "else on OAuth Server-to-Server"
    );
    update(&mut m, key(KeyCode::Down));
    at_credentials_from_here(&mut m);
    fill_credentials(&mut m);
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Exchange { draft, .. }, Effect::SaveDraft { .. }] if draft.name == "staging"),
        "{effects:?}"
    );
}

/// From the welcome screen's cursor (a new JWT integration) to the credentials.
fn at_credentials_from_here(m: &mut Model) {
    m.welcome.choice = m
        .choices()
        .iter()
        .position(|c| *c == Choice::New(crate::session::Auth::Jwt))
        .unwrap();
    update(m, key(KeyCode::Enter));
    update(m, key(KeyCode::Enter));
    update(m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::KeyFiles);
    m.pair.written = Some(pair());
    m.step = Step::Credentials;
}

#[test]
fn a_draft_never_replaces_a_working_profile_and_is_offered_for_resuming() {
    // "default" works: trying new credentials under its name keeps no draft over it.
    let mut m = Model::new(start(vec![summary("default", false)]));
    at_credentials_from_here(&mut m);
    fill_credentials(&mut m);
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Exchange { .. }]),
        "{effects:?}"
    );

    // An untested "default": offered first, under the cursor; Enter loads it.
    let mut m = Model::new(start(vec![summary("default", true)]));
    assert_eq!(
        m.choices()[m.welcome.choice],
        Choice::Resume("default".into())
    );
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::LoadDraft { request, profile }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(profile, "default");
    let request = *request;
    let profile = crate::session::Profile {
        org_id: ORG.into(),
        client_id: CLIENT.into(),
        ims_url: "http://127.0.0.1:9".into(),
        secret_store: crate::session::SecretStore::File,
        untested: true,
        places_url: None,
        places: None,
        credential: crate::session::Credential::Jwt(crate::session::JwtCredential {
            technical_account_id: "0123456789ABCDEF01234567@techacct.adobe.com".into(),
            private_key: pair().private_key,
            certificate: Some(pair().certificate),
            metascopes: vec![],
        }),
    };
    update(
        &mut m,
        Msg::DraftLoaded {
            request,
            result: Ok(Box::new(Resumed {
                name: "default".into(),
                profile,
                client_secret: secrecy::SecretString::from("p8e-typed-before".to_string()),
                pair: Some(pair()),
            })),
        },
    );
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(m.credentials.org_id.text(), ORG);
    assert_eq!(m.credentials.client_secret.text(), "p8e-typed-before");
    assert!(m.pair.written.is_some(), "the key pair made before is used");
    let draft = super::model::draft(&m).unwrap();
    assert_eq!(
        draft.profile.ims_url, "http://127.0.0.1:9",
        "tested against the IMS it was made for"
    );
    assert_eq!(m.ims_url(), "http://127.0.0.1:9");
    update(&mut m, key(KeyCode::Esc));
    let shown = super::screen_tests::screen(&m);
    assert!(
        shown.contains("Using the existing key pair") && !shown.contains("Key pair written"),
        "not written in this run:\n{shown}"
    );
    // A draft that cannot be read says why on the welcome screen.
    let mut m = Model::new(start(vec![summary("default", true)]));
    let Some(Effect::LoadDraft { request, .. }) = update(&mut m, key(KeyCode::Enter)).pop() else {
        panic!()
    };
    update(
        &mut m,
        Msg::DraftLoaded {
            request,
            result: Err("no profile".into()),
        },
    );
    assert_eq!(m.step, Step::Welcome);
    assert_eq!(m.welcome.resume.answer.as_deref(), Some("no profile"));
}

#[test]
fn examples_are_marked_and_the_subject_to_be_written_is_shown() {
    use super::screen_tests::screen;
    let mut m = model();
    at_subject(&mut m);
    let s = screen(&m);
    assert!(s.contains("e.g. California"), "{s}");
    assert!(
        s.contains("Enter writes: CN=places_integration_test")
            && s.contains("(the default: no field typed)"),
        "the default is named before the pair is made:\n{s}"
    );
    type_text(&mut m, "US");
    let s = screen(&m);
    assert!(s.contains("Enter writes: C=US"), "{s}");
    assert!(!s.contains("the default"), "{s}");

    // An empty required field says it is empty; its example is not shown beside the error.
    let mut m = model();
    at_credentials(&mut m);
    update(&mut m, key(KeyCode::Enter));
    let s = screen(&m);
    assert!(s.contains("(empty)") && s.contains("↳ required"), "{s}");
    assert!(!s.contains("e.g. 18FB61145BAC2FFB0A494777@AdobeOrg"), "{s}");
}

#[test]
fn the_token_screen_names_its_profile_and_quotes_a_folder_a_shell_would_split() {
    use super::screen_tests::screen;
    let token_screen = |s: Start| {
        let mut m = Model::new(s);
        token_arrived(&mut m);
        update(&mut m, Msg::Resize(120, 40));
        update(&mut m, key(KeyCode::Char('u')));
        screen(&m)
    };
    let mut s = start(vec![]);
    s.profile_name = "staging".into();
    let shown = token_screen(s);
    assert!(
        shown.contains("$(places-setup --profile staging token)")
            && shown.contains("  places-setup --profile staging token"),
        "{shown}"
    );
    let mut s = start(vec![]);
    s.demo = true;
    s.demo_kept = true;
    s.config_dir = "/home/ann/my demo".into();
    let shown = token_screen(s);
    assert!(
        shown.contains("places-setup --config-dir '/home/ann/my demo' demo"),
        "{shown}"
    );
}

#[test]
fn the_demo_ends_saying_what_remains() {
    use super::screen_tests::screen;
    for kept in [false, true] {
        let mut s = start(vec![]);
        s.demo = true;
        s.demo_kept = kept;
        let mut m = Model::new(s);
        token_arrived(&mut m);
        update(&mut m, key(KeyCode::Char('u')));
        let text = screen(&m);
        assert!(!text.contains("$(places-setup token)"), "{text}");
        assert!(!text.contains("run places-setup again"), "{text}");
        if kept {
            assert!(text.contains("stops when you leave"), "{text}");
            // The folder itself, to type again: not a placeholder.
            assert!(
                text.contains("--config-dir")
                    && text.contains("/home/ann/.config/places-setup demo"),
                "{text}"
            );
        } else {
            assert!(text.contains("nothing remains"), "{text}");
            assert!(text.contains("--config-dir DIR demo"), "{text}");
        }
    }
}

#[test]
fn the_forms_say_how_to_fix_a_slip() {
    use crate::session::Auth;
    let check = |field, value: &str| check_credential(field, Auth::Jwt, value).unwrap_err();
    assert!(
        check(CredentialField::OrgId, "18FB61145BAC2FFB0A494777@adobeorg").contains("@AdobeOrg")
    );
    assert!(
        check(
            CredentialField::ClientId,
            "0123456789abcdef0123456789abcdef,"
        )
        .contains("trailing ','")
    );
    assert!(check(CredentialField::ClientSecret, "x").contains("is that the whole secret?"));
    assert_eq!(
        check(CredentialField::ClientId, "nothex"),
        "expected 32 hex characters; this has 6"
    );
    assert!(
        check(
            CredentialField::ClientId,
            "0a0a0a0a 0a0a0a0a0a0a0a0a0a0a0a0a"
        )
        .contains("space inside")
    );
    let mut m = model();
    at_key_files(&mut m);
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, " x");
    assert_eq!(
        m.key_files.name.error.as_deref(),
        Some("no spaces: use letters, digits, - _ and .")
    );
}

/// The OAuth form filled with `client`, submitted, and refused by IMS with `code` (HTTP `status`)
/// and `description`, as the runner words a refusal.
fn oauth_refused(client: &str, secret: &str, status: u16, code: &str, description: &str) -> Model {
    use crate::session::{Auth, Credential, ImsError, OauthCredential, Profile, SecretStore};
    let mut m = model();
    for _ in 0..4 {
        if m.step != Step::Credentials {
            update(&mut m, key(KeyCode::Enter));
        }
    }
    assert_eq!((m.step, m.auth()), (Step::Credentials, Auth::Oauth));
    m.credentials.org_id.set(ORG);
    m.credentials.client_id.set(client);
    m.credentials.client_secret.set(secret);
    m.credentials.scopes.set("openid,AdobeID");
    let Some(Effect::Exchange { request, .. }) =
        update(&mut m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!("the exchange is asked for")
    };
    let ims = ImsError {
        status,
        code: code.into(),
        description: description.into(),
        debug_id: None,
        server_date: None,
        path: "/ims/token/v3".into(),
    };
    let profile = Profile {
        org_id: ORG.into(),
        client_id: CLIENT.into(),
        ims_url: String::new(),
        secret_store: SecretStore::File,
        untested: true,
        places_url: None,
        places: None,
        credential: Credential::Oauth(OauthCredential {
            scopes: vec!["openid".into(), "AdobeID".into()],
            technical_account_id: None,
        }),
    };
    let failure = Failure::from(crate::session::explain_refusal(
        &"default".into(),
        &profile,
        &ims,
    ));
    update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Err(failure),
        },
    );
    m
}

#[test]
fn a_wrong_oauth_secret_is_fixed_here_not_with_a_command() {
    use super::screen_tests::screen;
    let m = oauth_refused(
        CLIENT,
        "wrong-secret",
        401,
        "invalid_client",
        "invalid client_secret parameter",
    );
    let shown = screen(&m);
    assert!(
        shown.contains("press e to paste the secret again"),
        "{shown}"
    );
    assert!(shown.contains("paste it again from the Console"), "{shown}");
    assert!(!shown.contains("client-secret-stdin"), "{shown}");
}

#[test]
fn an_unknown_client_id_names_its_field_as_labelled_and_a_capitalised_one_is_explained() {
    use super::screen_tests::screen;
    let upper = CLIENT.to_ascii_uppercase();
    let m = oauth_refused(
        &upper,
        "p8e-0123456789abcdef",
        400,
        "invalid_client",
        "invalid client_id parameter",
    );
    let mut m = m;
    update(&mut m, Msg::Resize(120, 40));
    let shown = screen(&m);
    assert!(
        shown.contains("press e to correct the client ID (API key)"),
        "{shown}"
    );
    assert!(shown.contains("client IDs in lowercase"), "{shown}");
    let mut lower = oauth_refused(
        CLIENT,
        "p8e-0123456789abcdef",
        400,
        "invalid_client",
        "invalid client_id parameter",
    );
    update(&mut lower, Msg::Resize(120, 40));
    assert!(!screen(&lower).contains("lowercase"));
}
