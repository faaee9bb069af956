"""``vicicert seed`` writes the generator's rows (SQLite and MariaDB) and removes exactly them."""

from __future__ import annotations

import io

from mariadb import PASSWORD, USER

from conformance.agent_log_generator import AgentLogPlan, generate
from conformance.host.http import HostRequest
from conformance.host.non_agent_api import NonAgentApi
from conformance.oracle.agent_stats import StatsQuery, export
from conformance.tables.database import SqliteDatabase, open_database
from conformance.tables.provisioning import world_rows
from loadtests.seeder import remove, seed
from loadtests.watched_statement import watched_write


def seeded_export_matches_oracle(database, world, local=None):
    database.replace_rows(world_rows(world))
    foreign = database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, lead_id, pause_sec) "
                             "VALUES ('7777', '10.1.1.1', '2026-05-05 10:00:00', 5, 10)")
    plan = AgentLogPlan(rows=5000, seed=3, agents=40)
    progress = io.StringIO()
    result = seed(database, plan, progress, local=local)
    assert result["rows"] == 5000 and "5,000/5,000 rows" in progress.getvalue()
    start, end = plan.window()
    params = {"source": "seedtest", "user": "vcrt6666", "pass": "vcPass-6666", "function": "agent_stats_export",
              "datetime_start": start, "datetime_end": end, "campaign_id": "GENC02", "time_format": "S"}
    answer = NonAgentApi(database)(HostRequest("GET", "/", params, {})).body
    assert answer == export(generate(plan), plan.user_rows(), StatsQuery.from_params(params))
    assert remove(database) == 5000
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log WHERE user LIKE 'vcsd%'") == 0
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log WHERE user = '7777'") == foreign == 1
    assert database.value("SELECT COUNT(*) FROM vicidial_users WHERE user LIKE 'vcsd%'") == 0
    return result["path"]


def test_seed_sqlite(tmp_path, vicidial_world):
    seeded_export_matches_oracle(SqliteDatabase(tmp_path / "seed.sqlite"), vicidial_world)


def test_seed_sqlite_in_many_chunks_loses_no_row(tmp_path, vicidial_world, monkeypatch):
    """Chunk boundaries once dropped a row each (a zip that read one row too many)."""
    monkeypatch.setattr("loadtests.seeder.CHUNK", 700)
    seeded_export_matches_oracle(SqliteDatabase(tmp_path / "seed.sqlite"), vicidial_world)


def test_seed_mariadb_with_load_data(vicidial_mariadb, vicidial_world):
    """The server reads the chunk files itself when it can; asked to, the client sends them."""
    vicidial_mariadb.admin("CREATE DATABASE seeding")
    database = open_database(vicidial_mariadb.url("seeding"))
    assert seeded_export_matches_oracle(database, vicidial_world) == "server file"
    assert seeded_export_matches_oracle(database, vicidial_world, local=True) == "LOCAL"


def test_seed_mariadb_without_file_privilege_sends_the_rows(vicidial_mariadb, vicidial_world):
    vicidial_mariadb.admin("CREATE DATABASE seeding_plain; CREATE USER 'plain'@'127.0.0.1' IDENTIFIED BY 'plainPass1';"
                           "GRANT ALL ON seeding_plain.* TO 'plain'@'127.0.0.1';")
    url = vicidial_mariadb.url("seeding_plain").replace(f"{USER}:{PASSWORD}@", "plain:plainPass1@")
    assert seeded_export_matches_oracle(open_database(url), vicidial_world) == "LOCAL"


def _vicidial_install(mariadb, name: str, grants: str) -> str:
    """A database laid out as a VICIdial install has it (upstream's tables with rows of its own),
    and the URL of an account with exactly ``grants`` on it."""
    from conformance.tables.database import OWNER_TABLE
    mariadb.admin(f"CREATE DATABASE {name}")
    admin = open_database(mariadb.url(name))
    admin.write(f"DROP TABLE {OWNER_TABLE}")
    admin.write("INSERT INTO system_settings (version, use_non_latin) VALUES ('2.14b0.5', '0')")
    mariadb.admin(f"CREATE USER '{name}'@'127.0.0.1' IDENTIFIED BY 'acctPass1'; "
                  f"GRANT {grants} ON {name}.* TO '{name}'@'127.0.0.1';")
    return mariadb.url(name).replace(f"{USER}:{PASSWORD}@", f"{name}:acctPass1@")


def test_seed_and_remove_with_base_install_grants(vicidial_mariadb):
    """Upstream's cron account (no ALTER, no CREATE): the rows go in with the indexes kept on."""
    url = _vicidial_install(vicidial_mariadb, "seedcron", "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES")
    database = open_database(url)
    result = seed(database, AgentLogPlan(rows=3000, seed=5, agents=10), io.StringIO())
    assert result["rows"] == 3000 == database.value("SELECT COUNT(*) FROM vicidial_agent_log WHERE user LIKE 'vcsd%'")
    assert remove(database, io.StringIO()) == 3000
    assert database.value("SELECT COUNT(*) FROM vicidial_users WHERE user LIKE 'vcsd%'") == 0


def test_an_account_without_delete_is_refused_before_anything_is_written(vicidial_mariadb):
    import pytest

    from conformance.errors import UsageError
    url = _vicidial_install(vicidial_mariadb, "seedweak", "SELECT, INSERT")
    database = open_database(url)
    with pytest.raises(UsageError, match="lacks DELETE on vicidial_agent_log; DELETE on vicidial_users"):
        seed(database, AgentLogPlan(rows=100, seed=5, agents=3), io.StringIO())
    assert database.value("SELECT COUNT(*) FROM vicidial_users WHERE user LIKE 'vcsd%'") == 0


def _rows_read(database) -> int:
    """Rows this session's statements have read so far (MariaDB's handler counters: scans and index walks)."""
    status = dict(database.all("SHOW SESSION STATUS LIKE 'Handler_read%'"))
    return sum(int(value) for value in status.values())


def _statements(database, monkeypatch) -> list[str]:
    seen: list[str] = []
    write = database.write

    def noted(sql, *params):
        seen.append(sql)
        return write(sql, *params)
    monkeypatch.setattr(database, "write", noted)
    return seen


def test_removal_reads_no_more_rows_than_one_plain_delete(vicidial_mariadb, monkeypatch):
    """Removal once counted the seeded rows first, a second pass over all of them: now it reads the
    rows one DELETE of them reads, and no more (work counted by the server, not timed)."""
    url = _vicidial_install(vicidial_mariadb, "seedreads", "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES")
    database = open_database(url)
    plan = AgentLogPlan(rows=20_000, seed=5, agents=10)
    for _ in range(3):   # rows of the host's own, before and after the seeded ones
        database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, comments) "
                       "VALUES ('7777', '10.1.1.1', '2026-05-05 10:00:00', 'own')")
    seed(database, plan, io.StringIO())
    database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, comments) "
                   "VALUES ('7777', '10.1.1.1', '2026-05-05 10:00:00', 'own')")
    before = _rows_read(database)
    assert database.write("DELETE FROM vicidial_agent_log WHERE comments = 'vicicert-seed' AND user LIKE 'vcsd%'") \
        == plan.rows
    plain = _rows_read(database) - before
    seed(database, plan, io.StringIO())
    # the grants are read from information_schema, whose temporary tables the counters count too
    monkeypatch.setattr("loadtests.seeder._rights", lambda *_: {"SELECT", "DELETE"})
    before = _rows_read(database)
    assert remove(database, io.StringIO()) == plan.rows
    removal = _rows_read(database) - before
    assert removal <= plain * 1.05, (removal, plain)
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log") == 4


def _key_writes(mariadb) -> int:
    """Index blocks the server has written to disk so far (MyISAM's key cache)."""
    return int(mariadb.admin("SHOW GLOBAL STATUS LIKE 'Key_writes'").split()[1])


def test_removal_writes_the_indexes_once_as_one_delete_does(vicidial_mariadb):
    """MyISAM writes the index blocks a statement changed when it ends, unless the table is locked:
    slices of a removal each rewrote most of the lead and user indexes. Removal writes them as one
    DELETE does (counted by the server, not timed)."""
    url = _vicidial_install(vicidial_mariadb, "seedlock", "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES")
    database = open_database(url)
    plan = AgentLogPlan(rows=20_000, seed=5, agents=10)
    seed(database, plan, io.StringIO())
    before = _key_writes(vicidial_mariadb)
    assert database.write("DELETE FROM vicidial_agent_log WHERE comments = 'vicicert-seed' AND user LIKE 'vcsd%'") \
        == plan.rows
    plain = _key_writes(vicidial_mariadb) - before
    seed(database, plan, io.StringIO())
    before = _key_writes(vicidial_mariadb)
    assert remove(database, io.StringIO(), step=2000) == plan.rows
    removal = _key_writes(vicidial_mariadb) - before
    assert 0 < removal <= plain * 1.05 + 10, (removal, plain)
    # unlocked after: another session writes at once
    vicidial_mariadb.admin("INSERT INTO seedlock.vicidial_agent_log (user, server_ip, event_time) "
                           "VALUES ('7777', '10.1.1.1', NOW())")


def test_with_alter_a_mostly_seeded_table_s_indexes_are_rebuilt_once_not_changed_row_by_row(vicidial_mariadb,
                                                                                           monkeypatch):
    """As seeding does: with ALTER the secondary indexes are switched off for the removal and rebuilt
    at the end (twice as fast as taking each row out of each index); the host's rows stay indexed after."""
    url = _vicidial_install(vicidial_mariadb, "seedalter", "SELECT, INSERT, UPDATE, DELETE, ALTER")
    database = open_database(url)
    database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, comments) "
                   "VALUES ('7777', '10.1.1.1', '2026-05-05 10:00:00', 'own')")
    seed(database, AgentLogPlan(rows=5000, seed=5, agents=10), io.StringIO())
    statements = _statements(database, monkeypatch)
    assert remove(database, io.StringIO(), step=1000) == 5000
    switches = [sql for sql in statements if "KEYS" in sql]
    assert switches == ["ALTER TABLE vicidial_agent_log DISABLE KEYS", "ALTER TABLE vicidial_agent_log ENABLE KEYS"]
    assert statements.index(switches[0]) < statements.index("DELETE FROM vicidial_agent_log WHERE comments = "
                                                            "'vicicert-seed' AND user LIKE 'vcsd%'")
    assert not [row for row in database.all("SHOW INDEX FROM vicidial_agent_log") if "disabled" in str(row).lower()]
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log FORCE INDEX (user) WHERE user = '7777'") == 1
    # a host whose own rows outnumber the seeded ones keeps its indexes on: no rebuild of all its rows
    for _ in range(13):
        database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, comments) "
                       "SELECT user, server_ip, event_time, comments FROM vicidial_agent_log WHERE user = '7777'")
    database.write("ANALYZE TABLE vicidial_agent_log")
    seed(database, AgentLogPlan(rows=2000, seed=5, agents=10), io.StringIO())
    statements.clear()
    assert remove(database, io.StringIO()) == 2000
    assert not [sql for sql in statements if "KEYS" in sql]


def test_a_watched_statement_reports_the_rows_it_has_examined_while_it_runs(vicidial_mariadb):
    """One DELETE of 300 rows, each examined a hundredth of a second late (SLEEP in its condition):
    another connection of an account without PROCESS reads its rows examined so far, rising while
    it runs, and the statement's own count comes back."""
    url = _vicidial_install(vicidial_mariadb, "watched", "SELECT, INSERT, UPDATE, DELETE")
    database = open_database(url)
    database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, comments) "
                   "SELECT '7777', '10.1.1.1', '2026-05-05 10:00:00', 'watched' FROM seq_1_to_300")
    readings: list[int] = []
    removed = watched_write(database, "DELETE FROM vicidial_agent_log WHERE comments = 'watched' AND SLEEP(0.01) = 0",
                            examined=readings.append, every=0.2)
    assert removed == 300
    assert readings == sorted(readings) and 0 < readings[-1] <= 300, readings
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log") == 0
