"""Every check catches a target that breaks it, with a message that says where."""

from __future__ import annotations

import pytest

from conformance.client import Target
from conformance.execution import run_case
from conformance.failure import describe_failure
from conformance.redaction import Redactor

from targets import (MisbehavingHandler, RawSocketTarget, api_user_echoed, empty_body, missing_newline,
                     pause_code_allows_seven, php_warning, server_error, slow, wrong_text)


@pytest.fixture
def bent(httpserver, tmp_path, vicidial_world, vicidial_specs):
    """run(function, case, mutation) -> CaseResult against a target bent by ``mutation``."""
    def run(function, case_name, mutation, timeout=5.0):
        handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, mutation)
        httpserver.clear_all_handlers()
        httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=timeout)
        return run_case(case(vicidial_specs, function, case_name), target, vicidial_world, "reference",
                        Redactor(vicidial_world.secrets))
    return run


def case(specs, function, name):
    return next(c for c in specs[function].cases if c.name == name)


def kinds(result):
    return [m.kind for m in result.reference.mismatches]


def unchanged(request, answer):
    return answer


@pytest.mark.parametrize("function,name", [
    ("pause_code", "paused_agent_break"), ("pause_code", "value_length_7"),
    ("recording", "status_recording"), ("preamble", "coffee_is_a_teapot"), ("preamble", "source_length_21"),
])
def test_an_honest_target_passes(bent, function, name):
    """Control: the same proxy without a mutation conforms, so each failure below is the mutation's."""
    assert bent(function, name, unchanged).status == "passed"


def test_wrong_text_is_named_with_its_byte(bent):
    result = bent("pause_code", "paused_agent_break", wrong_text)
    assert result.status == "failed"
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "UnexpectedBody"
    assert "first difference at byte 31 (line 1, column 32)" in mismatch.detail
    assert "set" in mismatch.actual and "sent" in mismatch.expected


def test_missing_newline(bent):
    result = bent("pause_code", "paused_agent_break", missing_newline)
    assert kinds(result) == ["MissingTrailingNewline"]


def test_extra_newline(bent):
    def extra(request, answer):
        answer.body += "\n"
        return answer
    assert kinds(bent("recording", "start_idle", extra)) == ["ExtraTrailingNewline"]


def test_api_user_echoed_fails_reference_but_matches_documented(bent):
    """The seed-000 drift: the report says which contract the target matched."""
    result = bent("pause_code", "paused_agent_break", api_user_echoed)
    assert result.status == "failed"
    assert result.matched_sources == ["docs", "seed000"]
    assert "6666" in result.reference.mismatches[0].actual
    assert "texts: reference: differs; docs: matched; seed000: matched" in describe_failure(result)


def test_api_user_echoed_passes_the_documented_contract(bent, vicidial_specs, vicidial_world, httpserver, tmp_path):
    result = bent("pause_code", "paused_agent_break", api_user_echoed)
    result.contract = "documented"
    assert result.status == "passed"


def test_off_by_one_length_rule(bent):
    assert bent("pause_code", "value_length_6", pause_code_allows_seven).status == "passed"
    result = bent("pause_code", "value_length_7", pause_code_allows_seven)
    assert result.status == "failed"
    assert "not·valid" in result.reference.mismatches[0].expected


def test_wrong_field_is_named(bent):
    def swap_session(request, answer):
        answer.body = answer.body.replace("8600055", "8600099")
        return answer
    result = bent("recording", "status_recording", swap_session)
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "WrongField"
    assert mismatch.field == "field 7 (session)"
    assert (mismatch.expected, mismatch.actual) == ("8600055", "8600099")


def test_http_500_on_an_exact_case(bent):
    result = bent("pause_code", "paused_agent_break", server_error)
    assert kinds(result) == ["WrongStatus", "UnexpectedBody"]
    assert result.reference.mismatches[0].actual == "500"


def test_http_500_on_a_sanity_case(bent):
    """Docs-only rules (source over 20 characters) still catch a crashing server."""
    result = bent("preamble", "source_length_21", server_error)
    assert kinds(result) == ["ServerError", "EmptyBody"]


def test_php_error_text(bent):
    result = bent("preamble", "source_length_21", php_warning)
    assert kinds(result) == ["PhpErrorText"]
    assert "Undefined·variable" in result.reference.mismatches[0].actual


def test_empty_body(bent):
    result = bent("recording", "start_idle", empty_body)
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "UnexpectedBody" and "body ends early at byte 0" in mismatch.detail


def test_timeout(bent):
    result = bent("pause_code", "paused_agent_break", slow(1.0), timeout=0.3)
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "TransportFailure"
    assert "timed out after 0.3 s" in mismatch.actual


@pytest.mark.parametrize("behaviour,message", [
    ("reset", ("connection reset", "connection closed before any response")),
    ("truncate", ("truncated body: got 12 bytes",)),
])
def test_broken_connections(behaviour, message, vicidial_specs, vicidial_world):
    server = RawSocketTarget(behaviour)
    try:
        result = run_case(case(vicidial_specs, "pause_code", "paused_agent_break"), Target(server.url, timeout=2),
                          vicidial_world, "reference", Redactor(vicidial_world.secrets))
    finally:
        server.close()
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "TransportFailure"
    assert mismatch.actual.startswith(message)
    assert result.status == "failed"


def test_failure_text_never_shows_the_password(bent, vicidial_world):
    result = bent("preamble", "wrong_password", wrong_text)
    text = describe_failure(result)
    assert "pass=********" in text
    for secret in vicidial_world.secrets | {"wrongPass1"}:
        assert secret not in text
