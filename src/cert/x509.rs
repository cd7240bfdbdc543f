//! X.509 certificates on OpenSSL: read from the PEM a person points at, and built and signed as
//! `openssl req -x509` builds them.
use super::pem;
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{HasPublic, Id, PKeyRef, Private};
use openssl::x509::{X509, X509Builder, X509Name, X509NameRef};
use std::time::{Duration, SystemTime};

/// A parsed X.509 certificate and its DER.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    x509: X509,
    /// The RSA public key as PKCS#1 `RSAPublicKey` DER, for a certificate of an RSA key.
    rsa_pkcs1: Option<Vec<u8>>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("fingerprint", &super::fingerprint(self))
            .finish()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

impl Certificate {
    /// A certificate as OpenSSL reads one (`d2i_X509`), with nothing after it.
    pub fn from_der(der: &[u8]) -> Option<Certificate> {
        let x509 = X509::from_der(der).ok()?;
        // d2i_X509 stops at the end of the certificate: trailing bytes make it another file.
        let der_back = x509.to_der().ok()?;
        if der_back.len() != der.len() {
            return None;
        }
        let rsa_pkcs1 = x509
            .public_key()
            .ok()
            .filter(|key| key.id() == Id::RSA || key.id() == Id::RSA_PSS)
            .and_then(|key| key.rsa().ok())
            .and_then(|rsa| rsa.public_key_to_der_pkcs1().ok());
        Some(Certificate {
            der: der.to_vec(),
            x509,
            rsa_pkcs1,
        })
    }

    /// The first `CERTIFICATE` (or `X509 CERTIFICATE`) block of a PEM text.
    pub fn from_pem(text: &[u8]) -> Option<Certificate> {
        let blocks = pem::blocks(text);
        let block = blocks
            .iter()
            .find(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE")?;
        Certificate::from_der(&block.der()?)
    }

    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// PEM, as `openssl x509` writes it.
    pub fn to_pem(&self) -> String {
        pem::encode("CERTIFICATE", &self.der).to_string()
    }

    /// 0 for v1, 2 for v3, as OpenSSL numbers versions.
    pub fn version(&self) -> u8 {
        u8::try_from(self.x509.version()).unwrap_or(u8::MAX)
    }

    pub fn not_after(&self) -> SystemTime {
        system_time(self.x509.not_after()).unwrap_or(SystemTime::UNIX_EPOCH)
    }

    /// The subject's first value of the attribute `nid`, as text (`ASN1_STRING_to_UTF8`).
    pub(crate) fn subject_value(&self, nid: Nid) -> Option<String> {
        let entry = self.x509.subject_name().entries_by_nid(nid).next()?;
        entry.data().to_string().ok()
    }

    /// The RSA public key's modulus and exponent, or `None` for a key of another kind.
    pub(crate) fn rsa_public_key(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let rsa = openssl::rsa::Rsa::public_key_from_der_pkcs1(self.rsa_pkcs1.as_deref()?).ok()?;
        Some((rsa.n().to_vec(), rsa.e().to_vec()))
    }

    #[cfg(test)]
    pub(crate) fn x509(&self) -> &X509 {
        &self.x509
    }

    /// The RSA public key as PKCS#1 `RSAPublicKey` DER, or `None` for a key of another kind.
    pub fn rsa_public_key_pkcs1(&self) -> Option<&[u8]> {
        self.rsa_pkcs1.as_deref()
    }
}

/// An ASN.1 time as a point in time; `None` before 1970.
fn system_time(time: &openssl::asn1::Asn1TimeRef) -> Option<SystemTime> {
    let epoch = Asn1Time::from_unix(0).ok()?;
    let diff = epoch.diff(time).ok()?;
    let secs = i64::from(diff.days) * 86_400 + i64::from(diff.secs);
    let secs = u64::try_from(secs).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn asn1_time(t: SystemTime) -> Result<Asn1Time, String> {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(e)?
        .as_secs();
    Asn1Time::from_unix(secs.try_into().map_err(e)?).map_err(e)
}

/// A distinguished name, one attribute a RDN, in the order given. The string types are OpenSSL's
/// choice, as `openssl req` makes them: PrintableString for the country, IA5String for the email
/// address, UTF8String for the rest (its default `string_mask = utf8only`).
pub(crate) fn name(entries: &[(Nid, &str)]) -> Result<X509Name, String> {
    let mut name = X509Name::builder().map_err(e)?;
    for &(nid, text) in entries {
        name.append_entry_by_nid(nid, text).map_err(e)?;
    }
    Ok(name.build())
}

pub(crate) fn e(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// A v3 certificate's frame: a random positive serial of `serial_bits` bits (`openssl req` uses
/// 159), the names, the validity in whole seconds, the public key. Extensions and the signature
/// follow ([`sign`]).
pub(crate) fn builder<T: HasPublic>(
    serial_bits: i32,
    subject: &X509NameRef,
    issuer: &X509NameRef,
    not_before: SystemTime,
    not_after: SystemTime,
    public_key: &PKeyRef<T>,
) -> Result<X509Builder, String> {
    let mut builder = X509Builder::new().map_err(e)?;
    builder.set_version(2).map_err(e)?;
    let serial = random_serial(serial_bits)?;
    builder.set_serial_number(&serial).map_err(e)?;
    builder.set_subject_name(subject).map_err(e)?;
    builder.set_issuer_name(issuer).map_err(e)?;
    let (not_before, not_after) = (asn1_time(not_before)?, asn1_time(not_after)?);
    builder.set_not_before(&not_before).map_err(e)?;
    builder.set_not_after(&not_after).map_err(e)?;
    builder.set_pubkey(public_key).map_err(e)?;
    Ok(builder)
}

/// Signs with SHA-256 (sha256WithRSAEncryption for an RSA key, ecdsa-with-SHA256 for an EC one).
pub(crate) fn sign(
    mut builder: X509Builder,
    key: &PKeyRef<Private>,
) -> Result<Certificate, String> {
    builder.sign(key, MessageDigest::sha256()).map_err(e)?;
    let der = builder.build().to_der().map_err(e)?;
    Certificate::from_der(&der).ok_or_else(|| "the certificate built does not read back".into())
}

/// A random serial number of `bits` bits, never zero.
fn random_serial(bits: i32) -> Result<Asn1Integer, String> {
    let mut serial = BigNum::new().map_err(e)?;
    serial.rand(bits, MsbOption::MAYBE_ZERO, false).map_err(e)?;
    if serial.num_bits() == 0 {
        serial = BigNum::from_u32(1).map_err(e)?;
    }
    serial.to_asn1_integer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_bytes_make_no_certificate() {
        let key = openssl::pkey::PKey::ec_gen("prime256v1").unwrap();
        let cn = name(&[(Nid::COMMONNAME, "t")]).unwrap();
        let now = SystemTime::now();
        let b = builder(64, &cn, &cn, now, now + Duration::from_secs(60), &key).unwrap();
        let cert = sign(b, &key).unwrap();
        assert!(Certificate::from_der(cert.to_der()).is_some());
        let mut longer = cert.to_der().to_vec();
        longer.push(0);
        assert!(Certificate::from_der(&longer).is_none());
        assert!(cert.rsa_public_key_pkcs1().is_none(), "an EC key");
        let secs = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs(cert.not_after()), secs(now) + 60);
    }
}
