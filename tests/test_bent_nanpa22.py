"""add_lead, update_lead and check_phone_number (issue 22): a reference host bent in the NANPA check,
the NANPA time zone method, a state call time or an exact offset (handler modules monkeypatched)
fails the case of the spec that guards that place; and add_lead's notice no world can reach (fewer
than 10 NANPA rows), held on the host directly."""

from __future__ import annotations

import pytest

from conformance.host import call_times, gmt_lookup
from conformance.host.app import ReferenceHost
from conformance.host.http import HostRequest
from conformance.host.non_agent import add_lead, check_phone_number, hopper_bulk_insert, update_lead
from conformance.host.php import PhpFatal
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import custom_rows, custom_tables, world_rows

CASES = ("nanpa_prefix_known", "nanpa_prefix_unknown", "nanpa_prefix_of_another_area", "nanpa_method_fixed_offset",
         "nanpa_method_plus_sign_dropped", "nanpa_method_after_prefix_check", "nanpa_check_after_the_area_code_check")


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", CASES)
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case("add_lead", case).status == "passed"


def test_a_host_without_the_nanpa_check_fails(bent_case, monkeypatch):
    original = add_lead._invalid
    monkeypatch.setattr(add_lead, "_invalid", lambda call, phone, v, nanpa: original(call, phone, v, False))
    assert failed(bent_case("add_lead", "nanpa_prefix_unknown"))


def test_a_nanpa_check_by_prefix_alone_fails(bent_case, monkeypatch):
    """A check that finds 555 in any area code passes 156-555."""
    monkeypatch.setattr(add_lead, "_invalid", _invalid_by_prefix_alone(add_lead._invalid))
    assert failed(bent_case("add_lead", "nanpa_prefix_of_another_area"))


def _invalid_by_prefix_alone(original):
    def invalid(call, phone, v, nanpa):
        if nanpa and call.db.value("SELECT count(*) FROM vicidial_nanpa_prefix_codes WHERE prefix=?", phone[3:6]):
            return original(call, phone, v, False)
        return original(call, phone, v, nanpa)
    return invalid


def test_a_host_that_wants_more_rows_before_the_check_fails(bent_case, monkeypatch):
    """A threshold of 20 rows: the world's 12 print the notice and skip the check."""
    original = add_lead._add

    def more_rows(call, v, printed):
        if v["nanpa_ac_prefix_check"] == "Y":
            printed.append(f"NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 12|{call.p['user']}\n")
            v["nanpa_ac_prefix_check"] = "N"
        return original(call, v, printed)
    monkeypatch.setattr(add_lead, "_add", more_rows)
    assert failed(bent_case("add_lead", "nanpa_prefix_known"))


def test_a_nanpa_method_that_reads_no_nanpa_row_fails(bent_case, monkeypatch):
    original = gmt_lookup.lookups
    monkeypatch.setattr(gmt_lookup, "lookups",
                        lambda *args: tuple(step for step in original(*args) if step != "NANPA"))
    assert failed(bent_case("add_lead", "nanpa_method_fixed_offset"))


def test_a_nanpa_offset_that_keeps_its_plus_sign_fails(bent_case, monkeypatch):
    monkeypatch.setattr(gmt_lookup, "from_nanpa",
                        lambda offset, dst: gmt_lookup.Found(offset, "SSM-FSN" if dst == "Y" else ""))
    assert failed(bent_case("add_lead", "nanpa_method_plus_sign_dropped"))


def test_a_nanpa_method_that_reads_the_whole_prefix_after_the_prefix_check_fails(bent_case, monkeypatch):
    original = call_times.gmt_offset
    monkeypatch.setattr(add_lead, "gmt_offset", lambda db, phone, *args, prefix=None, **kwargs:
                        original(db, phone, *args, prefix=phone[3:6], **kwargs))
    assert failed(bent_case("add_lead", "nanpa_method_after_prefix_check"))


def test_fewer_than_ten_rows_print_the_notice_and_skip_the_check(tmp_path, vicidial_world):
    """No world reaches this branch (the world holds 12 rows): the host's notice, held here with 9."""
    database = SqliteDatabase(tmp_path / "nanpa.sqlite")
    rows = world_rows(vicidial_world)
    rows["vicidial_nanpa_prefix_codes"] = rows["vicidial_nanpa_prefix_codes"][:9]
    database.replace_rows({**rows, **custom_rows(vicidial_world)}, custom_tables(vicidial_world))
    admin = vicidial_world.api_users["api_admin"]
    request = HostRequest("GET", "/vicidial/non_agent_api.php", {
        "source": "vicicert", "user": admin["user"], "pass": admin["pass"], "function": "add_lead",
        "phone_number": "1555990109", "phone_code": "289", "list_id": "9990203", "vendor_lead_code": "vcrtALn",
        "nanpa_ac_prefix_check": "Y", "tz_method": "NANPA"})
    try:
        body = ReferenceHost(database)(request).body
    finally:
        database.close()
    lines = body.splitlines()
    assert lines[0] == f"NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 9|{admin['user']}"
    assert lines[1].startswith("SUCCESS: add_lead LEAD HAS BEEN ADDED - 1555990109|9990203|")
    assert lines[1].endswith(f"|5.50|{admin['user']}")


# -- state call times (call_times.dialable_now) --------------------------------------------------------

STATE_CASES = (("add_lead", "hopper_state_call_time_never"), ("add_lead", "hopper_state_call_time_always"),
               ("add_lead", "hopper_state_call_time_of_another_state"),
               ("check_phone_number", "state_call_time_never"), ("check_phone_number", "state_call_time_always"),
               ("check_phone_number", "state_call_time_of_another_state"))


@pytest.mark.parametrize("function,case", STATE_CASES)
def test_the_unbent_host_keeps_state_call_times(bent_case, function, case):
    """Control for the state call time bends below."""
    assert bent_case(function, case).status == "passed"


def test_a_host_without_state_call_times_fails(bent_case, monkeypatch):
    original = call_times.dialable_now
    monkeypatch.setattr(add_lead, "dialable_now", lambda db, epoch, call_time, gmt, state="":
                        original(db, epoch, call_time, gmt))
    assert failed(bent_case("add_lead", "hopper_state_call_time_never"))
    assert failed(bent_case("add_lead", "hopper_state_call_time_always"))


def test_a_host_that_takes_a_state_call_time_of_any_state_fails(bent_case, monkeypatch):
    """The state call time's state not compared: VCERTSTZZ then closes VCERT24H to state ZY."""
    monkeypatch.setattr(call_times, "dialable_now", _any_state(call_times.dialable_now))
    monkeypatch.setattr(check_phone_number, "dialable_now", call_times.dialable_now)
    assert failed(bent_case("check_phone_number", "state_call_time_of_another_state"))


def _any_state(original):
    def dialable(db, epoch, call_time, gmt, state=""):
        if state:
            named = db.value("SELECT ct_state_call_times FROM vicidial_call_times WHERE call_time_id=?", call_time) or ""
            if len(named) > 2:
                row = db.value("SELECT state_call_time_state FROM vicidial_state_call_times WHERE state_call_time_id IN "
                               f"({', '.join('?' for _ in call_times.state_call_time_ids(named))})",
                               *call_times.state_call_time_ids(named))
                state = row or state
        return original(db, epoch, call_time, gmt, state)
    return dialable


def test_state_call_time_ids_are_read_as_upstreams_in_list_reads_them():
    assert call_times.state_call_time_ids("|VCERTSTZZ|") == ["VCERTSTZZ"]
    assert call_times.state_call_time_ids("|alabama|florida|") == ["alabama", "florida"]
    with pytest.raises(PhpFatal):
        call_times.state_call_time_ids("alabama")


# -- update_lead: exact offsets of an inserted lead, the stored state's call time ---------------------

@pytest.mark.parametrize("case", ("insert_with_fixed_offset", "insert_with_nanpa_offset", "hopper_state_call_time"))
def test_the_unbent_host_passes_update_lead(bent_case, case):
    """Control for the update_lead bends below."""
    assert bent_case("update_lead", case).status == "passed"


def test_update_lead_without_the_nanpa_method_fails(bent_case, monkeypatch):
    original = gmt_lookup.lookups
    monkeypatch.setattr(gmt_lookup, "lookups",
                        lambda *args: tuple(step for step in original(*args) if step != "NANPA"))
    assert failed(bent_case("update_lead", "insert_with_nanpa_offset"))


def test_update_lead_that_ignores_the_phone_codes_offset_fails(bent_case, monkeypatch):
    monkeypatch.setattr(gmt_lookup, "from_row", lambda offset, dst_range: gmt_lookup.Found("", dst_range))
    assert failed(bent_case("update_lead", "insert_with_fixed_offset"))


def test_update_lead_that_checks_no_state_fails(bent_case, monkeypatch):
    """A hopper check without the lead's stored state: VCERT24H's own hours, so the lead goes in."""
    original = call_times.dialable_now
    monkeypatch.setattr(update_lead, "dialable_now", lambda db, epoch, call_time, gmt, state="":
                        original(db, epoch, call_time, gmt))
    assert failed(bent_case("update_lead", "hopper_state_call_time"))


# -- add_lead's lookup_state -------------------------------------------------------------------------

LOOKUP_CASES = ("lookup_state_fills_the_state", "lookup_state_meets_the_state_call_time",
                "lookup_state_keeps_a_state_sent")


@pytest.mark.parametrize("case", LOOKUP_CASES)
def test_the_unbent_host_looks_the_state_up(bent_case, case):
    """Control for the lookup_state bends below."""
    assert bent_case("add_lead", case).status == "passed"


def _values_with(change):
    original = add_lead._values

    def values(call):
        found = original(call)
        change(found)
        return found
    return values


def test_a_host_without_lookup_state_fails(bent_case, monkeypatch):
    monkeypatch.setattr(add_lead, "_values", _values_with(lambda v: v.update(lookup_state="")))
    assert failed(bent_case("add_lead", "lookup_state_meets_the_state_call_time"))


def test_a_lookup_that_overwrites_a_state_sent_fails(embedded_failures, monkeypatch):
    """The lookup run whatever was sent: NY is stored as ZZ, which only the lead's row shows."""
    def looked_up(v):
        if v["lookup_state"] == "Y":
            v["state"] = ""
    monkeypatch.setattr(add_lead, "_values", _values_with(looked_up))
    case = "lookup_state_keeps_a_state_sent"
    assert "WrongEffect" in embedded_failures("non_agent_api/add_lead", case)[case]


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded_failures):
    """Control for the effect bend above (and every new case's rows, read from the database)."""
    assert embedded_failures("non_agent_api/add_lead", "lookup_state or nanpa or state_call_time") == {}


def test_a_host_that_strips_the_state_before_its_state_call_time_fails(bent_case, monkeypatch):
    """A leading space makes " ZZ" no state ZZ under utf8_unicode_ci; stripped, it is ZZ again."""
    assert bent_case("check_phone_number", "state_padded_leading").status == "passed"
    original = call_times.dialable_now
    monkeypatch.setattr(check_phone_number, "dialable_now", lambda db, epoch, call_time, gmt, state="":
                        original(db, epoch, call_time, gmt, state.strip()))
    assert failed(bent_case("check_phone_number", "state_padded_leading"))


def test_hopper_bulk_insert_without_the_leads_state_fails(bent_case, monkeypatch):
    """The lead's state not handed to the call time check: VCERT24H's own hours let hb_state in."""
    assert bent_case("hopper_bulk_insert", "state_call_time").status == "passed"
    original = call_times.dialable_now
    monkeypatch.setattr(hopper_bulk_insert, "dialable_now", lambda db, epoch, call_time, gmt, state="":
                        original(db, epoch, call_time, gmt))
    assert failed(bent_case("hopper_bulk_insert", "state_call_time"))
