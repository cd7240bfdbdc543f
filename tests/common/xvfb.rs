//! A real X server (Xvfb) for clipboard tests, and `xclip` to read what was copied.
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    /// Starts Xvfb on the first free display from 90 on (`scripts/setup` installs it).
    pub fn start() -> Xvfb {
        for n in 90 + (std::process::id() % 50)..400 {
            if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let mut child = Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-nolisten",
                    "tcp",
                    "-screen",
                    "0",
                    "640x480x24",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb is installed (scripts/setup installs it)");
            let socket = format!("/tmp/.X11-unix/X{n}");
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if Path::new(&socket).exists() {
                    return Xvfb {
                        child,
                        display: format!(":{n}"),
                    };
                }
                if child.try_wait().ok().flatten().is_some() || Instant::now() > deadline {
                    let _ = child.kill();
                    break; // taken by someone else: try the next one
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("no free X display for Xvfb");
    }

    /// What `xclip` reads from the CLIPBOARD selection (optionally one target, e.g. TARGETS).
    pub fn clipboard(&self, target: Option<&str>) -> String {
        let mut cmd = Command::new("xclip");
        cmd.args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", &self.display);
        if let Some(t) = target {
            cmd.args(["-t", t]);
        }
        let out = cmd
            .output()
            .expect("xclip is installed (scripts/setup installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
