//! `exec -- CMD [ARG…]`: runs a program with a valid token in its environment (as `aws-vault
//! exec` and `op run` do), passes signals on to it, and ends with its status. The token exists
//! only in the program's environment: never printed, never in the calling shell.
use super::{Io, fresh_token, note};
use crate::cli::ExecArgs;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::timefmt;
use secrecy::ExposeSecret;
use std::process::Command;

/// What the program is given, beside its inherited environment.
pub const VARIABLES: [&str; 4] = [
    "PLACES_ACCESS_TOKEN",
    "PLACES_API_KEY",
    "PLACES_ORG_ID",
    "PLACES_TOKEN_EXPIRES_AT",
];

/// Variables that may hold this tool's own secrets: the program gets the token, not these.
const WITHHELD: [&str; 2] = ["PLACES_SETUP_CLIENT_SECRET", crate::session::PASSPHRASE_ENV];

/// Runs the program; the exit code to end with: its own, 128+N when signal N ended it, 126 when
/// it cannot be run, 127 when it is not found.
pub async fn run(session: &Session, args: &ExecArgs, io: &mut Io) -> Result<i32> {
    let profile = session.load_profile()?;
    let (token, _) = fresh_token(session, &profile, false, io).await?;
    let Some((program, rest)) = args.command.split_first() else {
        return Err(Error::usage("exec needs a program to run")
            .with_hint("for example: places-setup exec -- ./sync-pois.sh"));
    };
    let mut command = Command::new(program);
    command
        .args(rest)
        .env(VARIABLES[0], token.access_token.expose_secret())
        .env(VARIABLES[1], profile.client_id.as_str())
        .env(VARIABLES[2], profile.org_id.as_str())
        .env(VARIABLES[3], timefmt::rfc3339(token.expires_at));
    for name in WITHHELD {
        command.env_remove(name);
    }
    wait(command, &program.to_string_lossy(), io).await
}

async fn wait(mut command: Command, name: &str, io: &mut Io) -> Result<i32> {
    use crate::platform::process::{Relay, exit_code};
    let relay =
        Relay::listen().map_err(|e| Error::new(format!("cannot listen for signals: {e}")))?;
    let child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            note!(io, "error: cannot run {name}: {e}");
            note!(
                io,
                "hint: check the program's name and PATH, and that it is executable"
            );
            return Ok(code);
        }
    };
    let status = relay
        .wait(child)
        .await
        .map_err(|e| Error::new(format!("cannot wait for {name}: {e}")))?;
    Ok(exit_code(status))
}
