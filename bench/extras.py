#!/usr/bin/env python3
"""`doctor` against a fresh token, and `token --min-valid` against `token` on a cached token.

The issue's targets: `doctor` (without --exchange) within 3x a fresh `token --force`, and
`token --min-valid 2h` on a cached token as fast as `token`. Whole processes, in turns (ours A,
ours B, A, B, ...) against the built-in emulator on 127.0.0.1, medians and ratios of medians, as
bench.py measures (its helpers are used here). Writes bench/results-extras.md.

    python3 bench/extras.py [--binary target/release/places-setup] [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the helpers of the main benchmark)


def in_turns(first: list[str], second: list[str], env: dict[str, str], runs: int,
             before=None) -> tuple[list[float], list[float]]:
    """Wall times of `first` and `second`, run alternately; `before` runs untimed before each."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for argv, into in ((first, a), (second, b)):
            if before:
                before()
            into.append(bench.checked(bench.run(argv, env), " ".join(argv[1:])).wall)
    return a, b


def row(name: str, a_name: str, a: list[float], b_name: str, b: list[float], target: str) -> str:
    ma, mb = statistics.median(a), statistics.median(b)
    return (f"| {name} | {a_name}: {ma * 1000:.1f} ms (min {min(a) * 1000:.1f}) | "
            f"{b_name}: {mb * 1000:.1f} ms (min {min(b) * 1000:.1f}) | {mb / ma:.2f}x | {target} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", type=Path, help="the places-setup to measure [default: a release build]")
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (in turns)")
    args = parser.parse_args()
    binary = args.binary.resolve() if args.binary else bench.build_release()
    work = Path(tempfile.mkdtemp(prefix="places-setup-bench-extras-"))
    base = bench.loopback_env(dict(os.environ))
    base["PLACES_SETUP_STORE"] = "file"
    base["PLACES_SETUP_CONFIG_DIR"] = str(work / "config-keys")
    keys = work / "keys"
    bench.checked(bench.run([str(binary), "keys", "--dir", str(keys), "--name", "bench"], base), "keys")
    load_before = bench.loadavg()
    emulator = bench.Emulator(binary, keys / "bench_public.crt", work, base)
    try:
        info = emulator.info
        env = bench.profile(binary, base, work / "config-oauth", info, bench.oauth_init(info))
        exe = str(binary)
        bench.checked(bench.run([exe, "token"], env), "token")
        # Doctor looks at the cached token and asks the Places API with it; a fresh token exchanges.
        fresh, doctor = in_turns([exe, "token", "--force"], [exe, "doctor"], env, args.runs)
        cached, lasting = in_turns([exe, "token"], [exe, "token", "--min-valid", "2h"], env,
                                   max(args.runs, 50))
    finally:
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "# doctor and --min-valid: measured",
        "",
        f"`python3 bench/extras.py`: the binary "
        f"{binary.name} ({binary.stat().st_size / 1e6:.2f} MB), OAuth Server-to-Server profile, "
        f"emulator on 127.0.0.1 over plain HTTP; load average before: {load_before}, after: "
        f"{bench.loadavg()}. Whole processes, in turns; medians.",
        "",
        "| what | A | B | B / A | target |",
        "|---|---|---|---|---|",
        row("doctor (no --exchange) vs a fresh token", "token --force", fresh, "doctor", doctor,
            "at most 3x"),
        row("--min-valid on a cached token", "token", cached, "token --min-valid 2h", lasting,
            "about 1x"),
        "",
        "A fresh token is one POST to IMS; `doctor` is a GET of IMS (clock, reachability), the CA "
        "store read, the key and secrets checked, and a GET /libraries of the Places API with the "
        "cached token. `--min-valid` only changes the comparison that decides whether the cache "
        "serves.",
        "",
    ]
    text = "\n".join(lines)
    (bench.BENCH / "results-extras.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
