"""Benchmark: ``vicicert seed --remove`` against one plain DELETE of the same rows, and against seeding.

    .venv/bin/python benchmarks/remove_rate.py --rows 1000000 --pairs 3

On a private MariaDB (loopback, upstream's MyISAM table and indexes), an account with upstream's
cron grants (SELECT, INSERT, UPDATE, DELETE, LOCK TABLES: no ALTER, no FILE) or, with ``--grants
alter``, those and ALTER (seeding and removal then rebuild the indexes once), and rows of the
host's own beside the seeded ones (``--foreign``). Each pair seeds the rows twice, removing them
once with ``remove()`` and once with ``DELETE FROM vicidial_agent_log WHERE comments = ... AND
user LIKE ...``, the order alternating (A B, B A, ...) so the machine's drift falls on both, each
seed into the table defragmented (OPTIMIZE TABLE), so both removals meet the same layout.
Prints every pair, the ratios, and the load average. Not a test: figures go in the notes.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from conformance.agent_log_generator import AgentLogPlan
from conformance.tables.database import OWNER_TABLE, open_database
from loadtests.seeder import TAG, remove, seed

PLAIN_DELETE = f"DELETE FROM vicidial_agent_log WHERE comments = '{TAG}' AND user LIKE 'vcsd%'"


CRON = "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES"


def _install(server, name: str, grants: str):
    """A database laid out as a VICIdial install, through an account with ``grants``."""
    from mariadb import PASSWORD, USER
    server.admin(f"CREATE DATABASE {name}")
    admin = open_database(server.url(name))
    admin.write(f"DROP TABLE {OWNER_TABLE}")
    admin.write("INSERT INTO system_settings (version, use_non_latin) VALUES ('2.14b0.5', '0')")
    server.admin(f"CREATE USER '{name}'@'127.0.0.1' IDENTIFIED BY 'benchPass1'; "
                 f"GRANT {grants} ON {name}.* TO '{name}'@'127.0.0.1';")
    return admin, open_database(server.url(name).replace(f"{USER}:{PASSWORD}@", f"{name}:benchPass1@"))


def _foreign_rows(admin, count: int) -> None:
    """The host's own agent-log rows, which removal must leave alone."""
    admin.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, campaign_id, comments) "
                "VALUES ('6666', '10.0.0.1', '2026-05-05 10:00:00', 'OWN', 'own')")
    while admin.value("SELECT COUNT(*) FROM vicidial_agent_log") < count:
        admin.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, campaign_id, comments) "
                    "SELECT user, server_ip, event_time, campaign_id, comments FROM vicidial_agent_log")


def one(admin, database, plan: AgentLogPlan, plain: bool) -> dict:
    # The table defragmented first, so both removals meet the same layout: a MyISAM table fills the
    # holes a removal left with the next seed's rows, and a remove() after a plain DELETE found them
    # scattered (1.35 x the DELETE, against 0.97-1.00 the other way round).
    admin.write("OPTIMIZE TABLE vicidial_agent_log")
    seeded = seed(database, plan, io.StringIO())
    started = time.perf_counter()
    if plain:
        removed = database.write(PLAIN_DELETE)
        database.write(f"DELETE FROM vicidial_users WHERE user LIKE 'vcsd%' AND pass = '{TAG}'")
    else:
        removed = remove(database, io.StringIO())
    seconds = time.perf_counter() - started
    assert removed == plan.rows, (removed, plan.rows)
    return {"seed": seeded["seconds"], "remove": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--foreign", type=int, default=100_000, help="the host's own rows beside the seeded ones")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--grants", choices=["cron", "alter"], default="cron")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from mariadb import PrivateMariaDB
    plan = AgentLogPlan(rows=args.rows)
    with tempfile.TemporaryDirectory(prefix="vicicert-bench-") as folder:
        server = PrivateMariaDB(Path(folder)).start()
        try:
            admin, database = _install(server, "removing", CRON + (", ALTER" if args.grants == "alter" else ""))
            _foreign_rows(admin, args.foreign)
            ratios, against_seed = [], []
            for number in range(args.pairs):
                order = (False, True) if number % 2 == 0 else (True, False)
                runs = {plain: one(admin, database, plan, plain) for plain in order}
                ratio = runs[False]["remove"] / runs[True]["remove"]
                ratios.append(ratio)
                against_seed.append(runs[False]["remove"] / runs[False]["seed"])
                print(f"pair {number + 1} ({'remove first' if order[0] is False else 'DELETE first'}): "
                      f"remove {runs[False]['remove']:.2f} s, plain DELETE {runs[True]['remove']:.2f} s "
                      f"({ratio:.2f}); seeding {runs[False]['seed']:.2f} s and {runs[True]['seed']:.2f} s; "
                      f"load average {os.getloadavg()[0]:.2f}", flush=True)
            print(f"== {args.rows:,} rows beside {args.foreign:,}, {args.grants} grants: remove/DELETE median {statistics.median(ratios):.2f} "
                  f"(range {min(ratios):.2f}-{max(ratios):.2f}); remove/seed median "
                  f"{statistics.median(against_seed):.2f}", flush=True)
            assert admin.value("SELECT COUNT(*) FROM vicidial_agent_log") >= args.foreign
        finally:
            server.stop()


if __name__ == "__main__":
    main()
