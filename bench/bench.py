#!/usr/bin/env python3
"""Measures places-setup side by side with what people use today; run it through `bash bench/run`.

Every figure comes from whole processes (start-up included: that is what a user pays), taken in
turns with its peer (peer, ours, peer, ours, ...) so that a burst of load from elsewhere on the
machine falls on both, and is reported as medians and ratios of medians. Instruction counts
(valgrind's callgrind) are given beside the timings because they do not depend on the load.
All traffic goes to the built-in emulator on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEER_DIR = BENCH / "peer"
JWT_AUTH_VERSION = "2.0.0"
MB = 1_000_000  # targets are in decimal megabytes


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ running


@dataclass
class Sample:
    wall: float  # seconds, from fork to reaped
    cpu: float  # user + system seconds of the child
    code: int
    stdout: str
    stderr: str


def run(argv: list[str], env: dict[str, str], stdin: bytes | None = None) -> Sample:
    """Runs one process to its end; wall time, CPU time and peak RSS from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            code=proc.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def checked(sample: Sample, what: str) -> Sample:
    if sample.code != 0:
        raise SystemExit(f"bench: {what} failed (exit {sample.code}):\n{sample.stderr.strip()}")
    return sample


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    def values(self, key: str) -> list[float]:
        return [getattr(s, key) for s in self.samples]

    def median(self, key: str = "wall") -> float:
        return statistics.median(self.values(key))

    def spread(self, key: str = "wall") -> tuple[float, float, float, float]:
        """min, median, p90 (nearest rank), max."""
        v = sorted(self.values(key))
        p90 = v[min(len(v) - 1, max(0, -(-9 * len(v) // 10) - 1))]
        return v[0], statistics.median(v), p90, v[-1]



def alternate(contenders: list[tuple[str, callable]], runs: int, warmup: int = 2) -> list[Series]:
    """Runs each contender in turn, `warmup` untimed rounds first (page cache, node's module cache)."""
    series = [Series(name) for name, _ in contenders]
    for round_ in range(warmup + runs):
        for s, (name, measure) in zip(series, contenders):
            sample = checked(measure(), name)
            if round_ >= warmup:
                s.samples.append(sample)
    return series


def peak_rss(argv: list[str], env: dict[str, str], runs: int, work: Path) -> float | None:
    """Largest peak RSS (MB) over `runs` runs, from GNU time's %M.

    Not from our own wait4: Linux carries a process's peak RSS across exec, so a child forked from
    this Python process would report Python's RSS when it is the larger. GNU time forks the
    command from a small process, whose few hundred kB are all that can leak in.
    """
    gnu_time = Path("/usr/bin/time")
    if not gnu_time.is_file():
        return None
    out = work / "time.out"
    peaks = []
    for _ in range(runs):
        checked(run([str(gnu_time), "-f", "%M", "-o", str(out), *argv], env), argv[0])
        peaks.append(int(out.read_text().split()[-1]))
    return max(peaks) * 1024 / MB


def instructions(argv: list[str], env: dict[str, str], work: Path, within: str | None = None):
    """Instructions executed by one process (all its threads), counted by callgrind; with `within`,
    (total, instructions inside that function and its callees)."""
    if not shutil.which("valgrind"):
        return None
    out = work / "callgrind.out"
    sample = run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
        env,
    )
    total = None
    for line in sample.stderr.splitlines():
        if "Collected :" in line:
            total = int(line.rsplit(":", 1)[1].strip())
    if total is None:
        say(f"bench: callgrind gave no count for {argv[0]} (exit {sample.code})")
        return None
    if within is None:
        return total
    annotated = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", str(out)], capture_output=True, text=True
    ).stdout
    for line in annotated.splitlines():
        if f":{within} " in line or line.rstrip().endswith(f":{within}"):
            return total, int(line.split()[0].replace(",", ""))
    say(f"bench: callgrind saw no {within} in {argv[0]}")
    return None


# ------------------------------------------------------------------------------------------ machine


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def first_line(argv: list[str]) -> str:
    try:
        text = subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
        return text.strip().splitlines()[0] if text.strip() else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# ------------------------------------------------------------------------------------------ set-up


def cargo_target_dir() -> Path:
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(json.loads(meta.stdout)["target_directory"])


def build_release() -> Path:
    say("bench: building the release binary (cargo build --release --locked)…")
    start = time.perf_counter()
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    say(f"bench: built in {time.perf_counter() - start:.1f} s")
    return cargo_target_dir() / "release" / "places-setup"


def install_jwt_auth() -> Path | None:
    """Installs @adobe/jwt-auth into bench/peer/node_modules; None (saying why) when it cannot."""
    installed = PEER_DIR / "node_modules" / "@adobe" / "jwt-auth" / "package.json"
    if not shutil.which("node") or not shutil.which("npm"):
        say("bench: SKIPPING the @adobe/jwt-auth peer: node and npm are not installed "
            "(Debian: apt-get install nodejs npm)")
        return None
    try:
        if json.loads(installed.read_text()).get("version") == JWT_AUTH_VERSION:
            return PEER_DIR / "jwt-auth.js"
    except (OSError, ValueError):
        pass
    say(f"bench: installing @adobe/jwt-auth@{JWT_AUTH_VERSION} into {PEER_DIR.relative_to(ROOT)}/node_modules…")
    try:
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
            cwd=PEER_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        say("bench: SKIPPING the @adobe/jwt-auth peer: npm install took over 5 minutes")
        return None
    if done.returncode != 0 or not installed.is_file():
        say("bench: SKIPPING the @adobe/jwt-auth peer: npm install failed:\n" + done.stderr.strip()[-2000:])
        return None
    return PEER_DIR / "jwt-auth.js"


class Emulator:
    """`places-setup emulator` on loopback; stopped by `stop()` (and by bench/run's trap)."""

    def __init__(self, binary: Path, certificate: Path, work: Path, env: dict[str, str]):
        self.log = open(work / "emulator.log", "wb")
        self.proc = subprocess.Popen(
            [str(binary), "emulator", "--certificate", str(certificate)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        (work / "emulator.pid").write_text(str(self.proc.pid))
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.stop()
            raise SystemExit("bench: the emulator did not start; see " + str(work / "emulator.log"))
        self.info = json.loads(line)
        if not self.info["ims_url"].startswith("http://127.0.0.1:"):
            self.stop()
            raise SystemExit(f"bench: the emulator is not on loopback: {self.info['ims_url']}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def loopback_env(base: dict[str, str]) -> dict[str, str]:
    """The caller's environment, minus anything that could send a request off this machine."""
    env = {k: v for k, v in base.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.pop("RUST_LOG", None)
    return env


# ------------------------------------------------------------------------------------------ measures


@dataclass
class Row:
    what: str
    ours: str
    peer: str
    ratio: str
    target: str
    met: str


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def spread_ms(series: Series) -> str:
    lo, med, p90, hi = series.spread()
    return f"{med * 1000:.1f} ms ({lo * 1000:.0f}/{p90 * 1000:.0f}/{hi * 1000:.0f})"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def fresh_token(ctx, rows: list[Row], runs: int) -> None:
    ours = [str(ctx.binary), "token", "--force"]
    contenders = []
    if ctx.peer_script:
        peer = ["node", str(ctx.peer_script)]
        contenders.append(("@adobe/jwt-auth", lambda: run(peer, ctx.peer_env)))
    contenders.append(("places-setup token --force", lambda: run(ours, ctx.env)))
    say(f"bench: fresh token, {runs} runs each, alternating…")
    series = alternate(contenders, runs)
    mine = series[-1]
    theirs = series[0] if ctx.peer_script else None
    ratio = mine.median() / theirs.median() if theirs else None
    rows.append(Row(
        f"Fresh token (JWT exchange, whole process), wall median (min/p90/max), n={runs}",
        spread_ms(mine),
        spread_ms(theirs) if theirs else "skipped",
        f"{ratio:.3f}" if ratio is not None else "n/a",
        "≤ 0.10",
        verdict(ratio <= 0.10 if ratio is not None else None),
    ))
    cpu_ratio = mine.median("cpu") / theirs.median("cpu") if theirs else None
    rows.append(Row(
        "Fresh token, client CPU time (user+sys) median",
        ms(mine.median("cpu")),
        ms(theirs.median("cpu")) if theirs else "skipped",
        f"{cpu_ratio:.3f}" if cpu_ratio is not None else "n/a",
        "(context)",
        "",
    ))
    ctx.rss["token --force"] = peak_rss(ours, ctx.env, 5, ctx.work)
    if theirs:
        ctx.rss["peer"] = peak_rss(["node", str(ctx.peer_script)], ctx.peer_env, 5, ctx.work)
    if ctx.instructions:
        ours_i = instructions(ours, ctx.env, ctx.work)
        peer_i = instructions(["node", str(ctx.peer_script)], ctx.peer_env, ctx.work) if theirs else None
        rows.append(Row(
            "Fresh token, instructions of the client process (callgrind, all threads)",
            f"{ours_i / 1e6:.0f} M" if ours_i else "n/a",
            f"{peer_i / 1e6:.0f} M" if peer_i else "skipped",
            f"{ours_i / peer_i:.3f}" if ours_i and peer_i else "n/a",
            "(context)",
            "",
        ))


def cached_token(ctx, rows: list[Row], runs: int) -> None:
    argv = [str(ctx.binary), "token"]
    checked(run([str(ctx.binary), "token", "--force"], ctx.env), "token --force")
    say(f"bench: cached token, {runs} runs…")
    # No peer caches tokens; `openssl version` shows what any program loading the same shared
    # OpenSSL pays just to start, and /bin/true what this harness pays to start any process.
    openssl_cmd = ["openssl", "version"] if shutil.which("openssl") else ["/bin/true"]
    floor, openssl, series = alternate([
        ("/bin/true", lambda: run(["/bin/true"], ctx.env)),
        ("openssl version", lambda: run(openssl_cmd, ctx.env)),
        ("places-setup token", lambda: run(argv, ctx.env)),
    ], runs, warmup=3)
    med = series.median()
    rows.append(Row(
        f"Cached token (whole process), wall median (min/p90/max), n={runs}",
        spread_ms(series),
        f"`openssl version` {spread_ms(openssl)}; `/bin/true` {spread_ms(floor)}",
        f"{med / openssl.median():.2f} (vs openssl version)",
        "< 5 ms",
        verdict(med < 0.005),
    ))
    rows.append(Row(
        "Cached token, CPU time (user+sys) median",
        ms(series.median("cpu")),
        f"`openssl version` {ms(openssl.median('cpu'))}",
        f"{series.median('cpu') / max(openssl.median('cpu'), 1e-9):.2f}",
        "(context)", "",
    ))
    ctx.rss["token (cached)"] = peak_rss(argv, ctx.env, 5, ctx.work)
    if ctx.instructions:
        count = instructions(argv, ctx.env, ctx.work)
        rows.append(Row(
            "Cached token, instructions (callgrind)",
            f"{count / 1e6:.1f} M" if count else "n/a",
            "—", "—", "(context)", "",
        ))


def key_generation(ctx, rows: list[Row], runs: int) -> None:
    dirs = ctx.work / "keygen"
    counter = iter(range(10**6))

    def ours_argv(d: Path) -> list[str]:
        return [str(ctx.binary), "keys", "--dir", str(d), "--name", "bench"]

    def openssl_argv(d: Path) -> list[str]:
        return [
            "openssl", "req", "-x509", "-sha256", "-nodes", "-days", "365", "-newkey", "rsa:2048",
            "-keyout", str(d / "bench_private.key"), "-out", str(d / "bench_public.crt"),
            "-subj", "/CN=bench",
        ]

    def ours() -> Sample:
        return run(ours_argv(dirs / f"ours{next(counter)}"), ctx.env)

    def openssl() -> Sample:
        d = dirs / f"openssl{next(counter)}"
        d.mkdir(parents=True)
        return run(openssl_argv(d), ctx.env)

    contenders = []
    have_openssl = shutil.which("openssl") is not None
    if have_openssl:
        contenders.append(("openssl req", openssl))
    else:
        say("bench: SKIPPING the openssl peer for key generation: openssl is not installed")
    contenders.append(("places-setup keys", ours))
    say(f"bench: key generation, {runs} runs each, alternating…")
    series = alternate(contenders, runs, warmup=1)
    mine = series[-1]
    theirs = series[0] if have_openssl else None
    ratio = mine.median() / theirs.median() if theirs else None
    rows.append(Row(
        f"Key generation (RSA 2048 + self-signed cert), wall median (min/p90/max), n={runs}",
        spread_ms(mine),
        spread_ms(theirs) if theirs else "skipped",
        f"{ratio:.2f}" if ratio is not None else "n/a",
        "≤ 1.0",
        verdict(ratio <= 1.0 if ratio is not None else None),
    ))
    if ctx.instructions and theirs:
        # Both spend nearly everything in the same OpenSSL function, whose prime search takes a
        # random time; what is left is each program's own overhead, the same on every run.
        keygen = "RSA_generate_multi_prime_key"
        a = instructions(ours_argv(dirs / "callgrind-ours"), ctx.env, ctx.work, keygen)
        (dirs / "callgrind-openssl").mkdir(parents=True)
        b = instructions(openssl_argv(dirs / "callgrind-openssl"), ctx.env, ctx.work, keygen)
        if a and b:
            rows.append(Row(
                f"Key generation, instructions outside {keygen} (callgrind; the rest is the prime search, same code in both)",
                f"{(a[0] - a[1]) / 1e6:.1f} M", f"{(b[0] - b[1]) / 1e6:.1f} M",
                f"{(a[0] - a[1]) / (b[0] - b[1]):.2f}", "(context)", "",
            ))
    cpu_ratio = mine.median("cpu") / theirs.median("cpu") if theirs else None
    rows.append(Row(
        "Key generation, CPU time (user+sys) median",
        ms(mine.median("cpu")),
        ms(theirs.median("cpu")) if theirs else "skipped",
        f"{cpu_ratio:.2f}" if cpu_ratio is not None else "n/a",
        "(context)",
        "",
    ))
    shutil.rmtree(dirs, ignore_errors=True)


def footprint(ctx, rows: list[Row]) -> None:
    peer_mb = ctx.rss.get("peer")
    for what, mb in ctx.rss.items():
        if what == "peer":
            continue
        with_peer = what == "token --force" and peer_mb is not None
        rows.append(Row(
            f"Peak RSS, `{what}` (largest of 5 runs, GNU time)",
            f"{mb:.1f} MB" if mb is not None else "not measured: install GNU time",
            f"{peer_mb:.1f} MB (node)" if with_peer else "—",
            f"{mb / peer_mb:.2f}" if with_peer and mb is not None else "—",
            "< 15 MB",
            verdict(mb < 15 if mb is not None else None),
        ))
    size = ctx.binary.stat().st_size
    rows.append(Row(
        "Release binary size (profile.release as committed)",
        f"{size / MB:.2f} MB",
        "—", "—", "< 10 MB", verdict(size < 10 * MB),
    ))


def clean_build(ctx, rows: list[Row], limit: int) -> None:
    target = Path(tempfile.mkdtemp(prefix="places-setup-bench-build-"))
    say(f"bench: clean release build into {target} (at most {limit} s)…")
    load_before = loadavg()
    busy0, total0 = cpu_times()
    start = time.perf_counter()
    try:
        done = subprocess.run(
            ["cargo", "build", "--release", "--locked", "--quiet"],
            cwd=ROOT,
            env={**os.environ, "CARGO_TARGET_DIR": str(target)},
            timeout=limit,
        )
        elapsed = time.perf_counter() - start
        figure = f"{elapsed:.0f} s" if done.returncode == 0 else f"failed (exit {done.returncode})"
    except subprocess.TimeoutExpired:
        figure = f"> {limit} s (stopped)"
    finally:
        shutil.rmtree(target, ignore_errors=True)
    busy1, total1 = cpu_times()
    busy = 100 * (busy1 - busy0) / max(1, total1 - total0)
    rows.append(Row(
        "Clean release build (fresh CARGO_TARGET_DIR, crates already downloaded), wall",
        figure, "—", "—", "report",
        f"load {load_before} → {loadavg()}, CPUs {busy:.0f}% busy",
    ))


def wizard(ctx, rows: list[Row]) -> None:
    """The wizard (issue 5): first frame, idle CPU, background key generation and peak memory in a
    real pseudo-terminal (bench/wizard.py), and a keystroke redraw of the largest screen (criterion,
    benches/redraw.rs, on ratatui's TestBackend)."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "wizard.py"), str(ctx.binary), "20"],
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        rows.append(Row("Wizard (bench/wizard.py)", f"failed: {out.stderr.strip()[-200:]}", "—", "—", "", "no"))
    else:
        w = json.loads(out.stdout)
        ff = w["first_frame_ms"]
        rows.append(Row(f"Wizard: first frame in a pseudo-terminal (`demo`), median (min/max), n={ff['runs']}",
                        f"{ff['median']:.1f} ms ({ff['min']:.0f}/{ff['max']:.0f})", "—", "—", "≤ 20 ms",
                        "yes" if ff["median"] <= 20 else "**no**"))
        idle = w["idle_cpu_ms_over_10s"]
        rows.append(Row("Wizard: CPU over 10 idle seconds", f"{idle:.0f} ms", "—", "—", "0",
                        "yes" if idle == 0 else "**no**"))
        kg = w["background_keygen_ms"]
        rows.append(Row("Wizard: RSA key ready after the folder is chosen (a person then types 7 fields)",
                        f"{kg['median']:.0f} ms median, max {kg['max']:.0f} ms", "—", "—", "before submit",
                        "yes" if kg["max"] < 5000 else "**no**"))
        rows.append(Row("Wizard: peak RSS", f"{w['peak_rss_mib']:.1f} MB", "—", "—", "< 15 MB",
                        "yes" if w["peak_rss_mib"] < 15 else "**no**"))
    bench = subprocess.run(["cargo", "bench", "--locked", "--bench", "redraw"], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    estimates = ROOT / "target" / "criterion" / "keystroke + redraw, subject form 80x24" / "new" / "estimates.json"
    if bench.returncode == 0 and estimates.exists():
        median_ns = json.loads(estimates.read_text())["median"]["point_estimate"]
        rows.append(Row("Wizard: keystroke + redraw, subject form 80×24 (criterion, TestBackend), median",
                        f"{median_ns / 1000:.0f} µs", "—", "—", "< 1 ms", "yes" if median_ns < 1e6 else "**no**"))
    else:
        rows.append(Row("Wizard: keystroke redraw (criterion)", "failed to run", "—", "—", "< 1 ms", "no"))


# ------------------------------------------------------------------------------------------ report


def table(rows: list[Row]) -> str:
    lines = [
        "| what | ours | peer | ratio | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.what} | {r.ours} | {r.peer} | {r.ratio} | {r.target} | {r.met} |")
    return "\n".join(lines)


def conditions(ctx, started: float, load_start: str, busy: float) -> str:
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD"]).returncode != 0
    return "\n".join([
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}; commit {commit}{' (with local changes)' if dirty else ''}",
        f"- machine: {os.cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()}",
        f"- load average at start {load_start}, at end {loadavg()}; all CPUs {busy:.0f}% busy during the "
        "measurements (the benchmark's own processes included; the rest is other work on the machine)",
        f"- {first_line([str(ctx.binary), '--version'])}; {first_line(['rustc', '--version'])}; "
        f"{first_line(['openssl', 'version'])}; node {first_line(['node', '--version'])}; "
        f"@adobe/jwt-auth {JWT_AUTH_VERSION if ctx.peer_script else 'skipped'}",
        f"- SSL_CERT_FILE {'set' if os.environ.get('SSL_CERT_FILE') else 'unset'}; "
        "the emulator runs on 127.0.0.1 in its own process, so its work is in every wall time "
        "but not in the client CPU and instruction figures",
        f"- total run time {time.perf_counter() - started:.0f} s; spread given as min/p90/max",
    ])


@dataclass
class Context:
    binary: Path
    work: Path
    env: dict[str, str]
    peer_env: dict[str, str]
    peer_script: Path | None
    instructions: bool
    rss: dict[str, float] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each timed command (≥ 20)")
    parser.add_argument("--cached-runs", type=int, default=50, help="runs of the cached token (≥ 50)")
    parser.add_argument("--keygen-runs", type=int, default=40,
                        help="runs of each key generation (≥ 20; RSA prime search varies a lot)")
    parser.add_argument("--quick", action="store_true", help="skip callgrind and the clean build")
    parser.add_argument("--no-build-time", action="store_true", help="skip the clean release build")
    parser.add_argument("--build-limit", type=int, default=420, help="seconds the clean build may take")
    parser.add_argument("--binary", type=Path, help="measure this binary instead of building one")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md")
    args = parser.parse_args()

    started = time.perf_counter()
    load_start = loadavg()
    work = Path(os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="places-setup-bench-"))
    binary = args.binary.resolve() if args.binary else build_release()
    peer_script = install_jwt_auth()

    base = loopback_env(dict(os.environ))
    base["PLACES_SETUP_CONFIG_DIR"] = str(work / "config")
    keys = work / "keys"
    checked(run([str(binary), "keys", "--dir", str(keys), "--name", "bench"], base), "keys")
    private_key = keys / "bench_private.key"

    emulator = Emulator(binary, keys / "bench_public.crt", work, base)
    rows: list[Row] = []
    busy0, total0 = cpu_times()
    try:
        info = emulator.info
        env = {**base, "PLACES_SETUP_IMS_URL": info["ims_url"]}
        checked(run([
            str(binary), "init", "--auth", "jwt", "--org-id", info["org_id"],
            "--client-id", info["jwt_client_id"],
            "--technical-account-id", info["technical_account_id"],
            "--private-key", str(private_key), "--client-secret-stdin",
        ], env, stdin=info["client_secret"].encode()), "init")
        peer_env = {
            **base,
            "BENCH_IMS_URL": info["ims_url"],
            "BENCH_CLIENT_ID": info["jwt_client_id"],
            "BENCH_TECHNICAL_ACCOUNT_ID": info["technical_account_id"],
            "BENCH_ORG_ID": info["org_id"],
            "BENCH_CLIENT_SECRET": info["client_secret"],
            "BENCH_PRIVATE_KEY": str(private_key),
        }
        if peer_script:
            trial = run(["node", str(peer_script)], peer_env)
            if trial.code != 0 or not trial.stdout.startswith("ey"):
                say("bench: SKIPPING the @adobe/jwt-auth peer: it could not exchange against the "
                    f"emulator: {trial.stderr.strip()}")
                peer_script = None
        ctx = Context(binary, work, env, peer_env, peer_script,
                      instructions=not args.quick and shutil.which("valgrind") is not None)
        if not args.quick and not ctx.instructions:
            say("bench: no instruction counts: valgrind is not installed (Debian: apt-get install valgrind)")

        fresh_token(ctx, rows, max(args.runs, 1))
        cached_token(ctx, rows, max(args.cached_runs, 1))
        key_generation(ctx, rows, max(args.keygen_runs, 1))
    finally:
        emulator.stop()
    busy1, total1 = cpu_times()
    busy = 100 * (busy1 - busy0) / max(1, total1 - total0)
    footprint(ctx, rows)
    if not (args.quick or args.no_build_time or args.binary):
        clean_build(ctx, rows, args.build_limit)
    wizard(ctx, rows)

    report = table(rows)
    text = (
        "# places-setup benchmarks\n\n"
        "Written by `bash bench/run`; see bench/README.md for what each figure means.\n\n"
        f"{report}\n\n## Conditions\n\n{conditions(ctx, started, load_start, busy)}\n"
    )
    args.results.write_text(text)
    print(report)
    print()
    print(conditions(ctx, started, load_start, busy))
    say(f"bench: written to {args.results}")
    return 0


if __name__ == "__main__":
    # SIGTERM and SIGHUP unwind like Ctrl-C, so `finally` stops the emulator.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))
    sys.exit(main())
