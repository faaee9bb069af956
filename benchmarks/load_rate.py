"""Benchmark: verified against unverified request rate, and two Locust workers against one.

    .venv/bin/python benchmarks/load_rate.py --seconds 15

Runs the recording_signals profile on the reference host (closed model) with every
answer checked and with checking switched off (VICICERT_VERIFY=0, body still read), then
with one and two worker processes. Prints requests per second and the ratios. The host
is one Python process, so on this 2-core machine it is the bottleneck: the ratios show
what verification costs the load generator, not the host's ceiling.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from loadtests.runner import LoadRun, run_recording


def rate(seconds: int, users: int, workers: int = 1, verify: bool = True) -> float:
    os.environ["VICICERT_VERIFY"] = "1" if verify else "0"
    with tempfile.TemporaryDirectory() as folder:
        run_recording(LoadRun(agents=users, users=users, spawn_rate=users, seconds=seconds, workers=workers,
                              report_dir=Path(folder)))
        import json
        summary = json.loads((Path(folder) / "load-recording/summary.json").read_text())
    return summary["rps"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    verified = rate(args.seconds, args.users)
    unverified = rate(args.seconds, args.users, verify=False)
    one = verified
    two = rate(args.seconds, args.users, workers=2)
    print(f"\nverified {verified:.0f}/s, unverified {unverified:.0f}/s: ratio {verified / unverified:.2f}")
    print(f"one worker {one:.0f}/s, two workers {two:.0f}/s: ratio {two / one:.2f}")


if __name__ == "__main__":
    main()
