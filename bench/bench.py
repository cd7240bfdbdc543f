#!/usr/bin/env python3
"""Measures places-setup side by side with what people use today; run it through `bash bench/run`.

Peers: Adobe's @adobe/aio-lib-ims (the token code of the `aio` CLI) for an OAuth Server-to-Server
token, fresh and cached; Adobe's @adobe/jwt-auth for a JWT exchange; `openssl req` for key
generation; `/bin/true` and `openssl version` for the start-up floor.

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
PEER_DIR = BENCH / "peer"  # the peers' scripts; the packages are installed under target/bench-peers
PEERS = {"@adobe/jwt-auth": "2.0.0", "@adobe/aio-lib-ims": "8.1.2"}
BASELINE = BENCH / "baseline-before-hardening.json"
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
    faults: int = 0  # minor + major page faults of the child (wait4)


def run(argv: list[str], env: dict[str, str], stdin: bytes | None = None,
        cwd: Path | None = None) -> Sample:
    """Runs one process to its end; wall time and CPU time from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
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
            faults=usage.ru_minflt + usage.ru_majflt,
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


def peak_rss(argv: list[str], env: dict[str, str], runs: int, work: Path,
             cwd: Path | None = None, prepare=None) -> float | None:
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
        if prepare:
            prepare()
        checked(run([str(gnu_time), "-f", "%M", "-o", str(out), *argv], env, cwd=cwd), argv[0])
        peaks.append(int(out.read_text().split()[-1]))
    return max(peaks) * 1024 / MB


def instructions(argv: list[str], env: dict[str, str], work: Path, within: str | None = None,
                 cwd: Path | None = None):
    """Instructions executed by one process (all its threads), counted by callgrind; with `within`,
    (total, instructions inside that function and its callees)."""
    if not shutil.which("valgrind"):
        return None
    out = work / "callgrind.out"
    sample = run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
        env,
        cwd=cwd,
    )
    if sample.code != 0:
        say(f"bench: {argv[0]} failed under callgrind (exit {sample.code}): {sample.stderr.strip()[-500:]}")
        return None
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


def instruction_counts(argv: list[str], env: dict[str, str], work: Path, runs: int,
                       prepare=None, cwd: Path | None = None) -> list[int] | None:
    """`runs` callgrind counts: a fresh token's count moves by a percent or so from run to run (RSA
    blinding, how many times the runtime polls the socket), so rows keep the median."""
    counts = []
    for _ in range(runs):
        if prepare:
            prepare()
        count = instructions(argv, env, work, cwd=cwd)
        if count is None:
            return None
        counts.append(count)
    return counts


def median_instructions(argv: list[str], env: dict[str, str], work: Path, runs: int,
                        prepare=None, cwd: Path | None = None) -> int | None:
    counts = instruction_counts(argv, env, work, runs, prepare, cwd)
    return int(statistics.median(counts)) if counts else None


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


def hello_world(target_dir: Path) -> list[str] | None:
    """bench/peer/hello.rs built with `rustc -O` into target/bench-peers: what starting any Rust
    program costs, beside /bin/true. None (saying why) when it cannot be built."""
    source = PEER_DIR / "hello.rs"
    binary = target_dir / "bench-peers" / "hello"
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return [str(binary)]
    binary.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["rustc", "-O", "-o", str(binary), str(source)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        say("bench: SKIPPING the Rust hello world: rustc failed:\n" + done.stderr.strip()[-500:])
        return None
    return [str(binary)]


def install_peers(target_dir: Path) -> Path | None:
    """Installs PEERS from the npm registry into target/bench-peers, a folder of their own beside the
    build (not in the repository); returns its node_modules, or None (saying why) when it cannot."""
    home = target_dir / "bench-peers"
    modules = home / "node_modules"
    if not shutil.which("node") or not shutil.which("npm"):
        say("bench: SKIPPING the Node peers (@adobe/aio-lib-ims, @adobe/jwt-auth): node and npm are "
            "not installed (Debian: apt-get install nodejs npm)")
        return None

    def installed() -> bool:
        for name, version in PEERS.items():
            try:
                if json.loads((modules / name / "package.json").read_text()).get("version") != version:
                    return False
            except (OSError, ValueError):
                return False
        return True

    if installed():
        return modules
    wanted = ", ".join(f"{name}@{version}" for name, version in PEERS.items())
    say(f"bench: installing {wanted} from the npm registry into {home}…")
    home.mkdir(parents=True, exist_ok=True)
    (home / "package.json").write_text(json.dumps({
        "name": "places-setup-bench-peers",
        "private": True,
        "description": "What bench/run measures places-setup against; installed by bench/run, never shipped",
        "dependencies": PEERS,
    }, indent=2) + "\n")
    try:
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
            cwd=home, capture_output=True, text=True, timeout=300,
        )
    except subprocess.TimeoutExpired:
        say("bench: SKIPPING the Node peers: npm install took over 5 minutes")
        return None
    if done.returncode != 0 or not installed():
        say("bench: SKIPPING the Node peers: npm install failed:\n" + done.stderr.strip()[-2000:])
        return None
    return modules


def peer_version(modules: Path | None, name: str) -> str:
    try:
        return json.loads((modules / name / "package.json").read_text())["version"]
    except (TypeError, OSError, ValueError, KeyError):
        return "skipped"


class Emulator:
    """`places-setup emulator` on loopback (with `tls`, over HTTPS with a throw-away CA); stopped by
    `stop()` (and by bench/run's trap)."""

    def __init__(self, binary: Path, certificate: Path, work: Path, env: dict[str, str], tls: bool = False):
        name = "emulator-tls" if tls else "emulator"
        self.log_path = work / f"{name}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(binary), "emulator", "--certificate", str(certificate), *(["--tls"] if tls else [])],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        (work / f"{name}.pid").write_text(str(self.proc.pid))
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.stop()
            raise EmulatorMissing(f"the {name} did not start: "
                                  f"{self.log_path.read_text(errors='replace').strip()[-300:]}")
        self.info = json.loads(line)
        scheme = "https" if tls else "http"
        if not self.info["ims_url"].startswith(f"{scheme}://127.0.0.1:"):
            self.stop()
            raise SystemExit(f"bench: the {name} is not on loopback {scheme}: {self.info['ims_url']}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class EmulatorMissing(Exception):
    pass


def loopback_env(base: dict[str, str]) -> dict[str, str]:
    """The caller's environment, minus anything that could send a request off this machine."""
    env = {k: v for k, v in base.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.pop("RUST_LOG", None)
    return env


def system_ca_bundle() -> Path | None:
    """The bundle a real exchange with IMS verifies against, so that loading it is measured too."""
    for candidate in (os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt",
                      "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def ca_count() -> int | None:
    bundle = system_ca_bundle()
    try:
        return bundle.read_text(errors="replace").count("BEGIN CERTIFICATE") if bundle else None
    except OSError:
        return None


class AioPeer:
    """@adobe/aio-lib-ims getting an OAuth Server-to-Server token the way `aio` does, from an IMS
    context in its configuration. HOME (so ~/.config/aio) and the working directory (where aio also
    reads .aio and .env) are folders of this benchmark's own, and AIO_* variables are dropped, so
    nothing touches, or is read from, the real aio configuration."""

    def __init__(self, modules: Path, work: Path, base: dict[str, str], info: dict):
        self.home = work / "aio-home"
        self.cwd = work / "aio-cwd"
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.config = self.home / ".config" / "aio"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in base.items()
               if not k.upper().startswith("AIO_") and k not in ("XDG_CONFIG_HOME", "NODE_OPTIONS")}
        env.update({
            "HOME": str(self.home),
            "NODE_PATH": str(modules),
            "BENCH_IMS_URL": info["ims_url"],
            "BENCH_AIO_CONTEXT": "bench",
        })
        self.env = env
        self.argv = ["node", str(PEER_DIR / "aio-ims.js")]
        # What `aio` keeps for an OAuth Server-to-Server credential (as the Console's download has it).
        self.context = {
            "client_id": info["oauth_client_id"],
            "client_secrets": [info["client_secret"]],
            "technical_account_email": "bench@techacct.adobe.com",
            "technical_account_id": info["technical_account_id"],
            "scopes": info["scopes"].split(","),
            "ims_org_id": info["org_id"],
        }

    def clear(self) -> None:
        """The context without a cached token, so the next run asks IMS."""
        self.config.write_text(json.dumps({"ims": {"contexts": {"bench": self.context}}}))

    def has_cached_token(self) -> bool:
        """aio writes its configuration back as HJSON (unquoted keys), so this only looks for the
        token aio-lib-ims adds to the context."""
        try:
            return "access_token" in self.config.read_text()
        except OSError:
            return False

    def run(self) -> Sample:
        return run(self.argv, self.env, cwd=self.cwd)

    def fresh(self) -> Sample:
        self.clear()
        return self.run()



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


def ratio_text(value: float | None, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if value is not None else "n/a"


def mega(count: int | None, digits: int = 0) -> str:
    return f"{count / 1e6:.{digits}f} M" if count else "n/a"


def count_ours(ctx, key: str, argv: list[str], env: dict[str, str]) -> int | None:
    """Instructions of one of our rows (median of ctx.count_runs), remembered for the baseline."""
    counts = instruction_counts(argv, env, ctx.work, ctx.count_runs)
    ctx.counts[key] = int(statistics.median(counts)) if counts else None
    ctx.count_spread[key] = [min(counts), max(counts)] if counts else None
    return ctx.counts[key]


def fresh_oauth(ctx, rows: list[Row], runs: int) -> None:
    """OAuth Server-to-Server, what people use today: vs aio-lib-ims with its cached token cleared."""
    ours = [str(ctx.binary), "token", "--force"]
    aio = ctx.aio
    contenders = []
    if aio:
        contenders.append(("@adobe/aio-lib-ims (fresh)", aio.fresh))
    contenders.append(("places-setup token --force (OAuth)", lambda: run(ours, ctx.env)))
    say(f"bench: fresh OAuth Server-to-Server token, {runs} runs each, alternating…")
    series = alternate(contenders, runs)
    mine, theirs = series[-1], (series[0] if aio else None)
    ratio = mine.median() / theirs.median() if theirs else None
    rows.append(Row(
        f"Fresh token, OAuth Server-to-Server (whole process) vs `@adobe/aio-lib-ims`, wall median (min/p90/max), n={runs}",
        spread_ms(mine), spread_ms(theirs) if theirs else f"skipped: {ctx.aio_missing}",
        ratio_text(ratio), "≤ 0.02", verdict(ratio <= 0.02 if ratio is not None else None),
    ))
    cpu_ratio = mine.median("cpu") / theirs.median("cpu") if theirs else None
    rows.append(Row(
        "Fresh token, OAuth, client CPU time (user+sys) median",
        ms(mine.median("cpu")), ms(theirs.median("cpu")) if theirs else "skipped",
        ratio_text(cpu_ratio), "(context)", "",
    ))
    ctx.rss["token --force (OAuth)"] = peak_rss(ours, ctx.env, 5, ctx.work)
    if aio:
        ctx.rss["aio-lib-ims (fresh)"] = peak_rss(aio.argv, aio.env, 5, ctx.work, cwd=aio.cwd,
                                                  prepare=aio.clear)
    if ctx.instructions:
        ours_i = count_ours(ctx, "fresh_oauth", ours, ctx.env)
        peer_i = (median_instructions(aio.argv, aio.env, ctx.work, 1, prepare=aio.clear, cwd=aio.cwd)
                  if aio else None)
        rows.append(Row(
            "Fresh token, OAuth, instructions of the client process (callgrind, all threads)",
            mega(ours_i), mega(peer_i) if aio else "skipped",
            ratio_text(ours_i / peer_i if ours_i and peer_i else None), "(context)", "",
        ))


def fresh_jwt(ctx, rows: list[Row], runs: int) -> None:
    """The retired JWT exchange, vs Adobe's @adobe/jwt-auth."""
    ours = [str(ctx.binary), "token", "--force"]
    peer = ctx.jwt_peer
    contenders = []
    if peer:
        contenders.append(("@adobe/jwt-auth", lambda: run(peer, ctx.jwt_peer_env)))
    contenders.append(("places-setup token --force (JWT)", lambda: run(ours, ctx.env_jwt)))
    say(f"bench: fresh JWT token, {runs} runs each, alternating…")
    series = alternate(contenders, runs)
    mine, theirs = series[-1], (series[0] if peer else None)
    ratio = mine.median() / theirs.median() if theirs else None
    rows.append(Row(
        f"Fresh token, JWT exchange (whole process) vs `@adobe/jwt-auth`, wall median (min/p90/max), n={runs}",
        spread_ms(mine), spread_ms(theirs) if theirs else "skipped",
        ratio_text(ratio), "≤ 0.10", verdict(ratio <= 0.10 if ratio is not None else None),
    ))
    cpu_ratio = mine.median("cpu") / theirs.median("cpu") if theirs else None
    rows.append(Row(
        "Fresh token, JWT, client CPU time (user+sys) median",
        ms(mine.median("cpu")), ms(theirs.median("cpu")) if theirs else "skipped",
        ratio_text(cpu_ratio), "(context)", "",
    ))
    ctx.rss["token --force (JWT)"] = peak_rss(ours, ctx.env_jwt, 5, ctx.work)
    if peer:
        ctx.rss["jwt-auth"] = peak_rss(peer, ctx.jwt_peer_env, 5, ctx.work)
    if ctx.instructions:
        ours_i = count_ours(ctx, "fresh_jwt", ours, ctx.env_jwt)
        peer_i = instructions(peer, ctx.jwt_peer_env, ctx.work) if peer else None
        rows.append(Row(
            "Fresh token, JWT, instructions of the client process (callgrind, all threads)",
            mega(ours_i), mega(peer_i) if peer else "skipped",
            ratio_text(ours_i / peer_i if ours_i and peer_i else None), "(context)", "",
        ))


def fresh_tls(ctx, rows: list[Row], runs: int) -> None:
    """The same OAuth token over HTTPS (handshake, certificate verification, the system's CA
    bundle loaded) next to plain HTTP, both against emulators on loopback."""
    if not ctx.env_tls:
        rows.append(Row("Fresh token over TLS vs plain HTTP", f"not measured: {ctx.tls_missing}",
                        "—", "—", "≤ 1.5", "n/a"))
        return
    ours = [str(ctx.binary), "token", "--force"]
    say(f"bench: fresh OAuth token over TLS and over plain HTTP, {runs} runs each, alternating…")
    plain, tls = alternate([
        ("token --force, http://", lambda: run(ours, ctx.env)),
        ("token --force, https://", lambda: run(ours, ctx.env_tls)),
    ], runs)
    ratio = tls.median() / plain.median()
    rows.append(Row(
        f"Fresh token, OAuth, over TLS (`https://`, system CA bundle + the emulator's CA) vs plain `http://`, wall median (min/p90/max), n={runs}",
        spread_ms(tls), f"http:// {spread_ms(plain)}", f"{ratio:.2f}", "≤ 1.5", verdict(ratio <= 1.5),
    ))
    cpu_ratio = tls.median("cpu") / max(plain.median("cpu"), 1e-9)
    rows.append(Row(
        "Fresh token over TLS vs plain HTTP, client CPU time (user+sys) median",
        ms(tls.median("cpu")), f"http:// {ms(plain.median('cpu'))}", f"{cpu_ratio:.2f}", "(context)", "",
    ))
    if ctx.instructions:
        tls_i = count_ours(ctx, "fresh_oauth_tls", ours, ctx.env_tls)
        plain_i = ctx.counts.get("fresh_oauth")
        rows.append(Row(
            "Fresh token over TLS, instructions of the client process (callgrind)",
            mega(tls_i), f"http:// {mega(plain_i)}",
            ratio_text(tls_i / plain_i if tls_i and plain_i else None, 2), "(context)", "",
        ))


def cached_token(ctx, rows: list[Row], runs: int) -> None:
    argv = [str(ctx.binary), "token"]
    checked(run([str(ctx.binary), "token", "--force"], ctx.env), "token --force")
    aio = ctx.aio
    if aio:
        checked(aio.fresh(), "aio-lib-ims (fresh, to fill its cache)")
        if not aio.has_cached_token():
            ctx.aio_missing = "it did not cache its token"
            say("bench: SKIPPING the cached aio-lib-ims row: it did not cache its token")
            aio = None
    say(f"bench: cached token, {runs} runs…")
    # /bin/true is what this harness pays to start any process: the start-up floor; a Rust hello
    # world what any Rust program pays on top; `openssl version` a small C program loading the
    # shared libssl and libcrypto (as places-setup does on Linux, unless built vendored).
    openssl_cmd = ["openssl", "version"] if shutil.which("openssl") else ["/bin/true"]
    hello = hello_world(cargo_target_dir()) or ["/bin/true"]
    ours = ("places-setup token", lambda: run(argv, ctx.env))
    # Three series: against aio-lib-ims, against the floor, and `openssl version` beside
    # /bin/true. Not one: right after a 200 ms node process the caches are cold, and whatever
    # runs next pays for it (bench/README.md).
    theirs = None
    if aio:
        peer, mine_vs_peer = alternate([("@adobe/aio-lib-ims (cached)", aio.run), ours], runs, warmup=3)
        theirs = peer
    floor, rust, mine = alternate([
        ("/bin/true", lambda: run(["/bin/true"], ctx.env)),
        ("Rust hello world", lambda: run(hello, ctx.env)),
        ours,
    ], runs, warmup=3)
    # `openssl version` in turns with /bin/true only: it touches ~300 pages, and whatever runs
    # after it pays a little for that too.
    openssl, _ = alternate([
        ("openssl version", lambda: run(openssl_cmd, ctx.env)),
        ("/bin/true", lambda: run(["/bin/true"], ctx.env)),
    ], runs, warmup=3)
    if not aio:
        mine_vs_peer = mine
    med = mine.median()
    ratio = mine_vs_peer.median() / theirs.median() if theirs else None
    rows.append(Row(
        f"Cached token (whole process) vs `@adobe/aio-lib-ims` with a cached token, wall median (min/p90/max), n={runs}",
        spread_ms(mine_vs_peer), spread_ms(theirs) if theirs else f"skipped: {ctx.aio_missing}",
        ratio_text(ratio), "≤ 0.01", verdict(ratio <= 0.01 if ratio is not None else None),
    ))
    floor_ratio = med / floor.median()
    rows.append(Row(
        "Cached token vs the start-up floor: `/bin/true` (and a Rust hello world; `openssl version`, a C program loading the shared OpenSSL), wall median (min/p90/max)",
        spread_ms(mine),
        f"`/bin/true` {spread_ms(floor)}; Rust hello world {spread_ms(rust)}; `openssl version` {spread_ms(openssl)}",
        f"{floor_ratio:.2f} (vs /bin/true); {med / rust.median():.2f} (vs hello world); {med / openssl.median():.2f} (vs openssl version)",
        "≤ 2 (vs /bin/true)", verdict(floor_ratio <= 2),
    ))
    rows.append(Row(
        "Cached token, CPU time (user+sys) median",
        ms(mine.median("cpu")),
        f"`openssl version` {ms(openssl.median('cpu'))}"
        + (f"; aio-lib-ims {ms(theirs.median('cpu'))}" if theirs else ""),
        f"{mine.median('cpu') / max(openssl.median('cpu'), 1e-9):.2f} (vs openssl version)",
        "(context)", "",
    ))
    rows.append(Row(
        "Cached token, page faults (minor + major, wait4) median",
        f"{mine.median('faults'):.0f}",
        f"`/bin/true` {floor.median('faults'):.0f}; Rust hello world {rust.median('faults'):.0f}; "
        f"`openssl version` {openssl.median('faults'):.0f}",
        f"{mine.median('faults') / max(floor.median('faults'), 1):.2f} (vs /bin/true)",
        "(context)", "",
    ))
    ctx.rss["token (cached)"] = peak_rss(argv, ctx.env, 5, ctx.work)
    if ctx.instructions:
        count = count_ours(ctx, "cached", argv, ctx.env)
        floor_i = instructions(openssl_cmd, ctx.env, ctx.work)
        peer_i = instructions(aio.argv, aio.env, ctx.work, cwd=aio.cwd) if aio else None
        rows.append(Row(
            "Cached token, instructions (callgrind)",
            mega(count, 2), f"`openssl version` {mega(floor_i, 2)}"
            + (f"; aio-lib-ims {mega(peer_i)}" if peer_i else ""),
            ratio_text(count / peer_i if count and peer_i else None, 4) + " (vs aio-lib-ims)",
            "(context)", "",
        ))


def hardening_check(ctx, rows: list[Row]) -> None:
    """The instruction counts of the token rows against those taken before the hostile-input work
    (file locks, body caps) landed: bench/baseline-before-hardening.json."""
    try:
        baseline = json.loads(BASELINE.read_text())
    except (OSError, ValueError):
        return
    # A fresh token loads the trusted CAs: with another set the counts are not comparable.
    same_cas = (baseline.get("ca_certificates") == ca_count()
                and baseline.get("ssl_cert_file") == os.environ.get("SSL_CERT_FILE", "unset"))
    caveat = "" if same_cas else " — **other CA set-up than the baseline's: not comparable**"
    for key, what in (("cached", "Cached token"), ("fresh_oauth", "Fresh token, OAuth"),
                      ("fresh_jwt", "Fresh token, JWT")):
        before, after = baseline["counts"].get(key), ctx.counts.get(key)
        if not before or not after:
            continue
        ratio = after / before
        rows.append(Row(
            f"{what}, instructions now vs before the locks and caps (commit {baseline['commit']}){caveat}",
            mega(after, 2), mega(before, 2), f"{ratio:.3f}", "≤ 1.05", verdict(ratio <= 1.05),
        ))


def api_memory(ctx) -> None:
    """Peak memory of `api GET /libraries`, when this build has the command."""
    probe = run([str(ctx.binary), "api", "--help"], ctx.env)
    if probe.code != 0:
        ctx.rss["api /libraries"] = "pending: this build has no `api` command"
        return
    argv = [str(ctx.binary), "api", "/libraries"]
    env = {**ctx.env, "PLACES_SETUP_PLACES_URL": ctx.places_url}
    trial = run(argv, env)
    if trial.code != 0:
        ctx.rss["api /libraries"] = f"failed (exit {trial.code}): {trial.stderr.strip()[-200:]}"
        return
    ctx.rss["api /libraries"] = peak_rss(argv, env, 5, ctx.work)



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
        # One run each: nearly everything is the search for two primes, which takes a random time
        # (both OpenSSL's RSA key generation, through EVP_PKEY_keygen).
        a = instructions(ours_argv(dirs / "callgrind-ours"), ctx.env, ctx.work)
        (dirs / "callgrind-openssl").mkdir(parents=True)
        b = instructions(openssl_argv(dirs / "callgrind-openssl"), ctx.env, ctx.work)
        if a and b:
            rows.append(Row(
                "Key generation, instructions of one run (callgrind; the prime search takes a random time)",
                mega(a), mega(b), f"{a / b:.2f}", "(context)", "",
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
    peers = {"token --force (OAuth)": ("aio-lib-ims (fresh)", "node, aio-lib-ims"),
             "token --force (JWT)": ("jwt-auth", "node, jwt-auth")}
    for what, mb in ctx.rss.items():
        if what in ("aio-lib-ims (fresh)", "jwt-auth"):
            continue
        if isinstance(mb, str):
            rows.append(Row(f"Peak RSS, `{what}`", mb, "—", "—", "< 15 MB", "n/a"))
            continue
        peer_key, peer_name = peers.get(what, (None, None))
        peer_mb = ctx.rss.get(peer_key) if peer_key else None
        with_peer = isinstance(peer_mb, float) and mb is not None
        rows.append(Row(
            f"Peak RSS, `{what}` (largest of 5 runs, GNU time)",
            f"{mb:.1f} MB" if mb is not None else "not measured: install GNU time",
            f"{peer_mb:.1f} MB ({peer_name})" if with_peer else "—",
            f"{mb / peer_mb:.2f}" if with_peer else "—",
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
    peers = "; ".join(f"{name} {peer_version(ctx.modules, name)}" for name in PEERS)
    return "\n".join([
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}; commit {commit}{' (with local changes)' if dirty else ''}",
        f"- machine: {os.cpu_count()} CPUs, {cpu_model()}; {platform.system()} {platform.release()}",
        f"- load average at start {load_start}, at end {loadavg()}; all CPUs {busy:.0f}% busy during the "
        "measurements (the benchmark's own processes included; the rest is other work on the machine)",
        f"- {first_line([str(ctx.binary), '--version'])}; {first_line(['rustc', '--version'])}; "
        f"{first_line(['openssl', 'version'])}; node {first_line(['node', '--version'])}; {peers}",
        "- every exchange goes to the emulator on 127.0.0.1 in its own process, so its work is in every "
        "wall time but not in the client CPU and instruction figures; the TLS rows trust the system CA "
        "bundle plus the emulator's throw-away CA through SSL_CERT_FILE",
        f"- total run time {time.perf_counter() - started:.0f} s; spread given as min/p90/max",
    ])


@dataclass
class Context:
    binary: Path
    work: Path
    env: dict[str, str]  # the OAuth Server-to-Server profile, against the plain HTTP emulator
    env_jwt: dict[str, str]  # the JWT profile
    env_tls: dict[str, str] | None  # the OAuth profile against the HTTPS emulator
    tls_missing: str
    places_url: str
    modules: Path | None
    aio: AioPeer | None
    aio_missing: str  # why there is no aio peer, when there is none
    jwt_peer: list[str] | None
    jwt_peer_env: dict[str, str]
    instructions: bool
    count_runs: int = 3
    rss: dict[str, object] = field(default_factory=dict)
    counts: dict[str, int | None] = field(default_factory=dict)
    count_spread: dict[str, list[int] | None] = field(default_factory=dict)


def profile(binary: Path, base: dict[str, str], config: Path, info: dict, argv: list[str]) -> dict[str, str]:
    """A config folder with one profile made by `init`; the environment that uses it."""
    env = {**base, "PLACES_SETUP_CONFIG_DIR": str(config), "PLACES_SETUP_IMS_URL": info["ims_url"]}
    checked(run([str(binary), "init", *argv, "--org-id", info["org_id"], "--client-secret-stdin"],
                env, stdin=info["client_secret"].encode()), "init " + " ".join(argv[:2]))
    return env


def oauth_init(info: dict) -> list[str]:
    return ["--auth", "oauth", "--client-id", info["oauth_client_id"], "--scopes", info["scopes"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each timed command (≥ 20)")
    parser.add_argument("--cached-runs", type=int, default=50, help="runs of the cached token (≥ 50)")
    parser.add_argument("--keygen-runs", type=int, default=40,
                        help="runs of each key generation (≥ 20; RSA prime search varies a lot)")
    parser.add_argument("--count-runs", type=int, default=3,
                        help="callgrind runs of each of our token rows; the median is kept")
    parser.add_argument("--quick", action="store_true", help="skip callgrind and the clean build")
    parser.add_argument("--no-build-time", action="store_true", help="skip the clean release build")
    parser.add_argument("--build-limit", type=int, default=420, help="seconds the clean build may take")
    parser.add_argument("--no-wizard", action="store_true",
                        help="skip the wizard's rows (bench/wizard.py and the criterion redraw bench)")
    parser.add_argument("--binary", type=Path, help="measure this binary instead of building one")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md")
    parser.add_argument("--instructions-only", action="store_true",
                        help="only count the instructions of the token rows and print them as JSON")
    parser.add_argument("--write-baseline", action="store_true",
                        help=f"with --instructions-only: also write them to {BASELINE.relative_to(ROOT)}")
    args = parser.parse_args()

    started = time.perf_counter()
    load_start = loadavg()
    work = Path(os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="places-setup-bench-"))
    binary = args.binary.resolve() if args.binary else build_release()
    modules = None if args.instructions_only else install_peers(cargo_target_dir())

    base = loopback_env(dict(os.environ))
    # Secrets in 0600 files: the same store on every machine, with or without a keyring.
    base["PLACES_SETUP_STORE"] = "file"
    base["PLACES_SETUP_CONFIG_DIR"] = str(work / "config-keys")
    keys = work / "keys"
    checked(run([str(binary), "keys", "--dir", str(keys), "--name", "bench"], base), "keys")
    private_key = keys / "bench_private.key"

    emulator = Emulator(binary, keys / "bench_public.crt", work, base)
    tls_emulator = None
    tls_missing = ""
    try:
        tls_emulator = Emulator(binary, keys / "bench_public.crt", work, base, tls=True)
    except EmulatorMissing as missing:
        tls_missing = "this build's emulator did not start with --tls"
        say(f"bench: SKIPPING the TLS rows: {missing}")
    rows: list[Row] = []
    busy0, total0 = cpu_times()
    try:
        info = emulator.info
        env = profile(binary, base, work / "config-oauth", info, oauth_init(info))
        env_jwt = profile(binary, base, work / "config-jwt", info, [
            "--auth", "jwt", "--client-id", info["jwt_client_id"],
            "--technical-account-id", info["technical_account_id"], "--private-key", str(private_key),
        ])
        env_tls = None
        if tls_emulator:
            tls_info = tls_emulator.info
            bundle = work / "tls-ca-bundle.pem"
            system = system_ca_bundle()
            bundle.write_text((system.read_text() if system else "") + "\n" + tls_info["ca_certificate"])
            env_tls = profile(binary, {**base, "SSL_CERT_FILE": str(bundle)}, work / "config-tls",
                              tls_info, oauth_init(tls_info))
        jwt_peer_env = {
            **base,
            "NODE_PATH": str(modules) if modules else "",
            "BENCH_IMS_URL": info["ims_url"],
            "BENCH_CLIENT_ID": info["jwt_client_id"],
            "BENCH_TECHNICAL_ACCOUNT_ID": info["technical_account_id"],
            "BENCH_ORG_ID": info["org_id"],
            "BENCH_CLIENT_SECRET": info["client_secret"],
            "BENCH_PRIVATE_KEY": str(private_key),
        }
        jwt_peer = ["node", str(PEER_DIR / "jwt-auth.js")] if modules else None
        if jwt_peer:
            trial = run(jwt_peer, jwt_peer_env)
            if trial.code != 0 or not trial.stdout.startswith("ey"):
                say("bench: SKIPPING the @adobe/jwt-auth peer: it could not exchange against the "
                    f"emulator: {trial.stderr.strip()}")
                jwt_peer = None
        aio = AioPeer(modules, work, base, info) if modules else None
        aio_missing = "node and npm missing, or npm install failed" if not modules else ""
        if aio:
            trial = aio.fresh()
            if trial.code != 0 or not trial.stdout.startswith("ey"):
                aio_missing = ("the emulator does not serve /ims/token/v2 (multipart), where "
                               "aio-lib-ims posts" if "/ims/token/v2" in trial.stderr
                               else "it got no token from the emulator")
                say(f"bench: SKIPPING the @adobe/aio-lib-ims rows: {aio_missing}: "
                    f"{trial.stderr.strip()[-600:]}")
                aio = None
        ctx = Context(binary, work, env, env_jwt, env_tls, tls_missing, info["places_url"], modules,
                      aio, aio_missing, jwt_peer, jwt_peer_env,
                      instructions=not args.quick and shutil.which("valgrind") is not None,
                      count_runs=max(args.count_runs, 1))
        if args.instructions_only:
            return instructions_only(ctx, args.write_baseline)
        if not args.quick and not ctx.instructions:
            say("bench: no instruction counts: valgrind is not installed (Debian: apt-get install valgrind)")

        fresh_oauth(ctx, rows, max(args.runs, 1))
        fresh_jwt(ctx, rows, max(args.runs, 1))
        fresh_tls(ctx, rows, max(args.runs, 1))
        cached_token(ctx, rows, max(args.cached_runs, 1))
        hardening_check(ctx, rows)
        api_memory(ctx)
        ctx.env = env_jwt  # key generation needs only a config folder
        key_generation(ctx, rows, max(args.keygen_runs, 1))
    finally:
        emulator.stop()
        if tls_emulator:
            tls_emulator.stop()
    busy1, total1 = cpu_times()
    busy = 100 * (busy1 - busy0) / max(1, total1 - total0)
    footprint(ctx, rows)
    if not (args.quick or args.no_build_time or args.binary):
        clean_build(ctx, rows, args.build_limit)
    if not args.no_wizard:
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


def instructions_only(ctx, write_baseline: bool) -> int:
    """The instruction counts of the token rows, for comparing two builds on a busy machine."""
    if not shutil.which("valgrind"):
        raise SystemExit("bench: --instructions-only needs valgrind (Debian: apt-get install valgrind)")
    ours_fresh = [str(ctx.binary), "token", "--force"]
    say(f"bench: counting instructions ({ctx.count_runs} callgrind runs a row)…")
    count_ours(ctx, "fresh_oauth", ours_fresh, ctx.env)
    count_ours(ctx, "fresh_jwt", ours_fresh, ctx.env_jwt)
    if ctx.env_tls:
        count_ours(ctx, "fresh_oauth_tls", ours_fresh, ctx.env_tls)
    checked(run(ours_fresh, ctx.env), "token --force")
    count_ours(ctx, "cached", [str(ctx.binary), "token"], ctx.env)
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "HEAD"])
    result = {
        "commit": commit[:12],
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "binary": first_line([str(ctx.binary), "--version"]),
        "callgrind_runs": ctx.count_runs,
        # A fresh token loads the trusted CAs; their number moves its count.
        "ssl_cert_file": os.environ.get("SSL_CERT_FILE", "unset"),
        "ca_certificates": ca_count(),
        "counts": ctx.counts,
        "min_max": ctx.count_spread,
    }
    print(json.dumps(result, indent=2))
    if write_baseline:
        try:  # keep what the file says besides the counts (its "about", earlier records)
            kept = json.loads(BASELINE.read_text())
        except (OSError, ValueError):
            kept = {}
        BASELINE.write_text(json.dumps({**kept, **result}, indent=2) + "\n")
        say(f"bench: written to {BASELINE}")
    return 0


if __name__ == "__main__":
    # SIGTERM and SIGHUP unwind like Ctrl-C, so `finally` stops the emulator.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))
    sys.exit(main())
