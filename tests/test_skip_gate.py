"""No silent zero: a run that checked nothing, or skipped more than its stated share, does not pass."""

from __future__ import annotations

import os

import pytest
from command import vicicert

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.errors import WorldError
from conformance.skip_gate import skip_verdict
from conformance.spec import load_spec
from conformance.world import check_role_names, load_world


def test_all_skipped_is_nothing_checked():
    assert skip_verdict(["skipped"] * 152, None, False).startswith("no case was checked: all 152 were skipped")
    assert skip_verdict(["skipped"] * 152, None, True) is None


@pytest.mark.parametrize("statuses, share, verdict", [
    (["passed"] * 8 + ["skipped"] * 2, 20.0, None),                         # 20 % is not more than 20 %
    (["passed"] * 7 + ["skipped"] * 3, 20.0, "3 of 10 cases (30%) were skipped, more than --max-skipped 20%"),
    (["passed"] * 7 + ["skipped"] * 3, None, None),                         # no share stated
    ([], 0.0, None),
])
def test_the_stated_share(statuses, share, verdict):
    found = skip_verdict(statuses, share, False)
    assert (found if found is None else found.split(":")[0]) == verdict


def test_a_mistyped_role_is_named_with_its_line_and_the_likely_one(tmp_path):
    world = tmp_path / "host.yaml"
    world.write_text('vicicert: world/1\napi_users:\n  api_admin: {user: "6666", pass: x}\nagents:\n'
                     '  agent_pasued: {user: "1000", status: PAUSED}\n')
    with pytest.raises(WorldError) as refused:
        check_role_names(load_world(world), load_world(EMBEDDED_WORLD))
    assert refused.value.line == 5 and "agents role 'agent_pasued' is not one the specs use" in str(refused.value)
    assert "did you mean 'agent_paused'?" in str(refused.value)


def test_every_bundled_role_is_accepted():
    embedded = load_world(EMBEDDED_WORLD)
    check_role_names(embedded, embedded)


@pytest.mark.slow  # three whole vicicert processes
def test_a_run_that_skips_everything_exits_3(tmp_path, httpserver):
    """A declared world whose only agent role every case lacks: before, every case skipped and exit 0."""
    from targets import MisbehavingHandler
    from conformance.world import renamed
    served = renamed(load_world(EMBEDDED_WORLD), "vcrt")
    handler = MisbehavingHandler(tmp_path / "host.sqlite", served, lambda request, answer: answer)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    admin = served.api_users["api_admin"]
    world = tmp_path / "host.yaml"
    world.write_text(f'vicicert: world/1\napi_users:\n  api_admin: {{user: "{admin["user"]}", pass_env: VICIDIAL_PASS}}\n')
    env = {**os.environ, "VICIDIAL_PASS": admin["pass"]}
    base = ["check", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(world), "-k", "pause_code"]
    nothing = vicicert(*base, "--report-dir", str(tmp_path / "a"), cwd=tmp_path, env=env, timeout=300)
    assert nothing.returncode == 3, nothing.stdout[-2000:] + nothing.stderr[-2000:]
    cases = len(load_spec(SPECS_DIR / "agent_api" / "pause_code.yaml").cases)
    assert f"NOT PASSED: no case was checked: all {cases} were skipped" in nothing.stdout
    allowed = vicicert(*base, "--allow-nothing-checked", "--report-dir", str(tmp_path / "b"), cwd=tmp_path, env=env,
                       timeout=300)
    assert allowed.returncode == 0, allowed.stdout[-2000:]
    share = vicicert("check", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(world), "-k",
                     "preamble", "--max-skipped", "10", "--report-dir", str(tmp_path / "c"), cwd=tmp_path, env=env,
                     timeout=300)
    assert share.returncode == 3 and "more than --max-skipped 10%" in share.stdout, share.stdout[-2000:]


def test_a_bad_share_is_a_usage_error(tmp_path):
    result = vicicert("check", "--max-skipped", "150", cwd=tmp_path)
    assert result.returncode == 2 and "not a percentage" in result.stderr


@pytest.mark.parametrize("row, line, message, fix", [
    ('api_users:\n  api_admn: {user: "6666", pass: x}\n', 3, "api_users role 'api_admn' is not one the specs use",
     "did you mean 'api_admin'? use one of: api_admin, "),
    ('api_users:\n  api_admin: {user: "6666", pass: x}\nagents:\n  agent_paused: {user: "1000", status: PAUSD}\n', 5,
     "'PAUSD' is not allowed", "use one of: READY, QUEUE, INCALL, PAUSED"),
])
def test_a_mistyped_role_or_state_stops_the_command_with_exit_2_before_any_request(tmp_path, row, line, message, fix):
    """Before: every case needing the role or state was skipped, and the run exited 0. Nothing listens on port 9."""
    world = tmp_path / "host.yaml"
    world.write_text("vicicert: world/1\n" + row)
    result = vicicert("check", "--target", "http://127.0.0.1:9", "--world", str(world), "--report-dir",
                      str(tmp_path / "out"), cwd=tmp_path, timeout=120)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"{world}:{line}: " in result.stderr and message in result.stderr and fix in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "report.json").exists()


def test_every_exit_code_is_documented_in_the_readme():
    import re
    from pathlib import Path

    from conformance import cli
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    documented = readme[readme.index("Exit codes: "):].split("\n\n")[0]
    codes = {value for name, value in vars(cli).items() if name.startswith("EXIT_")}
    assert codes == {0, 1, 2, 3, 4, 130}
    for code in codes:
        assert re.search(rf"(^|[ ,:]){code} ", documented), f"exit code {code} is not in the README's Exit codes"
