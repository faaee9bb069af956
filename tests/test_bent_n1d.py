"""The real-time functions' checks catch a reference host bent one way: each bend below is a
handler of conformance/host/non_agent/ monkeypatched, and the named case fails."""

from __future__ import annotations

import pytest
from bends import failed_with_body


@pytest.fixture
def run(bent_case):
    """run(function, case) -> CaseResult against the reference host as the test has bent it."""
    return bent_case


@pytest.mark.parametrize("function, case", [
    ("agent_status", "dead"), ("agent_status", "docs_example"), ("agent_status", "group_not_viewable"),
    ("logged_in_agents", "every_sub_status"), ("logged_in_agents", "restricted_group_other_campaign"),
    ("user_group_status", "one_group"), ("user_group_status", "restricted_group"),
    ("user_group_status", "chat_agent_ends_the_script"),
    ("in_group_status", "docs_example"), ("in_group_status", "restricted_group_other_in_group"),
])
def test_the_honest_host_passes(run, function, case):
    """Control: unpatched, the same cases pass, so each failure below is the bend's."""
    assert run(function, case).status == "passed"


def test_agent_status_that_never_sees_a_dead_call_is_caught(run, monkeypatch):
    from conformance.host.non_agent import agent_status
    honest = agent_status.screen_status

    def no_dead(db, agent, creator):
        pause_code, status, lead_id = honest(db, agent, creator)
        return pause_code, "" if status == "DEAD" else status, lead_id
    monkeypatch.setattr(agent_status, "screen_status", no_dead)
    assert failed_with_body(run("agent_status", "dead"))
    assert failed_with_body(run("agent_status", "chat_customer_left"))
    assert run("agent_status", "parked").status == "passed"


def test_agent_status_taking_the_newest_login_ip_is_caught(run, monkeypatch):
    """A host that ignores 'older than two days' prints the 2099 login's IP."""
    from conformance.host.non_agent import agent_status

    def newest(call, agent_user, separator):
        row = call.db.one("SELECT computer_ip FROM vicidial_user_log WHERE user=? AND event='LOGIN' "
                          "ORDER BY event_date DESC LIMIT 1", agent_user)
        return separator + row[0]
    monkeypatch.setattr(agent_status, "_computer_ip", newest)
    result = run("agent_status", "docs_example")
    assert failed_with_body(result) and "192.0.2.104" in str(result.exchange.body)


def test_agent_status_ignoring_the_viewable_groups_is_caught(run, monkeypatch):
    from conformance.host.non_agent import agent_status
    from conformance.host.realtime import GroupScope
    monkeypatch.setattr(agent_status.GroupScope, "of", classmethod(lambda cls, db, group: GroupScope(None, None)))
    result = run("agent_status", "group_not_viewable")
    assert failed_with_body(result) and "Otto Other" in str(result.exchange.body)


def test_logged_in_agents_in_another_order_still_passes_and_a_missing_line_is_caught(run, monkeypatch):
    """Upstream reads with no ORDER BY: any order of the same lines passes, one line less fails."""
    from conformance.host.non_agent import logged_in_agents
    honest = logged_in_agents.export
    monkeypatch.setattr(logged_in_agents, "export",
                        lambda stage, header, columns, rows: honest(stage, header, columns, rows[::-1]))
    assert run("logged_in_agents", "every_sub_status").status == "passed"
    monkeypatch.setattr(logged_in_agents, "export",
                        lambda stage, header, columns, rows: honest(stage, header, columns, rows[1:]))
    assert failed_with_body(run("logged_in_agents", "every_sub_status"))


def test_logged_in_agents_with_the_wrong_sub_status_is_caught(run, monkeypatch):
    from conformance.host.non_agent import logged_in_agents
    honest = logged_in_agents.screen_status

    def park_is_dead(db, agent, creator):
        pause_code, status, lead_id = honest(db, agent, creator)
        return pause_code, "DEAD" if status == "PARK" else status, lead_id
    monkeypatch.setattr(logged_in_agents, "screen_status", park_is_dead)
    assert failed_with_body(run("logged_in_agents", "every_sub_status"))


def test_logged_in_agents_ignoring_the_allowed_campaigns_is_caught(run, monkeypatch):
    from conformance.host.non_agent import logged_in_agents
    from conformance.host.realtime import GroupScope
    honest = GroupScope.of
    monkeypatch.setattr(logged_in_agents.GroupScope, "of",
                        classmethod(lambda cls, db, group: GroupScope(honest(db, group).viewable_groups, None)))
    result = run("logged_in_agents", "restricted_group_other_campaign")
    assert failed_with_body(result) and "Dale Dial" in str(result.exchange.body)


def test_user_group_status_looking_up_each_caller_id_is_caught(run, monkeypatch):
    """agent_status's exact caller-id lookup is not user_group_status's regex over the visible calls:
    the agent without a caller id turns DEAD, and a restricted group's manual dials are seen."""
    from conformance.host.non_agent import user_group_status

    def exact(pattern, text):   # the pattern is the caller id and \|
        callerid = pattern[:-2]
        return bool(callerid) and callerid in text.split("|")
    monkeypatch.setattr(user_group_status, "_php_search", exact)
    assert failed_with_body(run("user_group_status", "one_group"))


def test_user_group_status_surviving_a_chat_agent_is_caught(run, monkeypatch):
    from conformance.host.non_agent import user_group_status
    monkeypatch.setattr(user_group_status, "PhpFatal", ValueError)
    honest = user_group_status._state

    def no_fatal(*args):
        try:
            return honest(*args)
        except ValueError:
            return "INCALL"
    monkeypatch.setattr(user_group_status, "_state", no_fatal)
    result = run("user_group_status", "chat_agent_ends_the_script")
    assert result.status == "failed" and "WrongStatus" in {m.kind for m in result.reference.mismatches}


def test_user_group_status_counting_calls_the_api_group_may_not_see_is_caught(run, monkeypatch):
    from conformance.host.realtime import GroupScope
    monkeypatch.setattr(GroupScope, "call_campaigns", lambda self, db: None)
    result = run("user_group_status", "restricted_group")
    assert failed_with_body(result) and str(result.exchange.body).startswith("b'VCERTRT|5|")


def test_in_group_status_ignoring_the_stage_is_caught(run, monkeypatch):
    from conformance.host.non_agent import in_group_status
    monkeypatch.setattr(in_group_status, "delimiter", lambda stage: "|")
    result = run("in_group_status", "docs_example")
    assert failed_with_body(result) and "VCERTRIN1 VCERTRIN2|3|2|8|" in str(result.exchange.body)


def test_in_group_status_without_dispo_is_caught(run, monkeypatch):
    from conformance.host.non_agent import in_group_status
    monkeypatch.setattr(in_group_status, "number", lambda value: 0)
    assert failed_with_body(run("in_group_status", "one_in_group"))


def test_in_group_status_counting_calls_the_api_group_may_not_see_is_caught(run, monkeypatch):
    from conformance.host.realtime import GroupScope
    monkeypatch.setattr(GroupScope, "call_campaigns", lambda self, db: None)
    result = run("in_group_status", "restricted_group_other_in_group")
    assert failed_with_body(result) and str(result.exchange.body).startswith("b'VCERTRIN2|1|1|")
