"""server_refresh's cases catch a reference host bent one way: each bend below is
conformance/host/non_agent/server_refresh.py (or its registration) monkeypatched, and the
named cases fail on the embedded host, effects read from its database."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.host import registry
from conformance.host.non_agent import server_refresh
from conformance.host.permission_gate import Gate

SPEC = "non_agent_api/server_refresh"
BODY = {"UnexpectedBody", "WrongField"}   # the answer's text differs (whole or by field)
SUCCESSES = {"refresh", "refresh_within_the_stage", "refresh_split_by_removed_characters", "level8_passes",
             "stage_charset_re_fresh_1", "stage_charset_ref_resh_2", "stage_charset_refresh_3"}


@pytest.fixture
def failures(embedded_failures):
    """failures() -> {case name: mismatch kinds} of server_refresh's failed cases."""
    return lambda expression="server_refresh": embedded_failures(SPEC, expression)


def rebind(monkeypatch, **changes) -> None:
    """Register server_refresh again with ``changes`` (its gate, handler or parameter filters)."""
    honest = registry.functions("non_agent_api")["server_refresh"]
    monkeypatch.setitem(registry._REGISTERED["non_agent_api"], "server_refresh",
                        dataclasses.replace(honest, **changes))


def test_the_honest_host_passes(failures):
    """Control: unpatched, every case passes, so each failure below is the bend's."""
    assert failures() == {}


def test_counting_every_server_instead_of_the_changed_ones_is_caught(failures, monkeypatch):
    """SQLite's and MySQL's found rows: the already-set harness server counted too (|2)."""
    monkeypatch.setattr(server_refresh, "SET_FLAG", "UPDATE servers SET rebuild_conf_files='Y'")
    found = failures()
    assert set(found) == SUCCESSES and all(BODY & set(kinds) for kinds in found.values())


def test_setting_no_server_is_caught(failures, monkeypatch):
    monkeypatch.setattr(server_refresh, "SET_FLAG", "UPDATE servers SET rebuild_conf_files='Y' WHERE 1=0")
    assert set(failures()) == SUCCESSES


def test_a_whole_word_stage_is_caught(failures, monkeypatch):
    """Only the stage with more around REFRESH tells (the filtered "RE FRESH" is the word)."""
    monkeypatch.setattr(server_refresh, "asks_refresh", lambda stage: stage == "REFRESH")
    assert set(failures()) == {"refresh_within_the_stage"}


def test_a_case_blind_stage_is_caught(failures, monkeypatch):
    """A lower-case refresh passing would also set the flag and log where nothing may be written."""
    monkeypatch.setattr(server_refresh, "asks_refresh", lambda stage: "REFRESH" in stage.upper())
    assert set(failures()) == {"lower_case_stage"}


def test_no_reload_stamp_is_caught(failures, monkeypatch):
    monkeypatch.setattr(server_refresh, "stamp_reload", lambda call: None)
    found = failures()
    assert set(found) == SUCCESSES and not any(BODY & set(kinds) for kinds in found.values())


def test_no_admin_log_row_is_caught(failures, monkeypatch):
    monkeypatch.setattr(server_refresh, "log_admin_event", lambda *args: None)
    assert set(failures()) == SUCCESSES


def test_a_flag_set_before_the_stage_check_is_caught(failures, monkeypatch):
    honest = registry.functions("non_agent_api")["server_refresh"].handler

    def eager(call):
        call.db.write(server_refresh.SET_FLAG)
        return honest(call)
    rebind(monkeypatch, handler=eager)
    found = failures()
    assert {"lower_case_stage", "no_stage", "no_stage_echoes_alias_fields"} <= set(found)
    assert not any(BODY & set(kinds) for name, kinds in found.items() if name not in SUCCESSES)


def test_a_gate_without_ast_admin_access_is_caught(failures, monkeypatch):
    rebind(monkeypatch, gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO REFRESH SERVERS: |{user}|{count}\n",
                                  level=(">=", 8), flags={"vdc_agent_api_access": ("1",)}))
    assert set(failures()) == {"without_ast_admin_access"}


def test_a_gate_above_level_8_is_caught(failures, monkeypatch):
    rebind(monkeypatch, gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO REFRESH SERVERS: |{user}|{count}\n",
                                  level=(">", 8), flags={"vdc_agent_api_access": ("1",), "ast_admin_access": ("1",)}))
    assert set(failures()) == {"level8_passes"}


def test_unfiltered_alias_fields_are_caught(failures, monkeypatch):
    honest = registry.functions("non_agent_api")["server_refresh"].handler

    def unfiltered(call):   # the refusal echoes alias_name as sent
        call.p = {**call.p, "alias_name": call.request.param("alias_name")}
        return honest(call)
    rebind(monkeypatch, handler=unfiltered)
    assert set(failures()) == {"no_stage_echoes_alias_fields"}
