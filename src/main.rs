//! The binary: parse the command line, run one command, turn an error into a message and an exit code.
use places_setup::cli::Cli;
use places_setup::commands;

fn main() {
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
