//! One way of fitting text to the screen's width for every screen: lines break between words,
//! continuation lines hang under the line's own indent, and a word wider than a line (a path) is
//! broken after a `/` rather than anywhere, so that nothing is cut and nothing runs back to column 1.
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Lines wrapped as they are drawn, at the width of the area they are given.
pub struct Wrapped<'a> {
    lines: Vec<Line<'a>>,
}

impl<'a> Wrapped<'a> {
    pub fn new(lines: Vec<Line<'a>>) -> Wrapped<'a> {
        Wrapped { lines }
    }
}

impl Widget for Wrapped<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Paragraph::new(lines(&self.lines, area.width)).render(area, buf);
    }
}

/// Every line wrapped to `width` columns.
pub fn lines(lines: &[Line<'_>], width: u16) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| line(l, width)).collect()
}

/// One styled line wrapped to `width`; continuation lines are indented as the line itself is.
pub fn line(line: &Line<'_>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(8));
    let style = line.style;
    let chars: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| {
            let st = style.patch(s.style);
            s.content.chars().map(move |c| (c, st))
        })
        .collect();
    let lead = chars.iter().take_while(|(c, _)| *c == ' ').count();
    // `label    value`: continuations hang under the value, not under the label.
    let column = (lead..chars.len().min(24).saturating_sub(2))
        .find(|&i| chars[i].0 != ' ' && chars[i + 1].0 == ' ' && chars[i + 2].0 == ' ')
        .and_then(|i| (i + 1..chars.len()).find(|&j| chars[j].0 != ' '));
    let indent = column.unwrap_or(lead);
    // An indent as wide as the line leaves no room: then the continuation starts a little in.
    let indent = if indent + 12 > width { 2 } else { indent };
    let mut out: Vec<Vec<(char, Style)>> = Vec::new();
    let mut current: Vec<(char, Style)> = Vec::new();
    for word in words(&chars) {
        let (space, text) = word;
        let fresh = current.iter().all(|(c, _)| *c == ' ');
        // A word no line can hold (a path) starts where it is, unless little room is left.
        let too_wide = indent + text.len() > width && current.len() + space.len() + 12 <= width;
        if !fresh && !too_wide && current.len() + space.len() + text.len() > width {
            out.push(std::mem::take(&mut current));
            current = vec![(' ', Style::new()); indent];
        } else {
            current.extend_from_slice(space);
        }
        let mut text: &[(char, Style)] = text;
        while current.len() + text.len() > width {
            let room = width.saturating_sub(current.len());
            let cut = break_at(text, room);
            if cut == 0 && current.iter().any(|(c, _)| *c != ' ') {
                out.push(std::mem::take(&mut current));
                current = vec![(' ', Style::new()); indent];
                continue;
            }
            let cut = cut.max(1).min(text.len());
            current.extend_from_slice(&text[..cut]);
            out.push(std::mem::take(&mut current));
            current = vec![(' ', Style::new()); indent];
            text = &text[cut..];
        }
        current.extend_from_slice(text);
    }
    out.push(current);
    out.into_iter()
        .map(|chars| Line::from(spans(&chars)).style(style))
        .collect()
}

/// Where a word too wide for `room` columns breaks: after its last `/` (or other separator) that
/// fits, else at `room` itself.
fn break_at(text: &[(char, Style)], room: usize) -> usize {
    if room == 0 {
        return 0;
    }
    let fits = &text[..room.min(text.len())];
    match fits
        .iter()
        .rposition(|(c, _)| matches!(c, '/' | '\\' | ',' | '&' | '?'))
    {
        Some(i) if i + 1 >= room / 3 => i + 1,
        _ => room,
    }
}

/// Characters with their style, as the wrap sees a line.
type Styled = [(char, Style)];

/// The line as (the spaces before a word, the word) pairs; leading spaces are part of the first.
fn words(chars: &Styled) -> Vec<(&Styled, &Styled)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].0 == ' ' {
            i += 1;
        }
        let word = i;
        while i < chars.len() && chars[i].0 != ' ' {
            i += 1;
        }
        out.push((&chars[start..word], &chars[word..i]));
    }
    out
}

/// Runs of characters of one style as spans.
fn spans(chars: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for (c, s) in chars {
        if style.is_some_and(|st| st != *s) {
            out.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(*s);
        text.push(*c);
    }
    if !text.is_empty() {
        out.push(Span::styled(text, style.unwrap_or_default()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, width: u16) -> Vec<String> {
        line(&Line::from(text.to_string()), width)
            .iter()
            .map(|l| l.to_string())
            .collect()
    }

    #[test]
    fn words_are_never_cut_and_continuations_hang_under_the_indent() {
        assert_eq!(
            shown("  one two three four", 12),
            ["  one two", "  three four"]
        );
        assert_eq!(shown("short", 20), ["short"]);
    }

    #[test]
    fn a_long_path_breaks_after_a_slash_under_its_indent_not_at_column_one() {
        let path = "    /tmp/a/very/long/folder/name/that/goes/on/and/on/for/quite/a/while/keys/places_integration_test_private.key";
        let lines = shown(path, 78);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with('/'), "{lines:?}");
        assert!(lines[1].starts_with("    places_"), "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 78));
        assert_eq!(lines.concat().replace("    ", ""), path.replace("    ", ""));
    }

    #[test]
    fn a_labelled_value_hangs_under_the_value() {
        let backup = format!(
            "  backup       /tmp/{}/keys/p_private.key.1",
            "long/".repeat(14)
        );
        let lines = shown(&backup, 78);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[1].starts_with(&format!("{}long/", " ".repeat(15))),
            "{lines:?}"
        );
    }

    #[test]
    fn styles_survive_the_wrap() {
        let styled = Line::from(vec![
            Span::raw("plain words here "),
            Span::styled("bold words", Style::new().bold()),
        ]);
        let lines = line(&styled, 20);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].spans[0].content, "bold words");
        assert_eq!(lines[1].spans[0].style, Style::new().bold());
    }
}
