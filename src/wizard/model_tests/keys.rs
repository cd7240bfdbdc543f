//! Keys that work everywhere: help, Ctrl-C, Esc back; idle screens; the demo's values.
use super::*;
use crossterm::event::KeyCode;

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
    assert_eq!(m.credentials.org_id.text(), "?");
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
    assert_eq!(m.credentials.org_id.text(), ORG);
    assert_eq!(m.key_files.name.text(), crate::session::DEFAULT_NAME);
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
    assert_eq!(m.credentials.client_id.text(), "jwt-client");
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(
        m.credentials.client_id.text(),
        "oauth-client",
        "the OAuth credential has its own client ID"
    );
}

#[test]
fn esc_on_welcome_quits_at_once_only_before_going_anywhere() {
    let mut m = model();
    update(&mut m, key(KeyCode::Esc));
    assert!(m.quit, "nothing typed yet: Esc quits");

    let mut m = model();
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.step, Step::Prerequisites);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.step, Step::Welcome);
    update(&mut m, key(KeyCode::Esc));
    assert!(!m.quit, "back from a later screen, one Esc only warns");
    assert!(m.welcome.quit_armed);
    update(&mut m, key(KeyCode::Char('x')));
    assert!(!m.welcome.quit_armed, "another key takes the warning back");
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Esc));
    assert!(m.quit, "the second Esc quits");
}
