//! The state of each screen, as the model keeps it: saved profiles, choices, the key pair, the
//! credentials' fields, the exchange and the verification.
use super::*;
pub use crate::session::{AccessToken, ClientId, OrgId, PlacesCheck, PlacesState, ProfileName};

/// A saved profile as the welcome screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSummary {
    pub name: ProfileName,
    pub auth: Auth,
    pub org_id: OrgId,
    pub client_id: ClientId,
    pub token_expires_at: Option<SystemTime>,
    pub certificate_expires_at: Option<SystemTime>,
    /// A draft saved before IMS accepted it: offered for resuming.
    pub untested: bool,
    /// What the Places API made of its last token, when it did not accept it.
    pub places: Option<PlacesState>,
}

/// What the welcome screen offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Refresh(ProfileName),
    /// Pick up a draft (an untested profile) where it was left: at the credentials.
    Resume(ProfileName),
    New(Auth),
    /// Import the project JSON downloaded from the Developer Console.
    Import,
}

/// One item of the prerequisite checklist (from `assets/prerequisites.toml`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Prerequisite {
    pub title: String,
    pub how: String,
    /// Needed only by some (the mobile SDK's permissions): left unticked, it warns of nothing.
    #[serde(default)]
    pub optional: bool,
}

/// The checklists, one per kind of integration: OAuth's from Adobe's current guide, JWT's from
/// the original one.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Prerequisites {
    pub oauth: Vec<Prerequisite>,
    pub jwt: Vec<Prerequisite>,
}

impl Prerequisites {
    pub fn for_auth(&self, auth: Auth) -> &[Prerequisite] {
        match auth {
            Auth::Oauth => &self.oauth,
            Auth::Jwt => &self.jwt,
        }
    }
}

pub use crate::session::{Existing, PairInfo, WriteMode};

#[derive(Debug, Clone)]
pub enum KeyGen {
    Idle,
    Running { request: u64 },
    Ready(Arc<PrivateKey>),
    Failed(String),
}

/// A token and where it came from.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub token_type: String,
    pub access_token: AccessToken,
    pub expires_at: SystemTime,
    pub from_cache: bool,
    /// The Places API the token was checked against (and `u`'s curl line names).
    pub places_url: String,
    /// What the Places API made of it, when the token was checked on its way here.
    pub places: Option<PlacesCheck>,
}

/// Which credentials field an IMS refusal points at.
pub use crate::session::CredentialField;

/// Why an exchange failed, in words, with what the screen can offer to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub hint: Option<String>,
    pub field: Option<CredentialField>,
    /// The certificate is not uploaded: the fix is in the Console, not in a field.
    pub certificate: bool,
    /// The answer suggests the JWT credential was converted to OAuth Server-to-Server.
    pub suggest_oauth: bool,
    /// Whether IMS was asked and what it said: the screen's words and fix depend on it.
    pub cause: Cause,
}

/// What stood between the form and a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// IMS answered with a refusal, classified.
    Ims(crate::session::Problem),
    /// IMS could not be reached.
    Unreachable(crate::error::Unreachable),
    /// Something else: IMS may never have been asked (a key pair missing), or its answer was none.
    Other,
}

impl From<crate::session::Refused> for Failure {
    fn from(refused: crate::session::Refused) -> Failure {
        let problem = refused.problem;
        let cause = match (problem, refused.error.unreachable) {
            (Some(p), _) => Cause::Ims(p),
            (None, Some(how)) => Cause::Unreachable(how),
            (None, None) => Cause::Other,
        };
        Failure {
            cause,
            message: refused.error.message,
            hint: refused.error.hint,
            field: problem.and_then(|p| p.field()),
            certificate: problem.is_some_and(|p| p.certificate()),
            suggest_oauth: problem.is_some_and(|p| p.suggests_oauth(refused.auth)),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Exchange {
    Idle,
    Running { request: u64 },
    Failed(Failure),
}

/// How the token was copied, or why it was not.
pub use crate::session::Copied as CopyOutcome;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Idle,
    Running { request: u64 },
    Done(PlacesCheck),
}
