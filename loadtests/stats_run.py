"""``vicicert load stats``: seed the agent log (into the embedded host's database or the user's
own), write each export window's expected answer from the oracle, run Locust against the host,
judge every export, and write the capacity page of export time against record count."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .child_processes import start_child, stop
from .database_pressure import announce, watched
from .locust_interfaces import LocustInterfaces
from .locust_process import free_port, run_locust, target_build, wait_until_up
from .server_failures import likely_causes
from .slo import Slo, print_thresholds

STATS_PROFILE = Path(__file__).with_name("stats_export.py")


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
    abort_on_breach: bool = False       # stop at the first failed export (the error ratio; latency is per window)
    interfaces: LocustInterfaces = LocustInterfaces()   # options passed on to Locust (headless only)

    def abort_on(self) -> Slo | None:
        """What a run with ``--abort-on-breach`` watches mid-run: the error ratio alone, since the
        progress mixes every window's exports and latency SLOs hold per window."""
        return replace(self.slo, p95_ms=None, p99_ms=None, min_rps=None) if self.abort_on_breach else None


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
                             run.slo, profile=STATS_PROFILE, extra_environment={"VICICERT_STATS_PLAN": str(plan_file)},
                             abort_on=run.abort_on(), interfaces=run.interfaces)
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
                                 extra_environment={"VICICERT_STATS_PLAN": str(plan_file), **state.environment},
                                 abort_on=run.abort_on(), interfaces=run.interfaces)
        if summary is not None:
            summary["database_pressure"] = announce(pressure)
    return _judge_stats(run, summary, folder, state.problems, build=build, where=state.describe())


def _judge_stats(run: StatsRun, summary: dict | None, folder: Path, database_problems: list[str] = (),
                 build: str | None = None, where: str = "") -> int:
    """Print the exports' figures and the capacity report; the exit code."""
    if summary is None:
        return 2
    summary["database_problems"] = list(database_problems)
    print(f"stats_export: {summary['requests']} exports, {summary['failures']} failed "
          f"({', '.join(f'{k} {v}' for k, v in summary['failures_by_kind'].items()) or 'none'})")
    for kind, cause in likely_causes(summary["failures_by_kind"]).items():
        print(f"  {kind}: {cause}")
    latency, whole = window_slos(run.slo)
    for label, window in summary["windows"].items():
        if window["count"]:
            print(f"  {label:>14}: {window['lines'] - 1} agents, p50 {window['p50_ms']:.0f} ms, "
                  f"p99 {window['p99_ms']:.0f} ms, max {window['max_ms']:.0f} ms ({window['count']} exports)")
            window["thresholds"] = latency.thresholds(window)
            for row in window["thresholds"]:
                print(f"  {'':>14}  {row['line']}")
        if window.get("unanswered"):
            print(f"  {label:>14}: {window['unanswered']} export(s) still unanswered when the run stopped, the longest "
                  f"after {window['longest_unanswered_s']:.0f} s" + ("" if window["count"] else
                                                                     ": give --seconds more than one export takes"))
    for example in summary["examples"][:5]:
        print(f"  {example}")
    from .capacity import verdict, write_capacity_report
    stages = [{"load": window["rows"], "label": f"{window['rows']:,} rows", "summary": window}
              for window in summary["windows"].values()]
    if whole:
        summary["thresholds"] = Slo(max_error_ratio=None, **whole).thresholds(summary)
        print_thresholds(summary["thresholds"], indent="  ")
    (folder / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
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
    if summary.get("aborted"):
        print(f"  stopped early at an SLO breach (--abort-on-breach): {summary['aborted']}")
    # Failures count through the SLO's error ratio (0 by default); a database not as it was fails, as
    # does a run stopped at a breach.
    return 0 if not summary["slo_breaches"] and not database_problems and not summary.get("aborted") else 1


def window_slos(slo: Slo) -> tuple[Slo, dict]:
    """The SLOs each export window is judged by, and those judged on the whole run: latency and
    failures per window (a window whose every export dies at the memory limit is where capacity
    ends), throughput for the whole run (a window's share of the requests is no rate anyone planned)."""
    return replace(slo, min_rps=None), {"min_rps": slo.min_rps} if slo.min_rps is not None else {}
