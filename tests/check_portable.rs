//! `scripts/check-portable`, run on a copy of `src/`: the tree as it is passes, and each kind of
//! system-specific call planted outside `src/platform/` makes it fail, naming the file and line.
#![cfg(unix)]
use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs the script on `src`: whether it passed, and what it said.
fn check(src: &Path) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-portable");
    let output = Command::new("bash")
        .arg(script)
        .arg(src)
        .output()
        .expect("bash runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_system_specific_call_outside_platform_fails_the_check() {
    let temp = tempfile::tempdir().unwrap();
    let src = temp.path().join("src");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &src);
    let (passed, said) = check(&src);
    assert!(passed, "the tree as it is passes: {said}");

    let shared = src.join("wizard/theme.rs");
    let original = std::fs::read_to_string(&shared).unwrap();
    for planted in [
        "use std::os::unix::fs::PermissionsExt;",
        "fn me() -> u32 { unsafe { libc::geteuid() } }",
        "fn s() { let _ = tokio::signal::unix::SignalKind::hangup(); }",
        r#"fn t() { let _ = std::fs::File::open("/dev/tty"); }"#,
        r#"fn p() { let _ = std::fs::read("/proc/self/limits"); }"#,
        "use arboard::SetExtLinux;",
        "fn o(m: &std::fs::Metadata) -> u32 { m.uid() }",
        "use std::os::windows::ffi::OsStrExt;",
    ] {
        std::fs::write(&shared, format!("{original}\n{planted}\n")).unwrap();
        let (passed, said) = check(&src);
        assert!(!passed, "{planted} was let through");
        assert!(said.contains("wizard/theme.rs:"), "{planted}: {said}");
        assert!(said.contains(planted), "{planted}: {said}");
    }

    // The same lines are allowed in src/platform/, and in a comment.
    std::fs::write(&shared, format!("{original}\n// reads /proc/self/limits\n")).unwrap();
    std::fs::write(
        src.join("platform/terminal_unix.rs"),
        "fn me() -> u32 { unsafe { libc::geteuid() } }\n",
    )
    .unwrap();
    let (passed, said) = check(&src);
    assert!(passed, "{said}");
}
