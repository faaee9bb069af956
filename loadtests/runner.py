"""``vicicert load recording`` and ``load stats``: provision, start the host, run Locust headless, judge.

Locust runs in a child process (it monkey-patches with gevent), and so does the reference
host. With ``target`` and ``world_db`` the profiles load a host of the user's own instead,
their state provisioned in its database (``target_state``). After a recording run every
agent's external_recording in the database that host serves must equal the last signal its
user sent: a signal that was answered SUCCESS but never stored is a lost signal.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from conformance import stopping
from conformance.errors import LoadGeneratorFailed
from conformance.tables.database import open_database

from .agents import signals_world, write_world
from .child_processes import ask_to_quit, how_it_ended, kill, start_child, stop
from .database_pressure import Pressure, watched
from .progress import ProgressLine
from .progress_file import all_progress_files, read_progress
from .slo import Slo
from .stages import Stage, format_stages

PROFILE = Path(__file__).with_name("recording_signals.py")
QUIT_GRACE = 60   # seconds Locust has, once asked to quit by a signal, to write its summary and go
STATS_PROFILE = Path(__file__).with_name("stats_export.py")
POLL_SECONDS = 0.5  # how often the runner reads the profile's progress file


@dataclass
class LoadRun:
    agents: int = 1000
    users: int | None = None          # default: one per agent
    spawn_rate: float = 100.0
    seconds: int = 60
    slo: Slo = Slo()
    report_dir: Path = Path("reports/out")
    arrival_rate: float | None = None  # open model when set: requests per second across all users
    workers: int = 1                    # >1: Locust master and this many worker processes
    verify: bool = True                 # False only to benchmark what checking costs; never a pass
    target: str | None = None           # a host of the user's own instead of the embedded one
    world_db: str | None = None         # its database (mysql://...): where the agents are provisioned
    journal: Path | None = None         # the SQL fixture journal (default: in the report folder)


def run_recording(run: LoadRun, stages: list[Stage] | None = None) -> int:
    """The whole run; returns the exit code (0 met every check and SLO, 1 not, 2 could not run);
    raises ``LoadGeneratorFailed`` when Locust died. The host it starts stops with it, or dies with the runner.
    With ``stages``, one Locust run holds them all (provisioned once, for the largest), then the capacity report."""
    folder = run.report_dir / "load-recording"
    folder.mkdir(parents=True, exist_ok=True)
    users = max(stage.users for stage in stages) if stages else run.users or run.agents
    if users > run.agents:
        print(f"vicicert load: {users} users need at least as many agents (--agents {users})", file=sys.stderr)
        return 2
    label = "recording_signals" if stages else f"recording_signals, {users} users"
    verify = {} if run.verify else {"VICICERT_VERIFY": "0"}
    summary_file = folder / "summary.json"
    if run.target:
        from .target_state import TargetAgents

        # The agents provisioned in the target's database, Locust against the target, each agent's stored
        # signal read back from that database, then the rows removed and checksums compared.
        journal = run.journal or folder / "vicicert-journal.jsonl"
        with TargetAgents(run.target, run.world_db, run.agents, folder, journal) as state:
            build = target_build(state.base_url)
            started = time.monotonic()
            with watched(state.database) as pressure:
                summary = run_locust(state.base_url, state.world_file, summary_file, users, run.spawn_rate,
                                     run.seconds, run.slo, run.arrival_rate, workers=run.workers, label=label,
                                     stages=stages, extra_environment={**state.environment, **verify})
            wall = time.monotonic() - started
            summary["database_pressure"] = _print_pressure(pressure)
            lost, unanswered = _lost_signals(state.database, summary["last_signal"], summary["unanswered"])
        where, problems = state.describe(), state.problems
    else:
        world_file = write_world(signals_world(run.agents), folder / "world.yaml")
        database = folder / "host.sqlite"
        for stale in folder.glob("host.sqlite*"):
            stale.unlink()
        port = free_port()
        host = start_child([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port),
                            "--db", str(database), "--world", str(world_file)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url, host)
            build = target_build(base_url)
            started = time.monotonic()
            summary = run_locust(base_url, world_file, summary_file, users, run.spawn_rate, run.seconds, run.slo,
                                 run.arrival_rate, workers=run.workers, label=label, stages=stages,
                                 extra_environment=verify)
            wall = time.monotonic() - started
        finally:
            stop(host, grace=30)
        lost, unanswered = _lost_signals(open_database(database), summary["last_signal"], summary["unanswered"])
        where, problems = str(database), []
    summary["target_build"] = build
    if stages:  # the SLOs hold per stage: a run's average could hide a stage that broke them
        summary["slo_breaches"] = [f"stage {stage['index'] + 1} ({Stage(stage['users'], 1, stage['rate']).describe()}): "
                                   f"{breach}" for stage in summary["stages"] for breach in stage["slo_breaches"]]
    summary["stored_without_answer"] = unanswered
    code = _judge_recording(summary, summary_file, users, wall, lost, where, problems)
    if stages:
        return max(code, _capacity_of_steps(run, stages, summary, build, where))
    return code


def _print_pressure(pressure: Pressure) -> list[str]:
    """What the target's database went through while Locust sent, printed; the lines."""
    lines = pressure.lines()
    for line in lines:
        print(f"vicicert load: database during the run: {line}")
    return lines


def _capacity_of_steps(run: LoadRun, stages: list[Stage], summary: dict, build: str, where: str) -> int:
    """Each stage's summary kept and printed, the capacity report written; 1 when a stage broke an SLO."""
    from .capacity import verdict, write_capacity_report

    kept = run.report_dir / "load-recording" / "stages"
    kept.mkdir(parents=True, exist_ok=True)
    for stale in kept.glob("stage-*.json"):
        stale.unlink()
    by_rate = len({stage.rate for stage in stages}) > 1 and len({stage.users for stage in stages}) == 1
    rows = []
    for stage, measured in zip(stages, summary["stages"]):
        path = kept / f"stage-{measured['index'] + 1}.json"
        path.write_text(json.dumps(measured, indent=2), encoding="utf-8")
        rows.append({"load": stage.rate if by_rate else stage.users, "label": stage.describe(), "summary": measured})
        print(f"-- stage {measured['index'] + 1}: {stage.describe()}: {measured['requests']} requests "
              f"({measured['rps']:.0f}/s), {measured['failures']} failed, p95 "
              + (f"{measured['p95_ms']:.2f} ms" if measured.get("p95_ms") is not None else "-")
              + "".join(f"; SLO breached: {breach}" for breach in measured.get("slo_breaches", [])))
    settings = {"profile": "recording_signals", "agents": run.agents, "stages": format_stages(stages),
                "spawn rate (users/s)": run.spawn_rate, "Locust workers": run.workers,
                "model": "open (arrival rates)" if any(stage.rate for stage in stages) else "closed (back to back)",
                "target": run.target or "the embedded reference host", "database": where,
                "answers checked": "every one" if run.verify else "none (benchmark mode)"}
    if summary.get("database_pressure"):
        settings["database during the run"] = "; ".join(summary["database_pressure"])
    load_label = "arrival rate (requests/s)" if by_rate else "users"
    report = write_capacity_report("recording_signals", load_label, rows, run.slo,
                                   run.report_dir / "capacity-recording", settings=settings, build=build)
    found = verdict(rows, run.slo)
    print(f"capacity report: {report}")
    print(f"capacity: {found['headline']}")
    if found["generator_warning"]:
        print(f"warning: {found['generator_warning']}", file=sys.stderr)
    return 1 if found["knee"] else 0


def run_recording_steps(run: LoadRun, steps: list[int] | list[Stage]) -> int:
    """A stepped run in one Locust process: a stage per user count (or ``Stage``), each ``run.seconds``
    long unless the stage says otherwise, then the capacity report."""
    stages = [step if isinstance(step, Stage) else Stage(step, run.seconds, run.arrival_rate) for step in steps]
    return run_recording(run, stages)


def target_build(base_url: str) -> str:
    """The target's answer to ``function=version`` (its build), or why there is none."""
    try:
        with urllib.request.urlopen(f"{base_url}/agc/api.php?function=version", timeout=10) as answer:
            return answer.read(2000).decode("utf-8", "replace").strip()
    except OSError as error:
        return f"unknown (version request failed: {error})"


def _judge_recording(summary: dict, summary_file: Path, users: int, wall: float, lost: list[str], where: str,
                     database_problems: list[str] = ()) -> int:
    """Print and keep the summary; the exit code."""
    summary["lost_signals"] = lost
    summary["database_problems"] = list(database_problems)
    summary_file.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    _print(summary, users, wall, where)
    print(f"summary: {summary_file}")
    if not summary["verified"]:
        print("answers were not checked (benchmark mode): no verdict", file=sys.stderr)
        return 1
    # Failures are judged by the SLO's error ratio (0 unless loosened); a lost signal never passes,
    # nor does a database that is not as it was.
    return 0 if not summary["slo_breaches"] and not lost and not database_problems else 1


def run_locust(base_url: str, world_file: Path | None, summary_file: Path, users: int, spawn_rate: float,
               seconds: int, slo: Slo, arrival_rate: float | None = None, profile: Path = PROFILE,
               extra_environment: dict | None = None, workers: int = 1, label: str | None = None,
               stages: list[Stage] | None = None) -> dict:
    """Locust headless against ``base_url`` (one process, or a master and ``workers`` workers on
    loopback); the profile's summary, merged across workers. A Locust process that dies or writes
    no summary raises ``LoadGeneratorFailed``; none outlives the call. Locust's own tables go
    beside the summary (locust_stats.csv, locust_failures.csv, ...). While it runs, the
    profile's progress files feed a progress line on stderr (``label``, the profile's name by default).
    With ``stages`` the profile's ``StagesShape`` runs them one after another in the same Locust
    process(es) (``users``, ``seconds`` and ``arrival_rate`` are then the stages'), a progress line each."""
    stopping.check()   # a signal before Locust starts: nothing was sent, the caller cleans up
    csv_prefix = summary_file.parent / "locust"
    for stale in [summary_file, *summary_file.parent.glob(summary_file.name + ".worker*"),
                  *all_progress_files(summary_file), *summary_file.parent.glob("locust_*.csv")]:
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
    run = ["--headless", "--host", base_url, "-u", str(users), "-r", str(spawn_rate),
           "--stop-timeout", "5", "--only-summary", "--csv", str(csv_prefix)]
    if not stages:  # the shape's one stage ends with Locust's run time
        run += ["-t", f"{seconds}s"]
    progress = StagedProgress(label or profile.stem, stages) if stages else ProgressLine(label or profile.stem, seconds)
    children: list[subprocess.Popen] = []
    # Locust's stderr goes to a file, not a pipe: a pipe nobody reads while waiting could fill and stall it.
    with progress, tempfile.TemporaryFile("w+") as errors_file:
        output = {"env": environment, "stdout": subprocess.DEVNULL, "stderr": errors_file, "text": True}
        try:
            if workers <= 1:
                children.append(start_child(command + run, **output))
            else:
                port = free_port()
                children.append(start_child(command + run + ["--master", "--master-bind-host", "127.0.0.1",
                                                             "--master-bind-port", str(port),
                                                             "--expect-workers", str(workers)], **output))
                children += [start_child(command + ["--worker", "--master-host", "127.0.0.1",
                                                    "--master-port", str(port)], **output) for _ in range(workers)]
            code = _wait_showing_progress(children[0], children[1:], summary_file, progress,
                                          timeout=seconds + (120 if workers <= 1 else 180)
                                          + (sum(stage.users for stage in stages) / spawn_rate if stages else 0))
            for helper in children[1:]:
                helper.wait(timeout=60)
        except LoadGeneratorFailed as failure:
            errors_file.seek(0)
            raise LoadGeneratorFailed(f"{failure}{_tail(errors_file.read())}") from None
        finally:  # a timeout, Ctrl-C, a dead worker: no Locust process outlives the run
            for child in children:
                kill(child)
        errors_file.seek(0)
        errors = errors_file.read()
    if workers > 1:
        parts = [json.loads(path.read_text()) for path in sorted(summary_file.parent.glob(summary_file.name + ".worker*"))]
        if len(parts) != workers:  # a worker that died took its requests and its agents with it
            ends = ", ".join(how_it_ended(helper.returncode) for helper in children[1:])
            raise LoadGeneratorFailed(f"{len(parts)} of {workers} Locust workers wrote a summary (master: "
                                      f"{how_it_ended(code)}; workers: {ends}), so the run has no verdict"
                                      + _tail(errors))
        summary_file.write_text(json.dumps(_merge_summaries(parts, slo), indent=2), encoding="utf-8")
    if not summary_file.exists():
        raise LoadGeneratorFailed(f"Locust ({how_it_ended(code)}) wrote no summary, so the run has no verdict"
                                  + _tail(errors))
    summary = json.loads(summary_file.read_text())
    summary["locust_exit_code"] = code
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
                           progress: ProgressLine, timeout: float) -> int:
    """Wait for Locust (its master, when ``workers``), reading its progress files twice a second; its
    exit code. Past ``timeout`` ``subprocess.TimeoutExpired`` is raised, as ``subprocess.run`` does;
    the master or a worker killed by a signal raises ``LoadGeneratorFailed`` at once. The caller
    kills what is left."""
    started = time.monotonic()
    asked_to_quit = None   # when a signal made the runner ask Locust to stop sending (stopping.py)
    while process.poll() is None:
        if time.monotonic() > started + timeout:
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
        progress.update(read_progress(all_progress_files(summary_file)))
        time.sleep(POLL_SECONDS)
    if process.returncode < 0:
        raise LoadGeneratorFailed(f"Locust{' master' if workers else ''} (pid {process.pid}) was "
                                  f"{how_it_ended(process.returncode)}, so the run has no verdict")
    progress.update(read_progress(all_progress_files(summary_file)))  # the last write, made as Locust quit
    return process.returncode


def _tail(errors: str) -> str:
    """The end of Locust's stderr, for a failure message (nothing when it said nothing)."""
    return f":\n{errors[-3000:]}" if errors.strip() else ""


def _merge_summaries(parts: list[dict], slo: Slo) -> dict:
    """Worker summaries as one: histograms merged exactly, counts and signals added, SLOs judged again;
    stage by stage too."""
    merged = _merge_counts(parts)
    signals: dict[str, str] = {}
    unanswered: dict[str, list[str]] = {}
    for part in parts:
        signals.update(part["last_signal"])
        for agent, values in part.get("unanswered", {}).items():
            unanswered.setdefault(agent, []).extend(values)
    merged.update({"last_signal": signals, "unanswered": unanswered, "agents_driven": len(signals), "workers": len(parts),
                   "verified": all(part["verified"] for part in parts)})
    stages = []
    for index in range(max(len(part["stages"]) for part in parts)):
        pieces = [part["stages"][index] for part in parts if index < len(part["stages"])]
        stage = _merge_counts(pieces)
        stage.update({key: pieces[0][key] for key in ("index", "users", "rate", "planned_seconds")})
        stage["duration_s"] = max(piece["duration_s"] for piece in pieces)
        stage["timeline"] = _merge_timelines([piece["timeline"] for piece in pieces])
        # The busiest generator process is the one that limits: its CPU, not an average over processes.
        means = [piece["cpu_mean"] for piece in pieces if piece.get("cpu_mean") is not None]
        stage["cpu_mean"] = max(means) if means else None
        stage["cpu_max"] = max((piece["cpu_max"] for piece in pieces if piece.get("cpu_max") is not None),
                               default=None)
        stage["slo_breaches"] = slo.breaches(stage)
        stages.append(stage)
    merged["stages"] = stages
    cpu = [part["generator_cpu"] for part in parts]
    merged["generator_cpu"] = {key: max((c[key] for c in cpu if c.get(key) is not None), default=None)
                               for key in ("mean", "max")}
    slo.judge(merged)
    return merged


def _merge_counts(parts: list[dict]) -> dict:
    """Latency (histograms merged exactly), requests, failures by kind, rates and examples of several processes."""
    from .latency import LatencyRecorder

    recorder = LatencyRecorder.merged([part["histogram"] for part in parts])
    merged = recorder.summary()
    requests, failures = sum(part["requests"] for part in parts), sum(part["failures"] for part in parts)
    kinds: dict[str, int] = {}
    for part in parts:
        for kind, count in part["failures_by_kind"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    merged.update({"requests": requests, "failures": failures, "error_ratio": failures / requests if requests else 1.0,
                   "rps": sum(part["rps"] for part in parts), "failures_by_kind": kinds,
                   "examples": [example for part in parts for example in part.get("examples", [])][:20],
                   "send_span_s": max((part.get("send_span_s") or 0.0 for part in parts), default=None),
                   "histogram": recorder.encoded()})
    return merged


def _merge_timelines(timelines: list[list[dict]]) -> list[dict]:
    """Second by second: requests and failures added; each percentile the highest of the processes'
    (an upper bound of the merged one, as for progress), CPU the busiest process's."""
    merged = []
    for points in itertools.zip_longest(*timelines):
        points = [point for point in points if point is not None]
        def highest(key):
            return max((point[key] for point in points if point[key] is not None), default=None)
        merged.append({"t": max(point["t"] for point in points), "requests": sum(p["requests"] for p in points),
                       "failures": sum(p["failures"] for p in points), "p50_ms": highest("p50_ms"),
                       "p95_ms": highest("p95_ms"), "p99_ms": highest("p99_ms"), "cpu_percent": highest("cpu_percent")})
    return merged


def window_slos(slo: Slo) -> tuple[Slo, dict]:
    """The SLOs each export window is judged by, and those judged on the whole run: latency and
    failures per window (a window whose every export dies at the memory limit is where capacity
    ends), throughput for the whole run (a window's share of the requests is no rate anyone planned)."""
    return replace(slo, min_rps=None), {"min_rps": slo.min_rps} if slo.min_rps is not None else {}


def _lost_signals(database, last_signal: dict[str, str],
                  unanswered: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Agents whose stored signal is not the last one their user had confirmed (lost), and those
    that hold a later signal whose answer failed (stored, but the host never said so)."""
    stored = dict(database.all("SELECT user, external_recording FROM vicidial_live_agents WHERE user LIKE 'vcrtl%'"))
    lost, without_answer = [], []
    for agent in sorted(set(last_signal) | set(unanswered)):
        signal, held = last_signal.get(agent, ""), stored.get(agent) or ""
        if held == signal:
            continue
        line = f"{agent}: confirmed {signal!r}, stored {held!r}"
        (without_answer if held in unanswered.get(agent, ()) else lost).append(line)
    return lost, without_answer


def _print(summary: dict, users: int, wall: float, where: str) -> None:
    print(f"recording_signals: {summary['requests']} requests by {users} users in {wall:.0f} s "
          f"({summary['rps']:.0f}/s), {summary['failures']} failed, {len(summary['lost_signals'])} lost signals"
          + (f", {len(summary['stored_without_answer'])} stored by a request whose answer failed"
             if summary.get("stored_without_answer") else ""))
    print("latency (HDR, full body): " + ", ".join(
        f"{key[:-3]} {summary[key]:.2f} ms" for key in ("p50_ms", "p95_ms", "p99_ms", "p99.9_ms", "max_ms")
        if summary.get(key) is not None))
    for kind, count in sorted(summary["failures_by_kind"].items()):
        print(f"  failures {kind}: {count}")
    for example in summary["examples"][:5]:
        print(f"  {example}")
    for line in summary["lost_signals"][:10]:
        print(f"  lost signal {line}")
    for breach in summary["slo_breaches"]:
        print(f"  SLO breached: {breach}")
    print(f"database {where}")


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


@dataclass
class StatsRun:
    rows: int = 100_000
    windows: tuple[int, ...] = (10_000, 100_000)   # rows each export window should cover
    users: int = 2
    seconds: int = 60
    slo: Slo = Slo()
    report_dir: Path = Path("reports/out")
    seed: int = 1
    target: str | None = None           # a host of the user's own instead of the embedded one
    world_db: str | None = None         # its database (mysql://...): where the rows are seeded
    journal: Path | None = None         # the SQL fixture journal (default: in the report folder)
    keep_seed: bool = False             # leave the seeded rows for the next run with the same rows and seed


def stats_plan(run: StatsRun, folder: Path, plan=None, admin: dict | None = None) -> dict:
    """Windows covering about the asked row counts, each with its oracle export written to a file.
    ``plan`` is the seeded one (default: ``run``'s rows and seed); ``admin`` the API user (default:
    the embedded world's, which run_stats serves)."""
    from conformance.agent_log_generator import AgentLogPlan
    from conformance.bundle import EMBEDDED_WORLD
    from conformance.oracle.agent_stats import StatsQuery
    from conformance.oracle.columns import export_generated
    from conformance.world import load_world

    plan = plan or AgentLogPlan(rows=run.rows, seed=run.seed)
    admin = admin or load_world(EMBEDDED_WORLD).api_users["api_admin"]
    start, _ = plan.window()
    span = plan.weeks * 7 * 86400
    windows = []
    for size in run.windows:
        last = plan.start_epoch + max(1, int(span * min(size, run.rows) / run.rows)) - 1
        params = {"source": "vcload", "user": admin["user"], "pass": admin.get("pass", ""),
                  "function": "agent_stats_export",
                  "datetime_start": start, "datetime_end": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(last)),
                  "header": "YES"}
        # The columnar oracle: a million rows at a time, 10M in about 5 s (the row-by-row one takes 36 s).
        expected = export_generated(plan, StatsQuery.from_params(params))
        label = f"{size:,} rows"
        path = folder / f"expected_{size}.txt"
        path.write_text(expected, encoding="utf-8")
        windows.append({"label": label, "rows": size, "params": params, "expected_file": str(path)})
    return {"windows": windows}


def run_stats(run: StatsRun) -> int:
    """Seed, compute expected exports, serve, hammer, judge; the exit code."""
    from conformance.agent_log_generator import AgentLogPlan
    from conformance.bundle import EMBEDDED_WORLD

    from .seeder import seeded_world

    folder = run.report_dir / "load-stats"
    folder.mkdir(parents=True, exist_ok=True)
    if run.target:
        return _run_stats_on_target(run, folder)
    database_path = seeded_world(folder / f"host_{run.rows}_{run.seed}.sqlite", AgentLogPlan(rows=run.rows, seed=run.seed))
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(stats_plan(run, folder), indent=2), encoding="utf-8")
    port = free_port()
    host = start_child([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port),
                        "--db", str(database_path), "--world", str(EMBEDDED_WORLD), "--keep-data"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url, host)
        build = target_build(base_url)
        summary = run_locust(base_url, None, folder / "summary.json", run.users, run.users, run.seconds,
                             run.slo, profile=STATS_PROFILE, extra_environment={"VICICERT_STATS_PLAN": str(plan_file)})
    finally:
        stop(host, grace=30)
    return _judge_stats(run, summary, folder, build=build, where=str(database_path))


def _run_stats_on_target(run: StatsRun, folder: Path) -> int:
    """The agent log seeded into the target's database (or the rows a --keep-seed run left
    taken up), Locust against the target, then the rows removed (unless kept) and checksums compared."""
    from .target_state import ADMIN_PASS_VARIABLE, TargetSeed

    journal = run.journal or folder / "vicicert-journal.jsonl"
    with TargetSeed(run.target, run.world_db, run.rows, run.seed, journal, run.keep_seed) as state:
        plan_file = folder / "plan.json"
        # The API user's password reaches the profile through the environment, never this file.
        plan_file.write_text(json.dumps({**stats_plan(run, folder, state.plan, state.admin),
                                         "pass_env": ADMIN_PASS_VARIABLE}, indent=2), encoding="utf-8")
        build = target_build(state.base_url)
        with watched(state.fixture.db) as pressure:
            summary = run_locust(state.base_url, None, folder / "summary.json", run.users, run.users, run.seconds,
                                 run.slo, profile=STATS_PROFILE,
                                 extra_environment={"VICICERT_STATS_PLAN": str(plan_file), **state.environment})
        if summary is not None:
            summary["database_pressure"] = _print_pressure(pressure)
    return _judge_stats(run, summary, folder, state.problems, build=build, where=state.describe())


def _judge_stats(run: StatsRun, summary: dict | None, folder: Path, database_problems: list[str] = (),
                 build: str | None = None, where: str = "") -> int:
    """Print the exports' figures and the capacity report; the exit code."""
    if summary is None:
        return 2
    summary["database_problems"] = list(database_problems)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"stats_export: {summary['requests']} exports, {summary['failures']} failed "
          f"({', '.join(f'{k} {v}' for k, v in summary['failures_by_kind'].items()) or 'none'})")
    for label, window in summary["windows"].items():
        if window["count"]:
            print(f"  {label:>14}: {window['lines'] - 1} agents, p50 {window['p50_ms']:.0f} ms, "
                  f"p99 {window['p99_ms']:.0f} ms, max {window['max_ms']:.0f} ms ({window['count']} exports)")
        if window.get("unanswered"):
            print(f"  {label:>14}: {window['unanswered']} export(s) still unanswered when the run stopped, the longest "
                  f"after {window['longest_unanswered_s']:.0f} s" + ("" if window["count"] else
                                                                     ": give --seconds more than one export takes"))
    for example in summary["examples"][:5]:
        print(f"  {example}")
    from .capacity import verdict, write_capacity_report
    stages = [{"load": window["rows"], "label": f"{window['rows']:,} rows", "summary": window}
              for window in summary["windows"].values()]
    latency, whole = window_slos(run.slo)
    settings = {"profile": "stats_export", "agent-log rows": run.rows, "seed": run.seed,
                "windows (rows)": ", ".join(f"{size:,}" for size in run.windows), "users": run.users,
                "seconds": run.seconds, "target": run.target or "the embedded reference host", "database": where,
                "requests (whole run)": summary["requests"], "requests/s (whole run)": f"{summary['rps']:.2f}",
                "failed (whole run)": summary["failures"]}
    if summary.get("database_pressure"):
        settings["database during the run"] = "; ".join(summary["database_pressure"])
    report = write_capacity_report("stats_export", "rows in the export window", stages, latency, folder / "capacity",
                                   settings=settings, build=build, with_saturation=False, run_slo=whole)
    print(f"  capacity report (export time against record count): {report}")
    reading = verdict(stages, latency, with_saturation=False)
    print(f"  capacity: {reading['headline']}")
    if reading["generator_warning"]:
        print(f"warning: {reading['generator_warning']}", file=sys.stderr)
    for breach in summary["slo_breaches"]:
        print(f"  SLO breached: {breach}")
    # Failures count through the SLO's error ratio (0 by default); a database not as it was fails.
    return 0 if not summary["slo_breaches"] and not database_problems else 1
