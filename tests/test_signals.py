"""SIGTERM, SIGINT and SIGHUP stop every command the same way, in the foreground or started in the
background (where a script's ``&`` leaves SIGINT ignored): the run stops sending, cleans up, prints
its summary, writes its reports and exits 128 + the signal's number; no process is left behind.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest

from conformance import stopping

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and the death signal are Linux's")

EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Running:
    """``vicicert ARGS`` as a child, its output read as it comes; ``background`` starts it as a script's
    ``&`` does: SIGINT ignored, and (here) a session of its own, so no terminal signal reaches it."""

    def __init__(self, *args: str, env: dict, cwd, background: bool):
        options = {"start_new_session": True, "preexec_fn": _ignore_sigint} if background else {}
        self.process = subprocess.Popen([sys.executable, "-m", "conformance.cli", *args], cwd=cwd, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, into), daemon=True)
                         for stream, into in ((self.process.stdout, self.out), (self.process.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def wait_for(self, condition, what: str, seconds: float = 240) -> None:
        """Poll until ``condition()`` holds (never a fixed sleep: the machine may be slow)."""
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"ended before {what}: {self.text()}"
            assert time.monotonic() < deadline, f"not {what} within {seconds} s: {self.text()}"
            time.sleep(0.1)

    def stop(self, number: int, seconds: float = 240) -> int:
        self.process.send_signal(number)
        code = self.process.wait(timeout=seconds)
        for reader in self._readers:
            reader.join(timeout=30)
        return code

    def text(self) -> str:
        return "".join(self.out)[-3000:] + "".join(self.err)[-3000:]


def test_the_exit_code_is_128_and_the_signal():
    assert [stopping.exit_code(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)] == [130, 143, 129]
    assert stopping.exit_code(None) == 130 and stopping.name(None) == "SIGINT"   # a bare KeyboardInterrupt


def test_a_second_signal_while_stopping_softly_stops_at_once_and_none_cuts_the_cleanup():
    """In-process, on this thread: the first signal is only noted, the second raises, a third is ignored."""
    previous = stopping.install()
    try:
        with stopping.softly():
            signal.raise_signal(signal.SIGTERM)
            assert stopping.received() == signal.SIGTERM
            with pytest.raises(stopping.Stopped) as stopped:
                signal.raise_signal(signal.SIGINT)
            assert stopped.value.number == signal.SIGTERM   # the first signal decides the exit code
            signal.raise_signal(signal.SIGHUP)              # while cleaning up: ignored
        assert stopping.exit_code() == 143
    finally:
        stopping.restore(previous)
    assert stopping.received() is None


@pytest.mark.parametrize("number, background", [(signal.SIGTERM, True), (signal.SIGINT, True),
                                                (signal.SIGHUP, True), (signal.SIGINT, False)])
def test_serve_stops_on_each_signal(tmp_path, no_process_left, number, background):
    from loadtests.locust_process import free_port, wait_until_up

    port = free_port()
    run = Running("serve", "--port", str(port), "--db", str(tmp_path / "serve.sqlite"), env=no_process_left,
                  cwd=tmp_path, background=background)
    wait_until_up(f"http://127.0.0.1:{port}", run.process)
    run.wait_for(lambda: any("Ctrl-C or SIGTERM stops" in line for line in run.out), "the banner printed")
    assert run.stop(number) == EXIT[number], run.text()
    name = signal.Signals(number).name
    assert f"vicicert reference host on http://127.0.0.1:{port} stopped by {name}" in run.text()
    assert f"vicicert: interrupted by {name}" in run.text() and "Traceback" not in run.text()


# vicicert serve whose every answer pauses between its headers and its body (argv[1] seconds).
SLOW_BODIES = """
import sys, time
from conformance.cli import main
from conformance.host import server
send_headers = server._Handler.end_headers
def end_headers(self):
    send_headers(self)
    time.sleep(float(sys.argv[1]))
server._Handler.end_headers = end_headers
sys.exit(main(sys.argv[2:]))
"""


def test_serve_stopped_while_answering_sends_the_whole_answer_first(tmp_path, no_process_left):
    """The signal lands in the thread that only waits, and the stop lets the answer being written
    finish before the database closes: the client gets every byte and no traceback is printed.
    (Before, the server loop itself took the signal: an answer in flight was cut off, and one
    landing as a connection was handed to its thread closed it under the answer: EBADF.)"""
    import http.client

    from loadtests.locust_process import free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SLOW_BODIES, "2", "serve", "--port", str(port),
                                "--db", str(tmp_path / "serve.sqlite")], cwd=tmp_path, env=no_process_left,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/agc/api.php?function=version")
        answer = connection.getresponse()   # the headers are in; the body comes after the pause
        process.send_signal(signal.SIGTERM)
        assert answer.read().startswith(b"VERSION: ")
        _, errors = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 143 and "Traceback" not in errors, errors[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_backgrounded_check_stops_between_cases_and_reports(tmp_path, no_process_left, number):
    """The embedded host's run: the case being sent ends, the reports hold the cases run so far."""
    run = Running("check", "--report-dir", str(tmp_path / "out"), env=no_process_left, cwd=tmp_path, background=True)
    run.wait_for(lambda: "".join(run.out).count(".") >= 20, "20 cases passed")
    assert run.stop(number) == EXIT[number], run.text()
    name = signal.Signals(number).name
    assert f"stopped by {name}" in run.text() and f"vicicert: interrupted by {name}" in run.text()
    assert "Traceback" not in run.text()
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert 20 <= len(report["cases"]) < 600 and (tmp_path / "out" / "junit.xml").exists()


@pytest.mark.slow
@pytest.mark.parametrize("number, background", [(signal.SIGTERM, True), (signal.SIGINT, True), (signal.SIGTERM, False)])
def test_load_recording_stops_prints_its_summary_and_leaves_no_process(tmp_path, no_process_left, number, background):
    """Locust is asked to quit and writes its summary; the runner judges what was sent, stops the host."""
    run = Running("load", "recording", "--agents", "5", "--seconds", "120", "--report-dir", str(tmp_path),
                  env=no_process_left, cwd=tmp_path, background=background)
    progress = tmp_path / "load-recording" / "summary.progress.json"
    run.wait_for(lambda: progress.exists() and json.loads(progress.read_text() or "{}").get("requests", 0) > 0,
                 "Locust sending")
    assert run.stop(number) == EXIT[number], run.text()
    name = signal.Signals(number).name
    text = run.text()
    assert f"asking Locust to stop ({name})" in text and f"vicicert: interrupted by {name}" in text
    assert "recording_signals: " in text and " requests by 5 users" in text and "0 lost signals" in text, text
    summary = json.loads((tmp_path / "load-recording" / "summary.json").read_text())
    assert summary["requests"] > 0 and summary["lost_signals"] == []


# Locust, in a process of its own (importing it patches the process for gevent): a local runner's
# summary hook called as Locust calls it on a signal, before Locust itself has stopped the users.
SUMMARY_ORDER = """
import json, sys
from types import SimpleNamespace
from loadtests import verified_user
order = []
class Runner:
    def stop(self):
        order.append("users stopped")
verified_user.build_summary = lambda environment: order.append("summary taken") or {}
verified_user._write_summary(SimpleNamespace(runner=Runner(), parsed_options=SimpleNamespace(summary_file=sys.argv[1])))
print(json.dumps(order))
"""


def test_on_a_signal_the_users_stop_before_the_summary_is_taken(tmp_path):
    """Otherwise a user still sending after the summary leaves a signal stored that the summary's
    last confirmed one does not name: a lost signal that was not lost (seen under load, 1 in 3)."""
    done = subprocess.run([sys.executable, "-c", SUMMARY_ORDER, str(tmp_path / "summary.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[-1]) == ["users stopped", "summary taken"]


# A user greenlet busy between two lines of its bookkeeping when SIGINT arrives (sent by itself, so
# the signal lands exactly there); the main greenlet waits, as Locust's does for its run.
BUSY_USER_AT_SIGINT = """
import json, os, signal, sys
import gevent
from loadtests import quit_signal
if sys.argv[1] == "installed":
    quit_signal.install()
state = {"answered": 0, "booked": 0, "ended_by": None}
def user():
    try:
        while True:
            state["answered"] += 1
            if state["answered"] == 500:
                os.kill(os.getpid(), signal.SIGINT)
            state["booked"] += 1
            if state["answered"] % 100 == 0:
                gevent.sleep(0)
    except BaseException as error:
        state["ended_by"] = type(error).__name__
        raise
greenlet = gevent.spawn(user)
try:
    gevent.sleep(60)
    caught = "nowhere"
except KeyboardInterrupt:
    caught = "main"
print(json.dumps({"caught": caught, **state}))
"""


@pytest.mark.parametrize("handler", ["installed", "python's own"])
def test_sigint_reaches_locusts_main_greenlet_and_no_user_midway(handler):
    """Python's own handler raises KeyboardInterrupt in the user that runs, between an answer taken
    and its booking (the lost signal seen once under load); the profiles' handler leaves the user
    whole and ends the run through the main greenlet. Python's own handler is the control."""
    # SIGINT back to its default in the child, as start_child gives Locust: a suite started with `&`
    # passes it on ignored, and an ignored SIGINT stays ignored (the handler is then not installed).
    done = subprocess.run([sys.executable, "-c", BUSY_USER_AT_SIGINT, handler.split()[0]],
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome["caught"] == "main"
    if handler == "installed":
        assert outcome["ended_by"] is None and outcome["booked"] == outcome["answered"] == 500, outcome
    else:
        assert outcome["ended_by"] == "KeyboardInterrupt", outcome   # the user ended where the signal landed


def test_the_process_check_finds_a_process_that_got_away(no_process_left):
    """Control for ``no_process_left``: a grandchild in a session of its own, orphaned, is still found."""
    from processes import PROCESS_MARK, marked_processes

    script = ("import subprocess; print(subprocess.Popen(['sleep', '60'], start_new_session=True, "
              "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")
    orphan = int(subprocess.run([sys.executable, "-c", script], env=no_process_left, capture_output=True, text=True,
                                timeout=60).stdout)
    try:
        assert orphan in marked_processes(PROCESS_MARK, no_process_left[PROCESS_MARK])
    finally:
        import os
        os.kill(orphan, signal.SIGKILL)


@pytest.mark.slow  # a seeding process stopped by a signal
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_seed_stops_and_names_what_removes_its_rows(tmp_path, no_process_left, number):
    """A command without a safe place to stop (seed, cleanup) stops as after Ctrl-C, with the signal's code."""
    database = tmp_path / "seed.sqlite"
    run = Running("seed", "--rows", "50000000", "--db", str(database), env=no_process_left, cwd=tmp_path,
                  background=True)
    run.wait_for(lambda: any("seeding: " in line for line in [*run.out, *run.err]), "rows being written")
    assert run.stop(number) == EXIT[number], run.text()
    name = signal.Signals(number).name
    assert f"vicicert seed --remove --db {database}" in run.text() and "Traceback" not in run.text()
    assert run.text().count(f"vicicert: interrupted by {name}") == 1
