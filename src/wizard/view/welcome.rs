//! Screen 1, Welcome: what will happen, the saved profiles with their token and certificate state, and the choices.
use super::super::model::{Choice, Model};
use super::super::theme::Theme;
use super::para;
use crate::ims::retirement::{self, JWT_CONVERSION_DATE};
use crate::store::Auth;
use crate::timefmt;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::styled(
            "From nothing to a working Places Service access token:",
            theme.title,
        ),
        Line::from("  1. check the prerequisites with your administrator"),
        Line::from("  2. add the Places API to a project in the Adobe Developer Console"),
        Line::from("  3. paste (or import) the credential's values the Console shows"),
        Line::from("  4. exchange them with Adobe IMS for an access token"),
        Line::from("  5. copy the token and check it against the Places API"),
        Line::from(""),
    ];
    if !model.profiles.is_empty() {
        lines.push(Line::styled("Saved profiles", theme.title));
        for p in &model.profiles {
            let token = match p.token_expires_at {
                Some(t) if t > model.now => {
                    let left = t.duration_since(model.now).unwrap_or_default();
                    Span::styled(format!("token valid {}", timefmt::span(left)), theme.ok)
                }
                Some(_) => Span::styled("token expired".to_string(), theme.warn),
                None => Span::styled("no token yet".to_string(), theme.dim),
            };
            let certificate = match p.certificate_expires_at {
                Some(t) => {
                    let days = timefmt::days_left(t, model.now);
                    let style = if days < 30 { theme.warn } else { theme.dim };
                    Span::styled(
                        if days < 0 {
                            "  certificate EXPIRED".to_string()
                        } else {
                            format!("  certificate {days} days")
                        },
                        style,
                    )
                }
                None => Span::raw(""),
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {:<12} {:<24} ", p.name, p.auth.describe())),
                token,
                certificate,
            ]));
            if p.auth == Auth::Jwt {
                let flag = if p.name == "default" {
                    String::new()
                } else {
                    format!(" --profile {}", p.name)
                };
                lines.push(Line::styled(
                    format!(
                        "    JWT, refused by Adobe {} {JWT_CONVERSION_DATE} → places-setup{flag} migrate",
                        if retirement::converted(model.now) {
                            "since"
                        } else {
                            "from"
                        },
                    ),
                    theme.warn,
                ));
            }
            // Adobe stops accepting the JWT when the uploaded certificate expires: say so early.
            if let Some(t) = p.certificate_expires_at
                && timefmt::days_left(t, model.now) < 30
            {
                let flag = if p.name == "default" {
                    String::new()
                } else {
                    format!(" --profile {}", p.name)
                };
                lines.push(Line::styled(
                    format!("    renew the certificate: places-setup{flag} keys --rotate"),
                    theme.warn,
                ));
            }
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("What would you like to do?", theme.title));
    for (i, choice) in model.choices.iter().enumerate() {
        let text = match choice {
            Choice::Refresh(name) => format!("Refresh the token of \"{name}\" and copy it"),
            Choice::Resume(name) => {
                format!("Resume \"{name}\": untested, saved before Adobe IMS accepted it")
            }
            Choice::New(Auth::Oauth) => {
                "New integration: OAuth Server-to-Server (recommended)".to_string()
            }
            Choice::Import => "Import the JSON downloaded from the Developer Console".to_string(),
            Choice::New(Auth::Jwt) => "Service Account (JWT), as in the original guide".to_string(),
        };
        let (marker, style) = if i == model.choice {
            ("› ", theme.focus)
        } else {
            ("  ", ratatui::style::Style::new())
        };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.accent),
            Span::styled(text, style),
        ]));
    }
    if let Some(e) = &model.resume_error {
        lines.push(Line::styled(format!("Cannot resume: {e}"), theme.error));
    }
    if model.choices.iter().any(|c| matches!(c, Choice::Resume(_))) {
        lines.push(Line::styled(
            "  (a new integration starts over; the draft is replaced once one works)",
            theme.dim,
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "{} The JWT path remains for reference and the demo.",
            retirement::notice(model.now)
        ),
        theme.dim,
    ));
    if model.profiles.iter().any(|p| p.name == model.profile_name) {
        lines.push(Line::styled(
            format!("A new integration replaces profile \"{}\" (start with --profile NAME to keep both).", model.profile_name),
            theme.dim,
        ));
    }
    frame.render_widget(para(lines), area);
}
