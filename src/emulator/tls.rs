//! HTTPS for the emulator, so that benchmarks measure what every real token exchange pays: the TLS
//! handshake and the verification of IMS's certificate. A throw-away certificate authority is made at
//! start, with a certificate for 127.0.0.1 and localhost signed by it; clients trust the CA through
//! `SSL_CERT_FILE`. Its private key exists only in this process's memory and dies with it.
//!
//! P-256 keys rather than RSA: made in well under a millisecond, so the server is ready as soon as
//! plain HTTP would be.

use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::cert::{self, Certificate};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::X509Name;
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// What the server needs (the acceptor) and what clients need (the CA certificate, PEM).
pub(super) struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

impl Tls {
    pub(super) fn new() -> io::Result<Tls> {
        let ca = authority().map_err(io::Error::other)?;
        let (leaf, leaf_key) = server_certificate(&ca).map_err(io::Error::other)?;
        let ca_pem = ca.certificate.to_pem();
        let pkcs8 = leaf_key.private_key_to_pkcs8().map_err(io::Error::other)?;
        let key = PrivatePkcs8KeyDer::from(pkcs8);
        let chain = vec![CertificateDer::from(leaf.to_der().to_vec())];
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(chain, PrivateKeyDer::Pkcs8(key))
            .map_err(io::Error::other)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            ca_pem,
        })
    }
}

fn e(error: impl std::fmt::Display) -> String {
    error.to_string()
}

fn p256() -> Result<PKey<Private>, String> {
    PKey::ec_gen("prime256v1").map_err(e)
}

fn name(common_name: &str) -> Result<X509Name, String> {
    cert::name(&[(Nid::COMMONNAME, common_name)])
}

struct Authority {
    certificate: Certificate,
    name: X509Name,
    key: PKey<Private>,
}

/// Valid from now for a day, with a random serial, signed ecdsa-with-SHA256.
const VALIDITY: Duration = Duration::from_secs(86_400);

fn authority() -> Result<Authority, String> {
    let key = p256()?;
    let subject = name("places-setup emulator throw-away CA")?;
    let now = SystemTime::now();
    let mut builder =
        cert::certificate_builder(127, &subject, &subject, now, now + VALIDITY, &key)?;
    builder
        .append_extension(BasicConstraints::new().critical().ca().build().map_err(e)?)
        .map_err(e)?;
    builder
        .append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
    let certificate = cert::sign_certificate(builder, &key)?;
    Ok(Authority {
        certificate,
        name: subject,
        key,
    })
}

fn server_certificate(ca: &Authority) -> Result<(Certificate, PKey<Private>), String> {
    let key = p256()?;
    let now = SystemTime::now();
    let subject = name("127.0.0.1")?;
    let mut builder =
        cert::certificate_builder(127, &subject, &ca.name, now, now + VALIDITY, &key)?;
    builder
        .append_extension(BasicConstraints::new().critical().build().map_err(e)?)
        .map_err(e)?;
    builder
        .append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
    builder
        .append_extension(ExtendedKeyUsage::new().server_auth().build().map_err(e)?)
        .map_err(e)?;
    let names = SubjectAlternativeName::new()
        .ip("127.0.0.1")
        .dns("localhost")
        .build(&builder.x509v3_context(None, None))
        .map_err(e)?;
    builder.append_extension(names).map_err(e)?;
    let leaf = cert::sign_certificate(builder, &ca.key)?;
    Ok((leaf, key))
}
