"""What every function's spec must reach beyond its own branches (issue 21): each Agent API function
answers format=debug inside its HTML page and runs in non-Latin mode, so each spec has a case of both."""

from __future__ import annotations

import pytest

from conformance.bundle import SPECS_DIR
from conformance.spec import load_specs

AGENT_SPECS = [spec for spec in load_specs(SPECS_DIR) if spec.api == "agent_api"]


def sends(case, name: str, value: str) -> bool:
    return any(key == name and template is not None and template.source == value for key, template in case.request)


def test_the_agent_api_specs_are_all_here():
    assert len(AGENT_SPECS) >= 22


@pytest.mark.parametrize("spec", AGENT_SPECS, ids=lambda spec: spec.function)
def test_every_agent_api_function_has_a_debug_page_case(spec):
    assert [case.name for case in spec.cases if sends(case, "format", "debug")], \
        f"{spec.path}: add a case with request {{format: debug}} (the page's head, statements by pattern, answer, end)"


@pytest.mark.parametrize("spec", AGENT_SPECS, ids=lambda spec: spec.function)
def test_every_agent_api_function_has_a_non_latin_case(spec):
    assert [case.name for case in spec.cases if str(case.settings.get("use_non_latin")) == "1"], \
        f"{spec.path}: add a case with world settings {{use_non_latin: \"1\"}} (the other character filters)"
