"""recording_lookup, phone_number_log, did_log_export (issue 24): a reference host bent in one
place (its handler module monkeypatched) fails the case of its spec that guards that place."""

from __future__ import annotations

import pytest

from conformance.host import permission_gate
from conformance.host.non_agent import did_log_export, phone_number_log, recording_lookup


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("function,case", [
    ("recording_lookup", "lead_tab_duration"), ("recording_lookup", "duration_header"),
    ("recording_lookup", "uniqueid_inbound_call"), ("recording_lookup", "level_7_without_reports"),
    ("recording_lookup", "docs_example"), ("phone_number_log", "type_all_header"),
    ("phone_number_log", "only_short_parts"), ("phone_number_log", "three_numbers_csv"),
    ("did_log_export", "docs_example"), ("did_log_export", "with_header"), ("did_log_export", "csv"),
])
def test_the_unbent_host_passes(bent_case, function, case):
    """Control: each failure below is the bend's."""
    assert bent_case(function, case).status == "passed"


def test_recording_lookup_without_the_one_day_cap_on_durations_fails(bent_case, monkeypatch):
    monkeypatch.setattr(recording_lookup, "DAY", 10 ** 9)   # b1's epochs, 100000 s apart, would count
    assert failed(bent_case("recording_lookup", "lead_tab_duration"))


def test_recording_lookup_naming_the_duration_in_its_header_fails(bent_case, monkeypatch):
    monkeypatch.setattr(recording_lookup, "HEADER", ("start_time", "user", "recording_id", "lead_id", "duration",
                                                     "location"))
    assert failed(bent_case("recording_lookup", "duration_header"))


def test_recording_lookup_ignoring_inbound_calls_fails(bent_case, monkeypatch):
    monkeypatch.setattr(recording_lookup, "_uniqueid_search", lambda call, prefix: None)
    assert failed(bent_case("recording_lookup", "uniqueid_inbound_call"))


def test_recording_lookup_without_its_gate_fails(bent_case, monkeypatch):
    monkeypatch.setattr(permission_gate.Gate, "refuse", lambda self, db, function, user: None)
    assert failed(bent_case("recording_lookup", "level_7_without_reports"))


def test_recording_lookup_with_a_wrong_day_window_fails(bent_case, monkeypatch):
    monkeypatch.setattr(recording_lookup, "day_window", lambda date: (f"{date} 00:00:00", f"{date} 10:00:00"))
    assert failed(bent_case("recording_lookup", "docs_example"))   # the 11:30 recording is left out


def test_phone_number_log_listing_inbound_calls_first_fails(bent_case, monkeypatch):
    monkeypatch.setattr(phone_number_log, "LOGS", tuple(reversed(phone_number_log.LOGS)))
    assert failed(bent_case("phone_number_log", "type_all_header"))


def test_phone_number_log_keeping_short_parts_fails(bent_case, monkeypatch):
    monkeypatch.setattr(phone_number_log, "_numbers", lambda text: text.split(",") if len(text) > 3 else [])
    assert failed(bent_case("phone_number_log", "only_short_parts"))   # a NOTICE instead of no valid number


def test_phone_number_log_with_the_wrong_delimiter_fails(bent_case, monkeypatch):
    monkeypatch.setattr(phone_number_log, "delimiter", lambda stage: "|")
    assert "UnexpectedBody" in failed(bent_case("phone_number_log", "three_numbers_csv"))


def test_did_log_export_with_a_wrong_day_window_fails(bent_case, monkeypatch):
    monkeypatch.setattr(did_log_export, "day_window", lambda date: (f"{date} 00:00:00", f"{date} 14:30:00"))
    assert failed(bent_case("did_log_export", "docs_example"))   # the 15:00 call is left out


def test_did_log_export_with_a_wrong_header_fails(bent_case, monkeypatch):
    monkeypatch.setattr(did_log_export, "HEADER", ("did_number", "caller_id_number", "call_date", "length_in_sec"))
    assert failed(bent_case("did_log_export", "with_header"))


def test_did_log_export_with_the_wrong_delimiter_fails(bent_case, monkeypatch):
    monkeypatch.setattr(did_log_export, "delimiter", lambda stage: "|")
    assert "UnexpectedBody" in failed(bent_case("did_log_export", "csv"))
