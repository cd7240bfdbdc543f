//! A valid token for a profile: the cached one while it lasts, else an exchange with IMS that is
//! cached; the migration of a JWT profile to OAuth Server-to-Server; the check against the Places
//! API.
use super::*;

/// What the IMS error table needs to know of a profile to explain a refusal.
pub fn context<'a>(name: &'a ProfileName, profile: &'a Profile) -> Context<'a> {
    Context {
        profile: name,
        auth: profile.auth(),
        org_id: &profile.org_id,
        client_id: &profile.client_id,
        private_key: profile.private_key(),
        certificate: profile.certificate(),
        metascopes: profile.jwt().map_or(&[], |jwt| &jwt.metascopes),
    }
}

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cache,
    Ims,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Cache => "cache",
            Source::Ims => "ims",
        }
    }
}

/// The cached token of the session's profile while `session.min_valid` of it remains (10 minutes
/// unless `--min-valid` asks more), without waiting or
/// asking IMS: what `token` answers with before it starts the async runtime.
pub fn cached_token(session: &Session, profile: &Profile) -> Result<Option<CachedToken>> {
    session.store.check_profile(&session.profile)?;
    Ok(reusable_cache(session, profile))
}

/// The cached token, if it is this profile's (same credential, same IMS) and lasts
/// `session.min_valid` more: the one place the reuse rule is decided.
fn reusable_cache(session: &Session, profile: &Profile) -> Option<CachedToken> {
    let ims_url = session.ims_url(profile);
    let now = SystemTime::now();
    session.store.read_token(&session.profile).filter(|cached| {
        cached.reusable(now, profile.auth(), &profile.client_id, &ims_url)
            && cached.remaining(now) >= session.min_valid
    })
}

/// The state of the token cached for the profile `name`, as `status`, `profile list` and the
/// wizard's welcome show it: a cache made for other credentials or another IMS is no token of
/// this profile's (the rule `ensure_token` reuses by, less its 10 minutes' margin).
pub fn token_state(
    session: &Session,
    name: &str,
    profile: &Profile,
    now: SystemTime,
) -> TokenState {
    let ims_url = session.ims_url(profile);
    match session.store.read_token(name) {
        Some(t) if t.belongs_to(profile.auth(), &profile.client_id, &ims_url) => {
            if t.expires_at > now {
                TokenState::Valid(t.expires_at)
            } else {
                TokenState::Expired(t.expires_at)
            }
        }
        _ => TokenState::None,
    }
}

/// A valid token for the session's profile: the cached one while 10 minutes remain, else a new one.
/// What deserves a warning on the way (secrets readable by others, a token that could not be
/// cached) is added to `warnings`, whether or not a token comes of it.
pub async fn ensure_token(
    session: &Session,
    profile: &Profile,
    force: bool,
    warnings: &mut Vec<Warning>,
) -> Result<(CachedToken, Source)> {
    ensure_token_explained(session, profile, force, warnings)
        .await
        .map_err(|f| f.error)
}

/// Why no token came: the explained error, and what IMS's refusal means when IMS refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub error: Error,
    pub problem: Option<Problem>,
    /// The kind of credential refused, which some fixes depend on.
    pub auth: Auth,
}

impl Refused {
    fn new(error: Error, ims: Option<&crate::ims::ImsError>, auth: Auth) -> Refused {
        Refused {
            error,
            problem: ims.map(|e| Problem::of(e, auth)),
            auth,
        }
    }

    pub(super) fn from_pair(
        (error, ims): (Error, Option<Box<crate::ims::ImsError>>),
        auth: Auth,
    ) -> Refused {
        Refused::new(error, ims.as_deref(), auth)
    }

    pub(super) fn plain(error: Error, auth: Auth) -> Refused {
        Refused::new(error, None, auth)
    }
}

/// IMS's refusal of the profile `name`, explained (the message and the fix) and classified.
pub fn explain_refusal(
    name: &ProfileName,
    profile: &Profile,
    ims: &crate::ims::ImsError,
) -> Refused {
    Refused::new(
        ims_error::explain(ims, &context(name, profile)),
        Some(ims),
        profile.auth(),
    )
}

/// `ensure_token`, keeping what IMS's refusal means (the wizard points at the field at fault).
pub async fn ensure_token_explained(
    session: &Session,
    profile: &Profile,
    force: bool,
    warnings: &mut Vec<Warning>,
) -> std::result::Result<(CachedToken, Source), Refused> {
    let plain = |e| Refused::plain(e, profile.auth());
    if !force && let Some(cached) = cached_token(session, profile).map_err(plain)? {
        return Ok((cached, Source::Cache));
    }
    exchange_unless_cached_explained(session, profile, force, warnings).await
}

/// `ensure_token` once the cache has been looked in (by `cached_token`) and held nothing valid,
/// or with `force`: one process exchanges, the others wait and take its token from the cache.
pub async fn exchange_unless_cached(
    session: &Session,
    profile: &Profile,
    force: bool,
    warnings: &mut Vec<Warning>,
) -> Result<(CachedToken, Source)> {
    exchange_unless_cached_explained(session, profile, force, warnings)
        .await
        .map_err(|f| f.error)
}

async fn exchange_unless_cached_explained(
    session: &Session,
    profile: &Profile,
    force: bool,
    warnings: &mut Vec<Warning>,
) -> std::result::Result<(CachedToken, Source), Refused> {
    let plain = |e| Refused::plain(e, profile.auth());
    if force {
        // Otherwise `cached_token` has checked the files already.
        session
            .store
            .check_profile(&session.profile)
            .map_err(plain)?;
    }
    // Single flight: one process exchanges while the others wait here, then find its token in
    // the cache (Adobe throttles integrations that ask for many tokens at once). The wait is
    // bounded by what one exchange may take, retries included.
    // Waited for off the async thread, so the wizard keeps drawing meanwhile.
    let (store, name) = (session.store.clone(), session.profile.clone());
    let wait = session.policy.budget + session.policy.timeout;
    let _lock = tokio::task::spawn_blocking(move || store.lock_profile_for_refresh(&name, wait))
        .await
        .map_err(|e| {
            plain(Error::new(format!(
                "cannot wait for the profile's lock: {e}"
            )))
        })?
        .map_err(plain)?;
    if !force && let Some(cached) = reusable_cache(session, profile) {
        return Ok((cached, Source::Cache));
    }
    warnings.extend(
        session
            .store
            .exposure_warnings(&session.profile, profile)
            .into_iter()
            .map(Warning),
    );
    let secret = client_secret(session, profile).map_err(plain)?;
    let cached = exchange_profile(session, &session.profile, profile, &secret)
        .await
        .map_err(|r| Refused::from_pair(r, profile.auth()))?;
    let lasts = cached.remaining(SystemTime::now());
    if lasts < session.min_valid {
        warnings.push(Warning(format!(
            "IMS's new token lasts {}, less than the {} asked by --min-valid; the job may outlive it",
            crate::timefmt::span(lasts),
            crate::timefmt::span(session.min_valid)
        )));
    }
    // A `profile remove` that ran while this exchange waited for the lock or was under way took
    // the profile away: its token is handed out but not kept, lest a removed profile's folder
    // come back holding a token.
    let still_saved = session
        .store
        .load()
        .map(|config| config.profiles.contains_key(&session.profile));
    if let Err(e) = &still_saved {
        warnings.push(Warning(format!("{} (the token was not cached)", e.message)));
    } else if still_saved == Ok(false) {
        warnings.push(Warning(format!(
            "profile {:?} was removed meanwhile; the token was not cached",
            session.profile
        )));
    } else if let Err(e) = session.store.write_token(&session.profile, &cached) {
        // The token is good even if it cannot be kept; say so and hand it out.
        warnings.push(Warning(format!("{} (the token was not cached)", e.message)));
    }
    Ok((cached, Source::Ims))
}

pub use crate::environment::CLIENT_SECRET_ENV;

/// PLACES_SETUP_CLIENT_SECRET of the session's environment, checked like a typed secret.
pub fn client_secret_from_env(session: &Session) -> Result<Option<SecretString>> {
    use secrecy::ExposeSecret;
    session
        .environment
        .client_secret()?
        .map(|v| ids::client_secret(v.expose_secret()))
        .transpose()
}

/// The profile's client secret: the saved one, else PLACES_SETUP_CLIENT_SECRET.
pub fn client_secret(session: &Session, profile: &Profile) -> Result<SecretString> {
    let saved =
        session
            .store
            .read_secret_in(profile.secret_store, &session.profile, Secret::ClientSecret);
    Ok(match (saved, client_secret_from_env(session)?) {
        (Ok(Some(s)), _) => s,
        // The variable stands in for a secret that is missing or out of reach.
        (_, Some(value)) => value,
        (Err(e), None) => return Err(e),
        (Ok(None), None) => {
            return Err(Error::new(format!(
                "profile {:?} has no client secret saved",
                session.profile
            ))
            .with_hint(format!(
                "save it with: places-setup{} init --client-secret-stdin",
                session.profile.flag()
            )));
        }
    })
}

/// A JWT profile carried across to OAuth Server-to-Server, as Adobe's conversion did the
/// credential: same org ID, client ID, IMS and client secret (left where it is stored), the
/// technical account kept for reference, the given scopes; the key files stay on disk.
pub fn oauth_from_jwt(jwt: &Profile, scopes: Vec<String>) -> Profile {
    Profile {
        credential: Credential::Oauth(OauthCredential {
            scopes,
            technical_account_id: jwt.technical_account_id().cloned(),
        }),
        // Saved only once IMS has given it a token.
        untested: false,
        ..jwt.clone()
    }
}

/// What a migration did.
#[derive(Debug)]
pub struct Migrated {
    pub profile: Profile,
    pub token: CachedToken,
    /// The JWT profile's key files, left on disk.
    pub key_files: Vec<PathBuf>,
}

/// Migrates the session's JWT profile to OAuth Server-to-Server: an exchange with the new
/// profile first, and only when IMS gives a token is the profile replaced (and the token cached).
/// A failed migration changes nothing on disk. On failure, IMS's own answer too, if it refused.
pub async fn migrate(
    session: &Session,
    scopes: Vec<String>,
) -> std::result::Result<Migrated, (Error, Option<Box<crate::ims::ImsError>>)> {
    let jwt = session.load_profile().map_err(|e| (e, None))?;
    let Credential::Jwt(credential) = &jwt.credential else {
        return Err((
            Error::usage(format!(
                "profile {:?} is already OAuth Server-to-Server",
                session.profile
            ))
            .with_hint(format!(
                "nothing to migrate; change its scopes with places-setup{} init --scopes LIST",
                session.profile.flag()
            )),
            None,
        ));
    };
    let secret = client_secret(session, &jwt).map_err(|e| (e, None))?;
    let profile = oauth_from_jwt(&jwt, scopes);
    let token = exchange_profile(session, &session.profile, &profile, &secret)
        .await
        .map_err(|(e, ims)| {
            // The scopes are given to `migrate`, not saved on the JWT profile (`init --scopes`
            // refuses a JWT profile): the fix names the command that was run.
            let refused_scopes = ims.as_ref().is_some_and(|i| {
                matches!(super::Problem::of(i, Auth::Oauth), super::Problem::ScopesRefused)
            });
            match refused_scopes {
                true => (
                    e.with_hint(format!(
                        "the scopes do not match the credential: copy them from the Console's Scopes tab and run:\n  places-setup{} migrate --scopes SCOPES",
                        session.profile.flag()
                    )),
                    ims,
                ),
                false => (e, ims),
            }
        })?;
    let _profile_lock = session
        .store
        .lock_profile(&session.profile, crate::store::LOCK_WAIT)
        .map_err(|e| (e, None))?;
    let _config_lock = session.store.lock_config().map_err(|e| (e, None))?;
    let mut config = session.store.load().map_err(|e| (e, None))?;
    config
        .profiles
        .insert(session.profile.clone(), profile.clone());
    session.store.save(&config).map_err(|e| (e, None))?;
    // The profile is saved; a token that cannot be cached is only a lost optimisation.
    let _ = session.store.write_token(&session.profile, &token);
    let key_files = std::iter::once(&credential.private_key)
        .chain(&credential.certificate)
        .cloned()
        .collect();
    Ok(Migrated {
        profile,
        token,
        key_files,
    })
}

/// Exchanges a new token for `profile` with this secret. On failure, the explained error and, when
/// IMS refused, IMS's own answer (the wizard points at the field at fault with it).
pub async fn exchange_profile(
    session: &Session,
    name: &ProfileName,
    profile: &Profile,
    secret: &SecretString,
) -> std::result::Result<CachedToken, (Error, Option<Box<crate::ims::ImsError>>)> {
    let ims_url = session.ims_url(profile);
    let client = http::client(&session.policy).map_err(|e| (e, None))?;
    let result = match &profile.credential {
        Credential::Jwt(jwt) => {
            let (key, _) =
                load_key(session, profile.secret_store, &jwt.private_key).map_err(|e| (e, None))?;
            let request = JwtRequest {
                ims_url: &ims_url,
                org_id: &profile.org_id,
                technical_account_id: &jwt.technical_account_id,
                client_id: &profile.client_id,
                metascopes: &jwt.metascopes,
            };
            ims_client::exchange_jwt(
                &client,
                &session.policy,
                &ims_url,
                &profile.client_id,
                secret,
                || request.sign(&key, SystemTime::now()),
            )
            .await
        }
        Credential::Oauth(oauth) => {
            ims_client::client_credentials(
                &client,
                &session.policy,
                &ims_url,
                &profile.client_id,
                secret,
                &oauth.scopes,
            )
            .await
        }
    };
    let token = result.map_err(|e| match e {
        ExchangeError::Ims(ims) => (ims_error::explain(&ims, &context(name, profile)), Some(ims)),
        ExchangeError::Other(e) => (e, None),
    })?;
    Ok(CachedToken {
        token_type: token.token_type,
        access_token: token.access_token,
        expires_at: token.expires_at,
        obtained_at: token.obtained_at,
        auth: profile.auth(),
        client_id: profile.client_id.clone(),
        ims_url,
    })
}

/// `GET /libraries` with this token: the Places API's list, or why it refused.
pub async fn check_places(
    session: &Session,
    request: &places::Request<'_>,
) -> std::result::Result<Vec<Library>, Refusal> {
    let client = http::client(&session.policy).map_err(Refusal::Other)?;
    places::libraries(&client, &session.policy, request).await
}
