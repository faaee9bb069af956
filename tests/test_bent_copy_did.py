"""copy_did: a reference host bent in one place (its handler module monkeypatched) fails the case of
its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest
from bends import bend_gate, failed_with_body

from conformance.host import user_group_scope
from conformance.host.non_agent import copy_did

FUNCTION = "copy_did"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


@pytest.mark.parametrize("case", ["copy_one", "level8_passes", "without_modify_inbound_dids", "without_agent_api_access",
                                  "short_viewable_text_restricts", "source_did_pattern_length_51",
                                  "new_dids_length_2001", "description_too_short", "description_of_51", "longer_than_the_column",
                                  "existing_did_in_other_case_then_new", "description_checked_after_existing_dids"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("copy_one or filtered_description or existing_did or docs_second_example") == {}


@pytest.mark.parametrize("flag, case", [("modify_inbound_dids", "without_modify_inbound_dids"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_passes"))


@pytest.mark.parametrize("bound, bounds, case", [
    ("SOURCE_LENGTH", (2, 51), "source_did_pattern_length_51"),
    ("NEW_DIDS_LENGTH", (2, 2001), "new_dids_length_2001"),
    ("DESCRIPTION_LENGTH", (5, 50), "description_too_short"),
    ("DESCRIPTION_LENGTH", (6, 51), "description_of_51")])
def test_a_length_bound_one_off_fails(bent_case, monkeypatch, bound, bounds, case):
    monkeypatch.setattr(copy_did, bound, bounds)
    assert failed_with_body(bent_case(FUNCTION, case))


def test_reading_short_viewable_groups_as_every_group_fails(bent_case, monkeypatch):
    """The other functions' reading (3 characters or fewer: every group) copies a DID copy_did cannot see."""
    monkeypatch.setattr(copy_did, "viewable_groups_of_any_length", user_group_scope.viewable_groups)
    result = bent_case(FUNCTION, "short_viewable_text_restricts")
    assert failed_with_body(result) and "HAS BEEN ADDED" in str(result.exchange.body)


def test_comparing_stored_dids_with_letter_case_fails(bent_case, monkeypatch):
    """A host whose look before the copy minds letter case copies onto a stored DID (adding nothing)."""
    original = copy_did.pattern_taken
    looks = []

    def case_sensitive_first_look(call, did):
        looks.append(did)
        if len(looks) % 2:   # the loop's look; the copy's own look (the INSERT IGNORE's key) stays as the database's
            return bool(call.db.value("SELECT count(*) FROM vicidial_inbound_dids WHERE did_pattern = ? COLLATE BINARY",
                                      did))
        return original(call, did)
    monkeypatch.setattr(copy_did, "pattern_taken", case_sensitive_first_look)
    result = bent_case(FUNCTION, "existing_did_in_other_case_then_new")
    assert failed_with_body(result) and "ALREADY EXISTS" not in str(result.exchange.body)


def test_not_cutting_new_dids_to_the_column_fails(bent_case, monkeypatch):
    """Without the cut the second long DID is a DID of its own: its id and count are no longer 0."""
    monkeypatch.setattr(copy_did, "stored", lambda table, column, value: value)
    assert failed_with_body(bent_case(FUNCTION, "longer_than_the_column"))


def test_checking_the_description_first_fails(bent_case, monkeypatch):
    """A host that refuses the description before the loop leaves out the NOTICE printed before it."""
    original = copy_did.pattern_taken
    monkeypatch.setattr(copy_did, "pattern_taken",
                        lambda call, did: False if call.p["did_description"] == "short" else original(call, did))
    assert failed_with_body(bent_case(FUNCTION, "description_checked_after_existing_dids"))


def test_not_copying_a_column_fails(embedded, monkeypatch):
    monkeypatch.setattr(copy_did, "COPIED", tuple(column for column in copy_did.COPIED if column != "custom_five"))
    assert embedded("copy_one")["copy_one"] == ["WrongEffect"]


def test_keeping_the_source_description_fails(embedded, monkeypatch):
    original = copy_did.copy_row
    monkeypatch.setattr(copy_did, "copy_row", lambda call, source, did, description: original(call, source, did, ""))
    assert embedded("filtered_description")["filtered_description"] == ["WrongEffect"]


def test_not_logging_the_copy_fails(embedded, monkeypatch):
    monkeypatch.setattr(copy_did, "log_admin_event", lambda *args: None)
    failures = embedded("copy_one or existing_did")
    assert "WrongRowCount" in failures["copy_one"] and "WrongRowCount" in failures["existing_did"]


def test_logging_another_event_type_fails(embedded, monkeypatch):
    original = copy_did.log_admin_event
    monkeypatch.setattr(copy_did, "log_admin_event",
                        lambda call, section, event_type, *args: original(call, section, "ADD", *args))
    assert embedded("copy_one")["copy_one"] == ["WrongEffect"]
