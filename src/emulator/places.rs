//! The emulated Places API behind Adobe's API gateway: `GET /libraries`, answered only for a live token of
//! this emulator with the matching API key and org, and refused in the gateway's own error shape otherwise.

use serde_json::Value;

use super::wire::{Answer, Received};
use super::{Library, Shared};

pub(super) const PLACES_PREFIX: &str = "/places/placesapi/v1";
pub(super) const LIBRARIES_PATH: &str = "/places/placesapi/v1/libraries";

impl Shared {
    pub(super) fn libraries(&self, request: &Received) -> Answer {
        let token = request.header("authorization").and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        });
        let Some(claims) = token.and_then(|token| self.valid_token(token.trim())) else {
            return Answer::gateway(401, "401013", "Oauth token is not valid");
        };
        let claim = |name: &str| claims.get(name).and_then(Value::as_str);
        if request.header("x-api-key").is_none()
            || request.header("x-api-key") != claim("client_id")
        {
            return Answer::gateway(403, "403003", "Api Key is invalid");
        }
        let org = claim("org").unwrap_or_default();
        if request.header("x-gw-ims-org-id") != Some(org) {
            return Answer::gateway(403, "403025", "Profile is not valid");
        }
        let libraries = self
            .lock()
            .libraries
            .get(org)
            .cloned()
            .unwrap_or_else(|| sample_libraries(org));
        Answer::json(200, &serde_json::to_value(libraries).unwrap_or_default())
    }
}

fn sample_libraries(org: &str) -> Vec<Library> {
    let library = |id: &str, name: &str, poi_count| Library {
        id: id.to_string(),
        name: name.to_string(),
        customer_id: org.to_string(),
        poi_count,
    };
    vec![
        library("3b1e8a4c-6f2d-4e0b-9a7c-1d5f2e8b9c01", "Stores", 42),
        library("9c4d2f7a-1b8e-4c3d-8e6f-5a2b7c9d0e12", "Airports", 7),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::EmulatorConfig;
    use crate::emulator::test_support::*;
    use serde_json::json;
    use std::time::Duration;

    #[tokio::test]
    async fn libraries_answer_a_valid_token() {
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let reply = libraries(&emulator, &token, Some(CLIENT), ORG).await;
        assert_eq!(reply.status, 200, "{}", reply.json);
        let listed: Vec<Library> = serde_json::from_value(reply.json).unwrap();
        assert_eq!(listed, sample_libraries(ORG));
        assert_eq!(listed.len(), 2);
        let own = vec![Library {
            id: "lib-1".into(),
            name: "Depots".into(),
            customer_id: ORG.into(),
            poi_count: 3,
        }];
        emulator.set_libraries(ORG, own.clone());
        let reply = libraries(&emulator, &token, Some(CLIENT), ORG).await;
        assert_eq!(
            reply.json,
            json!([{ "id": "lib-1", "name": "Depots", "customerID": ORG, "poiCount": 3 }])
        );
        let sent = emulator.last_request(LIBRARIES_PATH).unwrap();
        assert_eq!(sent.header("X-Api-Key"), Some(CLIENT));
    }

    #[tokio::test]
    async fn libraries_refuse_a_foreign_api_key_or_org() {
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let invalid_key = ("403003", "Api Key is invalid");
        for api_key in [Some(OAUTH_CLIENT), None] {
            let reply = libraries(&emulator, &token, api_key, ORG).await;
            assert_gateway(&reply, 403, invalid_key.0, invalid_key.1);
        }
        let reply = libraries(
            &emulator,
            &token,
            Some(CLIENT),
            "AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg",
        )
        .await;
        assert_gateway(&reply, 403, "403025", "Profile is not valid");
    }

    #[tokio::test]
    async fn libraries_refuse_tokens_that_are_not_live() {
        let invalid = ("401013", "Oauth token is not valid");
        let emulator = emulator();
        let token = access_token(&emulator).await;
        assert_eq!(
            libraries(&emulator, &token, Some(CLIENT), ORG).await.status,
            200
        );
        let elsewhere = self::emulator();
        let foreign = access_token(&elsewhere).await;
        let expired_at_birth = emulator_with(EmulatorConfig {
            token_lifetime: Duration::ZERO,
            ..Default::default()
        });
        let expired = access_token(&expired_at_birth).await;
        let expired_reply = libraries(&expired_at_birth, &expired, Some(CLIENT), ORG).await;
        assert_gateway(&expired_reply, 401, invalid.0, invalid.1);
        for bad in ["", "garbage", foreign.as_str(), &format!("{token}x")] {
            assert_gateway(
                &libraries(&emulator, bad, Some(CLIENT), ORG).await,
                401,
                invalid.0,
                invalid.1,
            );
        }
        emulator.revoke_tokens();
        assert_gateway(
            &libraries(&emulator, &token, Some(CLIENT), ORG).await,
            401,
            invalid.0,
            invalid.1,
        );
        let fresh = access_token(&emulator).await;
        assert_eq!(
            libraries(&emulator, &fresh, Some(CLIENT), ORG).await.status,
            200
        );
    }
}
