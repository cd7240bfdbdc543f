//! `profile list | use | remove`: the saved profiles at a glance, the default one, and removing
//! one with its secrets and cached token.
use super::{Io, SUCCESS, note, out, show};
use crate::cli::{ProfileCommand, RemoveArgs};
use crate::error::{Error, Result};
use crate::session::{self, Session, TokenState};
use crate::timefmt;
use serde_json::json;
use std::io::Write;
use std::time::SystemTime;

pub fn run(session: &Session, command: &ProfileCommand, io: &mut Io) -> Result<i32> {
    match command {
        ProfileCommand::List(args) => list(session, args.json, io),
        ProfileCommand::Use { name } => {
            session::use_profile(session, name)?;
            note!(
                io,
                "{name} is now the default profile (--profile or PLACES_SETUP_PROFILE still choose another)."
            );
            Ok(SUCCESS)
        }
        ProfileCommand::Remove(args) => remove(session, args, io),
        // Answered before a session is opened (see `commands::run`).
        ProfileCommand::Help(args) => {
            let names: Vec<String> = std::iter::once("profile".to_string())
                .chain(args.command.iter().cloned())
                .collect();
            super::completions::help(&names, io)
        }
        ProfileCommand::Set(args) => set(session, args, io),
    }
}

/// `profile set`: the changes, one a line, and whether the cached token went.
fn set(session: &Session, args: &crate::cli::SetArgs, io: &mut Io) -> Result<i32> {
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| session.profile.to_string());
    let edited = session::set_profile(
        session,
        &name,
        &session::ProfileChanges {
            ims_url: args.ims_url.clone(),
            places_url: args.places_url.clone(),
            scopes: args.scopes.clone(),
            metascopes: args.metascopes.clone(),
        },
    )?;
    if args.json {
        return out(
            io,
            &serde_json::to_string_pretty(&json!({
                "profile": name,
                "changes": edited.changes,
                "token_dropped": edited.token_dropped,
            }))
            .unwrap_or_default(),
        );
    }
    if edited.changes.is_empty() {
        note!(
            io,
            "Profile {name:?} already has these values; nothing changed."
        );
        return Ok(SUCCESS);
    }
    note!(io, "Profile {name:?} changed:");
    for change in &edited.changes {
        note!(io, "  {change}");
    }
    if edited.token_dropped {
        note!(
            io,
            "Its cached token was minted for the old values and was removed; the next use asks IMS for one (places-setup doctor --exchange tests it now)."
        );
    }
    Ok(SUCCESS)
}

fn list(session: &Session, as_json: bool, io: &mut Io) -> Result<i32> {
    let now = SystemTime::now();
    let profiles = session::list_profiles(session, now)?;
    // The Places URL is read beside the summaries, which the wizard shares and does not need it.
    let config = session.store.load()?;
    let places_url = |name: &session::ProfileName| {
        config.profiles.get(name.as_str()).map_or_else(
            || crate::places::DEFAULT_PLACES_URL.to_string(),
            super::status::places_url,
        )
    };
    if as_json {
        let rows: Vec<_> = profiles
            .iter()
            .map(|p| {
                let (state, expires_at) = match p.token {
                    TokenState::None => ("none", None),
                    TokenState::Valid(t) => ("valid", Some(timefmt::rfc3339(t))),
                    TokenState::Expired(t) => ("expired", Some(timefmt::rfc3339(t))),
                };
                json!({"name": p.name, "auth": p.auth.as_str(), "default": p.is_default,
                       "token": {"state": state, "expires_at": expires_at},
                       "places_url": places_url(&p.name), "untested": p.untested})
            })
            .collect();
        return out(io, &serde_json::to_string_pretty(&rows).unwrap_or_default());
    }
    if profiles.is_empty() {
        note!(
            io,
            "No profiles yet in {}. Make one with `places-setup` (the wizard) or `places-setup init …`.",
            session.store.dir().display()
        );
        return Ok(SUCCESS);
    }
    let width = profiles.iter().map(|p| p.name.len()).max().unwrap_or(0);
    let lines: Vec<String> = profiles
        .iter()
        .map(|p| {
            let token = match p.token {
                TokenState::None => "no cached token".to_string(),
                TokenState::Valid(t) => format!(
                    "token valid until {} ({} left)",
                    timefmt::rfc3339(t),
                    timefmt::span(t.duration_since(now).unwrap_or_default())
                ),
                TokenState::Expired(t) => format!("token expired {}", timefmt::rfc3339(t)),
            };
            let draft = if p.untested { "  untested draft" } else { "" };
            format!(
                "{} {:<width$}  {:<5}  {token}  {}{draft}",
                if p.is_default { "*" } else { " " },
                p.name,
                p.auth.as_str(),
                places_url(&p.name)
            )
        })
        .collect();
    out(io, &lines.join("\n"))
}

fn remove(session: &Session, args: &RemoveArgs, io: &mut Io) -> Result<i32> {
    let profile = session::profile_to_remove(session, &args.name)?;
    if !args.yes {
        if !io.stdin_is_terminal {
            return Err(Error::usage(format!(
                "not removing profile {:?} without confirmation",
                args.name
            ))
            .with_hint(format!(
                "add --yes to remove it from a script: places-setup profile remove {} --yes",
                args.name
            )));
        }
        let keys = if args.delete_keys {
            " and its key files"
        } else {
            ""
        };
        let _ = write!(
            io.err,
            "Remove profile {:?} ({}, client {}), its secrets, its cached token{keys}? [y/N] ",
            args.name,
            profile.auth().describe(),
            profile.client_id
        );
        let _ = io.err.flush();
        let mut answer = String::new();
        io.stdin
            .read_line(&mut answer)
            .map_err(|e| Error::new(format!("cannot read the answer: {e}")))?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            note!(io, "Nothing removed.");
            return Ok(SUCCESS);
        }
    }
    // The token and the secret to revoke it with are read first; the token is revoked only once
    // the profile is removed, so that a removal that fails leaves a profile whose token works.
    let for_profile = crate::ids::profile_name(&args.name).ok().map(|name| {
        let mut for_profile = session.clone();
        for_profile.profile = name;
        for_profile
    });
    let pending = for_profile
        .as_ref()
        .map(|s| session::prepare_revocation(s, &profile));
    let mut warnings = Vec::new();
    let removed = session::remove_profile(session, &args.name, args.delete_keys, &mut warnings);
    show(io, &mut warnings);
    let removed = removed?;
    if let (Some(for_profile), Some(pending)) = (&for_profile, pending) {
        revoke_after_removal(for_profile, &profile, pending, io);
    }
    let lines: Vec<String> = removed.iter().map(|r| format!("removed {r}")).collect();
    out(io, &lines.join("\n"))
}

/// The removed profile's token would outlive it: revoked at IMS with the secret read before the
/// removal, else the person is told until when it keeps working.
fn revoke_after_removal(
    session: &Session,
    profile: &crate::session::Profile,
    pending: std::result::Result<session::PendingRevocation, Box<session::Revoked>>,
    io: &mut Io,
) {
    let outcome = match pending {
        Ok(pending) => {
            super::block_on(async { Ok(session::revoke(session, profile, pending).await) })
                .unwrap_or(session::Revoked::NoToken)
        }
        Err(outcome) => *outcome,
    };
    // Not strict: a token that lives on is a warning here, never an error.
    let _ = report_revocation(outcome, io, false);
}

/// Tells what became of a token asked to be revoked; `Err` (for `token --revoke`) when it lives on.
pub(super) fn report_revocation(
    outcome: session::Revoked,
    io: &mut Io,
    strict: bool,
) -> Result<i32> {
    let now = SystemTime::now();
    let left = |until: SystemTime| {
        format!(
            "{} ({} left)",
            timefmt::rfc3339(until),
            timefmt::span(until.duration_since(now).unwrap_or_default())
        )
    };
    match outcome {
        session::Revoked::NoToken => {
            if strict {
                note!(io, "No token of this profile is cached: nothing to revoke.");
            }
            Ok(SUCCESS)
        }
        session::Revoked::Revoked { was_valid_until } => {
            note!(
                io,
                "Revoked the cached token at IMS (it would have worked until {}).",
                left(was_valid_until)
            );
            Ok(SUCCESS)
        }
        session::Revoked::StillValid { until, why } => {
            let message = format!(
                "could not revoke the token: {}; it keeps working until {}, for anyone holding a copy",
                why.message,
                left(until)
            );
            if strict {
                return Err(Error::new(message).with_hint(
                    "try again when IMS can be reached (places-setup doctor checks the way); the cached token stays",
                ));
            }
            super::warn(io, &message);
            Ok(SUCCESS)
        }
    }
}
