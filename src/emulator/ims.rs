//! The emulated Adobe IMS: the JWT exchange (`/ims/exchange/jwt`) and the OAuth Server-to-Server token
//! endpoints (`/ims/token/v3`, and `/ims/token/v2` that Adobe's `@adobe/aio-lib-ims` posts to), with the checks of `PROTOCOL.md` in Adobe's order: the client, then the
//! token's shape, claims, metascopes and signature against the uploaded certificates. Issued access tokens
//! are JWTs shaped like Adobe's, which the Places API side checks again.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::wire::{Answer, Received, form_fields, lookup};
use super::{JwtIntegration, OAuthClient, Shared, random_hex};
use crate::cert::{self, Certificate, PrivateKey};

pub(super) const EXCHANGE_PATH: &str = "/ims/exchange/jwt";
pub(super) const TOKEN_PATH: &str = "/ims/token/v3";
/// The older token endpoint, still served by IMS; `@adobe/aio-lib-ims` asks it for client credentials.
pub(super) const TOKEN_V2_PATH: &str = "/ims/token/v2";
/// Where Adobe's aio-lib-ims invalidates a token (`Ims.invalidateToken`).
pub(super) const INVALIDATE_PATH: &str = "/ims/invalidate_token/v2";
const MALFORMED_JWT: &str = "JWT token is incorrectly formatted, and can not be decoded.";
/// How far ahead a JWT's `exp` may lie. No cap is documented; Adobe's clients have used up to
/// now + 87,000 s (24 h 10 min, `@adobe/jwt-auth` in 2019) and IMS accepted it, so nothing up to
/// that is refused.
const MAX_JWT_LIFETIME_SECS: i64 = 24 * 3600 + 10 * 60;

/// The credential a client ID and secret stand for.
enum Client {
    Jwt(JwtIntegration),
    OAuth(OAuthClient),
}

/// An IMS error answer as the `Err` of a check.
fn refuse<T>(status: u16, error: &str, description: &str) -> Result<T, Answer> {
    Err(Answer::error(status, error, description))
}

/// The parsed parts of a JWT and what its signature covers.
struct Jwt {
    header: Map<String, Value>,
    claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

impl Shared {
    /// Both token endpoints check the client first, and the same way.
    fn authenticate(&self, form: &[(String, String)]) -> Result<Client, Answer> {
        let client_id = lookup(form, "client_id").unwrap_or_default();
        let state = self.lock();
        let (secret, client) = match (state.jwt.get(client_id), state.oauth.get(client_id)) {
            (Some(jwt), _) => (&jwt.client_secret, Client::Jwt(jwt.clone())),
            (None, Some(oauth)) => (
                &oauth.credential.client_secret,
                Client::OAuth(oauth.clone()),
            ),
            (None, None) => return refuse(400, "invalid_client", "invalid client_id parameter"),
        };
        if lookup(form, "client_secret") != Some(secret.as_str()) {
            return refuse(401, "invalid_client", "invalid client_secret parameter");
        }
        Ok(client)
    }

    pub(super) fn exchange_jwt(&self, request: &Received) -> Result<Answer, Answer> {
        let form = form_fields(request, true)?;
        let Client::Jwt(integration) = self.authenticate(&form)? else {
            // What Adobe answers once a credential has been converted to OAuth Server-to-Server.
            return refuse(500, "internal_error", "Please try again later");
        };
        let Some(jwt) = lookup(&form, "jwt_token").and_then(decode_jwt) else {
            return refuse(400, "invalid_token", MALFORMED_JWT);
        };
        if jwt.header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return refuse(400, "invalid_signature", "JWT must be signed with RS256");
        }
        let text = |name: &str| jwt.claims.get(name).and_then(Value::as_str);
        let audience = format!("{}/c/{}", self.base_url, integration.client_id);
        if text("aud") != Some(audience.as_str()) {
            return refuse(
                400,
                "invalid_client",
                "aud names another IMS or another client",
            );
        }
        let (iss, sub) = (
            text("iss").unwrap_or_default(),
            text("sub").unwrap_or_default(),
        );
        if !is_org_id(iss) {
            return refuse(400, "bad_request", "iss must be an org ID (…@AdobeOrg)");
        }
        if !is_technical_account_id(sub) {
            return refuse(400, "bad_request", "sub must be a technical account ID");
        }
        let exp = match jwt.claims.get("exp") {
            None | Some(Value::Null) => {
                return refuse(400, "bad_request", "exp must be an integer (epoch seconds)");
            }
            Some(value) => match value.as_i64() {
                Some(exp) => exp,
                // IMS cannot decode a JWT whose exp is a fraction or a string.
                None => return refuse(400, "invalid_token", MALFORMED_JWT),
            },
        };
        if iss != integration.org_id {
            return refuse(400, "invalid_token", "iss is not the integration's org");
        }
        if sub != integration.technical_account_id {
            return refuse(
                400,
                "invalid_token",
                "sub is not the integration's technical account",
            );
        }
        let now = self.now_secs();
        if exp <= now {
            return refuse(400, "invalid_token", "JWT token has expired");
        }
        if exp > now + MAX_JWT_LIFETIME_SECS {
            return refuse(
                400,
                "invalid_token",
                "JWT expiry is more than 24 hours 10 minutes away",
            );
        }
        let prefix = format!("{}/s/", self.base_url);
        let mut requested = Vec::new();
        let mut foreign = false;
        for (key, value) in &jwt.claims {
            if let Some(name) = key.strip_prefix(&prefix) {
                if value == &Value::Bool(true) {
                    requested.push(name);
                }
            } else if key.starts_with("http") && key.contains("/s/") {
                // A metascope of another IMS environment is never in this binding.
                foreign = true;
            }
        }
        if requested.is_empty() && !foreign {
            return refuse(
                400,
                "invalid_scope",
                "No metascopes were requested in the JWT.",
            );
        }
        if foreign
            || requested
                .iter()
                .any(|name| !integration.metascopes.iter().any(|own| own == name))
        {
            let text =
                "The metascopes in the JWT are not a subset of the metascopes in the binding.";
            return refuse(400, "invalid_scope", text);
        }
        let matched = integration
            .certificates_pem
            .iter()
            .filter_map(|pem| Certificate::from_pem(pem.as_bytes()))
            // Adobe drops a binding when its certificate expires.
            .filter(|cert| {
                cert.not_after()
                    .duration_since(std::time::UNIX_EPOCH)
                    .is_ok_and(|d| d.as_secs() as i64 > now)
            })
            .any(|cert| {
                cert.rsa_public_key_pkcs1().is_some_and(|key| {
                    cert::verify_rs256(key, jwt.signing_input.as_bytes(), &jwt.signature)
                })
            });
        if !matched {
            return refuse(
                400,
                "invalid_token",
                "Could not match JWT signature to any of the bindings",
            );
        }
        let account = &integration.technical_account_id;
        let token = self.issue_token(&integration.client_id, account, iss, &requested.join(","))?;
        let lifetime = self.config.token_lifetime.as_millis() as u64;
        let body = json!({ "token_type": "bearer", "access_token": token, "expires_in": lifetime });
        Ok(Answer::json(200, &body))
    }

    /// Client credentials at `/ims/token/v3` or `/ims/token/v2`, urlencoded or multipart. An
    /// `org_id` field, which `@adobe/aio-lib-ims` adds, must name the credential's organization.
    pub(super) fn token_v3(&self, request: &Received) -> Result<Answer, Answer> {
        let form = form_fields(request, true)?;
        if lookup(&form, "grant_type") != Some("client_credentials") {
            return refuse(
                400,
                "unsupported_grant_type",
                "grant_type must be client_credentials",
            );
        }
        let Client::OAuth(oauth) = self.authenticate(&form)? else {
            return refuse(
                400,
                "invalid_client",
                "client is not allowed to use client_credentials",
            );
        };
        let credential = &oauth.credential;
        if let Some(org) = lookup(&form, "org_id")
            && org != credential.org_id
        {
            return refuse(
                400,
                "invalid_org",
                "org_id is not the client's organization",
            );
        }
        let scope = lookup(&form, "scope").unwrap_or_default();
        let scopes: Vec<&str> = scope
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if scopes.is_empty() {
            return refuse(400, "invalid_scope", "scope parameter is missing");
        }
        if let Some(unknown) = scopes
            .iter()
            .find(|s| !credential.scopes.iter().any(|own| own == *s))
        {
            return refuse(400, "invalid_scope", &format!("invalid scope: {unknown}"));
        }
        let account = &oauth.technical_account_id;
        let token = self.issue_token(
            &credential.client_id,
            account,
            &credential.org_id,
            &scopes.join(","),
        )?;
        let lifetime = self.config.token_lifetime.as_secs();
        let body = json!({ "access_token": token, "token_type": "bearer", "expires_in": lifetime });
        Ok(Answer::json(200, &body))
    }

    /// `POST /ims/invalidate_token/v2`: the client authenticated as for a token, then its own
    /// token made dead (the Places API refuses it with 401013 from then on). A token that is not
    /// live already answers 200, as RFC 7009 has revocation do; another client's is refused.
    pub(super) fn invalidate_token(&self, request: &Received) -> Result<Answer, Answer> {
        // aio-lib-ims posts multipart form data.
        let form = form_fields(request, true)?;
        let client = self.authenticate(&form)?;
        let client_id = match &client {
            Client::Jwt(jwt) => jwt.client_id.clone(),
            Client::OAuth(oauth) => oauth.credential.client_id.clone(),
        };
        let token = lookup(&form, "token").unwrap_or_default();
        if token.is_empty() {
            return refuse(400, "invalid_request", "token parameter is missing");
        }
        if let Some(claims) = self.valid_token(token) {
            if claims.get("client_id").and_then(Value::as_str) != Some(client_id.as_str()) {
                return refuse(
                    400,
                    "unauthorized_client",
                    "the token was not issued to this client",
                );
            }
            if let Some(id) = claims.get("id").and_then(Value::as_str) {
                self.lock().live_tokens.remove(id);
            }
        }
        Ok(Answer::json(200, &json!({})))
    }

    /// An access token shaped like Adobe's: a JWT whose `created_at` + `expires_in` (ms, as strings) is its expiry.
    fn issue_token(
        &self,
        client_id: &str,
        user_id: &str,
        org: &str,
        scope: &str,
    ) -> Result<String, Answer> {
        let id = random_hex(16);
        let header = json!({ "alg": "RS256", "x5u": "ims_na1-key-at-1.cer", "kid": "ims_na1-key-at-1", "itt": "at" });
        let claims = json!({
            "id": id, "type": "access_token", "client_id": client_id, "user_id": user_id, "as": "ims-na1",
            "org": org, "scope": scope, "created_at": self.now_millis().to_string(),
            "expires_in": self.config.token_lifetime.as_millis().to_string(),
        });
        let Some(token) = self
            .signing_key
            .get()
            .and_then(|key| sign_jwt(&header, &claims, key))
        else {
            return refuse(500, "internal_error", "Please try again later");
        };
        self.lock().live_tokens.insert(id);
        Ok(token)
    }

    /// The claims of a token this emulator issued and that is still live, by the server's clock.
    pub(super) fn valid_token(&self, token: &str) -> Option<Map<String, Value>> {
        let jwt = decode_jwt(token)?;
        if !verify_rs256(self.signing_key.get()?, &jwt.signing_input, &jwt.signature) {
            return None;
        }
        let text = |name: &str| jwt.claims.get(name).and_then(Value::as_str);
        let created_at: i64 = text("created_at")?.parse().ok()?;
        let expires_in: i64 = text("expires_in")?.parse().ok()?;
        let live = self.lock().live_tokens.contains(text("id")?);
        (live
            && text("type") == Some("access_token")
            && created_at + expires_in > self.now_millis())
        .then_some(jwt.claims)
    }
}

fn is_hex_id(text: &str, suffix: &str) -> bool {
    text.strip_suffix(suffix)
        .is_some_and(|id| id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_org_id(text: &str) -> bool {
    is_hex_id(text, "@AdobeOrg")
}

fn is_technical_account_id(text: &str) -> bool {
    is_hex_id(text, "@techacct.adobe.com")
}

fn base64url_encode(data: &[u8]) -> String {
    cert::BASE64_URL.encode(data)
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1
        || !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    cert::BASE64_URL_LENIENT.decode(text).ok()
}

fn decode_jwt(token: &str) -> Option<Jwt> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return None;
    };
    let object = |part: &str| match serde_json::from_slice(&base64url_decode(part)?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    Some(Jwt {
        header: object(header)?,
        claims: object(claims)?,
        signing_input: format!("{header}.{claims}"),
        signature: base64url_decode(signature)?,
    })
}

pub(super) fn sign_jwt(header: &Value, claims: &Value, key: &PrivateKey) -> Option<String> {
    let input = format!(
        "{}.{}",
        base64url_encode(&serde_json::to_vec(header).ok()?),
        base64url_encode(&serde_json::to_vec(claims).ok()?)
    );
    let signature = key.sign_rs256(input.as_bytes()).ok()?;
    Some(format!("{input}.{}", base64url_encode(&signature)))
}

fn verify_rs256(key: &PrivateKey, input: &str, signature: &[u8]) -> bool {
    cert::verify_rs256(&key.public_key_pkcs1_der(), input.as_bytes(), signature)
}

#[cfg(test)]
#[path = "ims_tests.rs"]
mod tests;
