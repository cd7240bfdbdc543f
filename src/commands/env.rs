//! `env`: the token, API key and org ID as shell commands (sh, fish, PowerShell) or JSON.
use super::{Io, fresh_token, out};
use crate::cli::{EnvArgs, ShellFormat};
use crate::error::Result;
use crate::places;
use crate::session::Session;
use crate::text;
use crate::timefmt;
use secrecy::ExposeSecret;

pub async fn run(session: &Session, args: &EnvArgs, io: &mut Io) -> Result<i32> {
    let profile = session.load_profile()?;
    let (token, _) = fresh_token(session, &profile, false, io).await?;
    let vars = [
        (
            "PLACES_ACCESS_TOKEN",
            token.access_token.expose_secret().to_string(),
        ),
        ("PLACES_API_KEY", profile.client_id.to_string()),
        ("PLACES_ORG_ID", profile.org_id.to_string()),
        (
            "PLACES_TOKEN_EXPIRES_AT",
            timefmt::rfc3339(token.expires_at),
        ),
    ];
    if let Some(done) = super::ci::run(args, &vars, io) {
        return done;
    }
    out(io, &assignments(args.format, &vars))
}

/// The variables as `format` sets them, each value quoted for that shell.
fn assignments(format: ShellFormat, vars: &[(&str, String)]) -> String {
    match format {
        ShellFormat::Json => serde_json::to_string_pretty(
            &vars
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .unwrap_or_default(),
        ShellFormat::Sh => vars
            .iter()
            .map(|(k, v)| format!("export {k}={}", places::shell_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        ShellFormat::Fish => vars
            .iter()
            .map(|(k, v)| format!("set -gx {k} {}", text::fish_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        ShellFormat::Powershell => vars
            .iter()
            .map(|(k, v)| format!("$env:{k} = {}", text::powershell_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        // Written by `ci::run`, which handles them before this is reached.
        ShellFormat::Github | ShellFormat::Gitlab => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moved from the binary's tests: a value read from `config.toml` can no longer hold quotes
    /// (the org ID is checked when the file is read), so the quoting is driven here directly.
    #[test]
    fn powershell_quotes_cannot_be_closed_by_typographic_ones() {
        let vars = [(
            "PLACES_ORG_ID",
            "org\u{2019}; calc; \u{2018}x\u{201a}\u{201b}'".to_string(),
        )];
        let stdout = assignments(ShellFormat::Powershell, &vars);
        assert!(
            stdout.contains("$env:PLACES_ORG_ID = 'org\u{2019}\u{2019}; calc; \u{2018}\u{2018}x\u{201a}\u{201a}\u{201b}\u{201b}'''"),
            "{}",
            stdout
        );
        let stdout = assignments(ShellFormat::Fish, &vars);
        assert!(stdout.contains(r"'org’; calc; ‘x‚‛\''"), "{}", stdout);
        let stdout = assignments(ShellFormat::Sh, &vars);
        assert!(stdout.contains(r"'org’; calc; ‘x‚‛'\'''"), "{}", stdout);
    }
}
