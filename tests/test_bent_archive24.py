"""lead_status_search and phone_number_log with archived_lead=Y: a reference host bent in one place
(its handler module monkeypatched) fails the case of its spec that guards that place; a case names
the optional table it alone reads (``world.tables``), so a host without the archive skips those
cases and runs the function's others."""

from __future__ import annotations

import json

import pytest

from conformance.host.non_agent import lead_status_search, phone_number_log

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


@pytest.mark.parametrize("function,case", cases(ARCHIVED, LIVE, NOT_ARCHIVED))
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
