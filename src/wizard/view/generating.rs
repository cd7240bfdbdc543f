//! Screen 5, Key pair: the files written, their modes, fingerprint and expiry, and the Console's upload steps.
use super::super::model::{Model, WriteMode};
use super::super::theme::Theme;
use super::{para, spinner};
use crate::timefmt;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// `label  mode  path` on one line when it fits the width, else the path on a line of its own
/// below, indented, so that a long path is never broken at a `/` and never runs under the labels.
fn file_lines(lines: &mut Vec<Line>, label: &str, mode: u32, path: &std::path::Path, width: usize) {
    let head = format!("  {label}  {mode:04o}");
    let path = path.display().to_string();
    if head.chars().count() + 2 + path.chars().count() <= width {
        lines.push(Line::from(format!("{head}  {path}")));
    } else {
        lines.push(Line::from(head));
        lines.push(Line::from(format!("    {path}")));
    }
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    if let Some(error) = &model.pair.error {
        lines.push(Line::styled(
            format!("The key pair could not be written: {error}"),
            theme.error,
        ));
        lines.push(Line::from(
            "Nothing that existed was changed. Enter goes back to the folder and name, Esc to the subject.",
        ));
        frame.render_widget(para(lines), area);
        return;
    }
    let Some(pair) = &model.pair.written else {
        let what = if model.subject.waiting_for_key {
            "Generating the RSA 2048 key"
        } else {
            "Writing the key pair"
        };
        lines.push(Line::from(Span::styled(
            format!("{} {what}…", spinner(model.now)),
            theme.accent,
        )));
        frame.render_widget(para(lines), area);
        return;
    };
    let days = timefmt::days_left(pair.expires_at, model.now);
    let heading = if model.key_files.write_mode == WriteMode::UseExisting && pair.backups.is_empty()
    {
        "Using the existing key pair"
    } else {
        "Key pair written"
    };
    lines.push(Line::styled(heading, theme.title));
    let width = usize::from(area.width);
    file_lines(
        &mut lines,
        "private key",
        pair.key_mode,
        &pair.private_key,
        width,
    );
    file_lines(
        &mut lines,
        "certificate",
        pair.certificate_mode,
        &pair.certificate,
        width,
    );
    // 32 bytes do not fit one line of 80 columns: two halves.
    let (first, second) = pair.fingerprint.split_at(pair.fingerprint.len().min(48));
    lines.push(Line::from(format!("  SHA-256      {first}")));
    lines.push(Line::from(format!(
        "               {}",
        second.trim_start_matches(':')
    )));
    lines.push(Line::from(format!(
        "  expires      {} ({days} days)",
        timefmt::rfc3339(pair.expires_at)
    )));
    for b in &pair.backups {
        lines.push(Line::styled(
            format!("  backup       {}", b.display()),
            theme.dim,
        ));
    }
    lines.push(Line::from(""));
    if pair.registered {
        lines.push(Line::styled(
            "DEMO: the certificate was registered with the emulator, as if uploaded.",
            theme.warn,
        ));
        lines.push(Line::from(""));
    }
    // The Console has offered no Service Account (JWT) for new credentials since 2024-06-03.
    lines.push(Line::styled(
        format!(
            "The original guide's Console steps (JWT, refused {} {}):",
            if crate::session::retirement::converted(model.now) {
                "since"
            } else {
                "from"
            },
            crate::session::retirement::JWT_CONVERSION_DATE
        ),
        theme.title,
    ));
    lines.push(Line::from(
        "  1. open your project (or create one) and choose Add API",
    ));
    lines.push(Line::from(
        "  2. pick Places Service, then Service Account (JWT)",
    ));
    lines.push(Line::from(
        "  3. upload this file under Public keys certificates:",
    ));
    lines.push(Line::from(Span::styled(
        format!("       {}", pair.certificate.display()),
        theme.accent,
    )));
    lines.push(Line::from("  4. select a product profile and save"));
    lines.push(Line::from(
        "  5. open Credentials: you will paste its IDs and secret next",
    ));
    if let Some(outcome) = &model.copy.answer {
        lines.push(Line::from(""));
        lines.push(super::token::copy_line(
            outcome,
            theme,
            "the certificate path",
        ));
    }
    frame.render_widget(para(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_path_that_fits_stays_on_the_line_a_long_one_goes_below_whole() {
        let mut lines = Vec::new();
        let short = std::path::Path::new("/home/a/keys/p_private.key");
        file_lines(&mut lines, "private key", 0o600, short, 80);
        assert_eq!(
            shown(&lines),
            ["  private key  0600  /home/a/keys/p_private.key"]
        );
        let mut lines = Vec::new();
        let long = format!(
            "/tmp/{}/keys/places_integration_test_public.crt",
            "x".repeat(40)
        );
        file_lines(
            &mut lines,
            "certificate",
            0o644,
            std::path::Path::new(&long),
            80,
        );
        assert_eq!(
            shown(&lines),
            ["  certificate  0644".to_string(), format!("    {long}")]
        );
    }
}
