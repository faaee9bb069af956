"""Worlds: the API users, agents and their states that cases need.

The same file format serves two modes. In embedded (and later SQL) mode the harness
creates the world; in declared mode the operator lists what already exists on the
target, and cases that need anything undeclared are skipped with the reason.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .bundle import EMBEDDED_WORLD
from .errors import WorldError
from .spec_schema import WORLD_SCHEMA
from .tables.schema import TABLES
from .tables.world_tables import CUSTOM_VALUES, HARNESS, NAMESPACE, SECTIONS, WorldTable
from .validation import check_document
from .yamlfile import KIB, ContentMemo, load_yaml

# Facts about the case's agent that templates may name without the ``agent.`` prefix.
FACT_NAMES = frozenset({
    "server_ip", "conf_exten", "status", "extension", "campaign_id", "session_id",
    "recording_id", "filename", "start_time", "pause_code", "lead_id", "callerid",
    "full_name", "user_group", "user_level",
})


class MissingRole(Exception):
    """A case needs a role that the world does not have; the message is the skip reason."""


@dataclass
class World:
    """What exists on the target, by role name."""

    path: Path | None
    settings: dict[str, Any] = field(default_factory=dict)
    api_users: dict[str, dict[str, Any]] = field(default_factory=dict)
    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # by section (tables/world_tables.py)
    files: tuple[Path, ...] = ()        # the world files it was made of: the bundled one, then one's own
    # where each role and row was written: (section, role name or row index) -> (file, line)
    lines: dict[tuple[str, Any], tuple[Path, int]] = field(default_factory=dict)

    def where(self, section: str, key: Any) -> tuple[Path | str, int | None]:
        """The file and line of a role (``key``: its name) or a section's row (its index)."""
        return self.lines.get((section, key), (self.path or "world", None))

    def section(self, name: str) -> list[dict[str, Any]]:
        """The rows of one world section (servers, campaigns, recordings, agent_log, ...)."""
        return self.rows.get(name, [])

    @property
    def agent_log(self) -> list[dict[str, Any]]:
        return self.section("agent_log")

    @property
    def secrets(self) -> set[str]:
        found = {str(row["pass"]) for row in [*self.api_users.values(), *self.agents.values()] if row.get("pass")}
        return found

    def with_credentials(self, user: str | None, password: str | None) -> "World":
        """The same world with the main API user's credentials replaced (CLI options)."""
        if user is None and password is None:
            return self
        admin = dict(self.api_users.get("api_admin", {}))
        if user is not None:
            admin["user"] = user
        if password is not None:
            admin["pass"] = password
        users = {**self.api_users, "api_admin": admin}
        return replace(self, api_users=users)

    def context(self, api_role: str, agent_role: str | None, needs_agent_log: bool = False) -> dict[str, str]:
        """Template values for a case; MissingRole when the world lacks a role."""
        where = f"world {self.path}" if self.path else "the world"
        if needs_agent_log and not self.agent_log:
            raise MissingRole(f"the case needs the hand-made agent log, which {where} does not hold")
        if api_role not in self.api_users:
            raise MissingRole(f"API user role {api_role!r} is not declared in {where}")
        context = {f"api.{key}": _text(value) for key, value in self.api_users[api_role].items()}
        for name in SECTIONS:   # named rows: {leads.lead_new.lead_id}
            for row in self.section(name):
                if "role" in row:
                    context.update({f"{name}.{row['role']}.{key}": _text(value) for key, value in row.items()})
        for role, row in [*self.api_users.items(), *self.agents.items()]:
            context.update({f"role.{role}.{key}": _text(value) for key, value in row.items()})
        if agent_role is not None:
            if agent_role not in self.agents:
                raise MissingRole(f"agent role {agent_role!r} is not declared in {where}")
            agent = self.agents[agent_role]
            context.update({f"agent.{key}": _text(value) for key, value in agent.items()})
            context.update({key: _text(value) for key, value in agent.items() if key in FACT_NAMES})
            for declared in SECTIONS.values():   # facts of the rows that name this agent (its recording, ...)
                for row in self.section(declared.section) if declared.agent_column else ():
                    if row.get("agent") == agent_role:
                        context.update({key: _text(value) for key, value in row.items()
                                        if key in FACT_NAMES and key not in context})
        return context


DEFAULT_NAMESPACE = "vcrt"
# Hand-written worlds are a few KiB; a generated load world takes about 250 bytes per agent,
# so the cap holds the largest load run (loadtests.agents.MAX_LOAD_AGENTS) with room to spare.
MAX_WORLD_BYTES = 4 * KIB * KIB


def renamed(world: "World", namespace: str) -> "World":
    """The world with every harness user (``vcrt...``) moved to ``namespace`` (``qa7...``)."""
    if not re.fullmatch(r"[a-z][a-z0-9]{1,7}", namespace):
        raise WorldError(world.path or "world", None, f"namespace {namespace!r} cannot prefix VICIdial users",
                         "use 2 to 8 lowercase letters and digits, starting with a letter")
    if namespace == DEFAULT_NAMESPACE:
        return world

    def move(value: Any) -> Any:
        text = str(value)
        return namespace + text[len(DEFAULT_NAMESPACE):] if text.startswith(DEFAULT_NAMESPACE) else value

    def roles(section: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {role: {key: move(value) if key in ("user", "custom_three", "external_igb_set_user") else value
                       for key, value in row.items()}
                for role, row in section.items()}

    def owned(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        declared = SECTIONS.get(name)   # custom_values: rows of harness leads, by lead_id
        if declared is None or declared.prefix not in (NAMESPACE, HARNESS) or \
                declared.owner not in {key for row in rows for key in row}:
            return rows
        return [{**row, declared.owner: move(row[declared.owner])} if declared.owner in row else row for row in rows]

    return replace(world, api_users=roles(world.api_users), agents=roles(world.agents),
                   rows={name: owned(name, rows) for name, rows in world.rows.items()})


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def load_world(path: Path) -> World:
    """Load and check a world file; passwords may come from the environment (``pass_env``)."""
    document = _checked_document(Path(path))
    roles = {"api_users": {}, "agents": {}}
    lines: dict[tuple[str, Any], tuple[Path, int]] = {}
    for section in roles:
        for role, row in document.get(section, {}).items():
            lines[section, role] = (path, document[section].line_of(role))
            roles[section][role] = _resolve_password(dict(row), path, document[section].line_of(role))
    rows = {name: _section_rows(document, declared, path, roles["agents"])
            for name, declared in SECTIONS.items() if name in document}
    if CUSTOM_VALUES in document:   # rows of the lists' custom tables (tables/world_tables.py)
        rows[CUSTOM_VALUES] = [dict(row) for row in document[CUSTOM_VALUES]]
    lines.update({("settings", key): (path, document["settings"].line_of(key)) for key in document.get("settings", {})})
    for name in rows:
        listed = document[name]["rows"] if name in SECTIONS and SECTIONS[name].layout == "columns" else document[name]
        lines.update({(name, index): (path, listed.line_of(index)) for index in range(len(rows[name]))})
    return World(path=path, settings=dict(document.get("settings", {})), api_users=roles["api_users"],
                 agents=roles["agents"], rows=rows, files=(path,), lines=lines)


def _checked_document(path: Path) -> Any:
    """The world file parsed and checked against the schema. A check loads the bundled world several
    times in one process (the command's own check, the collection, the harness), so the same bytes
    are parsed once; the document is only read from, and the passwords the environment gives are
    looked up anew on every load."""
    def parse() -> Any:
        document = load_yaml(path, WorldError, MAX_WORLD_BYTES, "a world file")
        check_document(document, WORLD_SCHEMA, path, WorldError)
        return document
    return _CHECKED.get(path, parse)


_CHECKED = ContentMemo(limit=16, max_bytes=MAX_WORLD_BYTES)


def world_to_write(own: Path | None) -> World:
    """The world the harness writes (the embedded host, SQL fixture mode): the bundled world, with
    a world file of one's own (``--world``) on top of it."""
    bundled = load_world(EMBEDDED_WORLD)
    return bundled if own is None else layered(bundled, load_world(own))


def layered(bundled: World, own: World) -> World:
    """``own`` on top of ``bundled``: its roles and rows added, none replaced. A role name, a user or
    a row key the bundled world (or an earlier row of ``own``) already has is refused with its line:
    replacing one would change what the bundled cases expect, and two rows with one key cannot
    both go in."""
    for section in ("api_users", "agents"):
        for role in getattr(own, section):
            if role in bundled.api_users or role in bundled.agents:
                raise WorldError(*own.where(section, role), f"role {role!r} is the bundled world's "
                                 f"({bundled.path.name if bundled.path else 'bundled'}); a world of your own adds "
                                 "roles and never replaces one", f"give your role another name, such as "
                                 f"{role}_mine, and name that in your specs")
    users = {str(row["user"]): role for role, row in [*bundled.api_users.items(), *bundled.agents.items()]}
    for section in ("api_users", "agents"):
        for role, row in getattr(own, section).items():
            if str(row["user"]) in users:
                raise WorldError(*own.where(section, role), f"role {role!r} has user {row['user']!r}, which role "
                                 f"{users[str(row['user'])]!r} already has", "give it a user of its own "
                                 "(vcrt and digits no other role uses)")
            users[str(row["user"])] = role
    settings = dict(bundled.settings)
    for key, value in own.settings.items():
        if key in settings and settings[key] != value:
            raise WorldError(*own.where("settings", key), f"settings: {key} is {settings[key]!r} in the bundled world",
                             "leave it out, or set it for the cases that need it (world: settings: in the case)")
        settings[key] = value
    agents = {**bundled.agents, **own.agents}
    rows = {name: [*bundled.section(name), *own.section(name)] for name in {*bundled.rows, *own.rows}}
    lines = dict(bundled.lines)
    for (section, key), where in own.lines.items():
        shift = len(bundled.section(section)) if isinstance(key, int) else 0
        lines[section, key + shift if isinstance(key, int) else key] = where
    world = World(path=own.path, settings=settings, api_users={**bundled.api_users, **own.api_users}, agents=agents,
                  rows=rows, files=(*bundled.files, *own.files), lines=lines)
    for name in own.rows:
        _check_keys_free(world, name, len(bundled.section(name)))
    return world


def _check_keys_free(world: World, name: str, first: int) -> None:
    """Rows ``first`` and later of a section hold no table key (primary or unique) an earlier row holds."""
    declared = SECTIONS.get(name)
    if declared is None:
        return
    table = TABLES[declared.table]
    keys = [*([(table.primary_key,)] if table.primary_key else []), *table.unique]
    agent_user = {role: row["user"] for role, row in world.agents.items()}
    seen: dict[tuple, int] = {}
    for index, row in enumerate(world.section(name)):
        values = dict(row)
        if "agent" in row and declared.agent_column:
            values[declared.agent_column] = agent_user.get(row["agent"])
        for key in keys:
            if any(values.get(column) is None for column in key):
                continue   # the database assigns it
            held = (key, *(str(values[column]) for column in key))
            if held in seen and index >= first:
                shown = ", ".join(f"{column} {values[column]!r}" for column in key)
                earlier = world.where(name, seen[held])
                raise WorldError(*world.where(name, index), f"{name} row has {shown}, which the row at "
                                 f"{earlier[0]}:{earlier[1]} has too ({declared.table} holds one row per key)",
                                 f"give this row another {' and '.join(key)}")
            seen.setdefault(held, index)


def _section_rows(document, declared: WorldTable, path: Path, agents: dict[str, Any]) -> list[dict[str, Any]]:
    """One section's rows as mappings; a row that names an agent must name a declared one."""
    name = declared.section
    rows = []
    if declared.layout == "columns":
        columns = list(document[name]["columns"])
        for index, values in enumerate(document[name]["rows"]):
            if len(values) != len(columns):
                raise WorldError(path, document[name]["rows"].line_of(index),
                                 f"{name} row has {len(values)} values for {len(columns)} columns",
                                 f"give one value per name in {name}.columns (null for none)")
            rows.append(dict(zip(columns, values)))
        return rows
    for index, row in enumerate(document[name]):
        if "agent" in row and row["agent"] not in agents:
            raise WorldError(path, document[name].line_of(index),
                             f"{name} row names agent role {row['agent']!r}, which is not under 'agents'",
                             "name one of: " + ", ".join(agents))
        rows.append(dict(row))
    return rows


def check_role_names(world: World, known: World) -> None:
    """A declared world names only roles the specs use (those of ``known``, the embedded world):
    a mistyped role would otherwise skip every case that needs it, silently."""
    if world.path is None:
        return
    document = load_yaml(world.path, WorldError, MAX_WORLD_BYTES, "a world file")
    for section in ("api_users", "agents"):
        valid = getattr(known, section)
        for role in getattr(world, section):
            if role not in valid:
                close = difflib.get_close_matches(role, valid, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise WorldError(world.path, document[section].line_of(role),
                                 f"{section} role {role!r} is not one the specs use",
                                 f"{hint}use one of: {', '.join(valid)} (roles of your own, which your specs "
                                 "name, go into a world vicicert writes: --world FILE with --world-db, or on the "
                                 "embedded host)")


def _resolve_password(row: dict[str, Any], path: Path, line: int) -> dict[str, Any]:
    variable = row.pop("pass_env", None)
    if variable is not None:
        if variable not in os.environ:
            raise WorldError(path, line, f"environment variable {variable} (pass_env) is not set",
                             f"export {variable}=... before the run, or give pass directly")
        row["pass"] = os.environ[variable]
    for key, value in list(row.items()):
        if isinstance(value, (int, float)) and key in ("user", "pass", "conf_exten", "extension"):
            row[key] = str(value)
    return row

