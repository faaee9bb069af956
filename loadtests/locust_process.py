"""Locust as child processes: headless, one process or a master and workers on loopback, their
progress files shown as a progress line, their summaries merged; a signal asks Locust to quit and
write its summary, and no Locust process outlives the call. Also the embedded host's readiness and
a target's build, which both profiles ask before they send.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from conformance import stopping
from conformance.errors import LoadGeneratorFailed

from .child_processes import ask_to_quit, how_it_ended, kill, start_child
from .locust_interfaces import LocustInterfaces, WebRun
from .progress import ProgressLine
from .progress_file import all_progress_files, read_progress
from .slo import Slo
from .stages import Stage, format_stages
from .summary_merge import describe_dead_worker, merge_summaries, read_worker_summaries

PROFILE = Path(__file__).with_name("recording_signals.py")
QUIT_GRACE = 60   # seconds Locust has, once asked to quit by a signal, to write its summary and go
WORKERS_WAIT = 600  # seconds a master waits for its remote workers to connect
POLL_SECONDS = 0.5  # how often the runner reads the profile's progress file


def run_locust(base_url: str, world_file: Path | None, summary_file: Path, users: int, spawn_rate: float,
               seconds: int, slo: Slo, arrival_rate: float | None = None, profile: Path = PROFILE,
               extra_environment: dict | None = None, workers: int = 1, label: str | None = None,
               stages: list[Stage] | None = None, abort_on: Slo | None = None,
               interfaces: LocustInterfaces = LocustInterfaces(),
               master_bind: tuple[str, int] | None = None) -> dict:
    """Locust headless against ``base_url`` (one process, or a master and ``workers`` workers on
    loopback); the profile's summary, merged across workers. A Locust process that dies or writes
    no summary raises ``LoadGeneratorFailed``; none outlives the call. Locust's own tables go
    beside the summary (locust_stats.csv, locust_failures.csv, ...). While it runs, the
    profile's progress files feed a progress line on stderr (``label``, the profile's name by default).
    With ``stages`` the profile's ``StagesShape`` runs them one after another in the same Locust
    process(es) (``users``, ``seconds`` and ``arrival_rate`` are then the stages'), a progress line each.
    With ``abort_on`` (``--abort-on-breach``), the first breach of those SLOs seen in the progress files
    asks Locust to quit, as k6's abortOnFail does; the summary then says why (``aborted``).
    ``interfaces``: Locust's web UI instead of headless (the run is started there, and judged once it
    stops), and options passed on to Locust's master. ``master_bind`` (host, port): only the master
    runs here, bound there, and waits for ``workers`` workers started elsewhere (``vicicert load --worker``);
    a worker among them that dies is named in the summary (``dead_workers``), the others' summaries merged."""
    stopping.check()   # a signal before Locust starts: nothing was sent, the caller cleans up
    csv_prefix = summary_file.parent / "locust"
    for stale in [summary_file, *summary_file.parent.glob(summary_file.name + ".worker*"),
                  summary_file.with_name(summary_file.name + ".roster"),
                  *all_progress_files(summary_file), *summary_file.parent.glob("locust_*.csv"),
                  summary_file.parent / "locust.html"]:
        stale.unlink(missing_ok=True)
    environment = {**os.environ, "VICICERT_LOAD_SUMMARY": str(summary_file),
                   "VICICERT_SLO": json.dumps(slo.as_dict()), "VICICERT_USERS": str(users),
                   "VICICERT_WORKERS": str(workers), **(extra_environment or {})}
    for inherited in ("VICICERT_ARRIVAL_RATE", "VICICERT_STAGES", "VICICERT_MAX_REQUESTS"):
        environment.pop(inherited, None)
    if world_file is not None:  # the probe and stats profiles need no world
        environment["VICICERT_LOAD_WORLD"] = str(world_file)
    if "VICICERT_VERIFY" not in (extra_environment or {}):
        environment.pop("VICICERT_VERIFY", None)  # an inherited switch must not turn checking off
    if arrival_rate is not None:
        environment["VICICERT_ARRIVAL_RATE"] = str(arrival_rate)
    command = [sys.executable, "-m", "locust", "-f", str(profile), "--loglevel", "WARNING"]
    if stages:
        environment["VICICERT_STAGES"] = format_stages(stages)
        users, seconds = max(stage.users for stage in stages), math.ceil(sum(stage.seconds for stage in stages))
    run = [*interfaces.mode_arguments(), "--host", base_url, "-u", str(users), "-r", str(spawn_rate),
           "--stop-timeout", "5", "--only-summary", "--csv", str(csv_prefix),
           "--html", str(summary_file.parent / "locust.html")]   # Locust's own report, beside the summary
    if not stages:  # the shape's one stage ends with Locust's run time (in the web UI: the form's)
        run += ["-t", f"{seconds}s"]
    run += interfaces.passed_on
    progress = StagedProgress(label or profile.stem, stages) if stages else ProgressLine(label or profile.stem, seconds)
    children: list[subprocess.Popen] = []
    # Locust's stderr goes to a file, not a pipe: a pipe nobody reads while waiting could fill and stall it.
    with progress, tempfile.TemporaryFile("w+") as errors_file:
        output = {"env": environment, "stdout": subprocess.DEVNULL, "stderr": errors_file, "text": True}
        try:
            if master_bind is not None:   # the workers come from other machines (vicicert load --worker)
                children.append(start_child(command + run + [
                    "--master", "--master-bind-host", master_bind[0], "--master-bind-port", str(master_bind[1]),
                    "--expect-workers", str(workers), "--expect-workers-max-wait", str(WORKERS_WAIT)], **output))
            elif workers <= 1:
                children.append(start_child(command + run, **output))
            else:
                port = free_port()
                children.append(start_child(command + run + ["--master", "--master-bind-host", "127.0.0.1",
                                                             "--master-bind-port", str(port),
                                                             "--expect-workers", str(workers)], **output))
                children += [start_child(command + ["--worker", "--master-host", "127.0.0.1",
                                                    "--master-port", str(port)], **output) for _ in range(workers)]
            timeout = None if interfaces.web else seconds + (120 if workers <= 1 else 180) \
                + (WORKERS_WAIT if master_bind is not None else 0) \
                + (sum(stage.users for stage in stages) / spawn_rate if stages else 0)   # the UI waits for its user
            web_run = WebRun(interfaces.web_url) if interfaces.web else None
            code, aborted = _wait_showing_progress(children[0], children[1:], summary_file, progress, abort_on,
                                                   timeout, web_run)
            if not _every_worker_reported(summary_file, len(children) - 1):
                for helper in children[1:]:
                    helper.wait(timeout=60)
            # else each worker's summary is in: nothing of theirs is left to wait for (their own exit
            # took a second or two more); the kill below ends them
        except LoadGeneratorFailed as failure:
            errors_file.seek(0)
            raise LoadGeneratorFailed(f"{failure}{_tail(errors_file.read())}") from None
        finally:  # a timeout, Ctrl-C, a dead worker: no Locust process outlives the run
            for child in children:
                kill(child)
        errors_file.seek(0)
        errors = errors_file.read()
    if workers > 1 or master_bind is not None:
        parts, roster = read_worker_summaries(summary_file)
        dead = [entry for entry in roster if not entry["summary"]]
        if not parts or (master_bind is None and len(parts) != workers):  # local workers: all or no verdict
            ends = ", ".join(how_it_ended(helper.returncode) for helper in children[1:]) or "remote"
            raise LoadGeneratorFailed(f"{len(parts)} of {workers} Locust workers sent a summary (master: "
                                      f"{how_it_ended(code)}; workers: {ends}), so the run has no verdict"
                                      + "".join(f"\n  {describe_dead_worker(entry)}" for entry in dead) + _tail(errors))
        merged = merge_summaries(parts, slo)
        merged["dead_workers"] = dead
        summary_file.write_text(json.dumps(merged, indent=2), encoding="utf-8")
    if not summary_file.exists():
        raise LoadGeneratorFailed(f"Locust ({how_it_ended(code)}) wrote no summary, so the run has no verdict"
                                  + _tail(errors))
    summary = json.loads(summary_file.read_text())
    summary["locust_exit_code"] = code
    if aborted:
        summary["aborted"] = aborted
    return summary


class StagedProgress:
    """A progress line per stage of a stepped run, each stage announced on stdout as it begins."""

    def __init__(self, label: str, stages: list[Stage]):
        self.label, self.stages = label, stages
        self.index = -1
        self.line: ProgressLine | None = None

    def update(self, figures: dict | None = None) -> None:
        stage = (figures or {}).get("stage", 0)
        if figures is not None and stage != self.index and stage < len(self.stages):
            if self.line is not None:
                self.line.close()
            self.index = stage
            print(f"-- stage {stage + 1} of {len(self.stages)}: {self.stages[stage].describe()}", flush=True)
            self.line = ProgressLine(f"{self.label}, {self.stages[stage].describe()}", self.stages[stage].seconds)
        if self.line is not None:
            self.line.update(figures)

    def close(self) -> None:
        if self.line is not None:
            self.line.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _wait_showing_progress(process: subprocess.Popen, workers: list[subprocess.Popen], summary_file: Path,
                           progress: ProgressLine, abort_on: Slo | None, timeout: float | None,
                           web_run: WebRun | None = None) -> tuple[int, str | None]:
    """Wait for Locust (its master, when ``workers``), reading its progress files twice a second; its
    exit code, and why the run was stopped early when an SLO of ``abort_on`` broke (else None).
    With ``web_run`` Locust is asked to quit once the run started in its web UI has stopped.
    Past ``timeout`` (None: no limit) ``subprocess.TimeoutExpired`` is raised, as ``subprocess.run`` does;
    the master or a worker killed by a signal raises ``LoadGeneratorFailed`` at once. The caller
    kills what is left."""
    started = time.monotonic()
    asked_to_quit = None   # when a signal or a breach made the runner ask Locust to stop sending (stopping.py)
    aborted = None
    while process.poll() is None:
        if timeout is not None and time.monotonic() > started + timeout:
            raise subprocess.TimeoutExpired(process.args, timeout)
        if stopping.received() is not None and asked_to_quit is None:
            print(f"vicicert load: asking Locust to stop ({stopping.name()}) and write its summary", file=sys.stderr)
            ask_to_quit(process)   # Locust's own SIGTERM handling: the quitting event writes the summary
            asked_to_quit = time.monotonic()
        if asked_to_quit is not None and time.monotonic() > asked_to_quit + QUIT_GRACE:
            stopping.check()   # it did not quit: stop at once (the caller kills it)
        for number, worker in enumerate(workers, 1):
            # Killed, it wrote no summary; an exit code can be the ordinary end after the master's quit.
            if worker.poll() is not None and worker.returncode < 0:
                raise LoadGeneratorFailed(
                    f"Locust worker {number} of {len(workers)} (pid {worker.pid}) was {how_it_ended(worker.returncode)} "
                    f"{time.monotonic() - started:.0f} s into the run; its users' requests and agents went with it, "
                    "so the run has no verdict")
        if web_run is not None and asked_to_quit is None and web_run.ended():
            ask_to_quit(process)   # the UI's run is over: Locust quits and writes the summary
            asked_to_quit = time.monotonic()
        figures = read_progress(all_progress_files(summary_file))
        progress.update(figures)
        if abort_on is not None and asked_to_quit is None and figures is not None:
            aborted = abort_on.mid_run_breach(figures)
            if aborted:
                where = f"stage {figures['stage'] + 1}, " if "stage" in figures else ""
                aborted = f"{aborted} ({where}{figures['seconds']:.1f} s in)"
                print(f"vicicert load: SLO breached: {aborted}; stopping the run (--abort-on-breach)", file=sys.stderr)
                ask_to_quit(process)
                asked_to_quit = time.monotonic()
        time.sleep(POLL_SECONDS)
    if process.returncode < 0:
        raise LoadGeneratorFailed(f"Locust{' master' if workers else ''} (pid {process.pid}) was "
                                  f"{how_it_ended(process.returncode)}, so the run has no verdict")
    progress.update(read_progress(all_progress_files(summary_file)))  # the last write, made as Locust quit
    return process.returncode, aborted


def _every_worker_reported(summary_file: Path, workers: int) -> bool:
    """Whether the master's roster names ``workers`` local workers (any) and each sent its summary."""
    if not workers:
        return False
    roster = read_worker_summaries(summary_file)[1]
    return len(roster) == workers and all(entry["summary"] for entry in roster)


def _tail(errors: str) -> str:
    """The end of Locust's stderr, for a failure message (nothing when it said nothing)."""
    return f":\n{errors[-3000:]}" if errors.strip() else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        stopping.check()
        try:
            urllib.request.urlopen(f"{base_url}/agc/api.php?function=version", timeout=2).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                errors = process.stderr.read() if process.stderr else ""
                raise RuntimeError(f"the server for {base_url} did not start: " + (errors or "")[-2000:]) from None
            time.sleep(0.1)


def target_build(base_url: str) -> str:
    """The target's answer to ``function=version`` (its build), or why there is none."""
    try:
        with urllib.request.urlopen(f"{base_url}/agc/api.php?function=version", timeout=10) as answer:
            return answer.read(2000).decode("utf-8", "replace").strip()
    except OSError as error:
        return f"unknown (version request failed: {error})"
