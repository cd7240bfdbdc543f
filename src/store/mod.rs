//! Where places-setup keeps things: `config.toml` (profiles, no secrets) and, per profile, a 0700
//! folder holding the cached token and — for profiles whose secrets are not in the operating
//! system's keyring — the client secret and the key passphrase, all in 0600 files.
pub mod atomic;
pub mod config;
pub mod journal;
pub mod os_keyring;
pub mod token;

use crate::error::{Error, Result};
pub use config::{
    Auth, Config, Credential, JwtCredential, OauthCredential, PlacesState, Profile, SecretStore,
};
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
    pub const ALL: [Secret; 2] = [Secret::ClientSecret, Secret::KeyPassphrase];

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

/// Checked where a secret is typed; this is the last guard before it is kept, so that nothing is
/// kept that a read (capped at MAX_SECRET) or the keyring could not give back.
fn within_cap(secret: Secret, value: &SecretString) -> Result<()> {
    let len = value.expose_secret().len();
    if len > crate::ids::MAX_SECRET_LEN {
        return Err(crate::ids::too_long(secret.describe(), len));
    }
    Ok(())
}

/// The most of a secret file or token cache that is read.
pub const MAX_SECRET: u64 = 64 * 1024;

/// How long a process waits for another one saving the config.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The files of a save, staged, not yet in place (`Store::begin_save`, `Store::commit`).
#[derive(Debug)]
pub struct Save {
    staged: Vec<atomic::Staged>,
    removals: Vec<journal::Step>,
}

impl Save {
    /// The save also removes the profile's folder (its secret files and cached token).
    pub fn remove_profile(&mut self, profile: &str) {
        self.removals
            .push(journal::Step::RemoveProfile(profile.to_string()));
    }

    /// The save also removes a secret's file (its secret is now in the keyring, or not needed).
    pub fn remove_secret_file(&mut self, profile: &str, secret: Secret) {
        let path = PathBuf::from("profiles")
            .join(profile)
            .join(secret.file_name());
        self.removals.push(journal::Step::RemoveSecret(path));
    }
}

/// The config lock, held (see `Store::lock_config`); staging and committing a save ask for it.
#[derive(Debug)]
pub struct ConfigLock {
    _lock: atomic::Lock,
}

#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store in `dir`, made absolute once here (from the current folder, without touching the
    /// disk): the files a save stages are named absolutely, and must be found inside it.
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        let dir = dir.into();
        Store {
            dir: std::path::absolute(&dir).unwrap_or(dir),
        }
    }

    /// The platform's config folder: `~/.config/places-setup` on Linux.
    pub fn default_dir() -> Result<PathBuf> {
        crate::platform::paths::config_dir().ok_or_else(|| {
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

    /// Refuses a config folder that another user could swap for their own: one below a folder
    /// (up to the home folder) that they can write and that is not sticky, as OpenSSH's
    /// StrictModes refuses such a `~/.ssh`.
    fn check_folders_above(&self) -> Result<()> {
        let home = crate::platform::paths::home();
        let Some((above, mode, owner)) =
            crate::platform::changeable_folder_above(&self.dir, home.as_deref())
        else {
            return Ok(());
        };
        let me = crate::platform::user();
        let why = if owner != me && owner != 0 {
            format!("belongs to user {owner}, not to you (user {me})")
        } else {
            format!("can be written by other users (mode {mode:o}) and is not sticky")
        };
        Err(Error::new(format!(
            "the folder {} above the config folder {} {why}: another user could swap the config folder for their own, so it is not used",
            above.display(),
            self.dir.display()
        ))
        .with_hint(if owner != me && owner != 0 {
            format!(
                "keep the config folder under folders only you (or root) own: pass --config-dir DIR or set PLACES_SETUP_CONFIG_DIR, or run: sudo chown {me} {}",
                atomic::quote(&above)
            )
        } else {
            format!(
                "run: chmod go-w {} (or chmod +t, for a shared folder such as /tmp)",
                atomic::quote(&above)
            )
        }))
    }

    /// The config folder, opened once and checked on its handle (this user's, writable by no
    /// one else; a symbolic link to another user's folder is refused as that folder is), after
    /// the folders above it; `None` when there is none yet.
    fn open_folder(&self) -> Result<Option<crate::platform::Folder>> {
        self.check_folders_above()?;
        let Some(folder) = crate::platform::Folder::open(&self.dir)
            .map_err(|e| Error::io("open", &self.dir, &e))?
        else {
            return Ok(None);
        };
        let meta = folder
            .metadata()
            .map_err(|e| Error::io("check", &self.dir, &e))?;
        atomic::trusted(&meta, &self.dir, "the config folder")?;
        Ok(Some(folder))
    }

    /// The folder of a profile, reached from the config folder's handle one checked folder at a
    /// time, never through a symbolic link; `None` when it does not exist.
    fn open_profile_folder(&self, profile: &str) -> Result<Option<crate::platform::Folder>> {
        let Some(root) = self.open_folder()? else {
            return Ok(None);
        };
        let mut folder = root;
        let mut path = self.dir.clone();
        for (name, what) in [
            ("profiles", "the profiles folder"),
            (profile, "the profile folder"),
        ] {
            path.push(name);
            let next = match folder.folder(name) {
                Ok(Some(next)) => next,
                Ok(None) => return Ok(None),
                Err(e) if crate::platform::is_link_refused(&e) => {
                    return Err(Error::new(format!(
                        "{what} {} is a symbolic link, not a folder; it is not followed",
                        path.display()
                    ))
                    .with_hint(format!(
                        "move it aside and set the profile up again: mv {} {}.aside",
                        atomic::quote(&path),
                        atomic::quote(&path)
                    )));
                }
                Err(e) => return Err(Error::io("open", &path, &e)),
            };
            let meta = next.metadata().map_err(|e| Error::io("check", &path, &e))?;
            atomic::trusted(&meta, &path, what)?;
            folder = next;
        }
        Ok(Some(folder))
    }

    /// The profiles; an absent file is an empty configuration. The folder and the file must be
    /// this user's and writable by no one else (see `atomic::check_trusted`); the file is opened
    /// relative to the folder's handle, so no swap between the check and the read redirects it.
    pub fn load(&self) -> Result<Config> {
        let path = self.config_path();
        if self.save_pending() {
            // Finished under the lock, then read as any other time.
            drop(self.lock_config()?);
        }
        let Some(folder) = self.open_folder()? else {
            return Ok(Config::default());
        };
        let text = match atomic::read_in(
            &folder,
            "config.toml",
            &path,
            atomic::MAX_FILE,
            "the config file",
        )? {
            Some(bytes) => String::from_utf8(bytes).map_err(|_| {
                Error::new(format!("{} is not UTF-8 text", path.display())).with_hint(format!(
                    "fix it by hand, or move it aside: mv {} {}.aside",
                    atomic::quote(&path),
                    atomic::quote(&path)
                ))
            })?,
            None => return Ok(Config::default()),
        };
        Config::parse(&text, &path)
    }

    /// Checks that the folders and files of a profile's secrets and cache can be trusted.
    pub fn check_profile(&self, profile: &str) -> Result<()> {
        self.check_folders_above()?;
        atomic::check_trusted(&self.dir, "the config folder")?;
        atomic::check_trusted(&self.dir.join("profiles"), "the profiles folder")?;
        atomic::check_trusted(&self.profile_dir(profile), "the profile folder")?;
        for secret in Secret::ALL {
            atomic::check_trusted(
                &self.secret_path(profile, secret),
                &format!("the {} file", secret.describe()),
            )?;
        }
        atomic::check_trusted(&self.token_path(profile), "the token cache")
    }

    /// The lock that every read-modify-write of `config.toml` holds, so that two processes saving
    /// different profiles at once both keep theirs. Taking it finishes a save that a stopped
    /// writer left (`journal`), so that its holder reads and writes whole saves only.
    pub fn lock_config(&self) -> Result<ConfigLock> {
        atomic::create_dir_private(&self.dir)?;
        let lock = atomic::lock(
            &self.dir.join(".config.lock"),
            LOCK_WAIT,
            "saving config.toml",
        )?;
        self.recover()?;
        Ok(ConfigLock { _lock: lock })
    }

    /// The lock of one profile: held while its secrets and config entry are saved, and while a
    /// token is exchanged and cached, so that only one process at a time exchanges for it.
    pub fn lock_profile(&self, profile: &str, wait: std::time::Duration) -> Result<atomic::Lock> {
        let dir = self.profile_dir(profile);
        atomic::create_dir_private(&dir)?;
        atomic::lock(
            &dir.join(".lock"),
            wait,
            &format!("saving profile {profile:?} or getting a token for it"),
        )
    }

    /// The profile's lock for getting a token: `None` when the lock file cannot be made (a
    /// read-only or full disk), where a token is still handed out, uncached.
    pub fn lock_profile_for_refresh(
        &self,
        profile: &str,
        wait: std::time::Duration,
    ) -> Result<Option<atomic::Lock>> {
        let dir = self.profile_dir(profile);
        if atomic::create_dir_private(&dir).is_err() {
            return Ok(None);
        }
        atomic::lock_if_possible(
            &dir.join(".lock"),
            wait,
            &format!("getting a token for profile {profile:?}"),
        )
    }

    /// Begins a save: `config.toml` staged first (written in full beside its place), so that a
    /// writer stopped while staging anything leaves a staged file in the config folder itself,
    /// which the next `load` notices. Secrets are added with `stage_secret`; `commit` puts all in
    /// place as one.
    pub fn begin_save(&self, _lock: &ConfigLock, config: &Config) -> Result<Save> {
        atomic::create_dir_private(&self.dir)?;
        let staged = atomic::stage(&self.config_path(), config.to_toml().as_bytes(), 0o600)?;
        Ok(Save {
            staged: vec![staged],
            removals: Vec::new(),
        })
    }

    /// Adds a secret for a profile whose secrets are in files to a save (see `begin_save`).
    pub fn stage_secret(
        &self,
        save: &mut Save,
        profile: &str,
        secret: Secret,
        value: &SecretString,
    ) -> Result<()> {
        within_cap(secret, value)?;
        atomic::create_dir_private(&self.profile_dir(profile))?;
        save.staged.push(atomic::stage(
            &self.secret_path(profile, secret),
            value.expose_secret().as_bytes(),
            0o600,
        )?);
        Ok(())
    }

    pub fn save(&self, config: &Config) -> Result<()> {
        atomic::create_dir_private(&self.dir)?;
        atomic::write(&self.config_path(), config.to_toml().as_bytes(), 0o600)
    }

    pub fn secret_path(&self, profile: &str, secret: Secret) -> PathBuf {
        self.profile_dir(profile).join(secret.file_name())
    }

    pub fn read_secret(&self, profile: &str, secret: Secret) -> Result<Option<SecretString>> {
        self.check_profile(profile)?;
        let path = self.secret_path(profile, secret);
        let Some(folder) = self.open_profile_folder(profile)? else {
            return Ok(None);
        };
        let what = format!("the {} file", secret.describe());
        let Some(bytes) = atomic::read_in(&folder, secret.file_name(), &path, MAX_SECRET, &what)?
        else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::new(format!("{} is not UTF-8 text", path.display())).with_hint(format!(
                "fix it by hand, or move it aside: mv {} {}.aside",
                atomic::quote(&path),
                atomic::quote(&path)
            ))
        })?;
        Ok(Some(SecretString::from(
            text.trim_end_matches(['\n', '\r']).to_string(),
        )))
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

    /// The keyring entry name of a secret: profile, secret and config folder, so that two config
    /// folders (or a test's temporary one) never share an entry.
    pub fn keyring_account(&self, profile: &str, secret: Secret) -> String {
        format!("{profile}/{} in {}", secret.file_name(), self.dir.display())
    }

    /// Where a secret is (or would be) kept, in words, for messages and `status`.
    pub fn secret_location(&self, store: SecretStore, profile: &str, secret: Secret) -> String {
        match store {
            SecretStore::File => self.secret_path(profile, secret).display().to_string(),
            SecretStore::Keyring => format!(
                "the system keyring (service {:?}, account {:?})",
                os_keyring::SERVICE,
                self.keyring_account(profile, secret)
            ),
        }
    }

    fn keyring_error(
        &self,
        action: &str,
        profile: &str,
        secret: Secret,
        failure: &os_keyring::Failure,
    ) -> Error {
        let fix = match failure {
            os_keyring::Failure::TimedOut(_) => {
                "unlock the keyring if it asks for its password, or check that its service is running; "
            }
            os_keyring::Failure::Unavailable(_) => {
                "start the keyring service (on Linux a Secret Service such as gnome-keyring or KeePassXC, reachable through DBUS_SESSION_BUS_ADDRESS); "
            }
            os_keyring::Failure::Refused(_) => {
                "unlock the keyring or allow places-setup to use it; "
            }
        };
        Error::new(format!(
            "cannot {action} the {} of profile {profile:?} in the system keyring: {}",
            secret.describe(),
            failure.describe()
        ))
        .with_hint(format!(
            "{fix}or keep the secrets in a 0600 file instead: places-setup{} init --store file --client-secret-stdin",
            // The name made this profile's folder, so it passed the check.
            crate::ids::profile_name(profile)
                .map(|name| name.flag())
                .unwrap_or_default()
        ))
    }

    /// Reads a secret from the store the profile uses.
    pub fn read_secret_in(
        &self,
        store: SecretStore,
        profile: &str,
        secret: Secret,
    ) -> Result<Option<SecretString>> {
        match store {
            SecretStore::File => self.read_secret(profile, secret),
            SecretStore::Keyring => os_keyring::get(&self.keyring_account(profile, secret))
                .map_err(|f| self.keyring_error("read", profile, secret, &f)),
        }
    }

    pub fn write_secret_in(
        &self,
        store: SecretStore,
        profile: &str,
        secret: Secret,
        value: &SecretString,
    ) -> Result<()> {
        within_cap(secret, value)?;
        match store {
            SecretStore::File => self.write_secret(profile, secret, value),
            SecretStore::Keyring => os_keyring::set(&self.keyring_account(profile, secret), value)
                .map_err(|f| self.keyring_error("save", profile, secret, &f)),
        }
    }

    pub fn remove_secret_in(
        &self,
        store: SecretStore,
        profile: &str,
        secret: Secret,
    ) -> Result<()> {
        match store {
            SecretStore::File => self.remove_secret(profile, secret),
            SecretStore::Keyring => os_keyring::delete(&self.keyring_account(profile, secret))
                .map_err(|f| self.keyring_error("remove", profile, secret, &f)),
        }
    }

    pub fn token_path(&self, profile: &str) -> PathBuf {
        self.profile_dir(profile).join("token.json")
    }

    /// The cached token, if there is one that can be read. A damaged cache is no token: it is
    /// only ever a copy of what IMS will give again.
    pub fn read_token(&self, profile: &str) -> Option<CachedToken> {
        let folder = self.open_profile_folder(profile).ok()??;
        let path = self.token_path(profile);
        let bytes =
            atomic::read_in(&folder, "token.json", &path, MAX_SECRET, "the token cache").ok()??;
        CachedToken::from_json(&String::from_utf8(bytes).ok()?)
    }

    /// Removes the cached token; `true` when there was one.
    pub fn remove_token(&self, profile: &str) -> Result<bool> {
        let path = self.token_path(profile);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io("remove", &path, &e)),
        }
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
        if let Some(key) = profile.private_key() {
            files.push((key.to_path_buf(), "the private key"));
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
    #[cfg(unix)] // Unix modes
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
    fn keyring_accounts_differ_by_profile_secret_and_folder() {
        let one = Store::new("/a/cfg");
        let two = Store::new("/b/cfg");
        let names = [
            one.keyring_account("p", Secret::ClientSecret),
            one.keyring_account("p", Secret::KeyPassphrase),
            one.keyring_account("q", Secret::ClientSecret),
            two.keyring_account("p", Secret::ClientSecret),
        ];
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(names[0], "p/client_secret in /a/cfg");
    }

    #[test]
    #[cfg(unix)] // Unix modes
    fn config_is_saved_private_and_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        assert_eq!(store.load().unwrap(), Config::default());
        store.save(&Config::default()).unwrap();
        assert_eq!(atomic::mode(&store.config_path()), Some(0o600));
        assert_eq!(store.load().unwrap(), Config::default());
    }
}
