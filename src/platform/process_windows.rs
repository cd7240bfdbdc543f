//! Windows: this process's memory, and a child program's console events.
use std::io;
use std::process::{Child, ExitStatus};
use tokio::signal::windows::{CtrlBreak, CtrlC, ctrl_break, ctrl_c};

/// Nothing to do: Windows writes no core files, and another process can read this one's memory
/// only with rights an administrator's or this user's elevated process has, which no setting of
/// this process could withhold.
pub fn harden() {}

/// Ctrl-C and Ctrl-Break reach every process of the console, the child program included, which
/// decides whether to end: this process only keeps them from ending it first, so it can report
/// how the child ended (as cmd.exe does for the programs it runs).
pub struct Relay {
    interrupt: CtrlC,
    break_key: CtrlBreak,
}

impl Relay {
    /// Must be made inside a Tokio runtime.
    pub fn listen() -> io::Result<Relay> {
        Ok(Relay {
            interrupt: ctrl_c()?,
            break_key: ctrl_break()?,
        })
    }

    /// Waits for `child` to end; the console's events meanwhile are the child's to act on.
    pub async fn wait(mut self, mut child: Child) -> io::Result<ExitStatus> {
        let mut waiting = tokio::task::spawn_blocking(move || child.wait());
        loop {
            tokio::select! {
                status = &mut waiting => return status.map_err(io::Error::other)?,
                _ = self.interrupt.recv() => {}
                _ = self.break_key.recv() => {}
            }
        }
    }
}

/// The child's exit code (a program Ctrl-C ended reports STATUS_CONTROL_C_EXIT itself).
pub fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}
