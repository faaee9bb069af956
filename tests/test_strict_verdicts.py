"""Every generated case asserts the exact text: no case settles for "a sane answer" where upstream's is knowable."""

from __future__ import annotations

import pytest
from targets import MisbehavingHandler

from conformance.bundle import SPECS_DIR
from conformance.client import Target
from conformance.execution import run_case
from conformance.redaction import Redactor
from conformance.spec import load_specs

# Upstream answers that cannot be known in advance, so only a sane answer is asked: none today.
SANE_ONLY: set[str] = set()
# The generated cases that asked only for a sane answer until their texts were written out (issue 11).
ONCE_SANE = [
    "agent_api::preamble::source_length_21", "non_agent_api::agent_stats_export::source_length_21",
    "non_agent_api::agent_stats_export::agent_user_length_1", "non_agent_api::agent_stats_export::agent_user_length_21",
    "non_agent_api::agent_stats_export::campaign_id_length_1", "non_agent_api::agent_stats_export::campaign_id_length_9",
    "non_agent_api::agent_stats_export::datetime_start_format_2026_06_01_00_00_00_1",
    "non_agent_api::agent_stats_export::datetime_start_format_01_06_2026_00_00_00_2",
    "non_agent_api::agent_stats_export::datetime_start_format_2000_06_01_3",
    "non_agent_api::agent_stats_export::datetime_start_format_now_4",
    "non_agent_api::agent_stats_export::time_format_enum_h_1", "non_agent_api::agent_stats_export::time_format_enum_hm_2",
    "non_agent_api::agent_stats_export::time_format_enum_z_3", "non_agent_api::agent_stats_export::stage_enum_xml_1",
    "non_agent_api::agent_stats_export::stage_enum_csv_2", "non_agent_api::agent_stats_export::header_enum_yes_1",
    "non_agent_api::agent_stats_export::header_enum_1_2", "non_agent_api::agent_stats_export::group_by_campaign_enum_yes_1",
    "non_agent_api::agent_stats_export::group_by_campaign_enum_y_2",
]
CASES = {case.id: case for spec in load_specs(SPECS_DIR) for case in spec.cases}


def test_no_generated_case_settles_for_a_sane_answer():
    sane = {case_id for case_id, case in CASES.items() if case.generated and case.reference.expected.sane_only}
    assert sane == SANE_ONLY


def test_the_once_sane_cases_still_exist():
    assert set(ONCE_SANE) <= set(CASES)


def _swap_columns(body: str) -> str:
    return "\n".join("|".join([fields[0], fields[2], fields[1], *fields[3:]]) if (fields := line.split("|")) and
                     len(fields) > 3 else line for line in body.split("\n"))


def _drop_last_row(body: str) -> str:
    lines = body.rstrip("\n").split("\n")
    return "\n".join(lines[:-1]) + "\n" if len(lines) > 1 else body


BROKEN = {
    "swapped columns": _swap_columns,
    "last row dropped": _drop_last_row,
    "50.0% for 50%": lambda body: body.replace("50%", "50.0%"),
    "CRLF line ends": lambda body: body.replace("\n", "\r\n"),
    "no final newline": lambda body: body.rstrip("\n"),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_every_bent_answer_of_the_once_sane_cases_is_caught(breakage, httpserver, tmp_path, vicidial_world):
    """Each case fails exactly when the breakage changed its answer (a sane-only check passed them all)."""
    change = BROKEN[breakage]
    bent: dict[str, bool] = {}

    def mutation(request, answer):
        before = answer.body
        answer.body = change(before)
        bent[request.param("function") or ""] = answer.body != before
        return answer

    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, mutation)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    target = Target(httpserver.url_for("/").rstrip("/"), timeout=5)
    changed, verdicts = [], {}
    for case_id in ONCE_SANE:
        result = run_case(CASES[case_id], target, vicidial_world, "reference", Redactor(), failed_logins=True,
                          writes=True)
        verdicts[case_id] = result.status
        if next(iter(bent.values())):
            changed.append(case_id)
        bent.clear()
    assert changed, f"{breakage} changed no answer"
    assert {case_id for case_id, status in verdicts.items() if status == "failed"} == set(changed)
