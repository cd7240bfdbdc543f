//! `env`: the token, API key and org ID as shell commands (sh, bash, zsh, fish, PowerShell), a
//! .env file or JSON.
use super::{Io, fresh_token, out};
use crate::cli::{EnvArgs, ShellFormat};
use crate::error::{Error, Result};
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
    out(io, &assignments(args.format, &vars)?)
}

/// The variables as `format` sets them, each value quoted for that shell.
fn assignments(format: ShellFormat, vars: &[(&str, String)]) -> Result<String> {
    let lines = |line: &dyn Fn(&str, &str) -> String| {
        vars.iter()
            .map(|(k, v)| line(k, v))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok(match format {
        ShellFormat::Json => serde_json::to_string_pretty(
            &vars
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .unwrap_or_default(),
        ShellFormat::Sh | ShellFormat::Bash | ShellFormat::Zsh => {
            lines(&|k, v| format!("export {k}={}", places::shell_quote(v)))
        }
        ShellFormat::Fish => lines(&|k, v| format!("set -gx {k} {}", text::fish_quote(v))),
        ShellFormat::Powershell => {
            lines(&|k, v| format!("$env:{k} = {}", text::powershell_quote(v)))
        }
        ShellFormat::Dotenv => {
            for (k, v) in vars {
                if dotenv_value(v).is_none() {
                    return Err(Error::new(format!(
                        "{k} cannot be written as a .env line: it holds a quote or a line break"
                    ))
                    .with_hint("use --format sh or --format json"));
                }
            }
            lines(&|k, v| format!("{k}={}", dotenv_value(v).unwrap_or_default()))
        }
        // Written by `ci::run`, which handles them before this is reached.
        ShellFormat::Github | ShellFormat::Gitlab => String::new(),
    })
}

/// A value as every .env reader takes it alike: bare when it holds only characters none of them
/// treats specially, else in single quotes, which they all read literally. A value with a
/// single quote or a line break has no such form (the readers escape differently): `None`.
fn dotenv_value(value: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_.@:+/=,-".contains(c);
    if !value.is_empty() && value.chars().all(plain) {
        Some(value.to_string())
    } else if value.contains(['\'', '\n', '\r']) {
        None
    } else {
        Some(format!("'{value}'"))
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
        let stdout = assignments(ShellFormat::Powershell, &vars).unwrap();
        assert!(
            stdout.contains("$env:PLACES_ORG_ID = 'org\u{2019}\u{2019}; calc; \u{2018}\u{2018}x\u{201a}\u{201a}\u{201b}\u{201b}'''"),
            "{}",
            stdout
        );
        let stdout = assignments(ShellFormat::Fish, &vars).unwrap();
        assert!(stdout.contains(r"'org’; calc; ‘x‚‛\''"), "{}", stdout);
        for format in [ShellFormat::Sh, ShellFormat::Bash, ShellFormat::Zsh] {
            let stdout = assignments(format, &vars).unwrap();
            assert!(stdout.contains(r"'org’; calc; ‘x‚‛'\'''"), "{}", stdout);
        }
        let error = assignments(ShellFormat::Dotenv, &vars).unwrap_err();
        assert!(
            error.message.starts_with("PLACES_ORG_ID "),
            "{}",
            error.message
        );
    }

    #[test]
    fn dotenv_values_are_bare_or_single_quoted() {
        assert_eq!(dotenv_value("a1@AdobeOrg").unwrap(), "a1@AdobeOrg");
        assert_eq!(dotenv_value("a b$c").unwrap(), "'a b$c'");
        assert_eq!(dotenv_value("").unwrap(), "''");
        assert_eq!(dotenv_value("a\nb"), None);
    }
}
