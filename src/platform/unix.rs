//! Unix: files only their owner can read, folders only their owner can enter, and whether a
//! folder can be trusted to hold the configuration — checked on an open handle, and every folder
//! above it as OpenSSH's StrictModes checks the folders above `~/.ssh`.
use std::ffi::CString;
use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Secrets may be kept in 0600 files: the modes protect them.
pub fn secret_files_refused() -> Option<&'static str> {
    None
}

/// Creates `dir` (and missing parents) with mode 0700.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Sets the permission bits exactly (the umask may have narrowed what a create asked for).
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    std::fs::set_permissions(path, Permissions::from_mode(mode))
}

/// The permission bits.
pub fn mode(meta: &Metadata) -> Option<u32> {
    Some(meta.permissions().mode() & 0o7777)
}

/// The owner's user ID.
pub fn owner(meta: &Metadata) -> Option<u32> {
    Some(meta.uid())
}

/// A file opened for reading, non-blocking, so that even opening a FIFO returns at once (the
/// caller checks it is a regular file before reading).
pub fn open_to_read(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// A lock file, opened (created 0600 if missing) for reading and writing; a symbolic link there
/// is refused.
pub fn open_lock(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// A log to append to, created 0600 if missing; a symbolic link there is refused, so the lines
/// never land in a file someone else chose.
pub fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// What a file that is not a regular file is, in words.
pub fn kind(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// A temporary folder only its owner can list or enter (0700), for the demo's secrets.
pub fn private_temp_dir(prefix: &str) -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(prefix)
        .permissions(Permissions::from_mode(0o700))
        .tempdir()
}

/// An open folder: what is inside it is opened relative to it, so that another user who can
/// rename things in a folder above cannot swap what is read between a check and an open.
#[derive(Debug)]
pub struct Folder {
    handle: File,
}

fn not_found(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound
}

impl Folder {
    /// The folder at `path`, `None` if there is none. A final symbolic link is not followed, but
    /// for one to a folder (a dotfile manager links `~/.config`): then the folder it names is
    /// opened, and its owner is what `metadata` shows, so a link to another user's folder is
    /// refused by the same check as that folder itself.
    pub fn open(path: &Path) -> io::Result<Option<Folder>> {
        let open = |flags: i32| {
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC | flags)
                .open(path)
        };
        let handle = match open(libc::O_NOFOLLOW) {
            // With O_DIRECTORY, Linux refuses a link as "not a directory" rather than ELOOP.
            Err(e)
                if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR))
                    && std::fs::symlink_metadata(path)
                        .is_ok_and(|m| m.file_type().is_symlink()) =>
            {
                open(0)
            }
            other => other,
        };
        match handle {
            Ok(handle) => Ok(Some(Folder { handle })),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Owner and mode of the folder itself, read from the handle.
    pub fn metadata(&self) -> io::Result<Metadata> {
        self.handle.metadata()
    }

    fn open_at(&self, name: &str, flags: i32) -> io::Result<Option<File>> {
        // One name, never a path: nothing but this folder's own entry is reached.
        if name.contains('/') || name == ".." {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not one name"));
        }
        let c_name = CString::new(Path::new(name).as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in a name"))?;
        // SAFETY: the folder's descriptor is open for as long as `self` lives, the name is a
        // NUL-terminated string, and a descriptor returned is owned by nothing else.
        let fd = unsafe {
            libc::openat(
                self.handle.as_raw_fd(),
                c_name.as_ptr(),
                flags | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let e = io::Error::last_os_error();
            return if not_found(&e) { Ok(None) } else { Err(e) };
        }
        // SAFETY: `fd` was just returned by openat and is owned here alone.
        Ok(Some(unsafe { File::from_raw_fd(fd) }))
    }

    /// The folder `name` inside this one, never through a symbolic link.
    pub fn folder(&self, name: &str) -> io::Result<Option<Folder>> {
        match self.open_at(name, libc::O_RDONLY | libc::O_DIRECTORY) {
            Ok(handle) => Ok(handle.map(|handle| Folder { handle })),
            Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) && self.is_link(name) => {
                Err(io::Error::from_raw_os_error(libc::ELOOP))
            }
            Err(e) => Err(e),
        }
    }

    fn is_link(&self, name: &str) -> bool {
        let Ok(c_name) = CString::new(Path::new(name).as_os_str().as_bytes()) else {
            return false;
        };
        let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: the descriptor is open, the name NUL-terminated, and `stat` is written by
        // fstatat before it is read (only when it returns 0).
        let found = unsafe {
            libc::fstatat(
                self.handle.as_raw_fd(),
                c_name.as_ptr(),
                stat.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        } == 0;
        // SAFETY: fstatat returned 0, so it filled `stat`.
        found && (unsafe { stat.assume_init() }.st_mode & libc::S_IFMT) == libc::S_IFLNK
    }

    /// The file `name` inside this one, for reading, never through a symbolic link (an error,
    /// "too many levels of symbolic links", when it is one). Opened non-blocking, so that a FIFO
    /// cannot hold the open; the caller checks it is a regular file.
    pub fn file(&self, name: &str) -> io::Result<Option<File>> {
        self.open_at(name, libc::O_RDONLY | libc::O_NONBLOCK)
    }
}

/// This process's effective user.
pub fn user() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The first folder above `dir`, up to and including the home folder (or `/` for a folder
/// outside it), that another user could change — not owned by this user or root, or writable by
/// group or others without the sticky bit — as OpenSSH's StrictModes judges the folders above
/// `~/.ssh`: whoever can rename entries there can swap the config folder for one of their own.
/// Returns the folder, its mode and its owner.
pub fn changeable_folder_above(dir: &Path, home: Option<&Path>) -> Option<(PathBuf, u32, u32)> {
    let dir = std::path::absolute(dir).ok()?;
    let home = home.and_then(|h| std::fs::canonicalize(h).ok());
    let me = user();
    let mut above = std::fs::canonicalize(dir.parent()?).ok()?;
    loop {
        let meta = std::fs::metadata(&above).ok()?;
        let mode = meta.mode();
        let owner_ok = meta.uid() == me || meta.uid() == 0;
        let sticky = mode & libc::S_ISVTX != 0;
        if !owner_ok || (mode & 0o022 != 0 && !sticky) {
            return Some((above, mode & 0o7777, meta.uid()));
        }
        if home.as_deref() == Some(above.as_path()) || !above.pop() {
            return None;
        }
    }
}

/// Whether an open failed because the name is a symbolic link that was not followed (ELOOP; a
/// folder opened with O_DIRECTORY answers ENOTDIR for one, which `Folder::folder` turns into
/// ELOOP).
pub fn is_link_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}
