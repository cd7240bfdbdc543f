//! Screen 2, Prerequisites: the checklist from assets/, each item with how to get it done.
use super::super::model::Model;
use super::super::theme::Theme;
use super::para;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::from("Check with your organization's System Administrator that these are done:"),
        Line::from(""),
    ];
    for (i, item) in model.prerequisites().iter().enumerate() {
        let ticked = model.checklist.ticked.get(i).copied().unwrap_or(false);
        let focused = i == model.checklist.focus;
        let mark = if ticked {
            Span::styled("[x] ", theme.ok)
        } else {
            Span::raw("[ ] ")
        };
        let style = if focused {
            theme.focus
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(if focused { "› " } else { "  " }, theme.accent),
            mark,
            Span::styled(item.title.clone(), style),
        ]));
    }
    lines.push(Line::from(""));
    if let Some(item) = model.prerequisites().get(model.checklist.focus) {
        lines.push(Line::styled("How to get it done", theme.title));
        lines.push(Line::from(item.how.clone()));
    }
    let unticked = model.unticked_required();
    if model.checklist.unticked_warned && unticked > 0 {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("{unticked} item{} not ticked: the Console may not offer Places Service. Enter again to continue anyway.", if unticked == 1 { " is" } else { "s are" }),
            theme.warn,
        ));
    }
    frame.render_widget(para(lines), area);
}
