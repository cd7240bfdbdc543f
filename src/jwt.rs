//! The JWT of the Service Account flow: its claims, and RS256 signing with OpenSSL.
//!
//! jsonwebtoken does the encoding; its signatures are made by OpenSSL through a crypto provider
//! defined here. Its verifier (for the emulator, which plays IMS, and for tests) is ring's: what
//! OpenSSL signed is checked by another library.
use crate::cert::{self, PrivateKey};
use crate::error::{Error, Result};
use base64::Engine;
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, new_error};
use jsonwebtoken::signature;
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey, Header};
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime};

/// Adobe's clients give the JWT five minutes of life; a fresh one is signed for every attempt.
pub const LIFETIME: Duration = Duration::from_secs(300);
/// The metascope of the Places Service.
pub const PLACES_METASCOPE: &str = "ent_places_sdk";

struct Rs256Signer(cert::Signer);

/// A public key, as PKCS#1 `RSAPublicKey` DER or as its modulus and exponent.
enum Rs256Verifier {
    Der(Vec<u8>),
    Components { n: Vec<u8>, e: Vec<u8> },
}

impl signature::Signer<Vec<u8>> for Rs256Signer {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        self.0.sign(message).map_err(|_| signature::Error::new())
    }
}

impl JwtSigner for Rs256Signer {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

impl signature::Verifier<Vec<u8>> for Rs256Verifier {
    fn verify(&self, message: &[u8], sig: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        let good = match self {
            Rs256Verifier::Der(der) => cert::verify_rs256(der, message, sig),
            Rs256Verifier::Components { n, e } => cert::verify_rs256_components(n, e, message, sig),
        };
        if good {
            Ok(())
        } else {
            Err(signature::Error::new())
        }
    }
}

impl JwtVerifier for Rs256Verifier {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

fn signer_factory(
    alg: &Algorithm,
    key: &EncodingKey,
) -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
    if *alg != Algorithm::RS256 {
        return Err(new_error(ErrorKind::InvalidAlgorithm));
    }
    let signer = cert::Signer::from_pkcs1_der(key.as_bytes())
        .ok_or_else(|| new_error(ErrorKind::InvalidKeyFormat))?;
    Ok(Box::new(Rs256Signer(signer)))
}

fn verifier_factory(
    alg: &Algorithm,
    key: &DecodingKey,
) -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
    if *alg != Algorithm::RS256 {
        return Err(new_error(ErrorKind::InvalidAlgorithm));
    }
    Ok(Box::new(match key.kind() {
        DecodingKeyKind::SecretOrDer(der) => Rs256Verifier::Der(der.to_vec()),
        DecodingKeyKind::RsaModulusExponent { n, e } => Rs256Verifier::Components {
            n: n.to_vec(),
            e: e.to_vec(),
        },
    }))
}

static OPENSSL_PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory,
    verifier_factory,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Makes this provider (OpenSSL signs, ring verifies) jsonwebtoken's crypto provider for this process. Safe to call more than once.
pub fn install_crypto_provider() {
    // An Err only says a provider is already installed, which is what we want.
    let _ = OPENSSL_PROVIDER.install_default();
}

/// What goes into the JWT of a Service Account exchange.
#[derive(Debug, Clone)]
pub struct JwtRequest<'a> {
    pub ims_url: &'a str,
    pub org_id: &'a str,
    pub technical_account_id: &'a str,
    pub client_id: &'a str,
    pub metascopes: &'a [String],
}

impl JwtRequest<'_> {
    /// The claims, with `exp` five minutes after `now`.
    pub fn claims(&self, now: SystemTime) -> Map<String, Value> {
        let ims = self.ims_url.trim_end_matches('/');
        let exp = now
            .checked_add(LIFETIME)
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let mut claims = Map::new();
        claims.insert("exp".into(), Value::from(exp));
        claims.insert("iss".into(), Value::from(self.org_id));
        claims.insert("sub".into(), Value::from(self.technical_account_id));
        claims.insert(
            "aud".into(),
            Value::from(format!("{ims}/c/{}", self.client_id)),
        );
        for metascope in self.metascopes {
            claims.insert(metascope_claim(ims, metascope), Value::Bool(true));
        }
        claims
    }

    /// Signs a fresh JWT with the private key.
    pub fn sign(&self, key: &PrivateKey, now: SystemTime) -> Result<String> {
        install_crypto_provider();
        let der = key.to_pkcs1_der().map_err(|_| {
            Error::new("the private key is not an RSA key")
                .with_hint("make an RSA pair with `places-setup keys`")
        })?;
        let header = Header::new(Algorithm::RS256);
        jsonwebtoken::encode(&header, &self.claims(now), &EncodingKey::from_rsa_der(&der))
            .map_err(|e| Error::new(format!("cannot sign the JWT: {e}")))
    }
}

/// `"{ims}/s/{metascope}"`, or the metascope itself when it is already a URL.
pub fn metascope_claim(ims_url: &str, metascope: &str) -> String {
    if metascope.starts_with("https://") || metascope.starts_with("http://") {
        metascope.to_string()
    } else {
        format!("{}/s/{metascope}", ims_url.trim_end_matches('/'))
    }
}

/// Reads the payload of a JWT without checking its signature: for the expiry that Adobe's access
/// tokens carry, never for trust.
pub fn unverified_payload(token: &str) -> Option<Map<String, Value>> {
    use base64_decode as b64;
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&b64(payload)?).ok()
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    // base64url without padding, as JWTs use, read as standard base64 with padding.
    let mut standard: String = text
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    cert::BASE64_LENIENT.decode(&standard).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Validation, decode};

    fn request(metascopes: &[String]) -> JwtRequest<'_> {
        JwtRequest {
            ims_url: "https://ims-na1.adobelogin.com/",
            org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
            technical_account_id: "0123456789ABCDEF01234567@techacct.adobe.com",
            client_id: "0123456789abcdef0123456789abcdef",
            metascopes,
        }
    }

    #[test]
    fn claims_follow_adobe() {
        let metascopes = vec![
            "ent_places_sdk".to_string(),
            "https://x.example/s/other".to_string(),
        ];
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let claims = request(&metascopes).claims(now);
        assert_eq!(claims["exp"], 1_700_000_300u64);
        assert_eq!(claims["iss"], "18FB61145BAC2FFB0A494777@AdobeOrg");
        assert_eq!(claims["sub"], "0123456789ABCDEF01234567@techacct.adobe.com");
        assert_eq!(
            claims["aud"],
            "https://ims-na1.adobelogin.com/c/0123456789abcdef0123456789abcdef"
        );
        assert_eq!(
            claims["https://ims-na1.adobelogin.com/s/ent_places_sdk"],
            true
        );
        assert_eq!(claims["https://x.example/s/other"], true);
        assert_eq!(claims.len(), 6);
    }

    #[test]
    fn signature_verifies_with_the_public_key_only() {
        let metascopes = vec![PLACES_METASCOPE.to_string()];
        let key = cert::generate_key().unwrap();
        let token = request(&metascopes).sign(&key, SystemTime::now()).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::RS256);
        assert_eq!(header.typ.as_deref(), Some("JWT"));

        let public_der = key.public_key_pkcs1_der();
        let mut validation = Validation::new(Algorithm::RS256);
        validation
            .set_audience(&["https://ims-na1.adobelogin.com/c/0123456789abcdef0123456789abcdef"]);
        let data = decode::<Map<String, Value>>(
            &token,
            &DecodingKey::from_rsa_der(&public_der),
            &validation,
        )
        .unwrap();
        assert_eq!(data.claims["iss"], "18FB61145BAC2FFB0A494777@AdobeOrg");

        let other = cert::generate_key().unwrap();
        let other_der = other.public_key_pkcs1_der();
        assert!(
            decode::<Map<String, Value>>(
                &token,
                &DecodingKey::from_rsa_der(&other_der),
                &validation
            )
            .is_err()
        );

        let payload = unverified_payload(&token).unwrap();
        assert_eq!(
            payload["sub"],
            "0123456789ABCDEF01234567@techacct.adobe.com"
        );
    }
}
