"""The pytest plugin, driven through pytester: items, ids, options, failures, spec errors."""

from __future__ import annotations

import shutil

import pytest
from targets import MisbehavingHandler, api_user_echoed

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.spec import load_spec

PAUSE_CODE = SPECS_DIR / "agent_api" / "pause_code.yaml"


@pytest.fixture
def spec_dir(pytester):
    shutil.copy(PAUSE_CODE, pytester.path / "pause_code.yaml")
    return pytester.path


def test_spec_cases_become_items_with_pytest_node_ids(pytester, spec_dir):
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    cases = len(load_spec(PAUSE_CODE).cases)
    result.assert_outcomes(passed=cases)
    result.stdout.fnmatch_lines(["pause_code.yaml::paused_agent_break PASSED*",
                                 "pause_code.yaml::value_length_7 PASSED*",
                                 "*vicicert summary*", f"*pause_code*{cases}*0*0*{cases}*"])


def test_a_misbehaving_target_fails_with_the_difference(pytester, spec_dir, httpserver, tmp_path, vicidial_world):
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, api_user_echoed)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-target", httpserver.url_for("/"),
                                "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-writes")
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 5 and result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*agent_api::pause_code::paused_agent_break*",
        "*UnexpectedBody in body: first difference at byte 40*",
        "*expected: SUCCESS:·pause_code·function·sent·-·vcrt1001↵*",
        "*actual:   SUCCESS:·pause_code·function·sent·-·vcrt6666↵*",
        "*texts: reference: body differs; docs: body matched; seed000: body matched*",
    ])
    assert "vcPass" not in result.stdout.str()


def test_declared_world_skips_what_it_does_not_declare(pytester, spec_dir, vicidial_host):
    pytester.makefile(".yaml", world="""
        vicicert: world/1
        api_users:
          api_admin: {user: "vcrt6666", pass: vcPass-6666, user_group: ADMIN}
        agents:
          agent_paused: {user: "vcrt1001", server_ip: 192.0.2.15, conf_exten: "8600051", status: PAUSED, custom_three: vcrtcrm1001}
        """)
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs", "--vicidial-target", vicidial_host.base_url,
                                "--vicidial-world", "world.yaml")
    result.stdout.fnmatch_lines(["*agent role 'agent_ready' is not declared in world world.yaml*"])
    outcomes = result.parseoutcomes()
    assert outcomes["skipped"] >= 4 and "failed" not in outcomes


@pytest.mark.parametrize("how", ["ini", "env"])
def test_contract_from_ini_or_environment(pytester, spec_dir, monkeypatch, how):
    """The documented contract wants the API user echoed; the reference host echoes the agent."""
    if how == "ini":
        pytester.makeini("[pytest]\nvicidial_contract = documented\n")
    else:
        monkeypatch.setenv("VICIDIAL_CONTRACT", "documented")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "paused_agent_break")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*contract: documented (docs, inline)*"])


def test_malformed_spec_is_a_clean_collection_error(pytester):
    (pytester.path / "broken.yaml").write_text(PAUSE_CODE.read_text().replace("reference: not_paused", "reference: not_pausd"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*broken.yaml:*: response 'not_pausd' is not defined*",
                                 "*fix: define it under 'responses' or use one of: success, not_valid*"])
    assert "Traceback" not in result.stdout.str()


def test_reports_are_written(pytester, spec_dir):
    result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-report-dir", "out", "-k", "ready_agent")
    result.assert_outcomes(passed=1)
    html = (pytester.path / "out" / "report.html").read_text()
    assert "agent_api::pause_code::ready_agent" in html and "pass=${VICIDIAL_PASS}" in html
    assert "vcPass" not in html + (pytester.path / "out" / "report.json").read_text()


def test_other_yaml_files_are_left_alone(pytester):
    pytester.makefile(".yaml", config="key: value\n")
    pytester.makepyfile("def test_plain():\n    assert True\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_an_exported_world_db_does_not_turn_a_declared_world_into_sql_mode(pytester, spec_dir, vicidial_host,
                                                                           monkeypatch):
    """README order: VICIDIAL_WORLD_DB exported for the SQL fixture section, then the plugin's declared run."""
    monkeypatch.setenv("VICIDIAL_WORLD_DB", "mysql://cron:dbSecret-9@127.0.0.1:1/asterisk")
    pytester.makefile(".yaml", world="""
        vicicert: world/1
        api_users:
          api_admin: {user: "vcrt6666", pass: vcPass-6666, user_group: ADMIN}
        agents:
          agent_paused: {user: "vcrt1001", server_ip: 192.0.2.15, conf_exten: "8600051", status: PAUSED}
        """)
    result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-target", vicidial_host.base_url,
                                "--vicidial-world", "world.yaml", "-k", "docs_example_jumping")  # reads only
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:] + result.stderr.str()[-2000:]
    result.stdout.fnmatch_lines(["*(declared)*"])
