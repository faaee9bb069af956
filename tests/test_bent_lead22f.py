"""add_lead and update_lead (issue 22): a reference host bent in one place (its handler modules
monkeypatched) fails the case of the spec that guards that place: alt phones, custom field values,
NO FIELDS DEFINED."""

from __future__ import annotations

import pytest

from conformance.host import alt_phones
from conformance.host.non_agent import add_lead, update_lead


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


CUSTOM_CASES = ("custom_values_updated or custom_values_already_held or custom_entry_deleted or "
                "insert_custom_values or delete_cf_data_custom_row or insert_custom_none_hold_data")


@pytest.mark.parametrize("spec,case", [("add_lead", "multi_alt_phones"), ("update_lead", "insert_multi_alt_phones")])
def test_the_unbent_host_passes(bent_case, spec, case):
    """Control: each failure below is the bend's."""
    assert bent_case(spec, case).status == "passed"


def test_the_unbent_host_passes_the_custom_field_cases(embedded_failures):
    """Control for the cases that need custom tables and settings (the plugin's embedded host)."""
    assert embedded_failures("non_agent_api/update_lead", CUSTOM_CASES) == {}
    assert embedded_failures("non_agent_api/add_lead", "custom_fields_none_hold_data") == {}


def test_add_lead_that_prints_no_alt_phone_entries_fails(bent_case, monkeypatch):
    real = add_lead.load_alt_phones
    monkeypatch.setattr(add_lead, "load_alt_phones",
                        lambda call, function, lead_id, text: real(call, function, lead_id, text)[-80:])
    assert "UnexpectedBody" in failed(bent_case("add_lead", "multi_alt_phones"))


class _Unwritten:
    """A call whose database says it stored each row and stores none."""

    def __init__(self, call):
        self.p, self.db = call.p, self

    def write(self, sql, *params):
        return 1


def test_update_lead_that_stores_no_alt_phones_fails(embedded_failures, monkeypatch):
    real = alt_phones.load_alt_phones
    monkeypatch.setattr(update_lead, "load_alt_phones",
                        lambda call, function, lead_id, text: real(_Unwritten(call), function, lead_id, text))
    found = embedded_failures("non_agent_api/update_lead", "insert_multi_alt_phones")
    assert "WrongRowCount" in found["insert_multi_alt_phones"]


def test_update_lead_that_counts_an_unchanged_custom_row_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(update_lead, "update_values", lambda call, table_list, lead_id, row: 1)
    assert "custom_values_already_held" in embedded_failures("non_agent_api/update_lead", "custom_values_already_held")


def test_update_lead_that_writes_no_custom_values_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(update_lead, "_custom_update",
                        lambda call, p, lead_id, list_id, entry, custom_list: update_lead._no_custom_table(
                            p["phone_number"], lead_id, list_id))
    found = embedded_failures("non_agent_api/update_lead", "custom_values_updated or custom_entry_deleted")
    assert set(found) == {"custom_values_updated", "custom_entry_deleted"}
    assert "WrongEffect" in found["custom_values_updated"]   # entry_list_id left at 0


def test_update_lead_that_leaves_the_custom_row_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(update_lead, "_delete_custom_data",
                        lambda call, p, lead_id, entry: (f"NOTICE: update_lead CUSTOM FIELDS DATA HAS BEEN DELETED - "
                                                         f"{call.p['user']}|{lead_id}|9990201|1|0\n"))
    assert "delete_cf_data_custom_row" in embedded_failures("non_agent_api/update_lead", "delete_cf_data_custom_row")


def test_custom_fields_that_write_display_fields_fail(embedded_failures, monkeypatch):
    """A host that writes a row where no field holds data answers VALUES ADDED, not NO FIELDS DEFINED."""
    monkeypatch.setattr(add_lead, "sent_values", lambda call, fields_list, table_list, named_only=False: {})
    monkeypatch.setattr(update_lead, "sent_values", lambda call, fields_list, table_list, named_only=False: {})
    assert "UnexpectedBody" in embedded_failures("non_agent_api/add_lead", "custom_fields_none_hold_data")[
        "custom_fields_none_hold_data"]
    found = embedded_failures("non_agent_api/update_lead", "insert_custom_none_hold_data")
    assert "insert_custom_none_hold_data" in found
