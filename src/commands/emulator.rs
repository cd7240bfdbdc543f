//! `emulator`: the offline stand-in for Adobe IMS and the Places API, served until stopped. At a
//! terminal it tells a person where it listens, what it knows and how to point places-setup at
//! it, then shows each request; for a script (not a terminal, or `--json`) it prints one JSON line.
use super::{Io, out};
use crate::cli::EmulatorArgs;
use crate::emulator::{Emulator, demo};
use crate::error::{Error, Result};
use serde_json::json;
use std::io::Write;

pub fn run(args: &EmulatorArgs, io: &mut Io) -> Result<i32> {
    let mut certificates = Vec::new();
    for path in &args.certificates {
        certificates.push(certificate(path)?);
    }
    let port = args.port.unwrap_or(0);
    let config = crate::emulator::EmulatorConfig {
        tls: args.tls,
        ..Default::default()
    };
    let uploaded = certificates.len();
    let emulator = demo::start_with(port, certificates, config).map_err(|e| {
        let mut error = Error::new(format!("cannot start the emulator on 127.0.0.1:{port}: {e}"));
        if e.kind() == std::io::ErrorKind::AddrInUse {
            error = error.with_hint("another program uses that port: choose another with --port N, or leave --port out for a free one");
        }
        error
    })?;
    if args.jwt_converted {
        demo::convert(&emulator);
    }
    if args.json || !io.out.is_terminal() {
        out(io, &line(&emulator, args).to_string())?;
        loop {
            std::thread::park();
        }
    }
    // Asked before the banner is printed, so that no request the banner prompts goes unshown.
    let served = emulator.served();
    out(io, &banner(&emulator, args, uploaded))?;
    for request in served {
        let time = crate::timefmt::rfc3339(std::time::SystemTime::now());
        let _ = writeln!(
            io.out,
            "{}  {} {}  {}",
            time.get(11..19).unwrap_or_default(),
            request.method,
            crate::text::printable(&request.path, false),
            request.status
        );
        let _ = io.out.flush();
    }
    // The emulator lives as long as this process: its requests never stop coming.
    loop {
        std::thread::park();
    }
}

/// A certificate to upload to the JWT integration, read as `keys` wrote it.
fn certificate(path: &std::path::Path) -> Result<String> {
    let bytes =
        crate::store::atomic::read_given(path, crate::store::atomic::MAX_FILE, "--certificate")?;
    let not_a_certificate = |why: &str| {
        Error::usage(format!(
            "--certificate: {} is not a PEM certificate ({why})",
            path.display()
        ))
        .with_hint("give the NAME_public.crt that `places-setup keys` wrote, not the private key")
    };
    let text = String::from_utf8(bytes).map_err(|_| not_a_certificate("not text"))?;
    if crate::cert::Certificate::from_pem(text.as_bytes()).is_none() {
        let why = if text.contains("PRIVATE KEY") {
            "it is a private key"
        } else {
            "no certificate could be read from it"
        };
        return Err(not_a_certificate(why));
    }
    Ok(text)
}

/// What a script reads: one JSON line.
fn line(emulator: &Emulator, args: &EmulatorArgs) -> serde_json::Value {
    let mut line = json!({
        "ims_url": emulator.url(),
        "places_url": emulator.places_url(),
        "org_id": demo::ORG_ID,
        "jwt_client_id": demo::JWT_CLIENT_ID,
        "oauth_client_id": demo::OAUTH_CLIENT_ID,
        "technical_account_id": demo::TECHNICAL_ACCOUNT_ID,
        "client_secret": demo::CLIENT_SECRET,
        "scopes": demo::SCOPES.join(","),
        "metascope": demo::METASCOPE,
        "jwt_converted": args.jwt_converted,
    });
    if let Some(ca) = emulator.ca_pem() {
        line["ca_certificate"] = ca.into();
    }
    line
}

/// What a person reads: where it listens, what it knows, and the commands that use it.
fn banner(emulator: &Emulator, args: &EmulatorArgs, uploaded: usize) -> String {
    let ims = emulator.url();
    let jwt_state = if args.jwt_converted {
        "converted to OAuth Server-to-Server (--jwt-converted): try `migrate`".to_string()
    } else if uploaded == 0 {
        "no certificate uploaded: add --certificate NAME_public.crt".to_string()
    } else {
        format!("{uploaded} certificate(s) uploaded")
    };
    let trust = match emulator.ca_pem() {
        Some(ca) => format!(
            "\nIt serves HTTPS: save this CA to a file and name it with SSL_CERT_FILE=FILE\n\
             in the terminal of the commands below.\n{}\n",
            ca.trim_end()
        ),
        None => String::new(),
    };
    format!(
        "places-setup emulator: Adobe IMS and the Places API, offline, on this machine.\n\
         \n\
         \x20 IMS            {ims}\n\
         \x20 Places API     {places}\n\
         \x20 org ID         {org}\n\
         \x20 client secret  {secret}   (made up; the same for both)\n\
         \n\
         OAuth Server-to-Server: client ID {oauth}\n\
         \x20 scopes {scopes}\n\
         Service Account (JWT): client ID {jwt}\n\
         \x20 technical account {tech}\n\
         \x20 metascope {metascope}\n\
         \x20 {jwt_state}\n\
         {trust}\n\
         In another terminal, point places-setup at it:\n\
         \x20 export PLACES_SETUP_IMS_URL={ims}\n\
         \x20 places-setup                      the wizard, against this emulator\n\
         \x20 printf %s {secret} | places-setup --profile offline init \\\n\
         \x20     --auth oauth --org-id {org} \\\n\
         \x20     --client-id {oauth} \\\n\
         \x20     --scopes {scopes} --client-secret-stdin\n\
         \x20 places-setup --profile offline api /libraries\n\
         \n\
         Ctrl-C stops it. Requests:",
        places = emulator.places_url(),
        org = demo::ORG_ID,
        secret = demo::CLIENT_SECRET,
        oauth = demo::OAUTH_CLIENT_ID,
        scopes = demo::SCOPES.join(","),
        jwt = demo::JWT_CLIENT_ID,
        tech = demo::TECHNICAL_ACCOUNT_ID,
        metascope = demo::METASCOPE,
    )
}
