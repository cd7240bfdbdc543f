//! Snapshots of every screen at 80×24 (and the too-small one), drawn by the real `view` into
//! ratatui's TestBackend. Paths are relative and the clock is fixed, so nothing needs filtering.
use super::model::tests::*;
use super::model::*;
use super::view::view;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

pub(crate) fn screen(m: &Model) -> String {
    let mut terminal = Terminal::new(TestBackend::new(m.size.0, m.size.1)).unwrap();
    terminal.draw(|f| view(m, f)).unwrap();
    terminal.backend().to_string()
}

macro_rules! snap {
    ($name:literal, $model:expr) => {
        insta::assert_snapshot!($name, screen(&$model));
    };
}

#[test]
fn welcome_screens() {
    let m = model();
    snap!("01_welcome", m);
    // Every saved profile is offered: the choices are computed from the profiles listed.
    let with_profiles = Model::new(start(vec![
        saved_profile(),
        ProfileSummary {
            name: "eu".into(),
            auth: crate::session::Auth::Oauth,
            org_id: "18FB61145BAC2FFB0A494777@AdobeOrg".into(),
            client_id: "fedcba9876543210fedcba9876543210".into(),
            token_expires_at: Some(now() + Duration::from_secs(5 * 3600 + 60)),
            certificate_expires_at: Some(now() + Duration::from_secs(12 * 86_400)),
            untested: false,
            places: None,
        },
    ]));
    snap!("01_welcome_with_profiles", with_profiles);
    // A fresh JWT profile under a longer name: its line and the `migrate` advice break between
    // words, never inside `--profile NAME` or a number and its unit.
    let fresh = Model::new(start(vec![ProfileSummary {
        name: "integration-twin".into(),
        token_expires_at: Some(now() + Duration::from_secs(24 * 3600 - 60)),
        certificate_expires_at: Some(now() + Duration::from_secs(365 * 86_400 + 60)),
        ..saved_profile()
    }]));
    let shown = screen(&fresh);
    assert!(!shown.contains("\"   days"), "{shown}");
    snap!("01_welcome_fresh_jwt_profile", fresh);
}

#[test]
fn prerequisites_screen() {
    let mut m = model();
    update(&mut m, key(KeyCode::Enter));
    update(&mut m, key(KeyCode::Char(' ')));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    snap!("02_prerequisites_unticked", m);
}

#[test]
fn import_screens() {
    let mut m = model();
    for _ in 0..1 {
        update(&mut m, key(KeyCode::Down));
    }
    update(&mut m, key(KeyCode::Enter));
    type_text(&mut m, "Places-Production.json");
    snap!("02_import", m);
    let effects = update(&mut m, key(KeyCode::Enter));
    let Some(Effect::ReadConsoleJson { request, .. }) = effects.into_iter().next() else {
        panic!()
    };
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/console/two.json"
    ))
    .unwrap();
    let project = crate::session::parse_console_json(&text, "two.json").unwrap();
    update(
        &mut m,
        Msg::ConsoleRead {
            request,
            result: Ok(project),
        },
    );
    snap!("02_import_choose", m);
}

#[test]
fn key_files_screens() {
    let mut m = model();
    let request = at_key_files(&mut m);
    snap!("03_key_files", m);
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::MatchingPair,
        },
    );
    snap!("03_key_files_existing", m);
}

#[test]
fn subject_screen_with_an_error() {
    let mut m = model();
    at_subject(&mut m);
    type_text(&mut m, "USA");
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "California");
    snap!("04_subject", m);
}

#[test]
fn a_form_taller_than_the_screen_keeps_the_focused_field_in_view() {
    let mut m = model();
    at_subject(&mut m);
    let long = "a".repeat(130);
    for value in [
        "USA",
        &long,
        &long,
        &long,
        &long,
        &long,
        "not-an-email",
        "zero",
    ] {
        type_text(&mut m, value);
        update(&mut m, key(KeyCode::Tab));
    }
    // Tab went round to the first field: back to the last, Validity.
    update(&mut m, key(KeyCode::BackTab));
    let shown = screen(&m);
    assert!(
        shown.contains("› Validity (days)") && shown.contains("is not a whole number"),
        "the focused field and its error are on screen:\n{shown}"
    );
    update(&mut m, key(KeyCode::Tab));
    let shown = screen(&m);
    assert!(shown.contains("› Country"), "and back at the top:\n{shown}");
}

#[test]
fn a_value_wider_than_its_field_marks_its_hidden_start() {
    let mut m = model();
    at_credentials(&mut m);
    let long = format!("START{}@techacct.adobe.com", "0123456789ABCDEF".repeat(4));
    type_text(&mut m, &long);
    let shown = screen(&m);
    let row = shown
        .lines()
        .find(|l| l.contains("Organization ID"))
        .unwrap_or_default();
    assert!(
        row.contains("…") && row.contains("techacct.adobe.com"),
        "{shown}"
    );
    assert!(!row.contains("START"), "the start scrolled away:\n{shown}");
}

#[test]
fn generating_screens() {
    let mut m = model();
    at_subject(&mut m);
    update(&mut m, key(KeyCode::Enter));
    snap!("05_generating", m);
    m.pair.written = Some(PairInfo { fingerprint: "3C:9A:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE".into(), ..pair() });
    snap!("05_generated", m);
}

#[test]
fn credentials_screens() {
    let mut m = model();
    at_credentials(&mut m);
    type_text(&mut m, "18FB61145BAC2FFB0A494777");
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "0123456789abcdef0123456789abcdef");
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "p8e-secret");
    snap!("06_credentials", m);
    let mut oauth = model();
    update(&mut oauth, key(KeyCode::Enter));
    update(&mut oauth, key(KeyCode::Enter));
    update(&mut oauth, key(KeyCode::Enter));
    snap!("06_console_oauth", oauth);
    update(&mut oauth, key(KeyCode::Enter));
    snap!("06_credentials_oauth", oauth);
}

#[test]
fn exchange_screens() {
    let mut m = model();
    at_credentials(&mut m);
    fill_credentials(&mut m);
    update(&mut m, key(KeyCode::Enter));
    snap!("07_exchange_running", m);
    let mut f = model();
    failed(&mut f, Failure {
        message: "IMS refused the token request: internal_error (HTTP 500): Please try again later [x-debug-id: 5d8e0c]".into(),
        hint: Some(crate::session::retirement::notice(now())),
        field: None,
        certificate: false,
        suggest_oauth: true,
        cause: Cause::Ims(crate::session::Problem::Converted),
    });
    snap!("07_exchange_failed", f);
}

/// The exchange screen after `failure`, as drawn at 80×24.
fn refused(failure: Failure) -> String {
    let mut m = model();
    failed(&mut m, failure);
    screen(&m)
}

#[test]
fn a_refusal_speaks_the_wizards_language_and_names_what_really_happened() {
    use crate::error::Unreachable;
    let refused_connection = refused(Failure {
        message: "cannot reach IMS at http://127.0.0.1:9: could not connect: Connection refused (3 attempts)".into(),
        hint: Some("nothing accepts connections there: check the URL, and that the server (or `places-setup emulator`) is running".into()),
        field: None,
        certificate: false,
        suggest_oauth: false,
        cause: Cause::Unreachable(Unreachable::Refused),
    });
    assert!(
        refused_connection.contains("could not be reached"),
        "{refused_connection}"
    );
    assert!(
        !refused_connection.contains("IMS did not give"),
        "{refused_connection}"
    );
    // A refused connection is no slow network: no longer wait is offered.
    assert!(
        !refused_connection.contains("timeout"),
        "{refused_connection}"
    );
    insta::assert_snapshot!("07_exchange_connection_refused", refused_connection);

    // IMS was never asked (no key pair): no claim that it refused.
    let no_key = refused(Failure {
        message: "the private key /k/p_private.key does not exist".into(),
        hint: Some("go back to the key pair".into()),
        field: None,
        certificate: false,
        suggest_oauth: false,
        cause: Cause::Other,
    });
    assert!(!no_key.contains("IMS did not give a token"), "{no_key}");

    let unknown = refused(Failure {
        message: "IMS refused the token request: invalid_client (HTTP 400): invalid client_id parameter".into(),
        hint: Some("check the API key, and that --ims-url names the IMS environment the integration lives in".into()),
        field: Some(CredentialField::ClientId),
        certificate: false,
        suggest_oauth: false,
        cause: Cause::Ims(crate::session::Problem::UnknownClient),
    });
    assert!(!unknown.contains("--ims-url names"), "{unknown}");
    assert!(unknown.contains("press e"), "{unknown}");
}

fn at_token() -> Model {
    let mut m = model();
    let effects = token_arrived(&mut m);
    update(
        &mut m,
        Msg::Saved {
            request: save_request(&effects),
            result: Ok("/home/me/.config/places-setup/config.toml".into()),
        },
    );
    m
}

#[test]
fn token_screens() {
    let mut m = at_token();
    snap!("08_token", m);
    copy_answered(&mut m, CopyOutcome::Native("X11"));
    let Some(Effect::Verify { request, .. }) =
        update(&mut m, key(KeyCode::Char('v'))).into_iter().next()
    else {
        panic!()
    };
    update(
        &mut m,
        Msg::Verified {
            request,
            result: Ok(2),
        },
    );
    update(&mut m, key(KeyCode::Char('u')));
    snap!("08_token_copied_verified_curl", m);
    let mut osc = at_token();
    copy_answered(&mut osc, CopyOutcome::Osc52 { tmux: true });
    update(&mut osc, key(KeyCode::Char('s')));
    snap!("08_token_revealed_osc52", osc);
}

#[test]
fn a_token_shown_with_its_curl_command_scrolls_to_the_end() {
    let mut m = at_token();
    // As long as the tokens IMS gives (800 to 1,100 characters).
    let long = format!("eyJ{}.{}.sig", "a".repeat(400), "b".repeat(500));
    if let Some(t) = &mut m.token.token {
        t.access_token = crate::session::AccessToken::new(long).unwrap();
    }
    update(&mut m, key(KeyCode::Char('u')));
    update(&mut m, key(KeyCode::Char('s')));
    let top = screen(&m);
    assert!(!top.contains("x-gw-ims-org-id"), "{top}");
    assert!(top.contains("more below"), "{top}");
    update(&mut m, key(KeyCode::PageDown));
    update(&mut m, key(KeyCode::Down));
    let end = screen(&m);
    assert!(end.contains("x-gw-ims-org-id"), "{end}");
    snap!("08_token_revealed_curl_scrolled", m);
    // Back up to the first line; and no further.
    for _ in 0..3 {
        update(&mut m, key(KeyCode::PageUp));
    }
    assert_eq!(screen(&m), top);
}

#[test]
fn help_and_too_small() {
    let mut m = model();
    update(&mut m, key(KeyCode::F(1)));
    snap!("help_welcome", m);
    let mut small = model();
    update(&mut small, Msg::Resize(60, 15));
    snap!("too_small", small);
}

#[test]
fn every_help_fits_at_80x24_with_its_keys() {
    use crate::session::Auth;
    let mut cut = vec![];
    for auth in [Auth::Oauth, Auth::Jwt] {
        for step in [
            Step::Welcome,
            Step::Prerequisites,
            Step::KeyFiles,
            Step::Subject,
            Step::Generating,
            Step::Credentials,
            Step::Exchange,
            Step::Token,
            Step::Console,
            Step::Import,
        ] {
            let mut m = model();
            m.flow = Flow::new(auth);
            m.step = step;
            m.help_open = true;
            let shown = screen(&m);
            if !(shown.contains("Keys on this screen") && shown.contains("Esc close help")) {
                cut.push(format!("{step:?} {auth:?}:\n{shown}"));
            }
        }
    }
    assert!(
        cut.is_empty(),
        "the help's last lines are cut off:\n{}",
        cut.join("\n")
    );
}

#[test]
fn demo_is_marked_on_every_screen() {
    let mut s = start(vec![]);
    s.demo = true;
    let mut m = Model::new(s);
    for _ in 0..3 {
        assert!(
            screen(&m).lines().next().unwrap().contains("DEMO"),
            "{:?}",
            m.step
        );
        update(&mut m, key(KeyCode::Enter));
        update(&mut m, key(KeyCode::Enter));
    }
}

#[test]
fn no_color_draws_without_colours() {
    use ratatui::style::Color;
    let colours = |m: &Model| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| view(m, f)).unwrap();
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    let mut m = model();
    assert!(colours(&m) > 0, "colour by default");
    m.run.color = false;
    assert_eq!(colours(&m), 0, "NO_COLOR: emphasis without colour");
}

/// The wizard's part of the leak test: every screen, drawn with a secret typed and a token held,
/// shows neither — the token only after `s` asks for it.
#[test]
fn no_screen_shows_the_secret_or_the_whole_token() {
    let secret = "p8e-Leak-Canary-Secret-42";
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJsZWFrIjoiY2FuYXJ5In0.c2lnbmF0dXJlLWNhbmFyeQ";
    let mut shots = Vec::new();
    let mut m = model();
    shots.push(screen(&m));
    at_credentials(&mut m);
    type_text(&mut m, "18FB61145BAC2FFB0A494777@AdobeOrg");
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "0123456789abcdef0123456789abcdef");
    update(&mut m, key(KeyCode::Tab));
    type_text(&mut m, "0123456789ABCDEF01234567@techacct.adobe.com");
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, Msg::Paste(secret.into()));
    shots.push(screen(&m));
    update(&mut m, key(KeyCode::F(1)));
    shots.push(screen(&m));
    update(&mut m, key(KeyCode::Esc));
    let Some(Effect::Exchange { request, draft, .. }) =
        update(&mut m, key(KeyCode::Enter)).into_iter().next()
    else {
        panic!()
    };
    assert!(
        !format!("{draft:?}").contains(secret),
        "Debug of the draft hides the secret"
    );
    shots.push(screen(&m));
    let failure = Failure {
        message: "invalid_client".into(),
        hint: Some("re-copy it".into()),
        field: Some(CredentialField::ClientSecret),
        certificate: false,
        suggest_oauth: true,
        cause: Cause::Other,
    };
    update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Err(failure),
        },
    );
    shots.push(screen(&m));
    let Some(Effect::Exchange { request, .. }) =
        update(&mut m, key(KeyCode::Char('r'))).into_iter().next()
    else {
        panic!()
    };
    let info = TokenInfo {
        access_token: crate::session::AccessToken::new(token.to_string()).unwrap(),
        ..token_info()
    };
    update(
        &mut m,
        Msg::Exchanged {
            request,
            result: Ok(info),
        },
    );
    let mut copy = None;
    for k in ['v', 'u', 'c'] {
        for effect in update(&mut m, key(KeyCode::Char(k))) {
            if let Effect::Copy { request, .. } = effect {
                copy = Some(request);
            }
        }
        shots.push(screen(&m));
    }
    update(
        &mut m,
        Msg::Copied {
            request: copy.expect("C copies the token"),
            outcome: CopyOutcome::Failed("no display".into()),
        },
    );
    shots.push(screen(&m));
    assert!(
        !format!("{m:?}").contains(secret),
        "Debug of the model hides the secret"
    );
    assert!(
        !format!("{m:?}").contains(token),
        "Debug of the model hides the token"
    );
    for shot in &shots {
        let flat: String = shot
            .lines()
            .map(|l| l.trim_matches('"').trim_end())
            .collect();
        assert!(!flat.contains(secret), "the secret is on screen:\n{shot}");
        assert!(
            !flat.contains(token) && !flat.contains(&token[..30]),
            "the token is on screen:\n{shot}"
        );
    }
    update(&mut m, key(KeyCode::Char('s')));
    let revealed: String = screen(&m)
        .lines()
        .map(|l| l.trim_matches('"').trim_end())
        .collect();
    assert!(
        revealed.contains(&token[..40]),
        "s shows the token when asked"
    );
}
