//! The certificate authorities HTTPS trusts on Linux, loaded quickly.
//!
//! The same set, from the same places, as rustls-platform-verifier takes there through
//! rustls-native-certs: `SSL_CERT_FILE` and the folders of `SSL_CERT_DIR` when either is set,
//! else the distribution's bundle and folder that openssl-probe finds; the same verifier too
//! (webpki). What differs is the decoding: rustls-native-certs reads PEM with a constant-time
//! base64 decoder, made for private keys, and on Debian-like systems reads each certificate twice
//! (the bundle and the folder hold the same ones): about 60 k instructions a certificate, 17 to
//! 26 M of a fresh token's 23 to 34 M (bench/README.md). Certificates are public, so the `base64`
//! crate's table-driven decoder decodes them here, and each is made a trust anchor once. And
//! nothing is read before a certificate is to be verified, the folders only when the bundle does
//! not verify it (`Lazy`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// A reqwest client builder trusting the system's CAs, loaded as below.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().tls_backend_preconfigured(client_config())
}

/// A TLS client configuration trusting the system's CAs, read when the first certificate is to be
/// verified, not before: a client that only ever speaks plain `http://` to loopback (the
/// emulator) never reads them, and one that does pays once.
pub fn client_config() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(Lazy {
        provider: provider.clone(),
        locations: OnceLock::new(),
        bundle: OnceLock::new(),
        all: OnceLock::new(),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        // Not a weaker verifier: `Lazy` hands every check to webpki's, built from the system's CAs.
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // reqwest is built for HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

type Verifier = Arc<WebPkiServerVerifier>;

/// webpki's verifier over the system's CAs, made on first use, in OpenSSL's order: the bundle
/// first (one file, what a distribution keeps every CA in); the folders — on Debian-like systems
/// ~290 entries, one file a CA, the same CAs again — only when the bundle alone does not verify
/// the server, as OpenSSL looks in its hashed folder only for an issuer it has not found. The CAs
/// trusted are the same; a certificate placed in the folder without rebuilding the bundle is
/// still found.
#[derive(Debug)]
struct Lazy {
    provider: Arc<rustls::crypto::CryptoProvider>,
    locations: OnceLock<(Option<PathBuf>, Vec<PathBuf>)>,
    /// `None` when there is no bundle, or nothing in it.
    bundle: OnceLock<Option<Verifier>>,
    /// The bundle and the folders.
    all: OnceLock<Result<Verifier, String>>,
}

impl Lazy {
    fn locations(&self) -> &(Option<PathBuf>, Vec<PathBuf>) {
        self.locations.get_or_init(locations)
    }

    fn verifier(&self, roots: rustls::RootCertStore) -> Result<Verifier, String> {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
            .build()
            .map_err(|e| e.to_string())
    }

    fn bundle(&self) -> Option<&Verifier> {
        self.bundle
            .get_or_init(|| {
                let file = self.locations().0.as_deref()?;
                let (roots, _) = load(Some(file), &[]);
                if roots.is_empty() {
                    return None;
                }
                self.verifier(roots).ok()
            })
            .as_ref()
    }

    fn all(&self) -> Result<&Verifier, rustls::Error> {
        self.all
            .get_or_init(|| {
                let (file, dirs) = self.locations();
                let (roots, skipped) = load(file.as_deref(), dirs);
                if roots.is_empty() {
                    let places: Vec<String> = file
                        .iter()
                        .chain(dirs)
                        .map(|p| p.display().to_string())
                        .collect();
                    return Err(format!(
                        "no trusted certificate authorities could be read (looked in: {}); \
                         install the ca-certificates package or set SSL_CERT_FILE",
                        if places.is_empty() {
                            "nowhere found".to_string()
                        } else {
                            places.join(", ")
                        }
                    ) + &skipped
                        .iter()
                        .map(|why| format!("; {why}"))
                        .collect::<String>());
                }
                self.verifier(roots)
            })
            .as_ref()
            .map_err(|e| rustls::Error::General(e.clone()))
    }
}

impl ServerCertVerifier for Lazy {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verify = |v: &Verifier| {
            v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        };
        if let Some(bundle) = self.bundle() {
            let verified = verify(bundle);
            // With no folder to look in, the bundle's answer is the whole answer.
            if verified.is_ok() || self.locations().1.is_empty() {
                return verified;
            }
        }
        verify(self.all()?)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Where the CAs are read from and how many usable certificates they hold, as a client here
/// would load them, in words (`doctor` shows it).
pub fn summary() -> String {
    let (file, dirs) = locations();
    let (roots, _) = load(file.as_deref(), &dirs);
    let mut places: Vec<String> = file.iter().map(|f| f.display().to_string()).collect();
    places.extend(dirs.iter().map(|d| format!("{}/", d.display())));
    if places.is_empty() {
        "no CA store found".to_string()
    } else {
        format!("{} CAs from {}", roots.len(), places.join(" and "))
    }
}

/// Where the CAs are: as rustls-native-certs decides.
fn locations() -> (Option<PathBuf>, Vec<PathBuf>) {
    let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let dirs: Vec<PathBuf> = std::env::var_os("SSL_CERT_DIR")
        .map(|dirs| {
            std::env::split_paths(&dirs)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if file.is_some() || !dirs.is_empty() {
        return (file, dirs);
    }
    let probed = openssl_probe::probe();
    (probed.cert_file, probed.cert_dir)
}

/// Every certificate of the file and of the files in the folders, each file read once (the
/// folders hold symlinks to the same files under several names), each certificate decoded once
/// (the bundle and the folder hold the same ones, written the same way).
/// Also returns why a regular file was not read (too large), for the error when no CA is found.
fn load(file: Option<&Path>, dirs: &[PathBuf]) -> (rustls::RootCertStore, Vec<String>) {
    let mut seen_files = HashSet::new();
    let mut texts = Vec::new();
    let mut skipped = Vec::new();
    let mut read = |path: &Path| {
        use std::os::unix::fs::MetadataExt;
        // Unreadable entries are skipped, as rustls-native-certs skips them (it only logs them).
        let Ok(metadata) = std::fs::metadata(path) else {
            return;
        };
        // Capped as every named file is: a bundle is a few hundred KiB, and SSL_CERT_FILE may
        // name anything (a 2 GB file was once read whole).
        if metadata.is_file() && seen_files.insert((metadata.dev(), metadata.ino())) {
            match crate::store::atomic::read_given(path, MAX_CA_FILE, "CA file") {
                Ok(text) => texts.push(text),
                Err(e) if metadata.len() > MAX_CA_FILE => skipped.push(e.message),
                Err(_) => {}
            }
        }
    };
    if let Some(file) = file {
        read(file);
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            read(&entry.path());
        }
    }
    let mut bodies: Vec<&[u8]> = texts.iter().flat_map(|t| pem_bodies(t)).collect();
    bodies.sort_unstable();
    bodies.dedup();
    let mut ders: Vec<Vec<u8>> = bodies.into_iter().filter_map(decode).collect();
    ders.sort_unstable();
    ders.dedup();
    let mut roots = rustls::RootCertStore::empty();
    // As the platform verifier does: a certificate webpki cannot use is left out, not fatal.
    roots.add_parsable_certificates(ders.into_iter().map(Into::into));
    (roots, skipped)
}

/// The largest CA file read (a distribution's bundle is about 200 KiB).
const MAX_CA_FILE: u64 = 16 * 1024 * 1024;

const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
const END: &[u8] = b"-----END CERTIFICATE-----";

/// What lies between the markers of each `CERTIFICATE` block of a PEM text; other blocks (keys,
/// CRLs, `TRUSTED CERTIFICATE`) and text between blocks are passed over.
fn pem_bodies(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = memchr::memmem::find(rest, BEGIN) {
        let body = &rest[start + BEGIN.len()..];
        let Some(end) = memchr::memmem::find(body, END) else {
            break;
        };
        out.push(&body[..end]);
        rest = &body[end + END.len()..];
    }
    out
}

/// The DER of a block's base64, or `None` (the block is skipped) when it is not base64. Lines
/// (LF or CRLF) are trimmed of white space and joined; anything else not base64, non-ASCII bytes
/// included, makes the block unreadable.
fn decode(body: &[u8]) -> Option<Vec<u8>> {
    let mut base64 = Vec::with_capacity(body.len());
    for line in body.split(|&b| b == b'\n') {
        base64.extend_from_slice(line.trim_ascii());
    }
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, base64)
        .ok()
        .filter(|der| !der.is_empty())
}

/// The DER of each `CERTIFICATE` block of a PEM text.
#[cfg(test)]
fn pem_certificates(text: &[u8]) -> Vec<Vec<u8>> {
    pem_bodies(text).into_iter().filter_map(decode).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new self-signed certificate (a new random serial each time, on one key), PEM and DER.
    fn certificate() -> (String, Vec<u8>) {
        static KEY: std::sync::OnceLock<crate::cert::PrivateKey> = std::sync::OnceLock::new();
        let key = KEY.get_or_init(|| crate::cert::generate_key().unwrap());
        let now = std::time::SystemTime::now();
        let day = std::time::Duration::from_secs(86_400);
        let cert = crate::cert::self_signed_between(key, "test CA", now, now + day).unwrap();
        (cert.to_pem(), cert.to_der().to_vec())
    }

    #[test]
    fn reads_every_certificate_block_and_nothing_else() {
        let (pem, der) = certificate();
        let crlf = pem.replace('\n', "\r\n");
        let text = format!(
            "# a comment\n{pem}junk between\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n{crlf}\
             -----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA"
        );
        assert_eq!(pem_certificates(text.as_bytes()), vec![der.clone(), der]);
        assert!(pem_certificates(b"").is_empty());
    }

    #[test]
    fn the_same_as_the_pem_parser_of_rustls_on_a_bundle() {
        use rustls::pki_types::pem::PemObject;
        let bundle: String = (0..3).map(|_| certificate().0).collect();
        let theirs: Vec<Vec<u8>> =
            rustls::pki_types::CertificateDer::pem_slice_iter(bundle.as_bytes())
                .map(|c| c.unwrap().to_vec())
                .collect();
        assert_eq!(pem_certificates(bundle.as_bytes()), theirs);
    }

    #[test]
    fn a_file_and_a_folder_holding_the_same_certificates_give_each_once() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = certificate();
        let (b, _) = certificate();
        let bundle = dir.path().join("bundle.crt");
        std::fs::write(&bundle, format!("{a}{b}")).unwrap();
        let folder = dir.path().join("certs");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("a.pem"), &a).unwrap();
        std::os::unix::fs::symlink(folder.join("a.pem"), folder.join("1234abcd.0")).unwrap();
        std::os::unix::fs::symlink(&bundle, folder.join("bundle.crt")).unwrap();
        std::fs::write(folder.join("not-a-certificate.txt"), "hello").unwrap();
        assert_eq!(
            load(Some(&bundle), std::slice::from_ref(&folder)).0.len(),
            2
        );
        assert_eq!(load(None, &[folder]).0.len(), 2);
        assert_eq!(load(Some(&dir.path().join("missing")), &[]).0.len(), 0);
    }
}
