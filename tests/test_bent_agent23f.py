"""transfer_conference's multi-dial and 3-way checks, and call_agent: a reference host bent in one
place (its handler module monkeypatched) fails the case of its spec that guards that place, in its
answer or in the rows it leaves (a host that answers SUCCESS and queues nothing for Asterisk, or
the wrong command, is caught)."""

from __future__ import annotations

import re

import pytest

from conformance.host.agent import call_agent, transfer_conference

TRANSFER = "agent_api/transfer_conference"
CALL_AGENT = "agent_api/call_agent"


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("spec,case", [
    (TRANSFER, "multi_dial_new_order"), (TRANSFER, "multi_dial_replaces_order"), (TRANSFER, "md_check_active_call"),
    (TRANSFER, "md_check_ended_calls"), (TRANSFER, "tw_check_active_call"), (TRANSFER, "tw_check_no_active_call"),
    (CALL_AGENT, "docs_call"), (CALL_AGENT, "entry_of_five_characters"), (CALL_AGENT, "entry_not_a_manager_row"),
])
def test_the_unbent_host_passes(bent_case, spec, case):
    """Control: each answer bend below is the bend's."""
    assert bent_case(spec, case).status == "passed"


# -- transfer_conference ----------------------------------------------------------------------------

def test_transfer_conference_that_ignores_multi_dial_phones_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "_multi_dial", lambda call: "")
    assert failed(bent_case(TRANSFER, "multi_dial_new_order"))
    assert failed(bent_case(TRANSFER, "md_check_active_call"))


def test_transfer_conference_that_counts_an_answered_call_as_ended_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "ENDED_3WAY", (*transfer_conference.ENDED_3WAY, "ANSWER"))
    assert failed(bent_case(TRANSFER, "md_check_active_call"))
    assert bent_case(TRANSFER, "md_check_ended_calls").status == "passed"


def test_transfer_conference_without_tw_check_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "_no_three_way_call", lambda call: True)
    assert failed(bent_case(TRANSFER, "tw_check_active_call"))
    assert failed(bent_case(TRANSFER, "tw_check_after_multi_dial"))


def test_transfer_conference_that_notes_the_multi_dial_but_stores_none_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(transfer_conference, "_store_multi_dial", lambda call, phones, count: 1)
    failures = embedded_failures(TRANSFER, "multi_dial_new_order or multi_dial_replaces_order")
    assert "WrongRowCount" in failures["multi_dial_new_order"]
    assert "WrongEffect" in failures["multi_dial_replaces_order"]


def test_transfer_conference_that_stores_the_numbers_unfiltered_fails(embedded_failures, monkeypatch):
    store = transfer_conference._store_multi_dial
    monkeypatch.setattr(transfer_conference, "_store_multi_dial",
                        lambda call, phones, count: store(call, call.request.param("multi_dial_phones"), count))
    failures = embedded_failures(TRANSFER, "multi_dial_new_order or multi_dial_replaces_order")
    assert "WrongEffect" in failures["multi_dial_new_order"]
    assert "WrongEffect" in failures["multi_dial_replaces_order"]


# -- call_agent ------------------------------------------------------------------------------------

def test_call_agent_that_queues_nothing_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(call_agent, "_queue", lambda call, row: None)
    failures = embedded_failures(CALL_AGENT, "docs_call or confbridge_exten_stays")
    assert "WrongRowCount" in failures["docs_call"]
    assert "WrongRowCount" in failures["confbridge_exten_stays"]


def test_call_agent_that_queues_the_wrong_command_fails(embedded_failures, monkeypatch):
    queue = call_agent._queue
    monkeypatch.setattr(call_agent, "_queue", lambda call, row: queue(call, {**row, "action": "Hangup"}))
    assert "WrongEffect" in embedded_failures(CALL_AGENT, "docs_call")["docs_call"]


def test_call_agent_that_dials_the_login_conference_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(call_agent, "_EXTEN", re.compile(r"(?!)"))
    failures = embedded_failures(CALL_AGENT, "docs_call or confbridge_exten_stays")
    assert "WrongEffect" in failures["docs_call"]
    assert "confbridge_exten_stays" not in failures


def test_call_agent_without_the_extra_space_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(call_agent, "_EXTEN", re.compile(r"(.+?Exten:) [0-9]{7}(\|Priority.+)"))
    assert "WrongEffect" in embedded_failures(CALL_AGENT, "docs_call")["docs_call"]


def test_call_agent_that_replaces_any_exten_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(call_agent, "_EXTEN", re.compile(r"(.+?Exten: )[0-9]+(\|Priority.+)"))
    failures = embedded_failures(CALL_AGENT, "docs_call or confbridge_exten_stays")
    assert "WrongEffect" in failures["confbridge_exten_stays"]
    assert "docs_call" not in failures


def test_call_agent_with_a_shorter_empty_entry_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_agent, "_ENTRY_MIN", 4)
    assert failed(bent_case(CALL_AGENT, "entry_of_five_characters"))


def test_call_agent_that_queues_a_broken_entry_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_agent, "MANAGER_COLUMNS", call_agent.MANAGER_COLUMNS[:4])
    assert failed(bent_case(CALL_AGENT, "entry_not_a_manager_row"))
