//! Copying a token: the desktop clipboard (`platform::clipboard`: X11 or Wayland held by a small
//! background process so it stays pasteable after places-setup exits, the macOS pasteboard, the
//! Windows clipboard); inside tmux, tmux's own paste buffer (which tmux passes on to the
//! terminal's clipboard where it may); else OSC 52, which asks the terminal itself (also over SSH). Never fatal: the caller is told which way it went,
//! in words that claim no more than is known, or why it could not.
use std::io::Write;
use std::process::{Command, Stdio};

/// How a copy went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// The desktop clipboard: "X11", "Wayland", "macOS pasteboard" or "Windows".
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

/// Puts `text` on the desktop clipboard (`platform::clipboard`: X11 or Wayland through a holder
/// process, the macOS pasteboard, the Windows clipboard). Ok with the clipboard's name.
pub fn copy_native(text: &str) -> Result<&'static str, String> {
    crate::platform::clipboard::copy(text)
}

/// The hidden `clipboard-holder` command: serves the X11 or Wayland clipboard (elsewhere the
/// system keeps what is copied, and this ends at once).
pub fn hold() -> i32 {
    crate::platform::clipboard::hold()
}

/// The terminal known to ignore OSC 52, by the name it gives itself in `TERM_PROGRAM`: macOS's
/// Terminal.app (iTerm2, WezTerm, kitty, Windows Terminal and most others honour it).
fn ignores_osc52(term_program: Option<&std::ffi::OsStr>) -> Option<&'static str> {
    (term_program? == "Apple_Terminal").then_some("Terminal.app")
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
/// the command line's controlling terminal). Also returns why the desktop clipboard was not used, if it was not.
pub fn copy(text: &str, terminal: &mut dyn Write) -> (Copied, Option<String>) {
    match copy_native_or_tmux(text) {
        Ok(copied) => (copied, None),
        Err(why) => {
            let tmux = in_tmux();
            if let Some(terminal) =
                ignores_osc52(std::env::var_os("TERM_PROGRAM").as_deref()).filter(|_| !tmux)
            {
                // Saying the terminal was asked would claim a copy that cannot have happened.
                let why = format!("{why}; {terminal} does not support copying by OSC 52");
                return (Copied::Failed(why.clone()), Some(why));
            }
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
            self.0 = Some(crate::platform::terminal::controlling_terminal()?);
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
    fn osc52_plain_and_through_tmux() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn terminal_app_is_not_said_to_have_been_asked() {
        use std::ffi::OsStr;
        assert_eq!(
            ignores_osc52(Some(OsStr::new("Apple_Terminal"))),
            Some("Terminal.app")
        );
        assert_eq!(ignores_osc52(Some(OsStr::new("iTerm.app"))), None);
        assert_eq!(ignores_osc52(None), None);
    }
}
