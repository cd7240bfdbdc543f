//! The key pair the guide makes with `openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048`:
//! the certificate subject (a validated value), the RSA key, the self-signed certificate, and the files.
//!
//! All of it on OpenSSL, the library the guide's command runs (`cert/`): the same key generation,
//! the same certificate and the same file formats.
use crate::error::{Error, Result};
use crate::store::atomic;
use openssl::nid::Nid;
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use zeroize::Zeroizing;

mod der;
mod key;
mod pem;
mod x509;

pub(crate) use key::Signer;
pub use key::{PrivateKey, verify_rs256, verify_rs256_components};
pub(crate) use pem::{
    LENIENT as BASE64_LENIENT, URL as BASE64_URL, URL_LENIENT as BASE64_URL_LENIENT,
};
pub use x509::Certificate;
pub(crate) use x509::{builder as certificate_builder, name, sign as sign_certificate};

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

    fn nid(self) -> Nid {
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
                        "use a code such as US, DE or JP (ISO 3166)",
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
    pub fn from_certificate(
        certificate: &Certificate,
        fallback_common_name: &str,
    ) -> Result<Subject> {
        let values =
            Field::ALL.map(|field| certificate.subject_value(field.nid()).unwrap_or_default());
        Subject::new(values.each_ref().map(String::as_str), fallback_common_name)
    }

    /// `C=US, ST=California, …` as OpenSSL prints it, for messages; a value's `,` `+` and the
    /// other characters RFC 4514 escapes are escaped, so each field reads apart from the next.
    pub fn one_line(&self) -> String {
        let short = ["C", "ST", "L", "O", "OU", "CN", "emailAddress"];
        self.values
            .iter()
            .zip(short)
            .filter(|(v, _)| !v.is_empty())
            .map(|(v, s)| format!("{s}={}", escape_dn_value(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A distinguished name's value as RFC 4514 writes it: `"` `+` `,` `;` `<` `>` `\\` escaped
/// with a backslash, and a leading `#` or space and a trailing space.
fn escape_dn_value(value: &str) -> String {
    let last = value.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
pub fn generate_key() -> Result<PrivateKey> {
    PrivateKey::generate(KEY_BITS as usize)
        .map_err(|e| Error::new(format!("RSA key generation failed: {e}")))
}

/// A self-signed X.509 v3 certificate as `openssl req -x509 -sha256` makes it: a random positive
/// serial of up to 159 bits, the subject as issuer, valid from now for `days`, the subject and
/// authority key identifiers and a critical `CA:TRUE`, signed with SHA-256.
pub fn self_signed(key: &PrivateKey, subject: &Subject, days: u32) -> Result<Certificate> {
    build_self_signed(key, subject, days)
        .map_err(|e| Error::new(format!("cannot build the certificate: {e}")))
}

fn build_self_signed(
    key: &PrivateKey,
    subject: &Subject,
    days: u32,
) -> std::result::Result<Certificate, String> {
    use openssl::x509::extension::{
        AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier,
    };
    let entries: Vec<(Nid, &str)> = Field::ALL
        .into_iter()
        .filter(|field| !subject.get(*field).is_empty())
        .map(|field| (field.nid(), subject.get(field)))
        .collect();
    let name = name(&entries)?;
    let now = SystemTime::now();
    let not_after = now + Duration::from_secs(u64::from(days) * 86_400);
    let mut builder = certificate_builder(159, &name, &name, now, not_after, key.pkey())?;
    // openssl.cnf's [v3_ca], which `openssl req -x509` applies: subjectKeyIdentifier=hash,
    // authorityKeyIdentifier=keyid:always,issuer, basicConstraints=critical,CA:true. The
    // issuer part is left out when the key identifier is there, as OpenSSL does for a
    // self-signed certificate.
    let skid = SubjectKeyIdentifier::new()
        .build(&builder.x509v3_context(None, None))
        .map_err(x509::e)?;
    builder.append_extension(skid).map_err(x509::e)?;
    let akid = AuthorityKeyIdentifier::new()
        .keyid(true)
        .issuer(false)
        .build(&builder.x509v3_context(None, None))
        .map_err(x509::e)?;
    builder.append_extension(akid).map_err(x509::e)?;
    let constraints = BasicConstraints::new()
        .critical()
        .ca()
        .build()
        .map_err(x509::e)?;
    builder.append_extension(constraints).map_err(x509::e)?;
    sign_certificate(builder, key.pkey())
}

/// A plain self-signed certificate for `key` with this common name and validity, for tests and
/// the emulator.
pub(crate) fn self_signed_between(
    key: &PrivateKey,
    common_name: &str,
    not_before: SystemTime,
    not_after: SystemTime,
) -> std::result::Result<Certificate, String> {
    let name = name(&[(Nid::COMMONNAME, common_name)])?;
    let builder = certificate_builder(64, &name, &name, not_before, not_after, key.pkey())?;
    sign_certificate(builder, key.pkey())
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
    key: &PrivateKey,
    certificate: &Certificate,
    replace: bool,
    now: SystemTime,
) -> Result<Written> {
    write_pair_protected(dir, name, key, certificate, replace, now, None)
}

/// A private key as encrypted PKCS#8 PEM: PBES2 with PBKDF2 (HMAC-SHA256, 600,000 iterations, a
/// 16-byte salt) and AES-256-CBC, what `openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000` writes.
pub fn encrypted_pem(key: &PrivateKey, passphrase: &SecretString) -> Result<Zeroizing<String>> {
    key.to_encrypted_pkcs8_pem(passphrase.expose_secret().as_bytes())
        .map_err(|e| Error::new(format!("cannot encrypt the private key: {e}")))
}

/// As [`write_pair`]; with a passphrase the key is written encrypted ([`encrypted_pem`]).
pub fn write_pair_protected(
    dir: &Path,
    name: &str,
    key: &PrivateKey,
    certificate: &Certificate,
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
            .to_pkcs8_pem()
            .map_err(|e| Error::new(format!("cannot encode the private key: {e}")))?,
    };
    let cert_pem = certificate.to_pem();
    atomic::create_dir_private(dir)?;
    let mut backups = Vec::new();
    for old in existing {
        let backup = backup_path(&old, now);
        std::fs::rename(&old, &backup).map_err(|e| Error::io("move aside", &old, &e))?;
        backups.push((old, backup));
    }
    atomic::create_new(&paths.private_key, key_pem.as_bytes(), 0o600)?;
    if let Err(e) = atomic::create_new(&paths.certificate, cert_pem.as_bytes(), 0o644) {
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
pub fn fingerprint(certificate: &Certificate) -> String {
    openssl::sha::sha256(certificate.to_der())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The certificate's notAfter as a point in time.
pub fn expiry(certificate: &Certificate) -> SystemTime {
    certificate.not_after()
}

/// A key or certificate file: a regular file of at most 1 MiB (a FIFO or a device is refused).
pub fn read_pem(path: &Path) -> Result<Vec<u8>> {
    crate::store::atomic::read_regular(path, crate::store::atomic::MAX_FILE)?.ok_or_else(|| {
        Error::io(
            "read",
            path,
            &std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        )
    })
}

/// Reads a PEM certificate a user points at.
pub fn load_certificate(path: &Path) -> Result<Certificate> {
    let pem = read_pem(path)?;
    Certificate::from_pem(&pem).ok_or_else(|| {
        Error::new(format!("{} is not a PEM certificate", path.display()))
            .with_hint("point at the NAME_public.crt file that `places-setup keys` wrote")
    })
}

/// Whether a PEM private key is protected by a passphrase.
pub fn is_encrypted(pem: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pem);
    text.contains("BEGIN ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")
}

/// Whether the key is encrypted the legacy OpenSSL way (`Proc-Type: 4,ENCRYPTED`, what
/// `openssl genrsa -aes256` wrote for years). It is read like any encrypted key.
pub fn is_legacy_encrypted(pem: &[u8]) -> bool {
    key::is_legacy_encrypted(pem)
}

/// Reads and checks a private key: readable, PEM, RSA of at least 2048 bits.
pub fn load_private_key(path: &Path, passphrase: Option<&SecretString>) -> Result<PrivateKey> {
    use key::LoadError;
    let pem = read_pem(path)?;
    let encrypted = is_encrypted(&pem);
    if encrypted && passphrase.is_none() {
        return Err(Error::new(format!(
            "{} is encrypted and no passphrase was given",
            path.display()
        ))
        .with_hint("set PLACES_SETUP_KEY_PASSPHRASE, or run from a terminal to be asked for it"));
    }
    let passphrase = passphrase.map(|p| p.expose_secret().as_bytes());
    let loaded = PrivateKey::from_pem(&pem, if encrypted { passphrase } else { None });
    match loaded {
        Ok(key) => Ok(key),
        Err(LoadError::Decrypt) => Err(Error::new(format!(
            "cannot decrypt {}: wrong passphrase?",
            path.display()
        ))
        .with_hint("check the passphrase (PLACES_SETUP_KEY_PASSPHRASE)")),
        Err(LoadError::Unsupported) => Err(Error::new(format!(
            "{} is encrypted with a scheme OpenSSL does not offer, or one that asks for more than 5,000,000 key-derivation rounds",
            path.display()
        ))
        .with_hint(convert_hint(path))),
        Err(LoadError::NotPem) => Err(Error::new(format!("{} is not a PEM private key", path.display()))
            .with_hint("point at the NAME_private.key file that `places-setup keys` (or openssl req) wrote")),
        Err(LoadError::Small(bits)) => Err(Error::new(format!(
            "{} is a {bits}-bit RSA key; Adobe needs at least {KEY_BITS} bits",
            path.display(),
        ))
        .with_hint("make a new pair with `places-setup keys`")),
        Err(LoadError::NotRsa) => Err(Error::new(format!(
            "{} is not an RSA key; Adobe signs JWTs with RS256",
            path.display()
        ))
        .with_hint("make an RSA pair with `places-setup keys`")),
    }
}

/// How to turn an encrypted key places-setup cannot read into one it can, with `openssl` (which
/// may need `-provider legacy` to read the old one).
fn convert_hint(path: &Path) -> String {
    format!(
        "convert it once to encrypted PKCS#8, then point at the new file: openssl pkcs8 -topk8 -v2 aes-256-cbc -in {} -out NEW_private.key",
        crate::places::shell_quote(&path.display().to_string())
    )
}

/// Whether the certificate carries this private key's public half.
pub fn key_matches(key: &PrivateKey, certificate: &Certificate) -> bool {
    certificate
        .rsa_public_key()
        .is_some_and(|(n, e)| key.has_public(&n, &e))
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
        let odd = Subject::new(["", "", "", "Places, Inc.", "", "a/b=c,d+e", ""], "x").unwrap();
        assert_eq!(odd.one_line(), "O=Places\\, Inc., CN=a/b=c\\,d\\+e");
    }

    /// What `openssl x509 -noout -text` prints about the certificate.
    fn openssl_text(cert: &Certificate) -> String {
        use std::io::Write;
        let mut child = std::process::Command::new("openssl")
            .args(["x509", "-noout", "-text"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("openssl is installed");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(cert.to_pem().as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
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
        let text = openssl_text(&cert);
        assert!(text.contains("sha256WithRSAEncryption"));
        assert!(text.contains("CA:TRUE"));
        assert!(text.contains("Subject Key Identifier"));
    }

    /// `openssl x509 -text` with what differs between any two certificates (serial, dates, key,
    /// key identifiers, signature) taken out.
    fn shape(text: &str) -> String {
        let mut out = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("Not Before") || trimmed.starts_with("Not After") {
                out.push(trimmed.split(':').next().unwrap_or_default().to_string());
                continue;
            }
            let words: Vec<&str> = trimmed.split(' ').collect();
            let hex = |w: &str| {
                let w = w.trim_start_matches("keyid:").trim_end_matches(':');
                !w.is_empty()
                    && w.split(':')
                        .all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()))
            };
            if words.iter().all(|w| hex(w)) {
                continue;
            }
            let kept: Vec<&str> = words.into_iter().filter(|w| !hex(w)).collect();
            out.push(kept.join(" "));
        }
        out.join("\n")
    }

    #[test]
    fn the_certificate_is_what_openssl_req_makes_with_the_guides_flags() {
        let dir = tempfile::tempdir().unwrap();
        let subject = guide_subject();
        let subj = format!(
            "/C={}/ST={}/L={}/O={}/OU={}/CN={}/emailAddress={}",
            subject.get(Field::Country),
            subject.get(Field::State),
            subject.get(Field::Locality),
            subject.get(Field::Organization),
            subject.get(Field::Unit),
            subject.get(Field::CommonName),
            subject.get(Field::Email)
        );
        let status = std::process::Command::new("openssl")
            .args(["req", "-x509", "-sha256", "-nodes", "-days", "365"])
            .args(["-newkey", "rsa:2048", "-subj", &subj])
            .arg("-keyout")
            .arg(dir.path().join("k.pem"))
            .arg("-out")
            .arg(dir.path().join("c.pem"))
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let theirs =
            Certificate::from_pem(&std::fs::read(dir.path().join("c.pem")).unwrap()).unwrap();
        let key = generate_key().unwrap();
        let ours = self_signed(&key, &subject, 365).unwrap();
        let (ours_text, theirs_text) = (openssl_text(&ours), openssl_text(&theirs));
        assert!(
            ours_text.contains("Subject: C = US, ST = California"),
            "{ours_text}"
        );
        assert!(ours_text.contains("CA:TRUE"), "{ours_text}");
        let shape_ours = shape(&ours_text);
        assert!(
            shape_ours.contains("X509v3 Authority Key Identifier"),
            "{shape_ours}"
        );
        assert!(shape_ours.contains("Exponent: 65537"), "{shape_ours}");
        assert_eq!(shape_ours, shape(&theirs_text));
        // The same string types too, which -text does not show.
        let asn1 = |c: &Certificate| {
            let mut child = std::process::Command::new("openssl")
                .args(["asn1parse", "-inform", "DER"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child.stdin.take().unwrap().write_all(c.to_der()).unwrap();
            let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
            out.lines()
                .filter(|l| l.contains("STRING") && !l.contains("OCTET") && !l.contains("BIT"))
                .map(|l| l.split_once("prim:").unwrap().1.trim().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(asn1(&ours), asn1(&theirs));
        let validity = |c: &Certificate| {
            let x = c.x509();
            x.not_before().diff(x.not_after()).unwrap().days
        };
        assert_eq!(validity(&ours), 365);
        assert_eq!(validity(&theirs), 365);
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

    /// Every encrypted form `openssl` writes opens with its passphrase: what earlier versions of
    /// places-setup wrote (PBKDF2 of 2,048 rounds, 8 bytes of salt: OpenSSL 3.0's default), scrypt,
    /// and the legacy `Proc-Type: 4,ENCRYPTED` of `openssl genrsa -aes256`.
    #[test]
    fn the_encrypted_forms_openssl_writes_open() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.pem");
        let run = |args: &[&str]| {
            let out = std::process::Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(out.status.success(), "{args:?}");
        };
        run(&["genpkey", "-algorithm", "RSA", "-out", "plain.pem"]);
        let plain_key = load_private_key(&plain, None).unwrap();
        let forms: [(&str, &[&str]); 4] = [
            ("earlier.pem", &["pkcs8", "-topk8", "-v2", "aes-256-cbc"]),
            ("scrypt.pem", &["pkcs8", "-topk8", "-scrypt"]),
            ("legacy.pem", &["rsa", "-aes256", "-traditional"]),
            ("legacy3des.pem", &["rsa", "-des3", "-traditional"]),
        ];
        let pass = SecretString::from("pw".to_string());
        let wrong = SecretString::from("px".to_string());
        for (file, args) in forms {
            let mut full = args.to_vec();
            full.extend(["-in", "plain.pem", "-passout", "pass:pw", "-out", file]);
            run(&full);
            let path = dir.path().join(file);
            assert!(is_encrypted(&std::fs::read(&path).unwrap()), "{file}");
            let key = load_private_key(&path, Some(&pass)).unwrap();
            assert!(key.public_eq(&plain_key), "{file}");
            let err = load_private_key(&path, Some(&wrong)).unwrap_err();
            assert!(err.message.contains("cannot decrypt"), "{file}: {err:?}");
            let err = load_private_key(&path, None).unwrap_err();
            assert!(err.message.contains("no passphrase"), "{file}: {err:?}");
        }
    }

    #[test]
    fn a_key_asking_for_endless_rounds_is_not_tried() {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("openssl")
            .args(["genpkey", "-algorithm", "RSA", "-out", "plain.pem"])
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let status = std::process::Command::new("openssl")
            .args(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-iter", "5000001"])
            .args([
                "-in",
                "plain.pem",
                "-passout",
                "pass:pw",
                "-out",
                "slow.pem",
            ])
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let pass = SecretString::from("pw".to_string());
        let err = load_private_key(&dir.path().join("slow.pem"), Some(&pass)).unwrap_err();
        assert!(err.message.contains("5,000,000"), "{err:?}");
    }

    #[test]
    fn encrypted_keys_are_detected() {
        assert!(is_encrypted(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assert!(!is_encrypted(b"-----BEGIN PRIVATE KEY-----\n"));
    }
}
