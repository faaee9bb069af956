"""The run's shared state: target, world, fixture mode, contract, redactor and results.

Independent of pytest; the plugin builds one per session from its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .client import Target
from .effects import CHECKS
from .errors import UsageError
from .execution import CaseResult, WorldKeeper
from .preflight import ENDPOINTS, Preflight, preflight
from .redaction import Redactor, mask_url
from .refused_logins import RefusedLogins
from .spec import CONTRACTS
from .world import World, check_role_names, load_world, renamed, world_to_write


def _password_of(url: str) -> str | None:
    from urllib.parse import unquote, urlsplit
    password = urlsplit(url).password
    return unquote(password) if password else None


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
    world_db: str | None = None
    namespace: str = "vcrt"   # prefix of every user the harness creates (SQL fixture mode)
    journal: Path | None = None
    global_changes: bool = True
    failed_logins: bool = False  # declared mode: send failed logins for the declared accounts too
    writes: bool = False         # declared mode: send the cases that change the host's state too
    disturbing: bool = False     # a target: send the cases that change the whole host too (spec disturbs:)
    retry_refused_login: bool = False  # declared mode: log in even within 15 minutes of a refused login
    checks: frozenset[str] = frozenset(CHECKS)   # what each answer is judged on (body, headers, effects)
    wait: float = 0.0            # seconds a target still starting gets to answer preflight's first question

    @property
    def world_written(self) -> bool:
        """The harness writes the world (the embedded host, SQL fixture mode) rather than reading a
        declared one: a world file of one's own then goes on top of the bundled world."""
        return self.target is None or bool(self.world_db)


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
    problems: list[str] = field(default_factory=list)   # the database was not left as found
    counters: list[str] = field(default_factory=list)   # counters that advanced (no ALTER to put back)
    cleanup_failed: bool = False                        # the database or journal failed during cleanup
    journal_note: str = ""                              # the journal could not record the run's end: what to do
    stopped_mid_run: bool = False                       # ... or during a case, which stopped the run
    preflight: Preflight | None = None                  # what the target said about itself
    _host: object | None = None

    @classmethod
    def check(cls, settings: Settings) -> World:
        """The options' mistakes as a UsageError, before anything starts; returns the world they name."""
        from .bundle import EMBEDDED_WORLD
        if settings.contract not in CONTRACTS:
            raise UsageError(f"contract {settings.contract!r} is unknown; use one of: {', '.join(CONTRACTS)}")
        if settings.world_db and settings.target is None:
            raise UsageError("SQL fixture mode (--vicidial-world-db) needs the target too: --vicidial-target URL")
        if settings.world_written:   # one's own world file goes on top of the bundled world
            world = world_to_write(settings.world).with_credentials(settings.user, settings.password)
        elif settings.world is not None:
            world = load_world(settings.world).with_credentials(settings.user, settings.password)
            check_role_names(world, load_world(EMBEDDED_WORLD))
        elif settings.user is not None:
            world = World(path=None, api_users={"api_admin": {"user": settings.user, "pass": settings.password or ""}})
        else:
            raise UsageError("a target needs a declared world (--vicidial-world FILE), its database "
                             "(--vicidial-world-db URL), or at least --vicidial-user and --vicidial-pass")
        if settings.world_written:  # the harness writes these worlds: its namespace
            world = renamed(world, settings.namespace)
        if settings.world_db:   # every row recognisably the harness's, before any connection
            from .sql_fixture import check_ownership
            check_ownership(world, settings.namespace)
        if settings.target is not None:
            Target(settings.target, settings.timeout)   # a bad URL is named here
        return world

    @classmethod
    def start(cls, settings: Settings, apis: frozenset[str] | None = None,
              roles: frozenset[str] | None = None) -> "Harness":
        """Embedded (no target), SQL fixture (target and its database) or declared (target only);
        a target is asked first whether it is VICIdial (``apis``: the APIs the run's cases use), and in
        declared mode whether it holds the world's roles the cases name (``roles``; None: all)."""
        world = cls.check(settings)
        redact = Redactor({settings.password} if settings.password else set())
        for secret in world.secrets:
            redact.add(secret)
        if settings.target is None:
            from .host.server import EmbeddedHost
            host = EmbeddedHost(settings.db).start()
            return cls(settings, Target(host.base_url, settings.timeout), world, redact, "embedded",
                       keeper=host, _host=host)
        target = Target(settings.target, settings.timeout)
        apis = apis if apis is not None else frozenset(ENDPOINTS)
        if settings.world_db:
            from .sql_fixture import SqlFixture
            redact.add(_password_of(settings.world_db))
            journal = settings.journal or (settings.report_dir or Path(".")) / "vicicert-journal.jsonl"
            fixture = SqlFixture(settings.world_db, journal, settings.global_changes, settings.namespace,
                                 disturbing=settings.disturbing)
            found = preflight(target, None, apis, wait=settings.wait)  # the harness makes the users: no login yet
            fixture.begin(world)
            return cls(settings, target, world, redact, "sql", keeper=fixture, preflight=found)
        from .bundle import EMBEDDED_WORLD
        found = preflight(target, world, apis, roles, meaning=load_world(EMBEDDED_WORLD), wait=settings.wait,
                          refusals=RefusedLogins(retry=settings.retry_refused_login))
        return cls(settings, target, world, redact, "declared", preflight=found)

    def database_outcome(self) -> dict | None:
        """In SQL fixture mode, what the reports say of the database after the run: left as found or
        not (each problem, a failed cleanup with the command that finishes it), and the counters that
        advanced and could not be put back; None in the other modes."""
        if self.mode != "sql":
            return None
        return {"left_as_found": not self.problems, "cleanup_failed": self.cleanup_failed,
                "problems": list(self.problems), "counters_advanced": list(self.counters),
                "journal_not_ended": self.journal_note}

    def stop(self) -> None:
        if self._host is not None:
            self._host.stop()
            self._host = None
        finish = getattr(self.keeper, "finish", None)
        if finish is not None:
            try:
                self.problems = [self.redact(problem) for problem in finish()]
                self.counters = list(self.keeper.counters)
                self.journal_note = self.redact(getattr(self.keeper, "journal_note", ""))
            except Exception as error:  # noqa: BLE001 - any failure here must still end in reports and a fix
                self.cleanup_failed = True
                abandon = getattr(self.keeper, "abandon", None)
                if abandon is not None:
                    abandon()  # its run lock goes with its connection, so the cleanup named below can run now
                self.problems = [self.redact(f"cleanup failed ({type(error).__name__}: {error}); finish it with: "
                                             f"vicicert cleanup --journal {self.keeper.journal_path} "
                                             f"--world-db {mask_url(self.settings.world_db or '')}")]
            self.keeper = None
