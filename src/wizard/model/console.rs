//! OAuth Server-to-Server, the Developer Console's steps: read, then continue to the credentials.
use super::{Effect, Model, Step};
use crossterm::event::{KeyCode, KeyEvent};

/// Enter goes on to paste what the credential's page shows.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Enter {
        model.step = Step::Credentials;
        model.credentials.focus = 0;
    }
    vec![]
}
