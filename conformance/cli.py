"""The ``vicicert`` command: check a host against the specs, verify a certificate (and make the key
that signs one), serve the reference host, seed agent-log rows, run load profiles, clean up after
a crashed SQL fixture run.

Exit codes: 0 every case (or check and SLO) passed, 1 something failed, 2 usage or spec error,
3 nothing or too little was checked, 4 the load generator failed (a Locust process of
``vicicert load`` died or wrote no summary: no verdict either way), 128 + the signal that stopped
it: 130 SIGINT (Ctrl-C), 143 SIGTERM, 129 SIGHUP (after the cleanup, summary and reports). A usage
error is always one message that names the fix, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from . import stopping
from .commands import certificate, check, cleanup, load, seed, serve
from .commands.exit_codes import (EXIT_FAILED, EXIT_INTERRUPTED, EXIT_LOAD_GENERATOR,   # every code, here:
                                  EXIT_NOTHING_CHECKED, EXIT_PASSED, EXIT_USAGE)           # the docstring's list
from .errors import LoadGeneratorFailed, SourceFileError, UsageError

# Third-party modules vicicert imports, by the distribution that provides them.
_DEPENDENCIES = {"yaml": "pyyaml", "jsonschema": "jsonschema", "jinja2": "jinja2", "tabulate": "tabulate",
                 "numpy": "numpy", "locust": "locust", "hdrh": "hdrhistogram", "matplotlib": "matplotlib",
                 "pymysql": "pymysql", "rich": "rich", "pytest": "pytest", "cryptography": "cryptography"}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, passed_on = parser.parse_known_args(argv)
    if passed_on and args.command != "check":
        parser.error(f"unrecognized arguments: {' '.join(passed_on)}")
    args.pytest_options = passed_on   # check hands options it does not know to pytest (-x, --maxfail 2, --lf, -rA)
    previous = stopping.install()
    try:
        try:
            code = _run(args)
        except KeyboardInterrupt:   # Ctrl-C, or a signal outside a safe place to stop (stopping.py)
            code = None
        if code is None or stopping.received() is not None:   # (else it stopped at a safe place and reported)
            print(f"vicicert: interrupted by {stopping.name()}", file=sys.stderr)
            return stopping.exit_code()
        return code
    finally:
        stopping.restore(previous)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except (UsageError, SourceFileError) as error:
        print(f"vicicert: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LoadGeneratorFailed as error:
        print(f"vicicert load: the load generator failed: {error}", file=sys.stderr)
        return EXIT_LOAD_GENERATOR
    except ModuleNotFoundError as error:
        top = (error.name or "").split(".")[0]
        if top not in _DEPENDENCIES:
            raise
        print(f"vicicert: the Python package {_DEPENDENCIES[top]} is missing, so this install is incomplete: "
              f"pip install {_DEPENDENCIES[top]} (or reinstall vicicert)", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vicicert", description=" ".join(__doc__.split("\n\n")[0].split()))
    commands = parser.add_subparsers(dest="command", required=True)
    for command in (check, certificate, seed, cleanup, load, serve):   # the order of vicicert --help
        command.add_command(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
