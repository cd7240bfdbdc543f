//! Every write goes to a temporary file in the same folder and is then renamed (or, for files
//! that must never be replaced, linked) into place, so a crash or a full disk leaves the old
//! file as it was.
use crate::error::{Error, Result};
use crate::platform::{self, Folder};
use std::fs;
use std::io::Read;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// The most of a config, secret or key file that is read: each is a few kilobytes.
pub const MAX_FILE: u64 = 1024 * 1024;

/// Creates `dir` (and missing parents) with mode 0700. An existing folder is left as it is.
pub fn create_dir_private(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    platform::create_private_dir(dir).map_err(|e| Error::io("create the folder", dir, &e))
}

/// Why a file was not read.
enum Unread {
    Missing,
    Io(std::io::Error),
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
    TooBig,
}

/// The bytes of the regular file at `path`, at most `cap` of them. A FIFO would block forever
/// and a device (`/dev/zero`) never ends: only a regular file is read, opened non-blocking so
/// that even opening a FIFO returns at once, and never more than `cap + 1` bytes of it.
fn read_capped(path: &Path, cap: u64) -> std::result::Result<Vec<u8>, Unread> {
    let file = match platform::open_to_read(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unread::Missing),
        Err(e) => return Err(Unread::Io(e)),
    };
    read_open(file, cap)
}

/// As `read_capped`, of a file already open.
fn read_open(file: fs::File, cap: u64) -> std::result::Result<Vec<u8>, Unread> {
    let meta = file.metadata().map_err(Unread::Io)?;
    if !meta.is_file() {
        return Err(Unread::NotRegular(platform::kind(&meta)));
    }
    if meta.len() > cap {
        return Err(Unread::TooBig);
    }
    let mut contents = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut contents)
        .map_err(Unread::Io)?;
    if contents.len() as u64 > cap {
        return Err(Unread::TooBig);
    }
    Ok(contents)
}

/// The contents of `path`, `None` if there is no such file: one of places-setup's own files,
/// read only if it is a regular file of at most `cap` bytes (see `read_capped`).
pub fn read_regular(path: &Path, cap: u64) -> Result<Option<Vec<u8>>> {
    explain_unread(path, cap, read_capped(path, cap))
}

/// As `read_regular`, of the file `name` in an open folder (`path` is where it is, for messages):
/// opened relative to the folder, never through a symbolic link, and read only if it is this
/// user's and writable by no one else (`what` names it in the error).
pub fn read_in(
    folder: &Folder,
    name: &str,
    path: &Path,
    cap: u64,
    what: &str,
) -> Result<Option<Vec<u8>>> {
    let file = match folder.file(name) {
        Ok(Some(file)) => file,
        Ok(None) => return Ok(None),
        Err(e) if crate::platform::is_link_refused(&e) => {
            // What the link points at, if that is no file at all, says more than the link does.
            if let Ok(target) = fs::metadata(path)
                && !target.is_file()
            {
                let what_it_is = match read_capped(path, 0) {
                    Err(Unread::NotRegular(kind)) => kind,
                    _ => "not a regular file",
                };
                return explain_unread(path, cap, Err(Unread::NotRegular(what_it_is)));
            }
            return Err(Error::new(format!(
                "{what} {} is a symbolic link; places-setup reads its own files only where they are",
                path.display()
            ))
            .with_hint(format!(
                "put the file itself there: cp --remove-destination \"$(readlink -f {p})\" {p}",
                p = quote(path)
            )));
        }
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let meta = file.metadata().map_err(|e| Error::io("read", path, &e))?;
    if meta.is_file() {
        trusted(&meta, path, what)?;
    }
    explain_unread(path, cap, read_open(file, cap))
}

fn explain_unread(
    path: &Path,
    cap: u64,
    read: std::result::Result<Vec<u8>, Unread>,
) -> Result<Option<Vec<u8>>> {
    let aside = || format!("mv {} {}.aside", quote(path), quote(path));
    match read {
        Ok(contents) => Ok(Some(contents)),
        Err(Unread::Missing) => Ok(None),
        Err(Unread::Io(e)) => Err(Error::io("read", path, &e)),
        Err(Unread::NotRegular(what)) => Err(Error::new(format!(
            "{} is {what}, not a regular file; it was not read",
            path.display()
        ))
        .with_hint(format!(
            "move it aside (places-setup writes a regular file there): {}",
            aside()
        ))),
        Err(Unread::TooBig) => Err(Error::new(format!(
            "{} is larger than {} KiB, the most places-setup reads; it was not read",
            path.display(),
            cap / 1024
        ))
        .with_hint(format!(
            "this is not a file places-setup wrote: check it, and move it aside if it does not belong there: {}",
            aside()
        ))),
    }
}

/// The contents of a file the person named (`flag` says where: `--console-json`, `SSL_CERT_FILE`),
/// read only if it is a regular file of at most `cap` bytes; anything else is an error naming
/// the flag, the file and the cap (exit status 1, as any file that cannot be read).
pub fn read_given(path: &Path, cap: u64, flag: &str) -> Result<Vec<u8>> {
    let shown = path.display();
    match read_capped(path, cap) {
        Ok(contents) => Ok(contents),
        Err(Unread::Missing) => Err(Error::new(format!("{flag}: {shown} does not exist"))
            .with_hint("check the path (a relative one is read from the current folder)")),
        Err(Unread::Io(e)) => Err(Error::io("read", path, &e)),
        Err(Unread::NotRegular(what)) => Err(Error::new(format!(
            "{flag}: {shown} is {what}, not a regular file; it was not read"
        ))
        .with_hint("give the path of a regular file")),
        Err(Unread::TooBig) => Err(Error::new(format!(
            "{flag}: {shown} is larger than {}, the most read for it; it was not read",
            size(cap)
        ))
        .with_hint("check that it is the file meant")),
    }
}

/// At most `cap` bytes from `reader` (standard input): an error naming `what` and the cap when
/// there are more, rather than reading a stream that may never end.
pub fn read_stream_capped(reader: &mut dyn Read, cap: u64, what: &str) -> Result<Vec<u8>> {
    let mut contents = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut contents)
        .map_err(|e| Error::new(format!("cannot read {what} from standard input: {e}")))?;
    if contents.len() as u64 > cap {
        return Err(Error::usage(format!(
            "{what}: standard input holds more than {}, the most read for it",
            size(cap)
        ))
        .with_hint("check what is piped in"));
    }
    Ok(contents)
}

/// `64 KiB`, `16 MiB`.
fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// As `read_regular`, as UTF-8 text.
pub fn read_regular_text(path: &Path, cap: u64) -> Result<Option<String>> {
    match read_regular(path, cap)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::new(format!("{} is not UTF-8 text", path.display())).with_hint(format!(
                "fix it by hand, or move it aside: mv {} {}.aside",
                quote(path),
                quote(path)
            ))
        }),
    }
}

/// A path single-quoted for a POSIX shell, for commands shown in hints.
pub fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Why a file or folder that holds or guards secrets cannot be trusted, as OpenSSH judges its own
/// (`~/.ssh`, keys): not owned by this user (or root), or writable by group or others. `None` when
/// it can be trusted.
pub fn untrusted(mode: u32, owner: u32, me: u32) -> Option<&'static str> {
    if owner != me && owner != 0 {
        Some("owner")
    } else if mode & 0o022 != 0 {
        Some("mode")
    } else {
        None
    }
}

/// An error, with the exact fix, when `path` (a config or profile folder, a secret or key file)
/// could be replaced or changed by another user; nothing when it does not exist. Another user able
/// to rewrite `config.toml` could point `ims_url` at their server and receive the client secret.
pub fn check_trusted(path: &Path, what: &str) -> Result<()> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("check", path, &e)),
    };
    if !meta.is_file() && !meta.is_dir() {
        // A FIFO or a device is refused by `read_regular`, for what it is.
        return Ok(());
    }
    trusted(&meta, path, what)
}

/// `check_trusted` of what is already open (its metadata read from the handle).
pub fn trusted(meta: &fs::Metadata, path: &Path, what: &str) -> Result<()> {
    // Where there are no Unix modes and owners (Windows), the folder's ACL is what protects it.
    let (Some(mode), Some(owner)) = (platform::mode(meta), platform::owner(meta)) else {
        return Ok(());
    };
    let me = platform::user();
    match untrusted(mode, owner, me) {
        Some("owner") => Err(Error::new(format!(
            "{what} {} belongs to user {}, not to you (user {me}): another user could change it, so it is not used",
            path.display(),
            owner
        ))
        .with_hint(format!(
            "if it is yours, run: sudo chown {me} {}; else move it aside and set up again",
            quote(path)
        ))),
        Some(_) => Err(Error::new(format!(
            "{what} {} can be changed by other users (mode {mode:o}), so it is not used",
            path.display()
        ))
        .with_hint(format!(
            "check that nothing in it was changed, then run: chmod go-w {}",
            quote(path)
        ))),
        None => Ok(()),
    }
}

/// An exclusive lock on a file, held until dropped (or the process ends, however it ends).
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
}

/// Takes the exclusive lock of `path` (created 0600 if missing; never removed, so that every
/// process locks the same file), waiting at most `wait` for another holder: `what` says, in an
/// error, what that other process is doing.
pub fn lock(path: &Path, wait: Duration, what: &str) -> Result<Lock> {
    let file = open_lock_file(path).map_err(|e| Error::io("open the lock file", path, &e))?;
    wait_for_lock(file, path, wait, what)
}

/// As `lock`, but `None` when the lock file cannot be made or opened (a read-only or full disk):
/// for work that is still worth doing unguarded, such as getting a token that then cannot be cached.
pub fn lock_if_possible(path: &Path, wait: Duration, what: &str) -> Result<Option<Lock>> {
    match open_lock_file(path) {
        Ok(file) => wait_for_lock(file, path, wait, what).map(Some),
        Err(_) => Ok(None),
    }
}

fn open_lock_file(path: &Path) -> std::io::Result<fs::File> {
    platform::open_lock(path)
}

fn wait_for_lock(file: fs::File, path: &Path, wait: Duration, what: &str) -> Result<Lock> {
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::new(format!(
                    "another places-setup is still {what}; gave up waiting after {} s",
                    wait.as_secs()
                ))
                .with_hint(format!(
                    "let it finish and try again (it holds the lock {})",
                    path.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io("lock", path, &e)),
        }
    }
}

/// Removes what writers killed mid-write left of `path`: temporaries of this module's own naming
/// (`.NAME.XXXXXX.tmp`), which may hold a whole secret. Callers hold the lock that guards `path`,
/// so no live writer's temporary is among them.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let middle = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"));
        // tempfile's random part: 6 alphanumeric characters.
        if middle.is_some_and(|m| m.len() == 6 && m.bytes().all(|b| b.is_ascii_alphanumeric()))
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn temp_file_with(
    path: &Path,
    contents: &[u8],
    mode: u32,
    durable: bool,
    suffix: &str,
) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_temporaries(dir, &name);
    // Made 0600 (tempfile's own mode on Unix), then given the mode asked for exactly.
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(suffix)
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a file in", dir, &e))?;
    platform::set_mode(file.path(), mode)
        .map_err(|e| Error::io("set the permissions of", file.path(), &e))?;
    file.write_all(contents)
        .and_then(|()| match durable {
            true => file.as_file().sync_all(),
            false => Ok(()),
        })
        .map_err(|e| Error::io("write", path, &e))?;
    Ok(file)
}

fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Best effort: the rename is already atomic; this only makes it durable sooner.
        if let Ok(dir) = fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

/// Opens `path` to append lines to, created 0600 if missing; a symbolic link there is refused, so
/// the lines never land in a file someone else chose.
pub fn open_log(path: &Path) -> Result<fs::File> {
    platform::open_append(path).map_err(|e| Error::io("open", path, &e))
}

/// Replaces `path` atomically with `contents`, created with `mode`.
pub fn write(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let file = temp_file_with(path, contents, mode, true, ".tmp")?;
    file.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    sync_parent(path);
    Ok(())
}

/// A file written in full beside `path` but not yet in its place: a save of several files stages
/// each, and puts them in place only once all are written (`Store::commit`, which keeps a journal
/// of the renames), so that a full or read-only disk stops the save before anything is replaced.
/// Dropped uncommitted, the temporary file is removed. Its name ends in `.staged`, never `.tmp`,
/// so that `remove_stale_temporaries` leaves it to the journal.
#[derive(Debug)]
pub struct Staged {
    file: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

/// What a staged file's temporary name ends with.
pub const STAGED_SUFFIX: &str = ".staged";

/// Writes `contents` (flushed to disk) to a temporary file beside `path`, to be put in place by
/// `Store::commit`.
pub fn stage(path: &Path, contents: &[u8], mode: u32) -> Result<Staged> {
    Ok(Staged {
        file: temp_file_with(path, contents, mode, true, STAGED_SUFFIX)?,
        path: path.to_path_buf(),
    })
}

impl Staged {
    /// Where the staged file is now, and where it goes.
    pub fn paths(&self) -> (&Path, &Path) {
        (self.file.path(), &self.path)
    }

    /// The staged file, kept on disk even when this is dropped (the journal names it now), and
    /// where it goes.
    pub fn keep(self) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
        let path = self.path;
        let temp = self
            .file
            .into_temp_path()
            .keep()
            .map_err(|e| Error::io("keep", &path, &e.error))?;
        Ok((temp, path))
    }
}

/// Renames `from` to `to` (one folder), then flushes the folder: a step of a journaled save.
pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::rename(from, to)?;
    sync_parent(to);
    Ok(())
}

/// Removes the staged files in `dir` that no journal names: left by a save killed before its
/// journal was written. Callers hold the config lock, under which every save stages its files.
pub fn remove_unjournaled_staged(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name
            .to_str()
            .is_some_and(|n| n.starts_with('.') && n.ends_with(STAGED_SUFFIX))
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// As `write`, but not flushed to disk: for a cache, which a crash may lose (it is then simply
/// missing or unreadable) but never leaves half-replaced. The two fsyncs cost a fresh token 0.3 to
/// 17 ms on a busy disk (bench/README.md).
pub fn write_cache(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let file = temp_file_with(path, contents, mode, false, ".tmp")?;
    file.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    Ok(())
}

/// Creates `path` with `contents` only if no file has that name; never replaces one.
pub fn create_new(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let file = temp_file_with(path, contents, mode, true, ".tmp")?;
    file.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::new(format!(
                "{} already exists; it was left as it was",
                path.display()
            ))
        } else {
            Error::io("create", path, &e.error)
        }
    })?;
    sync_parent(path);
    Ok(())
}

/// The permission bits of a file, if it can be read.
pub fn mode(path: &Path) -> Option<u32> {
    platform::mode(&fs::metadata(path).ok()?)
}

/// A warning when a file holding a secret can be read by other users.
pub fn exposure_warning(path: &Path, what: &str) -> Option<String> {
    let mode = mode(path)?;
    // Writable by others is an error of its own (`check_trusted`).
    if mode & 0o044 == 0 {
        return None;
    }
    let linked = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    Some(if linked {
        // chmod would change the file the link points at, which may be anyone's: not a fix to
        // hand out blindly.
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".to_string());
        format!(
            "{what} {} is a symbolic link to {target}, which can be read by other users (mode {mode:o}); keep it in a file only you can read",
            path.display(),
        )
    } else {
        format!(
            "{what} {} can be read by other users (mode {mode:o}); run: chmod 600 {}",
            path.display(),
            quote(path)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)] // Unix modes
    fn write_replaces_with_the_mode_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        write(&path, b"one", 0o600).unwrap();
        write(&path, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), Some(0o600));
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    #[cfg(unix)] // Unix modes
    fn write_cache_replaces_with_the_mode_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        write_cache(&path, b"one", 0o600).unwrap();
        write_cache(&path, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), Some(0o600));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn trusted_as_openssh_trusts() {
        assert_eq!(untrusted(0o700, 1000, 1000), None);
        assert_eq!(untrusted(0o755, 1000, 1000), None);
        assert_eq!(untrusted(0o600, 0, 1000), None, "root's own is fine");
        assert_eq!(untrusted(0o700, 1001, 1000), Some("owner"));
        assert_eq!(untrusted(0o770, 1000, 1000), Some("mode"));
        assert_eq!(untrusted(0o702, 1000, 1000), Some("mode"));
        assert_eq!(untrusted(0o1777, 1000, 1000), Some("mode"));
    }

    #[test]
    fn stale_temporaries_of_our_naming_go_on_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("client_secret");
        let stale = dir.path().join(".client_secret.aB3dE9.tmp");
        let other = dir.path().join(".client_secret.keep");
        let longer = dir.path().join(".client_secret.aB3dE9x.tmp");
        for p in [&stale, &other, &longer] {
            fs::write(p, b"s").unwrap();
        }
        write(&path, b"new", 0o600).unwrap();
        assert!(!stale.exists());
        assert!(other.exists() && longer.exists());
    }

    #[test]
    #[cfg(unix)] // Unix modes
    fn only_small_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"12345").unwrap();
        assert_eq!(read_regular(&file, 5).unwrap().unwrap(), b"12345");
        assert!(
            read_regular(&file, 4)
                .unwrap_err()
                .message
                .contains("larger than")
        );
        assert!(read_regular(&dir.path().join("none"), 4).unwrap().is_none());
        let err = read_regular(dir.path(), 4).unwrap_err();
        assert!(err.message.contains("is a folder"), "{err:?}");
        let err = read_regular(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.message.contains("is a device"), "{err:?}");
    }

    #[test]
    fn create_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        create_new(&path, b"first", 0o600).unwrap();
        let err = create_new(&path, b"second", 0o600).unwrap_err();
        assert!(err.message.contains("already exists"), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    #[cfg(unix)] // Unix modes
    fn private_folder_and_exposure() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        create_dir_private(&sub).unwrap();
        assert_eq!(mode(&sub), Some(0o700));
        let file = sub.join("f");
        write(&file, b"x", 0o644).unwrap();
        assert!(
            exposure_warning(&file, "secret file")
                .unwrap()
                .contains("chmod 600")
        );
        write(&file, b"x", 0o600).unwrap();
        assert!(exposure_warning(&file, "secret file").is_none());
    }
}
