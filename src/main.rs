//! The binary: parse the command line, run one command, turn an error into a message and an exit code.
use clap::CommandFactory;
use places_setup::cli::Cli;
use places_setup::commands;

fn main() {
    // A shell asking for completions (the script of `places-setup completions`) is answered here,
    // before anything else runs, and the process ends.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(commands::COMPLETE_VAR)
        .complete();
    let cli = Cli::parse_args();
    if let Err(e) = commands::run(cli) {
        if !e.message.is_empty() {
            eprintln!("error: {}", e.message);
        }
        if let Some(hint) = &e.hint {
            eprintln!("hint: {}", hint.replace('\n', "\n      "));
        }
        std::process::exit(e.exit_code());
    }
}
