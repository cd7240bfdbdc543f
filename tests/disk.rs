//! Disk faults: a full, read-only or unwritable config folder gives a clear error (or, where the
//! result is still good, a warning) and leaves the previous files exactly as they were, with no
//! temporary file behind.
//!
//! Tests often run as root, for whom `chmod` stops nothing. So the faults are real: a small tmpfs
//! filled up (full), a read-only bind mount (read-only), `chattr +i` (unwritable; `chmod` when not
//! root). Where this machine allows none of them (no `mount` permission in a container, a file
//! system without attributes), the test says so on stderr and passes without checking: look for
//! "SKIPPED" in `cargo test -- --nocapture`. Under `CI=true` it fails instead (`common::skip`).
//!
//! The last tests reach `store::atomic`'s error paths directly, without any mount.
mod common;
use common::*;
use places_setup::store::atomic;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A mount (or attribute) made for one test, undone when dropped, panics included.
struct Undo {
    what: &'static str,
    path: PathBuf,
}

impl Drop for Undo {
    fn drop(&mut self) {
        let (program, args): (&str, Vec<&str>) = match self.what {
            "mount" => ("umount", vec!["-l"]),
            "immutable" => ("chattr", vec!["-i"]),
            _ => ("chmod", vec!["700"]),
        };
        let _ = Command::new(program).args(args).arg(&self.path).status();
    }
}

/// Runs a set-up command; on failure, the reason to skip.
fn try_command(program: &str, args: &[&str]) -> Result<(), String> {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("cannot run {program}: {e}")),
    }
}

#[test]
fn a_test_that_cannot_run_its_tool_fails_under_ci() {
    skip_under(None, "a test", "no mount here");
    skip_under(Some("false"), "a test", "no mount here");
    for ci in ["true", "1"] {
        let failed = std::panic::catch_unwind(|| skip_under(Some(ci), "a test", "no mount here"));
        assert!(failed.is_err(), "CI={ci} let a skipped test pass");
    }
}

/// A tmpfs of `size` mounted on `point` (an empty folder).
fn small_tmpfs(point: &Path, size: &str) -> Result<Undo, String> {
    std::fs::create_dir_all(point).map_err(|e| e.to_string())?;
    try_command(
        "mount",
        &[
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size},mode=0700"),
            "tmpfs",
            point.to_str().unwrap(),
        ],
    )?;
    Ok(Undo {
        what: "mount",
        path: point.to_path_buf(),
    })
}

/// `dir` mounted read-only onto itself.
fn read_only(dir: &Path) -> Result<Undo, String> {
    let d = dir.to_str().unwrap();
    try_command("mount", &["--bind", d, d])?;
    let undo = Undo {
        what: "mount",
        path: dir.to_path_buf(),
    };
    try_command("mount", &["-o", "remount,ro,bind", d])?;
    // Prove it: as root, only the mount can refuse a write.
    match std::fs::write(dir.join(".probe"), b"x") {
        Err(e) if e.raw_os_error() == Some(30) => Ok(undo),
        other => Err(format!(
            "the read-only mount still accepts writes: {other:?}"
        )),
    }
}

/// `dir` made unwritable: `chattr +i` as root (chmod stops nothing there), `chmod 500` otherwise.
fn unwritable(dir: &Path) -> Result<Undo, String> {
    let d = dir.to_str().unwrap();
    let undo = if is_root() {
        try_command("chattr", &["+i", d])?;
        Undo {
            what: "immutable",
            path: dir.to_path_buf(),
        }
    } else {
        try_command("chmod", &["500", d])?;
        Undo {
            what: "chmod",
            path: dir.to_path_buf(),
        }
    };
    match std::fs::write(dir.join(".probe"), b"x") {
        Err(_) => Ok(undo),
        Ok(()) => {
            let _ = std::fs::remove_file(dir.join(".probe"));
            Err("the folder still accepts new files".into())
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Fills the file system holding `dir` to the last byte; returns the filler's path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    loop {
        match file.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling {}: {e}", dir.display()),
        }
    }
    let _ = file.sync_all();
    path
}

const NEW_SECRET: &str = "p8e-a-new-secret-that-cannot-be-saved";

/// The commands that write into the config folder, run against a folder that refuses writes with
/// `errno`: each must explain itself and change nothing.
fn writes_are_refused_cleanly(home: &Home, errno_text: &str, hint: &str, ignore: &[&Path]) {
    let config = home.config_dir();
    let before = snapshot(&config, ignore);

    // A new token is still good when it cannot be cached: it is handed out, with a warning.
    let profile_dir = config.join("profiles/default").display().to_string();
    let run = home.call(&["token", "--force"]).ok();
    assert_eq!(run.stdout.trim().split('.').count(), 3, "{}", run.stdout);
    assert!(
        run.stderr.contains("warning: ")
            && run.stderr.contains(&profile_dir)
            && run.stderr.contains(errno_text)
            && run.stderr.contains("(the token was not cached)"),
        "{}",
        run.stderr
    );

    // A new secret cannot be saved: error, and the old one stays. (The message names the first
    // file a save writes, config.toml, or its folder when not even a temporary file can be made
    // there.)
    home.call_with_stdin(&["init", "--client-secret-stdin"], NEW_SECRET)
        .fails(1)
        .stderr_has(&format!("{}", config.display()))
        .stderr_has(errno_text)
        .stderr_has(hint);
    // Nor a changed profile.
    home.call(&["init", "--metascopes", "ent_places_sdk,ent_other_sdk"])
        .fails(1)
        .stderr_has(&format!("{}", config.display()))
        .stderr_has(errno_text)
        .stderr_has(hint);

    assert_eq!(
        changed(&before, &snapshot(&config, ignore)),
        Vec::<String>::new(),
        "the config folder changed, or a temporary file was left behind"
    );
    // Reading still works.
    home.call(&["status"]).ok();
    home.call(&["token"]).ok();
}

#[test]
fn a_full_config_folder_keeps_the_previous_files() {
    let home = Home::new();
    let _mount = match small_tmpfs(&home.config_dir(), "256k") {
        Ok(m) => m,
        Err(reason) => return skip("a_full_config_folder_keeps_the_previous_files", &reason),
    };
    home.jwt_profile();
    home.call(&["token"]).ok();
    let filler = fill(&home.config_dir());

    writes_are_refused_cleanly(
        &home,
        "No space left on device",
        "the disk is full: free some space",
        &[&filler],
    );

    // Once there is room again, the same command works.
    std::fs::remove_file(&filler).unwrap();
    home.call_with_stdin(&["init", "--client-secret-stdin"], NEW_SECRET)
        .ok();
}

#[test]
fn a_disk_that_fills_between_the_secret_and_the_config_changes_neither() {
    let home = Home::new();
    let _mount = match small_tmpfs(&home.config_dir(), "256k") {
        Ok(m) => m,
        Err(reason) => {
            return skip(
                "a_disk_that_fills_between_the_secret_and_the_config_changes_neither",
                &reason,
            );
        }
    };
    home.jwt_profile();
    // Enough profiles for config.toml to take two pages (8 KiB) and the secret one.
    for i in 0..30 {
        home.oauth_profile_named(&format!("other{i}"));
    }
    let config = home.config_dir();
    assert!(std::fs::metadata(config.join("config.toml")).unwrap().len() > 4096);
    let secret_path = config.join("profiles/default/client_secret");
    let (secret, toml) = (
        std::fs::read(&secret_path).unwrap(),
        std::fs::read(config.join("config.toml")).unwrap(),
    );
    let filler = config.join("filler");
    let before = snapshot(&config, &[&filler]);
    // Room for one page: the new secret fits, the new config.toml then does not.
    let filler = fill(&config);
    let size = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(size - 4096)
        .unwrap();
    home.call_with_stdin(
        &[
            "init",
            "--client-secret-stdin",
            "--metascopes",
            "ent_places_sdk,ent_other_sdk",
        ],
        NEW_SECRET,
    )
    .fails(1)
    .stderr_has("No space left on device");
    assert_eq!(
        std::fs::read(&secret_path).unwrap(),
        secret,
        "the secret was replaced"
    );
    assert_eq!(std::fs::read(config.join("config.toml")).unwrap(), toml);
    assert_eq!(
        changed(&before, &snapshot(&config, &[&filler])),
        Vec::<String>::new(),
        "the config folder changed, or a temporary file was left behind"
    );
}

#[test]
fn a_read_only_config_folder_keeps_the_previous_files() {
    let home = Home::new();
    home.jwt_profile();
    home.call(&["token"]).ok();
    let _mount = match read_only(&home.config_dir()) {
        Ok(m) => m,
        Err(reason) => {
            return skip(
                "a_read_only_config_folder_keeps_the_previous_files",
                &reason,
            );
        }
    };
    writes_are_refused_cleanly(
        &home,
        "Read-only file system",
        "the file system is read-only: choose another --config-dir",
        &[],
    );
}

#[test]
fn an_unwritable_profile_folder_keeps_the_previous_files() {
    let home = Home::new();
    home.jwt_profile();
    home.call(&["token"]).ok();
    let profile = home.config_dir().join("profiles/default");
    let config = home.config_dir();
    let _locks = match (unwritable(&profile), unwritable(&config)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(reason), _) | (_, Err(reason)) => {
            return skip(
                "an_unwritable_profile_folder_keeps_the_previous_files",
                &reason,
            );
        }
    };
    let denied = if is_root() {
        "Operation not permitted"
    } else {
        "Permission denied"
    };
    writes_are_refused_cleanly(&home, denied, "check the permissions of", &[]);
}

#[test]
fn keys_into_a_full_folder_leave_nothing_behind() {
    let home = Home::new();
    let dir = home.path().join("keys");
    let _mount = match small_tmpfs(&dir, "64k") {
        Ok(m) => m,
        Err(reason) => return skip("keys_into_a_full_folder_leave_nothing_behind", &reason),
    };
    let filler = fill(&dir);
    home.run(&["keys", "--dir", "keys", "--name", "p"])
        .fails(1)
        .stderr_has("No space left on device")
        .stderr_has("the disk is full");
    assert_eq!(
        changed(&Snapshot::new(), &snapshot(&dir, &[&filler])),
        Vec::<String>::new()
    );

    // Room for the key but not the certificate: the key, useless alone, is removed again.
    let size = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(size - 4096)
        .unwrap();
    home.run(&["keys", "--dir", "keys", "--name", "p"])
        .fails(1)
        .stderr_has("p_public.crt")
        .stderr_has("No space left on device");
    assert_eq!(
        changed(&Snapshot::new(), &snapshot(&dir, &[&filler])),
        Vec::<String>::new()
    );

    std::fs::remove_file(&filler).unwrap();
    home.run(&["keys", "--dir", "keys", "--name", "p"]).ok();
    assert_eq!(snapshot(&dir, &[]).len(), 2);
}

// --------------------------------------------------------------------------- store::atomic directly

#[test]
fn atomic_write_on_a_full_disk_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let point = dir.path().join("small");
    let _mount = match small_tmpfs(&point, "64k") {
        Ok(m) => m,
        Err(reason) => return skip("atomic_write_on_a_full_disk_keeps_the_old_file", &reason),
    };
    let path = point.join("config.toml");
    atomic::write(&path, b"old", 0o600).unwrap();
    let filler = fill(&point);
    let err = atomic::write(&path, &vec![b'n'; 10_000], 0o600).unwrap_err();
    assert!(
        err.message
            .starts_with(&format!("cannot write {}", path.display())),
        "{err:?}"
    );
    assert!(err.hint.unwrap().contains("disk is full"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    let err = atomic::create_new(&point.join("key"), &vec![b'k'; 10_000], 0o600).unwrap_err();
    assert!(
        err.hint.unwrap().contains("disk is full"),
        "{}",
        err.message
    );
    assert_eq!(
        snapshot(&point, &[&filler]).len(),
        1,
        "no temporary file left"
    );
}

#[test]
fn atomic_errors_name_the_file_and_leave_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();

    // The folder is missing.
    let missing = dir.path().join("missing/config.toml");
    let err = atomic::write(&missing, b"x", 0o600).unwrap_err();
    assert!(
        err.message
            .contains(&dir.path().join("missing").display().to_string()),
        "{err:?}"
    );
    assert!(err.hint.unwrap().contains("exists"));

    // The name is taken by a folder: the rename fails, the folder is untouched.
    let taken = dir.path().join("config.toml");
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("inside"), b"kept").unwrap();
    let err = atomic::write(&taken, b"x", 0o600).unwrap_err();
    assert!(
        err.message
            .starts_with(&format!("cannot write {}", taken.display())),
        "{err:?}"
    );
    assert_eq!(std::fs::read(taken.join("inside")).unwrap(), b"kept");

    // A file where the folder should be.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"file").unwrap();
    let err = atomic::create_dir_private(&blocker.join("sub")).unwrap_err();
    assert!(
        err.message.starts_with("cannot create the folder"),
        "{err:?}"
    );
    let err = atomic::create_new(&blocker.join("key"), b"k", 0o600).unwrap_err();
    assert!(
        err.message.starts_with("cannot create a file in"),
        "{err:?}"
    );

    // create_new refuses to replace even a folder.
    let err = atomic::create_new(&taken, b"x", 0o600).unwrap_err();
    assert!(err.message.contains("already exists"), "{err:?}");

    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["blocker", "config.toml"], "no temporary file left");
}
