"""user_details, campaigns_list, agent_campaigns, agent_ingroup_info: a reference host bent in one
place (its handler module monkeypatched) fails the case of its spec that guards that place."""

from __future__ import annotations

import pytest

from conformance.host import permission_gate
from conformance.host.non_agent import agent_campaigns, agent_ingroup_info, campaigns_list, user_details


@pytest.fixture
def bent(bent_case):
    """bent(function, case) -> CaseResult against the reference host as the test has bent it."""
    return bent_case


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("function,case", [
    ("user_details", "default_pipe"), ("user_details", "viewer_does_not_see_other_groups"),
    ("campaigns_list", "viewer_default"), ("campaigns_list", "campaign_outside_the_group"),
    ("agent_campaigns", "docs_example"), ("agent_campaigns", "viewer_does_not_see_other_groups"),
    ("agent_ingroup_info", "change_form_unspaced_closers"), ("agent_ingroup_info", "queuemetrics_needs_no_permission"),
])
def test_the_unbent_host_passes(bent, function, case):
    """Control: each failure below is the bend's."""
    assert bent(function, case).status == "passed"


def test_user_details_with_the_wrong_delimiter_fails(bent, monkeypatch):
    from conformance.host.export import export
    monkeypatch.setattr(user_details, "export", lambda stage, header, columns, rows: export("csv", header, columns, rows))
    assert "UnexpectedBody" in failed(bent("user_details", "default_pipe")) + \
        failed(bent("user_details", "tab_with_header"))


def test_user_details_that_ignores_the_viewable_groups_fails(bent, monkeypatch):
    monkeypatch.setattr(user_details, "viewable_groups", lambda text: None)
    assert failed(bent("user_details", "viewer_does_not_see_other_groups"))
    assert bent("user_details", "viewer_sees_its_viewable_group").status == "passed"


def test_user_details_with_a_wrong_header_fails(bent, monkeypatch):
    monkeypatch.setattr(user_details, "HEADER", ("user", "full_name", "user_group", "level", "active"))
    assert failed(bent("user_details", "docs_example"))


def test_user_details_without_its_gate_fails(bent, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent("user_details", "without_view_reports"))


def test_campaigns_list_that_ignores_the_allowed_campaigns_fails(bent, monkeypatch):
    monkeypatch.setattr(campaigns_list, "allowed_campaigns", lambda text: None)
    assert failed(bent("campaigns_list", "campaign_outside_the_group"))
    assert failed(bent("campaigns_list", "group_without_row_allows_nothing"))


def test_campaigns_list_in_the_order_of_allowed_campaigns_fails(bent, monkeypatch):
    """The group allows " VCERTL VCERTA -"; upstream's MySQL reads them in key order."""
    original = campaigns_list.export
    monkeypatch.setattr(campaigns_list, "export",
                        lambda stage, header, columns, rows: original(stage, header, columns, rows[::-1]))
    assert "WrongField" in failed(bent("campaigns_list", "viewer_default"))


def test_campaigns_list_with_raw_dial_statuses_fails(bent, monkeypatch):
    monkeypatch.setattr(campaigns_list, "dial_statuses", lambda text: text)
    assert failed(bent("campaigns_list", "one_campaign_pipe"))


def test_campaigns_list_at_level_7_fails(bent, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent("campaigns_list", "level_7_is_refused"))


def test_agent_campaigns_that_ignores_the_viewable_groups_fails(bent, monkeypatch):
    monkeypatch.setattr(agent_campaigns, "viewable_groups", lambda text: None)
    assert failed(bent("agent_campaigns", "viewer_does_not_see_other_groups"))


def test_agent_campaigns_with_inactive_or_missing_ingroups_fails(bent, monkeypatch):
    monkeypatch.setattr(agent_campaigns, "active_ingroups", lambda call, names: sorted(set(names)))
    assert "WrongField" in failed(bent("agent_campaigns", "docs_example"))


def test_agent_campaigns_with_the_api_users_group_instead_of_the_agents_fails(bent, monkeypatch):
    """The campaigns come from the agent's group; the API user's (ADMIN, no row here) allows none."""
    original = agent_campaigns.group_texts
    monkeypatch.setattr(agent_campaigns, "group_texts", lambda db, group: original(db, "ADMIN"))
    assert failed(bent("agent_campaigns", "docs_example"))


def test_agent_campaigns_without_its_gate_fails(bent, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent("agent_campaigns", "without_modify_users"))


def test_agent_ingroup_info_marking_the_first_in_group_fails(bent, monkeypatch):
    """Upstream never marks the first name of a closer list that lacks its leading space."""
    monkeypatch.setattr(agent_ingroup_info, "picked_positions",
                        lambda groups, chosen: {k for k, group in enumerate(groups) if group and group in chosen})
    assert failed(bent("agent_ingroup_info", "change_form_unspaced_closers")) == ["UnexpectedBody"]
    assert failed(bent("agent_ingroup_info", "info_unspaced_closers")) == ["UnexpectedBody"]


def test_agent_ingroup_info_without_group_names_fails(bent, monkeypatch):
    monkeypatch.setattr(agent_ingroup_info, "_group_name", lambda call, group: "")
    assert failed(bent("agent_ingroup_info", "change_form"))


def test_agent_ingroup_info_that_ignores_the_viewable_groups_fails(bent, monkeypatch):
    monkeypatch.setattr(agent_ingroup_info, "viewable_groups", lambda text: None)
    assert failed(bent("agent_ingroup_info", "viewer_does_not_see_other_groups"))


def test_agent_ingroup_info_with_the_reports_gate_fails(bent, monkeypatch):
    """A gate like its neighbours' (view reports, level 8) refuses what upstream lets through."""
    monkeypatch.setattr(agent_ingroup_info, "GATE", permission_gate.Gate(agent_ingroup_info.GATE.refusal,
                                                                         level=(">", 7)))
    assert failed(bent("agent_ingroup_info", "level_7_is_enough"))
    assert failed(bent("agent_ingroup_info", "view_reports_not_needed"))
