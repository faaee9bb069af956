"""A load run cleans up after itself: a killed runner leaves no process behind, a dead Locust
worker is its own exit code (4) and message, and agents are split among workers exactly.

Processes are found through /proc (Linux): by parent pid while the run is up, then by pid and
start time, so a reused pid is not mistaken for a survivor.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from command import vicicert

from loadtests.agent_shares import as_free_agents, contiguous_shares

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal and /proc are Linux's")


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, or None when it has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rpartition(")")[2].split()  # after the command name, which may hold spaces
    return int(fields[1]), fields[0], int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every living descendant of ``root``: pid -> start time."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[1] != "Z":
            parents[int(entry.name)] = (stat[0], stat[2])
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def _survivors(processes: dict[int, int]) -> list[int]:
    """Those of ``processes`` still alive (a zombie has died; a reused pid has another start time)."""
    return [pid for pid, started in processes.items()
            if (stat := _stat(pid)) is not None and stat[1] != "Z" and stat[2] == started]


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s")


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _start_load(tmp_path: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "conformance.cli", "load", "recording", "--report-dir", str(tmp_path),
                             *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _running_children(runner: subprocess.Popen, tmp_path: Path, workers: int) -> dict[int, int]:
    """Once the host, the Locust master and its workers are up and the workers send requests: all of them."""
    def ready():
        if runner.poll() is not None:
            raise AssertionError(f"the run ended early: {runner.communicate()}")
        children = _descendants(runner.pid)
        progress = list((tmp_path / "load-recording").glob("summary.progress.json*"))
        return children if len(children) >= 2 + workers and len(progress) >= workers else None
    return _wait_for(ready, 90, "host, Locust and its workers did not start")


@pytest.mark.slow  # real runner processes, killed
@pytest.mark.parametrize("start, survives", [("start_child", False), ("subprocess.Popen", True)])
def test_a_child_dies_with_its_parent_and_a_plain_one_is_seen_surviving(start, survives):
    """The death signal at work, and the check shown to catch an orphan (a plain Popen leaves one)."""
    script = ("import subprocess, time; from loadtests.child_processes import start_child; "
              f"child = {start}(['sleep', '120']); print(child.pid, flush=True); time.sleep(120)")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    started = {child: _stat(child)[2]}
    try:
        parent.kill()
        parent.wait(timeout=10)
        if survives:
            time.sleep(2)
            assert _survivors(started) == [child]
        else:
            _wait_for(lambda: not _survivors(started), 10, "the child outlived its killed parent")
    finally:
        if _survivors(started):
            os.kill(child, signal.SIGKILL)


@pytest.mark.slow  # real runner processes, killed
def test_a_killed_runner_leaves_no_host_or_locust_process(tmp_path):
    runner = _start_load(tmp_path, "--agents", "4", "--workers", "2", "--seconds", "120")
    try:
        children = _running_children(runner, tmp_path, workers=2)
        lines = [_command_line(pid) for pid in children]
        assert any(" serve " in line for line in lines) and sum("--worker" in line for line in lines) == 2
        runner.kill()  # SIGKILL: no finally, no atexit, no signal handler of the runner runs
        runner.wait(timeout=10)
        _wait_for(lambda: not _survivors(children), 15, f"children {_survivors(children)} outlived the runner")
    finally:
        runner.kill()
        for pid in _survivors(_descendants(runner.pid)):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow  # real runner processes, killed
def test_a_dead_worker_is_exit_4_with_its_own_message(tmp_path):
    runner = _start_load(tmp_path, "--agents", "4", "--workers", "2", "--seconds", "120")
    try:
        children = _running_children(runner, tmp_path, workers=2)
        worker = next(pid for pid in children if "--worker" in _command_line(pid))
        os.kill(worker, signal.SIGKILL)
        _, errors = runner.communicate(timeout=60)
        assert runner.returncode == 4, errors[-3000:]
        assert "vicicert load: the load generator failed: Locust worker" in errors
        assert f"(pid {worker}) was killed by SIGKILL" in errors and "no verdict" in errors
        assert "Traceback" not in errors
        _wait_for(lambda: not _survivors(children), 15, f"children {_survivors(children)} outlived the run")
    finally:
        runner.kill()
        for pid in _survivors(_descendants(runner.pid)):
            os.kill(pid, signal.SIGKILL)


def test_agent_shares_are_contiguous_disjoint_and_as_large_as_each_workers_users():
    shares = contiguous_shares({"host_b": 2, "host_a": 3})
    assert shares == {"host_a": (0, 3), "host_b": (3, 2)}
    assert as_free_agents({"first": 3, "count": 2}) == [3, 4]
    assert contiguous_shares({}) == {}


@pytest.mark.slow  # five runs of about 9 s
def test_two_workers_with_as_many_users_as_agents_pass_five_times_in_a_row(tmp_path):
    """Five users on two workers: one worker holds three. Taking agents by worker index failed
    in three runs of four; exact shares never run out."""
    for attempt in range(5):
        folder = tmp_path / f"run{attempt}"
        result = vicicert("load", "recording", "--agents", "5", "--workers", "2", "--seconds", "4",
                          "--spawn-rate", "5", "--report-dir", str(folder), timeout=120)
        assert result.returncode == 0, f"run {attempt + 1}: " + result.stdout + result.stderr[-3000:]
        summary = json.loads((folder / "load-recording/summary.json").read_text())
        assert summary["failures"] == 0 and summary["agents_driven"] == 5
        parts = [set(json.loads(path.read_text())["last_signal"])
                 for path in (folder / "load-recording").glob("summary.json.worker*")]
        assert sorted(map(len, parts)) == [2, 3] and not parts[0] & parts[1]


def test_local_workers_that_reported_are_not_waited_for(tmp_path, monkeypatch):
    """Once the master's roster says each local worker sent its summary, the run ends without waiting
    for the workers to exit by themselves (they took a second or two more each); they are killed."""
    from loadtests import child_processes, locust_process
    from loadtests.slo import Slo
    started: list[subprocess.Popen] = []

    def stand_in(command, **options):   # the master exits at once; each worker would linger
        stand = [sys.executable, "-c", "pass"] if "--worker" not in command else ["sleep", "600"]
        started.append(child_processes.start_child(stand, **options))
        return started[-1]
    monkeypatch.setattr(locust_process, "start_child", stand_in)
    monkeypatch.setattr(locust_process, "read_worker_summaries",
                        lambda _file: ([{}, {}], [{"summary": True}, {"summary": True}]))
    monkeypatch.setattr(locust_process, "merge_summaries", lambda parts, slo: {"requests": 0})
    summary = locust_process.run_locust("http://127.0.0.1:9", None, tmp_path / "summary.json", 2, 2, 1, Slo(),
                                        workers=2)
    assert summary["requests"] == 0 and len(started) == 3
    assert [worker.returncode for worker in started[1:]] == [-signal.SIGKILL] * 2
