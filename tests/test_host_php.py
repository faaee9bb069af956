"""The PHP behaviours the reference host reproduces."""

from __future__ import annotations

import pytest

from conformance.host.http import HostRequest, parse_form
from conformance.host.php import compare, is_numeric, keep


@pytest.mark.parametrize("text,number,result", [
    ("121242", 0, 1), ("", 0, -1), ("", 1, -1), ("START", 0, 1), ("START", 1, 1),
    ("START_MIDCALL", 0, 1), ("0", 0, 0), (" 12 ", 12, 0), ("1e3", 999, 1), ("STOP", 1, 1),
])
def test_php8_string_number_comparison(text, number, result):
    assert compare(text, number) == result


def test_numeric_strings():
    assert is_numeric(" 1.5e3 ") and is_numeric(".5") and not is_numeric("1x") and not is_numeric("")


def test_filters_latin_and_non_latin():
    assert keep("BR É-AK|", "-|_0-9a-zA-Z") == "BR-AK|"
    utf8 = "BRÉAK".encode("utf-8").decode("latin-1")
    assert keep(utf8, "-|_0-9a-zA-Z", non_latin=True) == utf8
    assert keep("\xff\xfe", "0-9a-zA-Z", non_latin=True) == ""  # invalid UTF-8: preg_replace fails


def test_form_parsing_is_phps():
    assert parse_form("a=1+2&b=%2B&a=3&c") == {"a": "3", "b": "+", "c": ""}
    assert parse_form("v=%C3%89") == {"v": "\xc3\x89"}  # bytes kept one per character


def test_get_wins_over_post():
    request = HostRequest("POST", "/agc/api.php", {"user": "g"}, {"user": "p", "pass": "q"})
    assert (request.param("user"), request.param("pass"), request.param("x")) == ("g", "q", "")
