"""add_lead: a reference host bent in one place (its handler module monkeypatched) fails the case of
its spec that guards that place.

A bend the answer shows runs through ``bent_case`` (declared mode, no database read); a bend only
the stored rows show runs the case on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest

from conformance.host import permission_gate
from conformance.host.non_agent import add_lead

SPEC = "non_agent_api/add_lead"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case) -> {case name: mismatch kinds} of the failed add_lead cases, effects read."""
    return lambda case: embedded_failures(SPEC, case)


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", [
    "level7_refused", "modify_leads_5_refused", "list_not_allowed", "list_exists_check_unknown", "prefix_check",
    "in_the_system_dnc", "in_the_other_campaigns_dnc", "duplicate_in_list", "duplicate_phone_or_alt_in_campaign",
    "duplicate_in_campaign_without_list_row", "duplicate_within_days", "hopper_outside_local_time",
    "callback_user_not_valid",
])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(SPEC, case).status == "passed"


def test_without_its_gate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent_case(SPEC, "level7_refused"))
    assert failed(bent_case(SPEC, "modify_leads_5_refused"))


def test_a_host_that_ignores_the_list_restriction_fails(bent_case, monkeypatch):
    original = add_lead._add

    def unrestricted(call, values, printed):
        call.list_restricted = False
        return original(call, values, printed)
    monkeypatch.setattr(add_lead, "_add", unrestricted)
    assert failed(bent_case(SPEC, "list_not_allowed"))


def test_a_host_that_skips_the_dnc_lists_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_lead, "in_system_list", lambda call, phone, check: False)
    monkeypatch.setattr(add_lead, "in_campaign_list", lambda call, phone, check, campaign: False)
    assert failed(bent_case(SPEC, "in_the_system_dnc"))
    assert failed(bent_case(SPEC, "in_the_other_campaigns_dnc"))


def test_a_host_that_finds_no_duplicate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_lead, "_duplicate", lambda call, values: None)
    assert failed(bent_case(SPEC, "duplicate_in_list"))


def test_a_host_that_ignores_the_day_limit_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_lead, "DAYS", ())
    assert failed(bent_case(SPEC, "duplicate_within_days"))


def test_a_host_that_answers_an_empty_campaign_list_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_lead, "_campaign_lists", lambda call, list_id: ["0"])
    assert failed(bent_case(SPEC, "duplicate_in_campaign_without_list_row"))


def test_a_host_that_skips_the_call_time_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_lead, "dialable_now", lambda db, epoch, call_time, gmt: 1)
    assert failed(bent_case(SPEC, "hopper_outside_local_time"))


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("every_field or values_as_mysql or hopper_added or callback_anyone") == {}


def test_a_lead_without_a_field_fails_on_its_effect(embedded, monkeypatch):
    """The answer is right, the stored row is not: only the effects can tell."""
    monkeypatch.setattr(add_lead, "COLUMNS", tuple(column for column in add_lead.COLUMNS if column != "city"))
    assert embedded("every_field") == {"every_field": ["WrongEffect"]}


def test_values_stored_as_sent_fail_on_their_effects(embedded, monkeypatch):
    """A host that stores the text sent, uncut and unread, where its column cannot hold it."""
    original = add_lead.stored
    as_sent = ("title", "first_name", "rank", "date_of_birth")
    monkeypatch.setattr(add_lead, "stored", lambda table, column, text: text if column in as_sent
                        else original(table, column, text))
    assert embedded("values_as_mysql") == {"values_as_mysql_stores_them": ["WrongEffect"] * 4}


def test_an_unbounded_hopper_priority_fails(embedded, monkeypatch):
    monkeypatch.setattr(add_lead, "bounded_priority", lambda text: int(text or 0))
    assert embedded("hopper_added") == {"hopper_added": ["WrongEffect"]}


def test_a_callback_for_the_wrong_recipient_fails(embedded, monkeypatch):
    original = add_lead._callback

    def for_anyone_else(call, values, lead_id):
        answer = original(call, values, lead_id)
        call.db.write("UPDATE vicidial_callbacks SET recipient='USERONLY' WHERE lead_id=?", lead_id)
        return answer
    monkeypatch.setattr(add_lead, "_callback", for_anyone_else)
    assert embedded("callback_anyone") == {"callback_anyone": ["WrongEffect"]}


def test_a_host_that_leaves_the_entry_list_fails_on_its_effect(embedded, monkeypatch):
    """Custom field values stored, the answer right, but the lead's entry_list_id left at 0."""
    original = add_lead._custom_fields

    def entry_list_left(call, values, lead_id):
        answer = original(call, values, lead_id)
        call.db.write("UPDATE vicidial_list SET entry_list_id=0 WHERE lead_id=?", lead_id)
        return answer
    monkeypatch.setattr(add_lead, "_custom_fields", entry_list_left)
    assert embedded("custom_fields_values") == {"custom_fields_values": ["WrongEffect"]}
