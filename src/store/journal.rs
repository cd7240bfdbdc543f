//! All or nothing for a save of several files. Each file is first staged (written in full and
//! flushed beside its place); then a journal naming every step is written; then the steps are
//! done (renames, and the removal of a profile's folder); then the journal goes. A writer killed
//! after the journal is written leaves a save that the next process to take the config lock
//! finishes, before it reads or writes anything else; one killed before leaves only staged files,
//! which that process removes. Either way the old files stay byte-identical or the new ones are
//! whole. The keyring is not a file and has no part in the journal: see `session::save`.
use super::{Store, atomic};
use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// The journal's name in the config folder.
pub const JOURNAL: &str = ".save-journal";

/// The largest journal read: a few lines of paths.
const MAX_JOURNAL: u64 = 64 * 1024;

/// A step of a save, with paths relative to the config folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A staged file put in its place.
    Rename { from: PathBuf, to: PathBuf },
    /// A removed profile's folder (its secret files and cached token).
    RemoveProfile(String),
    /// A secret file whose secret is now elsewhere (the keyring), or no longer needed.
    RemoveSecret(PathBuf),
}

impl Step {
    fn line(&self) -> String {
        match self {
            Step::Rename { from, to } => format!("rename\t{}\t{}", from.display(), to.display()),
            Step::RemoveProfile(name) => format!("remove\tprofiles/{name}"),
            Step::RemoveSecret(path) => format!("remove-secret\t{}", path.display()),
        }
    }

    /// A line of a journal, checked: only the names places-setup itself stages and removes are
    /// accepted, so a journal cannot move or remove anything else.
    fn parse(line: &str) -> Option<Step> {
        let fields: Vec<&str> = line.split('\t').collect();
        let plain = |p: &Path| p.components().all(|c| matches!(c, Component::Normal(_)));
        // config.toml, or a secret file in a profile's folder.
        let ours = |to: &Path| -> Option<bool> {
            let target = to.file_name()?.to_str()?;
            Some(
                match to.parent().map(|p| p.components().collect::<Vec<_>>()) {
                    Some(parts) if parts.is_empty() => target == "config.toml",
                    Some(parts) => {
                        parts.len() == 2
                            && parts[0].as_os_str() == "profiles"
                            && parts[1]
                                .as_os_str()
                                .to_str()
                                .is_some_and(|n| crate::ids::profile_name(n).is_ok())
                            && ["client_secret", "key_passphrase"].contains(&target)
                    }
                    None => false,
                },
            )
        };
        match fields.as_slice() {
            ["rename", from, to] => {
                let (from, to) = (Path::new(from), Path::new(to));
                if !plain(from) || !plain(to) || from.parent() != to.parent() {
                    return None;
                }
                let target = to.file_name()?.to_str()?;
                let allowed = ours(to)?;
                let random = from
                    .file_name()?
                    .to_str()?
                    .strip_prefix(&format!(".{target}."))?
                    .strip_suffix(atomic::STAGED_SUFFIX)?;
                let random_ok =
                    random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric());
                (allowed && random_ok).then(|| Step::Rename {
                    from: from.to_path_buf(),
                    to: to.to_path_buf(),
                })
            }
            ["remove-secret", path] => {
                let path = Path::new(path);
                let secret = path.parent().is_some_and(|p| !p.as_os_str().is_empty());
                (plain(path) && secret && ours(path)?).then(|| Step::RemoveSecret(path.into()))
            }
            ["remove", folder] => {
                let name = folder.strip_prefix("profiles/")?;
                crate::ids::profile_name(name).ok()?;
                Some(Step::RemoveProfile(name.to_string()))
            }
            _ => None,
        }
    }
}

/// Where a test asks a save to stop, as if killed (PLACES_SETUP_TEST_STOP_SAVE_AT=N), or to fail,
/// as a full disk fails it (PLACES_SETUP_TEST_FAIL_SAVE_AT=N): at the Nth point of `commit` (1:
/// files staged, no journal yet; 2: journal written, nothing done; then before each further step
/// and before the journal is removed). Only in debug builds, which the tests run; a release
/// binary reads no such variable.
fn stop_point() -> Result<()> {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static REACHED: AtomicUsize = AtomicUsize::new(0);
        let reached = REACHED.fetch_add(1, Ordering::SeqCst) + 1;
        let asked = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                == Some(reached)
        };
        if asked("PLACES_SETUP_TEST_STOP_SAVE_AT") {
            // No destructor runs, no temporary is cleaned up: as `kill -9` leaves things.
            std::process::abort();
        }
        if asked("PLACES_SETUP_TEST_FAIL_SAVE_AT") {
            return Err(Error::new(format!(
                "the save failed at point {reached}, as asked"
            )));
        }
    }
    Ok(())
}

impl Store {
    fn relative(&self, path: &Path) -> Result<PathBuf> {
        path.strip_prefix(&self.dir)
            .map(Path::to_path_buf)
            .map_err(|_| Error::new(format!("{} is outside the config folder", path.display())))
    }

    /// Puts every staged file in its place, then removes what the save removes, as one save:
    /// see the module's comment. The caller holds the config lock (`_lock` proves it).
    /// `committed` is called once the journal is on disk: from then on the save is done, even if
    /// a step fails now (the next command finishes it), so what the caller did outside the files
    /// (keyring entries) must stay; an error before leaves the files as they were.
    pub fn commit(
        &self,
        _lock: &super::ConfigLock,
        save: super::Save,
        committed: impl FnOnce(),
    ) -> Result<()> {
        let staged = save.staged;
        let mut steps = Vec::new();
        for file in &staged {
            let (from, to) = file.paths();
            steps.push(Step::Rename {
                from: self.relative(from)?,
                to: self.relative(to)?,
            });
        }
        steps.extend(save.removals);
        stop_point()?;
        let text: String = steps.iter().map(|s| s.line() + "\n").collect();
        // Written and flushed before any step: from here on the save is finished by whoever
        // comes next, should this process stop.
        atomic::write(&self.dir.join(JOURNAL), text.as_bytes(), 0o600)?;
        committed();
        for file in staged {
            file.keep()?;
        }
        for step in &steps {
            stop_point()
                .and_then(|()| self.apply(step))
                .map_err(|e| {
                    e.with_hint(
                        "the save is recorded in the config folder and is finished by the next places-setup command; run `places-setup status` once the cause is fixed",
                    )
                })?;
        }
        stop_point()?;
        self.end_journal()
    }

    fn apply(&self, step: &Step) -> Result<()> {
        match step {
            Step::Rename { from, to } => {
                let (from, to) = (self.dir.join(from), self.dir.join(to));
                match atomic::rename(&from, &to) {
                    // Renamed already, before the process that wrote the journal stopped.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    other => other.map_err(|e| Error::io("put in place", &to, &e)),
                }
            }
            Step::RemoveSecret(path) => {
                let path = self.dir.join(path);
                match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        Err(Error::io("remove", &path, &e))
                    }
                    _ => Ok(()),
                }
            }
            Step::RemoveProfile(name) => {
                let folder = self.profile_dir(name);
                match std::fs::remove_dir_all(&folder) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        Err(Error::io("remove", &folder, &e))
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    fn end_journal(&self) -> Result<()> {
        let path = self.dir.join(JOURNAL);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io("remove", &path, &e));
            }
            _ => {}
        }
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Whether a save was left unfinished or is under way: a journal, or a staged file, in the
    /// config folder (every save stages config.toml first, so one stopped while staging a
    /// secret has left one there too).
    pub(super) fn save_pending(&self) -> bool {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return false;
        };
        entries.flatten().any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name == JOURNAL || (name.starts_with('.') && name.ends_with(atomic::STAGED_SUFFIX))
        })
    }

    /// Finishes a save a stopped writer left (its journal), then removes staged files no journal
    /// names. Called with the config lock held, before anything else is read or written.
    pub(super) fn recover(&self) -> Result<()> {
        let Some(folder) = self.open_folder()? else {
            return Ok(());
        };
        let path = self.dir.join(JOURNAL);
        if let Some(bytes) =
            atomic::read_in(&folder, JOURNAL, &path, MAX_JOURNAL, "the save journal")?
        {
            let text = String::from_utf8_lossy(&bytes);
            let steps: Option<Vec<Step>> = text.lines().map(Step::parse).collect();
            let Some(steps) = steps else {
                return Err(Error::new(format!(
                    "{} is not a journal places-setup wrote; nothing in it was done",
                    path.display()
                ))
                .with_hint(format!(
                    "check config.toml and the profiles' folders, then move it aside: mv {} {}.aside",
                    atomic::quote(&path),
                    atomic::quote(&path)
                )));
            };
            for step in &steps {
                self.apply(step)?;
            }
            self.end_journal()?;
        }
        atomic::remove_unjournaled_staged(&self.dir);
        if let Ok(profiles) = std::fs::read_dir(self.dir.join("profiles")) {
            for entry in profiles.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    atomic::remove_unjournaled_staged(&entry.path());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_steps_places_setup_takes_are_read_back() {
        let good = [
            "rename\t.config.toml.aB3dE9.staged\tconfig.toml",
            "rename\tprofiles/ci/.client_secret.000000.staged\tprofiles/ci/client_secret",
            "remove\tprofiles/old-one",
            "remove-secret\tprofiles/ci/key_passphrase",
        ];
        for line in good {
            let step = Step::parse(line).unwrap_or_else(|| panic!("{line} refused"));
            assert_eq!(step.line(), line);
        }
        let bad = [
            "rename\t.config.toml.aB3dE9.staged\t../config.toml",
            "rename\t.bashrc.aB3dE9.staged\t.bashrc",
            "rename\t.config.toml.aB3dE9.tmp\tconfig.toml",
            "rename\t.config.toml.aB3.staged\tconfig.toml",
            "rename\tprofiles/ci/.client_secret.000000.staged\tprofiles/cd/client_secret",
            "rename\tprofiles/ci/.token.json.000000.staged\tprofiles/ci/token.json",
            "rename\t/etc/.passwd.000000.staged\t/etc/passwd",
            "remove\tprofiles/../..",
            "remove\tprofiles",
            "remove\t/home",
            "remove-secret\tconfig.toml",
            "remove-secret\tprofiles/ci/token.json",
            "remove-secret\tprofiles/ci/../../x/client_secret",
            "unlink\tconfig.toml",
            "",
        ];
        for line in bad {
            assert_eq!(Step::parse(line), None, "{line:?} accepted");
        }
    }

    #[test]
    fn a_journal_left_behind_is_finished_and_stray_staged_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("cfg"));
        store.save(&super::super::Config::default()).unwrap();
        let config = store.config_path();
        let staged = atomic::stage(&config, b"new = 1\n", 0o600).unwrap();
        let (from, _) = staged.keep().unwrap();
        let stray = store.dir().join(".config.toml.zzzzzz.staged");
        std::fs::write(&stray, b"half").unwrap();
        let gone = store.profile_dir("gone");
        std::fs::create_dir_all(&gone).unwrap();
        std::fs::write(gone.join("client_secret"), b"s").unwrap();
        let journal = format!(
            "rename\t{}\tconfig.toml\nremove\tprofiles/gone\n",
            from.file_name().unwrap().to_str().unwrap()
        );
        std::fs::write(store.dir().join(JOURNAL), journal).unwrap();
        assert!(store.save_pending());
        drop(store.lock_config().unwrap());
        assert_eq!(std::fs::read(&config).unwrap(), b"new = 1\n");
        assert!(!gone.exists() && !stray.exists() && !from.exists());
        assert!(!store.save_pending());
        // Done twice (a second stop during recovery), nothing changes.
        drop(store.lock_config().unwrap());
        assert_eq!(std::fs::read(&config).unwrap(), b"new = 1\n");
    }

    #[test]
    fn a_journal_of_other_steps_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("cfg"));
        store.save(&super::super::Config::default()).unwrap();
        let outside = dir.path().join("victim");
        std::fs::write(&outside, b"keep").unwrap();
        std::fs::write(store.dir().join(JOURNAL), "remove\tprofiles/../../victim\n").unwrap();
        let err = store.lock_config().unwrap_err();
        assert!(err.message.contains("not a journal"), "{err:?}");
        assert_eq!(std::fs::read(&outside).unwrap(), b"keep");
    }
}
