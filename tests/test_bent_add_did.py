"""add_did: a reference host bent in one place (its handler module monkeypatched) fails the case of
its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import dataclasses

import pytest
from bends import bend_gate, failed_with_body

from conformance.host.non_agent import add_did

FUNCTION = "add_did"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


def _field_bent(monkeypatch, param, **changes):
    """FIELDS with ``param``'s field replaced by ``changes``."""
    monkeypatch.setattr(add_did, "FIELDS", tuple(dataclasses.replace(field, **changes) if field.param == param
                                                 else field for field in add_did.FIELDS))


BOUND_BENDS = [("did_description", (5, 50), "did_description_length_5"),
               ("did_description", (6, 51), "did_description_length_51"),
               ("extension", (1, 51), "extension_length_51"),
               ("exten_context", (1, 51), "exten_context_length_51"),
               ("voicemail_ext", (1, 11), "voicemail_ext_length_11"),
               ("phone_extension", (1, 101), "phone_extension_length_101"),
               ("filter_clean_cid_number", (1, 21), "filter_clean_cid_number_length_21"),
               ("call_handle_method", (2, 20), "call_handle_method_length_2"),
               ("call_handle_method", (3, 21), "call_handle_method_length_21"),
               ("agent_search_method", (1, 2), "agent_search_method_length_1"),
               ("agent_search_method", (2, 3), "agent_search_method_of_3"),
               ("list_id", (2, 14), "list_id_length_2"),
               ("list_id", (3, 15), "list_id_length_15"),
               ("entry_list_id", (1, 15), "entry_list_id_length_15"),
               ("campaign_id", (1, 9), "campaign_id_length_9"),
               ("phone_code", (1, 11), "phone_code_of_11"),
               ("phone_code", (1, 9), "phone_code_of_10")]


@pytest.mark.parametrize("case", sorted({"docs_first_example", "level8_passes", "without_modify_inbound_dids",
                                         "without_agent_api_access", "did_pattern_length_1", "did_pattern_length_51",
                                         "existing_did_in_other_case", "existing_did_of_a_group_not_viewable",
                                         "first_bad_field_is_answered", "group_unknown", "menu_unknown",
                                         "record_call_enum_y_1", "route_agent", "docs_second_example",
                                         "group_mixed_case", "active_enum_u_1"}
                                        | {case for _param, _bounds, case in BOUND_BENDS}))
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("docs_first_example or docs_second_example or stored_as_non_strict_mysql or filtered_values") == {}


@pytest.mark.parametrize("flag, case", [("modify_inbound_dids", "without_modify_inbound_dids"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_passes"))


@pytest.mark.parametrize("bounds, case", [((3, 50), "did_pattern_length_2"), ((2, 51), "did_pattern_length_51")])
def test_a_pattern_length_bound_one_off_fails(bent_case, monkeypatch, bounds, case):
    monkeypatch.setattr(add_did, "PATTERN_LENGTH", bounds)
    assert failed_with_body(bent_case(FUNCTION, case))


@pytest.mark.parametrize("param, bounds, case", BOUND_BENDS)
def test_a_field_length_bound_one_off_fails(bent_case, monkeypatch, param, bounds, case):
    _field_bent(monkeypatch, param, length=bounds)
    assert failed_with_body(bent_case(FUNCTION, case))


@pytest.mark.parametrize("param, values, case", [
    ("active", ("Y", "N", "U"), "active_enum_u_1"),
    ("did_route", tuple(route for route in add_did.ROUTES if route != "AGENT"), "route_agent"),
    ("record_call", ("Y", "N"), "docs_second_example"),
    ("record_call", ("Y", "N", "Y_QUEUESTOP", "y"), "record_call_enum_y_1")])
def test_another_set_of_values_fails(bent_case, monkeypatch, param, values, case):
    _field_bent(monkeypatch, param, one_of=values)
    assert failed_with_body(bent_case(FUNCTION, case))


def test_not_looking_the_in_group_up_fails(bent_case, monkeypatch):
    _field_bent(monkeypatch, "group", row_in=None, length=(1, 20))
    assert failed_with_body(bent_case(FUNCTION, "group_unknown"))


def test_looking_the_in_group_up_with_letter_case_fails(bent_case, monkeypatch):
    _field_bent(monkeypatch, "group", row_in=("vicidial_inbound_groups", "group_id COLLATE BINARY"))
    assert failed_with_body(bent_case(FUNCTION, "group_mixed_case"))


def test_naming_add_did_in_the_call_menu_refusal_fails(bent_case, monkeypatch):
    """The docs' wording: upstream's code names update_did there."""
    _field_bent(monkeypatch, "menu_id", refusal="add_did MENU ID MUST BE A VALID CALL MENU IN THE SYSTEM")
    assert failed_with_body(bent_case(FUNCTION, "menu_unknown"))


def test_checking_the_fields_in_another_order_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_did, "FIELDS", tuple(reversed(add_did.FIELDS)))
    assert failed_with_body(bent_case(FUNCTION, "first_bad_field_is_answered"))


def _adding_nothing(monkeypatch):
    """A bent look for stored DIDs would otherwise meet the table's unique key on the INSERT."""
    monkeypatch.setattr(add_did, "insert", lambda call, columns: 1)


def test_comparing_stored_dids_with_letter_case_fails(bent_case, monkeypatch):
    _adding_nothing(monkeypatch)
    monkeypatch.setattr(add_did, "pattern_taken", lambda call, did: bool(call.db.value(
        "SELECT count(*) FROM vicidial_inbound_dids WHERE did_pattern = ? COLLATE BINARY", did)))
    result = bent_case(FUNCTION, "existing_did_in_other_case")
    assert result.status == "failed" and "HAS BEEN ADDED" in str(result.exchange.body)


def test_looking_for_stored_dids_only_in_viewable_groups_fails(bent_case, monkeypatch):
    _adding_nothing(monkeypatch)
    monkeypatch.setattr(add_did, "pattern_taken", lambda call, did: bool(call.db.value(
        "SELECT count(*) FROM vicidial_inbound_dids WHERE did_pattern = ? AND user_group IN ('---ALL---', 'VCERTAG')",
        did)))
    result = bent_case(FUNCTION, "existing_did_of_a_group_not_viewable")
    assert result.status == "failed" and "HAS BEEN ADDED" in str(result.exchange.body)


def test_storing_a_field_in_another_column_fails(embedded, monkeypatch):
    _field_bent(monkeypatch, "phone_extension", column="user")
    assert embedded("docs_second_example")["docs_second_example"] == ["WrongEffect"]


def test_storing_a_number_as_sent_fails(embedded, monkeypatch):
    """Without MySQL's non-strict storage a list_id with letters is kept whole, not as its leading digits."""
    original = add_did.stored
    monkeypatch.setattr(add_did, "stored",
                        lambda table, column, value: value if column == "list_id" else original(table, column, value))
    assert embedded("stored_as_non_strict_mysql")["stored_as_non_strict_mysql"] == ["WrongEffect"]


def test_not_logging_the_addition_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_did, "log_admin_event", lambda *args: None)
    assert "WrongRowCount" in embedded("docs_first_example")["docs_first_example"]


def test_logging_another_event_type_fails(embedded, monkeypatch):
    original = add_did.log_admin_event
    monkeypatch.setattr(add_did, "log_admin_event",
                        lambda call, section, event_type, *args: original(call, section, "MODIFY", *args))
    assert embedded("docs_first_example")["docs_first_example"] == ["WrongEffect"]
