"""PHP's rounding and formatting, pinned to what PHP prints."""

from __future__ import annotations

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
