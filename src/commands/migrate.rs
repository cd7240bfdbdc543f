//! `migrate`: carries a saved Service Account (JWT) profile across to OAuth Server-to-Server, as
//! Adobe's conversion did the credential — same org ID, client ID and secret; only the scopes are
//! asked. The exchange is tested before anything is saved.
use super::{Io, note};
use crate::cli::MigrateArgs;
use crate::error::{Error, Result};
use crate::ids;
use crate::ims::retirement::JWT_CONVERSION_DATE;
use crate::session::{self, Session};
use std::io::Write;

const SCOPES_FIX: &str =
    "copy them from the credential's Scopes tab in the Developer Console, comma-separated";

fn scopes(args: &MigrateArgs, io: &mut Io) -> Result<Vec<String>> {
    if let Some(list) = &args.scopes {
        return ids::list("--scopes", list, SCOPES_FIX);
    }
    if !io.stdin_is_terminal {
        return Err(Error::usage("--scopes is required").with_hint(SCOPES_FIX.to_string()));
    }
    let _ = write!(
        io.err,
        "Scopes (the credential's Scopes tab, comma-separated): "
    );
    let _ = io.err.flush();
    let mut line = String::new();
    io.stdin
        .read_line(&mut line)
        .map_err(|e| Error::new(format!("cannot read the scopes: {e}")))?;
    ids::list("scopes", &line, SCOPES_FIX)
}

fn already_oauth(session: &Session) -> Error {
    Error::usage(format!(
        "profile {:?} is already OAuth Server-to-Server",
        session.profile
    ))
    .with_hint(format!(
        "nothing to migrate; change its scopes with places-setup{} init --scopes LIST",
        session.profile.flag()
    ))
}

pub async fn run(session: &Session, args: &MigrateArgs, io: &mut Io) -> Result<i32> {
    // Said before asking anything: a profile that is not there is the first thing to know.
    let before = session.load_profile()?;
    // An OAuth profile has nothing to migrate: said alone, before scopes are asked, and without
    // the "still Service Account (JWT)" a failed migration adds.
    if before.auth() == crate::store::Auth::Oauth {
        return Err(already_oauth(session));
    }
    let scopes = scopes(args, io)?;
    let migrated = session::migrate(session, scopes).await.map_err(|(e, _)| {
        let hint = e.hint.clone().unwrap_or_default();
        e.with_hint(
            format!(
                "{hint}\nNothing was changed: profile {:?} is still Service Account (JWT).",
                session.profile
            )
            .trim_start()
            .to_string(),
        )
    })?;
    note!(
        io,
        "Migrated profile {:?} to OAuth Server-to-Server (Adobe converted JWT credentials by {JWT_CONVERSION_DATE}); the exchange works and the token is cached.",
        session.profile
    );
    note!(
        io,
        "Kept: org ID {}, client ID {}, the client secret (where it was).",
        migrated.profile.org_id,
        migrated.profile.client_id
    );
    for path in &migrated.key_files {
        note!(
            io,
            "Left on disk, no longer used by this profile: {}",
            path.display()
        );
    }
    if before.private_key().is_some() {
        note!(
            io,
            "OAuth Server-to-Server needs no key or certificate; delete them when nothing else uses them."
        );
    }
    note!(io, "Next: places-setup{} token", session.profile.flag());
    Ok(super::SUCCESS)
}
