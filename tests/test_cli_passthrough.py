"""``vicicert check`` hands the options it does not know to pytest: -x, --maxfail, --lf, -rA."""

from __future__ import annotations

import json
import os

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


def test_check_x_on_the_embedded_host(tmp_path):
    """The issue's own command: `vicicert check -x -k pause_code` runs (it was refused with the usage line)."""
    done = vicicert("check", "-x", "-q", "-k", "pause_code", cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    cases = sum(len(spec.cases) for spec in load_specs(SPECS_DIR) if spec.function == "pause_code")
    assert json.loads((tmp_path / "reports/out/report.json").read_text())["totals"]["passed"] == cases
