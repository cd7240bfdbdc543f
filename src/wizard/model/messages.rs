//! What comes into `update` (messages) and what leaves it (effects), and how the wizard starts.
use super::*;

/// Input and results of work.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick(SystemTime),
    KeyGenerated {
        request: u64,
        result: Result<Arc<PrivateKey>, String>,
    },
    ExistingChecked {
        request: u64,
        existing: Existing,
    },
    PairWritten {
        request: u64,
        result: Result<PairInfo, String>,
    },
    Exchanged {
        request: u64,
        result: Result<TokenInfo, Failure>,
    },
    /// The new profile saved with its token (where), or why not.
    Saved {
        request: u64,
        result: Result<PathBuf, String>,
    },
    Copied {
        request: u64,
        outcome: CopyOutcome,
    },
    Verified {
        request: u64,
        result: PlacesCheck,
    },
    ConsoleRead {
        request: u64,
        result: Result<crate::session::ConsoleProject, String>,
    },
    /// Bytes for the terminal itself (OSC 52), written by the loop between two frames; never
    /// seen by `update`.
    ToTerminal(TerminalBytes),
    /// The draft was saved as an untested profile (its name), or why not; tagged with the
    /// exchange it was saved for.
    DraftSaved {
        request: u64,
        /// The draft's name, or None when a working profile has it and was left as it is.
        result: Result<Option<String>, String>,
    },
    DraftLoaded {
        request: u64,
        // Boxed: a profile with its key pair is far larger than any other message.
        result: Result<Box<Resumed>, String>,
    },
    Quit,
    /// Ended from outside (a signal, the terminal gone), with this exit status.
    Ended(i32),
}

pub use crate::session::{Draft, Resumed};

/// What goes to the terminal outside the frames; it may hold a token, so `Debug` hides it.
pub struct TerminalBytes(pub Vec<u8>);

impl std::fmt::Debug for TerminalBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TerminalBytes([REDACTED {} bytes])", self.0.len())
    }
}

/// Work for the runner. Data only; the runner answers each with a `Msg` carrying the request number.
#[derive(Debug)]
pub enum Effect {
    CheckExisting {
        request: u64,
        dir: PathBuf,
        name: String,
    },
    GenerateKey {
        request: u64,
    },
    WritePair {
        request: u64,
        dir: PathBuf,
        name: String,
        subject: Subject,
        days: u32,
        key: Option<Arc<PrivateKey>>,
        mode: WriteMode,
    },
    Exchange {
        request: u64,
        draft: Draft,
        /// The fingerprint of the certificate on screen: the exchange refuses another pair.
        fingerprint: Option<String>,
    },
    Refresh {
        request: u64,
        profile: ProfileName,
        /// A new token from IMS even when the cached one is still valid.
        fresh: bool,
    },
    Save {
        request: u64,
        draft: Draft,
        token: TokenInfo,
    },
    /// What was typed, saved as an untested profile before the exchange (whose request it
    /// carries), so nothing is lost.
    SaveDraft {
        request: u64,
        draft: Draft,
    },
    LoadDraft {
        request: u64,
        profile: ProfileName,
    },
    /// Copy the token.
    Copy {
        request: u64,
        secret: AccessToken,
    },
    CopyText {
        request: u64,
        text: String,
    },
    Verify {
        request: u64,
        token: AccessToken,
        api_key: ClientId,
        org_id: OrgId,
        places_url: String,
    },
    /// Read and parse the Console's project JSON.
    ReadConsoleJson {
        request: u64,
        path: String,
    },
    /// Carry the saved JWT profile across to OAuth Server-to-Server (`session::migrate`).
    Migrate {
        request: u64,
        profile: ProfileName,
        scopes: Vec<String>,
    },
}

/// Values the model starts with.
#[derive(Debug, Clone)]
pub struct Start {
    pub demo: bool,
    pub demo_kept: bool,
    /// The config folder profiles are saved in (the demo's own when it is not kept).
    pub config_dir: PathBuf,
    pub color: bool,
    pub ims_url: String,
    pub places_url: String,
    pub profile_name: ProfileName,
    pub profiles: Vec<ProfileSummary>,
    pub prerequisites: Prerequisites,
    pub key_dir: String,
    /// The person's home folder, for `~` in the key folder.
    pub home: Option<PathBuf>,
    /// The working folder, to show (and copy) the key files' absolute paths.
    pub cwd: Option<PathBuf>,
    pub size: (u16, u16),
    pub now: SystemTime,
    /// Demo: values to prefill (org, JWT client, technical account, secret, OAuth client, scopes).
    pub demo_values: Option<[String; 6]>,
}
