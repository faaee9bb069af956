"""The reference host on a real MariaDB server: every case, and host equals oracle."""

from __future__ import annotations

import json

import pytest
from command import vicicert
from test_stats_property import check_host_against_oracle

from conformance.tables.database import open_database
from conformance.tables.provisioning import world_rows


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
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
    world = world_rows(vicidial_world)
    database.replace_rows(world)
    check_host_against_oracle(database, world["vicidial_users"], seed)


def test_bad_database_url_is_a_usage_error(vicidial_mariadb):
    from conformance.errors import UsageError
    wrong = vicidial_mariadb.url().replace("dbPass-test1", "wrongDbPass")
    with pytest.raises(UsageError) as caught:
        open_database(wrong)
    assert "mysql://vicicert:********@127.0.0.1" in str(caught.value)
    assert "wrongDbPass" not in str(caught.value)
