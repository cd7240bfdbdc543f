//! Linux and the BSDs: the desktop clipboard of X11 or Wayland, through arboard. Whoever copies
//! must answer every paste request there, so a small background process (this same program, run
//! with the hidden `clipboard-holder` command) holds the text after places-setup exits.
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The hidden subcommand the clipboard holder runs as.
pub const HOLDER_COMMAND: &str = "clipboard-holder";

/// Which desktop clipboard is reachable from here, if any.
pub fn display() -> Option<&'static str> {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if set("WAYLAND_DISPLAY") {
        Some("Wayland")
    } else if set("DISPLAY") {
        Some("X11")
    } else {
        None
    }
}

/// What the clipboard holder may inherit: only what reaching the display needs. It lives up to a
/// day, and nothing secret (PLACES_SETUP_CLIENT_SECRET, PLACES_SETUP_KEY_PASSPHRASE, anything
/// else of the caller's) belongs in its environment.
pub const HOLDER_VARIABLES: [&str; 6] = [
    "DISPLAY",
    "XAUTHORITY",
    "WAYLAND_DISPLAY",
    "XDG_RUNTIME_DIR",
    "HOME",
    "PATH",
];

fn holder_environment(command: &mut Command) {
    command.env_clear();
    for name in HOLDER_VARIABLES {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
}

/// Puts `text` on the desktop clipboard through a holder process, which answers paste requests
/// until something else is copied or a day has passed. Ok with the clipboard's name.
pub fn copy(text: &str) -> Result<&'static str, String> {
    let Some(kind) = display() else {
        return Err(
            "no desktop clipboard is reachable (no DISPLAY or WAYLAND_DISPLAY: SSH or headless?)"
                .to_string(),
        );
    };
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find this program to hold the clipboard: {e}"))?;
    let mut command = Command::new(exe);
    command
        .arg(HOLDER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    holder_environment(&mut command);
    // Its own process group: Ctrl-C or a closed terminal does not take the clipboard with it.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the clipboard holder: {e}"))?;
    let sent = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(text.as_bytes()));
    if !matches!(sent, Some(Ok(()))) {
        let _ = child.kill();
        return Err("cannot hand the text to the clipboard holder".to_string());
    }
    let Some(stdout) = child.stdout.take() else {
        return Err("the clipboard holder did not start".to_string());
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let answer = rx.recv_timeout(Duration::from_secs(3)).unwrap_or_default();
    // Reap it whenever it ends, so it leaves no zombie while we run.
    std::thread::spawn(move || child.wait());
    match answer.trim() {
        "ok" => Ok(kind),
        "" => Err(format!("the {kind} clipboard did not answer")),
        other => Err(other.to_string()),
    }
}

/// The holder: reads the text from stdin, takes the clipboard, says "ok", then serves it.
pub fn hold() -> i32 {
    use arboard::SetExtLinux;
    let mut text = String::new();
    if std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).is_err() {
        return 1;
    }
    let mut clipboard = match arboard::Clipboard::new() {
        Ok(c) => c,
        Err(e) => {
            println!("cannot open the clipboard: {e}");
            return 1;
        }
    };
    if let Err(e) = clipboard.set().exclude_from_history().text(text.clone()) {
        println!("cannot set the clipboard: {e}");
        return 1;
    }
    println!("ok");
    let _ = std::io::stdout().flush();
    // arboard answers paste requests from a thread of its own while `clipboard` lives. Stop once
    // another program owns the clipboard, the display is gone, or a day has passed.
    let deadline = std::time::Instant::now() + Duration::from_secs(24 * 3600);
    while std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(2));
        match clipboard.get_text() {
            Ok(current) if current == text => {}
            _ => break,
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_inherits_only_what_the_display_needs() {
        let outer: Vec<String> = std::env::vars()
            .map(|(k, _)| k)
            .filter(|k| !HOLDER_VARIABLES.contains(&k.as_str()))
            .collect();
        assert!(!outer.is_empty(), "the test runs with variables of its own");
        let mut command = Command::new("env");
        holder_environment(&mut command);
        let output = command.output().expect("env runs");
        let seen = String::from_utf8_lossy(&output.stdout);
        for line in seen.lines() {
            let name = line.split('=').next().unwrap_or_default();
            assert!(HOLDER_VARIABLES.contains(&name), "{name} was passed on");
        }
    }
}
