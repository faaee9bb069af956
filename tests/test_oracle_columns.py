"""The columnar oracle prints exactly what the row-by-row oracle prints, in both arithmetics."""

from __future__ import annotations

import random

import pytest

from conformance.agent_log_generator import AgentLogPlan, generate
from conformance.oracle.agent_stats import StatsQuery, export
from conformance.oracle.columns import export_generated

from test_stats_property import request_for


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
