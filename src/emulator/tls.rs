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

use crate::cert::{self, Certificate, StringKind, Template};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;
use x509_cert::der::asn1::{Ia5String, OctetString};
use x509_cert::der::{Encode, oid::ObjectIdentifier};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName,
};
use x509_cert::name::Name;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

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
        let key = PrivatePkcs8KeyDer::from(leaf_key.pkcs8);
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

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// A P-256 key: its PKCS#8 (for rustls), ring's key pair (to sign), and its public key as a
/// certificate carries it.
struct P256 {
    pkcs8: Vec<u8>,
    pair: EcdsaKeyPair,
    spki_der: Vec<u8>,
}

fn p256() -> Result<P256, String> {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
        .map_err(|e| e.to_string())?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
        .map_err(|e| e.to_string())?;
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ID_EC_PUBLIC_KEY,
            parameters: Some(
                x509_cert::der::Any::encode_from(&PRIME256V1).map_err(|e| e.to_string())?,
            ),
        },
        subject_public_key: x509_cert::der::asn1::BitString::from_bytes(pair.public_key().as_ref())
            .map_err(|e| e.to_string())?,
    };
    Ok(P256 {
        pkcs8: pkcs8.as_ref().to_vec(),
        pair,
        spki_der: spki.to_der().map_err(|e| e.to_string())?,
    })
}

fn name(common_name: &str) -> Result<Name, String> {
    cert::name(&[(
        ObjectIdentifier::new_unwrap("2.5.4.3"),
        StringKind::Utf8,
        common_name,
    )])
}

/// A certificate for the key `spki_der`, valid from now for a day, with a random serial, signed
/// by `issuer_key` (ecdsa-with-SHA256).
fn certificate(
    subject: Name,
    issuer: Name,
    spki_der: Vec<u8>,
    extensions: Vec<x509_cert::ext::Extension>,
    issuer_key: &P256,
) -> Result<Certificate, String> {
    let now = SystemTime::now();
    let template = Template {
        serial: cert::random_serial(127)?,
        not_before: now,
        not_after: now + Duration::from_secs(86_400),
        subject,
        issuer,
        spki_der,
        extensions,
    };
    let rng = SystemRandom::new();
    let sign = |tbs: &[u8]| -> Result<Vec<u8>, String> {
        issuer_key
            .pair
            .sign(&rng, tbs)
            .map(|s| s.as_ref().to_vec())
            .map_err(|e| e.to_string())
    };
    let signer = cert::CertSigner {
        algorithm: AlgorithmIdentifierOwned {
            oid: cert::ECDSA_WITH_SHA256,
            parameters: None,
        },
        spki_der: issuer_key.spki_der.clone(),
        sign: &sign,
    };
    cert::build_certificate(template, &signer)
}

struct Authority {
    certificate: Certificate,
    name: Name,
    key: P256,
}

fn authority() -> Result<Authority, String> {
    let key = p256()?;
    let subject = name("places-setup emulator throw-away CA")?;
    let extensions = vec![
        cert::ca_constraints()?,
        cert::extension(
            ObjectIdentifier::new_unwrap("2.5.29.15"),
            true,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )?,
    ];
    let certificate = certificate(
        subject.clone(),
        subject.clone(),
        key.spki_der.clone(),
        extensions,
        &key,
    )?;
    Ok(Authority {
        certificate,
        name: subject,
        key,
    })
}

fn server_certificate(ca: &Authority) -> Result<(Certificate, P256), String> {
    let key = p256()?;
    let server_auth = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
    let names = SubjectAltName(vec![
        GeneralName::IpAddress(OctetString::new([127, 0, 0, 1]).map_err(|e| e.to_string())?),
        GeneralName::DnsName(Ia5String::new("localhost").map_err(|e| e.to_string())?),
    ]);
    let extensions = vec![
        cert::extension(
            ObjectIdentifier::new_unwrap("2.5.29.19"),
            true,
            &BasicConstraints {
                ca: false,
                path_len_constraint: None,
            },
        )?,
        cert::extension(
            ObjectIdentifier::new_unwrap("2.5.29.15"),
            true,
            &KeyUsage(KeyUsages::DigitalSignature.into()),
        )?,
        cert::extension(
            ObjectIdentifier::new_unwrap("2.5.29.37"),
            false,
            &ExtendedKeyUsage(vec![server_auth]),
        )?,
        cert::extension(ObjectIdentifier::new_unwrap("2.5.29.17"), false, &names)?,
    ];
    let leaf = certificate(
        name("127.0.0.1")?,
        ca.name.clone(),
        key.spki_der.clone(),
        extensions,
        &ca.key,
    )?;
    Ok((leaf, key))
}
