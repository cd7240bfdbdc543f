//! `doctor`: every check between this machine and a token the Places API accepts, each with its
//! verdict, its figure and its fix (see `session::doctor`); exit 1 when one fails, 2 when the
//! profile named does not exist.
use super::{Io, SUCCESS, out};
use crate::cli::DoctorArgs;
use crate::error::Result;
use crate::session::{self, Check, Session, Verdict};
use serde_json::json;

/// What a failed check makes the exit status, so a script can tell it from success.
pub const FAILED: i32 = 1;

pub async fn run(session: &Session, args: &DoctorArgs, io: &mut Io) -> Result<i32> {
    let checks = session::doctor(session, args.exchange).await;
    // Every check is still reported, but a profile that does not exist is a wrong value (2), as
    // for every command that names one.
    let missing = session.load_profile().err().map(|e| e.exit_code());
    let status = match missing {
        Some(code @ 2) => code,
        _ if session::any_failed(&checks) => FAILED,
        _ => SUCCESS,
    };
    let text = if args.json {
        serde_json::to_string_pretty(&json!({
            "profile": session.profile,
            "ok": status == SUCCESS,
            "checks": checks.iter().map(|c| json!({
                "id": c.id,
                "title": c.title,
                "verdict": c.verdict.as_str(),
                "figure": c.figure,
                "fix": c.fix,
            })).collect::<Vec<_>>(),
        }))
        .unwrap_or_default()
    } else {
        // At a terminal, each value wraps under its own column instead of at column 1.
        report(&checks, crate::text::terminal_width(io.out.is_terminal()))
    };
    out(io, &text)?;
    Ok(status)
}

fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "✓",
        Verdict::Warn => "!",
        Verdict::Fail => "✗",
        Verdict::Skip => "-",
    }
}

/// One line a check, its fix indented below; a summary last. With a `width`, the figure and the
/// fix wrap between words, each continuation under the start of its text.
fn report(checks: &[Check], width: Option<usize>) -> String {
    let mut lines = Vec::new();
    for c in checks {
        let first = format!("{} {:<30} ", mark(c.verdict), c.title);
        lines.push(crate::text::hang(&first, &c.figure, width));
        if let Some(fix) = &c.fix {
            lines.push(crate::text::hang("    fix: ", fix, width));
        }
    }
    let count = |v| checks.iter().filter(|c| c.verdict == v).count();
    lines.push(String::new());
    lines.push(match (count(Verdict::Fail), count(Verdict::Warn)) {
        (0, 0) => "No problems found.".to_string(),
        (0, w) => format!("{w} warning(s); nothing failed."),
        (f, w) => format!("{f} check(s) failed, {w} warning(s): the fixes are given above each."),
    });
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_a_terminal_values_wrap_under_their_own_column() {
        let checks = [Check {
            id: "proxy",
            title: "Proxy",
            verdict: Verdict::Pass,
            figure: "no proxy variable set; IMS direct, Places direct, and a few more words".into(),
            fix: Some("check the network and the IMS URL; behind a company proxy set HTTPS_PROXY (see the proxy line)".into()),
        }];
        let shown = report(&checks, Some(60));
        for line in shown.lines() {
            assert!(line.chars().count() <= 60, "{line:?}\n{shown}");
        }
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[0].starts_with("✓ Proxy"), "{shown}");
        assert!(
            lines[1].starts_with(&" ".repeat(33)),
            "under the value:\n{shown}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("    fix: check")),
            "{shown}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("         ") && !l.starts_with(&" ".repeat(33))),
            "the fix continues under its own text:\n{shown}"
        );
        // Not at a terminal: one line each, as scripts read it.
        assert_eq!(report(&checks, None).lines().count(), 4);
    }
}
