//! Screen 6, Credentials: the IDs and the client secret pasted from the Console, each shape checked.
use super::super::model::Model;
use super::super::theme::Theme;
use super::{form, para};
use crate::session::Auth;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut intro =
        vec![Line::from(match (model.migrating(), model.imported_from()) {
        (Some(name), _) => {
            format!("Migrate \"{name}\" to OAuth Server-to-Server (IDs and secret kept). Scopes:")
        }
        (None, Some(file)) => format!("Imported {file}; Enter tests it:"),
        (None, None) => match model.auth() {
            Auth::Jwt => {
                "From the Console's Credentials page, Service Account (JWT). Paste each value:"
                    .to_string()
            }
            Auth::Oauth => {
                "From the Console's Credentials page, OAuth Server-to-Server. Paste each value:"
                    .to_string()
            }
        },
    })];
    intro.push(if model.run.demo {
        Line::styled(
            if model.imported_from().is_some() {
                "DEMO: these go to the demo's emulator; edit them to see the checks."
            } else {
                "DEMO: the emulator's values are filled in; edit them to see the checks."
            },
            theme.warn,
        )
    } else {
        Line::from("")
    });
    // Two rows at most: the form starts below them.
    let intro_area = Rect {
        height: area.height.min(2),
        ..area
    };
    frame.render_widget(para(intro), intro_area);
    let fields: Vec<&_> = model
        .credential_fields()
        .into_iter()
        .map(|f| model.credential(f))
        .collect();
    let fields_area = form::below(area, 2);
    let used = form::draw(
        &fields,
        model.credentials.focus,
        22,
        2,
        theme,
        frame,
        fields_area,
    );
    let note = match model.auth() {
        Auth::Jwt => {
            "The metascope of Places is ent_places_sdk. The secret is stored in a 0600 file."
        }
        Auth::Oauth => {
            "Scopes say what the token may be used for. IMS grants only those the credential holds: copy the list from the credential's Scopes tab (or the Console's JSON), comma-separated, none added or left out."
        }
    };
    let mut note = vec![Line::styled(note, theme.dim)];
    if model.imported_from().is_some() {
        note.push(Line::styled(
            "The downloaded file holds the client secret in clear: delete it once the test passes.",
            theme.warn,
        ));
    }
    let rest = form::below(fields_area, used);
    frame.render_widget(para(note), rest);
}
