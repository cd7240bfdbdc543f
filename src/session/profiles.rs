//! Which profile is in force, and the profiles as a whole: list them, choose the default, remove
//! one with its secrets and cached token.
use super::*;

/// The profile a run uses: the one named (flag or variable), else the configuration's default
/// (`profile use`), else `default`. A configuration that cannot be read names no default; the
/// command that loads the profile reports the problem.
pub fn selected_profile(config_dir: Option<&Path>, named: Option<&str>) -> Result<String> {
    if let Some(name) = named {
        return Ok(name.to_string());
    }
    let dir = match config_dir {
        Some(d) => d.to_path_buf(),
        None => Store::default_dir()?,
    };
    Ok(Store::new(dir)
        .load()
        .ok()
        .and_then(|c| c.default_profile)
        .map_or_else(|| "default".to_string(), String::from))
}

/// The Places API URL a new or updated profile keeps: the one given when it is not Adobe's, else
/// the one it kept before, else — for an IMS on this machine, which can only be the built-in
/// emulator — the emulator's Places API beside it. `None` means Adobe's.
pub fn remembered_places_url(
    ims_url: &str,
    given: Option<&str>,
    previous: Option<&str>,
) -> Option<String> {
    let own = |url: &str| {
        let url = url.trim().trim_end_matches('/');
        (url != places::DEFAULT_PLACES_URL).then(|| url.to_string())
    };
    match given {
        Some(url) => own(url),
        None => previous.and_then(own).or_else(|| {
            // http:// or https:// (`emulator --tls`): either way the emulator.
            let loopback =
                http::check_url("--ims-url", ims_url).is_ok_and(|url| http::is_loopback(&url));
            loopback.then(|| {
                format!(
                    "{}{}",
                    ims_url.trim_end_matches('/'),
                    places::EMULATOR_PREFIX
                )
            })
        }),
    }
}

/// The state of a profile's cached token, as `profile list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    None,
    Valid(SystemTime),
    Expired(SystemTime),
}

/// One saved profile at a glance: `profile list`'s line, the wizard's welcome entry.
#[derive(Debug, Clone)]
pub struct ProfileSummary {
    pub name: ProfileName,
    pub auth: Auth,
    pub is_default: bool,
    pub token: TokenState,
    pub org_id: OrgId,
    pub client_id: ClientId,
    /// When its certificate expires, if it names one that can be read.
    pub certificate_expires_at: Option<SystemTime>,
    /// A draft saved before IMS accepted it.
    pub untested: bool,
    /// What the Places API made of its last token, when it did not accept it.
    pub places: Option<PlacesState>,
}

/// The name of the default profile: the configuration's choice, else `default`.
pub fn default_profile_name(config: &Config) -> ProfileName {
    config
        .default_profile
        .clone()
        .unwrap_or_else(ProfileName::default_name)
}

/// Every saved profile with its auth, whether it is the default and its cached token's state.
pub fn list_profiles(session: &Session, now: SystemTime) -> Result<Vec<ProfileSummary>> {
    let config = session.store.load()?;
    let default = default_profile_name(&config);
    Ok(config
        .profiles
        .iter()
        .map(|(name, profile)| ProfileSummary {
            name: name.clone(),
            auth: profile.auth(),
            is_default: *name == default,
            token: token_state(session, name, profile, now),
            org_id: profile.org_id.clone(),
            client_id: profile.client_id.clone(),
            certificate_expires_at: profile
                .certificate()
                .and_then(|c| cert::load_certificate(c).ok())
                .map(|c| cert::expiry(&c)),
            untested: profile.untested,
            places: profile.places.clone(),
        })
        .collect())
}

fn unknown_profile(session: &Session, config: &Config, name: &str) -> Error {
    let known: Vec<&str> = config.profiles.keys().map(ProfileName::as_str).collect();
    Error::usage(format!(
        "no profile named {name:?} in {}",
        session.store.config_path().display()
    ))
    .with_hint(if known.is_empty() {
        "there are no profiles yet: make one with `places-setup` (the wizard) or `places-setup init …`".to_string()
    } else {
        format!("known profiles: {}", known.join(", "))
    })
}

/// Makes `name` the profile used when none is named, kept in config.toml.
pub fn use_profile(session: &Session, name: &str) -> Result<()> {
    let name = ids::profile_name(name)?;
    let _config_lock = session.store.lock_config()?;
    let mut config = session.store.load()?;
    if !config.profiles.contains_key(&name) {
        return Err(unknown_profile(session, &config, &name));
    }
    config.default_profile = Some(name);
    session.store.save(&config)
}

/// What a profile holds outside config.toml, for the confirmation before removing it.
pub fn profile_to_remove(session: &Session, name: &str) -> Result<Profile> {
    let config = session.store.load()?;
    config
        .profiles
        .get(name)
        .cloned()
        .ok_or_else(|| unknown_profile(session, &config, name))
}

/// Removes a profile as one save: config.toml without its entry (and without it as the default)
/// and its folder (secret files, cached token) go together (`Store::commit`), and its keyring
/// entries just before — a keyring that does not answer stops here with nothing removed, and
/// entries already removed are put back if the files cannot be saved. The key files go only with
/// `delete_keys`, and not while another profile uses them. Returns what was removed, in words,
/// and what was kept.
pub fn remove_profile(
    session: &Session,
    name: &str,
    delete_keys: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<String>> {
    let name = ids::profile_name(name)?;
    // The profile's lock first, as every writer takes it: a refresh under way finishes before the
    // folder goes, and one that gets the lock after finds the profile gone and caches nothing.
    let _profile_lock = session.store.lock_profile(&name, crate::store::LOCK_WAIT)?;
    let config_lock = session.store.lock_config()?;
    let mut config = session.store.load()?;
    let profile = config
        .profiles
        .get(&name)
        .cloned()
        .ok_or_else(|| unknown_profile(session, &config, &name))?;
    let mut removed = Vec::new();
    for kind in Secret::ALL {
        let location = session
            .store
            .secret_location(profile.secret_store, &name, kind);
        let present = match profile.secret_store {
            SecretStore::File => session.store.secret_path(&name, kind).exists(),
            SecretStore::Keyring => true,
        };
        if present {
            removed.push(format!("its {} ({location})", kind.describe()));
        }
    }
    let token = session.store.token_path(&name);
    if token.exists() {
        removed.push(format!("its cached token ({})", token.display()));
    }
    config.profiles.remove(&name);
    if config.default_profile.as_deref() == Some(name.as_str()) {
        config.default_profile = None;
        warnings.push(Warning(format!(
            "{name:?} was the default profile; the default is `default` again (choose another with `places-setup profile use NAME`)"
        )));
    }
    let mut save = session.store.begin_save(&config_lock, &config)?;
    save.remove_profile(&name);
    let mut keyring = super::save::KeyringSave::new(session, &name);
    if profile.secret_store == SecretStore::Keyring {
        for kind in Secret::ALL {
            keyring.remove(kind).map_err(|e| {
                e.with_hint(format!(
                    "start or unlock the system keyring, then run `places-setup profile remove {name}` again; the profile is still saved"
                ))
            })?;
        }
    }
    session
        .store
        .commit(&config_lock, save, move || keyring.keep())?;
    removed.insert(
        0,
        format!(
            "profile {name:?} from {}",
            session.store.config_path().display()
        ),
    );
    let keys: Vec<&Path> = profile.key_files().filter(|p| p.exists()).collect();
    if delete_keys {
        for key in keys {
            let shared = config
                .profiles
                .iter()
                .find(|(_, p)| p.key_files().any(|k| k == key));
            if let Some((other, _)) = shared {
                warnings.push(Warning(format!(
                    "kept {}: profile {other:?} uses it too",
                    key.display()
                )));
                continue;
            }
            std::fs::remove_file(key).map_err(|e| Error::io("remove", key, &e))?;
            removed.push(key.display().to_string());
        }
    } else if !keys.is_empty() {
        let list: Vec<String> = keys.iter().map(|k| k.display().to_string()).collect();
        warnings.push(Warning(format!(
            "kept the key files {} (--delete-keys removes them)",
            list.join(", ")
        )));
    }
    Ok(removed)
}
