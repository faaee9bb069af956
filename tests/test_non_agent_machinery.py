"""What every Non-Agent function builds on: the permission gate, the list restriction and the
csv/tab/pipe export, each held to upstream's rules and shown failing when bent."""

from __future__ import annotations

import pytest

from conformance.host.export import export
from conformance.host.http import HostRequest
from conformance.host.non_agent_api import NonAgentApi, NonAgentCall
from conformance.host.permission_gate import API_AND_REPORTS, LEAD_READERS, Gate
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import world_rows

REFUSAL = "ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET IT: |{user}|{count}|\n"


@pytest.fixture
def database(tmp_path, vicidial_world):
    db = SqliteDatabase(tmp_path / "gate.sqlite")
    db.replace_rows(world_rows(vicidial_world))
    yield db
    db.close()


def user(world, role):
    return world.api_users[role]["user"]


@pytest.mark.parametrize("role, level, passes", [
    ("api_level6_all", (">", 6), False), ("api_level7_all", (">", 6), True),
    ("api_level7_all", (">", 7), False), ("api_level8_all", (">", 7), True),
    ("api_level7_all", (">=", 8), False), ("api_level8_all", (">=", 8), True),
    ("api_level8_all", (">", 8), False), ("api_admin", (">", 8), True),
])
def test_the_level_boundary_is_upstreams_comparison(database, vicidial_world, role, level, passes):
    gate = Gate(REFUSAL, level=level)
    refusal = gate.refuse(database, "fn", user(vicidial_world, role))
    assert (refusal is None) == passes
    if not passes:
        assert refusal == f"ERROR: fn USER DOES NOT HAVE PERMISSION TO GET IT: |{user(vicidial_world, role)}|0|\n"


@pytest.mark.parametrize("role, flags", [
    ("api_all_no_reports", API_AND_REPORTS),
    ("api_all_no_api_access", API_AND_REPORTS),
    ("api_all_no_lists", {"vdc_agent_api_access": ("1",), "modify_lists": ("1",)}),
    ("api_all_no_users", {**API_AND_REPORTS, "modify_users": ("1",)}),
    ("api_all_no_leads", {"vdc_agent_api_access": ("1",), "modify_leads": LEAD_READERS}),
    ("api_all_leads6", {"vdc_agent_api_access": ("1",), "modify_leads": LEAD_READERS}),
])
def test_each_flag_switched_off_is_refused_and_api_admin_passes(database, vicidial_world, role, flags):
    gate = Gate(REFUSAL, level=(">", 6), flags=flags)
    assert gate.refuse(database, "fn", user(vicidial_world, role)) is not None
    assert gate.refuse(database, "fn", user(vicidial_world, "api_admin")) is None


def test_modify_leads_five_passes_readers_and_not_editors(database, vicidial_world):
    five = user(vicidial_world, "api_all_leads5")
    assert Gate(REFUSAL, (">", 7), {"modify_leads": LEAD_READERS}).refuse(database, "fn", five) is None
    assert Gate(REFUSAL, (">", 7), {"modify_leads": ("1", "2", "3", "4")}).refuse(database, "fn", five) is not None


def test_an_inactive_user_never_passes(database, vicidial_world):
    inactive = user(vicidial_world, "api_inactive")
    assert Gate(REFUSAL, (">", 0), {}).refuse(database, "fn", inactive) is not None


def test_a_gate_compares_only_as_upstream_does():
    with pytest.raises(ValueError, match="upstream compares"):
        Gate(REFUSAL, level=("<", 6))


def restricted_call(database, world, role):
    api = NonAgentApi(database)
    row = database.one("SELECT user_group FROM vicidial_users WHERE user=?", user(world, role))
    return NonAgentCall(api, {"user": user(world, role)}, " ALL_FUNCTIONS ", 0, user_group=row[0])


def test_the_list_restriction_keeps_the_groups_campaigns_lists(database, vicidial_world):
    call = restricted_call(database, vicidial_world, "api_list_restricted")
    assert call.restrict_lists() is None
    assert call.list_restricted and call.allowed_campaigns == ("", "VCERTA")
    assert call.allowed_lists == ("9990201",)   # 9990202 is VCERTL's


def test_all_campaigns_restrict_no_campaign_but_list_every_list(database, vicidial_world):
    database.write("UPDATE vicidial_user_groups SET allowed_campaigns=' -ALL-CAMPAIGNS- - -'")
    call = restricted_call(database, vicidial_world, "api_list_restricted")
    assert call.restrict_lists() is None
    assert call.allowed_campaigns is None and call.allowed_lists == ("9990201", "9990202", "9990203")


def test_a_restricted_user_whose_group_has_no_row_is_refused(database, vicidial_world):
    call = restricted_call(database, vicidial_world, "api_list_restricted_no_group")
    assert call.restrict_lists() == f"ERROR: user_group DOES NOT EXIST: |{call.p['user']}|VCERTNOGRP|\n"


def test_the_preamble_restricts_only_functions_declared_so(database, vicidial_world):
    """agent_stats_export is no list-restricted function: the group without a row does not matter."""
    account = vicidial_world.api_users["api_list_restricted_no_group"]
    answer = NonAgentApi(database)(HostRequest("GET", "/vicidial/non_agent_api.php", {
        "source": "test", "user": account["user"], "pass": account["pass"], "function": "agent_stats_export",
        "datetime_start": "2000-06-01 00:00:00", "datetime_end": "2000-06-01 23:59:59"}, {})).body
    assert "DOES NOT EXIST" not in answer and answer.startswith(vicidial_world.api_users["api_admin"]["user"][:4])


@pytest.mark.parametrize("stage, header, expected", [
    ("csv", "YES", "a,b\n1,\n"), ("tab", "NO", "1\t\n"), ("pipe", "", "1|\n"), ("xml", "YES", "a|b\n1|\n"),
    ("csv", "yes", "1,\n"),
])
def test_the_export_is_upstreams_delimiter_header_and_line_ends(stage, header, expected):
    assert export(stage, header, ("a", "b"), [(1, None)]) == expected


def test_an_export_of_no_rows_is_only_its_header():
    assert export("csv", "YES", ("a",), []) == "a\n"
    assert export("csv", "NO", ("a",), []) == ""
