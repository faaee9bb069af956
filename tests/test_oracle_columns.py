"""The columnar oracle prints exactly what the row-by-row oracle prints, in both arithmetics."""

from __future__ import annotations

import random

import pytest
from test_stats_property import request_for

from conformance.agent_log_generator import AgentLogPlan, generate
from conformance.oracle.agent_stats import StatsQuery, export
from conformance.oracle.columns import export_generated


@pytest.mark.parametrize("seed", range(1, 31))
@pytest.mark.parametrize("arithmetic", ["reference", "documented"])
def test_columnar_equals_row_oracle(seed, arithmetic):
    rng = random.Random(seed)
    plan = AgentLogPlan(rows=rng.choice([50, 800, 3000]), seed=seed, agents=rng.choice([3, 30, 200]),
                        campaigns=rng.choice([1, 4]), weeks=rng.choice([1, 2]))
    rows = list(generate(plan))
    for _ in range(4):
        query = StatsQuery.from_params(request_for(rng, plan, rows))
        assert export_generated(plan, query, arithmetic) == export(rows, plan.user_rows(), query, arithmetic)


def test_columnar_spans_chunks(monkeypatch):
    """First and last rows per agent come from different chunks."""
    from conformance import agent_log_generator
    monkeypatch.setattr(agent_log_generator, "CHUNK_ROWS", 700)
    plan = AgentLogPlan(rows=5000, seed=9, agents=20, campaigns=3)
    start, end = plan.window()
    for grouping in ("", "YES"):
        query = StatsQuery(user="u", datetime_start=start, datetime_end=end, time_format="S",
                           group_by_campaign=grouping)
        assert export_generated(plan, query) == export(generate(plan), plan.user_rows(), query)


@pytest.mark.parametrize("grouping", ["", "YES"])
@pytest.mark.parametrize("campaign", ["", "GENC02"])
def test_row_limit_is_modelled_like_the_host(grouping, campaign, monkeypatch, tmp_path, vicidial_world):
    """Upstream reads the first ROW_LIMIT rows in export order; with the limit lowered to 700
    the columnar oracle and the reference host must cut the same rows."""
    from conformance import agent_log_generator
    from conformance.host import non_agent_api
    from conformance.host.http import HostRequest
    from conformance.host.non_agent import agent_stats_export
    from conformance.oracle import agent_stats
    from conformance.tables.database import SqliteDatabase
    from conformance.tables.provisioning import world_rows
    from loadtests.seeder import seed
    monkeypatch.setattr(agent_log_generator, "CHUNK_ROWS", 450)
    monkeypatch.setattr(agent_stats, "ROW_LIMIT", 700)
    monkeypatch.setattr(agent_stats_export, "ROW_LIMIT", 700)
    plan = AgentLogPlan(rows=3000, seed=11, agents=12, campaigns=3)
    database = SqliteDatabase(tmp_path / "limit.sqlite")
    database.replace_rows(world_rows(vicidial_world))
    seed(database, plan, progress=open("/dev/null", "w"))
    start, end = plan.window()
    params = {"source": "limit", "user": "vcrt6666", "pass": "vcPass-6666", "function": "agent_stats_export",
              "datetime_start": start, "datetime_end": end, "time_format": "S", "group_by_campaign": grouping,
              "campaign_id": campaign}
    answer = non_agent_api.NonAgentApi(database)(HostRequest("GET", "/", params, {})).body
    expected = export_generated(plan, StatsQuery.from_params(params))
    assert answer == expected
    monkeypatch.setattr(agent_stats, "ROW_LIMIT", 10**9)
    if not campaign:  # all 3,000 rows match, so the cut shows
        assert export_generated(plan, StatsQuery.from_params(params)) != expected
