//! Screen 4, Certificate subject: OpenSSL's seven fields and the validity, checked as they are typed.
use super::super::model::{KeyGen, Model};
use super::super::theme::Theme;
use super::{form, para, spinner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let status = match &model.pair.keygen {
        KeyGen::Running { .. } => Span::styled(
            format!(
                "{} generating the RSA 2048 key in the background…",
                spinner(model.now)
            ),
            theme.accent,
        ),
        KeyGen::Ready(_) => Span::styled("✓ RSA 2048 key ready", theme.ok),
        KeyGen::Failed(e) => Span::styled(format!("key generation failed: {e}"), theme.error),
        KeyGen::Idle => Span::styled("using the existing key", theme.dim),
    };
    let intro = vec![
        Line::from(
            "The fields OpenSSL asks for; empty ones are left out. \"e.g.\" marks an example.",
        ),
        Line::from(status),
    ];
    frame.render_widget(para(intro), area);
    let fields: Vec<&_> = model.subject.fields.iter().collect();
    let fields_area = form::below(area, 2);
    let used = form::draw(
        &fields,
        model.subject.focus,
        30,
        2,
        theme,
        frame,
        fields_area,
    );
    let preview = form::below(fields_area, used);
    frame.render_widget(para(subject_preview(model, theme)), preview);
}

/// The subject Enter will write, as OpenSSL prints it, with the default named when it applies.
fn subject_preview<'a>(model: &Model, theme: &Theme) -> Vec<Line<'a>> {
    let values: Vec<&str> = model
        .subject
        .fields
        .iter()
        .take(7)
        .map(|f| f.text())
        .collect();
    let Ok(values) = <[&str; 7]>::try_from(values) else {
        return vec![];
    };
    let name = model.key_files.name.text();
    match crate::session::Subject::new(values, name) {
        Ok(subject) => {
            let mut line = vec![
                Span::styled("Enter writes: ", theme.title),
                Span::raw(subject.one_line()),
            ];
            if values.iter().all(|v| v.trim().is_empty()) {
                line.push(Span::styled(" (the default: no field typed)", theme.dim));
            }
            vec![Line::from(line)]
        }
        Err(_) => vec![Line::styled(
            "Enter writes: (fix the field marked above first)",
            theme.dim,
        )],
    }
}
