//! The real binary in a pseudo-terminal, for what it does only at a terminal (asking, indenting).
use super::home::{Home, OUTER_VARIABLES};
use std::process::Command;

/// `places-setup ARGS` in a pseudo-terminal, typing `answer` once `prompt` appears (an empty
/// prompt: nothing is typed); returns the exit code and everything the terminal showed.
pub fn at_terminal(home: &Home, args: &[&str], prompt: &str, answer: &str) -> (i32, String) {
    const DRIVER: &str = r#"
import os, pty, select, sys, time
prompt, answer = os.environ.pop("PTY_PROMPT").encode(), os.environ.pop("PTY_ANSWER").encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out, answered, deadline = b"", False, time.time() + 60
while time.time() < deadline:
    if prompt and not answered and prompt in out:
        os.write(fd, answer + b"\n")
        answered = True
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        out += data
_, status = os.waitpid(pid, 0)
sys.stdout.write(str(os.waitstatus_to_exitcode(status)) + "\n" + out.decode("utf-8", "replace"))
"#;
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(DRIVER)
        .arg(assert_cmd::cargo::cargo_bin("places-setup"))
        .args(args)
        .current_dir(home.path())
        .envs(home.environment())
        .env("PTY_PROMPT", prompt)
        .env("PTY_ANSWER", answer);
    for k in OUTER_VARIABLES {
        cmd.env_remove(k);
    }
    let out = cmd
        .output()
        .expect("python3 runs (scripts/setup installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (code, output) = text.split_once('\n').expect("the driver's answer");
    (code.parse().expect("an exit code"), output.to_string())
}
