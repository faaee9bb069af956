"""Locust's interfaces through ``vicicert load``: its web UI for a run, started there and judged when
it stops, and the options vicicert does not know handed on to Locust (those it sets itself refused,
naming vicicert's own)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from command import vicicert
from locust_web import start_run_in_web_ui

from loadtests.locust_interfaces import passed_on_options, web_address
from loadtests.locust_process import free_port
from conformance.errors import UsageError


def test_options_vicicert_sets_itself_are_refused_naming_its_own():
    assert passed_on_options(["--csv-full-history", "--loglevel", "INFO"]) == ("--csv-full-history", "--loglevel", "INFO")
    for given, named in (("-u", "vicicert's --users"), ("--run-time=30s", "--seconds"), ("--headless", "--web"),
                         ("--master", "--workers N"), ("--host", "--target URL"), ("--web-port", "--web [HOST:]PORT")):
        with pytest.raises(UsageError) as refused:
            passed_on_options(["--loglevel", "INFO", given])
        assert f"sets Locust's {given.split('=')[0]} itself" in str(refused.value) and named in str(refused.value)


def test_web_addresses():
    assert web_address("9000") == ("127.0.0.1", 9000)
    assert web_address("0.0.0.0:9000") == ("0.0.0.0", 9000)
    for wrong in ("", "x", "127.0.0.1:", "70000"):
        with pytest.raises(ValueError, match="give a port"):
            web_address(wrong)


def test_the_command_line_refuses_before_anything_runs(tmp_path):
    refused = vicicert("load", "recording", "--agents", "2", "-u", "5", "--report-dir", str(tmp_path), timeout=60)
    assert refused.returncode == 2 and "-u: vicicert load sets Locust's -u itself; give vicicert's --users" in refused.stderr
    stepped = vicicert("load", "recording", "--agents", "2", "--steps", "1,2", "--web", "--report-dir", str(tmp_path),
                       timeout=60)
    assert stepped.returncode == 2 and "--web runs one stage" in stepped.stderr
    bad_port = vicicert("load", "recording", "--web", "nine", timeout=60)
    assert bad_port.returncode == 2 and "give a port (8089) or HOST:PORT" in bad_port.stderr
    other = vicicert("seed", "--db", str(tmp_path / "x.sqlite"), "--no-such-option", timeout=60)
    assert other.returncode == 2 and "unrecognized arguments: --no-such-option" in other.stderr
    assert not list(tmp_path.iterdir())   # nothing was provisioned or run


@pytest.mark.slow   # a real run through Locust's UI: start-up, 3 s of load, Locust's quit
def test_a_run_started_in_locusts_web_ui_is_judged_when_it_stops(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "conformance.cli", "load", "recording", "--agents", "6", "--users", "6",
               "--seconds", "3", "--web", str(port), "--report-dir", str(tmp_path), "--csv-full-history"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = start_run_in_web_ui(f"http://127.0.0.1:{port}", process, users=6, run_time="3s")
        assert "locust" in page.lower()
        stdout, stderr = process.communicate(timeout=180)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stdout + stderr[-3000:]
    assert f"Locust's web UI is at http://127.0.0.1:{port}: start the run there" in stdout
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert summary["verified"] and summary["requests"] > 6 and summary["failures"] == 0
    assert summary["lost_signals"] == [] and summary["agents_driven"] == 6
    assert (tmp_path / "load-recording/report/capacity.html").exists()
    assert "locust" in (tmp_path / "load-recording/locust.html").read_text().lower()
    # --csv-full-history is no vicicert option: it reached Locust, which wrote the history table
    assert (tmp_path / "load-recording/locust_stats_history.csv").stat().st_size > 0
