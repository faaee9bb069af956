"""add_phone_alias and update_phone_alias: a reference host bent in one place (a handler module
monkeypatched) fails the case of their specs that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import dataclasses

import pytest
from bends import bend_gate, failed_with_body

from conformance.host.non_agent import add_phone_alias, update_phone_alias

ADD, UPDATE = "add_phone_alias", "update_phone_alias"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(function, case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda function, case: embedded_failures(f"non_agent_api/{function}", case)


@pytest.mark.parametrize("function, case", [
    (ADD, "new_alias"), (ADD, "one_character_id"), (ADD, "existing_alias"), (ADD, "unknown_phone"),
    (ADD, "trailing_comma"), (ADD, "level8_passes"), (ADD, "without_ast_admin_access"),
    (ADD, "without_agent_api_access"), (UPDATE, "rename_and_relist"), (UPDATE, "one_character_name"),
    (UPDATE, "name_of_51_characters"), (UPDATE, "name_of_50_characters"), (UPDATE, "unknown_phone"),
    (UPDATE, "one_character_logins_left_out"), (UPDATE, "nothing_to_change"), (UPDATE, "delete_alias"),
    (UPDATE, "delete_without_permission"), (UPDATE, "delete_before_the_name_check"), (UPDATE, "unknown_alias")])
def test_the_unbent_host_passes(bent_case, function, case):
    """Control: each failure below is the bend's."""
    assert bent_case(function, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded(ADD, "new_alias or longer_than_the_columns or logins_without_letter_case") == {}
    assert embedded(UPDATE, "rename_and_relist or name_only or delete_alias") == {}


@pytest.mark.parametrize("flag, case", [("ast_admin_access", "without_ast_admin_access"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(ADD, case))
    assert failed_with_body(bent_case(UPDATE, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(ADD, "level8_passes"))
    assert failed_with_body(bent_case(UPDATE, "level8_passes"))


def test_taking_a_one_character_id_fails(bent_case, monkeypatch):
    monkeypatch.setitem(add_phone_alias.REQUIRED_LENGTHS, "alias_id", 1)
    assert failed_with_body(bent_case(ADD, "one_character_id"))


def test_adding_over_an_existing_alias_fails(bent_case, monkeypatch):
    """A host that skips the lookup goes on to the logins (the case names one no phone has)."""
    monkeypatch.setattr(add_phone_alias, "alias_exists", lambda call, alias: False)
    assert failed_with_body(bent_case(ADD, "existing_alias"))


@pytest.mark.parametrize("function", [ADD, UPDATE])
def test_not_looking_the_phones_up_fails(bent_case, monkeypatch, function):
    module = add_phone_alias if function == ADD else update_phone_alias
    monkeypatch.setattr(module, "first_missing_login", lambda call, logins: None)
    assert failed_with_body(bent_case(function, "unknown_phone"))


def test_skipping_empty_logins_fails(bent_case, monkeypatch):
    original = add_phone_alias.first_missing_login
    monkeypatch.setattr(add_phone_alias, "first_missing_login",
                        lambda call, logins: original(call, ",".join(part for part in logins.split(",") if part)))
    assert failed_with_body(bent_case(ADD, "trailing_comma"))


def test_not_logging_the_addition_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_phone_alias, "log_admin_event", lambda *args: None)
    assert "WrongRowCount" in embedded(ADD, "new_alias")["new_alias"]


def test_logging_without_the_logins_fails(embedded, monkeypatch):
    original = add_phone_alias.log_admin_event
    monkeypatch.setattr(add_phone_alias, "log_admin_event",
                        lambda call, *args: original(call, *args[:-1], ""))
    assert embedded(ADD, "new_alias")["new_alias"] == ["WrongEffect"]


def test_not_cutting_to_the_columns_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_phone_alias, "stored", lambda table, column, value: value)
    assert "WrongRowCount" in embedded(ADD, "longer_than_the_columns")["longer_than_the_columns"]


@pytest.mark.parametrize("lengths, case", [((1, 50), "one_character_name"), ((2, 51), "name_of_51_characters"),
                                           ((2, 49), "name_of_50_characters")])
def test_other_name_lengths_fail(bent_case, monkeypatch, lengths, case):
    monkeypatch.setattr(update_phone_alias, "NAME_LENGTHS", lengths)
    assert failed_with_body(bent_case(UPDATE, case))


def test_looking_up_a_one_character_list_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_phone_alias, "LOGINS_MIN", 1)
    assert failed_with_body(bent_case(UPDATE, "one_character_logins_left_out"))
    assert failed_with_body(bent_case(UPDATE, "nothing_to_change"))


def test_deleting_without_ast_delete_phones_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_phone_alias, "DELETE_GATE", dataclasses.replace(
        update_phone_alias.DELETE_GATE, flags={"vdc_agent_api_access": ("1",)}))
    assert failed_with_body(bent_case(UPDATE, "delete_without_permission"))


def test_checking_the_name_before_deleting_fails(bent_case, monkeypatch):
    """A host that validates the name first refuses the invalid name sent beside delete_alias=Y."""
    original = update_phone_alias.delete_alias

    def name_checked_first(call, user, alias):
        name = call.p["alias_name"]
        if name and not update_phone_alias.NAME_LENGTHS[0] <= len(name) <= update_phone_alias.NAME_LENGTHS[1]:
            return f"ERROR: update_phone_alias YOU MUST USE A VALID ALIAS NAME: |{user}|{name}\n"
        return original(call, user, alias)
    monkeypatch.setattr(update_phone_alias, "delete_alias", name_checked_first)
    assert failed_with_body(bent_case(UPDATE, "delete_before_the_name_check"))


def test_not_deleting_fails(embedded, monkeypatch):
    """A host answering DELETED (and logging it) that keeps the row fails on the row."""
    def logs_but_keeps(call, user, alias):
        update_phone_alias.log_admin_event(call, "PHONEALIASES", "DELETE", alias, "ADMIN API DELETE PHONE ALIAS",
                                           [f"DELETE FROM phones_alias where alias_id='{alias}'"], "")
        return f"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN DELETED - {user}|{alias}\n"
    monkeypatch.setattr(update_phone_alias, "delete_alias", logs_but_keeps)
    assert embedded(UPDATE, "delete_alias")["delete_alias"] == ["WrongRowCount"]


def test_storing_other_logins_fails(embedded, monkeypatch):
    original = update_phone_alias.stored
    monkeypatch.setattr(update_phone_alias, "stored",
                        lambda table, column, value: original(table, column, value)[::-1] if column == "logins_list"
                        else original(table, column, value))
    assert embedded(UPDATE, "rename_and_relist")["rename_and_relist"] == ["WrongEffect"]
