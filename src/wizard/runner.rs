//! Executes effects off the render loop and answers each with a message tagged with its request.
use super::model::{
    CopyOutcome, CredentialField, Effect, Existing, Failure, Msg, PairInfo, Resumed, TokenInfo,
    WriteMode,
};
use crate::cert;
use crate::clipboard;
use crate::emulator::Emulator;
use crate::ims::ImsError;
use crate::places::{self, Refusal};
use crate::session::{
    Session, Source, check_places, client_secret, exchange_profile, save_profile,
};
use crate::store::{Auth, Secret, atomic};
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tokio::sync::mpsc::UnboundedSender;

/// The demo's emulator and the certificates "uploaded" to it so far.
pub struct Demo {
    pub emulator: Emulator,
    pub certificates: Mutex<Vec<String>>,
}

pub struct Runner {
    pub session: Session,
    pub places_url: String,
    pub demo: Option<Arc<Demo>>,
    pub tx: UnboundedSender<Msg>,
}

impl Runner {
    /// Starts the work of one effect; its answer arrives later as a message.
    pub fn run(&self, effect: Effect) {
        let tx = self.tx.clone();
        match effect {
            Effect::CheckExisting { request, dir, name } => {
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::ExistingChecked {
                        request,
                        existing: existing(&dir, &name),
                    });
                });
            }
            Effect::GenerateKey { request } => {
                tokio::task::spawn_blocking(move || {
                    let result = cert::generate_key().map(Arc::new).map_err(|e| e.message);
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
                    let mut result = write_pair(&dir, &name, &subject, days, key, mode);
                    if let (Ok(info), Some(demo)) = (&mut result, demo)
                        && let Ok(pem) = std::fs::read_to_string(&info.certificate)
                    {
                        // As if uploaded in the Console.
                        let mut uploaded =
                            demo.certificates.lock().unwrap_or_else(|p| p.into_inner());
                        uploaded.push(pem);
                        crate::emulator::demo::register(&demo.emulator, uploaded.clone());
                        info.registered = true;
                    }
                    let _ = tx.send(Msg::PairWritten { request, result });
                });
            }
            Effect::Exchange { request, draft } => {
                let session = self.session.clone();
                tokio::spawn(async move {
                    let profile = complete(&session, draft.profile);
                    let result =
                        exchange_profile(&session, &draft.name, &profile, &draft.client_secret)
                            .await
                            .map(|t| TokenInfo {
                                token_type: t.token_type,
                                access_token: t.access_token,
                                expires_at: t.expires_at,
                                from_cache: false,
                            })
                            .map_err(|(e, ims)| failure(e, ims.as_deref(), profile.auth));
                    let _ = tx.send(Msg::Exchanged { request, result });
                });
            }
            Effect::Refresh { request, profile } => {
                let mut session = self.session.clone();
                session.profile = profile;
                tokio::spawn(async move {
                    let result = match session.load_profile() {
                        Ok(p) => refresh(&session, &p).await,
                        Err(e) => Err(failure(e, None, Auth::Jwt)),
                    };
                    let _ = tx.send(Msg::Exchanged { request, result });
                });
            }
            Effect::Save { draft, token } => {
                let session = self.session.clone();
                let demo = self.demo.is_some();
                let places_url = self.places_url.clone();
                tokio::task::spawn_blocking(move || {
                    let mut profile = complete(&session, draft.profile);
                    // The Places API the wizard checked the token against, when it is not
                    // Adobe's (else the emulator's beside a loopback IMS).
                    let given = places_url.as_str();
                    profile.places_url = crate::session::remembered_places_url(
                        &profile.ims_url,
                        (given != crate::places::DEFAULT_PLACES_URL).then_some(given),
                        None,
                    );
                    let cached = crate::store::CachedToken {
                        token_type: token.token_type,
                        access_token: token.access_token,
                        expires_at: token.expires_at,
                        obtained_at: SystemTime::now(),
                        auth: profile.auth,
                        client_id: profile.client_id.clone(),
                        ims_url: profile.ims_url.clone(),
                    };
                    let result = save_profile(
                        &session,
                        &draft.name,
                        &profile,
                        &draft.client_secret,
                        Some(&cached),
                        // The demo's secrets live and die with its folder, never in the keyring.
                        demo.then_some(crate::store::SecretStore::File),
                    )
                    .map(|()| session.store.config_path())
                    .map_err(|e| e.message);
                    let _ = tx.send(Msg::Saved(result));
                });
            }
            Effect::ReadConsoleJson { request, path } => {
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::ConsoleRead {
                        request,
                        result: read_console_json(&path),
                    });
                });
            }
            Effect::Migrate {
                request,
                profile,
                scopes,
            } => {
                let mut session = self.session.clone();
                session.profile = profile;
                tokio::spawn(async move {
                    let result = crate::session::migrate(&session, scopes)
                        .await
                        .map(|m| TokenInfo {
                            token_type: m.token.token_type,
                            access_token: m.token.access_token,
                            expires_at: m.token.expires_at,
                            from_cache: false,
                        })
                        .map_err(|(e, ims)| failure(e, ims.as_deref(), Auth::Oauth));
                    let _ = tx.send(Msg::Exchanged { request, result });
                });
            }
            Effect::SaveDraft(draft) => {
                let session = self.session.clone();
                let demo = self.demo.is_some();
                tokio::task::spawn_blocking(move || {
                    let mut profile = complete(&session, draft.profile);
                    profile.untested = true;
                    let result = save_profile(
                        &session,
                        &draft.name,
                        &profile,
                        &draft.client_secret,
                        None,
                        demo.then_some(crate::store::SecretStore::File),
                    )
                    .map(|()| draft.name.clone())
                    .map_err(|e| e.message);
                    let _ = tx.send(Msg::DraftSaved(result));
                });
            }
            Effect::LoadDraft { request, profile } => {
                let mut session = self.session.clone();
                session.profile = profile;
                tokio::task::spawn_blocking(move || {
                    let result = load_draft(&session).map(Box::new);
                    let _ = tx.send(Msg::DraftLoaded { request, result });
                });
            }
            Effect::Copy(secret) => copy(tx, secret),
            Effect::CopyText(text) => copy(tx, SecretString::from(text)),
            Effect::Verify {
                request,
                token,
                api_key,
                org_id,
            } => {
                let session = self.session.clone();
                let places_url = self.places_url.clone();
                tokio::spawn(async move {
                    let result = verify(&session, &places_url, &token, &api_key, &org_id).await;
                    let _ = tx.send(Msg::Verified { request, result });
                });
            }
        }
    }
}

/// A saved profile's token: the cached one while it lasts, else a new one; a refusal keeps IMS's
/// answer, so the screen can offer the migration a converted credential needs.
async fn refresh(session: &Session, profile: &crate::store::Profile) -> Result<TokenInfo, Failure> {
    let info = |t: crate::store::CachedToken, source: Source| TokenInfo {
        token_type: t.token_type,
        access_token: t.access_token,
        expires_at: t.expires_at,
        from_cache: source == Source::Cache,
    };
    let ims_url = session.ims_url(profile);
    if let Some(cached) = session.store.read_token(&session.profile)
        && cached.reusable(
            SystemTime::now(),
            profile.auth,
            &profile.client_id,
            &ims_url,
        )
    {
        return Ok(info(cached, Source::Cache));
    }
    let secret = client_secret(session, profile).map_err(|e| failure(e, None, profile.auth))?;
    let token = exchange_profile(session, &session.profile, profile, &secret)
        .await
        .map_err(|(e, ims)| failure(e, ims.as_deref(), profile.auth))?;
    // The wizard does not show the session's warnings: a token that cannot be cached still works.
    let _ = session.store.write_token(&session.profile, &token);
    Ok(info(token, Source::Ims))
}

/// The Console's project JSON at `path` (a leading `~/` is the home folder).
fn read_console_json(path: &str) -> Result<crate::console::ConsoleProject, String> {
    let expanded = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => Path::new(path).to_path_buf(),
    };
    let shown = expanded.display().to_string();
    let text = std::fs::read_to_string(&expanded)
        .map_err(|e| crate::error::Error::io("read", &expanded, &e).message)?;
    crate::console::parse(&text, &shown).map_err(|e| match e.hint {
        Some(h) => format!("{} — {h}", e.message),
        None => e.message,
    })
}

fn copy(tx: UnboundedSender<Msg>, text: SecretString) {
    tokio::spawn(async move {
        let native = {
            let text = text.clone();
            tokio::task::spawn_blocking(move || {
                clipboard::copy_native_or_tmux(text.expose_secret())
            })
            .await
        };
        let outcome = match native {
            Ok(Ok(outcome)) => outcome,
            _ => {
                // No desktop clipboard: ask the terminal. This task runs on the render loop's
                // thread, between frames, so the sequence never lands inside a frame.
                let tmux = clipboard::in_tmux();
                let sequence = clipboard::osc52(text.expose_secret(), tmux);
                let mut out = std::io::stdout();
                match std::io::Write::write_all(&mut out, sequence.as_bytes())
                    .and_then(|()| std::io::Write::flush(&mut out))
                {
                    Ok(()) => CopyOutcome::Osc52 { tmux },
                    Err(e) => {
                        CopyOutcome::Failed(format!("the terminal could not be reached ({e})"))
                    }
                }
            }
        };
        let _ = tx.send(Msg::Copied(outcome));
    });
}

/// An untested profile with its secret and key pair, as the wizard left it.
fn load_draft(session: &Session) -> Result<Resumed, String> {
    let profile = session.load_profile().map_err(|e| e.message)?;
    let client_secret = session
        .store
        .read_secret_in(profile.secret_store, &session.profile, Secret::ClientSecret)
        .map_err(|e| e.message)?
        .unwrap_or_else(|| SecretString::from(String::new()));
    let pair = match (&profile.private_key, &profile.certificate) {
        (Some(key), Some(certificate)) => {
            let loaded = cert::load_certificate(certificate).map_err(|e| e.message)?;
            Some(PairInfo {
                key_mode: atomic::mode(key).unwrap_or(0),
                certificate_mode: atomic::mode(certificate).unwrap_or(0),
                private_key: key.clone(),
                certificate: certificate.clone(),
                fingerprint: cert::fingerprint(&loaded),
                expires_at: cert::expiry(&loaded),
                backups: vec![],
                registered: false,
            })
        }
        _ => None,
    };
    Ok(Resumed {
        name: session.profile.clone(),
        profile,
        client_secret,
        pair,
    })
}

/// The IMS URL and absolute key paths a saved profile needs.
fn complete(session: &Session, mut profile: crate::store::Profile) -> crate::store::Profile {
    profile.ims_url = session
        .ims_url_override
        .clone()
        .unwrap_or_else(|| crate::ims::DEFAULT_IMS_URL.to_string());
    let absolute =
        |p: Option<std::path::PathBuf>| p.map(|p| std::fs::canonicalize(&p).unwrap_or(p));
    profile.private_key = absolute(profile.private_key);
    profile.certificate = absolute(profile.certificate);
    profile
}

fn existing(dir: &Path, name: &str) -> Existing {
    let paths = cert::PairPaths::new(dir, name);
    match paths.existing().len() {
        0 => Existing::None,
        1 => Existing::Unusable(format!("only {} exists", paths.existing()[0].display())),
        _ => match (
            cert::load_private_key(&paths.private_key, None),
            cert::load_certificate(&paths.certificate),
        ) {
            (Ok(key), Ok(certificate)) if cert::key_matches(&key, &certificate) => {
                Existing::MatchingPair
            }
            (Ok(_), Ok(_)) => Existing::Unusable("the key does not match the certificate".into()),
            (Err(e), _) | (_, Err(e)) => Existing::Unusable(e.message),
        },
    }
}

fn write_pair(
    dir: &Path,
    name: &str,
    subject: &cert::Subject,
    days: u32,
    key: Option<Arc<cert::PrivateKey>>,
    mode: WriteMode,
) -> Result<PairInfo, String> {
    let paths = cert::PairPaths::new(dir, name);
    let (certificate, backups) = if mode == WriteMode::UseExisting {
        let key = cert::load_private_key(&paths.private_key, None).map_err(|e| e.message)?;
        let certificate = cert::load_certificate(&paths.certificate).map_err(|e| e.message)?;
        if !cert::key_matches(&key, &certificate) {
            return Err("the key does not match the certificate".into());
        }
        (certificate, vec![])
    } else {
        let key = match key {
            Some(k) => k,
            None => Arc::new(cert::generate_key().map_err(|e| e.message)?),
        };
        let certificate = cert::self_signed(&key, subject, days).map_err(|e| e.message)?;
        let written = cert::write_pair(
            dir,
            name,
            &key,
            &certificate,
            mode == WriteMode::Replace,
            SystemTime::now(),
        )
        .map_err(|e| match e.hint {
            Some(h) => format!("{} ({h})", e.message),
            None => e.message,
        })?;
        (
            certificate,
            written.backups.into_iter().map(|(_, b)| b).collect(),
        )
    };
    Ok(PairInfo {
        key_mode: atomic::mode(&paths.private_key).unwrap_or(0),
        certificate_mode: atomic::mode(&paths.certificate).unwrap_or(0),
        // Absolute: the certificate's path is what a person uploads (and what `c` copies).
        private_key: std::fs::canonicalize(&paths.private_key).unwrap_or(paths.private_key),
        certificate: std::fs::canonicalize(&paths.certificate)
            .unwrap_or_else(|_| paths.certificate.clone()),
        fingerprint: cert::fingerprint(&certificate),
        expires_at: cert::expiry(&certificate),
        backups,
        registered: false,
    })
}

/// The screen's view of a failed exchange: the words, and which field or action can fix it.
pub fn failure(error: crate::error::Error, ims: Option<&ImsError>, auth: Auth) -> Failure {
    let (field, certificate, suggest_oauth) = match ims {
        Some(e) => {
            let d = e.description.to_ascii_lowercase();
            let field = match e.code.as_str() {
                "invalid_client" if e.status == 401 || d.contains("secret") => {
                    Some(CredentialField::ClientSecret)
                }
                "invalid_client" => Some(CredentialField::ClientId),
                "invalid_scope" => Some(CredentialField::Scopes),
                "bad_request" => Some(if d.contains("iss") {
                    CredentialField::OrgId
                } else {
                    CredentialField::TechnicalAccountId
                }),
                "invalid_token"
                    if !(d.contains("binding")
                        || d.contains("expired")
                        || d.contains("signature")) =>
                {
                    Some(CredentialField::TechnicalAccountId)
                }
                _ => None,
            };
            let certificate = e.code == "invalid_signature" || d.contains("binding");
            let suggest =
                auth == Auth::Jwt && (e.code == "internal_error" || e.code == "invalid_client");
            (field, certificate, suggest)
        }
        None => (None, false, false),
    };
    Failure {
        message: error.message,
        hint: error.hint,
        field,
        certificate,
        suggest_oauth,
    }
}

async fn verify(
    session: &Session,
    places_url: &str,
    token: &SecretString,
    api_key: &str,
    org_id: &str,
) -> Result<usize, String> {
    let request = places::Request {
        places_url,
        access_token: token,
        api_key,
        org_id,
    };
    match check_places(session, &request).await {
        Ok(libraries) => Ok(libraries.len()),
        Err(Refusal::TokenInvalid) => {
            Err("the Places API says the token is not valid (401013): press Esc and refresh".into())
        }
        Err(Refusal::Other(e)) => Err(match e.hint {
            Some(h) => format!("{} — {h}", e.message),
            None => e.message,
        }),
    }
}
