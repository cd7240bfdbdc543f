//! Text fields in a column: label, value (or placeholder), the error beside it, and the cursor.
use super::super::field::TextField;
use super::super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What is left of `area` below its first `rows` lines: the form under a screen's intro, or what
/// is shown under the form.
pub fn below(area: Rect, rows: u16) -> Rect {
    Rect {
        y: area.y + rows,
        height: area.height.saturating_sub(rows),
        ..area
    }
}

/// Draws `fields` from the top of `area`, `rows` lines each (2 leaves a line for the error),
/// and places the terminal cursor in the focused one. Returns the lines used.
pub fn draw(
    fields: &[&TextField],
    focus: usize,
    label_width: u16,
    rows: u16,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> u16 {
    let value_x = area.x + label_width + 2;
    let value_width = area.width.saturating_sub(label_width + 2).max(1);
    // Rows flow: an error too long for its line wraps under itself and pushes the next field down.
    let height = |field: &TextField| match (&field.error, rows > 1) {
        (Some(error), true) => {
            let wrapped = super::wrap::line(
                &Line::from(format!("↳ {error}")),
                value_width.saturating_sub(2),
            );
            rows.max(wrapped.len() as u16 + 1)
        }
        _ => rows,
    };
    // When errors make the form taller than its area, the first fields scroll away so that the
    // focused one is whole on screen.
    let mut first = 0;
    while first < focus
        && fields[first..=focus.min(fields.len().saturating_sub(1))]
            .iter()
            .map(|f| height(f))
            .sum::<u16>()
            > area.height
    {
        first += 1;
    }
    let mut y = area.y;
    for (i, field) in fields.iter().enumerate().skip(first) {
        if y >= area.y + area.height {
            break;
        }
        let focused = i == focus;
        let marker = if focused {
            Span::styled("› ", theme.accent)
        } else {
            Span::raw("  ")
        };
        let label = Span::styled(
            format!("{:<width$}", field.label, width = label_width as usize),
            if focused {
                theme.title
            } else {
                ratatui::style::Style::new()
            },
        );
        frame.render_widget(
            Paragraph::new(Line::from(vec![marker, label])),
            Rect {
                x: area.x,
                y,
                width: label_width + 2,
                height: 1,
            },
        );

        let shown = field.display();
        // An example is marked as one ("e.g. …", dim and italic) so it never passes for a value;
        // an empty field with an error says it is empty, so the error is not read as the example's.
        let example = ratatui::style::Style::new()
            .patch(theme.dim)
            .add_modifier(ratatui::style::Modifier::ITALIC);
        let (text, style) = if shown.is_empty() && field.error.is_some() {
            ("(empty)".to_string(), example)
        } else if shown.is_empty() && !field.placeholder.is_empty() {
            (format!("e.g. {}", field.placeholder), example)
        } else if shown.is_empty() {
            (String::new(), theme.dim)
        } else {
            (
                shown,
                if focused {
                    theme.focus
                } else {
                    ratatui::style::Style::new()
                },
            )
        };
        // Long values scroll so the cursor stays visible.
        let chars: Vec<char> = text.chars().collect();
        let cursor = if field.text().is_empty() {
            0
        } else {
            field.cursor()
        };
        let width = value_width.saturating_sub(1) as usize;
        let start = cursor.saturating_sub(width);
        let mut visible: String = chars.iter().skip(start).take(width + 1).collect();
        if start > 0 {
            // Scrolled: the start is hidden, and says so.
            visible.replace_range(..visible.chars().next().map_or(0, char::len_utf8), "…");
        }
        let value_area = Rect {
            x: value_x,
            y,
            width: value_width,
            height: 1,
        };
        let mut spans = vec![Span::styled(visible, style)];
        if rows == 1
            && let Some(error) = &field.error
        {
            spans.push(Span::styled(format!("  {error}"), theme.error));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
        let mut used = rows;
        if rows > 1
            && let Some(error) = &field.error
        {
            let error = super::wrap::line(
                &Line::styled(format!("↳ {error}"), theme.error),
                value_width.saturating_sub(2),
            );
            // The continuation lines hang under the message, past the arrow.
            let error: Vec<Line> = error
                .into_iter()
                .enumerate()
                .map(|(n, l)| if n == 0 { l } else { indented(l) })
                .collect();
            used = used.max(error.len() as u16 + 1);
            for (n, l) in error.into_iter().enumerate() {
                let row = y + 1 + n as u16;
                if row >= area.y + area.height {
                    break;
                }
                let error_area = Rect {
                    x: value_x,
                    y: row,
                    width: value_width,
                    height: 1,
                };
                frame.render_widget(Paragraph::new(l), error_area);
            }
        }
        if focused {
            frame.set_cursor_position((value_x + (cursor - start) as u16, y));
        }
        y += used;
    }
    y - area.y
}

/// A wrapped line of an error moved two columns in, under the text after `↳ `.
fn indented(line: Line<'static>) -> Line<'static> {
    let mut spans = vec![Span::raw("  ")];
    spans.extend(line.spans);
    Line::from(spans).style(line.style)
}
