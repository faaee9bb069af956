"""What a target's database went through during a load run: refused connections and row lock
waits are read from a real MariaDB's counters, and a quiet run says so."""

from __future__ import annotations

from urllib.parse import urlsplit

import pymysql
import pytest

from mariadb import PASSWORD, USER

from conformance.tables.database import open_database
from loadtests.database_pressure import Pressure, watched


def test_each_counter_that_grew_is_one_line():
    limits = {"max_connections": 151, "innodb_lock_wait_timeout": 50}
    before = {"Aborted_connects": 7, "Connection_errors_max_connections": 0, "Innodb_row_lock_waits": 3,
              "Innodb_row_lock_time": 40, "Innodb_deadlocks": 0}
    after = {"Aborted_connects": 3216, "Connection_errors_max_connections": 0, "Innodb_row_lock_waits": 5,
             "Innodb_row_lock_time": 2040, "Innodb_deadlocks": 1}
    assert Pressure.between(before, after, limits).lines() == [
        "refused 3,209 connections (max_connections 151); upstream's PHP dies in an empty 500 on each "
        "(server-wide counts)",
        "2 row lock waits, 2,000 ms waited in all (a wait past innodb_lock_wait_timeout, 50 s, fails its statement) "
        "(server-wide counts)",
        "1 deadlocks (each rolls back one statement) (server-wide counts)"]
    assert Pressure.between(before, before, limits).lines() == [
        "no refused connections, row lock waits or deadlocks (server-wide counts)"]
    assert Pressure().lines() == []   # no counters read (SQLite): nothing to say


def _connect(url: str) -> pymysql.connections.Connection:
    parts = urlsplit(url)
    return pymysql.connect(host=parts.hostname, port=parts.port, user=parts.username, password=parts.password,
                           database=parts.path.lstrip("/"), autocommit=False)


@pytest.fixture
def lock_lab(vicidial_mariadb):
    vicidial_mariadb.admin("CREATE DATABASE pressure; CREATE TABLE pressure.agents "
                           "(user VARCHAR(20) PRIMARY KEY, status VARCHAR(6)) ENGINE=InnoDB; "
                           "REPLACE INTO pressure.agents VALUES ('1000', 'PAUSED')")
    yield vicidial_mariadb.url("pressure")
    vicidial_mariadb.admin("DROP DATABASE pressure")


@pytest.mark.parametrize("contention", [True, False])
def test_a_row_lock_wait_during_the_run_is_counted(lock_lab, contention):
    holder, waiter = _connect(lock_lab), _connect(lock_lab)
    waiter.cursor().execute("SET SESSION innodb_lock_wait_timeout = 1")
    database = open_database(lock_lab)
    with watched(database) as pressure:
        holder.cursor().execute("UPDATE agents SET status = 'INCALL' WHERE user = '1000'")   # holds the row lock
        if contention:
            with pytest.raises(pymysql.err.OperationalError, match="Lock wait timeout"):
                waiter.cursor().execute("UPDATE agents SET status = 'READY' WHERE user = '1000'")
        holder.rollback()
    for connection in (holder, waiter):
        connection.close()
    if contention:
        assert pressure.growth["Innodb_row_lock_waits"] >= 1 and pressure.growth["Innodb_row_lock_time"] >= 900
        assert "row lock waits" in pressure.lines()[0]
    else:
        assert pressure.growth["Innodb_row_lock_waits"] == 0
        assert pressure.lines() == ["no refused connections, row lock waits or deadlocks (server-wide counts)"]


def test_connections_refused_at_the_limit_are_counted(vicidial_mariadb):
    """The limit lowered to (about) what is open now: the connections past it are refused and counted."""
    database = open_database(vicidial_mariadb.url())
    # Accounts with SUPER or CONNECTION ADMIN may pass the limit, as VICIdial's cron account may not.
    vicidial_mariadb.admin("CREATE USER 'pressure'@'127.0.0.1' IDENTIFIED BY 'pressurePass-1'; "
                           "GRANT SELECT ON asterisk.* TO 'pressure'@'127.0.0.1'")
    url = vicidial_mariadb.url().replace(f"{USER}:{PASSWORD}@", "pressure:pressurePass-1@")
    original = int(database.all("SHOW GLOBAL VARIABLES LIKE 'max_connections'")[0][1])
    opened, refused = [], 0
    with watched(database) as pressure:
        connected = int(database.all("SHOW GLOBAL STATUS LIKE 'Threads_connected'")[0][1])
        limit = max(connected, 10)   # MariaDB's least max_connections
        vicidial_mariadb.admin(f"SET GLOBAL max_connections = {limit}")
        try:
            for _ in range(limit - connected + 3):
                try:
                    opened.append(_connect(url))
                except pymysql.err.OperationalError as refusal:
                    assert refusal.args[0] == 1040   # Too many connections
                    refused += 1
        finally:
            for connection in opened:
                connection.close()
            vicidial_mariadb.admin(f"SET GLOBAL max_connections = {original}; DROP USER 'pressure'@'127.0.0.1'")
    assert refused >= 1 and pressure.growth["Aborted_connects"] == refused   # MariaDB counts them there
    assert pressure.lines()[0].startswith(f"refused {refused} connections (max_connections {original})")
