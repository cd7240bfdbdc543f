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
