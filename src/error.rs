//! One error type for the whole tool: what failed, and what the person can do next.
use std::fmt;
use std::path::Path;

/// How a failure maps onto the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command line or a value given on it is wrong: exit code 2.
    Usage,
    /// Everything else: exit code 1.
    Failure,
}

/// A failure with a message (what failed, naming the value or file) and an optional hint (the fix).
///
/// Messages and hints are built from non-secret parts only, so an `Error` can always be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Failure,
            message: message.into(),
            hint: None,
        }
    }

    /// A malformed value: names the field, says what is wrong with it and how to fix it.
    pub fn invalid(field: &str, problem: impl fmt::Display, fix: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            message: format!("{field}: {problem}"),
            hint: Some(fix.into()),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            ..Error::new(message)
        }
    }

    /// A file operation failed; `action` is a verb phrase such as "read" or "write".
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::PermissionDenied => {
                Some(format!("check the permissions of {}", path.display()))
            }
            std::io::ErrorKind::NotFound => Some(format!("check that {} exists", path.display())),
            _ if err.raw_os_error() == Some(28) => {
                Some("the disk is full: free some space and try again".to_string())
            }
            _ if err.raw_os_error() == Some(30) => {
                Some("the file system is read-only: choose another --config-dir".to_string())
            }
            _ => None,
        };
        Error {
            kind: Kind::Failure,
            message: format!("cannot {action} {}: {err}", path.display()),
            hint,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Failure => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
