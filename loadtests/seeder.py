"""``vicicert seed``: deterministic agent-log rows into a host's database, fast, and out again.

Rows come from the generator (``AgentLogPlan``); their agents are ``vcsd``-prefixed (the
harness namespace's, on a target) and every row carries ``comments = 'vicicert-seed'``, so
``--remove`` deletes exactly them. The agents are inactive accounts: no login with them works. MySQL and
MariaDB get ``LOAD DATA INFILE`` of tab-separated chunk files, read by the server itself when
it can (same machine, FILE privilege; twice as fast) and sent by the client (LOCAL)
otherwise, while the next chunk is formatted; SQLite gets one transaction with its secondary
indexes rebuilt after the load. Agent-log ids are left to the database; they keep the
generator's order, which is all the export depends on.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conformance.agent_log_generator import LOGIN, MISSING, SUB_STATUSES, AgentLogPlan, chunks, generate
from conformance.tables.database import Database, MysqlDatabase, SqliteDatabase
from conformance.tables.grants import ALL as ALL_PRIVILEGES
from conformance.tables.grants import require

from .progress import RowProgress
from .tab_separated import Choice, Timestamp, Whole, constant, format_rows
from .watched_statement import watched_write

TAG = "vicicert-seed"
COLUMNS = ("user", "server_ip", "event_time", "lead_id", "campaign_id", "pause_epoch", "pause_sec", "wait_sec",
           "talk_sec", "dispo_sec", "dead_sec", "sub_status", "comments")
SERVER_IP = "192.0.2.15"
SORT_BUFFER = 1 << 30
CHUNK = 500_000
REMOVE_STEP = 100_000  # primary keys per DELETE when removing from SQLite


SEEDED_TABLES = ("vicidial_agent_log", "vicidial_users")


def seed(database: Database, plan: AgentLogPlan, progress=None, local: bool | None = None,
         rebuild_indexes: bool | None = None) -> dict:
    """Write ``plan``'s rows and its agents; returns rows, seconds, rows per second and the path
    taken. Progress goes to the stream ``progress`` (stderr by default). ``local`` True always
    sends the rows from the client; None lets the server read them when it can.
    ``rebuild_indexes`` False leaves a MySQL table's indexes on during the load (no ALTER needed,
    and a live host's other rows stay indexed); None rebuilds them when the account may ALTER
    (upstream's cron may not)."""
    rights = _rights(database, {"SELECT", "INSERT", "DELETE"})
    if rebuild_indexes is None:
        rebuild_indexes = "ALTER" in rights
    started = time.perf_counter()
    _seed_users(database, plan)
    with RowProgress("seeding", plan.rows, stream=progress) as rows:
        if isinstance(database, MysqlDatabase):
            texts = (chunk_text(columns, plan) for columns in chunks(plan))  # formatted while the last one loads
            written, path = load_tab_separated(database, texts, rows, local, rebuild_indexes)
        else:
            written, path = _sqlite_bulk(database, generate(plan), rows), "INSERT"
    seconds = time.perf_counter() - started
    return {"rows": written, "seconds": seconds, "rows_per_second": written / seconds if seconds else 0.0,
            "path": path}


def seeded_world(path: Path, plan: AgentLogPlan) -> Path:
    """A SQLite file with the embedded world and ``plan``'s rows, built once and reused; built
    under another name and renamed when complete, so an interrupted build is never reused."""
    from conformance.bundle import EMBEDDED_WORLD
    from conformance.tables.provisioning import world_rows
    from conformance.world import load_world

    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        database = SqliteDatabase(partial)
        database.replace_rows(world_rows(load_world(EMBEDDED_WORLD)))
        seed(database, plan)
        database.connection().close()
        partial.rename(path)
    return path


def remove(database: Database, progress=None, step: int = REMOVE_STEP, user_prefix: str = "vcsd",
           rebuild_indexes: bool | None = None) -> int:
    """Delete every seeded row and seeded agent; the number of agent-log rows removed.

    What one plain DELETE of them costs, and no more. On MySQL it is that DELETE, watched from a
    second connection for the rows it has examined so far (``watched_statement``), so progress
    shows on the stream ``progress`` (stderr by default): slices by primary-key ranges read the
    rows in key order and cost a fifth more. On SQLite rows go ``step`` primary keys at a time
    between the seeded rows' first and last keys (two probes in key order, no count).
    ``rebuild_indexes`` True disables a MySQL table's secondary indexes for the removal and
    rebuilds them by sorting once at the end, as seeding does, instead of taking every row out of
    each index one at a time (twice as fast; needs ALTER, and the host's other rows are not indexed
    meanwhile); None does so when the account may ALTER and the seeded rows are at least as many
    as the table's others."""
    rights = _rights(database, {"SELECT", "DELETE"})
    seeded = f"comments = '{TAG}' AND user LIKE '{user_prefix}%'"
    if isinstance(database, MysqlDatabase):
        rows = _table_rows(database)
        if rebuild_indexes is None:
            rebuild_indexes = "ALTER" in rights and _mostly_seeded(database, seeded)
        with RowProgress("removing", rows, unit="rows examined", stream=progress) as examined, \
                _indexes_off(database, rebuild_indexes):
            removed = watched_write(database, f"DELETE FROM vicidial_agent_log WHERE {seeded}",
                                    examined=examined.update)
            examined.update(rows)
            if rebuild_indexes:
                examined.note(f"{removed:,} rows removed; rebuilding the indexes")
    else:
        removed = _remove_by_key_ranges(database, seeded, step, progress)
    database.write(f"DELETE FROM vicidial_users WHERE user LIKE '{user_prefix}%' AND pass = '{TAG}'")
    return removed


def _remove_by_key_ranges(database: Database, seeded: str, step: int, progress) -> int:
    """The seeded rows out ``step`` primary keys at a time, from the first seeded key to the last."""
    first, last = _seeded_keys(database, seeded)
    removed = 0
    if first is None:
        return removed
    with RowProgress("removing", last - first + 1, unit="keys", stream=progress) as keys:
        for low in range(first, last + 1, step):
            removed += database.write(f"DELETE FROM vicidial_agent_log WHERE agent_log_id BETWEEN ? AND ? AND {seeded}",
                                      low, min(low + step - 1, last))
            keys.update(min(low + step, last + 1) - first)
    return removed


def _mostly_seeded(database: MysqlDatabase, seeded: str) -> bool:
    """Whether the seeded rows (one run of keys) are at least as many as the table's others."""
    first, last = _seeded_keys(database, seeded)
    return first is not None and last - first + 1 >= _myisam_rows(database) - (last - first + 1)


def _seeded_keys(database: Database, seeded: str) -> tuple[int | None, int | None]:
    """The first and last primary key of the rows ``seeded`` selects, each read by walking the primary
    key from its end until the first such row (a seed's rows are one run of keys: the walk reads
    only the host's rows before or after them); (None, None) when there is none."""
    force = " FORCE INDEX (PRIMARY)" if isinstance(database, MysqlDatabase) else ""
    ends = [database.value(f"SELECT agent_log_id FROM vicidial_agent_log{force} WHERE {seeded} "
                           f"ORDER BY agent_log_id {order} LIMIT 1") for order in ("ASC", "DESC")]
    return ends[0], ends[1]


def _table_rows(database: MysqlDatabase) -> int:
    """The agent log's rows as the server counts them without a scan (exact for MyISAM, an estimate
    for other engines): what a removal's one DELETE examines."""
    return database.value("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'vicidial_agent_log'") or 0


def _myisam_rows(database: MysqlDatabase) -> int:
    """The agent log's rows as the server counts them without a scan; 0 for a table whose indexes
    cannot be switched off (not MyISAM)."""
    return database.value("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'vicidial_agent_log' AND ENGINE = 'MyISAM'") or 0


@contextlib.contextmanager
def _indexes_off(database: Database, off: bool):
    """The agent log's secondary indexes left out of every change meanwhile and rebuilt once after,
    when ``off``, also after an interruption. MyISAM (upstream's engine) rebuilds non-unique indexes
    by sorting instead of changing them row by row; other engines ignore the two statements. The
    rebuild sorts every key in memory when the session's sort buffer holds them all; at the
    server's default (128 MiB) 10M rows spill to merge passes and take twice as long."""
    if not off:
        yield
        return
    database.write("ALTER TABLE vicidial_agent_log DISABLE KEYS")
    database.write(f"SET SESSION myisam_sort_buffer_size = GREATEST(@@myisam_sort_buffer_size, {SORT_BUFFER})")
    try:
        yield
    finally:
        database.write("ALTER TABLE vicidial_agent_log ENABLE KEYS")
        database.write("SET SESSION myisam_sort_buffer_size = DEFAULT")


def _seed_users(database: Database, plan: AgentLogPlan) -> None:
    """The plan's agents as inactive accounts (upstream refuses every login of one)."""
    database.write(f"DELETE FROM vicidial_users WHERE user LIKE '{plan.user_prefix}%' AND pass = '{TAG}'")
    for user, (full_name, group) in plan.user_rows().items():
        database.write("INSERT INTO vicidial_users (user, pass, full_name, user_group, user_level, active) "
                       f"VALUES (?, '{TAG}', ?, ?, 1, 'N')", user, full_name, group)


def chunk_text(columns: dict, plan: AgentLogPlan) -> bytes:
    """One chunk of generator columns as LOAD DATA lines, in ``COLUMNS`` order."""
    count = len(columns["epoch"])
    return format_rows([
        Choice(plan.users, columns["user"]), constant(SERVER_IP, count), Timestamp(columns["epoch"]),
        Whole(columns["lead_id"], MISSING), Choice(plan.campaign_ids, columns["campaign"]), Whole(columns["epoch"]),
        Whole(columns["pause_sec"], MISSING), Whole(columns["wait_sec"]), Whole(columns["talk_sec"]),
        Whole(columns["dispo_sec"]), Whole(columns["dead_sec"]), Choice(SUB_STATUSES, columns["sub_status"] - LOGIN),
        constant(TAG, count)])


def _rights(database: Database, needed: set[str]) -> set[str]:
    """What the account may do to both seeded tables (everything on SQLite); a missing ``needed``
    right is a usage error before anything is written."""
    if not isinstance(database, MysqlDatabase):
        return set(ALL_PRIVILEGES)
    granted = require(database, {table: needed for table in SEEDED_TABLES}, database.describe(),
                      "seeding needs SELECT, INSERT and DELETE on vicidial_agent_log and vicidial_users (ALTER only "
                      "speeds it up)")
    return set.intersection(*granted.values())


def load_tab_separated(database: MysqlDatabase, texts: Iterable[bytes], progress: RowProgress,
                       local: bool | None = None, rebuild_indexes: bool = True) -> tuple[int, str]:
    """Chunks of ``COLUMNS`` lines into vicidial_agent_log, the indexes rebuilt once at the end
    (``rebuild_indexes``) or kept up row by row; (rows written, path taken). The next text is
    asked for while the last one loads."""
    with tempfile.TemporaryDirectory(prefix="vicicert-seed-") as folder, _indexes_off(database, rebuild_indexes):
        local = local or not server_reads(database, Path(folder))
        written = _load_chunks(database, texts, Path(folder), local, progress)
        if rebuild_indexes:
            progress.note("rows written; rebuilding the indexes")
        return written, "LOCAL" if local else "server file"


def server_reads(database: MysqlDatabase, folder: Path, table: str = "vicidial_agent_log",
                 columns: tuple[str, ...] = COLUMNS) -> bool:
    """Whether the server can read files in ``folder`` itself (same machine, FILE privilege,
    no secure_file_priv in the way): an empty file loaded into ``table`` says so, adding nothing."""
    folder.chmod(0o755)  # the server runs as its own OS user; the rows are synthetic
    probe = folder / "probe.tsv"
    probe.write_bytes(b"")
    probe.chmod(0o644)
    import pymysql
    try:
        database.load_data(probe, table, columns, local=False)
    except pymysql.MySQLError:  # any refusal (privilege, secure_file_priv, another machine) means LOCAL
        return False
    return True


def _load_chunks(database: MysqlDatabase, texts: Iterable[bytes], folder: Path, local: bool,
                 progress: RowProgress) -> int:
    """Take text n+1 while the database loads text n (two files, used in turn)."""
    written = 0
    with ThreadPoolExecutor(1) as loader:
        pending = None
        for number, text in enumerate(texts):
            path = folder / f"chunk{number % 2}.tsv"
            path.write_bytes(text)
            path.chmod(0o644)
            if pending is not None:
                written += pending.result()
                progress.update(written)
            pending = loader.submit(database.load_data, path, "vicidial_agent_log", COLUMNS, local)
        if pending is not None:
            written += pending.result()
            progress.update(written)
    return written


def _sqlite_bulk(database: SqliteDatabase, rows, progress: RowProgress) -> int:
    connection = database.connection()
    indexes = connection.execute("SELECT name, sql FROM sqlite_master WHERE type='index' "
                                 "AND tbl_name='vicidial_agent_log' AND sql IS NOT NULL").fetchall()
    with database.write_lock:
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.execute("PRAGMA cache_size=-262144")
        written = 0
        marks = ", ".join("?" for _ in COLUMNS)
        columns = ", ".join(COLUMNS)
        connection.execute("BEGIN")
        try:
            while written < progress.total:
                batch = [(r.user, SERVER_IP, r.event_time, r.lead_id, r.campaign_id, r.pause_epoch, r.pause_sec,
                          r.wait_sec, r.talk_sec, r.dispo_sec, r.dead_sec, r.sub_status, TAG)
                         for r in itertools.islice(rows, CHUNK)]
                if not batch:
                    break
                connection.executemany(f"INSERT INTO vicidial_agent_log ({columns}) VALUES ({marks})", batch)
                written += len(batch)
                progress.update(written)
            connection.execute("COMMIT")
            progress.note("rows written; rebuilding the indexes")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finally:
            for _, sql in indexes:
                connection.execute(sql)
    return written
