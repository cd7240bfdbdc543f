//! The demo's own IMS and Places API (the built-in emulator) on this machine, and the
//! certificates "uploaded" to it, as the Console would hold them.
use super::*;
use crate::emulator::{Emulator, demo};

pub struct Demo {
    emulator: Emulator,
    certificates: Mutex<Vec<String>>,
}

/// The values the demo's integration has, to prefill its forms: org ID, JWT client ID,
/// technical account ID, client secret, OAuth client ID, scopes.
pub fn demo_values() -> [String; 6] {
    [
        demo::ORG_ID.into(),
        demo::JWT_CLIENT_ID.into(),
        demo::TECHNICAL_ACCOUNT_ID.into(),
        demo::CLIENT_SECRET.into(),
        demo::OAUTH_CLIENT_ID.into(),
        demo::SCOPES.join(","),
    ]
}

impl Demo {
    /// Starts the emulator, knowing the certificates of the profiles already saved (a demo run
    /// again in the same folder), and points the session's IMS at it.
    pub fn start(session: &mut Session) -> Result<Demo> {
        let config = session.store.load()?;
        let certificates: Vec<String> = config
            .profiles
            .values()
            .filter_map(Profile::certificate)
            .filter_map(read_certificate)
            .collect();
        let emulator = demo::start(certificates.clone())
            .map_err(|e| Error::new(format!("cannot start the demo's IMS emulator: {e}")))?;
        session.ims_url_override = Some(emulator.url());
        Ok(Demo {
            emulator,
            certificates: Mutex::new(certificates),
        })
    }

    pub fn places_url(&self) -> String {
        self.emulator.places_url()
    }

    /// As if the pair's certificate were uploaded in the Console.
    pub fn upload(&self, pair: &mut PairInfo) {
        let Some(pem) = read_certificate(&pair.certificate) else {
            return;
        };
        let mut uploaded = self.certificates.lock().unwrap_or_else(|p| p.into_inner());
        uploaded.push(pem);
        demo::register(&self.emulator, uploaded.clone());
        pair.registered = true;
    }
}

/// A certificate's PEM text: a regular file, capped as every key file is.
fn read_certificate(path: &std::path::Path) -> Option<String> {
    let bytes =
        crate::store::atomic::read_given(path, crate::store::atomic::MAX_FILE, "certificate")
            .ok()?;
    String::from_utf8(bytes).ok()
}
