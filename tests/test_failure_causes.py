"""Failures grouped by cause: one cause breaking every case is one group and one description, and the
checks a run judges (body, headers, effects) can be chosen."""

from __future__ import annotations

import json
import os
import re

import pytest
from command import vicicert
from targets import MisbehavingHandler, no_cache_headers_dropped

from conformance.bundle import EMBEDDED_WORLD
from conformance.effects import checks_chosen
from conformance.report.causes import failure_causes


def test_causes_group_by_fingerprint_largest_first():
    def failed(case_id, fingerprint, difference, *also):
        return {"id": case_id, "status": "failed",
                "failure": {"fingerprint": fingerprint, "difference": difference, "mismatches": [difference, *also]}}
    records = [failed("a::f::one", "1" * 16, "UnexpectedBody in body: 'x'"),
               failed("a::f::two", "2" * 16, "WrongHeader in header Pragma: missing", "WrongHeader in header X"),
               failed("a::f::three", "2" * 16, "WrongHeader in header Pragma: missing", "WrongHeader in header X"),
               {"id": "a::f::four", "status": "passed"}]
    causes = failure_causes(records)
    assert [cause.line for cause in causes] == [
        "2 × WrongHeader in header Pragma: missing (and WrongHeader in header X)", "1 × UnexpectedBody in body: 'x'"]
    assert causes[0].cases == ("a::f::two", "a::f::three")


@pytest.mark.parametrize("only, excluded, chosen", [
    (None, None, {"body", "headers", "effects"}), (None, "headers", {"body", "effects"}),
    ("body,headers", "headers", {"body"})])
def test_checks_chosen(only, excluded, chosen):
    assert checks_chosen(only, excluded) == chosen


@pytest.mark.parametrize("only, excluded, message", [("body,colour", None, "unknown check colour"),
                                                     ("headers", "headers", "no check left")])
def test_checks_refused(only, excluded, message):
    with pytest.raises(ValueError, match=message):
        checks_chosen(only, excluded)


@pytest.mark.slow
def test_a_header_dropping_proxy_is_one_cause_and_excluding_headers_passes(httpserver, tmp_path, vicidial_world):
    """Behind a proxy that drops Cache-Control and Pragma every case fails for one cause: the summary's
    'failures by kind' has one group of as many cases as ran, the HTML one row, the failure sections one full
    description; the texts line says the bodies matched; --exclude-checks headers passes."""
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, no_cache_headers_dropped)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}

    def run(name, *options):
        out = tmp_path / name
        result = vicicert("check", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(EMBEDDED_WORLD),
                          "-k", "pause_code or send_dtmf", "--allow-failed-logins", "--allow-writes",
                          "--report-dir", str(out), *options, cwd=tmp_path, env=env, timeout=300)
        return result, json.loads((out / "report.json").read_text()), out

    broken, report, out = run("broken")
    assert broken.returncode == 1, broken.stdout[-3000:]
    ran = [case for case in report["cases"] if case["status"] != "skipped"]
    assert len(ran) > 40 and all(case["status"] == "failed" for case in ran)
    block = broken.stdout[broken.stdout.index("failures by kind:"):].splitlines()
    assert block[1].strip() == (f"{len(ran)} × WrongHeader in header Cache-Control: missing "
                                "(and WrongHeader in header Pragma)")
    assert not block[2].startswith("  ")                     # one group, one line
    assert broken.stdout.count("WrongHeader in header Cache-Control\n") == 1    # described once in full
    assert broken.stdout.count("the same cause as ") == len(ran) - 1
    drifting = [case for case in ran if len(case["texts"]) > 1]
    assert drifting and all(text["body_matched"] for case in drifting for text in case["texts"] if text["matched"] or
                            text["source"] == "reference")
    assert re.search(r"texts: reference: body matched; .*in every text: WrongHeader in header Cache-Control",
                     broken.stdout)
    html = (out / "report.html").read_text()
    causes = html[html.index('<section id="causes">'):html.index("</section>", html.index('<section id="causes">'))]
    assert causes.count('<td class="failed">') == 1 and f'<td class="failed">{len(ran)}</td>' in causes

    judged, report, _ = run("bodies", "--exclude-checks", "headers")
    assert judged.returncode == 0, judged.stdout[-3000:]
    assert "checks: body, effects (headers not judged)" in judged.stdout and "failures by kind" not in judged.stdout
    assert report["totals"]["passed"] == len(ran)

    every, _, _ = run("every", "--all-failures")
    assert every.stdout.count("WrongHeader in header Cache-Control\n") == len(ran)


@pytest.mark.slow  # several whole runs
def test_the_plugin_reads_checks_and_all_failures_from_the_environment_and_ini(pytester, httpserver, tmp_path,
                                                                             vicidial_world, monkeypatch):
    """As every plugin option: VICIDIAL_EXCLUDE_CHECKS and the ini key vicidial_all_failures."""
    import shutil

    from conformance.bundle import SPECS_DIR
    shutil.copy(SPECS_DIR / "agent_api" / "pause_code.yaml", pytester.path / "pause_code.yaml")
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, no_cache_headers_dropped)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    arguments = ["-p", "no:cacheprovider", "--vicidial-target", httpserver.url_for("/"), "--vicidial-world",
                 str(EMBEDDED_WORLD), "--vicidial-allow-writes", "--vicidial-allow-failed-logins"]
    every = pytester.runpytest(*arguments, "-o", "vicidial_all_failures=true")
    failed = every.parseoutcomes()["failed"]
    assert failed > 20 and every.stdout.str().count("WrongHeader in header Cache-Control\n") == failed
    monkeypatch.setenv("VICIDIAL_EXCLUDE_CHECKS", "headers")
    bodies = pytester.runpytest(*arguments)
    assert bodies.ret == pytest.ExitCode.OK and bodies.parseoutcomes()["passed"] == failed
