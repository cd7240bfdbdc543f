//! Step 1, welcome: choose a saved profile to refresh, a new OAuth Server-to-Server integration,
//! an import of the Console's JSON, or the original guide's Service Account (JWT) flow.
use super::{Choice, Effect, Exchange, Model, Step};
use crate::store::Auth;
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
