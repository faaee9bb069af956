"""``vicicert serve``: the embedded reference host on 127.0.0.1, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from .. import stopping
from ..bundle import EMBEDDED_WORLD
from ..errors import UsageError
from . import arguments
from .exit_codes import EXIT_PASSED


def add_command(commands) -> None:
    """``vicicert serve``'s parser, under the subcommands."""
    serve = commands.add_parser("serve", help="run the embedded reference host on 127.0.0.1")
    serve.add_argument("--port", type=arguments.port, default=8080, help="port on 127.0.0.1 (default 8080)")
    serve.add_argument("--db", metavar="PATH_OR_URL",
                       help="a SQLite file or mysql://user:pass@host:port/db of vicicert's own (default: a temporary "
                            "SQLite file); a database holding rows vicicert did not write is served only with --keep-data")
    serve.add_argument("--world", type=Path, default=EMBEDDED_WORLD, help="world to load (default: the embedded world)")
    serve.add_argument("--keep-data", action="store_true",
                       help="serve the database as it is (seeded rows included) instead of loading the world")
    serve.add_argument("--arithmetic", choices=["reference", "documented"], default="reference",
                       help="agent_stats_export figures as upstream computes them (default) or as documented")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from ..host.server import EmbeddedHost
    from ..world import load_world

    world = load_world(args.world)
    host = EmbeddedHost(args.db, port=args.port, arithmetic=args.arithmetic)
    if not args.keep_data:
        host.provision(world)
    admin = world.api_users.get("api_admin", {})

    def banner(base_url: str) -> None:   # only once the port is bound: a busy port prints no address
        print(f"vicicert reference host on {base_url} (database {host.database.describe()}, world {args.world})")
        print(f"API user {admin.get('user', '?')}; its password is in {args.world}. Ctrl-C or SIGTERM stops.")
        sys.stdout.flush()

    try:
        host.serve_forever(banner)
    except KeyboardInterrupt:   # Ctrl-C, SIGTERM or SIGHUP (stopping.py): the exit code says which
        print(f"vicicert reference host on {host.base_url} stopped by {stopping.name()}", flush=True)
    except OSError as error:
        if error.errno not in _LISTEN_ERRORS:
            raise
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {_LISTEN_ERRORS[error.errno]}") from None
    finally:
        host.stop()
    return EXIT_PASSED


_LISTEN_ERRORS = {errno.EADDRINUSE: "the port is in use (another vicicert serve?); pick another with --port",
                  errno.EACCES: "ports below 1024 need root; pick another with --port, such as 8080"}
