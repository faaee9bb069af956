"""hopper_bulk_insert, check_phone_number: a reference host bent in one place (its handler module monkeypatched) fails
the case of its spec that guards that place.

A bend the answer shows runs through ``bent_case`` (declared mode, no database read); a bend only
the stored rows show runs the case on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest

from conformance.host import permission_gate
from conformance.host.non_agent import check_phone_number, hopper_bulk_insert

SPEC = "non_agent_api/hopper_bulk_insert"
CHECK = "non_agent_api/check_phone_number"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case) -> {case name: mismatch kinds} of the failed hopper_bulk_insert cases, effects read."""
    return lambda case: embedded_failures("non_agent_api/hopper_bulk_insert", case)


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", [
    "docs_example", "two_leads", "every_notice", "campaign_missing", "call_time_never", "restricted_group",
    "group_without_row", "level7_refused", "priority_above_99", "priority_dash",
    "lead_ids_empty",
])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(SPEC, case).status == "passed"


def test_without_its_gate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent_case(SPEC, "level7_refused"))


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("two_leads or priority_") == {}


def test_a_row_with_the_wrong_source_fails_on_its_effect(embedded, monkeypatch):
    """The answer is right, the stored rows are not: only the effects can tell."""
    original = hopper_bulk_insert.insert_hopper_row

    def insert_as_scheduled(call, lead, campaign_id, priority):
        hopper_id = original(call, lead, campaign_id, priority)
        call.db.write("UPDATE vicidial_hopper SET source='S' WHERE hopper_id=?", hopper_id)
        return hopper_id
    monkeypatch.setattr(hopper_bulk_insert, "insert_hopper_row", insert_as_scheduled)
    assert embedded("two_leads") == {"two_leads": ["WrongEffect", "WrongEffect"]}


def test_an_unbounded_priority_fails(embedded, monkeypatch):
    monkeypatch.setattr(hopper_bulk_insert, "bounded_priority", lambda text: int(text.strip("-") or 0))
    failures = embedded("priority_above_99 or priority_dash")
    assert failures == {"priority_above_99": ["WrongEffect"],     # 150 is stored as 99
                        "priority_dash": ["WrongEffect"]}       # "-" is -99


def test_a_host_that_skips_the_call_time_fails(bent_case, monkeypatch):
    monkeypatch.setattr(hopper_bulk_insert, "dialable_now", lambda db, epoch, call_time, gmt: 1)
    assert failed(bent_case(SPEC, "call_time_never"))
    assert failed(bent_case(SPEC, "docs_example"))


def test_a_host_that_ignores_the_allowed_campaigns_fails(bent_case, monkeypatch):
    monkeypatch.setattr(hopper_bulk_insert, "_allowed_lists", lambda call: None)
    assert failed(bent_case(SPEC, "restricted_group"))
    assert failed(bent_case(SPEC, "group_without_row"))


@pytest.mark.parametrize("case", [
    "level7_refused", "in_the_system_dnc", "other_campaign_dnc_list", "prefix_comma", "area_code_method_by_default",
    "area_code_method_never_dialable",
])
def test_the_unbent_host_passes_check_phone_number(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(CHECK, case).status == "passed"


def test_check_phone_number_without_its_gate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent_case(CHECK, "level7_refused"))


def test_check_phone_number_that_skips_the_system_dnc_fails(bent_case, monkeypatch):
    monkeypatch.setattr(check_phone_number, "_in_system_dnc", lambda call, phone, check: False)
    assert failed(bent_case(CHECK, "in_the_system_dnc"))


def test_check_phone_number_that_ignores_the_other_campaign_list_fails(bent_case, monkeypatch):
    original = check_phone_number.NonAgentCall.db

    class NoOtherList:
        def __init__(self, db):
            self._db = db

        def __getattr__(self, name):
            return getattr(self._db, name)

        def value(self, sql, *params):
            return None if "use_other_campaign_dnc" in sql else self._db.value(sql, *params)
    monkeypatch.setattr(check_phone_number.NonAgentCall, "db", property(lambda call: NoOtherList(original.fget(call))))
    assert failed(bent_case(CHECK, "other_campaign_dnc_list"))


def test_check_phone_number_comparing_the_prefix_as_a_number_fails(bent_case, monkeypatch):
    """PHP 8 compares the 4th character "," with 2 as texts (and "," is less); a host that lets
    anything but a digit through is caught."""
    monkeypatch.setattr(check_phone_number, "compare", lambda text, number: 1 if not text.isdigit() else
                        (int(text) > number) - (int(text) < number))
    assert failed(bent_case(CHECK, "prefix_comma"))


def test_check_phone_number_with_a_clock_bound_flag_fails(bent_case, monkeypatch):
    """The flag of VCERT24H and VCERTNEVR is the same at any hour; a host that inverts it is caught."""
    monkeypatch.setattr(check_phone_number, "dialable_now", lambda db, epoch, call_time, gmt: int(call_time != "VCERT24H"))
    assert failed(bent_case(CHECK, "area_code_method_by_default"))
    assert failed(bent_case(CHECK, "area_code_method_never_dialable"))
