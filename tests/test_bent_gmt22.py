"""check_phone_number's GMT lookup: a reference host bent in the lookup (host/gmt_lookup.py
monkeypatched) fails the cases of the world's phone codes 287 to 289 that guard it."""

from __future__ import annotations

import pytest

from conformance.host import gmt_lookup

CASES = ("fixed_offset_by_phone_code", "fixed_offset_never_dialable", "fixed_offset_by_time_zone_code",
         "unknown_time_zone_code_takes_the_phone_code", "northern_rule_offset", "southern_rule_offset")


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", CASES)
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case("check_phone_number", case).status == "passed"


def test_a_lookup_that_keeps_the_plus_sign_fails(bent_case, monkeypatch):
    monkeypatch.setattr(gmt_lookup, "from_row", lambda offset, dst_range: gmt_lookup.Found(offset, dst_range))
    assert "WrongField" in failed(bent_case("check_phone_number", "fixed_offset_by_phone_code"))


def test_a_time_zone_code_read_as_its_starting_zero_fails(bent_case, monkeypatch):
    monkeypatch.setattr(gmt_lookup, "from_tz_code", lambda offset, greatest, found: gmt_lookup.Found(0, ""))
    assert "WrongField" in failed(bent_case("check_phone_number", "fixed_offset_by_time_zone_code"))


def test_a_wrong_offset_after_a_daylight_saving_change_fails(bent_case, monkeypatch):
    """Two hours added in daylight saving time: on any day one of the world's two rule codes is in it."""
    monkeypatch.setattr(gmt_lookup, "increment", lambda value: float(value) + 2)
    results = [bent_case("check_phone_number", case) for case in ("northern_rule_offset", "southern_rule_offset")]
    assert [result.status for result in results].count("failed") == 1
