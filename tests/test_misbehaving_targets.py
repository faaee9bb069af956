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
        for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
            httpserver.expect_request(endpoint).respond_with_handler(handler)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=timeout)
        return run_case(case(vicidial_specs, function, case_name), target, vicidial_world, "reference",
                        Redactor(vicidial_world.secrets), failed_logins=True, writes=True)  # a throw-away target
    return run


def case(specs, function, name):
    return next(c for c in specs[function].cases if c.name == name)


def kinds(result):
    return [m.kind for m in result.reference.mismatches]


def unchanged(request, answer):
    return answer


@pytest.mark.parametrize("function,name", [
    ("agent_api/pause_code", "paused_agent_break"), ("agent_api/pause_code", "value_length_7"),
    ("agent_api/recording", "status_recording"), ("agent_api/preamble", "coffee_is_a_teapot"), ("agent_api/preamble", "source_length_21"),
])
def test_an_honest_target_passes(bent, function, name):
    """Control: the same proxy without a mutation conforms, so each failure below is the mutation's."""
    result = bent(function, name, unchanged)
    assert result.status == "passed", (result.exchange.status, result.exchange.body, result.reference.mismatches)


def test_wrong_text_is_named_with_its_byte(bent):
    result = bent("agent_api/pause_code", "paused_agent_break", wrong_text)
    assert result.status == "failed"
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "UnexpectedBody"
    assert "first difference at byte 31 (line 1, column 32)" in mismatch.detail
    assert "set" in mismatch.actual and "sent" in mismatch.expected


def test_missing_newline(bent):
    result = bent("agent_api/pause_code", "paused_agent_break", missing_newline)
    assert kinds(result) == ["MissingTrailingNewline"]


def test_extra_newline(bent):
    def extra(request, answer):
        answer.body += "\n"
        return answer
    assert kinds(bent("agent_api/recording", "start_idle", extra)) == ["ExtraTrailingNewline"]


def test_api_user_echoed_fails_reference_but_matches_documented(bent):
    """The seed-000 drift: the report says which contract the target matched."""
    result = bent("agent_api/pause_code", "paused_agent_break", api_user_echoed)
    assert result.status == "failed"
    assert result.matched_sources == ["docs", "seed000"]
    assert "vcrt6666" in result.reference.mismatches[0].actual
    assert "texts: reference: body differs; docs: body matched; seed000: body matched" in describe_failure(result)


def test_api_user_echoed_passes_the_documented_contract(bent, vicidial_specs, vicidial_world, httpserver, tmp_path):
    result = bent("agent_api/pause_code", "paused_agent_break", api_user_echoed)
    result.contract = "documented"
    assert result.status == "passed"


def test_off_by_one_length_rule(bent):
    assert bent("agent_api/pause_code", "value_length_6", pause_code_allows_seven).status == "passed"
    result = bent("agent_api/pause_code", "value_length_7", pause_code_allows_seven)
    assert result.status == "failed"
    assert "not·valid" in result.reference.mismatches[0].expected


def test_wrong_field_is_named(bent):
    def swap_session(request, answer):
        answer.body = answer.body.replace("8600055", "8600099")
        return answer
    result = bent("agent_api/recording", "status_recording", swap_session)
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "WrongField"
    assert mismatch.field == "field 7 (session)"
    assert (mismatch.expected, mismatch.actual) == ("8600055", "8600099")


def test_http_500_on_an_exact_case(bent):
    result = bent("agent_api/pause_code", "paused_agent_break", server_error)
    assert kinds(result) == ["WrongStatus", "UnexpectedBody"]
    assert result.reference.mismatches[0].actual == "500"


def test_http_500_on_a_docs_only_case(bent):
    """Docs-only rules (source over 20 characters) still catch a crashing server."""
    result = bent("agent_api/preamble", "source_length_21", server_error)
    assert kinds(result) == ["WrongStatus", "UnexpectedBody"]


def test_php_error_text_is_named_before_the_difference(bent):
    result = bent("agent_api/preamble", "source_length_21", php_warning)
    assert kinds(result) == ["PhpErrorText", "UnexpectedBody"]
    assert "Undefined·variable" in result.reference.mismatches[0].actual


def test_empty_body(bent):
    result = bent("agent_api/recording", "start_idle", empty_body)
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "UnexpectedBody" and "body ends early at byte 0" in mismatch.detail


def test_timeout(bent):
    result = bent("agent_api/pause_code", "paused_agent_break", slow(1.0), timeout=0.3)
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "TransportFailure"
    assert mismatch.actual.startswith("no complete answer within 0.3 s")


@pytest.mark.parametrize("behaviour,message", [
    ("reset", ("connection reset", "connection closed before any response")),
    ("truncate", ("truncated body: got 12 bytes",)),
])
def test_broken_connections(behaviour, message, vicidial_specs, vicidial_world):
    server = RawSocketTarget(behaviour)
    try:
        result = run_case(case(vicidial_specs, "agent_api/pause_code", "paused_agent_break"), Target(server.url, timeout=2),
                          vicidial_world, "reference", Redactor(vicidial_world.secrets), writes=True)
    finally:
        server.close()
    [mismatch] = result.reference.mismatches
    assert mismatch.kind == "TransportFailure"
    assert mismatch.actual.startswith(message)
    assert result.status == "failed"


def test_failure_text_never_shows_the_password(bent, vicidial_world):
    result = bent("agent_api/preamble", "wrong_password", wrong_text)
    text = describe_failure(result)
    assert "pass=********" in text
    for secret in vicidial_world.secrets | {"wrongPass1"}:
        assert secret not in text


# -- agent_stats_export: wrong figures are named by row and column -------------------------

STATS = "non_agent_api/agent_stats_export"


def test_python_rounding_is_caught_by_row_and_column(bent, monkeypatch):
    """Python's round(4.5) is 4; PHP's is 5."""
    from conformance.host.non_agent import agent_stats_export
    monkeypatch.setattr(agent_stats_export, "php_round", lambda value, places=0: float(round(value, places)))
    result = bent(STATS, "export_default", unchanged)
    wrong = {(m.field, m.expected, m.actual) for m in result.reference.mismatches}
    assert ("line 2 (vcrt2001) field 14 (avg_pause_time)", "0:00:05", "0:00:04") in wrong
    assert ("line 3 (vcrt2002) field 8 (avg_wait_time)", "0:00:13", "0:00:12") in wrong
    assert ("line 4 (vcrt2003) field 14 (avg_pause_time)", "0:01:03", "0:01:02") in wrong


def test_swapped_columns_are_named(bent):
    def swap(request, answer):
        lines = answer.body.split("\n")
        for index in range(1, len(lines) - 1):
            fields = lines[index].split("|")
            fields[4], fields[5] = fields[5], fields[4]
            lines[index] = "|".join(fields)
        answer.body = "\n".join(lines)
        return answer
    result = bent(STATS, "export_default", swap)
    fields = [m.field for m in result.reference.mismatches]
    assert "line 2 (vcrt2001) field 5 (login_time)" in fields and "line 2 (vcrt2001) field 6 (total_talk_time)" in fields
    assert len(fields) == 8


def test_missing_header_newline(bent):
    def glue(request, answer):
        answer.body = answer.body.replace("dead_time\n", "dead_time", 1)
        return answer
    [mismatch] = bent(STATS, "export_default", glue).reference.mismatches
    assert mismatch.kind == "UnexpectedBody"
    assert "first difference at byte 223 (line 1, column 224): expected '↵vcrt2001|Ann·Alpha|', got 'vcrt2001|Ann·Alpha|T'" in mismatch.detail


def test_h_differing_from_hf(bent):
    def short_zero_for_h(request, answer):
        if request.param("time_format") == "H":
            answer.body = answer.body.replace("|0:00:00", "|0:00")
        return answer
    assert bent(STATS, "export_default", short_zero_for_h).status == "passed"
    result = bent(STATS, "h_is_hf", short_zero_for_h)
    assert result.status == "failed"
    assert ("line 2 (vcrt2001) field 7 (avg_talk_time)", "0:00:00", "0:00") in \
        {(m.field, m.expected, m.actual) for m in result.reference.mismatches}


def test_documented_arithmetic_host_matches_documented_texts(bent, monkeypatch):
    """A host computing what the columns mean fails the reference and matches docs_meaning."""
    from conformance.host import app
    original = app.NonAgentApi
    monkeypatch.setattr(app, "NonAgentApi", lambda db, clock, arithmetic: original(db, clock, "documented"))
    for name in ("export_default", "seconds"):
        result = bent(STATS, name, unchanged)
        assert result.status == "failed" and result.matched_sources == ["docs_meaning"], name


def _webserver_lines(bend):
    """A mutation that bends the lines of a webserver answer (others pass through)."""
    def mutation(request, answer):
        if request.param("function") == "webserver":
            lines = answer.body.split("\n")
            bend(lines)
            answer.body = "\n".join(lines)
        return answer
    return mutation


def test_webserver_without_a_timezone_passes(bent, monkeypatch):
    """Control: the short branch (no date.timezone) is the contract too; the values are the host's own."""
    from conformance.host.agent import webserver
    monkeypatch.setattr(webserver, "configured_zone", lambda: "")
    result = bent("agent_api/webserver", "api_admin", unchanged)
    assert "disk free space: " in result.exchange.text and "\nini_get not allowed: \n</PRE>\n" in result.exchange.text
    assert result.status == "passed", result.reference.mismatches


@pytest.mark.parametrize("bend,removed", [
    (lambda lines: lines.pop(4), "uname: {uname}"),                          # a line left out
    (lambda lines: lines.insert(5, lines.pop(6)), "server name: {server_name}"),  # host and server name swapped
])
def test_webserver_line_dropped_or_moved_is_shown_alone(bent, bend, removed):
    """Every value is a pattern, yet a dropped or moved line fails, and the diff shows that line alone."""
    result = bent("agent_api/webserver", "api_admin", _webserver_lines(bend))
    assert kinds(result) == ["UnexpectedBody"]
    changed = [(op, text) for op, _number, text in result.reference.diff.lines if op in "-+"]
    assert ("-", removed) in changed and len(changed) <= 2, changed


@pytest.mark.parametrize("bend", [
    lambda lines: lines.insert(13, lines.pop(14)),   # two PHP limits swapped
    lambda lines: lines.pop(-3),                     # the last limit left out
    lambda lines: lines.insert(-2, "ini_get not allowed: "),   # both branches at once
])
def test_webserver_php_settings_layout_is_checked(bent, bend):
    """The date.timezone lines are one pattern (either branch); within it too, order and presence count."""
    result = bent("agent_api/webserver", "api_admin", _webserver_lines(bend))
    assert kinds(result) == ["UnexpectedBody"]
    assert result.reference.diff.first_line == 13
    assert ("-", None, "{php_settings}</PRE>") in result.reference.diff.lines
