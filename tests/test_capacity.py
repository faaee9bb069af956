"""Stepped runs, the knee where an SLO first breaks, and SLO files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from command import vicicert

from conformance.errors import SourceFileError
from loadtests.capacity import knee, write_capacity_report
from loadtests.slo import Slo


def stage(load, p95, errors=0.0, rps=100.0):
    return {"load": load, "summary": {"p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 1.5, "p99.9_ms": p95 * 2,
                                      "max_ms": p95 * 3, "error_ratio": errors, "rps": rps, "requests": 100,
                                      "failures": 0}}


def test_knee_is_the_first_stage_that_breaks_an_slo(tmp_path):
    stages = [stage(10, 20), stage(20, 35), stage(40, 80), stage(80, 300, errors=0.1)]
    slo = Slo(p95_ms=50, max_error_ratio=0.01)
    assert knee(stages, slo) == {"load": 40, "breaches": ["p95 80.0 ms is above 50 ms"]}
    assert knee(stages[:2], slo) is None
    page = write_capacity_report("demo", "users", stages, slo, tmp_path).read_text()
    assert "Knee: the SLOs first break at users = 40 (p95 80.0 ms is above 50 ms)" in page
    assert (tmp_path / "latency.png").stat().st_size > 5000 and (tmp_path / "throughput.png").exists()


def test_slo_file(tmp_path):
    good = tmp_path / "slo.yaml"
    good.write_text("p99_ms: 250\nmin_rps: 50\n")
    assert Slo.from_file(good, Slo(p95_ms=100)) == Slo(p95_ms=100, p99_ms=250, max_error_ratio=0.0, min_rps=50)
    assert Slo.from_file(Path(__file__).parents[1] / "loadtests" / "slo-example.yaml").p99_ms == 250


@pytest.mark.parametrize("text, where, message", [
    ("p99_ms: 250\np95: 100\n", ":2", "unknown SLO key 'p95'\n  fix: use one of max_error_ratio, min_rps, p95_ms"),
    ("# SLOs\np95_ms: fast\n", ":2", "p95_ms is milliseconds, not 'fast'\n  fix: for example 'p95_ms: 100', or null"),
    ("max_error_ratio: 5\n", ":1", "max_error_ratio is a share from 0 to 1, not 5"),
    ("min_rps: true\n", ":1", "min_rps is requests per second, not True"),
    ("p95_ms: -1\n", ":1", "p95_ms is milliseconds, not -1"),
    ("- p95_ms\n", ":1", "an SLO file is a mapping of thresholds"),
    ("p95_ms: [1\n", ":1", "YAML syntax"),  # the line where the bracket opens
])
def test_a_wrong_slo_file_names_the_line_and_the_fix(tmp_path, text, where, message):
    bad = tmp_path / "slo.yaml"
    bad.write_text(text)
    with pytest.raises(SourceFileError) as caught:
        Slo.from_file(bad)
    assert str(caught.value).startswith(f"{bad}{where}: ") and message in str(caught.value)


def test_slo_options_and_files_are_checked_before_any_run(tmp_path):
    missing = vicicert("load", "recording", "--slo-file", str(tmp_path / "none.yaml"), "--seconds", "1")
    assert missing.returncode == 2 and f"{tmp_path / 'none.yaml'}: file not found" in missing.stderr
    negative = vicicert("load", "stats", "--p99-ms", "-5", "--seconds", "1")
    assert negative.returncode == 2 and "--p99-ms: p99_ms is milliseconds, not -5.0" in negative.stderr


@pytest.mark.slow  # a real stepped Locust run; the verdict is judged alone above
def test_stepped_run_is_one_locust_run_and_a_broken_slo_fails_it(tmp_path):
    """Two stages in one Locust process (one host, one provisioning); a stage that breaks an SLO
    is the knee and exits 1, as a single run's breach does; every stage's summary is kept."""
    result = vicicert("load", "recording", "--steps", "2,8", "--seconds", "3", "--spawn-rate", "8",
                      "--p99-ms", "0.001", "--report-dir", str(tmp_path), timeout=240)
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert "capacity: no stage held the SLOs set (p99 <= 0.001 ms, error ratio <= 0): the first, 2 users, broke them" \
        in result.stdout
    for number, users in ((1, 2), (2, 8)):  # each stage under its own progress line, plain in a captured log
        assert f"-- stage {number} of 2: {users} users" in result.stdout
        assert re.search(rf"^recording_signals, {users} users: \d+/3 s, [\d,]+ requests", result.stderr, re.MULTILINE)
        kept = json.loads((tmp_path / f"load-recording/stages/stage-{number}.json").read_text())
        assert kept["users"] == users and kept["requests"] > 0 and kept["timeline"] and kept["slo_breaches"]
    assert result.stdout.count("vicicert reference host") <= 1 and result.stdout.count("summary: ") == 1
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    folder = tmp_path / "capacity-recording"
    page = (folder / "capacity.html").read_text()
    assert "Knee: the SLOs first break at users = 2" in page and page.count("<tr class=\"knee\">") == 1
    assert "Target build: <code>VERSION: 2.14-" in page and "<th>stages</th><td>2:3,8:3</td>" in page
    assert (folder / "timeline.png").stat().st_size > 5000
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert [stage["users"] for stage in summary["stages"]] == [2, 8] and summary["target_build"].startswith("VERSION:")
    assert summary["requests"] == sum(stage["requests"] for stage in summary["stages"])


def test_steps_and_rate_steps_must_pair_up(tmp_path):
    result = vicicert("load", "recording", "--steps", "2,4", "--rate-steps", "10,20,30", "--report-dir", str(tmp_path))
    assert result.returncode == 2 and "--steps has 2 stages and --rate-steps 3" in result.stderr


def test_an_export_window_whose_exports_all_die_breaks_the_slos():
    """Upstream at its memory limit: every 3,000,000-row export an empty 500, fast enough for any latency SLO."""
    from loadtests.capacity import verdict
    from loadtests.stats_run import window_slos
    from loadtests.slo import Slo
    per_window, whole = window_slos(Slo(p99_ms=10_000, max_error_ratio=0, min_rps=0.1))
    assert per_window.min_rps is None and whole == {"min_rps": 0.1}
    stages = [{"load": 1_000_000, "label": "1,000,000 rows",
               "summary": {"p95_ms": 5000.0, "p99_ms": 5500.0, "error_ratio": 0.0, "rps": 0.2}},
              {"load": 3_000_000, "label": "3,000,000 rows",
               "summary": {"p95_ms": 6600.0, "p99_ms": 7700.0, "error_ratio": 1.0, "rps": 0.2}}]
    headline = verdict(stages, per_window, with_saturation=False)["headline"]
    assert headline.startswith("holds the SLOs set (p99 <= 10000 ms, error ratio <= 0) up to 1,000,000 rows") and \
        "3,000,000 rows broke them (error ratio 1.0000 is above 0)" in headline


def test_the_page_names_each_stage_s_failures_by_kind_and_a_closed_connection_s_likely_cause(tmp_path):
    """A connection closed without an answer (upstream at its memory limit) is its own outcome on the page."""
    stages = [stage(10, 20), stage(20, 30, errors=0.5)]
    stages[1]["summary"].update(failures=50, failures_by_kind={"closed_without_answer": 40, "php_fatal": 10})
    page = write_capacity_report("demo", "rows", stages, Slo(max_error_ratio=0.01), tmp_path).read_text()
    assert "closed_without_answer 40, php_fatal 10" in page
    causes = page.split("Failures and their likely causes")[1]
    assert "<b>closed_without_answer</b>: the host closed the connection before the first byte" in causes
    assert "<b>php_fatal</b>: an empty HTTP 500" in causes
    quiet = write_capacity_report("demo", "rows", stages[:1], Slo(), tmp_path / "quiet").read_text()
    assert "likely causes" not in quiet
