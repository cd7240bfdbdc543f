//! Import: the path of the JSON the Developer Console downloaded, then the choice among its OAuth credentials.
use super::super::model::Model;
use super::super::theme::Theme;
use super::{form, para};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(project) = &model.import.project else {
        let intro = vec![
            Line::from(
                "The project's JSON, from the Developer Console: open the project, then \"Download all\".",
            ),
            Line::from(""),
        ];
        frame.render_widget(para(intro), area);
        let fields_area = form::below(area, 2);
        let used = form::draw(&[&model.import.path], 0, 6, 2, theme, frame, fields_area);
        let mut rest = vec![];
        if let Some(e) = &model.import.error {
            rest.push(Line::styled(e.clone(), theme.warn));
            rest.push(Line::from(""));
        }
        rest.push(Line::styled(
            "Read: the organization ID, and from its OAuth Server-to-Server credential the client ID, client secret and scopes. The file holds the secret in clear: delete it once imported.",
            theme.dim,
        ));
        let rest_area = form::below(fields_area, used);
        frame.render_widget(para(rest), rest_area);
        return;
    };
    let mut lines = vec![
        Line::from(format!(
            "{} holds {} OAuth Server-to-Server credentials (org {}). Which one?",
            model.import.path.text().trim(),
            project.credentials.len(),
            project.org_id
        )),
        Line::from(""),
    ];
    for (i, c) in project.credentials.iter().enumerate() {
        let focused = i == model.import.choice;
        lines.push(Line::from(vec![
            Span::styled(if focused { "› " } else { "  " }, theme.accent),
            Span::styled(
                format!("{:<28} client ID {}", c.name, c.client_id),
                if focused {
                    theme.focus
                } else {
                    ratatui::style::Style::new()
                },
            ),
        ]));
        lines.push(Line::styled(
            format!("    scopes {}", c.scopes.join(",")),
            theme.dim,
        ));
    }
    frame.render_widget(para(lines), area);
}
