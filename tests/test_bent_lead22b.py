"""lead_dearchive, update_log_entry: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place; SQL fixture mode gives archived leads ids from
vicidial_list's counter, so moving one back never pushes a real host's counter; and on a host
without vicidial_list_archive (upstream's install makes none) it skips lead_dearchive's cases,
saying how an operator creates the table, and runs the others.

A bend the answer shows runs through ``bent_case`` (declared mode, no database read); a bend only
the stored rows show runs the case on the embedded host in process, which reads its effects."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conformance.host import permission_gate
from conformance.host.non_agent import lead_dearchive, update_log_entry


@pytest.mark.parametrize("case", ["group_campaign_outside", "modify_leads_4_refused", "lead_still_in_vicidial_list",
                                  "group_without_a_row"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case("lead_dearchive", case).status == "passed"


def test_the_unbent_embedded_host_moves_the_lead(embedded_failures):
    """Control for the effect bend below."""
    assert embedded_failures("non_agent_api/lead_dearchive", "docs_example or lead_still_in_vicidial_list") == {}


def test_lead_dearchive_that_ignores_the_group_lists_fails(bent_case, monkeypatch):
    monkeypatch.setattr(lead_dearchive, "_allowed_lists", lambda call: [])
    result = bent_case("lead_dearchive", "group_campaign_outside")
    assert result.status == "failed" and b"LEAD DE-ARCHIVED" in result.exchange.body


def test_lead_dearchive_that_lets_modify_leads_4_through_fails(bent_case, monkeypatch):
    original = permission_gate.Gate.refuse

    def any_lead_editor(self, db, function, user):
        flags = {**self.flags, "modify_leads": permission_gate.LEAD_EDITORS}
        return original(dataclasses.replace(self, flags=flags), db, function, user)
    monkeypatch.setattr(permission_gate.Gate, "refuse", any_lead_editor)
    assert bent_case("lead_dearchive", "modify_leads_4_refused").status == "failed"


def test_lead_dearchive_that_does_not_look_in_vicidial_list_fails(bent_case, monkeypatch):
    monkeypatch.setattr(lead_dearchive, "in_vicidial_list", lambda call, lead_id: False)
    assert bent_case("lead_dearchive", "lead_still_in_vicidial_list").status == "failed"


def test_lead_dearchive_that_leaves_the_archived_row_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(lead_dearchive, "remove_archived", lambda call, lead_id: 1)
    assert embedded_failures("non_agent_api/lead_dearchive", "docs_example") == {"docs_example": ["WrongRowCount"]}


@pytest.mark.parametrize("case", ["in_group_call", "same_status", "every_field_long_enough", "call_id_without_a_number",
                                  "modify_leads_5_refused"])
def test_the_unbent_host_passes_update_log_entry(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case("update_log_entry", case).status == "passed"


def test_update_log_entry_that_picks_the_latest_inbound_call_fails(bent_case, monkeypatch):
    def by_date(call, inbound, group, lead_id):
        table, key = ("vicidial_closer_log", "closecallid") if inbound else ("vicidial_log", "uniqueid")
        return call.db.one(f"SELECT status, {key} FROM {table} WHERE campaign_id = ? AND lead_id = ? "
                           "ORDER BY call_date DESC LIMIT 1", group, lead_id)
    monkeypatch.setattr(update_log_entry, "last_call", by_date)
    assert bent_case("update_log_entry", "in_group_call").status == "failed"


def test_update_log_entry_that_counts_matched_rows_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_log_entry, "set_status", lambda call, table, group, key, status, old: 1)
    assert bent_case("update_log_entry", "same_status").status == "failed"


def test_update_log_entry_that_reads_a_text_as_zero_like_php7_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_log_entry, "php_number", lambda text: int(text) if text.isdigit() else 0)
    result = bent_case("update_log_entry", "call_id_without_a_number")
    assert result.status == "failed" and result.exchange.status == 200


def test_update_log_entry_that_finds_no_call_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_log_entry, "last_call", lambda call, inbound, group, lead_id: None)
    assert bent_case("update_log_entry", "in_group_call").status == "failed"


def test_update_log_entry_that_lets_modify_leads_5_through_fails(bent_case, monkeypatch):
    original = permission_gate.Gate.refuse

    def any_reader(self, db, function, user):
        flags = {**self.flags, "modify_leads": permission_gate.LEAD_READERS}
        return original(dataclasses.replace(self, flags=flags), db, function, user)
    monkeypatch.setattr(permission_gate.Gate, "refuse", any_reader)
    assert bent_case("update_log_entry", "modify_leads_5_refused").status == "failed"


def test_lead_dearchive_that_loses_the_lead_status_fails(embedded_failures, monkeypatch):
    original = lead_dearchive.copy_back

    def status_reset(call, lead_id):
        copied = original(call, lead_id)
        call.db.write("UPDATE vicidial_list SET status = 'NEW' WHERE lead_id = ?", lead_id)
        return copied
    monkeypatch.setattr(lead_dearchive, "copy_back", status_reset)
    assert embedded_failures("non_agent_api/lead_dearchive", "docs_example") == {"docs_example": ["WrongEffect"]}


def test_lead_dearchive_that_limits_a_group_without_a_row_fails(bent_case, monkeypatch):
    monkeypatch.setattr(lead_dearchive, "_allowed_lists", lambda call: [9990201])
    result = bent_case("lead_dearchive", "group_without_a_row")
    assert result.status == "failed" and b"ARCHIVED LEAD NOT FOUND" in result.exchange.body


def test_update_log_entry_that_leaves_the_status_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(update_log_entry, "set_status", lambda call, table, group, key, status, old: 1)
    assert embedded_failures("non_agent_api/update_log_entry", "docs_example") == {"docs_example": ["WrongEffect"]}




@pytest.mark.parametrize("borrowing", [True, False], ids=["borrowed", "bent_to_placeholders"])
def test_archived_leads_take_ids_below_the_lead_counter(host_database, tmp_path, vicidial_world, monkeypatch,
                                                        borrowing):
    """An archived lead's id comes from vicidial_list's counter (a lead's own id where the world says
    so), so moving it back leaves the counter where it was; with the bend (the world's placeholder
    as the id) the move pushes the counter to the placeholder."""
    from conformance.sql_fixture import SqlFixture
    url, database = host_database
    if not borrowing:
        monkeypatch.setattr(SqlFixture, "_borrow_id", lambda self, declared, row, assigned: None)
    counter_sql = ("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                   "AND TABLE_NAME = 'vicidial_list'")
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    try:
        assigned = fixture.reset(vicidial_world, {})
        archived = dict(database.all("SELECT vendor_lead_code, lead_id FROM vicidial_list_archive"))
        assert archived["vcrtLA0202"] == int(assigned["lead_id"]["9000202"])   # lead_target's copy
        counter = database.value(counter_sql)
        assert not database.value("SELECT count(*) FROM vicidial_list WHERE lead_id = ?", archived["vcrtLA2201"])
        database.write("INSERT INTO vicidial_list SELECT * FROM vicidial_list_archive WHERE lead_id = ?",
                       archived["vcrtLA2201"])
        assert (database.value(counter_sql) == counter) is borrowing
    finally:
        fixture.finish()
    assert not database.value("SELECT count(*) FROM vicidial_list_archive")


# -- a host without vicidial_list_archive (upstream's install creates none) ------------------------

@pytest.fixture
def host_without_archive(host_database):
    """The reference host on a MariaDB database that has every table of upstream's install and no
    vicidial_list_archive (dropped after the host made its tables, as an operator never made it)."""
    from conformance.host.server import EmbeddedHost
    url, database = host_database
    host = EmbeddedHost(url).start()
    database.write("DROP TABLE vicidial_list_archive")
    yield url, host, database
    host.stop()
    database.close()


@pytest.mark.slow
def test_a_host_without_the_archive_skips_lead_dearchive_and_runs_the_rest(host_without_archive, tmp_path):
    """SQL fixture mode takes the host: every lead_dearchive case is skipped, naming the table and how an
    operator creates it; the other functions' cases run; the archive is neither made nor checksummed."""
    from command import vicicert
    from conformance.sql_fixture import CHECKED_TABLES, checksums
    url, host, database = host_without_archive
    tables = tuple(table for table in CHECKED_TABLES if table != "vicidial_list_archive")
    before = checksums(database, tables=tables)
    done = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "-k",
                    "lead_dearchive or update_log_entry", "--report-dir", str(tmp_path / "out"),
                    cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "harness rows removed, checksums equal to before the run" in done.stdout
    cases = json.loads((tmp_path / "out" / "report.json").read_text())["cases"]
    by_function = {}
    for case in cases:
        by_function.setdefault(case["function"], set()).add(case["status"])
    assert by_function == {"lead_dearchive": {"skipped"}, "update_log_entry": {"passed"}}
    reasons = {case["skip_reason"] for case in cases if case["function"] == "lead_dearchive"}
    assert len(reasons) == 1
    reason = reasons.pop()
    assert reason.startswith("needs the table vicidial_list_archive: the target has no table vicidial_list_archive")
    assert "docs/LEAD_ARCHIVING.txt" in reason and "CREATE TABLE vicidial_list_archive LIKE vicidial_list" in reason
    assert "vicidial_list_archive" not in database.table_names()
    assert checksums(database, tables=tables) == before
    journal = (tmp_path / "out" / "vicicert-journal.jsonl").read_text().splitlines()
    begin = json.loads(journal[0])
    assert begin["unused_tables"] == ["vicidial_list_archive"] and "vicidial_list_archive" not in begin["checksums"]
