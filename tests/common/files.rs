//! Files on disk as the tests see them: modes, snapshots of a folder and what changed between two,
//! and the `openssl` command for looking inside keys and certificates.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

/// Every file under a folder: its bytes and mode.
pub type Snapshot = BTreeMap<PathBuf, (Vec<u8>, u32)>;

/// Every file under `dir` with its bytes and mode, except `ignore`: "unchanged" means this map is
/// equal.
pub fn snapshot(dir: &Path, ignore: &[&Path]) -> Snapshot {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if ignore.contains(&path.as_path()) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), (std::fs::read(&path).unwrap(), mode(&path)));
            }
        }
    }
    files
}

/// The files that differ between two snapshots (added, removed, or changed in bytes or mode).
pub fn changed(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut paths: Vec<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| {
            let state = match (before.get(p), after.get(p)) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            format!("{} {state}", p.display())
        })
        .collect()
}

/// Runs the `openssl` command and returns its standard output.
pub fn openssl(args: &[&str]) -> String {
    let out = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `plain`'s private key to `encrypted` as `openssl pkcs8 -topk8 -v2 aes-256-cbc` does,
/// under this passphrase.
pub fn encrypt_key(plain: &Path, encrypted: &Path, passphrase: &str) {
    openssl(&[
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-in",
        plain.to_str().unwrap(),
        "-out",
        encrypted.to_str().unwrap(),
        "-passout",
        &format!("pass:{passphrase}"),
    ]);
}
