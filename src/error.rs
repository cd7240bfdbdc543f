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
    /// Nothing to print: the person already saw why (the wizard was interrupted or terminated);
    /// the exit code says how it ended.
    Silent(i32),
}

/// A failure with a message (what failed, naming the value or file) and an optional hint (the fix).
///
/// Messages and hints are built from non-secret parts only, so an `Error` can always be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    /// For a value that was refused: which field and what is wrong, as data, so that a form can
    /// show the problem beside the field without reading it back out of `message`.
    pub invalid: Option<Invalid>,
    /// A server that could not be reached, and how: the fix differs (a longer wait, or an address
    /// where something listens), and a face says it in its own words without parsing `message`.
    pub unreachable: Option<Unreachable>,
}

/// How a server could not be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// Nothing accepts connections at the address (refused at once).
    Refused,
    /// No answer within the time allowed.
    TimedOut,
    /// Anything else on the way: DNS, a reset, a proxy.
    Other,
}

/// What is wrong with a value a person gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field in the person's words: "org ID", "--places-url".
    pub field: String,
    /// What is wrong, without the field's name: "it is empty".
    pub problem: String,
    /// The value is not of the field's shape at all (rather than a slip named precisely, such as a
    /// trailing comma): a form says which shape it expects instead of echoing the value.
    pub wrong_shape: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Failure,
            message: message.into(),
            hint: None,
            invalid: None,
            unreachable: None,
        }
    }

    /// A malformed value: names the field, says what is wrong with it and how to fix it.
    pub fn invalid(field: &str, problem: impl fmt::Display, fix: impl Into<String>) -> Self {
        let problem = problem.to_string();
        Error {
            kind: Kind::Usage,
            message: format!("{field}: {problem}"),
            hint: Some(fix.into()),
            invalid: Some(Invalid {
                field: field.to_string(),
                problem,
                wrong_shape: false,
            }),
            unreachable: None,
        }
    }

    /// A value not of the field's shape at all (see `Invalid::wrong_shape`).
    pub fn wrong_shape(field: &str, problem: impl fmt::Display, fix: impl Into<String>) -> Self {
        let mut e = Error::invalid(field, problem, fix);
        if let Some(invalid) = &mut e.invalid {
            invalid.wrong_shape = true;
        }
        e
    }

    /// What is wrong, without the field's name when the error is about a field: what a form
    /// shows beside the field, whose label is already there.
    pub fn problem(&self) -> &str {
        self.invalid
            .as_ref()
            .map_or(self.message.as_str(), |i| i.problem.as_str())
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            ..Error::new(message)
        }
    }

    /// A file operation failed; `action` is a verb phrase such as "read" or "write".
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        // By kind, not errno: tempfile wraps the OS error (to add its own path), keeping only the kind.
        let hint = match err.kind() {
            ErrorKind::PermissionDenied => {
                Some(format!("check the permissions of {}", path.display()))
            }
            ErrorKind::NotFound => Some(format!("check that {} exists", path.display())),
            ErrorKind::StorageFull => {
                Some("the disk is full: free some space and try again".to_string())
            }
            ErrorKind::ReadOnlyFilesystem => {
                Some("the file system is read-only: choose another --config-dir".to_string())
            }
            _ => None,
        };
        // tempfile's wrapping also appends `at path "/dir/.name.XXXXXX.tmp"`: noise next to `path`.
        let text = err.to_string();
        let text = text.split(" at path \"").next().unwrap_or_default();
        Error {
            kind: Kind::Failure,
            message: format!("cannot {action} {}: {text}", path.display()),
            hint,
            invalid: None,
            unreachable: None,
        }
    }

    /// Ends the program with `code` and no message (130 after Ctrl-C, 143 after SIGTERM…).
    pub fn silent(code: i32) -> Self {
        Error {
            kind: Kind::Silent(code),
            message: String::new(),
            hint: None,
            invalid: None,
            unreachable: None,
        }
    }

    pub fn with_unreachable(mut self, how: Unreachable) -> Self {
        self.unreachable = Some(how);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Failure => 1,
            Kind::Silent(code) => code,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_wrapped_by_tempfile_keep_their_hint() {
        // Found by tests/disk.rs: a full or read-only disk lost its hint, and the message named
        // the temporary file, once tempfile had wrapped the OS error.
        let dir = tempfile::tempdir().unwrap();
        let wrapped = tempfile::NamedTempFile::new_in(dir.path().join("missing")).unwrap_err();
        assert!(wrapped.raw_os_error().is_none() && wrapped.to_string().contains(" at path "));
        let e = Error::io("write", Path::new("/c/config.toml"), &wrapped);
        assert_eq!(
            e.message,
            "cannot write /c/config.toml: No such file or directory (os error 2)"
        );
        for (os, hint) in [(28, "the disk is full"), (30, "read-only")] {
            let raw = std::io::Error::from_raw_os_error(os);
            let wrapped = std::io::Error::new(raw.kind(), format!("{raw} at path \"/c/.x.tmp\""));
            let e = Error::io("write", Path::new("/c/config.toml"), &wrapped);
            assert!(e.hint.unwrap().contains(hint), "{os}");
            assert!(!e.message.contains(".x.tmp"), "{}", e.message);
        }
    }
}
