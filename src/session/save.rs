//! Where a profile's secrets go (keyring or files), and saving a profile with them, all or nothing.
use super::*;

/// The store a profile's secrets go to: the one asked for, else the profile's own, else the
/// keyring when one answers within 3 seconds, else files. Returns a note to show, if any.
pub fn choose_store(
    asked: Option<SecretStore>,
    previous: Option<&Profile>,
) -> Result<(SecretStore, Option<String>)> {
    let unavailable_hint = &format!(
        "{}; on a server or in CI, keep the secrets in 0600 files with --store file (or PLACES_SETUP_STORE=file)",
        crate::platform::hints::start_keyring(crate::platform::Os::CURRENT)
    );
    let chosen = choose_store_anywhere(asked, previous, unavailable_hint)?;
    match (chosen.0, crate::platform::secret_files_refused()) {
        (SecretStore::File, Some(why)) => Err(Error::new(format!(
            "secrets cannot be kept in files here: {why}"
        ))
        .with_hint("check that Credential Manager is running (services.msc: Credential Manager), then run again without --store file; nothing was saved")),
        _ => Ok(chosen),
    }
}

/// `choose_store` where files may hold secrets.
fn choose_store_anywhere(
    asked: Option<SecretStore>,
    previous: Option<&Profile>,
    unavailable_hint: &str,
) -> Result<(SecretStore, Option<String>)> {
    match (asked, previous) {
        (Some(SecretStore::File), _) => Ok((SecretStore::File, None)),
        (Some(SecretStore::Keyring), _) => match os_keyring::probe(os_keyring::PROBE_TIMEOUT) {
            Ok(_) => Ok((SecretStore::Keyring, None)),
            Err(failure) => Err(Error::new(format!(
                "--store keyring: the system keyring is not available: {}",
                failure.describe()
            ))
            .with_hint(format!("{unavailable_hint}; nothing was saved"))),
        },
        (None, Some(profile)) => Ok((profile.secret_store, None)),
        (None, None) => Ok(match os_keyring::probe(os_keyring::PROBE_TIMEOUT) {
            Ok(_) => (
                SecretStore::Keyring,
                Some("Secrets go to the system keyring (--store file keeps them in 0600 files instead).".to_string()),
            ),
            Err(failure) => (
                SecretStore::File,
                Some(format!(
                    "No system keyring ({}): secrets go to 0600 files. (--store file skips this check.)",
                    failure.describe()
                )),
            ),
        }),
    }
}

/// Saves a profile with its secret (and token, if there is one), all or nothing.
pub fn save_profile(
    session: &Session,
    name: &ProfileName,
    profile: &Profile,
    secret: &SecretString,
    token: Option<&CachedToken>,
    store: Option<SecretStore>,
) -> Result<()> {
    save_over(session, name, profile, secret, token, store, Over::Anything).map(|_| ())
}

/// What a save may put its profile over, decided under the locks against the profile saved
/// under that name then (by this process or another).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// Whatever is there (`init`, a working profile).
    Anything,
    /// Nothing tested: an untested draft never replaces a profile IMS accepted.
    Untested,
    /// Nothing that works: values whose token the Places API refuses (a wrong org ID) never
    /// replace a profile that is tested and not refused itself.
    NotWorking,
}

impl Over {
    /// Whether `saved`, the profile there now, must stay.
    fn keeps(self, saved: Option<&Profile>) -> bool {
        let Some(p) = saved else {
            return false;
        };
        match self {
            Over::Anything => false,
            Over::Untested => !p.untested,
            Over::NotWorking => {
                !p.untested && !matches!(p.places, Some(crate::store::PlacesState::Refused { .. }))
            }
        }
    }
}

/// `save_profile`, unless the profile saved under that name (read under the locks) is more than
/// `over` may replace; returns whether it saved.
pub fn save_over(
    session: &Session,
    name: &ProfileName,
    profile: &Profile,
    secret: &SecretString,
    token: Option<&CachedToken>,
    store: Option<SecretStore>,
    over: Over,
) -> Result<bool> {
    let _profile_lock = session.store.lock_profile(name, crate::store::LOCK_WAIT)?;
    let config_lock = session.store.lock_config()?;
    let mut config = session.store.load()?;
    if over.keeps(config.profiles.get(name)) {
        return Ok(false);
    }
    // As `init` does: the store asked for (the demo's files, PLACES_SETUP_STORE), else the
    // profile's own store, else the keyring if one answers.
    let asked = store.or_else(|| {
        session
            .environment
            .setting("PLACES_SETUP_STORE")
            .and_then(|v| v.to_str())
            .and_then(SecretStore::from_name)
    });
    let (store, _) = choose_store(asked, config.profiles.get(name))?;
    let mut profile = profile.clone();
    profile.secret_store = store;
    config.profiles.insert(name.clone(), profile);
    let mut save = session.store.begin_save(&config_lock, &config)?;
    let mut keyring = KeyringSave::new(session, name);
    match store {
        SecretStore::File => {
            session
                .store
                .stage_secret(&mut save, name, Secret::ClientSecret, secret)?
        }
        SecretStore::Keyring => keyring.set(Secret::ClientSecret, secret)?,
    }
    session
        .store
        .commit(&config_lock, save, move || keyring.keep())?;
    if let Some(token) = token {
        session.store.write_token(name, token)?;
    }
    Ok(true)
}

/// Keyring entries set by a save, put back as they were if the save then fails: the keyring is
/// not a file, so it has no part in the store's journal, but a full disk (config.toml not
/// written) must not leave a profile whose saved secret is not the one its entry names.
pub(super) struct KeyringSave<'a> {
    session: &'a Session,
    name: &'a ProfileName,
    before: Vec<(Secret, Option<SecretString>)>,
}

impl<'a> KeyringSave<'a> {
    pub(super) fn new(session: &'a Session, name: &'a ProfileName) -> Self {
        KeyringSave {
            session,
            name,
            before: Vec::new(),
        }
    }

    /// Sets an entry, first reading what it held (a keyring that cannot be read is not written).
    pub(super) fn set(&mut self, kind: Secret, value: &SecretString) -> Result<()> {
        let store = &self.session.store;
        let old = store.read_secret_in(SecretStore::Keyring, self.name, kind)?;
        self.before.push((kind, old));
        store.write_secret_in(SecretStore::Keyring, self.name, kind, value)
    }

    /// Removes an entry, first reading what it held.
    pub(super) fn remove(&mut self, kind: Secret) -> Result<()> {
        let store = &self.session.store;
        let old = store.read_secret_in(SecretStore::Keyring, self.name, kind)?;
        self.before.push((kind, old));
        store.remove_secret_in(SecretStore::Keyring, self.name, kind)
    }

    /// The save is done: the entries stay as set.
    pub(super) fn keep(mut self) {
        self.before.clear();
    }
}

impl Drop for KeyringSave<'_> {
    fn drop(&mut self) {
        let store = &self.session.store;
        for (kind, old) in self.before.drain(..).rev() {
            // Best effort: the keyring answered a moment ago.
            let _ = match old {
                Some(old) => store.write_secret_in(SecretStore::Keyring, self.name, kind, &old),
                None => store.remove_secret_in(SecretStore::Keyring, self.name, kind),
            };
        }
    }
}

/// Saves `profile` in `config` under the session's profile name, with its secrets, all or
/// nothing, so that a profile never points at a secret that is not there: the client secret if
/// one is given (else the saved one stays), and the key passphrase, or none. When the profile's
/// store is not `previous_store`, the copies left there are removed: files with the save itself,
/// keyring entries after it (a failure to remove one is a warning).
pub fn save_profile_and_secrets(
    session: &Session,
    config: &mut Config,
    profile: &Profile,
    client_secret: Option<&SecretString>,
    key_passphrase: Option<&SecretString>,
    previous_store: SecretStore,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let (store, name) = (profile.secret_store, &session.profile);
    // Locks in one order, profile then config, by every writer: a profile's secrets and its entry
    // are saved as one, and the config is read again under its lock so that what other processes
    // saved meanwhile (other profiles) is kept.
    let _profile_lock = session.store.lock_profile(name, crate::store::LOCK_WAIT)?;
    let config_lock = session.store.lock_config()?;
    *config = session.store.load()?;
    let mut saved = config.clone();
    saved.profiles.insert(name.clone(), profile.clone());
    // Every file is written in full before any is put in place, and then all are put in place
    // as one (`Store::commit`): a full or read-only disk, or a writer killed at any step, leaves
    // the old secret and config.toml byte-identical or the new ones whole. Keyring entries are
    // set first and put back if the files cannot be saved.
    let mut save = session.store.begin_save(&config_lock, &saved)?;
    let mut keyring = KeyringSave::new(session, name);
    let secrets = [
        (Secret::ClientSecret, client_secret),
        (Secret::KeyPassphrase, key_passphrase),
    ];
    for (kind, value) in secrets {
        let Some(value) = value else { continue };
        match store {
            SecretStore::File => session.store.stage_secret(&mut save, name, kind, value)?,
            SecretStore::Keyring => keyring.set(kind, value)?,
        }
    }
    // Secret files the profile no longer names go with the same save: the passphrase of a key
    // that has none now, and every file when the secrets moved to the keyring.
    if store == SecretStore::File && key_passphrase.is_none() {
        save.remove_secret_file(name, Secret::KeyPassphrase);
    }
    if previous_store == SecretStore::File && store != SecretStore::File {
        for kind in Secret::ALL {
            save.remove_secret_file(name, kind);
        }
    }
    session
        .store
        .commit(&config_lock, save, move || keyring.keep())?;
    *config = saved;
    if store == SecretStore::Keyring && key_passphrase.is_none() {
        // Only once the profile no longer names it.
        session
            .store
            .remove_secret_in(store, name, Secret::KeyPassphrase)?;
    }
    if store != previous_store && previous_store == SecretStore::Keyring {
        // The profile now reads from files; what is left in the keyring is only a copy (or, for
        // a new profile, a leftover that nothing points at).
        for kind in Secret::ALL {
            if let Err(e) = session.store.remove_secret_in(previous_store, name, kind) {
                warnings.push(Warning(format!(
                    "{} (remove the old copy by hand)",
                    e.message
                )));
            }
        }
    }
    Ok(())
}
