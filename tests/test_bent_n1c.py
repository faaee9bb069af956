"""lead_search, lead_callback_info and hopper_list: each spec catches a reference host whose
handler is bent (a fixed delimiter, a lead dropped, a gate or restriction skipped), naming the case."""

from __future__ import annotations

import pytest

from conformance.host.non_agent import hopper_list, lead_callback_info, lead_search
from conformance.host.permission_gate import Gate


@pytest.fixture
def check(bent_case):
    """check(function, case) -> CaseResult against the reference host as the test has bent it."""
    return bent_case


@pytest.mark.parametrize("function, name", [
    ("lead_search", "docs_example_header"), ("lead_search", "restricted_other_list"),
    ("lead_search", "level_7_refused"), ("lead_search", "lead_id_without_lead_ids"),
    ("lead_callback_info", "docs_example_all_pipe_header"), ("lead_callback_info", "newline"),
    ("lead_callback_info", "restricted_second_callback_lost"), ("lead_callback_info", "header_alone_is_not_found"),
    ("hopper_list", "block"), ("hopper_list", "pipe_default"), ("hopper_list", "group_forbids_campaign"),
    ("hopper_list", "level_7_refused"),
])
def test_the_honest_host_passes(check, function, name):
    """Control: without a bend the same cases pass, so each failure below is the bend's."""
    result = check(function, name)
    assert result.status == "passed", (result.exchange.status, result.exchange.body, result.reference.mismatches)


def test_lead_search_header_with_the_documented_delimiter_fails(check, monkeypatch):
    monkeypatch.setattr(lead_search, "HEADER", "search_key|records_found|lead_ids\n")
    result = check("lead_search", "docs_example_header")
    assert result.status == "failed" and result.matched_sources == ["docs"]


def test_lead_search_dropping_the_oldest_lead_fails(check, monkeypatch):
    search = lead_search._search
    monkeypatch.setattr(lead_search, "_search", lambda *args: search(*args)[:-1])
    result = check("lead_search", "docs_example_phone_numbers")
    assert result.status == "failed" and result.reference.mismatches


def test_lead_search_without_its_gate_fails(check, monkeypatch):
    monkeypatch.setattr(Gate, "count", lambda self, db, user: 1)
    result = check("lead_search", "level_7_refused")
    assert result.status == "failed" and result.matched_sources == ["docs"]


def test_lead_search_ignoring_the_list_restriction_fails(check, monkeypatch):
    monkeypatch.setattr(lead_search, "_spaced", lambda lists: " 9990201 9990202 ")
    assert check("lead_search", "restricted_other_list").status == "failed"


def test_lead_search_surviving_an_invalid_query_fails(check, monkeypatch):
    search = lead_search._search

    def forgiving(*args):
        try:
            return search(*args)
        except lead_search.InvalidSql:
            return []
    monkeypatch.setattr(lead_search, "_search", forgiving)
    result = check("lead_search", "lead_id_without_lead_ids")
    assert result.status == "failed" and "ServerError" not in {m.kind for m in result.reference.mismatches}


def test_lead_callback_info_current_before_archive_fails(check, monkeypatch):
    monkeypatch.setattr(lead_callback_info, "SOURCES", tuple(reversed(lead_callback_info.SOURCES)))
    result = check("lead_callback_info", "docs_example_all_pipe_header")
    assert result.status == "failed" and "WrongField" in {m.kind for m in result.reference.mismatches}


def test_lead_callback_info_newline_as_a_pipe_fails(check, monkeypatch):
    monkeypatch.setattr(lead_callback_info, "DELIMITERS", {"csv": ",", "tab": "\t", "pipe": "|"})
    assert check("lead_callback_info", "newline").status == "failed"


def test_lead_callback_info_reading_every_restricted_callback_fails(check, monkeypatch):
    """A host that lets a restricted user's second callback through is not upstream."""
    allowed = lead_callback_info._list_allowed
    monkeypatch.setattr(lead_callback_info, "_list_allowed", lambda db, list_id, campaigns:
                        list_id == "" or allowed(db, list_id, campaigns))
    assert check("lead_callback_info", "restricted_second_callback_lost").status == "failed"


def test_lead_callback_info_printing_a_lone_header_fails(check, monkeypatch):
    monkeypatch.setattr(lead_callback_info, "HEADER", lead_callback_info.HEADER + ("extra_column_padding",))
    assert check("lead_callback_info", "header_alone_is_not_found").status == "failed"


def test_hopper_list_ignoring_block_fails(check, monkeypatch):
    rows = hopper_list.hopper_rows
    monkeypatch.setattr(hopper_list, "hopper_rows", lambda call, block, *args: rows(call, False, *args))
    assert check("hopper_list", "block").status == "failed"


def test_hopper_list_unpadded_last_call_words_fail(check, monkeypatch):
    age = hopper_list.last_call_age
    monkeypatch.setattr(hopper_list, "last_call_age", lambda *args: age(*args).rstrip())
    result = check("hopper_list", "pipe_default")
    assert result.status == "failed" and result.reference.mismatches


def test_hopper_list_ignoring_the_groups_campaigns_fails(check, monkeypatch):
    monkeypatch.setattr(hopper_list, "_allowed_campaigns", lambda call, group: None)
    assert check("hopper_list", "group_forbids_campaign").status == "failed"


def test_hopper_list_at_level_seven_fails(check, monkeypatch):
    monkeypatch.setattr(Gate, "count", lambda self, db, user: 1)
    result = check("hopper_list", "level_7_refused")
    assert result.status == "failed"
