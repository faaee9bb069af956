"""``vicicert seed``: deterministic agent-log or call-log rows for load runs and capacity planning
written into a database, or removed."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import UsageError
from ..redaction import mask_url
from . import arguments
from .exit_codes import EXIT_FAILED, EXIT_PASSED

LOGS = ("agent", "calls")
CALLS_ONLY = ("inbound_share", "recorded_share", "journal")   # options that only --logs calls reads
DEFAULT_JOURNAL = Path("vicicert-seed-journal.jsonl")


def add_command(commands) -> None:
    """``vicicert seed``'s parser, under the subcommands."""
    seed = commands.add_parser("seed", help="write (or --remove) deterministic agent-log or call-log rows")
    seed.add_argument("--logs", choices=LOGS, default=None,
                      help="agent: vicidial_agent_log (the default); calls: vicidial_log, vicidial_closer_log and "
                           "recording_log (MySQL/MariaDB only). With --remove and no --logs: both")
    seed.add_argument("--rows", type=arguments.positive_int, default=100_000,
                      help="agent-log rows, or calls (each one vicidial_log or vicidial_closer_log row)")
    seed.add_argument("--db", required=True, help="SQLite path or mysql://user:pass@host:port/db")
    seed.add_argument("--seed", type=int, default=1, help="generator seed (same seed, same rows)")
    seed.add_argument("--agents", type=arguments.positive_int, default=200)
    seed.add_argument("--weeks", type=arguments.positive_int, default=4)
    seed.add_argument("--start", type=_date, default=None,
                      help="first day of the window (YYYY-MM-DD; default 2026-05-04 agent, 2001-01-01 calls)")
    seed.add_argument("--inbound-share", type=_share, default=None, help="calls: the share inbound (default 0.3)")
    seed.add_argument("--recorded-share", type=_share, default=None,
                      help="calls: the share of agent-handled calls with a recording (default 0.6)")
    seed.add_argument("--journal", type=Path, default=None,
                      help=f"calls: the seed's journal (default {DEFAULT_JOURNAL}); vicicert cleanup --journal "
                           "undoes a killed seed from it")
    seed.add_argument("--remove", action="store_true", help="delete exactly the seeded rows (and agents)")
    seed.add_argument("--local", action="store_true",
                      help="always send the rows from this machine (LOAD DATA LOCAL), even if the server could read them")
    seed.set_defaults(run=run_seed)


def _date(text: str) -> str:
    try:
        time.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give YYYY-MM-DD, for example 2001-01-01") from None
    return f"{text} 00:00:00"


def _share(text: str) -> float:
    return arguments._number(text, float, "a share (for example 0.3)", lambda value: 0 <= value <= 1,
                             "{text} is not a share: give a number from 0 to 1")


def run_seed(args: argparse.Namespace) -> int:
    if args.logs != "calls":
        given = [f"--{name.replace('_', '-')}" for name in CALLS_ONLY if getattr(args, name) is not None]
        if given and not (args.remove and args.logs is None and given == ["--journal"]):
            raise UsageError(f"{', '.join(given)} only applies to call logs: add --logs calls")
    if args.logs == "calls" and not str(args.db).startswith(("mysql://", "mariadb://")):
        raise UsageError(f"--logs calls seeds a VICIdial host's MySQL/MariaDB database, not {mask_url(str(args.db))}: "
                         "give --db mysql://user:pass@host:3306/asterisk")
    if args.remove:
        return _remove(args)
    if args.logs == "calls":
        return _seed_calls(args)
    return _seed_agents(args)


def _seed_agents(args: argparse.Namespace) -> int:
    from loadtests.seeder import seed

    from ..agent_log_generator import AgentLogPlan
    from ..sql_fixture import take_run_lock
    from ..tables.database import MysqlDatabase, open_database

    database = open_database(args.db)
    if isinstance(database, MysqlDatabase):
        take_run_lock(database, str(args.db))   # one run at a time per database, as a check; goes with the connection
    plan = AgentLogPlan(rows=args.rows, seed=args.seed, agents=args.agents, weeks=args.weeks,
                        **({"start": args.start} if args.start else {}))
    try:
        result = seed(database, plan, local=True if args.local else None)
    except KeyboardInterrupt:
        print(f"vicicert seed: stopped; the rows written so far stay until: vicicert seed --remove --db "
              f"{mask_url(str(args.db))}", file=sys.stderr)
        raise
    start, end = plan.window()
    print(f"vicicert seed: {result['rows']:,} rows in {result['seconds']:.1f} s ({result['rows_per_second']:,.0f} "
          f"rows/s, {result['path']}) into {database.describe()}; window {start} .. {end}")
    return EXIT_PASSED


def _seed_calls(args: argparse.Namespace) -> int:
    from loadtests.call_seeder import seed_calls

    from ..call_log_generator import CallLogPlan

    options = {"start": args.start, "inbound_share": args.inbound_share, "recorded_share": args.recorded_share}
    plan = CallLogPlan(rows=args.rows, seed=args.seed, agents=args.agents, weeks=args.weeks,
                       **{key: value for key, value in options.items() if value is not None})
    journal = args.journal or DEFAULT_JOURNAL
    result = seed_calls(str(args.db), plan, journal, local=True if args.local else None)
    start, end = plan.window()
    rows = ", ".join(f"{count:,} {table}" for table, count in result["rows"].items())
    print(f"vicicert seed: {rows} in {result['seconds']:.1f} s ({result['rows_per_second']:,.0f} rows/s, "
          f"{result['path']}) into {mask_url(str(args.db))}; window {start} .. {end}; remove with vicicert seed "
          f"--remove --logs calls --db URL --journal {journal} (or vicicert cleanup --journal {journal} "
          "--world-db URL)")
    return EXIT_PASSED


def _remove(args: argparse.Namespace) -> int:
    from ..tables.database import MysqlDatabase, open_database

    code = EXIT_PASSED
    if args.logs in (None, "agent"):
        from loadtests.seeder import remove

        from ..sql_fixture import release_run_lock, take_run_lock
        database = open_database(args.db)
        if isinstance(database, MysqlDatabase):
            take_run_lock(database, str(args.db))
        print(f"vicicert seed: removed {remove(database):,} seeded rows from {database.describe()}")
        if isinstance(database, MysqlDatabase):
            release_run_lock(database)
            database.close()
    if args.logs == "calls" or (args.logs is None and str(args.db).startswith(("mysql://", "mariadb://"))):
        from loadtests.call_seeder import remove_seeded_calls

        journal = args.journal or DEFAULT_JOURNAL
        removed, undone = remove_seeded_calls(str(args.db), journal)
        rows = ", ".join(f"{count:,} {table}" for table, count in removed.items())
        print(f"vicicert seed: removed {rows} seeded call-log rows from {mask_url(str(args.db))}")
        if undone is None:
            print(f"vicicert seed: {journal} holds no seed to end, so no checksums were compared")
            return code
        for problem in undone.problems:
            print(f"vicicert seed: {problem}", file=sys.stderr)
            code = EXIT_FAILED
        for counter in undone.counters:
            print(f"vicicert seed: {counter}")
        if not undone.problems:
            print(f"vicicert seed: checksums equal to before the seed ({journal})")
    return code
