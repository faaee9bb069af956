"""Under pytest-xdist the controller alone writes the reports and the summary, from every worker's cases."""

from __future__ import annotations

import json
import shutil

import pytest

from conformance.bundle import SPECS_DIR
from conformance.spec import load_spec

SPECS = ("agent_api/pause_code.yaml", "agent_api/recording.yaml", "non_agent_api/preamble.yaml")


def case_count() -> int:
    return sum(len(load_spec(SPECS_DIR / spec).cases) for spec in SPECS)


@pytest.fixture
def spec_copy(pytester):
    for spec in SPECS:
        shutil.copy(SPECS_DIR / spec, pytester.path / spec.split("/")[-1])
    return pytester.path


def _run(pytester, workers: str, folder: str, *extra: str):
    result = pytester.runpytest("-p", "no:cacheprovider", "-n", workers, "--vicidial-report-dir", folder, *extra)
    report = json.loads((pytester.path / folder / "report.json").read_text())
    return result, report, (pytester.path / folder / "report.html").read_text()


@pytest.mark.slow
def test_two_workers_report_every_case_once(pytester, spec_copy):
    single, single_report, _ = _run(pytester, "0", "single")
    result, report, html = _run(pytester, "2", "workers")
    assert single.ret == result.ret == pytest.ExitCode.OK
    ids = [case["id"] for case in report["cases"]]
    assert len(ids) == len(set(ids)) == single_report["totals"]["cases"] == case_count()
    assert set(ids) == {case["id"] for case in single_report["cases"]}
    assert report["totals"] == single_report["totals"]
    assert all(f"<code>{case_id}</code>" in html for case_id in ids)
    output = result.stdout.str()
    assert "2 workers" in output and output.count("vicicert summary") == 1
    cases = case_count()
    result.stdout.re_match_lines([rf"^all\s+{cases}\s+0\s+0\s+{cases}$"])


@pytest.mark.slow
def test_failures_under_workers_reach_the_summary_and_the_report(pytester, spec_copy, monkeypatch):
    """The documented contract fails where the docs disagree with upstream: counted once, on the controller.

    Described once too, also in a CI environment (where pytest repeats whole failures in its short summary).
    """
    monkeypatch.setenv("CI", "true")
    single, single_report, _ = _run(pytester, "0", "single", "--vicidial-contract", "documented")
    result, report, html = _run(pytester, "2", "workers", "--vicidial-contract", "documented")
    failed = {case["id"] for case in report["cases"] if case["status"] == "failed"}
    assert failed and failed == {case["id"] for case in single_report["cases"] if case["status"] == "failed"}
    assert [case["status"] for case in report["cases"]][:len(failed)] == ["failed"] * len(failed)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.stdout.str().count("vicicert summary") == 1
    assert result.stdout.str().count("rerun: vicicert check") == len(failed)


def test_sql_fixture_mode_is_refused_under_workers(pytester, spec_copy):
    result = pytester.runpytest("-p", "no:cacheprovider", "-n", "2", "--vicidial-target", "http://127.0.0.1:9",
                                "--vicidial-world-db", "mysql://cron:s3cret@127.0.0.1:3306/asterisk")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*SQL fixture mode (--vicidial-world-db) runs in one process*drop -n*"])
    output = result.stdout.str() + result.stderr.str()
    assert "gw0" not in output and "s3cret" not in output   # no worker started; no password shown


@pytest.mark.parametrize("options, message", [
    (["--vicidial-contract", "nope"], "*contract 'nope' is unknown*"),
    (["--vicidial-target", "ftp://host", "--vicidial-user", "6666"], "*is not an http(s) URL*"),
    (["--vicidial-target", "http://127.0.0.1:9"], "*a target needs a declared world*"),
    (["--vicidial-db", "shared.sqlite"], "*--vicidial-db gives every worker the same embedded database*"),
])
def test_option_mistakes_stop_the_controller_before_workers_start(pytester, spec_copy, options, message):
    result = pytester.runpytest("-p", "no:cacheprovider", "-n", "2", *options)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "gw0" not in result.stdout.str() + result.stderr.str()


@pytest.mark.slow  # a whole pytest run with two workers
def test_plain_tests_are_untouched_under_workers(pytester):
    pytester.makepyfile("def test_one():\n    assert True\n\ndef test_two():\n    assert True\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=2)
    assert "vicicert summary" not in result.stdout.str()
