//! The real binary in a pseudo-terminal, for what it does only at a terminal (asking, indenting).
use super::home::{Home, OUTER_VARIABLES};
use std::process::Command;

/// Runs the binary in a pseudo-terminal and types each answer in order, as a person at a terminal
/// would: once its prompt has appeared after the previous answer's and, for a secret, once the
/// program has turned echo off. After 60 s the program is killed.
const DRIVER: &str = r#"
import json, os, pty, select, sys, termios, time
answers = json.loads(os.environ.pop("PTY_ANSWERS"))
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out, seen, answered = b"", 0, 0
deadline = time.time() + 60
while time.time() < deadline:
    if answered < len(answers):
        answer = answers[answered]
        prompt = answer["prompt"].encode()
        at = out.find(prompt, seen)
        if at >= 0:
            while answer["secret"] and termios.tcgetattr(fd)[3] & termios.ECHO and time.time() < deadline:
                time.sleep(0.01)
            os.write(fd, answer["text"].encode() + b"\n")
            seen = at + len(prompt)
            answered += 1
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        out += data
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "output": out.decode("utf-8", "replace")}))
"#;

/// One line typed at the terminal: `text` once `prompt` has appeared.
pub struct Answer<'a> {
    pub prompt: &'a str,
    pub text: &'a str,
    /// Typed only once the program has turned echo off (a passphrase read with rpassword); a
    /// question such as `[y/N]` keeps echo on.
    pub secret: bool,
}

impl<'a> Answer<'a> {
    /// An answer to a question that shows what is typed.
    pub fn shown(prompt: &'a str, text: &'a str) -> Answer<'a> {
        Answer {
            prompt,
            text,
            secret: false,
        }
    }

    /// An answer to a prompt that hides what is typed.
    pub fn secret(prompt: &'a str, text: &'a str) -> Answer<'a> {
        Answer {
            prompt,
            text,
            secret: true,
        }
    }
}

/// How a run in the terminal ended and everything the terminal showed.
pub struct Typed {
    pub code: i32,
    pub output: String,
}

/// `places-setup ARGS` in a pseudo-terminal with these variables added, typing `answers` in order.
pub fn in_terminal(home: &Home, args: &[&str], answers: &[Answer], env: &[(&str, &str)]) -> Typed {
    let answers: Vec<serde_json::Value> = answers
        .iter()
        .map(|a| serde_json::json!({"prompt": a.prompt, "text": a.text, "secret": a.secret}))
        .collect();
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(DRIVER)
        .arg(assert_cmd::cargo::cargo_bin("places-setup"))
        .args(args)
        .current_dir(home.path())
        .envs(home.environment())
        .env("PTY_ANSWERS", serde_json::Value::from(answers).to_string());
    for k in OUTER_VARIABLES {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().copied());
    let out = cmd
        .output()
        .expect("python3 runs (scripts/setup installs it)");
    assert!(
        out.status.success(),
        "the driver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("the driver prints JSON");
    Typed {
        code: answer["code"].as_i64().expect("an exit code") as i32,
        output: answer["output"].as_str().expect("the output").to_string(),
    }
}

/// `places-setup ARGS` in a pseudo-terminal, typing `answer` once `prompt` appears (an empty
/// prompt: nothing is typed); returns the exit code and everything the terminal showed.
pub fn at_terminal(home: &Home, args: &[&str], prompt: &str, answer: &str) -> (i32, String) {
    let answers = if prompt.is_empty() {
        vec![]
    } else {
        vec![Answer::shown(prompt, answer)]
    };
    let typed = in_terminal(home, args, &answers, &[]);
    (typed.code, typed.output)
}
