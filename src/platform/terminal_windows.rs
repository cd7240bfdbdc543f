//! Windows: the console events that end the wizard, and the console itself.
use super::Ending;
use tokio::signal::windows::{CtrlBreak, CtrlC, CtrlClose, ctrl_break, ctrl_c, ctrl_close};

/// The console events that end the wizard, listened for while it owns the console, so it can put
/// the console back and remove the demo's folder first. Must be made inside a Tokio runtime.
pub struct Endings {
    interrupt: Option<CtrlC>,
    break_key: Option<CtrlBreak>,
    close: Option<CtrlClose>,
}

impl Endings {
    /// Starts listening. An event that cannot be listened for keeps its default action.
    pub fn listen() -> Endings {
        Endings {
            // In raw mode Ctrl-C is a key; the event still comes from another process's
            // GenerateConsoleCtrlEvent.
            interrupt: ctrl_c().ok(),
            // Ctrl-Break is never a key: the console always turns it into this event.
            break_key: ctrl_break().ok(),
            // The console window was closed: Windows ends the process a few seconds later.
            close: ctrl_close().ok(),
        }
    }

    /// The next of them to arrive. Safe to cancel (a `select!` branch that lost).
    pub async fn next(&mut self) -> Ending {
        tokio::select! {
            () = recv_c(&mut self.interrupt) => Ending::Interrupted,
            () = recv_break(&mut self.break_key) => Ending::Interrupted,
            () = recv_close(&mut self.close) => Ending::HungUp,
        }
    }
}

async fn recv_c(event: &mut Option<CtrlC>) {
    match event {
        Some(e) => {
            e.recv().await;
        }
        None => std::future::pending().await,
    }
}

async fn recv_break(event: &mut Option<CtrlBreak>) {
    match event {
        Some(e) => {
            e.recv().await;
        }
        None => std::future::pending().await,
    }
}

async fn recv_close(event: &mut Option<CtrlClose>) {
    match event {
        Some(e) => {
            e.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// The console this process is attached to, for writing, even when stdout is a pipe
/// (`CONOUT$` is Windows' name for it, as `/dev/tty` is Unix's).
pub fn controlling_terminal() -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("CONOUT$")
}

/// The Windows console has no job control: Ctrl-Z in the wizard does nothing.
pub const JOB_CONTROL: bool = false;

/// Never called where `JOB_CONTROL` is false; kept so both platforms offer the same functions.
pub fn stop_self() {}
