"""format=debug: the specs' page (head, statements and changes by pattern, answer, end) catches a
target that gets any part of it wrong, and lets through what only the SQL text changes."""

from __future__ import annotations

import re

import pytest

from conformance.client import Target
from conformance.execution import run_case
from conformance.redaction import Redactor

from targets import MisbehavingHandler

HEAD_END = "topmargin=0>\n"


@pytest.fixture
def bent(httpserver, tmp_path, vicidial_world, vicidial_specs):
    """run(function, case, mutation) -> CaseResult against the reference host bent by ``mutation``."""
    def run(function, case_name, mutation):
        handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, mutation)
        httpserver.clear_all_handlers()
        httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=5.0)
        spec_case = next(c for c in vicidial_specs[function].cases if c.name == case_name)
        return run_case(spec_case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True)
    return run


def body_edit(edit):
    def mutation(request, answer):
        answer.body = edit(answer.body)
        return answer
    return mutation


def without_head(body: str) -> str:
    return body.split(HEAD_END, 1)[1]


def other_user(body: str) -> str:
    return re.sub(r"USER: \S+", "USER: vcrt9999", body, count=1)


def without_end(body: str) -> str:
    return body.split("\n<!-- script runtime", 1)[0]


def with_end(body: str) -> str:
    return body + "\n<!-- script runtime: 0 seconds -->\n</body>\n</html>\n"


def without_statements(body: str) -> str:
    return re.sub(r"(?m)^select [^\n]*\n", "", body)


def without_changes(body: str) -> str:
    return re.sub(r"\n<!-- UPDATE [^\n]*? -->", "", body)


def other_sql(body: str) -> str:
    """Statements and changes worded otherwise, and one more of each: the patterns take them."""
    body = body.replace("select count(*) from", "SELECT count(*) FROM")
    body = body.replace(HEAD_END, HEAD_END + "select 1;\n", 1)
    return re.sub(r"(\n<!-- UPDATE [^\n]*? -->)", r"\n<!-- UPDATE vicidial_live_agents set last_update_time=NOW(); -->\1",
                  body, count=1)


def answer_outside(body: str) -> str:
    """The answer printed before the page, as a host that ignored the order would."""
    head, rest = body.split(HEAD_END, 1)
    line = re.search(r"SUCCESS: [^\n]*\n", rest).group(0)
    return line + head + HEAD_END + rest.replace(line, "")


@pytest.mark.parametrize("mutation", [without_head, other_user, without_end, without_statements, without_changes,
                                      answer_outside])
def test_a_wrong_page_is_caught(bent, mutation):
    result = bent("agent_api/external_hangup", "debug_page", body_edit(mutation))
    assert result.status == "failed"
    assert [m.kind for m in result.reference.mismatches] == ["UnexpectedBody"]


def test_a_page_left_open_must_stay_open(bent):
    """Where upstream exits (a refusal), a host that closes the page anyway is caught."""
    result = bent("agent_api/external_pause", "debug_page_left_open", body_edit(with_end))
    assert result.status == "failed"


def test_only_the_sql_may_differ(bent):
    assert bent("agent_api/external_hangup", "debug_page", body_edit(lambda body: body)).status == "passed"
    assert bent("agent_api/external_hangup", "debug_page", body_edit(other_sql)).status == "passed"


def test_a_host_ignoring_format_is_caught(bent):
    def plain(request, answer):
        answer.body = without_end(without_head(answer.body))
        answer.body = re.sub(r"(?m)^select [^\n]*\n|\n<!-- [^\n]*? -->", "", answer.body)
        return answer
    result = bent("agent_api/preamble", "debug_page_around_nothing", plain)
    assert result.status == "failed"


def test_update_fields_page_needs_its_field_notes(bent):
    assert bent("agent_api/update_fields", "debug_page", body_edit(lambda body: body)).status == "passed"
    result = bent("agent_api/update_fields", "debug_page", body_edit(lambda body: body.replace(" set to ", " = ")))
    assert result.status == "failed"
