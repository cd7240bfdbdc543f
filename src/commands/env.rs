//! `env`: the token, API key and org ID as shell commands (sh, fish, PowerShell) or JSON.
use super::{fresh_token, out};
use crate::cli::{EnvArgs, ShellFormat};
use crate::error::Result;
use crate::places;
use crate::session::Session;
use crate::timefmt;
use secrecy::ExposeSecret;

pub async fn env(session: &Session, args: &EnvArgs) -> Result<()> {
    let profile = session.load_profile()?;
    let (token, _) = fresh_token(session, &profile, false).await?;
    let vars = [
        (
            "PLACES_ACCESS_TOKEN",
            token.access_token.expose_secret().to_string(),
        ),
        ("PLACES_API_KEY", profile.client_id.clone()),
        ("PLACES_ORG_ID", profile.org_id.clone()),
        (
            "PLACES_TOKEN_EXPIRES_AT",
            timefmt::rfc3339(token.expires_at),
        ),
    ];
    let text = match args.format {
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
            .map(|(k, v)| format!("set -gx {k} {}", fish_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        ShellFormat::Powershell => vars
            .iter()
            .map(|(k, v)| format!("$env:{k} = {}", powershell_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    out(&text)
}

/// Single-quotes a value for PowerShell, which ends a single-quoted string on any of ' and the
/// typographic U+2018..U+201B; each is escaped by doubling it. Inside, nothing else is special.
fn powershell_quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for c in value.chars() {
        if matches!(c, '\'' | '\u{2018}'..='\u{201b}') {
            quoted.push(c);
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

/// Single-quotes a value for fish, where only \\ and \' are escapes inside single quotes.
/// (POSIX sh needs no escape but for ' itself: `places::shell_quote`.)
fn fish_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_doubles_every_quote_it_knows() {
        assert_eq!(
            powershell_quote("a'b\u{2018}c\u{2019}d\u{201a}e\u{201b}f\u{201c}"),
            "'a''b\u{2018}\u{2018}c\u{2019}\u{2019}d\u{201a}\u{201a}e\u{201b}\u{201b}f\u{201c}'"
        );
        assert_eq!(fish_quote(r"a\'b"), r"'a\\\'b'");
    }
}
