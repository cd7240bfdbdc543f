//! `init`: save a profile — the integration's IDs, key and client secret — checking each value and
//! that the key opens and matches its certificate; secrets are written before the profile.
use super::{Io, SUCCESS, absolute, note, show};
use crate::cert;
use crate::cli::InitArgs;
use crate::console;
use crate::error::{Error, Result};
use crate::ids;
use crate::ims::retirement;
use crate::jwt::PLACES_METASCOPE;
use crate::session::{Session, choose_store, context, load_key, save_profile_and_secrets};
use crate::store::atomic;
use crate::store::{
    Auth, Config, Credential, JwtCredential, OauthCredential, Profile, Secret, SecretStore,
};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where the client secret of `init` comes from.
enum SecretInput {
    /// Given in this run.
    New(SecretString),
    /// The one already saved in the profile's (previous) store.
    Saved(SecretString),
}

fn client_secret_input(
    session: &Session,
    args: &InitArgs,
    saved_in: SecretStore,
    io: &mut Io,
) -> Result<SecretInput> {
    if args.client_secret_stdin {
        // A little more than the longest secret kept, so that a long one is named as such.
        let bytes = atomic::read_stream_capped(
            &mut io.stdin,
            2 * ids::MAX_SECRET_LEN as u64,
            "--client-secret-stdin",
        )
        .map_err(|e| match e.kind {
            crate::error::Kind::Usage => ids::too_long("client secret", 2 * ids::MAX_SECRET_LEN),
            _ => e,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::invalid(
                "client secret",
                "standard input is not UTF-8 text",
                "pipe in the secret as copied from the Console",
            )
        })?;
        return ids::client_secret(&text).map(SecretInput::New);
    }
    if let Some(value) = crate::session::client_secret_from_env(session)? {
        return Ok(SecretInput::New(value));
    }
    if let Some(saved) =
        session
            .store
            .read_secret_in(saved_in, &session.profile, Secret::ClientSecret)?
    {
        return Ok(SecretInput::Saved(saved));
    }
    if io.stdin_is_terminal {
        let typed = (io.prompt)("Client secret (from the Console's Credentials tab): ")
            .map_err(|e| Error::new(format!("cannot read the client secret: {e}")))?;
        return ids::client_secret(&typed).map(SecretInput::New);
    }
    Err(Error::usage("no client secret given")
        .with_hint("pipe it in with --client-secret-stdin, or set PLACES_SETUP_CLIENT_SECRET (it is never taken as an argument)"))
}

fn required<T>(value: Option<T>, flag: &str, what: &str) -> Result<T> {
    value.ok_or_else(|| {
        Error::usage(format!("{flag} is required for a new profile")).with_hint(what.to_string())
    })
}

pub fn run(session: &Session, args: &InitArgs, io: &mut Io) -> Result<i32> {
    if let Some(file) = &args.console_json {
        return import_console_json(session, args, file, io);
    }
    let mut config: Config = session.store.load()?;
    let previous = config.profiles.get(&session.profile).cloned();
    let auth = match args.auth {
        Some(a) => a.into(),
        None => required(
            previous.as_ref().map(Profile::auth),
            "--auth",
            "choose --auth jwt (Service Account, as in Adobe's guide) or --auth oauth (OAuth Server-to-Server)",
        )?,
    };
    let org_id = match &args.org_id {
        Some(v) => ids::org_id(v)?,
        None => required(
            previous.as_ref().map(|p| p.org_id.clone()),
            "--org-id",
            "copy the organization ID from the Console's Overview tab",
        )?,
    };
    let client_id = match &args.client_id {
        Some(v) => ids::client_id(v)?,
        None => required(
            previous.as_ref().map(|p| p.client_id.clone()),
            "--client-id",
            "copy the API key (Client ID) from the Console's Credentials tab",
        )?,
    };
    let ims_url = session.new_ims_url(previous.as_ref());
    let ims_url_for_places = ims_url.clone();
    let same_jwt = previous.as_ref().and_then(Profile::jwt);
    let same_oauth = previous.as_ref().and_then(|p| match &p.credential {
        Credential::Oauth(oauth) => Some(oauth),
        Credential::Jwt(_) => None,
    });
    // Where the secrets are now, and where they go.
    let saved_in = previous
        .as_ref()
        .map(|p| p.secret_store)
        .unwrap_or_default();
    let (store, store_note) = choose_store(args.store.map(Into::into), previous.as_ref())?;
    let places_url = crate::session::remembered_places_url(
        &ims_url_for_places,
        args.places_url.as_deref(),
        previous.as_ref().and_then(|p| p.places_url.as_deref()),
    );
    let mut passphrase = None;
    let credential = match auth {
        Auth::Jwt => {
            if args.scopes.is_some() {
                return Err(
                    Error::usage("--scopes is for OAuth Server-to-Server profiles")
                        .with_hint("a JWT profile takes --metascopes (default ent_places_sdk)"),
                );
            }
            let technical_account_id = match &args.technical_account_id {
                Some(v) => ids::technical_account_id(v)?,
                None => required(
                    same_jwt.map(|p| p.technical_account_id.clone()),
                    "--technical-account-id",
                    "copy the technical account ID from the Console's Credentials tab",
                )?,
            };
            let key_path = match &args.private_key {
                Some(p) => absolute(p)?,
                None => required(
                    same_jwt.map(|p| p.private_key.clone()),
                    "--private-key",
                    "point at NAME_private.key, made by `places-setup keys`",
                )?,
            };
            let (key, key_passphrase) = load_key(session, saved_in, &key_path)?;
            passphrase = key_passphrase;
            let certificate_path = match &args.certificate {
                Some(p) => Some(absolute(p)?),
                None if args.private_key.is_none() => same_jwt.and_then(|p| p.certificate.clone()),
                None => sibling_certificate(&key_path),
            };
            if let Some(path) = &certificate_path {
                let certificate = cert::load_certificate(path)?;
                if !cert::key_matches(&key, &certificate) {
                    return Err(Error::new(format!(
                        "{} does not belong to {}: their public keys differ",
                        path.display(),
                        key_path.display()
                    ))
                    .with_hint("give the certificate made together with this key (same NAME), or make a new pair with `places-setup keys`"));
                }
            }
            let metascopes = match &args.metascopes {
                Some(list) => ids::list("--metascopes", list, "for example ent_places_sdk")?,
                None => same_jwt
                    .map(|p| p.metascopes.clone())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| vec![PLACES_METASCOPE.to_string()]),
            };
            Credential::Jwt(JwtCredential {
                technical_account_id,
                private_key: key_path,
                certificate: certificate_path,
                metascopes,
            })
        }
        Auth::Oauth => {
            if args.technical_account_id.is_some()
                || args.private_key.is_some()
                || args.certificate.is_some()
                || args.metascopes.is_some()
            {
                return Err(Error::usage("--technical-account-id, --private-key, --certificate and --metascopes are for JWT profiles")
                    .with_hint("OAuth Server-to-Server needs only the org ID, client ID, client secret and --scopes"));
            }
            let scopes = match &args.scopes {
                Some(list) => ids::list(
                    "--scopes",
                    list,
                    "copy them from the credential's Scopes tab in the Console, comma-separated",
                )?,
                None => required(
                    same_oauth
                        .map(|p| p.scopes.clone())
                        .filter(|s| !s.is_empty()),
                    "--scopes",
                    "copy them from the credential's Scopes tab in the Console, comma-separated",
                )?,
            };
            // As before the kinds were types: `init` keeps no technical account for OAuth.
            Credential::Oauth(OauthCredential {
                scopes,
                technical_account_id: None,
            })
        }
    };
    let profile = Profile {
        org_id,
        client_id,
        ims_url,
        secret_store: store,
        untested: false,
        places: None,
        places_url,
        credential,
    };
    let secret = client_secret_input(session, args, saved_in, io)?;
    let client_secret = match &secret {
        SecretInput::New(value) => Some(value),
        // Moving to another store carries the saved secret along.
        SecretInput::Saved(value) if store != saved_in => Some(value),
        SecretInput::Saved(_) => None,
    };
    let action = if previous.is_some() {
        "Updated"
    } else {
        "Saved"
    };
    let mut warnings = Vec::new();
    let saved = save_profile_and_secrets(
        session,
        &mut config,
        &profile,
        client_secret,
        passphrase.as_ref(),
        saved_in,
        &mut warnings,
    );
    show(io, &mut warnings);
    saved?;
    note!(
        io,
        "{action} profile {:?} ({}) in {}",
        session.profile,
        auth.describe(),
        session.store.config_path().display()
    );
    if let Some(note) = store_note {
        note!(io, "{note}");
    }
    let location = session
        .store
        .secret_location(store, &session.profile, Secret::ClientSecret);
    note!(
        io,
        "Client secret kept in {location}{}{}",
        if store == SecretStore::File {
            " (0600)"
        } else {
            ""
        },
        match (&secret, store == saved_in) {
            (SecretInput::Saved(_), true) => ", unchanged",
            (SecretInput::Saved(_), false) => ", moved there",
            (SecretInput::New(_), _) => "",
        }
    );
    if passphrase.is_some() {
        note!(
            io,
            "Key passphrase kept in {}",
            session
                .store
                .secret_location(store, &session.profile, Secret::KeyPassphrase)
        );
    }
    if auth == Auth::Jwt {
        note!(
            io,
            "Note: {}\nThis profile works against the emulator; with Adobe's IMS, carry it across with:\n  {}",
            retirement::notice(SystemTime::now()),
            context(&session.profile, &profile).switch_to_oauth_command()
        );
    }
    note!(io, "Next: places-setup{} token", session.profile.flag());
    Ok(SUCCESS)
}

fn sibling_certificate(key_path: &Path) -> Option<PathBuf> {
    let name = key_path.file_name()?.to_str()?;
    let stem = name.strip_suffix("_private.key")?;
    let candidate = key_path.with_file_name(format!("{stem}_public.crt"));
    candidate.is_file().then_some(candidate)
}

/// `init --console-json FILE`: the org ID and the OAuth Server-to-Server credential (client ID,
/// first client secret, technical account, scopes) of the project JSON the Console downloads.
fn import_console_json(
    session: &Session,
    args: &InitArgs,
    file: &Path,
    io: &mut Io,
) -> Result<i32> {
    let stdin = file == Path::new("-");
    let (bytes, source) = if stdin {
        (
            atomic::read_stream_capped(&mut io.stdin, console::MAX_JSON, "--console-json -")?,
            "standard input".to_string(),
        )
    } else {
        (
            atomic::read_given(file, console::MAX_JSON, "--console-json")?,
            file.display().to_string(),
        )
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!("{source} is not UTF-8 text"))
            .with_hint("give the project's JSON as the Developer Console downloads it")
    })?;
    let project = console::parse(&text, &source)?;
    let credential = project.choose(args.credential.as_deref(), &source)?;
    let mut config: Config = session.store.load()?;
    let previous = config.profiles.get(&session.profile).cloned();
    let saved_in = previous
        .as_ref()
        .map(|p| p.secret_store)
        .unwrap_or_default();
    let (store, store_note) = choose_store(args.store.map(Into::into), previous.as_ref())?;
    let ims_url = session.new_ims_url(previous.as_ref());
    let profile = Profile {
        credential: Credential::Oauth(OauthCredential {
            scopes: credential.scopes.clone(),
            technical_account_id: credential.technical_account_id.clone(),
        }),
        org_id: project.org_id.clone(),
        client_id: credential.client_id.clone(),
        ims_url: ims_url.clone(),
        secret_store: store,
        untested: false,
        places: None,
        places_url: crate::session::remembered_places_url(
            &ims_url,
            args.places_url.as_deref(),
            previous.as_ref().and_then(|p| p.places_url.as_deref()),
        ),
    };
    let mut warnings = Vec::new();
    let saved = save_profile_and_secrets(
        session,
        &mut config,
        &profile,
        Some(&credential.client_secret),
        None,
        saved_in,
        &mut warnings,
    );
    show(io, &mut warnings);
    saved?;
    note!(
        io,
        "{} profile {:?} (OAuth Server-to-Server) from credential {:?} of {source}",
        if previous.is_some() {
            "Updated"
        } else {
            "Saved"
        },
        session.profile,
        credential.name
    );
    note!(
        io,
        "  org ID {}, client ID {}, scopes {}",
        profile.org_id,
        profile.client_id,
        credential.scopes.join(",")
    );
    if let Some(note) = store_note {
        note!(io, "{note}");
    }
    note!(
        io,
        "Client secret kept in {}",
        session
            .store
            .secret_location(store, &session.profile, Secret::ClientSecret)
    );
    if !stdin {
        note!(
            io,
            "{source} holds the client secret in clear: delete it once you no longer need it."
        );
    }
    note!(io, "Next: places-setup{} token", session.profile.flag());
    Ok(SUCCESS)
}
