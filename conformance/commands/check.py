"""``vicicert check``: a target (by default the embedded reference host) checked against the specs,
by pytest with vicicert's plugin; every option mistake is one message with its fix, found before
any case runs or anything is written; ``--preflight-only`` stops after the preflight."""

from __future__ import annotations

import argparse
import importlib.util
import os
from pathlib import Path

from ..bundle import EMBEDDED_WORLD, SPECS_DIR
from ..check_options import CHECK_OPTIONS
from ..errors import UsageError
from ..redaction import mask_url
from . import arguments
from .exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_NOTHING_CHECKED, EXIT_PASSED, EXIT_USAGE

DEFAULT_PASS_ENV = "VICIDIAL_PASS"
_XDIST_OPTIONS = ("-n", "--numprocesses", "--dist", "-d", "--maxprocesses")   # pytest options that need xdist


def add_command(commands) -> None:
    """``vicicert check``'s parser, under the subcommands."""
    # allow_abbrev off: an option check does not know goes to pytest whole (pytest's --co is no --contract)
    check = commands.add_parser("check", allow_abbrev=False,
                                help="check a target (default: the embedded reference host) against the specs; "
                                     "options it does not know go to pytest (-x, --maxfail N, --lf, -rA)")
    for option in CHECK_OPTIONS:   # the table's options (check_options.py), then check's own
        if option.cli is not None:
            extra = {"action": "store_true"} if option.switch else {"metavar": option.metavar}
            check.add_argument(option.cli, help=option.help, **extra, **_CHECK_TYPES.get(option.name, {}))
    check.add_argument("--pass-env", default=DEFAULT_PASS_ENV, metavar="VAR",
                       help="environment variable holding the API password (default VICIDIAL_PASS); "
                            "passwords are never taken on the command line")
    check.add_argument("--specs", type=Path, default=SPECS_DIR, action=arguments.GivenOnce,
                       fix="give one spec file or folder, and choose functions of it with -k 'add_lead or update_lead'",
                       help="a spec file or a folder of them, e.g. a spec tree of your own (default: the bundled specs)")
    check.add_argument("--preflight-only", action="store_true",
                       help="only ask the target for its builds, log in once per API and check the declared "
                            "world's API users and agents, then stop")
    check.add_argument("-k", dest="keyword", help="only cases whose id matches this pytest -k expression")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    check.add_argument("--workers", type=arguments.positive_int, metavar="N",
                       help="run cases in N processes (pytest-xdist's -n N); one report and one summary "
                            "for the whole run; not with --world-db or --host-db. Each worker loads every spec "
                            "and starts a host of its own (about 6 s of CPU), so workers help a run of hundreds "
                            "of cases with a free core each; a -k selection is faster in one process")
    check.set_defaults(run=run_check)


# What vicicert check makes of the table's options beyond their text (check_options.py).
_CHECK_TYPES = {"world": {"type": Path}, "contract": {"choices": ["reference", "documented"], "default": "reference"},
                "report-dir": {"type": Path, "default": Path("reports/out")},
                "timeout": {"type": arguments.positive_float, "default": 10.0},
                "wait": {"type": arguments.non_negative_float, "default": 0.0},
                "journal": {"type": Path}, "expectations": {"type": Path}, "update-expectations": {"type": Path},
                "certificate": {"type": Path}, "sign-key": {"type": Path}, "max-skipped": {"type": arguments.percentage}}


def check_usage(args: argparse.Namespace) -> None:
    """Option mistakes found before anything runs or is written, each with its fix."""
    if args.target is not None:
        arguments.check_target_url(args.target)
    if args.world_db is not None:
        if args.target is None:
            raise UsageError("--world-db writes the world into a target's database, so it needs the target too: "
                             "--target URL")
        if not args.world_db.startswith(("mysql://", "mariadb://")):
            raise UsageError(f"--world-db {mask_url(args.world_db)} is not a mysql:// URL: give "
                             "mysql://user:pass@host:3306/asterisk")
    elif args.target is not None and args.world is None and args.user is None:
        raise UsageError("a --target needs its state: a declared world (--world FILE), its database to write "
                         "fixtures into (--world-db URL), or at least an API user (--user NAME, password in "
                         f"${args.pass_env})")
    from ..effects import checks_chosen

    try:
        checks_chosen(args.checks, args.exclude_checks)
    except ValueError as error:
        raise UsageError(f"--checks/--exclude-checks: {error}") from None
    if args.target is not None and args.host_db is not None:
        raise UsageError("--host-db is the embedded host's database and means nothing with --target: drop one")
    if args.workers is not None:
        if args.world_db is not None:
            raise UsageError("--world-db (SQL fixture mode) runs in one process: its journal and rows belong "
                             "to one run; drop --workers")
        if args.host_db is not None:
            raise UsageError("--host-db would be shared by every worker, and each case rewrites its rows: "
                             "drop --host-db (each worker then gets a database of its own) or --workers")
        if args.allow_writes and args.target is not None and args.world_db is None:
            raise UsageError("--allow-writes runs the cases that change the host in one pinned order, in one "
                             "process: drop --workers")
        if importlib.util.find_spec("xdist") is None:
            raise UsageError("--workers needs pytest-xdist, which is not installed: pip install pytest-xdist "
                             "(or drop --workers)")
    arguments.writable_folder(args.report_dir, "--report-dir")
    if args.certificate is not None:
        arguments.writable_folder(args.certificate, "--certificate")
    if args.sign_key is not None:
        if args.certificate is None:
            raise UsageError("--sign-key signs the certificate, so it needs one: --certificate DIR")
        from ..certificate.signature import load_private_key
        load_private_key(args.sign_key)   # a missing or wrong key is named before any case runs
    _check_password_source(args)


def _check_password_source(args: argparse.Namespace) -> None:
    """Declared mode needs the API user's password: from ``--pass-env``'s variable, or else from the
    world file. A variable named with ``--pass-env`` that is unset is named, not read as ''."""
    if args.target is None or args.world_db is not None or args.pass_env in os.environ:
        return
    named = args.pass_env != DEFAULT_PASS_ENV
    if args.world is not None and not named:
        from ..world import load_world
        admin = load_world(args.world).api_users.get("api_admin")
        if admin is None or admin.get("pass"):   # no API user to log in (the role check speaks), or its password
            return
    user = f"the API user {args.user}" if args.user else "the world's API user (api_admin)"
    raise UsageError(f"--pass-env {args.pass_env}: the environment variable {args.pass_env} is not set, so "
                     f"{user} has no password: export {args.pass_env}=... before the run"
                     + ("" if named else " (or give the password in the world file: pass or pass_env)"))


def run_check(args: argparse.Namespace) -> int:
    import pytest

    from ..skip_gate import NOTHING_CHECKED
    from ..spec import load_specs

    check_usage(args)
    if args.preflight_only:
        return _preflight_only(args)
    if not args.specs.exists():
        raise UsageError(f"--specs {args.specs} does not exist: give a spec file or a folder of them")
    from ..world import check_role_names, load_world, world_to_write
    written = args.target is None or args.world_db is not None   # a world of one's own goes on the bundled one
    # world and spec errors stop here, before pytest starts, with file, line and fix
    specs = load_specs(args.specs, world_to_write(args.world) if written and args.world is not None else None)
    if args.world is not None and not written:
        check_role_names(load_world(args.world), load_world(EMBEDDED_WORLD))
    if not specs:
        raise UsageError(f"no spec files under {args.specs}: spec files are YAML whose first line is "
                         "'vicicert: spec/1'")
    root = args.specs if args.specs.is_dir() else args.specs.parent
    passed_on = getattr(args, "pytest_options", [])
    # pytest's cache (what --lf and --ff read) lives where vicicert runs, as pytest's does where pytest runs;
    # never in the spec folder (which an installed vicicert keeps inside its package)
    # Only the plugins a check needs: pytest's own, vicicert's, and xdist's for workers. Plugins installed
    # beside vicicert (Hypothesis, Locust's, anything in the environment) are not loaded: they slow the start
    # and could change a run (reorder, time out cases); -p NAME, passed on, loads one on purpose.
    workers = args.workers is not None or any(option.startswith(_XDIST_OPTIONS) for option in passed_on)
    pytest_args = ["--disable-plugin-autoload", "-p", "conformance.plugin", *(["-p", "xdist.plugin"] if workers else []),
                   str(args.specs), "-o", f"cache_dir={Path.cwd() / '.pytest_cache'}", "--rootdir", str(root),
                   f"--junitxml={args.report_dir / 'junit.xml'}", "-o", "junit_family=xunit2",
                   "-o", "console_output_style=classic"]
    pytest_args.append("-q" if args.quiet else "-rfs")
    for option in CHECK_OPTIONS:
        value = getattr(args, option.cli.lstrip("-").replace("-", "_")) if option.cli else None
        if option.switch and value:
            pytest_args.append(option.flag)
        elif not option.switch and value not in (None, "") and not (option.name == "wait" and value == 0):
            pytest_args += [option.flag, f"{value:g}" if isinstance(value, float) else str(value)]
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    if args.workers is not None:
        pytest_args += ["-n", str(args.workers)]
    pytest_args += passed_on     # last: pytest's own -r or -q given here win
    # The plugin falls back on VICIDIAL_* variables; here the command line alone decides (a
    # VICIDIAL_WORLD_DB exported for `cleanup` must not turn a plain check into SQL fixture mode).
    saved = {name: value for name, value in os.environ.items() if name.startswith("VICIDIAL_")}
    password = os.environ.get(args.pass_env)
    for name in saved:
        del os.environ[name]
    if password is not None:
        os.environ["VICIDIAL_PASS"] = password
    try:
        code = pytest.main(pytest_args)
    finally:
        os.environ.pop("VICIDIAL_PASS", None)
        os.environ.update(saved)
    if code == pytest.ExitCode.OK:
        return EXIT_PASSED
    if code == pytest.ExitCode.TESTS_FAILED:
        return EXIT_FAILED
    if code == NOTHING_CHECKED:
        return EXIT_NOTHING_CHECKED
    if code == pytest.ExitCode.NO_TESTS_COLLECTED and args.keyword:
        raise UsageError(f"no case matches -k {args.keyword!r}: -k matches folder, file and case names "
                         "(agent_api, pause_code, ready_agent; ids read agent_api/pause_code.yaml::ready_agent), "
                         "and takes words joined by and, or, not")
    if code == pytest.ExitCode.INTERRUPTED:
        return EXIT_INTERRUPTED
    return EXIT_USAGE


def _preflight_only(args: argparse.Namespace) -> int:
    from ..client import Target
    from ..preflight import preflight
    from ..refused_logins import RefusedLogins
    from ..world import World, load_world

    if not args.target:
        raise UsageError("--preflight-only needs --target URL: the embedded host needs no preflight")
    password = os.environ.get(args.pass_env)
    world = None
    if args.world and not args.world_db:
        world = load_world(args.world).with_credentials(args.user, password)
    elif args.user and not args.world_db:
        world = World(path=None, api_users={"api_admin": {"user": args.user, "pass": password or ""}})
    refusals = RefusedLogins(retry=args.retry_refused_login)
    meaning = load_world(EMBEDDED_WORLD) if world is not None else None
    for line in preflight(Target(args.target, args.timeout), world, meaning=meaning, wait=args.wait,
                          refusals=refusals).lines():
        print(f"vicicert preflight: {line}")
    return EXIT_PASSED
