//! Just enough DER to read the key-derivation parameters of an encrypted PKCS#8 key before OpenSSL
//! is asked to open it: the file names its own iteration count, and OpenSSL would spend whatever it
//! asks for.

const SEQUENCE: u8 = 0x30;
const OCTET_STRING: u8 = 0x04;
const INTEGER: u8 = 0x02;
const OID: u8 = 0x06;

/// 1.2.840.113549.1.5.13, 1.2.840.113549.1.5.12, 1.3.6.1.4.1.11591.4.11: PBES2, PBKDF2, scrypt.
const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
const PBKDF2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C];
const SCRYPT: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x04, 0x0B];
/// 1.2.840.113549.2.9 and 2.16.840.1.101.3.4.1.42: hmacWithSHA256, aes-256-cbc.
#[cfg(test)]
const HMAC_SHA256: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09];
#[cfg(test)]
const AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A];

/// One tag-length-value; `rest` is what follows it.
struct Tlv<'a> {
    tag: u8,
    value: &'a [u8],
    rest: &'a [u8],
}

fn tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let (&tag, input) = input.split_first()?;
    let (&first, mut input) = input.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7F);
        if count == 0 || count > 4 || input.len() < count {
            return None;
        }
        let (bytes, after) = input.split_at(count);
        input = after;
        bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b))
    };
    if input.len() < len {
        return None;
    }
    let (value, rest) = input.split_at(len);
    Some(Tlv { tag, value, rest })
}

fn expect(input: &[u8], tag: u8) -> Option<Tlv<'_>> {
    tlv(input).filter(|t| t.tag == tag)
}

/// An unsigned INTEGER's value, saturating past u64.
fn unsigned(value: &[u8]) -> u64 {
    if value.first().is_some_and(|b| b & 0x80 != 0) {
        return u64::MAX;
    }
    let digits = value.iter().skip_while(|&&b| b == 0).collect::<Vec<_>>();
    if digits.len() > 8 {
        return u64::MAX;
    }
    digits.iter().fold(0u64, |n, &&b| (n << 8) | u64::from(b))
}

/// The key derivation of an `EncryptedPrivateKeyInfo`, as far as its cost goes.
enum Kdf {
    /// PBKDF2 (PBES2) or PKCS#5 v1.5 / PKCS#12 PBE, which all name an iteration count.
    Iterations(u64),
    /// scrypt's N·r·p.
    Scrypt(u64),
}

/// `SEQUENCE { OID, params }` → (OID, params SEQUENCE's contents).
fn algorithm(input: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let alg = expect(input, SEQUENCE)?;
    let oid = expect(alg.value, OID)?;
    let params = expect(oid.rest, SEQUENCE)?;
    Some((oid.value, params.value, alg.rest))
}

fn kdf(der: &[u8]) -> Option<Kdf> {
    let info = expect(der, SEQUENCE)?;
    let (oid, params, _) = algorithm(info.value)?;
    if oid != PBES2 {
        // PBES1 and PKCS#12: SEQUENCE { salt OCTET STRING, iterations INTEGER }.
        let salt = expect(params, OCTET_STRING)?;
        return Some(Kdf::Iterations(unsigned(expect(salt.rest, INTEGER)?.value)));
    }
    let (kdf_oid, kdf_params, _) = algorithm(params)?;
    let salt = expect(kdf_params, OCTET_STRING)?;
    let first = expect(salt.rest, INTEGER)?;
    match kdf_oid {
        PBKDF2 => Some(Kdf::Iterations(unsigned(first.value))),
        SCRYPT => {
            let r = expect(first.rest, INTEGER)?;
            let p = expect(r.rest, INTEGER)?;
            Some(Kdf::Scrypt(
                unsigned(first.value)
                    .saturating_mul(unsigned(r.value))
                    .saturating_mul(unsigned(p.value)),
            ))
        }
        _ => None,
    }
}

/// Whether opening this `EncryptedPrivateKeyInfo` costs at most `max_iterations` PBKDF2 (or PBE)
/// rounds or `max_scrypt` for scrypt's N·r·p. What cannot be read here is left to OpenSSL, which
/// refuses it at once.
pub(crate) fn affordable_pbe(der: &[u8], max_iterations: u64, max_scrypt: u64) -> bool {
    match kdf(der) {
        Some(Kdf::Iterations(n)) => n <= max_iterations,
        Some(Kdf::Scrypt(work)) => work <= max_scrypt,
        None => true,
    }
}

/// PBES2 with PBKDF2, as a test sees it.
#[cfg(test)]
pub(crate) struct Pbkdf2 {
    pub iterations: u64,
    pub salt_len: usize,
    pub hmac_sha256: bool,
    pub aes256_cbc: bool,
}

#[cfg(test)]
pub(crate) fn pbes2_pbkdf2(der: &[u8]) -> Option<Pbkdf2> {
    let info = expect(der, SEQUENCE)?;
    let (oid, params, _) = algorithm(info.value)?;
    if oid != PBES2 {
        return None;
    }
    let (kdf_oid, kdf_params, cipher) = algorithm(params)?;
    if kdf_oid != PBKDF2 {
        return None;
    }
    let salt = expect(kdf_params, OCTET_STRING)?;
    let iterations = expect(salt.rest, INTEGER)?;
    let prf = algorithm(iterations.rest)
        .map(|(oid, _, _)| oid)
        .or_else(|| {
            let seq = expect(iterations.rest, SEQUENCE)?;
            Some(expect(seq.value, OID)?.value)
        });
    let cipher_oid = expect(expect(cipher, SEQUENCE)?.value, OID)?.value;
    Some(Pbkdf2 {
        iterations: unsigned(iterations.value),
        salt_len: salt.value.len(),
        hmac_sha256: prf == Some(HMAC_SHA256),
        aes256_cbc: cipher_oid == AES256_CBC,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `EncryptedPrivateKeyInfo` from `openssl pkcs8`, with the given arguments.
    fn openssl_encrypted(args: &[&str]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k.pem");
        let out = dir.path().join("e.der");
        let ok = std::process::Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:1024",
                "-out",
            ])
            .arg(&key)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let ok = std::process::Command::new("openssl")
            .args([
                "pkcs8", "-topk8", "-passout", "pass:pw", "-outform", "DER", "-in",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&out)
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        std::fs::read(out).unwrap()
    }

    #[test]
    fn the_cost_openssl_wrote_is_read() {
        let pbkdf2 = openssl_encrypted(&["-v2", "aes-256-cbc", "-iter", "4096"]);
        let params = pbes2_pbkdf2(&pbkdf2).unwrap();
        assert_eq!(params.iterations, 4096);
        assert!(params.hmac_sha256 && params.aes256_cbc);
        assert!(affordable_pbe(&pbkdf2, 4096, 0));
        assert!(!affordable_pbe(&pbkdf2, 4095, u64::MAX));
        let scrypt = openssl_encrypted(&["-scrypt"]);
        assert!(pbes2_pbkdf2(&scrypt).is_none());
        // OpenSSL's defaults: N=16384, r=8, p=1.
        assert!(affordable_pbe(&scrypt, 0, 16384 * 8));
        assert!(!affordable_pbe(&scrypt, u64::MAX, 16384 * 8 - 1));
    }

    #[test]
    fn what_is_not_der_is_left_to_openssl() {
        assert!(affordable_pbe(b"", 0, 0));
        assert!(affordable_pbe(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], 0, 0));
        assert_eq!(unsigned(&[0x00, 0x01, 0x00]), 256);
        assert_eq!(unsigned(&[0x80]), u64::MAX);
        assert_eq!(unsigned(&[1; 9]), u64::MAX);
    }
}
