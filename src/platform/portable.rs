//! Files and their protection with the standard library alone: what Windows uses, compiled and
//! tested on every system so that the code that cannot be built here stays small (windows.rs).
//! There are no Unix modes or owners to check: the config folder lives in the user's profile
//! (`%APPDATA%`), whose ACL admits the user, SYSTEM and Administrators only, and secrets go to
//! Credential Manager, never to files (`secret_files_refused`). Symbolic links are refused by a
//! check before each open, which, unlike `openat(O_NOFOLLOW)`, a racing rename could beat: one
//! more reason to keep secrets out of files here.
#![cfg_attr(unix, allow(dead_code))]
use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The marker of an open refused because the name is a symbolic link.
#[derive(Debug)]
struct LinkRefused;

impl std::fmt::Display for LinkRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a symbolic link, not followed")
    }
}

impl std::error::Error for LinkRefused {}

fn link_refused() -> io::Error {
    io::Error::other(LinkRefused)
}

/// Whether an open failed because the name is a symbolic link that was not followed.
pub fn is_link_refused(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LinkRefused>())
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// An open folder (here, its path: there is no `openat`).
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
    meta: Metadata,
}

impl Folder {
    /// The folder at `path`, `None` if there is none; a link to a folder is followed.
    pub fn open(path: &Path) -> io::Result<Option<Folder>> {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Ok(Some(Folder {
                path: path.to_path_buf(),
                meta,
            })),
            Ok(_) => Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn metadata(&self) -> io::Result<Metadata> {
        Ok(self.meta.clone())
    }

    fn entry(&self, name: &str) -> io::Result<PathBuf> {
        if name.contains(['/', '\\']) || name == ".." {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not one name"));
        }
        let path = self.path.join(name);
        if is_link(&path) {
            return Err(link_refused());
        }
        Ok(path)
    }

    /// The folder `name` inside this one, never through a symbolic link.
    pub fn folder(&self, name: &str) -> io::Result<Option<Folder>> {
        let path = self.entry(name)?;
        Folder::open(&path)
    }

    /// The file `name` inside this one, for reading, never through a symbolic link.
    pub fn file(&self, name: &str) -> io::Result<Option<File>> {
        let path = self.entry(name)?;
        match File::open(&path) {
            Ok(file) => Ok(Some(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// No user IDs here.
pub fn user() -> u32 {
    0
}

/// No Unix modes to judge the folders above by.
pub fn changeable_folder_above(_dir: &Path, _home: Option<&Path>) -> Option<(PathBuf, u32, u32)> {
    None
}

/// Creates `dir` and its missing parents, with the protection their parent gives.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Unix permission bits mean nothing here.
pub fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

pub fn mode(_meta: &Metadata) -> Option<u32> {
    None
}

pub fn owner(_meta: &Metadata) -> Option<u32> {
    None
}

/// A file opened for reading (no FIFOs to fear here).
pub fn open_to_read(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// A lock file, opened (created if missing) for reading and writing; never through a link.
pub fn open_lock(path: &Path) -> io::Result<File> {
    if is_link(path) {
        return Err(link_refused());
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// A log to append to, created if missing; never through a link.
pub fn open_append(path: &Path) -> io::Result<File> {
    if is_link(path) {
        return Err(link_refused());
    }
    OpenOptions::new().append(true).create(true).open(path)
}

/// What a file that is not a regular file is, in words.
pub fn kind(meta: &Metadata) -> &'static str {
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// A temporary folder for the demo.
pub fn private_temp_dir(prefix: &str) -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix(prefix).tempdir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_refused_and_files_read() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/f"), b"x").unwrap();
        let folder = Folder::open(dir.path()).unwrap().unwrap();
        let sub = folder.folder("sub").unwrap().unwrap();
        assert!(sub.file("f").unwrap().is_some());
        assert!(sub.file("none").unwrap().is_none());
        assert!(folder.folder("none").unwrap().is_none());
        assert!(folder.file("../x").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("sub/f"), dir.path().join("link")).unwrap();
            let e = folder.file("link").unwrap_err();
            assert!(is_link_refused(&e), "{e}");
            std::os::unix::fs::symlink(dir.path().join("sub/f"), dir.path().join("lock")).unwrap();
            assert!(is_link_refused(
                &open_lock(&dir.path().join("lock")).unwrap_err()
            ));
            assert!(is_link_refused(
                &open_append(&dir.path().join("lock")).unwrap_err()
            ));
        }
        assert!(Folder::open(&dir.path().join("none")).unwrap().is_none());
        assert!(Folder::open(&dir.path().join("sub/f")).is_err());
    }

    #[test]
    fn no_modes_no_owners_nothing_above() {
        let dir = tempfile::tempdir().unwrap();
        let meta = fs::metadata(dir.path()).unwrap();
        assert_eq!((mode(&meta), owner(&meta)), (None, None));
        assert_eq!(changeable_folder_above(dir.path(), None), None);
        assert_eq!(kind(&meta), "a folder");
        create_private_dir(&dir.path().join("a/b")).unwrap();
        assert!(dir.path().join("a/b").is_dir());
        let log = dir.path().join("log");
        use std::io::Write;
        open_append(&log).unwrap().write_all(b"1").unwrap();
        open_append(&log).unwrap().write_all(b"2").unwrap();
        assert_eq!(fs::read(&log).unwrap(), b"12");
        assert!(private_temp_dir("p.").unwrap().path().is_dir());
    }
}
