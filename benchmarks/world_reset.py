"""Benchmark: one case's world reset against the world's size, filled anew (before) or put back by difference (after).

    .venv/bin/python benchmarks/world_reset.py --rows 1000 --cases 100
    .venv/bin/python benchmarks/world_reset.py --rows 1000 --cases 100 --sql

The world is the embedded one plus 0, 1x and 10x ``--rows`` extra agent-log rows of a harness
agent, a table the simulated cases never touch. Each case changes what typical cases change
(an agent's live row, a recording inserted for a harness agent, the API user's login date, as
upstream's Non-Agent login writes it); then the reset before the next case is timed.

Before, the reset every case paid until now: the embedded host emptied and filled every covered
table (``Database.replace_rows``); the SQL fixture deleted every harness row and inserted the
world again, with new ids from the database (``former_sql_reset`` below, as it was). After: the
embedded host's ``RowRestorer`` (SQLite triggers) and ``SqlFixture.reset`` (a snapshot by content).
Without --sql the embedded host's SQLite file is measured; with --sql the SQL fixture on a private
MariaDB (as the tests start one), which also counts the ids each reset takes. Medians in ms, and
each size's ratio to the world without extra rows. Not a test: figures go in the notes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from conformance.bundle import EMBEDDED_WORLD
from conformance.tables.database import Database, open_database
from conformance.tables.provisioning import world_rows
from conformance.tables.restore import RowRestorer
from conformance.tables.world_tables import OWNED
from conformance.world import World, load_world


def grown(world: World, extra: int) -> World:
    """``world`` with ``extra`` more agent-log rows of its first harness agent, a second apart."""
    first = world.section("agent_log")[0]
    rows = [{**first, "agent_log_id": 100_000 + number, "event_time": f"2001-01-01 {number // 3600 % 24:02d}:"
             f"{number // 60 % 60:02d}:{number % 60:02d}", "pause_epoch": 978307200 + number} for number in range(extra)]
    return replace(world, rows={**world.rows, "agent_log": [*world.section("agent_log"), *rows]})


def a_case(database: Database, world: World, number: int) -> None:
    """What a typical case leaves behind."""
    agent = next(row["user"] for row in world.agents.values() if row.get("logged_in", True))
    database.write("UPDATE vicidial_live_agents SET external_recording = ? WHERE user = ?", f"case{number}", agent)
    database.write("INSERT INTO recording_log (server_ip, start_time, filename, user) "
                   "VALUES ('192.0.2.15', '2026-01-01 10:00:00', ?, ?)", f"case{number}", agent)
    database.write("UPDATE vicidial_users SET last_login_date = '2026-01-01 10:00:00' WHERE user = ?",
                   world.api_users["api_admin"]["user"])
    database.release()


def median_ms(cases: int, database: Database, world: World, reset: Callable[[], None]) -> float:
    reset()   # the world in place (untimed), as at a run's start
    times = []
    for number in range(cases):
        a_case(database, world, number)
        started = time.perf_counter()
        reset()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def embedded(world: World, cases: int, folder: Path) -> tuple[float, float]:
    """(before, after) median ms of the embedded host's reset, each on a fresh SQLite file."""
    rows = world_rows(world)
    figures = []
    for name in ("before", "after"):
        database = open_database(folder / f"{name}-{len(rows['vicidial_agent_log'])}.sqlite", php_bytes=True)
        restorer = RowRestorer(database)
        reset = (lambda: database.replace_rows(rows)) if name == "before" else (lambda: restorer.restore(rows))
        figures.append(median_ms(cases, database, world, reset))
        database.close()
    return figures[0], figures[1]


def former_sql_reset(fixture, world: World) -> None:
    """The SQL fixture's reset as it was: every harness row out, the world in, ids from the database."""
    rows = world_rows(world, installed=False)   # a fresh install's own rows are the host's, never written
    assigned: dict[str, dict[str, str]] = {}
    with fixture.db.write_lock:
        for declared in reversed(OWNED):
            fixture.db.execute(f"DELETE FROM `{declared.table}` WHERE {fixture.predicates[declared.table]}")
        for declared in OWNED:
            for row in rows[declared.table]:
                world_id = row.get(declared.assigned_id)
                row = {key: assigned.get(key, {}).get(str(value), value) for key, value in row.items()
                       if key != declared.assigned_id}
                fixture.journal.write("insert", sync=False, table=declared.table,
                                      key={declared.owner: row.get(declared.owner)})
                columns = ", ".join(f"`{name}`" for name in row)
                cursor = fixture.db.execute(f"INSERT INTO `{declared.table}` ({columns}) VALUES "
                                            f"({', '.join('?' for _ in row)})", *row.values())
                if world_id is not None:
                    for column in declared.echoed_in:
                        assigned.setdefault(column, {})[str(world_id)] = str(cursor.lastrowid)


def sql(world: World, cases: int, server, folder: Path) -> tuple[float, float, float, float]:
    """(before, after) median ms of the SQL fixture's reset, and the ids each reset took (vicidial_users)."""
    from conformance.sql_fixture import SqlFixture
    figures, ids = [], []
    for name in ("before", "after"):
        schema = f"{name}{len(world.agent_log)}"
        server.admin(f"CREATE DATABASE {schema}")
        url = server.url(schema)
        open_database(url).write("INSERT INTO system_settings (version, db_schema_version) VALUES ('2.14b0.5', 1701)")
        fixture = SqlFixture(url, folder / f"{schema}.jsonl")
        fixture.begin(world)
        counter = "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
        reset = (lambda: former_sql_reset(fixture, world)) if name == "before" else (lambda: fixture.reset(world, {}))
        reset()
        first = fixture.db.value(counter, "vicidial_users")
        figures.append(median_ms(cases, fixture.db, world, reset))
        ids.append((fixture.db.value(counter, "vicidial_users") - first) / (cases + 1))
        fixture.finish()
        server.admin(f"DROP DATABASE {schema}")
    return figures[0], figures[1], ids[0], ids[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="1x: extra agent-log rows (then 10x)")
    parser.add_argument("--cases", type=int, default=100, help="resets timed per size")
    parser.add_argument("--sql", action="store_true", help="the SQL fixture on a private MariaDB instead")
    args = parser.parse_args()
    world = load_world(EMBEDDED_WORLD)
    sizes = [0, args.rows, 10 * args.rows]
    results = []
    with tempfile.TemporaryDirectory(prefix="vicicert-bench-") as folder:
        if args.sql:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from mariadb import PrivateMariaDB
            server = PrivateMariaDB(Path(folder)).start()
            try:
                results = [sql(grown(world, extra), args.cases, server, Path(folder)) for extra in sizes]
            finally:
                server.stop()
        else:
            results = [embedded(grown(world, extra), args.cases, Path(folder)) for extra in sizes]
    where = "SQL fixture, private MariaDB" if args.sql else "embedded host, SQLite"
    print(f"per-case reset, {where}, median of {args.cases} cases (ms; ratio to no extra rows)")
    print(f"{'extra agent-log rows':>22} {'before':>16} {'after':>16}" + (f" {'ids/reset before':>17} {'after':>6}"
                                                                          if args.sql else ""))
    for extra, figures in zip(sizes, results):
        before, after = figures[0], figures[1]
        line = (f"{extra:>22,} {before:>9.2f} ({before / results[0][0]:4.1f}x) "
                f"{after:>9.2f} ({after / results[0][1]:4.1f}x)")
        if args.sql:
            line += f" {figures[2]:>17.1f} {figures[3]:>6.1f}"
        print(line)
    print(f"after against before: {', '.join(f'{figures[0] / figures[1]:.0f}x faster' for figures in results)}")


if __name__ == "__main__":
    main()
