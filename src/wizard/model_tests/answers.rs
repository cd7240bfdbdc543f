//! Every answer carries the request it answers: one to a request since left (Esc, a screen back, a
//! newer request) is dropped, and the answer awaited is kept.
use super::*;
use crossterm::event::KeyCode;

/// Credentials submitted: the exchange's request, with the draft saved under the same request.
fn exchanging(m: &mut Model) -> u64 {
    at_credentials(m);
    fill_credentials(m);
    let effects = update(m, key(KeyCode::Enter));
    let [
        Effect::Exchange { request, .. },
        Effect::SaveDraft {
            request: draft_request,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        request, draft_request,
        "the draft's save carries the exchange's request"
    );
    *request
}

fn draft_saved(m: &mut Model, request: u64) {
    update(
        m,
        Msg::DraftSaved {
            request,
            result: Ok(Some("default".into())),
        },
    );
}

/// On the token screen of a new profile; returns the save's request.
fn at_token(m: &mut Model) -> u64 {
    let request = exchanging(m);
    let effects = update(
        m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    save_request(&effects)
}

fn saved(m: &mut Model, request: u64) {
    update(
        m,
        Msg::Saved {
            request,
            result: Ok("/c/config.toml".into()),
        },
    );
}

fn copied(m: &mut Model, request: u64) {
    update(
        m,
        Msg::Copied {
            request,
            outcome: CopyOutcome::Native("X11"),
        },
    );
}

#[test]
fn a_draft_saved_for_an_exchange_cancelled_by_esc_is_dropped() {
    let mut m = model();
    let request = exchanging(&mut m);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Credentials);
    draft_saved(&mut m, request);
    assert!(m.exchange.draft_saved.answer.is_none(), "stale after Esc");
    // The answer to the exchange awaited is kept.
    let mut m = model();
    let request = exchanging(&mut m);
    draft_saved(&mut m, request);
    assert_eq!(
        m.exchange.draft_saved.answer,
        Some(Ok(Some("default".to_string())))
    );
}

#[test]
fn a_draft_saved_for_an_earlier_attempt_is_dropped_after_a_retry() {
    let mut m = model();
    let first = exchanging(&mut m);
    update(
        &mut m,
        Msg::Exchanged {
            request: first,
            result: Err(Failure {
                message: "refused".into(),
                hint: None,
                field: None,
                certificate: false,
                suggest_oauth: false,
                cause: Cause::Other,
            }),
        },
    );
    let effects = update(&mut m, key(KeyCode::Char('r')));
    let Some(Effect::Exchange {
        request: second, ..
    }) = effects.into_iter().next()
    else {
        panic!("r tries again")
    };
    draft_saved(&mut m, first);
    assert!(
        m.exchange.draft_saved.answer.is_none(),
        "the first attempt's"
    );
    draft_saved(&mut m, second);
    assert!(m.exchange.draft_saved.answer.is_some());
}

#[test]
fn a_save_answered_after_going_back_is_dropped() {
    let mut m = model();
    let request = at_token(&mut m);
    assert_eq!(m.step, Step::Token);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Credentials);
    saved(&mut m, request);
    assert!(m.token.saved.answer.is_none(), "stale after Esc");
    // Tried again: only the new token's save is shown.
    let second = at_token_again(&mut m);
    saved(&mut m, request);
    assert!(m.token.saved.answer.is_none(), "the earlier token's save");
    saved(&mut m, second);
    assert!(m.token.saved.answer.is_some());
}

/// From the credentials form, the exchange again and its token.
fn at_token_again(m: &mut Model) -> u64 {
    let Some(Effect::Exchange { request, .. }) = update(m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!("Enter exchanges")
    };
    let effects = update(
        m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    save_request(&effects)
}

#[test]
fn a_copy_answered_after_going_back_or_copied_again_is_dropped() {
    let mut m = model();
    at_token(&mut m);
    let copy = |m: &mut Model| match update(m, key(KeyCode::Char('c'))).as_slice() {
        [Effect::Copy { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    let first = copy(&mut m);
    let second = copy(&mut m);
    copied(&mut m, first);
    assert!(m.copy.answer.is_none(), "the answer to the first C");
    copied(&mut m, second);
    assert_eq!(m.copy.answer, Some(CopyOutcome::Native("X11")));
    let third = copy(&mut m);
    update(&mut m, key(KeyCode::Esc));
    update(
        &mut m,
        Msg::Copied {
            request: third,
            outcome: CopyOutcome::Failed("no display".into()),
        },
    );
    assert_eq!(
        m.copy.answer,
        Some(CopyOutcome::Native("X11")),
        "a copy answered after Esc changes nothing"
    );
}

#[test]
fn a_refreshed_tokens_copy_answered_after_esc_is_dropped() {
    let mut m = Model::new(start(vec![saved_profile()]));
    let Some(Effect::Refresh { request, .. }) =
        update(&mut m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!("Enter refreshes")
    };
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    let [Effect::Copy { request: copy, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Welcome);
    copied(&mut m, *copy);
    assert!(m.copy.answer.is_none(), "stale after Esc");
}

#[test]
fn a_certificate_path_copied_is_shown_only_for_the_request_awaited() {
    let mut m = model();
    at_credentials(&mut m);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Generating);
    let Some(Effect::CopyText { request, text }) =
        update(&mut m, key(KeyCode::Char('c'))).into_iter().next()
    else {
        panic!("C copies the certificate's path")
    };
    assert_eq!(text, "keys/p_public.crt");
    copied(&mut m, request + 1);
    assert!(m.copy.answer.is_none(), "an answer to no request asked");
    copied(&mut m, request);
    assert!(m.copy.answer.is_some());
}

#[test]
fn r_on_the_token_screen_asks_ims_for_a_new_token_of_the_saved_profile() {
    let mut m = model();
    // Before the profile is saved there is nothing to renew.
    let request = exchanging(&mut m);
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(token_info()),
        },
    );
    assert!(update(&mut m, key(KeyCode::Char('r'))).is_empty());
    update(
        &mut m,
        Msg::Saved {
            request: save_request(&effects),
            result: Ok("config.toml".into()),
        },
    );
    let effects = update(&mut m, key(KeyCode::Char('r')));
    let [
        Effect::Refresh {
            request,
            profile,
            fresh: true,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(profile, &m.profile_name);
    // A refusal of the new token is shown on the exchange screen, where its fix is.
    update(
        &mut m,
        Msg::Exchanged {
            request: *request,
            result: Err(Failure {
                message: "refused".into(),
                hint: None,
                field: None,
                certificate: false,
                suggest_oauth: false,
                cause: Cause::Other,
            }),
        },
    );
    assert_eq!(m.step, Step::Exchange);
}

#[test]
fn a_profile_saved_in_this_run_is_never_replaced_by_a_later_draft() {
    let mut m = model();
    let save = at_token(&mut m);
    saved(&mut m, save);
    assert!(
        m.profiles
            .iter()
            .any(|p| p.name == m.profile_name && !p.untested),
        "the profile just saved is known to work: {:?}",
        m.profiles
    );
    // Back to the form, a value changed, tested again: no draft is saved over what works.
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Credentials);
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Exchange { .. }]),
        "{effects:?}"
    );
    // And Welcome offers to refresh it.
    for _ in 0..8 {
        if m.step != Step::Welcome {
            update(&mut m, key(KeyCode::Esc));
        }
    }
    assert!(
        m.choices()
            .contains(&Choice::Refresh(m.profile_name.clone()))
    );
}

#[test]
fn a_new_token_the_places_api_refuses_is_not_copied_and_not_said_to_be_marked_when_not_saved() {
    use crate::session::PlacesState;
    let mut m = model();
    let request = exchanging(&mut m);
    let mut token = token_info();
    token.places = Some(Err(PlacesState::Refused {
        message: "HTTP 403 403025 Profile is not valid".into(),
        hint: None,
    }));
    let effects = update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(token),
        },
    );
    let [Effect::Save { request: save, .. }] = effects.as_slice() else {
        panic!("saved, not copied: {effects:?}")
    };
    let save = *save;
    update(
        &mut m,
        Msg::Saved {
            request: save,
            result: Err("profile \"default\" works and stays as it is".into()),
        },
    );
    let shown = crate::wizard::screen_tests::screen(&m);
    assert!(
        shown.contains("✗ Not saved: profile \"default\" works"),
        "{shown}"
    );
    assert!(!shown.contains("stays marked"), "{shown}");
}
