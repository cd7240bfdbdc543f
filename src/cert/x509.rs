//! X.509 certificates: read (RustCrypto's `x509-cert`) from the PEM a person points at, and built
//! and signed here, with ring doing the signing.
use super::pem;
use std::time::{Duration, SystemTime};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::{CertificateInner, Raw, TbsCertificate};
use x509_cert::der::asn1::{Any, BitString, OctetString};
use x509_cert::der::{Decode, Encode, Tag, Tagged};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey, ObjectIdentifier,
    SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef,
};
use x509_cert::time::{Time, Validity};

pub(crate) const SHA256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
pub(crate) const ECDSA_WITH_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// A parsed X.509 certificate and its DER.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    /// Read without RFC 5280's extra checks (a long or negative serial), as OpenSSL reads.
    parsed: CertificateInner<Raw>,
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
    pub fn from_der(der: &[u8]) -> Option<Certificate> {
        let parsed = CertificateInner::<Raw>::from_der(der).ok()?;
        Some(Certificate {
            der: der.to_vec(),
            parsed,
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
        self.parsed.tbs_certificate().version() as u8
    }

    pub fn not_after(&self) -> SystemTime {
        self.parsed
            .tbs_certificate()
            .validity()
            .not_after
            .to_system_time()
    }

    /// The subject's first value of the attribute `oid`, as text (OpenSSL's `ASN1_STRING_to_UTF8`).
    pub(crate) fn subject_value(&self, oid: ObjectIdentifier) -> Option<String> {
        let entry = self
            .parsed
            .tbs_certificate()
            .subject()
            .iter()
            .find(|entry| entry.oid == oid)?;
        string_value(&entry.value)
    }

    /// The RSA public key's modulus and exponent, or `None` for a key of another kind.
    pub(crate) fn rsa_public_key(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let der = self.rsa_public_key_pkcs1()?;
        let key = rsa::pkcs1::RsaPublicKeyRef::from_der(der).ok()?;
        Some((
            key.modulus.as_bytes().to_vec(),
            key.public_exponent.as_bytes().to_vec(),
        ))
    }

    /// The RSA public key as PKCS#1 `RSAPublicKey` DER, or `None` for a key of another kind.
    pub fn rsa_public_key_pkcs1(&self) -> Option<&[u8]> {
        let spki = self.parsed.tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid != RSA_ENCRYPTION && spki.algorithm.oid != RSASSA_PSS {
            return None;
        }
        spki.subject_public_key.as_bytes()
    }
}

/// The text of a directory string, converted as `ASN1_STRING_to_UTF8` converts it; `None` when
/// it is no string or not valid in its own encoding. (A UniversalString, which no tool writes any
/// more, is a tag `der` does not read: such a certificate does not load.)
fn string_value(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String => String::from_utf8(bytes.to_vec()).ok(),
        // One byte a character.
        Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString
        | Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// How a name's value is encoded: as OpenSSL encodes each attribute of `openssl req`'s subject.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StringKind {
    Utf8,
    Printable,
    Ia5,
}

/// A distinguished name, one attribute a RDN, in the order given.
pub(crate) fn name(entries: &[(ObjectIdentifier, StringKind, &str)]) -> Result<Name, String> {
    use x509_cert::der::asn1::{Ia5StringRef, PrintableStringRef, Utf8StringRef};
    let mut rdns = RdnSequence::default();
    for &(oid, kind, text) in entries {
        let value = match kind {
            StringKind::Utf8 => Any::encode_from(&Utf8StringRef::new(text).map_err(e)?),
            StringKind::Printable => Any::encode_from(&PrintableStringRef::new(text).map_err(e)?),
            StringKind::Ia5 => Any::encode_from(&Ia5StringRef::new(text).map_err(e)?),
        }
        .map_err(e)?;
        let mut rdn = RelativeDistinguishedName::default();
        rdn.insert(x509_cert::attr::AttributeTypeAndValue { oid, value })
            .map_err(e)?;
        rdns.push(rdn);
    }
    Ok(Name::hazmat_from_rdn_sequence(rdns))
}

fn e(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// An extension from its value.
pub(crate) fn extension(
    oid: ObjectIdentifier,
    critical: bool,
    value: &impl Encode,
) -> Result<Extension, String> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(e)?).map_err(e)?,
    })
}

/// basicConstraints, critical, CA:TRUE with no path length: what `openssl req -x509` writes, and
/// what the emulator's throw-away CA needs.
pub(crate) fn ca_constraints() -> Result<Extension, String> {
    extension(
        ObjectIdentifier::new_unwrap("2.5.29.19"),
        true,
        &x509_cert::ext::pkix::BasicConstraints {
            ca: true,
            path_len_constraint: None,
        },
    )
}

/// The key identifier of RFC 5280's method 1, which OpenSSL uses: the SHA-1 of the public key's
/// bits.
pub(crate) fn key_identifier(spki_der: &[u8]) -> Result<OctetString, String> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).map_err(e)?;
    let bits = spki.subject_public_key.raw_bytes();
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, bits);
    OctetString::new(digest.as_ref()).map_err(e)
}

/// Signs the to-be-signed bytes of a certificate.
pub(crate) type SignFn<'a> = dyn Fn(&[u8]) -> Result<Vec<u8>, String> + 'a;

/// What signs a certificate: its algorithm, its public key, and the signature of the TBS bytes.
pub(crate) struct Signer<'a> {
    pub algorithm: AlgorithmIdentifierOwned,
    /// The issuer's `SubjectPublicKeyInfo` DER.
    pub spki_der: Vec<u8>,
    pub sign: &'a SignFn<'a>,
}

/// `sha256WithRSAEncryption`, with its NULL parameters as OpenSSL writes them.
pub(crate) fn sha256_with_rsa() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SHA256_WITH_RSA,
        parameters: Some(Any::from(x509_cert::der::asn1::Null)),
    }
}

/// What to put in a certificate.
pub(crate) struct Template {
    /// A positive big-endian integer of at most 20 bytes.
    pub serial: Vec<u8>,
    pub not_before: SystemTime,
    pub not_after: SystemTime,
    pub subject: Name,
    pub issuer: Name,
    /// The subject's `SubjectPublicKeyInfo` DER.
    pub spki_der: Vec<u8>,
    pub extensions: Vec<Extension>,
}

/// Builds the certificate and signs it.
pub(crate) fn build(template: Template, signer: &Signer<'_>) -> Result<Certificate, String> {
    let serial = SerialNumber::new(&template.serial).map_err(e)?;
    let time = |t: SystemTime| -> Result<Time, String> {
        // Whole seconds, as certificates count time.
        let secs = t
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(e)?
            .as_secs();
        Time::try_from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)).map_err(e)
    };
    let validity = Validity::new(time(template.not_before)?, time(template.not_after)?);
    let spki = SubjectPublicKeyInfoOwned::from_der(&template.spki_der).map_err(e)?;
    let profile = Profile {
        subject: template.subject,
        issuer: template.issuer,
        extensions: template.extensions,
    };
    let mut builder = CertificateBuilder::new(profile, serial, validity, spki).map_err(e)?;
    let adapter = Adapter(signer);
    let tbs = builder.finalize(&adapter).map_err(e)?;
    let signature = (signer.sign)(&tbs)?;
    let certificate = builder
        .assemble(BitString::from_bytes(&signature).map_err(e)?, &adapter)
        .map_err(e)?;
    let der = certificate.to_der().map_err(e)?;
    Certificate::from_der(&der).ok_or_else(|| "the certificate built does not read back".into())
}

struct Profile {
    subject: Name,
    issuer: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// The signer as x509-cert's builder wants to see it; the signature itself is made by
/// [`Signer::sign`].
struct Adapter<'a, 'b>(&'a Signer<'b>);

#[derive(Clone)]
struct SpkiDer(Vec<u8>);

impl EncodePublicKey for SpkiDer {
    fn to_public_key_der(&self) -> x509_cert::spki::Result<x509_cert::der::Document> {
        Ok(x509_cert::der::Document::from_der(&self.0)?)
    }
}

impl rsa::signature::Keypair for Adapter<'_, '_> {
    type VerifyingKey = SpkiDer;

    fn verifying_key(&self) -> SpkiDer {
        SpkiDer(self.0.spki_der.clone())
    }
}

impl DynSignatureAlgorithmIdentifier for Adapter<'_, '_> {
    fn signature_algorithm_identifier(&self) -> x509_cert::spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.0.algorithm.clone())
    }
}

/// A random serial number of `bits` bits (at most 159, so that it fits in 20 bytes), positive.
pub(crate) fn random_serial(bits: u32) -> Result<Vec<u8>, String> {
    let bytes = bits.div_ceil(8) as usize;
    let mut serial = vec![0u8; bytes];
    getrandom::fill(&mut serial).map_err(e)?;
    let extra = bytes as u32 * 8 - bits;
    serial[0] &= 0xFF >> extra;
    if serial.iter().all(|&b| b == 0) {
        serial[bytes - 1] = 1;
    }
    Ok(serial)
}
