"""The small file a Locust profile rewrites once a second so the runner can show a run's progress.

Beside the summary, ``summary.progress.json`` (``.worker<N>`` added in a distributed run)
holds requests, failures, seconds so far and either the latency histogram (HdrHistogram's
encoding: a third of a millisecond to write, where reading a percentile off it stalls the
load generator for several) or a p95 the profile has at hand. It is written under a temporary name and renamed
(``os.replace``), so a reader never sees half a file. No locust import here: the runner reads
the files; a profile calls ``publish`` (which imports gevent and locust) with a function that
returns its figures.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

EVERY = 1.0  # seconds between writes


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


def publish(environment, figures: Callable[[], dict], summary: Path | None = None) -> None:
    """In a Locust process that sends requests, write ``figures()`` (as ``write_progress`` takes them)
    and the seconds since, every second from a greenlet, and once more when Locust quits, beside
    ``summary`` (default: VICICERT_LOAD_SUMMARY; neither, no progress file); a worker's index is
    known only after it joins, so it is read at each write."""
    import gevent
    from locust.runners import MasterRunner, WorkerRunner

    if summary is None and "VICICERT_LOAD_SUMMARY" in os.environ:
        summary = Path(os.environ["VICICERT_LOAD_SUMMARY"])
    if summary is None or isinstance(environment.runner, MasterRunner):
        return

    started = time.monotonic()

    def write() -> None:
        worker = None
        if isinstance(environment.runner, WorkerRunner):
            worker = getattr(environment.runner, "worker_index", None)
            if worker is None or worker < 0:  # a worker the master has not numbered yet
                return
        write_progress(progress_path(summary, worker), figures(), seconds=time.monotonic() - started)

    def every_second() -> None:
        while True:
            gevent.sleep(EVERY)
            write()

    gevent.spawn(every_second)
    environment.events.quitting.add_listener(lambda **_kwargs: write())
