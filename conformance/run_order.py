"""The order of a declared run that may change the host (``--allow-writes``).

A declared host cannot be put back between cases, and VICIdial's signals cannot be taken back
through its API: no request returns ``external_recording`` or ``external_pause_code`` to empty
(the agent's screen clears them when it acts). So every case that only reads the host runs
first, in whatever order it came (pytest's, ``-k``'s or a shuffle's: none of them changes what
another sees), and the cases that change it run after them, one spec file after another in
path order and each file's cases in the order they are written: the order their expected
answers are written for, which tests/test_declared_safety.py pins against the reference host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")


def writes_last(items: Sequence[Item], place: Callable[[Item], tuple[Path, int] | None]) -> list[Item]:
    """``items`` with those that change the host moved after all others, in (spec file, position) order.

    ``place`` gives a writing item's spec file and its position among that file's cases, and None
    for an item that changes nothing; the others keep their relative order."""
    reads = [item for item in items if place(item) is None]
    writes = sorted((item for item in items if place(item) is not None),
                    key=lambda item: (str(place(item)[0]), place(item)[1]))
    return reads + writes
