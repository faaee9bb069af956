"""ra_call_control: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place, in its answer or in the rows it leaves (the Asterisk
action queued in vicidial_manager above all: a host that says SUCCESS and sends nothing is caught)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from conformance.bundle import SPECS_DIR
from conformance.host import registry
from conformance.host.agent import ra_call_control

SPEC = SPECS_DIR / "agent_api" / "ra_call_control.yaml"
CASE = "agent_api::ra_call_control::{}".format


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", ["docs_example_default_ingroup", "default_ingroup_of_campaign", "ingroup_inactive",
                                  "docs_example_stage_not_valid", "stage_enum_hangup_2", "ingroup_plus_is_a_space"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each answer bend below is the bend's."""
    assert bent_case("agent_api/ra_call_control", case).status == "passed"


def test_ra_call_control_that_takes_defaultingroup_as_an_in_group_fails(bent_case, monkeypatch):
    real = ra_call_control._text
    # the in-group lookup of DEFAULTINGROUP finds nothing: the request's word stays
    monkeypatch.setattr(ra_call_control, "_text", lambda value: "DEFAULTINGROUP" if value == "VCERTIN2" else real(value))
    assert failed(bent_case("agent_api/ra_call_control", "docs_example_default_ingroup"))


def test_ra_call_control_that_takes_any_stage_case_fails(bent_case, monkeypatch):
    known = registry.functions("agent_api")["ra_call_control"]

    def loose(call):
        call.stage = call.stage.upper()
        known.handler(call)
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "ra_call_control", replace(known, handler=loose))
    assert failed(bent_case("agent_api/ra_call_control", "stage_enum_hangup_2"))   # stage=hangup


def test_ra_call_control_that_drops_a_plus_from_the_in_group_fails(bent_case, monkeypatch):
    monkeypatch.setattr(ra_call_control, "ingroup_choices", lambda call: call.p["ingroup_choices"].replace("+", ""))
    assert failed(bent_case("agent_api/ra_call_control", "ingroup_plus_is_a_space"))


# -- the full plugin run on the embedded host, in process: it reads the rows each case leaves ---------

def _run(pytester, tmp_path, expression: str) -> dict[str, list[str]]:
    pytester.runpytest_inprocess(str(SPEC), "-p", "no:cacheprovider", "-k", expression,
                                 "--vicidial-report-dir", str(tmp_path))
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["cases"], "the cases ran"
    return {case["id"]: [m["kind"] for m in case["reference"]["mismatches"]]
            for case in report["cases"] if case["status"] == "failed"}


class DropsWrites:
    """A database that drops every write naming ``table``."""

    def __init__(self, db, table: str):
        self.db, self.table = db, table

    def write(self, sql, *params):
        return 0 if self.table in sql else self.db.write(sql, *params)

    def __getattr__(self, name):
        return getattr(self.db, name)


def _bend_database(monkeypatch, table: str) -> None:
    known = registry.functions("agent_api")["ra_call_control"]

    def forgetful(call):
        call.db = DropsWrites(call.db, table)
        known.handler(call)
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "ra_call_control", replace(known, handler=forgetful))


SELECTION = "hangup_default_status or extension_transfer or ingroup_transfer or hangup_inbound or ingroup_inactive"


def test_the_unbent_embedded_host_leaves_what_the_cases_state(pytester, tmp_path):
    """Control for the row bends below."""
    assert _run(pytester, tmp_path, SELECTION) == {}


def test_ra_call_control_that_says_success_and_sends_nothing_to_asterisk_is_caught(pytester, tmp_path, monkeypatch):
    _bend_database(monkeypatch, "vicidial_manager")
    failed_cases = _run(pytester, tmp_path, SELECTION)
    assert set(failed_cases) == {CASE("hangup_default_status"), CASE("extension_transfer"),
                                 CASE("extension_transfer_filtered_number"), CASE("ingroup_transfer"),
                                 CASE("ingroup_transfer_padded_trailing"), CASE("ingroup_transfer_mixed_case"),
                                 CASE("hangup_inbound")}
    assert all(kinds == ["WrongRowCount"] for kinds in failed_cases.values())   # the answers were right


def test_ra_call_control_that_keeps_the_call_is_caught(pytester, tmp_path, monkeypatch):
    _bend_database(monkeypatch, "DELETE FROM vicidial_auto_calls")
    failed_cases = _run(pytester, tmp_path, "hangup_default_status or ingroup_transfer")
    assert failed_cases == {CASE("hangup_default_status"): ["WrongRowCount"],
                            CASE("ingroup_transfer"): ["WrongRowCount"],
                            CASE("ingroup_transfer_padded_trailing"): ["WrongRowCount"],
                            CASE("ingroup_transfer_mixed_case"): ["WrongRowCount"]}


def test_ra_call_control_that_hangs_up_under_the_call_s_own_caller_id_is_caught(pytester, tmp_path, monkeypatch):
    """The action's caller id must be the value with HAPI in place of its first four characters."""
    real = ra_call_control._action

    def unmarked(call, *args):
        found = real(call, *args)
        return found and (found[0], found[1], call.p["value"], *found[3:])
    monkeypatch.setattr(ra_call_control, "_action", unmarked)
    failed_cases = _run(pytester, tmp_path, "hangup_default_status")
    assert failed_cases == {CASE("hangup_default_status"): ["WrongEffect"]}


def test_ra_call_control_that_closes_every_call_in_vicidial_log_is_caught(pytester, tmp_path, monkeypatch):
    real = ra_call_control._close_call
    monkeypatch.setattr(ra_call_control, "_close_call",
                        lambda call, call_type, *args: real(call, "OUT", *args))
    failed_cases = _run(pytester, tmp_path, "hangup_inbound or hangup_default_status")
    assert set(failed_cases) == {CASE("hangup_inbound")}
    assert "WrongEffect" in failed_cases[CASE("hangup_inbound")]


def test_ra_call_control_that_frees_agent_user_instead_of_the_agent_on_the_call_is_caught(pytester, tmp_path,
                                                                                        monkeypatch):
    real = ra_call_control._free_agent
    monkeypatch.setattr(ra_call_control, "_free_agent",
                        lambda call, ra_user, ra_server_ip: real(call, call.p["agent_user"], ra_server_ip))
    # every case's agent_user (ra_ring) is on no call, so each hang-up that frees an agent shows it
    failed_cases = _run(pytester, tmp_path, "another_agent_names_the_call or hangup_default_status")
    assert set(failed_cases) == {CASE("another_agent_names_the_call"), CASE("hangup_default_status")}


def test_manager_actions_are_the_harness_rows_by_their_server():
    """A Hangup or Redirect of a harness call, call_agent's Originate of a harness session, an
    audio_playback action or force_fronter_audio_stop's Hangup (caller ids made of the clock) names
    a harness server (TEST-NET-1, 192.0.2.x), so the reset and the cleanup remove exactly those, and
    no other action."""
    from conformance.sql_fixture import namespace_predicates
    assert namespace_predicates("qa7")["vicidial_manager"] == (
        "(`server_ip` LIKE '192.0.2.%' AND `server_ip` LIKE BINARY '192.0.2.%')")
