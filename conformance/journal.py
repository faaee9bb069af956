"""The SQL fixture journal: every change to a target's database, written before it is made.

One JSON object per line, flushed and synced at once, so that after a crash or a kill
``vicicert cleanup`` knows exactly what to undo. It names the database with its password
masked and never holds a credential.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import UsageError


class Journal:
    """A synced log of intended changes: one run's, from its ``begin`` to its ``end``.

    ``fresh`` starts the file anew (a new run); otherwise entries are appended (the
    ``end`` that ``vicicert cleanup`` writes after undoing a crashed run)."""

    def __init__(self, path: Path, fresh: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not fresh and self.path.exists():   # a line torn by a kill or a full disk: cut, not appended to
            data = self.path.read_bytes()
            whole = data.rfind(b"\n") + 1
            if whole < len(data):
                with self.path.open("r+b") as handle:
                    handle.truncate(whole)
        self._handle = self.path.open("w" if fresh else "a", encoding="utf-8")

    def write(self, op: str, sync: bool = True, **fields: Any) -> None:
        """Append an entry; ``sync`` False leaves it to the next synced one (a record of what
        was written, which cleanup does not need: it removes by namespace)."""
        self._handle.write(json.dumps({"op": op, **fields}, default=str, sort_keys=True) + "\n")
        self._handle.flush()
        if sync:
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()


def unfinished(path: Path) -> bool:
    """Whether the journal at ``path`` holds a run that began and never ended (a crash or a kill)."""
    if not Path(path).exists():
        return False
    ops = [entry["op"] for entry in read_journal(path)]
    return "begin" in ops and "end" not in ops[len(ops) - ops[::-1].index("begin"):]


def read_journal(path: Path) -> list[dict[str, Any]]:
    """The journal's entries; a torn last line (a kill mid-write) is ignored. A file that is not
    a journal (its first line is not a run's begin) is a usage error, so nothing is written to it."""
    fix = "pass the vicicert-journal.jsonl that the run wrote (by default in its report folder)"
    if not Path(path).is_file():
        raise UsageError(f"journal {path} does not exist: {fix}")
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"journal {path} cannot be read ({error}): {fix}") from None
    entries = []
    for number, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines) and entries:
                break  # torn by a kill mid-write
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("op"), str) or (
                number == 1 and entry["op"] != "begin"):
            raise UsageError(f"{path}:{number} is not a vicicert journal entry: {fix}")
        entries.append(entry)
    return entries
