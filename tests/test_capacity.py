"""Stepped runs, the knee where an SLO first breaks, and SLO files."""

from __future__ import annotations

import pytest
from command import vicicert

from conformance.errors import UsageError
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
    bad = tmp_path / "bad.yaml"
    bad.write_text("p95: 100\n")
    with pytest.raises(UsageError, match="unknown SLO keys p95; use max_error_ratio, min_rps, p95_ms, p99_ms"):
        Slo.from_file(bad)


def test_stepped_run_writes_the_capacity_report(tmp_path):
    result = vicicert("load", "recording", "--steps", "2,8", "--seconds", "3", "--spawn-rate", "8",
                      "--p99-ms", "0.001", "--report-dir", str(tmp_path), timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "knee at 2 users" in result.stdout
    page = (tmp_path / "capacity-recording/capacity.html").read_text()
    assert "Knee: the SLOs first break at users = 2" in page and page.count("<tr") == 3
