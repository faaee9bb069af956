"""``vicicert load recording|stats``: the Locust load profiles (headless, or Locust's web UI on
127.0.0.1), against the embedded host or a host of one's own with its database; SLO options and
files; options vicicert does not know are handed on to Locust."""

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
    load = commands.add_parser("load", help="load profiles (Locust, headless or its web UI, 127.0.0.1 only)")
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
    cluster = recording.add_argument_group("across machines (Locust master and workers; the channel is not "
                                           "encrypted: a trusted network only)")
    cluster.add_argument("--master", action="store_true",
                         help="run only Locust's master here (provisioning, judging) and wait for --expect-workers "
                              "workers started elsewhere with --worker")
    cluster.add_argument("--expect-workers", type=arguments.positive_int, metavar="N",
                         help="with --master: how many workers to wait for (at most 600 s)")
    cluster.add_argument("--master-bind", type=_bind_address, metavar="[HOST:]PORT",
                         help="with --master: where the master listens (default 127.0.0.1:5557)")
    cluster.add_argument("--worker", action="store_true",
                         help="run one Locust worker for a master elsewhere: no provisioning, no world file; the "
                              "master sends this worker its agents and the API user")
    cluster.add_argument("--master-host", help="with --worker: the master's address")
    cluster.add_argument("--master-port", type=arguments.positive_int, default=5557,
                         help="with --worker: the master's port (default 5557)")
    recording.add_argument("--web", type=_web_address, nargs="?", const=("127.0.0.1", 8089), metavar="[HOST:]PORT",
                           help="open Locust's web UI (default 127.0.0.1:8089) instead of running headless: start the "
                                "run there (the form holds --users, --spawn-rate, --seconds); it is judged when it stops")
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


def _web_address(text: str) -> tuple[str, int]:
    from loadtests.locust_interfaces import web_address

    try:
        return web_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _bind_address(text: str) -> tuple[str, int]:
    try:
        return _web_address(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"give a port (5557) or HOST:PORT (127.0.0.1:5557), not {text!r}") from None


def _interfaces(args: argparse.Namespace):
    """Locust's web UI (recording only) and the options vicicert hands on to Locust, checked."""
    from loadtests.locust_interfaces import LocustInterfaces, passed_on_options

    return LocustInterfaces(web=getattr(args, "web", None), passed_on=passed_on_options(args.locust_options))


def _require_load_tools() -> None:
    """Locust runs in a child process; a missing package is named here, not in its traceback."""
    for module in ("locust", "hdrh", "matplotlib"):
        if importlib.util.find_spec(module) is None:
            raise ModuleNotFoundError(name=module)


def _check_cluster(args: argparse.Namespace) -> tuple[str, int] | None:
    """The across-machines options, consistent; the master's bind address when --master."""
    if args.worker:
        if args.master or args.master_host is None:
            raise UsageError("--worker needs --master-host HOST (and --master-port when not 5557), and no --master")
        return None
    if args.master_host is not None:
        raise UsageError("--master-host belongs to a worker: add --worker")
    if not args.master:
        if args.expect_workers or args.master_bind:
            raise UsageError("--expect-workers and --master-bind belong to a master: add --master")
        return None
    if not args.expect_workers or args.workers != 1 or args.web:
        raise UsageError("--master needs --expect-workers N, and no --workers or --web (its workers run elsewhere)")
    return args.master_bind or ("127.0.0.1", 5557)


def run_recording_profile(args: argparse.Namespace) -> int:
    from loadtests.agents import MAX_LOAD_AGENTS

    master_bind = _check_cluster(args)
    if args.worker:
        _require_load_tools()
        from loadtests.remote_worker import run_worker

        with stopping.softly():
            return run_worker(args.master_host, args.master_port, args.report_dir)

    if args.agents > MAX_LOAD_AGENTS:
        raise UsageError(f"--agents {args.agents:,}: a load world holds at most {MAX_LOAD_AGENTS:,} agents; "
                         "give fewer, or run several hosts")
    _check_load_target(args)
    _require_load_tools()
    arguments.writable_folder(args.report_dir, "--report-dir")
    from loadtests.recording_run import LoadRun, run_recording, run_recording_steps  # no locust import: a child runs it
    run = LoadRun(agents=args.agents, users=args.users, spawn_rate=args.spawn_rate, seconds=args.seconds, slo=_slo(args),
                  report_dir=args.report_dir, arrival_rate=args.arrival_rate,
                  workers=args.expect_workers if master_bind else args.workers, master_bind=master_bind,
                  target=args.target, world_db=args.world_db, journal=args.journal, abort_on_breach=args.abort_on_breach,
                  interfaces=_interfaces(args))
    if args.steps or args.rate_steps:
        if args.web:
            raise UsageError("--web runs one stage, started in Locust's UI: drop --steps/--rate-steps, or drop --web "
                             "for a stepped run")
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
                                  abort_on_breach=args.abort_on_breach, interfaces=_interfaces(args)))
