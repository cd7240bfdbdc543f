//! Screen 8, Access token: expiry countdown, masked token, copy, verify against the Places API, curl.
use super::super::model::{CopyOutcome, Model, Verification};
use super::super::theme::Theme;
use super::{para, spinner};
use crate::timefmt;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

/// "eyJhbGci…(1043 characters)": enough to recognise, not enough to use.
pub fn masked(token: &str) -> String {
    let head: String = token.chars().take(8).collect();
    format!(
        "{head}{} ({} characters)",
        "•".repeat(24),
        token.chars().count()
    )
}

pub fn copy_line<'a>(outcome: &CopyOutcome, theme: &Theme, what: &str) -> Line<'a> {
    match outcome {
        CopyOutcome::Native(how) => Line::styled(
            format!(
                "✓ Copied {what} to the clipboard ({how}); it stays pasteable after places-setup exits."
            ),
            theme.ok,
        ),
        CopyOutcome::Osc52 { tmux } => Line::styled(
            format!(
                "✓ Sent {what} to your terminal's clipboard (OSC 52{}); if nothing pastes, your terminal does not allow it.",
                if *tmux { " through tmux" } else { "" }
            ),
            theme.ok,
        ),
        CopyOutcome::Failed(why) => Line::styled(
            format!("Could not copy: {why}. Print it instead: places-setup token"),
            theme.warn,
        ),
    }
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(token) = &model.token else { return };
    let left = token
        .expires_at
        .duration_since(model.now)
        .unwrap_or_default();
    let secs = left.as_secs();
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Token type  ", theme.title),
            Span::raw(token.token_type.clone()),
            Span::styled(
                if token.from_cache {
                    "   (still valid: reused)"
                } else {
                    "   (new from Adobe IMS)"
                },
                theme.dim,
            ),
        ]),
        Line::from(vec![
            Span::styled("Expires in  ", theme.title),
            Span::styled(
                format!(
                    "{:02}:{:02}:{:02}",
                    secs / 3600,
                    secs % 3600 / 60,
                    secs % 60
                ),
                if secs < 600 { theme.warn } else { theme.ok },
            ),
            Span::styled(
                format!("   at {}", timefmt::rfc3339(token.expires_at)),
                theme.dim,
            ),
        ]),
        Line::from(vec![
            Span::styled("Token       ", theme.title),
            Span::raw(if model.reveal_token {
                String::new()
            } else {
                masked(token.access_token.expose_secret())
            }),
        ]),
    ];
    if model.reveal_token {
        lines.push(Line::from(token.access_token.expose_secret().to_string()));
    }
    lines.push(Line::from(""));
    if let Some(outcome) = &model.copy {
        lines.push(copy_line(outcome, theme, "the token"));
    }
    match &model.verification {
        Verification::Idle => {}
        Verification::Running { .. } => lines.push(Line::styled(
            format!(
                "{} Checking the token against the Places API…",
                spinner(model.now)
            ),
            theme.accent,
        )),
        Verification::Done(Ok(n)) => lines.push(Line::styled(
            format!(
                "✓ The Places API accepts the token: the org has {n} POI librar{}.",
                if *n == 1 { "y" } else { "ies" }
            ),
            theme.ok,
        )),
        Verification::Done(Err(e)) => lines.push(Line::styled(format!("✗ {e}"), theme.error)),
    }
    match &model.saved {
        Some(Ok(path)) => lines.push(Line::styled(
            format!(
                "✓ Profile \"{}\" saved in {}",
                model.profile_name,
                path.display()
            ),
            theme.ok,
        )),
        Some(Err(e)) => lines.push(Line::styled(
            format!("✗ The profile could not be saved: {e}"),
            theme.error,
        )),
        None => {}
    }
    if model.show_curl {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "Run by hand (`places-setup curl` prints it with the token itself):",
            theme.title,
        ));
        lines.push(Line::from(format!(
            "curl -X GET '{}/libraries' \\",
            model.places_url.trim_end_matches('/')
        )));
        lines.push(Line::from(
            "  -H \"Authorization: Bearer $(places-setup token)\" \\",
        ));
        lines.push(Line::from(format!(
            "  -H 'x-api-key: {}' \\",
            model.client_id.text()
        )));
        lines.push(Line::from(format!(
            "  -H 'x-gw-ims-org-id: {}'",
            model.org_id.text()
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Later: run places-setup again (Enter refreshes and copies), or `places-setup token` in scripts.", theme.dim));
    frame.render_widget(para(lines), area);
}
