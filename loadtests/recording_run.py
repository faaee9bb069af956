"""``vicicert load recording``: provision the agents, start the host (or take the user's own),
run Locust, judge every answer and every stored signal, and for a stepped run write the capacity report.

With ``target`` and ``world_db`` the profile loads a host of the user's own, its agents provisioned
in its database (``target_state``). After the run every agent's external_recording in the database
that host serves must equal the last signal its user sent: a signal that was answered SUCCESS but
never stored is a lost signal.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from conformance.tables.database import open_database

from .agents import signals_world, write_world
from .child_processes import start_child, stop
from .database_pressure import announce, watched
from .dead_workers import judge_dead_workers, print_dead_workers
from .locust_interfaces import LocustInterfaces
from .locust_process import free_port, run_locust, target_build, wait_until_up
from .server_failures import likely_causes
from .slo import Slo, print_thresholds
from .stages import Stage, format_stages


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
    abort_on_breach: bool = False       # stop at the first SLO breach seen mid-run (k6's abortOnFail)
    target: str | None = None           # a host of the user's own instead of the embedded one
    world_db: str | None = None         # its database (mysql://...): where the agents are provisioned
    journal: Path | None = None         # the SQL fixture journal (default: in the report folder)
    interfaces: LocustInterfaces = LocustInterfaces()   # Locust's web UI, options passed on to Locust
    master_bind: tuple[str, int] | None = None   # --master: only Locust's master here, ``workers`` come from elsewhere


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
                                     stages=stages, extra_environment={**state.environment, **verify},
                                     abort_on=run.slo if run.abort_on_breach else None,
                                     interfaces=run.interfaces, master_bind=run.master_bind)
            wall = time.monotonic() - started
            summary["database_pressure"] = announce(pressure)
            lost, unanswered = lost_signals(state.database, summary["last_signal"], summary["unanswered"])
            judge_dead_workers(summary, state.database)
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
                                 extra_environment=verify, abort_on=run.slo if run.abort_on_breach else None,
                                 interfaces=run.interfaces, master_bind=run.master_bind)
            wall = time.monotonic() - started
        finally:
            stop(host, grace=30)
        lost, unanswered = lost_signals(open_database(database), summary["last_signal"], summary["unanswered"])
        judge_dead_workers(summary, open_database(database))
        where, problems = str(database), []
    summary["target_build"] = build
    if stages:  # the SLOs hold per stage: a run's average could hide a stage that broke them
        summary["slo_breaches"] = [f"stage {stage['index'] + 1} ({Stage(stage['users'], 1, stage['rate']).describe()}): "
                                   f"{breach}" for stage in summary["stages"] for breach in stage["slo_breaches"]]
    summary["stored_without_answer"] = unanswered
    code = _judge_recording(summary, summary_file, users, wall, lost, where, problems)
    if stages:
        return max(code, _capacity_of_steps(run, stages, summary, build, where))
    _report_of_one_run(run, users, summary, build, where)
    return code


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


def _report_of_one_run(run: LoadRun, users: int, summary: dict, build: str, where: str) -> None:
    """A single run's page: the verdict, its SLOs, latency, rate and the generator's CPU second by
    second (the capacity page of one stage), beside Locust's own locust.html."""
    from .capacity import write_capacity_report

    settings = {"profile": "recording_signals", "agents": run.agents, "users": users, "seconds": run.seconds,
                "model": f"open ({run.arrival_rate:g} requests/s)" if run.arrival_rate else "closed (back to back)",
                "Locust workers": run.workers, "target": run.target or "the embedded reference host",
                "database": where, "thresholds": "; ".join(row["line"] for row in summary.get("thresholds", [])),
                "stopped early": summary.get("aborted") or "no"}
    stage = {**summary["stages"][0], "requests": summary["requests"], "failures": summary["failures"]} \
        if len(summary["stages"]) == 1 else summary
    report = write_capacity_report("recording_signals", "users", [{"load": users, "label": f"{users} users",
                                                                   "summary": stage}],
                                   run.slo, run.report_dir / "load-recording" / "report", settings=settings,
                                   build=build, with_saturation=False)
    print(f"report: {report} (Locust's own: {run.report_dir / 'load-recording' / 'locust.html'})")


def run_recording_steps(run: LoadRun, steps: list[int] | list[Stage]) -> int:
    """A stepped run in one Locust process: a stage per user count (or ``Stage``), each ``run.seconds``
    long unless the stage says otherwise, then the capacity report."""
    stages = [step if isinstance(step, Stage) else Stage(step, run.seconds, run.arrival_rate) for step in steps]
    return run_recording(run, stages)


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
    if summary.get("aborted"):
        print(f"  stopped early at an SLO breach (--abort-on-breach): {summary['aborted']}")
    # Failures are judged by the SLO's error ratio (0 unless loosened); a lost signal never passes,
    # nor does a database that is not as it was, nor a run stopped at a breach.
    return 0 if not summary["slo_breaches"] and not lost and not database_problems and not summary.get("aborted") \
        and not summary.get("dead_workers") else 1


def lost_signals(database, last_signal: dict[str, str],
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
    # the rate's own span (first to last send), named; the whole run, start-up included, apart
    span = summary["requests"] / summary["rps"] if summary.get("rps") else 0.0
    print(f"recording_signals: {summary['requests']} requests by {users} users in {span:.1f} s of sending "
          f"({summary['rps']:.0f}/s over those seconds; the run took {wall:.0f} s with start-up), "
          f"{summary['failures']} failed, {len(summary['lost_signals'])} lost signals"
          + (f", {len(summary['stored_without_answer'])} stored by a request whose answer failed"
             if summary.get("stored_without_answer") else ""))
    print("latency (HDR, full body): " + ", ".join(
        f"{key[:-3]} {summary[key]:.2f} ms" for key in ("p50_ms", "p95_ms", "p99_ms", "p99.9_ms", "max_ms")
        if summary.get(key) is not None))
    for kind, count in sorted(summary["failures_by_kind"].items()):
        print(f"  failures {kind}: {count}")
    for kind, cause in likely_causes(sorted(summary["failures_by_kind"])).items():
        print(f"  {kind}: {cause}")
    for example in summary["examples"][:5]:
        print(f"  {example}")
    for line in summary["lost_signals"][:10]:
        print(f"  lost signal {line}")
    print_thresholds(summary.get("thresholds", []))
    print_dead_workers(summary)
    for breach in summary["slo_breaches"]:
        print(f"  SLO breached: {breach}")
    print(f"database {where}")

