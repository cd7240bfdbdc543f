//! Screen 7, Test the exchange: the claims sent, the spinner, and IMS's refusal explained with its
//! fix: the wizard's own keys first, then the reason, shell commands laid out whole; a long one scrolls.
use super::super::model::{Cause, CredentialField, Exchange, Failure, Model};
use super::super::theme::Theme;
use super::spinner;
use crate::error::Unreachable;
use crate::session::Auth;
use crate::session::Problem;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines = lines(model, theme, area.width);
    super::draw_scrolled(lines, model.exchange.scroll, theme, frame, area);
}

/// The screen's lines, already wrapped to `width`: wrapping here (not in the widget) lets a long
/// refusal scroll by whole lines and keeps a shell command from breaking inside a word.
pub(super) fn lines(model: &Model, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = (width as usize).max(20);
    let mut out: Vec<Line<'static>> = Vec::new();
    let text = |out: &mut Vec<Line<'static>>, s: &str, style: Style, indent: usize| {
        for l in wrap(s, width, indent) {
            out.push(Line::styled(l, style));
        }
    };
    let failed = matches!(model.exchange.state, Exchange::Failed(_));
    // Only what reached IMS "was sent"; what could not get there was only meant for it.
    let sent = match &model.exchange.state {
        Exchange::Failed(failure) if matches!(failure.cause, Cause::Unreachable(_)) => {
            "was meant for"
        }
        Exchange::Failed(failure) if matches!(failure.cause, Cause::Other) => "was to go to",
        _ => "was sent to",
    };
    if let Some(profile) = model.migrating() {
        text(
            &mut out,
            &format!("Carrying profile \"{profile}\" across to OAuth Server-to-Server"),
            theme.title,
            0,
        );
    } else if let Some(profile) = model.refreshing() {
        text(
            &mut out,
            &format!("Refreshing the token of profile \"{profile}\""),
            theme.title,
            0,
        );
    } else if model.auth() == Auth::Jwt {
        let key = model.pair.written.as_ref().map_or_else(
            || "the private key".to_string(),
            |p| p.private_key.display().to_string(),
        );
        if failed {
            // The claims made way for what to do; they are on the screen before the answer.
            text(
                &mut out,
                &format!(
                    "A JWT signed with {key} {sent} {}/ims/exchange/jwt.",
                    model.ims_url()
                ),
                theme.dim,
                0,
            );
        } else {
            text(
                &mut out,
                &format!("The JWT to sign with {key}:"),
                theme.title,
                0,
            );
            for (claim, value) in model.claims_preview(model.ims_url()) {
                out.push(Line::from(vec![
                    Span::styled(format!("  {claim}"), theme.accent),
                    Span::raw(format!(": {value}")),
                ]));
            }
            text(
                &mut out,
                &format!(
                    "sent to {}/ims/exchange/jwt with the client ID and secret",
                    model.ims_url()
                ),
                Style::new(),
                0,
            );
        }
    } else if failed {
        text(
            &mut out,
            &format!(
                "A client-credentials request {sent} {}/ims/token/v3.",
                model.ims_url()
            ),
            theme.dim,
            0,
        );
    } else {
        text(
            &mut out,
            "The OAuth Server-to-Server request:",
            theme.title,
            0,
        );
        out.push(Line::from(format!(
            "  POST {}/ims/token/v3",
            model.ims_url()
        )));
        out.push(Line::from(
            "  grant_type=client_credentials, client_id, client_secret (not shown),",
        ));
        text(
            &mut out,
            &format!("  scope={}", model.credentials.scopes.text()),
            Style::new(),
            2,
        );
    }
    out.push(Line::from(""));
    match &model.exchange.state {
        Exchange::Running { .. } => {
            out.push(Line::styled(
                format!(
                    "{} Asking Adobe IMS for a token… (Esc cancels)",
                    spinner(model.now)
                ),
                theme.accent,
            ));
        }
        Exchange::Failed(failure) => {
            let heading = match failure.cause {
                Cause::Ims(_) => "IMS did not give a token.",
                Cause::Unreachable(_) => "Adobe IMS could not be reached.",
                // IMS may never have been asked (a key pair missing): no claim that it refused.
                Cause::Other => "No token.",
            };
            text(&mut out, heading, theme.error, 0);
            text(&mut out, &failure.message, Style::new(), 0);
            out.push(Line::from(""));
            out.push(Line::styled("What to do now", theme.title));
            for action in actions(model, failure) {
                text(&mut out, &format!("  {action}"), Style::new(), 4);
            }
            text(
                &mut out,
                "  or quit and run places-setup doctor: it checks clock, proxy, CAs and IMS",
                theme.dim,
                4,
            );
            // The demo's temporary folder, draft included, goes when the demo ends: no promise.
            let draft_outlives = !model.run.demo || model.run.demo_kept;
            match &model.exchange.draft_saved.answer {
                Some(Ok(Some(name))) if draft_outlives => text(
                    &mut out,
                    &format!(
                        "  What you typed is kept as profile \"{name}\" (untested): run places-setup again to resume it."
                    ),
                    theme.ok,
                    4,
                ),
                Some(Ok(None)) => text(
                    &mut out,
                    &format!(
                        "  Profile \"{}\" works and stays as it is: what you typed replaces it only once IMS accepts it.",
                        model.profile_name
                    ),
                    theme.dim,
                    4,
                ),
                Some(Err(e)) => text(
                    &mut out,
                    &format!("  What you typed could not be kept: {e}"),
                    theme.warn,
                    4,
                ),
                _ => {}
            }
            if let Some(hint) = &own_hint(model, failure).or_else(|| failure.hint.clone()) {
                out.push(Line::from(""));
                out.push(Line::styled("Why, and the fix", theme.title));
                let mut shell_label = false;
                for line in hint.lines() {
                    let trimmed = line.trim();
                    if is_command(trimmed) {
                        if !shell_label {
                            out.push(Line::styled("  Later, from a shell:", theme.dim));
                            shell_label = true;
                        }
                        for l in wrap_command(trimmed, width, 4) {
                            out.push(Line::styled(l, theme.accent));
                        }
                    } else {
                        shell_label = false;
                        text(&mut out, &format!("  {trimmed}"), Style::new(), 2);
                    }
                }
            }
        }
        Exchange::Idle => {}
    }
    out
}

/// The fix in the wizard's words where the session's speaks of command-line flags: what to press
/// here, and how to start the wizard differently when that is the fix.
fn own_hint(model: &Model, failure: &Failure) -> Option<String> {
    let ims = &model.ims_url();
    Some(match failure.cause {
        Cause::Unreachable(Unreachable::Refused) => format!(
            "Nothing accepts connections at {ims}: check the network and that the address is right. \
             The wizard asks the IMS it was started with; for another (such as the one `places-setup emulator` \
             serves), leave and start it with --ims-url and that URL."
        ),
        Cause::Unreachable(Unreachable::TimedOut) => format!(
            "{ims} did not answer in time. Press r to try again; on a slow network, leave and start \
             places-setup with a longer --timeout (in seconds)."
        ),
        Cause::Ims(Problem::UnknownClient) => {
            let client = model.credentials.client_id.text();
            let case = match client.chars().any(|c| c.is_ascii_uppercase()) {
                true => " The Console writes client IDs in lowercase: type it as it shows it.",
                false => "",
            };
            format!(
                "IMS at {ims} does not know client ID {client}: press e and compare it with the Client ID \
                 (API key) on the Console's Credentials tab.{case} An integration of another IMS environment \
                 needs the wizard started with --ims-url and that environment's URL."
            )
        }
        // Here the secret is typed again and saved with the profile once IMS accepts it: no
        // command to save it with. (A refresh has no form; a JWT refusal may mean converted.)
        Cause::Ims(Problem::WrongSecret)
            if model.auth() == Auth::Oauth && model.refreshing().is_none() =>
        {
            "The client secret is wrong: press e and paste it again from the Console's Credentials \
             tab (\"Retrieve client secret\"); it is saved once IMS accepts it."
                .to_string()
        }
        Cause::Ims(Problem::ScopesRefused) if model.auth() == Auth::Jwt => format!(
            "The integration is not allowed the metascopes {}: press e to correct them (that of Places \
             is {}). If they are right, add the Places API to the project in the Console and select a \
             product profile.",
            model.credentials.metascopes.text(),
            crate::session::PLACES_METASCOPE
        ),
        Cause::Ims(Problem::ScopesRefused) => {
            "IMS does not grant these scopes to this credential: press e and copy the list from the \
             credential's Scopes tab in the Console (or the Console's JSON), comma-separated, none added \
             or left out."
                .to_string()
        }
        _ => return None,
    })
}

/// The wizard's own keys that act on this refusal, before any shell command.
fn actions(model: &Model, failure: &Failure) -> Vec<String> {
    let mut actions = Vec::new();
    // The same keys the footer offers, in words (`view::keys`).
    if model.migrating().is_some() {
        actions.push("press e to correct the scopes".to_string());
        actions.push("press r to try again, or Esc to go back to the start".to_string());
        return actions;
    }
    if model.refreshing().is_some() {
        if failure.suggest_oauth {
            actions.push(
                "press o to carry the profile across to OAuth Server-to-Server (as places-setup migrate does)"
                    .to_string(),
            );
        }
        actions.push("press r to try again, or Esc to go back to the start".to_string());
        return actions;
    }
    if failure.suggest_oauth {
        actions.push(
            "press o to switch to OAuth Server-to-Server (the client ID and secret stay)"
                .to_string(),
        );
    }
    actions.push(match failure.field {
        Some(CredentialField::ClientSecret) => "press e to paste the secret again".to_string(),
        Some(field) => {
            // "Client ID (API key)" reads "the client ID (API key)": only the first letter.
            let label = &model.credential(field).label;
            let mut chars = label.chars();
            let first = chars.next().map(|c| c.to_lowercase().to_string());
            format!(
                "press e to correct the {}{}",
                first.unwrap_or_default(),
                chars.as_str()
            )
        }
        None => "press e to go back to the credentials".to_string(),
    });
    actions.push(if failure.certificate {
        "press r to retry once the certificate is uploaded in the Console".to_string()
    } else {
        "press r to retry as it is".to_string()
    });
    actions
}

/// A line of a hint that is a command to type in a shell.
fn is_command(line: &str) -> bool {
    line.starts_with("places-setup ") || line.starts_with("printf ") || line.starts_with("curl ")
}

/// Words wrapped to `width`, continuation lines indented by `indent`; a word longer than a line
/// is cut only when it cannot fit on a line of its own.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let lead = text.len() - text.trim_start().len();
    let mut lines = Vec::new();
    let mut line = text[..lead].to_string();
    let mut start = true;
    for word in text.split_whitespace() {
        let len = line.chars().count();
        let needed = word.chars().count() + usize::from(!start);
        if !start && len + needed > width {
            lines.push(std::mem::take(&mut line));
            line = " ".repeat(indent);
            start = true;
        }
        if !start {
            line.push(' ');
        }
        line.push_str(word);
        start = false;
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            let tail: String = line.chars().skip(width).collect();
            lines.push(head);
            line = format!("{}{tail}", " ".repeat(indent));
        }
    }
    lines.push(line);
    lines
}

/// A shell command laid out over lines that each end in ` \`, so that it still runs when copied
/// from the screen: never broken inside a word.
pub fn wrap_command(command: &str, width: usize, indent: usize) -> Vec<String> {
    // Words after two spaces are a remark for the reader, not part of the command.
    let (command, remark) = match command.split_once("   ") {
        Some((c, r)) => (c.trim(), Some(r.trim())),
        None => (command, None),
    };
    let mut lines = Vec::new();
    let mut line = " ".repeat(indent);
    let mut empty = true;
    for word in command.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() + 2 > width {
            lines.push(format!("{line} \\"));
            line = " ".repeat(indent + 4);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    if let Some(remark) = remark {
        lines.extend(wrap(
            &format!("{}{remark}", " ".repeat(indent)),
            width,
            indent,
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_laid_out_without_breaking_a_word() {
        let command = "places-setup --profile staging init --auth oauth --org-id 18FB61145BAC2FFB0A494777@AdobeOrg --client-id 0123456789abcdef0123456789abcdef --scopes SCOPES";
        for width in [60, 78, 98] {
            let lines = wrap_command(command, width, 4);
            assert!(lines.len() > 1, "{width}: {lines:?}");
            for l in &lines {
                assert!(l.chars().count() <= width, "{width}: {l:?}");
            }
            // Joined back as a shell would read the continuations: the same command.
            let joined: Vec<String> = lines
                .iter()
                .map(|l| l.trim().trim_end_matches('\\').trim().to_string())
                .collect();
            assert_eq!(joined.join(" "), command, "{width}");
        }
        let with_remark = wrap_command(
            "places-setup init --client-secret-stdin   (paste it, then Ctrl-D)",
            78,
            4,
        );
        assert_eq!(
            with_remark,
            vec![
                "    places-setup init --client-secret-stdin".to_string(),
                "    (paste it, then Ctrl-D)".to_string()
            ]
        );
    }

    #[test]
    fn text_wraps_at_spaces() {
        let lines = wrap("one two three four", 9, 2);
        assert_eq!(lines, vec!["one two", "  three", "  four"]);
        assert!(wrap(&"x".repeat(25), 10, 0).iter().all(|l| l.len() <= 10));
    }
}
