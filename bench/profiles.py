#!/usr/bin/env python3
"""Builds the release binary under several [profile.release] settings and compares them.

Not part of `bench/run`: each variant is a full release build (5 to 7 minutes on 2 cores).
Usage: python3 bench/profiles.py [NAME...]   (names from VARIANTS; default all), writes
bench/profiles.md. Settings go in through CARGO_PROFILE_RELEASE_* variables, so Cargo.toml is
left alone; every variant keeps strip = "symbols".
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

VARIANTS = {
    "thin-cgu4": {"LTO": "thin", "CODEGEN_UNITS": "4"},
    "fat-cgu1": {"LTO": "fat", "CODEGEN_UNITS": "1"},
    "fat-cgu1-abort": {"LTO": "fat", "CODEGEN_UNITS": "1", "PANIC": "abort"},
    "fat-cgu1-s": {"LTO": "fat", "CODEGEN_UNITS": "1", "OPT_LEVEL": "s"},
    "fat-cgu1-z": {"LTO": "fat", "CODEGEN_UNITS": "1", "OPT_LEVEL": "z"},
}


def build(name: str, settings: dict[str, str]) -> tuple[Path, float, str]:
    target = Path(tempfile.gettempdir()) / f"places-setup-profile-{name}"
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_PROFILE_RELEASE_STRIP": "symbols"}
    env.update({f"CARGO_PROFILE_RELEASE_{k}": v for k, v in settings.items()})
    load = bench.loadavg()
    bench.say(f"profiles: building {name} into {target}…")
    start = time.perf_counter()
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=bench.ROOT, env=env, check=True)
    return target / "release" / "places-setup", time.perf_counter() - start, load


def measure(binary: Path, work: Path) -> dict[str, float | None]:
    base = bench.loopback_env(dict(os.environ))
    base["PLACES_SETUP_CONFIG_DIR"] = str(work / "config")
    keys = work / "keys"
    bench.checked(bench.run([str(binary), "keys", "--dir", str(keys), "--name", "bench"], base), "keys")
    emulator = bench.Emulator(binary, keys / "bench_public.crt", work, base)
    try:
        info = emulator.info
        env = {**base, "PLACES_SETUP_IMS_URL": info["ims_url"]}
        bench.checked(bench.run([
            str(binary), "init", "--auth", "jwt", "--org-id", info["org_id"],
            "--client-id", info["jwt_client_id"], "--technical-account-id", info["technical_account_id"],
            "--private-key", str(keys / "bench_private.key"), "--client-secret-stdin",
        ], env, stdin=info["client_secret"].encode()), "init")
        fresh = [str(binary), "token", "--force"]
        cached = [str(binary), "token"]
        fresh_i = bench.instructions(fresh, env, work)
        cached_i = bench.instructions(cached, env, work)
        cached_wall = statistics.median(bench.checked(bench.run(cached, env), "token").wall for _ in range(30))
    finally:
        emulator.stop()
    return {"fresh_i": fresh_i, "cached_i": cached_i, "cached_wall": cached_wall}


def main() -> int:
    names = sys.argv[1:] or list(VARIANTS)
    rows = []
    for name in names:
        binary, seconds, load = build(name, VARIANTS[name])
        with tempfile.TemporaryDirectory(prefix="places-setup-profiles-") as work:
            m = measure(binary, Path(work))
        settings = ", ".join(f"{k.lower()}={v}" for k, v in VARIANTS[name].items())
        rows.append(
            f"| {name} | {settings} | {binary.stat().st_size / bench.MB:.2f} MB | {seconds:.0f} s (load {load}) "
            f"| {m['cached_i'] / 1e6:.2f} M | {m['cached_wall'] * 1000:.1f} ms "
            f"| {m['fresh_i'] / 1e6:.1f} M |"
        )
        bench.say(rows[-1])
    text = "\n".join([
        "| variant | settings | binary | clean build, wall | cached token, instructions | cached token, wall median of 30 | fresh token, client instructions |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ])
    (bench.BENCH / "profiles.md").write_text(
        "# [profile.release] variants\n\nWritten by `python3 bench/profiles.py`; strip = \"symbols\" in every variant. "
        "Instruction counts (callgrind, one run) are the figures to compare; wall times and build times "
        "depend on what else the machine was doing (load average given).\n\n"
        + text + "\n"
    )
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
