"""Each Mismatch kind, raised by the answer that earns it, with the field and detail it names."""

from __future__ import annotations

import pytest

from conformance.client import Exchange, Request
from conformance.matcher import (EmptyBody, ExtraTrailingNewline, Expected, MissingTrailingNewline,
                                 PhpErrorText, ServerError, TransportFailure, UnexpectedBody, WrongField,
                                 WrongStatus, difference)
from conformance.template import Template

EXPORT = "user|calls|time\n{u1}|2|0:01:40\n{u2}|3|0:00:50\n"
CONTEXT = {"u1": "1001", "u2": "1002"}


def answer(body: str | bytes, status: int | None = 200, error: str | None = None) -> Exchange:
    raw = body.encode() if isinstance(body, str) else body
    return Exchange(Request("/agc/api.php"), "http://127.0.0.1/agc/api.php", status=status, body=raw, error=error)


def exact(text: str, **kwargs) -> Expected:
    return Expected(body=Template.parse(text), **kwargs)


def test_transport_failure_outranks_everything():
    [mismatch] = difference(exact("OK\n"), answer("", status=None, error="connection reset by peer"), {})
    assert type(mismatch) is TransportFailure and mismatch.actual == "connection reset by peer"


def test_wrong_status_and_body_are_both_named():
    found = difference(exact("OK\n"), answer("NO\n", status=404), {})
    assert [type(m) for m in found] == [WrongStatus, UnexpectedBody]
    assert (found[0].expected, found[0].actual) == ("200", "404")


def test_server_error_and_php_error_text_where_only_sanity_is_asked():
    found = difference(Expected(sane_only=True), answer("<b>Fatal error</b>: Uncaught Error in x.php\n", 500), {})
    assert [type(m) for m in found] == [ServerError, PhpErrorText]
    assert found[1].actual.startswith("<b>Fatal·error</b>:")


def test_empty_body_where_only_sanity_is_asked():
    [mismatch] = difference(Expected(sane_only=True), answer(""), {})
    assert type(mismatch) is EmptyBody and mismatch.actual == "0 bytes"


def test_missing_and_extra_final_newline():
    [missing] = difference(exact("OK\n"), answer("OK"), {})
    [extra] = difference(exact("OK\n"), answer("OK\n\n"), {})
    assert type(missing) is MissingTrailingNewline and type(extra) is ExtraTrailingNewline


def test_one_line_answer_names_the_field_that_differs():
    expected = exact("SUCCESS: {agent}|{session}|RECORDING\n", fields=("result", "session", "state"))
    [mismatch] = difference(expected, answer("SUCCESS: 1001|8600052|RECORDING\n"), {"agent": "1001", "session": "8600051"})
    assert type(mismatch) is WrongField and mismatch.field == "field 2 (session)"
    assert (mismatch.expected, mismatch.actual) == ("8600051", "8600052")


@pytest.mark.parametrize("body, field, expected, actual", [
    ("user|calls|time\n1001|2|0:01:40\n1002|4|0:00:50\n", "line 3 (1002) field 2 (calls)", "3", "4"),
    ("user|calls|time\n1001|2|0:01:40\n1002|3|0:00:50.0\n", "line 3 (1002) field 3 (time)", "0:00:50", "0:00:50.0"),
    ("user|calls|time\n1001|3|0:01:40\n1002|2|0:00:50\n", "line 2 (1001) field 2 (calls)", "2", "3"),
])
def test_export_line_names_line_agent_and_column(body, field, expected, actual):
    found = difference(exact(EXPORT), answer(body), CONTEXT)
    assert type(found[0]) is WrongField and (found[0].field, found[0].expected, found[0].actual) == (field, expected, actual)


def test_crlf_line_ends_are_shown_not_hidden():
    found = difference(exact(EXPORT), answer(EXPORT.format(**CONTEXT).replace("\n", "\r\n")), CONTEXT)
    assert found and all("␍" in m.actual for m in found)


def test_a_dropped_last_line_says_where_the_body_ends():
    body = "user|calls|time\n1001|2|0:01:40\n"
    [mismatch] = difference(exact(EXPORT), answer(body), CONTEXT)
    assert type(mismatch) is UnexpectedBody and "body ends early at byte 31 (line 3, column 1)" in mismatch.detail


def test_swapped_columns_are_caught_field_by_field():
    body = "user|time|calls\n1001|0:01:40|2\n1002|0:00:50|3\n"
    found = difference(exact(EXPORT), answer(body), CONTEXT)
    assert all(type(m) is WrongField for m in found)
    assert [m.field for m in found] == [
        "line 1 field 2 (calls)", "line 1 field 3 (time)", "line 2 (1001) field 2 (calls)",
        "line 2 (1001) field 3 (time)", "line 3 (1002) field 2 (calls)", "line 3 (1002) field 3 (time)"]


def test_description_reads_kind_field_expected_actual_and_detail():
    mismatch = UnexpectedBody("body", "A", "B", "first difference at byte 0")
    assert mismatch.describe() == "UnexpectedBody in body: expected A, got B (first difference at byte 0)"


def test_php_error_text_is_named_where_an_exact_text_was_due():
    found = difference(exact("OK\n"), answer("<b>Warning</b>: Undefined variable $x in api.php\nOK\n"), {})
    assert [type(m) for m in found] == [PhpErrorText, UnexpectedBody]


# -- single-point changes to the matcher that the kinds above let through ------------------------

def test_a_framing_error_fails_even_a_right_text_with_a_status():
    error = "invalid Content-Length: '-5'"
    [mismatch] = difference(exact("OK\n"), answer("OK\n", status=200, error=error), {})
    assert type(mismatch) is TransportFailure and mismatch.actual == error


def test_only_a_final_newline_too_many_is_an_extra_newline():
    [mismatch] = difference(exact("OK\n"), answer("OK\nX"), {})
    assert type(mismatch) is UnexpectedBody and "1 unexpected characters after byte 3: X" in mismatch.detail


def test_an_extra_line_is_shown_whole_not_as_fields():
    [mismatch] = difference(exact("OK|1\n"), answer("OK|2\nEXTRA\n"), {})
    assert type(mismatch) is UnexpectedBody and "EXTRA" in mismatch.actual


def test_comma_separated_exports_name_their_fields():
    found = difference(exact("user,calls\n{u1},2\n{u2},3\n"), answer("user,calls\n1001,2\n1002,4\n"), CONTEXT)
    assert [(type(m), m.field, m.expected, m.actual) for m in found] == [
        (WrongField, "line 3 (1002) field 2 (calls)", "3", "4")]
