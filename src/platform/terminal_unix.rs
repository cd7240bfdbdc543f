//! Unix: the signals that end the wizard, stopping it (Ctrl-Z), and the controlling terminal.
use super::Ending;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The signals that end the wizard, listened for while it owns the terminal, so it can put the
/// terminal back and remove the demo's folder first. Must be made inside a Tokio runtime.
pub struct Endings {
    terminate: Option<Signal>,
    hangup: Option<Signal>,
    interrupt: Option<Signal>,
    quit: Option<Signal>,
}

impl Endings {
    /// Starts listening. A signal that cannot be listened for keeps its default action.
    pub fn listen() -> Endings {
        let listen = |kind| signal(kind).ok();
        Endings {
            terminate: listen(SignalKind::terminate()),
            hangup: listen(SignalKind::hangup()),
            // Ctrl-C is a key in raw mode; SIGINT still arrives from `kill -INT`.
            interrupt: listen(SignalKind::interrupt()),
            // Ctrl-\ is a key in raw mode too; SIGQUIT from `kill -QUIT` would otherwise end the
            // process with the terminal raw and the demo's folder left behind.
            quit: listen(SignalKind::quit()),
        }
    }

    /// The next of them to arrive. Safe to cancel (a `select!` branch that lost).
    pub async fn next(&mut self) -> Ending {
        tokio::select! {
            () = recv(&mut self.terminate) => Ending::Terminated,
            () = recv(&mut self.hangup) => Ending::HungUp,
            () = recv(&mut self.interrupt) => Ending::Interrupted,
            () = recv(&mut self.quit) => Ending::Quit,
        }
    }
}

async fn recv(signal: &mut Option<Signal>) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// The terminal this process was started from, for writing, even when stdout is a pipe.
pub fn controlling_terminal() -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open("/dev/tty")
}

/// Unix shells stop and continue jobs (Ctrl-Z, `fg`).
pub const JOB_CONTROL: bool = true;

/// Stops this process as Ctrl-Z stops a program in a cooked terminal; returns once it is continued
/// (`fg`, `bg`, SIGCONT). SIGTSTP is never listened for, so it keeps its default action: stop.
/// The whole process group is stopped, as the terminal's Ctrl-Z would: run under a wrapper
/// (`cargo run`, `sh -c`, `make`), the wrapper stops too and the shell sees a stopped job to
/// `fg`, instead of a wrapper still waiting on a stopped child with nothing reading the terminal.
pub fn stop_self() {
    // SAFETY: kill() only sends a signal, to this process's group; no memory is touched.
    unsafe {
        libc::kill(0, libc::SIGTSTP);
    }
}
