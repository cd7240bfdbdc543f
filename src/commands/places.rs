//! `verify` and `curl`: the token against the Places API (`GET /libraries`), checked here or as a
//! ready-to-run curl command.
use super::{Io, fresh_token, note, out};
use crate::cli::{PlacesArgs, VerifyArgs};
use crate::error::{Error, Result};
use crate::places::{self, Refusal};
use crate::session::{Session, Source, check_places};
use crate::store::{CachedToken, Profile};
use serde_json::json;

pub(super) fn places_request<'a>(
    places_url: &'a str,
    token: &'a CachedToken,
    profile: &'a Profile,
) -> places::Request<'a> {
    places::Request {
        places_url,
        access_token: token.access_token.secret(),
        api_key: &profile.client_id,
        org_id: &profile.org_id,
    }
}

pub async fn verify(session: &Session, args: &VerifyArgs, io: &mut Io) -> Result<i32> {
    let profile = session.load_profile()?;
    let places_url = session.places_url(args.places.places_url.as_deref(), &profile)?;
    let (mut token, mut source) = fresh_token(session, &profile, false, io).await?;
    let libraries = loop {
        let answer = check_places(session, &places_request(&places_url, &token, &profile)).await;
        crate::session::note_places_answer(session, &profile, &answer);
        match answer {
            Ok(libraries) => break libraries,
            // A cached token can be revoked before it expires: get a new one, once.
            Err(Refusal::TokenInvalid) if source == Source::Cache => {
                note!(
                    io,
                    "The cached token was refused (401013); exchanging a new one."
                );
                (token, source) = fresh_token(session, &profile, true, io).await?;
            }
            Err(Refusal::TokenInvalid) => {
                return Err(Error::new("the Places API refused a token IMS has just issued: 401013 Oauth token is not valid")
                    .with_hint("the token may belong to another IMS environment than the Places API at --places-url; check --ims-url and --places-url"));
            }
            Err(refusal) => return Err(refusal.into_error()),
        }
    };
    if args.json {
        return out(io, &serde_json::to_string_pretty(
            &json!({"org_id": profile.org_id, "count": libraries.len(), "libraries": libraries}),
        )
        .unwrap_or_default());
    }
    let mut text = format!(
        "OK: the token works. Org {} has {} POI librar{}.",
        profile.org_id,
        libraries.len(),
        if libraries.len() == 1 { "y" } else { "ies" }
    );
    for l in &libraries {
        text.push_str(&format!(
            "\n  {}  {}{}",
            l.id,
            l.name,
            l.poi_count
                .map(|n| format!(" ({n} POIs)"))
                .unwrap_or_default()
        ));
    }
    out(io, &text)
}

pub async fn curl(session: &Session, args: &PlacesArgs, io: &mut Io) -> Result<i32> {
    let profile = session.load_profile()?;
    let places_url = session.places_url(args.places_url.as_deref(), &profile)?;
    let (token, _) = fresh_token(session, &profile, false, io).await?;
    out(
        io,
        &places_request(&places_url, &token, &profile).curl_command()?,
    )
}
