"""The SLOs shown as k6 shows thresholds: each set one with ✓ or ✗, its limit and the measured value."""

from __future__ import annotations

from loadtests.slo import Slo

RUN = {"p95_ms": 12.3, "p99_ms": 90.1, "error_ratio": 0.002, "requests": 1000, "failures": 2, "rps": 150.25,
       "count": 1000}


def lines(slo: Slo, summary: dict) -> list[str]:
    return [row["line"] for row in slo.thresholds(summary)]


def test_each_threshold_set_is_shown_held_or_not_with_its_value():
    assert lines(Slo(p95_ms=50, p99_ms=80, max_error_ratio=0.01, min_rps=100), RUN) == [
        "✓ p95 <= 50 ms: 12.30 ms", "✗ p99 <= 80 ms: 90.10 ms",
        "✓ error ratio <= 0.01: 0.0020 (2 of 1000 failed)", "✓ requests/s >= 100: 150.2"]
    assert lines(Slo(min_rps=200), RUN) == ["✗ error ratio <= 0: 0.0020 (2 of 1000 failed)",
                                             "✗ requests/s >= 200: 150.2"]
    assert lines(Slo(max_error_ratio=None), RUN) == []


def test_a_percentile_from_few_answers_is_flagged_and_nothing_answered_holds_nothing():
    few = {**RUN, "count": 30}
    assert lines(Slo(p95_ms=50, max_error_ratio=None), few) == [
        "✓ p95 <= 50 ms: 12.30 ms (from 30 answers: fewer than 100, a rough p95)"]
    silent = {"requests": 0, "failures": 0, "error_ratio": 1.0, "rps": 0.0, "count": 0, "p95_ms": None}
    assert lines(Slo(p95_ms=50), silent) == ["✗ p95 <= 50 ms: not measured", "✗ error ratio <= 0: 1.0000"]


def test_an_export_window_counts_its_exports_as_its_requests():
    window = {"count": 40, "failures": 0, "error_ratio": 0.0, "p95_ms": 800.0, "p99_ms": 900.0}
    assert lines(Slo(p99_ms=1000), window) == ["✓ p99 <= 1000 ms: 900.00 ms (from 40 answers: fewer than 100, a rough p99)",
                                                "✓ error ratio <= 0: 0.0000 (0 of 40 failed)"]


def test_judge_keeps_the_thresholds_in_the_summary():
    summary = dict(RUN)
    assert Slo(p99_ms=80).judge(summary) == ["p99 90.1 ms is above 80 ms", "error ratio 0.0020 is above 0"]
    assert [row["threshold"] for row in summary["thresholds"]] == ["p99_ms", "max_error_ratio"]
    assert not any(row["held"] for row in summary["thresholds"])
    assert Slo().described() == "error ratio <= 0" and Slo(max_error_ratio=None).described() == "none"


def test_mid_run_the_error_ratio_breaks_at_once_and_p95_once_100_answers_back_it():
    slo = Slo(p95_ms=50, p99_ms=10, min_rps=1e9)   # p99 and the rate are never judged mid-run
    assert slo.mid_run_breach({"requests": 10, "failures": 0, "p95_ms": 900.0}) is None
    assert slo.mid_run_breach({"requests": 100, "failures": 0, "p95_ms": 900.0}) == \
        "p95 900.0 ms is above 50 ms (after 100 answers)"
    assert slo.mid_run_breach({"requests": 3, "failures": 1, "p95_ms": None}) == \
        "error ratio 0.3333 is above 0 (1 of 3 failed)"
    assert Slo(max_error_ratio=0.5).mid_run_breach({"requests": 3, "failures": 1, "p95_ms": None}) is None


def test_the_stats_profile_watches_the_error_ratio_alone():
    from loadtests.stats_run import StatsRun
    assert StatsRun(slo=Slo(p95_ms=5, min_rps=3)).abort_on() is None
    assert StatsRun(slo=Slo(p95_ms=5, p99_ms=9, min_rps=3, max_error_ratio=0.1), abort_on_breach=True).abort_on() == \
        Slo(max_error_ratio=0.1)
