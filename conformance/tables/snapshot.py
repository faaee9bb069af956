"""Rows as they were, by content (MySQL/MariaDB): only the rows that changed since are put back.

A snapshot reads the rows in each table's scope (a predicate: the harness's rows on a real
host, every row in a database vicicert owns) once, every column, with the MD5 of each row's
content. ``restore()`` then puts back what changed since, in three steps:

1. Which tables may differ. The server says when each table was last written
   (information_schema's UPDATE_TIME, one query for all tables): a table nobody wrote since it
   was last checked is left alone without reading a row. Its update time is trusted once it
   has proved to follow writes (it moved past a stamp taken before the snapshot's rows were
   written); a table whose time is unknown (NULL: an engine that keeps none, InnoDB after a
   restart) or never moved is summed instead, with the others in one query: its scoped rows'
   count and the sum of their CRC32, against the snapshot's.
2. Which rows differ, for those tables only: each scoped row's key and MD5. A row whose content
   the snapshot does not hold (a case inserted it, or changed it) is deleted, by primary key
   when the table has one; a snapshot row that is missing is inserted with every column as it
   was, ids included: an explicit id below the AUTO_INCREMENT counter does not advance it, so a
   run assigns each world row an id once.
3. The rows put back are read again by key: a row that did not come back as it was, or could
   not (its key held by a row outside the scope), raises ``NotRestored``.

The scopes are the owner columns' index ranges, so only scoped rows are read, however many rows
the host holds; a reset's work is the tables and rows a case wrote, not the world's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

if TYPE_CHECKING:
    from .database import Database

# Called before a table's rows are rewritten: the table, the primary keys of the rows that go (empty
# for a table without one), the rows that come back.
BeforeRestore = Callable[[str, list[list[Any]], list[dict[str, Any]]], None]


class NotRestored(Exception):
    """A row could not be put back as it was: its key is held by a row outside the scope (a host
    moved a scoped row out of it), or its values did not survive the trip. The caller writes the
    table (or the world) afresh."""


def row_content(columns: Iterable[str]) -> str:
    """SQL for a row's content as one string: its columns joined by the unit separator (0x1F), a
    NULL as a NUL byte. Neither byte occurs in VICIdial's text, so two rows that differ read apart;
    on a wide table (upstream's vicidial_users has 155 columns) this is about a third of the cost
    of prefixing each column with its length."""
    return "CONCAT_WS(x'1f', " + ", ".join(f"COALESCE(`{name}`, x'00')" for name in columns) + ")"


# MyISAM's update time is its data file's modification time, which the kernel takes from a coarse
# clock: it lags the server's NOW() by up to a timer tick (4 ms at 250 Hz), so a write made just
# after a check, early in a second, can carry the second before. Every comparison of an update
# time with a check's time allows this much.
FILE_CLOCK_LAG = timedelta(milliseconds=250)


def not_before(update_time: datetime | None, checked_at: datetime) -> bool:
    """Whether an update time (whole seconds, possibly from the lagging file clock) may belong to
    a write made at or after ``checked_at`` (the server's time, to the microsecond)."""
    return update_time is not None and update_time >= (checked_at - FILE_CLOCK_LAG).replace(microsecond=0)


def update_times(db: "Database", tables: list[str]) -> tuple[datetime, dict[str, datetime | None]]:
    """The server's time (to the microsecond) and each table's last write time (to the second),
    read together."""
    _fresh_statistics(db)
    marks = ", ".join("?" for _ in tables) or "NULL"
    found = db.all(f"SELECT TABLE_NAME, UPDATE_TIME, NOW(6) FROM information_schema.TABLES "
                   f"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({marks})", *tables)
    now = found[0][2] if found else db.value("SELECT NOW(6)")
    times = {name: time for name, time, _ in found}
    return now, {table: times.get(table) for table in tables}


def _fresh_statistics(db: "Database") -> None:
    """MySQL 8 caches information_schema's table statistics (update times included) for a day by
    default: each connection is told to read them live, once. MariaDB keeps no cache (and has no
    such variable)."""
    connection = db.connection()
    if getattr(connection, "vicicert_live_statistics", False):
        return
    try:
        db.value("SELECT @@information_schema_stats_expiry")
    except Exception:  # noqa: BLE001 - unknown variable: MariaDB or MySQL 5.7, whose reads are live
        pass
    else:
        db.execute("SET SESSION information_schema_stats_expiry = 0")
    connection.vicicert_live_statistics = True


@dataclass(frozen=True)
class WriteStamp:
    """The server's time and the tables' update times just before a caller writes them."""

    now: datetime
    times: dict[str, datetime | None]

    @classmethod
    def take(cls, db: "Database", tables: list[str]) -> "WriteStamp":
        return cls(*update_times(db, tables))

    def moved(self, table: str, after: datetime | None) -> bool:
        """Whether ``table``'s update time shows the write: known, at or after the stamp, and later
        than it was (a time that did not move proves nothing: MySQL 8's statistics cache, a table
        written earlier in the same second)."""
        before = self.times.get(table)
        return not_before(after, self.now) and (before is None or after > before)


@dataclass
class _Rows:
    """One table's scoped rows as the snapshot saw them."""

    scope: str
    columns: list[str]
    insertable: list[str]                     # generated columns are the database's to fill
    key: list[str]                            # the primary key's columns (none: rows go by content)
    by_hash: dict[str, list[dict[str, Any]]]  # content MD5 -> the rows with that content
    summary: tuple[int, int] = (0, 0)         # row count and sum of CRC32

    @property
    def content(self) -> str:
        return row_content(self.columns)


class Snapshot:
    """The rows each table held in its scope, with their content hashes, in the given order."""

    def __init__(self, db: "Database", scopes: Mapping[str, str], written: WriteStamp | None = None):
        self.db = db
        self.tables: dict[str, _Rows] = {}
        self.read: dict[str, int] = {}                 # how often each table's rows were read to check it
        self._checked_at: dict[str, datetime] = {}   # the server's time when each table was last checked
        self._vouched: set[str] = set()              # tables whose update time proved to follow writes
        self.take(scopes, written)

    def take(self, scopes: Mapping[str, str], written: WriteStamp | None = None) -> None:
        """(Re)read these tables' scoped rows as the state to come back to. ``written``: the stamp
        the caller took before writing them; a table holding rows whose update time moved past it
        has shown that its update time follows writes, and later checks may trust it."""
        if not scopes:
            return
        started, times = update_times(self.db, list(scopes))
        for table, scope in scopes.items():
            columns, insertable, key = self._columns(table)
            rows = self.tables[table] = _Rows(scope, columns, insertable, key, {})
            for *values, content in self.db.all(f"SELECT {', '.join(f'`{name}`' for name in columns)}, "
                                                f"MD5({rows.content}) FROM `{table}` WHERE {scope}"):
                row = dict(zip(columns, values))
                rows.by_hash.setdefault(content, []).append({name: row[name] for name in insertable})
            self._checked_at[table] = started
            self._vouched.discard(table)
            if written is not None and rows.by_hash and written.moved(table, times[table]):
                self._vouched.add(table)
        for table, summary in self._summaries(list(scopes)).items():
            self.tables[table].summary = summary

    @property
    def rows(self) -> int:
        return sum(len(rows) for table in self.tables.values() for rows in table.by_hash.values())

    def restore(self, tables: Iterable[str] | None = None, before: BeforeRestore | None = None) -> dict[str, int]:
        """Put the scoped rows of these tables (all by default) back as the snapshot saw them,
        rewriting only the rows that differ; rows rewritten (deleted plus inserted) per table that
        differed. ``before`` is told what is about to change in a table. The caller holds the
        write lock. NotRestored: a row did not come back as it was."""
        rewritten = {}
        for table in self._maybe_changed(list(self.tables if tables is None else tables)):
            count = self._restore(table, before)
            if count:
                rewritten[table] = count
        return rewritten

    def changed(self, tables: Iterable[str] | None = None) -> list[str]:
        """The tables (all by default) whose scoped rows differ from the snapshot's, read now."""
        names = list(self.tables if tables is None else tables)
        now = self._summaries(names)
        return [table for table in names if now[table] != self.tables[table].summary]

    # -- the steps -----------------------------------------------------------------------------

    def _maybe_changed(self, names: list[str]) -> list[str]:
        """Tables written since they were last checked (by their trusted update time) and tables
        whose summary differs; every other table is as the snapshot saw it."""
        hinted = [table for table in names if table in self._vouched]
        written = set()
        if hinted:
            started, times = update_times(self.db, hinted)
            written = {table for table in hinted
                       if times[table] is None or not_before(times[table], self._checked_at[table])}
            for table in hinted:
                self._checked_at[table] = started
        summed = [table for table in names if table not in self._vouched]
        now = self._summaries(summed)
        for table in summed:
            self.read[table] = self.read.get(table, 0) + 1
        return [table for table in names if table in written or (table in now and now[table] != self.tables[table].summary)]

    def _restore(self, table: str, before: BeforeRestore | None) -> int:
        """One table's differing rows out and its missing ones back; how many rows that was."""
        rows = self.tables[table]
        self.read[table] = self.read.get(table, 0) + 1
        wanted = Counter({content: len(found) for content, found in rows.by_hash.items()})
        extra = []   # (key values, content) of rows the snapshot does not hold, or holds fewer times
        for *key, content in self.db.all(f"SELECT {''.join(f'`{name}`, ' for name in rows.key)}MD5({rows.content}) "
                                         f"FROM `{table}` WHERE {rows.scope}"):
            if wanted[content] > 0:
                wanted[content] -= 1
            else:
                extra.append((key, content))
        back = [(content, row) for content, count in wanted.items() if count > 0
                for row in rows.by_hash[content][-count:]]
        if not extra and not back:
            return 0
        if before is not None:
            before(table, [key for key, _ in extra], [row for _, row in back])
        for key, content in extra:
            if rows.key:
                self.db.execute(f"DELETE FROM `{table}` WHERE {rows.scope} AND {_match(rows.key)}", *key)
            else:
                self.db.execute(f"DELETE FROM `{table}` WHERE {rows.scope} AND MD5({rows.content}) = ? LIMIT 1",
                                content)
        for _, row in back:
            self._insert(table, row)
        self._check_back(table, back)
        return len(extra) + len(back)

    def _check_back(self, table: str, back: list[tuple[str, dict[str, Any]]]) -> None:
        """The rows put back, read again: each must hash as it did (a value that does not survive
        the trip through the client would otherwise leave the table different, unseen)."""
        rows = self.tables[table]
        if not back:
            return
        if rows.key:
            # by key alone, not in the scope: a custom_<list_id> row's scope is its lead, which a
            # later table (vicidial_list) puts back when a case deleted both
            match = " OR ".join(f"({_match(rows.key)})" for _ in back)
            found = Counter(content for (content,) in self.db.all(
                f"SELECT MD5({rows.content}) FROM `{table}` WHERE {match}",
                *[row[name] for _, row in back for name in rows.key]))
            if found == Counter(content for content, _ in back):
                return
        elif not self.changed([table]):
            return
        raise NotRestored(f"{table}: rows put back do not read as they were")

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        columns = ", ".join(f"`{name}`" for name in row)
        marks = ", ".join("?" for _ in row)
        try:
            self.db.execute(f"INSERT INTO `{table}` ({columns}) VALUES ({marks})", *row.values())
        except Exception as error:  # noqa: BLE001 - pymysql's IntegrityError, imported by the database alone
            if getattr(error, "args", (None,))[0] == 1062:   # ER_DUP_ENTRY
                raise NotRestored(f"{table}: {error.args[-1]}") from None
            raise

    def _columns(self, table: str) -> tuple[list[str], list[str], list[str]]:
        """Every column, those an insert may name (generated ones are the database's), and the primary key's."""
        found = self.db.all("SELECT COLUMN_NAME, EXTRA, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                            "DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", table)
        generated = ("GENERATED", "VIRTUAL", "PERSISTENT", "STORED")
        return ([name for name, _, _ in found],
                [name for name, extra, _ in found if not any(word in (extra or "").upper() for word in generated)],
                [name for name, _, key in found if key == "PRI"])

    def _summaries(self, tables: list[str]) -> dict[str, tuple[int, int]]:
        """Each table's scoped rows summed up in one query: their count and the sum of their
        contents' CRC32 (a change goes unseen only if the CRCs of the rows it touched sum to what
        they did: about one chance in four billion; rows are told apart by MD5 only in a table
        known to differ)."""
        if not tables:
            return {}
        query = " UNION ALL ".join(f"SELECT '{table}', COUNT(*), COALESCE(SUM(CRC32({self.tables[table].content})), 0) "
                                   f"FROM `{table}` WHERE {self.tables[table].scope}" for table in tables)
        return {name: (int(count), int(total)) for name, count, total in self.db.all(query)}


def _match(key: list[str]) -> str:
    return " AND ".join(f"`{name}` = ?" for name in key)
