//! `update` tests for the wizard off its straight path: files that appear under the chosen
//! names, `~` in the key folder, how the wizard ends, drafts, and what the forms tell apart.
use super::model::tests::*;
use super::model::*;
use ratatui::crossterm::event::KeyCode;
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
        m.existing,
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
    assert_eq!(m.write_mode, WriteMode::UseExisting);
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
    m.pair = None;
    m.pair_error = Some("keys/x_private.key already exists; nothing was changed".into());
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::KeyFiles);
    check_request(&effects);
}

#[test]
fn a_tilde_is_the_home_folder_and_paths_are_absolute() {
    let mut s = start(vec![]);
    s.home = Some(PathBuf::from("/home/ann"));
    s.cwd = Some(PathBuf::from("/work/here"));
    let mut m = Model::new(s);
    for (typed, folder) in [
        ("~/mykeys", "/home/ann/mykeys"),
        ("~", "/home/ann"),
        ("~/", "/home/ann"),
        ("keys", "/work/here/keys"),
        ("/abs/k", "/abs/k"),
        ("~ann/k", "/work/here/~ann/k"),
    ] {
        m.key_dir.set(typed);
        assert_eq!(m.key_folder(), PathBuf::from(folder), "{typed}");
    }
    m.key_dir.set("~/mykeys");
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
