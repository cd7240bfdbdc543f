//! Where a profile's secrets go (keyring or files), and saving a profile with them, secrets first.
use super::*;

/// The store a profile's secrets go to: the one asked for, else the profile's own, else the
/// keyring when one answers within 3 seconds, else files. Returns a note to show, if any.
pub fn choose_store(
    asked: Option<SecretStore>,
    previous: Option<&Profile>,
) -> Result<(SecretStore, Option<String>)> {
    let unavailable_hint = format!(
        "{}; on a server or in CI, keep the secrets in 0600 files with --store file (or PLACES_SETUP_STORE=file)",
        crate::platform::hints::start_keyring(crate::platform::Os::CURRENT)
    );
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

/// Saves a profile with its secret (and token, if there is one), secrets first.
pub fn save_profile(
    session: &Session,
    name: &ProfileName,
    profile: &Profile,
    secret: &SecretString,
    token: Option<&CachedToken>,
    store: Option<SecretStore>,
) -> Result<()> {
    let _profile_lock = session.store.lock_profile(name, crate::store::LOCK_WAIT)?;
    let _config_lock = session.store.lock_config()?;
    let mut config = session.store.load()?;
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
    // As `save_profile_and_secrets`: both files written before either is put in place.
    let secret = match store {
        SecretStore::File => Some(session.store.stage_secret(
            name,
            Secret::ClientSecret,
            secret,
        )?),
        SecretStore::Keyring => {
            session
                .store
                .write_secret_in(store, name, Secret::ClientSecret, secret)?;
            None
        }
    };
    let config = session.store.stage_config(&config)?;
    if let Some(secret) = secret {
        secret.commit()?;
    }
    config.commit()?;
    if let Some(token) = token {
        session.store.write_token(name, token)?;
    }
    Ok(())
}

/// Saves `profile` in `config` under the session's profile name, secrets first so that a profile
/// never points at a secret that is not there: the client secret if one is given (else the saved
/// one stays), and the key passphrase, or none. When the profile's store is not `previous_store`,
/// the copies left there are removed; a failure to remove one is a warning.
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
    let _config_lock = session.store.lock_config()?;
    *config = session.store.load()?;
    let mut saved = config.clone();
    saved.profiles.insert(name.clone(), profile.clone());
    // Every file is written in full before any is put in place: a full or read-only disk stops
    // the save with the old secret and config.toml as they were. (The keyring is not a file: its
    // entries are set first, as before, and a failed config.toml leaves them a copy ahead.)
    let mut staged = Vec::new();
    let secrets = [
        (Secret::ClientSecret, client_secret),
        (Secret::KeyPassphrase, key_passphrase),
    ];
    for (kind, value) in secrets {
        let Some(value) = value else { continue };
        match store {
            SecretStore::File => staged.push(session.store.stage_secret(name, kind, value)?),
            SecretStore::Keyring => session.store.write_secret_in(store, name, kind, value)?,
        }
    }
    staged.push(session.store.stage_config(&saved)?);
    for file in staged {
        file.commit()?;
    }
    *config = saved;
    if key_passphrase.is_none() {
        // Only once the profile no longer names it.
        session
            .store
            .remove_secret_in(store, name, Secret::KeyPassphrase)?;
    }
    if store != previous_store {
        // The profile now reads from the new store; what is left in the old one is only a copy
        // (or, for a new profile, a leftover that nothing points at).
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
