"""A load run's state in a target's own database: written through the SQL fixture (journalled,
harness namespace only), removed at the end, also after Ctrl-C, and the database's checksums
compared with those from before the run, as ``vicicert check --world-db`` does. A killed run is
undone by ``vicicert cleanup --journal``.

``TargetAgents`` (recording): the load world's agents, logged in on the host's own active
server. ``TargetSeed`` (stats): the API user and the seeded agent log, kept for a series of
runs with ``--keep-seed``. Every account written carries a random password that is printed
and stored nowhere (the profiles get the API user's through the environment); the agents are
inactive accounts as well, so none of them can log in.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import replace
from pathlib import Path

from conformance.agent_log_generator import AgentLogPlan
from conformance.bundle import EMBEDDED_WORLD
from conformance.client import Target
from conformance.errors import UsageError
from conformance.preflight import preflight
from conformance.redaction import mask_url
from conformance.sql_fixture import SqlFixture, prefix_match
from conformance.world import DEFAULT_NAMESPACE, World, load_world

from .agents import signals_world, write_world

ADMIN_PASS_VARIABLE = "VICICERT_LOAD_ADMIN_PASS"   # how the profiles get the API user's password
SEED_PREFIX = DEFAULT_NAMESPACE + "sd"             # seeded agents vcrtsd3001...: inside the namespace
SEED_START = "2001-01-01 00:00:00"                 # a Monday before any real host's agent log


def random_password() -> str:
    """Letters and digits only, so no API's input filter changes it."""
    return "vc" + secrets.token_hex(12)


def admin_world(password: str) -> World:
    """Only the embedded world's API user, with ``password``."""
    base = load_world(EMBEDDED_WORLD)
    admin = {**base.api_users["api_admin"], "pass": password}
    return replace(base, api_users={"api_admin": admin}, agents={}, rows={"servers": base.section("servers")})


def active_server_ip(fixture: SqlFixture) -> str:
    """The server the host's own agents log in on (the first active one in ``servers``)."""
    found = fixture.db.value("SELECT server_ip FROM servers WHERE active = 'Y' ORDER BY server_id LIMIT 1")
    if not found:
        raise UsageError(f"{mask_url(fixture.url)} has no active server (servers.active = 'Y'): the load agents' "
                         "sessions must be on one of the host's servers; give the database of a configured host")
    return str(found)


def target_signals_world(agents: int, server_ip: str, password: str) -> World:
    """The load world for a real host: sessions on ``server_ip``, the API user with ``password``,
    the agents inactive with random passwords (the recording function never logs them in)."""
    world = signals_world(agents)
    admin = {**world.api_users["api_admin"], "pass": password}
    load_agents = {role: {**row, "server_ip": server_ip, "pass": random_password(), "active": "N"}
                   for role, row in world.agents.items()}
    return replace(world, api_users={"api_admin": admin}, agents=load_agents)


def profile_world(world: World, path: Path) -> Path:
    """The world file the profile reads: the API user's password by environment
    (``ADMIN_PASS_VARIABLE``), the agents' left out; the profile needs neither on disk."""
    admin = {key: value for key, value in world.api_users["api_admin"].items() if key != "pass"}
    agents = {role: {key: value for key, value in row.items() if key != "pass"} for role, row in world.agents.items()}
    return write_world(replace(world, api_users={"api_admin": {**admin, "pass_env": ADMIN_PASS_VARIABLE}},
                               agents=agents), path)


class _TargetState:
    """What both profiles share: preflight, the fixture, and the report of the cleanup."""

    apis: tuple[str, ...] = ()

    def __init__(self, target: str, world_db: str, journal: Path):
        self.target = Target(target, timeout=30.0)
        self.base_url = self.target.base_url
        self.world_db = world_db
        self.journal = journal
        self.password = random_password()
        self.environment = {ADMIN_PASS_VARIABLE: self.password}
        self.problems: list[str] = []
        self.fixture: SqlFixture | None = None
        self._started = False     # True once this run owns harness rows: only then does it remove any

    def _open(self) -> SqlFixture:
        preflight(self.target, None, self.apis)   # the host answers like VICIdial before anything is written
        self.fixture = SqlFixture(self.world_db, self.journal, per_case=False)   # one reset: no snapshot
        return self.fixture

    def _log_in(self, world: World) -> None:
        preflight(self.target, world, self.apis)

    def _finish(self) -> None:
        """Remove the harness rows and compare checksums; prints what it found."""
        assert self.fixture is not None
        self.problems = self.fixture.finish()
        for problem in self.problems:
            print(f"vicicert load: {problem}", file=sys.stderr)
        for counter in self.fixture.counters:
            print(f"vicicert load: {counter}")
        if not self.problems:
            print(f"vicicert load: harness rows removed from {mask_url(self.world_db)}; checksums equal to before "
                  "the run")

    def describe(self) -> str:
        return f"{mask_url(self.world_db)} (target {self.base_url})"


class TargetAgents(_TargetState):
    """``with TargetAgents(...) as state``: the load world's agents in the target's database."""

    apis = ("agent_api",)

    def __init__(self, target: str, world_db: str, agents: int, folder: Path, journal: Path):
        super().__init__(target, world_db, journal)
        self.agents = agents
        self.world_file = folder / "world.yaml"
        self.database = None

    def __enter__(self) -> "TargetAgents":
        fixture = self._open()
        world = target_signals_world(self.agents, active_server_ip(fixture), self.password)
        fixture.begin(world)
        self._started = True
        try:
            fixture.reset(world, {})
            self._log_in(world)
            profile_world(world, self.world_file)
        except BaseException:
            self._finish()
            raise
        self.database = fixture.db
        return self

    def __exit__(self, *_exc) -> None:
        self.world_file.unlink(missing_ok=True)
        if self._started:
            self._finish()


class TargetSeed(_TargetState):
    """``with TargetSeed(...) as state``: the API user and ``rows`` seeded agent-log rows in the
    target's database; ``keep`` leaves them (journal unfinished) for the next run with the same
    rows and seed, which resumes instead of seeding again."""

    apis = ("non_agent_api",)

    def __init__(self, target: str, world_db: str, rows: int, seed: int, journal: Path, keep: bool):
        super().__init__(target, world_db, journal)
        self.plan = AgentLogPlan(rows=rows, seed=seed, start=SEED_START, user_prefix=SEED_PREFIX)
        self.note = {"profile": "load stats", "rows": rows, "seed": seed}
        self.keep = keep
        self.admin = {key: value for key, value in admin_world("").api_users["api_admin"].items() if key != "pass"}

    def __enter__(self) -> "TargetSeed":
        from .seeder import seed

        fixture = self._open()
        world = admin_world(self.password)
        self._refuse_foreign_rows_in_window(fixture)
        resumed = fixture.resume(self.note)
        if not resumed:
            fixture.begin(world)
        self._started = True
        try:
            if resumed:
                self._take_up_kept_rows(fixture)
            else:
                fixture.reset(world, {})
                fixture.journal.write("seed", rows=self.plan.rows, user_prefix=SEED_PREFIX)
                result = seed(fixture.db, self.plan, rebuild_indexes=False)  # no ALTER; live rows stay indexed
                print(f"vicicert load: seeded {result['rows']:,} agent-log rows in {result['seconds']:.1f} s "
                      f"({result['rows_per_second']:,.0f} rows/s, {result['path']}) into {mask_url(self.world_db)}")
            self._log_in(world)
        except BaseException:
            self.keep = False  # rows half seeded, or a host that refused: never kept
            self._end()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        if self._started:
            self._end()

    def _end(self) -> None:
        from .seeder import remove

        assert self.fixture is not None
        if self.keep:
            self.fixture.keep(self.note)
            print(f"vicicert load: kept the {self.plan.rows:,} seeded rows for the next run (--keep-seed); a run "
                  f"without --keep-seed, or vicicert cleanup --journal {self.journal} --world-db URL, removes them")
            return
        remove(self.fixture.db, user_prefix=SEED_PREFIX)  # by primary-key ranges; the fixture then finds none
        self._finish()

    def _take_up_kept_rows(self, fixture: SqlFixture) -> None:
        """The kept rows are all there and the API user gets this run's password."""
        found = fixture.db.value(f"SELECT COUNT(*) FROM vicidial_agent_log WHERE {prefix_match('user', SEED_PREFIX)}")
        admin = fixture.db.write("UPDATE vicidial_users SET pass = ? WHERE user = ?", self.password,
                                 self.admin["user"])
        if found != self.plan.rows or not admin:
            raise UsageError(f"the rows kept by an earlier run changed ({found:,} of {self.plan.rows:,} agent-log "
                             f"rows, API user {'present' if admin else 'missing'}): they were removed; run again")
        print(f"vicicert load: reusing the {found:,} agent-log rows kept by an earlier run (--keep-seed)")

    def _refuse_foreign_rows_in_window(self, fixture: SqlFixture) -> None:
        """The exports cover the seeded weeks: rows of the host's own there would change every figure."""
        start, end = self.plan.window()
        found = fixture.db.value("SELECT COUNT(*) FROM vicidial_agent_log WHERE event_time BETWEEN ? AND ? AND "
                                 f"NOT COALESCE({prefix_match('user', DEFAULT_NAMESPACE)}, FALSE)", start, end)
        if found:
            raise UsageError(f"{mask_url(self.world_db)} holds {found:,} agent-log rows of its own between {start} "
                             f"and {end}, the weeks the seeded rows cover; the exports would include them, so no "
                             "answer could be checked. Nothing was written")
