"""PHP's rounding and formatting, pinned to what PHP prints."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest

from conformance.phpmath import math_zdc, php_number, php_round, php_str, sec_convert


@pytest.mark.parametrize("value,places,expected", [
    (2.5, 0, 3.0), (-2.5, 0, -3.0), (3.5, 0, 4.0), (6.5, 0, 7.0), (6.25, 1, 6.3), (1.955, 2, 1.96),
    (9.036144578313253, 1, 9.0), (68.12167, 1, 68.1), (16.666666666666664, 1, 16.7), (0.45, 1, 0.5),
    (7.5, 0, 8.0), (11.5, 0, 12.0), (12.5, 0, 13.0)
])
def test_php_round_is_half_away_from_zero_after_15_digits(value, places, expected):
    assert php_round(value, places) == expected


@pytest.mark.parametrize("value,text", [
    (100.0, "100"), (9.0, "9"), (0.0, "0"), (68.1, "68.1"), (16.7, "16.7"), (33.3, "33.3"),
    (5023.0, "5023"), (7, "7"), (0.1 + 0.2, "0.3"), (1e15, "1.0E+15"), (1.5e20, "1.5E+20"), (None, ""),
])
def test_php_float_to_string(value, text):
    assert php_str(value) == text


SEC_CONVERT = [  # seconds, H, M, S, unknown: the table in www/vicidial/functions.php terms
    (0, "0:00:00", "0:00", "0", "0:00"), (0.4, "0:00:00", "0:00", "0", "0:00"),
    (0.5, "0:00:01", "0:01", "1", "1"), (59, "0:00:59", "0:59", "59", "59"),
    (59.5, "0:01:00", "1:00", "60", "60"), (3599, "0:59:59", "59:59", "3599", "3599"),
    (3600, "1:00:00", "60:00", "3600", "3600"), (5025, "1:23:45", "83:45", "5025", "5025"),
    (86399, "23:59:59", "1439:59", "86399", "86399"), (90061, "25:01:01", "1501:01", "90061", "90061"),
    (-5, "0:00:00", "0:00", "0", "0:00"),
]


@pytest.mark.parametrize("seconds,h,m,s,unknown", SEC_CONVERT)
def test_sec_convert(seconds, h, m, s, unknown):
    assert (sec_convert(seconds, "H"), sec_convert(seconds, "HF"), sec_convert(seconds, "M"),
            sec_convert(seconds, "S"), sec_convert(seconds, "X")) == (h, h, m, s, unknown)


def test_math_zdc_and_leading_numbers():
    assert math_zdc(5, 0) == 0 and math_zdc(0, 5) == 0 and math_zdc(16, 16) == 1 and math_zdc(1, 3) == 1 / 3
    assert math_zdc("1:23:45", 2) == 0.5 and math_zdc("83:45", 1) == 83 and math_zdc(None, 4) == 0
    assert (php_number("5023"), php_number("0:01:36"), php_number("abc"), php_number(" 2.5x")) == (5023, 0, 0, 2.5)


# Printed by PHP 8.2's CLI (precision=14, the Debian default an upstream host runs with):
# php -r 'echo round(1.005, 2);' and so on. Each row tells a near miss of PHP's rules apart.
PHP_PRINTS_ROUND = [
    (1.005, 2, "1.01"),                 # binary 1.00499...: PHP pre-rounds to 15 digits first
    (5.055, 2, "5.06"),
    (-1.005, 2, "-1.01"),
    (8.345, 2, "8.35"),                 # half away from zero, not half to even
    (2.5, 0, "3"), (0.5, 0, "1"),
    (1.4999999999999998, 0, "2"),       # 15 digits make it 1.5; the shortest repr does not
    (0.049999999999999996, 1, "0.1"),
    (0.0, 2, "0"),
]
PHP_PRINTS_FLOAT = [
    (1 / 3, "0.33333333333333"), (-0.0, "-0"), (0.621600000000001, "0.6216"),  # 14 digits, not 15
    (0.1 + 0.7, "0.8"), (1e15, "1.0E+15"), (1.5e-7, "1.5E-7"), (123456789012345.67, "1.2345678901235E+14"),
]


@pytest.mark.parametrize("value,places,printed", PHP_PRINTS_ROUND)
def test_round_prints_what_php_prints(value, places, printed):
    assert php_str(php_round(value, places)) == printed


@pytest.mark.parametrize("value,printed", PHP_PRINTS_FLOAT)
def test_floats_print_what_php_prints(value, printed):
    assert php_str(value) == printed


def _rounding(decimal_of, rounding):
    def round_like(value, places=0):
        if value == 0:
            return float(value)
        return float(decimal_of(value).quantize(Decimal(1).scaleb(-places), rounding=rounding))
    return round_like


def _near_misses():
    return {
        "no 15-digit pre-rounding": _rounding(Decimal, ROUND_HALF_UP),
        "pre-rounding by the shortest repr": _rounding(lambda v: Decimal(repr(v)), ROUND_HALF_UP),
        "half to even": _rounding(lambda v: Decimal(format(v, ".15g")), ROUND_HALF_EVEN),
        "Python's round": lambda value, places=0: float(round(value, places)),
    }


@pytest.mark.parametrize("name", sorted(_near_misses()))
def test_each_near_miss_of_php_round_is_caught_by_the_pins(name):
    wrong = _near_misses()[name]
    assert any(php_str(wrong(value, places)) != printed for value, places, printed in PHP_PRINTS_ROUND)


@pytest.mark.parametrize("wrong", [lambda v: format(v, ".15G"), repr, str], ids=["precision 15", "repr", "str"])
def test_each_near_miss_of_php_float_printing_is_caught_by_the_pins(wrong):
    assert any(wrong(value) != printed for value, printed in PHP_PRINTS_FLOAT)


# PHP 8.2.36's strnatcasecmp (sign) and sprintf("%.1f") for these inputs (php -r, 2026-12-06)
PHP_STRNATCASECMP = [("VCERTS2", "VCERTS10", -1), ("a01", "a1", -1), ("a001", "a01", -1), ("x 1", "x1", 0),
                     ("0", "00", 0), ("1.5", "1.10", -1), ("SA", "sb", -1), ("VCS01B", "VCS2", -1), ("", "", 0),
                     ("", "a", -1), ("ABC", "abc", 0), ("007", "7", 0), ("a10b", "a9c", 1)]
PHP_SPRINTF_1F = [(6.25, "6.2"), (18.75, "18.8"), (0.35, "0.3"), (1.05, "1.1"), (100 / 3, "33.3"), (200 / 3, "66.7"),
                  (25, "25.0"), (1.25, "1.2")]


@pytest.mark.parametrize("a,b,sign", PHP_STRNATCASECMP)
def test_strnatcasecmp_is_phps(a, b, sign):
    from conformance.phpmath import strnatcasecmp
    assert strnatcasecmp(a, b) == sign and strnatcasecmp(b, a) == -sign


def test_natural_sorted_is_a_stable_uksort():
    from conformance.phpmath import natural_sorted
    assert natural_sorted(["VCERTS10", "abc", "VCERTS2", "ABC"]) == ["abc", "ABC", "VCERTS2", "VCERTS10"]


@pytest.mark.parametrize("value,printed", PHP_SPRINTF_1F)
def test_sprintf_1f_is_phps(value, printed):
    from conformance.phpmath import sprintf_1f
    assert sprintf_1f(value) == printed


def test_a_plain_sort_or_half_up_rounding_is_caught_by_the_pins():
    plain = [(a.lower() > b.lower()) - (a.lower() < b.lower()) for a, b, _ in PHP_STRNATCASECMP]
    assert plain != [sign for _, _, sign in PHP_STRNATCASECMP]
    assert any(str(Decimal(repr(v)).quantize(Decimal("0.1"), ROUND_HALF_UP)) != p for v, p in PHP_SPRINTF_1F)
