//! The full-screen setup wizard: state, messages, effects and views, on ratatui and crossterm.
pub mod field;
pub mod model;
pub mod runner;
pub mod terminal;
pub mod theme;
pub mod view;

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod screen_tests;

use crate::error::{Error, Result};
use crate::session::{Demo, Session, TokenState};
use crossterm::event::{self, Event, KeyEventKind};
use model::{Model, Msg, Prerequisites, ProfileSummary, Start, update};
use ratatui::{Terminal, backend::CrosstermBackend};
use runner::Runner;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::mpsc;

/// The checklists of `assets/prerequisites.toml`, one per kind of integration.
pub fn prerequisites() -> Prerequisites {
    toml::from_str::<Prerequisites>(include_str!("../../assets/prerequisites.toml"))
        .unwrap_or_default()
}

/// Saved profiles with their token and certificate expiry, for the welcome screen.
pub fn summaries(session: &Session) -> Result<Vec<ProfileSummary>> {
    let now = SystemTime::now();
    Ok(crate::session::list_profiles(session, now)?
        .into_iter()
        .map(|p| ProfileSummary {
            token_expires_at: match p.token {
                TokenState::Valid(at) | TokenState::Expired(at) => Some(at),
                TokenState::None => None,
            },
            name: p.name,
            auth: p.auth,
            org_id: p.org_id,
            client_id: p.client_id,
            certificate_expires_at: p.certificate_expires_at,
            untested: p.untested,
            places: p.places,
        })
        .collect())
}

/// How the wizard was started.
pub struct Options {
    pub demo: bool,
    /// Demo: the folder was named with --config-dir and is kept after the demo.
    pub demo_kept: bool,
    /// The Places API named by the environment, over a profile's own.
    pub places_url: Option<String>,
    pub key_dir: String,
    /// `--debug`: each request's line goes to a file, named on exit.
    pub debug: bool,
}

/// Runs the wizard until the person quits. It ends in an error that prints nothing but carries
/// the exit status when the wizard was interrupted (130), terminated (143) or hung up (129).
pub fn run(mut session: Session, options: Options) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::usage("the wizard needs a terminal").with_hint(
            "run it in a terminal, or use the commands (places-setup --help) in scripts",
        ));
    }
    // The wizard owns the terminal in raw mode: a passphrase prompt there would hang or garble
    // the screen. A key that neither the saved passphrase nor PLACES_SETUP_KEY_PASSPHRASE opens
    // is reported as the session's error instead.
    session.passphrase_prompt = None;
    session.places_url_override = options.places_url.clone();
    // Problems with the configuration are reported before the screen is taken over.
    let profiles = summaries(&session)?;
    let debug_log = match options.debug {
        true => Some(session.debug_to_file()?),
        false => None,
    };
    let demo = match options.demo {
        true => {
            let demo = Demo::start(&mut session)?;
            session.places_url_override = Some(demo.places_url());
            Some(Arc::new(demo))
        }
        false => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?;
    let start = Start {
        demo: options.demo,
        demo_kept: options.demo_kept,
        config_dir: session.store.dir().to_path_buf(),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        ims_url: session.new_ims_url(None),
        places_url: session
            .places_url_override
            .clone()
            .unwrap_or_else(|| crate::session::DEFAULT_PLACES_URL.to_string()),
        profile_name: session.profile.clone(),
        profiles,
        prerequisites: prerequisites(),
        key_dir: options.key_dir,
        home: crate::session::home_dir(),
        cwd: std::env::current_dir().ok(),
        size: crossterm::terminal::size().unwrap_or(model::MIN_SIZE),
        now: SystemTime::now(),
        demo_values: demo.as_ref().map(|_| crate::session::demo_values()),
    };
    let result = runtime.block_on(event_loop(session, demo, start));
    // Work still running (a key being generated, a clipboard being reached) must not keep the
    // wizard, or the demo's temporary folder, alive after the person has left.
    runtime.shutdown_timeout(Duration::from_millis(500));
    if let Some(path) = debug_log {
        eprintln!("debug: the requests were logged in {}", path.display());
    }
    result
}

async fn event_loop(session: Session, demo: Option<Arc<Demo>>, start: Start) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let runner = Runner {
        session,
        demo,
        tx: tx.clone(),
    };
    let mut model = Model::new(start);

    let guard = terminal::Guard::enter()
        .map_err(|e| Error::new(format!("cannot take over the terminal: {e}")))?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .map_err(|e| Error::new(format!("cannot draw on the terminal: {e}")))?;

    // Input is read on a thread of its own, blocked in read(): no polling, no CPU while idle.
    let input = tx.clone();
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                // The terminal is gone (hung up): nothing more can be shown or typed.
                Err(_) => Msg::Ended(model::HANGUP),
            };
            let quit = matches!(msg, Msg::Ended(_));
            if input.send(msg).is_err() || quit {
                break;
            }
        }
    });
    // SIGTERM, SIGHUP, SIGINT and SIGQUIT on Unix; Ctrl-C, Ctrl-Break and a closed console
    // window on Windows: each ends the wizard through the same path as quitting, so the terminal
    // is put back and the demo's folder removed.
    let mut endings = crate::platform::terminal::Endings::listen();

    let mut result = Ok(());
    loop {
        if let Err(e) = terminal.draw(|frame| view::view(&model, frame)) {
            result = Err(Error::new(format!("cannot draw on the terminal: {e}")));
            break;
        }
        // Tick only while something moves: a spinner (10 per second) or the countdown (1 per second).
        let tick = if model.animating() {
            let spinning = !matches!(model.step, model::Step::Token)
                || matches!(
                    model.token.verification,
                    model::Verification::Running { .. }
                );
            Some(if spinning {
                Duration::from_millis(100)
            } else {
                Duration::from_secs(1)
            })
        } else {
            None
        };
        let msg = tokio::select! {
            Some(msg) = rx.recv() => msg,
            () = sleep_or_forever(tick) => Msg::Tick(SystemTime::now()),
            ending = endings.next() => Msg::Ended(ending.exit_code()),
        };
        if let Msg::ToTerminal(bytes) = &msg {
            // Between two frames: the sequence never lands inside one.
            let out = terminal.backend_mut();
            let _ =
                std::io::Write::write_all(out, &bytes.0).and_then(|()| std::io::Write::flush(out));
            continue;
        }
        for effect in update(&mut model, msg) {
            runner.run(effect);
        }
        if model.quit {
            break;
        }
        if std::mem::take(&mut model.suspend) {
            match terminal::suspend() {
                Ok(true) => {
                    // A whole fresh frame after `fg`: the screen was cleared, and it may have been
                    // resized meanwhile. Not `Terminal::clear`, which first asks the terminal for
                    // the cursor's position, an answer the input thread would swallow.
                    let (w, h) = crossterm::terminal::size().unwrap_or(model.size);
                    let _ = terminal.resize(ratatui::layout::Rect::new(0, 0, w, h));
                    let _ = update(&mut model, Msg::Resize(w, h));
                }
                Ok(false) => {}
                Err(e) => {
                    result = Err(Error::new(format!(
                        "cannot take over the terminal again: {e}"
                    )));
                    break;
                }
            }
        }
        // Keep the clock in the model fresh for whatever is drawn next.
        let _ = update(&mut model, Msg::Tick(SystemTime::now()));
    }
    drop(terminal);
    drop(guard);
    match result {
        Ok(()) if model.exit_code != 0 => Err(Error::silent(model.exit_code)),
        other => other,
    }
}

async fn sleep_or_forever(d: Option<Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}
