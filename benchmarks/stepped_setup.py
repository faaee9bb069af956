"""Benchmark: what setting up a stepped run costs, restarting per stage (before) against one Locust process (after).

    .venv/bin/python benchmarks/stepped_setup.py --agents 5000 --steps 10,20,40,80,160 --seconds 3

Before: each stage was a run of its own, as ``vicicert load recording --steps`` used to do it
(a world of all the agents written, the reference host started and loaded with it, Locust
started and the world read again, then stopped), so the set-up was paid once per stage.
After: one host, one provisioning and one Locust process whose ``StagesShape`` runs every
stage. Both run the same stages for the same seconds; the set-up is the wall time less the
time the stages were meant to take. Runs alternate (before, after, after, before, ...) and the
medians are printed. Not a test: figures go in the notes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from loadtests.recording_run import LoadRun, run_recording, run_recording_steps
from loadtests.slo import Slo
from loadtests.stages import Stage


def restarted_per_stage(run: LoadRun, steps: list[int]) -> None:
    """The former stepped run: a whole single run per stage, the agents provisioned anew each time."""
    for users in steps:
        run_recording(replace(run, users=users, agents=max(run.agents, max(steps))))


def one_process(run: LoadRun, steps: list[int]) -> None:
    run_recording_steps(run, [Stage(users, run.seconds) for users in steps])


def timed(how, agents: int, steps: list[int], seconds: int) -> float:
    """Set-up seconds of one stepped run: wall time less the stages' own time."""
    with tempfile.TemporaryDirectory() as folder:
        run = LoadRun(agents=agents, spawn_rate=max(steps), seconds=seconds, slo=Slo(max_error_ratio=None),
                      report_dir=Path(folder))
        started = time.monotonic()
        with contextlib.redirect_stdout(io.StringIO()):  # the runs' own report lines
            how(run, steps)
        return time.monotonic() - started - seconds * len(steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--steps", default="10,20,40,80,160")
    parser.add_argument("--seconds", type=int, default=3, help="each stage's length")
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    steps = [int(part) for part in args.steps.split(",")]
    before, after = [], []
    for number in range(args.pairs):
        order = [("before", restarted_per_stage, before), ("after", one_process, after)]
        for name, how, found in order if number % 2 == 0 else reversed(order):
            found.append(timed(how, args.agents, steps, args.seconds))
            print(f"pair {number + 1} {name}: set-up {found[-1]:.1f} s for {len(steps)} stages", flush=True)
    b, a = statistics.median(before), statistics.median(after)
    print(f"== {args.agents:,} agents, {len(steps)} stages of {args.seconds} s: set-up {b:.1f} s restarting per stage, "
          f"{a:.1f} s in one Locust process ({b / max(a, 1e-9):.1f}x; {(b - a) / len(steps):.1f} s saved per stage)")


if __name__ == "__main__":
    main()
