//! `update` tests: every screen's transitions, validation, paste cleaning, stale results dropped.
use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

pub(crate) const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
pub(crate) const CLIENT: &str = "0123456789abcdef0123456789abcdef";
pub(crate) const TECH: &str = "0123456789ABCDEF01234567@techacct.adobe.com";

pub(crate) fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

pub(crate) fn start(profiles: Vec<ProfileSummary>) -> Start {
    Start {
        demo: false,
        demo_kept: false,
        config_dir: "/home/ann/.config/places-setup".into(),
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
        places: None,
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
        access_token: AccessToken::new("eyJ.payload.sig".to_string()).unwrap(),
        expires_at: now() + Duration::from_secs(86_399),
        from_cache: false,
        places_url: String::new(),
        places: None,
    }
}

/// The request of the one effect asking to save the new profile.
pub(crate) fn save_request(effects: &[Effect]) -> u64 {
    match effects {
        [
            Effect::Save { request, .. },
            Effect::Copy { request: copy, .. },
        ] if copy == request => *request,
        // A token the Places API refuses is saved (marked so) but not copied.
        [Effect::Save { request, token, .. }]
            if matches!(&token.places, Some(Err(PlacesState::Refused { .. }))) =>
        {
            *request
        }
        other => panic!("the profile is saved and its token copied: {other:?}"),
    }
}

/// Presses C on the token screen and answers the copy it asks for with `outcome`.
pub(crate) fn copy_answered(m: &mut Model, outcome: CopyOutcome) {
    let Some(Effect::Copy { request, .. }) = update(m, key(KeyCode::Char('c'))).into_iter().next()
    else {
        panic!("C copies the token")
    };
    update(m, Msg::Copied { request, outcome });
}

/// Moves the welcome screen's cursor to `choice`.
pub(crate) fn choose(m: &mut Model, choice: Choice) {
    for _ in 0..m.choices().len() {
        if m.choices()[m.welcome.choice] == choice {
            return;
        }
        update(m, key(KeyCode::Down));
    }
    panic!("{choice:?} is not offered: {:?}", m.choices());
}

/// Welcome → (the original guide's JWT) prerequisites (all ticked) → key files, with the
/// existence check answered.
pub(crate) fn at_key_files(m: &mut Model) -> u64 {
    choose(m, Choice::New(Auth::Jwt));
    update(m, key(KeyCode::Enter));
    for _ in 0..m.prerequisites().len() {
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
            result: Ok(Arc::new(crate::session::new_key().unwrap())),
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

#[path = "model_tests/forms.rs"]
mod forms;
#[path = "model_tests/keys.rs"]
mod keys;
/// The credentials submitted and the exchange answered with a token; returns what that asks
/// (the save, the copy).
pub(crate) fn token_arrived(m: &mut Model) -> Vec<Effect> {
    at_credentials(m);
    fill_credentials(m);
    let Some(Effect::Exchange { request, .. }) = update(m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!("the exchange is asked for")
    };
    update(
        m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    )
}

/// The credentials submitted and the exchange refused with `failure`.
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

#[path = "model_tests/start.rs"]
mod start;

#[path = "model_tests/answers.rs"]
mod answers;
