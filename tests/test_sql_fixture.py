"""SQL fixture mode on a real MariaDB: provision, journal, clean up, and leave the database as found."""

from __future__ import annotations

import itertools
import json
import random
import re
import signal
import subprocess
import sys
import time

import pytest
from command import vicicert
from mariadb import add_install_rows

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.errors import UsageError, WorldError
from conformance.host.server import EmbeddedHost
from conformance.sql_fixture import AUTO_INCREMENT_TABLES, SqlFixture, checksums, namespace_predicates
from conformance.world import DEFAULT_NAMESPACE, load_world, renamed
from conformance.tables.database import open_database
from conformance.tables.provisioning import world_rows
from conformance.tables.world_tables import OWNED

_numbers = itertools.count(1)

FOREIGN = [  # what a lab VICIdial host already holds; none of it may change
    "INSERT INTO system_settings (version, db_schema_version, use_non_latin, vdc_agent_api_active) "
    "VALUES ('2.14b0.5', 1701, '0', '1')",
    "INSERT INTO servers (server_id, server_ip, active, active_asterisk_server, local_gmt) "
    "VALUES ('LAB1', '10.9.8.7', 'Y', 'Y', '-5.00')",
    "INSERT INTO vicidial_users (user, pass, full_name, user_level, user_group, vdc_agent_api_access, view_reports) "
    "VALUES ('6666', 'labAdmin1', 'Lab admin', 9, 'ADMIN', '1', '1'), ('1000', 'labAgent1', 'Lab agent', 1, 'AGENTS', '0', '0')",
    "INSERT INTO vicidial_live_agents (user, server_ip, conf_exten, status, lead_id, campaign_id) "
    "VALUES ('1000', '10.9.8.7', '8600099', 'READY', 0, 'LABCAMP')",
    "INSERT INTO vicidial_campaigns (campaign_id, campaign_name, active) VALUES ('LABCAMP', 'Lab campaign', 'Y')",
    "INSERT INTO vicidial_pause_codes (pause_code, pause_code_name, campaign_id) VALUES ('LUNCH', 'Lunch', 'LABCAMP')",
    "INSERT INTO vicidial_statuses (status, status_name, selectable, scheduled_callback) "
    "VALUES ('CALLBK', 'Call Back', 'Y', 'Y'), ('SALE', 'Sale Made', 'Y', 'N')",
    "INSERT INTO vicidial_campaign_statuses (status, status_name, selectable, campaign_id, scheduled_callback) "
    "VALUES ('CALLBK', 'Call Back', 'Y', 'LABCAMP', 'N')",
    "INSERT INTO recording_log (server_ip, start_time, filename, user) VALUES ('10.9.8.7', '2026-01-01 10:00:00', 'lab_rec', '1000')",
    "INSERT INTO vicidial_agent_log (user, server_ip, event_time, lead_id, campaign_id, pause_sec, talk_sec) "
    "VALUES ('1000', '10.9.8.7', '2026-06-01 12:00:00', 77, 'LABCAMP', 5, 60)",
]


@pytest.fixture
def lab(vicidial_mariadb):
    """A fresh 'lab host' database with foreign rows, and the reference host serving it."""
    name = f"lab{next(_numbers)}"
    vicidial_mariadb.admin(f"CREATE DATABASE {name}")
    url = vicidial_mariadb.url(name)
    database = open_database(url)          # creates upstream's tables, as a VICIdial install has them
    for statement in FOREIGN:
        database.write(statement)
    add_install_rows(database)
    host = EmbeddedHost(url).start()
    yield url, host, database
    host.stop()


def auto_increments(database) -> dict[str, int]:
    return {table: database.value("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                  "DATABASE() AND TABLE_NAME = ?", table) for table in AUTO_INCREMENT_TABLES}


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
def test_check_with_sql_fixtures_passes_and_leaves_no_trace(lab, tmp_path):
    """Under --namespace qa7, so a vcrt row is someone else's and a case that names a world row
    literally (vcrtGA1) instead of by role fails. (The README's lab check runs every case in the
    default namespace.)"""
    url, host, database = lab
    database.write("INSERT INTO vicidial_users (user, pass) VALUES ('vcrt9999', 'notOurs1')")
    before = checksums(database)
    counters = auto_increments(database)
    result = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "--namespace", "qa7",
                      cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "harness rows removed, checksums equal to before the run" in result.stdout
    assert checksums(database) == before
    journal = (tmp_path / "reports/out/vicicert-journal.jsonl").read_text()
    assert '"namespace": "qa7"' in journal and '"user": "qa71001"' in journal and '"user": "vcrt' not in journal
    entries = [json.loads(line) for line in journal.splitlines()]
    assert entries[0]["op"] == "begin" and entries[-1] == {"op": "end", "problems": []}
    # the world went in once; each later case put back only the rows it changed
    provisioned = sum(len(rows) for table, rows in world_rows(load_world(EMBEDDED_WORLD), installed=False).items()
                      if table in {declared.table for declared in OWNED})
    restores = [entry for entry in entries if entry["op"] == "restore"]
    assert sum(entry["op"] == "insert" for entry in entries) == provisioned + sum(entry["inserted"] for entry in restores)
    assert 0 < len(restores) < len(entries) / 2
    assert "dbPass-test1" not in journal + result.stdout + result.stderr
    assert "mysql://vicicert:********@127.0.0.1" in entries[0]["database"]
    # with ALTER granted the counters are put back too, and the reports say the database is as found
    assert auto_increments(database) == counters and all(counters.values())
    assert json.loads((tmp_path / "reports/out/report.json").read_text())["database"] == {
        "left_as_found": True, "cleanup_failed": False, "problems": [], "counters_advanced": [], "journal_not_ended": ""}


def past_provisioning(journal) -> bool:
    """The journal shows a case after the world went in (a restore or a settings change follows
    the inserts): the harness users are in the database, and stay there whatever comes next."""
    try:
        ops = [json.loads(line)["op"] for line in journal.read_text().splitlines()]
    except json.JSONDecodeError:   # a line being written
        return False
    return "restore" in ops or "settings" in ops


def test_the_namespace_predicates_let_mysql_use_the_owner_columns_index(lab):
    """A real host's agent log holds millions of rows, and every case's reset deletes the harness's
    rows: where the owner column is indexed, that delete must not scan the table (LIKE BINARY
    alone did: upstream's suite ran 5x slower on an agent log with 13M deleted rows' pages)."""
    from conformance.tables.schema import TABLES
    _, _, database = lab
    indexed = [declared for declared in OWNED
               if TABLES[declared.table].primary_key == declared.owner
               or any(columns[0] == declared.owner for columns in (*TABLES[declared.table].indexes,
                                                                    *TABLES[declared.table].unique))]
    assert {declared.table for declared in indexed} >= {"vicidial_agent_log", "vicidial_users", "recording_log"}
    for declared in indexed:
        predicate = namespace_predicates(DEFAULT_NAMESPACE)[declared.table]
        plan = database.all(f"EXPLAIN DELETE FROM `{declared.table}` WHERE {predicate}")
        scans = [row for row in plan if "ALL" in row]
        assert not scans, f"{declared.table}: {plan}"
        assert database.value(f"SELECT COUNT(*) FROM `{declared.table}` WHERE {predicate}") == 0


@pytest.mark.slow  # whole checks over the private MariaDB
def test_killed_run_is_undone_by_cleanup(lab, tmp_path):
    url, host, database = lab
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "check", "-q", "--target", host.base_url,
                                "--world-db", url, "--journal", str(journal)], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (journal.exists() and past_provisioning(journal)):   # kill it mid-run, the world in place
        assert time.monotonic() < deadline and process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert database.value("SELECT COUNT(*) FROM vicidial_users WHERE user LIKE 'vcrt%'") > 0
    assert checksums(database) != before
    refused = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "--journal", str(journal),
                       cwd=tmp_path, timeout=900)  # the crashed run's journal is its undo record: kept
    assert refused.returncode == 2 and "never finished" in refused.stdout + refused.stderr
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "checksums equal to before the run" in result.stdout and "dbPass-test1" not in result.stdout
    assert checksums(database) == before
    assert json.loads(journal.read_text().splitlines()[-1])["op"] == "end"


@pytest.mark.slow
@pytest.mark.parametrize("number, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_mid_run_stops_between_cases_and_cleans_up(lab, tmp_path, no_process_left, number, code):
    """Started as a script's `&` starts it (SIGINT ignored, its own session): the signal stops the run
    after the case being sent, the run's own cleanup leaves the checksums equal, the reports are written."""
    url, host, database = lab
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "check", "-q", "--target", host.base_url,
                                "--world-db", url, "--journal", str(journal), "--report-dir", str(tmp_path / "out")],
                               cwd=tmp_path, env=no_process_left, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    deadline = time.monotonic() + 300
    while not (journal.exists() and journal.read_text().count('"insert"') >= 300):   # cases are running
        assert time.monotonic() < deadline and process.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.05)
    process.send_signal(number)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == code, stdout[-2000:] + stderr[-2000:]
    assert f"interrupted by {signal.Signals(number).name}" in stderr and "Traceback" not in stdout + stderr
    assert checksums(database) == before
    assert json.loads(journal.read_text().splitlines()[-1])["op"] == "end"
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["database"]["left_as_found"] is True and report["cases"]


@pytest.mark.slow  # eight runs started and interrupted, each cleaning up itself
def test_ctrl_c_at_any_point_leaves_the_database_as_it_was(lab, tmp_path, no_process_left):
    """Ctrl-C after a random number of journal lines (seeded), once or twice in a row (the second stops at
    once, perhaps inside a statement): each run cleans up itself, exit 130, checksums equal, no cleanup
    command needed."""
    url, host, database = lab
    before = checksums(database)
    points = [1, 40, *random.Random(7).sample(range(41, 1500), 6)]
    for attempt, point in enumerate(points):
        twice = attempt % 2 == 1
        journal = tmp_path / f"journal-{attempt}.jsonl"
        process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "check", "-q", "--target",
                                    host.base_url, "--world-db", url, "--journal", str(journal),
                                    "--report-dir", str(tmp_path / f"out-{attempt}")], cwd=tmp_path,
                                   env=no_process_left, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while not (journal.exists() and journal.read_bytes().count(b"\n") >= point):
            assert time.monotonic() < deadline and process.poll() is None, f"run {attempt} ended before line {point}"
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        if twice:
            process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=600)
        where = f"Ctrl-C {'twice ' if twice else ''}after {point} journal lines: {stdout[-1500:]}{stderr[-1500:]}"
        assert process.returncode == 130, where
        assert checksums(database) == before, where
        assert json.loads(journal.read_text().splitlines()[-1])["op"] == "end", where


# Every kind of journal line a whole run writes, in a run of a tenth of the cases (120): the world
# put in once, settings changed and put back (preamble), rows a case inserts into declared tables
# (add_dnc_phone: DNC and admin log; recording: recording_log), rows restored by difference.
KILLED_RUNS_SPECS = ["-k", "preamble or recording or add_dnc_phone"]

# `vicicert` that kills itself (SIGKILL) the moment its journal's Nth line is on disk: between
# that line and the change it announces. A kill sent from outside after seeing the Nth line races
# the run itself, which may write the rest and end first on a fast or a loaded machine.
KILLED_AT_LINE = """
import os, signal, sys
from conformance import journal
from conformance.cli import main
point, written = int(sys.argv.pop(1)), [0]
keep = journal.Journal.write
def write(self, *args, **kwargs):
    keep(self, *args, **kwargs)
    written[0] += 1
    if written[0] == point:
        os.kill(os.getpid(), signal.SIGKILL)
journal.Journal.write = write
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow  # twenty runs started and killed, each cleaned up
def test_twenty_kills_at_random_points_are_each_undone_by_cleanup(lab, tmp_path):
    """SIGKILL right after a random journal line (seeded: the same points each run), anywhere in a
    run: mid-provisioning, mid-restore, in a settings change, each time between the line and its
    statement; each time `vicicert cleanup` puts the database back exactly. The points range over
    the journal of a whole run, made first."""
    url, host, database = lab
    before = checksums(database)
    whole = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, *KILLED_RUNS_SPECS, "--journal",
                     str(tmp_path / "whole.jsonl"), cwd=tmp_path, timeout=900)
    assert whole.returncode == 0, whole.stdout[-3000:]
    lines = (tmp_path / "whole.jsonl").read_bytes().count(b"\n")
    for attempt, point in enumerate(random.Random(20).sample(range(1, lines - 1), 20)):
        journal = tmp_path / f"journal-{attempt}.jsonl"
        killed = subprocess.run([sys.executable, "-c", KILLED_AT_LINE, str(point), "check", "-q", "--target",
                                 host.base_url, "--world-db", url, *KILLED_RUNS_SPECS, "--journal", str(journal)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=900)
        assert killed.returncode == -signal.SIGKILL, f"run {attempt} was not killed at line {point}: " \
                                                     f"{killed.stdout[-2000:]}{killed.stderr[-2000:]}"
        assert journal.read_bytes().count(b"\n") == point
        result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path, timeout=300)
        assert result.returncode == 0, f"killed after {point} journal lines: {result.stdout}{result.stderr}"
        assert checksums(database) == before, f"killed after {point} journal lines"


@pytest.mark.slow  # a run of the lead specs, killed, then cleaned up
def test_a_kill_while_a_lead_add_lead_made_is_in_the_database_is_undone_by_cleanup(lab, tmp_path):
    """SIGKILL at the moment a lead the function under test created exists (add_lead's cases send
    the owner mark vendor_lead_code={api.user}AL), not one of the world's: `vicicert cleanup` removes
    it with the world, and the checksums are as before the run."""
    url, host, database = lab
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    created = "SELECT COUNT(*) FROM vicidial_list WHERE vendor_lead_code LIKE 'vcrt6666AL%'"
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "check", "-q", "--target", host.base_url,
                                "--world-db", url, "-k", "add_lead", "--journal", str(journal)], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not database.value(created):
        assert time.monotonic() < deadline and process.poll() is None, "the run ended before add_lead added a lead"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert database.value(created) > 0
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert database.value(created) == 0 and checksums(database) == before


def test_consecutive_runs_on_one_journal_each_undo_their_own(lab, tmp_path, vicidial_world):
    """The journal holds one run: a second run in another namespace cleans up its own rows."""
    url, _, database = lab
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    for namespace in ("qa7", DEFAULT_NAMESPACE):
        world = renamed(vicidial_world, namespace)
        fixture = SqlFixture(url, journal, namespace=namespace)
        fixture.begin(world)
        fixture.reset(world, {})
        assert fixture.finish() == []
        assert database.value(f"SELECT COUNT(*) FROM vicidial_users WHERE user LIKE '{namespace}%'") == 0
    assert checksums(database) == before
    assert [json.loads(line)["op"] for line in journal.read_text().splitlines()].count("begin") == 1


def harness_rows(database) -> dict[str, list[tuple]]:
    """Every harness row, every column (assigned ids included), in a fixed order."""
    return {table: sorted((tuple(row) for row in database.all(f"SELECT * FROM `{table}` WHERE {predicate}")), key=repr)
            for table, predicate in namespace_predicates(DEFAULT_NAMESPACE).items()}


def a_logged_in_agent(world) -> str:
    return next(row["user"] for row in world.agents.values() if row.get("logged_in", True))


def test_a_reset_puts_back_only_the_rows_a_case_changed_with_their_ids(lab, tmp_path, vicidial_world):
    """The world goes in once; a case's update, insert and delete are undone row by row, with the ids
    the database assigned at the start, so the counters advance by the host's own inserts alone; a
    table the case did not touch is not written, and a case that changed nothing writes nothing."""
    url, _, database = lab
    journal = tmp_path / "journal.jsonl"
    fixture = SqlFixture(url, journal)
    fixture.begin(vicidial_world)
    assigned = fixture.reset(vicidial_world, {})
    provisioned, counters = harness_rows(database), auto_increments(database)
    agent, api_user = a_logged_in_agent(vicidial_world), vicidial_world.api_users["api_admin"]["user"]
    database.write("UPDATE vicidial_live_agents SET external_recording = 'changed' WHERE user = ?", agent)
    database.write("INSERT INTO recording_log (server_ip, start_time, filename, user) "
                   "VALUES ('10.9.8.7', NOW(), 'inserted_by_the_case', ?)", agent)   # the host's insert: one id
    database.write("DELETE FROM vicidial_users WHERE user = ?", api_user)
    assert fixture.reset(vicidial_world, {}) == assigned
    assert harness_rows(database) == provisioned
    # deleted plus inserted: the changed agent's row out and back, the case's recording out, the user back
    assert fixture.rows_restored == {"vicidial_live_agents": 2, "recording_log": 1, "vicidial_users": 1}
    assert auto_increments(database) == {**counters, "recording_log": counters["recording_log"] + 1}
    lines = journal.read_text().count("\n")
    assert fixture.reset(vicidial_world, {}) == assigned
    assert journal.read_text().count("\n") == lines and fixture.provisions == 1
    assert fixture.finish() == []


def with_a_large_agent_log(world, extra: int = 300):
    """``world`` with ``extra`` more agent-log rows."""
    from dataclasses import replace
    first = world.section("agent_log")[0]
    rows = [{**first, "agent_log_id": 1000 + number, "pause_epoch": 978307200 + number,
             "event_time": f"2001-01-01 {number // 3600:02d}:{number // 60 % 60:02d}:{number % 60:02d}"}
            for number in range(extra)]
    return replace(world, rows={**world.rows, "agent_log": [*world.section("agent_log"), *rows]})


def test_ids_a_case_took_and_a_reset_removed_are_charged_to_the_run(lab, tmp_path, vicidial_mariadb, vicidial_world):
    """Without ALTER the counters are reported: a recording the case started took an id above the
    world's, and the reset removed its row, yet the run, not 'others', is charged with it."""
    url, _, database = lab
    cron = account(vicidial_mariadb, url, "cron", BASE_INSTALL_GRANTS)
    counter = auto_increments(database)["recording_log"]
    fixture = SqlFixture(cron, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    database.write("INSERT INTO recording_log (server_ip, start_time, filename, user) "
                   "VALUES ('10.9.8.7', NOW(), 'started_by_the_case', ?)", a_logged_in_agent(vicidial_world))
    fixture.reset(vicidial_world, {})
    assert fixture.finish() == []
    recordings = len(world_rows(vicidial_world)["recording_log"])
    assert f"recording_log.AUTO_INCREMENT advanced by {recordings + 1} ({counter} to {counter + recordings + 1})" \
           f": the account has no ALTER" in " ".join(fixture.counters), fixture.counters


@pytest.mark.slow  # whole checks over the private MariaDB
def test_a_table_no_case_wrote_is_not_read_and_a_write_to_it_is_still_put_back(lab, tmp_path, vicidial_world):
    """The server's update times spare the reset the rows of a table nobody wrote since the last
    case (the agent log, however many rows the world gives it); a stray write there is seen at once."""
    url, _, database = lab
    world = with_a_large_agent_log(vicidial_world)
    time.sleep(1.1)   # the world goes in a second after the lab's own rows: the update times visibly move
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(world)
    fixture.reset(world, {})
    provisioned = harness_rows(database)
    time.sleep(1.1)   # update times count seconds: tables written in this second are read again
    fixture.reset(world, {})   # the provisioning's own writes are checked once
    read = dict(fixture._snapshot.read)
    database.write("UPDATE vicidial_live_agents SET external_recording = 'changed' WHERE user = ?",
                   a_logged_in_agent(world))
    fixture.reset(world, {})
    assert fixture._snapshot.read["vicidial_live_agents"] > read["vicidial_live_agents"]   # read, put back, read
    assert fixture._snapshot.read["vicidial_agent_log"] == read["vicidial_agent_log"]   # not read at all
    database.write("UPDATE vicidial_agent_log SET talk_sec = talk_sec + 1 WHERE user LIKE 'vcrt%' LIMIT 1")
    fixture.reset(world, {})
    assert harness_rows(database) == provisioned
    assert fixture.finish() == []


def test_a_write_whose_file_time_lags_into_the_second_before_the_check_is_still_seen(
        lab, tmp_path, vicidial_world, vicidial_mariadb, monkeypatch):
    """MyISAM's update time is the data file's modification time, taken from the kernel's coarse
    clock, a tick behind the server's NOW(): a case's write early in a second, just after the reset
    that checked the table, carries the second before the check. The reset after it still puts the
    row back. The lag is made here by setting the file's time as that clock would have (it failed
    CI: a send_dtmf value left for the next case)."""
    import os

    from conformance.tables import snapshot
    url, _, database = lab
    checks = []
    real = snapshot.update_times

    def recorded(db, tables):
        now, times = real(db, tables)
        checks.append(now)
        return now, times
    monkeypatch.setattr(snapshot, "update_times", recorded)
    data_file = vicidial_mariadb.data / url.rsplit("/", 1)[1] / "vicidial_live_agents.MYD"
    assert data_file.exists(), "the lab's tables are MyISAM, as upstream's are"
    time.sleep(1.1)   # the world goes in a second after the lab's own rows: the update times visibly move
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    assert "vicidial_live_agents" in fixture._snapshot._vouched
    provisioned = harness_rows(database)
    for _ in range(20):   # a check early in its second (the lag to model stays within a tick or two)
        time.sleep(1 - time.time() % 1 + 0.01)
        fixture.reset(vicidial_world, {})
        checked = checks[-1]
        if checked.microsecond < 200_000:
            break
    else:
        pytest.skip("no reset started early in a second in 20 tries: the machine is too busy to model the lag")
    database.write("UPDATE vicidial_live_agents SET external_dtmf = '1' WHERE user = ?", a_logged_in_agent(vicidial_world))
    lagging = float(database.value("SELECT UNIX_TIMESTAMP(?)", checked.replace(microsecond=0))) - 0.001
    os.utime(data_file, (lagging, lagging))
    assert database.value("SELECT UPDATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'vicidial_live_agents'") < checked.replace(microsecond=0)
    fixture.reset(vicidial_world, {})
    assert harness_rows(database) == provisioned
    assert fixture.finish() == []


def frozen_update_times(monkeypatch) -> None:
    """A server whose update times never move (an engine that keeps a creation time, a stale cache)."""
    import datetime

    from conformance.tables import snapshot
    real = snapshot.update_times

    def frozen(db, tables):
        now, _ = real(db, tables)
        return now, {table: datetime.datetime(2001, 1, 1) for table in tables}
    monkeypatch.setattr(snapshot, "update_times", frozen)


def test_update_times_that_never_move_are_not_trusted(lab, tmp_path, vicidial_world, monkeypatch):
    url, _, database = lab
    world = with_a_large_agent_log(vicidial_world)
    frozen_update_times(monkeypatch)
    time.sleep(1.1)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(world)
    fixture.reset(world, {})
    provisioned = harness_rows(database)
    database.write("UPDATE vicidial_agent_log SET talk_sec = talk_sec + 1 WHERE user LIKE 'vcrt%' LIMIT 1")
    fixture.reset(world, {})
    assert harness_rows(database) == provisioned   # read every time, so the change was seen
    # trusted blindly, the same frozen times would have hidden it: the guard is what catches it
    fixture._snapshot._vouched.update(fixture._snapshot.tables)
    database.write("UPDATE vicidial_agent_log SET talk_sec = talk_sec + 1 WHERE user LIKE 'vcrt%' LIMIT 1")
    fixture.reset(world, {})
    assert harness_rows(database) != provisioned
    fixture.finish()


@pytest.mark.slow  # whole checks over the private MariaDB
def test_a_host_that_writes_where_it_should_not_is_reset_before_every_case(lab, tmp_path, pytester, monkeypatch):
    from targets import writing_where_it_should_not
    url, host, database = lab
    before = checksums(database)
    writing_where_it_should_not(monkeypatch)   # the lab's host too: it answers, then scrambles harness rows
    outcome = pause_code_in_process(pytester, host, url, tmp_path / "out")
    assert outcome.ret == 0, outcome.stdout.str()[-3000:]
    report = json.loads((tmp_path / "out/report.json").read_text())
    assert report["totals"]["passed"] == report["totals"]["cases"] > 20
    assert report["database"]["left_as_found"] and checksums(database) == before


def test_a_row_moved_out_of_the_namespace_keeping_its_id_means_the_world_goes_in_afresh(lab, tmp_path,
                                                                                      vicidial_world):
    """Its id is no longer free to put it back with: the world is provisioned anew (new ids), and the
    moved row is reported at the end as a change outside the namespace."""
    url, _, database = lab
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    api_user = vicidial_world.api_users["api_admin"]["user"]
    moved_id = database.value("SELECT user_id FROM vicidial_users WHERE user = ?", api_user)
    database.write("UPDATE vicidial_users SET user = 'moved1' WHERE user = ?", api_user)
    fixture.reset(vicidial_world, {})
    assert fixture.provisions == 2
    assert database.value("SELECT user_id FROM vicidial_users WHERE user = ?", api_user) not in (None, moved_id)
    assert fixture.finish()[0] == "rows outside the harness namespace changed during the run in: vicidial_users"


def test_a_change_to_a_row_without_user_is_seen(lab, tmp_path, vicidial_world):
    url, _, database = lab
    database.write("INSERT INTO vicidial_agent_log (user, server_ip, pause_sec) VALUES (NULL, '10.9.8.7', 3)")
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    database.write("UPDATE vicidial_agent_log SET pause_sec = 4 WHERE user IS NULL")
    assert fixture.finish()[0] == "rows outside the harness namespace changed during the run in: vicidial_agent_log"


@pytest.mark.slow  # whole checks over the private MariaDB
def test_foreign_rows_in_the_namespace_are_refused(lab, tmp_path):
    url, host, database = lab
    database.write("INSERT INTO vicidial_users (user, pass) VALUES ('vcrt9999', 'notOurs1')")
    result = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, cwd=tmp_path, timeout=900)
    assert result.returncode == 2
    assert "vicidial_users already holds harness rows" in result.stdout + result.stderr
    assert database.value("SELECT pass FROM vicidial_users WHERE user = 'vcrt9999'") == "notOurs1"
    # the cleanup it suggests names the other run's journal, never this run's (which was not written)
    named = re.findall(r"--journal (\S+)", result.stdout + result.stderr)
    assert named == ["ITS_JOURNAL"], named
    assert not (tmp_path / "reports/out/vicicert-journal.jsonl").exists()


def test_a_world_key_the_host_already_uses_is_refused(lab, tmp_path, vicidial_world):
    """vicidial_statuses rows are the harness's by their name, but their key is the status: one the
    host holds under its own name is refused before anything is written (the insert would fail)."""
    url, _, database = lab
    database.write("INSERT INTO vicidial_statuses (status, status_name, scheduled_callback) "
                   "VALUES ('VCGCB', 'Host callback', 'Y')")
    before = checksums(database)
    with pytest.raises(UsageError, match="already holds vicidial_statuses status 'VCGCB' in rows of its own"):
        SqlFixture(url, tmp_path / "journal.jsonl").begin(vicidial_world)
    assert checksums(database) == before
    assert not (tmp_path / "journal.jsonl").exists()


def test_a_host_row_in_a_reserved_key_range_is_refused_before_anything_is_written(lab, tmp_path, vicidial_world):
    """List ids carry no prefix: the harness takes them from 9990000-9999999, and a host holding
    any list there (even one the world does not name) is refused, nothing written."""
    url, _, database = lab
    database.write("INSERT INTO vicidial_lists (list_id, list_name, campaign_id) VALUES (9999999, 'host', 'LABCAMP')")
    before = checksums(database)
    with pytest.raises(UsageError, match=r"holds 1 vicidial_lists row\(s\) with list_id 9990000 to 9999999"):
        SqlFixture(url, tmp_path / "journal.jsonl").begin(vicidial_world)
    assert checksums(database) == before and not (tmp_path / "journal.jsonl").exists()


def test_a_world_row_outside_its_reserved_range_is_refused(lab, tmp_path, vicidial_world):
    from dataclasses import replace
    url, _, _ = lab
    lists = [{**vicidial_world.section("lists")[0], "list_id": 101}]
    with pytest.raises(WorldError, match="list_id 101 is outside vicicert's reserved range"):
        SqlFixture(url, tmp_path / "j.jsonl").begin(replace(vicidial_world, rows={**vicidial_world.rows,
                                                                                  "lists": lists}))


def test_a_change_outside_the_namespace_is_reported(lab, tmp_path, vicidial_world):
    url, host, database = lab
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {"vdc_agent_api_active": "0"})
    fixture.after_case()
    database.write("UPDATE vicidial_users SET full_name = 'changed by someone' WHERE user = '1000'")
    problems = fixture.finish()
    assert problems[0] == "rows outside the harness namespace changed during the run in: vicidial_users"
    assert any(problem.startswith("vicidial_users differs from before the run") for problem in problems)
    assert database.value("SELECT vdc_agent_api_active FROM system_settings") == "1"
    assert database.value("SELECT COUNT(*) FROM vicidial_users WHERE user LIKE 'vcrt%'") == 0


@pytest.mark.slow  # whole checks over the private MariaDB
def test_global_changes_can_be_excluded(lab, tmp_path):
    url, host, database = lab
    result = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "--no-global-changes",
                      "--allow-nothing-checked", "-k", "api_switched_off or non_latin", cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:]
    last = result.stdout.strip().splitlines()[-1]      # every selected case skipped: "N skipped, M deselected"
    assert re.fullmatch(r"\d+ skipped, \d+ deselected(, \d+ warnings?)? in .*", last), last
    assert int(last.split()[0]) >= 3, last
    journal = (tmp_path / "reports/out/vicicert-journal.jsonl").read_text()
    assert '"op": "settings"' not in journal and '"op": "end"' in journal  # system_settings never touched
    skipped = vicicert("check", "--target", host.base_url, "--world-db", url, "--no-global-changes",
                       "--allow-nothing-checked", "-k", "api_switched_off", cwd=tmp_path, timeout=900)
    assert "this run excludes (no global changes)" in skipped.stdout, skipped.stdout[-3000:]
    assert "--vicidial-" not in skipped.stdout + skipped.stderr   # the reason names no flag vicicert lacks


def test_a_world_outside_the_namespace_is_refused(lab, tmp_path, vicidial_world):
    from dataclasses import replace
    url, _, _ = lab
    foreign = replace(vicidial_world, api_users={"api_admin": {"user": "6666", "pass": "x"}})
    with pytest.raises(UsageError) as caught:
        SqlFixture(url.replace("dbPass-test1", "wrongDb1"), tmp_path / "j.jsonl").begin(vicidial_world)
    assert "cannot reach mysql://vicicert:********@" in str(caught.value) and "wrongDb1" not in str(caught.value)
    with pytest.raises(WorldError, match="outside the harness namespace"):
        SqlFixture(url, tmp_path / "j.jsonl").begin(foreign)


def account(mariadb, url: str, name: str, grants: str) -> str:
    """A second account on the lab database with exactly ``grants``; its URL."""
    database = url.rsplit("/", 1)[1]
    mariadb.admin(f"CREATE USER '{name}{database}'@'127.0.0.1' IDENTIFIED BY 'acctPass1'; "
                  f"GRANT {grants} ON {database}.* TO '{name}{database}'@'127.0.0.1';")
    return f"mysql://{name}{database}:acctPass1@127.0.0.1:{mariadb.port}/{database}"


BASE_INSTALL_GRANTS = "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES"  # upstream docs/BASE_INSTALL.txt, for cron


@pytest.mark.slow  # whole checks over the private MariaDB
def test_a_check_with_base_install_grants_passes_and_names_the_counters(lab, tmp_path, vicidial_mariadb):
    url, host, database = lab
    cron = account(vicidial_mariadb, url, "cron", BASE_INSTALL_GRANTS)
    before = checksums(database)
    result = vicicert("check", "-q", "--target", host.base_url, "--world-db", cron, "-k", "pause_code or recording",
                      cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "harness rows removed, checksums equal to before the run" in result.stdout
    assert "vicidial_users.AUTO_INCREMENT advanced by" in result.stdout and "no ALTER" in result.stdout
    assert checksums(database) == before and "acctPass1" not in result.stdout + result.stderr
    reports = tmp_path / "reports/out"   # the reports say it too, not only the terminal
    outcome = json.loads((reports / "report.json").read_text())["database"]
    assert outcome["left_as_found"] and not outcome["cleanup_failed"] and outcome["problems"] == []
    advanced = [line for line in outcome["counters_advanced"] if line.startswith("vicidial_users.AUTO_INCREMENT advanced by ")]
    assert len(advanced) == 1 and advanced[0] in result.stdout
    # ids are taken once per run, not once per case: as many users as the world holds (no case adds one)
    users = len(world_rows(load_world(EMBEDDED_WORLD))["vicidial_users"])
    assert advanced[0].startswith(f"vicidial_users.AUTO_INCREMENT advanced by {users} "), advanced[0]
    assert advanced[0] in (reports / "report.html").read_text()


def test_cleanup_with_base_install_grants(lab, tmp_path, vicidial_mariadb, vicidial_world):
    url, _, database = lab
    cron = account(vicidial_mariadb, url, "cron", BASE_INSTALL_GRANTS)
    before = checksums(database)
    fixture = SqlFixture(cron, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {"vdc_agent_api_active": "0"})  # then the run dies: no after_case, no finish
    fixture.db.close()  # and its connection with it (a process that dies closes its connections)
    result = vicicert("cleanup", "--journal", str(tmp_path / "journal.jsonl"), "--world-db", cron, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "checksums equal to before the run" in result.stdout and "AUTO_INCREMENT advanced by" in result.stdout
    assert checksums(database) == before


def test_cleanup_after_a_run_that_ended_cleanly_is_a_no_op(lab, tmp_path, vicidial_mariadb, vicidial_world):
    """A CI step that always runs cleanup: after a clean run it exits 0 and says there was nothing to undo,
    twice, even after later runs advanced the counters and changed rows (it reads nothing)."""
    url, _, database = lab
    cron = account(vicidial_mariadb, url, "cron", BASE_INSTALL_GRANTS)
    journal = tmp_path / "journal.jsonl"
    fixture = SqlFixture(cron, journal)
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    assert fixture.finish() == []
    fixture.db.close()
    database.write("INSERT INTO vicidial_users (user, pass, user_level) VALUES ('7001', 'later9x', 1)")  # a later run's
    for attempt in (1, 2):
        result = vicicert("cleanup", "--journal", str(journal), "--world-db", cron, cwd=tmp_path)
        assert result.returncode == 0, f"cleanup {attempt}: {result.stdout}{result.stderr}"
        assert f"the run in {journal} has ended (its own finish undid it): nothing to undo" in result.stdout
        assert "AUTO_INCREMENT" not in result.stdout and "differs" not in result.stdout + result.stderr
    assert json.loads(journal.read_text().splitlines()[-1])["op"] == "end"


def test_cleanup_after_a_crash_charges_the_run_with_its_own_ids_only(lab, tmp_path, vicidial_mariadb,
                                                                       vicidial_world):
    """A crashed run's counters, without ALTER: the growth its own rows show, not what others inserted after;
    a second cleanup finds the run ended and exits 0."""
    url, _, database = lab
    cron = account(vicidial_mariadb, url, "cron", BASE_INSTALL_GRANTS)
    journal = tmp_path / "journal.jsonl"
    fixture = SqlFixture(cron, journal)
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})   # then the run dies
    fixture.db.close()
    begin = json.loads(journal.read_text().splitlines()[0])["auto_increment"]["vicidial_users"]
    own = database.value("SELECT MAX(user_id) FROM vicidial_users WHERE user LIKE 'vcrt%'") + 1 - begin
    for number in range(5):   # another process's users, with ids after the run's
        database.write(f"INSERT INTO vicidial_users (user, pass, user_level) VALUES ('80{number}', 'other9x', 1)")
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", cron, cwd=tmp_path)
    assert result.returncode == 1   # the other process's rows differ from before the run, and are named
    assert (f"vicidial_users.AUTO_INCREMENT advanced by {own} during the run ({begin} to {begin + own}; 5 more "
            "since, by others)") in result.stdout
    database.write("DELETE FROM vicidial_users WHERE pass = 'other9x'")
    again = vicicert("cleanup", "--journal", str(journal), "--world-db", cron, cwd=tmp_path)
    assert again.returncode == 1 and "the run in" in again.stdout and "vicicert cleanup found them" in again.stderr


@pytest.mark.slow  # whole checks over the private MariaDB
def test_an_account_without_delete_is_refused_before_anything_is_written(lab, tmp_path, vicidial_mariadb):
    url, host, database = lab
    weak = account(vicidial_mariadb, url, "weak", "SELECT, INSERT, UPDATE")
    before = checksums(database)
    result = vicicert("check", "-q", "--target", host.base_url, "--world-db", weak, cwd=tmp_path, timeout=300)
    assert result.returncode == 2, result.stdout[-3000:]
    message = result.stdout + result.stderr
    assert "lacks DELETE on groups_alias; DELETE on live_channels; DELETE on live_sip_channels; " in message \
        and "Nothing was written" in message
    assert all(f"DELETE on {table}" in message for table in ("vicidial_agent_log", "vicidial_users", "vicidial_dnc", "phones", "servers"))
    assert "Traceback" not in message and "acctPass1" not in message
    assert not (tmp_path / "reports/out/vicicert-journal.jsonl").exists() and checksums(database) == before


def pause_code_in_process(pytester, host, url, reports):
    """pause_code's cases in SQL fixture mode, in this process (so a test's monkeypatch reaches the fixture)."""
    return pytester.runpytest_inprocess(str(SPECS_DIR / "agent_api/pause_code.yaml"), "-p", "no:cacheprovider",
                                        "--vicidial-target", host.base_url, "--vicidial-world-db", url,
                                        "--vicidial-report-dir", str(reports))


@pytest.mark.slow  # a whole SQL fixture run on MariaDB for one fault path
def test_a_cleanup_that_fails_still_writes_the_reports_and_names_the_command(lab, tmp_path, pytester, monkeypatch):
    url, host, database = lab
    before = checksums(database)

    def database_gone(self):
        raise ConnectionError("the database went away")
    monkeypatch.setattr(SqlFixture, "finish", database_gone)
    reports = tmp_path / "out"
    outcome = pause_code_in_process(pytester, host, url, reports)
    assert outcome.ret == pytest.ExitCode.USAGE_ERROR
    assert (reports / "report.json").exists() and (reports / "report.html").exists()
    outcome.stdout.fnmatch_lines(["*cleanup failed (ConnectionError: the database went away); finish it with: "
                                  f"vicicert cleanup --journal {reports}/vicicert-journal.jsonl --world-db "
                                  "mysql://vicicert:********@*"])
    monkeypatch.undo()
    result = vicicert("cleanup", "--journal", str(reports / "vicicert-journal.jsonl"), "--world-db", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert checksums(database) == before


def test_one_run_at_a_time_per_database(lab, tmp_path, vicidial_world):
    """Two runs with different namespaces on one database: the second is refused, naming the first."""
    url, _, database = lab
    first = SqlFixture(url, tmp_path / "first.jsonl")
    first.begin(vicidial_world)
    second = SqlFixture(url, tmp_path / "second.jsonl", namespace="qa7")
    with pytest.raises(UsageError) as refused:
        second.begin(renamed(vicidial_world, "qa7"))
    assert "another vicicert run holds mysql://vicicert:********@" in str(refused.value)
    assert "user vicicert from localhost:" in str(refused.value) and "dbPass-test1" not in str(refused.value)
    assert not (tmp_path / "second.jsonl").exists()
    assert first.finish() == []
    second.begin(renamed(vicidial_world, "qa7"))  # the lock went with the first run's end
    assert second.finish() == []


def test_a_killed_runs_lock_goes_with_its_connection(lab, tmp_path, vicidial_world):
    url, _, _ = lab
    first = SqlFixture(url, tmp_path / "first.jsonl")
    first.begin(vicidial_world)
    first.db.close()  # what a kill does to its connection
    result = vicicert("cleanup", "--journal", str(tmp_path / "first.jsonl"), "--world-db", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # a whole SQL fixture run on MariaDB for one fault path
def test_a_database_that_fails_mid_run_stops_the_run_and_still_reports(lab, tmp_path, pytester, monkeypatch):
    url, host, database = lab
    before = checksums(database)
    calls = {"resets": 0}
    real_reset = SqlFixture._reset

    def failing_reset(self, world, settings):
        calls["resets"] += 1
        if calls["resets"] == 5:
            import pymysql
            raise pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query")
        return real_reset(self, world, settings)
    monkeypatch.setattr(SqlFixture, "_reset", failing_reset)
    reports = tmp_path / "out"
    outcome = pause_code_in_process(pytester, host, url, reports)
    assert outcome.ret == pytest.ExitCode.USAGE_ERROR
    outcome.stdout.fnmatch_lines(["*the database or the journal failed mid-run (OperationalError: *Lost connection*"])
    report = json.loads((reports / "report.json").read_text())
    assert report["totals"]["cases"] == 4  # the cases before the failure
    assert checksums(database) == before   # the run's end still cleaned up


@pytest.mark.slow  # whole SQL fixture runs on MariaDB for one fault path
@pytest.mark.parametrize("full_from_reset", [1, 5])
def test_a_journal_that_cannot_be_written_mid_run_still_reports_and_names_the_cleanup(lab, tmp_path, pytester,
                                                                                      monkeypatch, full_from_reset):
    """The disk under the journal fills up (at the first case, or the fifth): the run stops, every report
    is written, exit 2, and the cleanup command it names leaves the database as it was."""
    import errno

    from conformance.journal import Journal
    url, host, database = lab
    before = checksums(database)
    real_write, real_reset = Journal.write, SqlFixture._reset
    resets = {"count": 0}

    def counted_reset(self, world, settings):
        resets["count"] += 1
        return real_reset(self, world, settings)

    def disk_full(self, op, sync=True, **fields):
        if resets["count"] >= full_from_reset:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, op, sync, **fields)
    monkeypatch.setattr(SqlFixture, "_reset", counted_reset)
    monkeypatch.setattr(Journal, "write", disk_full)
    reports = tmp_path / "out"
    outcome = pause_code_in_process(pytester, host, url, reports)
    assert outcome.ret == pytest.ExitCode.USAGE_ERROR
    outcome.stdout.fnmatch_lines(["*the database or the journal failed mid-run (OSError: *No space left on device*"])
    # the cleanup itself ran and the checksums are equal: only the journal could not record the end
    outcome.stdout.fnmatch_lines(["database: harness rows removed, checksums equal to before the run",
                                  f"*then run vicicert cleanup --journal {reports}/vicicert-journal.jsonl "
                                  "--world-db mysql://vicicert:********@*"])
    report = json.loads((reports / "report.json").read_text())
    # a reset with nothing to put back writes no journal line: the run stops at the first case from
    # there whose reset (or setting) must be journalled before the database is touched
    assert full_from_reset - 1 <= report["totals"]["cases"] < 30
    assert report["database"]["left_as_found"] and not report["database"]["cleanup_failed"]
    assert "No space left on device" in report["database"]["journal_not_ended"]
    assert "NOT LEFT AS FOUND" not in (reports / "report.html").read_text()
    assert checksums(database) == before
    monkeypatch.undo()
    result = vicicert("cleanup", "--journal", str(reports / "vicicert-journal.jsonl"), "--world-db", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert checksums(database) == before


@pytest.mark.slow  # whole checks over the private MariaDB
def test_a_journal_that_cannot_be_created_is_named_before_anything_is_written(lab, tmp_path):
    url, host, database = lab
    before = checksums(database)
    (tmp_path / "not-a-folder").write_text("a file where the journal's folder should be\n")
    journal = tmp_path / "not-a-folder" / "vicicert-journal.jsonl"
    result = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "--journal", str(journal),
                      "-k", "pause_code", cwd=tmp_path, timeout=300)
    message = result.stdout + result.stderr
    assert result.returncode == 2, message[-3000:]
    assert str(journal) in message and "Traceback" not in message and "dbPass-test1" not in message
    assert checksums(database) == before
    assert database.value("SELECT COUNT(*) FROM vicidial_users WHERE user LIKE 'vcrt%'") == 0


def test_a_connection_broken_mid_run_is_cleaned_up_over_a_fresh_one(lab, tmp_path, vicidial_mariadb, vicidial_world):
    """The server drops the run's connection (and with it the run lock): the cleanup opens a fresh one,
    takes the lock back and leaves the database as it was."""
    url, _, database = lab
    before = checksums(database)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {"vdc_agent_api_active": "0"})
    vicidial_mariadb.admin(f"KILL {fixture.db.value('SELECT CONNECTION_ID()')}")
    assert fixture.finish() == []
    assert checksums(database) == before
    assert json.loads((tmp_path / "journal.jsonl").read_text().splitlines()[-1])["op"] == "end"


@pytest.mark.slow  # whole checks over the private MariaDB
def test_a_statement_cut_by_a_signal_never_has_its_connection_reused(lab, tmp_path, vicidial_world):
    """Ctrl-C inside a query leaves its answer on the way: read by the next statement it would be that
    statement's answer. The connection is replaced instead, and the cleanup's answers are its own."""
    url, _, database = lab
    before = checksums(database)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    cut = fixture.db.connection()

    def interrupt(_number, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(KeyboardInterrupt):
            fixture.db.value("SELECT SLEEP(3), 'the answer of the cut statement'")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fixture.db.value("SELECT 'its own answer'") == "its own answer"
    assert fixture.db.connection() is not cut
    assert fixture.finish() == []
    assert checksums(database) == before


def disk_full_at_end(monkeypatch, at: str = "end") -> None:
    """The journal's disk fills up just as the run's ``end`` is written: a torn half line, then ENOSPC."""
    import errno

    from conformance.journal import Journal
    real_write = Journal.write

    def write(self, op, sync=True, **fields):
        if op == at:
            self._handle.write('{"op": "end", "probl')
            self._handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, op, sync, **fields)
    monkeypatch.setattr(Journal, "write", write)


@pytest.mark.slow  # a whole SQL fixture run on MariaDB for one fault path
def test_a_full_disk_at_the_journals_last_line_does_not_say_the_database_changed(lab, tmp_path, pytester,
                                                                                  monkeypatch):
    """The cleanup ran and the checksums are equal: only the journal's end is missing. The reports say the
    database is as found, name the journal and the cleanup that marks it ended, and that cleanup works."""
    url, host, database = lab
    before = checksums(database)
    disk_full_at_end(monkeypatch)
    reports = tmp_path / "out"
    outcome = pause_code_in_process(pytester, host, url, reports)
    assert outcome.ret == pytest.ExitCode.OK
    journal = reports / "vicicert-journal.jsonl"
    note = (f"the journal {journal} could not record the run's end (No space left on device); the database was "
            "cleaned up and checked all the same, but a run with this journal stops until a cleanup marks it ended: "
            f"make room there, then run vicicert cleanup --journal {journal} --world-db mysql://vicicert:********@")
    outcome.stdout.fnmatch_lines(["database: harness rows removed, checksums equal to before the run",
                                  f"  {note}*(it finds nothing left to remove)"])
    assert "NOT LEFT AS FOUND" not in outcome.stdout.str() and "Traceback" not in outcome.stdout.str()
    report = json.loads((reports / "report.json").read_text())["database"]
    assert report["left_as_found"] and not report["cleanup_failed"] and report["problems"] == []
    assert report["journal_not_ended"].startswith(note) and "dbPass-test1" not in report["journal_not_ended"]
    assert checksums(database) == before
    monkeypatch.undo()
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path)
    assert result.returncode == 0 and "checksums equal to before the run" in result.stdout, result.stderr
    assert checksums(database) == before and json.loads(journal.read_text().splitlines()[-1])["op"] == "end"


def test_cleanup_on_a_full_disk_says_the_database_is_clean_and_what_is_left_to_do(lab, tmp_path, monkeypatch, capsys,
                                                                                 vicidial_world):
    from conformance.cli import main
    url, _, database = lab
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    crashed = SqlFixture(url, journal)
    crashed.begin(vicidial_world)
    crashed.db.close()   # what a kill does
    disk_full_at_end(monkeypatch)
    assert main(["cleanup", "--journal", str(journal), "--world-db", url]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"vicicert cleanup: the database was cleaned up, but the journal {journal} could not "
                           "record it (No space left on device), so a run with this journal still stops: make room "
                           "there, then run this command again (it finds nothing left to remove)")
    assert checksums(database) == before
    monkeypatch.undo()
    assert main(["cleanup", "--journal", str(journal), "--world-db", url]) == 0   # the torn half line is cut
    assert checksums(database) == before and json.loads(journal.read_text().splitlines()[-1])["op"] == "end"
    assert main(["cleanup", "--journal", str(journal), "--world-db", url]) == 0
    assert "nothing to undo" in capsys.readouterr().out


LAB_SERVER_FLAG = "SELECT rebuild_conf_files FROM servers WHERE server_id = 'LAB1'"
HELD = (("servers", (("rebuild_conf_files", "Y"),)),)   # what server_refresh's answer sets (its spec's disturbs:)


@pytest.mark.slow  # two checks over the private MariaDB; the judgement alone is test_disturbs.py's
def test_a_disturbing_case_is_skipped_unless_allowed_then_the_hosts_own_rows_are_put_back(lab, tmp_path):
    """server_refresh sets rebuild_conf_files on every servers row, the lab host's LAB1 too: without
    --allow-disturbing its successful cases are skipped with the reason; with it they run, and
    LAB1's flag goes back after each case, so the host's servers rebuild nothing."""
    url, host, database = lab
    database.write("UPDATE servers SET rebuild_conf_files = 'N' WHERE server_id = 'LAB1'")
    before = checksums(database)
    runs = {}
    for name, extra in (("refused", ()), ("allowed", ("--allow-disturbing",))):
        (tmp_path / name).mkdir()
        runs[name] = vicicert("check", "-q", "--target", host.base_url, "--world-db", url, "-k", "server_refresh",
                              *extra, cwd=tmp_path / name, timeout=600)
        assert runs[name].returncode == 0, runs[name].stdout[-3000:] + runs[name].stderr[-2000:]
        assert database.value(LAB_SERVER_FLAG) == "N" and checksums(database) == before
    cases = json.loads((tmp_path / "refused/reports/out/report.json").read_text())["cases"]
    skipped = {case["id"].rsplit("::", 1)[1]: case["skip_reason"] for case in cases if case["status"] == "skipped"}
    assert set(skipped) == {"refresh", "refresh_within_the_stage", "refresh_split_by_removed_characters",
                            "level8_passes", "stage_charset_re_fresh_1", "stage_charset_ref_resh_2",
                            "stage_charset_refresh_3"}, skipped
    assert set(skipped.values()) == {"disturbs the whole host: every server of the host rebuilds its Asterisk conf "
                                     "files (rebuild_conf_files is set on each servers row); sent to a target only "
                                     "with --allow-disturbing"}
    assert "7 skipped" in runs["refused"].stdout and "18 passed" in runs["allowed"].stdout
    journal = [json.loads(line)["op"] for line in (tmp_path / "allowed/reports/out/vicicert-journal.jsonl")
               .read_text().splitlines()]
    assert journal.count("held") == 7 and journal.count("held_restored") == 7


def test_a_run_that_dies_in_a_disturbing_case_has_the_hosts_rows_put_back_by_cleanup(lab, tmp_path,
                                                                                     vicidial_world):
    url, _, database = lab
    database.write("UPDATE servers SET rebuild_conf_files = 'N' WHERE server_id = 'LAB1'")
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    fixture = SqlFixture(url, journal, disturbing=True)
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    fixture.hold(HELD)
    assert database.value(LAB_SERVER_FLAG) == "Y"   # set as the case will set it; then the run dies
    fixture.db.close()
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert database.value(LAB_SERVER_FLAG) == "N" and checksums(database) == before


def test_a_disturbing_run_needs_update_on_the_hosts_rows_it_puts_back(lab, tmp_path, vicidial_mariadb):
    url, _, database = lab
    weak = account(vicidial_mariadb, url, "noupd", "SELECT, INSERT, DELETE")
    name = url.rsplit("/", 1)[1]
    vicidial_mariadb.admin(f"GRANT UPDATE ON {name}.system_settings TO 'noupd{name}'@'127.0.0.1';")
    SqlFixture(weak, tmp_path / "plain.jsonl").db.close()   # enough for a run that disturbs nothing
    before = checksums(database)
    with pytest.raises(UsageError, match="lacks UPDATE on servers: .*Nothing was written"):
        SqlFixture(weak, tmp_path / "disturbing.jsonl", disturbing=True)
    assert checksums(database) == before
