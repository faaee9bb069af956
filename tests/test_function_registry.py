"""One function is one spec and one handler module: every spec'd function has a handler, every
handler a spec, each handler's parameter filters are the spec's, and the README's table is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.bundle import SPECS_DIR
from conformance.certificate.profiles import PROFILES
from conformance.coverage import coverage_table
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
    extra = HostFunction("agent_api", "ra_call_control", lambda call: None, {})
    registered["agent_api"] = {**registered["agent_api"], "ra_call_control": extra}
    assert problems(SPECS, registered, PREAMBLES) == ["agent_api ra_call_control: a handler and no spec"]


def test_a_spec_without_a_handler_is_named():
    registered = {api: functions(api) for api in PREAMBLES}
    registered["agent_api"] = {k: v for k, v in registered["agent_api"].items() if k != "recording"}
    assert problems(SPECS, registered, PREAMBLES) == ["agent_api recording: a spec and no handler"]


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
    assert coverage_table(SPECS) in readme, "run: python -m conformance.coverage, and paste it into README.md"


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


def test_every_function_is_in_a_certification_profile_and_the_agent_api_profile_has_them_all():
    shipped = {f"{spec.api}/{spec.function}" for spec in SPECS}
    profiled = {function for functions in PROFILES.values() for function in functions}
    assert sorted(shipped - profiled) == [] and sorted(profiled - shipped) == []
    assert sorted(f for f in shipped if f.startswith("agent_api/")) == sorted(PROFILES["Agent API"])
