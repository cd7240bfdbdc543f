//! Screen 1, Welcome: what will happen, the saved profiles with their token and certificate state, and the choices.
use super::super::model::{Choice, Model};
use super::super::theme::Theme;
use super::para;
use crate::session::retirement::{self, JWT_CONVERSION_DATE};
use crate::session::{Auth, PlacesState};
use crate::timefmt;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// `what → command` under a profile, or, when that does not fit, the command whole on a line of
/// its own below, so that it is never broken between a flag and its value.
fn advice(what: &str, command: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    let one = format!("    {what} → {command}");
    if one.chars().count() <= usize::from(width) {
        return vec![Line::styled(one, style)];
    }
    vec![
        Line::styled(format!("    {what}, from a shell:"), style),
        Line::styled(format!("      {command}"), style),
    ]
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let intro = vec![
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
    let mut lines = Vec::new();
    if !model.profiles.is_empty() {
        lines.push(Line::styled("Saved profiles", theme.title));
        let name_width = model
            .profiles
            .iter()
            .map(|p| p.name.to_string().chars().count())
            .max()
            .unwrap_or(0)
            .clamp(7, 16);
        let kind_width = model
            .profiles
            .iter()
            .map(|p| p.auth.describe().chars().count())
            .max()
            .unwrap_or(0);
        for p in &model.profiles {
            let token = match (p.token_expires_at, &p.places) {
                // A token the Places API refuses is not shown as valid.
                (Some(t), Some(PlacesState::Refused { .. })) if t > model.now => {
                    Span::styled("token refused by the Places API".to_string(), theme.error)
                }
                (Some(t), Some(PlacesState::Untested { .. })) if t > model.now => {
                    let left = t.duration_since(model.now).unwrap_or_default();
                    Span::styled(
                        format!("token {} · Places untested", timefmt::span(left)),
                        theme.warn,
                    )
                }
                (Some(t), _) if t > model.now => {
                    let left = t.duration_since(model.now).unwrap_or_default();
                    Span::styled(format!("token valid {}", timefmt::span(left)), theme.ok)
                }
                (Some(_), _) => Span::styled("token expired".to_string(), theme.warn),
                (None, _) => Span::styled("no token yet".to_string(), theme.dim),
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
            // Columns as wide as the names and kinds listed, so a line fits 80 columns.
            let head = Span::raw(format!(
                "  {:<name_width$}  {:<kind_width$}  ",
                p.name,
                p.auth.describe()
            ));
            let width = head.width() + token.width() + certificate.width();
            if width <= usize::from(area.width) {
                lines.push(Line::from(vec![head, token, certificate]));
            } else {
                // Too long for one line: the certificate's expiry whole on the next, indented.
                lines.push(Line::from(vec![head, token]));
                let text = certificate.content.trim_start().to_string();
                lines.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(text, certificate.style),
                ]));
            }
            if p.auth == Auth::Jwt {
                let flag = p.name.flag();
                lines.extend(advice(
                    &format!(
                        "JWT, refused by Adobe {} {JWT_CONVERSION_DATE}",
                        if retirement::converted(model.now) {
                            "since"
                        } else {
                            "from"
                        },
                    ),
                    &format!("places-setup{flag} migrate"),
                    area.width,
                    theme.warn,
                ));
            }
            // Adobe stops accepting the JWT when the uploaded certificate expires: say so early.
            if let Some(t) = p.certificate_expires_at
                && timefmt::days_left(t, model.now) < 30
            {
                let flag = p.name.flag();
                lines.extend(advice(
                    "renew the certificate",
                    &format!("places-setup{flag} keys --rotate"),
                    area.width,
                    theme.warn,
                ));
            }
        }
        lines.push(Line::from(""));
    }
    let profiles = std::mem::take(&mut lines);
    if model.welcome.quit_armed {
        lines.push(Line::styled(
            "Press Esc again to quit, or choose below. Of what you typed, only what you tested is kept (a refused test keeps it as a draft).",
            theme.warn,
        ));
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("What would you like to do?", theme.title));
    for (i, choice) in model.choices().iter().enumerate() {
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
        let (marker, style) = if i == model.welcome.choice {
            ("› ", theme.focus)
        } else {
            ("  ", ratatui::style::Style::new())
        };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.accent),
            Span::styled(text, style),
        ]));
    }
    if let Some(e) = &model.welcome.resume.answer {
        lines.push(Line::styled(format!("Cannot resume: {e}"), theme.error));
    }
    if model
        .choices()
        .iter()
        .any(|c| matches!(c, Choice::Resume(_)))
    {
        lines.push(Line::styled(
            "  (a new integration starts over; the draft is replaced once one works)",
            theme.dim,
        ));
    }
    let choices = lines;
    let replaces = if model.profiles.iter().any(|p| p.name == model.profile_name) {
        vec![Line::styled(
            format!(
                "A new integration replaces profile \"{}\" (start with --profile NAME to keep both).",
                model.profile_name
            ),
            theme.dim,
        )]
    } else {
        Vec::new()
    };
    let notice = vec![
        Line::from(""),
        Line::styled(
            format!(
                "{} The JWT path remains for reference and the demo.",
                retirement::notice(model.now)
            ),
            theme.dim,
        ),
    ];
    let lines = fit(
        usize::from(area.width),
        usize::from(area.height),
        Sections {
            intro,
            // Without the steps, the heading that announced them reads as a sentence.
            intro_short: vec![
                Line::styled(
                    "From nothing to a working Places Service access token.",
                    theme.title,
                ),
                Line::from(""),
            ],
            profiles,
            choices,
            notice,
            replaces,
        },
        model.welcome.choice + 1,
    );
    frame.render_widget(para(lines), area);
}

/// The parts of the screen, in the order they are shown.
struct Sections<'a> {
    intro: Vec<Line<'a>>,
    /// What stands for the introduction when all of it does not fit.
    intro_short: Vec<Line<'a>>,
    profiles: Vec<Line<'a>>,
    /// The heading, the choices, and what is said of them.
    choices: Vec<Line<'a>>,
    notice: Vec<Line<'a>>,
    replaces: Vec<Line<'a>>,
}

/// What fits `height` rows of `width` columns: the choices always (scrolled to keep the line
/// `cursor` in view when even they do not fit), then, while room remains, the saved profiles,
/// what a new integration replaces, the JWT notice and the introduction — so that with many
/// profiles at 80×24 every choice can still be seen, not cut off below the screen's edge.
fn fit<'a>(width: usize, height: usize, s: Sections<'a>, cursor: usize) -> Vec<Line<'a>> {
    let rows = |lines: &[Line]| -> usize {
        lines
            .iter()
            .map(|l| l.width().div_ceil(width.max(1)).max(1))
            .sum()
    };
    let mut left = height.saturating_sub(rows(&s.choices));
    let mut take = |lines: &[Line]| {
        let needed = rows(lines);
        let fits = needed <= left;
        if fits {
            left -= needed;
        }
        fits
    };
    let profiles = take(&s.profiles);
    let replaces = take(&s.replaces);
    let notice = take(&s.notice);
    let mut out = Vec::new();
    if take(&s.intro) {
        out.extend(s.intro);
    } else if take(&s.intro_short) {
        out.extend(s.intro_short);
    }
    if profiles {
        out.extend(s.profiles);
    }
    if rows(&s.choices) <= height {
        out.extend(s.choices);
    } else {
        // A window of the choices around the cursor, its ends marked; a choice is one row.
        let n = s.choices.len();
        let shown = height.saturating_sub(2).max(1);
        let first = cursor
            .saturating_sub(shown - 1)
            .min(n.saturating_sub(shown));
        let last = (first + shown).min(n);
        let more = |count: usize, where_: &str| {
            Line::from(if count == 0 {
                String::new()
            } else {
                format!("  … {count} more {where_}")
            })
        };
        out.push(more(first, "above"));
        out.extend(s.choices.into_iter().skip(first).take(last - first));
        out.push(more(n - last, "below"));
    }
    if notice {
        out.extend(s.notice);
    }
    if replaces {
        out.extend(s.replaces);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(prefix: &str, n: usize) -> Vec<Line<'static>> {
        (0..n)
            .map(|i| Line::from(format!("{prefix} {i}")))
            .collect()
    }

    fn sections(profiles: usize, choices: usize) -> Sections<'static> {
        Sections {
            intro: lines("intro", 7),
            intro_short: vec![Line::from("intro 0"), Line::from("intro 6")],
            profiles: lines("profile", profiles),
            choices: lines("choice", choices),
            notice: lines("notice", 4),
            replaces: lines("replaces", 1),
        }
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn everything_when_it_fits() {
        let shown = texts(&fit(80, 40, sections(3, 5), 1));
        assert_eq!(shown.len(), 7 + 3 + 5 + 4 + 1);
        assert_eq!(shown[0], "intro 0");
    }

    #[test]
    fn the_introduction_goes_first_then_the_notice_never_a_choice() {
        // 24 rows: 9 choices and 7 profiles leave 8: what is replaced, the notice, and of the
        // introduction its first line.
        let shown = texts(&fit(80, 24, sections(7, 9), 1));
        assert_eq!(
            shown[..2],
            ["intro 0", "intro 6"],
            "the first line and the blank"
        );
        assert!(!shown.iter().any(|l| l == "intro 1"), "{shown:?}");
        assert!(shown.iter().any(|l| l.starts_with("notice")), "{shown:?}");
        assert_eq!(shown.iter().filter(|l| l.starts_with("choice")).count(), 9);
        assert!(shown.len() <= 24);
        // Less room: the introduction and the notice go, the profiles stay.
        let shown = texts(&fit(80, 17, sections(7, 9), 1));
        assert!(!shown.iter().any(|l| l.starts_with("intro")), "{shown:?}");
        assert!(!shown.iter().any(|l| l.starts_with("notice")), "{shown:?}");
        assert_eq!(shown.iter().filter(|l| l.starts_with("profile")).count(), 7);
        assert_eq!(shown.iter().filter(|l| l.starts_with("choice")).count(), 9);
    }

    #[test]
    fn more_choices_than_rows_scroll_with_the_cursor() {
        let shown = texts(&fit(80, 10, sections(30, 33), 1));
        assert_eq!(shown.len(), 10);
        assert_eq!(shown[1], "choice 0");
        assert_eq!(shown[9], "  … 25 more below");
        let shown = texts(&fit(80, 10, sections(30, 33), 32));
        assert_eq!(shown[0], "  … 25 more above");
        assert_eq!(shown[8], "choice 32", "{shown:?}");
        assert_eq!(shown[9], "");
    }

    #[test]
    fn a_line_wider_than_the_screen_counts_its_wrapped_rows() {
        let mut s = sections(0, 2);
        s.notice = vec![Line::from("x".repeat(200))];
        s.intro = Vec::new();
        s.replaces = Vec::new();
        // 2 choices + 3 rows for 200 characters at 80 columns.
        assert_eq!(fit(80, 5, s, 1).len(), 3);
    }
}
