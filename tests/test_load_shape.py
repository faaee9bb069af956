"""Stages in one Locust process, the profiles under plain ``locust -f``, and the capacity verdict.

Runs target 127.0.0.1 only, bounded in time (seconds) and in requests (``--max-requests``, or
arrival rates that cap what a stage can send).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conformance.world import load_world
from loadtests.agents import signals_world, write_world
from loadtests.capacity import _axes_from_zero, saturation, verdict, write_capacity_report
from loadtests.child_processes import start_child, stop
from loadtests.locust_process import free_port, wait_until_up
from loadtests.slo import Slo
from loadtests.stages import Stage, format_stages, parse_stages, stepped

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def served_world(tmp_path):
    """The embedded host serving a load world of four agents; (base URL, world file)."""
    world = write_world(signals_world(4), tmp_path / "world.yaml")
    port = free_port()
    host = start_child([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port), "--db",
                        str(tmp_path / "host.sqlite"), "--world", str(world)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", host)
        yield f"http://127.0.0.1:{port}", world
    finally:
        stop(host)


def plain_locust(base_url: str, world: Path, summary: Path, *options: str) -> subprocess.CompletedProcess:
    """``locust -f loadtests/recording_signals.py`` as a user would type it: options, not environment."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("VICICERT_")}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "loadtests/recording_signals.py"),
                           "--headless", "--only-summary", "--loglevel", "WARNING", "--host", base_url,
                           "--world", str(world), "--summary-file", str(summary), *options],
                          env=environment, capture_output=True, text=True, timeout=90, cwd=summary.parent)


def test_plain_locust_runs_the_profile_with_its_own_options(served_world, tmp_path):
    base_url, world = served_world
    summary_file = tmp_path / "summary.json"
    result = plain_locust(base_url, world, summary_file, "-u", "4", "-r", "4", "-t", "5s", "--max-requests", "300",
                          "--slo", '{"max_error_ratio": 0, "p99_ms": 60000}')
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(summary_file.read_text())
    # the limit, and what the four users send while Locust stops them (a few each)
    assert 0 < summary["requests"] <= 300 + 4 * 5 and summary["failures"] == 0
    assert summary["agents_driven"] == 4 and len(summary["stages"]) == 1 and summary["stages"][0]["users"] == 4
    assert summary["slo"]["p99_ms"] == 60000 and summary["slo_breaches"] == []
    assert (tmp_path / "summary.progress.json").exists()


def test_plain_locust_refuses_a_missing_world(tmp_path):
    result = subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "loadtests/recording_signals.py"),
                             "--headless", "--host", "http://127.0.0.1:9", "-t", "1s"],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode != 0 and "recording_signals needs --world FILE" in result.stderr


@pytest.mark.slow  # a real Locust run
def test_a_plain_run_against_a_host_an_earlier_run_left_recording_passes(served_world, tmp_path):
    """An earlier run leaves agents recording (here: a START for every agent, sent by hand); the
    profile reads each agent's state with a STOP before its first signal, so it expects what the
    host holds, with no false wrong_text, and a second run after it passes too."""
    base_url, world = served_world
    loaded = load_world(world)
    admin = loaded.api_users["api_admin"]
    for agent in loaded.agents.values():
        query = urlencode({"source": "test", "user": admin["user"], "pass": admin["pass"], "agent_user": agent["user"],
                           "function": "recording", "value": "START", "stage": "_EARLIER"})
        with urllib.request.urlopen(f"{base_url}/agc/api.php?{query}", timeout=30) as answer:
            assert answer.read().startswith(b"SUCCESS: recording function sent")
    for run in ("first", "second"):
        summary_file = tmp_path / f"{run}.json"
        result = plain_locust(base_url, world, summary_file, "-u", "4", "-r", "4", "-t", "3s", "--max-requests", "200")
        assert result.returncode == 0, f"{run}: {result.stderr[-3000:]}"
        summary = json.loads(summary_file.read_text())
        assert summary["failures"] == 0 and summary["requests"] > 0, (run, summary["examples"])


def test_plain_locust_refuses_a_world_that_is_not_a_load_world(served_world, tmp_path):
    base_url, _ = served_world
    result = plain_locust(base_url, ROOT / "specs/worlds/embedded.yaml", tmp_path / "summary.json", "-u", "1", "-t", "1s")
    assert result.returncode != 0
    assert "is not a load world (its agents lack conf_exten, server_ip" in result.stderr
    assert "python -m loadtests.agents 100 load-world.yaml" in result.stderr and "KeyError" not in result.stderr


@pytest.mark.slow  # a real Locust run
def test_a_plain_run_that_breaks_an_slo_says_which(served_world, tmp_path):
    base_url, world = served_world
    result = plain_locust(base_url, world, tmp_path / "summary.json", "-u", "2", "-r", "2", "-t", "2s",
                          "--slo", '{"p95_ms": 0.001}')
    assert result.returncode == 1
    assert re.search(r"vicicert: SLO breached: p95 [0-9.]+ ms is above 0.001 ms", result.stderr), result.stderr[-2000:]


def test_the_profiles_options_are_listed():
    """Locust prints --help before it reads a locustfile; the profile lists its options itself."""
    listed = subprocess.run([sys.executable, "-m", "loadtests.recording_signals", "--help"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert listed.returncode == 0, listed.stderr[-2000:]
    for option in ("--world WORLD", "--verify {0,1}", "--slo SLO", "--stages STAGES", "--summary-file", "--arrival-rate"):
        assert option in listed.stdout


@pytest.mark.slow  # a real Locust run
def test_stepped_arrival_rates_in_one_process(served_world, tmp_path):
    """Two open-model stages of 3 s, 20/s then 60/s, paced by each stage's schedule: a histogram and
    a timeline each, the second stage about three times the first's rate; an SLO broken exits 1."""
    base_url, world = served_world
    summary_file = tmp_path / "summary.json"
    result = plain_locust(base_url, world, summary_file, "-r", "4", "--stages", "4:3:20,4:3:60",
                          "--slo", '{"p99_ms": 0.001}')
    assert result.returncode == 1, result.stderr[-3000:]
    summary = json.loads(summary_file.read_text())
    first, second = summary["stages"]
    assert (first["rate"], second["rate"]) == (20, 60) and first["users"] == second["users"] == 4
    assert summary["failures"] == 0 and summary["requests"] == first["requests"] + second["requests"]
    assert summary["requests"] <= 20 * 5 + 60 * 5  # each stage at most its rate over its time, a tick late
    assert first["rps"] <= 22 and 40 <= second["rps"] <= 66, (first["rps"], second["rps"])
    for stage in (first, stage_two := second):
        assert stage["histogram"] and stage["p95_ms"] is not None and stage["timeline"]
        assert stage["slo_breaches"] and stage["cpu_mean"] is not None
        assert all(point["t"] > 0 for point in stage["timeline"])
    assert stage_two["duration_s"] >= 3


def test_stages_text():
    assert parse_stages("10:30, 20:30:200") == [Stage(10, 30.0), Stage(20, 30.0, 200.0)]
    assert format_stages([Stage(10, 30), Stage(20, 30, 200)]) == "10:30,20:30:200"
    for wrong in ("10", "10:x", "0:30", "5:30:0", "1:2:3:4"):
        with pytest.raises(ValueError, match="stage"):
            parse_stages(wrong)
    assert stepped([2, 4], None, 5, 10) == [Stage(2, 5), Stage(4, 5)]
    assert stepped(None, [50, 100], 5, 10) == [Stage(10, 5, 50), Stage(10, 5, 100)]
    with pytest.raises(ValueError, match="as many of each"):
        stepped([1, 2], [10.0], 5, 10)


def stage(load, rps, p95=10.0, cpu=30.0):
    return {"load": load, "label": f"{load} users", "summary": {
        "rps": rps, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 2, "p99.9_ms": p95 * 3, "max_ms": p95 * 4,
        "error_ratio": 0.0, "requests": int(rps * 10), "failures": 0, "cpu_mean": cpu, "cpu_max": cpu + 5,
        "duration_s": 10.0, "timeline": [{"t": t, "requests": int(rps), "failures": 0, "p50_ms": p95 / 2,
                                          "p95_ms": p95, "p99_ms": p95 * 2, "cpu_percent": cpu}
                                         for t in (1.0, 2.0, 3.0)]}}


def test_saturation_is_found_when_no_slo_breaks():
    stages = [stage(10, 100), stage(20, 190), stage(40, 195), stage(80, 196)]
    assert saturation(stages) == {"load": 20, "label": "20 users", "rps": 190, "next_rps": 195,
                                  "next_label": "40 users"}
    reading = verdict(stages, Slo(p95_ms=50))
    assert reading["knee"] is None and reading["highest"]["load"] == 80
    assert reading["headline"].startswith("holds the SLOs set (p95 <= 50 ms, error ratio <= 0) up to 80 users "
                                          "(196.0 requests/s, p95 10.0 ms")
    assert "throughput stops rising at 20 users" in reading["headline"]
    assert saturation(stages[:2]) is None
    assert "still rose at the last stage" in verdict(stages[:2], Slo())["headline"]


def test_saturation_at_the_lowest_stage_says_to_test_lower():
    stages = [stage(10, 100), stage(20, 101), stage(40, 102)]
    headline = verdict(stages, Slo(p95_ms=50))["headline"]
    assert "throughput stops rising at 10 users" in headline
    assert "10 users is the lowest stage tested, so saturation may come earlier: test lower stages" in headline
    assert "lowest stage tested" not in verdict([stage(5, 50), *stages], Slo(p95_ms=50))["headline"]


def test_a_single_run_holds_or_breaks_at_its_one_load():
    assert verdict([stage(30, 900)], Slo(p95_ms=50))["headline"] == (
        "holds the SLOs set (p95 <= 50 ms, error ratio <= 0) at 30 users (900.0 requests/s, p95 10.0 ms, p99 20.0 ms)")
    assert verdict([stage(30, 900, p95=80)], Slo(p95_ms=50))["headline"] == (
        "breaks the SLOs set (p95 <= 50 ms, error ratio <= 0) at 30 users (p95 80.0 ms is above 50 ms)")


def test_a_run_without_a_latency_slo_says_so():
    stages = [stage(10, 100), stage(20, 200)]
    assert "no latency SLO given (--p95-ms, --p99-ms), so no latency limit is judged" in \
        verdict(stages, Slo())["headline"]
    assert "no latency SLO" not in verdict(stages, Slo(p99_ms=100))["headline"]


def test_a_percentile_from_few_answers_is_called_rough():
    small = stage(10, 100)
    small["summary"]["count"] = 30
    assert "p95 10.0 ms from 30 answers, a rough p95" in verdict([small], Slo())["headline"]
    small["summary"]["count"] = 100
    assert "rough" not in verdict([small], Slo())["headline"]


def test_saturation_counts_correct_answers_only(tmp_path):
    """Upstream at MariaDB's connection limit answers half its requests with fast empty 500s: more
    requests per second, fewer correct ones. That is saturation, not a rise."""
    overloaded = stage(200, 330)
    overloaded["summary"]["failures"] = overloaded["summary"]["requests"] // 2
    stages = [stage(50, 100), stage(100, 300), overloaded]
    assert saturation(stages) == {"load": 100, "label": "100 users", "rps": 300, "next_rps": 165,
                                  "next_label": "200 users"}
    assert "throughput stops rising at 100 users (300.0 correct answers/s; 200 users gave 165.0/s" in \
        verdict(stages, Slo())["headline"]
    page = write_capacity_report("demo", "users", stages, Slo(), tmp_path).read_text()
    assert "<th>per second</th><th>correct per second</th>" in page and "<td>330.0</td>\n<td>165.0</td>" in page


def test_the_highest_stage_holding_every_slo_is_the_one_below_the_knee():
    stages = [stage(10, 100, p95=20), stage(20, 200, p95=40), stage(40, 300, p95=80), stage(80, 310, p95=20)]
    reading = verdict(stages, Slo(p95_ms=50))
    assert reading["highest"]["load"] == 20 and reading["knee"]["load"] == 40  # 80 holding again does not count
    assert "holds the SLOs set (p95 <= 50 ms, error ratio <= 0) up to 20 users" in reading["headline"]
    assert "40 users broke them" in reading["headline"]
    assert verdict(stages[2:], Slo(p95_ms=50))["highest"] is None


def test_a_busy_generator_is_warned_about(tmp_path):
    stages = [stage(10, 100), stage(20, 150, cpu=97.0)]
    reading = verdict(stages, Slo())
    assert "20 users (97% of a core)" in reading["generator_warning"]
    assert verdict(stages[:1], Slo())["generator_warning"] is None
    page = write_capacity_report("demo", "users", stages, Slo(), tmp_path).read_text()
    assert "Warning: the load generator&#39;s own CPU was near saturation in 20 users" in page


def test_report_axes_start_at_zero_and_its_page_says_what_ran(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot
    figure, axes = pyplot.subplots()
    axes.plot([200, 400], [50, 60])
    _axes_from_zero(axes, [200, 400], "users")
    assert axes.get_xlim()[0] == 0 and axes.get_ylim()[0] == 0
    pyplot.close(figure)
    stages = [stage(10, 100), stage(20, 180)]
    page = write_capacity_report("demo", "users", stages, Slo(p95_ms=50), tmp_path, settings={"agents": 20},
                                 build="VERSION: 2.14-82|BUILD: 1").read_text()
    assert "<th>agents</th><td>20</td>" in page and "VERSION: 2.14-82|BUILD: 1" in page
    assert "SLOs per stage: p95_ms 50, max_error_ratio 0.0." in page
    assert (tmp_path / "timeline.png").stat().st_size > 5000


def test_a_report_without_slos_or_rates_says_so(tmp_path):
    """The stats report once read 'SLOs: .' and 'per second 0.0': now 'none set' and a blank."""
    windows = [{"load": 2000, "summary": {"p50_ms": 5.0, "p95_ms": 9.0, "count": 4}},
               {"load": 20000, "summary": {"p50_ms": 50.0, "p95_ms": 90.0, "count": 4, "rps": 0.4}}]
    page = write_capacity_report("stats_export", "rows", windows, Slo(max_error_ratio=None), tmp_path,
                                 with_saturation=False, run_slo={"max_error_ratio": 0}).read_text()
    assert "SLOs per stage: none set;\nfor the whole run: max_error_ratio 0." in page
    assert "SLOs: ." not in page and "<td>0.0</td>" not in page and "<td>0.4</td>\n<td>0.4</td>" in page


def test_worker_summaries_are_merged_stage_by_stage():
    """Two workers' stages: histograms merged exactly, counts and rates added, timelines second by
    second (percentiles the highest, CPU the busiest worker's), each stage judged again."""
    from loadtests.latency import LatencyRecorder
    from loadtests.summary_merge import merge_summaries

    def part(latencies_ms: list[list[float]], cpu: float, agent: str) -> dict:
        stages = []
        for index, values in enumerate(latencies_ms):
            recorder = LatencyRecorder()
            for value in values:
                recorder.record(value / 1000)
            stages.append({**recorder.summary(), "index": index, "users": 2 * (index + 1), "rate": None,
                           "planned_seconds": 3, "duration_s": 3.0, "requests": len(values), "failures": 0,
                           "failures_by_kind": {}, "rps": len(values) / 3, "histogram": recorder.encoded(),
                           "timeline": [{"t": 1.0, "requests": len(values), "failures": 0, "p50_ms": values[0],
                                         "p95_ms": values[-1], "p99_ms": values[-1], "cpu_percent": cpu}],
                           "cpu_mean": cpu, "cpu_max": cpu})
        whole = LatencyRecorder.merged([stage["histogram"] for stage in stages])
        return {**whole.summary(), "requests": whole.count(), "failures": 0, "failures_by_kind": {}, "rps": 1.0,
                "histogram": whole.encoded(), "stages": stages, "last_signal": {agent: "STOP"}, "verified": True,
                "generator_cpu": {"mean": cpu, "max": cpu}, "examples": []}

    merged = merge_summaries([part([[1, 2], [3, 40]], 50.0, "a"), part([[1, 3], [5, 60]], 95.0, "b")],
                              Slo(p95_ms=30))
    first, second = merged["stages"]
    assert (first["requests"], second["requests"]) == (4, 4) and merged["requests"] == 8
    assert first["slo_breaches"] == [] and second["slo_breaches"] and merged["agents_driven"] == 2
    assert second["timeline"] == [{"t": 1.0, "requests": 4, "failures": 0, "p50_ms": 5, "p95_ms": 60, "p99_ms": 60,
                                   "cpu_percent": 95.0}]
    assert second["cpu_mean"] == 95.0 and merged["generator_cpu"]["mean"] == 95.0
