//! The wizard's state and its one pure transition function: `update(&mut Model, Msg) -> Vec<Effect>`.
//! No I/O, no clock, no randomness here: key presses, pastes and the results of work arrive as
//! messages; work to do leaves as effects.
//!
//! This file holds the state (`Model` and its types), the messages and effects, and the dispatch:
//! what every screen shares (Ctrl-C, help, focus, Esc, pastes). Each screen's own keys and the
//! results of the work it asked for live in `model/<screen>.rs`, beside `view/<screen>.rs`.
use super::field::TextField;
use crate::ids;
use crate::session::Auth;
use crate::session::PLACES_METASCOPE;
use crate::session::PrivateKey;
use crate::session::{Subject, SubjectField as Field};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

mod console;
mod credentials;
mod exchange;
mod generating;
mod import;
mod key_files;
mod messages;
mod parts;
mod prerequisites;
mod subject;
mod token;
mod welcome;

pub use credentials::{check_credential, draft};
pub use messages::*;
pub use parts::*;

/// Exit statuses of a wizard that did not end by the person's choice (128 + the signal's number).
pub const INTERRUPTED: i32 = 130;
pub const TERMINATED: i32 = 143;
pub const HANGUP: i32 = 129;

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
    /// OAuth Server-to-Server: the steps in the Developer Console.
    Console,
    /// Import the project JSON downloaded from the Developer Console.
    Import,
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
            Step::Console => "Developer Console",
            Step::Import => "Import the Console's JSON",
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
            Step::Console => "console",
            Step::Import => "import",
        }
    }
}

/// Everything on screen.
#[derive(Debug)]
pub struct Model {
    pub step: Step,
    pub demo: bool,
    /// Demo: its folder was named with --config-dir and stays; otherwise it is removed at exit.
    pub demo_kept: bool,
    pub color: bool,
    pub ims_url: String,
    pub places_url: String,
    pub profile_name: ProfileName,
    pub size: (u16, u16),
    pub now: SystemTime,
    pub help_open: bool,
    pub quit: bool,
    /// The exit status once `quit` is set: 0 when the person chose to leave, else how it ended.
    pub exit_code: i32,
    next_request: u64,

    pub profiles: Vec<ProfileSummary>,
    pub choices: Vec<Choice>,
    pub choice: usize,
    pub auth: Auth,
    /// The flow started from a saved profile (refresh), not a new integration.
    pub refreshing: Option<ProfileName>,
    /// A draft being loaded (its request), and why one could not be.
    resume_request: u64,
    pub resume_error: Option<String>,
    /// What became of saving what was typed as an untested profile, when the exchange started.
    pub draft_saved: Option<Result<String, String>>,

    pub checklists: Prerequisites,
    /// The checklist of the kind of integration chosen.
    pub prerequisites: Vec<Prerequisite>,
    pub ticked: Vec<bool>,
    pub prerequisite_focus: usize,
    pub unticked_warned: bool,

    pub key_dir: TextField,
    home: Option<PathBuf>,
    cwd: Option<PathBuf>,
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

    /// The import path: the file named, and what it held once read.
    pub import_path: TextField,
    pub import: Option<crate::session::ConsoleProject>,
    pub import_choice: usize,
    pub import_error: Option<String>,
    import_request: u64,
    /// The file the credentials came from, when imported.
    pub imported_from: Option<String>,
    /// A saved JWT profile being carried across to OAuth (the `o` key on a refresh's refusal).
    pub migrating: Option<ProfileName>,

    pub exchange: Exchange,
    /// How far a long refusal is scrolled (the view keeps it within the text).
    pub exchange_scroll: u16,
    /// How far it can scroll on the screen as last drawn (set by the loop after each frame).
    pub exchange_scroll_max: u16,
    pub token: Option<TokenInfo>,
    pub saved: Option<Result<PathBuf, String>>,
    pub reveal_token: bool,
    pub show_curl: bool,
    pub copy: Option<CopyOutcome>,
    pub verification: Verification,
    demo_values: Option<[String; 6]>,
}

impl Model {
    pub fn new(start: Start) -> Model {
        let mut choices: Vec<Choice> = start
            .profiles
            .iter()
            .map(|p| match p.untested {
                true => Choice::Resume(p.name.clone()),
                false => Choice::Refresh(p.name.clone()),
            })
            .collect();
        choices.push(Choice::New(Auth::Oauth));
        choices.push(Choice::Import);
        choices.push(Choice::New(Auth::Jwt));
        // The profile being run again, when saved (one key refreshes it); else OAuth
        // Server-to-Server, what Adobe issues today; the demo walks the original guide's JWT flow.
        let first = if start.demo { Auth::Jwt } else { Auth::Oauth };
        let choice = choices
            .iter()
            .position(|c| {
                // --profile / PLACES_SETUP_PROFILE: the cursor starts on that profile when saved.
                *c == Choice::Refresh(start.profile_name.clone())
                    || *c == Choice::Resume(start.profile_name.clone())
            })
            .or_else(|| choices.iter().position(|c| *c == Choice::New(first)))
            .unwrap_or(0);
        let examples = Field::ALL.map(|f| TextField::new(f.label()).placeholder(f.example()));
        let mut subject: Vec<TextField> = examples.into_iter().collect();
        subject.push(
            TextField::new("Validity (days)").value(&crate::session::DEFAULT_DAYS.to_string()),
        );
        let mut model = Model {
            step: Step::Welcome,
            demo: start.demo,
            demo_kept: start.demo_kept,
            color: start.color,
            ims_url: start.ims_url,
            places_url: start.places_url,
            profile_name: start.profile_name,
            size: start.size,
            now: start.now,
            help_open: false,
            quit: false,
            exit_code: 0,
            next_request: 0,
            profiles: start.profiles,
            choices,
            choice,
            auth: first,
            refreshing: None,
            resume_request: 0,
            resume_error: None,
            draft_saved: None,
            prerequisites: start.prerequisites.for_auth(first).to_vec(),
            ticked: vec![false; start.prerequisites.for_auth(first).len()],
            checklists: start.prerequisites,
            prerequisite_focus: 0,
            unticked_warned: false,
            key_dir: TextField::new("Folder").value(&start.key_dir),
            home: start.home,
            cwd: start.cwd,
            key_name: TextField::new("Integration name").value(crate::session::DEFAULT_NAME),
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
            import_path: TextField::new("File")
                .placeholder("~/Downloads/Places-1234567-Production.json"),
            import: None,
            import_choice: 0,
            import_error: None,
            import_request: 0,
            imported_from: None,
            migrating: None,
            exchange: Exchange::Idle,
            exchange_scroll: 0,
            exchange_scroll_max: 0,
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

    /// The current step's place in the flow chosen, and how many steps that flow has.
    pub fn position(&self) -> (usize, usize) {
        use Step::*;
        let flow: &[Step] = if self.imported_from.is_some() || self.step == Import {
            &[Welcome, Import, Credentials, Exchange, Token]
        } else if self.migrating.is_some() {
            &[Welcome, Credentials, Exchange, Token]
        } else if self.refreshing.is_some() {
            &[Welcome, Exchange, Token]
        } else if self.auth == Auth::Oauth {
            &[
                Welcome,
                Prerequisites,
                Console,
                Credentials,
                Exchange,
                Token,
            ]
        } else {
            &[
                Welcome,
                Prerequisites,
                KeyFiles,
                Subject,
                Generating,
                Credentials,
                Exchange,
                Token,
            ]
        };
        let at = flow.iter().position(|s| *s == self.step).unwrap_or(0);
        (at + 1, flow.len())
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
        if self.migrating.is_some() {
            // The saved profile keeps its IDs and secret: only the scopes are new.
            return vec![CredentialField::Scopes];
        }
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
            Step::Import if self.import.is_none() => Some(&mut self.import_path),
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
            Step::Import => self.import.as_ref().map_or(0, |p| p.credentials.len()),
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
            Step::Import => Some(&mut self.import_choice),
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

    /// The folder the form names: `~` and `~/…` are the home folder (as a shell would read
    /// them), and a relative folder is taken from the working folder, so that the path shown is
    /// the file a person uploads.
    pub fn key_folder(&self) -> PathBuf {
        let expanded =
            crate::session::expand_home(self.key_dir.text().trim(), self.home.as_deref());
        match &self.cwd {
            Some(cwd) if expanded.is_relative() => cwd.join(expanded),
            _ => expanded,
        }
    }

    /// The key files the form names.
    pub fn pair_paths(&self) -> crate::session::PairPaths {
        crate::session::PairPaths::new(&self.key_folder(), self.key_name.text())
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
            claims.push((crate::session::metascope_claim(ims, m), "true".to_string()));
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

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

/// The one transition function: what concerns every screen is handled here, the rest goes to the
/// current screen's module (or, for the result of work, to the screen that asked for it).
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Quit => {
            model.quit = true;
            vec![]
        }
        Msg::Ended(code) => {
            model.quit = true;
            model.exit_code = code;
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
                if model.step == Step::KeyFiles {
                    // A pasted folder or name is a change like any typed one.
                    return key_files::check_existing(model);
                }
            }
            vec![]
        }
        Msg::Key(key) => on_key(model, key),
        Msg::KeyGenerated { request, result } => {
            generating::on_key_generated(model, request, result)
        }
        Msg::ExistingChecked { request, existing } => {
            key_files::on_existing_checked(model, request, existing)
        }
        Msg::PairWritten { request, result } => generating::on_pair_written(model, request, result),
        Msg::Exchanged { request, result } => exchange::on_exchanged(model, request, result),
        Msg::Saved(result) => {
            model.saved = Some(result);
            vec![]
        }
        Msg::Copied(outcome) => {
            model.copy = Some(outcome);
            vec![]
        }
        Msg::Verified { request, result } => token::on_verified(model, request, result),
        Msg::ConsoleRead { request, result } => import::on_read(model, request, result),
        Msg::DraftSaved(result) => {
            model.draft_saved = Some(result);
            vec![]
        }
        Msg::DraftLoaded { request, result } => welcome::on_draft_loaded(model, request, result),
        // Handled by the loop, which owns the terminal.
        Msg::ToTerminal(_) => vec![],
    }
}

/// Keys every screen shares (Ctrl-C, help, focus, Esc), then the current screen's own.
fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return vec![];
    }
    if is_ctrl(&key, 'c') {
        model.quit = true;
        model.exit_code = INTERRUPTED;
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
    ) || (model.step == Step::Import && model.import.is_none());
    if key.code == KeyCode::F(1) || (!editing && key.code == KeyCode::Char('?')) {
        model.help_open = true;
        return vec![];
    }
    if model.step == Step::Exchange
        && matches!(
            key.code,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
        )
    {
        exchange::scroll(model, key.code);
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
        Step::Welcome => welcome::on_key(model, key),
        Step::Prerequisites => prerequisites::on_key(model, key),
        Step::KeyFiles => key_files::on_key(model, key),
        Step::Subject => subject::on_key(model, key),
        Step::Generating => generating::on_key(model, key),
        Step::Credentials => credentials::on_key(model, key),
        Step::Exchange => exchange::on_key(model, key),
        Step::Token => token::on_key(model, key),
        Step::Console => console::on_key(model, key),
        Step::Import => import::on_key(model, key),
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
        // The pair may have been written since the folder was last checked.
        Step::Subject => return key_files::enter(model),
        Step::Generating => Step::Subject,
        Step::Credentials if model.migrating.is_some() => {
            model.migrating = None;
            model.refreshing = None;
            Step::Welcome
        }
        Step::Credentials if model.imported_from.is_some() => Step::Import,
        Step::Credentials if model.auth == Auth::Oauth => Step::Console,
        Step::Console => Step::Prerequisites,
        Step::Import => {
            model.import = None;
            model.import_error = None;
            Step::Welcome
        }
        Step::Credentials => Step::Generating,
        Step::Exchange | Step::Token if model.refreshing.is_some() => {
            model.refreshing = None;
            model.migrating = None;
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

/// Gives the key to the focused text field; a change is checked at once.
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
        Step::KeyFiles => key_files::revalidate(model),
        Step::Subject => subject::revalidate(model),
        Step::Credentials => credentials::revalidate(model),
        Step::Import => model.import_error = None,
        _ => {}
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
pub(crate) mod tests;
