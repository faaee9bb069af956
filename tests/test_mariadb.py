"""The reference host on a real MariaDB server: every case, and host equals oracle."""

from __future__ import annotations

import json
import random

import pytest
from command import vicicert
from test_stats_property import request_for

from conformance.agent_log_generator import AgentLogPlan, generate
from conformance.host.http import HostRequest
from conformance.host.non_agent_api import NonAgentApi
from conformance.oracle.agent_stats import StatsQuery, export
from conformance.tables.database import open_database
from conformance.tables.provisioning import world_rows


def test_every_case_passes_on_mariadb(vicidial_mariadb, tmp_path):
    url = vicidial_mariadb.url()
    result = vicicert("check", "-q", "--host-db", url, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    report = json.loads((tmp_path / "reports/out/report.json").read_text())
    assert report["totals"]["failed"] == 0 and report["totals"]["passed"] == report["totals"]["cases"] > 150
    assert vicidial_mariadb.admin("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA='asterisk' "
                                  "AND TABLE_NAME='vicidial_live_agents'").strip() == "MyISAM"
    assert "dbPass-test1" not in result.stdout + result.stderr


@pytest.mark.parametrize("seed", range(1, 9))
def test_host_on_mariadb_equals_oracle(seed, vicidial_mariadb, vicidial_world):
    database = open_database(vicidial_mariadb.url())
    database.replace_rows(world_rows(vicidial_world))
    rng = random.Random(seed)
    plan = AgentLogPlan(rows=rng.choice([300, 2000]), seed=seed, agents=rng.choice([5, 60]), campaigns=3, weeks=1)
    rows = list(generate(plan))
    database.replace_rows({"vicidial_agent_log": [row._asdict() | {"server_ip": "192.0.2.15"} for row in rows]})
    users = plan.user_rows()
    with database.write_lock:
        for user, (name, group) in users.items():
            database.connection().cursor().execute(
                "INSERT INTO vicidial_users (user, pass, full_name, user_group) VALUES (%s, 'x', %s, %s)",
                (user, name, group))
    host = NonAgentApi(database)
    for _ in range(3):
        params = request_for(rng, plan, rows)
        answer = host(HostRequest("GET", "/vicidial/non_agent_api.php", params, {})).body
        assert answer == export(rows, users, StatsQuery.from_params(params)), (seed, params)


def test_bad_database_url_is_a_usage_error(vicidial_mariadb):
    from conformance.errors import UsageError
    wrong = vicidial_mariadb.url().replace("dbPass-test1", "wrongDbPass")
    with pytest.raises(UsageError) as caught:
        open_database(wrong)
    assert "mysql://vicicert:********@127.0.0.1" in str(caught.value)
    assert "wrongDbPass" not in str(caught.value)
