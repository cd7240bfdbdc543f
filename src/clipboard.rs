//! Copying a token: the desktop clipboard (X11 or Wayland, through arboard) held by a small
//! background process so it stays pasteable after places-setup exits; inside tmux, tmux's own
//! paste buffer (which tmux passes on to the terminal's clipboard where it may); else OSC 52, which
//! asks the terminal itself (also over SSH). Never fatal: the caller is told which way it went,
//! in words that claim no more than is known, or why it could not.
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// How a copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// The desktop clipboard: "X11" or "Wayland".
    Native(&'static str),
    /// The escape sequence was sent to the terminal; whether it allowed it is not known.
    Osc52 {
        tmux: bool,
    },
    /// In tmux's paste buffer; `terminal`: tmux was also asked (`load-buffer -w`) to pass it to
    /// the outer terminal's clipboard, which happens where its `set-clipboard` option and the
    /// terminal allow.
    Tmux {
        terminal: bool,
    },
    Failed(String),
}

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

/// Puts `text` on the desktop clipboard through a holder process (this same program, run with
/// the hidden `clipboard-holder` command), which answers paste requests until something else is
/// copied or a day has passed.
pub fn copy_native(text: &str) -> Result<&'static str, String> {
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

/// The OSC 52 sequence that asks the terminal to set its clipboard; inside tmux, wrapped so tmux
/// passes it on to the outer terminal.
pub fn osc52(text: &str, tmux: bool) -> String {
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, text);
    let sequence = format!("\x1b]52;c;{encoded}\x07");
    if tmux {
        format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
    } else {
        sequence
    }
}

/// Inside tmux: `tmux load-buffer -w -` (tmux 3.2+), else without `-w`; the text goes through
/// stdin, never an argument. Ok(true) when tmux took `-w`.
pub fn copy_tmux(text: &str) -> Result<bool, String> {
    let load = |with_terminal: bool| -> Result<(), String> {
        let mut command = Command::new("tmux");
        command.arg("load-buffer");
        if with_terminal {
            command.arg("-w");
        }
        let mut child = command
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        let sent = child
            .stdin
            .take()
            .map(|mut stdin| stdin.write_all(text.as_bytes()));
        let status = child
            .wait()
            .map_err(|e| format!("tmux did not finish: {e}"))?;
        match (sent, status.success()) {
            (Some(Ok(())), true) => Ok(()),
            _ => Err("tmux refused the text (load-buffer)".to_string()),
        }
    };
    load(true)
        .map(|()| true)
        .or_else(|_| load(false).map(|()| false))
}

/// The desktop clipboard, else tmux's buffer inside tmux; Err with why neither worked (the
/// caller may still try OSC 52).
pub fn copy_native_or_tmux(text: &str) -> Result<Copied, String> {
    match copy_native(text) {
        Ok(kind) => Ok(Copied::Native(kind)),
        Err(why) if in_tmux() => copy_tmux(text)
            .map(|terminal| Copied::Tmux { terminal })
            .map_err(|e| format!("{why}; {e}")),
        Err(why) => Err(why),
    }
}

/// The one chain every face copies through: the desktop clipboard, else tmux's buffer inside
/// tmux, else OSC 52 written to `terminal` (the face's way to its terminal: the wizard's screen,
/// the command line's /dev/tty). Also returns why the desktop clipboard was not used, if it was not.
pub fn copy(text: &str, terminal: &mut dyn Write) -> (Copied, Option<String>) {
    match copy_native_or_tmux(text) {
        Ok(copied) => (copied, None),
        Err(why) => {
            let tmux = in_tmux();
            let sent = terminal
                .write_all(osc52(text, tmux).as_bytes())
                .and_then(|()| terminal.flush());
            match sent {
                Ok(()) => (Copied::Osc52 { tmux }, Some(why)),
                Err(e) => (
                    Copied::Failed(format!("{why}; the terminal could not be reached ({e})")),
                    Some(why),
                ),
            }
        }
    }
}

/// The controlling terminal, opened at the first write: where the command line sends OSC 52
/// while its stdout may be a pipe.
#[derive(Default)]
pub struct ControllingTerminal(Option<std::fs::File>);

impl Write for ControllingTerminal {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.0.is_none() {
            self.0 = Some(std::fs::OpenOptions::new().write(true).open("/dev/tty")?);
        }
        match &mut self.0 {
            Some(tty) => tty.write(bytes),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.0 {
            Some(tty) => tty.flush(),
            None => Ok(()),
        }
    }
}

pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
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

    #[test]
    fn osc52_plain_and_through_tmux() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }
}
