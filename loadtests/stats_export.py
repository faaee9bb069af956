"""Locust profile ``stats_export``: agent_stats_export over windows of growing size, every body checked.

The runner computes each window's expected export once, with the columnar oracle (a million
rows at a time, never all of them in memory), and passes the files in VICICERT_STATS_PLAN.
Each request reads the whole body and is timed whole; an answer that differs is classified:
dropped connection, HTTP 5xx, PHP error text, truncated or malformed body, or wrong figures
(which agent, which column). Plain Locust runs it too, with ``--stats-plan FILE`` (the
runner's plan.json) beside the common options of ``loadtests/verified_user.py``.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

from locust import events, task

from loadtests.answer_kinds import export_answer_problem
from loadtests.latency import LatencyRecorder
from loadtests.transport import closed_without_answer, connection_error
from loadtests.verified_user import VerifiedUser, on_summary
from loadtests.verified_user import StagesShape  # noqa: F401 (Locust takes the shape from the locustfile)

WINDOWS: list[dict] = []                  # the plan's windows, each with its expected export (read at init)
RECORDERS: dict[str, LatencyRecorder] = {}
WRONG: dict[str, dict[str, int]] = {}     # wrong exports by window, by kind
IN_FLIGHT: dict[int, tuple[str, float]] = {}   # exports on their way: (window, sent at), by request number
_turn = itertools.count()


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    parser.add_argument_group("stats_export").add_argument(
        "--stats-plan", env_var="VICICERT_STATS_PLAN", default="",
        help="the windows and their expected exports (plan.json, as vicicert load stats writes it)")


@events.init.add_listener
def _load_plan(environment, **_kwargs) -> None:
    options = environment.parsed_options
    if not getattr(options, "stats_plan", ""):
        raise SystemExit("stats_export needs --stats-plan FILE (the plan.json vicicert load stats writes)")
    plan = json.loads(Path(options.stats_plan).read_text())
    # On a target the API user's password comes by environment, named in the plan (never written in it).
    password = {"pass": os.environ[plan["pass_env"]]} if "pass_env" in plan else {}
    WINDOWS[:] = [dict(window, params={**window["params"], **password},
                       expected=Path(window["expected_file"]).read_text(encoding="utf-8"))
                  for window in plan["windows"]]
    RECORDERS.update({window["label"]: LatencyRecorder() for window in WINDOWS})
    WRONG.update({window["label"]: {} for window in WINDOWS})


class StatsExportUser(VerifiedUser):
    network_timeout = 600.0
    connection_timeout = 30.0

    @task
    def export(self) -> None:
        turn = next(_turn)
        window = WINDOWS[turn % len(WINDOWS)]
        started = self.intended_send_time()
        IN_FLIGHT[turn] = (window["label"], time.monotonic())
        with self.client.get("/vicidial/non_agent_api.php", params=window["params"], name=f"export {window['label']}",
                             catch_response=True) as response:
            IN_FLIGHT.pop(turn, None)
            body = response.text or ""
            RECORDERS[window["label"]].record(time.monotonic() - started)
            self.record(started)
            problem = export_answer_problem(response.status_code or 0, body, connection_error(response),
                                            window["expected"], closed_without_answer(response))
            if problem is None:
                response.success()
                return
            kind, detail = problem
            kinds = WRONG[window["label"]]
            kinds[kind] = kinds.get(kind, 0) + 1
            self.fail(response, kind, f"{window['label']}: {kind}: {detail}")


@on_summary
def _windows(summary: dict, _environment) -> None:
    """Each window's latency and rate, and its exports still unanswered when the run stopped (a
    10M-row export can outlast a short run: it is no answer, not a fast one); the run's latency
    SLOs are judged on the largest window."""
    elapsed = max(sum(stage["duration_s"] for stage in summary["stages"]), 1e-9)
    now, windows = time.monotonic(), {}
    for window in WINDOWS:
        figures = RECORDERS[window["label"]].summary()
        waits = [now - sent for label, sent in IN_FLIGHT.values() if label == window["label"]]
        if waits:
            figures.update(unanswered=len(waits), longest_unanswered_s=max(waits))
        wrong = sum(WRONG[window["label"]].values())
        windows[window["label"]] = {"rows": window["rows"], "lines": window["expected"].count("\n"), **figures,
                                    "rps": figures["count"] / elapsed, "failures": wrong,
                                    "failures_by_kind": dict(WRONG[window["label"]]),
                                    "error_ratio": wrong / figures["count"] if figures["count"] else None,
                                    # the windows share one generator process: its CPU over the run
                                    "cpu_mean": summary["generator_cpu"]["mean"],
                                    "cpu_max": summary["generator_cpu"]["max"]}
    summary["windows"] = windows
    if windows:
        slowest = max(windows.values(), key=lambda w: w["rows"])
        summary.update({key: slowest.get(key) for key in ("p95_ms", "p99_ms")})
