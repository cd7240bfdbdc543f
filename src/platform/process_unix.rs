//! Unix: keeping this process's memory to itself, and a child program's signals.
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use tokio::signal::unix::{Signal, SignalKind, signal};

/// A crash must not write the client secret, the key passphrase, the private key or a token to a
/// core file, nor let another process of this user read this one's memory: no core dumps
/// (RLIMIT_CORE 0, which children inherit) and, on Linux, not dumpable (which also bars ptrace and
/// /proc/PID/mem by the same user; macOS already refuses ptrace to unprivileged processes without
/// the debugger entitlement). Called first, before any secret is read. Best effort: a failure
/// leaves things as they were.
pub fn harden() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit takes a plain value and a pointer to a live struct.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &none);
    }
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_DUMPABLE takes plain values.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// Passes the signals that would end this process on to a child program instead (`exec`): the
/// child decides, and this process reports how it ended. Listening starts before the child does,
/// so no signal falls between.
pub struct Relay {
    interrupt: Signal,
    terminate: Signal,
    hangup: Signal,
}

impl Relay {
    /// Must be made inside a Tokio runtime.
    pub fn listen() -> io::Result<Relay> {
        Ok(Relay {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for `child` to end, passing it each signal that arrives meanwhile.
    pub async fn wait(mut self, mut child: Child) -> io::Result<ExitStatus> {
        let pid = child.id() as libc::pid_t;
        let mut waiting = tokio::task::spawn_blocking(move || child.wait());
        loop {
            let forward = tokio::select! {
                status = &mut waiting => return status.map_err(io::Error::other)?,
                _ = self.interrupt.recv() => libc::SIGINT,
                _ = self.terminate.recv() => libc::SIGTERM,
                _ = self.hangup.recv() => libc::SIGHUP,
            };
            // SAFETY: kill(2) takes plain integers. The pid is our child's: the wait above has
            // not been seen to return, so it was reaped a moment ago at most, and a pid is not
            // reused that quickly.
            unsafe {
                libc::kill(pid, forward);
            }
        }
    }
}

/// The status a shell would report for a child that ended so: its exit code, or 128 + the
/// signal that ended it.
pub fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|n| 128 + n))
        .unwrap_or(1)
}
