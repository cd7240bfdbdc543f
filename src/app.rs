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
use crate::store::{
    Auth, CachedToken, Config, Profile, Secret, SecretStore, Store, atomic, os_keyring,
};
use crate::{ids, timefmt};
use openssl::pkey::{PKey, Private};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
        return match args.rotate {
            true => rotate(&Session::from_cli(&cli)?, args),
            false => keys(args),
        };
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
    use crate::emulator::demo;
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

/// The environment variable that gives a key passphrase without a prompt.
pub const PASSPHRASE_ENV: &str = "PLACES_SETUP_KEY_PASSPHRASE";

/// Subject fields as given on the command line, each checked; the flag is named with the field.
fn subject_from_flags(args: &KeysArgs, fallback_common_name: &str) -> Result<Subject> {
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
    Subject::new(values, fallback_common_name).map_err(|e| {
        // Name the flag as well as the field, so the fix is obvious on a command line.
        let field = Field::ALL.iter().find(|f| e.message.starts_with(f.label()));
        match field {
            Some(f) => Error {
                message: format!("{} ({})", e.message, f.flag()),
                ..e
            },
            None => e,
        }
    })
}

fn any_subject_flag(args: &KeysArgs) -> bool {
    [
        &args.country,
        &args.state,
        &args.locality,
        &args.organization,
        &args.unit,
        &args.common_name,
        &args.email,
    ]
    .iter()
    .any(|v| v.is_some())
}

/// The passphrase for a key about to be made: PLACES_SETUP_KEY_PASSPHRASE, else typed twice.
fn new_key_passphrase() -> Result<SecretString> {
    if let Ok(value) = std::env::var(PASSPHRASE_ENV) {
        if value.is_empty() {
            return Err(Error::invalid(
                PASSPHRASE_ENV,
                "is empty",
                "set it to the passphrase, or unset it to be asked at the terminal; nothing was written",
            ));
        }
        return Ok(SecretString::from(value));
    }
    let no_terminal = |_| {
        Error::usage("--encrypt needs a passphrase and there is no terminal to ask for it")
            .with_hint(format!(
                "set {PASSPHRASE_ENV}, or run from a terminal; nothing was written"
            ))
    };
    let first = SecretString::from(
        rpassword::prompt_password("Passphrase for the new private key: ").map_err(no_terminal)?,
    );
    if first.expose_secret().is_empty() {
        return Err(Error::invalid(
            "key passphrase",
            "is empty",
            "type a passphrase: an empty one would leave the key unprotected; nothing was written",
        ));
    }
    let second = SecretString::from(
        rpassword::prompt_password("The same passphrase again: ").map_err(no_terminal)?,
    );
    if first.expose_secret() != second.expose_secret() {
        return Err(Error::invalid(
            "key passphrase",
            "the two entries differ",
            "run the command again and type the same passphrase twice; nothing was written",
        ));
    }
    Ok(first)
}

/// Passphrases typed or made during this run, by key file, so that none is asked twice.
static KNOWN_PASSPHRASES: Mutex<Vec<(PathBuf, SecretString)>> = Mutex::new(Vec::new());

fn passphrase_key(path: &Path) -> PathBuf {
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
struct NewPair {
    written: cert::Written,
    subject: Subject,
    certificate: openssl::x509::X509,
    encrypted: bool,
}

/// Makes the key and certificate and writes them; the passphrase, if any, is remembered for
/// this run so a following `init` in the same process does not ask for it again.
fn make_pair(
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

fn keys(args: &KeysArgs) -> Result<()> {
    let (dir, name) = (args.dir(), args.name());
    cert::check_name(name)?;
    let subject = subject_from_flags(args, name)?;
    let paths = PairPaths::new(&dir, name);
    if !args.force {
        cert::refuse_existing(&paths)?;
    }
    let passphrase = if args.encrypt {
        Some(new_key_passphrase()?)
    } else {
        None
    };
    let pair = make_pair(
        &dir,
        name,
        subject,
        args.days,
        args.force,
        passphrase.as_ref(),
    )?;
    let fingerprint = cert::fingerprint(&pair.certificate);
    let expires = cert::expiry(&pair.certificate);
    let written = &pair.written;
    if args.json {
        return out(&serde_json::to_string_pretty(&json!({
            "private_key": written.paths.private_key,
            "certificate": written.paths.certificate,
            "encrypted": pair.encrypted,
            "subject": pair.subject.one_line(),
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
        "Private key:  {} (RSA {}, {}mode 0600 — keep it secret)\n\
         Certificate:  {}\n\
         Subject:      {}\n\
         SHA-256:      {fingerprint}\n\
         Expires:      {} ({} days)\n\n\
         Next: in the Adobe Developer Console (https://developer.adobe.com/console), open your project, add the\n\
         Places Service API, and upload {} as the public key certificate.\n\
         Then save the integration: places-setup init --auth jwt --private-key {} …",
        written.paths.private_key.display(),
        cert::KEY_BITS,
        if pair.encrypted {
            "encrypted with AES-256-CBC, "
        } else {
            ""
        },
        written.paths.certificate.display(),
        pair.subject.one_line(),
        timefmt::rfc3339(expires),
        args.days,
        written.paths.certificate.display(),
        written.paths.private_key.display(),
    ))
}

/// The name of the pair that replaces `name`, made on `today` (YYYY-MM-DD): `NAME_YYYY-MM-DD`,
/// with an earlier rotation's date replaced rather than stacked, and `-2`, `-3`… when a pair of
/// that name exists already.
pub fn rotated_name(name: &str, today: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = strip_rotation_date(name);
    let first = format!("{base}_{today}");
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|n| format!("{first}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(first)
}

fn strip_rotation_date(name: &str) -> &str {
    let is_date = |s: &str| {
        let b = s.as_bytes();
        b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
    };
    let Some((base, tail)) = name.rsplit_once('_') else {
        return name;
    };
    let date = match tail.get(..10) {
        Some(d) if tail.len() == 10 => d,
        Some(d) if tail[10..].starts_with('-') && tail[11..].parse::<u32>().is_ok() => d,
        _ => return name,
    };
    if is_date(date) && !base.is_empty() {
        base
    } else {
        name
    }
}

/// The pair to rotate: the one named by --name in --dir, else the current profile's.
fn pair_to_rotate(session: &Session, args: &KeysArgs) -> Result<(PathBuf, String, PathBuf)> {
    if let Some(name) = &args.name {
        cert::check_name(name)?;
        let dir = args.dir();
        let paths = PairPaths::new(&dir, name);
        if !paths.private_key.is_file() {
            return Err(Error::new(format!(
                "nothing to rotate: {} does not exist",
                paths.private_key.display()
            ))
            .with_hint(format!(
                "check --dir and --name, or make a first pair with `places-setup keys --dir {} --name {name}`",
                dir.display()
            )));
        }
        return Ok((dir, name.clone(), paths.private_key));
    }
    if args.dir.is_some() {
        return Err(Error::usage("--dir with --rotate needs --name")
            .with_hint("without --name, --rotate works on the current profile's key and puts the new pair beside it"));
    }
    let profile = session.load_profile()?;
    let key_path = profile.private_key.clone().ok_or_else(|| {
        Error::new(format!(
            "profile {:?} has no private key to rotate ({})",
            session.profile,
            profile.auth.describe()
        ))
        .with_hint("OAuth Server-to-Server needs no key pair; to rotate a pair by its name, give --dir and --name")
    })?;
    let file_name = key_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let Some(name) = file_name.strip_suffix("_private.key") else {
        return Err(Error::new(format!(
            "{} is not named NAME_private.key, so the new pair has no name to follow",
            key_path.display()
        ))
        .with_hint("make the new pair with `places-setup keys --dir DIR --name NEW_NAME`, upload it, then `places-setup init --private-key …`"));
    };
    cert::check_name(name)?;
    let dir = key_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((dir, name.to_string(), key_path))
}

/// `keys --rotate`: a new pair beside the old one. The old pair and every profile are left as they
/// are, so the old key keeps working until the new certificate is uploaded and the profile switched.
fn rotate(session: &Session, args: &KeysArgs) -> Result<()> {
    let (dir, old_name, old_key) = pair_to_rotate(session, args)?;
    let old_paths = PairPaths::new(&dir, &old_name);
    let old_certificate = old_paths
        .certificate
        .is_file()
        .then(|| cert::load_certificate(&old_paths.certificate))
        .transpose()?;
    let today = timefmt::rfc3339(SystemTime::now())
        .get(..10)
        .unwrap_or("new")
        .to_string();
    let name = rotated_name(&old_name, &today, |candidate| {
        !PairPaths::new(&dir, candidate).existing().is_empty()
    });
    cert::check_name(&name)?;
    let subject = match &old_certificate {
        Some(c) if !any_subject_flag(args) => Subject::from_certificate(c, &name).map_err(|e| {
            Error::new(format!(
                "the subject of {} cannot be reused: {}",
                old_paths.certificate.display(),
                e.message
            ))
            .with_hint("give the subject with --country, --organization, --common-name …")
        })?,
        _ => subject_from_flags(args, &name)?,
    };
    let old_pem = std::fs::read(&old_key).map_err(|e| Error::io("read", &old_key, &e))?;
    // An encrypted key is not replaced by a plain one unless asked.
    let encrypt = args.encrypt || cert::is_encrypted(&old_pem);
    let passphrase = if encrypt {
        Some(new_key_passphrase()?)
    } else {
        None
    };
    let pair = make_pair(&dir, &name, subject, args.days, false, passphrase.as_ref())?;
    let new = &pair.written.paths;
    let expires = cert::expiry(&pair.certificate);
    let fingerprint = cert::fingerprint(&pair.certificate);

    // Which profiles use the old key: each gets its own switch command.
    let config = session.store.load()?;
    let old_canonical = passphrase_key(&old_key);
    let mut users: Vec<String> = config
        .profiles
        .iter()
        .filter(|(_, p)| {
            p.private_key
                .as_deref()
                .is_some_and(|k| passphrase_key(k) == old_canonical)
        })
        .map(|(n, _)| n.clone())
        .collect();
    if users.is_empty() {
        users.push(session.profile.clone());
    }
    let new_key_abs = absolute(&new.private_key)?;
    let new_cert_abs = absolute(&new.certificate)?;
    let switch: Vec<String> = users
        .iter()
        .map(|profile| {
            format!(
                "places-setup{} init --private-key {} --certificate {}",
                if profile == "default" {
                    String::new()
                } else {
                    format!(" --profile {profile}")
                },
                places::shell_quote(&new_key_abs.display().to_string()),
                places::shell_quote(&new_cert_abs.display().to_string()),
            )
        })
        .collect();
    let old_expiry = old_certificate.as_ref().map(cert::expiry);
    if args.json {
        return out(&serde_json::to_string_pretty(&json!({
            "old": {
                "private_key": old_key,
                "certificate": old_certificate.as_ref().map(|_| &old_paths.certificate),
                "expires_at": old_expiry.map(timefmt::rfc3339),
            },
            "private_key": new_key_abs,
            "certificate": new_cert_abs,
            "encrypted": pair.encrypted,
            "subject": pair.subject.one_line(),
            "sha256_fingerprint": fingerprint,
            "expires_at": timefmt::rfc3339(expires),
            "switch_commands": switch,
        }))
        .unwrap_or_default());
    }
    let old_line = match old_expiry {
        Some(e) => format!(
            "{} (certificate {} {})",
            old_key.display(),
            if e > SystemTime::now() {
                "expires"
            } else {
                "EXPIRED"
            },
            timefmt::rfc3339(e)
        ),
        None => old_key.display().to_string(),
    };
    out(&format!(
        "New private key:  {} (RSA {}, {}mode 0600 — keep it secret)\n\
         New certificate:  {}\n\
         Subject:          {}\n\
         SHA-256:          {fingerprint}\n\
         Expires:          {} ({} days)\n\
         Old pair:         {old_line} — left as it was; it keeps working until you switch\n\n\
         Next:\n\
         1. In the Adobe Developer Console (https://developer.adobe.com/console), open the project's\n\
         \x20  Service Account (JWT) credential and upload this certificate beside the old one:\n\
         \x20    {}\n\
         \x20  Keep the old certificate there until the switch is done.\n\
         2. Once it is uploaded, switch to the new pair:\n{}\n\
         3. Check the new pair with `places-setup{} token --force`, then remove the old certificate from the Console.",
        new.private_key.display(),
        cert::KEY_BITS,
        if pair.encrypted {
            "encrypted with AES-256-CBC, "
        } else {
            ""
        },
        new.certificate.display(),
        pair.subject.one_line(),
        timefmt::rfc3339(expires),
        args.days,
        new.certificate.display(),
        switch
            .iter()
            .map(|c| format!("     {c}"))
            .collect::<Vec<_>>()
            .join("\n"),
        session.profile_flag(),
    ))
}

// ---------------------------------------------------------------------------------------------- init

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io("find", path, &e))
}

/// Reads a private key, decrypting it if it is encrypted. The passphrase comes from, in order: this
/// run (typed or made earlier), PLACES_SETUP_KEY_PASSPHRASE, the profile's saved one, and last a
/// prompt at the terminal — asked at most once per run.
fn load_key(
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
    let prompt = format!("Passphrase for {}: ", key_path.display());
    match rpassword::prompt_password(prompt) {
        Ok(p) => open(SecretString::from(p)),
        Err(_) => Err(match saved_failed {
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

/// Where the client secret of `init` comes from.
enum SecretInput {
    /// Given in this run.
    New(SecretString),
    /// The one already saved in the profile's (previous) store.
    Saved(SecretString),
}

fn client_secret_input(
    session: &Session,
    args: &InitArgs,
    saved_in: SecretStore,
) -> Result<SecretInput> {
    if args.client_secret_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Error::new(format!(
                "cannot read the client secret from standard input: {e}"
            ))
        })?;
        return ids::client_secret(&text).map(SecretInput::New);
    }
    if let Ok(value) = std::env::var("PLACES_SETUP_CLIENT_SECRET") {
        return ids::client_secret(&value).map(SecretInput::New);
    }
    if let Some(saved) =
        session
            .store
            .read_secret_in(saved_in, &session.profile, Secret::ClientSecret)?
    {
        return Ok(SecretInput::Saved(saved));
    }
    if std::io::stdin().is_terminal() {
        let typed =
            rpassword::prompt_password("Client secret (from the Console's Credentials tab): ")
                .map_err(|e| Error::new(format!("cannot read the client secret: {e}")))?;
        return ids::client_secret(&typed).map(SecretInput::New);
    }
    Err(Error::usage("no client secret given")
        .with_hint("pipe it in with --client-secret-stdin, or set PLACES_SETUP_CLIENT_SECRET (it is never taken as an argument)"))
}

/// The store a profile's secrets go to: the one asked for, else the profile's own, else the
/// keyring when one answers within 3 seconds, else files. Returns a note to show, if any.
fn choose_store(
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
    // Where the secrets are now, and where they go.
    let saved_in = previous
        .as_ref()
        .map(|p| p.secret_store)
        .unwrap_or_default();
    let (store, store_note) = choose_store(args.store, previous.as_ref())?;
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
        secret_store: store,
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
            let (key, key_passphrase) = load_key(session, saved_in, &key_path)?;
            passphrase = key_passphrase;
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
    let secret = client_secret_input(session, args, saved_in)?;
    // Secrets first: a profile is never saved pointing at a secret that is not there.
    match &secret {
        SecretInput::New(value) => {
            session
                .store
                .write_secret_in(store, &session.profile, Secret::ClientSecret, value)?
        }
        // Moving to another store carries the saved secret along.
        SecretInput::Saved(value) if store != saved_in => {
            session
                .store
                .write_secret_in(store, &session.profile, Secret::ClientSecret, value)?
        }
        SecretInput::Saved(_) => {}
    }
    match &passphrase {
        Some(p) => {
            session
                .store
                .write_secret_in(store, &session.profile, Secret::KeyPassphrase, p)?
        }
        None => session
            .store
            .remove_secret_in(store, &session.profile, Secret::KeyPassphrase)?,
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
    if store != saved_in {
        // The profile now reads from the new store; what is left in the old one is only a copy
        // (or, for a new profile, a leftover that nothing points at).
        for kind in Secret::ALL {
            if let Err(e) = session
                .store
                .remove_secret_in(saved_in, &session.profile, kind)
            {
                warn(&format!("{} (remove the old copy by hand)", e.message));
            }
        }
    }
    eprintln!(
        "{action} profile {:?} ({}) in {}",
        session.profile,
        auth.describe(),
        session.store.config_path().display()
    );
    if let Some(note) = store_note {
        eprintln!("{note}");
    }
    let location = session
        .store
        .secret_location(store, &session.profile, Secret::ClientSecret);
    eprintln!(
        "Client secret kept in {location}{}{}",
        if store == SecretStore::File {
            " (0600)"
        } else {
            ""
        },
        match (&secret, store == saved_in) {
            (SecretInput::Saved(_), true) => ", unchanged",
            (SecretInput::Saved(_), false) => ", moved there",
            (SecretInput::New(_), _) => "",
        }
    );
    if passphrase.is_some() {
        eprintln!(
            "Key passphrase kept in {}",
            session
                .store
                .secret_location(store, &session.profile, Secret::KeyPassphrase)
        );
    }
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
    let saved =
        session
            .store
            .read_secret_in(profile.secret_store, &session.profile, Secret::ClientSecret);
    let secret = match (saved, std::env::var("PLACES_SETUP_CLIENT_SECRET").ok()) {
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
) -> Result<()> {
    let mut config = session.store.load()?;
    // As `init` does: PLACES_SETUP_STORE, else the profile's own store, else the keyring if one answers.
    let asked = std::env::var("PLACES_SETUP_STORE")
        .ok()
        .and_then(|v| <SecretStore as clap::ValueEnum>::from_str(&v, true).ok());
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

fn certificate_status(
    path: &Path,
    now: SystemTime,
    profile: &str,
) -> (serde_json::Value, String, Option<String>) {
    let rotate = format!(
        "places-setup{} keys --rotate",
        if profile == "default" {
            String::new()
        } else {
            format!(" --profile {profile}")
        }
    );
    match cert::load_certificate(path) {
        Ok(c) => {
            let expires = cert::expiry(&c);
            let left = timefmt::seconds_until(expires, now);
            let days = timefmt::days_left(expires, now);
            let warning = if left <= 0 {
                Some(format!(
                    "the certificate {} has expired: Adobe no longer accepts its JWTs; make a new pair with `{rotate}` and upload it",
                    path.display()
                ))
            } else if expires.duration_since(now).unwrap_or_default() < CERTIFICATE_WARNING {
                Some(format!(
                    "the certificate {} expires in {days} days: make a new pair with `{rotate}` and upload it before then",
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
            let (j, t, w) = certificate_status(c, now, name);
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
        let secrets_json = match profile.secret_store {
            SecretStore::File => {
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
                json!({"store": "file", "client_secret": secret_path, "present": secret_present})
            }
            // Not read here: `status` stays quick and never brings up a keyring's unlock prompt.
            SecretStore::Keyring => {
                let account = session.store.keyring_account(name, Secret::ClientSecret);
                line(
                    "secrets",
                    &format!(
                        "system keyring (service {}, account {account:?})",
                        os_keyring::SERVICE
                    ),
                );
                json!({"store": "keyring", "service": os_keyring::SERVICE, "client_secret": account, "present": null})
            }
        };
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
            "secrets": secrets_json,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_names_carry_one_date_and_never_collide() {
        let free = |_: &str| false;
        assert_eq!(rotated_name("prod", "2026-11-24", free), "prod_2026-11-24");
        assert_eq!(
            rotated_name("prod_2025-11-20", "2026-11-24", free),
            "prod_2026-11-24"
        );
        assert_eq!(
            rotated_name("prod_2025-11-20-3", "2026-11-24", free),
            "prod_2026-11-24"
        );
        // Not a date: kept as part of the name.
        assert_eq!(
            rotated_name("prod_2025", "2026-11-24", free),
            "prod_2025_2026-11-24"
        );
        assert_eq!(
            rotated_name("_2025-11-20", "2026-11-24", free),
            "_2025-11-20_2026-11-24"
        );
        let taken = |n: &str| n == "prod_2026-11-24" || n == "prod_2026-11-24-2";
        assert_eq!(
            rotated_name("prod", "2026-11-24", taken),
            "prod_2026-11-24-3"
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
            policy: Policy::with_timeout(Duration::from_secs(1)),
            quiet: true,
        };
        // No variable, nothing saved, no terminal needed: the passphrase of this run is used.
        let (key, used) =
            load_key(&session, SecretStore::File, &pair.written.paths.private_key).unwrap();
        assert!(key.rsa().is_ok());
        assert_eq!(
            used.map(|p| p.expose_secret().to_string()).as_deref(),
            Some("made a moment ago")
        );
    }
}
