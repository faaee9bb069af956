"""copy_user: a reference host bent in one place (its handler module monkeypatched) fails the case of
its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest
from bends import bend_gate, failed_with_body

from conformance.host.non_agent import copy_user

FUNCTION = "copy_user"
LEVEL_REFUSED = copy_user.level_refused


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


@pytest.mark.parametrize("case", ["copy_with_ranks", "level8_copies_level1", "level8_copies_level8",
                                  "level8_copies_a_missing_source", "level9_copies_level9",
                                  "strict_level9_copies_level9", "strict_level9_copies_level8",
                                  "source_one_character", "without_modify_users", "without_agent_api_access",
                                  "group_not_viewable", "group_viewable", "existing_user_in_other_letter_case",
                                  "rank_rows_already_held", "group_checked_before_existing_user"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("copy_with_ranks or source_without_ranks or longer_than_the_columns "
                    "or rank_rows_already_held") == {}


@pytest.mark.parametrize("flag, case", [("modify_users", "without_modify_users"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items()
                                                   if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_copies_level1"))


def test_the_docs_two_character_source_fails(bent_case, monkeypatch):
    monkeypatch.setitem(copy_user.REQUIRED_MIN, "source_user", 2)
    assert failed_with_body(bent_case(FUNCTION, "source_one_character"))


@pytest.mark.parametrize("rule, failing, passing", [
    # a level-8 API user copying its own level
    (lambda api, same, level: level is not None and api < 9 and api < level, "level8_copies_level8",
     "level8_copies_level9"),
    # modify_same_user_level ignored
    (lambda api, same, level: level is not None and api < 9 and api <= level, "strict_level9_copies_level9",
     "level8_copies_level8"),
    # a missing source refused by the level rule (null read as a level above the API user's)
    (lambda api, same, level: LEVEL_REFUSED(api, same, 99 if level is None else level),
     "level8_copies_a_missing_source", "level8_copies_level7"),
])
def test_a_different_level_rule_fails(bent_case, monkeypatch, rule, failing, passing):
    monkeypatch.setattr(copy_user, "level_refused", rule)
    assert failed_with_body(bent_case(FUNCTION, failing))
    assert bent_case(FUNCTION, passing).status == "passed"


def test_ignoring_the_viewable_groups_fails(bent_case, monkeypatch):
    monkeypatch.setattr(copy_user, "group_visible", lambda call, group: bool(group))
    assert failed_with_body(bent_case(FUNCTION, "group_not_viewable"))
    assert bent_case(FUNCTION, "group_viewable").status == "passed"


def test_checking_the_new_user_before_the_group_fails(bent_case, monkeypatch):
    """A host that looks the new user up first finds it and answers ALREADY EXISTS."""
    original = copy_user.group_visible
    monkeypatch.setattr(copy_user, "group_visible",
                        lambda call, group: copy_user.user_exists(call, call.p["agent_user"]) or original(call, group))
    assert failed_with_body(bent_case(FUNCTION, "group_checked_before_existing_user"))


def test_comparing_the_new_user_with_letter_case_fails(bent_case, monkeypatch):
    """A host that minds letter case takes the source's name in capitals for a new user."""
    monkeypatch.setattr(copy_user, "user_exists", lambda call, agent: bool(call.db.value(
        "SELECT count(*) FROM vicidial_users WHERE user = ? COLLATE BINARY", agent)))
    result = bent_case(FUNCTION, "existing_user_in_other_letter_case")
    assert result.status == "failed" and "ALREADY EXISTS" not in str(result.exchange.body)


def test_copying_failed_logins_fails(embedded, monkeypatch):
    monkeypatch.setattr(copy_user, "COPIED", (*copy_user.COPIED, "failed_login_count"))
    assert embedded("copy_with_ranks")["copy_with_ranks"] == ["WrongEffect"]


def test_copying_the_campaign_grade_fails(embedded, monkeypatch):
    inbound, campaigns = copy_user.RANKS
    monkeypatch.setattr(copy_user, "RANKS", (inbound, (*campaigns[:2], (*campaigns[2], "campaign_grade"))))
    assert embedded("copy_with_ranks")["copy_with_ranks"] == ["WrongEffect"]


def test_leaving_the_in_group_ranks_behind_fails(embedded, monkeypatch):
    monkeypatch.setattr(copy_user, "RANKS", copy_user.RANKS[1:])
    failures = embedded("copy_with_ranks or rank_rows_already_held")
    assert "WrongRowCount" in failures["copy_with_ranks"] and "rank_rows_already_held" in failures


def test_logging_other_row_counts_fails(embedded, monkeypatch):
    original = copy_user.log_admin_event
    monkeypatch.setattr(copy_user, "log_admin_event",
                        lambda call, *args: original(call, *args[:-1], args[-1].replace("rows: 1,2,2", "rows: 1")))
    assert embedded("copy_with_ranks")["copy_with_ranks"] == ["WrongEffect"]


def test_not_cutting_to_the_columns_fails(embedded, monkeypatch):
    monkeypatch.setattr(copy_user, "stored", lambda table, column, value: value)
    assert set(embedded("longer_than_the_columns")) == {"longer_than_the_columns"}
