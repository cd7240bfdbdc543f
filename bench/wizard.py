#!/usr/bin/env python3
"""The wizard's figures, measured on the real binary in a pseudo-terminal (80x24):

- first frame: time from exec to the first screen (the Welcome title) on the terminal, median of N runs;
- idle CPU: user+system CPU time used over 10 idle seconds on the Welcome screen;
- peak RSS of the wizard (VmHWM, read just before it is stopped);
- background key generation: time from leaving the key-folder screen to "key ready" on the subject
  form, which a person fills in seconds.

Usage: bench/wizard.py BINARY [RUNS]. Prints JSON.
"""
import fcntl, json, os, pty, select, signal, statistics, struct, sys, tempfile, termios, time


def spawn(binary, config):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"NO_COLOR": "1", "TERM": "xterm-256color", "DISPLAY": "", "WAYLAND_DISPLAY": ""})
        os.execv(binary, [binary, "--config-dir", config, "demo"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def read_until(fd, needle, limit=10.0):
    seen = b""
    deadline = time.monotonic() + limit
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{needle!r} not seen; got {seen[-200:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return time.monotonic()


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


def peak_kib(pid):
    """The wizard's own peak RSS (VmHWM). Not wait4's ru_maxrss: the child is forked from this
    Python process, and Linux keeps the larger of the two peaks across exec."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def finish(pid, fd):
    peak = peak_kib(pid)
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)
    return peak  # KiB


def main():
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    first_frames, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config")
        for _ in range(runs):
            start = time.monotonic()
            pid, fd = spawn(binary, config)
            first_frames.append((read_until(fd, b"Welcome") - start) * 1000)
            peaks.append(finish(pid, fd))
        keygen = []
        for i in range(5):
            pid, fd = spawn(binary, os.path.join(tmp, f"keygen{i}"))
            read_until(fd, b"Welcome")
            os.write(fd, b"\r")
            # The screen is drawn as a diff of the last: "· Welcome" becomes "· 1/7 Prerequisites"
            # with the cells that did not change left out, so only a run that changed is waited for.
            read_until(fd, b"requisites")
            os.write(fd, b"\r")
            time.sleep(0.1)
            os.write(fd, b"\r")
            read_until(fd, b"Key folder")
            time.sleep(0.2)
            start = time.monotonic()
            os.write(fd, b"\r")
            keygen.append((read_until(fd, b"key ready") - start) * 1000)
            peaks.append(finish(pid, fd))
        pid, fd = spawn(binary, config)
        read_until(fd, b"Welcome")
        time.sleep(0.5)
        before = cpu_ticks(pid)
        time.sleep(10)
        idle_ticks = cpu_ticks(pid) - before
        peaks.append(finish(pid, fd))
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    print(json.dumps({
        "first_frame_ms": {"median": statistics.median(first_frames), "min": min(first_frames),
                           "max": max(first_frames), "runs": runs},
        "idle_cpu_ms_over_10s": idle_ticks * tick_ms,
        "peak_rss_mib": max(peaks) / 1024,
        "background_keygen_ms": {"median": statistics.median(keygen), "max": max(keygen), "runs": len(keygen)},
    }, indent=2))


if __name__ == "__main__":
    main()
