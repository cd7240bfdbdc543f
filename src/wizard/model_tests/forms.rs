//! The key folder, the subject, the credentials form and the exchange.
use super::*;
use crossterm::event::KeyCode;

#[test]
fn a_key_folder_that_cannot_hold_the_pair_stops_on_its_own_screen() {
    let mut m = model();
    let request = at_key_files(&mut m);
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::BadFolder("config/keys is a file, not a folder".into()),
        },
    );
    assert_eq!(
        m.key_files.dir.error.as_deref(),
        Some("config/keys is a file, not a folder")
    );
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(m.step, Step::KeyFiles, "not on to the subject");
    let shown = crate::wizard::screen_tests::screen(&m);
    assert!(shown.contains("is a file, not a folder"), "{shown}");
    // Another folder is checked afresh.
    update(&mut m, key(KeyCode::Char('2')));
    assert!(m.key_files.dir.error.is_none());
}

#[test]
fn key_files_check_names_and_existing_pairs() {
    let mut m = model();
    let first = at_key_files(&mut m);
    update(&mut m, key(KeyCode::Tab));
    clear(&mut m);
    type_text(&mut m, "../x");
    assert!(m.key_files.name.error.is_some(), "checked as typed");
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
    assert_eq!(m.key_files.existing, Existing::Unknown);
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    assert_eq!(
        m.key_files.write_mode,
        WriteMode::UseExisting,
        "a matching pair is used by default"
    );
    update(&mut m, alt('r'));
    assert_eq!(m.key_files.write_mode, WriteMode::Replace);
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

#[test]
fn existing_files_are_kept_or_replaced_with_keys_every_mac_terminal_sends() {
    let mut m = model();
    let request = at_key_files(&mut m);
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    update(&mut m, ctrl('r'));
    assert_eq!(m.key_files.write_mode, WriteMode::Replace);
    update(&mut m, ctrl('k'));
    assert_eq!(m.key_files.write_mode, WriteMode::UseExisting);
    // The fields' own Ctrl keys still edit the name: Ctrl-U clears it.
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, ctrl('u'));
    assert_eq!(m.key_files.name.text(), "");
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
        m.subject.fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("two-letter")
    );
    update(&mut m, key(KeyCode::Backspace));
    assert_eq!(m.subject.fields[0].error, None);
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, &"o".repeat(65));
    update(&mut m, key(KeyCode::Tab));
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(
        (m.step, m.subject.focus),
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
    assert!(m.subject.waiting_for_key);
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
            result: Ok(Arc::new(crate::session::new_key().unwrap())),
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
    m.subject.focus = 7;
    clear(&mut m);
    type_text(&mut m, "0");
    assert!(m.subject.fields[7].error.is_some());
    clear(&mut m);
    type_text(&mut m, "30");
    assert!(m.subject.fields[7].error.is_none());
}

#[test]
fn pasted_values_are_cleaned_and_checked() {
    let mut m = model();
    at_credentials(&mut m);
    update(&mut m, Msg::Paste(format!("  \"{ORG}\"\r\n")));
    assert_eq!(m.credentials.org_id.text(), ORG);
    assert_eq!(m.credentials.org_id.error, None);
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, Msg::Paste("not-a-client-id".into()));
    assert!(
        m.credentials
            .client_id
            .error
            .as_deref()
            .unwrap()
            .contains("32 hex")
    );
    clear(&mut m);
    update(&mut m, key(KeyCode::Tab));
    update(
        &mut m,
        Msg::Paste("a1b2c3d4-1234-5678-9abc-def012345678@techacct.adobe.com".into()),
    );
    assert!(
        m.credentials
            .technical_account_id
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
    assert_eq!(m.credentials.focus, 1, "client ID is missing");
    assert!(m.credentials.client_id.error.is_some());
    m.credentials.focus = 1;
    type_text(&mut m, CLIENT);
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, TECH);
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "p8e-secret");
    update(&mut m, ctrl('r'));
    assert!(m.credentials.client_secret.revealed);
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { draft, .. }, Effect::SaveDraft { .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.profile.org_id, ORG);
    let crate::session::Credential::Jwt(jwt) = &draft.profile.credential else {
        panic!("{draft:?}")
    };
    assert_eq!(jwt.metascopes, vec!["ent_places_sdk"]);
    assert_eq!(
        draft.profile.private_key(),
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
    assert_eq!(m.credentials.org_id.text(), ORG, "what was typed is kept");
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    assert!(effects.is_empty(), "a stale answer saves nothing");
    assert_eq!(m.step, Step::Credentials);
    assert!(m.token.token.is_none());
}

#[test]
fn success_saves_and_shows_the_token() {
    let mut m = model();
    let effects = token_arrived(&mut m);
    assert_eq!(m.step, Step::Token);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Save { .. }, Effect::Copy { .. }]
    ));
    assert!(m.animating(), "the countdown ticks");
    assert!(matches!(
        update(&mut m, key(KeyCode::Char('c'))).as_slice(),
        [Effect::Copy { .. }]
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
        matches!(m.token.verification, Verification::Running { .. }),
        "stale verification dropped"
    );
    update(
        &mut m,
        Msg::Verified {
            request,
            result: Ok(2),
        },
    );
    assert_eq!(m.token.verification, Verification::Done(Ok(2)));
    update(&mut m, key(KeyCode::Char('u')));
    assert!(m.token.show_curl);
    update(&mut m, key(KeyCode::Char('s')));
    assert!(m.token.reveal);
    update(&mut m, key(KeyCode::Enter));
    assert!(m.quit);
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
            cause: Cause::Other,
        },
    );
    assert!(matches!(
        update(&mut m, key(KeyCode::Char('r'))).as_slice(),
        [Effect::Exchange { .. }, ..]
    ));
    let Exchange::Running { request } = m.exchange.state else {
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
                cause: Cause::Other,
            }),
        },
    );
    update(&mut m, key(KeyCode::Char('e')));
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(
        m.credential_fields()[m.credentials.focus],
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
            cause: Cause::Other,
        },
    );
    update(&mut m, key(KeyCode::Char('o')));
    assert_eq!((m.step, m.auth()), (Step::Credentials, Auth::Oauth));
    assert_eq!(
        m.credential_fields()[m.credentials.focus],
        CredentialField::Scopes
    );
    assert_eq!(m.credentials.client_id.text(), CLIENT);
    assert_eq!(m.credentials.client_secret.text(), "p8e-secret");
    type_text(&mut m, "openid,AdobeID");
    let effects = update(&mut m, key(KeyCode::Enter));
    let [Effect::Exchange { draft, .. }, Effect::SaveDraft { .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.profile.auth(), Auth::Oauth);
    let crate::session::Credential::Oauth(oauth) = &draft.profile.credential else {
        panic!("{draft:?}")
    };
    assert_eq!(oauth.scopes, vec!["openid", "AdobeID"]);
    assert_eq!(draft.profile.private_key(), None);
}

#[test]
fn in_the_demo_o_keeps_the_client_id_that_was_typed() {
    let mut m = Model::new(Start {
        demo: true,
        demo_values: Some(crate::session::demo_values()),
        ..start(vec![])
    });
    // The demo prefills its JWT client; the person typed another over it.
    m.credentials.client_id.set(CLIENT);
    m.step = Step::Exchange;
    m.exchange.state = Exchange::Failed(Failure {
        message: "internal_error".into(),
        hint: None,
        field: None,
        certificate: false,
        suggest_oauth: true,
        cause: Cause::Other,
    });
    update(&mut m, key(KeyCode::Char('o')));
    assert_eq!((m.step, m.auth()), (Step::Credentials, Auth::Oauth));
    assert_eq!(
        m.credentials.client_id.text(),
        CLIENT,
        "the client ID stays as typed"
    );
}

#[test]
fn e_opens_the_field_ims_named() {
    use crate::session::{Credential, ImsError, JwtCredential, Profile, SecretStore};
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
            metascopes: vec![],
        }),
    };
    let ims = ImsError {
        status: 400,
        code: "invalid_token".into(),
        description: "iss is not the integration's org".into(),
        debug_id: None,
        server_date: None,
        path: "/ims/exchange/jwt".into(),
    };
    let mut m = model();
    failed(
        &mut m,
        Failure::from(crate::session::explain_refusal(
            &"default".into(),
            &profile,
            &ims,
        )),
    );
    update(&mut m, key(KeyCode::Char('e')));
    assert_eq!(m.step, Step::Credentials);
    assert_eq!(
        m.credential_fields()[m.credentials.focus],
        CredentialField::OrgId
    );
}

#[test]
fn a_token_the_places_api_refuses_is_shown_refused_and_the_exchange_names_the_pair_shown() {
    let mut m = model();
    at_credentials(&mut m);
    fill_credentials(&mut m);
    let effects = update(&mut m, key(KeyCode::Enter));
    let Some(Effect::Exchange {
        request,
        fingerprint,
        ..
    }) = effects.into_iter().next()
    else {
        panic!()
    };
    assert_eq!(
        fingerprint,
        m.pair.written.as_ref().map(|p| p.fingerprint.clone()),
        "the exchange carries the fingerprint on screen"
    );
    let refused = crate::session::PlacesState::Refused {
        message: "HTTP 403 403025 Profile is not valid".into(),
        hint: Some("check the org ID".into()),
    };
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(TokenInfo {
                places_url: "http://127.0.0.1:9/places/placesapi/v1".into(),
                places: Some(Err(refused.clone())),
                ..token_info()
            }),
        },
    );
    assert_eq!(m.step, Step::Token);
    assert_eq!(m.token.verification, Verification::Done(Err(refused)));
    assert_eq!(m.places_url(), "http://127.0.0.1:9/places/placesapi/v1");
    update(
        &mut m,
        Msg::Saved {
            request: save_request(&effects),
            result: Ok("/c/config.toml".into()),
        },
    );
    let screen = crate::wizard::screen_tests::screen(&m);
    assert!(screen.contains("refuses this token"), "{screen}");
    assert!(!screen.contains("✓ Profile"), "{screen}");
}

#[test]
fn metascopes_are_checked_as_typed_by_the_rule_init_uses() {
    let mut m = model();
    at_credentials(&mut m);
    fill_credentials(&mut m);
    // The focus is on the metascopes now.
    clear(&mut m);
    type_text(&mut m, "ent_places_sdk; ent_other");
    assert_eq!(
        m.credentials.metascopes.error.as_deref(),
        Some("a \";\" between entries — separate the entries with commas, not semicolons")
    );
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(effects.is_empty(), "not sent to IMS: {effects:?}");
    assert_eq!(m.step, Step::Credentials);
    clear(&mut m);
    type_text(&mut m, "ent_places_sdk,");
    assert_eq!(
        m.credentials.metascopes.error.as_deref(),
        Some(
            "it ends in a comma — remove the extra comma: entries are separated by one comma each"
        )
    );
    clear(&mut m);
    type_text(&mut m, "ent_places_sdk");
    assert_eq!(m.credentials.metascopes.error, None);
}
