//! The RSA private key: made with RustCrypto's `rsa` (ring cannot make RSA keys), read from the PEM
//! forms OpenSSL writes, written as PKCS#8 (encrypted or not), and signing RS256 with ring.
use super::pem;
use pkcs8::der::Decode;
use pkcs8::pkcs5::pbes2;
use rsa::Pkcs1v15Sign;
use rsa::PrivateKey as RsaPrivateKey;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::traits::PublicKeyParts;
use std::fmt;
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// rsaEncryption, and RSASSA-PSS, whose keys OpenSSL also reads as RSA keys.
const RSA_ENCRYPTION: pkcs8::ObjectIdentifier = rsa::pkcs1::ALGORITHM_OID;
const RSASSA_PSS: pkcs8::ObjectIdentifier =
    rsa::pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// PBKDF2 as `openssl pkcs8 -topk8 -v2 aes-256-cbc` applies it: 2048 iterations, 8 bytes of salt.
const PBKDF2_ITERATIONS: u32 = 2048;
const PBKDF2_SALT_LEN: usize = 8;

/// An RSA private key. Neither `Debug` nor anything else here shows its secret numbers; `rsa`
/// wipes them from memory when the key is dropped, and so does every DER or PEM copy made here
/// (`Zeroizing`). ring's own copy, made at the first signature, is freed but not wiped: ring does
/// not zeroize.
pub struct PrivateKey {
    rsa: RsaPrivateKey,
    /// How it signs, settled at the first signature.
    signer: OnceLock<Option<Signer>>,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", &"RSA")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

/// Why a PEM private key could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoadError {
    /// No private key block, or one whose content is not a key.
    NotPem,
    /// An encrypted PKCS#8 key that the passphrase does not open.
    Decrypt,
    /// An encrypted PKCS#8 key under a scheme not read here (PKCS#12's or PBES1's, or 3DES).
    Unsupported,
    /// OpenSSL's legacy encryption (`Proc-Type: 4,ENCRYPTED`).
    Legacy,
    /// A key, but not an RSA one.
    NotRsa,
    /// An RSA key whose modulus has this many bytes, times eight, under 2048 bits.
    Small(usize),
}

impl PrivateKey {
    /// A new key with public exponent 65537.
    pub(crate) fn generate(bits: usize) -> Result<PrivateKey, String> {
        let rsa = RsaPrivateKey::new(&mut getrandom::SysRng, bits).map_err(|e| e.to_string())?;
        Ok(PrivateKey::from_rsa(rsa))
    }

    fn from_rsa(rsa: RsaPrivateKey) -> PrivateKey {
        PrivateKey {
            rsa,
            signer: OnceLock::new(),
        }
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> u32 {
        self.rsa.n().bit_width_vartime()
    }

    /// Whether both keys have the same public half.
    pub fn public_eq(&self, other: &PrivateKey) -> bool {
        self.rsa.as_public_key() == other.rsa.as_public_key()
    }

    /// Whether `n` and `e` (big-endian, leading zeros allowed) are this key's public half.
    pub(crate) fn has_public(&self, n: &[u8], e: &[u8]) -> bool {
        let strip = |b: &[u8]| -> Vec<u8> {
            let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            b[first..].to_vec()
        };
        strip(&self.rsa.n_bytes()) == strip(n) && strip(&self.rsa.e_bytes()) == strip(e)
    }

    /// The public key as PKCS#1 `RSAPublicKey` DER.
    pub fn public_key_pkcs1_der(&self) -> Vec<u8> {
        self.rsa
            .as_public_key()
            .to_pkcs1_der()
            .map(|d| d.into_vec())
            .unwrap_or_default()
    }

    /// The public key as a `SubjectPublicKeyInfo`, as a certificate carries it.
    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, String> {
        use rsa::pkcs8::EncodePublicKey;
        self.rsa
            .as_public_key()
            .to_public_key_der()
            .map(|d| d.into_vec())
            .map_err(|e| e.to_string())
    }

    /// The private key as PKCS#1 `RSAPrivateKey` DER.
    pub fn to_pkcs1_der(&self) -> Result<Zeroizing<Vec<u8>>, String> {
        self.rsa
            .to_pkcs1_der()
            .map(|d| Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|e| e.to_string())
    }

    fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, String> {
        use rsa::pkcs8::EncodePrivateKey;
        self.rsa
            .to_pkcs8_der()
            .map(|d| Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|e| e.to_string())
    }

    /// `-----BEGIN PRIVATE KEY-----`: unencrypted PKCS#8, as `openssl req -nodes` writes it.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, String> {
        Ok(pem::encode("PRIVATE KEY", &self.to_pkcs8_der()?))
    }

    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----`: PKCS#8 under PBES2, PBKDF2 with HMAC-SHA256 and
    /// AES-256-CBC, as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes it.
    pub fn to_encrypted_pkcs8_pem(&self, passphrase: &[u8]) -> Result<Zeroizing<String>, String> {
        let mut salt = [0u8; PBKDF2_SALT_LEN];
        let mut iv = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
        getrandom::fill(&mut iv).map_err(|e| e.to_string())?;
        let params =
            pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, iv)
                .map_err(|e| e.to_string())?;
        let der = self.to_pkcs8_der()?;
        let info = pkcs8::PrivateKeyInfoRef::from_der(&der).map_err(|e| e.to_string())?;
        let encrypted = info
            .encrypt_with_params(params, passphrase)
            .map_err(|e| e.to_string())?;
        Ok(pem::encode("ENCRYPTED PRIVATE KEY", encrypted.as_bytes()))
    }

    /// Reads the first private key of a PEM text: PKCS#8 (`PRIVATE KEY`), encrypted PKCS#8
    /// (`ENCRYPTED PRIVATE KEY`, with `passphrase`) or PKCS#1 (`RSA PRIVATE KEY`).
    pub(crate) fn from_pem(
        text: &[u8],
        passphrase: Option<&[u8]>,
    ) -> Result<PrivateKey, LoadError> {
        let blocks = pem::blocks(text);
        let Some(block) = first_private_key(&blocks) else {
            return Err(LoadError::NotPem);
        };
        if block.headers {
            return Err(LoadError::Legacy);
        }
        let der = block.der();
        match block.label {
            "ENCRYPTED PRIVATE KEY" => {
                let der = der.ok_or(LoadError::Decrypt)?;
                let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(&der)
                    .map_err(|_| LoadError::Unsupported)?;
                let plain = info
                    .decrypt(passphrase.unwrap_or_default())
                    .map_err(|_| LoadError::Decrypt)?;
                from_pkcs8(plain.as_bytes()).map_err(|e| match e {
                    LoadError::NotPem => LoadError::Decrypt,
                    other => other,
                })
            }
            "PRIVATE KEY" => from_pkcs8(&der.ok_or(LoadError::NotPem)?),
            "RSA PRIVATE KEY" => from_pkcs1(&der.ok_or(LoadError::NotPem)?),
            _ => Err(LoadError::NotRsa),
        }
    }

    /// Reads PKCS#1 `RSAPrivateKey` DER of any size.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<PrivateKey, LoadError> {
        let key = rsa::pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|_| LoadError::NotPem)?;
        RsaPrivateKey::try_from(key)
            .map(PrivateKey::from_rsa)
            .map_err(|_| LoadError::NotPem)
    }

    /// An RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `message`.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let signer = self
            .signer
            .get_or_init(|| Signer::from_key(self))
            .as_ref()
            .ok_or("the key cannot sign")?;
        signer.sign(message)
    }
}

/// The first block of a label OpenSSL reads a private key from; any other block (a certificate)
/// is passed over.
fn first_private_key<'a, 'b>(blocks: &'a [pem::Block<'b>]) -> Option<&'a pem::Block<'b>> {
    blocks
        .iter()
        .find(|b| b.label == "PRIVATE KEY" || b.label.ends_with(" PRIVATE KEY"))
}

/// Whether the private key is in OpenSSL's legacy encryption (`Proc-Type: 4,ENCRYPTED`).
pub(crate) fn is_legacy_encrypted(text: &[u8]) -> bool {
    first_private_key(&pem::blocks(text)).is_some_and(|b| b.headers)
}

fn from_pkcs8(der: &[u8]) -> Result<PrivateKey, LoadError> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| LoadError::NotPem)?;
    if info.algorithm.oid != RSA_ENCRYPTION && info.algorithm.oid != RSASSA_PSS {
        return Err(LoadError::NotRsa);
    }
    from_pkcs1(info.private_key.as_bytes())
}

/// The size is checked before the key is taken apart, so that a small key is reported as small
/// however small it is.
fn from_pkcs1(der: &[u8]) -> Result<PrivateKey, LoadError> {
    let key = rsa::pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|_| LoadError::NotPem)?;
    let size_bits = key.modulus.as_bytes().len() * 8;
    if size_bits < super::KEY_BITS as usize {
        return Err(LoadError::Small(size_bits));
    }
    RsaPrivateKey::try_from(key)
        .map(PrivateKey::from_rsa)
        .map_err(|_| LoadError::NotPem)
}

/// Signs RS256: ring for the keys it takes (2048 to 4096 bits, exponent at least 65537), which is
/// every key places-setup makes; `rsa` for the others OpenSSL also signed with.
pub(crate) enum Signer {
    Ring(Box<ring::rsa::KeyPair>),
    Rsa(Box<RsaPrivateKey>),
}

impl Signer {
    fn from_key(key: &PrivateKey) -> Option<Signer> {
        let der = key.to_pkcs1_der().ok()?;
        match ring::rsa::KeyPair::from_der(&der) {
            Ok(pair) => Some(Signer::Ring(Box::new(pair))),
            Err(_) => Some(Signer::Rsa(Box::new(key.rsa.clone()))),
        }
    }

    /// From PKCS#1 `RSAPrivateKey` DER.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Option<Signer> {
        match ring::rsa::KeyPair::from_der(der) {
            Ok(pair) => Some(Signer::Ring(Box::new(pair))),
            Err(_) => {
                let key = PrivateKey::from_pkcs1_der(der).ok()?;
                Some(Signer::Rsa(Box::new(key.rsa.clone())))
            }
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            Signer::Ring(pair) => {
                let mut signature = vec![0u8; pair.public().modulus_len()];
                pair.sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    &ring::rand::SystemRandom::new(),
                    message,
                    &mut signature,
                )
                .map_err(|_| "RSA signing failed".to_string())?;
                Ok(signature)
            }
            Signer::Rsa(key) => {
                let digest = ring::digest::digest(&ring::digest::SHA256, message);
                key.sign(Pkcs1v15Sign::new::<rsa::sha2::Sha256>(), digest.as_ref())
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Whether `signature` is an RS256 signature of `message` by the key whose PKCS#1
/// `RSAPublicKey` DER this is (2048 to 8192 bits).
pub fn verify_rs256(public_key_pkcs1_der: &[u8], message: &[u8], signature: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        public_key_pkcs1_der,
    )
    .verify(message, signature)
    .is_ok()
}

/// As [`verify_rs256`], from the modulus and exponent (big-endian).
pub fn verify_rs256_components(n: &[u8], e: &[u8], message: &[u8], signature: &[u8]) -> bool {
    ring::signature::RsaPublicKeyComponents { n, e }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            message,
            signature,
        )
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> &'static PrivateKey {
        static KEY: OnceLock<PrivateKey> = OnceLock::new();
        KEY.get_or_init(|| PrivateKey::generate(2048).unwrap())
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?}", key());
        assert_eq!(shown, "PrivateKey { algorithm: \"RSA\", bits: 2048, .. }");
    }

    #[test]
    fn both_signers_make_the_same_verifiable_signature() {
        let message = b"header.claims";
        let ring = key().sign_rs256(message).unwrap();
        let rsa = Signer::Rsa(Box::new(key().rsa.clone()))
            .sign(message)
            .unwrap();
        assert_eq!(ring, rsa, "PKCS#1 v1.5 signatures are deterministic");
        let public = key().public_key_pkcs1_der();
        assert!(verify_rs256(&public, message, &ring));
        assert!(!verify_rs256(&public, b"header.claimz", &ring));
    }

    #[test]
    fn pem_forms_read_back() {
        let plain = key().to_pkcs8_pem().unwrap();
        assert!(plain.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(
            PrivateKey::from_pem(plain.as_bytes(), None)
                .unwrap()
                .public_eq(key())
        );
        let pkcs1 = pem::encode("RSA PRIVATE KEY", &key().to_pkcs1_der().unwrap());
        assert!(
            PrivateKey::from_pem(pkcs1.as_bytes(), None)
                .unwrap()
                .public_eq(key())
        );
        let encrypted = key().to_encrypted_pkcs8_pem(b"pw").unwrap();
        let back = PrivateKey::from_pem(encrypted.as_bytes(), Some(b"pw")).unwrap();
        assert!(back.public_eq(key()));
        assert_eq!(
            PrivateKey::from_pem(encrypted.as_bytes(), Some(b"px")).unwrap_err(),
            LoadError::Decrypt
        );
        assert_eq!(
            PrivateKey::from_pem(
                b"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                None
            )
            .unwrap_err(),
            LoadError::NotRsa
        );
        assert_eq!(
            PrivateKey::from_pem(b"hello", None).unwrap_err(),
            LoadError::NotPem
        );
    }
}
