"""``vicicert cleanup``: a SQL fixture run undone from its journal (a run that was killed), or a
no-op that says so (a run that ended cleanly)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import UsageError
from ..redaction import mask_url
from .exit_codes import EXIT_FAILED, EXIT_PASSED, EXIT_USAGE


def add_command(commands) -> None:
    """``vicicert cleanup``'s parser, under the subcommands."""
    cleanup = commands.add_parser("cleanup", help="undo a crashed SQL fixture run from its journal")
    cleanup.add_argument("--journal", type=Path, required=True, help="the run's journal (vicicert-journal.jsonl)")
    cleanup.add_argument("--world-db", metavar="URL", default=os.environ.get("VICIDIAL_WORLD_DB"),
                         help="the same database (mysql://...; default from VICIDIAL_WORLD_DB)")
    cleanup.set_defaults(run=run_cleanup)


def run_cleanup(args: argparse.Namespace) -> int:
    from ..sql_fixture import cleanup_journal

    if not args.world_db:
        raise UsageError("cleanup needs the database: --world-db mysql://... or VICIDIAL_WORLD_DB")
    undone = cleanup_journal(args.journal, args.world_db)
    if undone.ended:
        print(f"vicicert cleanup: {undone.ended}")
    for problem in undone.problems:
        print(f"vicicert cleanup: {problem}", file=sys.stderr)
    for counter in undone.counters:
        print(f"vicicert cleanup: {counter}")
    if undone.unrecorded:
        print(f"vicicert cleanup: {undone.unrecorded}", file=sys.stderr)
        return EXIT_FAILED if undone.problems else EXIT_USAGE
    if undone.problems:
        return EXIT_FAILED
    if undone.ended:
        return EXIT_PASSED
    print(f"vicicert cleanup: harness rows removed from {mask_url(args.world_db)}; checksums equal to before the run")
    return EXIT_PASSED
