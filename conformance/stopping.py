"""How vicicert stops on SIGTERM, SIGINT and SIGHUP: the same way for each, in the foreground or not.

CI cancellation, ``timeout`` and ``docker stop`` send SIGTERM; a closed terminal sends SIGHUP; a
command started in the background with ``&`` from a script has SIGINT ignored (the shell does
that), so Python's own Ctrl-C handling would never see it. ``install()`` puts vicicert's handler
on all three, whatever they were. The first signal stops the run: where a command has a safe
place to stop (between two cases, or Locust told to quit and write its summary), ``softly``
registers what to do and the run goes on to its cleanup, summary and reports; anywhere else
``Stopped`` (a ``KeyboardInterrupt``) is raised, so the ``finally`` blocks written for Ctrl-C
clean up. A second signal while stopping softly raises ``Stopped`` at once; one that arrives
once ``Stopped`` was raised is ignored, so the cleanup is not cut short (SIGKILL still ends
everything, and the children die with the runner). The exit code is 128 + the first signal's
number: 130 SIGINT, 143 SIGTERM, 129 SIGHUP.
"""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

_received: int | None = None      # the first signal's number
_raised = False                   # Stopped was raised: the run is cleaning up
_soft_stop: Callable[[int], None] | None = None


class Stopped(KeyboardInterrupt):
    """A signal stopped the run (a KeyboardInterrupt, so the code written for Ctrl-C cleans up)."""

    def __init__(self, number: int):
        super().__init__(f"stopped by {signal.Signals(number).name}")
        self.number = number


def install() -> dict:
    """vicicert's handler on SIGTERM, SIGINT and SIGHUP (the main thread only; elsewhere nothing);
    returns the handlers it replaced, for ``restore``."""
    global _received, _raised, _soft_stop
    if threading.current_thread() is not threading.main_thread():
        return {}
    _received, _raised, _soft_stop = None, False, None
    return {number: signal.signal(number, _handle) for number in SIGNALS}


def restore(previous: dict) -> None:
    """The handlers ``install`` replaced (vicicert's ``main`` called in-process leaves its caller's)."""
    global _received, _raised, _soft_stop
    _raised = True   # the run has ended: a signal now changes nothing
    for number, handler in previous.items():
        signal.signal(number, handler if handler is not None else signal.SIG_DFL)
    _received, _soft_stop = None, None


def received() -> int | None:
    """The number of the signal that stopped the run, if one did."""
    return _received


def exit_code(number: int | None = None) -> int:
    """128 + the signal's number (130 for a Ctrl-C that came as a KeyboardInterrupt alone)."""
    number = number if number is not None else _received
    return 128 + (number if number is not None else signal.SIGINT)


def name(number: int | None = None) -> str:
    number = number if number is not None else _received
    return signal.Signals(number if number is not None else signal.SIGINT).name


def check() -> None:
    """Raise ``Stopped`` if a signal asked the run to stop (for loops between safe points)."""
    global _raised
    if _received is not None and not _raised:
        _raised = True
        raise Stopped(_received)


def on_signal(stop: Callable[[int], None] | None) -> Callable[[int], None] | None:
    """From now on a signal calls ``stop(number)`` instead of raising (None: raises again); returns the
    previous one. The run then stops at its next safe place (``check()``, or its own test of ``received()``)."""
    global _soft_stop
    previous, _soft_stop = _soft_stop, stop
    return previous


def flag_only(_number: int) -> None:
    """A ``stop`` that only notes the signal: the run's loops ask ``received()`` or call ``check()``."""


@contextmanager
def softly(stop: Callable[[int], None] = flag_only) -> Iterator[None]:
    """Inside the block, a signal calls ``stop(number)`` instead of raising."""
    previous = on_signal(stop)
    try:
        yield
    finally:
        on_signal(previous)


def _handle(number: int, _frame) -> None:
    global _received, _raised
    if _raised:
        return   # already stopping: let the cleanup finish
    if _received is None:
        _received = number
        print(f"vicicert: {signal.Signals(number).name} received: stopping, after the cleanup "
              "(SIGKILL stops at once)", file=sys.stderr, flush=True)
        if _soft_stop is not None:
            _soft_stop(number)
            return
    _raised = True
    raise Stopped(_received)
