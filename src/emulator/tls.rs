//! HTTPS for the emulator, so that benchmarks measure what every real token exchange pays: the TLS
//! handshake and the verification of IMS's certificate. A throw-away certificate authority is made at
//! start, with a certificate for 127.0.0.1 and localhost signed by it; clients trust the CA through
//! `SSL_CERT_FILE`. Its private key exists only in this process's memory and dies with it.
//!
//! P-256 keys rather than RSA: made in well under a millisecond, so the server is ready as soon as
//! plain HTTP would be.

use std::io;
use std::sync::Arc;

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509, X509Builder, X509Name, X509NameBuilder, X509NameRef};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// What the server needs (the acceptor) and what clients need (the CA certificate, PEM).
pub(super) struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_pem: String,
}

impl Tls {
    pub(super) fn new() -> io::Result<Tls> {
        let (ca, ca_key) = authority().map_err(io::Error::other)?;
        let (leaf, leaf_key) = server_certificate(&ca, &ca_key).map_err(io::Error::other)?;
        let ca_pem =
            String::from_utf8(ca.to_pem().map_err(io::Error::other)?).map_err(io::Error::other)?;
        let key =
            PrivatePkcs8KeyDer::from(leaf_key.private_key_to_pkcs8().map_err(io::Error::other)?);
        let chain = vec![CertificateDer::from(
            leaf.to_der().map_err(io::Error::other)?,
        )];
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

fn p256() -> Result<PKey<Private>, ErrorStack> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    PKey::from_ec_key(EcKey::generate(&group)?)
}

fn name(common_name: &str) -> Result<X509Name, ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_nid(Nid::COMMONNAME, common_name)?;
    Ok(name.build())
}

/// A certificate for `key`, valid from now for a day, with a random serial.
fn builder(subject: &X509NameRef, key: &PKey<Private>) -> Result<X509Builder, ErrorStack> {
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    builder.set_serial_number(serial.to_asn1_integer()?.as_ref())?;
    builder.set_subject_name(subject)?;
    builder.set_pubkey(key)?;
    builder.set_not_before(Asn1Time::days_from_now(0)?.as_ref())?;
    builder.set_not_after(Asn1Time::days_from_now(1)?.as_ref())?;
    Ok(builder)
}

fn authority() -> Result<(X509, PKey<Private>), ErrorStack> {
    let key = p256()?;
    let subject = name("places-setup emulator throw-away CA")?;
    let mut ca = builder(&subject, &key)?;
    ca.set_issuer_name(&subject)?;
    ca.append_extension(BasicConstraints::new().critical().ca().build()?)?;
    ca.append_extension(
        KeyUsage::new()
            .critical()
            .key_cert_sign()
            .crl_sign()
            .build()?,
    )?;
    ca.sign(&key, MessageDigest::sha256())?;
    Ok((ca.build(), key))
}

fn server_certificate(
    ca: &X509,
    ca_key: &PKey<Private>,
) -> Result<(X509, PKey<Private>), ErrorStack> {
    let key = p256()?;
    let mut leaf = builder(&*name("127.0.0.1")?, &key)?;
    leaf.set_issuer_name(ca.subject_name())?;
    leaf.append_extension(BasicConstraints::new().critical().build()?)?;
    leaf.append_extension(KeyUsage::new().critical().digital_signature().build()?)?;
    leaf.append_extension(ExtendedKeyUsage::new().server_auth().build()?)?;
    let names = SubjectAlternativeName::new()
        .ip("127.0.0.1")
        .dns("localhost")
        .build(&leaf.x509v3_context(Some(ca), None))?;
    leaf.append_extension(names)?;
    leaf.sign(ca_key, MessageDigest::sha256())?;
    Ok((leaf.build(), key))
}
