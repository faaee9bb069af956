"""What the connected MySQL account may do to each table, read from ``SHOW GRANTS``.

A VICIdial install gives its ``cron`` account SELECT, INSERT, UPDATE, DELETE and LOCK
TABLES on the ``asterisk`` database, and no ALTER (upstream's docs/BASE_INSTALL.txt). The SQL
fixture mode asks this module before it writes anything, so a missing right is a usage
error up front, never a failure halfway through a run.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..errors import UsageError

ALL = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "ALTER", "CREATE", "DROP", "INDEX", "LOCK TABLES"})
_GRANT = re.compile(r"^GRANT (?P<privileges>.+?) ON (?:TABLE )?(?P<object>\S+) TO ", re.IGNORECASE)


def _unquote(name: str) -> str:
    return name.strip("`").replace("``", "`")


def _matches(pattern: str, name: str) -> bool:
    """MySQL's database-level grant patterns: ``%`` and ``_`` are wildcards unless escaped."""
    if pattern == "*":
        return True
    regex = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            regex += re.escape(pattern[index + 1])
            index += 2
            continue
        regex += ".*" if char == "%" else "." if char == "_" else re.escape(char)
        index += 1
    return re.fullmatch(regex, name) is not None


def _privileges(text: str) -> set[str]:
    names = {re.sub(r"\s*\(.*\)$", "", part.strip()).upper() for part in text.split(",")
             if "(" not in part}  # a column-level grant does not cover the whole table
    if names & {"ALL", "ALL PRIVILEGES"}:
        return set(ALL)
    return names & ALL


def table_privileges(grant_lines: Iterable[str], database: str, tables: Iterable[str]) -> dict[str, set[str]]:
    """For each table of ``database``, the privileges the grant lines give on it."""
    found = {table: set() for table in tables}
    for line in grant_lines:
        match = _GRANT.match(line.strip())
        if not match:
            continue  # a role or a proxy grant: not followed
        schema, _, table = match["object"].partition(".")
        if not _matches(_unquote(schema), database):
            continue
        privileges = _privileges(match["privileges"])
        for name in found:
            if _unquote(table) in ("*", name):
                found[name] |= privileges
    return found


def privileges_of(db, tables: Iterable[str]) -> dict[str, set[str]]:
    """What the account ``db`` is connected as may do to each of ``tables`` of its database."""
    lines = [line for (line,) in db.all("SHOW GRANTS FOR CURRENT_USER()")]
    return table_privileges(lines, db.value("SELECT DATABASE()"), tables)


def missing_privileges(needed: dict[str, set[str]], granted: dict[str, set[str]]) -> dict[str, list[str]]:
    """Per table, the needed privileges the account lacks (only tables that lack some)."""
    return {table: sorted(privileges - granted.get(table, set()))
            for table, privileges in needed.items() if privileges - granted.get(table, set())}


def require(db, needed: dict[str, set[str]], shown: str, why: str) -> dict[str, set[str]]:
    """The account's rights on the ``needed`` tables; a missing one is a usage error naming each
    right and table, ``why`` they are needed, and that nothing was written."""
    granted = privileges_of(db, needed)
    missing = missing_privileges(needed, granted)
    if missing:
        lacking = "; ".join(f"{', '.join(rights)} on {table}" for table, rights in sorted(missing.items()))
        raise UsageError(f"the account of {shown} lacks {lacking}: {why}. Nothing was written")
    return granted
