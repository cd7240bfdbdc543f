//! What the emulator's unit tests share: one key pair per role, an integration and a credential, an
//! emulator knowing them, and requests sent to it with their replies.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::cert::PrivateKey;
use serde_json::{Value, json};

use super::ims::{EXCHANGE_PATH, TOKEN_PATH, sign_jwt};
use super::{Emulator, EmulatorConfig, JwtIntegration, OAuthCredential};

pub(super) const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
pub(super) const TECH: &str = "0123456789ABCDEF01234567@techacct.adobe.com";
pub(super) const CLIENT: &str = "0123456789abcdef0123456789abcdef";
// Characters that must survive form encoding both ways.
pub(super) const SECRET: &str = "p8e-T3st+/=&% secret";
pub(super) const OAUTH_CLIENT: &str = "fedcba9876543210fedcba9876543210";
pub(super) const OAUTH_SECRET: &str = "p8e-oauth-secret";

pub(super) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub(super) fn self_signed(key: &PrivateKey, not_before: i64, not_after: i64) -> String {
    let at = |secs: i64| UNIX_EPOCH + Duration::from_secs(secs as u64);
    crate::cert::self_signed_between(key, "places-setup test", at(not_before), at(not_after))
        .unwrap()
        .to_pem()
}

/// RSA key generation is slow: one key pair (and certificate) per role for the whole module.
fn key_pair(cell: &'static OnceLock<(PrivateKey, String)>) -> &'static (PrivateKey, String) {
    cell.get_or_init(|| {
        let key = crate::cert::generate_key().unwrap();
        let cert = self_signed(&key, now() - 60, now() + 365 * 86_400);
        (key, cert)
    })
}

pub(super) fn keys() -> &'static (PrivateKey, String) {
    static KEYS: OnceLock<(PrivateKey, String)> = OnceLock::new();
    key_pair(&KEYS)
}

pub(super) fn other_keys() -> &'static (PrivateKey, String) {
    static KEYS: OnceLock<(PrivateKey, String)> = OnceLock::new();
    key_pair(&KEYS)
}

pub(super) fn integration() -> JwtIntegration {
    JwtIntegration {
        org_id: ORG.into(),
        client_id: CLIENT.into(),
        client_secret: SECRET.into(),
        technical_account_id: TECH.into(),
        certificates_pem: vec![keys().1.clone()],
        metascopes: vec!["ent_places_sdk".into()],
    }
}

pub(super) fn oauth() -> OAuthCredential {
    OAuthCredential {
        org_id: ORG.into(),
        client_id: OAUTH_CLIENT.into(),
        client_secret: OAUTH_SECRET.into(),
        scopes: vec!["openid".into(), "AdobeID".into(), "ent_places_sdk".into()],
    }
}

pub(super) fn emulator_with(config: EmulatorConfig) -> Emulator {
    let emulator = Emulator::start(config).unwrap();
    emulator.add_jwt_integration(integration());
    emulator
}

pub(super) fn emulator() -> Emulator {
    emulator_with(EmulatorConfig::default())
}

/// The claims Adobe's own clients send, for this emulator.
pub(super) fn claims(emulator: &Emulator) -> Value {
    let mut claims = json!({
        "iss": ORG, "sub": TECH, "aud": format!("{}/c/{CLIENT}", emulator.url()), "exp": now() + 300,
    });
    claims[format!("{}/s/ent_places_sdk", emulator.url())] = json!(true);
    claims
}

pub(super) fn jwt_signed_by(claims: &Value, key: &PrivateKey) -> String {
    sign_jwt(&json!({ "alg": "RS256", "typ": "JWT" }), claims, key).unwrap()
}

pub(super) fn jwt(claims: &Value) -> String {
    jwt_signed_by(claims, &keys().0)
}

pub(super) fn client() -> reqwest::Client {
    crate::http::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) json: Value,
}

impl Reply {
    pub(super) fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |value| value.to_str().unwrap())
    }
}

pub(super) async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    let json = serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        json,
    }
}

pub(super) async fn post(emulator: &Emulator, path: &str, fields: &[(&str, &str)]) -> Reply {
    send(
        client()
            .post(format!("{}{path}", emulator.url()))
            .form(fields),
    )
    .await
}

pub(super) async fn exchange_jwt(emulator: &Emulator, token: &str) -> Reply {
    let fields = [
        ("client_id", CLIENT),
        ("client_secret", SECRET),
        ("jwt_token", token),
    ];
    post(emulator, EXCHANGE_PATH, &fields).await
}

pub(super) async fn token_v3(
    emulator: &Emulator,
    client_id: &str,
    secret: &str,
    scope: &str,
) -> Reply {
    let fields = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", scope),
    ];
    post(emulator, TOKEN_PATH, &fields).await
}

pub(super) async fn access_token(emulator: &Emulator) -> String {
    let reply = exchange_jwt(emulator, &jwt(&claims(emulator))).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    reply.json["access_token"].as_str().unwrap().to_string()
}

pub(super) async fn libraries(
    emulator: &Emulator,
    token: &str,
    api_key: Option<&str>,
    org: &str,
) -> Reply {
    let mut request = client()
        .get(format!("{}/libraries", emulator.places_url()))
        .header("authorization", format!("Bearer {token}"))
        .header("x-gw-ims-org-id", org);
    if let Some(api_key) = api_key {
        request = request.header("x-api-key", api_key);
    }
    send(request).await
}

pub(super) fn assert_error(reply: &Reply, status: u16, error: &str, description: &str) {
    assert_eq!(
        (reply.status, reply.json["error"].as_str()),
        (status, Some(error)),
        "{}",
        reply.json
    );
    let text = reply.json["error_description"].as_str().unwrap();
    assert!(
        text.contains(description),
        "{text:?} does not contain {description:?}"
    );
}

pub(super) fn assert_gateway(reply: &Reply, status: u16, code: &str, message: &str) {
    let expected = json!({ "error_code": code, "message": message });
    assert_eq!((reply.status, &reply.json), (status, &expected));
}
