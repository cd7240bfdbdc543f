//! Every write goes to a temporary file in the same folder and is then renamed (or, for files
//! that must never be replaced, linked) into place, so a crash or a full disk leaves the old
//! file as it was.
use crate::error::{Error, Result};
use std::fs::{self, Permissions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` (and missing parents) with mode 0700. An existing folder is left as it is.
pub fn create_dir_private(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::io("create the folder", dir, &e))
}

fn temp_file_with(
    path: &Path,
    contents: &[u8],
    mode: u32,
    durable: bool,
) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a file in", dir, &e))?;
    // The umask may have narrowed the mode asked for; set it exactly.
    fs::set_permissions(file.path(), Permissions::from_mode(mode))
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

/// Replaces `path` atomically with `contents`, created with `mode`.
pub fn write(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let file = temp_file_with(path, contents, mode, true)?;
    file.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    sync_parent(path);
    Ok(())
}

/// As `write`, but not flushed to disk: for a cache, which a crash may lose (it is then simply
/// missing or unreadable) but never leaves half-replaced. The two fsyncs cost a fresh token 0.3 to
/// 17 ms on a busy disk (bench/README.md).
pub fn write_cache(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let file = temp_file_with(path, contents, mode, false)?;
    file.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    Ok(())
}

/// Creates `path` with `contents` only if no file has that name; never replaces one.
pub fn create_new(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let file = temp_file_with(path, contents, mode, true)?;
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
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

/// A warning when a file holding a secret can be read by other users.
pub fn exposure_warning(path: &Path, what: &str) -> Option<String> {
    let mode = mode(path)?;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{what} {} can be read by other users (mode {mode:o}); run: chmod 600 '{}'",
            path.display(),
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
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
