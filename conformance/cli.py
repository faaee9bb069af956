"""The ``vicicert`` command: check a host against the specs, serve the reference host,
seed agent-log rows, run load profiles, clean up after a crashed SQL fixture run.

Exit codes: 0 every case (or check and SLO) passed, 1 something failed, 2 usage or spec error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .bundle import EMBEDDED_WORLD, SPECS_DIR
from .errors import SourceFileError, UsageError
from .redaction import mask_url
from .spec import load_specs

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, SourceFileError) as error:
        print(f"vicicert: {error}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vicicert", description=" ".join(__doc__.split("\n\n")[0].split()))
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check a target (default: the embedded reference host) against the specs")
    check.add_argument("--target", help="base URL of the VICIdial host, e.g. http://127.0.0.1:8080")
    check.add_argument("--world", type=Path, help="YAML world file: what the target has (declared mode)")
    check.add_argument("--user", help="API user (main role api_admin); default from the world file")
    check.add_argument("--pass-env", default="VICIDIAL_PASS", metavar="VAR",
                       help="environment variable holding the API password (default VICIDIAL_PASS); "
                            "passwords are never taken on the command line")
    check.add_argument("--contract", choices=["reference", "documented"], default="reference",
                       help="which texts must match: the upstream code's (default) or the documented ones")
    check.add_argument("--specs", type=Path, default=SPECS_DIR, help="spec file or folder (default: the bundled specs)")
    check.add_argument("--report-dir", type=Path, default=Path("reports/out"),
                       help="where report.html, report.json and junit.xml go (default reports/out)")
    check.add_argument("--timeout", type=_positive_float, default=10.0, help="seconds to wait for each answer")
    check.add_argument("--world-db", metavar="URL",
                       help="SQL fixture mode: write the world into the target's database (mysql://...), "
                            "journalled, and remove it afterwards; the password may come from VICIDIAL_WORLD_DB")
    check.add_argument("--journal", type=Path, help="SQL fixture journal (default: REPORT_DIR/vicicert-journal.jsonl)")
    check.add_argument("--namespace", help="prefix of every user the harness creates (default vcrt)")
    check.add_argument("--no-global-changes", action="store_true",
                       help="skip cases that must toggle system_settings")
    check.add_argument("--host-db", metavar="URL",
                       help="database of the embedded host: a SQLite path or mysql://user:pass@host:port/db "
                            "(default: a temporary SQLite file)")
    check.add_argument("-k", dest="keyword", help="only cases whose id matches this pytest -k expression")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    check.set_defaults(run=_check)

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
                           help="logged-in agents to provision (default 1000)")
    recording.add_argument("--users", type=_positive_int, help="Locust users (default: one per agent)")
    recording.add_argument("--spawn-rate", type=_positive_float, default=100.0)
    recording.add_argument("--seconds", type=_positive_int, default=60, help="run time (default 60)")
    recording.add_argument("--arrival-rate", type=_positive_float, metavar="PER_SECOND",
                           help="open model: this many requests per second across all users, each measured "
                                "from its intended send time (default: closed model, back to back)")
    _add_slo_options(recording, "")
    recording.add_argument("--steps", type=_counts, help="stepped run: comma-separated user counts, one stage each, "
                                           "then a capacity report naming the knee (e.g. 10,20,40,80)")
    recording.add_argument("--workers", type=_positive_int, default=1,
                           help="run Locust distributed: a master and this many worker processes on 127.0.0.1")
    recording.add_argument("--report-dir", type=Path, default=Path("reports/out"))
    recording.set_defaults(run=_load_recording)
    stats = profiles.add_parser("stats", help="agent_stats_export over windows of growing size, every body checked")
    stats.add_argument("--rows", type=_positive_int, default=100_000, help="agent-log rows to seed (default 100,000)")
    stats.add_argument("--windows", type=_counts, default=(10_000, 100_000),
                       help="comma-separated row counts the export windows should cover (default 10000,100000)")
    stats.add_argument("--users", type=_positive_int, default=2)
    stats.add_argument("--seconds", type=_positive_int, default=60)
    _add_slo_options(stats, " (latency: of the largest window)")
    stats.add_argument("--report-dir", type=Path, default=Path("reports/out"))
    stats.set_defaults(run=_load_stats)

    serve = commands.add_parser("serve", help="run the embedded reference host on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
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


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (for example 2.5)") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is too small: give a number above 0")
    return value


def _counts(text: str) -> tuple[int, ...]:
    """Comma-separated counts, such as 10000,100000."""
    try:
        return tuple(_positive_int(part) for part in text.split(","))
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}; give counts separated by commas, "
                                         "for example 10000,100000") from None


def _add_slo_options(profile: argparse.ArgumentParser, latency_note: str) -> None:
    profile.add_argument("--p95-ms", type=float, help="SLO: 95th percentile latency at most this" + latency_note)
    profile.add_argument("--p99-ms", type=float, help="SLO: 99th percentile latency at most this" + latency_note)
    profile.add_argument("--max-error-ratio", type=float, default=0.0, help="SLO: failed share (default 0)")
    profile.add_argument("--min-rps", type=float, help="SLO: requests per second at least this")
    profile.add_argument("--slo-file", type=Path, help="YAML or JSON with p95_ms, p99_ms, max_error_ratio, min_rps, "
                                                       "overriding the options (see loadtests/slo-example.yaml)")


def _slo(args: argparse.Namespace):
    """The SLO options, then the SLO file over them."""
    from loadtests.slo import Slo, problem

    given = {key: getattr(args, key) for key in Slo().as_dict()}  # the options share the thresholds' names
    for key, value in given.items():
        if wrong := problem(key, value):
            raise UsageError(f"--{key.replace('_', '-')}: {wrong}")
    slo = Slo(**given)
    return Slo.from_file(args.slo_file, slo) if args.slo_file else slo


def _check(args: argparse.Namespace) -> int:
    import pytest

    specs = load_specs(args.specs)  # spec errors stop here, with file, line and fix
    if not specs:
        raise UsageError(f"no spec files under {args.specs}")
    pytest_args = [str(args.specs), "-p", "no:cacheprovider", "--rootdir", str(args.specs),
                   "--vicidial-contract", args.contract, "--vicidial-timeout", str(args.timeout),
                   "--vicidial-report-dir", str(args.report_dir),
                   f"--junitxml={args.report_dir / 'junit.xml'}", "-o", "junit_family=xunit2",
                   "-o", "console_output_style=classic"]
    pytest_args.append("-q" if args.quiet else "-rfs")
    if args.target:
        pytest_args += ["--vicidial-target", args.target]
    if args.world:
        pytest_args += ["--vicidial-world", str(args.world)]
    if args.user:
        pytest_args += ["--vicidial-user", args.user]
    if args.host_db:
        pytest_args += ["--vicidial-db", args.host_db]
    if args.world_db:
        pytest_args += ["--vicidial-world-db", args.world_db]
    if args.journal:
        pytest_args += ["--vicidial-journal", str(args.journal)]
    if args.namespace:
        pytest_args += ["--vicidial-namespace", args.namespace]
    if args.no_global_changes:
        pytest_args.append("--vicidial-no-global-changes")
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    password = os.environ.get(args.pass_env)
    env_backup = os.environ.get("VICIDIAL_PASS")
    if password is not None:
        os.environ["VICIDIAL_PASS"] = password
    try:
        code = pytest.main(pytest_args)
    finally:
        if env_backup is None:
            os.environ.pop("VICIDIAL_PASS", None)
        else:
            os.environ["VICIDIAL_PASS"] = env_backup
    if code == pytest.ExitCode.OK:
        return EXIT_PASSED
    if code == pytest.ExitCode.TESTS_FAILED:
        return EXIT_FAILED
    return EXIT_USAGE


def _seed(args: argparse.Namespace) -> int:
    from loadtests.seeder import remove, seed

    from .agent_log_generator import AgentLogPlan
    from .tables.database import open_database

    database = open_database(args.db)
    if args.remove:
        print(f"vicicert seed: removed {remove(database):,} seeded rows from {database.describe()}")
        return EXIT_PASSED
    plan = AgentLogPlan(rows=args.rows, seed=args.seed, agents=args.agents, weeks=args.weeks)
    result = seed(database, plan, local=True if args.local else None)
    start, end = plan.window()
    print(f"vicicert seed: {result['rows']:,} rows in {result['seconds']:.1f} s ({result['rows_per_second']:,.0f} "
          f"rows/s, {result['path']}) into {database.describe()}; window {start} .. {end}")
    return EXIT_PASSED


def _cleanup(args: argparse.Namespace) -> int:
    from .sql_fixture import cleanup_journal

    if not args.world_db:
        raise UsageError("cleanup needs the database: --world-db mysql://... or VICIDIAL_WORLD_DB")
    problems = cleanup_journal(args.journal, args.world_db)
    for problem in problems:
        print(f"vicicert cleanup: {problem}", file=sys.stderr)
    if problems:
        return EXIT_FAILED
    print(f"vicicert cleanup: harness rows removed from {mask_url(args.world_db)}; checksums equal to before the run")
    return EXIT_PASSED


def _load_recording(args: argparse.Namespace) -> int:
    try:  # the runner starts Locust in a child process: nothing here imports locust itself
        from loadtests.runner import LoadRun, run_recording
    except ImportError as error:
        raise UsageError(f"load profiles need the load extra: pip install -e '.[load]' ({error.name} missing)") from None
    from loadtests.runner import run_recording_steps
    run = LoadRun(agents=args.agents, users=args.users, spawn_rate=args.spawn_rate, seconds=args.seconds, slo=_slo(args),
                  report_dir=args.report_dir, arrival_rate=args.arrival_rate, workers=args.workers)
    if args.steps:
        return run_recording_steps(run, list(args.steps))
    return run_recording(run)


def _load_stats(args: argparse.Namespace) -> int:
    from loadtests.runner import StatsRun, run_stats

    return run_stats(StatsRun(rows=args.rows, windows=args.windows, users=args.users, seconds=args.seconds,
                              slo=_slo(args), report_dir=args.report_dir))


def _serve(args: argparse.Namespace) -> int:
    from .host.server import EmbeddedHost
    from .world import load_world

    world = load_world(args.world)
    host = EmbeddedHost(args.db, port=args.port, arithmetic=args.arithmetic)
    if not args.keep_data:
        host.reset(world)
    admin = world.api_users.get("api_admin", {})
    print(f"vicicert reference host on http://127.0.0.1:{args.port} "
          f"(database {host.database.describe()}, world {args.world})")
    print(f"API user {admin.get('user', '?')}; its password is in {args.world}. Ctrl-C stops.")
    sys.stdout.flush()
    try:
        host.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        host.stop()
    return EXIT_PASSED


if __name__ == "__main__":
    sys.exit(main())
