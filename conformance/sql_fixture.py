"""SQL fixture mode: the world written into a real VICIdial database, and taken out again.

Only harness-namespace rows are written (users starting ``vcrt``, campaigns starting
``VCERT``); rows of that namespace that the harness did not write are refused. The only
shared rows touched are system_settings columns a case must toggle, restored right after
it, and with the run's consent the host's own columns a disturbing case changes
(HOST_COLUMNS), put back the same way. The world goes in once per run, with ids from the database; before each later case only
the harness rows that differ from that state are rewritten, with the same ids (a snapshot by
content, tables/snapshot.py), so a run's cost and the ids it takes do not grow with the world.
Every change goes to the journal first; ``cleanup`` undoes a crashed run from it.
Before the run and after the cleanup every touched table is checksummed over all its rows
and columns: the two must be equal, and during the run the rows outside the namespace must
not change at all. A table a host may lack (an optional one, a list's custom table) is used only
where the target has it as declared; otherwise it is left alone and the cases that need it are
skipped with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import FixtureFailure, UsageError, WorldError
from .journal import Journal, read_journal, unfinished
from .redaction import mask_url
from .tables.database import Database, open_database
from .tables.grants import privileges_of, require
from .tables.provisioning import custom_rows, custom_tables, world_rows
from .tables.schema import OPTIONAL_TABLES, TABLES, Table
from .tables.snapshot import NotRestored, Snapshot, WriteStamp
from .tables.world_tables import BY_TABLE, HARNESS, HOST_COLUMNS, NAMESPACE, OWNED, WorldTable, owner_prefixes
from .world import DEFAULT_NAMESPACE, World

CHECKED_TABLES = tuple(declared.table for declared in OWNED) + ("system_settings",)
# Counters the database advances as the harness inserts rows (put back when ALTER is granted).
AUTO_INCREMENT_TABLES = tuple(declared.table for declared in OWNED if declared.assigned_id)
# What the fixture mode does to each table: rows in and out of the namespace, one settings row
# toggled and put back. ALTER (counters put back) is optional: BASE_INSTALL's cron lacks it.
NEEDED = {declared.table: {"SELECT", "INSERT", "DELETE"} for declared in OWNED}
NEEDED["system_settings"] = {"SELECT", "UPDATE"}


@dataclass
class Undone:
    """What a cleanup found: problems (the database is not as it was) and advanced counters."""

    problems: list[str] = field(default_factory=list)
    counters: list[str] = field(default_factory=list)
    ended: str = ""      # a journal whose run had ended: what it said then (nothing was undone)
    unrecorded: str = ""  # the undo was done but the journal could not say so (a full disk): what to do


def prefix_match(column: str, prefix: str) -> str:
    """``column`` starts with ``prefix``, exactly. The plain LIKE lets MySQL range-scan the column's
    index (a real host's agent log holds millions of rows: LIKE BINARY alone scanned them all at
    every reset); the BINARY one keeps the match exact under a case-insensitive collation."""
    return f"(`{column}` LIKE '{prefix}%' AND `{column}` LIKE BINARY '{prefix}%')"


def owned_rows(declared: WorldTable, user_prefix: str) -> str:
    """The harness's rows of ``declared``: its owner column starts with one of its prefixes."""
    matches = [prefix_match(declared.owner, prefix) for prefix in owner_prefixes(declared, user_prefix)]
    return matches[0] if len(matches) == 1 else "(" + " OR ".join(matches) + ")"


def namespace_predicates(user_prefix: str, custom: tuple[str, ...] = (),
                         unused: tuple[str, ...] = ()) -> dict[str, str]:
    """The harness's rows in each table it writes: ``custom`` names custom_<list_id> tables, whose
    harness rows are those of harness leads (first, so that they go before the leads); ``unused``
    the optional tables the target lacks, which it leaves out."""
    of_leads = f"`lead_id` IN (SELECT `lead_id` FROM `vicidial_list` WHERE " \
               f"{owned_rows(BY_TABLE['vicidial_list'], user_prefix)})"
    found = {table: of_leads for table in custom}
    found.update({declared.table: owned_rows(declared, user_prefix) for declared in OWNED
                  if declared.table not in unused})
    return found


def checksums(db: Database, outside: dict[str, str] | None = None,
              tables: tuple[str, ...] = CHECKED_TABLES) -> dict[str, list[int]]:
    """Row count and two order-free CRC aggregates over every column of each checked table
    (only of the rows outside the namespace when its predicates are given)."""
    found = {}
    for table in tables:
        columns = [name for (name,) in db.all(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", table)]
        row = "CONCAT_WS('|', " + ", ".join(f"COALESCE(`{name}`, '<NULL>')" for name in columns) + ")"
        # COALESCE: a row whose user is NULL is outside the namespace, not unknown (NOT NULL is NULL).
        where = f"WHERE NOT COALESCE({outside[table]}, FALSE)" if outside and table in outside else ""
        count, total, xor = db.one(f"SELECT COUNT(*), COALESCE(SUM(CRC32({row})), 0), "
                                   f"COALESCE(BIT_XOR(CRC32({row})), 0) FROM `{table}` {where}")
        found[table] = [int(count), int(total), int(xor)]
    return found


class SqlFixture:
    """Provisions a world into a target's MySQL/MariaDB database, journalled and reversible."""

    def __init__(self, url: str, journal_path: Path, allow_global_changes: bool = True,
                 namespace: str = DEFAULT_NAMESPACE, per_case: bool = True, disturbing: bool = False):
        """``per_case``: resets follow one another (a check's cases), so the provisioned world is
        read back once and later resets put back only what changed; a load run resets once, and
        reading back thousands of agents would only cost time and memory. ``disturbing``: the run
        sends cases that change the host's own rows (``hold``), so it needs UPDATE on them too."""
        self.db = _vicidial_database(url)
        _, self.absent = _usable_tables(self.db, {name: OPTIONAL_TABLES[name] for name in CHECKED_TABLES
                                                        if name in OPTIONAL_TABLES})
        # the optional tables the target lacks (or has otherwise): left alone, their cases skipped
        self.unused = tuple(sorted(self.absent))
        self.restores_counters = _check_grants(self.db, url, self.unused, disturbing)
        self.namespace = namespace
        self.predicates = namespace_predicates(namespace, unused=self.unused)
        self.url = url
        self.journal_path = Path(journal_path)
        self.allow_global_changes = allow_global_changes
        self.journal: Journal | None = None
        self.before: dict[str, list[int]] = {}
        self.outside: dict[str, list[int]] = {}
        self._settings_before: dict[str, Any] | None = None
        self._held: list[dict[str, Any]] = []   # the host's own columns a case may change, as they were
        self.counters: list[str] = []  # counters that advanced and could not be put back
        self.journal_note = ""         # the journal could not record the run's end: why, and what to do
        self.custom: tuple[str, ...] = ()          # the world's custom tables the target has, as declared
        self._world: World | None = None                   # the world provisioned, and the state it left
        self._snapshot: Snapshot | None = None
        self._assigned: dict[str, dict[str, str]] = {}
        self.per_case = per_case
        self.provisions = 0                                # how often the world went in with new ids
        self.rows_restored: dict[str, int] = {}            # rows rewritten per table since (deleted + inserted)

    # -- run ----------------------------------------------------------------------------

    def begin(self, world: World) -> None:
        check_ownership(world, self.namespace)
        take_run_lock(self.db, self.url)
        if unfinished(self.journal_path):  # its run's undo record: never overwritten before cleanup
            raise UsageError(f"the journal {self.journal_path} holds a run that never finished: run vicicert "
                             f"cleanup --journal {self.journal_path} --world-db URL first")
        for table, predicate in self.predicates.items():
            if self.db.value(f"SELECT COUNT(*) FROM `{table}` WHERE {predicate}"):
                declared = BY_TABLE.get(table)
                reserved = declared is not None and declared.reserved is not None \
                    and declared.reserved[0] == declared.owner   # a number: the host's own rows may hold it
                raise UsageError(
                    f"{table} already holds harness rows ({predicate}) in {mask_url(self.url)}; another run left "
                    f"them: undo it with vicicert cleanup --journal ITS_JOURNAL --world-db URL (by default "
                    f"vicicert-journal.jsonl in its report folder), or use another --namespace"
                    + (f"; if no run left them, they are the host's own, in a range vicicert reserves for its "
                       f"rows: move them, or check another host. Nothing was written" if reserved else ""))
        held = _reserved_held(self.db, self.unused)
        if held:
            raise UsageError(f"{mask_url(self.url)} holds {', '.join(held)}: vicicert reserves those keys for its "
                             "own rows (numbers no prefix can mark); move those rows, or check another host. "
                             "Nothing was written")
        taken = _keys_taken(self.db, world, self.unused)
        if taken:
            raise UsageError(f"{mask_url(self.url)} already holds {', '.join(taken)} in rows of its own, which the "
                             "world's harness rows need free (a key that no prefix marks): give those rows other "
                             "keys in the world file. Nothing was written")
        self.custom, custom_absent = _usable_tables(self.db, custom_tables(world))
        self.absent.update(custom_absent)
        self.predicates = namespace_predicates(self.namespace, self.custom, self.unused)
        self.before = checksums(self.db, tables=self._checked)
        self.outside = dict(self.before)  # no harness rows yet (refused above): outside is everything
        counters = {table: self._auto_increment(table) for table in AUTO_INCREMENT_TABLES if table not in self.unused}
        try:
            self.journal = Journal(self.journal_path)
            self.journal.write("begin", database=mask_url(self.url), namespace=self.namespace,
                               checksums=self.before, auto_increment=counters, custom_tables=list(self.custom),
                               unused_tables=list(self.unused))
        except OSError as error:  # a read-only folder, a full disk, a file where the folder should be
            raise UsageError(f"the journal {self.journal_path} cannot be written ({error.strerror or error}): give "
                             "--journal a path in a writable folder with free space. Nothing was written to the "
                             "database") from None

    def reset(self, world: World, settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
        """Make the harness rows ``world`` and apply setting overrides; a database or journal
        failure becomes a FixtureFailure that stops the run."""
        try:
            return self._reset(world, settings)
        except (UsageError, WorldError):
            raise
        except Exception as error:  # noqa: BLE001 - pymysql, OSError (a full disk): the run cannot go on
            raise FixtureFailure(f"the database or the journal failed mid-run ({type(error).__name__}: {error})") \
                from error

    def _reset(self, world: World, settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
        """Put the harness rows back to the world as first provisioned; apply setting overrides
        (journalled first).

        The first reset (or one with another world) provisions the world, with ids from the
        database; every later one rewrites only the rows that differ from that state, with the
        same ids (``_restore``). Returns the ids the database assigned in place of the world's, by
        the world columns that echo them (tables/world_tables.py), so expected texts name the rows
        that really exist.
        """
        assert self.journal is not None, "begin() first"
        with self.db.write_lock:
            if self._snapshot is None or world is not self._world or not self.per_case:
                self._provision(world)
            else:
                self._restore(world)
        if settings:
            if not self.allow_global_changes:
                raise UsageError("this case changes system_settings, which this run forbids (no global changes)")
            columns = ", ".join(f"`{name}`" for name in settings)
            current = self.db.one(f"SELECT {columns} FROM system_settings LIMIT 1")
            self._settings_before = dict(zip(settings, current or ()))
            self.journal.write("settings", before=self._settings_before)
            self._update_settings(dict(settings))
        return self._assigned

    def _provision(self, world: World) -> None:
        """Every harness row out, the world's in with ids from the database; then the snapshot of
        them that later resets come back to."""
        rows = {**world_rows(world, installed=False), **custom_rows(world)}   # the target has its own install rows
        assigned: dict[str, dict[str, str]] = {}   # echoing column -> world id -> the database's id
        owned = [declared for declared in OWNED if declared.table not in self.unused]
        tables = [*(declared.table for declared in owned), *self.custom]
        stamp = WriteStamp.take(self.db, tables) if self.per_case else None
        for table in self.custom:   # rows of harness leads: before the leads go
            self.db.execute(f"DELETE FROM `{table}` WHERE {self.predicates[table]}")
        for declared in reversed(owned):
            self.db.execute(f"DELETE FROM `{declared.table}` WHERE {self.predicates[declared.table]}")
        for declared in owned:
            for row in rows[declared.table]:
                if declared.ids_from:
                    self._borrow_id(declared, row, assigned)
                world_id = row.get(declared.assigned_id)
                row = {key: assigned.get(key, {}).get(str(value), value) for key, value in row.items()
                       if key != declared.assigned_id}
                self.journal.write("insert", sync=False, table=declared.table,
                                   key={declared.owner: row.get(declared.owner)})
                real_id = self._insert(declared.table, row)
                if world_id is not None:
                    for column in declared.echoed_in:
                        assigned.setdefault(column, {})[str(world_id)] = str(real_id)
        for table in self.custom:
            for row in rows[table]:
                row = {**row, "lead_id": assigned.get("lead_id", {}).get(str(row["lead_id"]), row["lead_id"])}
                self.journal.write("insert", sync=False, table=table, key={"lead_id": row["lead_id"]})
                self._insert(table, row)
        self._world, self._assigned = world, assigned
        self.provisions += 1
        if self.per_case:   # custom tables first: their rows are found through their leads, so they go first
            self._snapshot = Snapshot(self.db, {table: self.predicates[table] for table in [*self.custom, *tables]
                                                if table in self.predicates}, stamp)

    def _borrow_id(self, declared: WorldTable, row: dict[str, Any], assigned: dict[str, dict[str, str]]) -> None:
        """Give ``row`` a key from the counter of the table it names (``ids_from``) unless its key is
        the placeholder of one of that table's rows: the row goes in there (journalled as lent: a kill
        leaves a harness row that cleanup removes by namespace), its id is noted as assigned, and it
        comes out again."""
        column = TABLES[declared.table].primary_key
        placeholder = str(row[column])
        if placeholder in assigned.get(column, {}):
            return
        lent = {key: value for key, value in row.items() if key != column}
        self.journal.write("lend", sync=False, table=declared.ids_from,
                           key={BY_TABLE[declared.ids_from].owner: row.get(BY_TABLE[declared.ids_from].owner)})
        real_id = self._insert(declared.ids_from, lent)
        self.db.execute(f"DELETE FROM `{declared.ids_from}` WHERE `{column}` = ?", real_id)
        assigned.setdefault(column, {})[placeholder] = str(real_id)

    def _restore(self, world: World) -> None:
        """Rewrite only the harness rows that differ from the provisioned state (a case's inserts,
        its changes, a host's stray write), with their ids; a table nobody wrote is not read. A row
        that cannot go back as it was (a host moved it out of the namespace, keeping its key) means
        provisioning afresh."""
        assert self._snapshot is not None
        try:
            rewritten = self._snapshot.restore(before=self._journal_restore)
        except NotRestored:
            self._provision(world)
            return
        for table, count in rewritten.items():
            self.rows_restored[table] = self.rows_restored.get(table, 0) + count

    def _journal_restore(self, table: str, removed: list[list[Any]], back: list[dict[str, Any]]) -> None:
        """What a restore is about to do to a table (a record: cleanup removes by namespace), with the
        highest id among the rows that go: a case's own inserts took ids above the world's, and the
        counters' report charges the run with them."""
        assert self.journal is not None and self._snapshot is not None
        declared = BY_TABLE.get(table)
        owner = declared.owner if declared else "lead_id"   # a custom table's rows are its leads'
        ids = [int(key[0]) for key in removed if declared and declared.assigned_id
               and self._snapshot.tables[table].key == [declared.assigned_id]]
        self.journal.write("restore", sync=False, table=table, removed=len(removed), inserted=len(back),
                           **({"highest": max(ids)} if ids else {}))
        for row in back:
            self.journal.write("insert", sync=False, table=table, key={owner: row.get(owner)})

    def hold(self, columns: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> None:
        """Save the host's own values of ``columns`` (table -> (column, value)), journalled first,
        then set ``value`` as the case about to run will (a consented disturbance, so its answer
        counts the harness's rows alone); ``after_case`` puts the saved values back."""
        assert self.journal is not None, "begin() first"
        for table, values in columns:
            changed = [column for column, _ in values]
            identity = [column.name for column in TABLES[table].columns if column.name not in changed]
            listed = ", ".join(f"`{name}`" for name in [*identity, *changed])
            host_rows = f"NOT ({self.predicates[table]})"
            rows = [list(row) for row in self.db.all(f"SELECT {listed} FROM `{table}` WHERE {host_rows}")]
            held = {"table": table, "identity": identity, "columns": changed, "rows": rows}
            self.journal.write("held", **held)
            self._held.append(held)
            assignments = ", ".join(f"`{column}` = ?" for column in changed)
            self.db.write(f"UPDATE `{table}` SET {assignments} WHERE {host_rows}", *(value for _, value in values))

    def after_case(self) -> None:
        """Put toggled system settings and held host columns back at once."""
        if self._settings_before and self.journal is not None:
            self._update_settings(self._settings_before)
            self.journal.write("settings_restored")
            self._settings_before = None
        if self._held and self.journal is not None:
            for held in self._held:
                _put_back(self.db, held, self.predicates[held["table"]])
            self.journal.write("held_restored")
            self._held = []

    def rows(self, table: str, columns: list[str], where: dict[str, str]) -> list[dict[str, Any]]:
        """What a case left in the target's database (its effects)."""
        return self.db.select_rows(table, columns, where)

    def missing_tables(self, tables: tuple[str, ...]) -> str | None:
        """Why some of ``tables`` (optional ones, custom_<list_id>) cannot hold the world's rows on the
        target (None: all can)."""
        reasons = [self.absent[table] if table in self.absent
                   else f"the world gives list {table.removeprefix('custom_')} no custom fields"
                   for table in tables if table in self.unused or (table.startswith("custom_")
                                                                    and table not in self.custom)]
        return "; ".join(reasons) or None

    @property
    def _checked(self) -> tuple[str, ...]:
        return tuple(table for table in CHECKED_TABLES if table not in self.unused) + self.custom

    def finish(self) -> list[str]:
        """Remove the harness rows and check the database is as it was; the problems found. A
        connection that broke (a query cut by a signal, the server gone and back) is replaced by a
        fresh one, which takes the run lock back, and the cleanup runs again from the journal."""
        try:
            return self._finish()
        except (UsageError, WorldError):
            raise
        except Exception:  # noqa: BLE001 - pymysql's errors: once more, on a fresh connection
            self.db.forget_connection()
            return self._finish()

    def _finish(self) -> list[str]:
        _hold_run_lock(self.db, self.url)
        self.after_case()
        problems = []
        outside_now = checksums(self.db, self.predicates, self._checked)
        changed = [table for table in self._checked if outside_now[table] != self.outside[table]]
        if changed:
            problems.append("rows outside the harness namespace changed during the run in: " + ", ".join(changed))
        undone = cleanup(self.db, read_journal(self.journal_path), self.restores_counters)
        problems += undone.problems
        self.counters = undone.counters
        if self.journal is not None:
            journal, self.journal = self.journal, None
            why = _end_of_run(journal, problems)
            if why:
                self.journal_note = (
                    f"the journal {self.journal_path} could not record the run's end ({why}); the database was "
                    "cleaned up and checked all the same, but a run with this journal stops until a cleanup marks "
                    f"it ended: make room there, then run vicicert cleanup --journal {self.journal_path} "
                    f"--world-db {mask_url(self.url)} (it finds nothing left to remove)")
        self.db.value("SELECT RELEASE_LOCK(?)", _run_lock_name(self.db))
        return problems

    def abandon(self) -> None:
        """Give up a run whose finish failed: close the connection (and with it the run lock) so that
        ``vicicert cleanup`` can finish the job from the journal at once."""
        try:
            self.db.close()
        except Exception:  # noqa: BLE001 - a database that went away may fail to close too
            pass

    # -- a series of runs on the same rows (load stats --keep-seed) ------------------------

    def keep(self, note: Mapping[str, Any]) -> None:
        """End this process's part and leave the harness rows in place: the journal stays
        unfinished, so a later run with the same ``note`` resumes it, and its ``finish`` (or
        ``vicicert cleanup``) compares with the checksums of the series' first ``begin``."""
        assert self.journal is not None, "begin() or resume() first"
        self.after_case()
        self.journal.write("kept", note=dict(note))
        self.journal.close()
        self.journal = None
        self.db.value("SELECT RELEASE_LOCK(?)", _run_lock_name(self.db))

    def resume(self, note: Mapping[str, Any]) -> bool:
        """Take up the run whose rows were kept with the same ``note``; False when the journal
        holds no kept rows (then ``begin``). Kept rows of another kind are a usage error."""
        if not unfinished(self.journal_path):
            return False
        entries = read_journal(self.journal_path)
        last_begin = max(index for index, entry in enumerate(entries) if entry["op"] == "begin")
        kept = [entry["note"] for entry in entries[last_begin:] if entry["op"] == "kept"]
        if not kept:
            return False  # a crashed run: begin() refuses with the cleanup command
        if kept[-1] != dict(note):
            found = ", ".join(f"{key} {value}" for key, value in kept[-1].items())
            raise UsageError(f"the journal {self.journal_path} holds rows kept by an earlier run ({found}), not "
                             f"this run's: give the same options, or remove them first with vicicert cleanup "
                             f"--journal {self.journal_path} --world-db URL")
        take_run_lock(self.db, self.url)
        self.before = entries[last_begin]["checksums"]
        self.custom = tuple(entries[last_begin].get("custom_tables") or ())
        self.unused = tuple(entries[last_begin].get("unused_tables") or ())
        self.predicates = namespace_predicates(self.namespace, self.custom, self.unused)
        self.outside = checksums(self.db, self.predicates, self._checked)  # from now on, nothing outside may change
        self.journal = Journal(self.journal_path, fresh=False)
        self.journal.write("resumed")
        return True

    # -- helpers ------------------------------------------------------------------------

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        columns = ", ".join(f"`{name}`" for name in row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT INTO `{table}` ({columns}) VALUES ({marks})", *row.values())
        return cursor.lastrowid

    def _update_settings(self, values: Mapping[str, Any]) -> None:
        assignments = ", ".join(f"`{name}` = ?" for name in values)
        self.db.write(f"UPDATE system_settings SET {assignments}", *values.values())

    def _auto_increment(self, table: str) -> int | None:
        return self.db.value("SELECT AUTO_INCREMENT FROM information_schema.TABLES "
                             "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", table)


def cleanup(db: Database, entries: list[dict[str, Any]], restore_counters: bool = True) -> Undone:
    """Undo a journalled run: harness rows out, settings back, checksums compared; counters put
    back when the account may ALTER, otherwise reported with how far they advanced."""
    begins = [index for index, entry in enumerate(entries) if entry["op"] == "begin"]
    if not begins:
        return Undone(["the journal has no begin entry: nothing was changed"])
    entries = entries[begins[-1]:]  # the last run only
    begin = entries[0]
    custom = tuple(begin.get("custom_tables") or ())
    predicates = namespace_predicates(begin.get("namespace", DEFAULT_NAMESPACE), custom,
                                      tuple(begin.get("unused_tables") or ()))
    highest = _highest_harness_ids(db, predicates)   # read before the rows go: how far this run took each counter
    for entry in entries:   # ... and rows of its own that a reset removed mid-run (a case's inserts)
        if entry["op"] == "restore" and "highest" in entry:
            highest[entry["table"]] = max(highest.get(entry["table"], 0), int(entry["highest"]))
    for table, predicate in predicates.items():
        db.write(f"DELETE FROM `{table}` WHERE {predicate}")
    pending, held = None, []
    for entry in entries:
        if entry["op"] == "settings":
            pending = entry["before"]
        elif entry["op"] == "settings_restored":
            pending = None
        elif entry["op"] == "held":
            held.append(entry)
        elif entry["op"] == "held_restored":
            held = []
    if pending:
        assignments = ", ".join(f"`{name}` = ?" for name in pending)
        db.write(f"UPDATE system_settings SET {assignments}", *pending.values())
    for entry in held:
        _put_back(db, entry, predicates[entry["table"]])
    advanced = []
    for table, counter in (begin.get("auto_increment") or {}).items():
        if counter is None:
            continue
        if restore_counters:  # MySQL keeps the counter above the highest id, so this never reuses one
            db.write(f"ALTER TABLE `{table}` AUTO_INCREMENT = {int(counter)}")
            continue
        now = db.value("SELECT AUTO_INCREMENT FROM information_schema.TABLES "
                       "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", table)
        if now is None or int(now) <= int(counter):
            continue
        own = highest.get(table)
        if own is not None and own + 1 < int(now):   # others inserted since: charge this run with its own ids only
            if own + 1 > int(counter):
                advanced.append(f"{table}.AUTO_INCREMENT advanced by {own + 1 - int(counter)} during the run "
                                f"({int(counter)} to {own + 1}; {int(now) - own - 1} more since, by others): the "
                                "account has no ALTER to put it back; ids are never reused, so only the gap remains")
            continue
        advanced.append(f"{table}.AUTO_INCREMENT advanced by {int(now) - int(counter)} "
                        f"({int(counter)} to {int(now)}): the account has no ALTER to put it back; "
                        "ids are never reused, so only the gap remains")
    after = checksums(db, tables=tuple(begin["checksums"]))   # the tables the run used
    return Undone([f"{table} differs from before the run: {before} rows/crc then, {after[table]} now"
                   for table, before in begin["checksums"].items() if after.get(table) != before], advanced)


def _put_back(db: Database, held: Mapping[str, Any], harness_rows: str) -> None:
    """Write ``held``'s saved columns back to the host's own rows, each found by its other declared
    columns (null-safe: a NULL matches a NULL)."""
    identity, columns = held["identity"], held["columns"]
    assignments = ", ".join(f"`{name}` = ?" for name in columns)
    matches = " AND ".join(f"`{name}` <=> ?" for name in identity)
    for row in held["rows"]:
        db.write(f"UPDATE `{held['table']}` SET {assignments} WHERE NOT ({harness_rows}) AND {matches}",
                 *row[len(identity):], *row[:len(identity)])


def _highest_harness_ids(db: Database, predicates: dict[str, str]) -> dict[str, int]:
    """The highest id the database gave a harness row still there, per counted table: the run's own
    inserts end there, whatever others inserted after them."""
    highest = {}
    for declared in OWNED:
        if declared.assigned_id and declared.table in predicates:
            found = db.value(f"SELECT MAX(`{declared.assigned_id}`) FROM `{declared.table}` "
                             f"WHERE {predicates[declared.table]}")
            if found is not None:
                highest[declared.table] = int(found)
    return highest


def cleanup_journal(journal: Path, url: str) -> Undone:
    """``vicicert cleanup``: undo the run the journal describes in the database at ``url``, then
    mark it ended so the next run may start. A run that ended (its own finish, or an earlier cleanup,
    undid it) is left alone: nothing is read or written, and ``ended`` says how it ended."""
    entries = read_journal(journal)  # refuses a file that is not a journal before anything is written
    if not unfinished(journal):
        end = entries[-1] if entries and entries[-1]["op"] == "end" else {}
        by = end.get("by", "its own finish")
        return Undone(problems=[f"the run ended with problems ({by} found them; cleaning up again cannot undo "
                                f"them): {problem}" for problem in end.get("problems") or []],
                      ended=f"the run in {journal} has ended ({by} undid it): nothing to undo")
    db = _vicidial_database(url)
    begins = [entry for entry in entries if entry["op"] == "begin"]
    restores_counters = _check_grants(db, url, tuple(begins[-1].get("unused_tables") or ()) if begins else (),
                                      disturbing=any(entry["op"] == "held" for entry in entries))
    take_run_lock(db, url)
    undone = cleanup(db, entries, restores_counters)
    try:
        why = _end_of_run(Journal(journal, fresh=False), undone.problems, by="vicicert cleanup")
    except OSError as error:   # the torn line a full disk left could not be cut
        why = str(error.strerror or error)
    if why:
        undone.unrecorded = (f"the database was cleaned up, but the journal {journal} could not record it ({why}), "
                             "so a run with this journal still stops: make room there, then run this command "
                             "again (it finds nothing left to remove)")
    return undone


def _end_of_run(journal: Journal, problems: list[str], by: str | None = None) -> str:
    """Write the run's ``end`` to ``journal`` and close it; "" once written, else why it could not be
    (a full disk): the database is cleaned up and checked all the same, but the journal still reads
    as a run to undo, so a run with it stops until a cleanup marks it ended."""
    try:
        journal.write("end", problems=problems, **({"by": by} if by else {}))
        return ""
    except OSError as error:
        return str(error.strerror or error)
    finally:
        try:
            journal.close()
        except OSError:
            pass   # the same failure, flushing what could not be written


def _run_lock_name(db: Database) -> str:
    return f"vicicert run on {db.value('SELECT DATABASE()')}"[:64]


def take_run_lock(db: Database, url: str) -> None:
    """One run (or cleanup) at a time per database: each restores what it saw, which a second
    run's temporary values would corrupt. The lock is MySQL's own (GET_LOCK): it goes with the
    holder's connection, so a killed run never leaves it behind."""
    name = _run_lock_name(db)
    if db.value("SELECT GET_LOCK(?, 0)", name) == 1:
        return
    holder = db.value("SELECT IS_USED_LOCK(?)", name)
    found = db.one("SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = ?", holder)
    who = f", user {found[0]} from {found[1]}, for {found[2]} s" if found else ""
    raise UsageError(f"another vicicert run holds {mask_url(url)} (MySQL connection {holder}{who}): one run at a "
                     "time per database, since each puts back what it changed; wait for it to end (a killed "
                     "run's lock goes with its connection). Nothing was written")


def release_run_lock(db: Database) -> None:
    """Give the run lock back (closing the connection does too)."""
    db.value("SELECT RELEASE_LOCK(?)", _run_lock_name(db))


def _hold_run_lock(db: Database, url: str) -> None:
    """The run lock on this connection: a fresh connection (the run's own broke, and its lock went
    with it) takes it back, waiting a little for the old one's to be released by the server."""
    name = _run_lock_name(db)
    if db.value("SELECT IS_USED_LOCK(?) = CONNECTION_ID()", name):
        return
    if db.value("SELECT GET_LOCK(?, 30)", name) != 1:
        raise UsageError(f"the connection to {mask_url(url)} broke and another vicicert run took the database "
                         "before this run could clean up: let it end, then run the vicicert cleanup named below")


def _check_grants(db: Database, url: str, unused: tuple[str, ...] = (), disturbing: bool = False) -> bool:
    """Refuse an account that lacks a needed right (on the tables the run uses: not ``unused``
    optional ones; UPDATE on the host's rows a ``disturbing`` run puts back), before anything is
    written; whether it may ALTER the counted tables (then cleanup puts their counters back)."""
    needed = {table: set(rights) for table, rights in NEEDED.items() if table not in unused}
    if disturbing:
        for table in HOST_COLUMNS:
            needed.setdefault(table, set()).add("UPDATE")
    granted = require(db, needed, mask_url(url), "the SQL fixture mode needs SELECT, INSERT, UPDATE and DELETE on "
                      "the asterisk database (what BASE_INSTALL grants cron); grant them or give the cron account's URL")
    return all("ALTER" in granted[table] for table in AUTO_INCREMENT_TABLES if table in needed)


def _vicidial_database(url: str) -> Database:
    """The target's database, refused unless it holds the tables the fixtures write (an optional
    one apart: its cases are skipped)."""
    db = open_database(url, create_tables=False)
    missing = sorted(set(CHECKED_TABLES) - db.table_names() - set(OPTIONAL_TABLES))
    if missing:
        raise UsageError(f"{mask_url(url)} has no table {', '.join(missing)}: give the asterisk database of a "
                         "VICIdial host (mysql://user:pass@host:3306/asterisk)")
    if not db.value("SELECT COUNT(*) FROM system_settings"):
        raise UsageError(f"{mask_url(url)} has no system_settings row, which every VICIdial install has: give "
                         "the asterisk database of an installed host")
    return db


def _keys_taken(db: Database, world: World, unused: tuple[str, ...] = ()) -> list[str]:
    """The world's unique keys that the host's own rows already hold, where the key is not the
    owner column (vicidial_statuses.status): inserting the world would fail half-way."""
    rows = world_rows(world, installed=False)
    taken = []
    for declared in OWNED:
        if declared.table in unused:
            continue
        table = TABLES[declared.table]
        keys = [(table.primary_key,)] if table.primary_key else []
        for key in [*keys, *table.unique]:
            if declared.owner in key or declared.assigned_id in key or (declared.ids_from and key == (table.primary_key,)):
                continue
            wanted = {tuple(row.get(column) for column in key) for row in rows[declared.table]}
            if not wanted:
                continue
            match = " OR ".join("(" + " AND ".join(f"`{column}` = ?" for column in key) + ")" for _ in wanted)
            found = db.all(f"SELECT {', '.join(f'`{column}`' for column in key)} FROM `{declared.table}` "
                           f"WHERE {match}", *[value for values in sorted(wanted, key=str) for value in values])
            taken += [f"{declared.table} " + ", ".join(f"{column} {value!r}" for column, value in zip(key, values))
                      for values in found]
    return taken


def _reserved_held(db: Database, unused: tuple[str, ...] = ()) -> list[str]:
    """Rows of the host's own in a range of keys the harness reserves (before any harness row exists)."""
    held = []
    for declared in OWNED:
        if declared.reserved and declared.table not in unused:
            column, low, high = declared.reserved
            # A text key (a phone number) is compared as text, so its index serves: compared with a
            # number, every row of a host's DNC list (millions) would be converted and read.
            text = TABLES[declared.table].column(column).width is not None
            count = db.value(f"SELECT COUNT(*) FROM `{declared.table}` WHERE `{column}` BETWEEN ? AND ?",
                             *((str(low), str(high)) if text else (low, high)))
            if count:
                held.append(f"{count} {declared.table} row(s) with {column} {low} to {high}")
    return held


def check_ownership(world: World, namespace: str) -> None:
    """Every row of the world is recognisably the harness's (tables/world_tables.py), a world file of
    one's own included: otherwise the row is refused at its file and line, before anything is written."""
    moved = f" (the harness namespace; in the world file {DEFAULT_NAMESPACE}..., which --namespace moves)" \
        if namespace != DEFAULT_NAMESPACE else " (the harness namespace)"
    for name, section in (("api_users", world.api_users), ("agents", world.agents)):
        for role, row in section.items():
            if not str(row["user"]).startswith(namespace):
                raise WorldError(*world.where(name, role),
                                 f"role {role!r} has user {row['user']!r} outside the harness namespace",
                                 f"SQL fixture mode only writes users starting with {namespace!r}{moved}")
    for declared in OWNED:
        prefix = owner_prefixes(declared, namespace)
        for index, row in enumerate(world.section(declared.section) if declared.section else ()):
            column, low, high = declared.reserved or (None, 0, 0)
            if column is not None and not low <= int(row.get(column, -1)) <= high:
                raise WorldError(*world.where(declared.section, index),
                                 f"{declared.section} row with {column} {row.get(column)!r} is outside vicicert's "
                                 f"reserved range", f"give {declared.section} rows a {column} from {low} to {high}")
            if "agent" in row and declared.agent_column == declared.owner:
                continue   # the agent's own user, checked above
            if not str(row.get(declared.owner, "")).startswith(prefix):
                raise WorldError(*world.where(declared.section, index),
                                 f"{declared.section} row with {declared.owner} {row.get(declared.owner)!r} is "
                                 "outside the harness namespace, so no cleanup could tell it from the host's own",
                                 f"SQL fixture mode only writes {declared.section} whose {declared.owner} starts "
                                 f"with {' or '.join(map(repr, prefix))}" + (moved if declared.prefix in (NAMESPACE, HARNESS) else ""))


def _usable_tables(db: Database, declared: Mapping[str, Table]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Of tables a host may lack (optional ones, the world's custom_<list_id> tables), those the
    target already has with every declared column and the rights to write rows there; and why each
    other one cannot be used (a real host's cron account may not CREATE, so vicicert never makes them)."""
    usable, absent = [], {}
    rights = privileges_of(db, declared) if declared else {}
    for name, table in declared.items():
        found = {column for (column,) in db.all(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            name)}
        lacking = [column.name for column in table.columns if column.name not in found]
        if not found:
            absent[name] = f"the target has no table {name} ({table.optional}; vicicert never creates tables on a " \
                           "real host)"
        elif lacking:
            absent[name] = f"the target's {name} has no column {', '.join(lacking)}"
        elif {"SELECT", "INSERT", "DELETE"} - rights.get(name, set()):
            absent[name] = f"the account may not SELECT, INSERT and DELETE in {name}"
        else:
            usable.append(name)
    return tuple(usable), absent
