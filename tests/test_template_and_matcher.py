"""Templates render and match exactly; the matcher reports each kind of difference."""

from __future__ import annotations

import pytest

from conformance.client import Exchange, Request
from conformance.matcher import Expected, difference, visible
from conformance.redaction import Redactor, mask_url
from conformance.template import Template


def exchange(body: str, status: int = 200) -> Exchange:
    return Exchange(Request("/agc/api.php"), "http://127.0.0.1/agc/api.php", status=status, body=body.encode())


def test_template_literal_braces_and_patterns():
    template = Template.parse("{{x}} {a}|{n}\n")
    assert template.render({"a": "1", "n": "2"}) == "{x} 1|2\n"
    assert template.regex({"a": "1"}, {"n": r"\d+"}).fullmatch("{x} 1|345\n")
    assert not template.regex({"a": "1"}, {"n": r"\d+"}).fullmatch("{x} 1|34x\n")


def test_regex_special_characters_in_values_are_literal():
    template = Template.parse("{v}\n")
    assert template.regex({"v": "a.b"}, {}).fullmatch("a.b\n")
    assert not template.regex({"v": "a.b"}, {}).fullmatch("axb\n")


def test_exact_match_has_no_difference():
    expected = Expected(body=Template.parse("OK - {u}\n"))
    assert difference(expected, exchange("OK - 1\n"), {"u": "1"}) == []


def test_first_divergence_counts_bytes_not_characters():
    expected = Expected(body=Template.parse("é-A\n"))
    [mismatch] = difference(expected, exchange("é-B\n"), {})
    assert "first difference at byte 3 (line 1, column 3)" in mismatch.detail


def test_second_line_difference_names_the_line():
    expected = Expected(body=Template.parse("A\nB\n"))
    [mismatch] = difference(expected, exchange("A\nC\n"), {})
    assert "(line 2, column 1)" in mismatch.detail


def test_unexpected_tail():
    [mismatch] = difference(Expected(body=Template.parse("A\n")), exchange("A\nPHP junk"), {})
    assert "8 unexpected characters after byte 2" in mismatch.detail


def test_sanity_accepts_any_sane_answer():
    assert difference(Expected(sane_only=True), exchange("ERROR: anything\n"), {}) == []


def test_visible_whitespace():
    assert visible("a b\tc\r\n\x01") == "a·b→c␍↵\\x01"


@pytest.mark.parametrize("text,shown", [
    ("GET /agc/api.php?user=6666&pass=s3cret&x=1", "GET /agc/api.php?user=6666&pass=********&x=1"),
    ("mysql://cron:s3cret@127.0.0.1:3306/asterisk", "mysql://cron:********@127.0.0.1:3306/asterisk"),
    ("body echoes |6666|s3cret| and s3cret%21", "body echoes |6666|********| and ********"),
])
def test_redaction(text, shown):
    redact = Redactor({"s3cret", "s3cret!"})
    assert redact(text) == shown


def test_mask_url():
    assert mask_url("mysql://u:p@h/db") == "mysql://u:********@h/db"
    assert mask_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_one_line_pattern_never_runs_past_its_line():
    """Templates match with DOTALL, so "any text on this line" is written [^\\n]*, never .*"""
    expected = Expected(body=Template.parse("a: {x}\nb: {y}\n"), patterns={"x": r"[^\n]*", "y": r"[^\n]*"})
    assert difference(expected, exchange("a: any text, even a: or b:\nb: \n"), {}) == []
    [dropped] = difference(expected, exchange("b: 1\n"), {})
    assert dropped.kind == "UnexpectedBody"
    [swapped] = difference(expected, exchange("b: 1\na: 2\n"), {})
    assert swapped.kind == "UnexpectedBody"


def test_line_diff_shows_a_dropped_pattern_line_alone():
    """A pattern line is found a little further on, so one line left out does not shift the rest."""
    from conformance.line_diff import line_diff
    template = Template.parse("a: {x}\nb: {x}\nc: {x}\nd: {x}\n")
    diff = line_diff(template, {}, {"x": "[0-9]+"}, "a: 1\nc: 3\nd: 4\n")
    assert [(op, text) for op, _number, text in diff.lines if op != "…"] == [
        (" ", "a: 1"), ("-", "b: {x}"), (" ", "c: 3"), (" ", "d: 4")]
    assert (diff.first_line, diff.expected_line) == (2, "b: {x}")


def test_line_diff_lets_a_pattern_span_lines():
    from conformance.line_diff import line_diff
    template = Template.parse("<{block}>\nend\n")
    block = "x\n[0-9]|none"
    assert line_diff(template, {}, {"block": block}, "<x\n7>\nend\n") is None
    diff = line_diff(template, {}, {"block": block}, "<x\n7>\nEND\n")
    assert [(op, text) for op, _number, text in diff.lines] == [
        (" ", "<x"), (" ", "7>"), ("-", "end"), ("+", "END"), (" ", "")]
