//! Executes effects off the render loop: each is one session call — the one the matching command
//! makes — answered with a message tagged with its request.
use super::model::{Effect, Failure, Msg, TerminalBytes, TokenInfo};
use crate::session::{self, Checked, Demo, Issued, Session, Source};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

pub struct Runner {
    pub session: Session,
    pub demo: Option<Arc<Demo>>,
    pub tx: UnboundedSender<Msg>,
}

/// A token as the token screen shows it.
fn token_info(checked: Checked) -> TokenInfo {
    TokenInfo {
        token_type: checked.token.token_type,
        access_token: checked.token.access_token,
        expires_at: checked.token.expires_at,
        from_cache: checked.source == Source::Cache,
        places_url: checked.places_url,
        places: Some(checked.places),
    }
}

/// An error as one line of a screen: the problem, then the fix.
fn one_line(e: crate::error::Error) -> String {
    match e.hint {
        Some(h) => format!("{} — {h}", e.message),
        None => e.message,
    }
}

/// The terminal as the clipboard chain's OSC 52 sees it: bytes handed to the loop, which writes
/// them between two frames so that they never land inside one.
struct Screen(UnboundedSender<Msg>);

impl std::io::Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .send(Msg::ToTerminal(TerminalBytes(bytes.to_vec())))
            .map_err(|_| std::io::Error::other("the wizard has ended"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Runner {
    /// Starts the work of one effect; its answer arrives later as a message.
    pub fn run(&self, effect: Effect) {
        let tx = self.tx.clone();
        let session = self.session.clone();
        let demo = self.demo.is_some();
        match effect {
            Effect::CheckExisting { request, dir, name } => {
                tokio::task::spawn_blocking(move || {
                    let existing = session::existing_pair(&dir, &name);
                    let _ = tx.send(Msg::ExistingChecked { request, existing });
                });
            }
            Effect::GenerateKey { request } => {
                tokio::task::spawn_blocking(move || {
                    let result = session::new_key().map(Arc::new).map_err(|e| e.message);
                    let _ = tx.send(Msg::KeyGenerated { request, result });
                });
            }
            Effect::WritePair {
                request,
                dir,
                name,
                subject,
                days,
                key,
                mode,
            } => {
                let demo = self.demo.clone();
                tokio::task::spawn_blocking(move || {
                    let result = session::write_wizard_pair(&dir, &name, &subject, days, key, mode)
                        .map(|mut pair| {
                            if let Some(demo) = demo {
                                demo.upload(&mut pair);
                            }
                            pair
                        })
                        .map_err(|e| match e.hint {
                            Some(h) => format!("{} ({h})", e.message),
                            None => e.message,
                        });
                    let _ = tx.send(Msg::PairWritten { request, result });
                });
            }
            Effect::Exchange {
                request,
                draft,
                fingerprint,
            } => {
                tokio::spawn(async move {
                    let result = session::exchange_draft(&session, &draft, fingerprint.as_deref())
                        .await
                        .map(token_info)
                        .map_err(Failure::from);
                    let _ = tx.send(Msg::Exchanged { request, result });
                });
            }
            Effect::Refresh {
                request,
                profile,
                fresh,
            } => {
                let mut session = session;
                session.profile = profile;
                tokio::spawn(async move {
                    let result = session::refresh(&session, fresh)
                        .await
                        .map(token_info)
                        .map_err(Failure::from);
                    let _ = tx.send(Msg::Exchanged { request, result });
                });
            }
            Effect::Migrate {
                request,
                profile,
                scopes,
            } => {
                let mut session = session;
                session.profile = profile;
                tokio::spawn(async move {
                    let result = session::migrate_checked(&session, scopes)
                        .await
                        .map(token_info)
                        .map_err(Failure::from);
                    let _ = tx.send(Msg::Exchanged { request, result });
                });
            }
            Effect::Save {
                request,
                draft,
                token,
            } => {
                tokio::task::spawn_blocking(move || {
                    let issued = Issued {
                        token_type: token.token_type,
                        access_token: token.access_token,
                        expires_at: token.expires_at,
                    };
                    let result =
                        session::save_new_profile(&session, &draft, issued, token.places, demo)
                            .map_err(|e| e.message);
                    let _ = tx.send(Msg::Saved { request, result });
                });
            }
            Effect::SaveDraft { request, draft } => {
                tokio::task::spawn_blocking(move || {
                    let result = session::save_draft(&session, &draft, demo)
                        .map(|saved| saved.map(String::from))
                        .map_err(|e| e.message);
                    let _ = tx.send(Msg::DraftSaved { request, result });
                });
            }
            Effect::LoadDraft { request, profile } => {
                let mut session = session;
                session.profile = profile;
                tokio::task::spawn_blocking(move || {
                    let result = session::load_draft(&session)
                        .map(Box::new)
                        .map_err(|e| e.message);
                    let _ = tx.send(Msg::DraftLoaded { request, result });
                });
            }
            Effect::ReadConsoleJson { request, path } => {
                tokio::task::spawn_blocking(move || {
                    let result = session::read_console_json(&path).map_err(one_line);
                    let _ = tx.send(Msg::ConsoleRead { request, result });
                });
            }
            Effect::Copy { request, secret } => copy(tx, request, secret.secret().clone()),
            Effect::CopyText { request, text } => copy(tx, request, text.into()),
            Effect::Verify {
                request,
                token,
                api_key,
                org_id,
                places_url,
            } => {
                tokio::spawn(async move {
                    let result = session::check_saved_token(
                        &session,
                        &places_url,
                        &token,
                        &api_key,
                        &org_id,
                    )
                    .await;
                    let _ = tx.send(Msg::Verified { request, result });
                });
            }
        }
    }
}

fn copy(tx: UnboundedSender<Msg>, request: u64, text: secrecy::SecretString) {
    tokio::task::spawn_blocking(move || {
        use secrecy::ExposeSecret;
        let (outcome, _) =
            session::copy_to_clipboard(text.expose_secret(), &mut Screen(tx.clone()));
        let _ = tx.send(Msg::Copied { request, outcome });
    });
}
