//! The environment variables places-setup reads, taken once when it starts (in main.rs) into a
//! value that is handed down: a command run in-process by a test gets the environment the test
//! gives it, not the process's, which every test thread shares.
use crate::error::{Error, Result};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};

/// The environment variable that gives a client secret without a prompt.
pub const CLIENT_SECRET_ENV: &str = "PLACES_SETUP_CLIENT_SECRET";

/// The environment variable that gives a key passphrase without a prompt.
pub const PASSPHRASE_ENV: &str = "PLACES_SETUP_KEY_PASSPHRASE";

/// The variables behind command-line flags (see cli.rs), read as clap reads them.
pub const SETTINGS: [&str; 7] = [
    "PLACES_SETUP_CONFIG_DIR",
    "PLACES_SETUP_PROFILE",
    "PLACES_SETUP_IMS_URL",
    "PLACES_SETUP_TIMEOUT",
    "PLACES_SETUP_PLACES_URL",
    "PLACES_SETUP_STORE",
    // Where `env --format github` appends (set by GitHub Actions in each step).
    "GITHUB_ENV",
];

/// A secret-holding variable as it was found. One that is not UTF-8 is kept as such, so that
/// using it is an error of its own rather than "no secret given".
#[derive(Debug, Clone, Default)]
enum SecretVar {
    #[default]
    Unset,
    Set(SecretString),
    NotUnicode,
}

impl SecretVar {
    fn from_os(value: Option<OsString>) -> SecretVar {
        match value.map(OsString::into_string) {
            None => SecretVar::Unset,
            Some(Ok(text)) => SecretVar::Set(SecretString::from(text)),
            Some(Err(_)) => SecretVar::NotUnicode,
        }
    }

    fn value(&self, name: &str) -> Result<Option<SecretString>> {
        match self {
            SecretVar::Unset => Ok(None),
            SecretVar::Set(value) => Ok(Some(value.clone())),
            SecretVar::NotUnicode => Err(Error::usage(format!(
                "{name} is set but is not valid UTF-8 text"
            ))
            .with_hint("set it to the value copied from the Console (plain text), or unset it")),
        }
    }
}

/// What the environment says to places-setup. `Debug` shows the secrets as `[REDACTED]`.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    settings: BTreeMap<&'static str, OsString>,
    client_secret: SecretVar,
    key_passphrase: SecretVar,
}

impl Environment {
    /// The process's variables, as they are now.
    pub fn from_process() -> Environment {
        let mut environment = Environment::default();
        for name in SETTINGS {
            if let Some(value) = std::env::var_os(name) {
                environment.settings.insert(name, value);
            }
        }
        environment.client_secret = SecretVar::from_os(std::env::var_os(CLIENT_SECRET_ENV));
        environment.key_passphrase = SecretVar::from_os(std::env::var_os(PASSPHRASE_ENV));
        environment
    }

    /// This environment with `name` set to `value`. Only the variables places-setup reads are
    /// kept; any other name is refused, so a test cannot set one that would be ignored.
    pub fn with(mut self, name: &str, value: impl Into<OsString>) -> Environment {
        let value = value.into();
        match name {
            CLIENT_SECRET_ENV => self.client_secret = SecretVar::from_os(Some(value)),
            PASSPHRASE_ENV => self.key_passphrase = SecretVar::from_os(Some(value)),
            _ => match SETTINGS.iter().find(|known| **known == name) {
                Some(known) => {
                    self.settings.insert(known, value);
                }
                None => panic!("places-setup reads no variable named {name}"),
            },
        }
        self
    }

    /// A variable behind a command-line flag (one of `SETTINGS`), when set.
    pub fn setting(&self, name: &str) -> Option<&OsStr> {
        self.settings.get(name).map(OsString::as_os_str)
    }

    /// PLACES_SETUP_CLIENT_SECRET, as given (not yet checked as a client secret).
    pub fn client_secret(&self) -> Result<Option<SecretString>> {
        self.client_secret.value(CLIENT_SECRET_ENV)
    }

    /// PLACES_SETUP_KEY_PASSPHRASE.
    pub fn key_passphrase(&self) -> Result<Option<SecretString>> {
        self.key_passphrase.value(PASSPHRASE_ENV)
    }

    /// Whether PLACES_SETUP_KEY_PASSPHRASE is set at all (even to text that is not UTF-8).
    pub fn has_key_passphrase(&self) -> bool {
        !matches!(self.key_passphrase, SecretVar::Unset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn secrets_are_kept_apart_and_never_shown() {
        let environment = Environment::default()
            .with(CLIENT_SECRET_ENV, "p8e-not-shown")
            .with("PLACES_SETUP_PROFILE", "prod");
        assert_eq!(
            environment
                .client_secret()
                .unwrap()
                .unwrap()
                .expose_secret(),
            "p8e-not-shown"
        );
        assert_eq!(
            environment.setting("PLACES_SETUP_PROFILE"),
            Some(OsStr::new("prod"))
        );
        assert!(environment.setting(CLIENT_SECRET_ENV).is_none());
        assert!(environment.key_passphrase().unwrap().is_none());
        assert!(!format!("{environment:?}").contains("p8e-not-shown"));
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_that_is_not_text_is_an_error_naming_the_variable() {
        use std::os::unix::ffi::OsStringExt;
        let environment =
            Environment::default().with(PASSPHRASE_ENV, OsString::from_vec(vec![0xff, 0xfe]));
        assert!(environment.has_key_passphrase());
        let error = environment.key_passphrase().unwrap_err();
        assert!(error.message.contains(PASSPHRASE_ENV), "{}", error.message);
    }
}
