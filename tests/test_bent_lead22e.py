"""batch_update_lead and update_lead: a reference host bent in one place (its handler module monkeypatched) fails
the case of its spec that guards that place."""

from __future__ import annotations

import pytest

from conformance.host import lead_updates, permission_gate
from conformance.host.non_agent import batch_update_lead, update_lead
from conformance.host.php import keep


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("spec,case", [
    ("batch_update_lead", "docs_example"), ("batch_update_lead", "values_already_held"),
    ("batch_update_lead", "records_one"), ("batch_update_lead", "restricted_lead_outside"),
    ("batch_update_lead", "nothing_to_set"), ("batch_update_lead", "level_7_refused"),
    ("batch_update_lead", "list_exists_missing"), ("batch_update_lead", "trailing_backslash"),
])
def test_the_unbent_host_passes(bent_case, spec, case):
    """Control: each failure below is the bend's."""
    assert bent_case(spec, case).status == "passed"


def test_batch_update_counting_matched_rows_fails(bent_case, monkeypatch):
    """MySQL's affected rows count the leads changed, not those matched."""
    original = lead_updates.update_leads
    monkeypatch.setattr(batch_update_lead, "update_leads", lambda db, sql, ids: (original(db, sql, ids), len(ids))[1])
    assert failed(bent_case("batch_update_lead", "values_already_held"))


def test_batch_update_without_its_gate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent_case("batch_update_lead", "level_7_refused"))
    assert failed(bent_case("batch_update_lead", "modify_leads_5_refused"))


def test_batch_update_ignoring_records_fails(bent_case, monkeypatch):
    original = batch_update_lead._found
    monkeypatch.setattr(batch_update_lead, "_found", lambda call, requested, records: original(call, requested, 1000))
    assert failed(bent_case("batch_update_lead", "records_one"))


def test_batch_update_looking_outside_the_allowed_lists_fails(bent_case, monkeypatch):
    original = batch_update_lead._found

    def everywhere(call, requested, records):
        call.list_restricted = False
        return original(call, requested, records)
    monkeypatch.setattr(batch_update_lead, "_found", everywhere)
    assert failed(bent_case("batch_update_lead", "restricted_lead_outside"))


def test_batch_update_printing_when_nothing_is_set_fails(bent_case, monkeypatch):
    monkeypatch.setattr(batch_update_lead, "set_list", lambda params, reset: "")
    assert failed(bent_case("batch_update_lead", "docs_example"))


def test_batch_update_without_the_list_check_fails(bent_case, monkeypatch):
    """list_exists_check is the one parameter the handler keeps letters and digits of."""
    monkeypatch.setattr(batch_update_lead, "keep",
                        lambda text, chars: "N" if chars == "0-9a-zA-Z" else keep(text, chars))
    assert failed(bent_case("batch_update_lead", "list_exists_missing"))


def test_batch_update_storing_what_was_sent_fails(embedded_failures, monkeypatch):
    """--BLANK--, the newline as !N, the + as a space: a host that stores the fields as sent
    writes the wrong lead row, which only the effects show."""
    original = lead_updates.field_value
    monkeypatch.setattr(lead_updates, "field_value", lambda params, name: params[name] if name in (
        "province", "first_name", "comments") else original(params, name))
    failures = embedded_failures("non_agent_api/batch_update_lead", "every_field")
    assert "WrongEffect" in str(failures.get("every_field"))


def test_batch_update_escaping_backslashes_fails(embedded_failures, monkeypatch):
    """Upstream's MySQL reads the unescaped backslash of a value as an escape."""
    monkeypatch.setattr(batch_update_lead, "set_list", lambda params, reset: 'comments="' + params["comments"].replace(
        "\\", "\\\\") + '"')
    failures = embedded_failures("non_agent_api/batch_update_lead", "backslash_escape or trailing_backslash")
    assert set(failures) == {"backslash_escape", "trailing_backslash"}


# update_lead

@pytest.mark.parametrize("case", ["docs_example", "method_falls_through", "phone_in_other_list",
                                  "restricted_result_list", "no_update_found", "insert_without_phone_code"])
def test_update_lead_unbent_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case("update_lead", case).status == "passed"


def test_update_lead_searching_one_method_only_fails(bent_case, monkeypatch):
    original = update_lead._search
    monkeypatch.setattr(update_lead, "_search", lambda call, lead_id, vendor, phone, scope, args, records: original(
        call, lead_id, None, None, scope, args, records) if lead_id is not None else original(
        call, lead_id, vendor, phone, scope, args, records))
    assert failed(bent_case("update_lead", "method_falls_through"))


def test_update_lead_ignoring_the_search_location_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_lead, "_scope", lambda call, location, list_id: ("", []))
    assert failed(bent_case("update_lead", "phone_in_other_list"))


def test_update_lead_updating_leads_of_other_lists_fails(bent_case, monkeypatch):
    def unrestricted(call, p, found):
        call.list_restricted = False
        return original(call, p, found)
    original = update_lead._update
    monkeypatch.setattr(update_lead, "_update", unrestricted)
    assert failed(bent_case("update_lead", "restricted_result_list"))


def test_update_lead_without_its_gate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent_case("update_lead", "level_7_refused"))


def test_update_lead_inserting_without_a_phone_code_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_lead, "field_value", lambda params, name: "1" if name == "phone_code" else
                        lead_updates.field_value(params, name))
    assert failed(bent_case("update_lead", "insert_without_phone_code"))


def test_update_lead_writing_the_wrong_rows_fails(embedded_failures, monkeypatch):
    """A lead not deleted, an inserted lead with the wrong status: only the effects show them."""
    monkeypatch.setattr(update_lead, "_delete", lambda call, lead_id: (0, 0))
    original = lead_updates.stored_row
    monkeypatch.setattr(update_lead, "stored_row", lambda sql: {**original(sql), "status": "BENT"})
    failures = embedded_failures("non_agent_api/update_lead", "delete_lead or insert_if_not_found")
    assert failures == {"delete_lead": ["WrongRowCount"], "insert_if_not_found": ["WrongEffect"]}


def test_update_lead_hopper_taking_the_found_lead_fails(bent_case, monkeypatch):
    """The hopper section takes the lead_id sent, even when the search found another lead."""
    original = update_lead._hopper
    monkeypatch.setattr(update_lead, "_hopper", lambda call, p, lead_id, list_id: original(
        call, p, str(lead_id if lead_id != "99999999999" else call.db.value(
            "SELECT lead_id FROM vicidial_list WHERE vendor_lead_code='vcrtUL05'")), list_id))
    assert bent_case("update_lead", "hopper_lead_id_sent_wins").status == "failed"


def test_update_lead_hopper_without_the_time_check_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_lead, "dialable_now", lambda db, epoch, call_time, gmt: 1)
    assert failed(bent_case("update_lead", "hopper_outside_local_time"))


def test_update_lead_removing_incall_hopper_rows_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(update_lead, "_KEPT_IN_HOPPER", ("DONE",))
    assert "remove_from_hopper_incall" in embedded_failures("non_agent_api/update_lead", "remove_from_hopper_incall")


def test_update_lead_callbacks_bent_fail(embedded_failures, monkeypatch):
    """A callback for an unknown USERONLY user, a default status other than CALLBK, callbacks
    deleted without their archive copy."""
    original = update_lead._schedule_callback
    monkeypatch.setattr(update_lead, "_schedule_callback", lambda call, p, lead_id, list_id: original(
        call, {**p, "callback_type": "ANYONE"} if p["callback_user"] == "vcrtNOBODY" else p, lead_id, list_id))
    monkeypatch.setattr(update_lead, "_remove_callbacks", lambda call, lead_id: (1, call.db.write(
        "DELETE FROM vicidial_callbacks WHERE lead_id=?", lead_id)))
    failures = embedded_failures("non_agent_api/update_lead", "callback_user_not_valid or callback_remove")
    assert set(failures) == {"callback_user_not_valid", "callback_remove"}
    assert failures["callback_remove"] == ["WrongRowCount"]


def test_update_lead_ignoring_custom_fields_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_lead, "_no_custom_table", lambda call, phone, lead_id, list_id, custom_list: "")
    assert failed(bent_case("update_lead", "custom_fields_no_table"))


def test_update_lead_counting_unchanged_entry_lists_fails(bent_case, monkeypatch):
    """delete_cf_data prints MySQL's count of leads changed: a lead whose entry_list_id is already 0 counts 0."""
    original = update_lead._delete_custom_data
    monkeypatch.setattr(update_lead, "_delete_custom_data", lambda call, p, lead_id, entry: original(
        call, p, lead_id, entry).replace("|0|0|", "|0|1|"))
    assert failed(bent_case("update_lead", "delete_cf_data_no_entry_list"))
