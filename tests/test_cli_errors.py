"""Every subcommand's typical mistakes end in exit 2 and one message that names the fix, never a traceback.

Run in-process through ``main()``: an exception that escaped would fail the test itself.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import sys

import pytest

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.cli import main
from conformance.spec import load_spec
from conformance.tables.database import open_database

WORLD = str(EMBEDDED_WORLD)
API_ADMIN_LINE = next(number for number, line in enumerate(EMBEDDED_WORLD.read_text().splitlines(), 1)
                      if line.startswith("  api_admin:"))
CLOSED_DB = "mysql://cron:dbSecret-9@127.0.0.1:1/asterisk"   # nothing listens on port 1


def _usage_error(capsys, *argv: str) -> str:
    """Run vicicert; assert exit 2 with a one-paragraph message, no traceback; return the message."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    captured = capsys.readouterr()
    assert code == 2, captured.out[-2000:] + captured.err[-2000:]
    assert "Traceback" not in captured.out + captured.err
    assert "dbSecret-9" not in captured.out + captured.err
    assert "--vicidial-" not in captured.out + captured.err   # the plugin's flags are not vicicert's
    return captured.err


@pytest.mark.parametrize("argv, message", [
    (["check", "--target", "ftp://example", "--world", WORLD], "is not an http(s) URL: give the host's base URL"),
    (["check", "--target", "127.0.0.1:8080", "--world", WORLD], "is not an http(s) URL"),
    (["check", "--target", "http://127.0.0.1:9/agc/api.php", "--world", WORLD],
     "names a script: give the host's base URL (http://127.0.0.1:9)"),
    (["check", "--target", "http://127.0.0.1:9"], "a --target needs its state: a declared world (--world FILE)"),
    (["check", "--world-db", CLOSED_DB], "--world-db writes the world into a target's database, so it needs the target"),
    (["check", "--target", "http://127.0.0.1:9", "--world", WORLD, "--world-db", CLOSED_DB],   # goes on top of itself
     f"embedded.yaml:{API_ADMIN_LINE}: role 'api_admin' is the bundled world's (embedded.yaml); a world of your own adds roles"),
    (["check", "--target", "http://127.0.0.1:9", "--world-db", "postgres://a:dbSecret-9@h/db"], "is not a mysql:// URL"),
    (["check", "--target", "http://127.0.0.1:9", "--world-db", CLOSED_DB],
     "cannot reach mysql://cron:********@127.0.0.1:1/asterisk"),
    (["check", "--target", "http://127.0.0.1:9", "--world", WORLD, "--host-db", "x.sqlite"], "--host-db is the embedded"),
    (["check", "--specs", "no/such/folder"], "--specs no/such/folder does not exist"),
    (["check", "-k", "no_case_is_called_this"], "no case matches -k 'no_case_is_called_this'"),
    (["check", "--timeout", "0"], "argument --timeout: 0 is too small"),
    (["serve", "--port", "70000"], "argument --port: 70000 is not a port: give 1 to 65535"),
    (["serve", "--port", "http"], "argument --port: 'http' is not a port number"),
    (["serve", "--db", CLOSED_DB], "cannot reach mysql://cron:********@127.0.0.1:1/asterisk"),
    (["serve", "--db", "no/such/folder/host.sqlite"], "the folder no/such/folder does not exist"),
    (["serve", "--db", "postgres://h/db"], "unknown database URL postgres://h/db: use a file path"),
    (["serve", "--world", "no-such-world.yaml"], "no-such-world.yaml"),
    (["seed", "--rows", "10", "--db", CLOSED_DB], "cannot reach mysql://cron:********@127.0.0.1:1/asterisk"),
    (["cleanup", "--journal", "no-such-journal.jsonl", "--world-db", CLOSED_DB],
     "journal no-such-journal.jsonl does not exist: pass the vicicert-journal.jsonl"),
    (["load", "recording", "--agents", "2", "--slo-file", "no-such-slo.yaml"], "no-such-slo.yaml"),
    (["load", "stats", "--windows", "10k"], "'10k' is not a whole number"),
    (["check", "--target", "http://127.0.0.1:9", "--user", "u1", "--pass-env", "NO_SUCH_PW_VAR"],
     "--pass-env NO_SUCH_PW_VAR: the environment variable NO_SUCH_PW_VAR is not set, so the API user u1 has no "
     "password: export NO_SUCH_PW_VAR=..."),
    (["check", "--target", "http://127.0.0.1:9", "--world", WORLD, "--pass-env", "NO_SUCH_PW_VAR"],
     "the environment variable NO_SUCH_PW_VAR is not set, so the world's API user (api_admin) has no password"),
    (["check", "--target", "http://127.0.0.1:9", "--user", "u1", "--preflight-only"],
     "--pass-env VICIDIAL_PASS: the environment variable VICIDIAL_PASS is not set"),
])
def test_a_mistake_is_one_message_with_its_fix(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VICIDIAL_WORLD_DB", raising=False)
    monkeypatch.delenv("VICIDIAL_PASS", raising=False)
    assert message in _usage_error(capsys, *argv)


def test_an_unwritable_report_folder_is_named(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for argv in (["check"], ["load", "recording", "--agents", "2"], ["load", "stats"]):
        message = _usage_error(capsys, *argv, "--report-dir", str(blocker / "out"))
        assert f"--report-dir {blocker / 'out'}: cannot write there" in message


@pytest.mark.slow  # a whole run of one spec; a folder of one's own is run by the test below
def test_a_spec_file_alone_is_checked(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-q", "--specs", str(SPECS_DIR / "agent_api" / "pause_code.yaml")]) == 0
    assert f"{len(load_spec(SPECS_DIR / 'agent_api' / 'pause_code.yaml').cases)} passed" in capsys.readouterr().out


def test_a_spec_tree_of_ones_own_is_checked_alone(capsys, tmp_path, monkeypatch):
    """--specs DIR: a folder outside the package (subfolders too) runs its own cases and no shipped ones."""
    import json
    own = tmp_path / "my-specs"
    (own / "deeper").mkdir(parents=True)
    (own / "pause_code.yaml").write_bytes((SPECS_DIR / "agent_api" / "pause_code.yaml").read_bytes())
    (own / "deeper" / "recording.yaml").write_bytes((SPECS_DIR / "agent_api" / "recording.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-q", "--specs", str(own), "--report-dir", "out"]) == 0, capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert {case["function"] for case in report["cases"]} == {"pause_code", "recording"}
    cases = sum(len(load_spec(SPECS_DIR / "agent_api" / name).cases) for name in ("pause_code.yaml", "recording.yaml"))
    assert report["totals"]["cases"] == report["totals"]["passed"] == cases


def test_a_folder_without_specs_is_named(capsys, tmp_path):
    (tmp_path / "world.yaml").write_text("vicicert: world/1\n")  # a world is no spec (any other YAML is an error)
    assert "no spec files under" in _usage_error(capsys, "check", "--specs", str(tmp_path))


def test_a_busy_port_is_named(capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        message = _usage_error(capsys, "serve", "--port", str(port), "--db", str(tmp_path / "host.sqlite"))
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in message


def test_serve_never_replaces_rows_it_did_not_write(capsys, tmp_path):
    """A VICIdial database (its tables made by someone else, with rows) is served only with --keep-data."""
    path = tmp_path / "someone-elses.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE vicidial_users (user TEXT, pass TEXT)")
        connection.execute("INSERT INTO vicidial_users VALUES ('6666', 'theirs')")
    message = _usage_error(capsys, "serve", "--db", str(path), "--port", "1")
    assert "holds VICIdial tables with rows that vicicert did not write" in message and "--keep-data" in message
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT * FROM vicidial_users").fetchall() == [("6666", "theirs")]
        assert [name for (name,) in connection.execute("SELECT name FROM sqlite_master")] == ["vicidial_users"]


def test_a_file_that_is_no_database_is_named(capsys, tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n" * 100)
    assert "is not a usable SQLite database" in _usage_error(capsys, "serve", "--db", str(path))


def test_cleanup_never_writes_to_a_file_that_is_not_its_journal(capsys, tmp_path):
    world = tmp_path / "world.yaml"
    world.write_bytes(EMBEDDED_WORLD.read_bytes())
    message = _usage_error(capsys, "cleanup", "--journal", str(world), "--world-db", CLOSED_DB)
    assert f"{world}:1 is not a vicicert journal entry" in message
    assert world.read_bytes() == EMBEDDED_WORLD.read_bytes()


def test_cleanup_without_a_database_says_where_it_comes_from(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("VICIDIAL_WORLD_DB", raising=False)
    journal = tmp_path / "j.jsonl"
    journal.write_text('{"op": "begin"}\n')
    assert "--world-db mysql://... or VICIDIAL_WORLD_DB" in _usage_error(capsys, "cleanup", "--journal", str(journal))


@pytest.mark.parametrize("module, argv", [
    ("locust", ["load", "recording", "--agents", "2", "--seconds", "1"]),
    ("pymysql", ["serve", "--db", CLOSED_DB]),
    ("pymysql", ["check", "--target", "http://127.0.0.1:9", "--world-db", CLOSED_DB]),
    ("pymysql", ["seed", "--rows", "10", "--db", CLOSED_DB]),
    ("hdrh", ["load", "stats", "--rows", "10"]),
])
def test_a_missing_package_is_named_with_the_install_line(module, argv, capsys, tmp_path, monkeypatch):
    """An incomplete install (a package removed after vicicert was installed) names the package to install."""
    monkeypatch.chdir(tmp_path)
    for name in [name for name in sys.modules if name == module or name.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # import of it now fails, as when it is not installed
    import importlib.util
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == module else real_find_spec(name, *a))
    message = _usage_error(capsys, *argv)
    distribution = {"hdrh": "hdrhistogram"}.get(module, module)
    assert f"{distribution} is missing, so this install is incomplete: pip install {distribution}" in message


def test_a_database_without_vicidial_tables_is_named_before_anything_is_written(capsys, tmp_path, vicidial_mariadb):
    vicidial_mariadb.admin("CREATE DATABASE IF NOT EXISTS not_vicidial")
    url = vicidial_mariadb.url("not_vicidial")
    message = _usage_error(capsys, "check", "--target", "http://127.0.0.1:9", "--world-db", url,
                           "--report-dir", str(tmp_path))
    assert "has no table groups_alias, live_channels, live_sip_channels, parked_channels, phones, phones_alias, recording_log, servers, " \
           "system_settings, vicidial_3way_press_live, vicidial_3way_press_multi, " \
           "vicidial_admin_log, vicidial_agent_log" in message
    assert "give the asterisk database of a VICIdial host" in message
    journal = tmp_path / "j.jsonl"
    journal.write_text('{"op": "begin", "namespace": "vcrt", "checksums": {}}\n')
    assert "has no table" in _usage_error(capsys, "cleanup", "--journal", str(journal), "--world-db", url)
    assert vicidial_mariadb.admin("SHOW TABLES FROM not_vicidial").strip() == ""
    assert not (tmp_path / "vicicert-journal.jsonl").exists()
    vicidial_mariadb.admin("CREATE DATABASE IF NOT EXISTS uninstalled")
    open_database(vicidial_mariadb.url("uninstalled"))  # the tables, but no system_settings row
    message = _usage_error(capsys, "check", "--target", "http://127.0.0.1:9", "--world-db",
                           vicidial_mariadb.url("uninstalled"), "--report-dir", str(tmp_path))
    assert "has no system_settings row, which every VICIdial install has" in message


def test_serve_refuses_a_vicidial_mariadb_it_did_not_create(capsys, vicidial_mariadb):
    vicidial_mariadb.admin("CREATE DATABASE IF NOT EXISTS theirs; "
                           "CREATE TABLE theirs.vicidial_users (user VARCHAR(20), pass VARCHAR(20)); "
                           "INSERT INTO theirs.vicidial_users VALUES ('6666', 'theirs')")
    message = _usage_error(capsys, "serve", "--db", vicidial_mariadb.url("theirs"), "--port", "1")
    assert "holds VICIdial tables with rows that vicicert did not write" in message
    assert vicidial_mariadb.admin("SELECT user, pass FROM theirs.vicidial_users").split() == ["6666", "theirs"]
    assert vicidial_mariadb.admin("SHOW TABLES FROM theirs").split() == ["vicidial_users"]


def test_the_command_line_alone_decides_the_mode(capsys, tmp_path, monkeypatch):
    """A VICIDIAL_WORLD_DB exported for `cleanup` (as the README does) leaves a plain check embedded."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VICIDIAL_WORLD_DB", CLOSED_DB)
    monkeypatch.setenv("VICIDIAL_TARGET", "http://127.0.0.1:9")
    assert main(["check", "-q", "-k", "pause_code and ready_agent"]) == 0
    assert "(embedded)" in capsys.readouterr().out
    assert os.environ["VICIDIAL_WORLD_DB"] == CLOSED_DB
