"""Live progress of long work: a redrawn rich bar on a terminal, a plain line now and then elsewhere.

Seeding and removal show rows and rows per second (``RowProgress``); load runs show
requests, failures and p95 so far (``ProgressLine``). When the output is not a terminal (a CI
log, a file, a pipe) nothing is redrawn: no carriage return, no ANSI code, only a plain line
at most every ``VICICERT_PROGRESS_EVERY`` seconds (10 by default) and one when the work ends.
Progress goes to stderr, so stdout keeps only results.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable

from conformance.errors import UsageError

PLAIN_EVERY = 10.0   # seconds between plain lines
LIVE_EVERY = 0.1     # seconds between redraws on a terminal


def plain_interval() -> float:
    """Seconds between plain lines: VICICERT_PROGRESS_EVERY, or 10."""
    text = os.environ.get("VICICERT_PROGRESS_EVERY", "")
    if not text:
        return PLAIN_EVERY
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise UsageError(f"VICICERT_PROGRESS_EVERY={text!r} is not a number of seconds: "
                         "give one such as 10 (0 prints every update), or unset it")
    return seconds


def is_terminal(stream) -> bool:
    """Whether ``stream`` is an interactive terminal that can be redrawn."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class _Progress:
    """One line of progress: a rich bar when the console is a terminal, else plain rate-limited lines.

    ``console`` (a rich Console) decides by its own ``is_terminal``; without one, ``stream``
    (stderr by default) decides by ``isatty()``. ``clock`` is injectable for tests.
    """

    def __init__(self, description: str, total: float | None, stream=None, console=None,
                 clock: Callable[[], float] = time.monotonic, every: float | None = None):
        self.description = description
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.every = plain_interval() if every is None else every
        self.last_line = self.started   # the first plain line comes one interval in
        self.last_draw = -math.inf
        self.pending: str | None = None  # text not yet printed as a plain line
        self.printed: str | None = None  # the last plain line's text
        self.bar = None
        if console.is_terminal if console is not None else is_terminal(self.stream):
            self._start_bar(total, console)

    def _start_bar(self, total: float | None, console) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[text]}"),
                            TimeElapsedColumn(), console=console or Console(file=self.stream),
                            auto_refresh=False, get_time=self.clock)
        self.task = self.bar.add_task(self.description, total=total, text="")
        self.bar.start()

    def _show(self, completed: float, text: str) -> None:
        now = self.clock()
        if self.bar is not None:
            self.bar.update(self.task, completed=completed, text=text)
            if now - self.last_draw >= LIVE_EVERY:
                self.bar.refresh()
                self.last_draw = now
            return
        self.pending = text
        if now - self.last_line >= self.every:
            self._print_pending()
            self.last_line = now

    def note(self, text: str) -> None:
        """A line printed at once, after the figures so far (above the bar on a terminal)."""
        if self.bar is not None:
            self.bar.console.print(f"{self.description}: {text}", markup=False, highlight=False)
            return
        self._print_pending()
        self.stream.write(f"{self.description}: {text}\n")
        self.stream.flush()

    def _print_pending(self) -> None:
        if self.pending is not None and self.pending != self.printed:
            self.stream.write(f"{self.description}: {self.pending}\n")
            self.stream.flush()
            self.printed = self.pending
        self.pending = None

    def elapsed(self) -> float:
        return max(self.clock() - self.started, 1e-9)

    def close(self) -> None:
        """The last update is always shown (as it stood when it was made); the bar stays on screen."""
        if self.bar is not None:
            self.bar.refresh()
            self.bar.stop()
            self.bar = None
        else:
            self._print_pending()

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class RowProgress(_Progress):
    """Rows written or removed so far, of ``total``, and rows per second (``unit``: what is counted,
    such as the primary keys a removal has gone through)."""

    def __init__(self, action: str, total: int, unit: str = "rows", **options):
        super().__init__(action, total, **options)
        self.total = total
        self.unit = unit
        self.done = 0

    def advance(self, rows: int) -> None:
        self.update(self.done + rows)

    def update(self, done: int) -> None:
        self.done = done
        self._show(done, self._text())

    def _text(self) -> str:
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        return f"{self.done:,}/{self.total:,} {self.unit}{share}, {self.done / self.elapsed():,.0f} {self.unit}/s"


class ProgressLine(_Progress):
    """A load run so far: seconds of ``seconds``, requests, failures, p95."""

    def __init__(self, label: str, seconds: float, **options):
        super().__init__(label, seconds, **options)
        self.seconds = seconds
        self.figures: dict | None = None

    def update(self, figures: dict | None = None) -> None:
        """New figures (``requests``, ``failures``, ``p95_ms`` and the run's own ``seconds`` so far),
        or None to move the bar's clock only."""
        if figures is not None:
            self.figures = figures
        if self.figures is not None:
            self._show(min(self._run_seconds(), self.seconds), self._text())
        elif self.bar is not None:  # Locust is starting: the clock moves before the first figures come
            self._show(0, "starting")

    def _run_seconds(self) -> float:
        """Seconds the run has gone, by the load generator's clock when it says."""
        return (self.figures or {}).get("seconds", self.elapsed())

    def _text(self) -> str:
        figures = self.figures or {}
        p95 = figures.get("p95_ms")
        return (f"{self._run_seconds():.0f}/{self.seconds:g} s, {figures.get('requests', 0):,} requests, "
                f"{figures.get('failures', 0):,} failed, p95 " + (f"{p95:.2f} ms" if p95 is not None else "-"))
