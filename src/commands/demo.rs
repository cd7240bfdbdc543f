//! The wizard's entry points (`places-setup` alone, and `demo` offline against the emulator) and
//! `emulator`, which serves the same emulator for scripts and benchmarks.
use super::out;
use crate::cli::{Cli, EmulatorArgs};
use crate::error::{Error, Result};
use crate::places;
use crate::session::Session;
use crate::store::Store;
use serde_json::json;

/// `places-setup` with no command: the wizard, against the real IMS and Places API.
pub fn wizard(session: Session) -> Result<()> {
    let options = crate::wizard::Options {
        demo: false,
        places_url: std::env::var("PLACES_SETUP_PLACES_URL")
            .unwrap_or_else(|_| places::DEFAULT_PLACES_URL.to_string()),
        key_dir: crate::cert::DEFAULT_DIR.to_string(),
    };
    crate::wizard::run(session, options)
}

/// `demo`: the wizard offline, its profile and keys in a folder removed at exit unless told where.
pub fn demo(cli: &Cli) -> Result<()> {
    let temporary = match &cli.config_dir {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("places-setup-demo.")
                .tempdir()
                .map_err(|e| Error::new(format!("cannot make a folder for the demo: {e}")))?,
        ),
    };
    let mut session = super::session(cli)?;
    if let Some(dir) = &temporary {
        session.store = Store::new(dir.path());
    }
    let options = crate::wizard::Options {
        demo: true,
        places_url: String::new(),
        key_dir: session.store.dir().join("keys").display().to_string(),
    };
    crate::wizard::run(session, options)
}

/// Prints one JSON line saying where the emulator listens and what it knows, then serves until killed.
pub fn serve_emulator(args: &EmulatorArgs) -> Result<()> {
    use crate::emulator::demo;
    let mut certificates = Vec::new();
    for path in &args.certificates {
        certificates.push(std::fs::read_to_string(path).map_err(|e| Error::io("read", path, &e))?);
    }
    let config = crate::emulator::EmulatorConfig {
        tls: args.tls,
        ..Default::default()
    };
    let emulator = demo::start_with(certificates, config)
        .map_err(|e| Error::new(format!("cannot start the emulator: {e}")))?;
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
    out(&line.to_string())?;
    loop {
        std::thread::park();
    }
}
