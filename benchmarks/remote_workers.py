"""Benchmark: requests per second with one remote worker against two, side by side in one run.

    .venv/bin/python benchmarks/remote_workers.py --agents 200 --seconds 10 --pairs 2

Each run is `vicicert load recording --master` on 127.0.0.2 (the embedded host, agents provisioned
there) with one or two `vicicert load recording --worker` processes, each in a folder of its own,
every answer checked. The order alternates pair by pair (A B, B A, ...) since this machine's speed
drifts; the median of the pairs' ratios is printed. On one machine the workers share its cores with
the host and the master, so the figure says what spreading costs, not what separate machines give.
Not a test: figures go in the notes.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MASTER = "127.0.0.2"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind((MASTER, 0))
        return probe.getsockname()[1]


def _vicicert(folder: Path, *args: str) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "conformance.cli", "load", "recording", *args, "--report-dir",
                             str(folder / "reports")], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def one_run(workers: int, agents: int, seconds: int) -> dict:
    """A master and ``workers`` remote workers; the merged summary's rate and counts."""
    with tempfile.TemporaryDirectory() as scratch:
        root, port = Path(scratch), _port()
        master = _vicicert(root / "master", "--master", "--expect-workers", str(workers), "--master-bind",
                           f"{MASTER}:{port}", "--agents", str(agents), "--seconds", str(seconds),
                           "--spawn-rate", str(agents))
        deadline = time.monotonic() + 120
        while True:   # readiness by polling the master's port
            try:
                socket.create_connection((MASTER, port), timeout=1).close()
                break
            except OSError:
                if master.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the master did not listen: {master.communicate()[1][-2000:]}") from None
                time.sleep(0.2)
        started = [_vicicert(root / f"worker{n}", "--worker", "--master-host", MASTER, "--master-port", str(port))
                   for n in range(1, workers + 1)]
        out, err = master.communicate(timeout=seconds + 600)
        for worker in started:
            worker.communicate(timeout=120)
        if master.returncode != 0:
            raise SystemExit(f"run with {workers} workers failed:\n{out[-2000:]}\n{err[-2000:]}")
        summary = json.loads((root / "master/reports/load-recording/summary.json").read_text())
    return {"rps": summary["rps"], "requests": summary["requests"], "failures": summary["failures"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    ratios = []
    for number in range(args.pairs):
        order = (1, 2) if number % 2 == 0 else (2, 1)
        runs = {workers: one_run(workers, args.agents, args.seconds) for workers in order}
        ratios.append(runs[2]["rps"] / runs[1]["rps"])
        print(f"pair {number + 1} (order {order[0]} then {order[1]}): 1 worker {runs[1]['rps']:,.0f}/s "
              f"({runs[1]['requests']} requests), 2 workers {runs[2]['rps']:,.0f}/s ({runs[2]['requests']} requests); "
              f"ratio {ratios[-1]:.2f}", flush=True)
    print(f"== two remote workers/one: median ratio {statistics.median(ratios):.2f} over {args.pairs} pairs "
          f"(range {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
