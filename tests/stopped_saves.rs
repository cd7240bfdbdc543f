//! A save stopped at each of its steps, as `kill -9` stops it: the real binary is made to abort
//! at the Nth point of `Store::commit` (PLACES_SETUP_TEST_STOP_SAVE_AT, read by debug builds
//! only), for N = 1, 2, … until a run goes through. After each stop, the next command finishes or
//! forgets the save: config.toml and the secret files are then byte-identical to before, or the
//! new ones whole — never a new secret beside the old config.toml — and no staged file or journal
//! is left behind.
mod common;
use common::*;
use std::path::Path;

const NEW_SECRET: &str = "p8e-the-secret-of-the-second-save";

/// The config folder's files (locks aside: they are made once and never hold data).
fn saved(home: &Home) -> Snapshot {
    let mut files = snapshot(&home.config_dir(), &[]);
    files.retain(|path, _| !path.to_string_lossy().ends_with(".lock"));
    files
}

/// Puts the config folder back as `files` were.
fn restore(home: &Home, files: &Snapshot) {
    use std::os::unix::fs::PermissionsExt;
    let dir = home.config_dir();
    std::fs::remove_dir_all(&dir).unwrap();
    for (path, (bytes, mode)) in files {
        let parent = path.parent().unwrap();
        std::fs::create_dir_all(parent).unwrap();
        std::fs::write(path, bytes).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode)).unwrap();
    }
    let mut folders: Vec<&Path> = files.keys().filter_map(|p| p.parent()).collect();
    folders.push(&dir);
    for folder in folders {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

/// Runs `args` (with `stdin`) stopped at each point in turn, each time from `before`. Returns the
/// states the next command (`profile list`) found after each stop, and the state of the run that
/// went through, and how many points it passed.
fn stop_at_each_point(
    home: &Home,
    before: &Snapshot,
    args: &[&str],
    stdin: &str,
) -> (Vec<(usize, Snapshot)>, Snapshot, usize) {
    let mut after_stops = Vec::new();
    for point in 1..20 {
        restore(home, before);
        let point_text = point.to_string();
        let run = home.run_full(
            args,
            stdin,
            &[("PLACES_SETUP_TEST_STOP_SAVE_AT", point_text.as_str())],
        );
        if run.code == 0 {
            return (after_stops, saved(home), point);
        }
        assert_eq!(
            run.code,
            -1,
            "point {point}: a stop kills the process\n{}",
            run.all()
        );
        // The next command, whatever it is, sees a whole save or none.
        home.run(&["profile", "list"]).ok();
        after_stops.push((point, saved(home)));
    }
    panic!("the save never went through");
}

fn leftovers(files: &Snapshot) -> Vec<String> {
    files
        .keys()
        .map(|p| p.display().to_string())
        .filter(|p| p.ends_with(".staged") || p.ends_with(".save-journal") || p.ends_with(".tmp"))
        .collect()
}

#[test]
fn init_stopped_at_each_step_leaves_the_old_profile_or_the_new_one_whole() {
    let home = Home::new();
    home.oauth_profile();
    let before = saved(&home);
    let secret = home.config_dir().join("profiles/default/client_secret");
    assert_eq!(before[&secret].0, SECRET.as_bytes());
    let args = [
        "init",
        "--client-secret-stdin",
        "--scopes",
        "openid,AdobeID,read_organizations,additional_info.projectedProductContext",
    ];
    let (stops, after, points) = stop_at_each_point(&home, &before, &args, NEW_SECRET);
    assert_eq!(after[&secret].0, NEW_SECRET.as_bytes());
    assert_ne!(
        after[&home.config_dir().join("config.toml")],
        before[&home.config_dir().join("config.toml")]
    );
    // Five points: all staged; journal written; config.toml renamed, not the secret; both
    // renamed, the unused passphrase file not yet removed; all done, journal still there. The
    // sixth run went through.
    assert_eq!(points, 6, "the stops passed: {}", stops.len());
    let mut seen_new = false;
    for (point, state) in &stops {
        assert!(
            leftovers(state).is_empty(),
            "point {point}: {:?}",
            leftovers(state)
        );
        if *state == after {
            seen_new = true;
        } else {
            assert_eq!(
                changed(&before, state),
                Vec::<String>::new(),
                "point {point}: neither the old save nor the new one"
            );
        }
    }
    assert!(
        seen_new,
        "a stop after the journal is finished by the next command"
    );
    assert!(
        stops.iter().any(|(_, s)| *s == before),
        "a stop before it is forgotten"
    );
}

#[test]
fn profile_remove_stopped_at_each_step_leaves_the_profile_or_nothing_of_it() {
    let home = Home::new();
    home.oauth_profile();
    home.oauth_profile_named("other");
    let before = saved(&home);
    let folder = home.config_dir().join("profiles/other");
    assert!(before.keys().any(|p| p.starts_with(&folder)));
    let (stops, after, _) =
        stop_at_each_point(&home, &before, &["profile", "remove", "other", "--yes"], "");
    assert!(!after.keys().any(|p| p.starts_with(&folder)), "{after:?}");
    assert!(!folder.exists());
    for (point, state) in &stops {
        assert!(
            leftovers(state).is_empty(),
            "point {point}: {:?}",
            leftovers(state)
        );
        assert!(
            *state == before || *state == after,
            "point {point}: {:?}",
            changed(&before, state)
        );
    }
    assert!(stops.iter().any(|(_, s)| *s == after));
}
