//! Import the project JSON downloaded from the Developer Console: a file name, then (when it holds
//! several OAuth Server-to-Server credentials) a choice; the values fill the credentials form.
use super::{Effect, Model, Step, welcome};
use crate::session::Auth;
use crate::session::ConsoleProject;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use secrecy::ExposeSecret;

/// Typing names the file; Enter reads it, or picks the credential under the cursor.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.code != KeyCode::Enter {
        if model.import.is_none() {
            super::edit(model, key);
        }
        return vec![];
    }
    if model.import.is_some() {
        let choice = model.import_choice;
        pick(model, choice);
        return vec![];
    }
    let path = model.import_path.text().trim().to_string();
    if path.is_empty() {
        model.import_error = Some("name the file the Console downloaded".into());
        return vec![];
    }
    let request = model.request();
    model.import_request = request;
    model.import_error = None;
    vec![Effect::ReadConsoleJson { request, path }]
}

/// The file as read: one credential fills the form at once; several are listed; none, or a broken
/// file, is an error under the field.
pub(super) fn on_read(
    model: &mut Model,
    request: u64,
    result: Result<ConsoleProject, String>,
) -> Vec<Effect> {
    if request != model.import_request || model.step != Step::Import {
        return vec![];
    }
    let project = match result {
        Ok(p) => p,
        Err(e) => {
            model.import_error = Some(e);
            return vec![];
        }
    };
    // Several credentials are a choice to offer, not an error; none is.
    if project.credentials.is_empty()
        && let Err(e) = project.choose(None, model.import_path.text().trim())
    {
        model.import_error = Some(match e.hint {
            Some(h) => format!("{} — {h}", e.message),
            None => e.message,
        });
        return vec![];
    }
    let single = project.credentials.len() == 1;
    model.import = Some(project);
    model.import_choice = 0;
    if single {
        pick(model, 0);
    }
    vec![]
}

/// Fills the credentials form with the chosen credential and goes there, to review and test.
fn pick(model: &mut Model, index: usize) {
    let Some(project) = model.import.clone() else {
        return;
    };
    let Some(credential) = project.credentials.get(index) else {
        return;
    };
    welcome::set_auth(model, Auth::Oauth);
    model.org_id.set(&project.org_id);
    model.client_id.set(&credential.client_id);
    model
        .client_secret
        .set(credential.client_secret.expose_secret());
    model.scopes.set(&credential.scopes.join(","));
    model.technical_account_id.set(
        credential
            .technical_account_id
            .as_deref()
            .unwrap_or_default(),
    );
    let path = model.import_path.text().trim().to_string();
    let file = std::path::Path::new(&path)
        .file_name()
        .map_or(path.clone(), |f| f.to_string_lossy().into_owned());
    model.imported_from = Some(format!("\"{}\" from {file}", credential.name));
    model.step = Step::Credentials;
    model.credential_focus = 0;
}
