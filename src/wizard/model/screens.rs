//! The model's parts: the flow being walked, what the run started with, and each screen's own
//! state. A screen's state outlives a step back (Esc keeps what was typed), so every screen keeps
//! its own struct; what can be derived from them (choices, the checklist shown, the kind of
//! credential) is computed by `Model`, not stored.
use super::*;

/// Which way the person is going: a new integration of one kind, an import, or a saved profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// A new OAuth Server-to-Server integration, typed from the Console's credential page.
    Oauth,
    /// A new OAuth Server-to-Server integration from the Console's project JSON; `from` says which
    /// credential of which file once one is picked.
    Import { from: Option<String> },
    /// A new Service Account (JWT) integration: the original guide's key pair and exchange.
    Jwt,
    /// A saved profile's token refreshed; `migrating` once a JWT profile IMS no longer accepts is
    /// being carried across to OAuth Server-to-Server.
    Refresh {
        profile: ProfileName,
        auth: Auth,
        migrating: bool,
    },
}

impl Flow {
    /// The new integration of this kind.
    pub fn new(auth: Auth) -> Flow {
        match auth {
            Auth::Oauth => Flow::Oauth,
            Auth::Jwt => Flow::Jwt,
        }
    }
}

/// What the run started with and keeps: the terminal's colours, the demo, the URLs, the folders.
#[derive(Debug)]
pub struct Run {
    pub demo: bool,
    /// Demo: its folder was named with --config-dir and stays; otherwise it is removed at exit.
    pub demo_kept: bool,
    /// The config folder profiles are saved in.
    pub config_dir: PathBuf,
    pub color: bool,
    pub ims_url: String,
    /// The Places API a new profile is checked against, until a token names its own.
    pub places_url: String,
    pub(super) home: Option<PathBuf>,
    pub(super) cwd: Option<PathBuf>,
    /// The checklists, one per kind of integration.
    pub checklists: Prerequisites,
    /// Demo: values to prefill (org, JWT client, technical account, secret, OAuth client, scopes).
    pub(super) demo_values: Option<[String; 6]>,
    /// The key folder offered at the start (the demo's is inside its temporary folder).
    pub first_key_dir: PathBuf,
}

/// An answer awaited: the request it must carry, and the answer once it came.
#[derive(Debug, Clone)]
pub struct Awaited<T> {
    pub(super) request: u64,
    pub answer: Option<T>,
}

impl<T> Default for Awaited<T> {
    fn default() -> Self {
        Awaited {
            request: 0,
            answer: None,
        }
    }
}

impl<T> Awaited<T> {
    /// Waits for a new request: an answer to any older one is stale from now on.
    pub(super) fn ask(&mut self, request: u64) {
        self.request = request;
        self.answer = None;
    }

    /// Waits for a new request while the last answer stays shown until the new one replaces it.
    pub(super) fn ask_again(&mut self, request: u64) {
        self.request = request;
    }

    /// The request is no longer awaited (its screen was left): a late answer is dropped, while
    /// the last one stays shown should the person come back.
    pub(super) fn stop_waiting(&mut self) {
        self.request = 0;
    }

    /// Nothing awaited any more (the screen was left): any answer still on its way is dropped.
    pub(super) fn forget(&mut self) {
        *self = Awaited::default();
    }

    /// Keeps the answer when it is to the request awaited; says whether it was.
    pub(super) fn answer(&mut self, request: u64, answer: T) -> bool {
        let awaited = request != 0 && request == self.request;
        if awaited {
            self.answer = Some(answer);
        }
        awaited
    }
}

/// Welcome: the cursor in the list of choices, and a draft being loaded.
#[derive(Debug, Default)]
pub struct WelcomeScreen {
    pub choice: usize,
    /// The draft asked for, and why it could not be loaded.
    pub resume: Awaited<String>,
    /// Come back to from a later screen: what was typed there would be lost by quitting, so Esc
    /// asks to be pressed again.
    pub returned: bool,
    /// Esc was pressed once here after coming back; a second one quits.
    pub quit_armed: bool,
}

/// Prerequisites: the ticks of the checklist of one kind of integration.
#[derive(Debug)]
pub struct ChecklistScreen {
    /// Whose checklist the ticks belong to.
    pub auth: Auth,
    pub ticked: Vec<bool>,
    pub focus: usize,
    pub unticked_warned: bool,
}

/// Key folder and name, and what is on disk under them.
#[derive(Debug)]
pub struct KeyFilesScreen {
    pub dir: TextField,
    pub name: TextField,
    pub focus: usize,
    pub existing: Existing,
    pub(super) existing_request: u64,
    /// Enter was pressed before the check of existing files answered: go on when it does.
    pub(super) continue_after_check: bool,
    pub write_mode: WriteMode,
}

/// The certificate's subject: seven fields, then the validity in days.
#[derive(Debug)]
pub struct SubjectScreen {
    pub fields: Vec<TextField>,
    pub focus: usize,
    /// The form was submitted while the key was still being generated.
    pub waiting_for_key: bool,
}

/// The key pair: the key generated in the background, and the pair written (or why not).
#[derive(Debug)]
pub struct PairScreen {
    pub keygen: KeyGen,
    pub written: Option<PairInfo>,
    pub error: Option<String>,
    pub(super) request: u64,
}

/// The credentials form: every field of both kinds, so a switch of kind loses nothing typed.
#[derive(Debug)]
pub struct CredentialsScreen {
    pub org_id: TextField,
    pub client_id: TextField,
    pub technical_account_id: TextField,
    pub client_secret: TextField,
    pub metascopes: TextField,
    pub scopes: TextField,
    pub focus: usize,
    /// A resumed draft's IMS and Places API URLs: it is tested where it was made, not at the
    /// default (the environment still overrides, as for any saved profile).
    pub resumed_urls: Option<(String, Option<String>)>,
}

/// The Console JSON: the file named, what it held once read, and the credential under the cursor.
#[derive(Debug)]
pub struct ImportScreen {
    pub path: TextField,
    pub project: Option<crate::session::ConsoleProject>,
    pub choice: usize,
    pub error: Option<String>,
    pub(super) request: u64,
}

/// The exchange: running or refused, how far a long refusal is scrolled, and what became of
/// saving what was typed as an untested profile.
#[derive(Debug)]
pub struct ExchangeScreen {
    pub state: Exchange,
    /// The offset asked for; the view draws it within the text (`view::scroll_max`).
    pub scroll: u16,
    pub draft_saved: Awaited<Result<Option<String>, String>>,
}

/// The token: its value, how it was saved, copied and checked, and what is shown of it.
#[derive(Debug)]
pub struct TokenScreen {
    pub token: Option<TokenInfo>,
    pub saved: Awaited<Result<PathBuf, String>>,
    pub reveal: bool,
    pub show_curl: bool,
    pub verification: Verification,
    /// The offset asked for when the screen is longer than the terminal (`view::scroll_max`).
    pub scroll: u16,
}
