"""``vicicert seed``: deterministic agent-log rows into a host's database, fast, and out again.

Rows come from the generator (``AgentLogPlan``); their agents are ``vcsd``-prefixed and every
row carries ``comments = 'vicicert-seed'``, so ``--remove`` deletes exactly them. MySQL and
MariaDB get ``LOAD DATA LOCAL INFILE`` from a tab-separated file written in chunks; SQLite
gets one transaction with its secondary indexes rebuilt after the load. Agent-log ids are
left to the database; they keep the generator's order, which is all the export depends on.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy

from conformance.agent_log_generator import MISSING, PAUSE_CODES, AgentLogPlan, chunks, generate
from conformance.tables.database import Database, MysqlDatabase, SqliteDatabase

TAG = "vicicert-seed"
COLUMNS = ("user", "server_ip", "event_time", "lead_id", "campaign_id", "pause_epoch", "pause_sec", "wait_sec",
           "talk_sec", "dispo_sec", "dead_sec", "sub_status", "comments")
SERVER_IP = "192.0.2.15"
CHUNK = 500_000


def seed(database: Database, plan: AgentLogPlan, progress=sys.stderr) -> dict:
    """Write ``plan``'s rows and its agents; returns rows, seconds and rows per second."""
    started = time.perf_counter()
    _seed_users(database, plan)
    if isinstance(database, MysqlDatabase):
        written = _load_data(database, plan, progress)
    else:
        written = _sqlite_bulk(database, generate(plan), plan.rows, progress)
    seconds = time.perf_counter() - started
    return {"rows": written, "seconds": seconds, "rows_per_second": written / seconds if seconds else 0.0}


def remove(database: Database) -> int:
    """Delete every seeded row and seeded agent; the number of agent-log rows removed."""
    removed = database.write(f"DELETE FROM vicidial_agent_log WHERE comments = '{TAG}' AND user LIKE 'vcsd%'")
    database.write("DELETE FROM vicidial_users WHERE user LIKE 'vcsd%' AND pass = 'vicicert-seed'")
    return removed


def _seed_users(database: Database, plan: AgentLogPlan) -> None:
    database.write("DELETE FROM vicidial_users WHERE user LIKE 'vcsd%' AND pass = 'vicicert-seed'")
    for user, (full_name, group) in plan.user_rows().items():
        database.write("INSERT INTO vicidial_users (user, pass, full_name, user_group, user_level) "
                       "VALUES (?, 'vicicert-seed', ?, ?, 1)", user, full_name, group)


def _tsv(columns: dict, plan: AgentLogPlan) -> str:
    """One chunk of generator columns as LOAD DATA lines (``\\N`` for NULL), converted column-wise."""
    def text(values, missing=None):
        strings = values.astype(str)
        if missing is not None:
            strings = numpy.where(values == missing, "\\N", strings)
        return strings.tolist()

    count = len(columns["epoch"])
    stamps = numpy.char.replace(columns["epoch"].astype("datetime64[s]").astype(str), "T", " ").tolist()
    statuses = numpy.array(["LOGIN", "", *PAUSE_CODES])[columns["sub_status"] + 2].tolist()
    fields = (numpy.array(plan.users)[columns["user"]].tolist(), [SERVER_IP] * count, stamps,
              text(columns["lead_id"], MISSING), numpy.array(plan.campaign_ids)[columns["campaign"]].tolist(),
              text(columns["epoch"]), text(columns["pause_sec"], MISSING), text(columns["wait_sec"]),
              text(columns["talk_sec"]), text(columns["dispo_sec"]), text(columns["dead_sec"]), statuses,
              [TAG] * count)
    return "\n".join(map("\t".join, zip(*fields))) + "\n"


def _load_data(database: MysqlDatabase, plan: AgentLogPlan, progress) -> int:
    written = 0
    # MyISAM (upstream's engine) can rebuild non-unique indexes by sorting after the load,
    # instead of updating them row by row; other engines ignore the two statements.
    database.write("ALTER TABLE vicidial_agent_log DISABLE KEYS")
    try:
        written = _load_chunks(database, plan, progress)
    finally:
        database.write("ALTER TABLE vicidial_agent_log ENABLE KEYS")
    return written


def _load_chunks(database: MysqlDatabase, plan: AgentLogPlan, progress) -> int:
    written = 0
    with tempfile.TemporaryDirectory(prefix="vicicert-seed-") as folder:
        path = Path(folder) / "chunk.tsv"
        for columns in chunks(plan):
            path.write_text(_tsv(columns, plan), encoding="latin-1")
            database.load_data(path, "vicidial_agent_log", COLUMNS)
            written += len(columns["epoch"])
            _progress(progress, written, plan.rows)
    return written


def _sqlite_bulk(database: SqliteDatabase, rows, total: int, progress) -> int:
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
            while written < total:
                batch = [(r.user, SERVER_IP, r.event_time, r.lead_id, r.campaign_id, r.pause_epoch, r.pause_sec,
                          r.wait_sec, r.talk_sec, r.dispo_sec, r.dead_sec, r.sub_status, TAG)
                         for r, _ in zip(rows, range(CHUNK))]
                if not batch:
                    break
                connection.executemany(f"INSERT INTO vicidial_agent_log ({columns}) VALUES ({marks})", batch)
                written += len(batch)
                _progress(progress, written, total)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finally:
            for _, sql in indexes:
                connection.execute(sql)
    return written


def _progress(stream, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    stream.write(f"\rseeding [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} rows")
    if done >= total:
        stream.write("\n")
    stream.flush()
