//! Step 1, welcome: choose a saved profile to refresh, a new OAuth Server-to-Server integration,
//! an import of the Console's JSON, or the original guide's Service Account (JWT) flow.
use super::{Choice, Effect, Exchange, Flow, Model, Resumed, Step};
use crate::session::{Auth, Credential};
use crossterm::event::{KeyCode, KeyEvent};

/// Enter: refresh the chosen profile (straight to the exchange) or start a new integration.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => match model.choices().get(model.welcome.choice).cloned() {
            Some(Choice::Refresh(name)) => {
                let saved = model.profiles.iter().find(|p| p.name == name).cloned();
                let auth = saved.as_ref().map_or(model.auth(), |p| p.auth);
                if let Some(p) = saved {
                    model.credentials.org_id.set(&p.org_id);
                    model.credentials.client_id.set(&p.client_id);
                }
                let request = model.request();
                model.flow = Flow::Refresh {
                    profile: name.clone(),
                    auth,
                    migrating: false,
                };
                model.exchange.state = Exchange::Running { request };
                model.step = Step::Exchange;
                vec![Effect::Refresh {
                    request,
                    profile: name,
                    fresh: false,
                }]
            }
            Some(Choice::Import) => {
                set_flow(model, Flow::Import { from: None });
                model.import.project = None;
                model.import.error = None;
                model.step = Step::Import;
                vec![]
            }
            Some(Choice::Resume(name)) => {
                let request = model.request();
                model.welcome.resume.ask(request);
                vec![Effect::LoadDraft {
                    request,
                    profile: name,
                }]
            }
            Some(Choice::New(auth)) => {
                set_flow(model, Flow::new(auth));
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

/// The way chosen: the checklist of its kind of integration (ticks kept if it is the same one),
/// and in the demo the matching client ID prefilled.
pub(super) fn set_flow(model: &mut Model, flow: Flow) {
    model.flow = flow;
    // A new way: not the IMS of a draft resumed before (`on_draft_loaded` sets it after this).
    model.credentials.resumed_urls = None;
    let auth = model.auth();
    let checklists = &model.run.checklists;
    if checklists.for_auth(auth) != checklists.for_auth(model.checklist.auth) {
        model.checklist.auth = auth;
        model.checklist.ticked = vec![false; checklists.for_auth(auth).len()];
        model.checklist.focus = 0;
        model.checklist.unticked_warned = false;
    }
    if model.run.demo {
        let client = match auth {
            Auth::Jwt => model.run.demo_values.as_ref().map(|v| v[1].clone()),
            Auth::Oauth => model.demo_oauth_client(),
        };
        if let Some(client) = client {
            model.credentials.client_id.set(&client);
        }
    }
    model.credentials.focus = 0;
}

/// A draft read back: every field as it was typed, and on to the credentials, where Enter tries
/// the exchange again. Saved under its own name.
pub(super) fn on_draft_loaded(
    model: &mut Model,
    request: u64,
    result: Result<Box<Resumed>, String>,
) -> Vec<Effect> {
    if model.step != Step::Welcome {
        return vec![];
    }
    let draft = match result {
        Ok(d) if request == model.welcome.resume.request => d,
        Ok(_) => return vec![],
        Err(e) => {
            model.welcome.resume.answer(request, e);
            return vec![];
        }
    };
    let p = &draft.profile;
    set_flow(model, Flow::new(p.auth()));
    fill_form(model, &draft);
    model.credentials.resumed_urls = Some((p.ims_url.clone(), p.places_url.clone()));
    model.profile_name = draft.name;
    // The draft's pair is on disk from an earlier run: used as it is, not written now.
    if draft.pair.is_some() {
        model.key_files.write_mode = crate::session::WriteMode::UseExisting;
    }
    model.pair.written = draft.pair;
    model.step = Step::Credentials;
    model.credentials.focus = 0;
    vec![]
}

/// The credentials form as the draft's profile has it.
fn fill_form(model: &mut Model, draft: &Resumed) {
    use secrecy::ExposeSecret;
    let p = &draft.profile;
    let form = &mut model.credentials;
    form.org_id.set(p.org_id.as_str());
    form.client_id.set(p.client_id.as_str());
    form.technical_account_id
        .set(p.technical_account_id().map_or("", |t| t.as_str()));
    form.client_secret.set(draft.client_secret.expose_secret());
    match &p.credential {
        Credential::Jwt(jwt) if !jwt.metascopes.is_empty() => {
            form.metascopes.set(&jwt.metascopes.join(","));
        }
        Credential::Oauth(oauth) if !oauth.scopes.is_empty() => {
            form.scopes.set(&oauth.scopes.join(","));
        }
        _ => {}
    }
}
