//! The RSA private key, on OpenSSL: made as `openssl req -newkey rsa:2048` makes it, read from every
//! PEM form OpenSSL writes, written as PKCS#8 (encrypted or not), and signing RS256.
use super::{der, pem};
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Private};
use openssl::rsa::Rsa;
use std::fmt;
use zeroize::Zeroizing;

/// PBKDF2 for `--encrypt`: OWASP's 600,000 iterations of HMAC-SHA256 (OpenSSL's own default is
/// 2,048) and a 16-byte salt (OpenSSL 3.0 uses 8).
pub(crate) const PBKDF2_ITERATIONS: u32 = 600_000;
const PBKDF2_SALT_LEN: usize = 16;

/// Work past which an encrypted key is not tried: a file can ask for any number of iterations, and
/// OpenSSL would spend minutes on it. Well above what any tool writes (OpenSSL 2,048 or, with
/// `-iter`, what the user asks; this program 600,000; OpenSSL's scrypt N=16384, r=8, p=1).
const MAX_PBKDF2_ITERATIONS: u64 = 5_000_000;
const MAX_SCRYPT_WORK: u64 = 1 << 24;

/// An RSA private key. Neither `Debug` nor anything else here shows its secret numbers; OpenSSL
/// clears them when the key is freed (`BN_clear_free`), and every DER or PEM copy made here is
/// wiped too (`Zeroizing`).
pub struct PrivateKey {
    pkey: PKey<Private>,
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
    /// An encrypted key that the passphrase does not open.
    Decrypt,
    /// An encrypted key under a scheme OpenSSL does not read, or asking for an unreasonable amount
    /// of work to open.
    Unsupported,
    /// A key, but not an RSA one.
    NotRsa,
    /// An RSA key of this many bits, under 2048.
    Small(usize),
}

impl PrivateKey {
    /// A new key with public exponent 65537, made as `openssl req -newkey rsa:BITS` makes it
    /// (EVP_PKEY_keygen, OpenSSL's RSA provider).
    pub(crate) fn generate(bits: usize) -> Result<PrivateKey, String> {
        let bits = u32::try_from(bits).map_err(|e| e.to_string())?;
        let mut ctx = openssl::pkey_ctx::PkeyCtx::new_id(Id::RSA).map_err(|e| e.to_string())?;
        ctx.keygen_init().map_err(|e| e.to_string())?;
        ctx.set_rsa_keygen_bits(bits).map_err(|e| e.to_string())?;
        ctx.keygen()
            .map(|pkey| PrivateKey { pkey })
            .map_err(|e| e.to_string())
    }

    /// A key of any RSA type; an RSASSA-PSS key becomes a plain RSA one, so that it signs
    /// PKCS#1 v1.5 as RS256 wants.
    fn from_pkey(pkey: PKey<Private>) -> Result<PrivateKey, LoadError> {
        let pkey = match pkey.id() {
            Id::RSA => pkey,
            Id::RSA_PSS => pkey
                .rsa()
                .and_then(PKey::from_rsa)
                .map_err(|_| LoadError::NotPem)?,
            _ => return Err(LoadError::NotRsa),
        };
        let bits = pkey.bits();
        if bits < super::KEY_BITS {
            return Err(LoadError::Small(bits as usize));
        }
        if consistent(&pkey) {
            Ok(PrivateKey { pkey })
        } else {
            Err(LoadError::NotPem)
        }
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> u32 {
        self.pkey.bits()
    }

    /// Whether both keys have the same public half.
    pub fn public_eq(&self, other: &PrivateKey) -> bool {
        self.pkey.public_eq(&other.pkey)
    }

    /// Whether `n` and `e` (big-endian, leading zeros allowed) are this key's public half.
    pub(crate) fn has_public(&self, n: &[u8], e: &[u8]) -> bool {
        let strip = |b: &[u8]| -> Vec<u8> {
            let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            b[first..].to_vec()
        };
        self.pkey
            .rsa()
            .is_ok_and(|rsa| rsa.n().to_vec() == strip(n) && rsa.e().to_vec() == strip(e))
    }

    /// The public key as PKCS#1 `RSAPublicKey` DER.
    pub fn public_key_pkcs1_der(&self) -> Vec<u8> {
        self.pkey
            .rsa()
            .and_then(|rsa| rsa.public_key_to_der_pkcs1())
            .unwrap_or_default()
    }

    /// The private key as PKCS#1 `RSAPrivateKey` DER.
    pub fn to_pkcs1_der(&self) -> Result<Zeroizing<Vec<u8>>, String> {
        self.pkey
            .rsa()
            .and_then(|rsa| rsa.private_key_to_der())
            .map(Zeroizing::new)
            .map_err(|e| e.to_string())
    }

    /// `-----BEGIN PRIVATE KEY-----`: unencrypted PKCS#8, as `openssl req -nodes` writes it.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, String> {
        let der = self
            .pkey
            .private_key_to_pkcs8()
            .map(Zeroizing::new)
            .map_err(|e| e.to_string())?;
        Ok(pem::encode("PRIVATE KEY", &der))
    }

    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----`: PKCS#8 under PBES2, PBKDF2 with HMAC-SHA256
    /// ([`PBKDF2_ITERATIONS`], a 16-byte salt) and AES-256-CBC, as
    /// `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 600000` writes it.
    pub fn to_encrypted_pkcs8_pem(&self, passphrase: &[u8]) -> Result<Zeroizing<String>, String> {
        let der = encrypt_pkcs8(&self.pkey, passphrase)?;
        Ok(pem::encode("ENCRYPTED PRIVATE KEY", &der))
    }

    /// Reads the first private key of a PEM text as OpenSSL does: PKCS#8 (`PRIVATE KEY`),
    /// encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`), plain or in
    /// OpenSSL's legacy encryption (`Proc-Type: 4,ENCRYPTED`). `passphrase` opens the encrypted
    /// forms.
    pub(crate) fn from_pem(
        text: &[u8],
        passphrase: Option<&[u8]>,
    ) -> Result<PrivateKey, LoadError> {
        let blocks = pem::blocks(text);
        let Some(block) = first_private_key(&blocks) else {
            return Err(LoadError::NotPem);
        };
        if block.headers {
            return from_legacy(block, passphrase.unwrap_or_default());
        }
        let der = block.der();
        match block.label {
            "ENCRYPTED PRIVATE KEY" => {
                let der = der.ok_or(LoadError::Decrypt)?;
                if !der::affordable_pbe(&der, MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_WORK) {
                    return Err(LoadError::Unsupported);
                }
                let pkey =
                    PKey::private_key_from_pkcs8_passphrase(&der, passphrase.unwrap_or_default())
                        .map_err(|e| decrypt_error(&e))?;
                PrivateKey::from_pkey(pkey)
            }
            "PRIVATE KEY" => {
                let der = der.ok_or(LoadError::NotPem)?;
                let pkey = PKey::private_key_from_pkcs8(&der).map_err(|e| not_rsa_or_pem(&e))?;
                PrivateKey::from_pkey(pkey)
            }
            "RSA PRIVATE KEY" => from_pkcs1(&der.ok_or(LoadError::NotPem)?),
            _ => Err(LoadError::NotRsa),
        }
    }

    /// Reads PKCS#1 `RSAPrivateKey` DER of any size, for signing only.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<PrivateKey, LoadError> {
        Rsa::private_key_from_der(der)
            .and_then(PKey::from_rsa)
            .map(|pkey| PrivateKey { pkey })
            .map_err(|_| LoadError::NotPem)
    }

    /// An RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `message`.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), &self.pkey)
            .map_err(|e| e.to_string())?;
        signer
            .sign_oneshot_to_vec(message)
            .map_err(|e| e.to_string())
    }

    pub(crate) fn pkey(&self) -> &PKey<Private> {
        &self.pkey
    }
}

/// Whether the key's numbers agree (n = p·q, and e·d ≡ 1 modulo p−1 and q−1): a key that does not
/// would sign garbage, which IMS would refuse with no hint why. Not `RSA_check_key`, whose
/// primality tests of p and q take tens of milliseconds at every load. A key without its primes
/// (n, e, d only) is taken as it is.
fn consistent(pkey: &PKey<Private>) -> bool {
    use openssl::bn::{BigNum, BigNumContext};
    let Ok(rsa) = pkey.rsa() else {
        return false;
    };
    let (Some(p), Some(q)) = (rsa.p(), rsa.q()) else {
        return true;
    };
    let check = || -> Result<bool, openssl::error::ErrorStack> {
        let mut ctx = BigNumContext::new()?;
        let one = BigNum::from_u32(1)?;
        let mut n = BigNum::new()?;
        n.checked_mul(p, q, &mut ctx)?;
        if n != *rsa.n() {
            return Ok(false);
        }
        let mut ed = BigNum::new()?;
        ed.checked_mul(rsa.e(), rsa.d(), &mut ctx)?;
        for prime in [p, q] {
            let mut minus_one = BigNum::new()?;
            minus_one.checked_sub(prime, &one)?;
            let mut rem = BigNum::new()?;
            rem.nnmod(&ed, &minus_one, &mut ctx)?;
            if rem != one {
                return Ok(false);
            }
        }
        Ok(true)
    };
    check().unwrap_or(false)
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

/// PKCS#1 or another traditional key with RFC 1421 headers: OpenSSL reads the block itself, as
/// it reads `openssl genrsa -aes256` output (its key derivation, EVP_BytesToKey with one MD5
/// round, is weak: the hint in `load_private_key` says how to convert it).
fn from_legacy(block: &pem::Block<'_>, passphrase: &[u8]) -> Result<PrivateKey, LoadError> {
    if block.label != "RSA PRIVATE KEY" {
        return Err(LoadError::NotRsa);
    }
    let pem = block.normalized();
    // A legacy key's scheme is the cipher its `DEK-Info` names. One of those OpenSSL 3 reads
    // without its legacy provider (what `openssl genrsa -aes256`, `-des3`, `-camellia256` and
    // `-aria256` write) fails only for the passphrase, including the one wrong passphrase in
    // ~300 whose garbage ends in valid padding and then fails to decode ("unsupported"); any
    // other (DES-CBC, BF-CBC, an unknown name) is a scheme not offered, whatever the passphrase.
    let offered = block
        .dek_cipher()
        .is_some_and(|c| DEFAULT_PROVIDER_PEM_CIPHERS.contains(&c.as_str()));
    let pkey =
        PKey::private_key_from_pem_passphrase(&pem, passphrase).map_err(|_| match offered {
            true => LoadError::Decrypt,
            false => LoadError::Unsupported,
        })?;
    PrivateKey::from_pkey(pkey)
}

/// The ciphers of OpenSSL's legacy PEM encryption its default provider has.
const DEFAULT_PROVIDER_PEM_CIPHERS: &[&str] = &[
    "AES-128-CBC",
    "AES-192-CBC",
    "AES-256-CBC",
    "DES-EDE3-CBC",
    "CAMELLIA-128-CBC",
    "CAMELLIA-192-CBC",
    "CAMELLIA-256-CBC",
    "ARIA-128-CBC",
    "ARIA-192-CBC",
    "ARIA-256-CBC",
];

fn from_pkcs1(der: &[u8]) -> Result<PrivateKey, LoadError> {
    let rsa = Rsa::private_key_from_der(der).map_err(|_| LoadError::NotPem)?;
    PrivateKey::from_pkey(PKey::from_rsa(rsa).map_err(|_| LoadError::NotPem)?)
}

/// OpenSSL's reasons, as text, of a failure.
fn reasons(error: &openssl::error::ErrorStack) -> String {
    error
        .errors()
        .iter()
        .filter_map(|e| e.reason())
        .collect::<Vec<_>>()
        .join("; ")
        .to_ascii_lowercase()
}

/// A wrong passphrase and a scheme OpenSSL does not have are both failures to decrypt: told
/// apart by OpenSSL's reasons.
fn decrypt_error(error: &openssl::error::ErrorStack) -> LoadError {
    let why = reasons(error);
    if why.contains("unsupported") || why.contains("unknown") {
        LoadError::Unsupported
    } else {
        LoadError::Decrypt
    }
}

fn not_rsa_or_pem(error: &openssl::error::ErrorStack) -> LoadError {
    let why = reasons(error);
    if why.contains("unsupported") || why.contains("unknown") {
        LoadError::NotRsa
    } else {
        LoadError::NotPem
    }
}

/// The calls `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter N` makes
/// (apps/pkcs8.c), which the openssl crate does not wrap: its own encrypted PKCS#8 writer takes
/// neither an iteration count nor a salt length.
mod ffi {
    use openssl_sys::{EVP_CIPHER, PKCS8_PRIV_KEY_INFO, X509_ALGOR};
    use std::ffi::{c_char, c_int, c_uchar};

    #[allow(non_camel_case_types)]
    pub enum X509_SIG {}

    unsafe extern "C" {
        pub fn PKCS5_pbe2_set_iv(
            cipher: *const EVP_CIPHER,
            iter: c_int,
            salt: *mut c_uchar,
            saltlen: c_int,
            aiv: *mut c_uchar,
            prf_nid: c_int,
        ) -> *mut X509_ALGOR;
        pub fn PKCS8_set0_pbe(
            pass: *const c_char,
            passlen: c_int,
            p8inf: *mut PKCS8_PRIV_KEY_INFO,
            pbe: *mut X509_ALGOR,
        ) -> *mut X509_SIG;
        pub fn i2d_X509_SIG(a: *const X509_SIG, out: *mut *mut c_uchar) -> c_int;
        pub fn X509_SIG_free(a: *mut X509_SIG);
    }
}

/// Frees what OpenSSL handed us, whichever way the function returns.
struct Owned<T>(*mut T, unsafe fn(*mut T));

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from OpenSSL's matching allocator and is freed once.
            unsafe { (self.1)(self.0) }
        }
    }
}

unsafe fn free_p8inf(p: *mut openssl_sys::PKCS8_PRIV_KEY_INFO) {
    // SAFETY: as for every `Owned`.
    unsafe { openssl_sys::PKCS8_PRIV_KEY_INFO_free(p) }
}

unsafe fn free_algor(p: *mut openssl_sys::X509_ALGOR) {
    // SAFETY: as for every `Owned`.
    unsafe { openssl_sys::X509_ALGOR_free(p) }
}

unsafe fn free_sig(p: *mut ffi::X509_SIG) {
    // SAFETY: as for every `Owned`.
    unsafe { ffi::X509_SIG_free(p) }
}

/// `EncryptedPrivateKeyInfo` DER of `pkey`.
fn encrypt_pkcs8(pkey: &PKey<Private>, passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    openssl::init();
    let failed = |what: &str| format!("{what}: {}", openssl::error::ErrorStack::get());
    let passlen = std::ffi::c_int::try_from(passphrase.len()).map_err(|e| e.to_string())?;
    let plain = Zeroizing::new(pkey.private_key_to_pkcs8().map_err(|e| e.to_string())?);
    let plain_len = std::ffi::c_long::try_from(plain.len()).map_err(|e| e.to_string())?;
    let mut salt = [0u8; PBKDF2_SALT_LEN];
    openssl::rand::rand_bytes(&mut salt).map_err(|e| e.to_string())?;
    // SAFETY: every pointer passed is valid for the call (the DER, the salt and the passphrase
    // outlive it); every object OpenSSL returns is owned by an `Owned` and freed once,
    // except the algorithm, whose ownership PKCS8_set0_pbe takes only when it succeeds.
    unsafe {
        let mut input = plain.as_ptr();
        let p8inf = Owned(
            openssl_sys::d2i_PKCS8_PRIV_KEY_INFO(std::ptr::null_mut(), &mut input, plain_len),
            free_p8inf,
        );
        if p8inf.0.is_null() {
            return Err(failed("cannot encode the key as PKCS#8"));
        }
        let mut pbe = Owned(
            ffi::PKCS5_pbe2_set_iv(
                openssl_sys::EVP_aes_256_cbc(),
                PBKDF2_ITERATIONS as std::ffi::c_int,
                salt.as_mut_ptr(),
                PBKDF2_SALT_LEN as std::ffi::c_int,
                std::ptr::null_mut(),
                openssl_sys::NID_hmacWithSHA256,
            ),
            free_algor,
        );
        if pbe.0.is_null() {
            return Err(failed("cannot set up PBES2"));
        }
        let sig = Owned(
            ffi::PKCS8_set0_pbe(passphrase.as_ptr().cast(), passlen, p8inf.0, pbe.0),
            free_sig,
        );
        if sig.0.is_null() {
            return Err(failed("cannot encrypt the key"));
        }
        // The algorithm now belongs to `sig`.
        pbe.0 = std::ptr::null_mut();
        let len = ffi::i2d_X509_SIG(sig.0, std::ptr::null_mut());
        let len = usize::try_from(len).map_err(|_| failed("cannot encode the encrypted key"))?;
        let mut out = Zeroizing::new(vec![0u8; len]);
        let mut cursor = out.as_mut_ptr();
        if ffi::i2d_X509_SIG(sig.0, &mut cursor) as usize != len {
            return Err(failed("cannot encode the encrypted key"));
        }
        Ok(out)
    }
}

/// Signs RS256 with OpenSSL, for jsonwebtoken's crypto provider (`jwt.rs`), from the PKCS#1 DER
/// jsonwebtoken hands over.
pub(crate) struct Signer(PrivateKey);

impl Signer {
    /// From PKCS#1 `RSAPrivateKey` DER.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Option<Signer> {
        PrivateKey::from_pkcs1_der(der).ok().map(Signer)
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        self.0.sign_rs256(message)
    }
}

/// Whether `signature` is an RS256 signature of `message` by the key whose PKCS#1
/// `RSAPublicKey` DER this is (2048 to 8192 bits). ring, not OpenSSL: the emulator, which plays
/// IMS, checks what OpenSSL signed with a library of its own.
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
    use std::sync::OnceLock;

    fn key() -> &'static PrivateKey {
        static KEY: OnceLock<PrivateKey> = OnceLock::new();
        KEY.get_or_init(|| PrivateKey::generate(2048).unwrap())
    }

    /// A legacy-encrypted block (`openssl rsa -aes128 -traditional`) whose plaintext is `plain`.
    fn legacy_block(cipher_name: &str, plain: &[u8], passphrase: &[u8]) -> String {
        use base64::Engine;
        use openssl::symm::Cipher;
        let iv = [0x5au8; 16];
        let cipher = Cipher::aes_128_cbc();
        let key = openssl::pkcs5::bytes_to_key(
            cipher,
            MessageDigest::md5(),
            passphrase,
            Some(&iv[..8]),
            1,
        )
        .unwrap();
        let sealed = openssl::symm::encrypt(cipher, &key.key, Some(&iv), plain).unwrap();
        let body = base64::engine::general_purpose::STANDARD.encode(sealed);
        let hex: String = iv.iter().map(|b| format!("{b:02X}")).collect();
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: {cipher_name},{hex}\n\n{body}\n-----END RSA PRIVATE KEY-----\n"
        )
    }

    #[test]
    fn a_legacy_key_that_does_not_open_is_the_passphrases_fault_unless_its_cipher_is_unknown() {
        // What a wrong passphrase sometimes gives: valid padding around bytes that are no key.
        let garbage = legacy_block("AES-128-CBC", &[0x42; 40], b"pw");
        assert_eq!(
            PrivateKey::from_pem(garbage.as_bytes(), Some(b"pw")).unwrap_err(),
            LoadError::Decrypt
        );
        let der = key().to_pkcs1_der().unwrap();
        let real = legacy_block("AES-128-CBC", &der, b"pw");
        assert!(PrivateKey::from_pem(real.as_bytes(), Some(b"pw")).is_ok());
        assert_eq!(
            PrivateKey::from_pem(real.as_bytes(), Some(b"px")).unwrap_err(),
            LoadError::Decrypt
        );
        let unknown = legacy_block("FOO-128-CBC", &der, b"pw");
        assert_eq!(
            PrivateKey::from_pem(unknown.as_bytes(), Some(b"pw")).unwrap_err(),
            LoadError::Unsupported
        );
        // `openssl genrsa -des` (DES-CBC) or `-bf`: only OpenSSL's legacy provider has them, so
        // no passphrase opens them here, the right one included.
        for name in ["DES-CBC", "BF-CBC"] {
            let old = legacy_block(name, &der, b"pw");
            assert_eq!(
                PrivateKey::from_pem(old.as_bytes(), Some(b"pw")).unwrap_err(),
                LoadError::Unsupported,
                "{name}"
            );
        }
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?}", key());
        assert_eq!(shown, "PrivateKey { algorithm: \"RSA\", bits: 2048, .. }");
    }

    #[test]
    fn openssl_signs_what_ring_verifies() {
        let message = b"header.claims";
        let signature = key().sign_rs256(message).unwrap();
        let again = Signer::from_pkcs1_der(&key().to_pkcs1_der().unwrap())
            .unwrap()
            .sign(message)
            .unwrap();
        assert_eq!(signature, again, "PKCS#1 v1.5 signatures are deterministic");
        let public = key().public_key_pkcs1_der();
        assert!(verify_rs256(&public, message, &signature));
        assert!(!verify_rs256(&public, b"header.claimz", &signature));
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

    #[test]
    fn a_key_whose_numbers_disagree_is_refused() {
        // The same key with its modulus's last bit flipped (n odd → even), re-encoded.
        let good = Rsa::private_key_from_der(&key().to_pkcs1_der().unwrap()).unwrap();
        let mut n = good.n().to_vec();
        *n.last_mut().unwrap() ^= 1;
        let bad = Rsa::from_private_components(
            openssl::bn::BigNum::from_slice(&n).unwrap(),
            good.e().to_owned().unwrap(),
            good.d().to_owned().unwrap(),
            good.p().unwrap().to_owned().unwrap(),
            good.q().unwrap().to_owned().unwrap(),
            good.dmp1().unwrap().to_owned().unwrap(),
            good.dmq1().unwrap().to_owned().unwrap(),
            good.iqmp().unwrap().to_owned().unwrap(),
        )
        .unwrap();
        let pem = pem::encode("RSA PRIVATE KEY", &bad.private_key_to_der().unwrap());
        assert_eq!(
            PrivateKey::from_pem(pem.as_bytes(), None).unwrap_err(),
            LoadError::NotPem
        );
        assert!(consistent(&key().pkey));
    }

    #[test]
    fn the_encryption_is_pbkdf2_sha256_600000_with_a_16_byte_salt() {
        let encrypted = key().to_encrypted_pkcs8_pem(b"pw").unwrap();
        let der = pem::blocks(encrypted.as_bytes())[0].der().unwrap();
        let params = der::pbes2_pbkdf2(&der).expect("PBES2 with PBKDF2");
        assert_eq!(params.iterations, 600_000);
        assert_eq!(params.salt_len, 16);
        assert!(params.hmac_sha256);
        assert!(params.aes256_cbc);
    }
}
