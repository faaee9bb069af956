"""``vicicert seed``: deterministic agent-log rows for load runs written into a database, or removed."""

from __future__ import annotations

import argparse
import sys

from ..redaction import mask_url
from . import arguments
from .exit_codes import EXIT_PASSED


def add_command(commands) -> None:
    """``vicicert seed``'s parser, under the subcommands."""
    seed = commands.add_parser("seed", help="write (or --remove) deterministic agent-log rows for load runs")
    seed.add_argument("--rows", type=arguments.positive_int, default=100_000)
    seed.add_argument("--db", required=True, help="SQLite path or mysql://user:pass@host:port/db")
    seed.add_argument("--seed", type=int, default=1, help="generator seed (same seed, same rows)")
    seed.add_argument("--agents", type=arguments.positive_int, default=200)
    seed.add_argument("--weeks", type=arguments.positive_int, default=4)
    seed.add_argument("--remove", action="store_true", help="delete exactly the seeded rows and agents")
    seed.add_argument("--local", action="store_true",
                      help="always send the rows from this machine (LOAD DATA LOCAL), even if the server could read them")
    seed.set_defaults(run=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    from loadtests.seeder import remove, seed

    from ..agent_log_generator import AgentLogPlan
    from ..tables.database import open_database

    database = open_database(args.db)
    if args.remove:
        print(f"vicicert seed: removed {remove(database):,} seeded rows from {database.describe()}")
        return EXIT_PASSED
    plan = AgentLogPlan(rows=args.rows, seed=args.seed, agents=args.agents, weeks=args.weeks)
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
