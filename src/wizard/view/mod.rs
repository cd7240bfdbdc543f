//! `view(&Model, &mut Frame)`: pure drawing. One file per screen; a shared header, footer and help.
mod console;
mod credentials;
mod exchange;
mod form;
mod generating;
mod import;
mod key_files;
mod prerequisites;
mod subject;
mod token;
mod welcome;
pub mod wrap;

use super::model::{MIN_SIZE, Model, Step};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::SystemTime;

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let theme = Theme::new(model.run.color);
    let area = frame.area();
    if model.too_small() {
        too_small(model, &theme, frame, area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(model, &theme, frame, header);
    let body = body.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 0,
    });
    match model.step {
        Step::Welcome => welcome::draw(model, &theme, frame, body),
        Step::Prerequisites => prerequisites::draw(model, &theme, frame, body),
        Step::KeyFiles => key_files::draw(model, &theme, frame, body),
        Step::Subject => subject::draw(model, &theme, frame, body),
        Step::Generating => generating::draw(model, &theme, frame, body),
        Step::Credentials => credentials::draw(model, &theme, frame, body),
        Step::Exchange => exchange::draw(model, &theme, frame, body),
        Step::Token => token::draw(model, &theme, frame, body),
        Step::Console => console::draw(model, &theme, frame, body),
        Step::Import => import::draw(model, &theme, frame, body),
    }
    draw_footer(&keys(model), &theme, frame, footer);
    if model.help_open {
        draw_help(model, &theme, frame, area);
    }
}

/// How far the screen (a refusal, the token with its curl command) can scroll at the model's
/// screen size.
pub fn scroll_max(model: &Model) -> u16 {
    if model.too_small() {
        return 0;
    }
    // The body as `view` lays it out: the header's 2 rows and the footer's 1, a column each side.
    let (width, height) = (
        model.size.0.saturating_sub(2),
        model.size.1.saturating_sub(3),
    );
    let count = match model.step {
        Step::Exchange => exchange::lines(model, &Theme::new(false), width).len(),
        Step::Token => token::lines(model, &Theme::new(false), width).len(),
        _ => return 0,
    };
    overflow(count, height)
}

/// The lines beyond `height`, counting the last row taken by the "more" line.
fn overflow(count: usize, height: u16) -> u16 {
    let height = usize::from(height);
    if count <= height {
        0
    } else {
        (count - height.saturating_sub(1)) as u16
    }
}

/// Lines already wrapped to the area's width, drawn from `offset`; when they are more than the
/// area holds, the last row says there is more and how to see it.
fn draw_scrolled(
    lines: Vec<Line<'static>>,
    offset: u16,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let height = usize::from(area.height);
    if lines.len() <= height {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let shown = height.saturating_sub(1);
    let max = lines.len() - shown;
    let offset = usize::from(offset).min(max);
    let mut visible: Vec<Line> = lines.into_iter().skip(offset).take(shown).collect();
    let more = match (offset > 0, offset < max) {
        (true, true) => "↑↓ PgUp PgDn: more above and below",
        (false, _) => "↓ PgDn: more below",
        (true, false) => "↑ PgUp: more above",
    };
    visible.push(Line::styled(more, theme.dim));
    frame.render_widget(Paragraph::new(visible), area);
}

fn draw_header(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let left = vec![
        Span::styled(" places-setup ", theme.title),
        Span::styled(
            match model.position() {
                Some((at, of)) => format!("· {at}/{of} {}", model.step.title()),
                None => format!("· {}", model.step.title()),
            },
            theme.accent,
        ),
    ];
    let auth = match (model.step, model.auth()) {
        (Step::Welcome, _) => "",
        (_, crate::session::Auth::Jwt) => "JWT · ",
        (_, crate::session::Auth::Oauth) => "OAuth · ",
    };
    let mut right = vec![Span::styled(
        format!("{auth}profile {} ", model.profile_name),
        theme.dim,
    )];
    if model.run.demo {
        right.push(Span::styled(" DEMO ", theme.badge));
        right.push(Span::raw(" "));
    }
    let right = Line::from(right);
    let [top, rule] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), top);
    frame.render_widget(Paragraph::new(right).right_aligned(), top);
    frame.render_widget(
        Paragraph::new("─".repeat(area.width as usize)).style(theme.dim),
        rule,
    );
}

/// The keys that work on this screen: the footer and the help are built from the same list.
pub fn keys(model: &Model) -> Vec<(&'static str, &'static str)> {
    let mut keys: Vec<(&str, &str)> = match model.step {
        Step::Welcome => vec![("↑↓", "choose"), ("Enter", "continue"), ("q", "quit")],
        Step::Prerequisites => vec![
            ("↑↓", "move"),
            ("Space", "tick"),
            ("Enter", "continue"),
            ("Esc", "back"),
        ],
        Step::KeyFiles => {
            let mut k = vec![("Tab", "next"), ("Enter", "continue"), ("Esc", "back")];
            if model.key_files.existing == super::model::Existing::MatchingPair {
                k.push(("Ctrl-K", "keep"));
            }
            if !matches!(
                model.key_files.existing,
                super::model::Existing::None
                    | super::model::Existing::Unknown
                    | super::model::Existing::BadFolder(_)
            ) {
                k.push(("Ctrl-R", "replace"));
            }
            k
        }
        Step::Subject => vec![("Tab", "next"), ("Enter", "generate"), ("Esc", "back")],
        Step::Generating if model.pair.written.is_some() => vec![
            ("Enter", "continue"),
            ("c", "copy .crt path"),
            ("Esc", "back"),
        ],
        Step::Generating if model.pair.error.is_some() => {
            vec![("Enter", "folder and name"), ("Esc", "subject")]
        }
        Step::Generating => vec![("Esc", "back")],
        // Migrating: the scopes alone, no secret on the form.
        Step::Credentials if model.migrating().is_some() => {
            vec![("Enter", "test"), ("Esc", "back")]
        }
        Step::Credentials => vec![
            ("Tab", "next"),
            ("Ctrl-R", "reveal"),
            ("Enter", "test"),
            ("Esc", "back"),
        ],
        Step::Exchange => match &model.exchange.state {
            super::model::Exchange::Failed(f) => {
                let mut k = vec![("r", "retry")];
                if model.migrating().is_some() {
                    k.push(("e", "edit scopes"));
                } else if model.refreshing().is_some() && f.suggest_oauth {
                    k.push(("o", "migrate to OAuth"));
                }
                if model.refreshing().is_none() {
                    k.push((
                        "e",
                        if f.field.is_some() {
                            "edit field"
                        } else {
                            "edit"
                        },
                    ));
                    if f.suggest_oauth {
                        k.push(("o", "switch to OAuth"));
                    }
                }
                k.push(("Esc", "back"));
                k
            }
            _ => vec![("Esc", "cancel")],
        },
        Step::Console => vec![("Enter", "continue"), ("Esc", "back")],
        Step::Import if model.import.project.is_some() => {
            vec![("↑↓", "choose"), ("Enter", "use it"), ("Esc", "back")]
        }
        Step::Import => vec![("Enter", "read the file"), ("Esc", "back")],
        Step::Token => {
            let mut k = vec![("c", "copy"), ("v", "verify"), ("u", "curl"), ("s", "show")];
            if model.refreshing().is_some() || matches!(model.token.saved.answer, Some(Ok(_))) {
                k.push(("r", "renew"));
            }
            k.push(("Enter", "done"));
            k.push(("Esc", "back"));
            k
        }
    };
    // A page longer than the screen (a long refusal, the token with the curl command shown).
    if scroll_max(model) > 0 {
        keys.insert(0, ("PgUp PgDn", "scroll"));
    }
    keys.push(("F1", "help"));
    keys.push(("Ctrl-C", "quit"));
    keys
}

fn draw_footer(keys: &[(&str, &str)], theme: &Theme, frame: &mut Frame, area: Rect) {
    // On a narrow screen Ctrl-C makes room first (Esc and Enter leave too, and the help lists it),
    // then scrolling (the body says "↓ PgDn: more below"),
    // then the most familiar keys; F1 always stays.
    let mut keys = keys.to_vec();
    // " key action · key action": a space first, then each pair, " · " between them.
    let width = |keys: &[(&str, &str)]| {
        keys.iter()
            .map(|(k, a)| k.chars().count() + 1 + a.chars().count() + 3)
            .sum::<usize>()
            .saturating_sub(2)
    };
    for familiar in ["Ctrl-C", "PgUp PgDn", "Tab", "↑↓", "Esc"] {
        if width(&keys) <= area.width as usize {
            break;
        }
        keys.retain(|(k, _)| *k != familiar);
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (key, action)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(Span::styled(*key, theme.key));
        spans.push(Span::raw(format!(" {action}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn help_texts() -> &'static BTreeMap<String, String> {
    static TEXTS: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        toml::from_str(include_str!("../../../assets/help.toml")).unwrap_or_default()
    })
}

/// The screen's help; an OAuth Server-to-Server integration has its own where the JWT's would
/// speak of a certificate or a technical account.
pub fn help_text(step: Step, auth: crate::session::Auth) -> &'static str {
    let texts = help_texts();
    let oauth = format!("{}_oauth", step.help_key());
    let text = match auth {
        crate::session::Auth::Oauth if step != Step::Welcome => texts.get(&oauth),
        _ => None,
    };
    text.or_else(|| texts.get(step.help_key()))
        .map_or("", |s| s.trim())
}

/// Help text as display lines: paragraphs re-flowed by the wrap, indented lines kept as they are.
fn help_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut paragraph = String::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with("  ") {
            if !paragraph.is_empty() {
                lines.push(std::mem::take(&mut paragraph));
            }
            lines.push(line.to_string());
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line.trim());
        }
    }
    if !paragraph.is_empty() {
        lines.push(paragraph);
    }
    lines
}

fn draw_help(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = area.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 1,
    });
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = help_lines(help_text(model.step, model.auth()))
        .into_iter()
        .map(Line::from)
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled("Keys on this screen", theme.title));
    // Rows of whole pairs: a key is never left at a row's end with its action on the next.
    let width = usize::from(area.width.saturating_sub(6));
    let mut row: Vec<Span> = vec![];
    let mut used = 0;
    for (key, action) in keys(model).into_iter().chain([("Esc", "close help")]) {
        let pair = key.chars().count() + action.chars().count() + 3;
        if used > 0 && used + pair > width {
            lines.push(Line::from(std::mem::take(&mut row)));
            used = 0;
        }
        row.push(Span::styled(format!(" {key} "), theme.key));
        row.push(Span::raw(format!("{action} ")));
        used += pair;
    }
    lines.push(Line::from(row));
    // A column of space inside the border each side: text never touches the frame.
    let block = Block::bordered()
        .padding(ratatui::widgets::Padding::horizontal(1))
        .title(Span::styled(
            format!(" Help: {} ", model.step.title()),
            theme.title,
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(para(lines), inner);
}

fn too_small(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::styled("places-setup", theme.title),
        Line::from("Please enlarge this terminal"),
        Line::from(format!("to at least {}×{}", MIN_SIZE.0, MIN_SIZE.1)),
        Line::styled(
            format!("(now {}×{})", model.size.0, model.size.1),
            theme.dim,
        ),
        Line::styled("Ctrl-C quits", theme.dim),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let area = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines).centered().wrap(Wrap { trim: true }),
        area,
    );
}

/// A spinner frame for the current moment (ticks come every 100 ms while something runs).
pub fn spinner(now: SystemTime) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    let ms = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    FRAMES[(ms / 100 % 10) as usize]
}

/// Text lines wrapped between words to the area they are drawn in (`wrap`).
pub fn para(lines: Vec<Line<'_>>) -> wrap::Wrapped<'_> {
    wrap::Wrapped::new(lines)
}
