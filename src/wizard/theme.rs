//! Named ANSI colours only, so the terminal's own palette keeps them readable on dark and light
//! backgrounds; with NO_COLOR, emphasis comes from bold, dim and reverse alone.
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub accent: Style,
    pub dim: Style,
    pub error: Style,
    pub ok: Style,
    pub warn: Style,
    pub focus: Style,
    pub badge: Style,
    pub key: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !color {
            return Theme {
                title: bold,
                accent: bold,
                dim: Style::new().add_modifier(Modifier::DIM),
                error: bold,
                ok: Style::new(),
                warn: bold,
                focus: Style::new().add_modifier(Modifier::REVERSED),
                badge: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                key: bold,
            };
        }
        Theme {
            title: bold.fg(Color::Cyan),
            accent: Style::new().fg(Color::Cyan),
            dim: Style::new().add_modifier(Modifier::DIM),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            focus: Style::new().add_modifier(Modifier::REVERSED),
            badge: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }
}
