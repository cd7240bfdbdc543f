//! `doctor`: every check between this machine and a token the Places API accepts, each with its
//! verdict, its figure and its fix (see `session::doctor`); exit 1 when one fails.
use super::{Io, SUCCESS, out};
use crate::cli::DoctorArgs;
use crate::error::Result;
use crate::session::{self, Check, Session, Verdict};
use serde_json::json;

/// What a failed check makes the exit status, so a script can tell it from success.
pub const FAILED: i32 = 1;

pub async fn run(session: &Session, args: &DoctorArgs, io: &mut Io) -> Result<i32> {
    let checks = session::doctor(session, args.exchange).await;
    let status = if session::any_failed(&checks) {
        FAILED
    } else {
        SUCCESS
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
        report(&checks)
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

/// One line a check, its fix indented below; a summary last.
fn report(checks: &[Check]) -> String {
    let mut lines = Vec::new();
    for c in checks {
        lines.push(format!("{} {:<30} {}", mark(c.verdict), c.title, c.figure));
        if let Some(fix) = &c.fix {
            lines.push(format!("    fix: {fix}"));
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
