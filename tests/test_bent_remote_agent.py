"""update_remote_agent: a reference host bent in one place (its handler module monkeypatched) fails
the case of its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import re

import pytest
from bends import bend_gate, failed_with_body

from conformance.host.non_agent import update_remote_agent
from conformance.tables.database import Database

FUNCTION = "update_remote_agent"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


@pytest.mark.parametrize("case", ["docs_first_example", "without_modify_remoteagents", "without_agent_api_access",
                                  "level8_passes", "agent_user_length_1", "agent_user_length_21", "zero_lines",
                                  "lines_1000", "status_enum_active_2", "status_holding_active", "already_active",
                                  "level8_on_a_level8_agent", "strict_level8_on_a_level8_agent",
                                  "agent_outside_the_viewable_groups", "campaign_outside_the_group"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("docs_first_example or lines_999_kept_as_255 or every_entry_of_the_user") == {}


@pytest.mark.parametrize("flag, case", [("modify_remoteagents", "without_modify_remoteagents"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_passes"))


@pytest.mark.parametrize("bounds, case", [((1, 20), "agent_user_length_1"), ((2, 21), "agent_user_length_21")])
def test_other_agent_user_lengths_fail(bent_case, monkeypatch, bounds, case):
    monkeypatch.setattr(update_remote_agent, "AGENT_USER_LENGTH", bounds)
    assert failed_with_body(bent_case(FUNCTION, case))


@pytest.mark.parametrize("bounds, case", [((0, 999), "zero_lines"), ((1, 1000), "lines_1000")])
def test_other_line_bounds_fail(bent_case, monkeypatch, bounds, case):
    monkeypatch.setattr(update_remote_agent, "LINES", bounds)
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_status_in_any_letter_case_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_remote_agent, "STATUS", re.compile("ACTIVE|INACTIVE", re.IGNORECASE))
    assert failed_with_body(bent_case(FUNCTION, "status_enum_active_2"))


def test_a_status_that_must_be_whole_fails(bent_case, monkeypatch):
    """The docs' rule (ACTIVE or INACTIVE only) refuses what the code takes."""
    monkeypatch.setattr(update_remote_agent, "STATUS", re.compile("^(ACTIVE|INACTIVE)$"))
    assert failed_with_body(bent_case(FUNCTION, "status_holding_active"))


def test_setting_a_status_already_set_fails(bent_case, monkeypatch):
    """A host that skips the NOTICE's lookup answers SUCCESS for a status the entry has."""
    original = update_remote_agent.entries
    monkeypatch.setattr(update_remote_agent, "entries",
                        lambda call, agent, status=None: original(call, agent) if status is None else 0)
    result = bent_case(FUNCTION, "already_active")
    assert failed_with_body(result) and "HAS BEEN UPDATED" in str(result.exchange.body)


@pytest.mark.parametrize("comparison, case", [("<=", "strict_level8_on_a_level8_agent"), ("<", "level8_on_a_level8_agent")])
def test_one_level_comparison_for_every_api_user_fails(bent_case, monkeypatch, comparison, case):
    original = update_remote_agent.level_rule
    monkeypatch.setattr(update_remote_agent, "level_rule", lambda call: (comparison, original(call)[1]))
    assert failed_with_body(bent_case(FUNCTION, case))


def test_ignoring_the_viewable_groups_fails(bent_case, monkeypatch):
    original = update_remote_agent.agent_allowed
    monkeypatch.setattr(update_remote_agent, "agent_allowed",
                        lambda call, agent, comparison, level, groups: original(call, agent, comparison, level, None))
    assert failed_with_body(bent_case(FUNCTION, "agent_outside_the_viewable_groups"))


def test_ignoring_the_allowed_campaigns_fails(bent_case, monkeypatch):
    original = update_remote_agent.campaign_count
    monkeypatch.setattr(update_remote_agent, "campaign_count", lambda call, campaign, allowed: original(call, campaign, None))
    assert failed_with_body(bent_case(FUNCTION, "campaign_outside_the_group"))


def test_not_logging_the_change_fails(embedded, monkeypatch):
    monkeypatch.setattr(update_remote_agent, "log_admin_event", lambda *args: None)
    assert "WrongRowCount" in embedded("docs_first_example")["docs_first_example"]


def test_logging_in_another_section_fails(embedded, monkeypatch):
    original = update_remote_agent.log_admin_event
    monkeypatch.setattr(update_remote_agent, "log_admin_event",
                        lambda call, section, *args: original(call, "REMOTEAGENT", *args))
    assert "WrongRowCount" in embedded("docs_first_example")["docs_first_example"]


def test_storing_lines_beyond_the_column_fails(embedded, monkeypatch):
    """A host that stores 999 in the TINYINT UNSIGNED column (MySQL keeps 255) fails on the row."""
    monkeypatch.setattr(update_remote_agent, "stored", lambda table, column, value: value)
    assert embedded("lines_999_kept_as_255")["lines_999_kept_as_255"] == ["WrongEffect"]


def test_changing_one_entry_of_the_user_fails(embedded, monkeypatch):
    """A host that changes only the user's first entry fails on the count of changed entries."""
    write = Database.write

    def first_only(self, sql, *params):
        if sql.startswith("UPDATE vicidial_remote_agents"):
            sql += " AND remote_agent_id = (SELECT min(remote_agent_id) FROM vicidial_remote_agents WHERE user_start = ?)"
            params = (*params, params[-1])
        return write(self, sql, *params)
    monkeypatch.setattr(Database, "write", first_only)
    assert "WrongRowCount" in embedded("every_entry_of_the_user")["every_entry_of_the_user"]
