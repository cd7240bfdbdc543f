//! The IMS handlers' unit tests: what the emulator accepts and refuses, as Adobe documents it.
use super::*;
use crate::emulator::test_support::*;
use crate::emulator::wire::{JSON, http_date};
use crate::emulator::{EmulatorConfig, JwtIntegration};
use std::time::Duration;

#[tokio::test]
async fn jwt_exchange_answers_an_adobe_shaped_token_lasting_milliseconds() {
    let emulator = emulator();
    let reply = exchange_jwt(&emulator, &jwt(&claims(&emulator))).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(reply.header("content-type"), JSON);
    assert_eq!(
        (&reply.json["token_type"], &reply.json["expires_in"]),
        (&json!("bearer"), &json!(86_400_000))
    );
    let token = decode_jwt(reply.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&token.header["kid"], &token.header["itt"]),
        (&json!("ims_na1-key-at-1"), &json!("at"))
    );
    let claim = |name: &str| token.claims[name].as_str().unwrap().to_string();
    assert_eq!(
        [claim("type"), claim("client_id"), claim("user_id")],
        ["access_token", CLIENT, TECH]
    );
    assert_eq!(
        [claim("org"), claim("scope"), claim("expires_in")],
        [ORG, "ent_places_sdk", "86400000"]
    );
    let created_at: i64 = claim("created_at").parse().unwrap();
    assert!(
        (created_at - now() * 1000).abs() < 10_000,
        "created_at {created_at}"
    );
    // What the client sent is on record, secret included.
    let sent = emulator.last_request(EXCHANGE_PATH).unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.field("client_secret")),
        ("POST", Some(SECRET))
    );
    assert_eq!(
        (emulator.exchange_count(), emulator.request_count()),
        (1, 1)
    );

    let hourly = emulator_with(EmulatorConfig {
        token_lifetime: Duration::from_secs(3600),
        ..Default::default()
    });
    let reply = exchange_jwt(&hourly, &jwt(&claims(&hourly))).await;
    assert_eq!(reply.json["expires_in"], 3_600_000);
}

#[tokio::test]
async fn jwt_exchange_accepts_multipart_and_refuses_other_bodies() {
    let emulator = emulator();
    let token = jwt(&claims(&emulator));
    let url = format!("{}{EXCHANGE_PATH}", emulator.url());
    let fields = [
        ("client_id", CLIENT),
        ("client_secret", SECRET),
        ("jwt_token", token.as_str()),
    ];
    let mut body: String = fields
        .iter()
        .map(|(name, value)| {
            format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
        })
        .collect();
    body.push_str("--XyZ--\r\n");
    let multipart = client()
        .post(&url)
        .header("content-type", "multipart/form-data; boundary=XyZ");
    let reply = send(multipart.body(body)).await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let as_json =
        json!({ "client_id": CLIENT, "client_secret": SECRET, "jwt_token": token }).to_string();
    let reply = send(
        client()
            .post(&url)
            .header("content-type", "application/json")
            .body(as_json),
    )
    .await;
    assert_error(
        &reply,
        415,
        "invalid_request",
        "application/x-www-form-urlencoded",
    );
}

#[tokio::test]
async fn jwt_exchange_checks_the_client_before_the_token() {
    let emulator = emulator();
    let token = jwt(&claims(&emulator));
    let reply = post(
        &emulator,
        EXCHANGE_PATH,
        &[("client_secret", SECRET), ("jwt_token", &token)],
    )
    .await;
    assert_error(&reply, 400, "invalid_client", "invalid client_id parameter");
    let fields = [
        ("client_id", OAUTH_CLIENT),
        ("client_secret", SECRET),
        ("jwt_token", &token),
    ];
    assert_error(
        &post(&emulator, EXCHANGE_PATH, &fields).await,
        400,
        "invalid_client",
        "invalid client_id parameter",
    );
    let fields = [
        ("client_id", CLIENT),
        ("client_secret", "p8e-wrong"),
        ("jwt_token", "garbage"),
    ];
    let reply = post(&emulator, EXCHANGE_PATH, &fields).await;
    assert_error(
        &reply,
        401,
        "invalid_client",
        "invalid client_secret parameter",
    );
}

#[tokio::test]
async fn jwt_exchange_refuses_undecodable_tokens() {
    let emulator = emulator();
    let good = jwt(&claims(&emulator));
    let (header, rest) = good.split_once('.').unwrap();
    let not_json = format!("{}.{rest}", base64url_encode(b"not json"));
    let array = format!("{}.{rest}", base64url_encode(b"[1]"));
    for token in [
        "",
        "a.b",
        &format!("{good}.x"),
        &format!("{header}.%%.sig"),
        &not_json,
        &array,
    ] {
        assert_error(
            &exchange_jwt(&emulator, token).await,
            400,
            "invalid_token",
            MALFORMED_JWT,
        );
    }
    let reply = post(
        &emulator,
        EXCHANGE_PATH,
        &[("client_id", CLIENT), ("client_secret", SECRET)],
    )
    .await;
    assert_error(&reply, 400, "invalid_token", MALFORMED_JWT);
}

#[tokio::test]
async fn jwt_exchange_requires_rs256_and_this_audience() {
    let emulator = emulator();
    for alg in [json!("RS512"), json!("none"), Value::Null] {
        let token = sign_jwt(&json!({ "alg": alg }), &claims(&emulator), &keys().0).unwrap();
        assert_error(
            &exchange_jwt(&emulator, &token).await,
            400,
            "invalid_signature",
            "RS256",
        );
    }
    let other_client = format!("{}/c/{OAUTH_CLIENT}", emulator.url());
    for aud in [
        json!(format!("https://ims-na1.adobelogin.com/c/{CLIENT}")),
        json!(other_client),
        json!(null),
    ] {
        let mut claims = claims(&emulator);
        claims["aud"] = aud;
        assert_error(
            &exchange_jwt(&emulator, &jwt(&claims)).await,
            400,
            "invalid_client",
            "aud",
        );
    }
}

#[tokio::test]
async fn jwt_exchange_checks_claim_shapes_then_identity() {
    let emulator = emulator();
    let cases = [
        ("iss", json!("18FB61145BAC2FFB0A494777"), "bad_request"),
        ("iss", json!(42), "bad_request"),
        ("sub", json!("places@techacct.adobe.com"), "bad_request"),
        ("exp", json!(null), "bad_request"),
        ("exp", json!((now() + 300).to_string()), "invalid_token"),
        ("exp", json!(now() as f64 + 300.5), "invalid_token"),
        (
            "iss",
            json!("AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg"),
            "invalid_token",
        ),
        (
            "sub",
            json!("AAAAAAAAAAAAAAAAAAAAAAAA@techacct.adobe.com"),
            "invalid_token",
        ),
    ];
    for (name, value, error) in cases {
        let mut claims = claims(&emulator);
        claims[name] = value;
        // A non-integer exp makes the whole JWT undecodable to IMS.
        let text = match (name, error) {
            ("exp", "invalid_token") => "incorrectly formatted",
            _ => name,
        };
        assert_error(
            &exchange_jwt(&emulator, &jwt(&claims)).await,
            400,
            error,
            text,
        );
    }
}

#[tokio::test]
async fn jwt_exchange_judges_expiry_by_the_server_clock() {
    let emulator = emulator();
    let mut claims_now = claims(&emulator);
    claims_now["exp"] = json!(now() - 10);
    let reply = exchange_jwt(&emulator, &jwt(&claims_now)).await;
    assert_error(&reply, 400, "invalid_token", "JWT token has expired");
    claims_now["exp"] = json!(now() + 24 * 3600 + 11 * 60);
    assert_error(
        &exchange_jwt(&emulator, &jwt(&claims_now)).await,
        400,
        "invalid_token",
        "24 hours 10 minutes",
    );
    // What @adobe/jwt-auth used to send: now + 87,000 s.
    claims_now["exp"] = json!(now() + 87_000 - 5);
    let reply = exchange_jwt(&emulator, &jwt(&claims_now)).await;
    assert_eq!(reply.status, 200, "{}", reply.json);

    let ahead = emulator_with(EmulatorConfig {
        clock_offset_secs: 3600,
        ..Default::default()
    });
    let reply = exchange_jwt(&ahead, &jwt(&claims(&ahead))).await;
    assert_error(&reply, 400, "invalid_token", "JWT token has expired");
    let date = reply.header("date");
    assert!(
        (3590..=3610).any(|offset| http_date(now() + offset) == date),
        "server date {date}"
    );
}

#[tokio::test]
async fn jwt_exchange_requires_metascopes_of_the_binding() {
    let emulator = emulator();
    let ours = format!("{}/s/ent_places_sdk", emulator.url());
    let mut none = claims(&emulator);
    none.as_object_mut().unwrap().remove(&ours);
    assert_error(
        &exchange_jwt(&emulator, &jwt(&none)).await,
        400,
        "invalid_scope",
        "No metascopes",
    );
    let subset = "The metascopes in the JWT are not a subset of the metascopes in the binding.";
    let other = format!("{}/s/ent_analytics_bulk_ingest_sdk", emulator.url());
    for key in [
        other.as_str(),
        "https://ims-na1.adobelogin.com/s/ent_places_sdk",
    ] {
        let (mut alone, mut beside) = (none.clone(), claims(&emulator));
        alone[key] = json!(true);
        beside[key] = json!(true);
        assert_error(
            &exchange_jwt(&emulator, &jwt(&alone)).await,
            400,
            "invalid_scope",
            subset,
        );
        assert_error(
            &exchange_jwt(&emulator, &jwt(&beside)).await,
            400,
            "invalid_scope",
            subset,
        );
    }
}

#[tokio::test]
async fn jwt_exchange_matches_the_signature_to_an_uploaded_certificate() {
    let emulator = emulator();
    let unbound = jwt_signed_by(&claims(&emulator), &other_keys().0);
    let mismatch = "Could not match JWT signature to any of the bindings";
    assert_error(
        &exchange_jwt(&emulator, &unbound).await,
        400,
        "invalid_token",
        mismatch,
    );
    // Claims altered after signing no longer match the signature.
    let good = jwt(&claims(&emulator));
    let mut altered = claims(&emulator);
    altered["exp"] = json!(now() + 600);
    let forged = format!(
        "{}.{}",
        altered_input(&good, &altered),
        good.rsplit('.').next().unwrap()
    );
    assert_error(
        &exchange_jwt(&emulator, &forged).await,
        400,
        "invalid_token",
        mismatch,
    );
    // A second uploaded certificate is a second binding.
    let both = vec![keys().1.clone(), other_keys().1.clone()];
    emulator.add_jwt_integration(JwtIntegration {
        certificates_pem: both,
        ..integration()
    });
    assert_eq!(exchange_jwt(&emulator, &unbound).await.status, 200);
    // Adobe drops the binding once its certificate has expired.
    let expired = self_signed(&keys().0, now() - 400 * 86_400, now() - 86_400);
    emulator.add_jwt_integration(JwtIntegration {
        certificates_pem: vec![expired],
        ..integration()
    });
    assert_error(
        &exchange_jwt(&emulator, &good).await,
        400,
        "invalid_token",
        mismatch,
    );
}

fn altered_input(token: &str, claims: &Value) -> String {
    let header = token.split('.').next().unwrap();
    format!(
        "{header}.{}",
        base64url_encode(&serde_json::to_vec(claims).unwrap())
    )
}

#[tokio::test]
async fn oauth_token_lasts_seconds_and_checks_every_field() {
    let emulator = emulator();
    emulator.add_oauth_credential(oauth());
    let reply = token_v3(
        &emulator,
        OAUTH_CLIENT,
        OAUTH_SECRET,
        "openid,ent_places_sdk",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    assert_eq!(
        (&reply.json["token_type"], &reply.json["expires_in"]),
        (&json!("bearer"), &json!(86_400))
    );
    let token = decode_jwt(reply.json["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&token.claims["scope"], &token.claims["org"]),
        (&json!("openid,ent_places_sdk"), &json!(ORG))
    );

    let fields = [
        ("grant_type", "password"),
        ("client_id", OAUTH_CLIENT),
        ("client_secret", OAUTH_SECRET),
    ];
    let reply = post(&emulator, TOKEN_PATH, &fields).await;
    assert_error(&reply, 400, "unsupported_grant_type", "client_credentials");
    let reply = token_v3(
        &emulator,
        "ffffffffffffffffffffffffffffffff",
        OAUTH_SECRET,
        "openid",
    )
    .await;
    assert_error(&reply, 400, "invalid_client", "invalid client_id parameter");
    let reply = token_v3(&emulator, OAUTH_CLIENT, "p8e-wrong", "openid").await;
    assert_error(
        &reply,
        401,
        "invalid_client",
        "invalid client_secret parameter",
    );
    let reply = token_v3(
        &emulator,
        OAUTH_CLIENT,
        OAUTH_SECRET,
        "openid,read_organizations",
    )
    .await;
    assert_error(&reply, 400, "invalid_scope", "read_organizations");
    assert_error(
        &token_v3(&emulator, OAUTH_CLIENT, OAUTH_SECRET, "").await,
        400,
        "invalid_scope",
        "missing",
    );
    let reply = token_v3(&emulator, CLIENT, SECRET, "openid").await;
    assert_error(
        &reply,
        400,
        "invalid_client",
        "client is not allowed to use client_credentials",
    );
    // An OAuth credential cannot exchange a JWT: IMS answers with a bare 500.
    let fields = [
        ("client_id", OAUTH_CLIENT),
        ("client_secret", OAUTH_SECRET),
        ("jwt_token", "x"),
    ];
    let reply = post(&emulator, EXCHANGE_PATH, &fields).await;
    assert_error(&reply, 500, "internal_error", "Please try again later");
    assert_eq!(emulator.exchange_count(), 8);
}

#[tokio::test]
async fn conversion_to_oauth_moves_the_credential_to_token_v3() {
    let emulator = emulator();
    emulator.convert_to_oauth(CLIENT, vec!["openid".into(), "ent_places_sdk".into()]);
    let reply = exchange_jwt(&emulator, &jwt(&claims(&emulator))).await;
    assert_error(&reply, 500, "internal_error", "Please try again later");
    let reply = token_v3(&emulator, CLIENT, SECRET, "openid,ent_places_sdk").await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let token = reply.json["access_token"].as_str().unwrap();
    assert_eq!(decode_jwt(token).unwrap().claims["user_id"], TECH);
    assert_eq!(
        libraries(&emulator, token, Some(CLIENT), ORG).await.status,
        200
    );
}

#[tokio::test]
async fn token_v2_takes_multipart_with_org_id_as_aio_lib_ims_sends_it() {
    let emulator = emulator();
    emulator.add_oauth_credential(oauth());
    let fields = [
        ("grant_type", "client_credentials"),
        ("client_id", OAUTH_CLIENT),
        ("client_secret", OAUTH_SECRET),
        ("scope", "openid"),
        ("org_id", ORG),
    ];
    let multipart = |fields: &[(&str, &str)], path: &str| {
        let mut body: String = fields
            .iter()
            .map(|(name, value)| {
                format!(
                    "--b0\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
            })
            .collect();
        body.push_str("--b0--\r\n");
        client()
            .post(format!("{}{path}", emulator.url()))
            .header("content-type", "multipart/form-data; boundary=b0")
            .body(body)
    };
    for path in [TOKEN_V2_PATH, TOKEN_PATH] {
        let reply = send(multipart(&fields, path)).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.json);
        assert_eq!(reply.json["expires_in"], 86_400);
        let reply = post(&emulator, path, &fields).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.json);
    }
    let mut other_org = fields;
    other_org[4].1 = "AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg";
    let reply = send(multipart(&other_org, TOKEN_V2_PATH)).await;
    assert_error(&reply, 400, "invalid_org", "org_id");
    assert_eq!(emulator.exchange_count(), 5);
}
