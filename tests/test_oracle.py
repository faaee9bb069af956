"""The oracle reproduces every hand-written export of the agent_stats_export spec."""

from __future__ import annotations

import pytest

from conformance.oracle.agent_stats import DOCUMENTED, REFERENCE, AgentLogRow, StatsQuery, export

SPEC = "non_agent_api/agent_stats_export"


def oracle_cases(specs):
    """Cases whose answer is the export itself or its window errors (the oracle's part)."""
    spec = specs[SPEC]
    return [case for case in spec.cases
            if case.api_role == "api_admin" and case.reference.label not in ("invalid_source", "sane")
            and dict(case.request).get("source") is not None]


def rows_and_users(world):
    rows = [AgentLogRow(**{name: row.get(name) for name in AgentLogRow._fields}) for row in world.agent_log]
    users = {str(row["user"]).upper(): (row.get("full_name", ""), row.get("user_group", ""))
             for row in [*world.agents.values(), *world.api_users.values()]}
    return rows, users


def rendered(case, world):
    context = world.context(case.api_role, case.agent_role)
    params = {name: template.render(context) for name, template in case.request if template is not None}
    context.update({name: "" for name, template in case.request if template is None})
    context.update(params)
    return params, context


def test_the_oracle_covers_most_cases(vicidial_specs):
    assert len(oracle_cases(vicidial_specs)) >= 25


def test_oracle_matches_every_hand_written_export(vicidial_specs, vicidial_world):
    rows, users = rows_and_users(vicidial_world)
    checked = 0
    for case in oracle_cases(vicidial_specs):
        params, context = rendered(case, vicidial_world)
        query = StatsQuery.from_params(params)
        expected = case.reference.expected.body.render(context)
        assert export(rows, users, query, REFERENCE) == expected, case.id
        for outcome in case.documented:
            if outcome.source == "docs_meaning":
                assert export(rows, users, query, DOCUMENTED) == outcome.expected.body.render(context), case.id
                checked += 1
    assert checked == 2


def test_the_two_arithmetics_differ_where_upstream_has_quirks(vicidial_world):
    rows, users = rows_and_users(vicidial_world)
    query = StatsQuery(user="vcrt6666", datetime_start="2000-06-01 00:00:00", datetime_end="2000-06-01 23:59:59",
                       time_format="S")
    reference = export(rows, users, query, REFERENCE).splitlines()
    documented = export(rows, users, query, DOCUMENTED).splitlines()
    assert reference[1].split("|")[6] == "85" and documented[1].split("|")[6] == "59"   # avg_talk_time
    assert reference[0].split("|")[18] == "24" and documented[0].split("|")[18] == "21"  # dispo twice


@pytest.mark.parametrize("start,end,text", [
    ("2000-06-01", "2000-06-01 23:59:59", "INVALID SEARCH PARAMETERS: vcrt6666||2000-06-01|2000-06-01 23:59:59|"),
    ("1999-01-01 00:00:00", "1999-01-01 23:59:59", "NO RECORDS FOUND - vcrt6666||1999-01-01 00:00:00|1999-01-01 23:59:59|"),
])
def test_window_errors(start, end, text, vicidial_world):
    rows, users = rows_and_users(vicidial_world)
    assert export(rows, users, StatsQuery(user="vcrt6666", datetime_start=start, datetime_end=end)) == \
        f"ERROR: agent_stats_export {text}\n"
