"""The stats_export load profile: a bounded run passes; wrong figures and truncation are classified."""

from __future__ import annotations

import json
import threading

import pytest
from command import vicicert
from targets import MisbehavingHandler, RawSocketTarget, bad_gateway, php_warning, server_error

from conformance.agent_log_generator import AgentLogPlan
from loadtests.locust_process import run_locust
from loadtests.stats_run import STATS_PROFILE, StatsRun, stats_plan
from loadtests.seeder import seed
from loadtests.slo import Slo


@pytest.mark.slow  # a real Locust run; the recording profile's short run stays in the quick loop
def test_a_short_stats_run_checks_every_export(tmp_path):
    result = vicicert("load", "stats", "--rows", "20000", "--windows", "2000,20000", "--seconds", "4",
                      "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    summary = json.loads((tmp_path / "load-stats/summary.json").read_text())
    assert summary["failures"] == 0 and summary["requests"] >= 4
    assert {window["rows"] for window in summary["windows"].values()} == {2000, 20000}
    progress = json.loads((tmp_path / "load-stats/summary.progress.json").read_text())
    assert progress["requests"] == summary["requests"] and "stats_export: " in result.stderr


@pytest.mark.slow  # a real run; thresholds are judged in test_slo_thresholds.py
def test_a_breached_latency_slo_fails_the_run_and_marks_the_knee(tmp_path):
    result = vicicert("load", "stats", "--rows", "20000", "--windows", "2000,20000", "--seconds", "3",
                      "--p95-ms", "0.001", "--report-dir", str(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert "SLO breached: p95" in result.stdout
    summary = json.loads((tmp_path / "load-stats/summary.json").read_text())
    for window in summary["windows"].values():   # each window's thresholds under its line, ✗ with its value
        assert f"✗ p95 <= 0.001 ms: {window['p95_ms']:.2f} ms" in result.stdout
        assert [row["held"] for row in window["thresholds"]] == [False, True]
    page = (tmp_path / "load-stats/capacity/capacity.html").read_text()
    assert "Knee: the SLOs first break at rows in the export window = 2000 (p95" in page


def stats_run(base_url: str, tmp_path):
    """Two seconds of the stats profile against ``base_url``, expecting a 5,000-row window."""
    run = StatsRun(rows=5000, windows=(5000,), users=1, seconds=2)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(stats_plan(run, tmp_path)))
    return run_locust(base_url, None, tmp_path / "summary.json", 1, 1, 2, Slo(), profile=STATS_PROFILE,
                      extra_environment={"VICICERT_STATS_PLAN": str(plan_file)})


def bent_stats_run(httpserver, tmp_path, vicidial_world, mutation):
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, mutation, reset_each_request=False)
    seed(handler.database, AgentLogPlan(rows=5000, seed=1), progress=open("/dev/null", "w"))
    httpserver.expect_request("/vicidial/non_agent_api.php").respond_with_handler(handler)
    return stats_run(httpserver.url_for("/").rstrip("/"), tmp_path)


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
def test_wrong_figures_name_agent_and_column(httpserver, tmp_path, vicidial_world):
    def wrong_pause_time(request, answer):
        lines = answer.body.split("\n")
        fields = lines[3].split("|")
        fields[9] = str(int(fields[9]) + 1)
        lines[3] = "|".join(fields)
        answer.body = "\n".join(lines)
        return answer
    summary = bent_stats_run(httpserver, tmp_path, vicidial_world, wrong_pause_time)
    assert set(summary["failures_by_kind"]) == {"wrong_figures"}
    assert "line 4 (vcsd3003) field 10 (pause_time)" in summary["examples"][0]
    failures_table = (tmp_path / "locust_failures.csv").read_text().splitlines()
    assert len(failures_table) == 2 and "wrong_figures" in failures_table[1]  # header, then one row per kind


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
def test_truncated_export_is_classified(httpserver, tmp_path, vicidial_world):
    def truncate(request, answer):
        answer.body = answer.body[: len(answer.body) // 2]
        return answer
    summary = bent_stats_run(httpserver, tmp_path, vicidial_world, truncate)
    assert set(summary["failures_by_kind"]) == {"truncated_or_malformed"}


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
@pytest.mark.parametrize("mutation, kind", [(server_error, "php_fatal"), (bad_gateway, "http_5xx"),
                                                    (php_warning, "php_error_text")])
def test_server_errors_are_classified(httpserver, tmp_path, vicidial_world, mutation, kind):
    summary = bent_stats_run(httpserver, tmp_path, vicidial_world, mutation)
    assert summary["failures"] > 0 and set(summary["failures_by_kind"]) == {kind}


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
@pytest.mark.parametrize("behaviour, kind", [("reset", "closed_without_answer"), ("close", "closed_without_answer"),
                                             ("truncate", "dropped_connection")])
def test_a_dropped_connection_is_reported_as_such(tmp_path, behaviour, kind):
    """What upstream does at its memory limit on a 10M window: the connection closes with no answer,
    its own kind, in the window's figures too, with its likely cause; one cut mid-answer is a dropped connection."""
    target = RawSocketTarget(behaviour)
    try:
        summary = stats_run(target.url, tmp_path)
    finally:
        target.close()
    assert summary["failures"] == summary["requests"] > 0
    assert set(summary["failures_by_kind"]) == {kind}
    assert all(set(window["failures_by_kind"]) == {kind} for window in summary["windows"].values()
               if window["failures"])
    assert ("memory_limit" in summary["examples"][0]) == (kind == "closed_without_answer")


@pytest.mark.slow  # the run's 2 s and Locust's 5 s stop timeout
def test_an_export_still_unanswered_at_the_end_is_no_answer_not_a_pass(httpserver, tmp_path, vicidial_world):
    """A 10M-row export can outlast the run: the window reports it awaited, and having answered
    nothing it breaks the SLOs instead of holding them with no figures."""
    released = threading.Event()

    def never_in_time(request, answer):
        released.wait(timeout=60)
        return answer
    try:
        summary = bent_stats_run(httpserver, tmp_path, vicidial_world, never_in_time)
    finally:
        released.set()
    window, = summary["windows"].values()
    assert window["count"] == 0 and window["unanswered"] == 1 and window["longest_unanswered_s"] >= 2
    assert Slo(p99_ms=1000).breaches(window) == [
        f"no answer within the run: 1 still awaited when it stopped, the longest after "
        f"{window['longest_unanswered_s']:.0f} s"]
    assert Slo().breaches({**window, "count": 3}) == []   # answered exports are judged by their figures
    assert summary["requests"] == 0 and Slo().breaches(summary) == ["no request was answered within the run"]
