//! The emulated Places API behind Adobe's API gateway: `GET /libraries`, answered only for a live token of
//! this emulator with the matching API key and org, and refused in the gateway's own error shape otherwise.

use serde_json::{Value, json};

use super::wire::{Answer, Received};
use super::{Library, Shared, random_hex};

pub(super) const PLACES_PREFIX: &str = "/places/placesapi/v1";
#[cfg(test)]
pub(super) const LIBRARIES_PATH: &str = "/places/placesapi/v1/libraries";

/// A library's name may be this long (Adobe's docs).
const MAX_NAME: usize = 256;
/// `limit` when none is given, and the most a page may hold.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// The gateway's error codes are the status and three digits; those of a refused body and of a
/// resource that is not there are the emulator's own (Adobe documents none).
fn not_found(what: &str) -> Answer {
    Answer::gateway(404, "404000", &format!("{what} not found"))
}

fn bad_request(message: &str) -> Answer {
    Answer::gateway(400, "400000", message)
}

impl Shared {
    /// Everything under the Places API's base path, as the gateway and the service answer it:
    /// the token, API key and org first, then the resource. Every answer carries an `X-Request-Id`.
    pub(super) fn places(&self, request: &Received) -> Answer {
        let mut answer = match self.authorize(request) {
            Ok(org) => self.places_resource(request, &org),
            Err(refused) => refused,
        };
        answer.headers.push(("x-request-id".into(), random_hex(16)));
        answer
    }

    /// The org the request may act for, or the gateway's refusal.
    fn authorize(&self, request: &Received) -> Result<String, Answer> {
        let token = request.header("authorization").and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        });
        let Some(claims) = token.and_then(|token| self.valid_token(token.trim())) else {
            return Err(Answer::gateway(401, "401013", "Oauth token is not valid"));
        };
        let claim = |name: &str| claims.get(name).and_then(Value::as_str);
        if request.header("x-api-key").is_none()
            || request.header("x-api-key") != claim("client_id")
        {
            return Err(Answer::gateway(403, "403003", "Api Key is invalid"));
        }
        let org = claim("org").unwrap_or_default();
        if request.header("x-gw-ims-org-id") != Some(org) {
            return Err(Answer::gateway(403, "403025", "Profile is not valid"));
        }
        Ok(org.to_string())
    }

    fn places_resource(&self, request: &Received, org: &str) -> Answer {
        let rest = request.path[PLACES_PREFIX.len()..].trim_start_matches('/');
        let parts: Vec<&str> = rest.split('/').collect();
        let method = request.method.as_str();
        match (method, parts.as_slice()) {
            ("GET", ["libraries"]) => Answer::json(
                200,
                &serde_json::to_value(self.org_libraries(org)).unwrap_or_default(),
            ),
            ("POST", ["libraries"]) => self.create_library(request, org),
            ("GET", ["libraries", id]) => match self.find_library(org, id) {
                Some(library) => {
                    Answer::json(200, &serde_json::to_value(library).unwrap_or_default())
                }
                None => not_found("Library"),
            },
            ("DELETE", ["libraries", id]) => {
                let mut state = self.lock();
                let libraries = state
                    .libraries
                    .entry(org.to_string())
                    .or_insert_with(|| sample_libraries(org));
                let before = libraries.len();
                libraries.retain(|l| l.id != *id);
                if libraries.len() == before {
                    return not_found("Library");
                }
                state.pois.remove(*id);
                Answer::new(204, super::wire::JSON, Vec::new())
            }
            ("GET", ["libraries", id, "pois"]) => match self.find_library(org, id) {
                Some(library) => self.pois_page(request, &library),
                None => not_found("Library"),
            },
            (_, ["libraries"] | ["libraries", _] | ["libraries", _, "pois"]) => Answer::gateway(
                405,
                "405000",
                &format!("{method} is not allowed on {}", request.path),
            ),
            _ => not_found("Resource"),
        }
    }

    /// The org's libraries, the two samples until it has others.
    fn org_libraries(&self, org: &str) -> Vec<Library> {
        self.lock()
            .libraries
            .entry(org.to_string())
            .or_insert_with(|| sample_libraries(org))
            .clone()
    }

    fn find_library(&self, org: &str, id: &str) -> Option<Library> {
        self.org_libraries(org).into_iter().find(|l| l.id == id)
    }

    fn create_library(&self, request: &Received, org: &str) -> Answer {
        let json_body = request
            .header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json"));
        if !json_body {
            return Answer::gateway(415, "415000", "Content-Type must be application/json");
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return bad_request("the body is not JSON");
        };
        let name = match body.get("name").and_then(Value::as_str).map(str::trim) {
            Some(name) if !name.is_empty() && name.chars().count() <= MAX_NAME => name,
            Some(name) if !name.is_empty() => {
                return bad_request(&format!("name is longer than {MAX_NAME} characters"));
            }
            _ => return bad_request("name is required"),
        };
        let hex = random_hex(16);
        let library = Library {
            id: format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            ),
            name: name.to_string(),
            customer_id: org.to_string(),
            poi_count: 0,
        };
        let mut state = self.lock();
        state
            .libraries
            .entry(org.to_string())
            .or_insert_with(|| sample_libraries(org))
            .push(library.clone());
        state.pois.insert(library.id.clone(), Vec::new());
        Answer::json(200, &serde_json::to_value(library).unwrap_or_default())
    }

    /// One page of a library's POIs, ordered by name, with the links Adobe's answers carry.
    fn pois_page(&self, request: &Received, library: &Library) -> Answer {
        let mut limit = DEFAULT_LIMIT;
        let mut page = 1usize;
        for (name, value) in url::form_urlencoded::parse(request.query.as_bytes()) {
            let number = value.parse::<usize>().ok();
            match name.as_ref() {
                "limit" => match number {
                    Some(n) if (1..=MAX_LIMIT).contains(&n) => limit = n,
                    _ => {
                        return bad_request(&format!(
                            "limit must be a whole number from 1 to {MAX_LIMIT}"
                        ));
                    }
                },
                "page" => match number {
                    Some(n) if n >= 1 => page = n,
                    _ => return bad_request("page must be a whole number from 1"),
                },
                "orderby" if value != "name" => {
                    return bad_request("orderby: only name is supported");
                }
                _ => {}
            }
        }
        let pois = self
            .lock()
            .pois
            .entry(library.id.clone())
            .or_insert_with(|| sample_pois(library))
            .clone();
        let total = pois.len();
        let page_count = total.div_ceil(limit);
        let data: Vec<Value> = pois
            .into_iter()
            .skip((page - 1) * limit)
            .take(limit)
            .collect();
        let here = format!("{}{}", self.base_url, request.path);
        let mut links = json!({
            "page": {"href": format!("{here}{{?orderby,limit,page}}"), "templated": true},
        });
        if page < page_count {
            links["next"] =
                json!({"href": format!("{here}?orderby=name&limit={limit}&page={}", page + 1)});
        }
        Answer::json(
            200,
            &json!({
                "data": data,
                "_page": {"orderBy": "name", "page": page, "count": data.len()},
                "_links": links,
                "page_count": page_count,
                "total_count": total,
            }),
        )
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

/// `poiCount` made-up POIs for a library, in the fields Adobe's API uses, ordered by name.
fn sample_pois(library: &Library) -> Vec<Value> {
    (1..=library.poi_count)
        .map(|n| {
            json!({
                "id": format!("{}-poi-{n:05}", &library.id[..library.id.len().min(8)]),
                "name": format!("{} {n:05}", library.name),
                "description": format!("Point {n} of {}", library.name),
                "location": {"type": "Point", "coordinates": [-121.89 + n as f64 / 1000.0, 37.33]},
                "radius": 100,
                "country": "US",
                "state": "California",
                "city": "San Jose",
                "street": "345 Park Avenue",
                "category": library.name,
                "icon": "",
                "color": "",
                "metadata": {},
                "lib_id": library.id,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::test_support::*;
    use crate::emulator::{Emulator, EmulatorConfig};
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
        assert_eq!(reply.headers.get("x-request-id").map(|v| v.len()), Some(32));
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

    fn authorized(
        emulator: &Emulator,
        token: &str,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        client()
            .request(method, format!("{}{path}", emulator.places_url()))
            .header("authorization", format!("Bearer {token}"))
            .header("x-api-key", CLIENT)
            .header("x-gw-ims-org-id", ORG)
    }

    #[tokio::test]
    async fn libraries_are_created_read_and_deleted() {
        use reqwest::Method;
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let created = send(
            authorized(&emulator, &token, Method::POST, "/libraries")
                .header("content-type", "application/json")
                .body(r#"{"name": "Depots"}"#),
        )
        .await;
        assert_eq!(created.status, 200, "{}", created.json);
        assert_eq!(created.json["name"], "Depots");
        assert_eq!(created.json["poiCount"], 0);
        let id = created.json["id"].as_str().unwrap().to_string();
        let read = send(authorized(
            &emulator,
            &token,
            Method::GET,
            &format!("/libraries/{id}"),
        ))
        .await;
        assert_eq!(read.json, created.json);
        let listed = libraries(&emulator, &token, Some(CLIENT), ORG).await;
        assert_eq!(listed.json.as_array().unwrap().len(), 3, "{}", listed.json);
        let deleted = send(authorized(
            &emulator,
            &token,
            Method::DELETE,
            &format!("/libraries/{id}"),
        ))
        .await;
        assert_eq!(deleted.status, 204);
        let again = send(authorized(
            &emulator,
            &token,
            Method::DELETE,
            &format!("/libraries/{id}"),
        ))
        .await;
        assert_gateway(&again, 404, "404000", "Library not found");
        assert_eq!(again.header("x-request-id").len(), 32);
        let listed = libraries(&emulator, &token, Some(CLIENT), ORG).await;
        assert_eq!(listed.json.as_array().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_library_needs_a_json_body_with_a_name() {
        use reqwest::Method;
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let post = |body: &'static str, content_type: &'static str| {
            authorized(&emulator, &token, Method::POST, "/libraries")
                .header("content-type", content_type)
                .body(body)
        };
        let plain = send(post(r#"{"name":"x"}"#, "text/plain")).await;
        assert_gateway(
            &plain,
            415,
            "415000",
            "Content-Type must be application/json",
        );
        for body in ["{}", r#"{"name":""}"#, "not json", r#"{"name": 7}"#] {
            assert_eq!(
                send(post(body, "application/json")).await.status,
                400,
                "{body}"
            );
        }
        let long = format!(r#"{{"name":"{}"}}"#, "n".repeat(MAX_NAME + 1));
        let reply = send(
            authorized(&emulator, &token, Method::POST, "/libraries")
                .header("content-type", "application/json")
                .body(long),
        )
        .await;
        assert_gateway(&reply, 400, "400000", "name is longer than 256 characters");
        let put = send(authorized(&emulator, &token, Method::PUT, "/libraries")).await;
        assert_eq!(put.status, 405);
        // Refused before anything else without a live token.
        let anonymous = send(client().post(format!("{}/libraries", emulator.places_url()))).await;
        assert_gateway(&anonymous, 401, "401013", "Oauth token is not valid");
    }

    #[tokio::test]
    async fn pois_come_in_pages_linked_by_next() {
        use reqwest::Method;
        let emulator = emulator();
        let token = access_token(&emulator).await;
        let stores = "3b1e8a4c-6f2d-4e0b-9a7c-1d5f2e8b9c01";
        let path = format!("/libraries/{stores}/pois");
        let mut url = format!("{}{path}?limit=20", emulator.places_url());
        let mut names = Vec::new();
        let mut pages = 0;
        loop {
            let reply = send(
                client()
                    .get(&url)
                    .header("authorization", format!("Bearer {token}"))
                    .header("x-api-key", CLIENT)
                    .header("x-gw-ims-org-id", ORG),
            )
            .await;
            assert_eq!(reply.status, 200, "{}", reply.json);
            pages += 1;
            assert_eq!(reply.json["_page"]["page"], pages);
            assert_eq!(
                (
                    reply.json["total_count"].as_u64(),
                    reply.json["page_count"].as_u64()
                ),
                (Some(42), Some(3))
            );
            for poi in reply.json["data"].as_array().unwrap() {
                assert_eq!(poi["lib_id"], stores);
                names.push(poi["name"].as_str().unwrap().to_string());
            }
            match reply.json["_links"]["next"]["href"].as_str() {
                Some(next) => url = next.to_string(),
                None => break,
            }
        }
        assert_eq!((pages, names.len()), (3, 42));
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "ordered by name");
        for bad in ["limit=0", "limit=1001", "page=0", "limit=x", "orderby=id"] {
            let reply = send(authorized(
                &emulator,
                &token,
                Method::GET,
                &format!("{path}?{bad}"),
            ))
            .await;
            assert_eq!(reply.status, 400, "{bad}: {}", reply.json);
        }
        let missing = send(authorized(
            &emulator,
            &token,
            Method::GET,
            "/libraries/nope/pois",
        ))
        .await;
        assert_gateway(&missing, 404, "404000", "Library not found");
    }
}
