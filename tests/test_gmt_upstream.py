"""The GMT lookup port equals upstream on every recorded answer (tests/data/gmt_upstream.json:
check_phone_number at instants on both sides of each daylight saving change, recorded from
upstream by tools/record_gmt_upstream.py), and a port bent at a change is caught by the table."""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path

import pytest

from conformance.bundle import EMBEDDED_WORLD
from conformance.host import gmt_lookup
from conformance.host.app import ReferenceHost
from conformance.host.http import HostRequest
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import world_rows
from conformance.tables.schema import TABLES
from conformance.world import load_world

TABLE = json.loads((Path(__file__).parent / "data" / "gmt_upstream.json").read_text())


@pytest.fixture
def php_zone(monkeypatch):
    """zone(name): PHP's date.timezone when upstream answered, which the host reads as this process's zone."""
    def zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
    yield zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def port(tmp_path, php_zone):
    """ask(input, epoch) -> the reference host's check_phone_number answer with the recorded code rows."""
    world = load_world(EMBEDDED_WORLD)
    rows = world_rows(world)
    rows["vicidial_call_times"] = [*rows.get("vicidial_call_times", []), TABLE["call_time"]]
    for table, recorded in TABLE["code_rows"].items():
        declared = {column.name for column in TABLES[table].columns}
        rows[table] = [{name: value for name, value in row.items() if name in declared} for row in recorded]
    database = SqliteDatabase(tmp_path / "gmt.sqlite")
    database.replace_rows(rows)
    clock = [0]
    host = ReferenceHost(database, clock=lambda: clock[0])
    user = world.api_users["api_admin"]

    def ask(given: dict, epoch: int, zone: str = "UTC") -> str:
        php_zone(zone)
        clock[0] = epoch
        params = {"function": "check_phone_number", "source": "vicicert", "user": user["user"], "pass": user["pass"],
                  "local_call_time": TABLE["call_time"]["call_time_id"], **given}
        request = HostRequest("GET", "/vicidial/non_agent_api.php", params, {}, urllib.parse.urlencode(params))
        return host(request).body
    yield ask
    database.close()


def differences(ask) -> list[str]:
    return [f"{record['utc']} {record['input']}: upstream {record['upstream']!r}, port {answer!r}"
            for record in TABLE["records"]
            if (answer := ask(record["input"], record["epoch"], record["php_zone"])) != record["upstream"]]


def test_the_table_is_large_and_covers_every_rule_and_method():
    records = TABLE["records"]
    assert len(records) >= 200
    ranges = {row["DST_range"] for row in TABLE["code_rows"]["vicidial_phone_codes"]}
    assert set(gmt_lookup.RULES) <= ranges
    methods = {part.split(":")[0] for record in records for part in record["upstream"].split("#")[:-1]}
    assert methods == {"AREACODE", "POSTAL", "TZCODE", "NANPA"}
    assert any(".5" in record["upstream"] or ".75" in record["upstream"] for record in records)
    assert {record["php_zone"] for record in records} == {"UTC", "America/New_York"}


def test_the_port_equals_upstream_on_every_record(port):
    assert differences(port) == []


def test_a_port_whose_rule_changes_an_hour_late_is_caught(port, monkeypatch):
    rule = gmt_lookup.RULES["SSM-FSN"]
    monkeypatch.setitem(gmt_lookup.RULES, "SSM-FSN", lambda month, day, seconds, weekday: rule(
        month, day, max(0, seconds - 3600), weekday))
    found = differences(port)
    assert found and all("-03-" in line or "-11-0" in line for line in found), found


def test_a_port_that_adds_two_hours_in_daylight_saving_time_is_caught(port, monkeypatch):
    monkeypatch.setattr(gmt_lookup, "increment", lambda value: float(value) + 2)
    assert len(differences(port)) > 100
