//! The command line's face: one file per command (or small family), each a thin function from
//! parsed arguments to output, through the session layer. Here: which command runs, and the
//! few ways every command writes (the result on stdout, warnings on stderr).
mod api;
mod completions;
mod demo;
mod env;
mod exec;
mod init;
mod keys;
mod migrate;
mod places;
mod profile;
mod status;
mod token;

pub use completions::COMPLETE_VAR;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::session::{PassphrasePrompt, Session, Source, Warning, ensure_token};
use crate::store::{CachedToken, Profile};
use secrecy::SecretString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Runs the command; the caller turns an error into a message and an exit code.
pub fn run(cli: Cli) -> Result<()> {
    let Some(command) = &cli.command else {
        return demo::wizard(session(&cli)?, cli.debug);
    };
    if let Command::ClipboardHolder = command {
        std::process::exit(crate::clipboard::hold());
    }
    if let Command::Keys(args) = command {
        return match args.rotate {
            true => keys::rotate(&session(&cli)?, args),
            false => keys::keys(args),
        };
    }
    if let Command::Demo = command {
        return demo::demo(&cli);
    }
    if let Command::Emulator(args) = command {
        return demo::serve_emulator(args);
    }
    if let Command::Completions(args) = command {
        return completions::completions(args.shell);
    }
    if let Command::Man(args) = command {
        return completions::man(args.dir.as_deref());
    }
    let mut session = session(&cli)?;
    if cli.debug {
        session.policy.observer = Some(crate::http::Observer(std::sync::Arc::new(
            |attempt: &crate::http::Attempt| {
                eprintln!(
                    "debug: {}",
                    crate::text::printable(&attempt.to_string(), false)
                )
            },
        )));
    }
    match command {
        Command::Init(args) => init::init(&session, args),
        Command::Status(args) => status::status(&session, args.json),
        Command::Profile(command) => profile::profile(&session, command),
        Command::Token(args) => token::token(&session, args),
        Command::Exec(args) => {
            let code = block_on_value(exec::exec(&session, args))?;
            std::process::exit(code)
        }
        other => block_on(async {
            match other {
                Command::Migrate(args) => migrate::migrate(&session, args).await,
                Command::Env(args) => env::env(&session, args).await,
                Command::Verify(args) => places::verify(&session, args).await,
                Command::Curl(args) => places::curl(&session, args).await,
                Command::Api(args) => api::api(&session, args).await,
                _ => Ok(()),
            }
        }),
    }
}

/// The session the global flags describe; an encrypted key's passphrase is asked at the terminal.
fn session(cli: &Cli) -> Result<Session> {
    let profile =
        crate::session::selected_profile(cli.config_dir.as_deref(), cli.profile.as_deref())?;
    let mut session = Session::open(
        cli.config_dir.as_deref(),
        &profile,
        cli.ims_url.as_deref(),
        Duration::from_secs(cli.timeout),
    )?;
    session.passphrase_prompt = Some(PassphrasePrompt::new(|key_path: &Path| {
        rpassword::prompt_password(format!("Passphrase for {}: ", key_path.display()))
            .ok()
            .map(SecretString::from)
    }));
    Ok(session)
}

fn block_on<F: std::future::Future<Output = Result<()>>>(future: F) -> Result<()> {
    block_on_value(future)
}

fn block_on_value<T, F: std::future::Future<Output = Result<T>>>(future: F) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?
        .block_on(future)
}

/// Writes the result. What it quotes from outside (library names, a profile edited by hand) is
/// shown without control characters; JSON stays valid JSON (see `text::printable`).
fn out(text: &str) -> Result<()> {
    let text = crate::text::printable(text, true);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`places-setup token | head -c0`) is not worth an error message.
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

fn warn(text: &str) {
    eprintln!("warning: {}", crate::text::printable(text, false));
}

/// A valid token for the profile (see `session::ensure_token`), its warnings shown on stderr.
async fn fresh_token(
    session: &Session,
    profile: &Profile,
    force: bool,
) -> Result<(CachedToken, Source)> {
    let mut warnings = Vec::new();
    let fresh = ensure_token(session, profile, force, &mut warnings).await;
    show(&mut warnings);
    fresh
}

/// The session's warnings, on stderr, in the order they arose.
fn show(warnings: &mut Vec<Warning>) {
    for w in warnings.drain(..) {
        warn(&w.0);
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io("find", path, &e))
}
