//! Where the person's folders are, by each system's conventions: the home folder, the config
//! folder, and `~` in a path typed by hand. Only `std`, with the system and the environment given
//! as values, so every system's answer is tested wherever the tests run.
//!
//! The config folder is `~/.config/places-setup` on macOS as on Linux (`$XDG_CONFIG_HOME` when
//! set), not `~/Library/Application Support`: it is what gh and most command-line tools use on a
//! Mac, where a person looks for a terminal tool's settings and dotfile managers expect them, and
//! one path serves the help, the docs and both systems. On Windows it is `%APPDATA%\places-setup`,
//! the roaming application data folder every Windows program uses.
use super::Os;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The name of the product's own folder inside the system's config folder.
pub const APP_FOLDER: &str = "places-setup";

/// The home folder, from the environment: `HOME` on Unix; `%USERPROFILE%` on Windows, where
/// `HOME` is not set by the system (Git's shells set it, then it is used after USERPROFILE).
pub fn home_in(os: Os, var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let names: &[&str] = match os {
        Os::Windows => &["USERPROFILE", "HOME"],
        Os::Linux | Os::MacOs => &["HOME"],
    };
    names
        .iter()
        .filter_map(|name| var(name))
        .find(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// The home folder of this process's user.
pub fn home() -> Option<PathBuf> {
    home_in(Os::CURRENT, |name| std::env::var_os(name))
}

/// The default config folder (see the module's comment for why these).
pub fn config_dir_in(os: Os, var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    // A relative value is ignored, as the XDG specification asks.
    let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
    let base = match os {
        Os::Windows => absolute("APPDATA")
            .or_else(|| Some(home_in(os, &var)?.join("AppData").join("Roaming")))?,
        Os::Linux | Os::MacOs => {
            absolute("XDG_CONFIG_HOME").or_else(|| Some(home_in(os, &var)?.join(".config")))?
        }
    };
    Some(base.join(APP_FOLDER))
}

/// The default config folder on this system.
pub fn config_dir() -> Option<PathBuf> {
    config_dir_in(Os::CURRENT, |name| std::env::var_os(name))
}

/// How help and messages name the default config folder on `os`.
pub fn config_dir_shown(os: Os) -> &'static str {
    match os {
        Os::Windows => r"%APPDATA%\places-setup",
        Os::Linux | Os::MacOs => "~/.config/places-setup",
    }
}

/// A path typed by hand with the home folder written as a shell would: `~` and `~/…` (and on
/// Windows `~\…`, `%USERPROFILE%` and `%USERPROFILE%\…`, as cmd and PowerShell users write it).
/// Anything else, `~other` included, is left as it is.
pub fn expand_home_in(os: Os, text: &str, home: Option<&Path>) -> PathBuf {
    let Some(home) = home else {
        return PathBuf::from(text);
    };
    let separators: &[char] = match os {
        Os::Windows => &['/', '\\'],
        Os::Linux | Os::MacOs => &['/'],
    };
    let rest = text.strip_prefix('~').or_else(|| match os {
        Os::Windows => text
            .get(..13)
            .filter(|head| head.eq_ignore_ascii_case("%USERPROFILE%"))
            .map(|_| &text[13..]),
        Os::Linux | Os::MacOs => None,
    });
    match rest {
        Some("") => home.to_path_buf(),
        Some(rest) if rest.starts_with(separators) => {
            home.join(rest.trim_start_matches(separators))
        }
        _ => PathBuf::from(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    /// An absolute path on the system the tests run on (Windows' need a drive).
    fn absolute(path: &str) -> String {
        if cfg!(windows) {
            format!("C:{path}")
        } else {
            path.to_string()
        }
    }

    #[test]
    fn the_config_folder_is_under_dot_config_on_macos_as_on_linux() {
        let (home, xdg) = (absolute("/Users/me"), absolute("/x"));
        for os in [Os::Linux, Os::MacOs] {
            assert_eq!(
                config_dir_in(os, env(&[("HOME", &home)])),
                Some(Path::new(&home).join(".config/places-setup")),
                "{os:?}"
            );
            assert_eq!(
                config_dir_in(os, env(&[("HOME", &home), ("XDG_CONFIG_HOME", &xdg)])),
                Some(Path::new(&xdg).join("places-setup")),
                "{os:?}"
            );
            // Relative: ignored, as the XDG specification says.
            assert_eq!(
                config_dir_in(os, env(&[("HOME", &home), ("XDG_CONFIG_HOME", "x")])),
                Some(Path::new(&home).join(".config/places-setup")),
                "{os:?}"
            );
            assert_eq!(config_dir_in(os, env(&[])), None, "{os:?}");
            assert_eq!(config_dir_in(os, env(&[("HOME", "")])), None, "{os:?}");
        }
    }

    #[test]
    fn the_config_folder_is_in_appdata_on_windows() {
        // Built with `join`, so the separator is this system's: compare the parts.
        let appdata = if cfg!(windows) {
            r"C:\Users\me\AppData\Roaming"
        } else {
            "/appdata"
        };
        let dir = config_dir_in(Os::Windows, env(&[("APPDATA", appdata)])).unwrap();
        assert_eq!(dir, Path::new(appdata).join("places-setup"));
        let profile = if cfg!(windows) {
            r"C:\Users\me"
        } else {
            "/profile"
        };
        let dir = config_dir_in(Os::Windows, env(&[("USERPROFILE", profile)])).unwrap();
        assert_eq!(dir, Path::new(profile).join("AppData/Roaming/places-setup"));
        assert_eq!(config_dir_shown(Os::Windows), r"%APPDATA%\places-setup");
        assert_eq!(config_dir_shown(Os::MacOs), "~/.config/places-setup");
    }

    #[test]
    fn home_is_userprofile_on_windows_and_home_elsewhere() {
        let both = env(&[("HOME", "/git-bash"), ("USERPROFILE", "/profile")]);
        assert_eq!(home_in(Os::Windows, &both), Some(PathBuf::from("/profile")));
        assert_eq!(home_in(Os::MacOs, &both), Some(PathBuf::from("/git-bash")));
        assert_eq!(
            home_in(Os::Windows, env(&[("HOME", "/git-bash")])),
            Some(PathBuf::from("/git-bash"))
        );
        assert_eq!(home_in(Os::Linux, env(&[("USERPROFILE", "/p")])), None);
    }

    #[test]
    fn tilde_and_userprofile_are_expanded_as_each_shell_does() {
        let home = Path::new("/home/me");
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            assert_eq!(expand_home_in(os, "~", Some(home)), home, "{os:?}");
            assert_eq!(
                expand_home_in(os, "~/k/x.json", Some(home)),
                home.join("k/x.json"),
                "{os:?}"
            );
            assert_eq!(
                expand_home_in(os, "~other/x", Some(home)),
                Path::new("~other/x"),
                "{os:?}"
            );
            assert_eq!(expand_home_in(os, "~/x", None), Path::new("~/x"), "{os:?}");
        }
        assert_eq!(
            expand_home_in(Os::Windows, r"~\keys", Some(home)),
            home.join("keys")
        );
        assert_eq!(
            expand_home_in(Os::Windows, r"%userprofile%\keys", Some(home)),
            home.join("keys")
        );
        assert_eq!(
            expand_home_in(Os::Windows, "%USERPROFILE%", Some(home)),
            home
        );
        // Only Windows reads these so: elsewhere they are a folder's name.
        assert_eq!(
            expand_home_in(Os::Linux, r"~\keys", Some(home)),
            Path::new(r"~\keys")
        );
        assert_eq!(
            expand_home_in(Os::MacOs, "%USERPROFILE%/k", Some(home)),
            Path::new("%USERPROFILE%/k")
        );
        assert_eq!(
            expand_home_in(Os::Windows, "%USERPROFILEX", Some(home)),
            Path::new("%USERPROFILEX")
        );
    }
}
