//! `keys`: make a key pair and its self-signed certificate; `keys --rotate`: a new pair beside the
//! profile's, leaving the old one working until the switch.
use super::{Io, absolute, note, out};
use crate::cert::{self, Field, PairPaths, Subject};
use crate::cli::KeysArgs;
use crate::error::{Error, Result};
use crate::ids;
use crate::places;
use crate::session::{PASSPHRASE_ENV, Session, make_pair, passphrase_key};
use crate::timefmt;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Subject fields as given on the command line, each checked; the flag is named with the field.
fn subject_from_flags(args: &KeysArgs, fallback_common_name: &str) -> Result<Subject> {
    let given = [
        &args.country,
        &args.state,
        &args.locality,
        &args.organization,
        &args.unit,
        &args.common_name,
        &args.email,
    ];
    let values = given.map(|v| v.as_deref().unwrap_or(""));
    Subject::new(values, fallback_common_name).map_err(|e| {
        // Name the flag as well as the field, so the fix is obvious on a command line.
        let field = e
            .invalid
            .as_ref()
            .and_then(|i| Field::ALL.iter().find(|f| i.field == f.label()));
        match field {
            Some(f) => Error {
                message: format!("{} ({})", e.message, f.flag()),
                ..e
            },
            None => e,
        }
    })
}

fn any_subject_flag(args: &KeysArgs) -> bool {
    [
        &args.country,
        &args.state,
        &args.locality,
        &args.organization,
        &args.unit,
        &args.common_name,
        &args.email,
    ]
    .iter()
    .any(|v| v.is_some())
}

/// The passphrase for a key about to be made: PLACES_SETUP_KEY_PASSPHRASE, else typed twice.
fn new_key_passphrase(io: &Io) -> Result<SecretString> {
    if let Some(value) = io.environment.key_passphrase()? {
        return ids::key_passphrase(
            PASSPHRASE_ENV,
            value,
            "set it to the passphrase, or unset it to be asked at the terminal; nothing was written",
        );
    }
    let no_terminal = |_| {
        Error::usage("--encrypt needs a passphrase and there is no terminal to ask for it")
            .with_hint(format!(
                "set {PASSPHRASE_ENV}, or run from a terminal; nothing was written"
            ))
    };
    let first = ids::key_passphrase(
        "key passphrase",
        SecretString::from(
            (io.prompt)("Passphrase for the new private key: ").map_err(no_terminal)?,
        ),
        "type a passphrase: an empty one would leave the key unprotected; nothing was written",
    )?;
    let second =
        SecretString::from((io.prompt)("The same passphrase again: ").map_err(no_terminal)?);
    if first.expose_secret() != second.expose_secret() {
        return Err(Error::invalid(
            "key passphrase",
            "the two entries differ",
            "run the command again and type the same passphrase twice; nothing was written",
        ));
    }
    Ok(first)
}

pub fn run(args: &KeysArgs, io: &mut Io) -> Result<i32> {
    let (dir, name) = (args.dir(), args.name());
    cert::check_name(name)?;
    let subject = subject_from_flags(args, name)?;
    let paths = PairPaths::new(&dir, name);
    if !args.force {
        cert::refuse_existing(&paths)?;
    }
    let passphrase = if args.encrypt {
        Some(new_key_passphrase(io)?)
    } else {
        None
    };
    let pair = make_pair(
        &dir,
        name,
        subject,
        args.days,
        args.force,
        passphrase.as_ref(),
    )?;
    let fingerprint = cert::fingerprint(&pair.certificate);
    let expires = cert::expiry(&pair.certificate);
    let written = &pair.written;
    if args.json {
        return out(
            io,
            &serde_json::to_string_pretty(&json!({
                "private_key": written.paths.private_key,
                "certificate": written.paths.certificate,
                "encrypted": pair.encrypted,
                "subject": pair.subject.one_line(),
                "sha256_fingerprint": fingerprint,
                "expires_at": timefmt::rfc3339(expires),
                "backups": written.backups.iter().map(|(_, b)| b).collect::<Vec<_>>(),
            }))
            .unwrap_or_default(),
        );
    }
    for (old, backup) in &written.backups {
        note!(io, "Moved {} to {}", old.display(), backup.display());
    }
    out(
        io,
        &format!(
            "Private key:  {} (RSA {}, {}mode 0600 — keep it secret)\n\
         Certificate:  {}\n\
         Subject:      {}\n\
         SHA-256:      {fingerprint}\n\
         Expires:      {} ({} days)\n\n\
         Next: {}\n\
         No new JWT credential takes this certificate; the pair still works with the built-in\n\
         emulator, to try the JWT path offline:\n\
         \x20 places-setup demo    (the wizard, offline)\n\
         \x20 places-setup emulator --certificate {}\n\
         \x20 places-setup --ims-url URL init --auth jwt --private-key {} …   (URL: the emulator's)\n\
         For Adobe, make an OAuth Server-to-Server credential: places-setup init --auth oauth …",
            written.paths.private_key.display(),
            cert::KEY_BITS,
            if pair.encrypted {
                "encrypted with AES-256-CBC, "
            } else {
                ""
            },
            written.paths.certificate.display(),
            pair.subject.one_line(),
            timefmt::rfc3339(expires),
            args.days,
            crate::ims::retirement::notice(std::time::SystemTime::now()),
            written.paths.certificate.display(),
            written.paths.private_key.display(),
        ),
    )
}

/// The name of the pair that replaces `name`, made on `today` (YYYY-MM-DD): `NAME_YYYY-MM-DD`,
/// with an earlier rotation's date replaced rather than stacked, and `-2`, `-3`… when a pair of
/// that name exists already.
pub fn rotated_name(name: &str, today: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = strip_rotation_date(name);
    let first = format!("{base}_{today}");
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|n| format!("{first}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(first)
}

fn strip_rotation_date(name: &str) -> &str {
    let is_date = |s: &str| {
        let b = s.as_bytes();
        b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
    };
    let Some((base, tail)) = name.rsplit_once('_') else {
        return name;
    };
    let date = match tail.get(..10) {
        Some(d) if tail.len() == 10 => d,
        Some(d) if tail[10..].starts_with('-') && tail[11..].parse::<u32>().is_ok() => d,
        _ => return name,
    };
    if is_date(date) && !base.is_empty() {
        base
    } else {
        name
    }
}

/// The pair to rotate: the one named by --name in --dir, else the current profile's.
fn pair_to_rotate(session: &Session, args: &KeysArgs) -> Result<(PathBuf, String, PathBuf)> {
    if let Some(name) = &args.name {
        cert::check_name(name)?;
        let dir = args.dir();
        let paths = PairPaths::new(&dir, name);
        if !paths.private_key.is_file() {
            return Err(Error::new(format!(
                "nothing to rotate: {} does not exist",
                paths.private_key.display()
            ))
            .with_hint(format!(
                "check --dir and --name, or make a first pair with `places-setup keys --dir {} --name {name}`",
                dir.display()
            )));
        }
        return Ok((dir, name.clone(), paths.private_key));
    }
    if args.dir.is_some() {
        return Err(Error::usage("--dir with --rotate needs --name")
            .with_hint("without --name, --rotate works on the current profile's key and puts the new pair beside it"));
    }
    let profile = session.load_profile()?;
    let key_path = profile.private_key().map(Path::to_path_buf).ok_or_else(|| {
        Error::new(format!(
            "profile {:?} has no private key to rotate ({})",
            session.profile,
            profile.auth().describe()
        ))
        .with_hint("OAuth Server-to-Server needs no key pair; to rotate a pair by its name, give --dir and --name")
    })?;
    let file_name = key_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let Some(name) = file_name.strip_suffix("_private.key") else {
        return Err(Error::new(format!(
            "{} is not named NAME_private.key, so the new pair has no name to follow",
            key_path.display()
        ))
        .with_hint("make the new pair with `places-setup keys --dir DIR --name NEW_NAME`, upload it, then `places-setup init --private-key …`"));
    };
    cert::check_name(name)?;
    let dir = key_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((dir, name.to_string(), key_path))
}

/// `keys --rotate`: a new pair beside the old one. The old pair and every profile are left as they
/// are, so the old key keeps working until the new certificate is uploaded and the profile switched.
pub fn rotate(session: &Session, args: &KeysArgs, io: &mut Io) -> Result<i32> {
    let (dir, old_name, old_key) = pair_to_rotate(session, args)?;
    let old_paths = PairPaths::new(&dir, &old_name);
    let old_certificate = old_paths
        .certificate
        .is_file()
        .then(|| cert::load_certificate(&old_paths.certificate))
        .transpose()?;
    let today = timefmt::rfc3339(SystemTime::now())
        .get(..10)
        .unwrap_or("new")
        .to_string();
    let name = rotated_name(&old_name, &today, |candidate| {
        !PairPaths::new(&dir, candidate).existing().is_empty()
    });
    cert::check_name(&name)?;
    let subject = match &old_certificate {
        Some(c) if !any_subject_flag(args) => Subject::from_certificate(c, &name).map_err(|e| {
            Error::new(format!(
                "the subject of {} cannot be reused: {}",
                old_paths.certificate.display(),
                e.message
            ))
            .with_hint("give the subject with --country, --organization, --common-name …")
        })?,
        _ => subject_from_flags(args, &name)?,
    };
    let old_pem = std::fs::read(&old_key).map_err(|e| Error::io("read", &old_key, &e))?;
    // An encrypted key is not replaced by a plain one unless asked.
    let encrypt = args.encrypt || cert::is_encrypted(&old_pem);
    let passphrase = if encrypt {
        Some(new_key_passphrase(io)?)
    } else {
        None
    };
    let pair = make_pair(&dir, &name, subject, args.days, false, passphrase.as_ref())?;
    let new = &pair.written.paths;
    let expires = cert::expiry(&pair.certificate);
    let fingerprint = cert::fingerprint(&pair.certificate);

    // Which profiles use the old key: each gets its own switch command.
    let config = session.store.load()?;
    let old_canonical = passphrase_key(&old_key);
    let mut users: Vec<crate::session::ProfileName> = config
        .profiles
        .iter()
        .filter(|(_, p)| {
            p.private_key()
                .is_some_and(|k| passphrase_key(k) == old_canonical)
        })
        .map(|(n, _)| n.clone())
        .collect();
    if users.is_empty() {
        users.push(session.profile.clone());
    }
    let new_key_abs = absolute(&new.private_key)?;
    let new_cert_abs = absolute(&new.certificate)?;
    let switch: Vec<String> = users
        .iter()
        .map(|profile| {
            format!(
                "places-setup{} init --private-key {} --certificate {}",
                profile.flag(),
                places::shell_quote(&new_key_abs.display().to_string()),
                places::shell_quote(&new_cert_abs.display().to_string()),
            )
        })
        .collect();
    let old_expiry = old_certificate.as_ref().map(cert::expiry);
    if args.json {
        return out(
            io,
            &serde_json::to_string_pretty(&json!({
                "old": {
                    "private_key": old_key,
                    "certificate": old_certificate.as_ref().map(|_| &old_paths.certificate),
                    "expires_at": old_expiry.map(timefmt::rfc3339),
                },
                "private_key": new_key_abs,
                "certificate": new_cert_abs,
                "encrypted": pair.encrypted,
                "subject": pair.subject.one_line(),
                "sha256_fingerprint": fingerprint,
                "expires_at": timefmt::rfc3339(expires),
                "switch_commands": switch,
            }))
            .unwrap_or_default(),
        );
    }
    let old_line = match old_expiry {
        Some(e) => format!(
            "{} (certificate {} {})",
            old_key.display(),
            if e > SystemTime::now() {
                "expires"
            } else {
                "EXPIRED"
            },
            timefmt::rfc3339(e)
        ),
        None => old_key.display().to_string(),
    };
    out(
        io,
        &format!(
            "New private key:  {} (RSA {}, {}mode 0600 — keep it secret)\n\
         New certificate:  {}\n\
         Subject:          {}\n\
         SHA-256:          {fingerprint}\n\
         Expires:          {} ({} days)\n\
         Old pair:         {old_line} — left as it was; it keeps working until you switch\n\n\
         Next:\n\
         1. In the Adobe Developer Console (https://developer.adobe.com/console), open the project's\n\
         \x20  Service Account (JWT) credential and upload this certificate beside the old one:\n\
         \x20    {}\n\
         \x20  Keep the old certificate there until the switch is done.\n\
         2. Once it is uploaded, switch to the new pair:\n{}\n\
         3. Check the new pair with `places-setup{} token --force`, then remove the old certificate from the Console.",
            new.private_key.display(),
            cert::KEY_BITS,
            if pair.encrypted {
                "encrypted with AES-256-CBC, "
            } else {
                ""
            },
            new.certificate.display(),
            pair.subject.one_line(),
            timefmt::rfc3339(expires),
            args.days,
            new.certificate.display(),
            switch
                .iter()
                .map(|c| format!("     {c}"))
                .collect::<Vec<_>>()
                .join("\n"),
            session.profile.flag(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_names_carry_one_date_and_never_collide() {
        let free = |_: &str| false;
        assert_eq!(rotated_name("prod", "2026-11-24", free), "prod_2026-11-24");
        assert_eq!(
            rotated_name("prod_2025-11-20", "2026-11-24", free),
            "prod_2026-11-24"
        );
        assert_eq!(
            rotated_name("prod_2025-11-20-3", "2026-11-24", free),
            "prod_2026-11-24"
        );
        // Not a date: kept as part of the name.
        assert_eq!(
            rotated_name("prod_2025", "2026-11-24", free),
            "prod_2025_2026-11-24"
        );
        assert_eq!(
            rotated_name("_2025-11-20", "2026-11-24", free),
            "_2025-11-20_2026-11-24"
        );
        let taken = |n: &str| n == "prod_2026-11-24" || n == "prod_2026-11-24-2";
        assert_eq!(
            rotated_name("prod", "2026-11-24", taken),
            "prod_2026-11-24-3"
        );
    }
}
