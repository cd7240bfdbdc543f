//! `token`: print a valid access token (cached, else exchanged), optionally copied to the clipboard.
use super::{Io, block_on, note, out, show, warn};
use crate::cli::TokenArgs;
use crate::error::Result;
use crate::session::{self, Session, Source};
use crate::timefmt;
use secrecy::ExposeSecret;
use serde_json::json;
use std::time::SystemTime;

/// A cached token is answered without starting the async runtime (most runs: a token lasts 24
/// hours); only an exchange needs it.
pub fn run(session: &Session, args: &TokenArgs, io: &mut Io) -> Result<i32> {
    let profile = session.load_profile()?;
    if args.revoke {
        let outcome =
            block_on(async { Ok(session::revoke_cached_token(session, &profile).await) })?;
        if matches!(outcome, session::Revoked::Revoked { .. }) {
            session::forget_cached_token(session)?;
        }
        return super::profile::report_revocation(outcome, io, true);
    }
    let cached = if args.force {
        None
    } else {
        session::cached_token(session, &profile)?
    };
    let (token, source) = match cached {
        Some(token) => (token, Source::Cache),
        None => block_on(async {
            let mut warnings = Vec::new();
            let fresh =
                session::exchange_unless_cached(session, &profile, args.force, &mut warnings).await;
            show(io, &mut warnings);
            fresh
        })?,
    };
    if args.claims {
        return claims(session, &token, source, args.json, io);
    }
    if args.copy {
        copy_token(token.access_token.expose_secret(), io);
    }
    if args.json {
        let now = SystemTime::now();
        return out(
            io,
            &serde_json::to_string_pretty(&json!({
                "profile": session.profile,
                "token_type": token.token_type,
                "access_token": token.access_token.expose_secret(),
                "expires_at": timefmt::rfc3339(token.expires_at),
                "expires_in": timefmt::seconds_until(token.expires_at, now).max(0),
                "source": source.as_str(),
            }))
            .unwrap_or_default(),
        );
    }
    out(io, token.access_token.expose_secret())
}

/// `token --claims`: the token's payload as a person (or `--json`, a script) reads it.
fn claims(
    session: &Session,
    token: &crate::session::CachedToken,
    source: Source,
    json: bool,
    io: &mut Io,
) -> Result<i32> {
    let Some(c) = session::Claims::of(&token.access_token) else {
        return Err(
            crate::error::Error::new("the token is not a JWT: it says nothing of itself")
                .with_hint("IMS's access tokens are JWTs; check --ims-url points at Adobe IMS"),
        );
    };
    let now = SystemTime::now();
    let time = |t: Option<SystemTime>| t.map(timefmt::rfc3339);
    if json {
        return out(
            io,
            &serde_json::to_string_pretty(&json!({
                "profile": session.profile,
                "type": c.token_type,
                "client_id": c.client_id,
                "user_id": c.user_id,
                "org": c.org,
                "scopes": c.scopes,
                "issuer": c.issuer,
                "issued_at": time(c.issued_at),
                "expires_at": time(c.expires_at),
                "expires_in": c.expires_at.map(|t| timefmt::seconds_until(t, now).max(0)),
                "source": source.as_str(),
            }))
            .unwrap_or_default(),
        );
    }
    let unknown = || "(not in the token)".to_string();
    let relative = |t: SystemTime| match t.duration_since(now) {
        Ok(ahead) => format!("in {}", timefmt::span(ahead)),
        Err(e) => format!("{} ago", timefmt::span(e.duration())),
    };
    let when = |t: Option<SystemTime>| {
        t.map_or_else(unknown, |t| {
            format!("{} ({})", timefmt::rfc3339(t), relative(t))
        })
    };
    let rows = [
        ("type", c.token_type.unwrap_or_else(unknown)),
        ("client ID", c.client_id.unwrap_or_else(unknown)),
        ("user", c.user_id.unwrap_or_else(unknown)),
        ("org", c.org.unwrap_or_else(unknown)),
        (
            "scopes",
            if c.scopes.is_empty() {
                unknown()
            } else {
                c.scopes.join(", ")
            },
        ),
        ("issuer", c.issuer.unwrap_or_else(unknown)),
        ("issued", when(c.issued_at)),
        ("expires", when(c.expires_at)),
        (
            "from",
            format!("{} (profile {})", source.as_str(), session.profile),
        ),
    ];
    let text: Vec<String> = rows.iter().map(|(k, v)| format!("{k:<10} {v}")).collect();
    out(io, &text.join("\n"))
}

/// `token --copy`: the clipboard chain (desktop, tmux, OSC 52 to the terminal); says which on stderr.
fn copy_token(token: &str, io: &mut Io) {
    use crate::clipboard::{self, Copied};
    let (copied, why) = clipboard::copy(token, &mut clipboard::ControllingTerminal::default());
    let why = why.unwrap_or_default();
    match copied {
        Copied::Native(kind) => note!(io, "Copied the token to the clipboard ({kind})."),
        Copied::Tmux { terminal } => note!(
            io,
            "Put the token in tmux's paste buffer{}.",
            if terminal {
                "; tmux passes it on to the terminal's clipboard where its set-clipboard option allows"
            } else {
                ""
            }
        ),
        Copied::Osc52 { tmux } => note!(
            io,
            "Asked the terminal to copy the token (OSC 52{}; terminals that do not allow it ignore it); {why}.",
            if tmux { " through tmux" } else { "" }
        ),
        Copied::Failed(_) => warn(
            io,
            &format!("could not copy the token: {why}; it is printed on stdout instead"),
        ),
    }
}
