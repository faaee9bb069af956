"""add_group_alias: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest
from bends import bend_gate, failed_with_body

from conformance.host.non_agent import add_group_alias

FUNCTION = "add_group_alias"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


@pytest.mark.parametrize("case", ["new_alias", "existing_alias", "five_digit_number", "plus_becomes_space",
                                  "one_character_name_is_the_number", "level8_passes", "without_ast_admin_access",
                                  "without_agent_api_access"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("new_alias or longer_than_the_columns or active_outside_y_n or existing_alias") == {}


@pytest.mark.parametrize("flag, case", [("ast_admin_access", "without_ast_admin_access"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_passes"))


def test_taking_a_five_digit_number_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_group_alias, "NUMBER_MIN", 5)
    assert failed_with_body(bent_case(FUNCTION, "five_digit_number"))


def test_adding_over_an_existing_alias_fails(bent_case, monkeypatch):
    """A host that skips the lookup goes on to its INSERT of the taken id, whose duplicate key PHP
    dies on (HTTP 500, an empty body) where the case expects the refusal."""
    original = add_group_alias.alias_taken
    looks = []

    def first_look_free(call, alias):
        looks.append(alias)
        return len(looks) > 1 and original(call, alias)
    monkeypatch.setattr(add_group_alias, "alias_taken", first_look_free)
    result = bent_case(FUNCTION, "existing_alias")
    assert result.status == "failed" and result.exchange.status == 500
    assert {m.kind for m in result.reference.mismatches} == {"WrongStatus", "UnexpectedBody"}


def test_keeping_the_plus_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_group_alias, "spaced", lambda text: text)
    assert failed_with_body(bent_case(FUNCTION, "plus_becomes_space"))
    assert bent_case(FUNCTION, "one_character_name_is_the_number").status == "passed"


def test_not_logging_the_addition_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_group_alias, "log_admin_event", lambda *args: None)
    assert "WrongRowCount" in embedded("new_alias")["new_alias"]


def test_logging_in_another_section_fails(embedded, monkeypatch):
    original = add_group_alias.log_admin_event
    monkeypatch.setattr(add_group_alias, "log_admin_event",
                        lambda call, section, *args: original(call, "GROUPALIAS", *args))
    assert embedded("new_alias")["new_alias"] == ["WrongEffect"]


def test_not_cutting_to_the_columns_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_group_alias, "stored", lambda table, column, value: value)
    assert "WrongRowCount" in embedded("longer_than_the_columns")["longer_than_the_columns"]


def test_an_alias_without_its_row_fails(embedded, monkeypatch):
    """A host answering SUCCESS that stores nothing (as if every id were taken) fails on the row."""
    original = add_group_alias.alias_taken
    calls = []

    def taken_on_second_look(call, alias):
        calls.append(alias)
        return len(calls) > 1 or original(call, alias)
    monkeypatch.setattr(add_group_alias, "alias_taken", taken_on_second_look)
    assert "WrongRowCount" in embedded("new_alias")["new_alias"]
