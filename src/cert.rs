//! The key pair the guide makes with `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048`:
//! the certificate subject (a validated value), the RSA key, the self-signed certificate, and the files.
use crate::error::{Error, Result};
use crate::store::atomic;
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier};
use openssl::x509::{X509, X509NameBuilder};
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub const DEFAULT_DIR: &str = "keys";
pub const DEFAULT_NAME: &str = "places_integration_test";
pub const DEFAULT_DAYS: u32 = 365;
pub const KEY_BITS: u32 = 2048;

/// One field of the certificate subject, in the order OpenSSL asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Country,
    State,
    Locality,
    Organization,
    Unit,
    CommonName,
    Email,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Country,
        Field::State,
        Field::Locality,
        Field::Organization,
        Field::Unit,
        Field::CommonName,
        Field::Email,
    ];

    /// The words OpenSSL uses at its prompt.
    pub fn label(self) -> &'static str {
        match self {
            Field::Country => "Country Name (2 letter code)",
            Field::State => "State or Province Name",
            Field::Locality => "Locality Name (city)",
            Field::Organization => "Organization Name",
            Field::Unit => "Organizational Unit Name",
            Field::CommonName => "Common Name",
            Field::Email => "Email Address",
        }
    }

    /// The guide's example value.
    pub fn example(self) -> &'static str {
        match self {
            Field::Country => "US",
            Field::State => "California",
            Field::Locality => "San Jose",
            Field::Organization => "Places",
            Field::Unit => "Engineering",
            Field::CommonName => "places.com",
            Field::Email => "poi@places.com",
        }
    }

    /// The command-line flag that sets this field.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Country => "--country",
            Field::State => "--state",
            Field::Locality => "--locality",
            Field::Organization => "--organization",
            Field::Unit => "--unit",
            Field::CommonName => "--common-name",
            Field::Email => "--email",
        }
    }

    fn nid(self) -> openssl::nid::Nid {
        use openssl::nid::Nid;
        match self {
            Field::Country => Nid::COUNTRYNAME,
            Field::State => Nid::STATEORPROVINCENAME,
            Field::Locality => Nid::LOCALITYNAME,
            Field::Organization => Nid::ORGANIZATIONNAME,
            Field::Unit => Nid::ORGANIZATIONALUNITNAME,
            Field::CommonName => Nid::COMMONNAME,
            Field::Email => Nid::PKCS9_EMAILADDRESS,
        }
    }

    /// Upper bound from RFC 5280's ub-* values, which OpenSSL enforces.
    fn max_chars(self) -> usize {
        match self {
            Field::Country => 2,
            Field::State | Field::Locality | Field::Email => 128,
            Field::Organization | Field::Unit | Field::CommonName => 64,
        }
    }

    /// Checks one value as typed; returns the value to store (the country is upper-cased).
    /// An empty value means "leave this field out", as `.` does at OpenSSL's prompt.
    pub fn check(self, raw: &str) -> Result<String> {
        let value = raw.trim();
        let field = self.label();
        let fix = format!("for example {}", self.example());
        if value.is_empty() {
            return Ok(String::new());
        }
        if value.chars().any(char::is_control) {
            return Err(Error::invalid(field, "contains control characters", fix));
        }
        let chars = value.chars().count();
        match self {
            Field::Country => {
                if chars != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(Error::invalid(
                        field,
                        format!(
                            "{} is not a two-letter country code",
                            crate::text::excerpt(value)
                        ),
                        "use the ISO 3166 code, for example US, DE or JP",
                    ));
                }
                return Ok(value.to_ascii_uppercase());
            }
            Field::Email => {
                if !value.is_ascii() {
                    return Err(Error::invalid(
                        field,
                        "must be ASCII",
                        "use an address without accents or other non-ASCII letters",
                    ));
                }
                let shaped = value.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && domain.contains('.')
                        && !domain.contains('@')
                        && !value.contains(char::is_whitespace)
                });
                if !shaped {
                    return Err(Error::invalid(
                        field,
                        format!("{} is not an email address", crate::text::excerpt(value)),
                        fix,
                    ));
                }
            }
            _ => {}
        }
        if chars > self.max_chars() {
            return Err(Error::invalid(
                field,
                format!("{chars} characters, at most {} allowed", self.max_chars()),
                "shorten it",
            ));
        }
        Ok(value.to_string())
    }
}

/// A certificate subject whose every field has been checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    values: [String; 7],
}

impl Subject {
    /// Checks each field; the first bad one is reported. With every field empty, the common name
    /// becomes `fallback_common_name` so the certificate still has a subject.
    pub fn new(values: [&str; 7], fallback_common_name: &str) -> Result<Subject> {
        let mut subject = Subject::default();
        for (i, field) in Field::ALL.iter().enumerate() {
            subject.values[i] = field.check(values[i])?;
        }
        if subject.values.iter().all(String::is_empty) {
            subject.values[5] = Field::CommonName.check(fallback_common_name)?;
        }
        Ok(subject)
    }

    pub fn get(&self, field: Field) -> &str {
        let i = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
        &self.values[i]
    }

    /// The subject of an existing certificate, checked like typed values, so a new certificate
    /// can carry the same one.
    pub fn from_certificate(certificate: &X509, fallback_common_name: &str) -> Result<Subject> {
        let name = certificate.subject_name();
        let values = Field::ALL.map(|field| {
            name.entries_by_nid(field.nid())
                .next()
                .and_then(|entry| entry.data().to_string().ok())
                .unwrap_or_default()
        });
        Subject::new(values.each_ref().map(String::as_str), fallback_common_name)
    }

    /// `C=US, ST=California, …` as OpenSSL prints it, for messages.
    pub fn one_line(&self) -> String {
        let short = ["C", "ST", "L", "O", "OU", "CN", "emailAddress"];
        self.values
            .iter()
            .zip(short)
            .filter(|(v, _)| !v.is_empty())
            .map(|(v, s)| format!("{s}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Where a named key pair lives: `DIR/NAME_private.key` and `DIR/NAME_public.crt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairPaths {
    pub private_key: PathBuf,
    pub certificate: PathBuf,
}

impl PairPaths {
    pub fn new(dir: &Path, name: &str) -> PairPaths {
        PairPaths {
            private_key: dir.join(format!("{name}_private.key")),
            certificate: dir.join(format!("{name}_public.crt")),
        }
    }

    pub fn existing(&self) -> Vec<&Path> {
        [&self.private_key, &self.certificate]
            .into_iter()
            .filter(|p| p.symlink_metadata().is_ok())
            .map(PathBuf::as_path)
            .collect()
    }
}

/// Refuses to go on when either file of the pair exists, naming them; nothing is changed.
pub fn refuse_existing(paths: &PairPaths) -> Result<()> {
    let existing = paths.existing();
    if existing.is_empty() {
        return Ok(());
    }
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
    Err(Error::new(format!("{list} already {verb}; nothing was changed"))
        .with_hint("choose another --name or --dir, or pass --force to move the old pair to timestamped backups first"))
}

/// The integration name becomes part of two file names.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "name",
            format!("{name:?} cannot be used in a file name"),
            "use letters, digits, '-', '_' and '.', for example places_integration_test",
        ))
    }
}

/// Generates the RSA key. This is the slow step (tens to hundreds of milliseconds).
pub fn generate_key() -> Result<PKey<Private>> {
    let rsa = Rsa::generate(KEY_BITS)
        .map_err(|e| Error::new(format!("RSA key generation failed: {e}")))?;
    PKey::from_rsa(rsa).map_err(|e| Error::new(format!("RSA key generation failed: {e}")))
}

/// A self-signed X.509 v3 certificate as `openssl req -x509 -sha256` makes it.
pub fn self_signed(key: &PKey<Private>, subject: &Subject, days: u32) -> Result<X509> {
    build_certificate(key, subject, days)
        .map_err(|e| Error::new(format!("cannot build the certificate: {e}")))
}

fn build_certificate(
    key: &PKey<Private>,
    subject: &Subject,
    days: u32,
) -> std::result::Result<X509, openssl::error::ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    for field in Field::ALL {
        let value = subject.get(field);
        if !value.is_empty() {
            name.append_entry_by_nid(field.nid(), value)?;
        }
    }
    let name = name.build();
    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(159, MsbOption::MAYBE_ZERO, false)?;
    let serial = serial.to_asn1_integer()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(key)?;
    let not_before = Asn1Time::days_from_now(0)?;
    let not_after = Asn1Time::days_from_now(days)?;
    builder.set_not_before(&not_before)?;
    builder.set_not_after(&not_after)?;
    let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(None, None))?;
    builder.append_extension(ski)?;
    let aki = AuthorityKeyIdentifier::new()
        .keyid(true)
        .build(&builder.x509v3_context(None, None))?;
    builder.append_extension(aki)?;
    builder.append_extension(BasicConstraints::new().critical().ca().build()?)?;
    builder.sign(key, MessageDigest::sha256())?;
    Ok(builder.build())
}

/// What `write_pair` did.
#[derive(Debug, Clone)]
pub struct Written {
    pub paths: PairPaths,
    /// Old files moved aside by `--force`, as (old path, backup path).
    pub backups: Vec<(PathBuf, PathBuf)>,
}

/// Writes the pair: the folder is created 0700, the key 0600 (PKCS#8 PEM), the certificate 0644.
/// Existing files are refused unless `replace`, which first moves them to timestamped backups.
/// Neither file is ever overwritten in place: each is written to a temporary file and linked
/// into place only if the name is still free.
pub fn write_pair(
    dir: &Path,
    name: &str,
    key: &PKey<Private>,
    certificate: &X509,
    replace: bool,
    now: SystemTime,
) -> Result<Written> {
    write_pair_protected(dir, name, key, certificate, replace, now, None)
}

/// A private key as encrypted PKCS#8 PEM: PBES2 with PBKDF2 (HMAC-SHA256) and AES-256-CBC, what
/// `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes.
pub fn encrypted_pem(key: &PKey<Private>, passphrase: &SecretString) -> Result<Vec<u8>> {
    key.private_key_to_pem_pkcs8_passphrase(
        openssl::symm::Cipher::aes_256_cbc(),
        passphrase.expose_secret().as_bytes(),
    )
    .map_err(|e| Error::new(format!("cannot encrypt the private key: {e}")))
}

/// As [`write_pair`]; with a passphrase the key is written encrypted ([`encrypted_pem`]).
pub fn write_pair_protected(
    dir: &Path,
    name: &str,
    key: &PKey<Private>,
    certificate: &X509,
    replace: bool,
    now: SystemTime,
    passphrase: Option<&SecretString>,
) -> Result<Written> {
    check_name(name)?;
    let paths = PairPaths::new(dir, name);
    let existing: Vec<PathBuf> = paths
        .existing()
        .into_iter()
        .map(Path::to_path_buf)
        .collect();
    if !replace {
        refuse_existing(&paths)?;
    }
    let key_pem = match passphrase {
        Some(p) => encrypted_pem(key, p)?,
        None => key
            .private_key_to_pem_pkcs8()
            .map_err(|e| Error::new(format!("cannot encode the private key: {e}")))?,
    };
    let cert_pem = certificate
        .to_pem()
        .map_err(|e| Error::new(format!("cannot encode the certificate: {e}")))?;
    atomic::create_dir_private(dir)?;
    let mut backups = Vec::new();
    for old in existing {
        let backup = backup_path(&old, now);
        std::fs::rename(&old, &backup).map_err(|e| Error::io("move aside", &old, &e))?;
        backups.push((old, backup));
    }
    atomic::create_new(&paths.private_key, &key_pem, 0o600)?;
    if let Err(e) = atomic::create_new(&paths.certificate, &cert_pem, 0o644) {
        // The key was created a moment ago by us: without its certificate it is of no use.
        let _ = std::fs::remove_file(&paths.private_key);
        return Err(e);
    }
    Ok(Written { paths, backups })
}

fn backup_path(path: &Path, now: SystemTime) -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(now)
        .to_string()
        .replace([':', '-'], "");
    let mut candidate = PathBuf::from(format!("{}.{stamp}.bak", path.display()));
    let mut n = 1;
    while candidate.symlink_metadata().is_ok() {
        n += 1;
        candidate = PathBuf::from(format!("{}.{stamp}-{n}.bak", path.display()));
    }
    candidate
}

/// SHA-256 fingerprint as `AB:CD:…`, the form the Console and `openssl x509 -fingerprint` show.
pub fn fingerprint(certificate: &X509) -> String {
    certificate
        .digest(MessageDigest::sha256())
        .map(|d| {
            d.iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(":")
        })
        .unwrap_or_default()
}

/// The certificate's notAfter as a point in time.
pub fn expiry(certificate: &X509) -> SystemTime {
    let epoch = Asn1Time::from_unix(0);
    let diff = epoch.and_then(|e| e.diff(certificate.not_after()));
    match diff {
        Ok(d) => {
            let secs = i64::from(d.days) * 86_400 + i64::from(d.secs);
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64)
        }
        Err(_) => SystemTime::UNIX_EPOCH,
    }
}

/// A key or certificate file: a regular file of at most 1 MiB (a FIFO or a device is refused).
pub fn read_pem(path: &Path) -> Result<Vec<u8>> {
    crate::store::atomic::read_regular(path, crate::store::atomic::MAX_FILE)?.ok_or_else(|| {
        Error::io(
            "read",
            path,
            &std::io::Error::from_raw_os_error(libc::ENOENT),
        )
    })
}

/// Reads a PEM certificate a user points at.
pub fn load_certificate(path: &Path) -> Result<X509> {
    let pem = read_pem(path)?;
    X509::from_pem(&pem).map_err(|_| {
        Error::new(format!("{} is not a PEM certificate", path.display()))
            .with_hint("point at the NAME_public.crt file that `places-setup keys` wrote")
    })
}

/// Whether a PEM private key is protected by a passphrase.
pub fn is_encrypted(pem: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pem);
    text.contains("BEGIN ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")
}

/// Reads and checks a private key: readable, PEM, RSA of at least 2048 bits.
pub fn load_private_key(path: &Path, passphrase: Option<&SecretString>) -> Result<PKey<Private>> {
    let pem = read_pem(path)?;
    let key = if is_encrypted(&pem) {
        let Some(passphrase) = passphrase else {
            return Err(Error::new(format!(
                "{} is encrypted and no passphrase was given",
                path.display()
            ))
            .with_hint(
                "set PLACES_SETUP_KEY_PASSPHRASE, or run from a terminal to be asked for it",
            ));
        };
        PKey::private_key_from_pem_passphrase(&pem, passphrase.expose_secret().as_bytes()).map_err(
            |_| {
                Error::new(format!(
                    "cannot decrypt {}: wrong passphrase?",
                    path.display()
                ))
                .with_hint("check the passphrase (PLACES_SETUP_KEY_PASSPHRASE)")
            },
        )?
    } else {
        PKey::private_key_from_pem(&pem).map_err(|_| {
            Error::new(format!("{} is not a PEM private key", path.display()))
                .with_hint("point at the NAME_private.key file that `places-setup keys` (or openssl req) wrote")
        })?
    };
    match key.rsa() {
        Ok(rsa) if rsa.size() * 8 >= KEY_BITS => Ok(key),
        Ok(rsa) => Err(Error::new(format!(
            "{} is a {}-bit RSA key; Adobe needs at least {KEY_BITS} bits",
            path.display(),
            rsa.size() * 8
        ))
        .with_hint("make a new pair with `places-setup keys`")),
        Err(_) => Err(Error::new(format!(
            "{} is not an RSA key; Adobe signs JWTs with RS256",
            path.display()
        ))
        .with_hint("make an RSA pair with `places-setup keys`")),
    }
}

/// Whether the certificate carries this private key's public half.
pub fn key_matches(key: &PKey<Private>, certificate: &X509) -> bool {
    certificate
        .public_key()
        .map(|public| public.public_eq(key))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide_subject() -> Subject {
        Subject::new(
            [
                "us",
                "California",
                "San Jose",
                "Places",
                "Engineering",
                "places.com",
                "poi@places.com",
            ],
            "x",
        )
        .unwrap()
    }

    #[test]
    fn subject_fields_are_checked_with_the_field_named() {
        assert_eq!(guide_subject().get(Field::Country), "US");
        let cases = [
            (["USA", "", "", "", "", "", ""], "Country"),
            (["1A", "", "", "", "", "", ""], "Country"),
            (["", "", "", &"o".repeat(65), "", "", ""], "Organization"),
            (
                ["", "", "", "", &"u".repeat(65), "", ""],
                "Organizational Unit",
            ),
            (["", "", "", "", "", &"c".repeat(65), ""], "Common Name"),
            (["", &"s".repeat(129), "", "", "", "", ""], "State"),
            (["", "", &"l".repeat(129), "", "", "", ""], "Locality"),
            (["", "", "", "", "", "", "poi"], "Email"),
            (["", "", "", "", "", "", "pöi@places.com"], "Email"),
            (["", "", "", "", "", "", "a@b"], "Email"),
            (["", "", "", "", "", "a\u{7}b", ""], "Common Name"),
        ];
        for (values, field) in cases {
            let err = Subject::new(values, "x").unwrap_err();
            assert!(err.message.starts_with(field), "{values:?}: {err:?}");
            assert_eq!(err.exit_code(), 2);
        }
        assert!(Subject::new(["", "", "", &"o".repeat(64), "", "", ""], "x").is_ok());
        assert!(Subject::new(["", "", "", "", "", "", "a.b@c.d"], "x").is_ok());
    }

    #[test]
    fn empty_subject_falls_back_to_the_name() {
        let s = Subject::new([""; 7], "places_integration_test").unwrap();
        assert_eq!(s.one_line(), "CN=places_integration_test");
    }

    #[test]
    fn certificate_is_shaped_like_openssl_req() {
        let key = generate_key().unwrap();
        let cert = self_signed(&key, &guide_subject(), 365).unwrap();
        assert_eq!(cert.version(), 2);
        assert!(key_matches(&key, &cert));
        let other = generate_key().unwrap();
        assert!(!key_matches(&other, &cert));
        let days = expiry(&cert)
            .duration_since(SystemTime::now())
            .unwrap()
            .as_secs()
            / 86_400;
        assert!((364..=365).contains(&days), "{days}");
        assert_eq!(fingerprint(&cert).len(), 32 * 3 - 1);
        let text = String::from_utf8(cert.to_text().unwrap()).unwrap();
        assert!(text.contains("sha256WithRSAEncryption"));
        assert!(text.contains("CA:TRUE"));
        assert!(text.contains("Subject Key Identifier"));
    }

    #[test]
    fn the_subject_is_read_back_from_a_certificate() {
        let key = generate_key().unwrap();
        let cert = self_signed(&key, &guide_subject(), 1).unwrap();
        assert_eq!(
            Subject::from_certificate(&cert, "x").unwrap(),
            guide_subject()
        );
    }

    #[test]
    fn an_encrypted_key_opens_with_its_passphrase_only() {
        let dir = tempfile::tempdir().unwrap();
        let key = generate_key().unwrap();
        let cert = self_signed(&key, &guide_subject(), 1).unwrap();
        let passphrase = SecretString::from("correct horse".to_string());
        let written = write_pair_protected(
            dir.path(),
            "enc",
            &key,
            &cert,
            false,
            SystemTime::now(),
            Some(&passphrase),
        )
        .unwrap();
        let pem = std::fs::read(&written.paths.private_key).unwrap();
        assert!(is_encrypted(&pem));
        let back = load_private_key(&written.paths.private_key, Some(&passphrase)).unwrap();
        assert!(back.public_eq(&key));
        let wrong = SecretString::from("wrong".to_string());
        assert!(load_private_key(&written.paths.private_key, Some(&wrong)).is_err());
        assert!(load_private_key(&written.paths.private_key, None).is_err());
    }

    #[test]
    fn encrypted_keys_are_detected() {
        assert!(is_encrypted(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assert!(!is_encrypted(b"-----BEGIN PRIVATE KEY-----\n"));
    }
}
