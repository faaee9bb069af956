"""Runs across machines: ``vicicert load recording --master`` and ``--worker`` as separate processes,
each in its own working directory, the master on 127.0.0.2 (loopback addresses stand in for machines).

The workers read no world file: their agents and the API user come from the master; their summaries
come back as Locust messages, so nothing is shared on disk.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from command import vicicert

from loadtests.dead_workers import judge_dead_workers
from loadtests.summary_merge import describe_dead_worker

MASTER_ADDRESS = "127.0.0.2"


def _port_on(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def _start(folder: Path, *args: str) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "conformance.cli", "load", "recording", *args,
                             "--report-dir", str(folder / "reports")], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _master(tmp_path: Path, agents: int, workers: int, seconds: int, *more: str) -> tuple[subprocess.Popen, int]:
    port = _port_on(MASTER_ADDRESS)
    master = _start(tmp_path / "master", "--master", "--expect-workers", str(workers), "--master-bind",
                    f"{MASTER_ADDRESS}:{port}", "--agents", str(agents), "--seconds", str(seconds),
                    "--spawn-rate", str(agents), *more)
    return master, port


def _wait_until_listening(port: int, master: subprocess.Popen, deadline: float = 120) -> None:
    """Readiness by polling: the master's port accepts a connection (the embedded host is up before it)."""
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        assert master.poll() is None, master.communicate()
        try:
            socket.create_connection((MASTER_ADDRESS, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the master did not listen on {MASTER_ADDRESS}:{port} within {deadline} s")


def _finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, out, err


@pytest.mark.slow   # three processes and an embedded host: about 30 s on a loaded 2-core machine
def test_a_master_and_two_remote_workers_judge_every_answer(tmp_path):
    agents = 1000
    master, port = _master(tmp_path, agents, 2, 6)
    _wait_until_listening(port, master)
    workers = [_start(tmp_path / f"worker{n}", "--worker", "--master-host", MASTER_ADDRESS, "--master-port", str(port))
               for n in (1, 2)]
    code, out, err = _finish(master)
    ends = [_finish(worker, 120) for worker in workers]
    assert code == 0, out + err[-3000:]
    assert all(end[0] == 0 for end in ends), ends
    folder = tmp_path / "master/reports/load-recording"
    summary = json.loads((folder / "summary.json").read_text())
    parts = [json.loads(path.read_text()) for path in sorted(folder.glob("summary.json.worker*"))]
    assert summary["workers"] == 2 and len(parts) == 2 and all(part["requests"] > 0 for part in parts)
    assert summary["requests"] == sum(part["requests"] for part in parts) > agents
    assert summary["failures"] == 0 and summary["lost_signals"] == [] and summary["agents_driven"] == agents
    assert summary["dead_workers"] == [] and summary["verified"]
    assert not set(parts[0]["last_signal"]) & set(parts[1]["last_signal"])
    for n in (1, 2):   # no world on a worker's disk, and no summary there either
        assert not list((tmp_path / f"worker{n}").rglob("world.yaml"))
        assert not list((tmp_path / f"worker{n}").rglob("summary.json*"))
    print(f"2 remote workers: {summary['requests']} requests, {summary['rps']:.0f}/s")


@pytest.mark.slow   # three processes and an embedded host
def test_a_breach_on_remote_workers_stops_the_master_early(tmp_path):
    """The workers send their progress to the master, so ``--abort-on-breach`` sees a breach that
    only remote workers' answers show (no p95 can hold 0.001 ms) and stops a 300 s run early."""
    master, port = _master(tmp_path, 20, 2, 300, "--abort-on-breach", "--p95-ms", "0.001")
    _wait_until_listening(port, master)
    started = time.monotonic()
    workers = [_start(tmp_path / f"worker{n}", "--worker", "--master-host", MASTER_ADDRESS, "--master-port", str(port))
               for n in (1, 2)]
    code, out, err = _finish(master)
    took = time.monotonic() - started
    for worker in workers:
        _finish(worker, 120)
    assert code == 1, out + err[-3000:]
    summary = json.loads((tmp_path / "master/reports/load-recording/summary.json").read_text())
    assert summary["aborted"].startswith("p95 ") and "is above 0.001 ms" in summary["aborted"], summary["aborted"]
    assert "stopped early at an SLO breach (--abort-on-breach): p95 " in out
    assert took < 200 and summary["workers"] == 2 and summary["requests"] >= 100


@pytest.mark.slow
def test_a_killed_worker_is_named_and_the_run_fails(tmp_path):
    agents = 100
    master, port = _master(tmp_path, agents, 2, 12)
    _wait_until_listening(port, master)
    workers = [_start(tmp_path / f"worker{n}", "--worker", "--master-host", MASTER_ADDRESS, "--master-port", str(port))
               for n in (1, 2)]
    folder = tmp_path / "master/reports/load-recording"
    # the run has started once both workers' progress reaches the master; then one of them is killed outright
    ends = time.monotonic() + 120
    while len(list(folder.glob("summary.progress.json.worker*"))) < 2 and time.monotonic() < ends:
        assert master.poll() is None, master.communicate()
        time.sleep(0.2)
    time.sleep(1)
    workers[1].send_signal(signal.SIGKILL)   # the runner; its Locust child dies with it (PR_SET_PDEATHSIG)
    code, out, err = _finish(master)
    _finish(workers[0], 120)
    _finish(workers[1], 30)
    assert code == 1, out + err[-3000:]
    summary = json.loads((folder / "summary.json").read_text())
    assert len(summary["dead_workers"]) == 1
    dead = summary["dead_workers"][0]
    assert dead["summary"] is False and dead["count"] > 0 and dead["stored"]["agents"] == dead["count"]
    assert dead["stored"]["not_a_sent_signal"] == []
    assert "DEAD WORKER" in out and dead["id"] in out and "Traceback" not in err
    assert summary["requests"] > 0 and summary["workers"] == 1


@pytest.mark.parametrize("args, says", [
    (["--worker"], "--worker needs --master-host"),
    (["--worker", "--master-host", "127.0.0.1", "--master"], "--worker needs --master-host"),
    (["--master-host", "127.0.0.1"], "add --worker"),
    (["--expect-workers", "2"], "add --master"),
    (["--master"], "--master needs --expect-workers"),
    (["--master", "--expect-workers", "2", "--workers", "2"], "no --workers"),
    (["--master", "--expect-workers", "2", "--master-bind", "here:port"], "HOST:PORT"),
])
def test_the_cluster_options_are_refused_when_inconsistent(args, says, tmp_path):
    result = vicicert("load", "recording", *args, "--report-dir", str(tmp_path), timeout=60)
    assert result.returncode == 2 and says in result.stderr, result.stderr


class _Rows:
    """A database stand-in: the agents' stored signals."""

    def __init__(self, rows):
        self.rows = rows

    def all(self, _sql, first, last):
        return [row for row in self.rows if first <= row[0] <= last]


def test_a_dead_workers_agents_are_judged_by_what_the_host_stored():
    """Its confirmations died with it; a signal the run never sends is still caught (a broken host)."""
    summary = {"dead_workers": [{"id": "box2_ab12", "index": 1, "state": "missing (no heartbeat)", "summary": False,
                                 "first": 2, "count": 3, "agents": "vcrtl000003-vcrtl000005"}]}
    rows = [("vcrtl000002", "START"), ("vcrtl000003", "START_L042"), ("vcrtl000004", ""),
            ("vcrtl000005", "START_L042START")]
    judge_dead_workers(summary, _Rows(rows))
    stored = summary["dead_workers"][0]["stored"]
    assert stored == {"agents": 3, "holding_a_signal": 2,
                      "not_a_sent_signal": ["vcrtl000005: stored 'START_L042START'"]}
    named = describe_dead_worker(summary["dead_workers"][0])
    assert "worker 1 (box2_ab12)" in named and "vcrtl000003-vcrtl000005 (3)" in named
