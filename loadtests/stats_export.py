"""Locust profile ``stats_export``: agent_stats_export over windows of growing size, every body checked.

The runner computes each window's expected export once, with the columnar oracle (a million
rows at a time, never all of them in memory), and passes the files in VICICERT_STATS_PLAN.
Each request reads the whole body and is timed whole; an answer that differs is classified:
dropped connection, HTTP 5xx, PHP error text, truncated or malformed body, or wrong figures
(which agent, which column).
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import time
from pathlib import Path

from locust import FastHttpUser, constant, events, task

from conformance.client import Exchange, Request
from conformance.matcher import PHP_ERROR, Expected, WrongField, difference
from conformance.template import Template
from loadtests.latency import LatencyRecorder
from loadtests.progress_file import publish
from loadtests.slo import Slo
from loadtests.transport import connection_error

PLAN = json.loads(Path(os.environ["VICICERT_STATS_PLAN"]).read_text())
# On a target the API user's password comes by environment, named in the plan (never written in it).
_PASS = {"pass": os.environ[PLAN["pass_env"]]} if "pass_env" in PLAN else {}
WINDOWS = [dict(window, params={**window["params"], **_PASS},
                expected=Path(window["expected_file"]).read_text(encoding="utf-8")) for window in PLAN["windows"]]
RECORDERS = {window["label"]: LatencyRecorder() for window in WINDOWS}
FAILURES: dict[str, int] = {}
EXAMPLES: list[str] = []
_turn = itertools.count()


@functools.lru_cache(maxsize=8)
def _as_template(expected: str) -> Template:
    """The expected export as a template, parsed once per window, not once per wrong answer."""
    return Template.parse(expected.replace("{", "{{").replace("}", "}}"))


def classify(status: int, body: str, error: str | None, expected: str) -> tuple[str, str] | None:
    """(kind, detail) of what is wrong with an answer, or None when it is the expected export."""
    if error:
        return "dropped_connection", error
    if status >= 500:
        return "http_5xx", f"HTTP {status}"
    if body == expected:  # first: a megabyte-long right answer needs no scan for PHP errors
        return None if status == 200 else ("http_status", f"HTTP {status} with the expected body")
    if PHP_ERROR.search(body):
        return "php_error_text", body[:120]
    if not body.endswith("\n") or body.count("\n") < expected.count("\n"):
        return "truncated_or_malformed", f"{len(body)} of {len(expected)} bytes, {body.count(chr(10))} lines"
    template = _as_template(expected)
    exchange = Exchange(Request("/vicidial/non_agent_api.php"), "", status=status, body=body.encode("utf-8"))
    found = difference(Expected(body=template), exchange, {})
    wrong = [m for m in found if isinstance(m, WrongField)]
    if wrong:
        return "wrong_figures", "; ".join(f"{m.field}: expected {m.expected}, got {m.actual}" for m in wrong[:3])
    return "truncated_or_malformed", found[0].describe() if found else "differs"


class StatsExportUser(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 600.0
    connection_timeout = 30.0

    @task
    def export(self) -> None:
        window = WINDOWS[next(_turn) % len(WINDOWS)]
        started = time.monotonic()
        with self.client.get("/vicidial/non_agent_api.php", params=window["params"], name=f"export {window['label']}",
                             catch_response=True) as response:
            body = response.text or ""
            RECORDERS[window["label"]].record(time.monotonic() - started)
            problem = classify(response.status_code or 0, body, connection_error(response), window["expected"])
            if problem is None:
                response.success()
                return
            kind, detail = problem
            FAILURES[kind] = FAILURES.get(kind, 0) + 1
            if len(EXAMPLES) < 20:
                EXAMPLES.append(f"{window['label']}: {kind}: {detail}")
            response.failure(kind)  # one message per kind: Locust keeps a row per distinct message


@events.user_error.add_listener
def _count_profile_error(*_args, **_kwargs) -> None:
    """An exception in the profile itself fails the run."""
    FAILURES["profile_exception"] = FAILURES.get("profile_exception", 0) + 1


@events.init.add_listener
def _publish_progress(environment, **_kwargs) -> None:
    """Exports, failures and p95 over every window so far, once a second, for the runner's progress line."""
    def figures() -> dict:
        total = environment.stats.total  # Locust's p95 costs nothing to read; the HDR one is per window
        return {"requests": total.num_requests, "failures": sum(FAILURES.values()),
                "p95_ms": total.get_response_time_percentile(0.95) if total.num_requests else None}
    publish(environment, figures)


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    stats = environment.stats.total
    windows = {}
    for window in WINDOWS:
        windows[window["label"]] = {"rows": window["rows"], "lines": window["expected"].count("\n"),
                                    **RECORDERS[window["label"]].summary()}
    failures = sum(FAILURES.values())  # every failed export by its kind, and any exception in the profile
    summary = {"requests": stats.num_requests, "failures": failures,
               "error_ratio": failures / stats.num_requests if stats.num_requests else 1.0,
               "rps": stats.total_rps, "failures_by_kind": FAILURES, "examples": EXAMPLES, "windows": windows}
    slowest = max(windows.values(), key=lambda w: w["rows"])
    summary.update({key: slowest.get(key) for key in ("p95_ms", "p99_ms")})
    if Slo.from_environment().judge(summary):
        environment.process_exit_code = 1
    Path(os.environ["VICICERT_LOAD_SUMMARY"]).write_text(json.dumps(summary, indent=2), encoding="utf-8")
