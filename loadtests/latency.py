"""Full-body latency in an HDR histogram (microseconds, 3 significant digits), not Locust's buckets.

Each sample runs from the moment the request was *meant* to go out to the last body byte.
In the closed model that is when it went out; an open-model schedule passes its intended
send time, so a request delayed by a slow predecessor counts its wait (no coordinated
omission).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator

import gevent
from hdrh.histogram import HdrHistogram

PERCENTILES = (50.0, 90.0, 95.0, 99.0, 99.9)


class LatencyRecorder:
    """Records latencies from 1 µs to 10 minutes."""

    def __init__(self) -> None:
        self.histogram = HdrHistogram(1, 600_000_000, 3)
        self.first: float | None = None  # when the earliest recorded request started (was meant to)
        self.last: float | None = None   # when the latest recorded request started (was meant to)

    def record(self, seconds: float) -> None:
        started = time.monotonic() - seconds
        self.first = started if self.first is None else min(self.first, started)
        self.last = started if self.last is None else max(self.last, started)
        self.histogram.record_value(max(1, int(seconds * 1_000_000)))

    def elapsed(self) -> float:
        """Seconds since the first recorded request started (start-up and spawning excluded)."""
        return max(time.monotonic() - self.first, 1e-9) if self.first is not None else 1e-9

    def count(self) -> int:
        return self.histogram.get_total_count()

    def percentile_ms(self, percentile: float) -> float | None:
        """The latency at ``percentile`` so far, in milliseconds; None before the first sample."""
        return self.histogram.get_value_at_percentile(percentile) / 1000 if self.count() else None

    def summary(self) -> dict:
        count = self.histogram.get_total_count()
        result = {"count": count}
        for percentile in PERCENTILES:
            result[f"p{percentile:g}_ms"] = self.histogram.get_value_at_percentile(percentile) / 1000 if count else None
        result["max_ms"] = self.histogram.get_max_value() / 1000 if count else None
        result["mean_ms"] = self.histogram.get_mean_value() / 1000 if count else None
        # First to last (intended) send: the open model sends rate * span + 1 requests, less those in flight.
        result["send_span_s"] = self.last - self.first if count and self.first is not None else None
        return result

    def encoded(self) -> str:
        """The histogram in HdrHistogram's portable encoding, to merge across processes."""
        return self.histogram.encode().decode("ascii")

    def reset(self) -> None:
        """Empty, as new (an interval's recorder, reused)."""
        self.histogram.reset()
        self.first = self.last = None

    @classmethod
    def combined(cls, recorders: list["LatencyRecorder"]) -> "LatencyRecorder":
        """One recorder holding every sample of ``recorders`` (one process's stages), first and last included."""
        recorder = cls()
        for other in recorders:
            if other.count():
                recorder.histogram.add(other.histogram)
        starts = [other.first for other in recorders if other.first is not None]
        ends = [other.last for other in recorders if other.last is not None]
        recorder.first, recorder.last = (min(starts), max(ends)) if starts else (None, None)
        return recorder

    @classmethod
    def merged(cls, encoded: list[str]) -> "LatencyRecorder":
        """One recorder holding every sample of several processes' histograms (exact, no averaging)."""
        recorder = cls()
        for text in encoded:
            recorder.histogram.decode_and_add(text.encode("ascii"))
        return recorder


class OpenSchedule:
    """Constant arrival rate across all users: user i sends at start + (i + k * users) / rate.

    The start is a moment after the first user of the process asks for its slots. Each user
    keeps its own slots; a request whose slot has passed goes out at once and is measured
    from its slot, so the time it spent waiting behind a slow predecessor counts.
    """

    def __init__(self, rate: float, users: int, start: float | None = None):
        self.users = users
        self.period = users / rate
        self.rate = rate
        self.start = start

    def slots(self, user_index: int) -> Iterator[float]:
        if self.start is None:
            self.start = time.monotonic() + 1.0
        # A user beyond the stage's count (a later stage with fewer) shares a slot row with another.
        return itertools.count(self.start + (user_index % self.users) / self.rate, self.period)

    @classmethod
    def from_environment(cls) -> "OpenSchedule | None":
        """The open model when VICICERT_ARRIVAL_RATE is set (VICICERT_USERS users), else None."""
        rate = os.environ.get("VICICERT_ARRIVAL_RATE")
        return cls(float(rate), int(os.environ.get("VICICERT_USERS", "1"))) if rate else None


def send_time(slots: Iterator[float] | None) -> float:
    """When a request is meant to go out: now in the closed model (no slots); in the open model
    the user's next slot, slept until (gevent runs the other users meanwhile)."""
    if slots is None:
        return time.monotonic()
    intended = next(slots)
    if intended > time.monotonic():
        gevent.sleep(intended - time.monotonic())
    return intended
