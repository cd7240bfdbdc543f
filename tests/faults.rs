//! The fault matrix: one table, one row per way IMS (or the network, or the Console set-up) can
//! fail, each run with the real binary against an emulator that misbehaves in exactly that way.
//!
//! Every row starts from a copy of the same state: a JWT profile whose token is cached. The command
//! then talks to an emulator of its own that carries the fault (and with `--force`, an exchange
//! must happen). For each row the test asserts the exit code, that stderr
//! names the cause and the fix, that nothing panicked, how many requests were made (retries), and
//! that every file under the config folder (config.toml, the cached token, the secret) is byte-for-byte
//! unchanged: a failed exchange must change nothing.
//!
//! tests/token.rs checks several of these faults one by one, with more detail; this is the one-table view.
mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The command the clock hint names on this system (platform::hints::set_clock).
const CLOCK_COMMAND: &str = if cfg!(target_os = "macos") {
    "sntp -sS time.apple.com"
} else if cfg!(windows) {
    "w32tm /resync"
} else {
    "timedatectl"
};

/// What the Developer Console holds for the integration, as seen by the faulty IMS.
#[derive(Clone, Copy, Debug)]
enum Console {
    /// The integration as it was set up.
    AsSetUp,
    /// The client secret was regenerated in the Console.
    OtherSecret,
    /// No such client ID on this IMS.
    Unknown,
    /// The uploaded certificate belongs to another private key.
    OtherCertificate,
    /// The binding lacks the Places metascope.
    OtherMetascope,
}

struct Case {
    fault: &'static str,
    /// The faulty IMS: its clock and the misbehaviours it serves, in order.
    clock_offset_secs: i64,
    faults: Vec<Fault>,
    console: Console,
    /// The command; `{key}`, `{other_cert}` are replaced by paths.
    command: &'static [&'static str],
    code: i32,
    /// Text that names what went wrong.
    cause: &'static [&'static str],
    /// Text that names what to do.
    fix: &'static [&'static str],
    /// Requests the faulty IMS received: 3 where the fault is retried, 1 where it is final.
    requests: usize,
}

fn status(status: u16, body: &str, retry_after: Option<&str>) -> Fault {
    status_fault(status, "application/json;charset=utf-8", body, retry_after)
}

fn three(fault: Fault) -> Vec<Fault> {
    vec![fault.clone(), fault.clone(), fault]
}

fn table() -> Vec<Case> {
    const TOKEN: &[&str] = &["token", "--force"];
    // Two seconds, not one: sixteen rows start their emulators and commands at once on two
    // cores, and a request then waited over a second to be read by an emulator under that load.
    const QUICK: &[&str] = &["--timeout", "2", "token", "--force"];
    let ok = |fault, faults, cause, fix, requests| Case {
        fault,
        clock_offset_secs: 0,
        faults,
        console: Console::AsSetUp,
        command: TOKEN,
        code: 1,
        cause,
        fix,
        requests,
    };
    vec![
        ok(
            "5xx",
            three(status(
                503,
                r#"{"error":"server_error","error_description":"Service unavailable"}"#,
                Some("0"),
            )),
            &["server_error (HTTP 503)", "x-debug-id: "],
            &["try again later", "quote the x-debug-id"],
            3,
        ),
        ok(
            "429 with Retry-After",
            three(status(429, r#"{"error":"too_many_requests"}"#, Some("1"))),
            &["HTTP 429", "too many requests", "asked to wait 1 s"],
            &["wait", "cached token"],
            3,
        ),
        // The wait asked for does not fit in the 60 s budget: no early retry, and the time to try again.
        ok(
            "429 asking to wait past the budget",
            vec![status(429, r#"{"error":"too_many_requests"}"#, Some("120"))],
            &["HTTP 429", "asked to wait 120 s", "(1 attempt)"],
            &["try again in 120 s (after 20", "cached token"],
            1,
        ),
        ok(
            "429 without Retry-After",
            three(status(429, "", None)),
            &["HTTP 429", "too many requests"],
            &["wait a minute", "cached token"],
            3,
        ),
        ok(
            "HTML page",
            three(Fault::Html),
            &["HTTP 502", "an HTML page", "text/html"],
            &["proxy", "--ims-url"],
            3,
        ),
        ok(
            "non-JSON body",
            vec![Fault::NonJson],
            &["HTTP 200", "not JSON", "text/plain"],
            &["proxy", "--ims-url"],
            1,
        ),
        ok(
            "truncated body",
            three(Fault::Truncated),
            &["cannot reach IMS", "cut off", "3 attempts"],
            &["check the network"],
            3,
        ),
        ok(
            "connection reset",
            three(Fault::Reset),
            &["cannot reach IMS", "reset", "3 attempts"],
            &["check the network"],
            3,
        ),
        Case {
            command: QUICK,
            ..ok(
                "never answers",
                three(Fault::Hang),
                &["no answer within 2 s", "3 attempts"],
                &["raise --timeout"],
                3,
            )
        },
        Case {
            command: QUICK,
            ..ok(
                "slow trickle",
                three(Fault::Trickle { bytes_per_sec: 100 }),
                &["no answer within 2 s", "3 attempts"],
                &["raise --timeout"],
                3,
            )
        },
        Case {
            console: Console::OtherSecret,
            ..ok(
                "wrong client secret",
                vec![],
                &[
                    "invalid_client (HTTP 401)",
                    "invalid client_secret parameter",
                ],
                &["Credentials tab", "init --client-secret-stdin"],
                1,
            )
        },
        Case {
            console: Console::Unknown,
            ..ok(
                "unknown client ID",
                vec![],
                &["invalid_client (HTTP 400)", "invalid client_id parameter"],
                &["IMS does not know client ID", "--ims-url"],
                1,
            )
        },
        Case {
            console: Console::OtherCertificate,
            ..ok(
                "uploaded certificate is not the key's",
                vec![],
                &["invalid_token", "Could not match JWT signature"],
                &["upload", "places_integration_test_public.crt"],
                1,
            )
        },
        Case {
            command: &[
                "init",
                "--private-key",
                "{key}",
                "--certificate",
                "{other_cert}",
            ],
            ..ok(
                "certificate given does not match the key",
                vec![],
                &["other_public.crt does not belong to", "public keys differ"],
                &["made together with this key"],
                0,
            )
        },
        Case {
            clock_offset_secs: 3600,
            ..ok(
                "expired JWT (clock skew)",
                vec![],
                &["invalid_token", "JWT token has expired"],
                &["clock", "IMS's Date header", CLOCK_COMMAND],
                1,
            )
        },
        Case {
            console: Console::OtherMetascope,
            ..ok(
                "metascope not in the binding",
                vec![],
                &["invalid_scope", "not a subset of the metascopes"],
                &["ent_places_sdk", "product profile"],
                1,
            )
        },
    ]
}

/// The IMS `Date` quoted in a clock-skew hint, as seconds since the epoch.
fn quoted_server_date(stderr: &str) -> Option<u64> {
    let start = stderr.find("IMS's Date header: ")? + "IMS's Date header: ".len();
    let date = &stderr[start..start + stderr[start..].find(';')?];
    // "Tue, 14 Nov 2023 22:13:20 GMT" -> 2023-11-14T22:13:20Z
    let [_, day, month, year, time, "GMT"] = date.split_whitespace().collect::<Vec<_>>()[..] else {
        return None;
    };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| *m == month)? + 1;
    let text = format!("{year}-{month:02}-{day}T{time}Z");
    let at = humantime::parse_rfc3339(&text).ok()?;
    Some(at.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs())
}

/// Copies a folder with its files' modes, as the state every row starts from.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::set_permissions(to, std::fs::metadata(from).unwrap().permissions()).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The state every row starts from.
struct Base {
    config_dir: PathBuf,
    key: PathBuf,
    certificate: PathBuf,
    other_cert: PathBuf,
}

/// Runs one row; returns its line of the table, and what went wrong if anything did.
fn run_case(base: &Base, case: Case) -> (String, Option<String>) {
    let Base {
        key,
        certificate,
        other_cert,
        ..
    } = base;
    // Each row: a copy of that state, and its own IMS carrying the fault.
    let home = Home::with(EmulatorConfig {
        clock_offset_secs: case.clock_offset_secs,
        ..EmulatorConfig::default()
    });
    copy_dir(&base.config_dir, &home.config_dir());
    let before = snapshot(&home.config_dir(), &[]);
    assert!(
        before.keys().any(|p| p.ends_with("token.json")),
        "a cached token to protect"
    );
    let ims = &home.emulator;
    let mut integration: JwtIntegration = home.integration(certificate);
    match case.console {
        Console::AsSetUp | Console::Unknown => {}
        Console::OtherSecret => integration.client_secret = "p8e-regenerated".into(),
        Console::OtherCertificate => {
            integration.certificates_pem = vec![std::fs::read_to_string(other_cert).unwrap()]
        }
        Console::OtherMetascope => integration.metascopes = vec!["ent_other_sdk".into()],
    }
    if !matches!(case.console, Console::Unknown) {
        ims.add_jwt_integration(integration);
    }
    ims.push_faults(case.faults.clone());

    let args: Vec<String> = case
        .command
        .iter()
        .map(|a| {
            a.replace("{key}", key.to_str().unwrap())
                .replace("{other_cert}", other_cert.to_str().unwrap())
        })
        .collect();
    let started = std::time::Instant::now();
    let run = home.call(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let took = started.elapsed();

    let mut problems = Vec::new();
    if run.code != case.code {
        problems.push(format!("exit {} (expected {})", run.code, case.code));
    }
    if !run.stderr.starts_with("error: ") {
        problems.push("stderr does not start with one error line".into());
    }
    if run.stderr.contains("panicked") || run.code == 101 {
        problems.push("panicked".into());
    }
    if !run.stdout.is_empty() {
        problems.push(format!("stdout is not empty: {:?}", run.stdout));
    }
    for text in case.cause.iter().chain(case.fix) {
        if !run.stderr.contains(text) {
            problems.push(format!("stderr lacks {text:?}"));
        }
    }
    if ims.request_count() != case.requests {
        problems.push(format!(
            "{} requests (expected {})",
            ims.request_count(),
            case.requests
        ));
    }
    let changed = changed(&before, &snapshot(&home.config_dir(), &[]));
    if !changed.is_empty() {
        problems.push(format!("the config folder changed: {}", changed.join(", ")));
    }
    if case.clock_offset_secs != 0 {
        // The hint quotes IMS's own clock, which runs ahead of this machine's by the offset.
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        match quoted_server_date(&run.stderr) {
            Some(server) if server.abs_diff(now + case.clock_offset_secs as u64) <= 60 => {}
            other => problems.push(format!("server Date not shown right: {other:?}")),
        }
    }
    let first_line = run.stderr.lines().next().unwrap_or("").to_string();
    let row = format!(
        "| {} | {} | {} | {:.1} s | {} |",
        case.fault,
        run.code,
        ims.request_count(),
        took.as_secs_f64(),
        first_line.replace('|', "/")
    );
    let failure = (!problems.is_empty()).then(|| {
        format!(
            "{}: {}\nstderr:\n{}",
            case.fault,
            problems.join("; "),
            run.stderr
        )
    });
    (row, failure)
}

#[test]
fn fault_matrix() {
    // The state after the guide's steps and one `token`, made once: keys, profile, secret, cached token.
    let base = Home::new();
    let (key, certificate) = base.jwt_profile();
    base.run(&["token"]).ok();
    let (_, other_cert) = base.make_keys("other");

    // Rows are independent, and most of their time is spent waiting (retries, timeouts): run them side by side.
    let base = Base {
        config_dir: base.config_dir(),
        key,
        certificate,
        other_cert,
    };
    let results: Vec<(String, Option<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = table()
            .into_iter()
            .map(|case| scope.spawn(|| run_case(&base, case)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (rows, failures): (Vec<String>, Vec<Option<String>>) = results.into_iter().unzip();
    let failures: Vec<String> = failures.into_iter().flatten().collect();
    eprintln!("| fault | exit | requests | took | message |\n|---|---|---|---|---|");
    for row in &rows {
        eprintln!("{row}");
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// The row kind of a fault. The match names every variant and has no catch-all: a new kind of
/// Fault does not compile until it is given a kind here, and then the test below wants its row.
fn kind(fault: &Fault) -> usize {
    match fault {
        Fault::Status { .. } => 0,
        Fault::Html => 1,
        Fault::NonJson => 2,
        Fault::Truncated => 3,
        Fault::Reset => 4,
        Fault::Hang => 5,
        Fault::Trickle { .. } => 6,
    }
}

/// One of each kind, in the order of `kind`.
fn one_of_each() -> Vec<Fault> {
    vec![
        status(500, "{}", None),
        Fault::Html,
        Fault::NonJson,
        Fault::Truncated,
        Fault::Reset,
        Fault::Hang,
        Fault::Trickle { bytes_per_sec: 1 },
    ]
}

#[test]
fn the_matrix_covers_every_fault_the_emulator_can_serve() {
    let kinds: Vec<usize> = one_of_each().iter().map(kind).collect();
    assert_eq!(
        kinds,
        (0..kinds.len()).collect::<Vec<_>>(),
        "one_of_each is in the order of kind"
    );
    let served: std::collections::BTreeSet<usize> = table()
        .iter()
        .flat_map(|c| c.faults.iter().map(kind))
        .collect();
    for fault in one_of_each() {
        assert!(served.contains(&kind(&fault)), "no row serves {fault:?}");
    }
}
