"""Text lookups (issue 21): a reference host whose SQLite collation departs from upstream's
utf8_unicode_ci, comparing case-sensitively or without PAD SPACE, fails the padded and
mixed-case cases of the specs that guard its lookups."""

from __future__ import annotations

import pytest

from conformance.tables import database

CASE_SENSITIVE = [("agent_api/external_dial", "dial_ingroup_mixed_case"),
                  ("agent_api/ra_call_control", "ingroup_transfer_mixed_case"),
                  ("non_agent_api/check_phone_number", "campaign_id_mixed_case"),
                  ("non_agent_api/in_group_status", "in_groups_mixed_case")]
WITHOUT_PAD_SPACE = [("agent_api/ra_call_control", "ingroup_transfer_padded_trailing")]


def case_sensitive(left: str, right: str) -> int:
    left, right = left.rstrip(" "), right.rstrip(" ")
    return (left > right) - (left < right)


def without_pad_space(left: str, right: str) -> int:
    left, right = left.lower(), right.lower()
    return (left > right) - (left < right)


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("spec,case", CASE_SENSITIVE + WITHOUT_PAD_SPACE)
def test_the_unbent_host_passes(bent_case, spec, case):
    """Control: each failure below is the bend's."""
    assert bent_case(spec, case).status == "passed"


@pytest.mark.parametrize("spec,case", CASE_SENSITIVE)
def test_a_case_sensitive_host_fails_the_mixed_case_lookups(bent_case, monkeypatch, spec, case):
    monkeypatch.setattr(database, "mysql_text_order", case_sensitive)
    assert {"UnexpectedBody", "WrongField"} & set(failed(bent_case(spec, case)))


@pytest.mark.parametrize("spec,case", WITHOUT_PAD_SPACE)
def test_a_host_without_pad_space_fails_the_padded_lookups(bent_case, monkeypatch, spec, case):
    monkeypatch.setattr(database, "mysql_text_order", without_pad_space)
    assert {"UnexpectedBody", "WrongField"} & set(failed(bent_case(spec, case)))
