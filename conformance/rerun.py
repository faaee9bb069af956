"""The two commands printed under a failed case, each selecting exactly that case again.

``vicicert check -k '<expr>'`` uses pytest's ``-k`` rule (a word matches when it is a
case-insensitive substring of a name in the item's chain: its folder, file and case names,
and its markers), so the expression names the function and the case and, where other
collected cases would match those words too, excludes them by a word of their own.
``pytest <path>::<case>`` is pytest's node id with a path that works from where the run started.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from .bundle import SPECS_DIR
from .check_options import BY_NAME


@dataclass(frozen=True)
class Collected:
    """What ``-k`` sees of one collected case."""

    nodeid: str
    path: Path
    function: str      # the spec file's stem
    case: str          # the item's name
    names: frozenset[str]


def keyword_expression(target: Collected, collected: list[Collected]) -> str | None:
    """A ``-k`` expression that selects ``target`` and no other collected case (None if none can)."""
    words = [target.function, target.case]
    others = [other for other in collected
              if other.nodeid != target.nodeid and all(_matches(other.names, word) for word in words)]
    exclusions = []
    for other in others:
        word = next((name for name in (other.case, other.function, *sorted(other.names))
                     if not _matches(target.names, name) and _is_word(name)), None)
        if word is None:
            return None
        exclusions.append(word)
    expression = " and ".join(words)
    if exclusions:
        expression += " and not (" + " or ".join(sorted(set(exclusions))) + ")"
    return expression


def _matches(names: frozenset[str], word: str) -> bool:
    return any(word.lower() in name.lower() for name in names)


def _is_word(name: str) -> bool:
    return bool(name) and all(char.isalnum() or char in "_-.:/+[]" for char in name) and \
        name not in ("and", "or", "not", "True", "False", "None")


def vicicert_command(options: dict[str, str | bool | None], spec_paths: list[Path], expression: str) -> str:
    """``vicicert check`` with the run's options and ``-k``; passwords stay in the environment."""
    parts = ["vicicert", "check"]
    root = _specs_argument(spec_paths)
    if root is not None:
        parts += ["--specs", _shown_path(root)]
    parts += _cli_options(options)
    parts += ["-k", expression]
    return shlex.join(parts).replace("'\"$VICIDIAL_WORLD_DB\"'", '"$VICIDIAL_WORLD_DB"')


def node_command(options: dict[str, str | bool | None], path: Path, case: str) -> str:
    """``pytest <path>::<case>`` with the run's ``--vicidial-*`` options."""
    parts = ["pytest", f"{_shown_path(path)}::{case}"]
    for name, value in options.items():
        if value in (None, False, "") or name in ("pass", "report-dir"):
            continue
        if value is True:
            parts.append(f"--vicidial-{name}")
        else:
            parts += [f"--vicidial-{name}", '"$VICIDIAL_WORLD_DB"' if name == "world-db" else str(value)]
    return shlex.join(parts).replace("'\"$VICIDIAL_WORLD_DB\"'", '"$VICIDIAL_WORLD_DB"')


# The options a rerun repeats as vicicert check's flags (check_options.py names each one's forms).
_CLI_NAMES = {name: BY_NAME[name].cli for name in (
    "target", "world", "user", "contract", "timeout", "db", "world-db", "journal", "namespace", "no-global-changes",
    "allow-failed-logins", "allow-writes", "allow-disturbing", "expectations", "checks", "exclude-checks")}


def _cli_options(options: dict[str, str | bool | None]) -> list[str]:
    parts = []
    for name, flag in _CLI_NAMES.items():
        value = options.get(name)
        if value in (None, False, ""):
            continue
        if value is True:
            parts.append(flag)
        else:
            parts += [flag, '"$VICIDIAL_WORLD_DB"' if name == "world-db" else str(value)]
    return parts


def _specs_argument(spec_paths: list[Path]) -> Path | None:
    """None when the run covered the bundled specs (check's default); else the file or folder it covered."""
    resolved = sorted({path.resolve() for path in spec_paths})
    if not resolved:
        return None
    if len(resolved) == 1:
        return resolved[0]
    bundled = SPECS_DIR.resolve()
    if all(path.is_relative_to(bundled) for path in resolved):
        return None
    return Path(os.path.commonpath(resolved))


def _shown_path(path: Path) -> str:
    """Relative to the current folder when inside it, absolute otherwise."""
    resolved = path.resolve()
    here = Path.cwd().resolve()
    return str(resolved.relative_to(here)) if resolved.is_relative_to(here) else str(resolved)
