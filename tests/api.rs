//! `api PATH` against the emulator's Places API (libraries made, read and deleted, POIs paged),
//! `emulator` run as a person would run it, and `--debug`'s account of each request.
mod common;
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

const STORES: &str = "3b1e8a4c-6f2d-4e0b-9a7c-1d5f2e8b9c01";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn libraries_are_listed_made_read_and_deleted() {
    let home = Home::new();
    home.oauth_profile();
    let listed = home.call(&["api", "/libraries"]).ok();
    // Not a terminal: the body as it came, on one line.
    assert_eq!(listed.stdout.lines().count(), 1, "{}", listed.stdout);
    assert_eq!(json(&listed.stdout).as_array().unwrap().len(), 2);
    let sent = home
        .emulator
        .last_request("/places/placesapi/v1/libraries")
        .unwrap();
    assert_eq!(sent.header("x-api-key"), Some(CLIENT));
    assert_eq!(sent.header("x-gw-ims-org-id"), Some(ORG));
    assert!(sent.header("authorization").unwrap().starts_with("Bearer "));

    let made = json(
        &home
            .run(&["api", "libraries", "-d", r#"{"name": "Depots"}"#])
            .ok()
            .stdout,
    );
    assert_eq!(made["name"], "Depots");
    let id = made["id"].as_str().unwrap();
    let path = format!("/libraries/{id}");
    assert_eq!(json(&home.call(&["api", &path]).ok().stdout), made);
    std::fs::write(home.path().join("lib.json"), r#"{"name": "From a file"}"#).unwrap();
    let from_file = home
        .run(&["api", "/libraries", "-X", "post", "-d", "@lib.json"])
        .ok();
    assert_eq!(json(&from_file.stdout)["name"], "From a file");
    let from_stdin = home
        .run_with_stdin(&["api", "/libraries", "-d", "@-"], r#"{"name": "Piped"}"#)
        .ok();
    assert_eq!(json(&from_stdin.stdout)["name"], "Piped");
    let deleted = home.call(&["api", &path, "-X", "DELETE"]).ok();
    assert_eq!(deleted.stdout, "");

    // Deleted: the gateway's code, message and request ID, exit 1.
    let gone = home.call(&["api", &path]).fails(1);
    gone.stderr_has("HTTP 404 404000 Library not found (request id ");
    let listed = json(&home.call(&["api", "/libraries"]).ok().stdout);
    assert_eq!(listed.as_array().unwrap().len(), 4);
}

#[test]
fn bad_bodies_methods_and_paths_are_refused_before_sending() {
    let home = Home::new();
    home.oauth_profile();
    let before = home.emulator.request_count();
    home.call(&["api", "/libraries", "-d", "{name: 1}"])
        .fails(2)
        .stderr_has("--data: the body is not JSON");
    home.run(&["api", "/libraries", "-d", "@missing.json"])
        .fails(1)
        .stderr_has("missing.json");
    home.call(&["api", "/libraries", "-X", "TRACE"])
        .fails(2)
        .stderr_has("-X: TRACE");
    home.call(&["api", "https://example.com/libraries"])
        .fails(2)
        .stderr_has("PATH: https://example.com/libraries is not under the Places API");
    home.call(&["api", "/libraries", "-d", "{}", "--paginate"])
        .fails(2)
        .stderr_has("--paginate");
    assert_eq!(home.emulator.request_count(), before, "nothing was sent");
    // The emulator's own check of a body: the gateway's answer, exit 1.
    home.call(&["api", "/libraries", "-d", "{}"])
        .fails(1)
        .stderr_has("HTTP 400 400000 name is required");
}

#[test]
fn paginate_follows_next_links_through_every_page() {
    let home = Home::new();
    home.oauth_profile();
    let path = format!("/libraries/{STORES}/pois?limit=10");
    let one = home.call(&["api", &path]).ok();
    assert_eq!(json(&one.stdout)["data"].as_array().unwrap().len(), 10);
    let all = home.call(&["api", &path, "--paginate"]).ok();
    let pages: Vec<Value> = all.stdout.lines().map(json).collect();
    assert_eq!(pages.len(), 5, "42 POIs, 10 a page");
    let names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p["data"].as_array().unwrap())
        .map(|poi| poi["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 42);
    assert_eq!((names[0], names[41]), ("Stores 00001", "Stores 00042"));
    assert!(pages[4]["_links"].get("next").is_none());
}

#[test]
fn a_revoked_token_is_renewed_once() {
    let home = Home::new();
    home.oauth_profile();
    home.call(&["token"]).ok();
    let exchanges = home.emulator.exchange_count();
    home.emulator.revoke_tokens();
    let run = home.call(&["api", "/libraries"]).ok();
    run.stderr_has("exchanging a new one");
    assert_eq!(home.emulator.exchange_count(), exchanges + 1);
    assert_eq!(json(&run.stdout).as_array().unwrap().len(), 2);
}

#[test]
fn json_is_indented_at_a_terminal() {
    let home = Home::new();
    home.oauth_profile();
    let (code, shown) = at_terminal(&home, &["api", "/libraries"], "", "");
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.starts_with("[\r\n  {\r\n    \"customerID\""),
        "{shown}"
    );
}

#[test]
fn debug_shows_each_attempt_without_secrets() {
    let home = Home::new();
    home.oauth_profile();
    home.emulator
        .push_faults([status_fault(503, "application/json", "{}", Some("0"))]);
    let run = home.call(&["--debug", "token", "--force"]).ok();
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("debug: "))
        .collect();
    let ims = format!("debug: POST {}/ims/token/v3 -> ", home.emulator.url());
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].starts_with(&format!("{ims}503 in ")),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("(attempt 1) x-debug-id "), "{}", lines[0]);
    assert!(lines[1].starts_with(&format!("{ims}200 in ")) && lines[1].contains("(attempt 2)"));
    let token = run.stdout.trim();
    assert!(!run.stderr.contains(token));
    let verify = home.call(&["--debug", "verify"]).ok();
    verify.stderr_has(&format!(
        "debug: GET {}/libraries -> 200 in ",
        home.emulator.places_url()
    ));
    verify.stderr_has(" x-request-id ");
    assert!(!verify.stderr.contains(token));
    // Without --debug, nothing of the kind.
    assert!(
        !home
            .run(&["token", "--force"])
            .ok()
            .stderr
            .contains("debug:")
    );
}

/// `places-setup emulator ARGS` as a person starts it; stopped (by its pid) when dropped.
struct Served {
    child: Child,
    line: Value,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("places-setup"))
            .arg("emulator")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Served {
            child,
            line: json(&line),
        }
    }

    fn field(&self, name: &str) -> &str {
        self.line[name].as_str().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_emulator_serves_until_stopped_and_a_profile_made_against_it_remembers_it() {
    let home = Home::new();
    let listed = home.run(&["--help"]).ok();
    assert!(listed.stdout.contains("\n  emulator "), "{}", listed.stdout);
    let served = Served::start(&[]);
    let ims = served.field("ims_url").to_string();
    assert!(served.field("places_url").starts_with(&ims));
    // Only the IMS URL is given: the profile keeps the emulator's Places URL beside it.
    let run_here = |args: &[&str], stdin: &str| {
        let mut cmd = home.cmd();
        cmd.env_remove("PLACES_SETUP_IMS_URL")
            .env_remove("PLACES_SETUP_PLACES_URL")
            .args(args)
            .write_stdin(stdin.to_string());
        Run::from(cmd.output().unwrap())
    };
    run_here(
        &[
            "--ims-url",
            &ims,
            "init",
            "--auth",
            "oauth",
            "--org-id",
            served.field("org_id"),
            "--client-id",
            served.field("oauth_client_id"),
            "--scopes",
            served.field("scopes"),
            "--client-secret-stdin",
        ],
        served.field("client_secret"),
    )
    .ok();
    let config = std::fs::read_to_string(home.config_dir().join("config.toml")).unwrap();
    assert!(
        config.contains(&format!("places_url = \"{}\"", served.field("places_url"))),
        "{config}"
    );
    run_here(&["verify"], "").ok();
    let curl = run_here(&["curl"], "").ok();
    assert!(
        curl.stdout.contains(served.field("places_url")),
        "{}",
        curl.stdout
    );
    let libraries = run_here(&["api", "/libraries"], "").ok();
    assert_eq!(json(&libraries.stdout).as_array().unwrap().len(), 2);
}

#[test]
fn the_emulator_takes_a_port_and_says_when_it_is_taken() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let served = Served::start(&["--port", &port.to_string()]);
    assert_eq!(served.field("ims_url"), format!("http://127.0.0.1:{port}"));
    let home = Home::new();
    home.call(&["emulator", "--port", &port.to_string()])
        .fails(1)
        .stderr_has(&format!("cannot start the emulator on 127.0.0.1:{port}"))
        .stderr_has("--port");
}

#[test]
fn a_jwt_profile_works_against_the_emulator_given_its_certificates() {
    let home = Home::new();
    let (_, first) = home.make_keys("first");
    let (key, second) = home.make_keys("second");
    let served = Served::start(&[
        "--certificate",
        first.to_str().unwrap(),
        second.to_str().unwrap(),
    ]);
    let mut cmd = home.cmd();
    cmd.env_remove("PLACES_SETUP_PLACES_URL")
        .env("PLACES_SETUP_IMS_URL", served.field("ims_url"))
        .env("PLACES_SETUP_CLIENT_SECRET", served.field("client_secret"))
        .args([
            "init",
            "--auth",
            "jwt",
            "--org-id",
            served.field("org_id"),
            "--client-id",
            served.field("jwt_client_id"),
            "--technical-account-id",
            served.field("technical_account_id"),
            "--private-key",
            key.to_str().unwrap(),
        ]);
    Run::from(cmd.output().unwrap()).ok();
    let mut cmd = home.cmd();
    cmd.env_remove("PLACES_SETUP_PLACES_URL")
        .env_remove("PLACES_SETUP_IMS_URL")
        .arg("verify");
    let verify = Run::from(cmd.output().unwrap()).ok();
    assert!(
        verify.stdout.starts_with("OK: the token works."),
        "{}",
        verify.stdout
    );
}

#[test]
fn the_emulator_refuses_a_certificate_that_is_not_one_and_names_its_metascope() {
    let home = Home::new();
    let (key, cert) = home.make_keys("emu");
    home.call(&["emulator", "--certificate", key.to_str().unwrap()])
        .fails(2)
        .stderr_has("is not a PEM certificate (it is a private key)");
    let served = Served::start(&["--certificate", cert.to_str().unwrap(), "--jwt-converted"]);
    assert_eq!(served.field("metascope"), "ent_places_sdk");
    assert_eq!(served.line["jwt_converted"], true);
}

/// At a terminal: the banner a person needs, then a line per request, until Ctrl-C.
#[test]
fn at_a_terminal_the_emulator_tells_how_to_use_it_and_shows_each_request() {
    const DRIVER: &str = r#"
import os, pty, re, select, sys, time, urllib.request
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "emulator"])
out, asked, deadline = b"", False, time.time() + 30
while time.time() < deadline:
    if not asked and b"Ctrl-C stops it" in out:
        url = re.search(rb"IMS +(http://\S+)", out).group(1).decode()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            opener.open(url + "/places/placesapi/v1/libraries", timeout=5)
        except Exception:
            pass
        asked = True
    if asked and b"/libraries  401" in out:
        os.write(fd, b"\x03")
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        out += data
else:
    os.kill(pid, 9)
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", DRIVER])
        .arg(assert_cmd::cargo::cargo_bin("places-setup"))
        .output()
        .expect("python3 runs (scripts/setup installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    for said in [
        "IMS            http://127.0.0.1:",
        "export PLACES_SETUP_IMS_URL=http://127.0.0.1:",
        "metascope ent_places_sdk",
        "--client-secret-stdin",
        "Ctrl-C stops it.",
        "GET /places/placesapi/v1/libraries  401",
    ] {
        assert!(text.contains(said), "{said}:\n{text}");
    }
    // Written for an 80-column terminal: none of it is wrapped by the terminal mid-word.
    let banner = text.split("Ctrl-C stops it.").next().unwrap_or_default();
    for line in banner.lines() {
        assert!(line.trim_end().chars().count() <= 80, "{line:?}");
    }
}
