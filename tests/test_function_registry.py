"""One function is one spec and one handler module: every spec'd function has a handler, every
handler a spec, each handler's parameter filters are the spec's, and the README's table is current."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conformance.bundle import SPECS_DIR
from conformance.certificate.profiles import API_PROFILES, profiles_from, shipped_profiles
from conformance.coverage import coverage_table, write_table
from conformance.host import agent_api, non_agent_api
from conformance.host.registry import HostFunction, filter_table, functions
from conformance.spec import load_specs

SPECS = load_specs(SPECS_DIR)
PREAMBLES = {"agent_api": agent_api.PREAMBLE_FILTERS, "non_agent_api": non_agent_api.PREAMBLE_FILTERS}


def problems(specs, registered: dict[str, dict[str, HostFunction]], preambles) -> list[str]:
    """Every way the specs and the handlers disagree."""
    found = []
    for api, handlers in registered.items():
        spec_names = {spec.function for spec in specs if spec.api == api and spec.function != "preamble"}
        found += [f"{api} {name}: a spec and no handler" for name in sorted(spec_names - set(handlers))]
        found += [f"{api} {name}: a handler and no spec" for name in sorted(set(handlers) - spec_names)]
        for spec in (s for s in specs if s.api == api):
            handler = handlers.get(spec.function)
            table = {**preambles[api], **(handler.params if handler else {})}
            for param, chars in spec.filters.items():
                if table.get(param, "(none)") != chars:
                    found.append(f"{api} {spec.function} {param}: the spec filters {chars!r}, the host "
                                 f"{table.get(param, '(none)')!r}")
    return found


def test_specs_and_handlers_are_one_to_one_with_the_same_filters():
    registered = {api: functions(api) for api in PREAMBLES}
    assert problems(SPECS, registered, PREAMBLES) == []


def test_a_handler_without_a_spec_is_named():
    registered = {api: functions(api) for api in PREAMBLES}
    extra = HostFunction("agent_api", "no_such_function", lambda call: None, {})
    registered["agent_api"] = {**registered["agent_api"], "no_such_function": extra}
    assert problems(SPECS, registered, PREAMBLES) == ["agent_api no_such_function: a handler and no spec"]


def test_a_spec_without_a_handler_is_named():
    registered = {api: functions(api) for api in PREAMBLES}
    registered["agent_api"] = {k: v for k, v in registered["agent_api"].items() if k != "recording"}
    found = problems(SPECS, registered, PREAMBLES)   # and its filters then differ from the preamble's
    assert [problem for problem in found if "handler" in problem] == ["agent_api recording: a spec and no handler"]


def test_a_filter_that_differs_from_the_spec_is_named():
    registered = {api: functions(api) for api in PREAMBLES}
    pause_code = registered["agent_api"]["pause_code"]
    bent = HostFunction("agent_api", "pause_code", pause_code.handler, {**pause_code.params, "value": "0-9a-zA-Z"})
    registered["agent_api"] = {**registered["agent_api"], "pause_code": bent}
    assert "agent_api pause_code value: the spec filters '-|_0-9a-zA-Z', the host '0-9a-zA-Z'" in \
        problems(SPECS, registered, PREAMBLES)


def test_two_filters_for_one_parameter_are_refused(monkeypatch):
    from conformance.host import registry
    clash = HostFunction("agent_api", "clash", lambda call: None, {"value": "0-9"})
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "clash", clash)
    with pytest.raises(ValueError, match="'value' is filtered as"):
        filter_table("agent_api", agent_api.PREAMBLE_FILTERS)


def test_the_readme_table_is_made_from_the_specs():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert coverage_table(SPECS) in readme, "run: python -m conformance.coverage --write README.md"


def test_the_coverage_command_rewrites_the_table_in_place(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n\n| API | function | explicit cases | generated cases |\n| --- | --- | --- | --- |\n"
                      "| Agent | `gone` | 1 | 0 |\n| all | 1 functions, 0 preambles | 1 | 0 |\n\nafter\n", encoding="utf-8")
    write_table(readme, SPECS)
    text = readme.read_text(encoding="utf-8")
    assert text == "intro\n\n" + coverage_table(SPECS) + "\nafter\n"
    readme.write_text("no table\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no coverage table"):
        write_table(readme, SPECS)


def test_a_module_imported_anew_registers_again_but_two_modules_clash(monkeypatch):
    """pytester's in-process runs drop and re-import the handler modules; that is no clash."""
    import importlib
    import sys
    from conformance.host import registry
    functions("agent_api")
    monkeypatch.delitem(sys.modules, "conformance.host.agent.logout")
    importlib.import_module("conformance.host.agent.logout")
    assert "logout" in functions("agent_api")
    with pytest.raises(ValueError, match="registered by conformance.host.agent.logout and elsewhere"):
        registry.host_function("agent_api", "logout", {})(type("X", (), {"__module__": "elsewhere",
                                                                          "__qualname__": "logout"}))


def test_profiles_come_from_the_specs_and_each_api_profile_holds_all_its_functions():
    shipped = {f"{spec.api}/{spec.function}" for spec in SPECS}
    profiles = shipped_profiles()
    for api, name in API_PROFILES.items():
        assert sorted(profiles[name]) == sorted(f for f in shipped if f.startswith(api + "/"))
    assert profiles["Agent pause codes"] == ("agent_api/pause_code", "agent_api/preamble")


def test_a_spec_joins_the_profiles_it_names_and_brings_its_preamble(tmp_path):
    spec = next(s for s in SPECS if s.function == "agent_stats_export")
    profiles = profiles_from([replace(spec, profiles=("Lead tools",))])
    assert profiles == {"Non-Agent API": ("non_agent_api/agent_stats_export", "non_agent_api/preamble"),
                        "Lead tools": ("non_agent_api/agent_stats_export", "non_agent_api/preamble")}
