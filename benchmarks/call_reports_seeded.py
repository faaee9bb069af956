"""Benchmark: the call-report oracles against a VICIdial host and the reference host over a seeded
call log of a million calls, in one run.

    .venv/bin/python benchmarks/call_reports_seeded.py --rows 1000000 \\
        --db mysql://cron:...@127.0.0.1:3306/asterisk --target http://127.0.0.1:8081

One SQL fixture run on the host's database (run lock, journal, checksums; a lock another run
holds is waited for, 30 s at a time): the API user, campaigns, campaign statuses and DID calls
(loadtests/seeded_reports.py) go in, then ``vicicert seed --logs calls``'s rows; the window's call
logs are read back from the database into the oracles' CallLogs; the reference host is started on
127.0.0.1 over the same database as it is (a VICIdial database: it creates and replaces nothing
there; its only write is the API user's login date, a harness row); ten requests of each report go
to the host and to the reference host, each answer held to the oracle's text byte for byte. At the
end, also after Ctrl-C or SIGTERM, the seeded rows are removed, then the harness rows, and the
checksums compared with those from before. A killed run is undone by ``vicicert cleanup
--journal JOURNAL --world-db URL``. Not a test: the figures go in the notes.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from conformance import stopping
from conformance.call_log_generator import CallLogPlan
from conformance.errors import UsageError
from conformance.host.server import EmbeddedHost
from conformance.redaction import mask_url
from conformance.sql_fixture import SqlFixture
from loadtests.call_seeder import remove_calls, seed_into
from loadtests.seeded_reports import compare, content_types, read_call_logs, requests, seeded_world, table
from loadtests.target_state import random_password

WAIT = 30.0


def begin_patiently(fixture: SqlFixture, world) -> None:
    """``fixture.begin(world)``, again every 30 s while another vicicert run holds the database."""
    while True:
        try:
            return fixture.begin(world)
        except UsageError as error:
            if "another vicicert run holds" not in str(error):
                raise
            print(f"the database is busy with another run; waiting {WAIT:.0f} s", file=sys.stderr, flush=True)
            time.sleep(WAIT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="calls to seed (about 1.29 rows each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True, help="mysql://user:pass@host:port/asterisk of a VICIdial host")
    parser.add_argument("--target", required=True, help="the host's web server, e.g. http://127.0.0.1:8081")
    parser.add_argument("--journal", type=Path, default=Path("call-reports-seeded.jsonl"))
    args = parser.parse_args()
    stopping.install()   # SIGTERM and SIGHUP as Ctrl-C: the cleanup in run() runs
    try:
        return run(args)
    except BaseException:
        if stopping.received() is None:
            raise
    # the statement the signal cut raised: no traceback; without a checksums line above, the cleanup was cut too
    print(f"stopped by {stopping.name()}; if no checksums line is above, finish with vicicert cleanup --journal "
          f"{args.journal} --world-db URL")
    return stopping.exit_code()


def run(args: argparse.Namespace) -> int:
    """Seed, compare, remove: the figures printed; 0 when every answer and the checksums are equal."""
    plan = CallLogPlan(rows=args.rows, seed=args.seed)
    password = random_password()
    world = seeded_world(plan, password)
    user = world.api_users["api_admin"]["user"]
    fixture = SqlFixture(args.db, args.journal, per_case=False)
    begin_patiently(fixture, world)
    host = None
    problems: list[str] = []
    unequal: list = []
    try:
        fixture.reset(world, {})
        print(f"world: the API user, {len(world.section('campaigns'))} campaigns, "
              f"{len(world.section('campaign_statuses'))} campaign statuses, {len(world.section('did_log'))} DID "
              f"calls into {mask_url(args.db)}", flush=True)
        seeded = seed_into(fixture, plan, io.StringIO())
        print(f"seed: {', '.join(f'{count:,} {name}' for name, count in seeded['rows'].items())} "
              f"({sum(seeded['rows'].values()):,} rows) in {seeded['seconds']:.1f} s "
              f"({seeded['rows_per_second']:,.0f} rows/s, {seeded['path']})", flush=True)
        started = time.perf_counter()
        logs = read_call_logs(fixture.db, *plan.window())
        print(f"read back: {len(logs.outbound):,} vicidial_log, {len(logs.inbound):,} vicidial_closer_log, "
              f"{len(logs.did_calls):,} vicidial_did_log rows of {plan.window()[0]} to {plan.window()[1]}, "
              f"{len(logs.statuses)} statuses, {len(logs.campaigns)} campaigns in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        host = EmbeddedHost(args.db).start()
        outcomes = compare(logs, {"upstream": args.target.rstrip("/"), "reference": host.base_url}, user, password,
                           requests(plan))
        print(table(outcomes), flush=True)
        for name in ("upstream", "reference"):
            equal = sum(outcome.answers[name].equal for outcome in outcomes)
            total = sum(outcome.answers[name].milliseconds for outcome in outcomes)
            print(f"{name}: {equal}/{len(outcomes)} answers equal to the oracle's byte for byte, "
                  f"{total / 1000:.1f} s in all", flush=True)
        for (name, function), types in sorted(content_types(outcomes).items()):
            print(f"{name} {function}: Content-Type {', '.join(sorted(types))}", flush=True)
        unequal = [outcome for outcome in outcomes if not all(a.equal for a in outcome.answers.values())]
        for outcome in unequal[:3]:
            for name, answer in outcome.answers.items():
                if not answer.equal:
                    print(f"--- {name} {outcome.function} {outcome.params}: expected\n"
                          f"{outcome.expected.decode('latin-1')[:1500]}\n--- answered ({answer.status})\n"
                          f"{answer.body.decode('latin-1')[:1500].replace(password, '***')}", flush=True)
    finally:
        if host is not None:
            host.stop()
        started = time.perf_counter()
        removed = remove_calls(fixture.db, io.StringIO())
        problems = fixture.finish()
        print(f"remove: {sum(removed.values()):,} seeded rows ({', '.join(f'{n:,} {t}' for t, n in removed.items())})"
              f" and the harness rows in {time.perf_counter() - started:.1f} s, the checksum comparison included",
              flush=True)
        for counter in fixture.counters:
            print(f"  {counter}")
        print(f"checksums: {'equal to before the run' if not problems else 'DIFFERENT'} "
              f"({len(fixture.before)} tables)" + "".join(f"\n  {problem}" for problem in problems), flush=True)
    return 0 if not problems and not unequal else 1


if __name__ == "__main__":
    sys.exit(main())
