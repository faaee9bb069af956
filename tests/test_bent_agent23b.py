"""vm_message and send_notification: a reference host bent in one place (its handler module
monkeypatched) fails the case of its spec that guards that place, in its answer or in the rows
it leaves."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from conformance.bundle import SPECS_DIR
from conformance.host import registry
from conformance.host.agent import send_notification, vm_message
from conformance.host.agent_api import AgentCall

VM_MESSAGE = SPECS_DIR / "agent_api" / "vm_message.yaml"
SEND_NOTIFICATION = SPECS_DIR / "agent_api" / "send_notification.yaml"


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("spec,case", [
    ("agent_api/vm_message", "docs_example_other_lead"), ("agent_api/vm_message", "lead_id_with_leading_zero"),
    ("agent_api/vm_message", "callerid_of_15_characters"),
])
def test_the_unbent_host_passes(bent_case, spec, case):
    """Control: each failure below is the bend's."""
    assert bent_case(spec, case).status == "passed"


def test_vm_message_that_takes_any_lead_fails(bent_case, monkeypatch):
    monkeypatch.setattr(vm_message, "loose_equals", lambda left, right: True)
    assert failed(bent_case("agent_api/vm_message", "docs_example_other_lead"))


def test_vm_message_that_compares_leads_as_text_fails(bent_case, monkeypatch):
    monkeypatch.setattr(vm_message, "loose_equals", lambda left, right: str(left) == right)
    assert failed(bent_case("agent_api/vm_message", "lead_id_with_leading_zero"))


def test_vm_message_that_takes_15_characters_for_a_call_fails(bent_case, monkeypatch):
    monkeypatch.setattr(vm_message, "on_live_call", lambda lead_id, callerid: int(lead_id) > 0 and len(callerid) >= 15)
    assert failed(bent_case("agent_api/vm_message", "callerid_of_15_characters"))


# -- the full plugin run: it reads the rows left, and it may change system_settings, which every
# send_notification case does (agent_notifications) -------------------------------------------------

def _failed_ids(report_dir) -> dict[str, list[str]]:
    report = json.loads((report_dir / "report.json").read_text())
    return {case["id"]: [m["kind"] for m in case["reference"]["mismatches"]]
            for case in report["cases"] if case["status"] == "failed"}


def _run(pytester, tmp_path, spec, expression) -> dict[str, list[str]]:
    pytester.runpytest_inprocess(str(spec), "-p", "no:cacheprovider", "-k", expression,
                                 "--vicidial-report-dir", str(tmp_path))
    return _failed_ids(tmp_path)


class ForgetsMessages:
    """A database that drops every write to vicidial_lead_messages."""

    def __init__(self, db):
        self.db = db

    def write(self, sql, *params):
        return 0 if "vicidial_lead_messages" in sql else self.db.write(sql, *params)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_vm_message_that_answers_but_stores_nothing_is_caught(pytester, tmp_path, monkeypatch):
    known = registry.functions("agent_api")["vm_message"]

    def forgetful(call):
        call.db = ForgetsMessages(call.db)
        known.handler(call)
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "vm_message", replace(known, handler=forgetful))
    failed_cases = _run(pytester, tmp_path, VM_MESSAGE, "docs_example_files or alt_user_found or no_value")
    assert set(failed_cases) == {"agent_api::vm_message::docs_example_files", "agent_api::vm_message::alt_user_found"}
    assert all(kinds == ["WrongRowCount"] for kinds in failed_cases.values())   # the text itself was right


def test_send_notification_with_the_docs_confetti_defaults_is_caught(pytester, tmp_path, monkeypatch):
    # a host that ignores the container and takes the docs' defaults (speed 60)
    monkeypatch.setattr(send_notification, "_confetti", lambda call: [
        call.p[name] if send_notification.truthy(call.p[name]) else default
        for name, default in (("duration", "2"), ("maxParticleCount", "2350"), ("particleSpeed", "60"))])
    failed_cases = _run(pytester, tmp_path, SEND_NOTIFICATION,
                        "docs_example_confetti or confetti_one_setting or docs_example_campaign")
    assert set(failed_cases) == {"agent_api::send_notification::docs_example_confetti",
                                 "agent_api::send_notification::confetti_one_setting"}
    assert all(kinds == ["WrongEffect"] for kinds in failed_cases.values())


def test_send_notification_that_stores_the_colour_without_its_hash_is_caught(pytester, tmp_path, monkeypatch):
    real = send_notification.stored
    monkeypatch.setattr(send_notification, "stored",
                        lambda column, value: real(column, value.lstrip("#") if column == "text_color" else value))
    failed_cases = _run(pytester, tmp_path, SEND_NOTIFICATION, "docs_example_user_group or color_hex_three")
    assert set(failed_cases) == {"agent_api::send_notification::docs_example_user_group",
                                 "agent_api::send_notification::color_hex_three"}
    assert all(kinds == ["WrongEffect"] for kinds in failed_cases.values())


SENT = "agent_api::send_notification::{}".format


def test_send_notification_unbent_passes(pytester, tmp_path):
    """Control for the bends below."""
    assert _run(pytester, tmp_path, SEND_NOTIFICATION, "campaign_not_allowed or api_group_without_row or disabled "
                "or no_type_finds_user or docs_example or confetti_one_setting or color_hex_three") == {}


def test_send_notification_without_the_access_check_fails(pytester, tmp_path, monkeypatch):
    monkeypatch.setattr(send_notification, "_group_may_reach", lambda call, recipient, kind: True)
    failed_cases = _run(pytester, tmp_path, SEND_NOTIFICATION, "campaign_not_allowed or api_group_without_row")
    # the group without a row may still notify a user: only the refusals fail
    assert set(failed_cases) == {SENT("campaign_not_allowed"), SENT("api_group_without_row")}


def test_send_notification_that_is_never_off_fails(pytester, tmp_path, monkeypatch):
    known = registry.functions("agent_api")["send_notification"]
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "send_notification", replace(known, check=None))
    failed_cases = _run(pytester, tmp_path, SEND_NOTIFICATION, "disabled")
    assert set(failed_cases) == {SENT("disabled"), SENT("disabled_before_permission")}


def test_send_notification_without_the_type_lookup_fails(pytester, tmp_path, monkeypatch):
    monkeypatch.setattr(send_notification, "_recipient_type", lambda call, recipient: None)
    failed_cases = _run(pytester, tmp_path, SEND_NOTIFICATION, "no_type_finds_user")
    assert failed_cases == {SENT("no_type_finds_user"): ["UnexpectedBody", "WrongRowCount"]}


def test_notifications_are_the_harness_rows_by_either_prefix():
    """A notification for a harness user (vcrt...) or a harness group or campaign (VCERT...) is the
    harness's, exactly (a recipient in other letters is not), so the reset and the cleanup remove both."""
    from conformance.sql_fixture import namespace_predicates
    predicate = namespace_predicates("qa7")["vicidial_agent_notifications"]
    assert predicate == ("((`recipient` LIKE 'qa7%' AND `recipient` LIKE BINARY 'qa7%') OR "
                         "(`recipient` LIKE 'VCERT%' AND `recipient` LIKE BINARY 'VCERT%'))")
    assert namespace_predicates("qa7")["vicidial_lead_messages"] == \
        "(`user` LIKE 'qa7%' AND `user` LIKE BINARY 'qa7%')"


@pytest.mark.parametrize("text,stored", [
    ("2030-01-02 03:04:05", "2030-01-02 03:04:05"), ("2030-1-2 3:4", "2030-01-02 03:04:00"),
    ("30-01-02 03:04", "2030-01-02 03:04:00"), ("2030-13-02 03:04", "0000-00-00 00:00:00"),
    ("2030-01-02 24:00", "0000-00-00 00:00:00"), ("2030-01-0203:04", "0000-00-00 00:00:00"),
])
def test_a_datetime_is_stored_as_mysql_stores_it(text, stored):
    from conformance.host.mysql_text import datetime_text
    assert datetime_text(text) == stored


def test_send_notification_debug_page_with_the_group_row_unmarked_is_caught(pytester, tmp_path, monkeypatch):
    """The group row's lookup printed as the other statements are, without its | marks."""
    real = AgentCall.trace
    monkeypatch.setattr(AgentCall, "trace", lambda call, statement: real(call, statement.strip("|")))
    failed_cases = _run(pytester, tmp_path, SEND_NOTIFICATION, "debug_page")
    assert failed_cases == {SENT("debug_page_campaign"): ["UnexpectedBody"]}   # the user's page has no such row
