"""Effects and headers: what an answer cannot show is checked too, and a host that only says it did is caught."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from targets import MisbehavingHandler

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.effects import WrongEffect, WrongRowCount, effect_mismatches
from conformance.execution import CaseResult
from conformance.report.record import case_record
from conformance.host import registry
from conformance.host.server import EmbeddedHost
from conformance.matcher import with_headers
from conformance.sql_fixture import checksums
from conformance.spec import load_spec, load_specs

PAUSE_CODE = SPECS_DIR / "agent_api" / "pause_code.yaml"
SEND_DTMF = SPECS_DIR / "agent_api" / "send_dtmf.yaml"
RECORDING = SPECS_DIR / "agent_api" / "recording.yaml"
STORING_CASES = {case.id for case in load_spec(PAUSE_CODE).cases if case.writes}   # each stores a code


def _not_paused(call) -> bool:
    call.trace("select status from vicidial_live_agents where status='PAUSED';")   # the debug page's line
    return call.db.one("SELECT status FROM vicidial_live_agents WHERE user=? AND status='PAUSED'",
                       call.p["agent_user"]) is None


def answers_but_stores_nothing(call) -> None:
    """pause_code as upstream answers it, without the write."""
    if _not_paused(call):
        call.say(f"ERROR: pause_code error - agent is not paused - {call.p['agent_user']}\n")
        return
    call.comment("UPDATE vicidial_live_agents SET external_pause_code=...;")   # says it did, on the debug page
    call.say(f"SUCCESS: pause_code function sent - {call.p['agent_user']}\n")


def stores_what_it_refuses(call) -> None:
    """pause_code that writes the code even for an agent it then says is not paused."""
    call.signal("external_pause_code", call.p["value"])
    if _not_paused(call):
        call.say(f"ERROR: pause_code error - agent is not paused - {call.p['agent_user']}\n")
        return
    call.say(f"SUCCESS: pause_code function sent - {call.p['agent_user']}\n")


def stores_dtmf_translated(call) -> None:
    """send_dtmf as upstream answers it, storing the docs' letters as the tones they stand for
    (P as #, S as *): the answer is right, the stored signal is not the value."""
    value, agent_user = call.p["value"], call.p["agent_user"]
    call.signal("external_dtmf", value.replace("P", "#").replace("S", "*"))
    call.say(f"SUCCESS: send_dtmf function set - {value}|{agent_user}\n")


HONEST = {name: function.handler for name, function in registry.functions("agent_api").items()}   # before any bend


def logs_the_agent_out(call) -> None:
    """pause_code that answers SUCCESS and removes the agent's live row instead of stamping the code."""
    if _not_paused(call):
        call.say(f"ERROR: pause_code error - agent is not paused - {call.p['agent_user']}\n")
        return
    call.db.write("DELETE FROM vicidial_live_agents WHERE user=?", call.p["agent_user"])
    call.comment("UPDATE vicidial_live_agents SET external_pause_code=...;")   # says it stamped, on the debug page
    call.say(f"SUCCESS: pause_code function sent - {call.p['agent_user']}\n")


def logs_the_agent_in(call) -> None:
    """pause_code, run without the logged-in step, that gives an agent with no live row one and
    then says the agent is not logged in."""
    if call.db.value("SELECT count(*) FROM vicidial_live_agents WHERE user=?", call.p["agent_user"]) == 0:
        call.db.write("INSERT INTO vicidial_live_agents (user, server_ip, status, lead_id) "
                      "VALUES (?, '10.0.0.1', 'PAUSED', 0)", call.p["agent_user"])
        call.say(f"ERROR: agent_user is not logged in - {call.p['agent_user']}\n")
        return
    HONEST["pause_code"](call)


def upper_cases_the_code(call) -> None:
    """pause_code as upstream answers it, storing the code in capitals (the answer never shows it)."""
    call.p["value"] = call.p["value"].upper()
    HONEST["pause_code"](call)


def forgets_the_stage(call) -> None:
    """recording as upstream answers it (START with its stage), storing START without the stage."""
    HONEST["recording"](call)
    if call.stage and "START" in call.p["value"] and call.out[-1].startswith("SUCCESS"):
        call.signal("external_recording", call.p["value"])


@pytest.fixture
def bent_pause_code(monkeypatch):
    """Replace the reference host's handler of ``function`` (pause_code unless named), and any other of
    its declarations given (its ``steps``, say), for hosts started from now on."""
    def bend(handler, function="pause_code", **changes):
        known = registry.functions("agent_api")[function]
        monkeypatch.setitem(registry._REGISTERED["agent_api"], function, replace(known, handler=handler, **changes))
    return bend


def failed_ids(report_dir) -> dict[str, list[str]]:
    report = json.loads((report_dir / "report.json").read_text())
    return {case["id"]: [m["kind"] for m in case["reference"]["mismatches"]]
            for case in report["cases"] if case["status"] == "failed"}


def test_a_host_that_answers_success_and_stores_nothing_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(answers_but_stores_nothing)
    result = pytester.runpytest_inprocess(str(PAUSE_CODE), "-p", "no:cacheprovider",
                                          "--vicidial-report-dir", str(tmp_path))
    failed = failed_ids(tmp_path)
    assert set(failed) == STORING_CASES and len(failed) >= 12     # every case that stores a code, and nothing else
    assert all(kinds == ["WrongEffect"] for kinds in failed.values())   # the text itself was right
    result.stdout.fnmatch_lines(["*WrongEffect in vicidial_live_agents.external_pause_code (vicidial_live_agents "
                                 "where user='vcrt1001'): the call must leave this value",
                                 "*expected: 'BREAK'", "*actual:   ''"])


def test_a_host_that_stores_what_it_refuses_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(stores_what_it_refuses)
    pytester.runpytest_inprocess(str(PAUSE_CODE), "-p", "no:cacheprovider", "--vicidial-report-dir", str(tmp_path))
    failed = failed_ids(tmp_path)
    assert {"agent_api::pause_code::ready_agent", "agent_api::pause_code::incall_agent"} <= set(failed)
    assert failed["agent_api::pause_code::ready_agent"] == ["WrongEffect"]


def test_a_host_that_stores_another_value_than_it_answers_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(stores_dtmf_translated, "send_dtmf")
    result = pytester.runpytest_inprocess(str(SEND_DTMF), "-p", "no:cacheprovider",
                                          "--vicidial-report-dir", str(tmp_path))
    failed = failed_ids(tmp_path)
    case = "agent_api::send_dtmf::{}".format
    # every case that stores a P or an S, and only through what it stored: the text was right
    assert {case("ready_agent_docs_value"), case("paused_agent"), case("alt_user_found"),
            case("alt_user_wins_over_agent_user")} <= set(failed)
    assert not {case("incall_agent"), case("docs_refused_value_is_accepted"), case("logged_out_agent")} & set(failed)
    assert all(kinds == ["WrongEffect"] for kinds in failed.values())
    result.stdout.fnmatch_lines(["*WrongEffect in vicidial_live_agents.external_dtmf (vicidial_live_agents "
                                 "where user='vcrt1002'): the call must leave this value",
                                 "*expected: 'QQQQ1234SQQQQQ6654P'", "*actual:   'QQQQ1234*QQQQQ6654#'"])


def _case(spec: str, name: str):
    return next(case for case in load_spec(SPECS_DIR / "agent_api" / spec).cases if case.name == name)


def _stored(value):
    """A row reader whose agent row holds ``value`` in whatever column is asked for."""
    return lambda table, columns, where: [{column: value for column in columns}]


def test_an_effect_value_may_use_the_specs_patterns():
    # external_pause stores the value, a ! and the clock's epoch: the spec's epoch pattern stands for it
    case = _case("external_pause.yaml", "ready_agent_pause")
    context = {"agent.user": "vcrt1002", "filtered.value": "PAUSE"}
    assert effect_mismatches(case, _stored("PAUSE!1718000000"), context) == []
    for wrong in ("PAUSE", "PAUSE!", "PAUSE!soon", "PAUSE!1718000000!", "RESUME!1718000000"):
        found = effect_mismatches(case, _stored(wrong), context)
        assert [type(mismatch) for mismatch in found] == [WrongEffect], wrong
        assert found[0].expected == "'PAUSE!{epoch}'" and found[0].actual == repr(wrong)


def test_an_effect_value_is_compared_as_the_column_holds_it():
    # external_hangup is one character wide: HANGUP is stored as H (MySQL's non-strict mode, upstream's)
    case = _case("external_hangup.yaml", "incall_agent_hangup")
    context = {"agent.user": "vcrt1003", "filtered.value": "HANGUP"}
    assert effect_mismatches(case, _stored("H"), context) == []
    found = effect_mismatches(case, _stored("HANGUP"), context)    # a database that keeps what it should cut
    assert [type(mismatch) for mismatch in found] == [WrongEffect] and found[0].expected == "'H'"


# a whole run on MariaDB; the effects' judgement is unit-tested above, reading them back by test_sql_fixture
@pytest.mark.slow
def test_the_sql_fixture_mode_reads_the_effects_from_the_target_database(vicidial_mariadb, pytester, tmp_path,
                                                                         bent_pause_code):
    vicidial_mariadb.admin("CREATE DATABASE effects_lab")
    url = vicidial_mariadb.url("effects_lab")
    host = EmbeddedHost(url).start()     # creates the tables; the fixture mode then provisions the world
    host.database.write("INSERT INTO system_settings (version, db_schema_version, vdc_agent_api_active) "
                        "VALUES ('2.14b0.5', 1701, '1')")
    host.database.write("INSERT INTO servers (server_id, server_ip, active, active_asterisk_server) "
                        "VALUES ('LAB1', '10.9.8.7', 'Y', 'Y')")   # the host's own server, as an install has it
    host.stop()
    bent_pause_code(answers_but_stores_nothing)
    bent = EmbeddedHost(url).start()
    try:
        before = checksums(bent.database)
        pytester.runpytest_inprocess(str(PAUSE_CODE), "-p", "no:cacheprovider", "--vicidial-target", bent.base_url,
                                     "--vicidial-world-db", url, "--vicidial-report-dir", str(tmp_path))
        failed = failed_ids(tmp_path)
        assert set(failed) == STORING_CASES and all(kinds == ["WrongEffect"] for kinds in failed.values())
        assert checksums(bent.database) == before
    finally:
        bent.stop()


def test_declared_mode_says_the_effects_were_not_checked(pytester, httpserver, tmp_path, vicidial_world):
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, lambda request, answer: answer)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", str(PAUSE_CODE), "--vicidial-target", httpserver.url_for("/"),
                                "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-writes",
                                "--vicidial-report-dir", str(tmp_path / "out"))
    assert result.ret == pytest.ExitCode.OK
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    noted = [case for case in report["cases"] if "effects" in case and case["status"] != "skipped"]
    assert noted and all(not case["effects"]["checked"] and "declared mode" in case["effects"]["note"]
                         for case in noted)
    result.stdout.fnmatch_lines([f"effects: not checked in {len(noted)} cases (declared mode*"])


def test_a_missing_header_is_caught(pytester, httpserver, tmp_path, vicidial_world):
    def plain_text(request, answer):
        answer.headers = [("Content-Type", "text/plain"), ("Cache-Control", "no-cache, must-revalidate"),
                          ("Pragma", "no-cache")]
        return answer
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, plain_text)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", str(PAUSE_CODE), "--vicidial-target", httpserver.url_for("/"),
                                "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-writes",
                                "--vicidial-report-dir", str(tmp_path / "out"))
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) == 0 and outcomes["failed"] >= 25
    result.stdout.fnmatch_lines(["*WrongHeader in header Content-Type", "*expected: 'text/html; charset=utf-8'",
                                 "*actual:   'text/plain'"])



def test_an_outside_sample_with_its_own_answer_may_state_its_own_effects():
    # send_dtmf's 12#34* has its own (inline) answer; its effects say the filter's 1234 is stored
    sample = _case("send_dtmf.yaml", "value_charset_12_34_3")
    assert sample.generated and sample.reference.label == "inline"
    context = {"agent.user": "vcrt1002"}
    assert effect_mismatches(sample, _stored("1234"), context) == []
    assert [m.expected for m in effect_mismatches(sample, _stored("12#34*"), context)] == ["'1234'"]
    plain = _case("send_dtmf.yaml", "value_charset_hello_1")   # a sample without its own answer keeps set's
    assert plain.effects == load_spec(SEND_DTMF).cases[0].effects


def test_every_shipped_case_that_writes_states_its_effects():
    # the loader refuses a writing case without them; reasons for leaving them out are rare and listed here
    writing = [case for spec in load_specs(SPECS_DIR) for case in spec.cases if case.writes]
    assert len(writing) > 250
    assert [case.id for case in writing if not case.effects and not case.effects_unchecked] == []
    assert {case.id: case.effects_unchecked for case in writing if case.effects_unchecked} == {}


def test_a_reason_for_unstated_effects_rides_on_the_record():
    case = replace(_case("recording.yaml", "start_idle"), effects=(), effects_unchecked="the screen empties it")
    record = case_record(CaseResult(case=case, contract="reference", skip_reason="not sent"))
    assert record["effects_unchecked"] == "the screen empties it" and "effects" not in record


def test_a_row_missing_where_values_are_wanted_is_a_wrong_row_count():
    case = _case("pause_code.yaml", "paused_agent_break")
    found = effect_mismatches(case, lambda table, columns, where: [], {"agent.user": "vcrt1001",
                                                                       "filtered.value": "BREAK"})
    assert [(type(m), m.field, m.expected, m.actual) for m in found] == [
        (WrongRowCount, "rows of vicidial_live_agents where user='vcrt1001'", "at least 1", "0")]


def test_a_row_where_none_may_be_is_a_wrong_row_count():
    case = _case("pause_code.yaml", "logged_out_agent")      # rows: 0, no values
    context = {"agent.user": "vcrt1004"}
    assert effect_mismatches(case, lambda table, columns, where: [], context) == []
    found = effect_mismatches(case, lambda table, columns, where: [{}], context)
    assert [(type(m), m.expected, m.actual) for m in found] == [(WrongRowCount, "0", "1")]


def test_a_host_that_removes_the_row_it_should_stamp_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(logs_the_agent_out)
    result = pytester.runpytest_inprocess(str(PAUSE_CODE), "-p", "no:cacheprovider",
                                          "--vicidial-report-dir", str(tmp_path))
    failed = failed_ids(tmp_path)
    assert set(failed) == STORING_CASES and all(kinds == ["WrongRowCount"] for kinds in failed.values())
    result.stdout.fnmatch_lines(["*WrongRowCount in rows of vicidial_live_agents where user='vcrt1001'*",
                                 "*expected: at least 1", "*actual:   0"])


def test_a_host_that_logs_in_an_agent_it_calls_logged_out_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(logs_the_agent_in, steps=("permission", "alt_user"))
    result = pytester.runpytest_inprocess(str(PAUSE_CODE), "-p", "no:cacheprovider",
                                          "--vicidial-report-dir", str(tmp_path))
    failed = failed_ids(tmp_path)
    assert failed == {"agent_api::pause_code::logged_out_agent": ["WrongRowCount"]}   # the answer was right
    result.stdout.fnmatch_lines(["*WrongRowCount in rows of vicidial_live_agents where user='vcrt1004'*",
                                 "*expected: 0", "*actual:   1"])


def test_a_host_that_stores_start_without_the_stage_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(forgets_the_stage, "recording")
    result = pytester.runpytest_inprocess(str(RECORDING), "-p", "no:cacheprovider",
                                          "--vicidial-report-dir", str(tmp_path))
    failed = failed_ids(tmp_path)
    case = "agent_api::recording::{}".format
    assert set(failed) == {case(name) for name in ("start_with_stage", "stage_13_characters", "stage_14_characters",
                                                   "stage_15_characters_truncated", "stage_quotes_removed",
                                                   "stage_keeps_space_and_pipe")}
    assert all(kinds == ["WrongEffect"] for kinds in failed.values())     # every answer was right
    result.stdout.fnmatch_lines(["*WrongEffect in vicidial_live_agents.external_recording (vicidial_live_agents "
                                 "where user='vcrt1001'): the call must leave this value",
                                 "*expected: 'START_MIDCALL'", "*actual:   'START'"])


def test_a_host_that_stores_the_pause_code_in_capitals_is_caught(pytester, tmp_path, bent_pause_code):
    bent_pause_code(upper_cases_the_code)
    result = pytester.runpytest_inprocess(str(PAUSE_CODE), "-p", "no:cacheprovider",
                                          "--vicidial-report-dir", str(tmp_path))
    assert failed_ids(tmp_path) == {"agent_api::pause_code::case_is_kept": ["WrongEffect"]}
    result.stdout.fnmatch_lines(["*expected: 'Lunch'", "*actual:   'LUNCH'"])


def test_an_answer_states_its_own_headers_on_top_of_the_common_ones():
    # call_dispo_report: a report is text/plain, a refusal (named response, and a generated case's) text/html
    cases = {case.name: case for case in load_spec(SPECS_DIR / "non_agent_api" / "call_dispo_report.yaml").cases}
    common = ("Cache-Control", "no-cache, must-revalidate"), ("Pragma", "no-cache")
    assert cases["campaigns_breakdown"].answer_headers == (*common, ("Content-Type", "text/plain;charset=UTF-8"))
    for refusal in ("nothing_asked", "campaigns_length_1"):
        assert cases[refusal].answer_headers == (*common, ("Content-Type", "text/html; charset=utf-8"))
    assert with_headers((("content-type", "text/html"), ("Pragma", "no-cache")), (("Content-Type", "text/plain"),)) \
        == (("Pragma", "no-cache"), ("Content-Type", "text/plain"))
