//! Step 8, access token: the token, copied or shown, and its check against the Places API.
use super::{Effect, Model, Verification};
use crossterm::event::{KeyCode, KeyEvent};

/// C copies, S shows or hides, U shows the curl line, V checks the token against the Places API,
/// R asks IMS for a new token, Q or Enter ends the wizard.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Some(access_token) = model.token.token.as_ref().map(|t| t.access_token.clone()) else {
        return vec![];
    };
    match key.code {
        KeyCode::Char('c') => {
            let request = model.request();
            // What the last copy did stays on screen until this one answers.
            model.copy.ask_again(request);
            vec![Effect::Copy {
                request,
                secret: access_token,
            }]
        }
        KeyCode::Char('s') => {
            model.token.reveal = !model.token.reveal;
            vec![]
        }
        KeyCode::Char('u') => {
            model.token.show_curl = !model.token.show_curl;
            vec![]
        }
        KeyCode::Char('v') => {
            // Checked when typed (or read from a saved profile): a value that is not an ID
            // cannot be sent.
            let (Ok(api_key), Ok(org_id)) = (
                crate::ids::client_id(model.credentials.client_id.text()),
                crate::ids::org_id(model.credentials.org_id.text()),
            ) else {
                return vec![];
            };
            let request = model.request();
            model.token.verification = Verification::Running { request };
            vec![Effect::Verify {
                request,
                token: access_token,
                api_key,
                org_id,
                places_url: model.places_url().to_string(),
            }]
        }
        // A new token from IMS although this one is valid (as `token --force`): for a saved
        // profile, through the same refresh as Welcome's, so its cache and lock are honoured.
        KeyCode::Char('r') => {
            let profile = match model.refreshing() {
                Some(name) => name.clone(),
                None if matches!(model.token.saved.answer, Some(Ok(_))) => {
                    model.profile_name.clone()
                }
                None => return vec![],
            };
            let request = model.request();
            model.copy.forget();
            model.exchange.state = super::Exchange::Running { request };
            model.token.verification = Verification::Idle;
            vec![Effect::Refresh {
                request,
                profile,
                fresh: true,
            }]
        }
        KeyCode::Char('q') | KeyCode::Enter => {
            model.quit = true;
            vec![]
        }
        _ => vec![],
    }
}

/// The Places API's answer to the check; an older answer is dropped.
pub(super) fn on_verified(
    model: &mut Model,
    request: u64,
    result: super::PlacesCheck,
) -> Vec<Effect> {
    if matches!(model.token.verification, Verification::Running { request: r } if r == request) {
        model.token.verification = Verification::Done(result);
    }
    vec![]
}
