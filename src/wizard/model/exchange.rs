//! Step 7, test the exchange: the token request running, and what a refusal offers to fix.
use super::{
    CredentialField, Effect, Exchange, Failure, Model, Step, TokenInfo, Verification, credentials,
};
use crate::session::Auth;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// Asks the runner for a token with the profile the form describes, first saving what was typed
/// as an untested profile so that a refusal, an unreachable IMS or leaving loses nothing. A
/// profile that works is never replaced by a draft: only a new name or an earlier draft is.
pub(super) fn start(model: &mut Model) -> Vec<Effect> {
    let request = model.request();
    model.exchange = Exchange::Running { request };
    model.step = Step::Exchange;
    if let Some(profile) = model.migrating.clone() {
        // As `places-setup migrate` does: tested first, saved only if IMS gives a token.
        let scopes = crate::ids::list("scopes", model.scopes.text(), "").unwrap_or_default();
        return vec![Effect::Migrate {
            request,
            profile,
            scopes,
        }];
    }
    let draft = match credentials::draft(model) {
        Ok(draft) => draft,
        // The fields were checked on Enter: what is left is a JWT profile without its pair.
        Err(e) => {
            model.exchange = Exchange::Failed(Failure {
                message: e.message,
                hint: e.hint,
                field: None,
                certificate: false,
                suggest_oauth: false,
            });
            return vec![];
        }
    };
    let replaces_working = model
        .profiles
        .iter()
        .any(|p| p.name == draft.name && !p.untested);
    model.draft_saved = None;
    let mut effects = vec![Effect::Exchange {
        request,
        draft: draft.clone(),
        fingerprint: model.pair.as_ref().map(|p| p.fingerprint.clone()),
    }];
    if !replaces_working {
        effects.push(Effect::SaveDraft(draft));
    }
    effects
}

/// The exchange's answer: a token goes to the last screen (saved, or copied on a refresh); a
/// refusal stays here. An answer to a cancelled exchange is dropped.
pub(super) fn on_exchanged(
    model: &mut Model,
    request: u64,
    result: Result<TokenInfo, Failure>,
) -> Vec<Effect> {
    if !matches!(model.exchange, Exchange::Running { request: r } if r == request) {
        return vec![];
    }
    match result {
        Ok(token) => {
            model.exchange = Exchange::Idle;
            model.step = Step::Token;
            model.reveal_token = false;
            model.show_curl = false;
            model.copy = None;
            // Checked against the Places API on its way here: never shown as working unchecked.
            model.verification = match &token.places {
                Some(check) => Verification::Done(check.clone()),
                None => Verification::Idle,
            };
            if !token.places_url.is_empty() {
                model.places_url = token.places_url.clone();
            }
            model.token = Some(token.clone());
            if model.refreshing.is_some() {
                // Re-run: refresh and copy in one key press.
                model.saved = None;
                return vec![Effect::Copy(token.access_token)];
            }
            model.saved = None;
            // The exchange had a draft, so the form still describes one.
            credentials::draft(model)
                .map(|draft| Effect::Save { draft, token })
                .into_iter()
                .collect()
        }
        Err(failure) => {
            model.exchange = Exchange::Failed(failure);
            model.exchange_scroll = 0;
            if model.refreshing.is_some() {
                model.step = Step::Exchange;
            }
            vec![]
        }
    }
}

/// After a failure: R retries, E (or Enter) goes back to the field at fault, O carries the
/// integration across to OAuth Server-to-Server when the answer suggests the credential was
/// converted: a new one switches its form (tested before it is saved), a saved one is migrated.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Exchange::Failed(failure) = &model.exchange else {
        return vec![];
    };
    let failure = failure.clone();
    match key.code {
        KeyCode::Char('r') if model.migrating.is_some() => start(model),
        KeyCode::Char('e') | KeyCode::Enter if model.migrating.is_some() => {
            model.step = Step::Credentials;
            model.credential_focus = 0;
            model.exchange = Exchange::Idle;
            vec![]
        }
        KeyCode::Char('o') if failure.suggest_oauth && model.refreshing.is_some() => {
            // A saved JWT profile: carried across through the session, keeping its IDs and
            // secret; only the scopes are asked.
            model.migrating = model.refreshing.clone();
            model.auth = Auth::Oauth;
            model.step = Step::Credentials;
            model.credential_focus = 0;
            model.exchange = Exchange::Idle;
            if model.demo
                && model.scopes.text().is_empty()
                && let Some(v) = &model.demo_values
            {
                let scopes = v[5].clone();
                model.scopes.set(&scopes);
            }
            vec![]
        }
        KeyCode::Char('r') | KeyCode::Enter if let Some(profile) = model.refreshing.clone() => {
            let request = model.request();
            model.exchange = Exchange::Running { request };
            vec![Effect::Refresh { request, profile }]
        }
        KeyCode::Char('r') => start(model),
        KeyCode::Char('e') | KeyCode::Enter if model.refreshing.is_none() => {
            model.step = Step::Credentials;
            if let Some(field) = failure.field
                && let Some(i) = model.credential_fields().iter().position(|f| *f == field)
            {
                model.credential_focus = i;
            }
            model.exchange = Exchange::Idle;
            vec![]
        }
        KeyCode::Char('o') if failure.suggest_oauth && model.refreshing.is_none() => {
            // Adobe's conversion keeps the client ID and secret: only the scopes are new. What
            // was typed stays, in the demo too.
            model.auth = Auth::Oauth;
            model.step = Step::Credentials;
            model.credential_focus = model
                .credential_fields()
                .iter()
                .position(|f| *f == CredentialField::Scopes)
                .unwrap_or(0);
            model.exchange = Exchange::Idle;
            vec![]
        }
        _ => vec![],
    }
}

/// ↑↓ by a line, PgUp/PgDn by a page, through an explanation longer than the screen.
pub(super) fn scroll(model: &mut Model, code: KeyCode) {
    let page = model.size.1.saturating_sub(6).max(1);
    let limit = model.exchange_scroll_max;
    model.exchange_scroll = match code {
        KeyCode::Up => model.exchange_scroll.saturating_sub(1),
        KeyCode::Down => (model.exchange_scroll + 1).min(limit),
        KeyCode::PageUp => model.exchange_scroll.saturating_sub(page),
        KeyCode::PageDown => (model.exchange_scroll + page).min(limit),
        _ => model.exchange_scroll,
    };
}
