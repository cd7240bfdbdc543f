//! The command line's face, as gh writes its commands: one file per command (or small family),
//! each a `run` from its options and an `Io` (streams, terminal, environment) to an exit status,
//! through the session layer; tests call it in-process. Here: which command runs, the session the
//! global flags describe, and the few ways every command writes (the result on stdout, messages
//! and warnings on stderr).
mod api;
mod ci;
mod completions;
mod demo;
mod doctor;
mod emulator;
mod env;
mod exec;
mod init;
mod io;
mod keys;
mod migrate;
mod places;
mod profile;
mod status;
mod token;

pub use completions::{COMPLETE_VAR, COMPLETER};
pub use io::{Captured, Io, Prompt, Stream};

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::session::{PassphrasePrompt, Session, Source, Warning, ensure_token};
use crate::store::{CachedToken, Profile};
use crate::text::printable;
use secrecy::SecretString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A line on stderr, as eprintln! writes it; a stderr that cannot be written to is not worth an
/// error of its own.
macro_rules! note {
    ($io:expr, $($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($io.err, $($arg)*);
    }};
}
pub(crate) use note;

/// The exit status of a command that did what it was asked.
pub const SUCCESS: i32 = 0;

/// Runs the command line `args` (the program's name first) in this process, as the binary would:
/// bad usage, `--help` and `--version` answered as clap answers them, an error reported on
/// stderr. Returns the exit status.
pub fn run_args<I, T>(args: I, io: &mut Io) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_in(args, &io.environment) {
        Ok(cli) => execute(cli, io),
        Err(e) => {
            let stream = if e.use_stderr() {
                &mut io.err
            } else {
                &mut io.out
            };
            let _ = write!(stream, "{}", e.render());
            e.exit_code()
        }
    }
}

/// Runs the command and turns an error into its message on stderr: the exit status.
pub fn execute(cli: Cli, io: &mut Io) -> i32 {
    match run(cli, io) {
        Ok(status) => status,
        Err(e) => report(&e, io),
    }
}

/// The error's message and hint on stderr; its exit code.
fn report(e: &Error, io: &mut Io) -> i32 {
    // A message may quote a server's words or a file's contents: shown without their control
    // characters. A hint keeps its own line breaks.
    if !e.message.is_empty() {
        note!(io, "error: {}", printable(&e.message, false));
    }
    if let Some(hint) = &e.hint {
        note!(
            io,
            "hint: {}",
            printable(hint, true).replace('\n', "\n      ")
        );
    }
    e.exit_code()
}

/// Runs the command: its exit status, or the error that ended it.
pub fn run(cli: Cli, io: &mut Io) -> Result<i32> {
    let Some(command) = &cli.command else {
        return demo::wizard(session(&cli, io)?, cli.debug, io);
    };
    // Every command is named: one added to cli.rs and not wired here does not compile.
    match command {
        Command::ClipboardHolder => Ok(crate::clipboard::hold()),
        Command::Keys(args) if args.rotate => keys::rotate(&session(&cli, io)?, args, io),
        Command::Keys(args) => keys::run(args, io),
        Command::Demo => demo::demo(&cli, io),
        Command::Emulator(args) => emulator::run(args, io),
        Command::Completions(args) => completions::completions(args.shell, io),
        Command::Help(args) => completions::help(&args.command, io),
        Command::Man(args) => completions::man(args.dir.as_deref(), io),
        Command::Init(args) => init::run(&debug_session(&cli, io)?, args, io),
        Command::Status(args) => {
            let named = cli.profile.is_some();
            status::run(&debug_session(&cli, io)?, named, args.json, io)
        }
        Command::Profile(crate::cli::ProfileCommand::Help(args)) => {
            let names: Vec<String> = std::iter::once("profile".to_string())
                .chain(args.command.iter().cloned())
                .collect();
            completions::help(&names, io)
        }
        Command::Profile(command) => profile::run(&debug_session(&cli, io)?, command, io),
        Command::Token(args) => token::run(
            &lasting(debug_session(&cli, io)?, &args.min_valid),
            args,
            io,
        ),
        Command::Exec(args) => {
            let session = lasting(debug_session(&cli, io)?, &args.min_valid);
            block_on(exec::run(&session, args, io))
        }
        Command::Migrate(args) => {
            let session = debug_session(&cli, io)?;
            block_on(migrate::run(&session, args, io))
        }
        Command::Env(args) => {
            let session = lasting(debug_session(&cli, io)?, &args.min_valid);
            block_on(env::run(&session, args, io))
        }
        Command::Verify(args) => {
            let session = debug_session(&cli, io)?;
            block_on(places::verify(&session, args, io))
        }
        Command::Curl(args) => {
            let session = debug_session(&cli, io)?;
            block_on(places::curl(&session, args, io))
        }
        Command::Doctor(args) => {
            let session = debug_session(&cli, io)?;
            block_on(doctor::run(&session, args, io))
        }
        Command::Api(args) => {
            let session = lasting(debug_session(&cli, io)?, &args.min_valid);
            block_on(api::run(&session, args, io))
        }
    }
}

/// The session the global flags describe; an encrypted key's passphrase is asked at the terminal.
fn session(cli: &Cli, io: &Io) -> Result<Session> {
    let profile =
        crate::session::selected_profile(cli.config_dir.as_deref(), cli.profile.as_deref())?;
    let mut session = Session::open(
        cli.config_dir.as_deref(),
        &profile,
        cli.ims_url.as_deref(),
        Duration::from_secs(cli.timeout),
    )?;
    session.environment = io.environment.clone();
    let prompt = io.prompt.clone();
    session.passphrase_prompt = Some(PassphrasePrompt::new(move |key_path: &Path| {
        prompt(&format!("Passphrase for {}: ", key_path.display()))
            .ok()
            .map(SecretString::from)
    }));
    Ok(session)
}

/// The session, handing out only tokens that last what `--min-valid` asks.
fn lasting(mut session: Session, args: &crate::cli::MinValidArgs) -> Session {
    session.min_valid = crate::session::effective_min_valid(args.min_valid);
    session
}

/// `session`, with `--debug`'s line per HTTP request on stderr.
fn debug_session(cli: &Cli, io: &Io) -> Result<Session> {
    let mut session = session(cli, io)?;
    if cli.debug {
        let err = io.err.clone();
        session.policy.observer = Some(crate::http::Observer(std::sync::Arc::new(
            move |attempt: &crate::http::Attempt| {
                let line = format!(
                    "debug: {}\n",
                    crate::text::printable(&attempt.to_string(), false)
                );
                let _ = err.clone().write_all(line.as_bytes());
            },
        )));
    }
    Ok(session)
}

fn block_on<T, F: std::future::Future<Output = Result<T>>>(future: F) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?
        .block_on(future)
}

/// Writes the result and a newline on stdout. What it quotes from outside (library names, a
/// profile edited by hand) is shown without control characters; JSON stays valid JSON (see
/// `text::printable`).
fn out(io: &mut Io, text: &str) -> Result<i32> {
    let text = crate::text::printable(text, true);
    write_out(io, format!("{text}\n").as_bytes())
}

/// Writes bytes on stdout as they are.
fn write_out(io: &mut Io, bytes: &[u8]) -> Result<i32> {
    // A closed pipe (`places-setup token | head -c0`) is not worth an error message.
    match io.out.write_all(bytes).and_then(|()| io.out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(format!("cannot write the output: {e}")))
        }
        _ => Ok(SUCCESS),
    }
}

fn warn(io: &mut Io, text: &str) {
    note!(io, "warning: {}", printable(text, false));
}

/// A valid token for the profile (see `session::ensure_token`), its warnings shown on stderr.
async fn fresh_token(
    session: &Session,
    profile: &Profile,
    force: bool,
    io: &mut Io,
) -> Result<(CachedToken, Source)> {
    let mut warnings = Vec::new();
    let fresh = ensure_token(session, profile, force, &mut warnings).await;
    show(io, &mut warnings);
    fresh
}

/// The session's warnings, on stderr, in the order they arose.
fn show(io: &mut Io, warnings: &mut Vec<Warning>) {
    for w in warnings.drain(..) {
        warn(io, &w.0);
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io("find", path, &e))
}
