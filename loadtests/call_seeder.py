"""``vicicert seed --logs calls``: millions of call-log rows in a VICIdial host's database, and out again.

The rows (``CallLogPlan``) are the harness's by the marks cleanup already knows: calls in
campaigns and in-groups ``VCERTSD...`` (vicidial_log, vicidial_closer_log) and recordings of
agents ``vcrtsd...`` (recording_log), so ``vicicert cleanup`` removes them as it removes a run's
world. Seeding is a SQL fixture run that keeps its rows: it takes the run lock, refuses a database
already holding harness rows, journals the checksums of the tables before anything is written,
loads the rows through LOAD DATA as the agent-log seed does (indexes kept on: no ALTER), and ends
with the journal unfinished ("kept"). ``--remove`` deletes the rows a slice at a time under the
lock, then the journal's cleanup compares the checksums with those from before the seed; a killed
seed is undone by ``vicicert cleanup --journal``.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy

from conformance.call_log_generator import CAMPAIGN_PREFIX, DIALER_USERS, CallLogPlan, chunks
from conformance.errors import UsageError
from conformance.journal import unfinished
from conformance.redaction import mask_url
from conformance.sql_fixture import (SqlFixture, Undone, cleanup_journal, prefix_match, release_run_lock,
                                     take_run_lock)
from conformance.tables.database import MysqlDatabase, open_database
from conformance.tables.grants import require
from conformance.world import World

from .progress import RowProgress
from .seeder import REMOVE_STEP, SERVER_IP, server_reads
from .tab_separated import Choice, Joined, Timestamp, Whole, constant, format_rows
from .watched_statement import watched_write

NOTE = {"profile": "seed", "logs": "calls"}   # the journal's mark of a seed's kept rows
CALL_TABLES = ("vicidial_log", "vicidial_closer_log", "recording_log")
CALL_COLUMNS = ("uniqueid", "lead_id", "list_id", "campaign_id", "call_date", "start_epoch", "end_epoch",
                "length_in_sec", "status", "phone_number", "user", "term_reason")
RECORDING = ("channel", "server_ip", "extension", "start_time", "start_epoch", "end_time", "end_epoch",
             "length_in_sec", "length_in_min", "filename", "location", "lead_id", "user", "vicidial_id")
TERM_REASONS = (("CALLER", "AGENT", "NONE"), ("CALLER", "AGENT", "ABANDON"))   # outbound, inbound
RECORDING_URL = f"http://{SERVER_IP}/RECORDINGS/MIXED/"


def seeded(table: str, user_prefix: str = "vcrtsd") -> str:
    """The seeded rows of one call-log table (exactly: the harness's own world rows are not these)."""
    if table == "recording_log":
        return f"{prefix_match('user', user_prefix)} AND `server_ip` = '{SERVER_IP}'"
    return prefix_match("campaign_id", CAMPAIGN_PREFIX)


def seed_calls(url: str, plan: CallLogPlan, journal: Path, progress=None, local: bool | None = None) -> dict:
    """Write ``plan``'s calls into the database at ``url`` as a kept SQL fixture run (journal
    ``journal``); returns rows per table, seconds, rows per second and the path taken. A failure or a
    signal mid-way removes what was written before it is raised."""
    fixture = SqlFixture(url, journal, per_case=False)
    if not isinstance(fixture.db, MysqlDatabase):
        raise UsageError("call logs are seeded into a VICIdial host's MySQL/MariaDB database (mysql://...)")
    fixture.begin(World(path=None))   # the run lock, harness rows refused, checksums journalled
    try:
        result = seed_into(fixture, plan, progress, local)
    except BaseException:
        remove_calls(fixture.db, progress)
        for problem in fixture.finish():
            print(f"vicicert seed: {problem}")
        raise
    fixture.keep(NOTE)
    return result


def seed_into(fixture: SqlFixture, plan: CallLogPlan, progress=None, local: bool | None = None) -> dict:
    """``plan``'s calls written inside a fixture run that has begun (its lock held, its journal
    open): the keys checked free, the plan narrowed to the host's statuses, the seed journalled,
    the rows loaded. Rows per table, seconds, rows per second and the path taken; on a failure
    the caller removes what was written (``remove_calls``) and finishes the run."""
    _refuse_held_keys(fixture, plan)
    plan = plan.with_statuses({status for (status,) in fixture.db.all("SELECT status FROM vicidial_statuses")})
    if not plan.outbound_statuses or not plan.inbound_statuses:
        raise UsageError(f"{mask_url(fixture.url)} knows none of the statuses the seed gives outbound or inbound "
                         "calls")
    fixture.journal.write("seed", logs="calls", rows=plan.rows, seed=plan.seed)
    started = time.perf_counter()
    with RowProgress("seeding calls", plan.rows, stream=progress) as rows:
        written, path = _load(fixture.db, plan, rows, local)
    seconds = time.perf_counter() - started
    total = sum(written.values())
    return {"rows": written, "seconds": seconds, "rows_per_second": total / seconds if seconds else 0.0,
            "path": path}


def _refuse_held_keys(fixture: SqlFixture, plan: CallLogPlan) -> None:
    """The seeded leads' ids and the window's seeded uniqueids are free on the host."""
    low, high = plan.lead_range()
    held = fixture.db.value("SELECT COUNT(*) FROM vicidial_list WHERE lead_id BETWEEN ? AND ?", low, high)
    if held:
        raise UsageError(f"{mask_url(fixture.url)} holds {held} lead(s) with lead_id {low} to {high}, the ids the "
                         "seeded calls name; nothing was written")
    start, end = plan.window()
    held = fixture.db.value("SELECT COUNT(*) FROM vicidial_log WHERE call_date BETWEEN ? AND ? AND uniqueid LIKE "
                            "'%._______' AND SUBSTRING_INDEX(uniqueid, '.', -1) >= '9000000'", start, end)
    if held:
        raise UsageError(f"{mask_url(fixture.url)} holds {held} call(s) of its own between {start} and {end} with "
                         "uniqueids of the form the seed gives (epoch.9nnnnnn): choose another --start; nothing "
                         "was written")


def _load(database: MysqlDatabase, plan: CallLogPlan, progress: RowProgress,
          local: bool | None) -> tuple[dict[str, int], str]:
    written = dict.fromkeys(CALL_TABLES, 0)
    outbound_texts = [status for status, _, _ in plan.outbound_statuses]
    inbound_texts = [status for status, _, _ in plan.inbound_statuses]
    with tempfile.TemporaryDirectory(prefix="vicicert-seed-") as name:
        folder = Path(name)
        local = local or not server_reads(database, folder, "vicidial_log", CALL_COLUMNS)
        for columns in chunks(plan):
            inbound = columns["inbound"]
            out = {key: values[~inbound] for key, values in columns.items()}
            into = {key: values[inbound] for key, values in columns.items()}
            written["vicidial_log"] += _load_text(database, folder, "vicidial_log", CALL_COLUMNS,
                                                  _call_text(out, plan, plan.campaign_ids, outbound_texts, 0), local,
                                                  len(out["call"]))
            before = database.value("SELECT COALESCE(MAX(closecallid), 0) FROM vicidial_closer_log")
            written["vicidial_closer_log"] += _load_text(database, folder, "vicidial_closer_log", CALL_COLUMNS,
                                                         _call_text(into, plan, plan.ingroup_ids, inbound_texts, 1),
                                                         local, len(into["call"]))
            ids = numpy.array([row[0] for row in database.all(
                "SELECT closecallid FROM vicidial_closer_log WHERE closecallid > ? AND "
                f"{seeded('vicidial_closer_log')} ORDER BY closecallid", before)], dtype=numpy.int64)
            if len(ids) != len(into["call"]):
                raise RuntimeError(f"{len(ids)} seeded closer rows found after loading {len(into['call'])}")
            for calls, vicidial_id in ((out, _uniqueid(out)), (into, Whole(ids))):
                recorded = calls["recorded"]
                if recorded.any():
                    text = _recording_text({key: values[recorded] for key, values in calls.items()}, plan,
                                           _pick(vicidial_id, recorded))
                    written["recording_log"] += _load_text(database, folder, "recording_log", RECORDING, text, local,
                                                           int(recorded.sum()))
            progress.update(written["vicidial_log"] + written["vicidial_closer_log"])
    return written, "LOCAL" if local else "server file"


def _load_text(database: MysqlDatabase, folder: Path, table: str, columns: tuple[str, ...], text: bytes,
               local: bool, expected: int) -> int:
    if not expected:
        return 0
    path = folder / f"{table}.tsv"
    path.write_bytes(text)
    path.chmod(0o644)
    loaded = database.load_data(path, table, columns, local)
    if loaded != expected:   # LOCAL skips a duplicate key silently
        raise UsageError(f"{table} took {loaded:,} of {expected:,} seeded rows: keys of the host's own were in the "
                         "way; the rows written are removed")
    return loaded


def _pick(field, mask: numpy.ndarray):
    """The rows of a uniqueid (Joined) or id (Whole) field where ``mask`` holds."""
    if isinstance(field, Whole):
        return Whole(field.values[mask])
    return Joined(tuple(Whole(part.values[mask], digits=part.digits) for part in field.fields), field.between)


def _uniqueid(calls: dict) -> Joined:
    """``<epoch>.<9nnnnnn>``: unique per call (the sequence is the call's number)."""
    return Joined((Whole(calls["epoch"]), Whole(9_000_000 + calls["call"] % 1_000_000, digits=7)), b".")


def _call_text(calls: dict, plan: CallLogPlan, campaigns: list[str], statuses: list[str], direction: int) -> bytes:
    """vicidial_log or vicidial_closer_log lines, in ``CALL_COLUMNS`` order (closecallid is the database's)."""
    if not len(calls["call"]):
        return b""
    user = numpy.where(calls["agent"], calls["user"], plan.agents)   # plan.agents: the dialer's user
    return format_rows([
        _uniqueid(calls), Whole(calls["lead_id"]), Whole(calls["list_id"]), Choice(campaigns, calls["campaign"]),
        Timestamp(calls["epoch"]), Whole(calls["epoch"]), Whole(calls["epoch"] + calls["length"]),
        Whole(calls["length"]), Choice(statuses, calls["status"]), Whole(plan.phone_number(calls["phone"])),
        Choice([*plan.users, DIALER_USERS[direction]], user), Choice(list(TERM_REASONS[direction]), calls["term"])])


def _recording_text(calls: dict, plan: CallLogPlan, vicidial_id) -> bytes:
    """recording_log lines of recorded calls, in ``RECORDING`` order: the call's time, length, lead and agent."""
    count = len(calls["call"])
    end = calls["epoch"] + calls["length"]
    filename = Joined((Timestamp(calls["epoch"]), Whole(plan.phone_number(calls["phone"])),
                       Choice(plan.users, calls["user"])), b"_")
    cents = (calls["length"] * 100 + 30) // 60
    return format_rows([
        constant("Local/58600051@default", count), constant(SERVER_IP, count), constant("8309", count),
        Timestamp(calls["epoch"]), Whole(calls["epoch"]), Timestamp(end), Whole(end), Whole(calls["length"]),
        Joined((Whole(cents // 100), Whole(cents % 100, digits=2)), b"."), filename,
        Joined((constant(RECORDING_URL, count), filename, constant("-all.mp3", count))), Whole(calls["lead_id"]),
        Choice(plan.users, calls["user"]), vicidial_id])


def remove_calls(database, progress=None, step: int = REMOVE_STEP) -> dict[str, int]:
    """Delete every seeded call-log row; rows removed per table. On MySQL one DELETE a table, each
    watched for the rows it has examined so far (as ``seed --remove`` does the agent log's); on
    SQLite about ``step`` rows per statement (ranges of the table's key, or of call_date, indexed,
    for vicidial_log, which has no integer key)."""
    if isinstance(database, MysqlDatabase):
        return _remove_one_delete_a_table(database, progress)
    keys = {"recording_log": "recording_id", "vicidial_closer_log": "closecallid", "vicidial_log": "call_date"}
    found = {table: database.one(f"SELECT MIN({key}), MAX({key}), COUNT(*) FROM {table} WHERE {seeded(table)}")
             for table, key in keys.items()}
    removed = dict.fromkeys(keys, 0)
    with RowProgress("removing calls", sum(int(count) for _, _, count in found.values()), stream=progress) as rows:
        done = 0
        for table, (first, last, count) in found.items():
            if not count:
                continue
            for low, high in _slices(first, last, int(count), step):
                removed[table] += database.write(f"DELETE FROM {table} WHERE {keys[table]} BETWEEN ? AND ? AND "
                                                 f"{seeded(table)}", low, high)
                rows.update(done + removed[table])
            done += removed[table]
    return removed


def _remove_one_delete_a_table(database: MysqlDatabase, progress) -> dict[str, int]:
    """Each call log's seeded rows in one DELETE, progress by the rows examined of all three tables."""
    sizes = {table: database.value("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                   "DATABASE() AND TABLE_NAME = ?", table) or 0 for table in CALL_TABLES}
    removed, done = {}, 0
    with RowProgress("removing calls", sum(sizes.values()), unit="rows examined", stream=progress) as rows:
        for table in CALL_TABLES:
            removed[table] = watched_write(database, f"DELETE FROM {table} WHERE {seeded(table)}",
                                           examined=lambda examined, before=done: rows.update(before + examined))
            done += sizes[table]
            rows.update(done)
    return removed


def _slices(first, last, count: int, step: int) -> list[tuple]:
    """Inclusive ranges from ``first`` to ``last`` (ids, or datetimes) of about ``step`` rows each."""
    if isinstance(first, int):
        return [(low, min(low + step - 1, last)) for low in range(first, last + 1, step)]
    span = (last - first).total_seconds() + 1
    width = timedelta(seconds=max(1, int(span * step / count)))
    ranges, low = [], first
    while low <= last:
        ranges.append((low, min(low + width - timedelta(seconds=1), last)))
        low += width
    return ranges


def remove_seeded_calls(url: str, journal: Path, progress=None) -> tuple[dict[str, int], Undone | None]:
    """``seed --remove``: the seeded calls out under the run lock, then the seed's journal (when it
    has one unfinished) cleaned up: checksums compared with those from before the seed. Rows removed
    per table, and what the cleanup found (None: no unfinished journal, nothing compared)."""
    database = open_database(url, create_tables=False)
    if isinstance(database, MysqlDatabase):
        require(database, {table: {"SELECT", "DELETE"} for table in CALL_TABLES}, mask_url(url),
                "removing seeded calls needs SELECT and DELETE on the call logs")
        take_run_lock(database, url)
    try:
        removed = remove_calls(database, progress)
    finally:
        if isinstance(database, MysqlDatabase):
            release_run_lock(database)
            database.close()
    if not isinstance(database, MysqlDatabase) or not unfinished(journal):
        return removed, None
    return removed, cleanup_journal(journal, url)
