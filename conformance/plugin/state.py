"""What one pytest session of vicicert keeps: stash keys, and the harness started on first use."""

from __future__ import annotations

import pytest

from ..errors import VicicertError
from ..expectations import Expectations
from ..execution import CaseResult
from ..harness import Harness
from ..spec import RoleVocabulary, bundled_roles
from ..world import world_to_write
from .options import settings_from

HARNESS = pytest.StashKey[Harness]()
RESULT = pytest.StashKey[CaseResult]()
RECORD = pytest.StashKey[dict]()
RECORDS = pytest.StashKey[list]()                    # every case's record, on the process that reports
COLLECTED = pytest.StashKey[list]()                  # what -k sees of every collected case, before -k
SKIP_VERDICT = pytest.StashKey[str]()                # why the run does not pass for what it skipped
EXPECTATIONS = pytest.StashKey[Expectations | None]()
UPDATED = pytest.StashKey[Expectations | None]()      # the file --update-expectations rewrites, as it was
FACTS = pytest.StashKey[list]()                      # builds and lockout probe, from each process with a harness
STARTED = pytest.StashKey[str]()
SOFT_STOP = pytest.StashKey[object]()                 # what a signal did before the session asked to stop softly
CERTIFICATE = pytest.StashKey[list]()                # the summary's lines about the archive
ROLES = pytest.StashKey[RoleVocabulary]()            # the roles the run's specs may name


def harness_for(config: pytest.Config, apis: frozenset[str] | None = None,
                roles: frozenset[str] | None = None) -> Harness:
    """The session's harness, started on first use (so runs without spec items start nothing)."""
    if HARNESS not in config.stash:
        try:
            config.stash[HARNESS] = Harness.start(settings_from(config), apis, roles)
        except VicicertError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[HARNESS]


def roles_for(config: pytest.Config) -> RoleVocabulary:
    """The roles the run's specs may name: the bundled world's, and where the harness writes the world
    (embedded host, SQL fixture mode) those of a world file of one's own too (--vicidial-world)."""
    if ROLES not in config.stash:
        settings = settings_from(config)
        own = settings.world if settings.world_written else None
        config.stash[ROLES] = bundled_roles() if own is None else RoleVocabulary(world_to_write(own))
    return config.stash[ROLES]


def distributed(config: pytest.Config) -> bool:
    """True on the pytest-xdist controller of a run with workers."""
    return getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput")

def on_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")
