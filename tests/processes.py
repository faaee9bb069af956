"""Processes found through /proc (Linux): those whose environment carries a test's mark."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PROCESS_MARK = "VICICERT_TEST_PROCESS_MARK"   # an environment variable every child of a test inherits
RUN_MARK = "VICICERT_TEST_RUN_MARK"           # and one every child of the whole run inherits


def marked_processes(variable: str, mark: str) -> dict[int, str]:
    """Living processes whose environment holds ``variable=mark``: pid -> command line."""
    needle = f"{variable}={mark}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:   # gone, or not ours
            continue
        if state != "Z":
            found[int(entry.name)] = command.strip()
    return found


def survivors(variable: str, mark: str, seconds: float = 30.0) -> dict[int, str]:
    """The processes (this one aside) still marked ``variable=mark`` after ``seconds`` to exit;
    they are then killed, by pid."""
    deadline = time.monotonic() + seconds
    while (left := {pid: command for pid, command in marked_processes(variable, mark).items()
                    if pid != os.getpid()}) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left
