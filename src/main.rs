//! The binary: parse the command line, run one command with the process's streams and
//! environment, and end with its exit status. The only place that ends the process.
use places_setup::cli::Cli;
use places_setup::commands::{self, Io};

fn main() {
    no_core_dumps();
    // A shell asking for completions (the script of `places-setup completions`) is answered here,
    // before anything else runs, and the process ends.
    clap_complete::CompleteEnv::with_factory(places_setup::cli::command)
        .var(commands::COMPLETE_VAR)
        // `PLACES_SETUP_COMPLETE=bash places-setup` prints the script as `completions bash` does:
        // calling places-setup from PATH, not this process's argv[0].
        .completer(commands::COMPLETER)
        .complete();
    // Bad usage, --help and --version are answered by clap, which ends the process.
    let cli = Cli::parse_args();
    let status = commands::execute(cli, &mut Io::process());
    if status != commands::SUCCESS {
        std::process::exit(status);
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
