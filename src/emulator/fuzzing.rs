//! Entry points for the fuzz targets in `fuzz/` (not part of the API): the emulator's own request parsing,
//! reached without a socket.

use std::sync::{Mutex, OnceLock};

use crate::cert::PrivateKey;
use serde_json::{Value, json};

use super::ims::sign_jwt;
use super::wire::read_request;
use super::{EmulatorConfig, JwtIntegration, OAuthClient, OAuthCredential, Shared, State};

/// The client ID, secret and org of the one JWT integration and the one OAuth credential the fuzzed
/// emulator knows, so that inputs can get past client authentication.
pub const JWT_CLIENT_ID: &str = "0123456789abcdef0123456789abcdef";
pub const OAUTH_CLIENT_ID: &str = "fedcba9876543210fedcba9876543210";
pub const CLIENT_SECRET: &str = "p8e-fuzz";
pub const ORG_ID: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
pub const TECHNICAL_ACCOUNT_ID: &str = "0123456789ABCDEF01234567@techacct.adobe.com";
/// The emulator's base URL, as the `aud` and metascope claims must name it.
pub const BASE_URL: &str = "http://127.0.0.1:1";

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let signing_key = crate::cert::generate_key().expect("an RSA key for the fuzzed emulator");
        let certificate = fuzzing_certificate(&signing_key);
        let mut state = State::default();
        state.jwt.insert(
            JWT_CLIENT_ID.into(),
            JwtIntegration {
                org_id: ORG_ID.into(),
                client_id: JWT_CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                technical_account_id: TECHNICAL_ACCOUNT_ID.into(),
                certificates_pem: certificate.into_iter().collect(),
                metascopes: vec!["ent_places_sdk".into()],
            },
        );
        state.oauth.insert(
            OAUTH_CLIENT_ID.into(),
            OAuthClient {
                credential: OAuthCredential {
                    org_id: ORG_ID.into(),
                    client_id: OAUTH_CLIENT_ID.into(),
                    client_secret: CLIENT_SECRET.into(),
                    scopes: vec!["openid".into(), "AdobeID".into()],
                },
                technical_account_id: TECHNICAL_ACCOUNT_ID.into(),
            },
        );
        Shared {
            config: EmulatorConfig::default(),
            served: Mutex::new(None),
            base_url: BASE_URL.into(),
            signing_key: OnceLock::from(signing_key),
            state: Mutex::new(state),
        }
    })
}

/// Reads `raw` as one HTTP/1.1 request the way the socket-fault path does, routes it, and returns the
/// status and body the emulator would send; `None` when the bytes are not a request at all.
pub fn serve_raw(raw: &[u8]) -> Option<(u16, Vec<u8>)> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    let runtime = RUNTIME
        .get_or_init(|| tokio::runtime::Builder::new_current_thread().build().ok())
        .as_ref()?;
    let mut reader = raw;
    let request = runtime.block_on(read_request(&mut reader))?;
    let shared = shared();
    shared.record(&request);
    let answer = shared.finish(shared.route(&request));
    let _ = answer.to_http(answer.body.len());
    // Keep the state from growing over millions of runs.
    let mut state = shared.lock();
    state.live_tokens.clear();
    state.last.clear();
    Some((answer.status, answer.body))
}

/// Signs claims with the key whose certificate the fuzzed JWT integration holds, to make seeds that pass.
pub fn sign_for_integration(claims: &Value) -> Option<String> {
    sign_jwt(
        &json!({"alg": "RS256", "typ": "JWT"}),
        claims,
        shared().signing_key.get()?,
    )
}

/// A self-signed certificate for `key`, valid for a year, for the fuzzed emulator's integration.
fn fuzzing_certificate(key: &PrivateKey) -> Option<String> {
    let now = std::time::SystemTime::now();
    let year = std::time::Duration::from_secs(365 * 86_400);
    crate::cert::self_signed_between(key, "places-setup fuzz", now, now + year)
        .ok()
        .map(|c| c.to_pem())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::ims::{EXCHANGE_PATH, TOKEN_PATH};
    use crate::emulator::test_support::now;

    #[test]
    fn the_fuzzing_entry_serves_raw_requests() {
        let request = |body: &str| {
            format!(
                "POST {{}} HTTP/1.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        let oauth = format!(
            "grant_type=client_credentials&client_id={OAUTH_CLIENT_ID}&client_secret={CLIENT_SECRET}&scope=openid"
        );
        let (status, _) = serve_raw(request(&oauth).replace("{}", TOKEN_PATH).as_bytes()).unwrap();
        assert_eq!(status, 200);
        let claims = json!({
            "iss": ORG_ID, "sub": TECHNICAL_ACCOUNT_ID, "aud": format!("{BASE_URL}/c/{JWT_CLIENT_ID}"),
            "exp": now() + 300, format!("{BASE_URL}/s/ent_places_sdk"): true,
        });
        let token = sign_for_integration(&claims).unwrap();
        let jwt =
            format!("client_id={JWT_CLIENT_ID}&client_secret={CLIENT_SECRET}&jwt_token={token}");
        let (status, body) =
            serve_raw(request(&jwt).replace("{}", EXCHANGE_PATH).as_bytes()).unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        assert_eq!(serve_raw(b"GET / HTTP/1.1\r\n\r\n").unwrap().0, 404);
        assert!(serve_raw(b"GET / HTTP/1.1\r\n").is_none());
    }
}
