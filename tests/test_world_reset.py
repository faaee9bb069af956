"""The per-case reset of the reference host's database: only what a case changed goes back, with
its ids; a table no case touched is not rewritten; a host's stray write never reaches the next case."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest
from targets import writing_where_it_should_not

from conformance.bundle import SPECS_DIR
from conformance.host.server import EmbeddedHost
from conformance.tables.database import open_database
from conformance.tables.provisioning import custom_rows, custom_tables, settings_row, world_rows
from conformance.tables.restore import RowRestorer
from conformance.tables.schema import TABLES

_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", "mariadb"])
def owned(request, tmp_path):
    """A database vicicert owns: a SQLite file, or a fresh MariaDB schema (skipped without MariaDB)."""
    if request.param == "sqlite":
        database = open_database(tmp_path / "host.sqlite")
    else:
        server = request.getfixturevalue("vicidial_mariadb")
        name = f"reset{next(_numbers)}"
        server.admin(f"CREATE DATABASE {name}")
        database = open_database(server.url(name))
    yield database
    database.close()


def everything(database) -> dict[str, list[tuple]]:
    """Every covered table's rows, every column (assigned ids included), in a fixed order."""
    return {table: sorted((tuple(row) for row in database.all(f"SELECT * FROM {database.quote(table)}")), key=repr)
            for table in TABLES}


def some_agent(world) -> str:
    return next(row["user"] for row in world.agents.values() if row.get("logged_in", True))


def test_a_reset_puts_back_exactly_what_a_case_changed_and_nothing_else(owned, vicidial_world):
    restorer = RowRestorer(owned)
    rows = world_rows(vicidial_world)
    restorer.restore(rows)
    provisioned = everything(owned)
    agent, api_user = some_agent(vicidial_world), vicidial_world.api_users["api_admin"]["user"]
    owned.write("UPDATE vicidial_live_agents SET external_recording = 'changed' WHERE user = ?", agent)
    owned.write("INSERT INTO recording_log (user, filename) VALUES (?, 'inserted_by_the_case')", agent)
    owned.write("DELETE FROM vicidial_users WHERE user = ?", api_user)
    restorer.restore(rows)
    assert everything(owned) == provisioned   # the same rows with the same ids
    assert set(restorer.rewritten) == {"vicidial_live_agents", "recording_log", "vicidial_users"}
    assert restorer.filled == {table: 1 for table in rows}   # no table emptied and filled again
    rewritten = dict(restorer.rewritten)
    restorer.restore(rows)   # a case that changed nothing: nothing is written
    assert restorer.rewritten == rewritten and everything(owned) == provisioned


def test_an_embedded_case_is_given_the_same_new_id_whatever_ran_before_it(tmp_path, vicidial_world):
    """SQLite's AUTOINCREMENT counter goes back with the rows, so an answer echoing an id the case's
    own insert took (a notification queued, a recording started) is the same in any order of cases,
    and a certificate made by two workers equals one made by one process."""
    database = open_database(tmp_path / "host.sqlite")
    restorer, rows = RowRestorer(database), world_rows(vicidial_world)
    agent = some_agent(vicidial_world)
    given = []
    for _ in range(3):
        restorer.restore(rows)
        database.write("INSERT INTO recording_log (user, filename) VALUES (?, 'by_the_case')", agent)
        given.append(database.all("SELECT MAX(recording_id) FROM recording_log")[0][0])
    database.close()
    assert given[0] == given[1] == given[2]


def test_a_replace_that_deletes_a_row_by_its_unique_key_is_put_back(owned, vicidial_world):
    """REPLACE deletes the row holding the key and inserts another (SQLite: with a new rowid,
    and its deletion fires the delete trigger only with recursive triggers on)."""
    restorer = RowRestorer(owned)
    rows = world_rows(vicidial_world)
    restorer.restore(rows)
    provisioned = everything(owned)
    owned.write("REPLACE INTO vicidial_users (user, pass) VALUES (?, 'replaced1')",
                vicidial_world.api_users["api_admin"]["user"])
    restorer.restore(rows)
    assert everything(owned) == provisioned


def test_a_case_setting_rewrites_system_settings_alone_and_the_next_case_gets_the_world_back(owned, vicidial_world):
    restorer = RowRestorer(owned)
    rows = world_rows(vicidial_world)
    restorer.restore(rows)
    provisioned = everything(owned)
    restorer.restore({**rows, "system_settings": [settings_row(vicidial_world, {"use_non_latin": "1"})]})
    assert owned.value("SELECT use_non_latin FROM system_settings") == "1"
    restorer.restore(rows)
    assert everything(owned) == provisioned
    assert restorer.filled == {**{table: 1 for table in rows}, "system_settings": 3}


def test_other_rows_for_a_table_fill_it_anew(owned, vicidial_world):
    restorer = RowRestorer(owned)
    restorer.restore(world_rows(vicidial_world))
    smaller = replace(vicidial_world, rows={**vicidial_world.rows, "campaigns": vicidial_world.section("campaigns")[:1]})
    restorer.restore(world_rows(smaller))
    assert owned.value("SELECT COUNT(*) FROM vicidial_campaigns") == 1
    assert restorer.filled["vicidial_campaigns"] == 2 and restorer.filled["vicidial_users"] == 1


def test_a_reset_that_fails_half_way_is_followed_by_a_whole_one(owned, vicidial_world, monkeypatch):
    """SQLite rolls the failed reset back, triggers included: the next one must not trust them."""
    restorer = RowRestorer(owned)
    rows = world_rows(vicidial_world)
    real_fill = type(owned).fill
    calls = {"count": 0}

    def failing_fill(self, table, table_rows, declared=None):
        calls["count"] += 1
        if calls["count"] == 5:
            raise OSError("disk full")
        return real_fill(self, table, table_rows, declared)
    monkeypatch.setattr(type(owned), "fill", failing_fill)
    with pytest.raises(OSError):
        restorer.restore(rows)
    monkeypatch.undo()
    restorer.restore(rows)
    provisioned = everything(owned)
    owned.write("UPDATE vicidial_live_agents SET external_recording = 'changed' WHERE user = ?", some_agent(vicidial_world))
    restorer.restore(rows)
    assert everything(owned) == provisioned


def test_a_custom_table_is_made_once_and_put_back_like_the_others(owned, vicidial_world):
    """A world's custom_<list_id> tables are made with the first reset, then followed as upstream's are."""
    made = custom_tables(vicidial_world)
    assert made, "the embedded world has lists with custom fields"
    restorer = RowRestorer(owned)
    rows = {**world_rows(vicidial_world), **custom_rows(vicidial_world)}
    restorer.restore(rows, made)
    name = next(iter(made))
    provisioned = sorted(owned.all(f"SELECT * FROM {owned.quote(name)}"), key=repr)
    assert provisioned
    owned.write(f"DELETE FROM {owned.quote(name)}")
    restorer.restore(rows, made)
    assert sorted(owned.all(f"SELECT * FROM {owned.quote(name)}"), key=repr) == provisioned
    assert restorer.filled[name] == 1 and name in restorer.rewritten


def test_a_database_vicicert_does_not_own_is_never_rewritten(tmp_path, vicidial_world):
    from conformance.errors import UsageError
    database = open_database(tmp_path / "foreign.sqlite")
    database.owned = False   # as a real VICIdial database is found
    with pytest.raises(UsageError, match="replacing them would destroy them"):
        RowRestorer(database).restore(world_rows(vicidial_world))


def test_the_host_drops_its_change_log_when_it_stops(tmp_path, vicidial_world):
    """A database file served on later (vicicert serve --db) keeps no trigger of a finished run."""
    host = EmbeddedHost(tmp_path / "kept.sqlite")
    host.reset(vicidial_world)
    host.reset(vicidial_world)
    host.stop()
    database = open_database(tmp_path / "kept.sqlite")
    assert database.all("SELECT name FROM sqlite_master WHERE type = 'trigger' OR name LIKE 'vicicert_changed%'") == []
    assert database.value("SELECT COUNT(*) FROM vicidial_users") == len(world_rows(vicidial_world)["vicidial_users"])


# a whole spec's run; the reset itself is judged by
# test_a_reset_puts_back_exactly_what_a_case_changed_and_nothing_else
@pytest.mark.slow
def test_a_host_that_writes_where_it_should_not_is_reset_before_every_case(pytester, monkeypatch, tmp_path):
    writing_where_it_should_not(monkeypatch)
    outcome = pytester.runpytest_inprocess(str(SPECS_DIR / "agent_api/pause_code.yaml"), "-p", "no:cacheprovider",
                                           "--vicidial-report-dir", str(tmp_path / "out"))
    assert outcome.ret == 0, outcome.stdout.str()[-3000:]
    totals = json.loads((tmp_path / "out/report.json").read_text())["totals"]
    assert totals["passed"] == totals["cases"] > 20


@pytest.mark.slow  # the control of the whole run above, with it
def test_a_reset_that_missed_the_stray_writes_would_be_caught(pytester, monkeypatch, tmp_path):
    """The check above is not vacuous: with the change log ignored, the scrambled rows reach the next case."""
    writing_where_it_should_not(monkeypatch)
    monkeypatch.setattr(RowRestorer, "_sqlite", lambda self, kept, stale: self._track([*kept, *stale]))
    outcome = pytester.runpytest_inprocess(str(SPECS_DIR / "agent_api/pause_code.yaml"), "-p", "no:cacheprovider",
                                           "--vicidial-report-dir", str(tmp_path / "out"))
    assert outcome.ret != 0
    totals = json.loads((tmp_path / "out/report.json").read_text())["totals"]
    assert totals["failed"] >= totals["cases"] - 1
