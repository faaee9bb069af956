"""The reference host compares text as upstream's MySQL collation does (utf8_unicode_ci: case
ignored, trailing spaces ignored), on SQLite too; a host that does not is caught."""

from __future__ import annotations

import pytest

from conformance.client import Target
from conformance.host.mysql_text import stored_in
from conformance.execution import run_case
from conformance.redaction import Redactor
from conformance.tables import database as database_module
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import world_rows
from conformance.tables.collation import mysql_text_order
from conformance.tables.schema import Column, fit

from targets import MisbehavingHandler


@pytest.mark.parametrize("left, right, order", [
    ("LEAD01 ", "lead01", 0), ("a", "A  ", 0), ("a", "b", -1), ("b ", "a", 1), ("a\t", "a", -1), (" a", "a", -1),
])
def test_case_and_trailing_spaces_are_ignored_and_nothing_else(left, right, order):
    assert mysql_text_order(left, right) == order


@pytest.mark.parametrize("value, stored", [
    ("É".encode().decode("latin-1"), "É".encode().decode("latin-1")),   # PHP's two bytes, one character: whole
    ("ÉA".encode().decode("latin-1"), "É".encode().decode("latin-1")),
    ("1!", "1"), ("É", "É"),                                               # ASCII, and text already decoded
    ("\xc3", "\xc3"), ("\xc3\xc3", "\xc3"),                                  # not UTF-8: cut by bytes
])
def test_a_column_width_counts_utf8_characters(value, stored):
    """external_hangup is VARCHAR(1): upstream's utf8 column holds É (C3 89) whole."""
    assert fit("vicidial_live_agents", "external_hangup", value) == stored


def test_lookups_on_sqlite_find_padded_and_mixed_case_text(tmp_path, vicidial_world):
    db = SqliteDatabase(tmp_path / "text.sqlite")
    db.replace_rows(world_rows(vicidial_world))
    user = vicidial_world.api_users["api_admin"]["user"]
    assert db.value("SELECT count(*) FROM vicidial_users WHERE user = ?", user.upper() + "   ") == 1
    assert db.value("SELECT count(*) FROM vicidial_users WHERE user = ?", " " + user) == 0


def test_a_host_without_pad_space_is_caught(httpserver, tmp_path, vicidial_world, vicidial_specs, monkeypatch):
    def no_pad(left, right):
        left, right = left.lower(), right.lower()
        return (left > right) - (left < right)

    case = next(c for c in vicidial_specs["agent_api/switch_lead"].cases
                if c.name == "vendor_lead_code_with_trailing_spaces")

    def status():
        handler = MisbehavingHandler(tmp_path / f"{len(list(tmp_path.iterdir()))}.sqlite", vicidial_world,
                                     lambda request, answer: answer)
        httpserver.clear_all_handlers()
        httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=10)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True).status

    assert status() == "passed"
    monkeypatch.setattr(database_module, "mysql_text_order", no_pad)
    assert status() == "failed"


@pytest.mark.parametrize("mysql_type, text, kept", [
    ("TINYINT UNSIGNED", "999", 255), ("TINYINT UNSIGNED", "007", 7), ("TINYINT UNSIGNED", "-3", 0),
    ("TINYINT(2)", "300", 127), ("TINYINT(2)", "-300", -128), ("SMALLINT(5) UNSIGNED", "99999", 65535),
])
def test_an_integer_column_keeps_its_range(mysql_type, text, kept):
    """MySQL's non-strict mode fills an integer column with its nearest end (update_remote_agent's
    999 lines are 255 on upstream)."""
    assert stored_in(Column("n", mysql_type), text) == kept
