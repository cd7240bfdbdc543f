//! A profile set up step by step (the wizard's flows): what was typed completed into a profile,
//! saved as a draft and resumed, exchanged and checked against the Places API, saved with its
//! token; a saved profile refreshed or migrated, and checked the same way. Each function is one
//! whole step, so that the wizard's runner makes one call per effect.
use super::*;
use crate::console::ConsoleProject;

/// What was typed, before it is saved: the profile's name, its values and its client secret.
#[derive(Debug, Clone)]
pub struct Draft {
    pub name: ProfileName,
    pub profile: Profile,
    pub client_secret: SecretString,
}

/// An untested profile read back, to resume where it was left.
#[derive(Debug, Clone)]
pub struct Resumed {
    pub name: ProfileName,
    pub profile: Profile,
    pub client_secret: SecretString,
    pub pair: Option<PairInfo>,
}

/// What the Places API made of a token: the number of POI libraries it listed, or the state the
/// profile is marked with.
pub type PlacesCheck = std::result::Result<usize, PlacesState>;

/// A token with where it came from, the Places API it was checked against and what it answered.
#[derive(Debug, Clone)]
pub struct Checked {
    pub token: CachedToken,
    pub source: Source,
    pub places_url: String,
    pub places: PlacesCheck,
}

/// `~` and `~/…` as a shell reads them (and on Windows `%USERPROFILE%`): the home folder.
/// Anything else is left as it is.
pub fn expand_home(text: &str, home: Option<&Path>) -> PathBuf {
    crate::platform::paths::expand_home_in(crate::platform::Os::CURRENT, text, home)
}

/// The person's home folder, if the environment names one (`HOME`; `%USERPROFILE%` on Windows).
pub fn home_dir() -> Option<PathBuf> {
    crate::platform::paths::home()
}

/// The Console's project JSON at `path` (a leading `~` is the home folder), read and parsed.
pub fn read_console_json(path: &str) -> Result<ConsoleProject> {
    let expanded = expand_home(path, home_dir().as_deref());
    let shown = expanded.display().to_string();
    let bytes =
        crate::store::atomic::read_given(&expanded, crate::console::MAX_JSON, "the Console JSON")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!("{shown} is not UTF-8 text"))
            .with_hint("give the project's JSON as the Developer Console downloads it")
    })?;
    crate::console::parse(&text, &shown)
}

/// A new profile's IMS URL (the one in force, else Adobe's), Places API URL (as
/// `remembered_places_url` keeps it) and absolute key paths.
pub fn complete(session: &Session, mut profile: Profile) -> Profile {
    // A resumed draft names the IMS it was made against: kept, as a saved profile's is.
    profile.ims_url = match profile.ims_url.is_empty() {
        true => session.new_ims_url(None),
        false => session.ims_url(&profile),
    };
    profile.places_url = remembered_places_url(
        &profile.ims_url,
        session.places_url_override.as_deref(),
        profile.places_url.as_deref(),
    );
    let absolute = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
    if let Credential::Jwt(jwt) = &mut profile.credential {
        jwt.private_key = absolute(std::mem::take(&mut jwt.private_key));
        jwt.certificate = jwt.certificate.take().map(absolute);
    }
    profile
}

/// The demo keeps its secrets in its own folder, never in the keyring.
fn secret_store(demo: bool) -> Option<SecretStore> {
    demo.then_some(SecretStore::File)
}

/// Saves what was typed as an untested profile, so a refusal or leaving loses nothing; returns
/// its name, or None when a working profile has that name (it is left as it is: what was typed
/// replaces it only once IMS accepts it).
pub fn save_draft(session: &Session, draft: &Draft, demo: bool) -> Result<Option<ProfileName>> {
    let mut profile = complete(session, draft.profile.clone());
    profile.untested = true;
    let saved = save_over(
        session,
        &draft.name,
        &profile,
        &draft.client_secret,
        None,
        secret_store(demo),
        Over::Untested,
    )?;
    Ok(saved.then(|| draft.name.clone()))
}

/// The session's untested profile with its secret and key pair, as the wizard left it.
pub fn load_draft(session: &Session) -> Result<Resumed> {
    let profile = session.load_profile()?;
    let client_secret = session
        .store
        .read_secret_in(profile.secret_store, &session.profile, Secret::ClientSecret)?
        .unwrap_or_else(|| SecretString::from(String::new()));
    let pair = profile_pair(&profile)?;
    Ok(Resumed {
        name: session.profile.clone(),
        profile,
        client_secret,
        pair,
    })
}

/// Exchanges a token for a new profile (after checking that the key pair on disk is the one the
/// screen showed, `fingerprint`), then checks it against the Places API. Nothing is saved.
pub async fn exchange_draft(
    session: &Session,
    draft: &Draft,
    fingerprint: Option<&str>,
) -> std::result::Result<Checked, Refused> {
    let profile = complete(session, draft.profile.clone());
    let plain = |e| Refused::plain(e, profile.auth());
    if let Some(fingerprint) = fingerprint {
        check_pair_shown(session, &profile, fingerprint).map_err(plain)?;
    }
    let token = exchange_profile(session, &draft.name, &profile, &draft.client_secret)
        .await
        .map_err(|r| Refused::from_pair(r, profile.auth()))?;
    Ok(checked(session, &profile, token, Source::Ims).await)
}

/// A token IMS issued, as the face kept it.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token_type: String,
    pub access_token: AccessToken,
    pub expires_at: SystemTime,
}

/// Saves a new profile that IMS accepted, with its token and what the Places API made of it
/// (a token never checked is marked untested there).
pub fn save_new_profile(
    session: &Session,
    draft: &Draft,
    token: Issued,
    places: Option<PlacesCheck>,
    demo: bool,
) -> Result<PathBuf> {
    let mut profile = complete(session, draft.profile.clone());
    profile.places = match places {
        Some(check) => check.err(),
        None => Some(PlacesState::Untested {
            reason: "the token was not checked".to_string(),
        }),
    };
    let cached = CachedToken {
        token_type: token.token_type,
        access_token: token.access_token,
        expires_at: token.expires_at,
        obtained_at: SystemTime::now(),
        auth: profile.auth(),
        client_id: profile.client_id.clone(),
        ims_url: profile.ims_url.clone(),
    };
    // Values whose token the Places API refuses never replace a profile that works.
    let over = match profile.places {
        Some(PlacesState::Refused { .. }) => Over::NotWorking,
        _ => Over::Anything,
    };
    let saved = save_over(
        session,
        &draft.name,
        &profile,
        &draft.client_secret,
        Some(&cached),
        secret_store(demo),
        over,
    )?;
    if !saved {
        return Err(Error::new(format!(
            "profile \"{}\" works and stays as it is; values whose token the Places API refuses do not replace it",
            draft.name
        )));
    }
    Ok(session.store.config_path())
}

/// The session's saved profile's token (`ensure_token`: trust checks, lock, cache), checked
/// against the profile's Places API, the answer recorded on the profile. `fresh` skips the cache,
/// as `token --force` does.
pub async fn refresh(session: &Session, fresh: bool) -> std::result::Result<Checked, Refused> {
    let profile = session
        .load_profile()
        .map_err(|e| Refused::plain(e, Auth::Jwt))?;
    // The wizard does not show the session's warnings: the token works all the same.
    let mut warnings = Vec::new();
    let (token, source) = ensure_token_explained(session, &profile, fresh, &mut warnings).await?;
    let result = checked(session, &profile, token, source).await;
    record_places(session, &profile, &result.places);
    Ok(result)
}

/// `migrate`, then the new token checked against the Places API, the answer recorded.
pub async fn migrate_checked(
    session: &Session,
    scopes: Vec<String>,
) -> std::result::Result<Checked, Refused> {
    let migrated = migrate(session, scopes)
        .await
        .map_err(|r| Refused::from_pair(r, Auth::Oauth))?;
    let result = checked(session, &migrated.profile, migrated.token, Source::Ims).await;
    record_places(session, &migrated.profile, &result.places);
    Ok(result)
}

async fn checked(
    session: &Session,
    profile: &Profile,
    token: CachedToken,
    source: Source,
) -> Checked {
    let (places_url, places) = match session.places_url(None, profile) {
        Ok(url) => {
            let check = check_token(
                session,
                &url,
                &token.access_token,
                &profile.client_id,
                &profile.org_id,
            )
            .await;
            (url, check)
        }
        Err(e) => (
            places::DEFAULT_PLACES_URL.to_string(),
            Err(PlacesState::Untested { reason: e.message }),
        ),
    };
    Checked {
        token,
        source,
        places_url,
        places,
    }
}

/// `GET /libraries` at `places_url` with this token: how many libraries, or the state a refusal
/// (or no answer) leaves the profile in.
pub async fn check_token(
    session: &Session,
    places_url: &str,
    token: &AccessToken,
    api_key: &ClientId,
    org_id: &OrgId,
) -> PlacesCheck {
    let request = places::Request {
        places_url,
        access_token: token.secret(),
        api_key,
        org_id,
    };
    match check_places(session, &request).await {
        Ok(libraries) => Ok(libraries.len()),
        Err(Refusal::TokenInvalid) => Err(PlacesState::Refused {
            message: "the Places API says the token is not valid (401013)".to_string(),
            hint: Some(
                "refresh it; if a new token is refused too, it was issued by another IMS environment than this Places API's"
                    .to_string(),
            ),
        }),
        Err(Refusal::Refused(e)) => Err(PlacesState::Refused {
            message: e.message,
            hint: e.hint,
        }),
        Err(Refusal::Other(e)) => Err(PlacesState::Untested {
            reason: match e.hint {
                Some(h) => format!("{} — {h}", e.message),
                None => e.message,
            },
        }),
    }
}

/// `check_token` for the session's profile, the answer recorded on it when it is saved with
/// these IDs: the wizard's `v`, once the profile may have been fixed in the Console.
pub async fn check_saved_token(
    session: &Session,
    places_url: &str,
    token: &AccessToken,
    api_key: &ClientId,
    org_id: &OrgId,
) -> PlacesCheck {
    let check = check_token(session, places_url, token, api_key, org_id).await;
    if let Ok(profile) = session.load_profile()
        && profile.client_id == *api_key
        && profile.org_id == *org_id
    {
        record_places(session, &profile, &check);
    }
    check
}

/// What `verify` learnt of the profile, kept for `status` and the wizard's welcome: a list
/// answered clears a mark, a refusal of the credential (403) sets it; a token refused as
/// expired or revoked, or no answer, says nothing of the profile.
pub fn note_places_answer(
    session: &Session,
    profile: &Profile,
    answer: &std::result::Result<Vec<Library>, Refusal>,
) {
    match answer {
        Ok(libraries) => record_places(session, profile, &Ok(libraries.len())),
        Err(Refusal::Refused(e)) => record_places(
            session,
            profile,
            &Err(PlacesState::Refused {
                message: e.message.clone(),
                hint: e.hint.clone(),
            }),
        ),
        Err(_) => {}
    }
}

/// Keeps on the session's profile what the Places API made of its token, if it is still the
/// profile the token was made for. Only a lost note: a failure to write it is not reported.
fn record_places(session: &Session, checked: &Profile, check: &PlacesCheck) {
    let state = check.clone().err();
    let name = &session.profile;
    // A removed profile's folder is not made again just to hold its lock.
    if !session
        .store
        .load()
        .is_ok_and(|config| config.profiles.contains_key(name))
    {
        return;
    }
    let Ok(_profile_lock) = session.store.lock_profile(name, crate::store::LOCK_WAIT) else {
        return;
    };
    let Ok(_config_lock) = session.store.lock_config() else {
        return;
    };
    let Ok(mut config) = session.store.load() else {
        return;
    };
    if let Some(saved) = config.profiles.get_mut(name)
        && saved.client_id == checked.client_id
        && saved.org_id == checked.org_id
        && saved.auth() == checked.auth()
        && saved.places != state
    {
        saved.places = state;
        let _ = session.store.save(&config);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::demo;

    fn oauth_draft(org_id: &str) -> Draft {
        Draft {
            name: "default".into(),
            profile: Profile {
                credential: Credential::Oauth(OauthCredential {
                    scopes: demo::SCOPES.iter().map(|s| s.to_string()).collect(),
                    technical_account_id: None,
                }),
                org_id: org_id.into(),
                client_id: demo::OAUTH_CLIENT_ID.into(),
                ims_url: String::new(),
                secret_store: SecretStore::File,
                untested: false,
                places_url: None,
                places: None,
            },
            client_secret: SecretString::from(demo::CLIENT_SECRET.to_string()),
        }
    }

    /// A session against a fresh emulator, its Places API found beside its IMS (no variable).
    fn session(dir: &Path, emulator: &crate::emulator::Emulator) -> Session {
        let mut session = Session::open(
            Some(dir),
            "default",
            Some(&emulator.url()),
            Duration::from_secs(5),
        )
        .unwrap();
        session.places_url_override = None;
        session
    }

    fn issued(checked: &Checked) -> Issued {
        Issued {
            token_type: checked.token.token_type.clone(),
            access_token: checked.token.access_token.clone(),
            expires_at: checked.token.expires_at,
        }
    }

    #[test]
    fn a_resumed_draft_keeps_its_ims_unless_the_environment_names_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut draft = oauth_draft(demo::ORG_ID).profile;
        draft.ims_url = "http://127.0.0.1:9".into();
        let plain =
            Session::open(Some(dir.path()), "default", None, Duration::from_secs(5)).unwrap();
        let completed = complete(&plain, draft.clone());
        assert_eq!(completed.ims_url, "http://127.0.0.1:9");
        assert_eq!(
            completed.places_url.as_deref(),
            Some("http://127.0.0.1:9/places/placesapi/v1"),
            "the emulator's Places API beside it"
        );
        let named = Session::open(
            Some(dir.path()),
            "default",
            Some("http://127.0.0.1:8"),
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(complete(&named, draft).ims_url, "http://127.0.0.1:8");
        let new = oauth_draft(demo::ORG_ID).profile;
        assert_eq!(complete(&plain, new).ims_url, crate::ims::DEFAULT_IMS_URL);
    }

    #[test]
    fn a_draft_is_saved_over_a_draft_but_never_over_a_working_profile() {
        let dir = tempfile::tempdir().unwrap();
        let session =
            Session::open(Some(dir.path()), "default", None, Duration::from_secs(5)).unwrap();
        let first = oauth_draft(demo::ORG_ID);
        assert_eq!(
            save_draft(&session, &first, true).unwrap(),
            Some("default".into())
        );
        let mut second = oauth_draft(demo::ORG_ID);
        second.client_secret = SecretString::from("typed-again".to_string());
        assert!(save_draft(&session, &second, true).unwrap().is_some());
        let secret = |session: &Session| {
            session
                .store
                .read_secret_in(SecretStore::File, "default", Secret::ClientSecret)
                .unwrap()
                .map(|s| secrecy::ExposeSecret::expose_secret(&s).to_string())
                .unwrap()
        };
        assert_eq!(secret(&session), "typed-again", "a draft replaces a draft");
        // Now it works (saved with its token): a wrong secret typed after is not saved over it.
        let issued = Issued {
            token_type: "bearer".into(),
            access_token: crate::access_token::AccessToken::new("a.b.c".to_string()).unwrap(),
            expires_at: SystemTime::now() + Duration::from_secs(3600),
        };
        save_new_profile(&session, &second, issued, None, true).unwrap();
        let mut wrong = oauth_draft(demo::ORG_ID);
        wrong.client_secret = SecretString::from("wrong-secret".to_string());
        assert_eq!(save_draft(&session, &wrong, true).unwrap(), None);
        assert_eq!(secret(&session), "typed-again");
        assert!(!session.load_profile().unwrap().untested);
        // A wrong org ID: IMS gives a token, the Places API refuses it; the working profile stays.
        let wrong_org = oauth_draft("AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg");
        let issued = Issued {
            token_type: "bearer".into(),
            access_token: crate::access_token::AccessToken::new("d.e.f".to_string()).unwrap(),
            expires_at: SystemTime::now() + Duration::from_secs(3600),
        };
        let refused = Err(PlacesState::Refused {
            message: "HTTP 403 403025 Profile is not valid".into(),
            hint: None,
        });
        let e = save_new_profile(&session, &wrong_org, issued, Some(refused), true).unwrap_err();
        assert!(e.message.contains("stays as it is"), "{}", e.message);
        assert_eq!(
            session.load_profile().unwrap().org_id.as_str(),
            demo::ORG_ID
        );
    }

    #[tokio::test]
    async fn a_new_profile_is_checked_at_its_own_places_api_and_refused_when_the_org_is_wrong() {
        let emulator = demo::start(vec![]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let session = session(dir.path(), &emulator);

        // The right org: the emulator's Places API (not Adobe's) lists its libraries.
        let good = exchange_draft(&session, &oauth_draft(demo::ORG_ID), None)
            .await
            .unwrap();
        assert_eq!(good.places_url, emulator.places_url());
        assert!(matches!(good.places, Ok(n) if n > 0), "{:?}", good.places);

        // A wrong org ID: IMS gives a token, the Places API refuses it (403025).
        let wrong = oauth_draft("AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg");
        let refused = exchange_draft(&session, &wrong, None).await.unwrap();
        let Err(PlacesState::Refused { message, .. }) = &refused.places else {
            panic!("{:?}", refused.places)
        };
        assert!(message.contains("403025"), "{message}");
        save_new_profile(
            &session,
            &wrong,
            issued(&refused),
            Some(refused.places.clone()),
            true,
        )
        .unwrap();
        let saved = session.load_profile().unwrap();
        assert_eq!(saved.places, refused.places.clone().err());
        assert_eq!(
            saved.places_url.as_deref(),
            Some(emulator.places_url().as_str())
        );

        // Refreshed later, the cached token is reused and still refused; once the org is
        // corrected in config.toml, the check passes and the mark goes.
        let again = refresh(&session, false).await.unwrap();
        assert_eq!(again.source, Source::Cache);
        assert!(matches!(again.places, Err(PlacesState::Refused { .. })));
        let mut config = session.store.load().unwrap();
        config.profiles.get_mut("default").unwrap().org_id = demo::ORG_ID.into();
        session.store.save(&config).unwrap();
        let fixed = refresh(&session, false).await.unwrap();
        assert!(fixed.places.is_ok(), "{:?}", fixed.places);
        assert_eq!(session.load_profile().unwrap().places, None);
    }

    #[tokio::test]
    async fn an_unreachable_places_api_leaves_the_profile_untested_not_refused() {
        let emulator = demo::start(vec![]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut session = session(dir.path(), &emulator);
        // Nothing listens on port 9 of this machine.
        session.places_url_override = Some("http://127.0.0.1:9/places/placesapi/v1".into());
        session.policy.max_attempts = 1;
        let checked = exchange_draft(&session, &oauth_draft(demo::ORG_ID), None)
            .await
            .unwrap();
        assert!(
            matches!(checked.places, Err(PlacesState::Untested { .. })),
            "{:?}",
            checked.places
        );
    }

    #[tokio::test]
    async fn an_ims_refusal_names_the_field_to_correct() {
        let emulator = demo::start(vec![]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let session = session(dir.path(), &emulator);
        let mut draft = oauth_draft(demo::ORG_ID);
        draft.client_secret = SecretString::from("p8e-wrong-wrong-wrong-wrong".to_string());
        let refused = exchange_draft(&session, &draft, None).await.unwrap_err();
        assert_eq!(refused.problem, Some(Problem::WrongSecret));
        assert_eq!(
            refused.problem.and_then(Problem::field),
            Some(CredentialField::ClientSecret)
        );
    }

    #[tokio::test]
    async fn debug_lines_go_to_a_private_file_without_secrets() {
        let emulator = demo::start(vec![]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut session = session(dir.path(), &emulator);
        let path = session.debug_to_file().unwrap();
        let checked = exchange_draft(&session, &oauth_draft(demo::ORG_ID), None)
            .await
            .unwrap();
        let log = std::fs::read_to_string(&path).unwrap();
        assert!(log.contains("POST ") && log.contains("/libraries"), "{log}");
        assert!(!log.contains(demo::CLIENT_SECRET), "{log}");
        use secrecy::ExposeSecret;
        assert!(!log.contains(checked.token.access_token.expose_secret()));
        assert_eq!(crate::store::atomic::mode(&path), Some(0o600));
    }

    #[test]
    fn home_is_expanded_as_a_shell_does() {
        let home = Path::new("/home/me");
        assert_eq!(expand_home("~", Some(home)), home);
        assert_eq!(expand_home("~/x.json", Some(home)), home.join("x.json"));
        assert_eq!(expand_home("~other/x", Some(home)), Path::new("~other/x"));
        assert_eq!(expand_home("~/x", None), Path::new("~/x"));
    }
}
