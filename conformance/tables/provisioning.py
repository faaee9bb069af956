"""A World as rows of upstream tables: what the embedded host (and SQL mode) writes."""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import WorldError
from ..world import World
from .schema import TABLES, Table, custom_table
from .world_tables import CUSTOM_VALUES, WORLD_TABLES, WorldTable

# What a fresh upstream install has in system_settings, plus the API switched on.
BASE_SETTINGS = {"version": "2.14b0.5", "db_schema_version": 1701, "use_non_latin": "0",
                 "vdc_agent_api_active": "1"}
_USER_COLUMNS = {column.name for column in TABLES["vicidial_users"].columns}
_LIVE_COLUMNS = {column.name for column in TABLES["vicidial_live_agents"].columns}
_ROLE_KEYS = {"logged_in", "vicidial_user"}   # role facts, not columns
BY_SECTION_FIELDS = "list_fields"   # the world section of vicidial_lists_fields
# Rows a fresh upstream install has in tables whose world rows are the harness's
# (extras/MySQL_AST_CREATE_tables.sql): the embedded host holds them beside the world's, SQL fixture
# mode finds them on the target and never writes them. send_notification reads CONFETTI_SETTINGS
# (its settings are also upstream's built-in defaults; the notes and remarks are shortened);
# moh_list lists every active class of group ---ALL---, so the class "default" (with its one file)
# is in each of its answers.
INSTALLED_ROWS: dict[str, tuple[dict[str, Any], ...]] = {
    # the host's own active Asterisk server (a real host's is its own, used as it is); the world's
    # servers rows are the harness's, switched off, written on a real host too
    "servers": ({"server_id": "VCERT1", "server_ip": "192.0.2.15", "active": "Y", "active_asterisk_server": "Y"},),
    "vicidial_music_on_hold": ({"moh_id": "default", "moh_name": "Default Music On Hold", "active": "Y",
                                "random": "N", "remove": "N", "user_group": "---ALL---"},),
    "vicidial_music_on_hold_files": ({"filename": "conf", "moh_id": "default", "rank": 1},),
    "vicidial_settings_containers": (
        {"container_id": "CONFETTI_SETTINGS", "container_notes": "confetti on the agent screen",
         "container_type": "OTHER", "user_group": "---ALL---",
         "container_entry": "; lines starting with a semicolon are notes\n; name => value, one a line\n"
                            "duration => 2\nmaxParticleCount => 2350\nparticleSpeed => 2\n"},
    ),
}


def world_rows(world: World, settings: Mapping[str, Any] = {}, installed: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Rows per table for ``world`` (in insert order) with ``settings`` overriding system_settings;
    with ``installed``, a fresh install's own rows first (INSTALLED_ROWS), as the embedded host holds them."""
    users, live = [], []
    for role, row in world.api_users.items():
        users.append(_columns(row, _USER_COLUMNS, world, role))
    for role, row in world.agents.items():
        _check_keys(row, _USER_COLUMNS | _LIVE_COLUMNS | _ROLE_KEYS, world, role)
        if row.get("vicidial_user", True):
            users.append({key: value for key, value in row.items() if key in _USER_COLUMNS})
        if row.get("logged_in", True):
            live.append({key: value for key, value in row.items() if key in _LIVE_COLUMNS})
    from_roles = {"vicidial_users": users, "vicidial_live_agents": live}
    agent_user = {role: row["user"] for role, row in world.agents.items()}
    rows = {"system_settings": [settings_row(world, settings)]}
    for declared in WORLD_TABLES:
        if declared.section is None:
            rows[declared.table] = from_roles[declared.table]
            continue
        rows[declared.table] = [*(dict(row) for row in (INSTALLED_ROWS.get(declared.table, ()) if installed else ())),
                                *(_owned_by_agent(row, declared, agent_user) for row in world.section(declared.section))]
    return rows


def embedded_rows(world: World) -> dict[str, list[dict[str, Any]]]:
    """What the embedded host's covered tables hold for ``world``: the install's rows and the world's,
    custom tables included."""
    return {**world_rows(world), **custom_rows(world)}


def custom_rows(world: World) -> dict[str, list[dict[str, Any]]]:
    """The rows of the world's custom_<list_id> tables, by table (lead_id is the lead's placeholder)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in custom_tables(world)}
    for row in world.section(CUSTOM_VALUES):
        name = f"custom_{row['list_id']}"
        if name not in rows:
            raise WorldError(world.path or "world", None, f"{CUSTOM_VALUES} names list {row['list_id']}, which has no "
                             "custom fields in list_fields", "give the list's fields under list_fields first")
        rows[name].append({key: value for key, value in row.items() if key != "list_id"})
    return rows


def custom_tables(world: World) -> dict[str, Table]:
    """The custom_<list_id> tables of the world's lists that have custom fields, by name."""
    fields: dict[str, list[dict[str, Any]]] = {}
    for row in world.section(BY_SECTION_FIELDS):
        fields.setdefault(str(row["list_id"]), []).append(row)
    return {table.name: table for table in (custom_table(list_id, rows) for list_id, rows in fields.items())}


def settings_row(world: World, settings: Mapping[str, Any] = {}) -> dict[str, Any]:
    """The system_settings row of ``world`` with a case's ``settings`` overrides."""
    return {**BASE_SETTINGS, **world.settings, **settings}


def _owned_by_agent(row: dict[str, Any], declared: WorldTable, agent_user: dict[str, str]) -> dict[str, Any]:
    """A section row as table columns: ``agent: role`` becomes the agent's user, ``role:`` goes."""
    plain = {key: value for key, value in row.items() if key not in ("agent", "role")}   # harness keys, no columns
    if "agent" not in row:
        return plain
    return {**plain, declared.agent_column: agent_user[row["agent"]]}


def _columns(row: dict[str, Any], allowed: set[str], world: World, role: str) -> dict[str, Any]:
    _check_keys(row, allowed, world, role)
    return dict(row)


def _check_keys(row: dict[str, Any], allowed: set[str], world: World, role: str) -> None:
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise WorldError(world.path or "world", None,
                         f"role {role!r} sets {', '.join(unknown)}, which no covered upstream table has",
                         "use column names of vicidial_users or vicidial_live_agents (see conformance/tables/schema.py)")
