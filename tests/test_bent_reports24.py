"""call_status_stats, call_dispo_report: a reference host bent in one place (its handler module
monkeypatched) fails the case of its spec that guards that place."""

from __future__ import annotations

import pytest

from conformance.host.non_agent import call_dispo_report, call_status_stats
from conformance.host.permission_gate import Gate
from conformance.phpmath import natural_sorted


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


def without(status):
    return lambda keys: [key for key in natural_sorted(keys) if key != status]


@pytest.mark.parametrize("function,case", [
    ("call_status_stats", "two_campaigns"), ("call_status_stats", "level_8"),
    ("call_status_stats", "campaign_lower_case"), ("call_status_stats", "ingroup_named_like_campaign"),
    ("call_dispo_report", "campaigns_breakdown"), ("call_dispo_report", "docs_example_percentages"),
    ("call_dispo_report", "did_repeats_header_statuses"), ("call_dispo_report", "level_8"),
])
def test_the_unbent_host_passes(bent_case, function, case):
    """Control: each failure below is the bend's."""
    assert bent_case(function, case).status == "passed"


def test_call_status_stats_in_text_order_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_status_stats, "natural_sorted", sorted)   # VCERTS10 before VCERTS2
    assert failed(bent_case("call_status_stats", "two_campaigns"))


def test_call_status_stats_with_a_wrong_human_count_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_status_stats, "_human", lambda call, where, args: {"VCGHA"})   # campaign statuses lost
    assert failed(bent_case("call_status_stats", "two_campaigns"))


def test_call_status_stats_dropping_a_status_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_status_stats, "natural_sorted", without("VCS10"))
    assert failed(bent_case("call_status_stats", "two_campaigns"))


def test_call_status_stats_keyed_by_stored_name_fails(bent_case, monkeypatch):
    """A host that names the line as stored (no separate line for vcerts2) fails the quirk's case."""
    monkeypatch.setattr(call_status_stats, "natural_sorted", lambda keys: natural_sorted(k.upper() for k in keys))
    assert failed(bent_case("call_status_stats", "campaign_lower_case"))


def test_call_status_stats_gate_at_level_8_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_status_stats, "GATE", Gate(call_status_stats.GATE.refusal, level=(">", 7),
                                                        flags={"view_reports": ("1",)}))
    assert failed(bent_case("call_status_stats", "level_8"))


def test_call_dispo_report_with_a_wrong_count_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_dispo_report, "_count", lambda count, total, percentages: f",{count + 1}")
    assert failed(bent_case("call_dispo_report", "campaigns_breakdown"))


def test_call_dispo_report_in_header_order_fails(bent_case, monkeypatch):
    """Counts under their own status (the docs' meaning) are not upstream's natural order."""
    monkeypatch.setattr(call_dispo_report, "natural_sorted", sorted)
    assert failed(bent_case("call_dispo_report", "campaigns_breakdown"))


def test_call_dispo_report_dropping_a_status_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_dispo_report, "natural_sorted", without("VCS10"))
    assert failed(bent_case("call_dispo_report", "campaigns_breakdown"))


def test_call_dispo_report_with_rounded_percentages_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_dispo_report, "sprintf_1f", lambda value: f"{round(value)}")
    assert failed(bent_case("call_dispo_report", "docs_example_percentages"))


def test_call_dispo_report_gate_at_level_8_fails(bent_case, monkeypatch):
    monkeypatch.setattr(call_dispo_report, "GATE", Gate(call_dispo_report.GATE.refusal, level=(">", 7),
                                                        flags={"view_reports": ("1",)}))
    assert failed(bent_case("call_dispo_report", "level_8"))


def test_call_dispo_report_without_its_own_content_type_fails(bent_case, monkeypatch):
    """A report answered as the script's other answers are (text/html) is caught by its header; a
    refusal, which upstream answers text/html, still passes."""
    monkeypatch.setattr(call_dispo_report, "REPORT_TYPE", "text/html; charset=utf-8")
    assert failed(bent_case("call_dispo_report", "campaigns_breakdown")) == ["WrongHeader"]
    assert bent_case("call_dispo_report", "nothing_asked").status == "passed"
