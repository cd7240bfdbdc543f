//! `env --format github` and `--format gitlab`: the token, API key and org ID handed to the later
//! steps of a CI job, the token kept out of its log.
use super::{Io, note, out};
use crate::cli::{EnvArgs, ShellFormat};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// The variable that holds the token: the one value masked.
const TOKEN_VARIABLE: &str = "PLACES_ACCESS_TOKEN";

/// Handles the CI formats; `None` for the others, which `env` prints itself.
pub fn run(args: &EnvArgs, vars: &[(&str, String)], io: &mut Io) -> Option<Result<i32>> {
    match args.format {
        ShellFormat::Github => Some(github(args.github_env.as_deref(), vars, io)),
        ShellFormat::Gitlab => Some(gitlab(vars, io)),
        _ => None,
    }
}

/// GitHub Actions: `::add-mask::` for the token on stdout first (the runner hides it from every
/// later line of the log), then the variables appended to the file `$GITHUB_ENV` names, which the
/// runner loads into the job's later steps.
fn github(file: Option<&Path>, vars: &[(&str, String)], io: &mut Io) -> Result<i32> {
    let Some(file) = file else {
        return Err(Error::usage(
            "--format github needs GITHUB_ENV, which GitHub Actions sets in every step",
        )
        .with_hint("run it in a workflow step, or name the file with --github-env FILE"));
    };
    let token = vars
        .iter()
        .find(|(k, _)| *k == TOKEN_VARIABLE)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    // The mask before anything else: a value is hidden only in lines logged after it.
    out(io, &format!("::add-mask::{token}"))?;
    let mut appended = std::fs::OpenOptions::new()
        .append(true)
        .open(file)
        .map_err(|e| {
            Error::io("open", file, &e).with_hint(
                "GITHUB_ENV names a file the runner made for this step; outside Actions, name one with --github-env",
            )
        })?;
    appended
        .write_all(github_env_lines(vars, &delimiter()).as_bytes())
        .and_then(|()| appended.flush())
        .map_err(|e| Error::io("write to", file, &e))?;
    let names: Vec<&str> = vars.iter().map(|(k, _)| *k).collect();
    note!(
        io,
        "Set {} for the job's next steps; the token is masked in the log.",
        names.join(", ")
    );
    Ok(super::SUCCESS)
}

/// A heredoc delimiter no value contains, as GitHub's own toolkit makes one.
fn delimiter() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness the fixed part still works: the values hold no newline (checked below).
    let _ = openssl::rand::rand_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("ghadelimiter_{hex}")
}

/// `NAME=value` lines, or `NAME<<DELIMITER` … `DELIMITER` for a value on several lines (the only
/// safe way to write one: a newline in a `NAME=value` line would start a variable of its own).
fn github_env_lines(vars: &[(&str, String)], delimiter: &str) -> String {
    vars.iter()
        .map(|(k, v)| {
            if v.contains(['\n', '\r']) {
                format!("{k}<<{delimiter}\n{v}\n{delimiter}\n")
            } else {
                format!("{k}={v}\n")
            }
        })
        .collect()
}

/// GitLab CI: `NAME=value` lines for an `artifacts:reports:dotenv` file, and a warning that such
/// a file is an artifact, not a secret store.
fn gitlab(vars: &[(&str, String)], io: &mut Io) -> Result<i32> {
    if let Some((k, _)) = vars.iter().find(|(_, v)| v.contains(['\n', '\r'])) {
        return Err(Error::new(format!(
            "{k} holds a line break, which a dotenv report cannot carry"
        )));
    }
    note!(
        io,
        "warning: a dotenv report is a job artifact: whoever may download the job's artifacts reads the token in it, and GitLab does not mask it.\n\
         The masked-variable way: keep the client secret in a masked, protected CI/CD variable (PLACES_SETUP_CLIENT_SECRET)\n\
         and mint the token in the job that uses it: eval \"$(places-setup env)\" (see docs/ci.md)."
    );
    let lines: Vec<String> = vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
    out(io, &lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_on_several_lines_takes_the_delimiter_syntax() {
        let vars = [
            ("PLACES_ORG_ID", "one".to_string()),
            ("NOTE", "a\nPLACES_ACCESS_TOKEN=forged".to_string()),
        ];
        assert_eq!(
            github_env_lines(&vars, "ghadelimiter_x"),
            "PLACES_ORG_ID=one\nNOTE<<ghadelimiter_x\na\nPLACES_ACCESS_TOKEN=forged\nghadelimiter_x\n"
        );
        let (a, b) = (delimiter(), delimiter());
        assert!(
            a.starts_with("ghadelimiter_") && a.len() == 45 && a != b,
            "{a} {b}"
        );
    }
}
