"""The lists' custom_<list_id> tables: made by the embedded host from its world, only used in SQL
fixture mode where the target already has them (a real host's cron account may not CREATE), their
harness rows (those of harness leads) written, checksummed and undone like any others."""

from __future__ import annotations

import itertools
import json

import pytest

from conformance.sql_fixture import SqlFixture, checksums, cleanup_journal
from conformance.tables.database import open_database
from conformance.tables.provisioning import custom_rows, custom_tables
from conformance.tables.schema import mysql_ddl

_numbers = itertools.count(1)
TABLE = "custom_9990201"


@pytest.fixture
def lab(vicidial_mariadb):
    """A fresh lab database with upstream's tables and a lead of its own (lead_id 77)."""
    name = f"custom{next(_numbers)}"
    vicidial_mariadb.admin(f"CREATE DATABASE {name}")
    url = vicidial_mariadb.url(name)
    database = open_database(url)
    database.write("INSERT INTO system_settings (version, db_schema_version) VALUES ('2.14b0.5', 1701)")
    database.write("INSERT INTO vicidial_list (lead_id, list_id, phone_number, vendor_lead_code) "
                   "VALUES (77, 999, '3125559999', 'LAB77')")
    yield url, database
    database.close()


def with_custom_table(database, world, foreign=True):
    """The lab gets the world's custom tables (list 9990201's and 9990241's), as the admin page makes
    them, list 9990201's holding the value of its own lead 77."""
    for statement in mysql_ddl(custom_tables(world).values()):
        database.write(statement)
    if foreign:
        database.write(f"INSERT INTO {TABLE} (lead_id, vc_color) VALUES (77, 'lab')")


def test_the_embedded_world_gives_list_a_custom_table_typed_as_upstream_does(vicidial_world):
    table = custom_tables(vicidial_world)[TABLE]
    assert [(column.name, column.mysql_type, column.default) for column in table.columns] == [
        ("lead_id", "INT(9) UNSIGNED", None), ("vc_color", "VARCHAR(20)", "''"), ("vc_notes", "TEXT", None),
        ("vc_size", "ENUM('S','M','L')", "'M'"), ("vc_code", "VARCHAR(10)", "''")]   # the DISPLAY field has none
    assert custom_rows(vicidial_world)[TABLE][0]["vc_color"] == "teal"


def test_the_embedded_host_makes_and_fills_the_custom_table(vicidial_host, vicidial_world):
    database = vicidial_host.database
    assert database.column_names(TABLE) == ["lead_id", "vc_color", "vc_notes", "vc_size", "vc_code"]
    assert database.all(f"SELECT lead_id, vc_code FROM {TABLE} WHERE lead_id = 9000261") == [(9000261, "A-17")]
    assert database.value(f"SELECT COUNT(*) FROM {TABLE}") == len(vicidial_world.section("custom_values"))
    assert vicidial_host.missing_tables(("custom_9990201",)) is None
    assert "no custom fields" in vicidial_host.missing_tables(("custom_9990202",))


def test_without_the_table_the_cases_are_skipped_with_the_reason(lab, tmp_path, vicidial_world):
    url, database = lab
    before = checksums(database)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    assert "has no table custom_9990201" in fixture.missing_tables(("custom_9990201",))
    assert fixture.finish() == [] and checksums(database) == before
    assert TABLE not in database.table_names()   # never created on the target


def test_a_table_lacking_a_field_is_not_used(lab, tmp_path, vicidial_world):
    url, database = lab
    database.write(f"CREATE TABLE {TABLE} (lead_id INT(9) UNSIGNED PRIMARY KEY NOT NULL, vc_color VARCHAR(20))")
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    assert "has no column vc_notes, vc_size, vc_code" in fixture.missing_tables(("custom_9990201",))
    assert fixture.finish() == []


def test_an_existing_table_gets_the_harness_rows_and_loses_them_again(lab, tmp_path, vicidial_world):
    url, database = lab
    with_custom_table(database, vicidial_world)
    before = checksums(database, tables=(TABLE,))
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    assert fixture.missing_tables(("custom_9990201",)) is None
    assigned = fixture.reset(vicidial_world, {})
    lead = int(assigned["lead_id"]["9000261"])
    assert database.all(f"SELECT lead_id, vc_color, vc_size FROM {TABLE} WHERE lead_id IN (77, ?) ORDER BY lead_id",
                        lead) == [(77, "lab", "M"), (lead, "teal", "L")]
    fixture.reset(vicidial_world, {})   # the next case: the harness rows replaced, not doubled
    assert database.value(f"SELECT COUNT(*) FROM {TABLE}") == 1 + len(vicidial_world.section("custom_values"))
    assert fixture.finish() == []
    assert database.all(f"SELECT lead_id, vc_color FROM {TABLE}") == [(77, "lab")]
    assert checksums(database, tables=(TABLE,)) == before
    begin = json.loads((tmp_path / "journal.jsonl").read_text().splitlines()[0])
    assert begin["custom_tables"] == sorted(custom_tables(vicidial_world)) and TABLE in begin["checksums"]


def test_a_case_that_changes_a_harness_custom_row_gets_it_back_with_its_lead(lab, tmp_path, vicidial_world):
    """Custom rows are in the snapshot like any harness row: a case's change is undone before the next."""
    url, database = lab
    with_custom_table(database, vicidial_world)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    assigned = fixture.reset(vicidial_world, {})
    lead = int(assigned["lead_id"]["9000261"])
    database.write(f"UPDATE {TABLE} SET vc_color = 'changed' WHERE lead_id = ?", lead)
    assert fixture.reset(vicidial_world, {}) == assigned
    assert database.all(f"SELECT lead_id, vc_color FROM {TABLE} WHERE lead_id IN (77, ?) ORDER BY lead_id",
                        lead) == [(77, "lab"), (lead, "teal")]
    assert fixture.rows_restored == {TABLE: 2} and fixture.provisions == 1
    assert fixture.finish() == []


def test_a_change_to_a_foreign_custom_row_is_reported(lab, tmp_path, vicidial_world):
    url, database = lab
    with_custom_table(database, vicidial_world)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    database.write(f"UPDATE {TABLE} SET vc_color = 'changed' WHERE lead_id = 77")
    problems = fixture.finish()
    assert any(TABLE in problem for problem in problems), problems


def test_a_killed_run_is_undone_by_cleanup_custom_rows_first(lab, tmp_path, vicidial_world):
    url, database = lab
    with_custom_table(database, vicidial_world)
    before = checksums(database, tables=(TABLE,))
    fixture = SqlFixture(url, tmp_path / "journal.jsonl")
    fixture.begin(vicidial_world)
    fixture.reset(vicidial_world, {})
    fixture.db.close()   # the run dies with its connection
    undone = cleanup_journal(tmp_path / "journal.jsonl", url)
    assert undone.problems == []
    assert database.all(f"SELECT lead_id FROM {TABLE}") == [(77,)]
    assert checksums(database, tables=(TABLE,)) == before


def test_a_renamed_world_keeps_its_custom_values(vicidial_world):
    from conformance.world import renamed
    moved = renamed(vicidial_world, "qa7")
    assert custom_rows(moved) == custom_rows(vicidial_world)
