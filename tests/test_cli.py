"""The command line end to end, as a user runs it: exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from command import vicicert
from targets import MisbehavingHandler, wrong_text

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
def test_check_on_the_embedded_host_passes(tmp_path):
    result = vicicert("check", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    report = json.loads((tmp_path / "reports/out/report.json").read_text())
    cases = report["totals"]["cases"]
    assert "vicicert summary" in result.stdout
    assert re.search(rf"^all\s+{cases}\s+0\s+0\s+{cases}$", result.stdout, re.M)  # the totals row
    assert report["totals"]["failed"] == 0 and report["totals"]["passed"] == report["totals"]["cases"] > 80
    assert (tmp_path / "reports/out/junit.xml").read_text().count("<testcase") == report["totals"]["cases"]
    assert (tmp_path / "reports/out/report.html").exists()


@pytest.mark.slow  # whole vicicert processes
def test_check_on_a_misbehaving_target_exits_1_and_names_differences(tmp_path, httpserver, vicidial_world):
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, wrong_text)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = vicicert("check", "--target", httpserver.url_for("/"), "--world", str(EMBEDDED_WORLD),
                      "--allow-writes", "-k", "pause_code", cwd=tmp_path)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "agent_api::pause_code::paused_agent_break" in result.stdout
    assert "expected 'nt·-·vcrt1001↵', got 't·-·vcrt1001↵'" in result.stdout
    assert "vcPass" not in result.stdout + result.stderr


def test_check_with_a_broken_spec_exits_2_naming_file_and_line(tmp_path):
    broken = tmp_path / "pause_code.yaml"
    text = (SPECS_DIR / "agent_api/pause_code.yaml").read_text()
    line = text[:text.index("  - name: ready_agent")].count("\n") + 1
    broken.write_text(text.replace("  - name: ready_agent", "  - nme: ready_agent"))
    result = vicicert("check", "--specs", str(broken), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{broken}:{line}: cases.1.nme: unknown key 'nme'" in result.stderr
    assert "fix: remove 'nme' or use one of: effects, effects_unchecked, expect, name" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_with_a_bad_target_url_exits_2(tmp_path):
    result = vicicert("check", "--target", "ftp://example", "--world", str(EMBEDDED_WORLD), "-k", "ready", cwd=tmp_path)
    assert result.returncode == 2
    assert "is not an http(s) URL" in result.stdout + result.stderr


def test_serve_answers_on_loopback_until_stopped(tmp_path):
    """`vicicert serve` runs the reference host with the embedded world; it never prints a password."""
    import signal
    import urllib.request

    from loadtests.locust_process import free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port),
                                "--db", str(tmp_path / "serve.sqlite")], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/agc/api.php?function=version", timeout=5) as answer:
            body = answer.read().decode()
        assert body.startswith("VERSION: 2.14-82|BUILD: 250122-1010|DATE: ")
    finally:
        process.send_signal(signal.SIGINT)
        output, errors = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in output and "vcPass" not in output + errors


@pytest.mark.parametrize("arguments, message", [
    (["load", "stats", "--windows", "10k,100k"], "argument --windows: '10k,100k': '10k' is not a whole number"),
    (["load", "recording", "--steps", "10,0"], "argument --steps: '10,0': 0 is too small: give 1 or more"),
    (["load", "recording", "--agents", "0"], "argument --agents: 0 is too small"),
    (["load", "recording", "--arrival-rate", "fast"], "argument --arrival-rate: 'fast' is not a number"),
    (["seed", "--rows", "-5", "--db", "x.sqlite"], "argument --rows: -5 is too small"),
    # argparse would keep the last --specs and run one spec silently: a second one is refused
    (["check", "--specs", "a.yaml", "--specs", "b.yaml"], "--specs given twice (a.yaml, b.yaml): it takes one; "
                                                         "give one spec file or folder, and choose functions of it with -k"),
])
def test_a_bad_count_is_a_usage_error_before_anything_runs(arguments, message, tmp_path):
    result = vicicert(*arguments, cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path / "x.sqlite").exists()
