//! `status`: every profile at a glance — IDs, key, certificate and token expiry, where the secrets
//! are — read without exchanging anything or unlocking a keyring.
use super::{Io, SUCCESS, note, out};
use crate::cert;
use crate::error::Result;
use crate::ims::retirement;
use crate::session::{PlacesState, ProfileName, Session, TokenState};
use crate::store::{Auth, Credential, Secret, SecretStore, atomic, os_keyring};
use crate::timefmt;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Certificates closer than this to expiry are warned about.
pub const CERTIFICATE_WARNING: Duration = Duration::from_secs(30 * 86_400);

fn certificate_status(
    path: &Path,
    now: SystemTime,
    profile: &ProfileName,
) -> (serde_json::Value, String, Option<String>) {
    let rotate = format!("places-setup{} keys --rotate", profile.flag());
    match cert::load_certificate(path) {
        Ok(c) => {
            let expires = cert::expiry(&c);
            let left = timefmt::seconds_until(expires, now);
            let days = timefmt::days_left(expires, now);
            let warning = if left <= 0 {
                Some(format!(
                    "the certificate {} has expired: Adobe no longer accepts its JWTs; make a new pair with `{rotate}` and upload it",
                    path.display()
                ))
            } else if expires.duration_since(now).unwrap_or_default() < CERTIFICATE_WARNING {
                Some(format!(
                    "the certificate {} expires in {days} days: make a new pair with `{rotate}` and upload it before then",
                    path.display()
                ))
            } else {
                None
            };
            let text = if left <= 0 {
                format!("EXPIRED {}", timefmt::rfc3339(expires))
            } else {
                format!("expires {} ({days} days)", timefmt::rfc3339(expires))
            };
            (
                json!({"path": path, "expires_at": timefmt::rfc3339(expires), "days_left": days}),
                text,
                warning,
            )
        }
        Err(e) => (
            json!({"path": path, "error": e.message}),
            format!("unreadable: {}", e.message),
            Some(e.message),
        ),
    }
}

/// `named`: the profile was chosen by --profile or PLACES_SETUP_PROFILE, so one that is not there
/// is a wrong value, as for every other command, rather than a list that does not show it.
/// The Places API base URL the profile's commands use when no --places-url is given.
pub fn places_url(profile: &crate::store::Profile) -> String {
    profile
        .places_url
        .clone()
        .unwrap_or_else(|| crate::places::DEFAULT_PLACES_URL.to_string())
}

pub fn run(session: &Session, named: bool, as_json: bool, io: &mut Io) -> Result<i32> {
    if named {
        session.load_profile()?;
    }
    let config = session.store.load()?;
    let now = SystemTime::now();
    let mut report = Vec::new();
    let mut text = String::new();
    if config.profiles.is_empty() && !as_json {
        note!(
            io,
            "No profiles yet in {}.\nStart with `places-setup` (the wizard), or `places-setup keys` then `places-setup init …`.",
            session.store.dir().display()
        );
        return Ok(SUCCESS);
    }
    let default_profile = crate::session::default_profile_name(&config);
    let width = crate::text::terminal_width(io.out.is_terminal());
    for (name, profile) in &config.profiles {
        let mut warnings = session.store.exposure_warnings(name, profile);
        if profile.auth() == Auth::Jwt {
            warnings.push(retirement::profile_warning(now, &name.flag()));
        }
        let ims_url = session.ims_url(profile);
        let marks: Vec<&str> = [
            // Marked once one is chosen: "default (default)" would say nothing.
            (config.default_profile.as_ref() == Some(name), "default"),
            (*name == session.profile, "selected"),
            (profile.untested, "untested draft"),
        ]
        .into_iter()
        .filter_map(|(on, mark)| on.then_some(mark))
        .collect();
        text.push_str(&format!(
            "{name}{}\n",
            if marks.is_empty() {
                String::new()
            } else {
                format!(" ({})", marks.join(", "))
            }
        ));
        // At a terminal, a long value (a path) wraps under its own column, not at column 1.
        let mut line = |label: &str, value: &str| {
            text.push_str(&crate::text::hang(&format!("  {label:<20}"), value, width));
            text.push('\n');
        };
        if profile.untested {
            line(
                "state",
                &format!(
                    "untested: saved by the wizard before Adobe IMS accepted it; run `places-setup{}` to resume it",
                    name.flag()
                ),
            );
        }
        match &profile.places {
            Some(PlacesState::Refused { message, hint }) => {
                line("state", &format!("refused by the Places API ({message})"));
                if let Some(hint) = hint {
                    line("", &format!("fix: {hint}"));
                }
            }
            Some(PlacesState::Untested { reason }) => line(
                "state",
                &format!(
                    "untested: the Places API could not be asked ({reason}); `places-setup verify` checks"
                ),
            ),
            None => {}
        }
        line("auth", profile.auth().describe());
        line("org ID", &profile.org_id);
        line("client ID", &profile.client_id);
        if let Some(t) = profile.technical_account_id() {
            line("technical account", t);
        }
        line("IMS", &ims_url);
        let places_url = places_url(profile);
        line("Places API", &places_url);
        let (metascopes, scopes): (&[String], &[String]) = match &profile.credential {
            Credential::Jwt(jwt) => (&jwt.metascopes, &[]),
            Credential::Oauth(oauth) => (&[], &oauth.scopes),
        };
        if !metascopes.is_empty() {
            line("metascopes", &metascopes.join(", "));
        }
        if !scopes.is_empty() {
            line("scopes", &scopes.join(", "));
        }
        let key_json = profile.private_key().map(|k| {
            let mode = atomic::mode(k);
            line(
                "private key",
                &format!(
                    "{}{}",
                    k.display(),
                    mode.map(|m| format!(" (mode {m:04o})"))
                        .unwrap_or_else(|| " (missing!)".into())
                ),
            );
            if mode.is_none() {
                warnings.push(format!("the private key {} is missing", k.display()));
            }
            json!({"path": k, "mode": mode.map(|m| format!("{m:04o}"))})
        });
        let cert_json = profile.certificate().map(|c| {
            let (j, t, w) = certificate_status(c, now, name);
            line("certificate", &format!("{} — {t}", c.display()));
            warnings.extend(w);
            j
        });
        let token_json = match crate::session::token_state(session, name, profile, now) {
            TokenState::Valid(expires_at) => {
                let left = expires_at.duration_since(now).unwrap_or_default();
                // Unexpired is not working: a token the Places API refused is not called valid.
                let refused = matches!(profile.places, Some(PlacesState::Refused { .. }));
                line(
                    "token",
                    &format!(
                        "{} for {} (until {})",
                        if refused {
                            "refused by the Places API; unexpired"
                        } else {
                            "valid"
                        },
                        timefmt::span(left),
                        timefmt::rfc3339(expires_at)
                    ),
                );
                json!({"expires_at": timefmt::rfc3339(expires_at), "expires_in": left.as_secs(), "valid": true})
            }
            TokenState::Expired(expires_at) => {
                line(
                    "token",
                    &format!(
                        "expired {} — `places-setup{} token` gets a new one",
                        timefmt::rfc3339(expires_at),
                        name.flag()
                    ),
                );
                json!({"expires_at": timefmt::rfc3339(expires_at), "expires_in": 0, "valid": false})
            }
            TokenState::None => {
                line(
                    "token",
                    &format!(
                        "none cached yet — `places-setup{} token` gets one",
                        name.flag()
                    ),
                );
                serde_json::Value::Null
            }
        };
        let secrets_json = match profile.secret_store {
            SecretStore::File => {
                let secret_path = session.store.secret_path(name, Secret::ClientSecret);
                let secret_present = secret_path.is_file();
                // The file's real mode: a loosened one is also warned about below.
                line(
                    "secrets",
                    &format!(
                        "file {}{}",
                        secret_path.display(),
                        match atomic::mode(&secret_path) {
                            Some(mode) if secret_present => format!(" (mode {mode:04o})"),
                            _ => " (missing!)".to_string(),
                        }
                    ),
                );
                json!({"store": "file", "client_secret": secret_path, "present": secret_present})
            }
            // Not read here: `status` stays quick and never brings up a keyring's unlock prompt.
            SecretStore::Keyring => {
                let account = session.store.keyring_account(name, Secret::ClientSecret);
                line(
                    "secrets",
                    &format!(
                        "system keyring (service {}, account {account:?})",
                        os_keyring::SERVICE
                    ),
                );
                json!({"store": "keyring", "service": os_keyring::SERVICE, "client_secret": account, "present": null})
            }
        };
        for w in &warnings {
            text.push_str(&crate::text::hang("  warning: ", w, width));
            text.push('\n');
        }
        report.push(json!({
            "name": name,
            "selected": *name == session.profile,
            "untested": profile.untested,
            "places": profile.places,
            "default": *name == default_profile,
            "auth": profile.auth().as_str(),
            "org_id": profile.org_id,
            "client_id": profile.client_id,
            "technical_account_id": profile.technical_account_id(),
            "ims_url": ims_url,
            "places_url": places_url,
            "metascopes": metascopes,
            "scopes": scopes,
            "private_key": key_json,
            "certificate": cert_json,
            "token": token_json,
            "secrets": secrets_json,
            "warnings": warnings,
        }));
    }
    if as_json {
        return out(
            io,
            &serde_json::to_string_pretty(&json!({
                "config_dir": session.store.dir(),
                "profiles": report,
            }))
            .unwrap_or_default(),
        );
    }
    out(io, text.trim_end())
}
