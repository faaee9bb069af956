"""Benchmark: ``vicicert seed --logs calls`` into a VICIdial host's database and out again, and what
the seeded call logs cost two of the host's call-log functions.

    .venv/bin/python benchmarks/call_seed.py --rows 1000000 --db mysql://cron:...@127.0.0.1:3306/asterisk \\
        --target http://127.0.0.1:8081

Steps, each under the database's run lock (one vicicert run at a time there):
1. with no seed: the API user alone (a journalled SQL fixture run, as a check writes it), one
   ``phone_number_log`` and one ``recording_lookup`` request for a number and lead the seed will
   fill, timed (``--repeat`` times, median and first), then removed;
2. the seed, as the command does it (journalled, kept), timed;
3. the same requests with the seeded rows there (the API user written again, in the namespace, so
   the seed's removal takes it too);
4. ``seed --remove``'s removal, timed, and the checksums of every table the fixture checks, equal to
   those before step 2 or not.
Without --target, steps 1 and 3 are left out. A lock another run holds is waited for (30 s steps).
Not a test: the figures go in the notes.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy

from conformance.call_log_generator import LEAD_BASE, CallLogPlan
from conformance.errors import UsageError
from conformance.redaction import mask_url
from conformance.sql_fixture import SqlFixture, checksums, release_run_lock, take_run_lock
from conformance.tables.database import open_database
from conformance.tables.provisioning import world_rows
from loadtests.call_seeder import remove_seeded_calls, seed_calls
from loadtests.target_state import admin_world, random_password

WAIT = 30.0


def patiently(step, what: str):
    """``step()``, again every 30 s while another vicicert run holds the database."""
    while True:
        try:
            return step()
        except UsageError as error:
            if "another vicicert run holds" not in str(error):
                raise
            print(f"{what}: the database is busy with another run; waiting {WAIT:.0f} s", file=sys.stderr)
            time.sleep(WAIT)


def requests(target: str, user: str, password: str, phone: str, lead: int, repeat: int) -> dict:
    """Seconds for each of ``repeat`` phone_number_log and recording_lookup requests, and their answers' sizes."""
    found = {}
    for function, extra in (("phone_number_log", {"phone_number": phone, "type": "ALL", "stage": "pipe"}),
                            ("recording_lookup", {"lead_id": str(lead)})):
        query = urllib.parse.urlencode({"source": "bench", "user": user, "pass": password, "function": function,
                                        **extra})
        times, size, first_line = [], 0, ""
        for _ in range(repeat):
            started = time.perf_counter()
            with urllib.request.urlopen(f"{target}/vicidial/non_agent_api.php?{query}", timeout=600) as answer:
                body = answer.read()
            times.append(time.perf_counter() - started)
            size, first_line = len(body), body.decode("latin-1").split("\n")[0][:60]
        found[function] = {"first": times[0], "median": statistics.median(times), "bytes": size,
                           "lines": first_line.replace(password, "***")}
    return found


def timed_without_seed(url: str, target: str, journal: Path, phone: str, lead: int, repeat: int) -> dict:
    password = random_password()
    world = admin_world(password)
    fixture = SqlFixture(url, journal, per_case=False)
    patiently(lambda: fixture.begin(world), "no seed")
    try:
        fixture.reset(world, {})
        return requests(target, world.api_users["api_admin"]["user"], password, phone, lead, repeat)
    finally:
        problems = fixture.finish()
        assert not problems, problems


def timed_with_seed(url: str, target: str, phone: str, lead: int, repeat: int) -> dict:
    """The API user in the namespace beside the seeded rows (the seed's removal takes it), under the lock."""
    password = random_password()
    world = admin_world(password)
    database = open_database(url, create_tables=False)
    patiently(lambda: take_run_lock(database, url), "seeded")
    try:
        for row in world_rows(world)["vicidial_users"]:
            columns = ", ".join(f"`{name}`" for name in row)
            database.write(f"INSERT INTO vicidial_users ({columns}) VALUES ({', '.join('?' for _ in row)})",
                           *row.values())
        return requests(target, world.api_users["api_admin"]["user"], password, phone, lead, repeat)
    finally:
        release_run_lock(database)
        database.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", required=True, help="mysql://user:pass@host:port/asterisk of a VICIdial host")
    parser.add_argument("--target", help="the host's web server, e.g. http://127.0.0.1:8081")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plan = CallLogPlan(rows=args.rows)
    phone, lead = str(int(plan.phone_number(numpy.array([0]))[0])), LEAD_BASE   # the first number's lead
    with tempfile.TemporaryDirectory(prefix="vicicert-callseed-") as folder:
        journal = Path(folder) / "seed.jsonl"
        before_requests = timed_without_seed(args.db, args.target, Path(folder) / "baseline.jsonl", phone, lead,
                                             args.repeat) if args.target else None
        before = checksums(open_database(args.db, create_tables=False))
        result = patiently(lambda: seed_calls(args.db, plan, journal, io.StringIO()), "seed")
        print(f"seed: {', '.join(f'{count:,} {table}' for table, count in result['rows'].items())} in "
              f"{result['seconds']:.1f} s ({result['rows_per_second']:,.0f} rows/s, {result['path']}) into "
              f"{mask_url(args.db)}")
        try:
            seeded_requests = timed_with_seed(args.db, args.target, phone, lead, args.repeat) if args.target else None
        finally:
            started = time.perf_counter()
            removed, undone = patiently(lambda: remove_seeded_calls(args.db, journal, io.StringIO()), "remove")
            seconds = time.perf_counter() - started
        total = sum(removed.values())
        print(f"remove: {total:,} rows in {seconds:.1f} s ({total / seconds:,.0f} rows/s), the seed's cleanup and "
              f"checksum comparison included")
        for counter in undone.counters if undone else ():
            print(f"  {counter}")
        after = checksums(open_database(args.db, create_tables=False))
        equal = after == before and undone is not None and not undone.problems
        print(f"checksums: {'equal' if equal else 'DIFFERENT'} to before the seed ({len(before)} tables)"
              + ("" if equal else f": {undone.problems if undone else 'no journal'}"))
    for label, found in (("no seed", before_requests), (f"{args.rows:,} calls seeded", seeded_requests)):
        for function, figures in (found or {}).items():
            print(f"{label:>24}  {function:<17} first {figures['first'] * 1000:8.1f} ms, median of {args.repeat} "
                  f"{figures['median'] * 1000:8.1f} ms, {figures['bytes']:,} bytes ({figures['lines']})")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
