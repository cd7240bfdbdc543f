//! Where places-setup keeps things: `config.toml` (profiles, no secrets) and, per profile, a 0700
//! folder holding the client secret, the key passphrase and the cached token in 0600 files.
pub mod atomic;
pub mod config;
pub mod token;

use crate::error::{Error, Result};
pub use config::{Auth, Config, Profile};
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
pub use token::CachedToken;

/// A secret kept beside a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    ClientSecret,
    KeyPassphrase,
}

impl Secret {
    fn file_name(self) -> &'static str {
        match self {
            Secret::ClientSecret => "client_secret",
            Secret::KeyPassphrase => "key_passphrase",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Secret::ClientSecret => "client secret",
            Secret::KeyPassphrase => "key passphrase",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The platform's config folder: `~/.config/places-setup` on Linux.
    pub fn default_dir() -> Result<PathBuf> {
        directories::ProjectDirs::from("", "", "places-setup")
            .map(|d| d.config_dir().to_path_buf())
            .ok_or_else(|| {
                Error::new("cannot find a home folder for the configuration")
                    .with_hint("pass --config-dir DIR or set PLACES_SETUP_CONFIG_DIR")
            })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.join("config.toml")
    }

    pub fn profile_dir(&self, profile: &str) -> PathBuf {
        self.dir.join("profiles").join(profile)
    }

    /// The profiles; an absent file is an empty configuration.
    pub fn load(&self) -> Result<Config> {
        let path = self.config_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::io("read", &path, &e)),
        }
    }

    pub fn save(&self, config: &Config) -> Result<()> {
        atomic::create_dir_private(&self.dir)?;
        atomic::write(&self.config_path(), config.to_toml().as_bytes(), 0o600)
    }

    pub fn secret_path(&self, profile: &str, secret: Secret) -> PathBuf {
        self.profile_dir(profile).join(secret.file_name())
    }

    pub fn read_secret(&self, profile: &str, secret: Secret) -> Result<Option<SecretString>> {
        let path = self.secret_path(profile, secret);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(SecretString::from(
                text.trim_end_matches(['\n', '\r']).to_string(),
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("read", &path, &e)),
        }
    }

    pub fn write_secret(&self, profile: &str, secret: Secret, value: &SecretString) -> Result<()> {
        let dir = self.profile_dir(profile);
        atomic::create_dir_private(&dir)?;
        atomic::write(
            &self.secret_path(profile, secret),
            value.expose_secret().as_bytes(),
            0o600,
        )
    }

    pub fn remove_secret(&self, profile: &str, secret: Secret) -> Result<()> {
        let path = self.secret_path(profile, secret);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::io("remove", &path, &e))
            }
            _ => Ok(()),
        }
    }

    pub fn token_path(&self, profile: &str) -> PathBuf {
        self.profile_dir(profile).join("token.json")
    }

    /// The cached token, if there is one that can be read. A damaged cache is no token: it is
    /// only ever a copy of what IMS will give again.
    pub fn read_token(&self, profile: &str) -> Option<CachedToken> {
        let text = std::fs::read_to_string(self.token_path(profile)).ok()?;
        CachedToken::from_json(&text)
    }

    pub fn write_token(&self, profile: &str, token: &CachedToken) -> Result<()> {
        let dir = self.profile_dir(profile);
        atomic::create_dir_private(&dir)?;
        atomic::write_cache(&self.token_path(profile), token.to_json().as_bytes(), 0o600)
    }

    /// Warnings for secret-holding files that other users can read.
    pub fn exposure_warnings(&self, profile_name: &str, profile: &Profile) -> Vec<String> {
        let mut files: Vec<(PathBuf, &str)> = vec![
            (
                self.secret_path(profile_name, Secret::ClientSecret),
                "the client secret file",
            ),
            (
                self.secret_path(profile_name, Secret::KeyPassphrase),
                "the key passphrase file",
            ),
            (self.token_path(profile_name), "the token cache"),
        ];
        if let Some(key) = &profile.private_key {
            files.push((key.clone(), "the private key"));
        }
        files
            .iter()
            .filter_map(|(path, what)| atomic::exposure_warning(path, what))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_private_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("cfg"));
        assert!(
            store
                .read_secret("p", Secret::ClientSecret)
                .unwrap()
                .is_none()
        );
        store
            .write_secret(
                "p",
                Secret::ClientSecret,
                &SecretString::from("s3cr3t".to_string()),
            )
            .unwrap();
        let back = store
            .read_secret("p", Secret::ClientSecret)
            .unwrap()
            .unwrap();
        assert_eq!(back.expose_secret(), "s3cr3t");
        assert_eq!(
            atomic::mode(&store.secret_path("p", Secret::ClientSecret)),
            Some(0o600)
        );
        assert_eq!(atomic::mode(&store.profile_dir("p")), Some(0o700));
        assert!(!format!("{back:?}").contains("s3cr3t"));
    }

    #[test]
    fn config_is_saved_private_and_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        assert_eq!(store.load().unwrap(), Config::default());
        store.save(&Config::default()).unwrap();
        assert_eq!(atomic::mode(&store.config_path()), Some(0o600));
        assert_eq!(store.load().unwrap(), Config::default());
    }
}
