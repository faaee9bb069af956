"""``vicicert check`` hands the options it does not know to pytest: -x, --maxfail, --lf, -rA."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from command import vicicert
from targets import MisbehavingHandler, api_user_echoed

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.spec import load_specs


@pytest.fixture
def bent(httpserver, tmp_path, vicidial_world):
    """``vicicert check -k pause_code`` against seed 000's drift (several failures): run(*options) -> (result, report)."""
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, api_user_echoed)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}

    def run(*options):
        result = vicicert("check", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(EMBEDDED_WORLD),
                          "--allow-failed-logins", "--allow-writes", "--report-dir", str(tmp_path / "out"),
                          *options, cwd=tmp_path, env=env, timeout=300)
        report = tmp_path / "out" / "report.json"
        return result, json.loads(report.read_text()) if report.exists() else None
    return run


@pytest.mark.slow
def test_pytest_options_pass_through(bent, tmp_path):
    everything, report = bent("-k", "pause_code")
    failed = [case["id"] for case in report["cases"] if case["status"] == "failed"]
    assert everything.returncode == 1 and len(failed) >= 3

    first, report = bent("-x", "-k", "pause_code")                 # stops at the first failure
    assert first.returncode == 1, first.stdout[-2000:] + first.stderr[-2000:]
    assert [case["status"] for case in report["cases"]].count("failed") == 1
    assert "stopping after 1 failures" in first.stdout

    two, report = bent("--maxfail", "2", "-k", "pause_code")
    assert [case["status"] for case in report["cases"]].count("failed") == 2

    bent("-k", "pause_code")                                         # the cache now knows the failures
    again, report = bent("--lf", "-k", "pause_code", "-rA")
    assert again.returncode == 1
    assert sorted(case["id"] for case in report["cases"]) == sorted(failed)   # only the last failures ran
    assert "PASSED" not in again.stdout and "short test summary info" in again.stdout
    assert (tmp_path / ".pytest_cache").is_dir()                    # where vicicert ran, not in the specs' folder


def test_options_check_does_not_know_are_refused_by_pytest_and_other_commands(tmp_path):
    unknown = vicicert("check", "--no-such-option", "-k", "pause_code", cwd=tmp_path)
    assert unknown.returncode == 2 and "--no-such-option" in unknown.stderr
    cleanup = vicicert("cleanup", "--journal", "j.jsonl", "-x", cwd=tmp_path)
    assert cleanup.returncode == 2 and "unrecognized arguments: -x" in cleanup.stderr


@pytest.mark.slow  # whole vicicert processes
def test_check_x_on_the_embedded_host(tmp_path):
    """The issue's own command: `vicicert check -x -k pause_code` runs (it was refused with the usage line)."""
    done = vicicert("check", "-x", "-q", "-k", "pause_code", cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    cases = sum(len(spec.cases) for spec in load_specs(SPECS_DIR) if spec.function == "pause_code")
    assert json.loads((tmp_path / "reports/out/report.json").read_text())["totals"]["passed"] == cases


@pytest.mark.slow  # whole vicicert processes
def test_each_api_has_a_marker_of_its_own(tmp_path):
    """-m agent_api selects the Agent API's cases alone (-k agent_api also matches non_agent_api)."""
    ids = {}
    for marker in ("agent_api", "non_agent_api"):
        listed = vicicert("check", "-m", marker, "-k", "preamble", "--co", "-q", cwd=tmp_path)
        assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
        ids[marker] = [line for line in listed.stdout.splitlines() if "::" in line]
    assert ids["agent_api"] and all(line.startswith("agent_api/preamble.yaml::") for line in ids["agent_api"])
    assert ids["non_agent_api"] and all(line.startswith("non_agent_api/") for line in ids["non_agent_api"])
    specs = load_specs(SPECS_DIR)
    assert len(ids["agent_api"]) == sum(len(s.cases) for s in specs if s.api == "agent_api" and s.function == "preamble")


@pytest.mark.slow  # whole vicicert processes
def test_check_loads_only_the_plugins_it_needs(tmp_path):
    """Hypothesis's and Locust's pytest plugins are installed here; vicicert check loads neither."""
    probe = ("import sys; from conformance.cli import main; code = main(['check', '-k', 'pause_code', '--co', '-q']); "
             "print(code, sorted(name for name in sys.modules if 'hypothesis' in name or 'locust' in name))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout[-2000:] + done.stderr[-2000:]
