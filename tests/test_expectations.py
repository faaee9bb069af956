"""Expectation files: a run fails only on the unexpected, a new failure or a stale expectation."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from targets import MisbehavingHandler, api_user_echoed

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.expectations import ExpectationsError, judge, load_expectations

PAUSE_CODE = SPECS_DIR / "agent_api" / "pause_code.yaml"
# the cases a target that echoes the API user instead of the agent fails (seed 000's drift)
ECHO_FAILURES = ["agent_api::pause_code::paused_agent_break", "agent_api::pause_code::value_length_1",
                 "agent_api::pause_code::value_length_6"]


@pytest.fixture
def echoing(pytester, httpserver, tmp_path, vicidial_world):
    """A target with seed 000's drift, and a run over pause_code against it: run(*args) -> (result, report)."""
    shutil.copy(PAUSE_CODE, pytester.path / "pause_code.yaml")
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, api_user_echoed)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)

    def run(*args):
        result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-target", httpserver.url_for("/"),
                                    "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-failed-logins",
                                    "--vicidial-allow-writes", "--vicidial-report-dir", str(tmp_path / "out"), *args)
        report = tmp_path / "out" / "report.json"
        return result, json.loads(report.read_text()) if report.exists() else None
    return run


def pytest_line(output: str) -> dict[str, int]:
    """pytest's last line (``1 unexpected, 9 as expected, 18 passed in 2.1s``) as counts."""
    line = [line for line in output.splitlines() if re.search(r" in [\d.]+s", line)][-1]
    counts = {noun: int(count) for count, noun in re.findall(r"(\d+) (as expected|\w+)", line.split(" in ")[0])}
    counts.pop("deselected", None)
    return counts


def failures(report) -> list[str]:
    return sorted(case["id"] for case in report["cases"] if case["status"] == "failed")


def write(path, cases: dict) -> str:
    path.write_text("vicicert: expectations/1\n" + yaml.safe_dump({"cases": cases}), encoding="utf-8")
    return str(path)


# two whole runs; the writer is checked in one run by test_updating_keeps_the_reasons_of_the_file_it_rewrites,
# each verdict by test_judge
@pytest.mark.slow
def test_update_writes_the_failures_and_then_the_run_passes(echoing, tmp_path):
    first, report = echoing("--vicidial-update-expectations", str(tmp_path / "expected.yaml"))
    assert first.ret == pytest.ExitCode.TESTS_FAILED
    failed = failures(report)
    assert set(ECHO_FAILURES) <= set(failed)
    written = load_expectations(tmp_path / "expected.yaml")
    assert sorted(written.cases) == failed and {e.expect for e in written.cases.values()} == {"fail"}
    second, report = echoing("--vicidial-expectations", str(tmp_path / "expected.yaml"))
    assert second.ret == pytest.ExitCode.OK, second.stdout.str()[-3000:]
    second.stdout.fnmatch_lines([f"*expectations: {len(failed)} as expected, 0 stale, 0 unexpected*"])
    marked = {case["id"]: case["expectation"]["verdict"] for case in report["cases"] if "expectation" in case}
    assert marked == dict.fromkeys(failed, "expected") and report["outcomes"]["as expected"] == len(failed)
    html = (tmp_path / "out" / "report.html").read_text()
    assert html.count('class="expectation-expected">as expected: expected to fail (why it fails here)') == len(failed)


@pytest.mark.slow  # two whole runs; each verdict is judged alone in test_judge
def test_one_new_failure_fails_the_run(echoing, tmp_path):
    _, first = echoing()
    known = {case_id: {"expect": "fail", "reason": "seed 000's echo", "link": "https://example.org/1"}
             for case_id in failures(first)[1:]}  # all but one
    result, report = echoing("--vicidial-expectations", write(tmp_path / "e.yaml", known))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert pytest_line(result.stdout.str()) == {"unexpected": 1, "as expected": len(known),
                                                "passed": first["totals"]["passed"],
                                                "skipped": first["totals"]["skipped"]}


@pytest.mark.slow  # two whole runs; each verdict is judged alone in test_judge
def test_a_stale_expectation_fails_the_run_and_names_its_line(echoing, tmp_path):
    _, report = echoing()
    passing = next(case["id"] for case in report["cases"] if case["status"] == "passed")
    known = {case_id: {"expect": "fail"} for case_id in failures(report)}
    known[passing] = {"expect": "fail", "reason": "fixed upstream since"}
    path = write(tmp_path / "e.yaml", known)
    result, report = echoing("--vicidial-expectations", path)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    line = load_expectations(tmp_path / "e.yaml").cases[passing].line
    result.stdout.fnmatch_lines([f"*{passing}: stale expectation at {path}:{line}: expected to fail, but the case "
                                 "passes now*"])
    assert next(c for c in report["cases"] if c["id"] == passing)["expectation"]["verdict"] == "stale"


@pytest.mark.slow  # two whole runs; each verdict is judged alone in test_judge
def test_flaky_accepts_either(echoing, tmp_path):
    _, report = echoing()
    passing = next(case["id"] for case in report["cases"] if case["status"] == "passed")
    known = {case_id: {"expect": "flaky"} for case_id in [*failures(report), passing]}
    result, _ = echoing("--vicidial-expectations", write(tmp_path / "e.yaml", known))
    assert result.ret == pytest.ExitCode.OK


def test_a_typo_in_a_case_id_is_a_usage_error(echoing, tmp_path):
    path = write(tmp_path / "e.yaml", {"agent_api::pause_code::paused_agent_brake": {"expect": "fail"},
                                       "non_agent_api::agent_stats_export::not_in_this_run": {"expect": "fail"}})
    result, report = echoing("--vicidial-expectations", path)
    assert result.ret == pytest.ExitCode.USAGE_ERROR and report is None  # stopped before any case
    assert f"{path}:3: 'agent_api::pause_code::paused_agent_brake' names no case" in result.stderr.str()
    # the other function's id is not checked: this run did not collect agent_stats_export
    with pytest.raises(ExpectationsError, match=r"'agent_api::pause_code::paused_agent_brake' names no case"):
        load_expectations(tmp_path / "e.yaml").check_ids({"agent_api::pause_code::paused_agent_break"})


@pytest.mark.parametrize("text, line, message", [
    ("vicicert: expectations/1\ncases:\n  agent_api::pause_code::x: {expect: pass}\n", 3, "'pass' is not allowed"),
    ("vicicert: expectations/1\ncases:\n  pause_code: {expect: fail}\n", 3, "api::function::case"),
    ("vicicert: expectations/2\n", 1, "is not allowed"),
])
def test_a_malformed_file_is_named_with_its_line(tmp_path, text, line, message):
    (tmp_path / "e.yaml").write_text(text)
    with pytest.raises(ExpectationsError) as refused:
        load_expectations(tmp_path / "e.yaml")
    assert refused.value.line == line and message in str(refused.value)


@pytest.mark.parametrize("expect, status, verdict", [
    ("fail", "failed", "expected"), ("fail", "passed", "stale"), ("fail", "skipped", "unexpected"),
    ("skip", "skipped", "expected"), ("skip", "passed", "stale"), ("skip", "failed", "stale"),
    ("flaky", "failed", "expected"), ("flaky", "passed", "expected"), ("flaky", "skipped", "unexpected"),
])
def test_judge(expect, status, verdict):
    from conformance.expectations import Expectation
    assert judge(status, Expectation("a::b::c", expect, "", "", 1)) == verdict


def test_updating_keeps_the_reasons_of_the_file_it_rewrites(echoing, tmp_path):
    """README: --update-expectations FILE keeps the reasons and links of cases still failing (no --expectations)."""
    path = tmp_path / "expected.yaml"
    known = {"expect": "fail", "reason": "echoes the API user", "link": "https://example.org/7"}
    write(path, {ECHO_FAILURES[0]: known})
    result, _ = echoing("--vicidial-update-expectations", str(path))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    kept = load_expectations(path).cases[ECHO_FAILURES[0]]
    assert (kept.reason, kept.link) == ("echoes the API user", "https://example.org/7")


@pytest.mark.parametrize("content", [EMBEDDED_WORLD.read_bytes(),
                                     b"vicicert: expectations/1\ncases:\n  a::b::c: &x {expect: fail}\n"],
                         ids=["world", "anchor"])
def test_a_file_to_update_that_is_no_expectation_file_is_refused_and_left_alone(echoing, tmp_path, content):
    """A world file (or a malformed expectation file) given to --update-expectations is named, never overwritten."""
    path = tmp_path / "not-expectations.yaml"
    path.write_bytes(content)
    result, report = echoing("--vicidial-update-expectations", str(path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR and report is None   # refused before any case ran
    assert f"{path}:" in result.stderr.str() and "fix: " in result.stderr.str()
    assert path.read_bytes() == content


# -- the gate as CI runs it: `vicicert check --expectations FILE`, judged by its exit code alone ----------

@pytest.fixture
def ci_run(httpserver, tmp_path, vicidial_world):
    """``vicicert check`` over pause_code against seed 000's drift: run(name, *options) -> (result, report)."""
    import os

    from command import vicicert
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, api_user_echoed)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}

    def run(name, *options):
        out = tmp_path / name
        result = vicicert("check", "-q", "--target", httpserver.url_for("/").rstrip("/"), "--world",
                          str(EMBEDDED_WORLD), "-k", "pause_code", "--allow-failed-logins", "--allow-writes",
                          "--report-dir", str(out), *options, cwd=tmp_path, env=env, timeout=300)
        return result, json.loads((out / "report.json").read_text())
    return run


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
def test_a_ci_run_exits_0_on_expected_failures_and_1_on_a_new_failure_or_a_stale_expectation(ci_run, tmp_path):
    from conformance.certificate.archive import read_archive
    first, report = ci_run("first", "--update-expectations", str(tmp_path / "host.expected.yaml"))
    assert first.returncode == 1, first.stdout[-2000:] + first.stderr[-2000:]
    failed = failures(report)
    assert set(ECHO_FAILURES) <= set(failed)
    passing = next(case["id"] for case in report["cases"] if case["status"] == "passed")
    known = {case_id: {"expect": "fail", "reason": "seed 000's echo", "link": "https://example.org/1"}
             for case_id in failed}

    only_expected, report = ci_run("expected", "--expectations", write(tmp_path / "all.yaml", known),
                                   "--certificate", str(tmp_path / "cert"))
    assert only_expected.returncode == 0, only_expected.stdout[-3000:]
    assert f"expectations: {len(failed)} as expected, 0 stale, 0 unexpected" in only_expected.stdout
    archive = read_archive(tmp_path / "cert" / "vicicert-certificate.tar.gz")   # the expectations used travel along
    assert archive["expectations/all.yaml"] == (tmp_path / "all.yaml").read_bytes()
    assert json.loads(archive["manifest.json"])["expectations"] == "expectations/all.yaml"

    new_failure, report = ci_run("new", "--expectations",
                                 write(tmp_path / "one_less.yaml", {k: v for k, v in known.items() if k != failed[0]}))
    assert new_failure.returncode == 1, new_failure.stdout[-3000:]
    unexpected = [case["id"] for case in report["cases"] if case["status"] == "failed"
                  and case.get("expectation", {}).get("verdict") != "expected"]
    assert unexpected == [failed[0]]

    stale, report = ci_run("stale", "--expectations",
                           write(tmp_path / "stale.yaml", {**known, passing: {"expect": "fail", "reason": "fixed"}}))
    assert stale.returncode == 1, stale.stdout[-3000:]
    assert f"{passing}: stale expectation at {tmp_path / 'stale.yaml'}:" in stale.stdout
    assert [case["id"] for case in report["cases"] if case.get("expectation", {}).get("verdict") == "stale"] == [passing]


# -- fingerprints: an expected failure is the failure that was recorded, not any failure -------------------

def test_a_fingerprint_ignores_digits_and_ids_but_not_the_words():
    from conformance.fingerprint import failure_signature

    def record(body):
        mismatch = {"kind": "UnexpectedBody", "field": "body", "expected": "", "actual": body, "detail": ""}
        diff = {"first_line": 1, "first_column": 1, "expected_line": "SUCCESS", "actual_line": body, "lines": []}
        return {"reference": {"mismatches": [mismatch], "diff": diff}, "documented": [], "chosen": 0}
    first = failure_signature(record("SUCCESS: not recording at 1733468400 id 9f3a2b1c44d0"))
    again = failure_signature(record("SUCCESS: not recording at 1733468455 id 00aa11bb22cc"))
    other = failure_signature(record("NOTICE: NOT RECORDING at 1733468400 id 9f3a2b1c44d0"))
    assert first == again and first["kind"] == "UnexpectedBody"
    assert first["difference"] == "UnexpectedBody in body: 'SUCCESS: not recording at # id #'"
    assert other["fingerprint"] != first["fingerprint"]
    assert failure_signature({"reference": {"mismatches": [], "diff": None}, "documented": [], "chosen": 0}) is None


@pytest.mark.parametrize("status, fingerprint, verdict", [
    ("failed", "aaaaaaaaaaaaaaaa", "expected"), ("failed", "bbbbbbbbbbbbbbbb", "unexpected"),
    ("passed", None, "stale")])
def test_judge_by_fingerprint(status, fingerprint, verdict):
    from conformance.expectations import Expectation
    recorded = Expectation("a::b::c", "fail", "", "", 1, "UnexpectedBody", "aaaaaaaaaaaaaaaa", "")
    assert judge(status, recorded, {"fingerprint": fingerprint} if fingerprint else None) == verdict
    assert judge(status, Expectation("a::b::c", "fail", "", "", 1), {"fingerprint": fingerprint}) == \
        ("stale" if status == "passed" else "expected")   # a file written before fingerprints: any failure


@pytest.mark.slow
def test_a_gate_recorded_on_one_bent_host_calls_another_bending_unexpected_in_every_output(httpserver, tmp_path,
                                                                                            vicidial_world):
    """Recorded on a host answering 'SUCCESS: not recording', gated on one answering 'NOTICE: NOT RECORDING':
    exit 1, each such case named unexpected, and the terminal table, the summary, pytest's line, report.json,
    report.html and junit.xml count the same; the same host again (other clocks) passes."""
    import os
    import xml.etree.ElementTree as ElementTree

    from command import vicicert
    from targets import answers_successes_with
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, answers_successes_with("SUCCESS: not recording"))
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}
    expected = tmp_path / "host.expected.yaml"

    def run(name, *options):
        out = tmp_path / name
        result = vicicert("check", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(EMBEDDED_WORLD),
                          "-k", "pause_code", "--allow-failed-logins", "--allow-writes", "--report-dir", str(out),
                          *options, cwd=tmp_path, env=env, timeout=300)
        return result, json.loads((out / "report.json").read_text()), out

    recorded, report, _ = run("record", "--update-expectations", str(expected))
    assert recorded.returncode == 1, recorded.stdout[-3000:]
    failed = failures(report)
    entries = load_expectations(expected).cases
    assert sorted(entries) == failed and len(failed) >= 5
    assert {(e.kind, len(e.fingerprint)) for e in entries.values()} == {("UnexpectedBody", 16)}
    assert all("not recording at #" in e.difference for e in entries.values())

    again, report, _ = run("again", "--expectations", str(expected))
    assert again.returncode == 0, again.stdout[-3000:]          # other clocks, the same failures

    handler.mutation = answers_successes_with("NOTICE: NOT RECORDING")
    gate, report, out = run("gate", "--expectations", str(expected))
    assert gate.returncode == 1, gate.stdout[-3000:]
    unexpected = sorted(c["id"] for c in report["cases"] if c.get("expectation", {}).get("verdict") == "unexpected")
    assert unexpected == failed
    for case_id in failed:
        assert f"unexpected: fails otherwise than expected at {expected}:" in gate.stdout and case_id in gate.stdout
    n, passed, skipped = len(failed), report["outcomes"]["passed"], report["outcomes"]["skipped"]
    assert report["outcomes"] == {"passed": passed, "as expected": 0, "stale": 0, "unexpected": n, "skipped": skipped}
    assert re.search(rf"^all\s+{passed}\s+0\s+0\s+{n}\s+{skipped}\s+{passed + n + skipped}$", gate.stdout, re.M)
    assert f"expectations: 0 as expected, 0 stale, {n} unexpected" in gate.stdout
    assert pytest_line(gate.stdout) == {"unexpected": n, "passed": passed, "skipped": skipped}
    html = (out / "report.html").read_text()
    assert f'value="unexpected" checked> unexpected ({n})' in html and html.count('data-outcome="unexpected"') == n
    assert html.count("Fails otherwise than recorded") == n
    suite = ElementTree.parse(out / "junit.xml").getroot().find("testsuite")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {"vicicert as expected": "0", "vicicert stale": "0", "vicicert unexpected": str(n)}
    assert int(suite.get("failures")) == n

    # a file written before fingerprints holds any failure
    plain = write(tmp_path / "plain.yaml", {case_id: {"expect": "fail"} for case_id in failed})
    old, report, out = run("old", "--expectations", plain)
    assert old.returncode == 0, old.stdout[-3000:]
    assert f"expectations: {n} as expected, 0 stale, 0 unexpected" in old.stdout
    assert pytest_line(old.stdout) == {"as expected": n, "passed": passed, "skipped": skipped}
    suite = ElementTree.parse(out / "junit.xml").getroot().find("testsuite")
    assert {p.get("name"): p.get("value") for p in suite.iter("property")}["vicicert as expected"] == str(n)


def test_pytest_line_relabelled_red_only_for_stale_or_unexpected():
    from types import SimpleNamespace

    from conformance.plugin.summary import relabel

    def reporter(**stats):
        return SimpleNamespace(stats={key: [SimpleNamespace(nodeid=node, when="call") for node in nodes]
                                      for key, nodes in stats.items()})
    passing = reporter(xfailed=["a"], passed=["b"])
    relabel(passing, {"a": "as expected", "b": "passed"})
    assert {key: len(value) for key, value in passing.stats.items()} == {"passed": 1, "as expected": 1}
    failing = reporter(failed=["a", "c"], passed=["b"])
    relabel(failing, {"a": "unexpected", "b": "stale", "c": "unexpected"})
    assert {key: len(value) for key, value in failing.stats.items()} == {"failed": 0, "unexpected": 2, "stale": 1}
