//! The wizard's entry points: `places-setup` alone, and `demo` offline against the emulator.
use super::{Io, SUCCESS};
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::Store;

/// `places-setup` with no command: the wizard, against the real IMS and Places API.
pub fn wizard(session: Session, debug: bool, io: &Io) -> Result<i32> {
    let options = crate::wizard::Options {
        demo: false,
        demo_kept: false,
        places_url: io
            .environment
            .setting("PLACES_SETUP_PLACES_URL")
            .and_then(|url| url.to_str())
            .map(str::to_string),
        key_dir: crate::cert::DEFAULT_DIR.to_string(),
        debug,
    };
    crate::wizard::run(session, options).map(|()| SUCCESS)
}

/// `demo`: the wizard offline, its profile and keys in a folder removed at exit unless told where.
///
/// Only `--config-dir` typed on the command line is a place to keep the demo's files:
/// PLACES_SETUP_CONFIG_DIR names the person's real profiles, which the demo must never list,
/// use or overwrite.
pub fn demo(cli: &Cli, io: &Io) -> Result<i32> {
    let temporary = match &cli.config_dir {
        Some(_) if cli.config_dir_from_flag => None,
        _ => Some(
            // Its key pair and secrets are made up, but other users have no business in it.
            crate::platform::private_temp_dir("places-setup-demo.")
                .map_err(|e| Error::new(format!("cannot make a folder for the demo: {e}")))?,
        ),
    };
    let mut session = super::session(cli, io)?;
    if let Some(dir) = &temporary {
        session.store = Store::new(dir.path());
    }
    let options = crate::wizard::Options {
        demo: true,
        demo_kept: temporary.is_none(),
        places_url: None,
        key_dir: session.store.dir().join("keys").display().to_string(),
        debug: cli.debug,
    };
    crate::wizard::run(session, options).map(|()| SUCCESS)
}
