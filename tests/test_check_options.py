"""One table (conformance/check_options.py) holds every option of a check in all its forms: vicicert
check's flag, the plugin's --vicidial-* flag, its ini key and its environment variable."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from _pytest.config.argparsing import Parser

from conformance import cli
from conformance.check_options import BY_NAME, CHECK_OPTIONS, CLI_ONLY
from conformance.plugin.options import add_options, option, switch

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def plugin_forms() -> tuple[set[str], set[str]]:
    """The plugin's --vicidial-* flags and its ini keys, as pytest's parser receives them."""
    parser = Parser(_ispytest=True)
    add_options(parser)
    flags = {name for group in parser._groups for opt in group.options for name in opt.names()}
    return flags, set(parser._inidict)


def check_flags() -> set[str]:
    subparsers = next(action for action in cli._parser()._actions if isinstance(action, argparse._SubParsersAction))
    return {flag for action in subparsers.choices["check"]._actions for flag in action.option_strings} - {"-h", "--help"}


def test_every_plugin_option_and_ini_key_is_in_the_table():
    flags, inis = plugin_forms()
    assert flags == {entry.flag for entry in CHECK_OPTIONS}
    assert inis == {entry.ini for entry in CHECK_OPTIONS if entry.settable}


def test_every_check_option_is_in_the_table_or_named_as_checks_own():
    table = {entry.cli for entry in CHECK_OPTIONS if entry.cli}
    assert check_flags() - {"--quiet"} == table | set(CLI_ONLY)
    assert not table & set(CLI_ONLY)


def test_the_flag_only_options_are_the_ones_the_readme_names():
    flag_only = [entry for entry in CHECK_OPTIONS if not entry.settable]
    paragraph = README[README.index("Flags on purpose"):][:800]
    for entry in flag_only:
        assert f"`{entry.cli or entry.flag}`" in paragraph, entry.name


class Config:
    """What option() and switch() read of a pytest config: flags (none given here) and ini keys."""

    def __init__(self, ini: dict):
        self.ini = ini

    def getoption(self, dest):
        return None

    def getini(self, key):
        return self.ini.get(key, False if BY_NAME[key[len("vicidial_"):].replace("_", "-")].switch else None)


@pytest.mark.parametrize("entry", CHECK_OPTIONS, ids=lambda entry: entry.name)
def test_each_form_is_read_and_a_flag_on_purpose_reads_no_other(entry, monkeypatch):
    value = "true" if entry.switch else "x7"
    read = switch if entry.switch else option
    expected = True if entry.switch else value
    monkeypatch.setenv(f"VICIDIAL_{entry.name.replace('-', '_').upper()}", value)
    assert (read(Config({}), entry.name) == expected) == entry.settable         # the environment variable
    monkeypatch.delenv(f"VICIDIAL_{entry.name.replace('-', '_').upper()}")
    ini = {f"vicidial_{entry.name.replace('-', '_')}": True if entry.switch else value}
    assert (read(Config(ini), entry.name) == expected) == entry.settable         # the ini key


@pytest.mark.slow  # a whole check per option
def test_check_hands_each_option_to_the_plugin_flag_of_the_table(monkeypatch, tmp_path):
    """Every table option given to vicicert check reaches pytest as its plugin flag."""
    handed = []
    monkeypatch.setattr(pytest, "main", lambda args: handed.extend(args) or 0)
    monkeypatch.setenv("VICIDIAL_PASS", "vcPass-6666")
    (tmp_path / "e.yaml").write_text("")
    given = {"--contract": "documented", "--report-dir": str(tmp_path / "out"), "--timeout": "5", "--wait": "2",
             "--host-db": str(tmp_path / "h.sqlite"), "--namespace": "qa7", "--expectations": str(tmp_path / "e.yaml"),
             "--update-expectations": str(tmp_path / "u.yaml"), "--certificate": str(tmp_path / "cert"),
             "--max-skipped": "0", "--checks": "body,headers", "--exclude-checks": "headers"}
    switches = ["--no-global-changes", "--allow-failed-logins", "--retry-refused-login", "--allow-writes", "--allow-disturbing",
                "--allow-nothing-checked", "--all-failures"]
    arguments = [part for flag, value in given.items() for part in (flag, value)] + switches
    assert cli.main(["check", "-k", "pause_code", *arguments]) == 0
    declared = {"--target": "http://127.0.0.1:9", "--world": str(tmp_path / "w.yaml"), "--user": "6666"}
    (tmp_path / "w.yaml").write_text("vicicert: world/1\napi_users:\n  api_admin: {user: \"6666\"}\n")
    assert cli.main(["check", "-k", "pause_code", *[part for item in declared.items() for part in item]]) == 0
    fixture = {"--target": "http://127.0.0.1:9", "--world-db": "mysql://u:p@127.0.0.1:9/a",
               "--journal": str(tmp_path / "j.jsonl")}
    assert cli.main(["check", "-k", "pause_code", *[part for item in fixture.items() for part in item]]) == 0
    for flag, value in {**given, **declared, **fixture}.items():
        entry = next(entry for entry in CHECK_OPTIONS if entry.cli == flag)
        assert entry.flag in handed, flag
        assert handed[handed.index(entry.flag) + 1] in (value, f"{float(value):g}" if value[0].isdigit() else value)
    for flag in switches:
        assert next(entry.flag for entry in CHECK_OPTIONS if entry.cli == flag) in handed
    covered = {*given, *declared, *fixture, *switches, "--sign-key"}   # a key is needed to sign: see test_certificate
    assert covered == {entry.cli for entry in CHECK_OPTIONS if entry.cli}
