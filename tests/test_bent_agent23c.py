"""change_ingroups: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place.

A bend the answer shows runs through ``bent_case`` (declared mode, no database read); a bend only
the stored rows show runs the case on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest

from conformance.host.agent import change_ingroups

SPEC = "agent_api/change_ingroups"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case) -> {case name: mismatch kinds} of the failed change_ingroups cases, effects read."""
    return lambda case: embedded_failures("agent_api/change_ingroups", case)


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", [
    "docs_example_change", "docs_example_add", "docs_example_remove", "first_piece_not_checked",
    "api_user_may_not_change", "campaign_without_inbound",
])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(SPEC, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("docs_example_change or docs_example_add or group_names_any_case") == {}


def test_add_that_drops_the_agents_groups_fails(bent_case, monkeypatch):
    monkeypatch.setattr(change_ingroups, "added", lambda current, choices: choices)
    assert failed(bent_case(SPEC, "docs_example_add")) == ["WrongField"]


def test_remove_that_removes_nothing_fails(bent_case, monkeypatch):
    monkeypatch.setattr(change_ingroups, "removed", lambda current, choices: current)
    assert failed(bent_case(SPEC, "docs_example_remove")) == ["WrongField"]


def test_new_rows_with_the_columns_default_grade_fail_on_their_effects(embedded, monkeypatch):
    """The answer is right; only the row an in-group without settings gets is wrong (grade 1, the
    column's default, where upstream writes 0)."""
    monkeypatch.setattr(change_ingroups, "NO_SETTINGS", (0, 0, 1, 0, -1))
    assert embedded("docs_example_add") == {"docs_example_add": ["WrongEffect"]}


def test_a_host_that_deletes_without_regard_to_case_fails(embedded, monkeypatch):
    """Cutting the chosen in-groups out of the former list without regard to case keeps the
    VCERTIN2 row that upstream deletes again."""
    def any_case(call, agent_user, choices, current):
        return live(call, agent_user, choices.upper(), current)
    live = change_ingroups._live_ingroups
    monkeypatch.setattr(change_ingroups, "_live_ingroups", any_case)
    assert embedded("group_names_any_case") == {"group_names_any_case": ["WrongRowCount"]}


def test_a_host_that_checks_the_first_piece_too_fails(bent_case, monkeypatch):
    monkeypatch.setattr(change_ingroups, "groups_of",
                        lambda text: [group for group in change_ingroups.listed(text) if len(group) > 1])
    assert "UnexpectedBody" in failed(bent_case(SPEC, "first_piece_not_checked"))


def test_a_host_without_the_campaign_and_user_checks_fails(bent_case, monkeypatch):
    monkeypatch.setattr(change_ingroups, "_may_change", lambda call, user, agent_user, blended: True)
    assert "UnexpectedBody" in failed(bent_case(SPEC, "api_user_may_not_change"))
    assert "UnexpectedBody" in failed(bent_case(SPEC, "campaign_without_inbound"))
    assert "UnexpectedBody" in failed(bent_case(SPEC, "blended_in_manual_campaign"))


def test_defaults_announced_but_not_written_fail_on_their_effects(embedded, monkeypatch):
    monkeypatch.setattr(change_ingroups, "_set_default", lambda *args: None)
    assert set(embedded("docs_example_change")["docs_example_change"]) == {"WrongEffect", "WrongRowCount"}
