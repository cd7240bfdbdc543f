//! Step 1, welcome: choose a saved profile to refresh, a new OAuth Server-to-Server integration,
//! an import of the Console's JSON, or the original guide's Service Account (JWT) flow.
use super::{Choice, Effect, Exchange, Model, Resumed, Step};
use crate::session::{Auth, Credential};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// Enter: refresh the chosen profile (straight to the exchange) or start a new integration.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => match model.choices.get(model.choice).cloned() {
            Some(Choice::Refresh(name)) => {
                if let Some(p) = model.profiles.iter().find(|p| p.name == name).cloned() {
                    model.auth = p.auth;
                    model.org_id.set(&p.org_id);
                    model.client_id.set(&p.client_id);
                }
                let request = model.request();
                model.refreshing = Some(name.clone());
                model.exchange = Exchange::Running { request };
                model.step = Step::Exchange;
                vec![Effect::Refresh {
                    request,
                    profile: name,
                }]
            }
            Some(Choice::Import) => {
                model.refreshing = None;
                set_auth(model, Auth::Oauth);
                model.import = None;
                model.import_error = None;
                model.step = Step::Import;
                vec![]
            }
            Some(Choice::Resume(name)) => {
                let request = model.request();
                model.resume_request = request;
                model.resume_error = None;
                vec![Effect::LoadDraft {
                    request,
                    profile: name,
                }]
            }
            Some(Choice::New(auth)) => {
                model.imported_from = None;
                model.refreshing = None;
                set_auth(model, auth);
                model.step = Step::Prerequisites;
                vec![]
            }
            None => vec![],
        },
        KeyCode::Char('q') => {
            model.quit = true;
            vec![]
        }
        _ => vec![],
    }
}

/// The kind of integration being set up; the demo prefills the matching client ID.
pub(super) fn set_auth(model: &mut Model, auth: Auth) {
    model.auth = auth;
    let checklist = model.checklists.for_auth(auth).to_vec();
    if checklist != model.prerequisites {
        model.ticked = vec![false; checklist.len()];
        model.prerequisites = checklist;
        model.prerequisite_focus = 0;
        model.unticked_warned = false;
    }
    if model.demo {
        let client = match auth {
            Auth::Jwt => model.demo_values.as_ref().map(|v| v[1].clone()),
            Auth::Oauth => model.demo_oauth_client(),
        };
        if let Some(client) = client {
            model.client_id.set(&client);
        }
    }
    model.credential_focus = 0;
}

/// A draft read back: every field as it was typed, and on to the credentials, where Enter tries
/// the exchange again. Saved under its own name.
pub(super) fn on_draft_loaded(
    model: &mut Model,
    request: u64,
    result: Result<Box<Resumed>, String>,
) -> Vec<Effect> {
    if request != model.resume_request || model.step != Step::Welcome {
        return vec![];
    }
    let draft = match result {
        Ok(d) => d,
        Err(e) => {
            model.resume_error = Some(e);
            return vec![];
        }
    };
    let p = &draft.profile;
    model.refreshing = None;
    set_auth(model, p.auth());
    model.profile_name = draft.name;
    model.org_id.set(&p.org_id);
    model.client_id.set(&p.client_id);
    model
        .technical_account_id
        .set(p.technical_account_id().map_or("", |t| t.as_str()));
    {
        use secrecy::ExposeSecret;
        model.client_secret.set(draft.client_secret.expose_secret());
    }
    match &p.credential {
        Credential::Jwt(jwt) if !jwt.metascopes.is_empty() => {
            model.metascopes.set(&jwt.metascopes.join(","));
        }
        Credential::Oauth(oauth) if !oauth.scopes.is_empty() => {
            model.scopes.set(&oauth.scopes.join(","));
        }
        _ => {}
    }
    model.pair = draft.pair;
    model.step = Step::Credentials;
    model.credential_focus = 0;
    vec![]
}
