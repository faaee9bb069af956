"""``vicicert seed --logs calls``: call-log rows in a real MariaDB, consistent with each other, removable
by ``seed --remove`` and by ``vicicert cleanup`` after a kill, with the checksums as before."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy
import pytest
from mariadb import PASSWORD, USER

from conformance.call_log_generator import AREA_CODES, CallLogPlan, chunks
from conformance.sql_fixture import checksums
from conformance.tables.database import open_database
from loadtests.call_seeder import RECORDING_URL

FOREIGN_CALL = ("INSERT INTO vicidial_log (uniqueid, lead_id, campaign_id, call_date, status, phone_number, user) "
                "VALUES ('1600000000.55', 7, 'REALCAMP', '2001-01-03 10:00:00', 'SALE', '6175551234', '1001')")
FOREIGN_RECORDING = "INSERT INTO recording_log (user, server_ip, lead_id) VALUES ('1001', '10.0.0.1', 7)"
FICTIONAL = re.compile(r"^[2-9]\d\d55501\d\d$")


def vicicert(*arguments: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conformance.cli", *arguments], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def host(host_database):
    """A VICIdial-like database with calls and a recording of its own, and four system statuses."""
    url, database = host_database
    database.write(FOREIGN_CALL)
    database.write(FOREIGN_RECORDING)
    for status in ("NA", "DROP", "SALE", "NI"):
        database.write("INSERT INTO vicidial_statuses (status, status_name) VALUES (?, ?)", status, f"status {status}")
    return url, database


def test_generated_calls_are_in_the_window_with_fictional_numbers():
    plan = CallLogPlan(rows=20_000, seed=4, phones=30_000)
    columns = next(chunks(plan))
    start, end = plan.window()
    assert plan.start_epoch <= columns["epoch"].min() and columns["epoch"].max() <= plan.start_epoch + 4 * 7 * 86400
    numbers = plan.phone_number(columns["phone"])
    assert all(FICTIONAL.match(str(number)) for number in numbers[:2000])
    assert 312 not in AREA_CODES and (columns["recorded"] <= columns["agent"]).all()
    assert 0.25 < columns["inbound"].mean() < 0.35
    # a number is always the same lead, list and (outbound) campaign
    outbound = ~columns["inbound"]
    assert (columns["lead_id"] - columns["phone"] == columns["lead_id"][0] - columns["phone"][0]).all()
    assert (columns["campaign"][outbound] == columns["phone"][outbound] % plan.campaigns).all()
    again = next(chunks(plan))
    assert all(numpy.array_equal(columns[key], again[key]) for key in columns)


def test_seeded_calls_are_consistent_and_removed_with_checksums_equal(host, tmp_path):
    url, database = host
    before = checksums(database)
    journal = tmp_path / "seed.jsonl"
    done = vicicert("seed", "--logs", "calls", "--rows", "4000", "--seed", "7", "--agents", "20", "--weeks", "2",
                    "--db", url, "--journal", str(journal), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vicidial_log" in done.stdout and "vicicert cleanup --journal" in done.stdout
    assert PASSWORD not in done.stdout + done.stderr
    outbound = database.all("SELECT uniqueid, lead_id, list_id, campaign_id, UNIX_TIMESTAMP(call_date), start_epoch, "
                            "end_epoch, length_in_sec, status, phone_number, user FROM vicidial_log "
                            "WHERE campaign_id LIKE 'VCERTSD%'")
    inbound = database.all("SELECT closecallid, lead_id, list_id, campaign_id, UNIX_TIMESTAMP(call_date), start_epoch, "
                           "end_epoch, length_in_sec, status, phone_number, user, uniqueid FROM vicidial_closer_log "
                           "WHERE campaign_id LIKE 'VCERTSD%'")
    assert len(outbound) + len(inbound) == 4000 and 800 < len(inbound) < 1600
    plan = CallLogPlan(rows=4000, seed=7, agents=20, weeks=2)
    for row in outbound:
        assert re.fullmatch(r"\d{9,10}\.9\d{6}", row[0]) and row[3] in plan.campaign_ids
    for row in inbound:
        assert row[3] in plan.ingroup_ids and re.fullmatch(r"\d{9,10}\.9\d{6}", row[11])
    calls = {("out", row[0]): row for row in outbound} | {("in", str(row[0])): row for row in inbound}
    for row in calls.values():
        lead, list_id, when, start, end, length, status, phone, user = row[1], row[2], *row[4:11]
        assert FICTIONAL.match(phone) and 9_999_100 <= list_id <= 9_999_105 and 990_000_000 <= lead
        assert status in {"NA", "DROP", "SALE", "NI"}   # the host's statuses only
        assert when == start and end == start + length
        assert plan.start_epoch <= start < plan.start_epoch + 2 * 7 * 86400
        human = status in ("SALE", "NI")
        assert user in plan.users if human else user in ("VDAD", "VDCL")
    # one lead per number, across both logs
    assert len({(row[9], row[1]) for row in calls.values()}) == len({row[9] for row in calls.values()})
    recordings = database.all("SELECT vicidial_id, lead_id, user, start_epoch, end_epoch, length_in_sec, filename, "
                              "location, length_in_min FROM recording_log WHERE user LIKE 'vcrtsd%'")
    handled = sum(1 for row in calls.values() if row[10] in plan.users)
    assert 0.45 * handled < len(recordings) < 0.75 * handled
    for vicidial_id, lead, user, start, end, length, filename, location, minutes in recordings:
        call = calls.get(("out", vicidial_id)) or calls[("in", vicidial_id)]
        assert (lead, user, start, end, length) == (call[1], call[10], call[5], call[6], call[7])
        assert location == f"{RECORDING_URL}{filename}-all.mp3" and call[9] in filename
        assert abs(minutes - length / 60) < 0.006
    # a second seed is refused (harness rows already there), nothing written
    again = vicicert("seed", "--logs", "calls", "--rows", "10", "--db", url, "--journal", str(tmp_path / "b.jsonl"),
                     cwd=tmp_path)
    assert again.returncode == 2 and "already holds harness rows" in again.stderr
    removed = vicicert("seed", "--remove", "--logs", "calls", "--db", url, "--journal", str(journal), cwd=tmp_path)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert "checksums equal to before the seed" in removed.stdout
    assert checksums(database) == before
    assert database.value("SELECT COUNT(*) FROM vicidial_log") == 1
    assert database.value("SELECT COUNT(*) FROM recording_log") == 1


@pytest.mark.slow  # a seeding process stopped mid-run, then its cleanup
def test_a_kill_mid_seed_is_undone_by_cleanup(host, tmp_path):
    url, database = host
    before = checksums(database)
    journal = tmp_path / "seed.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "seed", "--logs", "calls", "--rows", "3000000",
                                "--db", url, "--journal", str(journal)], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seeded = "SELECT COUNT(*) FROM vicidial_log WHERE campaign_id LIKE 'VCERTSD%'"
    deadline = time.monotonic() + 600
    while not database.value(seeded):
        assert time.monotonic() < deadline and process.poll() is None, "the seed ended before any row was written"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert database.value(seeded) > 0
    refused = vicicert("seed", "--logs", "calls", "--rows", "10", "--db", url, "--journal", str(journal), cwd=tmp_path)
    assert refused.returncode == 2 and "never finished" in refused.stderr
    cleaned = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert database.value(seeded) == 0 and checksums(database) == before


@pytest.mark.parametrize("arguments, said", [
    (["--logs", "call"], "invalid choice: 'call'"),
    (["--logs", "calls", "--inbound-share", "1.5"], "1.5 is not a share"),
    (["--inbound-share", "0.2"], "--inbound-share only applies to call logs: add --logs calls"),
    (["--logs", "calls", "--start", "2001-13-01"], "is not a date"),
])
def test_a_bad_option_is_a_usage_error(arguments, said, tmp_path):
    done = vicicert("seed", *arguments, "--db", str(tmp_path / "x.sqlite"), cwd=tmp_path)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_calls_into_sqlite_are_a_usage_error(tmp_path):
    done = vicicert("seed", "--logs", "calls", "--db", str(tmp_path / "x.sqlite"), cwd=tmp_path)
    assert done.returncode == 2 and "MySQL/MariaDB" in done.stderr


def test_seeding_is_refused_while_another_run_holds_the_database(host, tmp_path):
    """Seeding takes the run lock like a check: refused while another run holds the database."""
    url, database = host
    holder = open_database(url, create_tables=False)
    assert holder.value("SELECT GET_LOCK(CONCAT('vicicert run on ', DATABASE()), 0)") == 1
    for logs in ("calls", "agent"):
        done = vicicert("seed", "--logs", logs, "--rows", "100", "--db", url, "--journal", str(tmp_path / "j.jsonl"),
                        cwd=tmp_path) if logs == "calls" else vicicert("seed", "--rows", "100", "--db", url,
                                                                       cwd=tmp_path)
        assert done.returncode == 2 and "another vicicert run holds" in done.stderr, done.stderr
    assert database.value("SELECT COUNT(*) FROM vicidial_log") == 1
    assert database.value("SELECT COUNT(*) FROM vicidial_agent_log") == 0
    holder.close()


def test_seed_and_remove_with_the_cron_accounts_grants(host, vicidial_mariadb, tmp_path):
    """Upstream's cron account (no CREATE, ALTER or FILE): rows sent by the client, counters left advanced
    and said so, checksums equal."""
    url, database = host
    name = url.rsplit("/", 1)[1]
    vicidial_mariadb.admin(f"CREATE USER '{name}'@'127.0.0.1' IDENTIFIED BY 'cronPass1'; "
                           f"GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES ON {name}.* TO '{name}'@'127.0.0.1';")
    cron = url.replace(f"{USER}:{PASSWORD}@", f"{name}:cronPass1@")
    before = checksums(database)
    journal = tmp_path / "seed.jsonl"
    done = vicicert("seed", "--logs", "calls", "--rows", "2000", "--db", cron, "--journal", str(journal), cwd=tmp_path)
    assert done.returncode == 0 and "LOCAL" in done.stdout, done.stdout + done.stderr
    removed = vicicert("seed", "--remove", "--logs", "calls", "--db", cron, "--journal", str(journal), cwd=tmp_path)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert "AUTO_INCREMENT advanced" in removed.stdout and "checksums equal" in removed.stdout
    assert checksums(database) == before


@pytest.mark.slow  # a seeding process stopped mid-run, then its cleanup
def test_a_signal_mid_seed_removes_what_was_written(host, tmp_path):
    """SIGTERM (or Ctrl-C) while the calls load: the seed takes its rows out again before it exits, so
    the journal ends and the checksums equal those from before; no cleanup is left to run."""
    url, database = host
    before = checksums(database)
    journal = tmp_path / "seed.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "seed", "--logs", "calls", "--rows", "3000000",
                                "--db", url, "--journal", str(journal)], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seeded = "SELECT COUNT(*) FROM vicidial_log WHERE campaign_id LIKE 'VCERTSD%'"
    deadline = time.monotonic() + 600
    while not database.value(seeded):
        assert time.monotonic() < deadline and process.poll() is None, "the seed ended before any row was written"
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in err, out + err
    assert database.value(seeded) == 0 and checksums(database) == before
    cleaned = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path)
    assert cleaned.returncode == 0 and "has ended" in cleaned.stdout, cleaned.stdout + cleaned.stderr


def test_a_host_holding_the_seeded_lead_ids_is_refused_and_nothing_stays(host, tmp_path):
    url, database = host
    database.write("INSERT INTO vicidial_list (lead_id, phone_number, vendor_lead_code) "
                   "VALUES (990000005, '6175550000', 'realLead')")
    before = checksums(database)
    journal = tmp_path / "seed.jsonl"
    done = vicicert("seed", "--logs", "calls", "--rows", "500", "--db", url, "--journal", str(journal), cwd=tmp_path)
    assert done.returncode == 2 and "holds 1 lead(s) with lead_id 990000000 to" in done.stderr, done.stderr
    assert checksums(database) == before
    again = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path)
    assert again.returncode == 0 and "has ended" in again.stdout


def test_joined_fields_and_zero_padding_as_load_data_text():
    from loadtests.tab_separated import Joined, Whole, constant, format_rows
    epochs, sequence = numpy.array([978307200, 5]), numpy.array([9000001, 3])
    text = format_rows([Joined((Whole(epochs), Whole(sequence, digits=7)), b"."),
                        Joined((constant("http://x/", 2), Whole(numpy.array([1, 22]), digits=2), constant(".mp3", 2))),
                        Whole(numpy.array([7, -1]), missing=-1)])
    assert text == b"978307200.9000001\thttp://x/01.mp3\t7\n5.0000003\thttp://x/22.mp3\t\\N\n"
