//! Import the project JSON downloaded from the Developer Console: a file name, then (when it holds
//! several OAuth Server-to-Server credentials) a choice; the values fill the credentials form.
use super::{Effect, Flow, Model, Step, welcome};
use crate::session::ConsoleProject;
use crossterm::event::{KeyCode, KeyEvent};
use secrecy::ExposeSecret;

/// Typing names the file; Enter reads it, or picks the credential under the cursor.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.code != KeyCode::Enter {
        if model.import.project.is_none() {
            super::edit(model, key);
        }
        return vec![];
    }
    if model.import.project.is_some() {
        let choice = model.import.choice;
        pick(model, choice);
        return vec![];
    }
    let path = model.import.path.text().trim().to_string();
    if path.is_empty() {
        model.import.error = Some("name the file the Console downloaded".into());
        return vec![];
    }
    let request = model.request();
    model.import.request = request;
    model.import.error = None;
    vec![Effect::ReadConsoleJson { request, path }]
}

/// The file as read: one credential fills the form at once; several are listed; none, or a broken
/// file, is an error under the field.
pub(super) fn on_read(
    model: &mut Model,
    request: u64,
    result: Result<ConsoleProject, String>,
) -> Vec<Effect> {
    if request != model.import.request || model.step != Step::Import {
        return vec![];
    }
    let project = match result {
        Ok(p) => p,
        Err(e) => {
            model.import.error = Some(e);
            return vec![];
        }
    };
    // Several credentials are a choice to offer, not an error; none is.
    if project.credentials.is_empty()
        && let Err(e) = project.choose(None, model.import.path.text().trim())
    {
        model.import.error = Some(match e.hint {
            Some(h) => format!("{} — {h}", e.message),
            None => e.message,
        });
        return vec![];
    }
    let single = project.credentials.len() == 1;
    model.import.project = Some(project);
    model.import.choice = 0;
    if single {
        pick(model, 0);
    }
    vec![]
}

/// Fills the credentials form with the chosen credential and goes there, to review and test.
fn pick(model: &mut Model, index: usize) {
    let Some(project) = model.import.project.clone() else {
        return;
    };
    let Some(credential) = project.credentials.get(index) else {
        return;
    };
    let path = model.import.path.text().trim().to_string();
    let file = std::path::Path::new(&path)
        .file_name()
        .map_or(path.clone(), |f| f.to_string_lossy().into_owned());
    let from = format!("\"{}\" from {file}", credential.name);
    welcome::set_flow(model, Flow::Import { from: Some(from) });
    let form = &mut model.credentials;
    form.org_id.set(&project.org_id);
    form.client_id.set(&credential.client_id);
    form.client_secret
        .set(credential.client_secret.expose_secret());
    form.scopes.set(&credential.scopes.join(","));
    form.technical_account_id.set(
        credential
            .technical_account_id
            .as_deref()
            .unwrap_or_default(),
    );
    model.step = Step::Credentials;
    model.credentials.focus = 0;
}
