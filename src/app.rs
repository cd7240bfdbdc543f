//! Runs one command of the command line: the glue between the contract and the domain modules.
use crate::cert::{self, Field, PairPaths, Subject};
use crate::cli::{
    Cli, Command, EnvArgs, InitArgs, KeysArgs, PlacesArgs, ShellFormat, TokenArgs, VerifyArgs,
};
use crate::error::{Error, Result};
use crate::http::{self, Policy};
use crate::ims::ExchangeError;
use crate::ims::client::{self as ims_client, DEFAULT_IMS_URL};
use crate::ims::error::{self as ims_error, Context};
use crate::jwt::{JwtRequest, PLACES_METASCOPE};
use crate::places::{self, Refusal};
use crate::store::{Auth, CachedToken, Config, Profile, Secret, Store, atomic};
use crate::{ids, timefmt};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Certificates closer than this to expiry are warned about.
pub const CERTIFICATE_WARNING: Duration = Duration::from_secs(30 * 86_400);

/// What every command needs: where things are stored, which profile, how to talk HTTP.
#[derive(Debug, Clone)]
pub struct Session {
    pub store: Store,
    pub profile: String,
    pub ims_url_override: Option<String>,
    pub policy: Policy,
    /// Warnings are not printed (the wizard owns the screen).
    pub quiet: bool,
}

impl Session {
    pub fn from_cli(cli: &Cli) -> Result<Session> {
        let dir = match &cli.config_dir {
            Some(d) => d.clone(),
            None => Store::default_dir()?,
        };
        let ims_url_override = match &cli.ims_url {
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
            profile: ids::profile_name(&cli.profile)?,
            ims_url_override,
            policy: Policy::with_timeout(Duration::from_secs(cli.timeout)),
            quiet: false,
        })
    }

    fn profile_flag(&self) -> String {
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

/// Runs the command; the caller turns an error into a message and an exit code.
pub fn run(cli: Cli) -> Result<()> {
    let Some(command) = &cli.command else {
        let session = Session::from_cli(&cli)?;
        let options = crate::wizard::Options {
            demo: false,
            places_url: std::env::var("PLACES_SETUP_PLACES_URL")
                .unwrap_or_else(|_| places::DEFAULT_PLACES_URL.to_string()),
            key_dir: crate::cert::DEFAULT_DIR.to_string(),
        };
        return crate::wizard::run(session, options);
    };
    if let Command::ClipboardHolder = command {
        std::process::exit(crate::clipboard::hold());
    }
    if let Command::Keys(args) = command {
        return keys(args);
    }
    if let Command::Demo = command {
        // Unless told where, the demo keeps its profile and keys in a folder removed at exit.
        let temporary = match &cli.config_dir {
            Some(_) => None,
            None => Some(
                tempfile::Builder::new()
                    .prefix("places-setup-demo.")
                    .tempdir()
                    .map_err(|e| Error::new(format!("cannot make a folder for the demo: {e}")))?,
            ),
        };
        let mut session = Session::from_cli(&cli)?;
        if let Some(dir) = &temporary {
            session.store = Store::new(dir.path());
        }
        let options = crate::wizard::Options {
            demo: true,
            places_url: String::new(),
            key_dir: session.store.dir().join("keys").display().to_string(),
        };
        return crate::wizard::run(session, options);
    }
    if let Command::Emulator(args) = command {
        return serve_emulator(args);
    }
    let session = Session::from_cli(&cli)?;
    match command {
        Command::Init(args) => init(&session, args),
        Command::Status(args) => status(&session, args.json),
        other => block_on(async {
            match other {
                Command::Token(args) => token(&session, args).await,
                Command::Env(args) => env(&session, args).await,
                Command::Verify(args) => verify(&session, args).await,
                Command::Curl(args) => curl(&session, args).await,
                _ => Ok(()),
            }
        }),
    }
}

fn block_on<F: std::future::Future<Output = Result<()>>>(future: F) -> Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?
        .block_on(future)
}

fn out(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`places-setup token | head -c0`) is not worth an error message.
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

fn warn(text: &str) {
    eprintln!("warning: {text}");
}

/// Prints one JSON line saying where the emulator listens and what it knows, then serves until killed.
fn serve_emulator(args: &crate::cli::EmulatorArgs) -> Result<()> {
    use crate::ims::demo;
    let mut certificates = Vec::new();
    for path in &args.certificates {
        certificates.push(std::fs::read_to_string(path).map_err(|e| Error::io("read", path, &e))?);
    }
    let emulator = demo::start(certificates)
        .map_err(|e| Error::new(format!("cannot start the emulator: {e}")))?;
    out(&json!({
        "ims_url": emulator.url(),
        "places_url": emulator.places_url(),
        "org_id": demo::ORG_ID,
        "jwt_client_id": demo::JWT_CLIENT_ID,
        "oauth_client_id": demo::OAUTH_CLIENT_ID,
        "technical_account_id": demo::TECHNICAL_ACCOUNT_ID,
        "client_secret": demo::CLIENT_SECRET,
        "scopes": demo::SCOPES.join(","),
    })
    .to_string())?;
    loop {
        std::thread::park();
    }
}

// ---------------------------------------------------------------------------------------------- keys

fn keys(args: &KeysArgs) -> Result<()> {
    cert::check_name(&args.name)?;
    let given = [
        &args.country,
        &args.state,
        &args.locality,
        &args.organization,
        &args.unit,
        &args.common_name,
        &args.email,
    ];
    let values = given.map(|v| v.as_deref().unwrap_or(""));
    let subject = Subject::new(values, &args.name).map_err(|e| {
        // Name the flag as well as the field, so the fix is obvious on a command line.
        let field = Field::ALL.iter().find(|f| e.message.starts_with(f.label()));
        match field {
            Some(f) => Error {
                message: format!("{} ({})", e.message, f.flag()),
                ..e
            },
            None => e,
        }
    })?;
    let paths = PairPaths::new(&args.dir, &args.name);
    let existing = paths.existing();
    if !existing.is_empty() && !args.force {
        let list = existing
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" and ");
        let verb = if existing.len() == 1 {
            "exists"
        } else {
            "exist"
        };
        return Err(Error::new(format!("{list} already {verb}; nothing was changed"))
            .with_hint("choose another --name or --dir, or pass --force to move the old pair to timestamped backups first"));
    }
    let key = cert::generate_key()?;
    let certificate = cert::self_signed(&key, &subject, args.days)?;
    let written = cert::write_pair(
        &args.dir,
        &args.name,
        &key,
        &certificate,
        args.force,
        SystemTime::now(),
    )?;
    let fingerprint = cert::fingerprint(&certificate);
    let expires = cert::expiry(&certificate);
    if args.json {
        return out(&serde_json::to_string_pretty(&json!({
            "private_key": written.paths.private_key,
            "certificate": written.paths.certificate,
            "subject": subject.one_line(),
            "sha256_fingerprint": fingerprint,
            "expires_at": timefmt::rfc3339(expires),
            "backups": written.backups.iter().map(|(_, b)| b).collect::<Vec<_>>(),
        }))
        .unwrap_or_default());
    }
    for (old, backup) in &written.backups {
        eprintln!("Moved {} to {}", old.display(), backup.display());
    }
    out(&format!(
        "Private key:  {} (RSA {}, mode 0600 — keep it secret)\n\
         Certificate:  {}\n\
         Subject:      {}\n\
         SHA-256:      {fingerprint}\n\
         Expires:      {} ({} days)\n\n\
         Next: in the Adobe Developer Console (https://developer.adobe.com/console), open your project, add the\n\
         Places Service API, and upload {} as the public key certificate.\n\
         Then save the integration: places-setup init --auth jwt --private-key {} …",
        written.paths.private_key.display(),
        cert::KEY_BITS,
        written.paths.certificate.display(),
        subject.one_line(),
        timefmt::rfc3339(expires),
        args.days,
        written.paths.certificate.display(),
        written.paths.private_key.display(),
    ))
}

// ---------------------------------------------------------------------------------------------- init

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io("find", path, &e))
}

/// The passphrase of an encrypted key: the saved one, the environment's, or asked at the terminal.
fn key_passphrase(session: &Session, key_path: &Path) -> Result<Option<SecretString>> {
    let pem = std::fs::read(key_path).map_err(|e| Error::io("read", key_path, &e))?;
    if !cert::is_encrypted(&pem) {
        return Ok(None);
    }
    if let Ok(p) = std::env::var("PLACES_SETUP_KEY_PASSPHRASE") {
        return Ok(Some(SecretString::from(p)));
    }
    if let Some(saved) = session
        .store
        .read_secret(&session.profile, Secret::KeyPassphrase)?
    {
        return Ok(Some(saved));
    }
    let prompt = format!("Passphrase for {}: ", key_path.display());
    match rpassword::prompt_password(prompt) {
        Ok(p) => Ok(Some(SecretString::from(p))),
        Err(_) => Err(Error::new(format!(
            "{} is encrypted and no passphrase was given",
            key_path.display()
        ))
        .with_hint("set PLACES_SETUP_KEY_PASSPHRASE, or run from a terminal to be asked for it")),
    }
}

fn client_secret_input(session: &Session, args: &InitArgs) -> Result<Option<SecretString>> {
    if args.client_secret_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Error::new(format!(
                "cannot read the client secret from standard input: {e}"
            ))
        })?;
        return ids::client_secret(&text).map(Some);
    }
    if let Ok(value) = std::env::var("PLACES_SETUP_CLIENT_SECRET") {
        return ids::client_secret(&value).map(Some);
    }
    if session
        .store
        .read_secret(&session.profile, Secret::ClientSecret)?
        .is_some()
    {
        return Ok(None); // keep the saved one
    }
    if std::io::stdin().is_terminal() {
        let typed =
            rpassword::prompt_password("Client secret (from the Console's Credentials tab): ")
                .map_err(|e| Error::new(format!("cannot read the client secret: {e}")))?;
        return ids::client_secret(&typed).map(Some);
    }
    Err(Error::usage("no client secret given")
        .with_hint("pipe it in with --client-secret-stdin, or set PLACES_SETUP_CLIENT_SECRET (it is never taken as an argument)"))
}

fn required<T>(value: Option<T>, flag: &str, what: &str) -> Result<T> {
    value.ok_or_else(|| {
        Error::usage(format!("{flag} is required for a new profile")).with_hint(what.to_string())
    })
}

fn init(session: &Session, args: &InitArgs) -> Result<()> {
    let mut config: Config = session.store.load()?;
    let previous = config.profiles.get(&session.profile).cloned();
    let auth = match args.auth {
        Some(a) => a,
        None => required(
            previous.as_ref().map(|p| p.auth),
            "--auth",
            "choose --auth jwt (Service Account, as in Adobe's guide) or --auth oauth (OAuth Server-to-Server)",
        )?,
    };
    let org_id = match &args.org_id {
        Some(v) => ids::org_id(v)?,
        None => required(
            previous.as_ref().map(|p| p.org_id.clone()),
            "--org-id",
            "copy the organization ID from the Console's Overview tab",
        )?,
    };
    let client_id = match &args.client_id {
        Some(v) => ids::client_id(v)?,
        None => required(
            previous.as_ref().map(|p| p.client_id.clone()),
            "--client-id",
            "copy the API key (Client ID) from the Console's Credentials tab",
        )?,
    };
    let ims_url = session
        .ims_url_override
        .clone()
        .or_else(|| previous.as_ref().map(|p| p.ims_url.clone()))
        .unwrap_or_else(|| DEFAULT_IMS_URL.to_string());
    let same_auth = previous.as_ref().filter(|p| p.auth == auth);
    let mut profile = Profile {
        auth,
        org_id,
        client_id,
        ims_url,
        technical_account_id: None,
        private_key: None,
        certificate: None,
        metascopes: vec![],
        scopes: vec![],
    };
    let mut passphrase = None;
    match auth {
        Auth::Jwt => {
            if args.scopes.is_some() {
                return Err(
                    Error::usage("--scopes is for OAuth Server-to-Server profiles")
                        .with_hint("a JWT profile takes --metascopes (default ent_places_sdk)"),
                );
            }
            profile.technical_account_id = Some(match &args.technical_account_id {
                Some(v) => ids::technical_account_id(v)?,
                None => required(
                    same_auth.and_then(|p| p.technical_account_id.clone()),
                    "--technical-account-id",
                    "copy the technical account ID from the Console's Credentials tab",
                )?,
            });
            let key_path = match &args.private_key {
                Some(p) => absolute(p)?,
                None => required(
                    same_auth.and_then(|p| p.private_key.clone()),
                    "--private-key",
                    "point at NAME_private.key, made by `places-setup keys`",
                )?,
            };
            passphrase = key_passphrase(session, &key_path)?;
            let key = cert::load_private_key(&key_path, passphrase.as_ref())?;
            let certificate_path = match &args.certificate {
                Some(p) => Some(absolute(p)?),
                None if args.private_key.is_none() => same_auth.and_then(|p| p.certificate.clone()),
                None => sibling_certificate(&key_path),
            };
            if let Some(path) = &certificate_path {
                let certificate = cert::load_certificate(path)?;
                if !cert::key_matches(&key, &certificate) {
                    return Err(Error::new(format!(
                        "{} does not belong to {}: their public keys differ",
                        path.display(),
                        key_path.display()
                    ))
                    .with_hint("give the certificate made together with this key (same NAME), or make a new pair with `places-setup keys`"));
                }
            }
            profile.private_key = Some(key_path);
            profile.certificate = certificate_path;
            profile.metascopes = match &args.metascopes {
                Some(list) => ids::list("--metascopes", list, "for example ent_places_sdk")?,
                None => same_auth
                    .map(|p| p.metascopes.clone())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| vec![PLACES_METASCOPE.to_string()]),
            };
        }
        Auth::Oauth => {
            if args.technical_account_id.is_some()
                || args.private_key.is_some()
                || args.certificate.is_some()
                || args.metascopes.is_some()
            {
                return Err(Error::usage("--technical-account-id, --private-key, --certificate and --metascopes are for JWT profiles")
                    .with_hint("OAuth Server-to-Server needs only the org ID, client ID, client secret and --scopes"));
            }
            profile.scopes = match &args.scopes {
                Some(list) => ids::list(
                    "--scopes",
                    list,
                    "copy them from the credential's Scopes tab in the Console, comma-separated",
                )?,
                None => required(
                    same_auth
                        .map(|p| p.scopes.clone())
                        .filter(|s| !s.is_empty()),
                    "--scopes",
                    "copy them from the credential's Scopes tab in the Console, comma-separated",
                )?,
            };
        }
    }
    let secret = client_secret_input(session, args)?;
    // Secrets first: a profile is never saved pointing at a secret that is not there.
    if let Some(secret) = &secret {
        session
            .store
            .write_secret(&session.profile, Secret::ClientSecret, secret)?;
    }
    match &passphrase {
        Some(p) => session
            .store
            .write_secret(&session.profile, Secret::KeyPassphrase, p)?,
        None => session
            .store
            .remove_secret(&session.profile, Secret::KeyPassphrase)?,
    }
    let action = if previous.is_some() {
        "Updated"
    } else {
        "Saved"
    };
    config
        .profiles
        .insert(session.profile.clone(), profile.clone());
    session.store.save(&config)?;
    eprintln!(
        "{action} profile {:?} ({}) in {}",
        session.profile,
        auth.describe(),
        session.store.config_path().display()
    );
    eprintln!(
        "Client secret kept in {} (0600){}",
        session
            .store
            .secret_path(&session.profile, Secret::ClientSecret)
            .display(),
        if secret.is_none() { ", unchanged" } else { "" }
    );
    if auth == Auth::Jwt {
        eprintln!(
            "Note: Adobe converts Service Account (JWT) credentials to OAuth Server-to-Server (at the latest on 2026-03-01).\n\
             If the exchange fails with invalid_client or internal_error, switch with:\n  {}",
            context(&session.profile, &profile).switch_to_oauth_command()
        );
    }
    eprintln!("Next: places-setup{} token", session.profile_flag());
    Ok(())
}

fn sibling_certificate(key_path: &Path) -> Option<PathBuf> {
    let name = key_path.file_name()?.to_str()?;
    let stem = name.strip_suffix("_private.key")?;
    let candidate = key_path.with_file_name(format!("{stem}_public.crt"));
    candidate.is_file().then_some(candidate)
}

fn context<'a>(name: &'a str, profile: &'a Profile) -> Context<'a> {
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

// ---------------------------------------------------------------------------------------------- token

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
pub async fn ensure_token(
    session: &Session,
    profile: &Profile,
    force: bool,
) -> Result<(CachedToken, Source)> {
    let ims_url = session.ims_url(profile);
    let now = SystemTime::now();
    if !force
        && let Some(cached) = session.store.read_token(&session.profile)
        && cached.reusable(now, profile.auth, &profile.client_id, &ims_url)
    {
        return Ok((cached, Source::Cache));
    }
    if !session.quiet {
        for warning in session.store.exposure_warnings(&session.profile, profile) {
            warn(&warning);
        }
    }
    let secret = match session
        .store
        .read_secret(&session.profile, Secret::ClientSecret)?
    {
        Some(s) => s,
        None => match std::env::var("PLACES_SETUP_CLIENT_SECRET") {
            Ok(v) => ids::client_secret(&v)?,
            Err(_) => {
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
    };
    let cached = exchange_profile(session, &session.profile, profile, &secret)
        .await
        .map_err(|(e, _)| e)?;
    if let Err(e) = session.store.write_token(&session.profile, &cached)
        && !session.quiet
    {
        // The token is good even if it cannot be kept; say so and hand it out.
        warn(&format!("{} (the token was not cached)", e.message));
    }
    Ok((cached, Source::Ims))
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
            let passphrase = key_passphrase(session, key_path).map_err(|e| (e, None))?;
            let key =
                cert::load_private_key(key_path, passphrase.as_ref()).map_err(|e| (e, None))?;
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
) -> Result<()> {
    let mut config = session.store.load()?;
    session
        .store
        .write_secret(name, Secret::ClientSecret, secret)?;
    config.profiles.insert(name.to_string(), profile.clone());
    session.store.save(&config)?;
    if let Some(token) = token {
        session.store.write_token(name, token)?;
    }
    Ok(())
}

async fn token(session: &Session, args: &TokenArgs) -> Result<()> {
    let profile = session.load_profile()?;
    let (token, source) = ensure_token(session, &profile, args.force).await?;
    if args.copy {
        copy_token(token.access_token.expose_secret());
    }
    if args.json {
        let now = SystemTime::now();
        return out(&serde_json::to_string_pretty(&json!({
            "profile": session.profile,
            "token_type": token.token_type,
            "access_token": token.access_token.expose_secret(),
            "expires_at": timefmt::rfc3339(token.expires_at),
            "expires_in": timefmt::seconds_until(token.expires_at, now).max(0),
            "source": source.as_str(),
        }))
        .unwrap_or_default());
    }
    out(token.access_token.expose_secret())
}

/// `token --copy`: the desktop clipboard, else OSC 52 to the terminal; says which on stderr.
fn copy_token(token: &str) {
    use crate::clipboard;
    match clipboard::copy_native(token) {
        Ok(kind) => eprintln!("Copied the token to the clipboard ({kind})."),
        Err(why) => {
            let tty = std::fs::OpenOptions::new().write(true).open("/dev/tty");
            let tmux = clipboard::in_tmux();
            match tty.and_then(|mut t| t.write_all(clipboard::osc52(token, tmux).as_bytes())) {
                Ok(()) => eprintln!(
                    "Sent the token to the terminal's clipboard (OSC 52{}); {why}.",
                    if tmux { " through tmux" } else { "" }
                ),
                Err(_) => warn(&format!(
                    "could not copy the token: {why}; it is printed on stdout instead"
                )),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------- status

fn certificate_status(path: &Path, now: SystemTime) -> (serde_json::Value, String, Option<String>) {
    match cert::load_certificate(path) {
        Ok(c) => {
            let expires = cert::expiry(&c);
            let left = timefmt::seconds_until(expires, now);
            let days = timefmt::days_left(expires, now);
            let warning = if left <= 0 {
                Some(format!(
                    "the certificate {} has expired: Adobe no longer accepts its JWTs; make a new pair with `places-setup keys` and upload it",
                    path.display()
                ))
            } else if expires.duration_since(now).unwrap_or_default() < CERTIFICATE_WARNING {
                Some(format!(
                    "the certificate {} expires in {days} days: make a new pair with `places-setup keys --name NEW_NAME` and upload it before then",
                    path.display()
                ))
            } else {
                None
            };
            let text = if left <= 0 {
                format!("EXPIRED {}", timefmt::rfc3339(expires))
            } else {
                format!("expires {} ({days} days)", timefmt::rfc3339(expires))
            };
            (
                json!({"path": path, "expires_at": timefmt::rfc3339(expires), "days_left": days}),
                text,
                warning,
            )
        }
        Err(e) => (
            json!({"path": path, "error": e.message}),
            format!("unreadable: {}", e.message),
            Some(e.message),
        ),
    }
}

fn status(session: &Session, as_json: bool) -> Result<()> {
    let config = session.store.load()?;
    let now = SystemTime::now();
    let mut report = Vec::new();
    let mut text = String::new();
    if config.profiles.is_empty() && !as_json {
        eprintln!(
            "No profiles yet in {}.\nStart with `places-setup` (the wizard), or `places-setup keys` then `places-setup init …`.",
            session.store.dir().display()
        );
        return Ok(());
    }
    for (name, profile) in &config.profiles {
        let mut warnings = session.store.exposure_warnings(name, profile);
        let ims_url = session
            .ims_url_override
            .clone()
            .unwrap_or_else(|| profile.ims_url.clone());
        text.push_str(&format!(
            "{name}{}\n",
            if *name == session.profile {
                " (selected)"
            } else {
                ""
            }
        ));
        let mut line = |label: &str, value: &str| text.push_str(&format!("  {label:<20}{value}\n"));
        line("auth", profile.auth.describe());
        line("org ID", &profile.org_id);
        line("client ID", &profile.client_id);
        if let Some(t) = &profile.technical_account_id {
            line("technical account", t);
        }
        line("IMS", &ims_url);
        if !profile.metascopes.is_empty() {
            line("metascopes", &profile.metascopes.join(", "));
        }
        if !profile.scopes.is_empty() {
            line("scopes", &profile.scopes.join(", "));
        }
        let key_json = profile.private_key.as_ref().map(|k| {
            let mode = atomic::mode(k);
            line(
                "private key",
                &format!(
                    "{}{}",
                    k.display(),
                    mode.map(|m| format!(" (mode {m:04o})"))
                        .unwrap_or_else(|| " (missing!)".into())
                ),
            );
            if mode.is_none() {
                warnings.push(format!("the private key {} is missing", k.display()));
            }
            json!({"path": k, "mode": mode.map(|m| format!("{m:04o}"))})
        });
        let cert_json = profile.certificate.as_ref().map(|c| {
            let (j, t, w) = certificate_status(c, now);
            line("certificate", &format!("{} — {t}", c.display()));
            warnings.extend(w);
            j
        });
        let token = session
            .store
            .read_token(name)
            .filter(|t| t.client_id == profile.client_id && t.auth == profile.auth);
        let token_json = match &token {
            Some(t) if t.expires_at > now => {
                let left = t.remaining(now);
                line(
                    "token",
                    &format!(
                        "valid for {} (until {})",
                        timefmt::span(left),
                        timefmt::rfc3339(t.expires_at)
                    ),
                );
                json!({"expires_at": timefmt::rfc3339(t.expires_at), "expires_in": left.as_secs(), "valid": true})
            }
            Some(t) => {
                line(
                    "token",
                    &format!(
                        "expired {} — `places-setup token` gets a new one",
                        timefmt::rfc3339(t.expires_at)
                    ),
                );
                json!({"expires_at": timefmt::rfc3339(t.expires_at), "expires_in": 0, "valid": false})
            }
            None => {
                line("token", "none cached yet — `places-setup token` gets one");
                serde_json::Value::Null
            }
        };
        let secret_path = session.store.secret_path(name, Secret::ClientSecret);
        let secret_present = secret_path.is_file();
        line(
            "secrets",
            &format!(
                "file {}{}",
                secret_path.display(),
                if secret_present {
                    " (0600)"
                } else {
                    " (missing!)"
                }
            ),
        );
        for w in &warnings {
            text.push_str(&format!("  warning: {w}\n"));
        }
        report.push(json!({
            "name": name,
            "selected": *name == session.profile,
            "auth": profile.auth.as_str(),
            "org_id": profile.org_id,
            "client_id": profile.client_id,
            "technical_account_id": profile.technical_account_id,
            "ims_url": ims_url,
            "metascopes": profile.metascopes,
            "scopes": profile.scopes,
            "private_key": key_json,
            "certificate": cert_json,
            "token": token_json,
            "secrets": {"store": "file", "client_secret": secret_path, "present": secret_present},
            "warnings": warnings,
        }));
    }
    if as_json {
        return out(&serde_json::to_string_pretty(&json!({
            "config_dir": session.store.dir(),
            "profiles": report,
        }))
        .unwrap_or_default());
    }
    out(text.trim_end())
}

// ---------------------------------------------------------------------------------------------- env, verify, curl

async fn env(session: &Session, args: &EnvArgs) -> Result<()> {
    let profile = session.load_profile()?;
    let (token, _) = ensure_token(session, &profile, false).await?;
    let vars = [
        (
            "PLACES_ACCESS_TOKEN",
            token.access_token.expose_secret().to_string(),
        ),
        ("PLACES_API_KEY", profile.client_id.clone()),
        ("PLACES_ORG_ID", profile.org_id.clone()),
        (
            "PLACES_TOKEN_EXPIRES_AT",
            timefmt::rfc3339(token.expires_at),
        ),
    ];
    let text = match args.format {
        ShellFormat::Json => serde_json::to_string_pretty(
            &vars
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .unwrap_or_default(),
        ShellFormat::Sh => vars
            .iter()
            .map(|(k, v)| format!("export {k}={}", places::shell_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        ShellFormat::Fish => vars
            .iter()
            .map(|(k, v)| format!("set -gx {k} {}", fish_quote(v)))
            .collect::<Vec<_>>()
            .join("\n"),
        ShellFormat::Powershell => vars
            .iter()
            .map(|(k, v)| format!("$env:{k} = '{}'", v.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    out(&text)
}

fn fish_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn places_request<'a>(
    args: &'a PlacesArgs,
    token: &'a CachedToken,
    profile: &'a Profile,
) -> places::Request<'a> {
    places::Request {
        places_url: &args.places_url,
        access_token: &token.access_token,
        api_key: &profile.client_id,
        org_id: &profile.org_id,
    }
}

async fn verify(session: &Session, args: &VerifyArgs) -> Result<()> {
    let profile = session.load_profile()?;
    http::check_url("--places-url", &args.places.places_url)?;
    let (mut token, mut source) = ensure_token(session, &profile, false).await?;
    let client = http::client(&session.policy)?;
    let libraries = loop {
        match places::libraries(
            &client,
            &session.policy,
            &places_request(&args.places, &token, &profile),
        )
        .await
        {
            Ok(libraries) => break libraries,
            // A cached token can be revoked before it expires: get a new one, once.
            Err(Refusal::TokenInvalid) if source == Source::Cache => {
                eprintln!("The cached token was refused (401013); exchanging a new one.");
                (token, source) = ensure_token(session, &profile, true).await?;
            }
            Err(Refusal::TokenInvalid) => {
                return Err(Error::new("the Places API refused a token IMS has just issued: 401013 Oauth token is not valid")
                    .with_hint("the token may belong to another IMS environment than the Places API at --places-url; check --ims-url and --places-url"));
            }
            Err(Refusal::Other(e)) => return Err(e),
        }
    };
    if args.json {
        return out(&serde_json::to_string_pretty(
            &json!({"org_id": profile.org_id, "count": libraries.len(), "libraries": libraries}),
        )
        .unwrap_or_default());
    }
    let mut text = format!(
        "OK: the token works. Org {} has {} POI librar{}.",
        profile.org_id,
        libraries.len(),
        if libraries.len() == 1 { "y" } else { "ies" }
    );
    for l in &libraries {
        text.push_str(&format!(
            "\n  {}  {}{}",
            l.id,
            l.name,
            l.poi_count
                .map(|n| format!(" ({n} POIs)"))
                .unwrap_or_default()
        ));
    }
    out(&text)
}

async fn curl(session: &Session, args: &PlacesArgs) -> Result<()> {
    let profile = session.load_profile()?;
    http::check_url("--places-url", &args.places_url)?;
    let (token, _) = ensure_token(session, &profile, false).await?;
    out(&places_request(args, &token, &profile).curl_command()?)
}
