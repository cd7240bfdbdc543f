//! Step 7, test the exchange: the token request running, and what a refusal offers to fix.
use super::{
    CredentialField, Effect, Exchange, Failure, Flow, Model, Step, TokenInfo, Verification,
    credentials,
};
use crossterm::event::{KeyCode, KeyEvent};

/// Asks the runner for a token with the profile the form describes, first saving what was typed
/// as an untested profile so that a refusal, an unreachable IMS or leaving loses nothing. A
/// profile that works is never replaced by a draft: only a new name or an earlier draft is.
pub(super) fn start(model: &mut Model) -> Vec<Effect> {
    let request = model.request();
    model.exchange.state = Exchange::Running { request };
    model.step = Step::Exchange;
    model.exchange.draft_saved.forget();
    if let Some(profile) = model.migrating().cloned() {
        // As `places-setup migrate` does: tested first, saved only if IMS gives a token.
        let scopes =
            crate::ids::list("scopes", model.credentials.scopes.text(), "").unwrap_or_default();
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
            model.exchange.state = Exchange::Failed(Failure {
                message: e.message,
                hint: e.hint,
                field: None,
                certificate: false,
                suggest_oauth: false,
                cause: super::Cause::Other,
            });
            return vec![];
        }
    };
    let replaces_working = model
        .profiles
        .iter()
        .any(|p| p.name == draft.name && !p.untested);
    let mut effects = vec![Effect::Exchange {
        request,
        draft: draft.clone(),
        fingerprint: model.pair.written.as_ref().map(|p| p.fingerprint.clone()),
    }];
    if !replaces_working {
        // Its answer carries the exchange's request: one to an exchange since left is dropped.
        model.exchange.draft_saved.ask(request);
        effects.push(Effect::SaveDraft { request, draft });
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
    if !matches!(model.exchange.state, Exchange::Running { request: r } if r == request) {
        return vec![];
    }
    match result {
        Ok(token) => {
            model.exchange.state = Exchange::Idle;
            model.step = Step::Token;
            model.token.reveal = false;
            model.token.show_curl = false;
            model.token.scroll = 0;
            // Checked against the Places API on its way here: never shown as working unchecked.
            model.token.verification = match &token.places {
                Some(check) => Verification::Done(check.clone()),
                None => Verification::Idle,
            };
            model.token.token = Some(token.clone());
            // Each answer is tagged with a request of its own, so one to a token since replaced
            // (a save, a copy) is dropped.
            let answer = model.request();
            model.token.saved.forget();
            model.copy.ask(answer);
            if model.migrating().is_some() {
                // Saved by the session as OAuth Server-to-Server: Welcome lists it so.
                model.remember_saved();
            }
            if model.refreshing().is_some() {
                // Re-run: refresh and copy in one key press.
                return vec![Effect::Copy {
                    request: answer,
                    secret: token.access_token,
                }];
            }
            model.token.saved.ask(answer);
            // A new profile: saved, and its token copied, as a refresh copies it; not a token the
            // Places API refuses (c still copies it), which would replace what was copied before
            // with one that does not work.
            let refused = matches!(&token.places, Some(Err(super::PlacesState::Refused { .. })));
            let copy = (!refused).then(|| Effect::Copy {
                request: answer,
                secret: token.access_token.clone(),
            });
            // The exchange had a draft, so the form still describes one.
            credentials::draft(model)
                .map(|draft| Effect::Save {
                    request: answer,
                    draft,
                    token,
                })
                .into_iter()
                .chain(copy)
                .collect()
        }
        Err(failure) => {
            model.exchange.state = Exchange::Failed(failure);
            model.exchange.scroll = 0;
            // A fresh token asked for on the token screen: its refusal is shown where refusals are.
            if model.refreshing().is_some() || model.step == Step::Token {
                model.step = Step::Exchange;
            }
            vec![]
        }
    }
}

/// Back to the credentials form, the focus on `focus`.
fn to_credentials(model: &mut Model, focus: usize) -> Vec<Effect> {
    model.step = Step::Credentials;
    model.credentials.focus = focus;
    model.exchange.state = Exchange::Idle;
    model.exchange.draft_saved.forget();
    vec![]
}

/// After a failure: R retries, E (or Enter) goes back to the field at fault, O carries the
/// integration across to OAuth Server-to-Server when the answer suggests the credential was
/// converted: a new one switches its form (tested before it is saved), a saved one is migrated.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Exchange::Failed(failure) = &model.exchange.state else {
        return vec![];
    };
    let failure = failure.clone();
    let refreshing = model.refreshing().cloned();
    match key.code {
        KeyCode::Char('r') if model.migrating().is_some() => start(model),
        KeyCode::Char('e') | KeyCode::Enter if model.migrating().is_some() => {
            to_credentials(model, 0)
        }
        KeyCode::Char('o') if failure.suggest_oauth && refreshing.is_some() => {
            // A saved JWT profile: carried across through the session, keeping its IDs and
            // secret; only the scopes are asked.
            if let Flow::Refresh { migrating, .. } = &mut model.flow {
                *migrating = true;
            }
            if model.run.demo
                && model.credentials.scopes.text().is_empty()
                && let Some(v) = &model.run.demo_values
            {
                let scopes = v[5].clone();
                model.credentials.scopes.set(&scopes);
            }
            to_credentials(model, 0)
        }
        KeyCode::Char('r') | KeyCode::Enter if refreshing.is_some() => {
            let request = model.request();
            model.exchange.state = Exchange::Running { request };
            let Some(profile) = refreshing else {
                return vec![];
            };
            vec![Effect::Refresh {
                request,
                profile,
                fresh: false,
            }]
        }
        KeyCode::Char('r') => start(model),
        KeyCode::Char('e') | KeyCode::Enter if refreshing.is_none() => {
            let focus = failure
                .field
                .and_then(|field| model.credential_fields().iter().position(|f| *f == field))
                .unwrap_or(model.credentials.focus);
            to_credentials(model, focus)
        }
        KeyCode::Char('o') if failure.suggest_oauth && refreshing.is_none() => {
            // Adobe's conversion keeps the client ID and secret: only the scopes are new. What
            // was typed stays, in the demo too.
            model.flow = Flow::Oauth;
            let focus = model
                .credential_fields()
                .iter()
                .position(|f| *f == CredentialField::Scopes)
                .unwrap_or(0);
            to_credentials(model, focus)
        }
        _ => vec![],
    }
}
