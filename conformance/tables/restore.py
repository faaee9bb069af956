"""An owned database's tables put back to given rows before each case, rewriting only what changed.

The first time a table is named, or named with other rows than last time (another world, a
case's system setting), it is emptied and filled. After that only the rows written since are
put back, so a reset costs what the last case changed, not what the world holds:

- SQLite: triggers note the rowid of every row inserted, updated or deleted in a named table
  (in ``CHANGE_LOG``); exactly those rowids are deleted, and the ones the table was filled with
  go back with their rowids and values. A REPLACE's deletions are noted too (the connections
  turn ``recursive_triggers`` on).
- MySQL/MariaDB: the server's update times name the tables written since the last reset, and a
  snapshot by content (``snapshot.py``) finds their rows that differ (no trigger: that needs a
  right vicicert does not ask for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .snapshot import NotRestored, Snapshot, WriteStamp

if TYPE_CHECKING:
    from .database import Database
    from .schema import Table

CHANGE_LOG = "vicicert_changed_rows"
_TRIGGERS = (("inserted", "INSERT", ("NEW",)), ("updated", "UPDATE", ("OLD", "NEW")), ("deleted", "DELETE", ("OLD",)))


class RowRestorer:
    """Puts the named tables of an owned database back to the rows given, by difference."""

    def __init__(self, db: "Database"):
        self.db = db
        self._given: dict[str, Sequence[Mapping[str, Any]]] = {}   # the rows each table was last filled with
        self._filled: dict[str, dict[int, tuple]] = {}              # SQLite: rowid -> its values, as filled
        self._columns: dict[str, list[str]] = {}                    # SQLite: the tracked tables' columns
        self._sequence: dict[str, int | None] = {}                  # SQLite: each AUTOINCREMENT's counter, as filled
        self._made: dict[str, Table] = {}                           # the custom tables made, as declared
        self._snapshot: Snapshot | None = None                      # MySQL
        self.rewritten: dict[str, int] = {}   # rows put back per table since the start (tests, benchmarks)
        self.filled: dict[str, int] = {}      # how often each table was emptied and filled

    def restore(self, rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]],
                made: Mapping[str, Table] | None = None) -> None:
        """Make the named tables hold exactly these rows (an owned database only); the tables
        ``made`` (a world's custom_<list_id> tables) are created first, anew when their
        declaration changed."""
        self.db.require_owned()
        new = {name: table for name, table in (made or {}).items() if self._made.get(name) != table}
        for name in new:   # a table made anew has no rows, triggers or snapshot yet
            self._given.pop(name, None)
            self._columns.pop(name, None)
        stale = {table: rows for table, rows in rows_by_table.items() if not _same(self._given.get(table), rows)}
        kept = [table for table in rows_by_table if table not in stale]
        for table in set(self._given) - set(rows_by_table):   # not named: its changes are not followed
            del self._given[table]
        try:
            with self.db.write_lock:
                self.db.make_tables(new)
                self._made.update(new)
                with self.db.transaction():
                    stamp = None
                    if self.db.dialect.name == "sqlite":
                        self._sqlite(kept, stale)
                    else:
                        stale.update({table: rows_by_table[table] for table in self._mysql(kept)})
                        stamp = WriteStamp.take(self.db, list(stale)) if stale else None
                    for table, rows in stale.items():
                        self.db.fill(table, rows, self._made.get(table))
                        self.filled[table] = self.filled.get(table, 0) + 1
                    self._after_fill(list(stale), stamp)
        except BaseException:   # rolled back, triggers included: the next reset makes and fills everything afresh
            self._given.clear()
            self._columns.clear()
            self._sequence.clear()
            self._made.clear()
            raise
        self._given.update(stale)

    def close(self) -> None:
        """Drop the SQLite triggers and change log, so the file serves on as it was filled."""
        if self.db.dialect.name != "sqlite" or not self._columns:
            return
        with self.db.write_lock:
            for table in self._columns:
                for name, _, _ in _TRIGGERS:
                    self.db.execute(f'DROP TRIGGER IF EXISTS "vicicert_{name}_{table}"')
            self.db.execute(f'DROP TABLE IF EXISTS "{CHANGE_LOG}"')
        self._columns.clear()

    # -- SQLite: the rowids the triggers noted ---------------------------------------------------

    def _sqlite(self, kept: list[str], stale: Mapping[str, Any]) -> None:
        self._track([*kept, *stale])
        changed: dict[str, set[int]] = {}
        for table, rowid in self.db.all(f'SELECT DISTINCT table_name, row_id FROM "{CHANGE_LOG}"'):
            if table in kept:
                changed.setdefault(table, set()).add(rowid)
        for table, rowids in changed.items():
            names = ", ".join(f'"{name}"' for name in ["rowid", *self._columns[table]])
            marks = ", ".join("?" for _ in range(len(self._columns[table]) + 1))
            ordered = sorted(rowids)
            for start in range(0, len(ordered), 500):   # SQLite's limit on bound values is 999 in old builds
                chunk = ordered[start:start + 500]
                self.db.execute(f'DELETE FROM "{table}" WHERE rowid IN ({", ".join("?" for _ in chunk)})', *chunk)
            for rowid in ordered:
                if rowid in self._filled[table]:
                    self.db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                                    rowid, *self._filled[table][rowid])
            self.rewritten[table] = self.rewritten.get(table, 0) + len(rowids)
            if table in self._sequence:   # the next id a case is given is the same whatever ran before it
                self.db.execute('DELETE FROM sqlite_sequence WHERE name = ?', table)
                if self._sequence[table] is not None:
                    self.db.execute('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', table, self._sequence[table])

    def _track(self, tables: list[str]) -> None:
        """The change log and each table's three triggers, once."""
        new = [table for table in tables if table not in self._columns]
        if not new:
            return
        self.db.execute(f'CREATE TABLE IF NOT EXISTS "{CHANGE_LOG}" (table_name TEXT NOT NULL, row_id INTEGER NOT NULL)')
        for table in new:
            for name, event, rows in _TRIGGERS:
                notes = " ".join(f"INSERT INTO \"{CHANGE_LOG}\" VALUES ('{table}', {row}.rowid);" for row in rows)
                self.db.execute(f'CREATE TRIGGER IF NOT EXISTS "vicicert_{name}_{table}" AFTER {event} ON "{table}" '
                                f"BEGIN {notes} END")
            self._columns[table] = [name for _, name, *_ in self.db.all(f'PRAGMA table_info("{table}")')]

    def _autoincrement(self, table: str) -> bool:
        made = self.db.all("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)
        return bool(made) and "AUTOINCREMENT" in (made[0][0] or "").upper()

    # -- MySQL: a snapshot by content ------------------------------------------------------------

    def _mysql(self, kept: list[str]) -> list[str]:
        """Put back the kept tables' changed rows; the tables to fill instead (all of them, when a
        row did not come back as it was)."""
        if self._snapshot is None:
            self._snapshot = Snapshot(self.db, {})
        try:
            rewritten = self._snapshot.restore([table for table in kept if table in self._snapshot.tables])
        except NotRestored:
            return kept
        for table, count in rewritten.items():
            self.rewritten[table] = self.rewritten.get(table, 0) + count
        return []

    def _after_fill(self, tables: list[str], stamp: WriteStamp | None) -> None:
        """What the freshly filled tables hold, to come back to; a clean change log."""
        if self.db.dialect.name == "sqlite" and self._columns:
            counters = bool(self.db.all("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"))
            for table in tables:
                names = ", ".join(f'"{name}"' for name in self._columns[table])
                self._filled[table] = {rowid: tuple(values)
                                       for rowid, *values in self.db.all(f'SELECT rowid, {names} FROM "{table}"')}
                if counters and self._autoincrement(table):
                    found = self.db.all("SELECT seq FROM sqlite_sequence WHERE name = ?", table)
                    self._sequence[table] = found[0][0] if found else None
            self.db.execute(f'DELETE FROM "{CHANGE_LOG}"')
        elif tables:
            assert self._snapshot is not None
            self._snapshot.take({table: "TRUE" for table in tables}, stamp)


def _same(before: Sequence[Mapping[str, Any]] | None, rows: Sequence[Mapping[str, Any]]) -> bool:
    """The same rows as last time: the same list (the host keeps its world's), or equal ones."""
    return before is not None and (before is rows or before == rows)
