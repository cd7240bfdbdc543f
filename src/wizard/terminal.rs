//! The terminal guard: raw mode, the alternate screen, bracketed paste and the hidden cursor are
//! restored on every way out — normal exit, error, panic, SIGTERM, SIGHUP, SIGQUIT — each step on its own,
//! so one that fails never skips the others; and while the process is stopped by Ctrl-Z.
use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::{Write, stdout};

pub struct Guard;

impl Guard {
    /// Takes over the terminal. If a step fails, what was done is undone before returning.
    pub fn enter() -> std::io::Result<Guard> {
        install_panic_hook();
        let guard = Guard;
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Ctrl-Z: the terminal is put back as the shell expects it, the process stops as Ctrl-Z stops any
/// program, and when it is continued (`fg`) the terminal is taken over again; the caller redraws
/// the whole screen. Returns false, having done nothing, where there is no job control (Windows).
pub fn suspend() -> std::io::Result<bool> {
    if !crate::platform::terminal::JOB_CONTROL {
        return Ok(false);
    }
    restore();
    crate::platform::terminal::stop_self();
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    Ok(true)
}

/// Best effort, every step independently.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(out, DisableBracketedPaste);
    let _ = execute!(out, LeaveAlternateScreen);
    let _ = execute!(out, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The message must land on a normal screen, not the alternate one about to vanish.
            restore();
            previous(info);
        }));
    });
}
