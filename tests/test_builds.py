"""Texts bounded by upstream build: a target is judged by the build its version answer reports."""

from __future__ import annotations

import json

import pytest
from targets import MisbehavingHandler

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.spec import build_number, load_spec

PARK_CALL = SPECS_DIR / "agent_api" / "park_call.yaml"
CASES = {case.name: case for case in load_spec(PARK_CALL).cases}
OLD_RULE = "before 2.14-81"


def test_builds_order_by_their_numbers():
    assert build_number("2.14-80") < build_number("2.14-81") < build_number("2.14-100") < build_number("2.15-1")


@pytest.mark.parametrize("version, label", [("2.14-79", "not_valid"), ("2.14-80", "not_valid"),
                                            ("2.14-81", "set"), ("2.14-82", "set"), (None, "set"),
                                            ("unknown", "set")])
def test_the_reference_text_follows_the_reported_build(version, label):
    """until: is inclusive; an unknown or unreadable build is judged by the verified one."""
    case = CASES["incall_park_xfer"].for_build(version)
    assert case.reference.label == label
    assert (OLD_RULE in case.reference.note) == (label == "not_valid")


def test_a_generated_case_keeps_only_its_own_samples_builds():
    assert CASES["value_enum_park_customer_1"].for_build("2.14-80").reference.label == "set"     # park_customer
    assert CASES["value_enum_park_2"].for_build("2.14-80").reference.label == "not_valid"   # PARK


def old_park_call(reported: str):
    """A host of build 2.14-80 (any 10 characters are a command), reporting ``reported`` as its version."""
    def mutation(request, answer):
        params = {**request.get, **request.post}
        if params.get("function") == "version":
            answer.body = answer.body.replace("2.14-82", reported)
        elif params.get("function") == "park_call" and params.get("value") in ("PARK_XFER", "GRAB_XFER"):
            answer.body = f"ERROR: park_call not valid - {params['value']}|{params.get('agent_user', '')}\n"
        return answer
    return mutation


@pytest.mark.parametrize("reported, failed", [("2.14-80", 0), ("2.14-82", 2)])
def test_a_target_is_judged_by_the_build_it_reports(pytester, httpserver, tmp_path, vicidial_world, reported, failed):
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, old_park_call(reported))
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", str(PARK_CALL), "-k", "incall_park_xfer or incall_grab_xfer",
                                "--vicidial-target", httpserver.url_for("/"), "--vicidial-world", str(EMBEDDED_WORLD),
                                "--vicidial-allow-writes", "--vicidial-report-dir", str(tmp_path / "out"))
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == failed and outcomes.get("passed", 0) == 2 - failed
    result.stdout.fnmatch_lines([f"preflight: Agent API: VICIdial {reported} *"])
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    notes = {case["reference"]["note"] for case in report["cases"]}
    assert all((OLD_RULE in note) == (reported == "2.14-80") for note in notes)
