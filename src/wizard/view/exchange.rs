//! Screen 7, Test the exchange: the claims sent, the spinner, and IMS's refusal explained with its fix.
use super::super::model::{Exchange, Model};
use super::super::theme::Theme;
use super::{para, spinner};
use crate::store::Auth;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    if let Some(profile) = &model.refreshing {
        lines.push(Line::styled(
            format!("Refreshing the token of profile \"{profile}\""),
            theme.title,
        ));
    } else if model.auth == Auth::Jwt {
        lines.push(Line::styled(
            format!(
                "The JWT to sign with {}:",
                model.pair.as_ref().map_or_else(
                    || "the private key".to_string(),
                    |p| p.private_key.display().to_string()
                )
            ),
            theme.title,
        ));
        for (claim, value) in model.claims_preview(&model.ims_url) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {claim}"), theme.accent),
                Span::raw(format!(": {value}")),
            ]));
        }
        lines.push(Line::from(format!(
            "sent to {}/ims/exchange/jwt with the client ID and secret",
            model.ims_url
        )));
    } else {
        lines.push(Line::styled(
            "The OAuth Server-to-Server request:",
            theme.title,
        ));
        lines.push(Line::from(format!("  POST {}/ims/token/v3", model.ims_url)));
        lines.push(Line::from(
            "  grant_type=client_credentials, client_id, client_secret (not shown),",
        ));
        lines.push(Line::from(format!("  scope={}", model.scopes.text())));
    }
    lines.push(Line::from(""));
    match &model.exchange {
        Exchange::Running { .. } => {
            lines.push(Line::styled(
                format!(
                    "{} Asking Adobe IMS for a token… (Esc cancels)",
                    spinner(model.now)
                ),
                theme.accent,
            ));
        }
        Exchange::Failed(failure) => {
            lines.push(Line::styled("IMS did not give a token.", theme.error));
            lines.push(Line::from(failure.message.clone()));
            if let Some(hint) = &failure.hint {
                lines.push(Line::from(""));
                lines.push(Line::styled("What to do", theme.title));
                lines.extend(hint.lines().map(|l| Line::from(l.to_string())));
            }
            if failure.certificate {
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    "After uploading the certificate in the Console, press r to retry.",
                    theme.dim,
                ));
            }
        }
        Exchange::Idle => {}
    }
    frame.render_widget(para(lines), area);
}
