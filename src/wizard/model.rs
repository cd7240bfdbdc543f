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
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

mod console;
mod credentials;
mod derived;
mod exchange;
mod generating;
mod import;
mod key_files;
mod messages;
mod parts;
mod prerequisites;
mod screens;
mod subject;
mod token;
mod welcome;

pub use credentials::{check_credential, draft};
pub use messages::*;
pub use parts::*;
pub use screens::*;

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

/// Everything on screen: the flow, each screen's own state, and the results of work done.
#[derive(Debug)]
pub struct Model {
    pub step: Step,
    pub flow: Flow,
    pub run: Run,
    pub profile_name: ProfileName,
    pub size: (u16, u16),
    pub now: SystemTime,
    pub help_open: bool,
    pub quit: bool,
    /// The exit status once `quit` is set: 0 when the person chose to leave, else how it ended.
    pub exit_code: i32,
    /// Ctrl-Z was pressed: the loop gives the terminal back and stops the process until it is
    /// continued (`fg`), then clears this. Raw mode turns Ctrl-Z into a key, not SIGTSTP.
    pub suspend: bool,
    next_request: u64,
    pub profiles: Vec<ProfileSummary>,

    pub welcome: WelcomeScreen,
    pub checklist: ChecklistScreen,
    pub key_files: KeyFilesScreen,
    pub subject: SubjectScreen,
    pub pair: PairScreen,
    pub credentials: CredentialsScreen,
    pub import: ImportScreen,
    pub exchange: ExchangeScreen,
    pub token: TokenScreen,
    /// How the last thing asked for was copied (a token, a certificate's path).
    pub copy: Awaited<CopyOutcome>,
}

impl Model {
    pub fn new(start: Start) -> Model {
        // The profile being run again, when saved (one key refreshes it); else OAuth
        // Server-to-Server, what Adobe issues today; the demo walks the original guide's JWT flow.
        let first = if start.demo { Auth::Jwt } else { Auth::Oauth };
        let examples = Field::ALL.map(|f| TextField::new(f.label()).placeholder(f.example()));
        let mut subject: Vec<TextField> = examples.into_iter().collect();
        subject.push(
            TextField::new("Validity (days)").value(&crate::session::DEFAULT_DAYS.to_string()),
        );
        let mut model = Model {
            step: Step::Welcome,
            flow: Flow::new(first),
            profile_name: start.profile_name,
            size: start.size,
            now: start.now,
            help_open: false,
            quit: false,
            exit_code: 0,
            suspend: false,
            next_request: 0,
            profiles: start.profiles,
            welcome: WelcomeScreen::default(),
            checklist: ChecklistScreen {
                auth: first,
                ticked: vec![false; start.prerequisites.for_auth(first).len()],
                focus: 0,
                unticked_warned: false,
            },
            key_files: KeyFilesScreen {
                dir: TextField::new("Folder").value(&start.key_dir),
                name: TextField::new("Integration name").value(crate::session::DEFAULT_NAME),
                focus: 0,
                existing: Existing::Unknown,
                existing_request: 0,
                continue_after_check: false,
                write_mode: WriteMode::New,
            },
            subject: SubjectScreen {
                fields: subject,
                focus: 0,
                waiting_for_key: false,
            },
            pair: PairScreen {
                keygen: KeyGen::Idle,
                written: None,
                error: None,
                request: 0,
            },
            credentials: CredentialsScreen {
                org_id: TextField::new("Organization ID")
                    .placeholder("18FB61145BAC2FFB0A494777@AdobeOrg"),
                client_id: TextField::new("Client ID (API key)")
                    .placeholder("0123456789abcdef0123456789abcdef"),
                technical_account_id: TextField::new("Technical account ID")
                    .placeholder("0123456789ABCDEF01234567@techacct.adobe.com"),
                client_secret: TextField::new("Client secret").masked(),
                metascopes: TextField::new("Metascopes").value(PLACES_METASCOPE),
                scopes: TextField::new("Scopes").placeholder("openid,AdobeID,read_organizations"),
                focus: 0,
                resumed_urls: None,
            },
            import: ImportScreen {
                path: TextField::new("File")
                    .placeholder("~/Downloads/Places-1234567-Production.json"),
                project: None,
                choice: 0,
                error: None,
                request: 0,
            },
            exchange: ExchangeScreen {
                state: Exchange::Idle,
                scroll: 0,
                draft_saved: Awaited::default(),
            },
            token: TokenScreen {
                token: None,
                saved: Awaited::default(),
                reveal: false,
                show_curl: false,
                verification: Verification::Idle,
                scroll: 0,
            },
            copy: Awaited::default(),
            run: Run {
                demo: start.demo,
                demo_kept: start.demo_kept,
                config_dir: start.config_dir,
                color: start.color,
                ims_url: start.ims_url,
                places_url: start.places_url,
                home: start.home,
                cwd: start.cwd,
                checklists: start.prerequisites,
                demo_values: None,
                first_key_dir: PathBuf::from(&start.key_dir),
            },
        };
        if let Some([org, jwt_client, technical, secret, _, scopes]) = &start.demo_values {
            let form = &mut model.credentials;
            form.org_id.set(org);
            form.client_id.set(jwt_client);
            form.technical_account_id.set(technical);
            form.client_secret.set(secret);
            form.scopes.set(scopes);
        }
        model.run.demo_values = start.demo_values;
        // --profile / PLACES_SETUP_PROFILE: the cursor starts on that profile when saved.
        let choices = model.choices();
        let named = |c: &Choice| {
            *c == Choice::Refresh(model.profile_name.clone())
                || *c == Choice::Resume(model.profile_name.clone())
        };
        model.welcome.choice = choices
            .iter()
            .position(named)
            .or_else(|| choices.iter().position(|c| *c == Choice::New(first)))
            .unwrap_or(0);
        model
    }

    fn request(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
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
        Msg::Saved { request, result } => {
            let ok = result.is_ok();
            if model.token.saved.answer(request, result) && ok {
                model.remember_saved();
            }
            vec![]
        }
        Msg::Copied { request, outcome } => {
            model.copy.answer(request, outcome);
            vec![]
        }
        Msg::Verified { request, result } => token::on_verified(model, request, result),
        Msg::ConsoleRead { request, result } => import::on_read(model, request, result),
        Msg::DraftSaved { request, result } => {
            model.exchange.draft_saved.answer(request, result);
            vec![]
        }
        Msg::DraftLoaded { request, result } => welcome::on_draft_loaded(model, request, result),
        // Handled by the loop, which owns the terminal.
        Msg::ToTerminal(_) => vec![],
    }
}

/// Keys every screen shares (Ctrl-C, Ctrl-Z, help, focus, Esc), then the current screen's own.
fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return vec![];
    }
    if is_ctrl(&key, 'c') {
        model.quit = true;
        model.exit_code = INTERRUPTED;
        return vec![];
    }
    if is_ctrl(&key, 'z') {
        // Whatever the screen, and even while too small or with help open: nothing typed is lost.
        model.suspend = true;
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
    ) || (model.step == Step::Import && model.import.project.is_none());
    if key.code == KeyCode::F(1) || (!editing && key.code == KeyCode::Char('?')) {
        model.help_open = true;
        return vec![];
    }
    if matches!(model.step, Step::Exchange | Step::Token)
        && matches!(
            key.code,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
        )
    {
        scroll(model, key.code);
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
        _ => model.welcome.quit_armed = false,
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

/// ↑↓ by a line, PgUp/PgDn by a page, through a screen longer than the terminal (a refusal, the
/// token shown with its curl command). The bound is the one the view draws at the model's size.
fn scroll(model: &mut Model, code: KeyCode) {
    let page = model.size.1.saturating_sub(6).max(1);
    let limit = crate::wizard::view::scroll_max(model);
    let offset = match model.step {
        Step::Token => &mut model.token.scroll,
        _ => &mut model.exchange.scroll,
    };
    *offset = match code {
        KeyCode::Up => offset.saturating_sub(1),
        KeyCode::Down => (*offset + 1).min(limit),
        KeyCode::PageUp => offset.saturating_sub(page),
        KeyCode::PageDown => (*offset + page).min(limit),
        _ => *offset,
    };
}

/// Esc: one screen back, keeping what was typed; a running exchange is cancelled, and an answer
/// still on its way to the screen left (a save, a copy) is dropped.
fn back(model: &mut Model) -> Vec<Effect> {
    model.copy.stop_waiting();
    let from = model.step;
    model.step = match model.step {
        Step::Welcome if model.welcome.returned && !model.welcome.quit_armed => {
            model.welcome.quit_armed = true;
            Step::Welcome
        }
        Step::Welcome => {
            model.quit = true;
            Step::Welcome
        }
        Step::Prerequisites => Step::Welcome,
        Step::KeyFiles => Step::Prerequisites,
        // The pair may have been written since the folder was last checked.
        Step::Subject => return key_files::enter(model),
        Step::Generating => Step::Subject,
        Step::Credentials if model.migrating().is_some() => {
            model.flow = Flow::Oauth;
            Step::Welcome
        }
        Step::Credentials if model.imported_from().is_some() => Step::Import,
        Step::Credentials if model.auth() == Auth::Oauth => Step::Console,
        Step::Console => Step::Prerequisites,
        Step::Import => {
            model.import.project = None;
            model.import.error = None;
            Step::Welcome
        }
        Step::Credentials => Step::Generating,
        Step::Exchange | Step::Token if model.refreshing().is_some() => {
            // Back to choosing, as the kind of profile that was refreshed.
            model.flow = Flow::new(model.auth());
            leave_exchange(model);
            Step::Welcome
        }
        Step::Exchange | Step::Token => {
            // Cancelled: a late answer no longer matches and is dropped.
            leave_exchange(model);
            Step::Credentials
        }
    };
    if model.step == Step::Welcome && from != Step::Welcome {
        model.welcome.returned = true;
    }
    vec![]
}

/// Leaves the exchange or the token: the exchange is cancelled, and answers to its draft's save,
/// the token's save and its check are no longer awaited.
fn leave_exchange(model: &mut Model) {
    model.exchange.state = Exchange::Idle;
    model.exchange.draft_saved.forget();
    model.token.saved.forget();
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
        Step::Import => model.import.error = None,
        _ => {}
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
pub(crate) mod tests;
