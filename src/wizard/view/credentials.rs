//! Screen 6, Credentials: the IDs and the client secret pasted from the Console, each shape checked.
use super::super::model::Model;
use super::super::theme::Theme;
use super::{form, para};
use crate::store::Auth;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut intro = vec![Line::from(match model.auth {
        Auth::Jwt => {
            "From the Console's Credentials page, Service Account (JWT). Paste each value:"
        }
        Auth::Oauth => {
            "From the Console's Credentials page, OAuth Server-to-Server. Paste each value:"
        }
    })];
    intro.push(if model.demo {
        Line::styled(
            "DEMO: the emulator's values are filled in; edit them to see the checks.",
            theme.warn,
        )
    } else {
        Line::from("")
    });
    frame.render_widget(para(intro), area);
    let fields: Vec<&_> = model
        .credential_fields()
        .into_iter()
        .map(|f| model.credential(f))
        .collect();
    let fields_area = Rect {
        y: area.y + 2,
        height: area.height.saturating_sub(2),
        ..area
    };
    let used = form::draw(
        &fields,
        model.credential_focus,
        22,
        2,
        theme,
        frame,
        fields_area,
    );
    let note = match model.auth {
        Auth::Jwt => {
            "The metascope of Places is ent_places_sdk. The secret is stored in a 0600 file."
        }
        Auth::Oauth => "Scopes: copy them from the credential's Scopes tab, comma-separated.",
    };
    let rest = Rect {
        y: fields_area.y + used,
        height: fields_area.height.saturating_sub(used),
        ..area
    };
    frame.render_widget(para(vec![Line::styled(note, theme.dim)]), rest);
}
