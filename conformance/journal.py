"""The SQL fixture journal: every change to a target's database, written before it is made.

One JSON object per line, flushed and synced at once, so that after a crash or a kill
``vicicert cleanup`` knows exactly what to undo. It names the database with its password
masked and never holds a credential.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

from .errors import UsageError


class Journal:
    """An append-only, synced log of intended changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("a", encoding="utf-8")

    def write(self, op: str, **fields: Any) -> None:
        self._handle.write(json.dumps({"op": op, **fields}, default=str, sort_keys=True) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's entries; a torn last line (a kill mid-write) is ignored."""
    if not Path(path).exists():
        raise UsageError(f"journal {path} does not exist")
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            continue
