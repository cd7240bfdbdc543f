//! The private key: made in this run, or loaded from its file, its passphrase found in the
//! environment, the profile's store, this run's memory or the face's prompt.
use super::*;

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
    pub certificate: cert::Certificate,
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
) -> Result<(PrivateKey, Option<SecretString>)> {
    crate::store::atomic::check_trusted(key_path, "the private key")?;
    let pem = cert::read_pem(key_path)?;
    if !cert::is_encrypted(&pem) {
        return Ok((cert::load_private_key(key_path, None)?, None));
    }
    let open = |passphrase: SecretString| -> Result<(PrivateKey, Option<SecretString>)> {
        let key = cert::load_private_key(key_path, Some(&passphrase))?;
        remember_passphrase(key_path, &passphrase);
        Ok((key, Some(passphrase)))
    };
    if let Some(known) = remembered_passphrase(key_path) {
        return open(known);
    }
    if let Some(p) = session.environment.key_passphrase()? {
        return open(p).map_err(|e| {
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
    // Where no prompt can be shown: a command without a terminal, or the wizard, whose screen a
    // prompt would break (it has no prompt at all).
    let instead = if session.passphrase_prompt.is_some() {
        format!("set {PASSPHRASE_ENV}, or run from a terminal to be asked for it")
    } else {
        format!(
            "the wizard does not ask for a key's passphrase: set {PASSPHRASE_ENV} before starting it, \
             or save the profile once with `places-setup init`, which asks and keeps it"
        )
    };
    match asked {
        Some(p) => open(p),
        None => Err(match saved_failed {
            Some(e) => e.with_hint(format!(
                "the saved passphrase does not open this key: {instead}"
            )),
            None => Error::new(format!(
                "{} is encrypted and no passphrase was given",
                key_path.display()
            ))
            .with_hint(instead),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An encrypted key nothing can open: its passphrase is neither saved nor in the variable.
    fn unopenable(dir: &Path) -> PathBuf {
        let key = cert::generate_key().unwrap();
        let pem =
            cert::encrypted_pem(&key, &SecretString::from("a passphrase of its own")).unwrap();
        let path = dir.join("locked_private.key");
        std::fs::write(&path, pem.as_bytes()).unwrap();
        crate::platform::testing::owner_only(&path);
        path
    }

    fn hint(session: &Session, key: &Path) -> String {
        let Err(e) = load_key(session, crate::store::SecretStore::File, key) else {
            panic!("the key opened")
        };
        assert!(
            e.message
                .contains("is encrypted and no passphrase was given"),
            "{}",
            e.message
        );
        e.hint.unwrap_or_default()
    }

    #[test]
    fn with_no_way_to_ask_the_hint_fits_where_it_is_read() {
        if std::env::var_os(PASSPHRASE_ENV).is_some() {
            return; // the variable would open or refuse the key before any hint
        }
        let dir = tempfile::tempdir().unwrap();
        let key = unopenable(dir.path());
        let mut session =
            Session::open(Some(dir.path()), "default", None, Duration::from_secs(5)).unwrap();
        // The wizard: no prompt at all, and a terminal it must not write a prompt on.
        session.passphrase_prompt = None;
        let wizard = hint(&session, &key);
        assert!(wizard.contains("the wizard does not ask"), "{wizard}");
        assert!(!wizard.contains("run from a terminal"), "{wizard}");
        // A command whose prompt found no terminal.
        session.passphrase_prompt = Some(PassphrasePrompt::new(|_: &Path| None));
        let command = hint(&session, &key);
        assert!(command.contains("run from a terminal"), "{command}");
    }
}
