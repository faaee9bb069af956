"""The run's shared state: target, world, fixture mode, contract, redactor and results.

Independent of pytest; the plugin builds one per session from its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .client import Target
from .errors import UsageError
from .execution import CaseResult, WorldKeeper
from .redaction import Redactor
from .spec import CONTRACTS
from .world import World, load_world


@dataclass
class Settings:
    """The options of a run, whatever way they were given."""

    target: str | None = None
    user: str | None = None
    password: str | None = None
    world: Path | None = None
    contract: str = "reference"
    report_dir: Path | None = None
    timeout: float = 10.0
    db: str | None = None


@dataclass
class Harness:
    """What every case of one run shares."""

    settings: Settings
    target: Target
    world: World
    redact: Redactor
    mode: str                                 # "embedded" or "declared"
    keeper: WorldKeeper | None = None
    results: list[CaseResult] = field(default_factory=list)
    _host: object | None = None

    @classmethod
    def start(cls, settings: Settings) -> "Harness":
        if settings.contract not in CONTRACTS:
            raise UsageError(f"contract {settings.contract!r} is unknown; use one of: {', '.join(CONTRACTS)}")
        redact = Redactor({settings.password} if settings.password else set())
        if settings.target is None:
            from .bundle import EMBEDDED_WORLD
            from .host.server import EmbeddedHost
            world = load_world(settings.world or EMBEDDED_WORLD).with_credentials(settings.user, settings.password)
            for secret in world.secrets:
                redact.add(secret)
            host = EmbeddedHost(settings.db)
            host.start()
            return cls(settings, Target(host.base_url, settings.timeout), world, redact, "embedded",
                       keeper=host, _host=host)
        if settings.world is None:
            world = World(path=None, api_users={"api_admin": {"user": settings.user or "", "pass": settings.password or ""}})
            if settings.user is None:
                raise UsageError("a target needs a declared world (--vicidial-world FILE) or at least "
                                 "--vicidial-user and --vicidial-pass")
        else:
            world = load_world(settings.world).with_credentials(settings.user, settings.password)
        for secret in world.secrets:
            redact.add(secret)
        return cls(settings, Target(settings.target, settings.timeout), world, redact, "declared")

    def stop(self) -> None:
        if self._host is not None:
            self._host.stop()
            self._host = None
