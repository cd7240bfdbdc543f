//! The session layer: what either face (the commands or the wizard) needs to work with a profile —
//! where things are stored and which profile, the profile with its secrets and private key, a valid
//! token (cached, else exchanged and cached), and the Places API check. It prints nothing and
//! knows no terminal: it returns values, errors with hints, and warnings as data; a passphrase it
//! cannot find is asked through a prompt the face supplies.
use crate::cert::{self, Subject};
use crate::error::{Error, Result};
use crate::http::{self, Policy};
use crate::ids;
use crate::ims::ExchangeError;
use crate::ims::client as ims_client;
use crate::ims::error::{self as ims_error, Context};
use crate::jwt::JwtRequest;
use crate::places::{self, Library, Refusal};
use crate::store::{Auth, CachedToken, Config, Profile, Secret, SecretStore, Store, os_keyring};
use openssl::pkey::{PKey, Private};
use secrecy::SecretString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The environment variable that gives a key passphrase without a prompt.
pub const PASSPHRASE_ENV: &str = "PLACES_SETUP_KEY_PASSPHRASE";

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
    pub profile: String,
    pub ims_url_override: Option<String>,
    pub policy: Policy,
    /// Asks for a key passphrase as a last resort; without one, an unopened key is an error.
    pub passphrase_prompt: Option<PassphrasePrompt>,
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
            policy: Policy::with_timeout(timeout),
            passphrase_prompt: None,
        })
    }

    /// ` --profile NAME` for commands shown to the person, empty for the default profile.
    pub fn profile_flag(&self) -> String {
        if self.profile == "default" {
            String::new()
        } else {
            format!(" --profile {}", self.profile)
        }
    }

    /// The profile, or an error saying how to make one.
    pub fn load_profile(&self) -> Result<Profile> {
        let config = self.store.load()?;
        config.profiles.get(&self.profile).cloned().ok_or_else(|| {
            let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
            let mut e = Error::new(format!("no profile named {:?} in {}", self.profile, self.store.config_path().display()));
            e.hint = Some(if known.is_empty() {
                "set one up: run `places-setup` for the wizard, or `places-setup keys` then `places-setup init …`".to_string()
            } else {
                format!("known profiles: {} (choose with --profile NAME); or create it with `places-setup{} init …`", known.join(", "), self.profile_flag())
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
}

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
        .unwrap_or_else(|| "default".to_string()))
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
            let loopback_http =
                ims_url.starts_with("http://") && http::check_url("--ims-url", ims_url).is_ok();
            loopback_http.then(|| {
                format!(
                    "{}{}",
                    ims_url.trim_end_matches('/'),
                    places::EMULATOR_PREFIX
                )
            })
        }),
    }
}

impl Session {
    /// The Places API URL in force: flag or variable, else the profile's own, else Adobe's.
    pub fn places_url(&self, given: Option<&str>, profile: &Profile) -> Result<String> {
        let url = given
            .map(str::to_string)
            .or_else(|| profile.places_url.clone())
            .unwrap_or_else(|| places::DEFAULT_PLACES_URL.to_string());
        http::check_url("--places-url", &url)?;
        Ok(url.trim_end_matches('/').to_string())
    }
}

/// The state of a profile's cached token, as `profile list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    None,
    Valid(SystemTime),
    Expired(SystemTime),
}

/// One line of `profile list`.
#[derive(Debug, Clone)]
pub struct ProfileSummary {
    pub name: String,
    pub auth: Auth,
    pub is_default: bool,
    pub token: TokenState,
}

/// The name of the default profile: the configuration's choice, else `default`.
pub fn default_profile_name(config: &Config) -> String {
    config
        .default_profile
        .clone()
        .unwrap_or_else(|| "default".to_string())
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
            auth: profile.auth,
            is_default: *name == default,
            token: match session.store.read_token(name) {
                None => TokenState::None,
                Some(t) if t.expires_at > now => TokenState::Valid(t.expires_at),
                Some(t) => TokenState::Expired(t.expires_at),
            },
        })
        .collect())
}

fn unknown_profile(session: &Session, config: &Config, name: &str) -> Error {
    let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
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

/// Removes a profile: its secrets (files or keyring entries) first — a keyring that does not
/// answer stops here, with nothing removed — then its cached token and folder, then its entry in
/// config.toml (and the default, if it was). The key files go only with `delete_keys`, and not
/// while another profile uses them. Returns what was removed, in words, and what was kept.
pub fn remove_profile(
    session: &Session,
    name: &str,
    delete_keys: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<String>> {
    let name = ids::profile_name(name)?;
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
        session
            .store
            .remove_secret_in(profile.secret_store, &name, kind)
            .map_err(|e| {
                e.with_hint(format!(
                    "start or unlock the system keyring, then run `places-setup profile remove {name}` again; the profile is still saved"
                ))
            })?;
        if present {
            removed.push(format!("its {} ({location})", kind.describe()));
        }
    }
    let token = session.store.token_path(&name);
    if token.exists() {
        removed.push(format!("its cached token ({})", token.display()));
    }
    let folder = session.store.profile_dir(&name);
    match std::fs::remove_dir_all(&folder) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io("remove", &folder, &e));
        }
        _ => {}
    }
    config.profiles.remove(&name);
    if config.default_profile.as_deref() == Some(name.as_str()) {
        config.default_profile = None;
        warnings.push(Warning(format!(
            "{name:?} was the default profile; the default is `default` again (choose another with `places-setup profile use NAME`)"
        )));
    }
    session.store.save(&config)?;
    removed.insert(
        0,
        format!(
            "profile {name:?} from {}",
            session.store.config_path().display()
        ),
    );
    let keys: Vec<&PathBuf> = [&profile.private_key, &profile.certificate]
        .into_iter()
        .flatten()
        .filter(|p| p.exists())
        .collect();
    if delete_keys {
        for key in keys {
            let shared = config.profiles.iter().find(|(_, p)| {
                p.private_key.as_ref() == Some(key) || p.certificate.as_ref() == Some(key)
            });
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

/// Passphrases typed or made during this run, by key file, so that none is asked twice.
static KNOWN_PASSPHRASES: Mutex<Vec<(PathBuf, SecretString)>> = Mutex::new(Vec::new());

/// A key file as remembered: its canonical path when it has one.
pub fn passphrase_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn remember_passphrase(path: &Path, passphrase: &SecretString) {
    let key = passphrase_key(path);
    if let Ok(mut known) = KNOWN_PASSPHRASES.lock() {
        known.retain(|(p, _)| *p != key);
        known.push((key, passphrase.clone()));
    }
}

fn remembered_passphrase(path: &Path) -> Option<SecretString> {
    let key = passphrase_key(path);
    let known = KNOWN_PASSPHRASES.lock().ok()?;
    known
        .iter()
        .find(|(p, _)| *p == key)
        .map(|(_, s)| s.clone())
}

/// A key pair made and written, ready to describe.
pub struct NewPair {
    pub written: cert::Written,
    pub subject: Subject,
    pub certificate: openssl::x509::X509,
    pub encrypted: bool,
}

/// Makes the key and certificate and writes them; the passphrase, if any, is remembered for
/// this run so a following `init` in the same process does not ask for it again.
pub fn make_pair(
    dir: &Path,
    name: &str,
    subject: Subject,
    days: u32,
    replace: bool,
    passphrase: Option<&SecretString>,
) -> Result<NewPair> {
    let key = cert::generate_key()?;
    let certificate = cert::self_signed(&key, &subject, days)?;
    let written = cert::write_pair_protected(
        dir,
        name,
        &key,
        &certificate,
        replace,
        SystemTime::now(),
        passphrase,
    )?;
    if let Some(p) = passphrase {
        remember_passphrase(&written.paths.private_key, p);
    }
    Ok(NewPair {
        written,
        subject,
        certificate,
        encrypted: passphrase.is_some(),
    })
}

/// Reads a private key, decrypting it if it is encrypted. The passphrase comes from, in order: this
/// run (typed or made earlier), PLACES_SETUP_KEY_PASSPHRASE, the profile's saved one, and last the
/// face's prompt — asked at most once per run.
pub fn load_key(
    session: &Session,
    store: SecretStore,
    key_path: &Path,
) -> Result<(PKey<Private>, Option<SecretString>)> {
    let pem = std::fs::read(key_path).map_err(|e| Error::io("read", key_path, &e))?;
    if !cert::is_encrypted(&pem) {
        return Ok((cert::load_private_key(key_path, None)?, None));
    }
    let open = |passphrase: SecretString| -> Result<(PKey<Private>, Option<SecretString>)> {
        let key = cert::load_private_key(key_path, Some(&passphrase))?;
        remember_passphrase(key_path, &passphrase);
        Ok((key, Some(passphrase)))
    };
    if let Some(known) = remembered_passphrase(key_path) {
        return open(known);
    }
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return open(SecretString::from(p)).map_err(|e| {
            e.with_hint(format!(
                "{PASSPHRASE_ENV} is set but does not open this key: correct it, or unset it to use the saved passphrase"
            ))
        });
    }
    let saved_failed =
        match session
            .store
            .read_secret_in(store, &session.profile, Secret::KeyPassphrase)?
        {
            // A key replaced by `keys --rotate` may have a passphrase of its own: then ask.
            Some(saved) => match open(saved) {
                Ok(opened) => return Ok(opened),
                Err(e) => Some(e),
            },
            None => None,
        };
    let asked = session
        .passphrase_prompt
        .as_ref()
        .and_then(|prompt| prompt.ask(key_path));
    match asked {
        Some(p) => open(p),
        None => Err(match saved_failed {
            Some(e) => e.with_hint(format!(
                "the saved passphrase does not open this key: set {PASSPHRASE_ENV}, or run from a terminal to be asked for it"
            )),
            None => Error::new(format!(
                "{} is encrypted and no passphrase was given",
                key_path.display()
            ))
            .with_hint(format!(
                "set {PASSPHRASE_ENV}, or run from a terminal to be asked for it"
            )),
        }),
    }
}

/// The store a profile's secrets go to: the one asked for, else the profile's own, else the
/// keyring when one answers within 3 seconds, else files. Returns a note to show, if any.
pub fn choose_store(
    asked: Option<SecretStore>,
    previous: Option<&Profile>,
) -> Result<(SecretStore, Option<String>)> {
    let unavailable_hint = "on Linux, start a Secret Service (gnome-keyring, KeePassXC…) in this D-Bus session and check DBUS_SESSION_BUS_ADDRESS; on a server or in CI, keep the secrets in 0600 files with --store file (or PLACES_SETUP_STORE=file)";
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

/// What the IMS error table needs to know of a profile to explain a refusal.
pub fn context<'a>(name: &'a str, profile: &'a Profile) -> Context<'a> {
    Context {
        profile: name,
        auth: profile.auth,
        org_id: &profile.org_id,
        client_id: &profile.client_id,
        private_key: profile.private_key.as_deref(),
        certificate: profile.certificate.as_deref(),
        metascopes: &profile.metascopes,
    }
}

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cache,
    Ims,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Cache => "cache",
            Source::Ims => "ims",
        }
    }
}

/// A valid token for the session's profile: the cached one while 10 minutes remain, else a new one.
/// What deserves a warning on the way (secrets readable by others, a token that could not be
/// cached) is added to `warnings`, whether or not a token comes of it.
pub async fn ensure_token(
    session: &Session,
    profile: &Profile,
    force: bool,
    warnings: &mut Vec<Warning>,
) -> Result<(CachedToken, Source)> {
    let ims_url = session.ims_url(profile);
    let now = SystemTime::now();
    if !force
        && let Some(cached) = session.store.read_token(&session.profile)
        && cached.reusable(now, profile.auth, &profile.client_id, &ims_url)
    {
        return Ok((cached, Source::Cache));
    }
    warnings.extend(
        session
            .store
            .exposure_warnings(&session.profile, profile)
            .into_iter()
            .map(Warning),
    );
    let secret = client_secret(session, profile)?;
    let cached = exchange_profile(session, &session.profile, profile, &secret)
        .await
        .map_err(|(e, _)| e)?;
    if let Err(e) = session.store.write_token(&session.profile, &cached) {
        // The token is good even if it cannot be kept; say so and hand it out.
        warnings.push(Warning(format!("{} (the token was not cached)", e.message)));
    }
    Ok((cached, Source::Ims))
}

/// The profile's client secret: the saved one, else PLACES_SETUP_CLIENT_SECRET.
pub fn client_secret(session: &Session, profile: &Profile) -> Result<SecretString> {
    let saved =
        session
            .store
            .read_secret_in(profile.secret_store, &session.profile, Secret::ClientSecret);
    Ok(
        match (saved, std::env::var("PLACES_SETUP_CLIENT_SECRET").ok()) {
            (Ok(Some(s)), _) => s,
            // The variable stands in for a secret that is missing or out of reach.
            (_, Some(value)) => ids::client_secret(&value)?,
            (Err(e), None) => return Err(e),
            (Ok(None), None) => {
                return Err(Error::new(format!(
                    "profile {:?} has no client secret saved",
                    session.profile
                ))
                .with_hint(format!(
                    "save it with: places-setup{} init --client-secret-stdin",
                    session.profile_flag()
                )));
            }
        },
    )
}

/// A JWT profile carried across to OAuth Server-to-Server, as Adobe's conversion did the
/// credential: same org ID, client ID, IMS and client secret (left where it is stored), the
/// technical account kept for reference, the given scopes; the key files stay on disk.
pub fn oauth_from_jwt(jwt: &Profile, scopes: Vec<String>) -> Profile {
    Profile {
        auth: Auth::Oauth,
        private_key: None,
        certificate: None,
        metascopes: vec![],
        scopes,
        // Saved only once IMS has given it a token.
        untested: false,
        ..jwt.clone()
    }
}

/// What a migration did.
#[derive(Debug)]
pub struct Migrated {
    pub profile: Profile,
    pub token: CachedToken,
    /// The JWT profile's key files, left on disk.
    pub key_files: Vec<PathBuf>,
}

/// Migrates the session's JWT profile to OAuth Server-to-Server: an exchange with the new
/// profile first, and only when IMS gives a token is the profile replaced (and the token cached).
/// A failed migration changes nothing on disk. On failure, IMS's own answer too, if it refused.
pub async fn migrate(
    session: &Session,
    scopes: Vec<String>,
) -> std::result::Result<Migrated, (Error, Option<Box<crate::ims::ImsError>>)> {
    let jwt = session.load_profile().map_err(|e| (e, None))?;
    if jwt.auth != Auth::Jwt {
        return Err((
            Error::usage(format!(
                "profile {:?} is already OAuth Server-to-Server",
                session.profile
            ))
            .with_hint(format!(
                "nothing to migrate; change its scopes with places-setup{} init --scopes LIST",
                session.profile_flag()
            )),
            None,
        ));
    }
    let secret = client_secret(session, &jwt).map_err(|e| (e, None))?;
    let profile = oauth_from_jwt(&jwt, scopes);
    let token = exchange_profile(session, &session.profile, &profile, &secret).await?;
    let mut config = session.store.load().map_err(|e| (e, None))?;
    config
        .profiles
        .insert(session.profile.clone(), profile.clone());
    session.store.save(&config).map_err(|e| (e, None))?;
    // The profile is saved; a token that cannot be cached is only a lost optimisation.
    let _ = session.store.write_token(&session.profile, &token);
    let key_files = [&jwt.private_key, &jwt.certificate]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    Ok(Migrated {
        profile,
        token,
        key_files,
    })
}

/// Exchanges a new token for `profile` with this secret. On failure, the explained error and, when
/// IMS refused, IMS's own answer (the wizard points at the field at fault with it).
pub async fn exchange_profile(
    session: &Session,
    name: &str,
    profile: &Profile,
    secret: &SecretString,
) -> std::result::Result<CachedToken, (Error, Option<Box<crate::ims::ImsError>>)> {
    let ims_url = session.ims_url(profile);
    let client = http::client(&session.policy).map_err(|e| (e, None))?;
    let result = match profile.auth {
        Auth::Jwt => {
            let missing = |what: &str, flag: &str| {
                (
                    Error::new(format!("profile {name:?} is JWT but names no {what}")).with_hint(
                        format!("run places-setup{} init {flag}", session.profile_flag()),
                    ),
                    None,
                )
            };
            let key_path = profile
                .private_key
                .as_deref()
                .ok_or_else(|| missing("private key", "--private-key PATH"))?;
            let technical_account_id = profile
                .technical_account_id
                .as_deref()
                .ok_or_else(|| missing("technical account", "--technical-account-id ID"))?;
            let (key, _) =
                load_key(session, profile.secret_store, key_path).map_err(|e| (e, None))?;
            let request = JwtRequest {
                ims_url: &ims_url,
                org_id: &profile.org_id,
                technical_account_id,
                client_id: &profile.client_id,
                metascopes: &profile.metascopes,
            };
            ims_client::exchange_jwt(
                &client,
                &session.policy,
                &ims_url,
                &profile.client_id,
                secret,
                || request.sign(&key, SystemTime::now()),
            )
            .await
        }
        Auth::Oauth => {
            ims_client::client_credentials(
                &client,
                &session.policy,
                &ims_url,
                &profile.client_id,
                secret,
                &profile.scopes,
            )
            .await
        }
    };
    let token = result.map_err(|e| match e {
        ExchangeError::Ims(ims) => (ims_error::explain(&ims, &context(name, profile)), Some(ims)),
        ExchangeError::Other(e) => (e, None),
    })?;
    Ok(CachedToken {
        token_type: token.token_type,
        access_token: token.access_token,
        expires_at: token.expires_at,
        obtained_at: token.obtained_at,
        auth: profile.auth,
        client_id: profile.client_id.clone(),
        ims_url,
    })
}

/// Saves a profile with its secret (and token, if there is one), secrets first.
pub fn save_profile(
    session: &Session,
    name: &str,
    profile: &Profile,
    secret: &SecretString,
    token: Option<&CachedToken>,
    store: Option<SecretStore>,
) -> Result<()> {
    let mut config = session.store.load()?;
    // As `init` does: the store asked for (the demo's files, PLACES_SETUP_STORE), else the
    // profile's own store, else the keyring if one answers.
    let asked = store.or_else(|| {
        std::env::var("PLACES_SETUP_STORE")
            .ok()
            .and_then(|v| <SecretStore as clap::ValueEnum>::from_str(&v, true).ok())
    });
    let (store, _) = choose_store(asked, config.profiles.get(name))?;
    let mut profile = profile.clone();
    profile.secret_store = store;
    session
        .store
        .write_secret_in(store, name, Secret::ClientSecret, secret)?;
    config.profiles.insert(name.to_string(), profile);
    session.store.save(&config)?;
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
    if let Some(value) = client_secret {
        session
            .store
            .write_secret_in(store, name, Secret::ClientSecret, value)?;
    }
    match key_passphrase {
        Some(p) => session
            .store
            .write_secret_in(store, name, Secret::KeyPassphrase, p)?,
        None => session
            .store
            .remove_secret_in(store, name, Secret::KeyPassphrase)?,
    }
    config.profiles.insert(name.clone(), profile.clone());
    session.store.save(config)?;
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

/// `GET /libraries` with this token: the Places API's list, or why it refused.
pub async fn check_places(
    session: &Session,
    request: &places::Request<'_>,
) -> std::result::Result<Vec<Library>, Refusal> {
    let client = http::client(&session.policy).map_err(Refusal::Other)?;
    places::libraries(&client, &session.policy, request).await
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
            policy: Policy::with_timeout(Duration::from_secs(1)),
            passphrase_prompt: None,
        };
        // No variable, nothing saved, no prompt: the passphrase of this run is used.
        let (key, used) =
            load_key(&session, SecretStore::File, &pair.written.paths.private_key).unwrap();
        assert!(key.rsa().is_ok());
        assert_eq!(
            used.map(|p| p.expose_secret().to_string()).as_deref(),
            Some("made a moment ago")
        );
    }
}
