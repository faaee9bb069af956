"""update_log_entry: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place.

A bend the answer shows runs through ``bent_case`` (declared mode, no database read); a bend only
the stored rows show runs the case on the embedded host in process, which reads its effects."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conformance.bundle import SPECS_DIR
from conformance.host import permission_gate
from conformance.host.non_agent import update_log_entry


@pytest.fixture
def embedded(pytester, tmp_path):
    """embedded(function, case) -> {case id: mismatch kinds} of the failed cases, run on the
    embedded host (in this process, so the test's monkeypatches hold there), effects read."""
    def run(function, case):
        pytester.runpytest_inprocess(str(SPECS_DIR / "non_agent_api" / f"{function}.yaml"), "-p", "no:cacheprovider",
                                     "--vicidial-report-dir", str(tmp_path), "-k", case)
        report = json.loads((tmp_path / "report.json").read_text())
        assert report["cases"], "the case ran"
        return {record["id"].split("::")[-1]: [m["kind"] for m in record["reference"]["mismatches"]]
                for record in report["cases"] if record["status"] == "failed"}
    return run


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


def test_update_log_entry_that_leaves_the_status_fails(embedded, monkeypatch):
    monkeypatch.setattr(update_log_entry, "set_status", lambda call, table, group, key, status, old: 1)
    assert embedded("update_log_entry", "docs_example") == {"docs_example": ["WrongEffect"]}
