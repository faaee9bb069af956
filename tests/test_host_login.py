"""Upstream's lockout, in both APIs.

Ten failures are counted against last_login_date: when that is older than 15 minutes (a
fresh account's is 2001), the eleventh failure restarts the count and stamps the date, and
ten more then lock the account until 15 minutes after the stamp.
"""

from __future__ import annotations

from conformance.host.agent_api import AgentApi
from conformance.host.http import HostRequest
from conformance.host.non_agent_api import NonAgentApi
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import world_rows

NOW = 1_800_000_000


def login(api, password, path):
    params = {"source": "locktest", "user": "vcrt6670", "pass": password, "function": "version_x",
              "agent_user": "vcrt1001", "value": "BREAK"}
    return api(HostRequest("GET", path, params, {})).body


def test_ten_failures_lock_then_expire(tmp_path, vicidial_world):
    database = SqliteDatabase(tmp_path / "lock.sqlite")
    database.replace_rows(world_rows(vicidial_world))
    clock = [NOW]
    agent = AgentApi(database, clock=lambda: clock[0])
    for _ in range(20):
        assert "|0|1|BAD|0|api|SELECT" in login(agent, "wrongPass1", "/agc/api.php")
    assert login(agent, "vcPass-6670", "/agc/api.php").endswith("|vcPass-6670|0|1|LOCK|\n")
    non_agent = NonAgentApi(database, clock=lambda: clock[0])
    assert login(non_agent, "vcPass-6670", "/vicidial/non_agent_api.php") == \
        "ERROR: Too many login attempts, try again in 15 minutes: |vcrt6670|LOCK|\n"
    clock[0] = NOW + 901  # the lock is over: the right password works again
    assert login(agent, "vcPass-6670", "/agc/api.php") == ""  # an unknown function answers nothing
