//! The Places API's answer to `GET /libraries`, and what `verify` prints from it.
#![no_main]
mod response;

use libfuzzer_sys::fuzz_target;
use places_setup::places::{self, Refusal, Request};
use secrecy::SecretString;

fuzz_target!(|data: &[u8]| {
    let Some(answer) = response::answer(data) else {
        return;
    };
    let token = SecretString::from("eyJ.fuzz.token".to_string());
    let request = Request {
        places_url: "https://api-places.adobe.io/places/placesapi/v1",
        access_token: &token,
        api_key: "0123456789abcdef0123456789abcdef",
        org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
    };
    match places::libraries_from(&answer, &request) {
        Ok(libraries) => {
            // `verify --json` and the text `verify` prints.
            let _ = serde_json::to_string_pretty(&libraries).expect("libraries serialize");
            for l in &libraries {
                let _ = format!(
                    "{}  {}{}",
                    l.id,
                    l.name,
                    l.poi_count
                        .map(|n| format!(" ({n} POIs)"))
                        .unwrap_or_default()
                );
            }
        }
        Err(Refusal::TokenInvalid) => {}
        Err(Refusal::Refused(error) | Refusal::Other(error)) => assert!(!error.message.is_empty()),
    }
});
