"""lead_status_search and phone_number_log with archived_lead=Y, call_dispo_report's file_download: a
reference host bent in one place (its handler module monkeypatched) fails the case of its spec that
guards that place; a case names the optional table it alone reads (``world.tables``), so a host
without the archive skips those cases and runs the function's others; a header value may hold a
pattern placeholder (the attachment's time-stamped file name)."""

from __future__ import annotations

import json

import pytest

from conformance.effects import header_mismatches
from conformance.host.non_agent import call_dispo_report, lead_status_search, phone_number_log

ARCHIVED = {
    "lead_status_search": ["archived_day_search", "archived_lead_id_search", "archived_lead_padded",
                           "archived_campaign_group_outbound_call"],
    "phone_number_log": ["archived_lead_found", "archived_lead_padded", "archived_two_numbers"],
}
LIVE = {
    "lead_status_search": ["archived_lead_not_y", "archived_lead_left_out", "restricted_user_live_list"],
    "phone_number_log": ["archived_lead_not_y"],
}
NOT_ARCHIVED = {
    "lead_status_search": ["archived_day_without_archived_leads", "archived_lead_id_not_archived",
                           "archived_restricted_user_list"],
    "phone_number_log": ["archived_lead_not_in_archive"],
}


def cases(*groups: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(function, case) for group in groups for function, names in group.items() for case in names]


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


DOWNLOAD = {"call_dispo_report": ["file_download", "file_download_any_number", "file_download_0",
                                  "file_download_refused"]}


@pytest.mark.parametrize("function,case", cases(ARCHIVED, LIVE, NOT_ARCHIVED, DOWNLOAD))
def test_the_unbent_host_passes(bent_case, function, case):
    """Control: each failure below is the bend's."""
    assert bent_case(function, case).status == "passed"


MODULES = {"lead_status_search": lead_status_search, "phone_number_log": phone_number_log}


@pytest.mark.parametrize("function,case", cases(ARCHIVED, NOT_ARCHIVED))
def test_a_host_that_ignores_archived_lead_fails(bent_case, monkeypatch, function, case):
    monkeypatch.setattr(MODULES[function], "lead_table", lambda call, archived: "vicidial_list")
    assert failed(bent_case(function, case))


@pytest.mark.parametrize("function,case", cases(LIVE))
def test_a_host_that_always_reads_the_archive_fails(bent_case, monkeypatch, function, case):
    monkeypatch.setattr(MODULES[function], "lead_table", lambda call, archived: "vicidial_list_archive")
    assert failed(bent_case(function, case))


@pytest.mark.parametrize("function", sorted(MODULES))
def test_a_host_that_takes_archived_lead_in_any_case_fails(bent_case, monkeypatch, function):
    original = MODULES[function].lead_table
    monkeypatch.setattr(MODULES[function], "lead_table", lambda call, archived: original(call, archived.upper()))
    assert failed(bent_case(function, "archived_lead_not_y"))


@pytest.mark.parametrize("function", sorted(MODULES))
def test_only_the_archive_cases_need_the_archive(vicidial_specs, function):
    """world.tables is the case's own: the function's other cases need no optional table."""
    spec = vicidial_specs[f"non_agent_api/{function}"]
    needing = {case.name for case in spec.cases if case.tables}
    assert needing == set(ARCHIVED[function]) | set(NOT_ARCHIVED[function])
    assert all(case.tables == ("vicidial_list_archive",) for case in spec.cases if case.tables)


# -- call_dispo_report's file_download: headers with a time stamp --------------------------------

def header_kinds(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.headers)
    return [mismatch.field for mismatch in result.reference.mismatches if mismatch.kind == "WrongHeader"]


def test_a_host_that_ignores_file_download_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_dispo_report, "_download_headers",
                        lambda epoch: (("Content-type", call_dispo_report.REPORT_TYPE),))
    assert "header Content-Type" in header_kinds(bent_case("call_dispo_report", "file_download"))


def test_a_download_without_the_time_stamp_fails(bent_case, monkeypatch):
    original = call_dispo_report._download_headers
    monkeypatch.setattr(call_dispo_report, "_download_headers", lambda epoch: tuple(
        (name, 'attachment; filename="API_call_dispo_report.csv"' if name == "Content-Disposition" else value)
        for name, value in original(epoch)))
    assert header_kinds(bent_case("call_dispo_report", "file_download")) == ["header Content-Disposition"]


def test_a_download_that_keeps_the_script_caching_headers_fails(bent_case, monkeypatch):
    original = call_dispo_report._download_headers
    monkeypatch.setattr(call_dispo_report, "_download_headers", lambda epoch: tuple(
        (name, value) for name, value in original(epoch) if name not in ("Cache-Control", "Pragma", "Expires")))
    assert set(header_kinds(bent_case("call_dispo_report", "file_download_any_number"))) == {
        "header Cache-Control", "header Pragma", "header Expires"}


def test_a_host_that_always_downloads_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_dispo_report, "_wants_download", lambda file_download: True)
    assert "header Content-Type" in header_kinds(bent_case("call_dispo_report", "file_download_0"))


@pytest.mark.parametrize("sent,holds", [
    ('attachment; filename="API_call_dispo_report_20261207023900.csv"', True),
    ('attachment; filename="API_call_dispo_report_2026120702390.csv"', False),
    ('attachment; filename="API_call_dispo_report_20261207023900.csv" ', False),
    ('attachment; filename="API_call_dispo_report_{file_stamp}.csv"', False),
])
def test_a_header_pattern_matches_its_regex_and_the_rest_exactly(vicidial_specs, sent, holds):
    from types import SimpleNamespace
    case = next(c for c in vicidial_specs["non_agent_api/call_dispo_report"].cases if c.name == "file_download")
    headers = [(name, value) for name, value in case.answer_headers if name != "Content-Disposition"]
    exchange = SimpleNamespace(error=None, headers=[*headers, ("content-disposition", sent)])
    assert (header_mismatches(case, exchange) == []) is holds


# -- a host without vicidial_list_archive (upstream's install creates none) ------------------------

@pytest.fixture
def host_without_archive(host_database):
    """The reference host on a MariaDB database without vicidial_list_archive (dropped after the host
    made its tables, as an operator never made it)."""
    from conformance.host.server import EmbeddedHost
    url, database = host_database
    host = EmbeddedHost(url).start()
    database.write("DROP TABLE vicidial_list_archive")
    yield url, host
    host.stop()
    database.close()


@pytest.mark.slow
def test_a_host_without_the_archive_skips_only_the_archive_cases(host_without_archive, tmp_path):
    from command import vicicert
    url, host = host_without_archive
    done = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "-k", " or ".join(MODULES),
                    "--report-dir", str(tmp_path / "out"), cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    records = json.loads((tmp_path / "out" / "report.json").read_text())["cases"]
    reasons = {(record["function"], record["id"].split("::")[-1]): record["skip_reason"] for record in records
               if record["status"] == "skipped"}
    archive = {name for name, reason in reasons.items() if "vicidial_list_archive" in reason}
    assert archive == set(cases(ARCHIVED, NOT_ARCHIVED))
    assert all(reason.startswith("needs the custom table") for name, reason in reasons.items() if name not in archive)
    assert {record["status"] for record in records
            if (record["function"], record["id"].split("::")[-1]) not in reasons} == {"passed"}
