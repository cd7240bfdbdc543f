//! The binary: parse the command line, run one command with the process's streams and
//! environment, and end with its exit status. The only place that ends the process.
use places_setup::cli::Cli;
use places_setup::commands::{self, Io};

fn main() {
    // No core file, and (on Linux) no same-user reading of this process's memory, before any
    // secret is read.
    places_setup::platform::process::harden();
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
