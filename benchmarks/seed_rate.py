"""Benchmark: ``vicicert seed`` rows per second into MariaDB, end to end.

    .venv/bin/python benchmarks/seed_rate.py --rows 10000000 --server-only
    .venv/bin/python benchmarks/seed_rate.py --rows 2000000 --db mysql://user:pass@127.0.0.1:3306/asterisk

Without --db it starts a private MariaDB (as the tests do) on loopback and seeds a fresh
schema with upstream's table and indexes (--also-local: a second one with the rows sent by
the client, LOAD DATA LOCAL). End to end means agents, formatting, loading and rebuilding the
indexes. With --db the seeded rows are removed afterwards. --server-only formats every row
first, untimed, and then times only what the server does with them (the same load path:
LOAD DATA of each chunk, then the index rebuild): the ceiling for any client. Not a test:
figures go in the notes.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from conformance.agent_log_generator import AgentLogPlan, chunks
from conformance.tables.database import open_database
from loadtests.seeder import chunk_text, load_tab_separated, remove, seed


def measure(url: str, rows: int, local: bool | None) -> dict:
    database = open_database(url)
    result = seed(database, AgentLogPlan(rows=rows), io.StringIO(), local=local)
    remove(database)  # a shared server keeps nothing of ours (10M rows take about two minutes)
    return result


def server_only(database, plan: AgentLogPlan) -> dict:
    """Seconds the server needs for ``plan``'s rows, formatted beforehand (kept in memory)."""
    texts = [chunk_text(columns, plan) for columns in chunks(plan)]
    started = time.perf_counter()
    written, path = load_tab_separated(database, texts, plan.rows, io.StringIO())
    seconds = time.perf_counter() - started
    return {"rows": written, "seconds": seconds, "rows_per_second": written / seconds,
            "path": f"{path}, server only"}


def on_private_server(rows: int, paths: tuple[bool | None, ...], server_alone: bool = False) -> list[dict]:
    """Each path on a fresh schema of a private MariaDB, dropped afterwards instead of emptied."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from mariadb import PrivateMariaDB
    results = []
    with tempfile.TemporaryDirectory(prefix="vicicert-bench-") as folder:
        server = PrivateMariaDB(Path(folder)).start()
        try:
            for number, local in enumerate(paths):
                server.admin(f"CREATE DATABASE seeding{number}")
                database = open_database(server.url(f"seeding{number}"))
                if server_alone:
                    results.append(server_only(database, AgentLogPlan(rows=rows)))
                else:
                    results.append(seed(database, AgentLogPlan(rows=rows), io.StringIO(), local=local))
                server.admin(f"DROP DATABASE seeding{number}")
        finally:
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--db", help="mysql://... to seed into (default: a private MariaDB on loopback)")
    parser.add_argument("--also-local", action="store_true", help="on the private server, time LOAD DATA LOCAL too")
    parser.add_argument("--server-only", action="store_true",
                        help="on the private server, also time the server alone on rows formatted beforehand")
    args = parser.parse_args()
    if args.db:
        results = [measure(args.db, args.rows, None)]
    else:
        results = on_private_server(args.rows, (None, True) if args.also_local else (None,))
        if args.server_only:
            results += on_private_server(args.rows, (None,), server_alone=True)
    for result in results:
        print(f"{result['rows']:>12,} rows  {result['seconds']:7.1f} s  {result['rows_per_second']:>9,.0f} rows/s  "
              f"({result['path']})")


if __name__ == "__main__":
    main()
