"""Processes found through /proc (Linux): those whose environment carries a test's mark."""

from __future__ import annotations

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
