//! Screen 8, Access token: expiry countdown, masked token, copy, verify against the Places API, curl.
use super::super::model::{CopyOutcome, Model, PlacesState, Verification};
use super::super::theme::Theme;
use super::spinner;
use crate::timefmt;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;
use std::path::Path;

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
        // Whether the terminal honoured it cannot be known: no tick, and the way out named.
        CopyOutcome::Osc52 { tmux } => Line::styled(
            format!(
                "Asked your terminal to copy {what} (OSC 52{}); terminals that do not allow it ignore the request. If nothing pastes: places-setup token",
                if *tmux { " through tmux" } else { "" }
            ),
            theme.warn,
        ),
        CopyOutcome::Tmux { terminal: true } => Line::styled(
            format!(
                "✓ Put {what} in tmux's paste buffer (prefix ] pastes it); tmux also passes it to your terminal's clipboard where its set-clipboard option and the terminal allow."
            ),
            theme.ok,
        ),
        CopyOutcome::Tmux { terminal: false } => Line::styled(
            format!(
                "✓ Put {what} in tmux's paste buffer (prefix ] pastes it); this tmux cannot pass it to your terminal's clipboard."
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
    let lines = lines(model, theme, area.width);
    super::draw_scrolled(lines, model.token.scroll, theme, frame, area);
}

/// The screen's lines wrapped to `width`: the token shown and the curl command can outgrow 24
/// rows, and then the screen scrolls by whole lines.
pub(super) fn lines(model: &Model, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    // The profile this token is of: the commands shown name it, as `status` does.
    let profile = model.refreshing().unwrap_or(&model.profile_name);
    let Some(token) = &model.token.token else {
        return vec![];
    };
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
            Span::raw(if model.token.reveal {
                String::new()
            } else {
                masked(token.access_token.expose_secret())
            }),
        ]),
    ];
    if model.token.reveal {
        lines.push(Line::from(token.access_token.expose_secret().to_string()));
    }
    lines.push(Line::from(""));
    if let Some(outcome) = &model.copy.answer {
        lines.push(copy_line(outcome, theme, "the token"));
    }
    match &model.token.verification {
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
        Verification::Done(Err(PlacesState::Refused { message, hint })) => {
            lines.push(Line::styled(
                "✗ The Places API refuses this token: it does not work yet.".to_string(),
                theme.error,
            ));
            lines.push(Line::styled(format!("  {message}"), theme.error));
            if let Some(hint) = hint {
                lines.push(Line::from(format!("  Fix: {hint}")));
            }
            // Only a profile that was saved (or is being saved) is marked; one left as it was is not.
            if !matches!(model.token.saved.answer, Some(Err(_))) {
                lines.push(Line::styled(
                    "  The profile stays marked \"refused by the Places API\" until a token is accepted (v checks again).",
                    theme.dim,
                ));
            }
        }
        Verification::Done(Err(PlacesState::Untested { reason })) => lines.push(Line::styled(
            format!(
                "? The token could not be checked against the Places API: {reason}. The profile is marked untested there; v tries again."
            ),
            theme.warn,
        )),
    }
    let refused = matches!(
        model.token.verification,
        Verification::Done(Err(PlacesState::Refused { .. }))
    );
    match &model.token.saved.answer {
        // Saved, but not as a working profile: no tick beside a token the Places API refuses.
        Some(Ok(path)) if refused => lines.push(Line::styled(
            format!(
                "Profile \"{}\" saved in {}, marked refused by the Places API",
                model.profile_name,
                path.display()
            ),
            theme.warn,
        )),
        Some(Ok(path)) => lines.push(Line::styled(
            format!(
                "✓ Profile \"{}\" saved in {}",
                model.profile_name,
                path.display()
            ),
            theme.ok,
        )),
        Some(Err(e)) => lines.push(Line::styled(format!("✗ Not saved: {e}"), theme.error)),
        // A migration is saved by the session before its token arrives here.
        None if let Some(name) = model.migrating() => lines.push(Line::styled(
            format!(
                "✓ Profile \"{name}\" is OAuth Server-to-Server now, saved with its new scopes"
            ),
            theme.ok,
        )),
        None => {}
    }
    if model.token.show_curl {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            if model.run.demo {
                "While the demo runs (its emulator stops when you leave), with TOKEN set to the token (s shows it):"
            } else {
                "Run by hand (`places-setup curl` prints it with the token itself):"
            },
            theme.title,
        ));
        lines.push(Line::from(format!(
            "curl -X GET '{}/libraries' \\",
            model.places_url().trim_end_matches('/')
        )));
        // The demo's profile answers only while the demo runs: no `places-setup token` there.
        lines.push(Line::from(if model.run.demo {
            "  -H \"Authorization: Bearer $TOKEN\" \\".to_string()
        } else {
            format!(
                "  -H \"Authorization: Bearer $(places-setup{} token)\" \\",
                profile.flag()
            )
        }));
        lines.push(Line::from(format!(
            "  -H 'x-api-key: {}' \\",
            model.credentials.client_id.text()
        )));
        lines.push(Line::from(format!(
            "  -H 'x-gw-ims-org-id: {}'",
            model.credentials.org_id.text()
        )));
    }
    lines.push(Line::from(""));
    if model.run.demo {
        lines.extend(demo_ending(model, theme, width));
    } else {
        // The command on a line of its own, never broken between two.
        lines.push(Line::styled(
            "Later: run places-setup again (Enter refreshes and copies); in scripts:",
            theme.dim,
        ));
        lines.push(Line::styled(
            format!("  places-setup{} token", profile.flag()),
            theme.accent,
        ));
    }
    super::wrap::lines(&lines, width)
}

/// The folder of a key pair written outside the demo's own key folder (one the person typed),
/// which the demo's clean-up does not remove.
fn kept_keys<'a>(demo_keys: &Path, private_key: Option<&'a Path>) -> Option<&'a Path> {
    let folder = private_key?.parent()?;
    (!folder.starts_with(demo_keys)).then_some(folder)
}

/// What is left once the demo ends, and how to go on trying offline from a shell.
fn demo_ending<'a>(model: &Model, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let jwt = model.auth() == crate::session::Auth::Jwt;
    if model.run.demo_kept {
        let dir = model.run.config_dir.display();
        lines.push(Line::styled(
            format!(
                "DEMO: the profile{} stay{} in {dir}, but point{} at this demo's emulator, which stops when you leave.",
                if jwt { " and its keys" } else { "" },
                if jwt { "" } else { "s" },
                if jwt { "" } else { "s" },
            ),
            theme.warn,
        ));
        lines.push(Line::styled(
            "To use it again, later from a shell:",
            theme.dim,
        ));
        // Laid out whole: broken only between words, each break marked with `\`.
        // Quoted only where a shell would split or expand it (a space, a quote, a `$`).
        let dir = model.run.config_dir.display().to_string();
        let plain = dir
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@%".contains(c));
        let command = format!(
            "places-setup --config-dir {} demo",
            if plain {
                dir
            } else {
                crate::places::shell_quote(&dir)
            }
        );
        for line in super::exchange::wrap_command(&command, usize::from(width), 2) {
            lines.push(Line::styled(line, theme.accent));
        }
    } else if let Some(folder) = kept_keys(
        &model.run.first_key_dir,
        model.pair.written.as_ref().map(|p| p.private_key.as_path()),
    ) {
        lines.push(Line::styled(
            format!(
                "DEMO: when you leave, this profile and its token are deleted with the demo's temporary folder; the key pair you wrote to {} stays there.",
                folder.display()
            ),
            theme.warn,
        ));
    } else {
        lines.push(Line::styled(
            match jwt {
                true => "DEMO: when you leave, nothing remains: this profile, its key pair and token are deleted with the demo's temporary folder.",
                false => "DEMO: when you leave, nothing remains: this profile and its token are deleted with the demo's temporary folder.",
            },
            theme.warn,
        ));
        lines.push(Line::styled(
            "To keep trying offline, later from a shell: places-setup --config-dir DIR demo keeps them in DIR.",
            theme.dim,
        ));
    }
    lines
}

#[cfg(test)]
mod demo_tests {
    use super::kept_keys;
    use std::path::Path;

    #[test]
    fn keys_outside_the_demos_folder_are_said_to_stay() {
        let demo = Path::new("/tmp/places-setup-demo.x/keys");
        assert_eq!(
            kept_keys(demo, Some(Path::new("/home/me/keys/p_private.key"))),
            Some(Path::new("/home/me/keys"))
        );
        assert_eq!(
            kept_keys(
                demo,
                Some(Path::new("/tmp/places-setup-demo.x/keys/p_private.key"))
            ),
            None
        );
        assert_eq!(kept_keys(demo, None), None);
    }
}
