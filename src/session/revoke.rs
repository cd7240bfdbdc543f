//! Revoking the cached token (`token --revoke`, `profile remove`): asked of IMS as Adobe's own
//! client asks it (see `ims::client::INVALIDATE_PATH`); when IMS cannot be asked or refuses, the
//! person is told until when the token keeps working.
use super::*;

/// What became of the cached token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// No token of this profile was cached: nothing to revoke.
    NoToken,
    /// IMS invalidated it (the cache is left to the caller: `forget_cached_token`).
    Revoked { was_valid_until: SystemTime },
    /// IMS could not be asked or refused: the token keeps working until its expiry.
    StillValid { until: SystemTime, why: Error },
}

/// The most a revocation waits for IMS: it is an afterthought of `profile remove`, which must not
/// hang on a network that is down.
const REVOKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Asks IMS to invalidate the token cached for the session's profile, with the profile's client
/// ID and secret.
pub async fn revoke_cached_token(session: &Session, profile: &Profile) -> Revoked {
    match prepare_revocation(session, profile) {
        Ok(pending) => revoke(session, profile, pending).await,
        Err(outcome) => *outcome,
    }
}

/// The cached token and the secret to revoke it with, read while the profile is saved (so that
/// `profile remove` can revoke once the profile is gone).
pub struct PendingRevocation {
    token: CachedToken,
    secret: SecretString,
}

/// What `revoke` needs, or what becomes of the token when it cannot be asked for.
pub fn prepare_revocation(
    session: &Session,
    profile: &Profile,
) -> std::result::Result<PendingRevocation, Box<Revoked>> {
    let ims_url = session.ims_url(profile);
    let now = SystemTime::now();
    let Some(token) = session
        .store
        .read_token(&session.profile)
        .filter(|t| t.belongs_to(profile.auth(), &profile.client_id, &ims_url))
        .filter(|t| t.expires_at > now)
    else {
        return Err(Box::new(Revoked::NoToken));
    };
    match client_secret(session, profile) {
        Ok(secret) => Ok(PendingRevocation { token, secret }),
        Err(why) => Err(Box::new(Revoked::StillValid {
            until: token.expires_at,
            why,
        })),
    }
}

/// Asks IMS to invalidate a token read by `prepare_revocation`.
pub async fn revoke(session: &Session, profile: &Profile, pending: PendingRevocation) -> Revoked {
    let ims_url = session.ims_url(profile);
    let PendingRevocation { token, secret } = pending;
    let until = token.expires_at;
    let still = |why: Error| Revoked::StillValid { until, why };
    let policy = http::Policy {
        max_attempts: 1,
        budget: REVOKE_TIMEOUT,
        ..http::Policy::with_timeout(session.policy.timeout.min(REVOKE_TIMEOUT))
    };
    let policy = http::Policy {
        observer: session.policy.observer.clone(),
        ..policy
    };
    let client = match http::client(&policy) {
        Ok(c) => c,
        Err(e) => return still(e),
    };
    let asked = ims_client::invalidate(
        &client,
        &policy,
        &ims_url,
        &profile.client_id,
        &secret,
        token.access_token.secret(),
    )
    .await;
    match asked {
        Ok(()) => Revoked::Revoked {
            was_valid_until: until,
        },
        Err(ExchangeError::Ims(ims)) => still(Error::new(format!(
            "IMS refused to revoke it: {} (HTTP {}){}{}",
            ims.code,
            ims.status,
            if ims.description.is_empty() {
                String::new()
            } else {
                format!(": {}", ims.description)
            },
            ims.debug_id
                .as_deref()
                .map(|id| format!(" [x-debug-id: {id}]"))
                .unwrap_or_default()
        ))),
        Err(ExchangeError::Other(e)) => still(e),
    }
}

/// Removes the session's profile's cached token (after a revocation: a cache left behind would
/// hand out a dead token until its expiry).
pub fn forget_cached_token(session: &Session) -> Result<()> {
    session.store.remove_token(&session.profile).map(|_| ())
}
