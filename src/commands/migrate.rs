//! `migrate`: carries a saved Service Account (JWT) profile across to OAuth Server-to-Server, as
//! Adobe's conversion did the credential — same org ID, client ID and secret; only the scopes are
//! asked. The exchange is tested before anything is saved.
use crate::cli::MigrateArgs;
use crate::error::{Error, Result};
use crate::ids;
use crate::ims::retirement::JWT_CONVERSION_DATE;
use crate::session::{self, Session};
use std::io::{BufRead, IsTerminal, Write};

const SCOPES_FIX: &str =
    "copy them from the credential's Scopes tab in the Developer Console, comma-separated";

fn scopes(args: &MigrateArgs) -> Result<Vec<String>> {
    if let Some(list) = &args.scopes {
        return ids::list("--scopes", list, SCOPES_FIX);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::usage("--scopes is required").with_hint(SCOPES_FIX.to_string()));
    }
    eprint!("Scopes (the credential's Scopes tab, comma-separated): ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::new(format!("cannot read the scopes: {e}")))?;
    ids::list("scopes", &line, SCOPES_FIX)
}

pub async fn migrate(session: &Session, args: &MigrateArgs) -> Result<()> {
    // Said before asking anything: a profile that is not there is the first thing to know.
    let before = session.load_profile()?;
    let scopes = scopes(args)?;
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
    eprintln!(
        "Migrated profile {:?} to OAuth Server-to-Server (Adobe converted JWT credentials by {JWT_CONVERSION_DATE}); the exchange works and the token is cached.",
        session.profile
    );
    eprintln!(
        "Kept: org ID {}, client ID {}, the client secret (where it was).",
        migrated.profile.org_id, migrated.profile.client_id
    );
    for path in &migrated.key_files {
        eprintln!(
            "Left on disk, no longer used by this profile: {}",
            path.display()
        );
    }
    if before.private_key.is_some() {
        eprintln!(
            "OAuth Server-to-Server needs no key or certificate; delete them when nothing else uses them."
        );
    }
    eprintln!("Next: places-setup{} token", session.profile_flag());
    Ok(())
}
