//! `api PATH`: one authenticated request to the Places API, as `gh api` is for GitHub — the three
//! headers added, the token renewed once if the gateway refuses it (401013), pages followed with
//! `--paginate`, and the body printed as it came (indented at a terminal).
use super::places::places_request;
use super::{Io, SUCCESS, fresh_token, note, out, write_out};
use crate::cli::ApiArgs;
use crate::error::{Error, Result};
use crate::http;
use crate::places::{self, GatewayError};
use crate::session::Session;
use crate::store::atomic;

pub async fn run(session: &Session, args: &ApiArgs, io: &mut Io) -> Result<i32> {
    let profile = session.load_profile()?;
    let base = session.places_url(args.places.places_url.as_deref(), &profile)?;
    let first = places::api_url(&base, &args.path)?;
    let body = args
        .data
        .as_deref()
        .map(|data| read_body(data, io))
        .transpose()?;
    let method = method(args.method.as_deref(), body.is_some())?;
    if args.paginate && method != reqwest::Method::GET {
        return Err(Error::usage(format!(
            "--paginate follows the pages of a GET, not a {method}"
        ))
        .with_hint("leave out -X, or leave out --paginate"));
    }
    let pretty = io.out.is_terminal();
    let client = http::client(&session.policy)?;
    let (mut token, _) = fresh_token(session, &profile, false, io).await?;
    let mut renewed = false;
    let mut pages = places::Pages::new(places::PageLimits {
        max_pages: args.max_pages,
        max_bytes: args.max_mib.saturating_mul(1024 * 1024),
    });
    let mut next = Some(first);
    while let Some(url) = next.take() {
        let request = places_request(&base, &token, &profile);
        let answer = places::call(
            &client,
            &session.policy,
            &request,
            &method,
            &url,
            body.as_ref(),
        )
        .await?;
        if !answer.status.is_success() {
            let refusal = GatewayError::from_answer(&answer);
            // A cached token can be revoked before it expires: get a new one, once.
            if refusal.token_invalid() && !renewed {
                note!(io, "The token was refused (401013); exchanging a new one.");
                (token, _) = fresh_token(session, &profile, true, io).await?;
                renewed = true;
                next = Some(url);
                continue;
            }
            return Err(refusal.to_error(&profile.client_id, &profile.org_id));
        }
        if args.paginate {
            pages.received(&url, &answer.body)?;
        }
        print_body(&answer.body, pretty, io)?;
        if args.paginate {
            let page: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
            next = places::next_page(&page, &url, &base)?;
        }
    }
    Ok(SUCCESS)
}

/// The largest body `-d` sends: the Places API takes POIs in batches far smaller.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// `-d`: JSON as given, `@FILE` from a file, `@-` from standard input; checked to be JSON.
fn read_body(data: &str, io: &mut Io) -> Result<bytes::Bytes> {
    let bytes = match data.strip_prefix('@') {
        Some("-") => atomic::read_stream_capped(&mut io.stdin, MAX_BODY, "--data @-")?,
        Some(path) => atomic::read_given(std::path::Path::new(path), MAX_BODY, "--data @FILE")?,
        None => data.as_bytes().to_vec(),
    };
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        return Err(Error::invalid(
            "--data",
            format!("the body is not JSON: {e}"),
            "give JSON such as '{\"name\": \"Stores\"}', or @FILE for a file of JSON",
        ));
    }
    Ok(bytes::Bytes::from(bytes))
}

fn method(given: Option<&str>, has_body: bool) -> Result<reqwest::Method> {
    let name = given
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| if has_body { "POST" } else { "GET" }.to_string());
    match name.as_str() {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" => reqwest::Method::from_bytes(name.as_bytes())
            .map_err(|e| Error::usage(format!("-X {name}: {e}"))),
        _ => Err(Error::invalid(
            "-X",
            format!("{name} is not a method the Places API takes"),
            "use GET, POST, PUT, PATCH or DELETE",
        )),
    }
}

/// The body as it came, each page on a line of its own; indented JSON at a terminal.
fn print_body(body: &[u8], pretty: bool, io: &mut Io) -> Result<i32> {
    if body.is_empty() {
        return Ok(SUCCESS);
    }
    if pretty && let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        return out(
            io,
            &serde_json::to_string_pretty(&value).unwrap_or_default(),
        );
    }
    if pretty {
        // At a terminal, a body that is not JSON is still outside text: shown without its control
        // characters (`out`). Piped, it goes out byte for byte.
        return out(io, String::from_utf8_lossy(body).trim_end_matches('\n'));
    }
    let newline: &[u8] = if body.ends_with(b"\n") { b"" } else { b"\n" };
    write_out(io, &[body, newline].concat())
}
