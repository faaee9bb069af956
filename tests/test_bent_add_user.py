"""add_user: a reference host bent in one place (its handler module monkeypatched) fails the case of
its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest
from bends import bend_gate, failed_with_body

from conformance.host.non_agent import add_user

FUNCTION = "add_user"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


@pytest.mark.parametrize("case", ["new_user", "level7_refused", "without_modify_users", "without_agent_api_access",
                                  "level8_adds_level7", "level8_adds_level8", "level9_adds_level9",
                                  "strict_level9_adds_level9", "strict_level9_adds_level8", "level_above_nine",
                                  "password_one_character", "user_one_character", "group_not_viewable",
                                  "group_viewable", "existing_user", "level_checked_before_group",
                                  "group_checked_before_existing_user"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("new_user or settings_as_sent or settings_outside_their_columns or email_plus_becomes_space "
                    "or email_quote_breaks_the_insert or email_doubled_quote or longer_than_the_columns "
                    "or level_above_nine") == {}


@pytest.mark.parametrize("flag, case", [("modify_users", "without_modify_users"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_adds_level7"))


def test_a_gate_taking_level_7_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">=", 7)})
    assert failed_with_body(bent_case(FUNCTION, "level7_refused"))


@pytest.mark.parametrize("name, least, case", [("agent_pass", 1, "password_one_character"),
                                               ("agent_user", 1, "user_one_character")])
def test_a_shorter_required_field_fails(bent_case, monkeypatch, name, least, case):
    monkeypatch.setitem(add_user.REQUIRED_MIN, name, least)
    assert failed_with_body(bent_case(FUNCTION, case))


@pytest.mark.parametrize("rule, failing, passing", [
    # a level-8 API user adding its own level
    (lambda api, same, level: level <= api, "level8_adds_level8", "level8_adds_level7"),
    # modify_same_user_level ignored
    (lambda api, same, level: api >= 9 or level < api, "strict_level9_adds_level9", "strict_level9_adds_level8"),
    # a level-9 API user's own level always refused
    (lambda api, same, level: level < api, "level9_adds_level9", "strict_level9_adds_level8"),
    # the docs' 1 through 9
    (lambda api, same, level: level <= 9 and (api >= 9 or level < api), "level_above_nine", "level9_adds_level9"),
])
def test_a_different_level_rule_fails(bent_case, monkeypatch, rule, failing, passing):
    monkeypatch.setattr(add_user, "level_allowed", rule)
    assert failed_with_body(bent_case(FUNCTION, failing))
    assert bent_case(FUNCTION, passing).status == "passed"


def test_ignoring_the_viewable_groups_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_user, "viewable_groups", lambda text: None)
    assert failed_with_body(bent_case(FUNCTION, "group_not_viewable"))
    assert bent_case(FUNCTION, "group_viewable").status == "passed"


def test_checking_the_user_before_the_group_fails(bent_case, monkeypatch):
    """A host that looks the user up first finds it and answers ALREADY EXISTS."""
    original = add_user.group_visible
    monkeypatch.setattr(add_user, "group_visible",
                        lambda call, group: add_user.user_exists(call, call.p["agent_user"]) or original(call, group))
    assert failed_with_body(bent_case(FUNCTION, "group_checked_before_existing_user"))


def test_adding_over_an_existing_user_fails(bent_case, monkeypatch):
    """A host that skips the lookup does not answer ALREADY EXISTS (its INSERT of the taken user then fails)."""
    original = add_user.user_exists
    looks = []

    def first_look_free(call, agent):
        looks.append(agent)
        return len(looks) > 1 and original(call, agent)
    monkeypatch.setattr(add_user, "user_exists", first_look_free)
    result = bent_case(FUNCTION, "existing_user")
    assert result.status == "failed" and "ALREADY EXISTS" not in str(result.exchange.body)


def test_not_logging_the_addition_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_user, "log_admin_event", lambda *args: None)
    assert "WrongRowCount" in embedded("new_user")["new_user"]


def test_logging_other_notes_fails(embedded, monkeypatch):
    original = add_user.log_admin_event
    monkeypatch.setattr(add_user, "log_admin_event", lambda call, *args: original(call, *args[:-1], ""))
    assert embedded("new_user")["new_user"] == ["WrongEffect"]


def test_other_defaults_fail(embedded, monkeypatch):
    monkeypatch.setitem(add_user.DEFAULTS, "wrapup_seconds_override", "0")
    assert embedded("new_user")["new_user"] == ["WrongEffect"]


def test_keeping_the_email_plus_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_user, "spaced", lambda email: email)
    assert embedded("email_plus_becomes_space")["email_plus_becomes_space"] == ["WrongEffect"]


def test_escaping_the_email_quote_fails(bent_case, embedded, monkeypatch):
    """A host that stores the email whatever its quotes answers where upstream dies, and keeps ''."""
    monkeypatch.setattr(add_user, "single_literal", lambda text: text[1:-1])
    result = bent_case(FUNCTION, "email_quote_breaks_the_insert")
    assert result.status == "failed" and "HAS BEEN ADDED" in str(result.exchange.body)
    assert embedded("email_doubled_quote")["email_doubled_quote"] == ["WrongEffect"]


def test_not_cutting_to_the_columns_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_user, "stored", lambda table, column, value: value)
    failures = embedded("longer_than_the_columns or level_above_nine or settings_outside_their_columns")
    assert set(failures) == {"longer_than_the_columns", "level_above_nine", "settings_outside_their_columns"}
