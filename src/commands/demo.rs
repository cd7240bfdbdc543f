//! The wizard's entry points (`places-setup` alone, and `demo` offline against the emulator) and
//! `emulator`, which serves the same emulator for scripts and benchmarks.
use super::{Io, SUCCESS, out};
use crate::cli::{Cli, EmulatorArgs};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::Store;
use serde_json::json;

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

/// Prints one JSON line saying where the emulator listens and what it knows, then serves until killed.
pub fn serve_emulator(args: &EmulatorArgs, io: &mut Io) -> Result<i32> {
    use crate::emulator::demo;
    let mut certificates = Vec::new();
    for path in &args.certificates {
        let bytes = crate::store::atomic::read_given(
            path,
            crate::store::atomic::MAX_FILE,
            "--certificate",
        )?;
        certificates.push(String::from_utf8(bytes).map_err(|_| {
            Error::usage(format!(
                "--certificate: {} is not a PEM certificate (not text)",
                path.display()
            ))
            .with_hint("give the NAME_public.crt that `places-setup keys` wrote")
        })?);
    }
    let port = args.port.unwrap_or(0);
    let config = crate::emulator::EmulatorConfig {
        tls: args.tls,
        ..Default::default()
    };
    let emulator = demo::start_with(port, certificates, config).map_err(|e| {
        let mut error = Error::new(format!("cannot start the emulator on 127.0.0.1:{port}: {e}"));
        if e.kind() == std::io::ErrorKind::AddrInUse {
            error = error.with_hint("another program uses that port: choose another with --port N, or leave --port out for a free one");
        }
        error
    })?;
    let mut line = json!({
        "ims_url": emulator.url(),
        "places_url": emulator.places_url(),
        "org_id": demo::ORG_ID,
        "jwt_client_id": demo::JWT_CLIENT_ID,
        "oauth_client_id": demo::OAUTH_CLIENT_ID,
        "technical_account_id": demo::TECHNICAL_ACCOUNT_ID,
        "client_secret": demo::CLIENT_SECRET,
        "scopes": demo::SCOPES.join(","),
    });
    if let Some(ca) = emulator.ca_pem() {
        line["ca_certificate"] = ca.into();
    }
    out(io, &line.to_string())?;
    loop {
        std::thread::park();
    }
}
