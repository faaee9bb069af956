"""The recording_signals load profile: a bounded run passes; each kind of wrong answer and a lost signal are caught.

Runs are short (seconds) and target 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import json
import random
import re
import threading

import pytest
from command import vicicert
from targets import MisbehavingHandler, RawSocketTarget, bad_gateway, php_warning, server_error, wrong_text

from loadtests.agents import signals_world, write_world
from loadtests.progress_file import read_progress
from loadtests.locust_process import run_locust
from loadtests.recording_run import lost_signals
from loadtests.slo import Slo


@pytest.mark.slow  # a whole Locust run; the SLO lines are judged alone in test_slo_thresholds.py
def test_a_short_run_verifies_every_answer(tmp_path):
    # Every SLO option, each loose enough to hold on any machine but the error ratio's: all four
    # printed as k6 prints thresholds, with the measured value, and kept in summary.json.
    result = vicicert("load", "recording", "--agents", "30", "--seconds", "5", "--spawn-rate", "30",
                      "--p95-ms", "60000", "--p99-ms", "60000", "--min-rps", "0.5", "--max-error-ratio", "0",
                      "--report-dir", str(tmp_path), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert summary["requests"] > 200 and summary["failures"] == 0 and summary["lost_signals"] == []
    assert summary["agents_driven"] == 30
    assert 0 < summary["p50_ms"] <= summary["p99_ms"] <= summary["max_ms"]
    assert "vcPass" not in result.stdout + result.stderr
    assert "thresholds (SLOs): 4 of 4 held" in result.stdout
    assert f"  ✓ p95 <= 60000 ms: {summary['p95_ms']:.2f} ms" in result.stdout
    assert f"  ✓ p99 <= 60000 ms: {summary['p99_ms']:.2f} ms" in result.stdout
    assert f"  ✓ error ratio <= 0: 0.0000 (0 of {summary['requests']} failed)" in result.stdout
    assert f"  ✓ requests/s >= 0.5: {summary['rps']:.1f}" in result.stdout
    assert [row["held"] for row in summary["thresholds"]] == [True] * 4
    # the rate and the span it is over, named, on one line
    span = summary["requests"] / summary["rps"]
    assert f"in {span:.1f} s of sending ({summary['rps']:.0f}/s over those seconds" in result.stdout
    # a single run's pages: vicicert's (verdict, thresholds, timeline plot) and Locust's own
    page = (tmp_path / "load-recording/report/capacity.html").read_text()
    assert "Holds the SLOs set (p95 &lt;= 60000 ms, p99 &lt;= 60000 ms, error ratio &lt;= 0, requests/s &gt;= 0.5) " \
           "at 30 users (" in page and "✓ p95 &lt;= 60000 ms" in page and "timeline.png" in page
    assert (tmp_path / "load-recording/report/timeline.png").stat().st_size > 1000
    assert "locust" in (tmp_path / "load-recording/locust.html").read_text().lower()


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
def test_cross_talk_is_caught_and_classified(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("VICICERT_VERIFY", "0")  # a stray benchmark switch must not turn checking off
    world = signals_world(10)
    noise = random.Random(7)

    def cross_talk(request, answer):
        if answer.body.startswith("SUCCESS") and noise.random() < 0.2:
            answer.body = answer.body.replace(request.param("agent_user"), "vcrtl000099", 1)
        return answer

    httpserver.expect_request("/agc/api.php").respond_with_handler(
        MisbehavingHandler(tmp_path / "bent.sqlite", world, cross_talk, reset_each_request=False))
    summary = run_locust(httpserver.url_for("/").rstrip("/"), write_world(world, tmp_path / "world.yaml"),
                         tmp_path / "summary.json", users=10, spawn_rate=10, seconds=3, slo=Slo())
    assert summary is not None and summary["failures"] > 0
    assert set(summary["failures_by_kind"]) == {"cross_talk"}
    assert summary["slo_breaches"] and summary["slo_breaches"][0].startswith("error ratio")
    assert summary["locust_exit_code"] == 1
    assert 0 < len(summary["examples"]) <= 20 and "got 'SUCCESS: recording function sent - vcrtl000099" in \
        " ".join(summary["examples"])
    # Locust's error table: a row per request name and kind, not one per wrong answer (the file
    # is rewritten each second, so its counts may trail the summary's)
    with (tmp_path / "locust_failures.csv").open(newline="") as table:
        rows = list(csv.DictReader(table))
    assert rows and len(rows) <= 2 and all("cross_talk" in row["Error"] for row in rows)
    assert sum(int(row["Occurrences"]) for row in rows) > len(rows)


def other_session(request, answer):
    """Every answer names the agent asked about, but another agent's session."""
    agent = request.param("agent_user")
    number = int(agent[-6:]) if agent.startswith("vcrtl") else 0
    answer.body = answer.body.replace(f"|{8700000 + number}|", f"|{8700000 + number + 1}|")
    return answer


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
@pytest.mark.parametrize("mutation, kind", [(other_session, "wrong_session"), (wrong_text, "wrong_text"),
                                            (server_error, "php_fatal"), (bad_gateway, "http_5xx"),
                                            (php_warning, "php_error_text")])
def test_each_kind_of_wrong_answer_is_caught_and_named(httpserver, tmp_path, mutation, kind):
    world = signals_world(4)
    httpserver.expect_request("/agc/api.php").respond_with_handler(
        MisbehavingHandler(tmp_path / "bent.sqlite", world, mutation, reset_each_request=False))
    summary = run_locust(httpserver.url_for("/").rstrip("/"), write_world(world, tmp_path / "world.yaml"),
                         tmp_path / "summary.json", users=4, spawn_rate=4, seconds=2, slo=Slo())
    assert summary is not None and summary["failures"] > 0
    assert set(summary["failures_by_kind"]) == {kind}
    assert summary["locust_exit_code"] == 1


@pytest.mark.slow  # a Locust run per kind: each kind is judged alone in test_answer_kinds.py
@pytest.mark.parametrize("behaviour, kind", [("reset", "closed_without_answer"), ("close", "closed_without_answer"),
                                             ("truncate", "transport")])
def test_a_dropped_connection_is_a_transport_failure(tmp_path, behaviour, kind):
    """A connection closed before any answer is its own kind; one cut mid-answer is a transport failure."""
    world = signals_world(2)
    target = RawSocketTarget(behaviour)
    try:
        summary = run_locust(target.url, write_world(world, tmp_path / "world.yaml"), tmp_path / "summary.json",
                             users=2, spawn_rate=2, seconds=2, slo=Slo())
    finally:
        target.close()
    assert summary is not None and summary["failures"] == summary["requests"] > 0
    assert set(summary["failures_by_kind"]) == {kind}


@pytest.mark.slow  # a real Locust run
def test_an_exception_in_the_profile_fails_the_run(httpserver, tmp_path):
    """Three users for two agents: the third user's start raises, and that is a failure, not a pass."""
    world = signals_world(2)
    httpserver.expect_request("/agc/api.php").respond_with_handler(
        MisbehavingHandler(tmp_path / "plain.sqlite", world, lambda request, answer: answer, reset_each_request=False))
    summary = run_locust(httpserver.url_for("/").rstrip("/"), write_world(world, tmp_path / "world.yaml"),
                         tmp_path / "summary.json", users=3, spawn_rate=3, seconds=2, slo=Slo())
    assert summary is not None and summary["failures_by_kind"].get("profile_exception", 0) >= 1
    assert summary["slo_breaches"]


def test_a_lost_signal_is_named(tmp_path):
    from conformance.tables.database import SqliteDatabase
    from conformance.tables.provisioning import world_rows
    database = SqliteDatabase(tmp_path / "host.sqlite")
    database.replace_rows(world_rows(signals_world(3)))
    database.write("UPDATE vicidial_live_agents SET external_recording='START' WHERE user='vcrtl000001'")
    database.write("UPDATE vicidial_live_agents SET external_recording='START_L7' WHERE user='vcrtl000003'")
    lost, without_answer = lost_signals(database, {"vcrtl000001": "START", "vcrtl000002": "STOP", "vcrtl000003": "STOP"},
                                         {"vcrtl000003": ["START_L7"]})
    assert lost == ["vcrtl000002: confirmed 'STOP', stored ''"]
    # a signal whose answer failed (an empty 500) but which the host stored is no lost signal
    assert without_answer == ["vcrtl000003: confirmed 'STOP', stored 'START_L7'"]


def test_an_empty_500_is_a_php_fatal():
    from loadtests.server_failures import server_failure   # no locust import: the test process stays unpatched
    assert server_failure(500, "") == "php_fatal" and server_failure(500, "\n") == "php_fatal"
    assert server_failure(500, "Internal Server Error") == "http_5xx" and server_failure(503, "") == "http_5xx"


@pytest.mark.slow  # about 15 s
def test_open_model_run_keeps_its_rate(tmp_path):
    """Counted by intended send times, not by the wall clock: from the first to the last send
    the schedule holds 100 * span + 1 slots, and each was sent but those in flight at the end
    (at most one per user, 40). A generator that ignored the schedule (the closed model sends
    over a thousand a second here) or kept half the rate falls far outside."""
    result = vicicert("load", "recording", "--agents", "40", "--seconds", "6", "--spawn-rate", "40",
                      "--arrival-rate", "100", "--report-dir", str(tmp_path), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert summary["failures"] == 0 and summary["lost_signals"] == []
    assert summary["send_span_s"] >= 2.0  # of a 6 s run, whose schedule starts a second in
    slots = round(100 * summary["send_span_s"]) + 1
    assert slots - 40 <= summary["requests"] <= slots, (summary["requests"], summary["send_span_s"])


@pytest.mark.slow  # two Locust workers; the remote pair of test_load_cluster.py covers the same merge
def test_distributed_run_with_two_workers(tmp_path):
    """Locust's master/worker mode on loopback: disjoint agents per worker, summaries merged exactly."""
    result = vicicert("load", "recording", "--agents", "20", "--seconds", "6", "--spawn-rate", "20",
                      "--workers", "2", "--report-dir", str(tmp_path), timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    parts = [json.loads(path.read_text()) for path in (tmp_path / "load-recording").glob("summary.json.worker*")]
    assert summary["workers"] == 2 and len(parts) == 2 and all(part["requests"] > 0 for part in parts)
    assert summary["requests"] == sum(part["requests"] for part in parts) > 100
    assert summary["failures"] == 0 and summary["lost_signals"] == [] and summary["agents_driven"] == 20
    assert not set(parts[0]["last_signal"]) & set(parts[1]["last_signal"])  # no agent shared by the workers
    # each worker publishes its own progress; added up, their last writes are the merged count
    progress = sorted((tmp_path / "load-recording").glob("summary.progress.json.worker*"))
    assert len(progress) == 2 and read_progress(progress)["requests"] == summary["requests"]


@pytest.mark.slow  # the run's 2 s and Locust's 5 s stop timeout
def test_a_signal_in_flight_when_the_run_stops_is_no_lost_signal(httpserver, tmp_path):
    """The host stores a START and holds its answer past the end of the run: the profile reports
    the signal as sent without an answer, so the stored START is not called a lost signal."""
    world = signals_world(1)
    released = threading.Event()
    held: list[str] = []

    def store_then_hold_the_first_start(request, answer):
        if request.param("value") == "START" and not held:
            held.append(request.param("agent_user"))
            released.wait(timeout=60)
        return answer

    handler = MisbehavingHandler(tmp_path / "held.sqlite", world, store_then_hold_the_first_start,
                                 reset_each_request=False)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    try:
        summary = run_locust(httpserver.url_for("/").rstrip("/"), write_world(world, tmp_path / "world.yaml"),
                             tmp_path / "summary.json", users=1, spawn_rate=1, seconds=2, slo=Slo())
    finally:
        released.set()
    assert held == ["vcrtl000001"]
    assert summary["unanswered"] == {"vcrtl000001": ["START"]}
    assert summary["last_signal"].get("vcrtl000001", "") != "START"
    lost, without_answer = lost_signals(handler.database, summary["last_signal"], summary["unanswered"])
    assert lost == [] and without_answer == [f"vcrtl000001: confirmed {summary['last_signal'].get('vcrtl000001', '')!r}, "
                                             "stored 'START'"]


@pytest.mark.slow   # a real run, stopped early
def test_abort_on_breach_stops_the_run_at_the_first_breach(tmp_path):
    """k6's abortOnFail: a p95 SLO no host can hold, a run planned for 300 s; the runner sees the
    breach in the progress files once 100 answers back it, asks Locust to quit, and the run ends
    with exit 1 and the reason, its summary written and its signals judged."""
    result = vicicert("load", "recording", "--agents", "20", "--seconds", "300", "--spawn-rate", "20",
                      "--p95-ms", "0.001", "--abort-on-breach", "--report-dir", str(tmp_path), timeout=280)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert summary["aborted"].startswith("p95 ") and "is above 0.001 ms (after " in summary["aborted"]
    assert f"stopped early at an SLO breach (--abort-on-breach): {summary['aborted']}" in result.stdout
    assert "stopping the run (--abort-on-breach)" in result.stderr
    seen_at = float(re.search(r"([0-9.]+) s in\)", summary["aborted"]).group(1))
    span = summary["requests"] / summary["rps"]
    assert span < 200 and summary["lost_signals"] == []   # stopped long before its 300 s, nothing lost
    print(f"breach seen {seen_at:.1f} s in; sending stopped after {span:.1f} s")


@pytest.mark.slow  # a real run to its end; thresholds are judged in test_slo_thresholds.py
def test_a_run_that_holds_its_slos_is_not_aborted(tmp_path):
    result = vicicert("load", "recording", "--agents", "10", "--seconds", "3", "--spawn-rate", "10",
                      "--p95-ms", "60000", "--abort-on-breach", "--report-dir", str(tmp_path), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "aborted" not in json.loads((tmp_path / "load-recording/summary.json").read_text())


def test_a_worker_parses_no_spec_and_reads_no_world_the_master_hands_them_over():
    """Start-up not repeated per worker: a Locust worker imports the profile without the world loader
    or the spec loader (and their schemas), and answers by the templates its master's share carries."""
    import subprocess
    import sys

    from loadtests.recording_rules import answer_templates, expected_answer
    agent = next(iter(signals_world(1).agents.values()))
    share = {"first": 0, "count": 1, "agents": [agent], "api_user": {"user": "vcrt6666", "pass": "x"},
             "verify": True, "templates": answer_templates()}
    worker = f"""
import json, sys
from types import SimpleNamespace
import loadtests.recording_signals as profile
loaded = sorted(name for name in ("conformance.world", "conformance.spec", "jsonschema") if name in sys.modules)
profile._receive_agent_share(SimpleNamespace(data=json.loads(sys.argv[1])))
agent = profile.AGENTS[0]
answers = [profile.expected_answer(action, value, agent, state) for action, value, state in
           [("STATUS", "STATUS", ""), ("START", "START_L001", ""), ("STOP", "STOP", "")]]
loaded += sorted(name for name in ("conformance.spec",) if name in sys.modules)
print(json.dumps({{"loaded": loaded, "answers": answers}}))
"""
    done = subprocess.run([sys.executable, "-c", worker, json.dumps(share)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["loaded"] == []
    assert [tuple(answer) for answer in result["answers"]] == [
        expected_answer("STATUS", "STATUS", agent, ""), expected_answer("START", "START_L001", agent, ""),
        expected_answer("STOP", "STOP", agent, "")]


def test_expected_answers_rendered_once_per_agent_are_the_spec_s_texts():
    """The profile renders each agent's answers once, not per request: what it expects is still the spec's
    text for every signal and state, for agents that differ only in their session."""
    from conformance.bundle import SPECS_DIR
    from conformance.spec import load_spec
    from loadtests.recording_rules import expected_answer
    responses = load_spec(SPECS_DIR / "agent_api" / "recording.yaml").responses
    first = next(iter(signals_world(1).agents.values()))
    moved = {**first, "conf_exten": "8600999"}
    for agent in (first, moved, first):
        for action, value in (("STATUS", "STATUS"), ("START", "START"), ("START", "START_L007"), ("STOP", "STOP")):
            for state in ("", "STOP", "START", "START_L007"):
                body, _after = expected_answer(action, value, agent, state)
                context = {"agent_user": agent["user"], "filtered.agent_user": agent["user"], "value": value,
                           **{key: agent[key] for key in ("server_ip", "conf_exten", "status")}}
                if body.startswith("SUCCESS"):
                    assert body == responses["sent"].body.render(context)
                elif body.startswith("NOTICE: not recording"):
                    assert body == responses["not_recording"].body.render(context)
                assert f"|{agent['conf_exten']}|" in body
