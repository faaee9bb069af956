"""A malformed spec or world names its file, its line and the fix."""

from __future__ import annotations

import textwrap

import pytest

from conformance.errors import SpecError, WorldError
from conformance.spec import load_spec
from conformance.world import load_world

GOOD = """\
vicicert: spec/1
api: agent_api
function: pause_code
endpoint: /agc/api.php
sources:
  docs: AGENT_API.txt
defaults:
  function: pause_code
  value: BREAK
responses:
  success: "SUCCESS: pause_code function sent - {agent_user}\\n"
parameters:
  value:
    constraints:
      - rule: {length: {max: 6}}
        source: docs
        base: happy
        sample: ABCDEFGHIJ
        within: success
        outside: sane
cases:
  - name: happy
    why: the happy path
    world: {agent: agent_paused}
    request: {agent_user: "{agent.user}"}
    expect:
      reference: success
"""


def write(tmp_path, text):
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_for(tmp_path, text, error=SpecError, loader=load_spec):
    with pytest.raises(error) as caught:
        loader(write(tmp_path, text))
    return caught.value


def test_the_good_spec_loads_with_generated_cases(tmp_path):
    spec = load_spec(write(tmp_path, GOOD))
    assert [case.name for case in spec.cases] == ["happy", "value_length_6", "value_length_7"]
    assert spec.cases[2].why.startswith("7 characters, one above the maximum of 6 (stated by docs)")


def test_a_content_type_without_a_body_names_its_line_and_fix(tmp_path):
    text = GOOD.replace("    world: {agent: agent_paused}\n", "    world: {agent: agent_paused}\n"
                        "    send: {method: POST, content_type: text/plain}\n")
    error = error_for(tmp_path, text)
    assert "content_type names the type of a body this case does not give" in str(error)
    assert "give the body byte for byte" in str(error) and "spec.yaml:25:" in str(error)   # the send line


def test_a_spec_rewritten_at_once_is_read_again_and_a_broken_one_is_never_served_from_memory(tmp_path):
    """A check parses each spec once per process; the memo is keyed by the bytes, not the file's time."""
    path = write(tmp_path, GOOD)
    assert load_spec(path) is load_spec(path)
    path.write_text(GOOD.replace("BREAK", "LUNCH"))   # same size, same clock tick
    assert "LUNCH" in repr(load_spec(path).cases[0])
    path.write_text(GOOD.replace("base: happy", "base: hapy"))
    with pytest.raises(SpecError, match="base case 'hapy' does not exist"):
        load_spec(path)
    with pytest.raises(SpecError, match="base case 'hapy' does not exist"):
        load_spec(path)


def test_a_world_rewritten_at_once_is_read_again_and_its_environment_passwords_are_read_each_load(tmp_path,
                                                                                                  monkeypatch):
    """A world file is parsed once per process too, by its bytes; a password from the environment
    (pass_env) is looked up on every load, and a broken rewrite is never served from memory."""
    path = tmp_path / "w.yaml"
    world = ("vicicert: world/1\napi_users:\n  api_admin: {user: 'vcrt6666', pass_env: W_PASS, user_group: ADMIN}\n"
             "agents:\n  agent_paused: {user: 'vcrt1001', pass: aaaa1, server_ip: 10.0.0.1, status: PAUSED}\n")
    path.write_text(world)
    monkeypatch.setenv("W_PASS", "first1")
    assert load_world(path).api_users["api_admin"]["pass"] == "first1"
    monkeypatch.setenv("W_PASS", "second2")
    assert load_world(path).api_users["api_admin"]["pass"] == "second2"
    path.write_text(world.replace("aaaa1", "bbbb2"))   # same size, same clock tick
    assert load_world(path).agents["agent_paused"]["pass"] == "bbbb2"
    path.write_text(world.replace("status: PAUSED", "status: [PAUSED"))
    for _ in range(2):
        with pytest.raises(WorldError):
            load_world(path)


@pytest.mark.parametrize("old,new,line,message,fix", [
    ("  - name: happy\n", "  - name: happy\n    colour: red\n", 23, "unknown key 'colour'", "remove 'colour'"),
    ("    why: the happy path\n", "", 22, "missing key 'why'", "add 'why'"),
    ("api: agent_api", "api: agents_api", 2, "'agents_api' is not allowed", "use one of: agent_api, non_agent_api"),
    ("      reference: success", "      reference: sucess", 27, "response 'sucess' is not defined", "use one of: success"),
    ("        base: happy", "        base: hapy", 17, "base case 'hapy' does not exist", "name one of the cases"),
    ("        sample: ABCDEFGHIJ", "        sample: ABC", 18, "needs a sample of at least 7 characters", "add sample"),
    ('{agent_user}\\n"', '{agent_usr}\\n"', 11, "unknown placeholder {agent_usr}", "define it under 'patterns'"),
    ('{agent_user}\\n"', '{agent_user\\n"', 11, "bad template", "fix the braces"),
    ("        source: docs", "        source: wiki", 16, "source 'wiki' is not listed", "add it to 'sources'"),
    ("  success:", "  success: x\n  success:", 12, "key 'success' appears twice (first on line 11)", "keep one"),
    ("cases:", "cases: [", 22, "YAML syntax", "check indentation"),
])
def test_errors_name_line_and_fix(tmp_path, old, new, line, message, fix):
    assert old in GOOD
    error = error_for(tmp_path, GOOD.replace(old, new, 1))
    assert error.path.name == "spec.yaml"
    assert error.line == line, error.render()
    assert message in error.message
    assert fix in error.fix
    assert error.render().startswith(f"{error.path}:{line}: ")


def test_world_errors_name_line(tmp_path, monkeypatch):
    monkeypatch.delenv("VCERT_TEST_PASS", raising=False)
    error = error_for(tmp_path, """\
        vicicert: world/1
        api_users:
          api_admin: {user: "6666", pass_env: VCERT_TEST_PASS}
        """, WorldError, load_world)
    assert (error.line, error.fix) == (3, "export VCERT_TEST_PASS=... before the run, or give pass directly")
    error = error_for(tmp_path, """\
        vicicert: world/1
        agents:
          agent_paused: {user: "1001"}
        recordings:
          - {agent: agent_pasued, recording_id: 1}
        """, WorldError, load_world)
    assert error.line == 5 and "agent_pasued" in error.message


def test_world_password_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VCERT_TEST_PASS", "fromEnv1")
    world = load_world(write(tmp_path, """\
        vicicert: world/1
        api_users:
          api_admin: {user: "6666", pass_env: VCERT_TEST_PASS}
        """))
    assert world.api_users["api_admin"]["pass"] == "fromEnv1"
    assert world.secrets == {"fromEnv1"}


WRITING = GOOD.replace('  success: "SUCCESS: pause_code function sent - {agent_user}\\n"\n', """\
  success:
    body: "SUCCESS: pause_code function sent - {agent_user}\\n"
    writes: the agent's pause code
  not_valid: "ERROR: pause_code not valid - {value}|{agent_user}\\n"
""").replace("        outside: sane", "        outside: not_valid")
STORED = """\
    effects:
      - table: vicidial_live_agents
        where: {user: "{agent.user}"}
        values: {external_pause_code: "{value}"}
"""


def test_a_writing_case_without_effects_is_refused_with_its_line_and_fix(tmp_path):
    assert WRITING != GOOD
    error = error_for(tmp_path, WRITING)
    assert error.line == 25     # the case 'happy', whose answer means the host stored a code
    assert "case 'happy': response 'success' changes the host (the agent's pause code) but no effects" \
        in error.message
    assert error.fix.startswith("add effects: [{table, where, values}] to the case or to its response")
    assert "effects_unchecked: WHY" in error.fix


def test_effects_on_the_response_or_a_reason_let_a_writing_case_load(tmp_path):
    on_response = load_spec(write(tmp_path, WRITING.replace("    writes: the agent's pause code\n",
                                                            "    writes: the agent's pause code\n" + STORED)))
    assert all(case.effects for case in on_response.cases if case.writes)   # generated ones take the answer's too
    reason = "the screen takes the code at once and empties the column"
    reasoned = load_spec(write(tmp_path, WRITING.replace(
        "    why: the happy path\n", f"    why: the happy path\n    effects_unchecked: {reason}\n")))
    assert [case.effects_unchecked for case in reasoned.cases] == [reason] * 3   # variations of it share its word
    assert [bool(case.writes) for case in reasoned.cases] == [True, True, False]


def test_a_generated_writing_case_without_effects_is_refused(tmp_path):
    # the base case states its own effects; the length probe within the rule answers success, which has none
    error = error_for(tmp_path, WRITING + STORED)
    assert error.line == 18 and "case 'value_length_6'" in error.message     # the constraint that made it
    assert "to the response the constraint names, or beside value and outside of the outside sample" in error.fix
    assert "effects_unchecked: WHY on the base case" in error.fix


def test_an_older_builds_writing_answer_without_effects_is_refused(tmp_path):
    # refused at the verified build, stored by the builds up to 2.14-80: that answer must say what it leaves
    text = WRITING.replace("      reference: success\n", "      reference: not_valid\n      builds:\n"
                           "        - {until: 2.14-80, response: success}\n")
    error = error_for(tmp_path, text)
    assert error.line == 25 and "case 'happy': response 'success' in builds up to 2.14-80 changes the host" \
        in error.message


@pytest.mark.parametrize("extra,says", [
    (STORED, "the case states effects"),
    ("    writes: false\n", "the case changes nothing on the host"),
])
def test_effects_unchecked_is_refused_where_it_explains_nothing(tmp_path, extra, says):
    text = WRITING.replace("    why: the happy path\n",
                           "    why: the happy path\n    effects_unchecked: cannot read it\n" + extra)
    if "writes" in extra:   # an inline answer that stores nothing
        text = text.replace("      reference: success", "      reference: {body: \"ERROR: pause_code not valid\\n\"}")
    error = error_for(tmp_path, text)
    assert error.line == 27 and f"effects_unchecked, but {says}" in error.message
    assert error.fix.startswith("remove effects_unchecked")


def test_an_outside_sample_says_writes_only_beside_an_inline_answer(tmp_path):
    text = GOOD.replace("        outside: sane", "        outside: sane\n      - rule: {charset: A-Z}\n"
                        "        source: docs\n        base: happy\n        outside_samples:\n"
                        "          - {value: BR-K, outside: success, writes: false}")
    error = error_for(tmp_path, text)
    assert error.line == 25 and "writes beside the named response 'success'" in error.message
    assert error.fix == "remove writes (it is for an inline or sane answer)"
