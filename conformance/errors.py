"""The exceptions vicicert raises on purpose.

    VicicertError
     ├── SourceFileError      a spec, world or expectations file is malformed (path, line, fix)
     │    ├── SpecError
     │    └── WorldError
     ├── UsageError           a command line or option that cannot work
     └── LoadGeneratorFailed  a Locust process of a load run died or wrote no summary: no verdict

A target answering wrongly is never an exception: it is a Mismatch (see matcher.py).
"""

from __future__ import annotations

from pathlib import Path


class VicicertError(Exception):
    """Base of every error vicicert raises deliberately."""


class SourceFileError(VicicertError):
    """An input file is wrong; says where, what and how to fix it."""

    def __init__(self, path: Path | str, line: int | None, message: str, fix: str = ""):
        self.path = Path(path)
        self.line = line
        self.message = message
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text


class SpecError(SourceFileError):
    """A spec file breaks the spec format."""


class WorldError(SourceFileError):
    """A world file (fixture or declared) breaks the world format."""


class UsageError(VicicertError):
    """A command or option combination that cannot work."""


class FixtureFailure(VicicertError):
    """The target's database or the journal failed in the middle of a run: stop, report, clean up."""


class LoadGeneratorFailed(VicicertError):
    """The load generator (a Locust process) died or wrote no summary, so the run has no verdict."""
