//! A keystroke on the wizard's largest screen: `update` with the key, then `view` of the whole
//! 80×24 frame into ratatui's TestBackend. Target: under 1 ms.
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use places_setup::wizard::model::{Effect, Existing, Model, Msg, Start, update};
use places_setup::wizard::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::SystemTime;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The certificate subject form: eight fields, the most drawn on one screen.
fn subject_form() -> Model {
    let mut m = Model::new(Start {
        demo: false,
        demo_kept: false,
        config_dir: "config".into(),
        color: true,
        ims_url: "https://ims-na1.adobelogin.com".into(),
        places_url: "https://api-places.adobe.io/places/placesapi/v1".into(),
        profile_name: places_setup::ids::profile_name("default").expect("a profile name"),
        profiles: vec![],
        prerequisites: places_setup::wizard::prerequisites(),
        key_dir: "keys".into(),
        home: None,
        cwd: None,
        size: (80, 24),
        now: SystemTime::now(),
        demo_values: None,
    });
    // Welcome lists OAuth, the Console import, then JWT: the subject form is on JWT's path.
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Enter));
    for _ in 0..4 {
        update(&mut m, key(KeyCode::Char(' ')));
        update(&mut m, key(KeyCode::Down));
    }
    let effects = update(&mut m, key(KeyCode::Enter));
    let Some(Effect::CheckExisting { request, .. }) = effects.into_iter().next() else {
        panic!("key files screen")
    };
    update(
        &mut m,
        Msg::ExistingChecked {
            request,
            existing: Existing::None,
        },
    );
    update(&mut m, key(KeyCode::Enter));
    for value in [
        "US",
        "California",
        "San Jose",
        "Places",
        "Engineering",
        "places.com",
        "poi@places.com",
    ] {
        for c in value.chars() {
            update(&mut m, key(KeyCode::Char(c)));
        }
        update(&mut m, key(KeyCode::Tab));
    }
    m
}

fn keystroke_redraw(c: &mut Criterion) {
    let mut model = subject_form();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let mut flip = false;
    c.bench_function("keystroke + redraw, subject form 80x24", |b| {
        b.iter(|| {
            // Type and delete a character in turn, so the field neither grows nor stays the same.
            flip = !flip;
            let msg = if flip {
                key(KeyCode::Char('x'))
            } else {
                key(KeyCode::Backspace)
            };
            update(&mut model, msg);
            terminal.draw(|f| view(&model, f)).expect("draw");
        })
    });
}

criterion_group!(benches, keystroke_redraw);
criterion_main!(benches);
