//! `completions SHELL` and `man`: the completion script and the manual page, both made from the
//! command-line contract in cli.rs so they never drift from it.
use super::{Io, SUCCESS, note, write_out};
use crate::cli::Shell;
use crate::error::{Error, Result};
use crate::store::atomic;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use std::io::Write;

/// The variable through which a shell asks places-setup for completions (see `main`).
pub const COMPLETE_VAR: &str = "PLACES_SETUP_COMPLETE";

/// What a completion script runs to ask for completions: the name, found on PATH when a
/// completion is asked. The path of the binary that printed the script would outlive it (a
/// `cargo clean`, an upgrade to another folder).
pub const COMPLETER: &str = "places-setup";

/// Prints the script that registers places-setup's completions with the shell. The script asks
/// the binary itself (with COMPLETE_VAR set) for each completion, which is how `--profile` can
/// offer the profiles saved at that moment.
pub fn completions(shell: Shell, io: &mut Io) -> Result<i32> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    let mut script = Vec::new();
    completer
        .write_registration(
            COMPLETE_VAR,
            "places-setup",
            "places-setup",
            COMPLETER,
            &mut script,
        )
        .map_err(|e| Error::new(format!("cannot write the completion script: {e}")))?;
    write_out(io, &script)
}

/// `help [COMMAND…]`: what `COMMAND… --help` prints.
pub fn help(names: &[String], io: &mut Io) -> Result<i32> {
    let args = std::iter::once("places-setup")
        .chain(names.iter().map(String::as_str))
        .chain(std::iter::once("--help"));
    match crate::cli::command().try_get_matches_from(args) {
        Err(e) if !e.use_stderr() => write_out(io, e.render().to_string().as_bytes()),
        Err(e) => {
            let _ = write!(io.err, "{}", e.render());
            Ok(e.exit_code())
        }
        // `--help` always ends parsing with clap's answer.
        Ok(_) => Ok(SUCCESS),
    }
}

/// Prints the manual page in roff, for `man -l -`; or, given a folder, writes it there with a page
/// for each command, which the main page's list refers to. The examples and exit codes of
/// `--help` become sections of their own, laid out as they are written (not refilled).
pub fn man(dir: Option<&std::path::Path>, io: &mut Io) -> Result<i32> {
    // `help` has no page of its own to point at.
    let command = crate::cli::command()
        .mut_subcommand("help", |help| help.hide(true))
        .mut_subcommand("profile", |profile| {
            profile.mut_subcommand("help", |help| help.hide(true))
        });
    let page = main_page(&command)?;
    let Some(dir) = dir else {
        return write_out(io, &page);
    };
    // Created as `keys --dir` creates its folder. Each page goes to a temporary file renamed into
    // place: a symbolic link planted in DIR under a page's name is replaced, never followed, so
    // no page lands in config.toml or ~/.bashrc.
    std::fs::DirBuilder::new()
        .recursive(true)
        .create(dir)
        .map_err(|e| Error::io("create the folder", dir, &e))?;
    let mut pages = Vec::new();
    let mut command = command;
    command.build();
    command_pages(&command, &mut pages)?;
    for (name, contents) in pages {
        let contents = if name == "places-setup.1" {
            page.clone()
        } else {
            contents
        };
        atomic::write(&dir.join(name), &contents, 0o644)?;
    }
    note!(io, "Wrote the manual pages to {}.", dir.display());
    Ok(SUCCESS)
}

/// A page per command and visible subcommand, named as `clap_mangen::generate_to` names them.
fn command_pages(command: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_pages(sub, pages)?;
    }
    let man = clap_mangen::Man::new(command.clone());
    let mut contents = Vec::new();
    man.render(&mut contents)
        .map_err(|e| Error::new(format!("cannot write the manual page: {e}")))?;
    pages.push((man.get_filename(), contents));
    Ok(())
}

fn main_page(command: &clap::Command) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let rendered = (|| {
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        man.render_subcommands_section(&mut page)?;
        page.extend_from_slice(environment_section().as_bytes());
        let extra = command
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        page.extend_from_slice(verbatim_sections(&extra).as_bytes());
        man.render_version_section(&mut page)
    })();
    rendered.map_err(|e| Error::new(format!("cannot write the manual page: {e}")))?;
    Ok(page)
}

/// ENVIRONMENT: every variable places-setup reads (`environment::DOCUMENTED`).
fn environment_section() -> String {
    let mut roff = String::from(".SH ENVIRONMENT\n");
    for (name, what) in crate::environment::DOCUMENTED {
        roff.push_str(&format!(
            ".TP\n\\fB{name}\\fR\n{}\n",
            what.replace('\\', "\\e")
        ));
    }
    roff
}

/// "Heading:" blocks of help text as roff sections, each line kept as written.
fn verbatim_sections(text: &str) -> String {
    let mut roff = String::new();
    for block in text.split("\n\n") {
        let mut lines = block.lines();
        let Some(heading) = lines.next() else {
            continue;
        };
        let heading = match heading.trim_end_matches(':') {
            "Exit codes" => "EXIT STATUS".to_string(),
            other => other.to_uppercase(),
        };
        roff.push_str(&format!(".SH \"{heading}\"\n.nf\n"));
        for line in lines {
            let line = line.replace('\\', "\\e");
            if line.starts_with(['.', '\'']) {
                roff.push_str("\\&");
            }
            roff.push_str(&line);
            roff.push('\n');
        }
        roff.push_str(".fi\n");
    }
    roff
}
