"""add_dnc_phone, delete_dnc_phone, add_fpg_phone, delete_fpg_phone: a reference host bent in one
place (its handler modules monkeypatched) fails the case of its spec that guards that place.

A bend the answer shows runs through ``bent_case`` (declared mode, no database read); a bend only
the stored rows show runs the case on the embedded host in process, which reads its effects."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.host import dnc_lists, permission_gate
from conformance.host.non_agent import add_dnc_phone, add_fpg_phone, delete_fpg_phone


@pytest.fixture
def embedded(embedded_failures):
    """embedded(function, case) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda function, case: embedded_failures(f"non_agent_api/{function}", case)


@pytest.mark.parametrize("function,case", [
    ("delete_dnc_phone", "without_delete_from_dnc"), ("add_fpg_phone", "unknown_group"),
])
def test_the_unbent_host_passes(bent_case, function, case):
    """Control: each failure below is the bend's."""
    assert bent_case(function, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("add_dnc_phone", "campaign_number or lower_case_system_internal or system_number") == {}


def test_add_dnc_phone_that_logs_no_dnc_change_fails(embedded, monkeypatch):
    monkeypatch.setattr(dnc_lists, "log_change", lambda call, phone, campaign, action: (1, "INSERT INTO vicidial_dnc_log"))
    assert "WrongRowCount" in embedded("add_dnc_phone", "campaign_number")["campaign_number"]


def test_add_dnc_phone_that_does_not_cut_the_campaign_fails(embedded, monkeypatch):
    monkeypatch.setattr(dnc_lists, "fit", lambda table, column, value: value)
    case = "lower_case_system_internal_is_a_campaign"
    assert "WrongEffect" in embedded("add_dnc_phone", case)[case]


def test_add_dnc_phone_with_wrong_admin_notes_fails(embedded, monkeypatch):
    original = add_dnc_phone.log_admin_event
    monkeypatch.setattr(add_dnc_phone, "log_admin_event",
                        lambda call, *args: original(call, *args[:-1], args[-1].replace("|1|1", "|1|0")))
    assert embedded("add_dnc_phone", "system_number")["system_number"] == ["WrongEffect"]


def test_delete_dnc_phone_that_leaves_the_number_fails(embedded, monkeypatch):
    monkeypatch.setattr(dnc_lists, "remove", lambda call, phone, campaign: (1, "DELETE FROM vicidial_campaign_dnc"))
    assert "WrongRowCount" in embedded("delete_dnc_phone", "campaign_number")["campaign_number"]


def test_delete_dnc_phone_that_skips_delete_from_dnc_fails(bent_case, monkeypatch):
    original = permission_gate.Gate.refuse

    def without_the_flag(self, db, function, user):
        flags = {name: values for name, values in self.flags.items() if name != "delete_from_dnc"}
        return original(dataclasses.replace(self, flags=flags), db, function, user)
    monkeypatch.setattr(permission_gate.Gate, "refuse", without_the_flag)
    assert bent_case("delete_dnc_phone", "without_delete_from_dnc").status == "failed"


def test_add_fpg_phone_that_stores_the_found_group_fails(embedded, monkeypatch):
    original = add_fpg_phone.add_number
    monkeypatch.setattr(add_fpg_phone, "add_number", lambda call, phone, group: original(call, phone, group.upper()))
    case = "lower_case_group_stores_the_group_as_sent"
    assert embedded("add_fpg_phone", case) == {case: ["WrongEffect"]}


def test_add_fpg_phone_without_the_group_check_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_fpg_phone, "group_exists", lambda call, group: True)
    result = bent_case("add_fpg_phone", "unknown_group")
    assert result.status == "failed" and b"HAS BEEN ADDED" in result.exchange.body


def test_delete_fpg_phone_without_the_admin_log_fails(embedded, monkeypatch):
    monkeypatch.setattr(delete_fpg_phone, "log_admin_event", lambda *args: None)
    assert embedded("delete_fpg_phone", "docs_example") == {"docs_example": ["WrongRowCount"]}




@pytest.mark.parametrize("table,row", [
    ("vicidial_dnc", "(phone_number) VALUES ('3125550199')"),
    ("vicidial_campaign_dnc", "(phone_number, campaign_id) VALUES ('3125550100', 'HOSTCAMP')"),
    ("vicidial_filter_phone_numbers", "(phone_number, filter_phone_group_id) VALUES ('3125550150', 'HOSTGROUP')"),
])
def test_a_host_number_in_the_reserved_phone_range_is_refused_before_anything_is_written(
        host_database, tmp_path, vicidial_world, table, row):
    """DNC and filter-group numbers carry no prefix of the namespace: the harness takes them from
    312-555-0100 to 0199, and a host holding one there is refused, nothing written."""
    from conformance.errors import UsageError
    from conformance.sql_fixture import SqlFixture, checksums
    url, database = host_database
    database.write(f"INSERT INTO {table} {row}")
    before = checksums(database)
    with pytest.raises(UsageError, match=rf"{table} already holds .*the host's own, in a range vicicert reserves"):
        SqlFixture(url, tmp_path / "journal.jsonl").begin(vicidial_world)
    assert checksums(database) == before and not (tmp_path / "journal.jsonl").exists()
