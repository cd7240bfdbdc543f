//! The session layer: what either face (the commands or the wizard) needs to work with a profile —
//! where things are stored and which profile, the profile with its secrets and private key, a valid
//! token (cached, else exchanged and cached), and the Places API check. It prints nothing and
//! knows no terminal: it returns values, errors with hints, and warnings as data; a passphrase it
//! cannot find is asked through a prompt the face supplies.
use crate::cert;
pub use crate::cert::{PrivateKey, Subject};
use crate::error::{Error, Result};
use crate::http::{self, Policy};
use crate::ids;
use crate::ims::ExchangeError;
use crate::ims::client as ims_client;
use crate::ims::error::{self as ims_error, Context};
use crate::jwt::JwtRequest;
use crate::places::{self, Library, Refusal};
use crate::store::{Secret, Store, os_keyring};
use secrecy::SecretString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

mod claims;
mod demo;
mod doctor;
mod edit;
mod key;
mod pair;
mod profiles;
mod revoke;
mod save;
mod setup;
mod token;
mod validity;

pub use claims::*;
pub use demo::*;
pub use doctor::*;
pub use edit::*;
pub use key::*;
pub use pair::*;
pub use profiles::*;
pub use revoke::*;
pub use save::*;
pub use setup::*;
pub use token::*;
pub use validity::*;

// Value types the faces use without reaching past the session.
pub use crate::access_token::AccessToken;
pub use crate::cert::{DEFAULT_DAYS, DEFAULT_NAME, Field as SubjectField, PairPaths, check_name};
pub use crate::clipboard::{Copied, copy as copy_to_clipboard};
pub use crate::console::{ConsoleCredential, ConsoleProject, parse as parse_console_json};
pub use crate::environment::PASSPHRASE_ENV;
pub use crate::ids::{ClientId, OrgId, ProfileName, TechnicalAccountId};
pub use crate::ims::error::{Field as CredentialField, Problem};
pub use crate::ims::{ImsError, retirement};
pub use crate::jwt::{PLACES_METASCOPE, metascope_claim};
pub use crate::places::DEFAULT_PLACES_URL;
pub use crate::store::{
    Auth, CachedToken, Config, Credential, JwtCredential, OauthCredential, PlacesState, Profile,
    SecretStore,
};

/// Something worth telling the person that does not stop the work; each face shows it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(pub String);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a face asks for the passphrase of an encrypted key when nothing else opens it: given the
/// key's path, the passphrase, or `None` when it cannot ask.
#[derive(Clone)]
pub struct PassphrasePrompt(Arc<Ask>);

type Ask = dyn Fn(&Path) -> Option<SecretString> + Send + Sync;

impl PassphrasePrompt {
    pub fn new(ask: impl Fn(&Path) -> Option<SecretString> + Send + Sync + 'static) -> Self {
        PassphrasePrompt(Arc::new(ask))
    }

    /// The passphrase for the key at `key_path`, or `None` when it cannot be asked.
    pub fn ask(&self, key_path: &Path) -> Option<SecretString> {
        (self.0)(key_path)
    }
}

impl fmt::Debug for PassphrasePrompt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PassphrasePrompt")
    }
}

/// What every use of a profile needs: where things are stored, which profile, how to talk HTTP.
#[derive(Debug, Clone)]
pub struct Session {
    pub store: Store,
    pub profile: ProfileName,
    pub ims_url_override: Option<String>,
    /// The Places API named by a flag or variable, over the profile's own.
    pub places_url_override: Option<String>,
    pub policy: Policy,
    /// Asks for a key passphrase as a last resort; without one, an unopened key is an error.
    pub passphrase_prompt: Option<PassphrasePrompt>,
    /// The variables the face was started with (secrets, store); empty unless the face sets it.
    pub environment: crate::environment::Environment,
    /// How long a cached token must still last to be handed out (`--min-valid`).
    pub min_valid: Duration,
}

impl Session {
    /// The config folder (else the platform's), the profile name and the IMS URL, each checked.
    pub fn open(
        config_dir: Option<&Path>,
        profile: &str,
        ims_url: Option<&str>,
        timeout: Duration,
    ) -> Result<Session> {
        let dir = match config_dir {
            Some(d) => d.to_path_buf(),
            None => Store::default_dir()?,
        };
        let ims_url_override = match ims_url {
            Some(url) => Some(
                http::check_url("--ims-url", url)?
                    .as_str()
                    .trim_end_matches('/')
                    .to_string(),
            ),
            None => None,
        };
        Ok(Session {
            store: Store::new(dir),
            profile: ids::profile_name(profile)?,
            ims_url_override,
            places_url_override: None,
            policy: Policy::with_timeout(timeout),
            passphrase_prompt: None,
            environment: Default::default(),
            min_valid: DEFAULT_MIN_VALID,
        })
    }

    /// The profile, or an error saying how to make one: a wrong value (exit 2), as for every
    /// command that names a profile.
    pub fn load_profile(&self) -> Result<Profile> {
        let config = self.store.load()?;
        config.profiles.get(self.profile.as_str()).cloned().ok_or_else(|| {
            let known: Vec<&str> = config.profiles.keys().map(ProfileName::as_str).collect();
            let mut e = Error::usage(format!("no profile named {:?} in {}", self.profile, self.store.config_path().display()));
            e.hint = Some(if known.is_empty() {
                "set one up: run `places-setup` for the wizard, or `places-setup keys` then `places-setup init …`".to_string()
            } else {
                format!("known profiles: {} (choose with --profile NAME); or create it with `places-setup{} init …`", known.join(", "), self.profile.flag())
            });
            e
        })
    }

    /// The IMS URL in force: flag or variable, else the profile's own.
    pub fn ims_url(&self, profile: &Profile) -> String {
        self.ims_url_override
            .clone()
            .unwrap_or_else(|| profile.ims_url.clone())
    }

    /// The IMS URL a profile being made or changed keeps: flag or variable, else the one it had,
    /// else Adobe's production IMS.
    pub fn new_ims_url(&self, previous: Option<&Profile>) -> String {
        match previous {
            Some(profile) => self.ims_url(profile),
            None => self
                .ims_url_override
                .clone()
                .unwrap_or_else(|| crate::ims::DEFAULT_IMS_URL.to_string()),
        }
    }
}

/// The file `--debug` writes to where the screen is taken (the wizard), in the config folder.
pub const DEBUG_LOG: &str = "debug.log";

impl Session {
    /// `--debug` for a face that owns the terminal: each HTTP attempt's line (nothing secret in
    /// it, see `http::Attempt`) appended to a 0600 file in the config folder, whose path is
    /// returned to be named when the face is done.
    pub fn debug_to_file(&mut self) -> Result<PathBuf> {
        crate::store::atomic::create_dir_private(self.store.dir())?;
        let path = self.store.dir().join(DEBUG_LOG);
        let file = Mutex::new(crate::store::atomic::open_log(&path)?);
        self.policy.observer = Some(http::Observer(Arc::new(move |attempt: &http::Attempt| {
            let line = crate::text::printable(&attempt.to_string(), false);
            if let Ok(mut file) = file.lock() {
                let _ =
                    std::io::Write::write_all(&mut *file, format!("debug: {line}\n").as_bytes());
            }
        })));
        Ok(path)
    }

    /// The Places API URL in force: flag or variable (`given`, else the session's), else the
    /// profile's own, else Adobe's.
    pub fn places_url(&self, given: Option<&str>, profile: &Profile) -> Result<String> {
        let url = given
            .or(self.places_url_override.as_deref())
            .map(str::to_string)
            .or_else(|| profile.places_url.clone())
            .unwrap_or_else(|| places::DEFAULT_PLACES_URL.to_string());
        http::check_url("--places-url", &url)?;
        Ok(url.trim_end_matches('/').to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn a_profile_remembers_a_places_url_that_is_not_adobes() {
        let adobe = places::DEFAULT_PLACES_URL;
        let emulator = "http://127.0.0.1:9/places/placesapi/v1";
        let ims = "https://ims-na1.adobelogin.com";
        assert_eq!(remembered_places_url(ims, None, None), None);
        assert_eq!(remembered_places_url(ims, Some(adobe), None), None);
        assert_eq!(
            remembered_places_url(ims, Some(&format!("{emulator}/")), None).as_deref(),
            Some(emulator)
        );
        assert_eq!(
            remembered_places_url(ims, None, Some(emulator)).as_deref(),
            Some(emulator)
        );
        // Given Adobe's on purpose: the one kept before is forgotten.
        assert_eq!(
            remembered_places_url(ims, Some(adobe), Some(emulator)),
            None
        );
        // An IMS on this machine is the emulator: its Places API is beside it.
        assert_eq!(
            remembered_places_url("http://127.0.0.1:9/", None, None).as_deref(),
            Some(emulator)
        );
        assert_eq!(remembered_places_url("http://10.0.0.1:9", None, None), None);
        // `emulator --tls`: the same emulator, over HTTPS.
        assert_eq!(
            remembered_places_url("https://127.0.0.1:9", None, None).as_deref(),
            Some("https://127.0.0.1:9/places/placesapi/v1")
        );
        assert_eq!(
            remembered_places_url("https://ims.example", None, None),
            None
        );
    }

    #[test]
    fn a_key_made_in_this_run_is_not_asked_for_again() {
        let dir = tempfile::tempdir().unwrap();
        let passphrase = SecretString::from("made a moment ago".to_string());
        let subject = Subject::new([""; 7], "wizard").unwrap();
        let pair = make_pair(dir.path(), "wizard", subject, 1, false, Some(&passphrase)).unwrap();
        let session = Session {
            store: Store::new(dir.path().join("config")),
            profile: "default".into(),
            ims_url_override: None,
            places_url_override: None,
            policy: Policy::with_timeout(Duration::from_secs(1)),
            passphrase_prompt: None,
            environment: Default::default(),
            min_valid: DEFAULT_MIN_VALID,
        };
        // No variable, nothing saved, no prompt: the passphrase of this run is used.
        let (key, used) =
            load_key(&session, SecretStore::File, &pair.written.paths.private_key).unwrap();
        assert_eq!(key.bits(), 2048);
        assert_eq!(
            used.map(|p| p.expose_secret().to_string()).as_deref(),
            Some("made a moment ago")
        );
    }
}
