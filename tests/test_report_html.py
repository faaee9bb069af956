"""The HTML report is built for triage: failures first, filters, one line diff per failure,
documented texts as a matched / not matched table, a runnable curl line without the password."""

from __future__ import annotations

import json
import re

import pytest
from report_sample import triage_report

from conformance.line_diff import line_diff
from conformance.template import Template


_REPORT: list = []   # one bent run for the module: its tests each read the same report


@pytest.fixture
def report(pytester, httpserver, tmp_path, vicidial_world):
    if not _REPORT:
        result, folder = triage_report(pytester, httpserver, tmp_path, vicidial_world)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        _REPORT.append(((folder / "report.html").read_text(), json.loads((folder / "report.json").read_text()), folder))
    return _REPORT[0]


def sections(html: str) -> list[tuple[str, str]]:
    """(status, case id) of every case section, in page order."""
    return re.findall(r'<section class="case" id="([^"]+)" data-status="(\w+)"', html)


def test_failures_come_first_then_skips_then_passes(report):
    html, document, _ = report
    statuses = [status for _id, status in sections(html)]
    assert statuses == sorted(statuses, key=["failed", "skipped", "passed"].index)
    assert statuses.count("failed") == document["totals"]["failed"] >= 3
    assert statuses.count("passed") == document["totals"]["passed"] > 50
    assert [case["status"] for case in document["cases"]] == statuses   # the JSON in the same order


def test_filters_and_search_are_there_without_external_assets(report):
    html, _, _ = report
    for status in ("failed", "skipped", "passed"):
        assert f'class="status-filter" value="{status}" checked' in html
    assert '<option value="agent_api::pause_code">' in html and 'id="search"' in html
    assert "addEventListener" in html
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html)   # nothing fetched from elsewhere


def test_an_export_failure_has_one_line_diff_with_line_and_column(report):
    html, document, _ = report
    export = next(case for case in document["cases"] if case["id"].endswith("::export_default"))
    diff = export["reference"]["diff"]
    assert (diff["first_line"], diff["expected_line"].split("|")[0]) == (3, "vcrt2002")
    assert diff["actual_line"].split("|")[7] == "9:99:99"
    assert diff["first_column"] == len("|".join(diff["actual_line"].split("|")[:7])) + 2
    assert [line["op"] for line in diff["lines"] if line["op"] in "-+"] == ["-", "+"]
    section = html[html.index('id="non_agent_api::agent_stats_export::export_default"'):]
    section = section[:section.index("</section>")]
    assert f"First difference at line 3, column {diff['first_column']}" in section
    assert section.count('class="diff"') == 1 and "<code>9:99:99</code>" in section   # the diff, the wrong field


def test_documented_texts_are_a_table_not_repeated_diffs(report):
    html, document, _ = report
    drifting = next(case for case in document["cases"] if case["status"] == "failed" and len(case["texts"]) > 1)
    section = html[html.index(f'id="{drifting["id"]}"'):]
    section = section[:section.index("</section>")]
    assert section.count('class="diff"') == 1 and section.count('class="texts"') == 1
    texts = section[section.index('class="texts"'):]
    rows = re.findall(r"<tr><td>(\w+)</td>.*?<td class=\"(matched|not-matched)\">", texts, re.S)
    assert [source for source, _ in rows] == [text["source"] for text in drifting["texts"]]
    assert {verdict for _, verdict in rows} <= {"matched", "not-matched"} and ">body not matched<" in section


def test_curl_reads_the_password_from_the_environment_and_no_file_holds_it(report, vicidial_world):
    html, document, folder = report
    curls = re.findall(r'<pre class="curl">(.*?)</pre>', html)
    assert curls and all("pass=${VICIDIAL_PASS}" in curl for curl in curls if "pass=" in curl)
    assert "set VICIDIAL_PASS to the password of the case&#39;s API user (api_admin)" in html
    written = "".join(path.read_text() for path in folder.iterdir())
    for secret in vicidial_world.secrets:
        assert secret not in written


def test_line_diff_names_the_first_differing_line_and_column():
    template = Template.parse("user|calls\nvcrt1|3\nvcrt2|{n}\nvcrt3|5\n")
    diff = line_diff(template, {}, {"n": r"\d+"}, "user|calls\nvcrt1|3\nvcrt2|41\nvcrt3|6\n")
    assert (diff.first_line, diff.first_column, diff.expected_line, diff.actual_line) == (4, 7, "vcrt3|5", "vcrt3|6")
    assert [(op, text) for op, _n, text in diff.lines if op != " "] == [("…", "1 equal line"),
                                                                         ("-", "vcrt3|5"), ("+", "vcrt3|6")]
    assert line_diff(template, {}, {"n": r"\d+"}, "user|calls\nvcrt1|3\nvcrt2|9\nvcrt3|5\n") is None


def test_line_diff_of_a_body_that_stops_early():
    diff = line_diff(Template.parse("a\nb\nc\n"), {}, {}, "a\nb\n")
    assert (diff.first_line, diff.expected_line, diff.actual_line) == (3, "c", "")
