"""st_login_log, st_get_agent_active_lead, webphone_url, calls_in_queue_count: a reference host
bent in one place (its handler module monkeypatched) fails the case of its spec that guards that place."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from conformance.bundle import SPECS_DIR
from conformance.host.agent import calls_in_queue_count, st_get_agent_active_lead, st_login_log, webphone_url


@pytest.fixture
def bent(bent_case):
    """bent(function, case) -> CaseResult against the reference host as the test has bent it."""
    return lambda function, case: bent_case(f"agent_api/{function}", case)


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


def _last_crm_user(call):
    """The CRM id's user, but the last by user instead of the first."""
    rows = call.db.all("SELECT user FROM vicidial_users WHERE custom_three=? ORDER BY user DESC", call.p["value"])
    if not rows:
        call.say(f"ERROR: no user found - {call.p['value']}\n")
        return None
    return str(rows[0][0])


@pytest.mark.parametrize("function,case", [
    ("st_login_log", "crm_agent_found"), ("st_login_log", "shared_crm_id_first_user"),
    ("st_login_log", "vendor_id_quote_breaks_statement"),
    ("st_get_agent_active_lead", "agent_on_lead"), ("st_get_agent_active_lead", "shared_crm_id_first_user"),
    ("webphone_url", "url_of_five_bytes_is_empty"), ("webphone_url", "url_of_six_bytes_counts"),
    ("webphone_url", "launch"),
    ("calls_in_queue_count", "campaign_and_in_groups"), ("calls_in_queue_count", "agentdirect_call_for_the_agent"),
    ("calls_in_queue_count", "agentdirect_call_for_another_agent"),
])
def test_the_unbent_host_passes(bent, function, case):
    """Control: each failure below is the bend's."""
    assert bent(function, case).status == "passed"


@pytest.mark.slow   # a whole pytest run in process, about 10 s
def test_st_login_log_that_stores_no_team_id_fails(pytester, tmp_path, monkeypatch):
    """Effects are read by the plugin's run: the answer is right, custom_four stays empty."""
    monkeypatch.setattr(st_login_log, "fit", lambda table, column, value: "")
    pytester.runpytest_inprocess(str(SPECS_DIR / "agent_api" / "st_login_log.yaml"), "-p", "no:cacheprovider",
                                 "-k", "crm_agent_found or vendor_id_marks_removed or both_missing",
                                 "--vicidial-report-dir", str(tmp_path))
    report = json.loads((tmp_path / "report.json").read_text())
    failed = {case["id"]: [m["kind"] for m in case["reference"]["mismatches"]]
              for case in report["cases"] if case["status"] == "failed"}
    assert failed == {"agent_api::st_login_log::crm_agent_found": ["WrongEffect"],
                      "agent_api::st_login_log::vendor_id_marks_removed": ["WrongEffect"]}


def test_st_login_log_that_takes_the_last_user_fails(bent, monkeypatch):
    monkeypatch.setattr(st_login_log, "crm_user", _last_crm_user)
    assert failed(bent("st_login_log", "shared_crm_id_first_user"))


def test_st_login_log_that_escapes_a_quote_fails(bent, monkeypatch):
    """Upstream pastes vendor_id unescaped, so a quote breaks the statement (HTTP 500)."""
    monkeypatch.setattr(st_login_log, "single_literal", lambda text: text[1:-1])
    assert failed(bent("st_login_log", "vendor_id_quote_breaks_statement"))


def test_st_get_agent_active_lead_with_fields_swapped_fails(bent, monkeypatch):
    monkeypatch.setattr(st_get_agent_active_lead, "_LEAD_FIELDS",
                        ("phone_number", "vendor_lead_code", "security_phrase", "province", "source_id"))
    assert failed(bent("st_get_agent_active_lead", "agent_on_lead"))


def test_st_get_agent_active_lead_that_takes_the_last_user_fails(bent, monkeypatch):
    monkeypatch.setattr(st_get_agent_active_lead, "crm_user", _last_crm_user)
    assert failed(bent("st_get_agent_active_lead", "shared_crm_id_first_user"))


@pytest.mark.parametrize("minimum,case", [(4, "url_of_five_bytes_is_empty"), (6, "url_of_six_bytes_counts")])
def test_webphone_url_with_another_minimum_length_fails(bent, monkeypatch, minimum, case):
    monkeypatch.setattr(webphone_url, "_URL_MIN", minimum)
    assert "UnexpectedBody" in failed(bent("webphone_url", case))


def test_webphone_url_that_launches_by_displaying_fails(bent, monkeypatch):
    from conformance.host import registry
    registered = registry.functions("agent_api")["webphone_url"]

    def display_always(call):
        call.p["value"] = "DISPLAY"
        registered.handler(call)
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "webphone_url", replace(registered, handler=display_always))
    assert "UnexpectedBody" in failed(bent("webphone_url", "launch"))


def test_calls_in_queue_count_without_agentdirect_fails(bent, monkeypatch):
    original = calls_in_queue_count._in_groups
    monkeypatch.setattr(calls_in_queue_count, "_in_groups", lambda text: (original(text)[0], False))
    assert failed(bent("calls_in_queue_count", "agentdirect_call_for_the_agent"))


def test_calls_in_queue_count_with_a_case_sensitive_agentdirect_fails(bent, monkeypatch):
    def case_sensitive(text):
        text = re.sub(r"\s-", "", text)
        direct = "AGENTDIRECT" in text
        return re.split(r"\s", text.replace("AGENTDIRECT", "")), direct
    monkeypatch.setattr(calls_in_queue_count, "_in_groups", case_sensitive)
    assert failed(bent("calls_in_queue_count", "agentdirect_call_for_the_agent"))


def test_calls_in_queue_count_that_counts_the_campaign_s_emails_fails(bent, monkeypatch):
    original = calls_in_queue_count._in_groups
    monkeypatch.setattr(calls_in_queue_count, "_in_groups", lambda text: (original(text)[0] + ["VCERTQ23"],
                                                                          original(text)[1]))
    assert failed(bent("calls_in_queue_count", "campaign_and_in_groups"))
