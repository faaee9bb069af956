"""A spec answer's ``disturbs:`` (what it does to the whole host): read with its line, and
judged per run: a target is sent such a case only with --allow-disturbing, the embedded host always.
SQL fixture mode's put-back is test_sql_fixture's (a real MariaDB)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from conformance.bundle import SPECS_DIR
from conformance.errors import SpecError
from conformance.plugin.items import CaseItem
from conformance.spec import load_spec

SERVER_REFRESH = SPECS_DIR / "non_agent_api" / "server_refresh.yaml"
SUCCESSES = {"refresh", "refresh_within_the_stage", "refresh_split_by_removed_characters", "level8_passes",
             "stage_charset_re_fresh_1", "stage_charset_ref_resh_2", "stage_charset_refresh_3"}


def test_every_case_answered_by_a_disturbing_response_carries_it_generated_ones_too():
    spec = load_spec(SERVER_REFRESH)
    assert {case.name for case in spec.cases if case.disturbs} == SUCCESSES
    [disturbs] = {case.disturbs for case in spec.cases if case.disturbs}
    assert disturbs.columns == (("servers", (("rebuild_conf_files", "Y"),)),)


@pytest.mark.parametrize("columns, message", [
    ("{servers: {active: \"N\"}}", "disturbs names servers.active, which SQL fixture mode does not know to put back"),
    ("{phones: {rebuild_conf_files: \"Y\"}}", "disturbs names phones.rebuild_conf_files"),
])
def test_a_column_sql_fixture_mode_cannot_put_back_is_refused_at_its_line(tmp_path, columns, message):
    text = SERVER_REFRESH.read_text().replace("columns: {servers: {rebuild_conf_files: \"Y\"}}", f"columns: {columns}")
    path = tmp_path / "server_refresh.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    error = raised.value
    assert message in error.message and "HOST_COLUMNS" in error.fix
    assert text.splitlines()[error.line - 1].strip().startswith("columns:")


@pytest.mark.parametrize("mode, allowed, sent", [
    ("embedded", False, True), ("sql", False, False), ("declared", False, False),
    ("sql", True, True), ("declared", True, True),
])
def test_a_disturbing_case_goes_to_a_target_only_when_the_run_allows_it(mode, allowed, sent):
    spec = load_spec(SERVER_REFRESH)
    harness = SimpleNamespace(mode=mode, settings=SimpleNamespace(global_changes=True, disturbing=allowed))
    by_name = {case.name: case for case in spec.cases}
    reason = CaseItem._excluded_by_the_run(SimpleNamespace(case=by_name["refresh"]), harness)
    assert (reason == "") is sent
    if not sent:
        assert reason.startswith("disturbs the whole host: every server of the host rebuilds") \
            and reason.endswith("sent to a target only with --allow-disturbing")
    assert CaseItem._excluded_by_the_run(SimpleNamespace(case=by_name["no_stage"]), harness) == ""
