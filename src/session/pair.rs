//! The wizard's key pair on disk: what is already there under a name, writing a new pair (or
//! taking the one there), and the pair described as the screen shows it.
use super::*;

/// What is already on disk under the chosen key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    Unknown,
    None,
    /// Both files, key matching certificate.
    MatchingPair,
    /// Some file is there, but not a usable pair; the text says why.
    Unusable(String),
    /// The folder cannot hold the pair (a file of that name, a folder not writable); the text
    /// says why and names the path at fault.
    BadFolder(String),
}

/// What to do when the key files exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    New,
    UseExisting,
    Replace,
}

/// The key pair as written (or found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairInfo {
    pub private_key: PathBuf,
    pub certificate: PathBuf,
    pub key_mode: u32,
    pub certificate_mode: u32,
    /// The certificate's fingerprint: the exchange refuses a pair on disk that is not this one.
    pub fingerprint: String,
    pub expires_at: SystemTime,
    pub backups: Vec<PathBuf>,
    /// Demo only: the certificate was registered with the emulator as if uploaded.
    pub registered: bool,
}

/// A new RSA key for a pair, made ahead while the person fills in the subject.
pub fn new_key() -> Result<PrivateKey> {
    cert::generate_key()
}

/// What is on disk under `dir` and `name`: first whether `dir` can hold a pair at all.
pub fn existing_pair(dir: &Path, name: &str) -> Existing {
    if let Some(why) = folder_problem(dir) {
        return Existing::BadFolder(why);
    }
    let paths = cert::PairPaths::new(dir, name);
    match paths.existing().len() {
        0 => Existing::None,
        1 => Existing::Unusable(format!("only {} exists", paths.existing()[0].display())),
        _ => match (
            cert::load_private_key(&paths.private_key, None),
            cert::load_certificate(&paths.certificate),
        ) {
            (Ok(key), Ok(certificate)) if cert::key_matches(&key, &certificate) => {
                Existing::MatchingPair
            }
            (Ok(_), Ok(_)) => Existing::Unusable("the key does not match the certificate".into()),
            (Err(e), _) | (_, Err(e)) => Existing::Unusable(e.message),
        },
    }
}

/// Why `dir` cannot hold a key pair, checked before anything is generated: the folder (or the
/// nearest part of it that exists, under which it would be made) must be a folder one can write in.
pub fn folder_problem(dir: &Path) -> Option<String> {
    let mut existing = dir;
    loop {
        match std::fs::metadata(existing) {
            Ok(meta) if !meta.is_dir() => {
                return Some(format!("{} is a file, not a folder", existing.display()));
            }
            Ok(_) => break,
            Err(_) => match existing.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => existing = parent,
                // A relative folder whose first part does not exist: made in the current one.
                _ if existing != Path::new(".") => existing = Path::new("."),
                _ => return Some("the current folder cannot be read".to_string()),
            },
        }
    }
    // Asking the file system is the one test that holds for ACLs, read-only mounts and root alike.
    match tempfile::tempfile_in(existing) {
        Ok(_) => None,
        Err(e) => Some(format!(
            "cannot write in {}: {}",
            existing.display(),
            e.kind()
        )),
    }
}

/// The pair at these paths as the screen shows it, with the certificate already read.
fn describe(
    paths: &cert::PairPaths,
    certificate: &cert::Certificate,
    backups: Vec<PathBuf>,
) -> PairInfo {
    PairInfo {
        key_mode: crate::store::atomic::mode(&paths.private_key).unwrap_or(0),
        certificate_mode: crate::store::atomic::mode(&paths.certificate).unwrap_or(0),
        // Absolute: the certificate's path is what a person uploads (and what `c` copies).
        private_key: std::fs::canonicalize(&paths.private_key)
            .unwrap_or_else(|_| paths.private_key.clone()),
        certificate: std::fs::canonicalize(&paths.certificate)
            .unwrap_or_else(|_| paths.certificate.clone()),
        fingerprint: cert::fingerprint(certificate),
        expires_at: cert::expiry(certificate),
        backups,
        registered: false,
    }
}

/// Writes a new pair under `dir` and `name` (with `key` if one was made ahead), or, with
/// `UseExisting`, takes the matching pair already there.
pub fn write_wizard_pair(
    dir: &Path,
    name: &str,
    subject: &Subject,
    days: u32,
    key: Option<Arc<PrivateKey>>,
    mode: WriteMode,
) -> Result<PairInfo> {
    let paths = cert::PairPaths::new(dir, name);
    if mode == WriteMode::UseExisting {
        let key = cert::load_private_key(&paths.private_key, None)?;
        let certificate = cert::load_certificate(&paths.certificate)?;
        if !cert::key_matches(&key, &certificate) {
            return Err(Error::new("the key does not match the certificate"));
        }
        return Ok(describe(&paths, &certificate, vec![]));
    }
    let key = match key {
        Some(k) => k,
        None => Arc::new(cert::generate_key()?),
    };
    let certificate = cert::self_signed(&key, subject, days)?;
    let written = cert::write_pair(
        dir,
        name,
        &key,
        &certificate,
        mode == WriteMode::Replace,
        SystemTime::now(),
    )
    .map_err(|e| {
        match mode != WriteMode::Replace && !paths.existing().is_empty() {
        // The files appeared after the key folder screen looked: said in the wizard's terms,
        // not the command's flags.
        true => e.with_hint(
            "Enter goes back to the key folder screen, which offers to use them or replace them",
        ),
        false => e,
    }
    })?;
    let backups = written.backups.into_iter().map(|(_, b)| b).collect();
    Ok(describe(&paths, &certificate, backups))
}

/// The pair a saved profile names, described; `None` when it names none.
pub fn profile_pair(profile: &Profile) -> Result<Option<PairInfo>> {
    let (Some(key), Some(certificate)) = (profile.private_key(), profile.certificate()) else {
        return Ok(None);
    };
    let loaded = cert::load_certificate(certificate)?;
    let paths = cert::PairPaths {
        private_key: key.to_path_buf(),
        certificate: certificate.to_path_buf(),
    };
    Ok(Some(describe(&paths, &loaded, vec![])))
}

/// Refuses a JWT profile whose certificate on disk is not the one the screen showed (another
/// wizard or `keys --rotate` replaced the pair meanwhile): the exchange would sign with a key
/// the person has not seen, and upload advice would name the wrong certificate.
pub fn check_pair_shown(session: &Session, profile: &Profile, fingerprint: &str) -> Result<()> {
    let Some(jwt) = profile.jwt() else {
        return Ok(());
    };
    let Some(path) = &jwt.certificate else {
        return Ok(());
    };
    let certificate = cert::load_certificate(path)?;
    let now = cert::fingerprint(&certificate);
    if now == fingerprint {
        // The key beside it may have been replaced on its own.
        let key_path = &jwt.private_key;
        let (key, _) = load_key(session, profile.secret_store, key_path)?;
        if !cert::key_matches(&key, &certificate) {
            return Err(Error::new(format!(
                "the private key {} no longer matches the certificate shown ({})",
                key_path.display(),
                path.display()
            ))
            .with_hint("another program replaced the key: go back to the key pair (Esc) and write a new pair"));
        }
        return Ok(());
    }
    Err(Error::new(format!(
        "the key pair changed on disk since it was shown: {} now has fingerprint {now}, not {fingerprint}",
        path.display()
    ))
    .with_hint(
        "another program (a second wizard, `places-setup keys --rotate`) replaced it: go back to the key pair (Esc) to see the pair there now, then upload that certificate",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_is_a_file_is_refused_before_anything_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keys");
        std::fs::write(&file, "not a folder").unwrap();
        for folder in [file.clone(), file.join("deeper")] {
            let Existing::BadFolder(why) = existing_pair(&folder, "p") else {
                panic!("{folder:?} accepted")
            };
            assert!(why.contains("is a file, not a folder"), "{why}");
            assert!(why.contains(&file.display().to_string()), "{why}");
        }
        // A folder still to be made under one that can be written in is fine.
        assert_eq!(
            existing_pair(&dir.path().join("new/keys"), "p"),
            Existing::None
        );
        assert!(std::fs::read_dir(dir.path()).unwrap().count() == 1);
    }

    #[test]
    fn a_pair_replaced_after_it_was_shown_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let subject = Subject::new([""; 7], "shown").unwrap();
        let shown =
            write_wizard_pair(dir.path(), "shown", &subject, 1, None, WriteMode::New).unwrap();
        let profile = Profile {
            org_id: "18FB61145BAC2FFB0A494777@AdobeOrg".into(),
            client_id: "0123456789abcdef0123456789abcdef".into(),
            ims_url: String::new(),
            secret_store: SecretStore::File,
            untested: false,
            places_url: None,
            places: None,
            credential: Credential::Jwt(JwtCredential {
                technical_account_id: "0123456789ABCDEF01234567@techacct.adobe.com".into(),
                certificate: Some(shown.certificate.clone()),
                private_key: shown.private_key.clone(),
                metascopes: vec![],
            }),
        };
        let session = Session::open(
            Some(&dir.path().join("config")),
            "default",
            None,
            Duration::from_secs(1),
        )
        .unwrap();
        check_pair_shown(&session, &profile, &shown.fingerprint).unwrap();
        // A second wizard replaces the pair (Alt-R).
        let replaced =
            write_wizard_pair(dir.path(), "shown", &subject, 1, None, WriteMode::Replace).unwrap();
        assert_ne!(replaced.fingerprint, shown.fingerprint);
        let e = check_pair_shown(&session, &profile, &shown.fingerprint).unwrap_err();
        assert!(e.message.contains("changed on disk"), "{}", e.message);
        assert_eq!(
            existing_pair(dir.path(), "shown"),
            Existing::MatchingPair,
            "the new pair is whole"
        );
        // Only the certificate put back as shown: the key beside it is not its key.
        let other = tempfile::tempdir().unwrap();
        let first =
            write_wizard_pair(other.path(), "old", &subject, 1, None, WriteMode::New).unwrap();
        std::fs::copy(&first.certificate, &shown.certificate).unwrap();
        let e = check_pair_shown(&session, &profile, &first.fingerprint).unwrap_err();
        assert!(e.message.contains("no longer matches"), "{}", e.message);
    }

    #[test]
    fn files_that_appeared_since_the_key_folder_screen_are_kept_and_the_fix_is_the_wizards() {
        let dir = tempfile::tempdir().unwrap();
        let subject = Subject::new([""; 7], "raced").unwrap();
        let first =
            write_wizard_pair(dir.path(), "raced", &subject, 1, None, WriteMode::New).unwrap();
        let before = std::fs::read(&first.private_key).unwrap();
        let e =
            write_wizard_pair(dir.path(), "raced", &subject, 1, None, WriteMode::New).unwrap_err();
        assert!(e.message.contains("nothing was changed"), "{}", e.message);
        let hint = e.hint.unwrap_or_default();
        assert!(hint.contains("key folder screen"), "{hint}");
        assert!(
            !hint.contains("--"),
            "no command-line flag in the wizard: {hint}"
        );
        assert_eq!(std::fs::read(&first.private_key).unwrap(), before);
    }
}
