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

/// Every environment variable places-setup reads, with what it does: the manual page's
/// ENVIRONMENT section is made from this list (a test checks that the source names no
/// PLACES_SETUP_ variable missing from it).
pub const DOCUMENTED: [(&str, &str); 14] = [
    (
        "GITHUB_ENV",
        "With env --format github: the file the variables are appended to (GitHub Actions sets it).",
    ),
    (
        "PLACES_SETUP_CONFIG_DIR",
        "Where config, secrets and cached tokens live, as --config-dir.",
    ),
    (
        "PLACES_SETUP_PROFILE",
        "The profile to use, as --profile; over the one chosen with `profile use`.",
    ),
    (
        "PLACES_SETUP_IMS_URL",
        "The Adobe IMS base URL, as --ims-url.",
    ),
    (
        "PLACES_SETUP_TIMEOUT",
        "Seconds one HTTP request may take, as --timeout.",
    ),
    (
        "PLACES_SETUP_PLACES_URL",
        "The Places API base URL, as --places-url.",
    ),
    (
        "PLACES_SETUP_STORE",
        "Where `init` keeps secrets: keyring or file, as --store.",
    ),
    (
        CLIENT_SECRET_ENV,
        "The client secret for `init` and the wizard, instead of a prompt.",
    ),
    (
        PASSPHRASE_ENV,
        "The passphrase of an encrypted private key, instead of a prompt.",
    ),
    (
        "PLACES_SETUP_COMPLETE",
        "Set by the completion scripts to ask places-setup for completions.",
    ),
    (
        "XDG_CONFIG_HOME",
        "On Linux, the folder above places-setup/ when no config folder is given [default: ~/.config].",
    ),
    (
        "SSL_CERT_FILE",
        "A PEM file of CA certificates to trust besides the system's (SSL_CERT_DIR: a folder of them).",
    ),
    (
        "HTTPS_PROXY",
        "A proxy for HTTPS requests (also HTTP_PROXY, ALL_PROXY; NO_PROXY lists exceptions).",
    ),
    ("NO_COLOR", "The wizard uses no colour."),
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

    #[test]
    fn every_places_setup_variable_in_the_source_is_documented() {
        let mut named = std::collections::BTreeSet::new();
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("PLACES_SETUP_") {
                    let name: String = text[at..]
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                        .collect();
                    // A prefix that a format string completes is not a name; the test hooks
                    // of debug builds (PLACES_SETUP_TEST_…) are not read by a release binary.
                    if name.len() > "PLACES_SETUP_".len() && !name.starts_with("PLACES_SETUP_TEST_")
                    {
                        named.insert(name);
                    }
                }
            }
        }
        assert!(named.len() >= 9, "{named:?}");
        for name in &named {
            assert!(
                DOCUMENTED.iter().any(|(documented, _)| documented == name),
                "{name} is read but not in DOCUMENTED"
            );
        }
        for name in SETTINGS {
            assert!(DOCUMENTED.iter().any(|(d, _)| *d == name), "{name}");
        }
    }

    #[test]
    fn a_secret_that_is_not_text_is_an_error_naming_the_variable() {
        let environment =
            Environment::default().with(PASSPHRASE_ENV, crate::platform::testing::not_unicode());
        assert!(environment.has_key_passphrase());
        let error = environment.key_passphrase().unwrap_err();
        assert!(error.message.contains(PASSPHRASE_ENV), "{}", error.message);
    }
}
