//! Screen 4, Certificate subject: OpenSSL's seven fields and the validity, checked as they are typed.
use super::super::model::{KeyGen, Model};
use super::super::theme::Theme;
use super::{form, para, spinner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let status = match &model.keygen {
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
        Line::from("The fields OpenSSL asks for. Empty ones are left out. Examples: the guide's."),
        Line::from(status),
    ];
    frame.render_widget(para(intro), area);
    let fields: Vec<&_> = model.subject.iter().collect();
    let fields_area = Rect {
        y: area.y + 2,
        height: area.height.saturating_sub(2),
        ..area
    };
    form::draw(
        &fields,
        model.subject_focus,
        30,
        2,
        theme,
        frame,
        fields_area,
    );
}
