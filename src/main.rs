use clap::Parser;
use places_setup::app;
use places_setup::cli::Cli;

fn main() {
    let cli = Cli::parse();
    if let Err(e) = app::run(cli) {
        eprintln!("error: {}", e.message);
        if let Some(hint) = &e.hint {
            eprintln!("hint: {}", hint.replace('\n', "\n      "));
        }
        std::process::exit(e.exit_code());
    }
}
