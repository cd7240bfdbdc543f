//! The binary: parse the command line, run one command, turn an error into a message and an exit code.
use clap::CommandFactory;
use places_setup::cli::Cli;
use places_setup::commands;
use places_setup::text::printable;

fn main() {
    no_core_dumps();
    // A shell asking for completions (the script of `places-setup completions`) is answered here,
    // before anything else runs, and the process ends.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(commands::COMPLETE_VAR)
        .complete();
    let cli = Cli::parse_args();
    if let Err(e) = commands::run(cli) {
        // A message may quote a server's words or a file's contents: shown without their control
        // characters. A hint keeps its own line breaks.
        if !e.message.is_empty() {
            eprintln!("error: {}", printable(&e.message, false));
        }
        if let Some(hint) = &e.hint {
            eprintln!("hint: {}", printable(hint, true).replace('\n', "\n      "));
        }
        std::process::exit(e.exit_code());
    }
}

/// A crash must not write the client secret, the key passphrase, the private key or a token to
/// a core file, nor let another process of this user read this one's memory: no core dumps
/// (RLIMIT_CORE 0, which children inherit) and not dumpable (which also bars ptrace and
/// /proc/PID/mem by the same user). Done first, before any secret is read. Best effort: a failure
/// leaves things as they were.
fn no_core_dumps() {
    #[cfg(target_os = "linux")]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit and prctl take plain values and a pointer to a live struct.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
    }
}
