//! `profile set`: a saved profile's IMS URL, Places URL, scopes or metascopes changed in place,
//! each checked as `init` checks it, saved all-or-nothing; the cached token dropped when what it
//! was minted for changes.
use super::*;

/// What to change; `None` keeps the saved value.
#[derive(Debug, Default, Clone)]
pub struct ProfileChanges {
    pub ims_url: Option<String>,
    pub places_url: Option<String>,
    pub scopes: Option<String>,
    pub metascopes: Option<String>,
}

/// What `set_profile` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// Each change, in words (`IMS URL: A → B`); empty when every value was already so.
    pub changes: Vec<String>,
    /// The cached token was removed: it was minted for another IMS or other scopes.
    pub token_dropped: bool,
}

/// Changes the profile `name`. Every value is checked before anything is written; then the cached
/// token goes (when it no longer matches) and config.toml is replaced in one rename, so a failure
/// leaves the profile as it was (at worst without its cached token, which IMS gives again).
pub fn set_profile(session: &Session, name: &str, changes: &ProfileChanges) -> Result<Edited> {
    let name = ids::profile_name(name)?;
    if changes.ims_url.is_none()
        && changes.places_url.is_none()
        && changes.scopes.is_none()
        && changes.metascopes.is_none()
    {
        return Err(Error::usage("nothing to change").with_hint(
            "give one or more of --ims-url URL, --places-url URL, --scopes LIST (OAuth), --metascopes LIST (JWT)",
        ));
    }
    let ims_url = changes
        .ims_url
        .as_deref()
        .map(|url| {
            http::check_url("--ims-url", url).map(|u| u.as_str().trim_end_matches('/').to_string())
        })
        .transpose()?;
    if let Some(url) = &changes.places_url {
        http::check_url("--places-url", url)?;
    }
    let _profile_lock = session.store.lock_profile(&name, crate::store::LOCK_WAIT)?;
    let _config_lock = session.store.lock_config()?;
    let mut config = session.store.load()?;
    let Some(saved) = config.profiles.get(&name).cloned() else {
        let known: Vec<&str> = config.profiles.keys().map(ProfileName::as_str).collect();
        return Err(
            Error::usage(format!("no profile named {name:?} to change")).with_hint(format!(
                "known profiles: {}; make one with places-setup --profile {name} init …",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )),
        );
    };
    let mut profile = saved.clone();
    let mut words = Vec::new();
    let mut minted_for_changed = false;
    if let Some(url) = ims_url
        && url != saved.ims_url
    {
        words.push(format!("IMS URL: {} → {url}", saved.ims_url));
        profile.ims_url = url;
        minted_for_changed = true;
    }
    if let Some(url) = &changes.places_url {
        let kept = remembered_places_url(&profile.ims_url, Some(url), None);
        if kept != saved.places_url {
            let show = |u: &Option<String>| {
                u.clone()
                    .unwrap_or_else(|| format!("{} (Adobe's)", places::DEFAULT_PLACES_URL))
            };
            words.push(format!(
                "Places URL: {} → {}",
                show(&saved.places_url),
                show(&kept)
            ));
            profile.places_url = kept;
        }
    }
    match &mut profile.credential {
        Credential::Oauth(oauth) => {
            if changes.metascopes.is_some() {
                return Err(Error::usage(format!(
                    "--metascopes is for Service Account (JWT) profiles; {name:?} is OAuth Server-to-Server"
                ))
                .with_hint("an OAuth Server-to-Server profile takes --scopes LIST"));
            }
            if let Some(list) = &changes.scopes {
                let scopes = ids::list(
                    "--scopes",
                    list,
                    "copy them from the credential's Scopes tab in the Console, comma-separated",
                )?;
                if scopes != oauth.scopes {
                    words.push(format!(
                        "scopes: {} → {}",
                        oauth.scopes.join(","),
                        scopes.join(",")
                    ));
                    oauth.scopes = scopes;
                    minted_for_changed = true;
                }
            }
        }
        Credential::Jwt(jwt) => {
            if changes.scopes.is_some() {
                return Err(Error::usage(format!(
                    "--scopes is for OAuth Server-to-Server profiles; {name:?} is a Service Account (JWT)"
                ))
                .with_hint("a JWT profile takes --metascopes LIST (e.g. ent_places_sdk)"));
            }
            if let Some(list) = &changes.metascopes {
                let metascopes = ids::list("--metascopes", list, "for example ent_places_sdk")?;
                if metascopes != jwt.metascopes {
                    words.push(format!(
                        "metascopes: {} → {}",
                        jwt.metascopes.join(","),
                        metascopes.join(",")
                    ));
                    jwt.metascopes = metascopes;
                    minted_for_changed = true;
                }
            }
        }
    }
    if words.is_empty() {
        return Ok(Edited {
            changes: words,
            token_dropped: false,
        });
    }
    // Before the config: should the save fail, a profile without its cache only costs an
    // exchange, whereas a token for the old scopes would be handed out for the new ones.
    let token_dropped = minted_for_changed && session.store.remove_token(&name)?;
    config.profiles.insert(name, profile);
    session.store.save(&config)?;
    Ok(Edited {
        changes: words,
        token_dropped,
    })
}
