//! The wizard's state and its one pure transition function: `update(&mut Model, Msg) -> Vec<Effect>`.
//! No I/O, no clock, no randomness here: key presses, pastes and the results of work arrive as
//! messages; work to do leaves as effects.
use super::field::TextField;
use crate::cert::{Field, Subject};
use crate::ids;
use crate::jwt::PLACES_METASCOPE;
use crate::store::{Auth, Profile};
use openssl::pkey::{PKey, Private};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use secrecy::SecretString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

/// The wizard needs at least this many columns and rows.
pub const MIN_SIZE: (u16, u16) = (80, 24);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Welcome,
    Prerequisites,
    KeyFiles,
    Subject,
    Generating,
    Credentials,
    Exchange,
    Token,
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Welcome => "Welcome",
            Step::Prerequisites => "Prerequisites",
            Step::KeyFiles => "Key folder and name",
            Step::Subject => "Certificate subject",
            Step::Generating => "Key pair",
            Step::Credentials => "Credentials",
            Step::Exchange => "Test the exchange",
            Step::Token => "Access token",
        }
    }

    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn help_key(self) -> &'static str {
        match self {
            Step::Welcome => "welcome",
            Step::Prerequisites => "prerequisites",
            Step::KeyFiles => "key_files",
            Step::Subject => "subject",
            Step::Generating => "generating",
            Step::Credentials => "credentials",
            Step::Exchange => "exchange",
            Step::Token => "token",
        }
    }
}

/// A saved profile as the welcome screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSummary {
    pub name: String,
    pub auth: Auth,
    pub org_id: String,
    pub client_id: String,
    pub token_expires_at: Option<SystemTime>,
    pub certificate_expires_at: Option<SystemTime>,
}

/// What the welcome screen offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Refresh(String),
    New(Auth),
}

/// One item of the prerequisite checklist (from `assets/prerequisites.toml`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Prerequisite {
    pub title: String,
    pub how: String,
}

/// What is already on disk under the chosen key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    Unknown,
    None,
    /// Both files, key matching certificate.
    MatchingPair,
    /// Some file is there, but not a usable pair; the text says why.
    Unusable(String),
}

/// What to do when the key files exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    New,
    UseExisting,
    Replace,
}

#[derive(Debug, Clone)]
pub enum KeyGen {
    Idle,
    Running { request: u64 },
    Ready(Arc<PKey<Private>>),
    Failed(String),
}

/// The key pair as written (or found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairInfo {
    pub private_key: PathBuf,
    pub certificate: PathBuf,
    pub key_mode: u32,
    pub certificate_mode: u32,
    pub fingerprint: String,
    pub expires_at: SystemTime,
    pub backups: Vec<PathBuf>,
    /// Demo only: the certificate was registered with the emulator as if uploaded.
    pub registered: bool,
}

/// A token and where it came from.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub token_type: String,
    pub access_token: SecretString,
    pub expires_at: SystemTime,
    pub from_cache: bool,
}

/// Which credentials field an IMS refusal points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialField {
    OrgId,
    ClientId,
    TechnicalAccountId,
    ClientSecret,
    Scopes,
}

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
}

#[derive(Debug, Clone)]
pub enum Exchange {
    Idle,
    Running { request: u64 },
    Failed(Failure),
}

/// How the token was copied, or why it was not.
pub use crate::clipboard::Copied as CopyOutcome;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Idle,
    Running { request: u64 },
    Done(Result<usize, String>),
}

/// Everything on screen.
#[derive(Debug)]
pub struct Model {
    pub step: Step,
    pub demo: bool,
    pub color: bool,
    pub ims_url: String,
    pub places_url: String,
    pub profile_name: String,
    pub size: (u16, u16),
    pub now: SystemTime,
    pub help_open: bool,
    pub quit: bool,
    next_request: u64,

    pub profiles: Vec<ProfileSummary>,
    pub choices: Vec<Choice>,
    pub choice: usize,
    pub auth: Auth,
    /// The flow started from a saved profile (refresh), not a new integration.
    pub refreshing: Option<String>,

    pub prerequisites: Vec<Prerequisite>,
    pub ticked: Vec<bool>,
    pub prerequisite_focus: usize,
    pub unticked_warned: bool,

    pub key_dir: TextField,
    pub key_name: TextField,
    pub key_focus: usize,
    pub existing: Existing,
    existing_request: u64,
    /// Enter was pressed before the check of existing files answered: go on when it does.
    continue_after_check: bool,
    pub write_mode: WriteMode,

    /// The seven subject fields, then the validity in days.
    pub subject: Vec<TextField>,
    pub subject_focus: usize,
    pub keygen: KeyGen,
    /// The subject form was submitted while the key was still being generated.
    pub waiting_for_key: bool,
    pub pair: Option<PairInfo>,
    pub pair_error: Option<String>,
    pair_request: u64,

    pub org_id: TextField,
    pub client_id: TextField,
    pub technical_account_id: TextField,
    pub client_secret: TextField,
    pub metascopes: TextField,
    pub scopes: TextField,
    pub credential_focus: usize,

    pub exchange: Exchange,
    pub token: Option<TokenInfo>,
    pub saved: Option<Result<PathBuf, String>>,
    pub reveal_token: bool,
    pub show_curl: bool,
    pub copy: Option<CopyOutcome>,
    pub verification: Verification,
    demo_values: Option<[String; 6]>,
}

/// Input and results of work.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick(SystemTime),
    KeyGenerated {
        request: u64,
        result: Result<Arc<PKey<Private>>, String>,
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
    Saved(Result<PathBuf, String>),
    Copied(CopyOutcome),
    Verified {
        request: u64,
        result: Result<usize, String>,
    },
    Quit,
}

/// What a profile being set up looks like before it is saved.
#[derive(Debug, Clone)]
pub struct Draft {
    pub profile: Profile,
    pub client_secret: SecretString,
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
        key: Option<Arc<PKey<Private>>>,
        mode: WriteMode,
    },
    Exchange {
        request: u64,
        draft: Draft,
    },
    Refresh {
        request: u64,
        profile: String,
    },
    Save {
        draft: Draft,
        token: TokenInfo,
    },
    Copy(SecretString),
    CopyText(String),
    Verify {
        request: u64,
        token: SecretString,
        api_key: String,
        org_id: String,
    },
}

/// Values the model starts with.
#[derive(Debug, Clone)]
pub struct Start {
    pub demo: bool,
    pub color: bool,
    pub ims_url: String,
    pub places_url: String,
    pub profile_name: String,
    pub profiles: Vec<ProfileSummary>,
    pub prerequisites: Vec<Prerequisite>,
    pub key_dir: String,
    pub size: (u16, u16),
    pub now: SystemTime,
    /// Demo: values to prefill (org, JWT client, technical account, secret, OAuth client, scopes).
    pub demo_values: Option<[String; 6]>,
}

impl Model {
    pub fn new(start: Start) -> Model {
        let mut choices: Vec<Choice> = start
            .profiles
            .iter()
            .map(|p| Choice::Refresh(p.name.clone()))
            .collect();
        choices.push(Choice::New(Auth::Jwt));
        choices.push(Choice::New(Auth::Oauth));
        let examples = Field::ALL.map(|f| TextField::new(f.label()).placeholder(f.example()));
        let mut subject: Vec<TextField> = examples.into_iter().collect();
        subject
            .push(TextField::new("Validity (days)").value(&crate::cert::DEFAULT_DAYS.to_string()));
        let ticked = vec![false; start.prerequisites.len()];
        let mut model = Model {
            step: Step::Welcome,
            demo: start.demo,
            color: start.color,
            ims_url: start.ims_url,
            places_url: start.places_url,
            profile_name: start.profile_name,
            size: start.size,
            now: start.now,
            help_open: false,
            quit: false,
            next_request: 0,
            profiles: start.profiles,
            choices,
            choice: 0,
            auth: Auth::Jwt,
            refreshing: None,
            prerequisites: start.prerequisites,
            ticked,
            prerequisite_focus: 0,
            unticked_warned: false,
            key_dir: TextField::new("Folder").value(&start.key_dir),
            key_name: TextField::new("Integration name").value(crate::cert::DEFAULT_NAME),
            key_focus: 0,
            existing: Existing::Unknown,
            existing_request: 0,
            continue_after_check: false,
            write_mode: WriteMode::New,
            subject,
            subject_focus: 0,
            keygen: KeyGen::Idle,
            waiting_for_key: false,
            pair: None,
            pair_error: None,
            pair_request: 0,
            org_id: TextField::new("Organization ID")
                .placeholder("18FB61145BAC2FFB0A494777@AdobeOrg"),
            client_id: TextField::new("Client ID (API key)")
                .placeholder("0123456789abcdef0123456789abcdef"),
            technical_account_id: TextField::new("Technical account ID")
                .placeholder("0123456789ABCDEF01234567@techacct.adobe.com"),
            client_secret: TextField::new("Client secret").masked(),
            metascopes: TextField::new("Metascopes").value(PLACES_METASCOPE),
            scopes: TextField::new("Scopes").placeholder("openid,AdobeID,read_organizations"),
            credential_focus: 0,
            exchange: Exchange::Idle,
            token: None,
            saved: None,
            reveal_token: false,
            show_curl: false,
            copy: None,
            verification: Verification::Idle,
            demo_values: None,
        };
        if let Some([org, jwt_client, technical, secret, _, scopes]) = &start.demo_values {
            model.org_id.set(org);
            model.client_id.set(jwt_client);
            model.technical_account_id.set(technical);
            model.client_secret.set(secret);
            model.scopes.set(scopes);
        }
        model.demo_values = start.demo_values;
        model
    }

    fn request(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    /// Whether something on screen moves, so the loop must tick.
    pub fn animating(&self) -> bool {
        matches!(self.keygen, KeyGen::Running { .. })
            && matches!(self.step, Step::Subject | Step::Generating)
            || matches!(self.exchange, Exchange::Running { .. })
            || matches!(self.verification, Verification::Running { .. })
            || (self.step == Step::Token && self.token.is_some())
    }

    /// The credentials fields shown for the current kind of integration, in order.
    pub fn credential_fields(&self) -> Vec<CredentialField> {
        match self.auth {
            Auth::Jwt => vec![
                CredentialField::OrgId,
                CredentialField::ClientId,
                CredentialField::TechnicalAccountId,
                CredentialField::ClientSecret,
                CredentialField::Scopes,
            ],
            Auth::Oauth => vec![
                CredentialField::OrgId,
                CredentialField::ClientId,
                CredentialField::ClientSecret,
                CredentialField::Scopes,
            ],
        }
    }

    pub fn credential(&self, field: CredentialField) -> &TextField {
        match field {
            CredentialField::OrgId => &self.org_id,
            CredentialField::ClientId => &self.client_id,
            CredentialField::TechnicalAccountId => &self.technical_account_id,
            CredentialField::ClientSecret => &self.client_secret,
            CredentialField::Scopes if self.auth == Auth::Jwt => &self.metascopes,
            CredentialField::Scopes => &self.scopes,
        }
    }

    fn credential_mut(&mut self, field: CredentialField) -> &mut TextField {
        match field {
            CredentialField::OrgId => &mut self.org_id,
            CredentialField::ClientId => &mut self.client_id,
            CredentialField::TechnicalAccountId => &mut self.technical_account_id,
            CredentialField::ClientSecret => &mut self.client_secret,
            CredentialField::Scopes if self.auth == Auth::Jwt => &mut self.metascopes,
            CredentialField::Scopes => &mut self.scopes,
        }
    }

    /// The text field that has the focus on this screen, if any.
    pub fn focused_field(&mut self) -> Option<&mut TextField> {
        match self.step {
            Step::KeyFiles => Some(if self.key_focus == 0 {
                &mut self.key_dir
            } else {
                &mut self.key_name
            }),
            Step::Subject => self.subject.get_mut(self.subject_focus),
            Step::Credentials => {
                let field = *self.credential_fields().get(self.credential_focus)?;
                Some(self.credential_mut(field))
            }
            _ => None,
        }
    }

    fn field_count(&self) -> usize {
        match self.step {
            Step::KeyFiles => 2,
            Step::Subject => self.subject.len(),
            Step::Credentials => self.credential_fields().len(),
            Step::Prerequisites => self.prerequisites.len(),
            Step::Welcome => self.choices.len(),
            _ => 0,
        }
    }

    fn focus_mut(&mut self) -> Option<&mut usize> {
        match self.step {
            Step::KeyFiles => Some(&mut self.key_focus),
            Step::Subject => Some(&mut self.subject_focus),
            Step::Credentials => Some(&mut self.credential_focus),
            Step::Prerequisites => Some(&mut self.prerequisite_focus),
            Step::Welcome => Some(&mut self.choice),
            _ => None,
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let count = self.field_count();
        if let Some(focus) = self.focus_mut()
            && count > 0
        {
            *focus = if forward {
                (*focus + 1) % count
            } else {
                (*focus + count - 1) % count
            };
        }
    }

    /// The key files the form names.
    pub fn pair_paths(&self) -> crate::cert::PairPaths {
        crate::cert::PairPaths::new(&PathBuf::from(self.key_dir.text()), self.key_name.text())
    }

    /// The claims the exchange will sign, for display (no secret among them).
    pub fn claims_preview(&self, ims_url: &str) -> Vec<(String, String)> {
        let ims = ims_url.trim_end_matches('/');
        let mut claims = vec![
            ("iss".to_string(), self.org_id.text().to_string()),
            (
                "sub".to_string(),
                self.technical_account_id.text().to_string(),
            ),
            (
                "aud".to_string(),
                format!("{ims}/c/{}", self.client_id.text()),
            ),
            (
                "exp".to_string(),
                "now + 300 s (signed afresh for every attempt)".to_string(),
            ),
        ];
        for m in self
            .metascopes
            .text()
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            claims.push((crate::jwt::metascope_claim(ims, m), "true".to_string()));
        }
        claims
    }
}

// The demo's prefilled values also serve the switch to OAuth.
impl Model {
    fn demo_oauth_client(&self) -> Option<String> {
        self.demo_values.as_ref().map(|v| v[4].clone())
    }
}

/// Validates one credentials field; the short text is shown beside it.
pub fn check_credential(field: CredentialField, auth: Auth, value: &str) -> Result<(), String> {
    let (result, expected) = match field {
        CredentialField::OrgId => (
            ids::org_id(value).map(drop),
            "expected 24 hex characters + @AdobeOrg",
        ),
        CredentialField::ClientId => (
            ids::client_id(value).map(drop),
            "expected 32 hex characters",
        ),
        CredentialField::TechnicalAccountId => (
            ids::technical_account_id(value).map(drop),
            "expected 24 hex characters + @techacct.adobe.com",
        ),
        CredentialField::ClientSecret => (ids::client_secret(value).map(drop), ""),
        CredentialField::Scopes => {
            let name = if auth == Auth::Jwt {
                "metascopes"
            } else {
                "scopes"
            };
            (
                ids::list(name, value, "").map(drop),
                "a comma-separated list",
            )
        }
    };
    result.map_err(|e| {
        let problem = problem_of(&e.message);
        if value.trim().is_empty() {
            "required".to_string()
        } else if problem.contains("email") || expected.is_empty() {
            problem
        } else {
            expected.to_string()
        }
    })
}

/// "org ID: it is empty" → "it is empty": the label is already beside the field.
fn problem_of(message: &str) -> String {
    message
        .split_once(": ")
        .map_or(message, |(_, p)| p)
        .to_string()
}

fn check_subject_field(index: usize, value: &str) -> Result<(), String> {
    if index < Field::ALL.len() {
        Field::ALL[index]
            .check(value)
            .map(drop)
            .map_err(|e| problem_of(&e.message))
    } else {
        match value.trim().parse::<u32>() {
            Ok(1..=3650) => Ok(()),
            _ => Err("a whole number of days from 1 to 3650".to_string()),
        }
    }
}

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

/// The one transition function.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Quit => {
            model.quit = true;
            vec![]
        }
        Msg::Resize(w, h) => {
            model.size = (w, h);
            vec![]
        }
        Msg::Tick(now) => {
            model.now = now;
            vec![]
        }
        Msg::Paste(text) => {
            if model.too_small() || model.help_open {
                return vec![];
            }
            let cleaned = ids::clean_pasted(&text);
            // A pasted value is one line; newlines inside it are never part of an ID or secret.
            let cleaned: String = cleaned.chars().filter(|c| !c.is_control()).collect();
            if let Some(field) = model.focused_field() {
                field.insert_str(&cleaned);
                revalidate(model);
            }
            vec![]
        }
        Msg::Key(key) => on_key(model, key),
        Msg::KeyGenerated { request, result } => {
            if !matches!(model.keygen, KeyGen::Running { request: r } if r == request) {
                return vec![];
            }
            model.keygen = match result {
                Ok(key) => KeyGen::Ready(key),
                Err(e) => KeyGen::Failed(e),
            };
            if model.waiting_for_key {
                model.waiting_for_key = false;
                return write_pair(model);
            }
            vec![]
        }
        Msg::ExistingChecked { request, existing } => {
            if request == model.existing_request {
                model.existing = existing;
                if model.existing == Existing::None {
                    model.write_mode = WriteMode::New;
                } else if model.write_mode == WriteMode::New {
                    model.write_mode = if model.existing == Existing::MatchingPair {
                        WriteMode::UseExisting
                    } else {
                        WriteMode::Replace
                    };
                }
                if std::mem::take(&mut model.continue_after_check)
                    && model.step == Step::KeyFiles
                    && model.existing == Existing::None
                {
                    return key_files_key(model, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
                }
            }
            vec![]
        }
        Msg::PairWritten { request, result } => {
            if request != model.pair_request {
                return vec![];
            }
            match result {
                Ok(info) => {
                    model.pair = Some(info);
                    model.pair_error = None;
                }
                Err(e) => model.pair_error = Some(e),
            }
            vec![]
        }
        Msg::Exchanged { request, result } => {
            if !matches!(model.exchange, Exchange::Running { request: r } if r == request) {
                return vec![];
            }
            match result {
                Ok(token) => {
                    model.exchange = Exchange::Idle;
                    model.step = Step::Token;
                    model.reveal_token = false;
                    model.show_curl = false;
                    model.copy = None;
                    model.verification = Verification::Idle;
                    model.token = Some(token.clone());
                    if model.refreshing.is_some() {
                        // Re-run: refresh and copy in one key press.
                        model.saved = None;
                        return vec![Effect::Copy(token.access_token)];
                    }
                    model.saved = None;
                    vec![Effect::Save {
                        draft: draft(model),
                        token,
                    }]
                }
                Err(failure) => {
                    model.exchange = Exchange::Failed(failure);
                    if model.refreshing.is_some() {
                        model.step = Step::Exchange;
                    }
                    vec![]
                }
            }
        }
        Msg::Saved(result) => {
            model.saved = Some(result);
            vec![]
        }
        Msg::Copied(outcome) => {
            model.copy = Some(outcome);
            vec![]
        }
        Msg::Verified { request, result } => {
            if matches!(model.verification, Verification::Running { request: r } if r == request) {
                model.verification = Verification::Done(result);
            }
            vec![]
        }
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return vec![];
    }
    if is_ctrl(&key, 'c') {
        model.quit = true;
        return vec![];
    }
    if model.too_small() {
        return vec![];
    }
    if model.help_open {
        if matches!(
            key.code,
            KeyCode::Esc | KeyCode::Enter | KeyCode::F(1) | KeyCode::Char('?') | KeyCode::Char('q')
        ) {
            model.help_open = false;
        }
        return vec![];
    }
    let editing = matches!(
        model.step,
        Step::KeyFiles | Step::Subject | Step::Credentials
    );
    if key.code == KeyCode::F(1) || (!editing && key.code == KeyCode::Char('?')) {
        model.help_open = true;
        return vec![];
    }
    match key.code {
        KeyCode::Tab | KeyCode::Down => {
            model.move_focus(true);
            return vec![];
        }
        KeyCode::BackTab | KeyCode::Up => {
            model.move_focus(false);
            return vec![];
        }
        KeyCode::Esc => return back(model),
        _ => {}
    }
    match model.step {
        Step::Welcome => welcome_key(model, key),
        Step::Prerequisites => prerequisites_key(model, key),
        Step::KeyFiles => key_files_key(model, key),
        Step::Subject => subject_key(model, key),
        Step::Generating => generating_key(model, key),
        Step::Credentials => credentials_key(model, key),
        Step::Exchange => exchange_key(model, key),
        Step::Token => token_key(model, key),
    }
}

/// Esc: one screen back, keeping what was typed; a running exchange is cancelled.
fn back(model: &mut Model) -> Vec<Effect> {
    model.step = match model.step {
        Step::Welcome => {
            model.quit = true;
            Step::Welcome
        }
        Step::Prerequisites => Step::Welcome,
        Step::KeyFiles => Step::Prerequisites,
        Step::Subject => Step::KeyFiles,
        Step::Generating => Step::Subject,
        Step::Credentials if model.auth == Auth::Oauth => Step::Prerequisites,
        Step::Credentials => Step::Generating,
        Step::Exchange | Step::Token if model.refreshing.is_some() => {
            model.refreshing = None;
            model.exchange = Exchange::Idle;
            Step::Welcome
        }
        Step::Exchange => {
            // Cancelled: a late answer no longer matches and is dropped.
            model.exchange = Exchange::Idle;
            Step::Credentials
        }
        Step::Token => Step::Credentials,
    };
    vec![]
}

fn welcome_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => match model.choices.get(model.choice).cloned() {
            Some(Choice::Refresh(name)) => {
                if let Some(p) = model.profiles.iter().find(|p| p.name == name).cloned() {
                    model.auth = p.auth;
                    model.org_id.set(&p.org_id);
                    model.client_id.set(&p.client_id);
                }
                let request = model.request();
                model.refreshing = Some(name.clone());
                model.exchange = Exchange::Running { request };
                model.step = Step::Exchange;
                vec![Effect::Refresh {
                    request,
                    profile: name,
                }]
            }
            Some(Choice::New(auth)) => {
                model.refreshing = None;
                set_auth(model, auth);
                model.step = Step::Prerequisites;
                vec![]
            }
            None => vec![],
        },
        KeyCode::Char('q') => {
            model.quit = true;
            vec![]
        }
        _ => vec![],
    }
}

fn set_auth(model: &mut Model, auth: Auth) {
    model.auth = auth;
    if model.demo {
        let client = match auth {
            Auth::Jwt => model.demo_values.as_ref().map(|v| v[1].clone()),
            Auth::Oauth => model.demo_oauth_client(),
        };
        if let Some(client) = client {
            model.client_id.set(&client);
        }
    }
    model.credential_focus = 0;
}

fn prerequisites_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char(' ') => {
            if let Some(t) = model.ticked.get_mut(model.prerequisite_focus) {
                *t = !*t;
            }
            vec![]
        }
        KeyCode::Enter => {
            if model.ticked.iter().any(|t| !t) && !model.unticked_warned {
                // Asked once; a second Enter goes on.
                model.unticked_warned = true;
                return vec![];
            }
            model.step = if model.auth == Auth::Oauth {
                Step::Credentials
            } else {
                Step::KeyFiles
            };
            if model.step == Step::KeyFiles {
                return check_existing(model);
            }
            vec![]
        }
        _ => vec![],
    }
}

fn check_existing(model: &mut Model) -> Vec<Effect> {
    model.continue_after_check = false;
    let request = model.request();
    model.existing_request = request;
    model.existing = Existing::Unknown;
    vec![Effect::CheckExisting {
        request,
        dir: PathBuf::from(model.key_dir.text()),
        name: model.key_name.text().to_string(),
    }]
}

fn edit(model: &mut Model, key: KeyEvent) -> bool {
    let Some(field) = model.focused_field() else {
        return false;
    };
    let changed = field.on_key(key);
    if changed {
        revalidate(model);
    }
    changed
}

/// Re-checks the focused field as it is typed; errors show beside it.
fn revalidate(model: &mut Model) {
    match model.step {
        Step::KeyFiles => {
            let name = model.key_name.text().to_string();
            model.key_name.error = crate::cert::check_name(&name)
                .err()
                .map(|e| problem_of(&e.message));
            model.key_dir.error = if model.key_dir.text().trim().is_empty() {
                Some("choose a folder".into())
            } else {
                None
            };
        }
        Step::Subject => {
            let i = model.subject_focus;
            let value = model.subject[i].text().to_string();
            model.subject[i].error = check_subject_field(i, &value).err();
        }
        Step::Credentials => {
            let Some(&field) = model.credential_fields().get(model.credential_focus) else {
                return;
            };
            let auth = model.auth;
            let f = model.credential_mut(field);
            let value = f.text().to_string();
            // An empty field is not an error until the form is submitted.
            f.error = if value.is_empty() {
                None
            } else {
                check_credential(field, auth, &value).err()
            };
        }
        _ => {}
    }
}

fn key_files_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if model.existing != Existing::None
        && model.existing != Existing::Unknown
        && key.modifiers.contains(KeyModifiers::ALT)
    {
        // Alt-U / Alt-R choose what to do with existing files without leaving the text fields.
        match key.code {
            KeyCode::Char('u') if model.existing == Existing::MatchingPair => {
                model.write_mode = WriteMode::UseExisting
            }
            KeyCode::Char('r') => model.write_mode = WriteMode::Replace,
            _ => {}
        }
        return vec![];
    }
    if key.code == KeyCode::Enter {
        revalidate_all_key_files(model);
        if model.key_dir.error.is_some() || model.key_name.error.is_some() {
            return vec![];
        }
        if model.existing == Existing::Unknown {
            // The check is on its way; go on as soon as it answers.
            model.continue_after_check = true;
            return vec![];
        }
        model.step = Step::Subject;
        let mut effects = vec![];
        let needs_key = model.existing == Existing::None || model.write_mode == WriteMode::Replace;
        if needs_key && matches!(model.keygen, KeyGen::Idle | KeyGen::Failed(_)) {
            // Started now, the key is usually ready before the subject form is done.
            let request = model.request();
            model.keygen = KeyGen::Running { request };
            effects.push(Effect::GenerateKey { request });
        }
        if model.existing == Existing::MatchingPair && model.write_mode == WriteMode::UseExisting {
            // Nothing to generate or write: the form is skipped.
            model.step = Step::Generating;
            return write_pair(model);
        }
        return effects;
    }
    if edit(model, key) {
        // Another name or folder: whatever was found before no longer applies.
        return check_existing(model);
    }
    vec![]
}

fn revalidate_all_key_files(model: &mut Model) {
    let focus = model.key_focus;
    for i in 0..2 {
        model.key_focus = i;
        revalidate(model);
    }
    model.key_focus = focus;
}

fn subject_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.code != KeyCode::Enter {
        edit(model, key);
        return vec![];
    }
    for i in 0..model.subject.len() {
        let value = model.subject[i].text().to_string();
        model.subject[i].error = check_subject_field(i, &value).err();
    }
    if let Some(first) = model.subject.iter().position(|f| f.error.is_some()) {
        model.subject_focus = first;
        return vec![];
    }
    model.step = Step::Generating;
    match &model.keygen {
        KeyGen::Ready(_) => write_pair(model),
        KeyGen::Running { .. } => {
            model.waiting_for_key = true;
            vec![]
        }
        KeyGen::Idle | KeyGen::Failed(_) => {
            let request = model.request();
            model.keygen = KeyGen::Running { request };
            model.waiting_for_key = true;
            vec![Effect::GenerateKey { request }]
        }
    }
}

fn write_pair(model: &mut Model) -> Vec<Effect> {
    let values: Vec<&str> = model.subject.iter().take(7).map(TextField::text).collect();
    let array = [
        values[0], values[1], values[2], values[3], values[4], values[5], values[6],
    ];
    let subject = match Subject::new(array, model.key_name.text()) {
        Ok(s) => s,
        Err(e) => {
            model.pair_error = Some(e.message);
            return vec![];
        }
    };
    let days = model.subject[7]
        .text()
        .trim()
        .parse()
        .unwrap_or(crate::cert::DEFAULT_DAYS);
    let key = match &model.keygen {
        KeyGen::Ready(k) => Some(k.clone()),
        _ => None,
    };
    let mode = if model.existing == Existing::None {
        WriteMode::New
    } else {
        model.write_mode
    };
    let request = model.request();
    model.pair_request = request;
    model.pair = None;
    model.pair_error = None;
    vec![Effect::WritePair {
        request,
        dir: PathBuf::from(model.key_dir.text()),
        name: model.key_name.text().to_string(),
        subject,
        days,
        key,
        mode,
    }]
}

fn generating_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter if model.pair.is_some() => {
            model.step = Step::Credentials;
            vec![]
        }
        KeyCode::Enter if model.pair_error.is_some() => {
            model.step = Step::KeyFiles;
            vec![]
        }
        KeyCode::Char('c') => match &model.pair {
            Some(pair) => vec![Effect::CopyText(pair.certificate.display().to_string())],
            None => vec![],
        },
        _ => vec![],
    }
}

fn credentials_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl(&key, 'r') {
        model.client_secret.revealed = !model.client_secret.revealed;
        return vec![];
    }
    if key.code != KeyCode::Enter {
        edit(model, key);
        return vec![];
    }
    let auth = model.auth;
    let fields = model.credential_fields();
    for &field in &fields {
        let f = model.credential_mut(field);
        let value = f.text().to_string();
        f.error = check_credential(field, auth, &value).err();
    }
    if let Some(first) = fields
        .iter()
        .position(|&f| model.credential(f).error.is_some())
    {
        model.credential_focus = first;
        return vec![];
    }
    // Cleaned values are what is shown and saved.
    for &field in &fields {
        let f = model.credential_mut(field);
        let cleaned = ids::clean_pasted(f.text());
        f.set(&cleaned);
    }
    start_exchange(model)
}

fn start_exchange(model: &mut Model) -> Vec<Effect> {
    let request = model.request();
    model.exchange = Exchange::Running { request };
    model.step = Step::Exchange;
    vec![Effect::Exchange {
        request,
        draft: draft(model),
    }]
}

/// The profile the form describes (IMS URL and paths are completed by the runner).
pub fn draft(model: &Model) -> Draft {
    let list = |text: &str| ids::list("list", text, "").unwrap_or_default();
    let jwt = model.auth == Auth::Jwt;
    Draft {
        profile: Profile {
            auth: model.auth,
            org_id: model.org_id.text().to_string(),
            client_id: model.client_id.text().to_string(),
            ims_url: String::new(),
            technical_account_id: jwt.then(|| model.technical_account_id.text().to_string()),
            private_key: model
                .pair
                .as_ref()
                .filter(|_| jwt)
                .map(|p| p.private_key.clone()),
            certificate: model
                .pair
                .as_ref()
                .filter(|_| jwt)
                .map(|p| p.certificate.clone()),
            metascopes: if jwt {
                list(model.metascopes.text())
            } else {
                vec![]
            },
            secret_store: crate::store::SecretStore::File,
            scopes: if jwt {
                vec![]
            } else {
                list(model.scopes.text())
            },
        },
        client_secret: SecretString::from(model.client_secret.text().to_string()),
    }
}

fn exchange_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Exchange::Failed(failure) = &model.exchange else {
        return vec![];
    };
    let failure = failure.clone();
    match key.code {
        KeyCode::Char('r') | KeyCode::Enter if model.refreshing.is_some() => {
            let request = model.request();
            model.exchange = Exchange::Running { request };
            let profile = model.refreshing.clone().unwrap_or_default();
            vec![Effect::Refresh { request, profile }]
        }
        KeyCode::Char('r') => start_exchange(model),
        KeyCode::Char('e') | KeyCode::Enter if model.refreshing.is_none() => {
            model.step = Step::Credentials;
            if let Some(field) = failure.field
                && let Some(i) = model.credential_fields().iter().position(|f| *f == field)
            {
                model.credential_focus = i;
            }
            model.exchange = Exchange::Idle;
            vec![]
        }
        KeyCode::Char('o') if failure.suggest_oauth && model.refreshing.is_none() => {
            // Adobe's conversion keeps the client ID and secret: only the scopes are new.
            model.auth = Auth::Oauth;
            if model.demo
                && let Some(c) = model.demo_oauth_client()
            {
                model.client_id.set(&c);
            }
            model.step = Step::Credentials;
            model.credential_focus = model
                .credential_fields()
                .iter()
                .position(|f| *f == CredentialField::Scopes)
                .unwrap_or(0);
            model.exchange = Exchange::Idle;
            vec![]
        }
        _ => vec![],
    }
}

fn token_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Some(access_token) = model.token.as_ref().map(|t| t.access_token.clone()) else {
        return vec![];
    };
    match key.code {
        KeyCode::Char('c') => vec![Effect::Copy(access_token)],
        KeyCode::Char('s') => {
            model.reveal_token = !model.reveal_token;
            vec![]
        }
        KeyCode::Char('u') => {
            model.show_curl = !model.show_curl;
            vec![]
        }
        KeyCode::Char('v') => {
            let request = model.request();
            model.verification = Verification::Running { request };
            let (api_key, org_id) = (
                model.client_id.text().to_string(),
                model.org_id.text().to_string(),
            );
            vec![Effect::Verify {
                request,
                token: access_token,
                api_key,
                org_id,
            }]
        }
        KeyCode::Char('q') | KeyCode::Enter => {
            model.quit = true;
            vec![]
        }
        _ => vec![],
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
pub(crate) mod tests;
