"""The small file a Locust profile rewrites once a second so the runner can show a run's progress.

Beside the summary, ``summary.progress.json`` (``.worker<N>`` added in a distributed run)
holds requests, failures, seconds so far and either the latency histogram (HdrHistogram's
encoding: a third of a millisecond to write, where reading a percentile off it stalls the
load generator for several) or a p95 the profile has at hand. It is written under a temporary name and renamed
(``os.replace``), so a reader never sees half a file. In a distributed run the workers send
their figures to the master as Locust messages and the master writes the files, so the runner
beside the master sees workers on other machines too (its progress line, ``--abort-on-breach``).
No locust import here: the runner reads the files; a profile calls ``publish`` (which imports
gevent and locust) with a function that returns its figures.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

EVERY = 1.0  # seconds between writes
PROGRESS_MESSAGE = "vicicert_progress"   # worker to master: its figures, for the master to write


def progress_path(summary: Path, worker: int | None = None) -> Path:
    """``summary.json`` -> ``summary.progress.json`` (``.worker<N>`` for worker N)."""
    name = summary.name.removesuffix(".json") + ".progress.json"
    return summary.with_name(name + (f".worker{worker}" if worker is not None else ""))


def all_progress_files(summary: Path) -> list[Path]:
    """Every progress file of the run whose summary is ``summary`` (one per worker, or one)."""
    single = progress_path(summary)
    return [single, *summary.parent.glob(single.name + ".worker*")]


def write_progress(path: Path, figures: dict, seconds: float) -> None:
    """``figures``: requests, failures, and ``histogram`` (encoded) or ``p95_ms``; a stepped run's
    ``stage`` (its index) and ``seconds`` into that stage, which then stand for ``seconds``."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({**figures, "seconds": round(figures.get("seconds", seconds), 3)}),
                         encoding="utf-8")
    os.replace(temporary, path)


def read_progress(paths: Iterable[Path]) -> dict | None:
    """Requests, failures, p95 and seconds of every file that exists, added up; None when none does yet.

    Histograms are merged exactly. Given only each process's p95, the highest one stands: no
    more than 5 % of all requests can be slower than that, so it bounds the merged p95 from above.
    """
    parts = []
    for path in paths:
        try:
            parts.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):  # not written yet
            continue
    if not parts:
        return None
    stage = max(part.get("stage", 0) for part in parts)
    parts = [part for part in parts if part.get("stage", 0) == stage]  # a worker still in the stage before: not yet
    histograms = [part["histogram"] for part in parts if part.get("histogram")]
    if histograms:
        from .latency import LatencyRecorder
        p95 = LatencyRecorder.merged(histograms).percentile_ms(95)
    else:
        p95s = [part["p95_ms"] for part in parts if part.get("p95_ms") is not None]
        p95 = max(p95s) if p95s else None
    found = {"requests": sum(part["requests"] for part in parts), "failures": sum(part["failures"] for part in parts),
             "p95_ms": p95, "seconds": max(part["seconds"] for part in parts)}
    return {**found, "stage": stage} if any("stage" in part for part in parts) else found


def publish(environment, figures: Callable[[], dict] | None, summary: Path | None = None) -> None:
    """In a Locust process that sends requests, write ``figures()`` (as ``write_progress`` takes them)
    and the seconds since, every second from a greenlet, and once more when its test stops and when
    Locust quits, beside ``summary`` (default: VICICERT_LOAD_SUMMARY; neither, no progress file). A
    worker sends them to its master instead (its index is known only after it joins, so it is read
    at each send); a master (``figures`` None) writes what each worker sends, as that worker's file."""
    import gevent
    from locust.runners import MasterRunner, WorkerRunner

    if summary is None and "VICICERT_LOAD_SUMMARY" in os.environ:
        summary = Path(os.environ["VICICERT_LOAD_SUMMARY"])
    if summary is None:
        return
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        runner.register_message(PROGRESS_MESSAGE, lambda msg, **_kwargs: write_progress(
            progress_path(summary, msg.data["index"]), msg.data["figures"], msg.data["seconds"]))
        return

    started = time.monotonic()

    def write() -> None:
        seconds = time.monotonic() - started
        if not isinstance(runner, WorkerRunner):
            write_progress(progress_path(summary), figures(), seconds)
            return
        worker = getattr(runner, "worker_index", None)
        if worker is None or worker < 0:  # a worker the master has not numbered yet
            return
        try:
            runner.send_message(PROGRESS_MESSAGE, {"index": worker, "figures": figures(), "seconds": seconds})
        except Exception:  # the master is gone (it quit first): nobody is left to show it to
            pass

    def every_second() -> None:
        while True:
            gevent.sleep(EVERY)
            write()

    gevent.spawn(every_second)
    # A worker's last figures go when its test stops: before it tells the master it has stopped
    # (one socket, in order), so the master has written them before its own test ends.
    environment.events.test_stop.add_listener(lambda **_kwargs: write())
    environment.events.quitting.add_listener(lambda **_kwargs: write())
