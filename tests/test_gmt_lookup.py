"""host/gmt_lookup.py: each daylight saving rule at its boundaries (as upstream has them, odd parts
included; tests/test_gmt_upstream.py holds the whole lookup to upstream's recorded answers), the
server's offset, the number's clock and the printed offset."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from conformance.host import gmt_lookup
from conformance.host.gmt_lookup import Found, dst_in_effect
from conformance.host.php import PhpFatal

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


# (rule, local wall clock, daylight saving time?): the second before and the second of each change
BOUNDARIES = [
    ("SSM-FSN", "2028-03-12 01:59:59", False), ("SSM-FSN", "2028-03-12 02:00:00", True),
    ("SSM-FSN", "2027-03-13 23:59:59", False), ("SSM-FSN", "2027-03-14 00:00:00", True),   # the 14th: from midnight
    ("SSM-FSN", "2027-11-07 01:59:59", True), ("SSM-FSN", "2027-11-07 02:00:00", False),
    ("SSM-FSN", "2027-02-28 12:00:00", False), ("SSM-FSN", "2027-07-01 12:00:00", True),
    ("SSM-FSN", "2027-12-01 12:00:00", False),
    ("FSA-LSO", "2027-04-04 01:59:59", False), ("FSA-LSO", "2027-04-04 02:00:00", True),
    ("FSA-LSO", "2027-10-31 01:59:59", True), ("FSA-LSO", "2027-10-31 02:00:00", False),
    ("FSA-LSO", "2027-04-03 12:00:00", False), ("FSA-LSO", "2027-10-30 12:00:00", True),
    ("LSM-LSO", "2027-03-28 00:59:59", False), ("LSM-LSO", "2027-03-28 01:00:00", True),
    ("LSM-LSO", "2027-10-31 00:59:59", True), ("LSM-LSO", "2027-10-31 01:00:00", False),
    ("LSO-LSM", "2027-03-28 00:59:59", True), ("LSO-LSM", "2027-03-28 01:00:00", False),
    ("LSO-LSM", "2027-10-31 00:59:59", False), ("LSO-LSM", "2027-10-31 01:00:00", True),
    ("LSO-LSM", "2027-01-15 12:00:00", True), ("LSO-LSM", "2027-07-15 12:00:00", False),
    ("FSO-LSM", "2027-03-28 00:59:59", True), ("FSO-LSM", "2027-03-28 01:00:00", False),
    ("FSO-LSM", "2027-10-03 00:59:59", False), ("FSO-LSM", "2027-10-03 01:00:00", True),
    ("FSO-FSA", "2027-04-04 01:59:59", True), ("FSO-FSA", "2027-04-04 02:00:00", False),
    ("FSO-FSA", "2027-10-03 00:59:59", False), ("FSO-FSA", "2027-10-03 01:00:00", True),
    ("FSO-TSM", "2028-03-19 00:59:59", True), ("FSO-TSM", "2028-03-19 01:00:00", False),
    ("FSO-TSM", "2027-03-14 00:59:59", True), ("FSO-TSM", "2027-03-14 01:00:00", False),   # the second Sunday
    ("FSO-TSM", "2027-10-03 00:59:59", False), ("FSO-TSM", "2027-10-03 01:00:00", True),
    ("LSS-FSA", "2027-04-04 01:59:59", True), ("LSS-FSA", "2027-04-04 02:00:00", False),
    ("LSS-FSA", "2027-09-26 12:00:00", False),                                              # never in September
    ("LSS-FSA", "2027-09-30 23:59:59", False), ("LSS-FSA", "2027-10-01 00:00:00", True),
    ("TSO-LSF", "2027-02-28 00:59:59", True), ("TSO-LSF", "2027-02-28 01:00:00", False),
    ("TSO-LSF", "2027-10-17 12:00:00", False),                                              # the third Sunday
    ("TSO-LSF", "2027-10-24 00:59:59", False), ("TSO-LSF", "2027-10-24 01:00:00", True),
    ("TSO-LSF", "2032-02-21 23:59:59", True), ("TSO-LSF", "2032-02-22 01:00:00", False),   # not the 29th
]


@pytest.mark.parametrize("rule, local, expected", BOUNDARIES)
def test_each_rule_changes_where_upstream_does(rule, local, expected):
    assert dst_in_effect(rule, at(local)) is expected


def test_every_rule_upstream_knows_is_covered():
    assert {rule for rule, _, _ in BOUNDARIES} == set(gmt_lookup.RULES)


@pytest.mark.parametrize("name", ["ssm-fsn", "", None, "SSM-FSN ", "N"])
def test_a_name_that_is_no_rule_exactly_is_no_daylight_saving(name):
    assert dst_in_effect(name, at("2027-07-01 12:00:00")) is False


def epoch(text: str) -> int:
    return calendar.timegm(at(text).timetuple())


def test_the_servers_offset_counts_its_daylight_saving_time():
    assert gmt_lookup.server_offset("-5.00", True, False, "+0000") == "-5.00"
    assert gmt_lookup.server_offset("-5.00", True, True, "-0400") == -4.0
    assert gmt_lookup.server_offset("", True, True, "+0000") == 1.0   # nothing, plus one
    assert gmt_lookup.server_offset(None, False, False, "-0530") == -5.3   # hundreds read as hours


def test_a_half_hour_difference_is_cut_toward_zero():
    """-9.50 against the server's -5.00: 4.5 hours back, cut to 4 after the hour, to -3 ... 0 before."""
    clock = lambda text: gmt_lookup.number_clock(epoch(text), "-9.50", "-5.00", UTC)  # noqa: E731
    assert clock("2027-01-15 03:00:00") == at("2027-01-14 23:00:00")
    assert clock("2027-01-15 04:00:00") == at("2027-01-15 00:00:00")
    assert clock("2027-01-15 05:00:00") == at("2027-01-15 00:00:00")
    assert clock("2027-01-15 06:10:05") == at("2027-01-15 01:10:05")


@pytest.mark.parametrize("found, printed", [
    (Found("-5.00", "SSM-FSN"), "-4"), (Found("5.50", "SSM-FSN"), "6.5"), (Found("10", "SSM-FSN"), "11"),
    (Found("-0.50", "SSM-FSN"), "0.5"), (Found("-5.00", ""), "-5.00"), (Found("-5.00", "FSO-FSA"), "-5.00"),
    (Found(0, ""), "0"), (gmt_lookup.NOTHING, ""),
])
def test_the_offset_prints_as_stored_or_as_phps_number(found, printed):
    assert gmt_lookup.offset_now(found, epoch("2027-07-15 12:00:00"), "-5.00", UTC) == printed


def test_an_offset_that_is_no_number_is_phps_type_error():
    with pytest.raises(PhpFatal):
        gmt_lookup.offset_now(Found("", "SSM-FSN"), epoch("2027-07-15 12:00:00"), "-5.00", UTC)


def test_rows_lose_their_plus_signs_and_nanpa_dst_names_the_north_american_rule():
    assert gmt_lookup.from_row("+5.50", "LSO-LSM") == Found("5.50", "LSO-LSM")
    assert gmt_lookup.from_nanpa("-7.00", "Y") == Found("-7.00", "SSM-FSN")
    assert gmt_lookup.from_nanpa("-7.00", "N") == Found("-7.00", "")
    assert gmt_lookup.from_tz_code(None, None, False) == Found(0, "")


@pytest.mark.parametrize("method, code, postal, owner, prefix, steps", [
    ("POSTAL", "1", "VCR01", "", "555", ("POSTAL",)),
    ("postal", "1", "VCR01", "", "555", ("POSTAL",)),
    ("POSTAL", "01", "VCR01", "", "555", ()),            # the code must be exactly 1
    ("POSTAL", "1", "VCR0", "", "555", ()),              # five characters or more
    ("TZCODE", "1", "", "VC", "555", ("TZCODE",)),
    ("TZCODEX", "1", "", "VCZ1", "555", ()),             # exactly TZCODE
    ("TZCODE", "1", "", "V", "555", ()),
    ("NANPA", "1", "", "", "555", ("NANPA",)),
    ("NANPA", "1", "", "", "5", ()),                     # usacan_prefix_check cut the prefix
    ("POSTALNANPA", "1", "VCR01", "", "555", ("POSTAL", "NANPA")),
])
def test_which_tables_a_method_reads(method, code, postal, owner, prefix, steps):
    assert gmt_lookup.lookups(method, code, postal, owner, "911", prefix) == steps


@pytest.mark.parametrize("code, key", [("1", "areacode"), ("001", "areacode"), ("52", "areacode"),
                                       ("61", "state"), ("061", "state"), ("44", ""), ("", "")])
def test_the_fallback_key_compares_the_code_as_a_number(code, key):
    assert gmt_lookup.phone_code_key(code) == key
