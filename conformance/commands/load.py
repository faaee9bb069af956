"""``vicicert load recording|stats``: the Locust load profiles (headless, 127.0.0.1 only), against
the embedded host or a host of one's own with its database; SLO options and files."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from .. import stopping
from ..errors import UsageError
from ..redaction import mask_url
from . import arguments


def add_command(commands) -> None:
    """``vicicert load`` and its two profiles' parsers, under the subcommands."""
    load = commands.add_parser("load", help="load profiles (Locust, headless, 127.0.0.1 only)")
    profiles = load.add_subparsers(dest="profile", required=True)
    recording = profiles.add_parser("recording", help="concurrent START/STATUS/STOP signals, each user its own agent")
    recording.add_argument("--agents", type=arguments.positive_int, default=1000,
                           help="logged-in agents to provision (default 1000, at most 10,000)")
    recording.add_argument("--users", type=arguments.positive_int, help="Locust users (default: one per agent)")
    recording.add_argument("--spawn-rate", type=arguments.positive_float, default=100.0)
    recording.add_argument("--seconds", type=arguments.positive_int, default=60, help="run time (default 60)")
    recording.add_argument("--arrival-rate", type=arguments.positive_float, metavar="PER_SECOND",
                           help="open model: this many requests per second across all users, each measured "
                                "from its intended send time (default: closed model, back to back)")
    _add_slo_options(recording, "", "the error ratio at once, p95 after 100 answers (p99 and the rate are "
                                    "judged at the end)")
    recording.add_argument("--steps", type=arguments.counts,
                           help="stepped run: comma-separated user counts, one stage of --seconds each, all in one "
                                "Locust run, then a capacity report naming the highest stage that holds the SLOs and "
                                "the saturation point (e.g. 10,20,40,80)")
    recording.add_argument("--rate-steps", type=arguments.rates, metavar="RATES",
                           help="stepped open model: comma-separated arrival rates (requests/s), one stage each, "
                                "with --users users (or paired with --steps, as many of each)")
    recording.add_argument("--workers", type=arguments.positive_int, default=1,
                           help="run Locust distributed: a master and this many worker processes on 127.0.0.1")
    recording.add_argument("--report-dir", type=Path, default=Path("reports/out"))
    _add_target_options(recording, "provisions the load agents")
    recording.set_defaults(run=run_recording_profile)
    stats = profiles.add_parser("stats", help="agent_stats_export over windows of growing size, every body checked")
    stats.add_argument("--rows", type=arguments.positive_int, default=100_000,
                       help="agent-log rows to seed (default 100,000)")
    stats.add_argument("--windows", type=arguments.counts, default=(10_000, 100_000),
                       help="comma-separated row counts the export windows should cover (default 10000,100000)")
    stats.add_argument("--users", type=arguments.positive_int, default=2)
    stats.add_argument("--seconds", type=arguments.positive_int, default=60)
    _add_slo_options(stats, " (latency: of the largest window)",
                     "the error ratio (latency SLOs hold per export window, judged at the end)")
    stats.add_argument("--report-dir", type=Path, default=Path("reports/out"))
    _add_target_options(stats, "seeds the agent log")
    stats.add_argument("--keep-seed", action="store_true",
                       help="with --target: leave the seeded rows for the next run with the same --rows and --seed "
                            "(a run without it, or vicicert cleanup, removes them)")
    stats.set_defaults(run=run_stats_profile)


# The SLO options of both profiles: each threshold's flag, its type and help (a latency note is added).
SLO_OPTIONS = (("--p95-ms", {"type": float, "help": "SLO: 95th percentile latency at most this{latency}"}),
               ("--p99-ms", {"type": float, "help": "SLO: 99th percentile latency at most this{latency}"}),
               ("--max-error-ratio", {"type": float, "default": 0.0, "help": "SLO: failed share (default 0)"}),
               ("--min-rps", {"type": float, "help": "SLO: requests per second at least this"}),
               ("--slo-file", {"type": Path, "help": "YAML or JSON with p95_ms, p99_ms, max_error_ratio, min_rps, "
                                                     "overriding the options (see loadtests/slo-example.yaml)"}),
               ("--abort-on-breach", {"action": "store_true",
                                      "help": "stop the run at the first SLO breach seen while it runs (k6's "
                                              "abortOnFail), exit 1 with the reason; watched: {abort_note}"}))


def _add_slo_options(profile: argparse.ArgumentParser, latency_note: str, abort_note: str) -> None:
    for flag, settings in SLO_OPTIONS:
        profile.add_argument(flag, **{**settings, "help": settings["help"].format(latency=latency_note,
                                                                                 abort_note=abort_note)})


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
    arguments.check_target_url(args.target)
    if args.world_db is None:
        raise UsageError(f"--target {mask_url(args.target)} needs --world-db mysql://user:pass@host:3306/asterisk: "
                         "the load profiles check every answer against state they write into the target's database "
                         "(and remove afterwards), so they cannot run against a host whose database they cannot reach")
    if not args.world_db.startswith(("mysql://", "mariadb://")):
        raise UsageError(f"--world-db {mask_url(args.world_db)} is not a mysql:// URL: give "
                         "mysql://user:pass@host:3306/asterisk")


def _slo(args: argparse.Namespace):
    """The SLO options, then the SLO file over them."""
    from loadtests.slo import Slo, problem

    given = {key: getattr(args, key) for key in Slo().as_dict()}  # the options share the thresholds' names
    for key, value in given.items():
        if wrong := problem(key, value):
            raise UsageError(f"--{key.replace('_', '-')}: {wrong}")
    slo = Slo(**given)
    return Slo.from_file(args.slo_file, slo) if args.slo_file else slo


def _require_load_tools() -> None:
    """Locust runs in a child process; a missing package is named here, not in its traceback."""
    for module in ("locust", "hdrh", "matplotlib"):
        if importlib.util.find_spec(module) is None:
            raise ModuleNotFoundError(name=module)


def run_recording_profile(args: argparse.Namespace) -> int:
    from loadtests.agents import MAX_LOAD_AGENTS

    if args.agents > MAX_LOAD_AGENTS:
        raise UsageError(f"--agents {args.agents:,}: a load world holds at most {MAX_LOAD_AGENTS:,} agents; "
                         "give fewer, or run several hosts")
    _check_load_target(args)
    _require_load_tools()
    arguments.writable_folder(args.report_dir, "--report-dir")
    from loadtests.recording_run import LoadRun, run_recording, run_recording_steps  # no locust import: a child runs it
    run = LoadRun(agents=args.agents, users=args.users, spawn_rate=args.spawn_rate, seconds=args.seconds, slo=_slo(args),
                  report_dir=args.report_dir, arrival_rate=args.arrival_rate, workers=args.workers,
                  target=args.target, world_db=args.world_db, journal=args.journal, abort_on_breach=args.abort_on_breach)
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


def run_stats_profile(args: argparse.Namespace) -> int:
    _check_load_target(args)
    _require_load_tools()
    arguments.writable_folder(args.report_dir, "--report-dir")
    from loadtests.stats_run import StatsRun, run_stats

    with stopping.softly():   # a signal: Locust asked to quit, then the summary and the cleanup as usual
        return run_stats(StatsRun(rows=args.rows, windows=args.windows, users=args.users, seconds=args.seconds,
                                  slo=_slo(args), report_dir=args.report_dir, target=args.target,
                                  world_db=args.world_db, journal=args.journal, keep_seed=args.keep_seed,
                                  abort_on_breach=args.abort_on_breach))
