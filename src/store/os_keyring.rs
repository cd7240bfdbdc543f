//! The operating system's keyring — Secret Service over D-Bus on Linux and the BSDs, Keychain on
//! macOS, Credential Manager on Windows — reached through the `keyring` crate.
//!
//! Every call runs on a thread of its own and is given up after a time limit: a D-Bus socket that
//! accepts but never answers, or a keyring waiting on an unlock prompt nobody sees, must not hang
//! a command. A call given up keeps its thread blocked until the process ends, which is soon.
use secrecy::{ExposeSecret, SecretString};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the keyring has to answer the probe before files are used instead.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long one read, write or removal may take once the keyring is known to answer. Longer
/// than the probe: a locked keyring shows an unlock prompt and a person needs time to type.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The service name every entry is filed under (the "Where" of Keychain Access, an attribute in
/// Seahorse).
pub const SERVICE: &str = "places-setup";

/// Why a keyring call did not give an answer. Never holds a secret: keyring errors that carry
/// the stored bytes are described, not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing answered within the time limit.
    TimedOut(Duration),
    /// There is no keyring to talk to (no D-Bus session, no Secret Service provider, …).
    Unavailable(String),
    /// The keyring answered, and refused or failed.
    Refused(String),
}

impl Failure {
    pub fn describe(&self) -> String {
        match self {
            Failure::TimedOut(limit) => {
                format!("it did not answer within {} seconds", limit.as_secs())
            }
            Failure::Unavailable(reason) | Failure::Refused(reason) => reason.clone(),
        }
    }
}

/// Runs `job` on its own thread and waits at most `limit` for its answer.
fn bounded<T: Send + 'static>(
    limit: Duration,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Failure> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            // The receiver is gone if the wait timed out; the answer is then dropped.
            let _ = sender.send(job());
        })
        .map_err(|e| Failure::Unavailable(format!("cannot start a thread for it: {e}")))?;
    receiver
        .recv_timeout(limit)
        .map_err(|_| Failure::TimedOut(limit))
}

fn failure(error: keyring::Error) -> Failure {
    use keyring::Error as E;
    match error {
        E::NoDefaultStore => match keyring::Entry::store_status() {
            Err(e) => Failure::Unavailable(store_problem(e)),
            Ok(()) => Failure::Unavailable("no keyring service is set up".into()),
        },
        E::NoStorageAccess(e) => {
            Failure::Refused(format!("it refused access (is it locked?): {e}"))
        }
        E::PlatformFailure(e) => Failure::Unavailable(platform_problem(&e.to_string())),
        // These two carry the stored bytes: describe them without formatting the data.
        E::BadEncoding(_) => Failure::Refused("the saved value is not UTF-8 text".into()),
        E::BadDataFormat(..) => Failure::Refused("the saved value is malformed".into()),
        other => Failure::Refused(other.to_string()),
    }
}

fn store_problem(error: &keyring::Error) -> String {
    match error {
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
            platform_problem(&e.to_string())
        }
        other => other.to_string(),
    }
}

/// A platform error as one sentence: the D-Bus library's own words (an address, an errno, a
/// D-Bus error name) say nothing to someone who asked for "the keyring".
fn platform_problem(text: &str) -> String {
    if text.contains("Failed to connect") || text.contains("connect to address") {
        "no D-Bus session bus answered".to_string()
    } else if text.contains("ServiceUnknown") || text.contains("org.freedesktop.secrets") {
        "no Secret Service runs in this D-Bus session".to_string()
    } else {
        let text = text.trim_start_matches("zbus error: ");
        text.lines().next().unwrap_or_default().to_string()
    }
}

/// Checks that a keyring answers: connects (once per process), then reads an entry that does not
/// exist. Touches no collection, so it never brings up an unlock prompt. Returns how long it took.
pub fn probe(limit: Duration) -> Result<Duration, Failure> {
    let started = Instant::now();
    let answer = bounded(limit, || {
        keyring::Entry::store_status()
            .as_ref()
            .map_err(|e| Failure::Unavailable(store_problem(e)))?;
        let entry = keyring::Entry::new(SERVICE, "probe").map_err(failure)?;
        match entry.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(e)),
        }
    })?;
    answer.map(|()| started.elapsed())
}

/// The secret saved under `account`, if any.
pub fn get(account: &str) -> Result<Option<SecretString>, Failure> {
    let account = account.to_string();
    bounded(CALL_TIMEOUT, move || {
        let entry = keyring::Entry::new(SERVICE, &account).map_err(failure)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(failure(e)),
        }
    })?
}

/// Saves `value` under `account`, replacing what was there.
pub fn set(account: &str, value: &SecretString) -> Result<(), Failure> {
    let account = account.to_string();
    let value = value.clone();
    bounded(CALL_TIMEOUT, move || {
        let entry = keyring::Entry::new(SERVICE, &account).map_err(failure)?;
        entry.set_password(value.expose_secret()).map_err(failure)
    })?
}

/// Removes the entry; an entry that is not there is not an error.
pub fn delete(account: &str) -> Result<(), Failure> {
    let account = account.to_string();
    bounded(CALL_TIMEOUT, move || {
        let entry = keyring::Entry::new(SERVICE, &account).map_err(failure)?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(e)),
        }
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_that_never_returns_is_given_up() {
        let started = Instant::now();
        let answer = bounded(Duration::from_millis(200), || {
            std::thread::sleep(Duration::from_secs(60));
        });
        assert_eq!(answer, Err(Failure::TimedOut(Duration::from_millis(200))));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(bounded(Duration::from_secs(5), || 7), Ok(7));
    }

    #[test]
    fn a_keyring_that_does_not_answer_is_one_sentence() {
        for (raw, said) in [
            (
                "zbus error: Failed to connect to address `unix:path=/run/user/0/bus`: No such file or directory (os error 2)",
                "no D-Bus session bus answered",
            ),
            (
                "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files",
                "no Secret Service runs in this D-Bus session",
            ),
            ("zbus error: something else\nand more", "something else"),
        ] {
            assert_eq!(platform_problem(raw), said);
        }
    }

    #[test]
    fn errors_holding_the_stored_bytes_do_not_show_them() {
        let described = failure(keyring::Error::BadEncoding(b"hunter2\xff".to_vec())).describe();
        assert!(!described.contains("hunter2"), "{described}");
        assert!(
            !described.contains("104"),
            "no byte values either: {described}"
        );
    }
}
