"""What every load profile shares: the abstract ``VerifiedUser``, the ``StagesShape``, the options, the ledger.

A profile (a locustfile) imports ``VerifiedUser`` and ``StagesShape`` from here and adds its
own task and the answers it checks. Its options are Locust's own, registered through
``events.init_command_line_parser``, each also read from the environment variable the
runner sets, so the same file runs under ``vicicert load`` and under plain
``locust -f loadtests/recording_signals.py --host URL --world FILE ...``.

The ledger keeps, for each stage, an HDR histogram of full-body latency, the failures by
kind, and a timeline (one point a second: requests, failures, p50/p95/p99 of that second,
and this process's CPU, so a report can warn when the generator itself was the limit).
``StagesShape`` runs the stages (``--stages USERS:SECONDS[:RATE],...``) in this one Locust
process; without stages it is one stage of ``-u``/``-r``/``-t``. It announces each stage with
a message, which a worker's ledger receives from the master and a single process's from itself.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import gevent
from locust import FastHttpUser, LoadTestShape, constant, events
from locust.runners import MasterRunner, WorkerRunner

from loadtests.latency import LatencyRecorder, OpenSchedule, send_time
from loadtests.progress_file import publish
from loadtests.quit_signal import install as install_quit_signal
from loadtests.slo import Slo
from loadtests.stages import Stage, parse_stages
from loadtests.worker_summaries import install as install_worker_summaries

STAGE_MESSAGE = "vicicert_stage"
INTERVAL = 1.0         # seconds between timeline points
MIN_INTERVAL = 0.25    # a shorter last interval is no point of its own (its rate would be noise)
MAX_EXAMPLES = 20      # wrong answers kept whole


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    """The options every profile takes; each has the environment variable ``vicicert load`` sets."""
    group = parser.add_argument_group("vicicert", "options of the vicicert load profiles")
    group.add_argument("--summary-file", env_var="VICICERT_LOAD_SUMMARY", default="vicicert-summary.json",
                       help="where the profile writes its summary (JSON; a master writes its workers' as .worker<N>)")
    group.add_argument("--slo", env_var="VICICERT_SLO", default="{}",
                       help="SLOs: a JSON mapping ({\"p95_ms\": 100}) or an SLO file (YAML, see "
                            "loadtests/slo-example.yaml); a breach makes Locust exit 1")
    group.add_argument("--stages", env_var="VICICERT_STAGES", default="",
                       help="stepped run in this process: USERS:SECONDS[:RATE],... (for example 10:30,20:30); "
                            "overrides -u and -t")
    group.add_argument("--arrival-rate", env_var="VICICERT_ARRIVAL_RATE", type=float, default=None,
                       help="open model without --stages: this many requests per second across all users")
    group.add_argument("--max-requests", env_var="VICICERT_MAX_REQUESTS", type=int, default=0,
                       help="stop after this many requests (0: no limit; a single process only)")


def slo_of(options) -> Slo:
    """``--slo`` as thresholds: JSON text, or the path of an SLO file."""
    text = (getattr(options, "slo", None) or "{}").strip()
    if text.startswith("{"):
        return Slo(**json.loads(text))
    return Slo.from_file(Path(text))


def stages_of(options) -> list[Stage]:
    """The run's stages: ``--stages``, or one stage of ``-u``, ``-t`` (endless without) and ``--arrival-rate``."""
    text = getattr(options, "stages", "") if options is not None else ""
    if text:
        return parse_stages(text)
    seconds = getattr(options, "run_time", None) or math.inf
    return [Stage(getattr(options, "num_users", None) or 1, seconds, getattr(options, "arrival_rate", None))]


class CpuMeter:
    """This process's CPU use since the last reading, in percent of one core (psutil, else ``os.times``)."""

    def __init__(self) -> None:
        try:
            import psutil
            self.process = psutil.Process()
            self.process.cpu_percent(None)  # the first reading sets the baseline
        except ImportError:  # pragma: no cover - locust depends on psutil
            self.process = None
            self.last = (self._cpu_seconds(), time.monotonic())

    @staticmethod
    def _cpu_seconds() -> float:
        times = os.times()
        return times.user + times.system

    def percent(self) -> float:
        if self.process is not None:
            return self.process.cpu_percent(None)
        cpu, now = self._cpu_seconds(), time.monotonic()
        (last_cpu, last_time), self.last = self.last, (cpu, now)
        return 100.0 * (cpu - last_cpu) / max(now - last_time, 1e-9)


class StageRecord:
    """One stage as this process saw it."""

    def __init__(self, index: int, stage: Stage):
        self.index, self.stage = index, stage
        self.recorder = LatencyRecorder()
        self.window = LatencyRecorder()   # the current second
        self.window_failures = 0
        self.failures: dict[str, int] = {}
        self.started = time.monotonic()
        self.ended: float | None = None
        self.timeline: list[dict] = []
        self.schedule = OpenSchedule(stage.rate, stage.users, start=None if index == 0 else self.started) \
            if stage.rate else None

    def close_interval(self, cpu: float) -> None:
        window, now = self.window, time.monotonic() - self.started
        if now - (self.timeline[-1]["t"] if self.timeline else 0.0) < MIN_INTERVAL:
            return  # the sliver between the last full second and the stage's end: in the stage's totals only
        self.timeline.append({
            "t": round(now, 3), "requests": window.count(),
            "failures": self.window_failures, "p50_ms": window.percentile_ms(50), "p95_ms": window.percentile_ms(95),
            "p99_ms": window.percentile_ms(99), "cpu_percent": round(cpu, 1)})
        window.reset()
        self.window_failures = 0

    def summary(self) -> dict:
        duration = max((self.ended or time.monotonic()) - self.started, 1e-9)
        requests, failures = self.recorder.count(), sum(self.failures.values())
        cpu = [point["cpu_percent"] for point in self.timeline]
        return {"index": self.index, "users": self.stage.users, "rate": self.stage.rate,
                "planned_seconds": self.stage.seconds if math.isfinite(self.stage.seconds) else None,
                "duration_s": round(duration, 3), **self.recorder.summary(),
                "requests": requests, "failures": failures, "failures_by_kind": dict(self.failures),
                "error_ratio": failures / requests if requests else 1.0, "rps": requests / duration,
                "histogram": self.recorder.encoded(), "timeline": self.timeline,
                "cpu_mean": sum(cpu) / len(cpu) if cpu else None, "cpu_max": max(cpu) if cpu else None}


class Ledger:
    """This process's requests and failures, stage by stage, and the first wrong answers whole."""

    def __init__(self) -> None:
        self.records: list[StageRecord] = []
        self.examples: list[str] = []
        self.cpu: CpuMeter | None = None
        self.max_requests = 0
        self.on_limit: Callable[[], None] | None = None

    @property
    def current(self) -> StageRecord:
        if not self.records:  # a request before any stage was announced: stage 0, as planned so far
            self.records.append(StageRecord(0, Stage(1, math.inf)))
        return self.records[-1]

    def enter(self, index: int, stage: Stage) -> None:
        if self.records and self.records[-1].index == index:
            self.records[-1].stage = stage
            if stage.rate and self.records[-1].schedule is None:
                self.records[-1].schedule = OpenSchedule(stage.rate, stage.users)
            return
        if self.records:
            self.close_interval()
            self.records[-1].ended = time.monotonic()
        self.records.append(StageRecord(index, stage))

    def record(self, seconds: float) -> None:
        current = self.current
        current.recorder.record(seconds)
        current.window.record(seconds)
        if self.max_requests and self.on_limit and self.requests() >= self.max_requests:
            limit, self.on_limit = self.on_limit, None
            limit()

    def fail(self, kind: str, example: str | None = None) -> None:
        current = self.current
        current.failures[kind] = current.failures.get(kind, 0) + 1
        current.window_failures += 1
        if example is not None and len(self.examples) < MAX_EXAMPLES:
            self.examples.append(example)

    def requests(self) -> int:
        return sum(record.recorder.count() for record in self.records)

    def failures(self) -> int:
        return sum(sum(record.failures.values()) for record in self.records)

    def close_interval(self) -> None:
        if self.records:
            self.records[-1].close_interval(self.cpu.percent() if self.cpu else 0.0)

    def summary(self) -> dict:
        """The whole run (every stage's histogram added exactly) and each stage's own summary."""
        if self.records and self.records[-1].ended is None:
            self.close_interval()
            self.records[-1].ended = time.monotonic()
        whole = LatencyRecorder.combined([record.recorder for record in self.records])
        summary = whole.summary()
        requests, failures = whole.count(), self.failures()
        kinds: dict[str, int] = {}
        for record in self.records:
            for kind, count in record.failures.items():
                kinds[kind] = kinds.get(kind, 0) + count
        stages = [record.summary() for record in self.records]
        cpu = [point["cpu_percent"] for stage in stages for point in stage["timeline"]]
        summary.update({"requests": requests, "failures": failures,
                        "error_ratio": failures / requests if requests else 1.0,
                        "rps": requests / whole.elapsed(), "failures_by_kind": kinds, "examples": self.examples,
                        "histogram": whole.encoded(), "stages": stages,
                        "generator_cpu": {"mean": sum(cpu) / len(cpu) if cpu else None,
                                          "max": max(cpu) if cpu else None}})
        return summary


LEDGER = Ledger()
_summary_hooks: list[Callable[[dict, object], None]] = []
_next_slot = itertools.count()


def on_summary(hook: Callable[[dict, object], None]) -> Callable[[dict, object], None]:
    """Decorator: ``hook(summary, environment)`` adds a profile's own figures before the SLOs are judged."""
    _summary_hooks.append(hook)
    return hook


class VerifiedUser(FastHttpUser):
    """A user whose every answer is timed into the ledger and checked; subclasses add the task."""

    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.slot_index = getattr(self, "slot_index", next(_next_slot))
        self._schedule = None
        self._slots = None

    def intended_send_time(self) -> float:
        """Now (closed model), or this user's next slot in the stage's schedule, slept until (open model);
        a new stage brings a new schedule."""
        schedule = LEDGER.current.schedule
        if schedule is not self._schedule:
            self._schedule = schedule
            self._slots = schedule.slots(self.slot_index) if schedule else None
        return send_time(self._slots)

    def record(self, started: float) -> None:
        LEDGER.record(time.monotonic() - started)

    def fail(self, response, kind: str, example: str | None = None) -> None:
        """Count a wrong answer by kind; Locust's table gets one row per kind, not per answer."""
        LEDGER.fail(kind, example)
        response.failure(kind)


class StagesShape(LoadTestShape):
    """The stages one after another, each held for its seconds from the moment it began (a slow ramp-up
    does not shorten it); ``None`` after the last ends the run."""

    use_common_options = True

    def __init__(self) -> None:
        super().__init__()
        self.index = -1
        self.stage_started = 0.0
        self.plan: list[Stage] | None = None

    def tick(self):
        options = self.runner.environment.parsed_options
        if self.plan is None:
            self.plan = stages_of(options)
        now = self.get_run_time()
        if self.index < 0 or now - self.stage_started >= self.plan[self.index].seconds:
            if self.index + 1 >= len(self.plan):
                return None
            self.index += 1
            self.stage_started = now
            self.runner.send_message(STAGE_MESSAGE, {"index": self.index, "stage": self.plan[self.index].text()})
        return self.plan[self.index].users, (getattr(options, "spawn_rate", None) or 1)


def _receive_stage(msg, **_kwargs) -> None:
    LEDGER.enter(msg.data["index"], parse_stages(msg.data["stage"])[0])


@events.user_error.add_listener
def _count_profile_error(*_args, **_kwargs) -> None:
    """An exception in the profile itself (say, more users than agents) fails the run."""
    LEDGER.fail("profile_exception")


@events.init.add_listener
def _start(environment, **_kwargs) -> None:
    """Stage messages, the timeline, the progress file and the request limit, in each process that sends
    requests; in a master, the workers' progress."""
    options = environment.parsed_options
    summary = Path(getattr(options, "summary_file", None) or "vicicert-summary.json")
    if isinstance(environment.runner, MasterRunner):
        publish(environment, None, summary)
        return
    environment.runner.register_message(STAGE_MESSAGE, _receive_stage)
    LEDGER.cpu = CpuMeter()
    LEDGER.max_requests = getattr(options, "max_requests", 0) or 0
    if LEDGER.max_requests and not isinstance(environment.runner, WorkerRunner):
        LEDGER.on_limit = lambda: gevent.spawn(environment.runner.quit)

    def every_interval() -> None:
        while True:
            gevent.sleep(INTERVAL)
            LEDGER.close_interval()

    gevent.spawn(every_interval)

    def figures() -> dict:
        current = LEDGER.current
        return {"requests": current.recorder.count(), "failures": sum(current.failures.values()),
                "histogram": current.recorder.encoded(), "stage": current.index,
                "seconds": time.monotonic() - current.started}
    publish(environment, figures, summary)


def build_summary(environment) -> dict:
    """This process's summary: every stage's and the whole run's, the profile's own figures, the SLOs
    judged on each stage; a breach sets the exit code and is printed."""
    summary = LEDGER.summary()
    for hook in _summary_hooks:
        hook(summary, environment)
    slo = slo_of(environment.parsed_options)
    for stage in summary["stages"]:
        stage["slo_breaches"] = slo.breaches(stage)
    breaches = slo.judge(summary) + [f"stage {stage['index'] + 1}: {breach}" for stage in summary["stages"]
                                     for breach in stage["slo_breaches"]]
    if breaches:   # said where plain Locust runs it too: an exit code 1 with no reason is no verdict
        environment.process_exit_code = 1
        for breach in dict.fromkeys(breaches):
            print(f"vicicert: SLO breached: {breach}", file=sys.stderr)
    return summary


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    """A single process writes its summary file. In a distributed run each worker sends its summary
    to the master as a message when its test stops, and the master writes them (worker_summaries.py)."""
    if isinstance(environment.runner, (MasterRunner, WorkerRunner)):
        return
    # On SIGTERM or Ctrl-C Locust fires quitting before it stops the users (at the run's end, after):
    # stopped first, no user sends a signal the summary's last-signal record would miss.
    environment.runner.stop()
    summary = build_summary(environment)
    path = Path(getattr(environment.parsed_options, "summary_file", None) or "vicicert-summary.json")
    path.write_text(json.dumps(summary, indent=2), encoding="utf-8")


install_worker_summaries(build_summary)
install_quit_signal()


def print_options(profile: str) -> None:
    """The options of the profile ``profile`` and those every profile shares, as Locust lists its
    own: Locust prints ``--help`` before it reads a locustfile, so ``locust -f FILE --help``
    cannot show them, and ``python -m loadtests.<profile> --help`` does."""
    from locust.argument_parser import get_parser

    parser = get_parser()   # fires init_command_line_parser: the listeners this import registered
    formatter = parser._get_formatter()
    formatter.add_usage(f"locust -f loadtests/{profile}.py --host URL [Locust's options] [these]", None, None)
    for group in parser._action_groups:
        if group.title in ("vicicert", profile):
            formatter.start_section(group.title)
            formatter.add_text(group.description)
            formatter.add_arguments(group._group_actions)
            formatter.end_section()
    print(formatter.format_help(), end="")
