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
import errno
import importlib.util
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from . import stopping
from .bundle import EMBEDDED_WORLD, SPECS_DIR
from .certificate_commands import add_commands
from .check_options import CHECK_OPTIONS
from .errors import LoadGeneratorFailed, SourceFileError, UsageError
from .redaction import mask_url

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING_CHECKED, EXIT_LOAD_GENERATOR, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
_DEFAULT_PASS_ENV = "VICIDIAL_PASS"
_XDIST_OPTIONS = ("-n", "--numprocesses", "--dist", "-d", "--maxprocesses")   # pytest options that need xdist
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

    # allow_abbrev off: an option check does not know goes to pytest whole (pytest's --co is no --contract)
    check = commands.add_parser("check", allow_abbrev=False,
                                help="check a target (default: the embedded reference host) against the specs; "
                                     "options it does not know go to pytest (-x, --maxfail N, --lf, -rA)")
    for option in CHECK_OPTIONS:   # the table's options (check_options.py), then check's own
        if option.cli is not None:
            extra = {"action": "store_true"} if option.switch else {"metavar": option.metavar}
            check.add_argument(option.cli, help=option.help, **extra, **_CHECK_TYPES.get(option.name, {}))
    check.add_argument("--pass-env", default=_DEFAULT_PASS_ENV, metavar="VAR",
                       help="environment variable holding the API password (default VICIDIAL_PASS); "
                            "passwords are never taken on the command line")
    check.add_argument("--specs", type=Path, default=SPECS_DIR,
                       help="a spec file or a folder of them, e.g. a spec tree of your own (default: the bundled specs)")
    check.add_argument("--preflight-only", action="store_true",
                       help="only ask the target for its builds, log in once per API and check the declared "
                            "world's API users and agents, then stop")
    check.add_argument("-k", dest="keyword", help="only cases whose id matches this pytest -k expression")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    check.add_argument("--workers", type=_positive_int, metavar="N",
                       help="run cases in N processes (pytest-xdist's -n N); one report and one summary "
                            "for the whole run; not with --world-db or --host-db. Each worker loads every spec "
                            "and starts a host of its own (about 6 s of CPU), so workers help a run of hundreds "
                            "of cases with a free core each; a -k selection is faster in one process")
    check.set_defaults(run=_check)

    add_commands(commands)   # verify, keygen

    seed = commands.add_parser("seed", help="write (or --remove) deterministic agent-log rows for load runs")
    seed.add_argument("--rows", type=_positive_int, default=100_000)
    seed.add_argument("--db", required=True, help="SQLite path or mysql://user:pass@host:port/db")
    seed.add_argument("--seed", type=int, default=1, help="generator seed (same seed, same rows)")
    seed.add_argument("--agents", type=_positive_int, default=200)
    seed.add_argument("--weeks", type=_positive_int, default=4)
    seed.add_argument("--remove", action="store_true", help="delete exactly the seeded rows and agents")
    seed.add_argument("--local", action="store_true",
                      help="always send the rows from this machine (LOAD DATA LOCAL), even if the server could read them")
    seed.set_defaults(run=_seed)

    cleanup = commands.add_parser("cleanup", help="undo a crashed SQL fixture run from its journal")
    cleanup.add_argument("--journal", type=Path, required=True, help="the run's journal (vicicert-journal.jsonl)")
    cleanup.add_argument("--world-db", metavar="URL", default=os.environ.get("VICIDIAL_WORLD_DB"),
                         help="the same database (mysql://...; default from VICIDIAL_WORLD_DB)")
    cleanup.set_defaults(run=_cleanup)

    load = commands.add_parser("load", help="load profiles (Locust, headless, 127.0.0.1 only)")
    profiles = load.add_subparsers(dest="profile", required=True)
    recording = profiles.add_parser("recording", help="concurrent START/STATUS/STOP signals, each user its own agent")
    recording.add_argument("--agents", type=_positive_int, default=1000,
                           help="logged-in agents to provision (default 1000, at most 10,000)")
    recording.add_argument("--users", type=_positive_int, help="Locust users (default: one per agent)")
    recording.add_argument("--spawn-rate", type=_positive_float, default=100.0)
    recording.add_argument("--seconds", type=_positive_int, default=60, help="run time (default 60)")
    recording.add_argument("--arrival-rate", type=_positive_float, metavar="PER_SECOND",
                           help="open model: this many requests per second across all users, each measured "
                                "from its intended send time (default: closed model, back to back)")
    _add_slo_options(recording, "")
    recording.add_argument("--steps", type=_counts, help="stepped run: comma-separated user counts, one stage of "
                                           "--seconds each, all in one Locust run, then a capacity report naming the "
                                           "highest stage that holds the SLOs and the saturation point (e.g. 10,20,40,80)")
    recording.add_argument("--rate-steps", type=_rates, metavar="RATES",
                           help="stepped open model: comma-separated arrival rates (requests/s), one stage each, "
                                "with --users users (or paired with --steps, as many of each)")
    recording.add_argument("--workers", type=_positive_int, default=1,
                           help="run Locust distributed: a master and this many worker processes on 127.0.0.1")
    recording.add_argument("--report-dir", type=Path, default=Path("reports/out"))
    _add_target_options(recording, "provisions the load agents")
    recording.set_defaults(run=_load_recording)
    stats = profiles.add_parser("stats", help="agent_stats_export over windows of growing size, every body checked")
    stats.add_argument("--rows", type=_positive_int, default=100_000, help="agent-log rows to seed (default 100,000)")
    stats.add_argument("--windows", type=_counts, default=(10_000, 100_000),
                       help="comma-separated row counts the export windows should cover (default 10000,100000)")
    stats.add_argument("--users", type=_positive_int, default=2)
    stats.add_argument("--seconds", type=_positive_int, default=60)
    _add_slo_options(stats, " (latency: of the largest window)")
    stats.add_argument("--report-dir", type=Path, default=Path("reports/out"))
    _add_target_options(stats, "seeds the agent log")
    stats.add_argument("--keep-seed", action="store_true",
                       help="with --target: leave the seeded rows for the next run with the same --rows and --seed "
                            "(a run without it, or vicicert cleanup, removes them)")
    stats.set_defaults(run=_load_stats)

    serve = commands.add_parser("serve", help="run the embedded reference host on 127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080, help="port on 127.0.0.1 (default 8080)")
    serve.add_argument("--db", metavar="PATH_OR_URL",
                       help="a SQLite file or mysql://user:pass@host:port/db of vicicert's own (default: a temporary "
                            "SQLite file); a database holding rows vicicert did not write is served only with --keep-data")
    serve.add_argument("--world", type=Path, default=EMBEDDED_WORLD, help="world to load (default: the embedded world)")
    serve.add_argument("--keep-data", action="store_true",
                       help="serve the database as it is (seeded rows included) instead of loading the world")
    serve.add_argument("--arithmetic", choices=["reference", "documented"], default="reference",
                       help="agent_stats_export figures as upstream computes them (default) or as documented")
    serve.set_defaults(run=_serve)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (for example 1000)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (for example 8080)") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: give 1 to 65535")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (for example 2.5)") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is too small: give a number above 0")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (for example 30)") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} is negative: give 0 or more")
    return value


def _percentage(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage (for example 20)") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not a percentage: give a number from 0 to 100")
    return value


# What vicicert check makes of the table's options beyond their text (check_options.py).
_CHECK_TYPES = {"world": {"type": Path}, "contract": {"choices": ["reference", "documented"], "default": "reference"},
                "report-dir": {"type": Path, "default": Path("reports/out")},
                "timeout": {"type": _positive_float, "default": 10.0}, "wait": {"type": _non_negative_float, "default": 0.0},
                "journal": {"type": Path}, "expectations": {"type": Path}, "update-expectations": {"type": Path},
                "certificate": {"type": Path}, "sign-key": {"type": Path}, "max-skipped": {"type": _percentage}}


def _counts(text: str) -> tuple[int, ...]:
    """Comma-separated counts, such as 10000,100000."""
    try:
        return tuple(_positive_int(part) for part in text.split(","))
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}; give counts separated by commas, "
                                         "for example 10000,100000") from None


def _rates(text: str) -> tuple[float, ...]:
    """Comma-separated rates, such as 50,100,200."""
    try:
        return tuple(_positive_float(part) for part in text.split(","))
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}; give rates separated by commas, "
                                         "for example 50,100,200") from None


def _add_slo_options(profile: argparse.ArgumentParser, latency_note: str) -> None:
    profile.add_argument("--p95-ms", type=float, help="SLO: 95th percentile latency at most this" + latency_note)
    profile.add_argument("--p99-ms", type=float, help="SLO: 99th percentile latency at most this" + latency_note)
    profile.add_argument("--max-error-ratio", type=float, default=0.0, help="SLO: failed share (default 0)")
    profile.add_argument("--min-rps", type=float, help="SLO: requests per second at least this")
    profile.add_argument("--slo-file", type=Path, help="YAML or JSON with p95_ms, p99_ms, max_error_ratio, min_rps, "
                                                       "overriding the options (see loadtests/slo-example.yaml)")


def _add_target_options(profile: argparse.ArgumentParser, what: str) -> None:
    profile.add_argument("--target", help="base URL of a VICIdial host of your own (default: the embedded reference "
                                          "host); needs --world-db")
    profile.add_argument("--world-db", metavar="URL",
                         help=f"the target's database (mysql://user:pass@host:3306/asterisk): the run {what} there "
                              "in the harness namespace, journalled, and removes it at the end")
    profile.add_argument("--journal", type=Path,
                         help="SQL fixture journal (default: REPORT_DIR/load-<profile>/vicicert-journal.jsonl)")


def _check_load_target(args: argparse.Namespace) -> None:
    """A load profile's target options: both or neither, each well formed."""
    if args.target is None:
        if args.world_db is not None or args.journal is not None or getattr(args, "keep_seed", False):
            given = "--world-db" if args.world_db else "--journal" if args.journal else "--keep-seed"
            raise UsageError(f"{given} belongs to a run against a host of your own: add --target URL, or drop "
                             f"{given} (the embedded host needs no database of yours)")
        return
    _check_target_url(args.target)
    if args.world_db is None:
        raise UsageError(f"--target {mask_url(args.target)} needs --world-db mysql://user:pass@host:3306/asterisk: "
                         "the load profiles check every answer against state they write into the target's database "
                         "(and remove afterwards), so they cannot run against a host whose database they cannot reach")
    if not args.world_db.startswith(("mysql://", "mariadb://")):
        raise UsageError(f"--world-db {mask_url(args.world_db)} is not a mysql:// URL: give "
                         "mysql://user:pass@host:3306/asterisk")


def _check_target_url(target: str) -> None:
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--target {mask_url(target)} is not an http(s) URL: give the host's base URL, "
                         "for example http://10.0.0.5")
    if parts.path.rstrip("/").endswith(".php"):
        raise UsageError(f"--target {mask_url(target)} names a script: give the host's base URL "
                         f"({parts.scheme}://{parts.netloc}); vicicert adds /agc/api.php and "
                         "/vicidial/non_agent_api.php itself")


def _slo(args: argparse.Namespace):
    """The SLO options, then the SLO file over them."""
    from loadtests.slo import Slo, problem

    given = {key: getattr(args, key) for key in Slo().as_dict()}  # the options share the thresholds' names
    for key, value in given.items():
        if wrong := problem(key, value):
            raise UsageError(f"--{key.replace('_', '-')}: {wrong}")
    slo = Slo(**given)
    return Slo.from_file(args.slo_file, slo) if args.slo_file else slo


def _check_usage(args: argparse.Namespace) -> None:
    """Option mistakes found before anything runs or is written, each with its fix."""
    if args.target is not None:
        _check_target_url(args.target)
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
    from .effects import checks_chosen

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
    _writable_folder(args.report_dir, "--report-dir")
    if args.certificate is not None:
        _writable_folder(args.certificate, "--certificate")
    if args.sign_key is not None:
        if args.certificate is None:
            raise UsageError("--sign-key signs the certificate, so it needs one: --certificate DIR")
        from .certificate.signature import load_private_key
        load_private_key(args.sign_key)   # a missing or wrong key is named before any case runs
    _check_password_source(args)


def _check_password_source(args: argparse.Namespace) -> None:
    """Declared mode needs the API user's password: from ``--pass-env``'s variable, or else from the
    world file. A variable named with ``--pass-env`` that is unset is named, not read as ''."""
    if args.target is None or args.world_db is not None or args.pass_env in os.environ:
        return
    named = args.pass_env != _DEFAULT_PASS_ENV
    if args.world is not None and not named:
        from .world import load_world
        admin = load_world(args.world).api_users.get("api_admin")
        if admin is None or admin.get("pass"):   # no API user to log in (the role check speaks), or its password
            return
    user = f"the API user {args.user}" if args.user else "the world's API user (api_admin)"
    raise UsageError(f"--pass-env {args.pass_env}: the environment variable {args.pass_env} is not set, so "
                     f"{user} has no password: export {args.pass_env}=... before the run"
                     + ("" if named else " (or give the password in the world file: pass or pass_env)"))


def _writable_folder(folder: Path, option: str) -> None:
    """Create ``folder`` if needed and prove a file can be written there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".vicicert-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"{option} {folder}: cannot write there ({error.strerror or error}); "
                         "give a folder you can write to") from None


def _check(args: argparse.Namespace) -> int:
    import pytest

    from .skip_gate import NOTHING_CHECKED
    from .spec import load_specs

    _check_usage(args)
    if args.preflight_only:
        return _preflight_only(args)
    if not args.specs.exists():
        raise UsageError(f"--specs {args.specs} does not exist: give a spec file or a folder of them")
    from .world import check_role_names, load_world, world_to_write
    written = args.target is None or args.world_db is not None   # a world of one's own goes on the bundled one
    # world and spec errors stop here, before pytest starts, with file, line and fix
    specs = load_specs(args.specs, world_to_write(args.world) if written else None)
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
    from .client import Target
    from .preflight import preflight
    from .refused_logins import RefusedLogins
    from .world import World, load_world

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


def _require_load_tools() -> None:
    """Locust runs in a child process; a missing package is named here, not in its traceback."""
    for module in ("locust", "hdrh", "matplotlib"):
        if importlib.util.find_spec(module) is None:
            raise ModuleNotFoundError(name=module)


def _seed(args: argparse.Namespace) -> int:
    from loadtests.seeder import remove, seed

    from .agent_log_generator import AgentLogPlan
    from .tables.database import open_database

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


def _cleanup(args: argparse.Namespace) -> int:
    from .sql_fixture import cleanup_journal

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


def _load_recording(args: argparse.Namespace) -> int:
    from loadtests.agents import MAX_LOAD_AGENTS

    if args.agents > MAX_LOAD_AGENTS:
        raise UsageError(f"--agents {args.agents:,}: a load world holds at most {MAX_LOAD_AGENTS:,} agents; "
                         "give fewer, or run several hosts")
    _check_load_target(args)
    _require_load_tools()
    _writable_folder(args.report_dir, "--report-dir")
    from loadtests.runner import LoadRun, run_recording, run_recording_steps  # no locust import: a child runs it
    run = LoadRun(agents=args.agents, users=args.users, spawn_rate=args.spawn_rate, seconds=args.seconds, slo=_slo(args),
                  report_dir=args.report_dir, arrival_rate=args.arrival_rate, workers=args.workers,
                  target=args.target, world_db=args.world_db, journal=args.journal)
    if args.steps or args.rate_steps:
        from loadtests.stages import stepped
        try:
            stages = stepped(list(args.steps or []), list(args.rate_steps or []), args.seconds,
                             args.users or args.agents)
        except ValueError as error:
            raise UsageError(str(error)) from None
        with stopping.softly():   # a signal: Locust asked to quit, then the summary and the cleanup as usual
            return run_recording_steps(run, stages)
    with stopping.softly():
        return run_recording(run)


def _load_stats(args: argparse.Namespace) -> int:
    _check_load_target(args)
    _require_load_tools()
    _writable_folder(args.report_dir, "--report-dir")
    from loadtests.runner import StatsRun, run_stats

    with stopping.softly():   # a signal: Locust asked to quit, then the summary and the cleanup as usual
        return run_stats(StatsRun(rows=args.rows, windows=args.windows, users=args.users, seconds=args.seconds,
                                  slo=_slo(args), report_dir=args.report_dir, target=args.target,
                                  world_db=args.world_db, journal=args.journal, keep_seed=args.keep_seed))


def _serve(args: argparse.Namespace) -> int:
    from .host.server import EmbeddedHost
    from .world import load_world

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


if __name__ == "__main__":
    sys.exit(main())
