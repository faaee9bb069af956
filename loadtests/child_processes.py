"""The processes a load run starts (the reference host, Locust), made so that none outlives the run.

Each child is started in a process group of its own and, on Linux, with ``PR_SET_PDEATHSIG``
(set through ``prctl`` between fork and exec): the kernel sends it SIGKILL the moment the
runner dies, whatever killed the runner, SIGKILL included. Nothing of the runner has to run
for that, unlike a ``finally``, an ``atexit`` hook or a signal handler, which SIGKILL skips. A
watchdog pipe would survive SIGKILL too, but only a child that reads it exits, and Locust
(gevent) and the host are not written to; the death signal needs no cooperation. Two
limits: the signal follows the *thread* that started the child (the runner starts its
children from its main thread), and a grandchild is not covered (no child here forks).

Their own group keeps a terminal's Ctrl-C for the runner alone, which then stops its children
in order (Locust before the host it loads), and lets ``stop`` kill a child's whole group.
Their stdin is /dev/null: a process outside the terminal's foreground group that reads it
would be stopped (SIGTTIN), and Locust reads keys from a terminal.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# Loaded here, before any fork: the child, between fork and exec, only calls it.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def start_child(command: list[str], **popen_options) -> subprocess.Popen:
    """``command`` as a child that dies with this process (Linux) and has a process group of its own."""
    parent = os.getpid()

    def die_with_parent() -> None:  # runs in the child, between fork and exec
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # started from a backgrounded runner it was ignored: ask_to_quit needs it
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the runner died before the death signal was set
            os._exit(1)

    return subprocess.Popen(command, stdin=subprocess.DEVNULL, process_group=0, preexec_fn=die_with_parent,
                            **popen_options)


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM to the child's group, SIGKILL after ``grace`` seconds; waits until it has gone."""
    if process.poll() is not None:
        return  # reaped: its pid, and so its group's number, may already be another's
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        kill(process)


def ask_to_quit(process: subprocess.Popen) -> None:
    """SIGINT to the child's group, without waiting: Locust quits as on Ctrl-C, its quitting event
    writing the summary. (Not SIGTERM: Locust's gevent handler for it misses a signal the kernel
    hands to one of its other threads, and the process dies without a summary.)"""
    if process.poll() is None:
        _signal_group(process, signal.SIGINT)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the child's group at once; waits until it has gone."""
    if process.poll() is None:
        _signal_group(process, signal.SIGKILL)
    process.wait()


def how_it_ended(code: int) -> str:
    """An exit status in words: ``exit 1``, ``killed by SIGKILL``."""
    if code >= 0:
        return f"exit {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)  # its group has its pid (process_group=0)
    except (ProcessLookupError, PermissionError):
        pass  # gone already (a zombie's group may be empty)
