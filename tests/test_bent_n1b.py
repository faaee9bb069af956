"""list_info, list_custom_fields, lead_field_info and lead_all_info: each spec catches a reference
host whose handler is bent (a module name of the handler patched), naming the case that breaks."""

from __future__ import annotations

import pytest

from conformance.client import Target
from conformance.execution import run_case
from conformance.redaction import Redactor

from targets import MisbehavingHandler


def unchanged(request, answer):
    return answer


@pytest.fixture
def check(httpserver, tmp_path, vicidial_world, vicidial_specs):
    """check(function, case) -> CaseResult of that case against the (possibly patched) reference host."""
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, unchanged)
    httpserver.expect_request("/vicidial/non_agent_api.php").respond_with_handler(handler)
    target = Target(httpserver.url_for("/").rstrip("/"), timeout=10)

    def run(function, name):
        case = next(c for c in vicidial_specs[f"non_agent_api/{function}"].cases if c.name == name)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True)
    return run


LIST_INFO = "conformance.host.non_agent.list_info"


@pytest.mark.parametrize("name", ["docs_example", "csv_with_counts", "group_campaigns_limit_lookup",
                                  "dialable_count_inactive_list", "level8_passes"])
def test_list_info_honest_host_passes(check, name):
    assert check("list_info", name).status == "passed"


def test_list_info_wrong_delimiter_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.delimiter", lambda stage: "|")
    assert check("list_info", "csv_with_counts").status == "failed"
    assert check("list_info", "list_a_plain").status == "passed"


def test_list_info_ignoring_the_groups_campaigns_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.allowed_campaigns", lambda db, group: None)
    assert check("list_info", "group_campaigns_limit_lookup").status == "failed"


def test_list_info_dialable_count_of_an_inactive_list_is_held(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.dialable_count", lambda *args: "2")
    assert check("list_info", "dialable_count_inactive_list").status == "failed"


def bend_gate(function, level):
    """Set the registered gate's level comparison (a frozen dataclass: put back by the caller)."""
    from conformance.host.registry import functions
    gate = functions("non_agent_api")[function].gate
    before = gate.level
    object.__setattr__(gate, "level", level)
    return lambda: object.__setattr__(gate, "level", before)


def test_list_info_gate_at_level_seven_is_caught(check):
    undo = bend_gate("list_info", (">=", 7))
    try:
        assert check("list_info", "level7_refused").status == "failed"
    finally:
        undo()


def test_list_info_text_comparison_of_the_id_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.number", lambda text: text)   # SQLite then compares text with an integer
    assert check("list_info", "list_id_charset_9990201abc_1").status == "failed"
