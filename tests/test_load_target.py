"""Load profiles against a host of the user's own (--target, --world-db): the reference host on
MariaDB served by `vicicert serve` as a separate process, with a lab host's foreign rows. The
runs check every answer and leave the database's checksums as they were, also after a kill
and `vicicert cleanup`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from command import vicicert
from test_sql_fixture import BASE_INSTALL_GRANTS, FOREIGN, account

from conformance.sql_fixture import checksums
from conformance.tables.database import open_database
from loadtests.locust_process import free_port, wait_until_up
from loadtests.recording_run import lost_signals
from loadtests.target_state import SEED_PREFIX, TargetAgents

DB_PASSWORD = "dbPass-test1"


@pytest.fixture
def served_lab(vicidial_mariadb, tmp_path):
    """A lab database with foreign rows, served by `vicicert serve --keep-data` in its own process."""
    name = f"loadlab{free_port()}"
    vicidial_mariadb.admin(f"CREATE DATABASE {name}")
    url = vicidial_mariadb.url(name)
    database = open_database(url)
    for statement in FOREIGN:
        database.write(statement)
    port = free_port()
    host = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port), "--db", url,
                             "--keep-data"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base_url = f"http://127.0.0.1:{port}"
    wait_until_up(base_url, host)
    yield base_url, url, database
    host.terminate()
    host.wait(timeout=30)


def test_a_target_without_its_database_is_refused(tmp_path):
    for profile in ("recording", "stats"):
        result = vicicert("load", profile, "--target", "http://127.0.0.1:9", "--report-dir", str(tmp_path))
        assert result.returncode == 2
        assert "needs --world-db mysql://" in result.stderr and "Traceback" not in result.stderr
    result = vicicert("load", "stats", "--keep-seed", "--report-dir", str(tmp_path))
    assert result.returncode == 2 and "--keep-seed belongs to a run against a host of your own" in result.stderr


def test_a_target_that_is_not_vicidial_is_refused_before_anything_is_written(served_lab, tmp_path, httpserver):
    _, url, database = served_lab
    before = checksums(database)
    httpserver.expect_request("/agc/api.php").respond_with_data("It works!")
    result = vicicert("load", "recording", "--target", httpserver.url_for("/").rstrip("/"), "--world-db", url,
                      "--agents", "3", "--report-dir", str(tmp_path), timeout=120)
    assert result.returncode == 2 and "preflight" in result.stderr and "Traceback" not in result.stderr
    assert checksums(database) == before and not (tmp_path / "load-recording/vicicert-journal.jsonl").exists()


@pytest.mark.slow
def test_recording_on_a_target_checks_every_answer_and_leaves_no_trace(served_lab, tmp_path):
    base_url, url, database = served_lab
    before = checksums(database)
    result = vicicert("load", "recording", "--target", base_url, "--world-db", url, "--agents", "20",
                      "--seconds", "5", "--spawn-rate", "20", "--report-dir", str(tmp_path), timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert summary["requests"] > 50 and summary["failures"] == 0 and summary["verified"]
    assert summary["agents_driven"] == 20 and summary["lost_signals"] == [] and summary["database_problems"] == []
    assert summary["database_pressure"] and all(line.endswith("(server-wide counts)")
                                                for line in summary["database_pressure"])
    assert "vicicert load: database during the run: " in result.stdout
    assert "checksums equal to before the run" in result.stdout
    assert checksums(database) == before
    output = result.stdout + result.stderr + (tmp_path / "load-recording/vicicert-journal.jsonl").read_text()
    assert DB_PASSWORD not in output and not (tmp_path / "load-recording/world.yaml").exists()


def test_the_stored_signal_is_read_from_the_targets_database(served_lab, tmp_path):
    """Each agent's stored recording state comes from the target's database, on the host's own
    active server: a signal the database lost there is named."""
    base_url, url, database = served_lab
    before = checksums(database)
    with TargetAgents(base_url, url, 3, tmp_path, tmp_path / "journal.jsonl") as state:
        rows = database.all("SELECT user, server_ip, external_recording FROM vicidial_live_agents "
                            "WHERE user LIKE 'vcrtl%' ORDER BY user")
        assert [row[1] for row in rows] == ["10.9.8.7"] * 3  # the lab's active server, not the load world's
        accounts = database.all("SELECT active, pass FROM vicidial_users WHERE user LIKE 'vcrtl%'")
        assert {active for active, _ in accounts} == {"N"} and not any("vcLoad" in password for _, password in accounts)
        assert "pass:" not in state.world_file.read_text()  # the profile's world holds no password
        database.write("UPDATE vicidial_live_agents SET external_recording = 'START' WHERE user = 'vcrtl000002'")
        sent = {"vcrtl000001": "", "vcrtl000002": "STOP"}
        assert lost_signals(state.database, sent, {}) == (["vcrtl000002: confirmed 'STOP', stored 'START'"], [])
    assert checksums(database) == before and state.problems == []


@pytest.mark.slow
def test_stats_on_a_target_with_base_install_grants_seeds_checks_and_removes(served_lab, tmp_path, vicidial_mariadb):
    """No CREATE and no ALTER (what upstream's cron has): seeded, every export checked, kept with
    --keep-seed for a second run, removed by that one; the counters it could not put back named."""
    base_url, url, database = served_lab
    cron = account(vicidial_mariadb, url, "cron", BASE_INSTALL_GRANTS)
    before = checksums(database)
    options = ["load", "stats", "--target", base_url, "--world-db", cron, "--rows", "20000",
               "--windows", "5000,20000", "--seconds", "5", "--report-dir", str(tmp_path)]
    first = vicicert(*options, "--keep-seed", timeout=600)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "seeded 20,000 agent-log rows" in first.stdout and "kept the 20,000 seeded rows" in first.stdout
    assert database.value(f"SELECT COUNT(*) FROM vicidial_agent_log WHERE user LIKE '{SEED_PREFIX}%'") == 20000
    assert {row[0] for row in database.all(f"SELECT active FROM vicidial_users WHERE user LIKE '{SEED_PREFIX}%'")} \
        == {"N"}
    second = vicicert(*options, timeout=600)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "reusing the 20,000 agent-log rows" in second.stdout
    assert "checksums equal to before the run" in second.stdout and "AUTO_INCREMENT advanced by" in second.stdout
    for run in (first, second):
        summary_lines = [line for line in run.stdout.splitlines() if line.startswith("stats_export:")]
        assert summary_lines and " 0 failed" in summary_lines[0]
    summary = json.loads((tmp_path / "load-stats/summary.json").read_text())
    assert summary["failures"] == 0 and all(window["count"] > 0 for window in summary["windows"].values())
    assert summary["database_pressure"][0].endswith("(server-wide counts)")
    assert checksums(database) == before
    plan = (tmp_path / "load-stats/plan.json").read_text()
    assert '"pass": ""' in plan and "acctPass1" not in first.stdout + second.stdout + plan


def test_stats_refuses_a_target_with_rows_of_its_own_in_the_seeded_weeks(served_lab, tmp_path):
    base_url, url, database = served_lab
    database.write("INSERT INTO vicidial_agent_log (user, server_ip, event_time, campaign_id, talk_sec) "
                   "VALUES ('1000', '10.9.8.7', '2001-01-02 09:00:00', 'LABCAMP', 30)")
    before = checksums(database)
    result = vicicert("load", "stats", "--target", base_url, "--world-db", url, "--rows", "1000",
                      "--report-dir", str(tmp_path), timeout=120)
    assert result.returncode == 2 and "holds 1 agent-log rows of its own" in result.stderr
    assert checksums(database) == before


@pytest.mark.slow
@pytest.mark.parametrize("profile, options, left_behind", [
    ("recording", ["--agents", "20"], "SELECT COUNT(*) FROM vicidial_live_agents WHERE user LIKE 'vcrtl%'"),
    ("stats", ["--rows", "5000", "--windows", "5000"],
     f"SELECT COUNT(*) FROM vicidial_agent_log WHERE user LIKE '{SEED_PREFIX}%'")])
def test_a_killed_load_run_is_undone_by_cleanup(served_lab, tmp_path, profile, options, left_behind):
    base_url, url, database = served_lab
    before = checksums(database)
    journal = tmp_path / "journal.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "conformance.cli", "load", profile, "--target", base_url,
                            "--world-db", url, *options, "--seconds", "60", "--journal", str(journal),
                            "--report-dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / f"load-{profile}/summary.progress.json").exists():  # Locust is sending
        assert time.monotonic() < deadline and run.poll() is None, "the run ended before it could be killed"
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)  # the runner and its Locust: nothing gets to clean up
    run.wait()
    assert database.value(left_behind) == int(options[1])
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "checksums equal to before the run" in result.stdout
    assert checksums(database) == before


@pytest.mark.slow
@pytest.mark.parametrize("profile, options", [("recording", ["--agents", "10"]),
                                               ("stats", ["--rows", "5000", "--windows", "5000"])])
@pytest.mark.parametrize("number, background", [(signal.SIGINT, False), (signal.SIGTERM, True), (signal.SIGINT, True)])
def test_a_signal_removes_the_rows(served_lab, tmp_path, no_process_left, profile, options, number, background):
    """Ctrl-C in the foreground, SIGTERM (CI, timeout, docker stop) and SIGINT to a run a script started
    with `&` (SIGINT ignored, its own session): Locust stops and writes its summary, the rows go, exit 128 + n."""
    base_url, url, database = served_lab
    before = checksums(database)
    started_in_background = {"start_new_session": True,
                             "preexec_fn": lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)} if background else {}
    run = subprocess.Popen([sys.executable, "-m", "conformance.cli", "load", profile, "--target", base_url,
                            "--world-db", url, "--seconds", "120", *options, "--report-dir", str(tmp_path)],
                           env=no_process_left, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           **started_in_background)
    deadline = time.monotonic() + 300
    while not (tmp_path / f"load-{profile}/summary.progress.json").exists():  # Locust is sending
        assert time.monotonic() < deadline and run.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.1)
    run.send_signal(number)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 128 + number, stdout[-2000:] + stderr[-2000:]
    assert "checksums equal to before the run" in stdout, stdout[-2000:] + stderr[-2000:]
    assert f"interrupted by {signal.Signals(number).name}" in stderr
    assert (tmp_path / f"load-{profile}/summary.json").exists()   # Locust quit and wrote what it sent
    assert checksums(database) == before


@pytest.mark.slow
def test_a_change_to_the_hosts_own_rows_during_a_run_fails_it(served_lab, tmp_path):
    base_url, url, database = served_lab
    run = subprocess.Popen([sys.executable, "-m", "conformance.cli", "load", "recording", "--target", base_url,
                            "--world-db", url, "--agents", "5", "--seconds", "4", "--report-dir", str(tmp_path)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / "load-recording/summary.progress.json").exists():
        assert time.monotonic() < deadline and run.poll() is None, "the run ended before Locust started"
        time.sleep(0.1)
    database.write("UPDATE vicidial_live_agents SET status = 'PAUSED' WHERE user = '1000'")  # the lab's own agent
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 1, stdout[-2000:] + stderr[-2000:]
    assert "rows outside the harness namespace changed during the run in: vicidial_live_agents" in stderr
    summary = json.loads((tmp_path / "load-recording/summary.json").read_text())
    assert summary["failures"] == 0 and summary["database_problems"]


@pytest.mark.slow
def test_kept_rows_are_refused_to_another_plan_and_removed_by_cleanup(served_lab, tmp_path):
    base_url, url, database = served_lab
    before = checksums(database)
    options = ["load", "stats", "--target", base_url, "--world-db", url, "--windows", "2000", "--seconds", "2",
               "--report-dir", str(tmp_path), "--keep-seed"]
    kept = vicicert(*options, "--rows", "2000", timeout=300)
    assert kept.returncode == 0, kept.stdout[-2000:] + kept.stderr[-2000:]
    other = vicicert(*options, "--rows", "3000", timeout=300)
    assert other.returncode == 2 and "holds rows kept by an earlier run (profile load stats, rows 2000" in other.stderr
    assert database.value(f"SELECT COUNT(*) FROM vicidial_agent_log WHERE user LIKE '{SEED_PREFIX}%'") == 2000
    journal = tmp_path / "load-stats/vicicert-journal.jsonl"
    result = vicicert("cleanup", "--journal", str(journal), "--world-db", url, timeout=300)
    assert result.returncode == 0 and "checksums equal to before the run" in result.stdout, result.stderr
    assert checksums(database) == before
