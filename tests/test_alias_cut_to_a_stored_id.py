"""An alias id longer than its column, cut by MySQL's non-strict mode to an id already stored, is
the INSERT's duplicate key. PHP 8's mysqli throws it: upstream answers HTTP 500 with an empty body
and logs nothing (probed on the upstream host with a 31-character group alias id whose first 30
characters were stored). No spec case can send it: the stored id would have to fill its column
exactly, and the world's ids change length with --namespace."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from conformance.host.server import EmbeddedHost


@pytest.fixture(scope="module")
def host(vicidial_world):
    host = EmbeddedHost().start()
    host.reset(vicidial_world)
    yield host
    host.stop()


def answer(host, **params) -> tuple[int, str]:
    url = f"{host.base_url}/vicidial/non_agent_api.php?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("function, table, column, width, fields", [
    ("add_group_alias", "groups_alias", "group_alias_id", 30, {"group_alias_name": "vicicert cut", "caller_id_number": "5550190"}),
    ("add_phone_alias", "phones_alias", "alias_id", 20, {"alias_name": "vicicert cut", "phone_logins": "VCERTPL1"}),
])
def test_an_id_cut_to_a_stored_one_dies_as_php_does(host, vicidial_world, function, table, column, width, fields):
    admin = vicidial_world.api_users["api_alias_admin"]
    stored = ("vcrtCUT" + "x" * width)[:width]
    host.database.write(f"INSERT INTO {table} ({column}) VALUES (?)", stored)
    try:
        logged = host.database.value("SELECT count(*) FROM vicidial_admin_log")
        status, body = answer(host, source="vicicert", user=admin["user"], **{"pass": admin["pass"]},
                              function=function, **{column: stored + "Z"}, **fields)
        assert (status, body) == (500, "")
        assert host.database.value(f"SELECT count(*) FROM {table} WHERE {column} LIKE 'vcrtCUT%'") == 1
        assert host.database.value("SELECT count(*) FROM vicidial_admin_log") == logged
        # one character shorter fits its column: added and answered as usual
        status, body = answer(host, source="vicicert", user=admin["user"], **{"pass": admin["pass"]},
                              function=function, **{column: stored[:-1] + "Z"}, **fields)
        assert (status, body.split(" - ")[0]) == (200, f"SUCCESS: {function} {'GROUP' if 'group' in function else 'PHONE'} "
                                                       "ALIAS HAS BEEN ADDED")
    finally:
        host.database.write(f"DELETE FROM {table} WHERE {column} LIKE 'vcrtCUT%'")
