"""Benchmark: verified against unverified request rate, and two Locust workers against one.

    .venv/bin/python benchmarks/load_rate.py --pairs 4

The recording_signals profile (FastHttpUser, closed model) runs with every answer checked
and with checking switched off (VICICERT_VERIFY=0: no expected answer, no comparison, body
still read), first against a fast loopback endpoint that answers correctly
(benchmarks/recording_endpoint.py), where the load generator is the bottleneck, then against
the reference host, which on this 2-core machine is the bottleneck itself. Per-core rates
divide requests by the CPU seconds the Locust processes used. Then one worker against two
on the fast endpoint. This machine's speed drifts from minute to minute, so each
comparison runs in pairs, the order alternating (A B, B A, ...), and reports the median of
the pairs' ratios. Not a test: figures go in the notes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadtests.agents import signals_world, write_world
from loadtests.locust_process import free_port, run_locust, wait_until_up
from loadtests.recording_run import LoadRun, run_recording
from loadtests.slo import Slo

ENDPOINT = Path(__file__).with_name("recording_endpoint.py")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def on_endpoint(seconds: int, users: int, verify: bool, workers: int = 1) -> dict:
    """One run against a fresh fast endpoint; rps and rps per Locust CPU second."""
    with tempfile.TemporaryDirectory() as folder:
        world = write_world(signals_world(users), Path(folder) / "world.yaml")
        port = free_port()
        endpoint = subprocess.Popen([sys.executable, str(ENDPOINT), "--port", str(port), "--world", str(world)])
        try:
            wait_until_up(f"http://127.0.0.1:{port}", endpoint)
            cpu, started = _children_cpu(), time.monotonic()
            summary = run_locust(f"http://127.0.0.1:{port}", world, Path(folder) / "summary.json", users, users,
                                 seconds, Slo(), workers=workers,
                                 extra_environment={"VICICERT_VERIFY": "1" if verify else "0"})
            wall = time.monotonic() - started
            locust_cpu = _children_cpu() - cpu  # Locust's processes only: the endpoint is still running
        finally:
            endpoint.terminate()
            endpoint.wait(timeout=30)
        endpoint_cpu = _children_cpu() - cpu - locust_cpu
    if summary["failures"]:
        raise SystemExit(f"endpoint run failed: {summary['failures_by_kind']}")
    requests = summary["requests"]
    return {"rps": summary["rps"], "per_core": requests / locust_cpu, "requests": requests,
            "locust_us": locust_cpu / requests * 1e6, "endpoint_us": endpoint_cpu / requests * 1e6,
            "overhead_s": wall - seconds}


def on_host(seconds: int, users: int, verify: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        run_recording(LoadRun(agents=users, users=users, spawn_rate=users, seconds=seconds, report_dir=Path(folder),
                              verify=verify))
        summary = json.loads((Path(folder) / "load-recording/summary.json").read_text())
    return {"rps": summary["rps"], "requests": summary["requests"]}


def verification_us(requests: int = 200_000) -> float:
    """CPU microseconds the profile's checking adds to one request, measured in-process (steady,
    unlike the end-to-end pairs): the expected answer for the agent's state, the comparison
    with the body, the state carried forward."""
    import random

    from loadtests.recording_rules import expected_answer
    agent = next(iter(signals_world(1).agents.values()))
    chooser, state, plan = random.Random(1), "", []
    for _ in range(requests):
        roll = chooser.random()
        action = "START" if roll < 0.4 else "STATUS" if roll < 0.7 else "STOP"
        value = action + (f"_L{chooser.randrange(1000):03d}" if action == "START" and chooser.random() < 0.5 else "")
        body, state = expected_answer(action, value, agent, state)
        plan.append((action, value, "".join(body)))  # a body of its own, as if read from the socket
    state = ""
    started = time.process_time()
    for action, value, body in plan:
        expected, after = expected_answer(action, value, agent, state)
        if body == expected:
            state = after
    return (time.process_time() - started) / requests * 1e6


def compare(label: str, first, second, pairs: int, key: str = "rps") -> list[dict]:
    """Median over ``pairs`` of first/second, run in alternating order; the second's runs."""
    ratios, second_runs = [], []
    for number in range(pairs):
        if number % 2 == 0:
            a = first()
            b = second()
        else:
            b = second()
            a = first()
        ratios.append(a[key] / b[key])
        second_runs.append(b)
        cpu = "".join(f"; {run['locust_us']:.0f} us Locust + {run['endpoint_us']:.0f} us endpoint CPU per request, "
                      f"{run['overhead_s']:.1f} s start-up and end" for run in (a, b) if "locust_us" in run)
        print(f"{label} pair {number + 1}: {a[key]:,.0f} vs {b[key]:,.0f} ({ratios[-1]:.2f}){cpu}; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
    print(f"== {label}: median ratio {statistics.median(ratios):.2f} over {pairs} pairs "
          f"(range {min(ratios):.2f}-{max(ratios):.2f})", flush=True)
    return second_runs


def two_worker_ceiling(single_runs: list[dict]) -> None:
    """The best two workers could do against one when they share this machine's cores with the
    endpoint, from the one-worker runs' CPU per request: min(2, cores x Locust / (Locust + endpoint)),
    before any cost of scheduling or of the master."""
    locust = statistics.median(run["locust_us"] for run in single_runs)
    endpoint = statistics.median(run["endpoint_us"] for run in single_runs)
    cores = os.cpu_count() or 1
    print(f"== ceiling for two workers/one on {cores} cores shared with the endpoint: "
          f"{min(2.0, cores * locust / (locust + endpoint)):.2f} ({locust:.0f} us Locust + {endpoint:.0f} us "
          f"endpoint CPU per request with one worker)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--only", choices=["verify", "host", "workers"], help="run one comparison")
    args = parser.parse_args()
    seconds, users, pairs = args.seconds, args.users, args.pairs
    if args.only in (None, "verify"):
        print(f"checking one answer costs {verification_us():.1f} us of CPU in-process", flush=True)
        compare("fast endpoint, verified/unverified (per core)", lambda: on_endpoint(seconds, users, True),
                lambda: on_endpoint(seconds, users, False), pairs, key="per_core")
    if args.only in (None, "host"):
        compare("reference host, verified/unverified", lambda: on_host(seconds, users, True),
                lambda: on_host(seconds, users, False), pairs)
    if args.only in (None, "workers"):
        two_worker_ceiling(compare("fast endpoint, two workers/one",
                                   lambda: on_endpoint(seconds, users, True, workers=2),
                                   lambda: on_endpoint(seconds, users, True), pairs))


if __name__ == "__main__":
    main()
