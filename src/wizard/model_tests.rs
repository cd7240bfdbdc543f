//! `update` tests: every screen's transitions, validation, paste cleaning, stale results dropped.
use super::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

pub(crate) const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
pub(crate) const CLIENT: &str = "0123456789abcdef0123456789abcdef";
const TECH: &str = "0123456789ABCDEF01234567@techacct.adobe.com";

pub(crate) fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

pub(crate) fn start(profiles: Vec<ProfileSummary>) -> Start {
    Start {
        demo: false,
        demo_kept: false,
        color: true,
        ims_url: "https://ims-na1.adobelogin.com".into(),
        places_url: "https://api-places.adobe.io/places/placesapi/v1".into(),
        profile_name: "default".into(),
        profiles,
        prerequisites: crate::wizard::prerequisites(),
        key_dir: "keys".into(),
        home: None,
        cwd: None,
        size: (80, 24),
        now: now(),
        demo_values: None,
    }
}

pub(crate) fn model() -> Model {
    Model::new(start(vec![]))
}

pub(crate) fn saved_profile() -> ProfileSummary {
    ProfileSummary {
        name: "default".into(),
        auth: Auth::Jwt,
        org_id: ORG.into(),
        client_id: CLIENT.into(),
        token_expires_at: Some(now() - Duration::from_secs(60)),
        certificate_expires_at: Some(now() + Duration::from_secs(200 * 86_400)),
        untested: false,
    }
}

pub(crate) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(crate) fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub(crate) fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

pub(crate) fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        update(m, key(KeyCode::Char(c)));
    }
}

pub(crate) fn clear(m: &mut Model) {
    update(m, ctrl('u'));
}

pub(crate) fn token_info() -> TokenInfo {
    TokenInfo {
        token_type: "bearer".into(),
        access_token: SecretString::from("eyJ.payload.sig".to_string()),
        expires_at: now() + Duration::from_secs(86_399),
        from_cache: false,
    }
}

/// Moves the welcome screen's cursor to `choice`.
pub(crate) fn choose(m: &mut Model, choice: Choice) {
    for _ in 0..m.choices.len() {
        if m.choices[m.choice] == choice {
            return;
        }
        update(m, key(KeyCode::Down));
    }
    panic!("{choice:?} is not offered: {:?}", m.choices);
}

/// Welcome → (the original guide's JWT) prerequisites (all ticked) → key files, with the
/// existence check answered.
pub(crate) fn at_key_files(m: &mut Model) -> u64 {
    choose(m, Choice::New(Auth::Jwt));
    update(m, key(KeyCode::Enter));
    for _ in 0..m.prerequisites.len() {
        update(m, key(KeyCode::Char(' ')));
        update(m, key(KeyCode::Down));
    }
    let effects = update(m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::KeyFiles);
    let Some(Effect::CheckExisting { request, .. }) = effects.into_iter().next() else {
        panic!("existence is checked")
    };
    request
}

/// …→ subject form, with the key being generated; returns the keygen request.
pub(crate) fn at_subject(m: &mut Model) -> u64 {
    let request = at_key_files(m);
    update(
        m,
        Msg::ExistingChecked {
            request,
            existing: Existing::None,
        },
    );
    let effects = update(m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Subject);
    match effects.as_slice() {
        [Effect::GenerateKey { request }] => *request,
        other => panic!("key generation starts when the folder is chosen: {other:?}"),
    }
}

pub(crate) fn pair() -> PairInfo {
    PairInfo {
        private_key: "keys/p_private.key".into(),
        certificate: "keys/p_public.crt".into(),
        key_mode: 0o600,
        certificate_mode: 0o644,
        fingerprint: "AB".into(),
        expires_at: now() + Duration::from_secs(365 * 86_400),
        backups: vec![],
        registered: false,
    }
}

pub(crate) fn at_credentials(m: &mut Model) {
    let keygen = at_subject(m);
    update(
        m,
        Msg::KeyGenerated {
            request: keygen,
            result: Ok(Arc::new(crate::cert::generate_key().unwrap())),
        },
    );
    let effects = update(m, key(KeyCode::Enter));
    let Some(Effect::WritePair { request, .. }) = effects.into_iter().next() else {
        panic!("pair written")
    };
    update(
        m,
        Msg::PairWritten {
            request,
            result: Ok(pair()),
        },
    );
    update(m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Credentials);
}

pub(crate) fn fill_credentials(m: &mut Model) {
    for value in [ORG, CLIENT, TECH, "p8e-secret"] {
        type_text(m, value);
        update(m, key(KeyCode::Tab));
    }
}

#[test]
fn welcome_offers_new_integrations_and_starts_them() {
    let mut m = model();
    assert_eq!(
        m.choices,
        vec![
            Choice::New(Auth::Oauth),
            Choice::Import,
            Choice::New(Auth::Jwt)
        ]
    );
    assert_eq!(m.choice, 0, "the cursor starts on OAuth Server-to-Server");
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.step, m.auth), (Step::Prerequisites, Auth::Oauth));
    assert_eq!(
        m.prerequisites[1].title,
        "You are a user on a product profile of Adobe Experience Platform",
        "today's checklist"
    );
    update(&mut m, key(KeyCode::Esc));
    choose(&mut m, Choice::New(Auth::Jwt));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!((m.step, m.auth), (Step::Prerequisites, Auth::Jwt));
    assert!(
        m.prerequisites[0].title.contains("Places Core Service"),
        "the original guide's checklist"
    );
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Welcome);
    update(&mut m, key(KeyCode::Esc));
    assert!(m.quit, "Esc on the first screen leaves");
}

#[test]
fn rerun_refreshes_and_copies_in_one_key_press() {
    let mut m = Model::new(start(vec![saved_profile()]));
    assert_eq!(m.choices[0], Choice::Refresh("default".into()));
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Refresh { request, profile }] = effects.as_slice() else {
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
        matches!(effects.as_slice(), [Effect::Copy(_)]),
        "copied at once: {effects:?}"
    );
    assert_eq!(
        m.client_id.text(),
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
    assert!(m.ticked[0]);
    update(&mut m, key(KeyCode::Char(' ')));
    assert!(!m.ticked[0]);
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Prerequisites, "unticked items ask first");
    assert!(m.unticked_warned);
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
    assert_eq!(m.position(), (3, 6));
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

fn console_project(names: &[&str]) -> crate::console::ConsoleProject {
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
    crate::console::parse(&text.to_string(), "p.json").unwrap()
}

/// Welcome → import, the file named and read; returns the read request.
fn import_file(m: &mut Model) -> u64 {
    choose(m, Choice::Import);
    update(m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Import);
    let effects = update(m, key(KeyCode::Enter));
    assert!(
        effects.is_empty() && m.import_error.is_some(),
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
    assert_eq!((m.step, m.auth), (Step::Credentials, Auth::Oauth));
    assert_eq!(m.position(), (3, 5));
    assert_eq!(m.org_id.text(), ORG);
    assert_eq!(m.client_id.text(), "0123456789abcdef0123456789abcdef");
    assert_eq!(m.client_secret.text(), "p8e-imported");
    assert_eq!(m.scopes.text(), "openid,AdobeID");
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { draft, .. }, ..] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.profile.auth, Auth::Oauth);
    assert_eq!(draft.profile.scopes, vec!["openid", "AdobeID"]);
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
    assert_eq!(m.client_id.text(), "1123456789abcdef0123456789abcdef");
    assert!(m.imported_from.as_deref().unwrap().contains("\"second\""));
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
        m.import_error
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
        m.import_error
            .as_deref()
            .unwrap()
            .contains("no OAuth Server-to-Server credential"),
        "{:?}",
        m.import_error
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
            }),
        },
    );
    update(&mut m, key(KeyCode::Char('o')));
    assert_eq!((m.step, m.auth), (Step::Credentials, Auth::Oauth));
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
        matches!(effects.as_slice(), [Effect::Copy(_)]),
        "saved by the session, copied here"
    );
}

#[test]
fn key_files_check_names_and_existing_pairs() {
    let mut m = model();
    let first = at_key_files(&mut m);
    update(&mut m, key(KeyCode::Tab));
    clear(&mut m);
    type_text(&mut m, "../x");
    assert!(m.key_name.error.is_some(), "checked as typed");
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(m.step, Step::KeyFiles);
    clear(&mut m);
    let effects = type_and_last_effects(&mut m, "prod");
    let Some(Effect::CheckExisting { request, name, .. }) = effects.into_iter().last() else {
        panic!()
    };
    assert_eq!(name, "prod");
    // The answer to an older name is stale.
    update(
        &mut m,
        Msg::ExistingChecked {
            request: first,
            existing: Existing::MatchingPair,
        },
    );
    assert_eq!(m.existing, Existing::Unknown);
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    assert_eq!(
        m.write_mode,
        WriteMode::UseExisting,
        "a matching pair is used by default"
    );
    update(&mut m, alt('r'));
    assert_eq!(m.write_mode, WriteMode::Replace);
    update(&mut m, alt('u'));
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Generating, "nothing to generate");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::WritePair {
                mode: WriteMode::UseExisting,
                key: None,
                ..
            }]
        ),
        "{effects:?}"
    );
}

fn type_and_last_effects(m: &mut Model, text: &str) -> Vec<Effect> {
    let mut last = vec![];
    for c in text.chars() {
        last = update(m, key(KeyCode::Char(c)));
    }
    last
}

#[test]
fn enter_before_the_existence_check_answers_is_not_lost() {
    let mut m = model();
    let request = at_key_files(&mut m);
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(m.step, Step::KeyFiles);
    let effects = update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::None,
        },
    );
    assert_eq!(m.step, Step::Subject);
    assert!(matches!(effects.as_slice(), [Effect::GenerateKey { .. }]));
    // With files there, it stops to show the choices.
    let mut m = model();
    let request = at_key_files(&mut m);
    update(&mut m, key(KeyCode::Enter));
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    assert_eq!(m.step, Step::KeyFiles);
}

#[test]
fn subject_is_validated_as_typed_and_waits_for_the_key() {
    let mut m = model();
    let keygen = at_subject(&mut m);
    type_text(&mut m, "USA");
    assert!(
        m.subject[0]
            .error
            .as_deref()
            .unwrap()
            .contains("two-letter")
    );
    update(&mut m, key(KeyCode::Backspace));
    assert_eq!(m.subject[0].error, None);
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, &"o".repeat(65));
    update(&mut m, key(KeyCode::Tab));
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(
        (m.step, m.subject_focus),
        (Step::Subject, 3),
        "focus on the first bad field"
    );
    clear(&mut m);
    type_text(&mut m, "Places");
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Generating);
    assert!(
        effects.is_empty(),
        "waits for the key still being generated"
    );
    assert!(m.waiting_for_key);
    // A late answer to another request is dropped.
    let stale = update(
        &mut m,
        Msg::KeyGenerated {
            request: keygen + 100,
            result: Err("x".into()),
        },
    );
    assert!(stale.is_empty());
    let effects = update(
        &mut m,
        Msg::KeyGenerated {
            request: keygen,
            result: Ok(Arc::new(crate::cert::generate_key().unwrap())),
        },
    );
    let [
        Effect::WritePair {
            subject,
            days,
            key: Some(_),
            mode: WriteMode::New,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(subject.one_line(), "C=US, O=Places");
    assert_eq!(*days, 365);
}

#[test]
fn validity_days_are_checked() {
    let mut m = model();
    at_subject(&mut m);
    m.subject_focus = 7;
    clear(&mut m);
    type_text(&mut m, "0");
    assert!(m.subject[7].error.is_some());
    clear(&mut m);
    type_text(&mut m, "30");
    assert!(m.subject[7].error.is_none());
}

#[test]
fn pasted_values_are_cleaned_and_checked() {
    let mut m = model();
    at_credentials(&mut m);
    update(&mut m, Msg::Paste(format!("  \"{ORG}\"\r\n")));
    assert_eq!(m.org_id.text(), ORG);
    assert_eq!(m.org_id.error, None);
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, Msg::Paste("not-a-client-id".into()));
    assert!(m.client_id.error.as_deref().unwrap().contains("32 hex"));
    clear(&mut m);
    update(&mut m, key(KeyCode::Tab));
    update(
        &mut m,
        Msg::Paste("a1b2c3d4-1234-5678-9abc-def012345678@techacct.adobe.com".into()),
    );
    assert!(
        m.technical_account_id
            .error
            .as_deref()
            .unwrap()
            .contains("email")
    );
}

#[test]
fn credentials_submit_focuses_the_first_problem_then_exchanges() {
    let mut m = model();
    at_credentials(&mut m);
    type_text(&mut m, ORG);
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(m.credential_focus, 1, "client ID is missing");
    assert!(m.client_id.error.is_some());
    m.credential_focus = 1;
    type_text(&mut m, CLIENT);
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, TECH);
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "p8e-secret");
    update(&mut m, ctrl('r'));
    assert!(m.client_secret.revealed);
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { draft, .. }, Effect::SaveDraft(_)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.profile.org_id, ORG);
    assert_eq!(draft.profile.metascopes, vec!["ent_places_sdk"]);
    assert_eq!(
        draft.profile.private_key.as_deref(),
        Some(std::path::Path::new("keys/p_private.key"))
    );
    assert!(
        !format!("{effects:?}").contains("p8e-secret"),
        "effects never show the secret"
    );
    assert_eq!(m.step, Step::Exchange);
}

#[test]
fn a_cancelled_exchange_is_dropped_and_nothing_is_saved() {
    let mut m = model();
    at_credentials(&mut m);
    fill_credentials(&mut m);
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { request, .. }, ..] = effects.as_slice() else {
        panic!()
    };
    let request = *request;
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(m.org_id.text(), ORG, "what was typed is kept");
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    assert!(effects.is_empty(), "a stale answer saves nothing");
    assert_eq!(m.step, Step::Credentials);
    assert!(m.token.is_none());
}

#[test]
fn success_saves_and_shows_the_token() {
    let mut m = model();
    at_credentials(&mut m);
    fill_credentials(&mut m);
    let Some(Effect::Exchange { request, .. }) =
        update(&mut m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!()
    };
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    assert_eq!(m.step, Step::Token);
    assert!(matches!(effects.as_slice(), [Effect::Save { .. }]));
    assert!(m.animating(), "the countdown ticks");
    assert!(matches!(
        update(&mut m, key(KeyCode::Char('c'))).as_slice(),
        [Effect::Copy(_)]
    ));
    let Some(Effect::Verify {
        request,
        api_key,
        org_id,
        ..
    }) = update(&mut m, key(KeyCode::Char('v'))).into_iter().next()
    else {
        panic!()
    };
    assert_eq!((api_key.as_str(), org_id.as_str()), (CLIENT, ORG));
    update(
        &mut m,
        Msg::Verified {
            request: request + 9,
            result: Ok(5),
        },
    );
    assert!(
        matches!(m.verification, Verification::Running { .. }),
        "stale verification dropped"
    );
    update(
        &mut m,
        Msg::Verified {
            request,
            result: Ok(2),
        },
    );
    assert_eq!(m.verification, Verification::Done(Ok(2)));
    update(&mut m, key(KeyCode::Char('u')));
    assert!(m.show_curl);
    update(&mut m, key(KeyCode::Char('s')));
    assert!(m.reveal_token);
    update(&mut m, key(KeyCode::Enter));
    assert!(m.quit);
}

pub(crate) fn failed(m: &mut Model, failure: Failure) {
    at_credentials(m);
    fill_credentials(m);
    let Some(Effect::Exchange { request, .. }) = update(m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!()
    };
    update(
        m,
        Msg::Exchanged {
            request,
            result: Err(failure),
        },
    );
    assert_eq!(m.step, Step::Exchange);
}

#[test]
fn a_refusal_offers_the_field_at_fault_and_retry() {
    let mut m = model();
    failed(
        &mut m,
        Failure {
            message: "invalid_client".into(),
            hint: None,
            field: Some(CredentialField::ClientSecret),
            certificate: false,
            suggest_oauth: false,
        },
    );
    assert!(matches!(
        update(&mut m, key(KeyCode::Char('r'))).as_slice(),
        [Effect::Exchange { .. }, ..]
    ));
    let Exchange::Running { request } = m.exchange else {
        panic!()
    };
    update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Err(Failure {
                message: "x".into(),
                hint: None,
                field: Some(CredentialField::ClientSecret),
                certificate: false,
                suggest_oauth: false,
            }),
        },
    );
    update(&mut m, key(KeyCode::Char('e')));
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(
        m.credential_fields()[m.credential_focus],
        CredentialField::ClientSecret
    );
}

#[test]
fn a_converted_credential_switches_to_oauth_keeping_id_and_secret() {
    let mut m = model();
    failed(
        &mut m,
        Failure {
            message: "internal_error".into(),
            hint: None,
            field: None,
            certificate: false,
            suggest_oauth: true,
        },
    );
    update(&mut m, key(KeyCode::Char('o')));
    assert_eq!((m.step, m.auth), (Step::Credentials, Auth::Oauth));
    assert_eq!(
        m.credential_fields()[m.credential_focus],
        CredentialField::Scopes
    );
    assert_eq!(m.client_id.text(), CLIENT);
    assert_eq!(m.client_secret.text(), "p8e-secret");
    type_text(&mut m, "openid,AdobeID");
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { draft, .. }, Effect::SaveDraft(_)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.profile.auth, Auth::Oauth);
    assert_eq!(draft.profile.scopes, vec!["openid", "AdobeID"]);
    assert_eq!(draft.profile.private_key, None);
}

#[test]
fn help_opens_and_closes_and_question_marks_type_in_fields() {
    let mut m = model();
    update(&mut m, key(KeyCode::Char('?')));
    assert!(m.help_open);
    update(&mut m, key(KeyCode::Enter));
    assert!(!m.help_open);
    assert_eq!(
        m.step,
        Step::Welcome,
        "the key closing help does nothing else"
    );
    at_credentials(&mut m);
    update(&mut m, key(KeyCode::Char('?')));
    assert!(!m.help_open);
    assert_eq!(m.org_id.text(), "?");
    update(&mut m, key(KeyCode::F(1)));
    assert!(m.help_open);
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.help_open);
    assert_eq!(
        m.step,
        Step::Credentials,
        "Esc closed help, did not go back"
    );
}

#[test]
fn too_small_ignores_keys_but_ctrl_c_quits() {
    let mut m = model();
    update(&mut m, Msg::Resize(60, 20));
    assert!(m.too_small());
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Welcome);
    update(&mut m, Msg::Resize(80, 24));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Prerequisites);
    update(&mut m, ctrl('c'));
    assert!(m.quit);
}

#[test]
fn ctrl_c_quits_from_every_screen() {
    for steps in 0..4 {
        let mut m = model();
        for _ in 0..steps {
            update(&mut m, key(KeyCode::Enter));
        }
        update(&mut m, ctrl('c'));
        assert!(m.quit, "after {steps} steps");
    }
}

#[test]
fn idle_screens_do_not_tick() {
    let mut m = model();
    assert!(!m.animating());
    at_subject(&mut m);
    assert!(m.animating(), "spinner while the key is generated");
}

#[test]
fn esc_goes_back_through_every_screen_keeping_values() {
    let mut m = model();
    at_credentials(&mut m);
    type_text(&mut m, ORG);
    let mut seen = vec![m.step];
    while m.step != Step::Welcome {
        update(&mut m, key(KeyCode::Esc));
        seen.push(m.step);
    }
    assert_eq!(
        seen,
        vec![
            Step::Credentials,
            Step::Generating,
            Step::Subject,
            Step::KeyFiles,
            Step::Prerequisites,
            Step::Welcome
        ]
    );
    assert_eq!(m.org_id.text(), ORG);
    assert_eq!(m.key_name.text(), crate::cert::DEFAULT_NAME);
}

#[test]
fn demo_prefills_the_emulator_values() {
    let mut s = start(vec![]);
    s.demo = true;
    s.demo_values = Some([
        "o".into(),
        "jwt-client".into(),
        "t".into(),
        "s".into(),
        "oauth-client".into(),
        "openid".into(),
    ]);
    let mut m = Model::new(s);
    assert_eq!(m.client_id.text(), "jwt-client");
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(
        m.client_id.text(),
        "oauth-client",
        "the OAuth credential has its own client ID"
    );
}
