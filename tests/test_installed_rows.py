"""A fresh install's own rows (provisioning.INSTALLED_ROWS) are the embedded host's alone: SQL fixture
mode finds them on the target, never writes them, and no cleanup by namespace could take them."""

from __future__ import annotations

from conformance.tables.provisioning import INSTALLED_ROWS, world_rows
from conformance.tables.world_tables import BY_TABLE, owner_prefixes


def test_the_embedded_host_holds_the_installed_rows_and_sql_fixture_mode_does_not_write_them(vicidial_world):
    embedded = world_rows(vicidial_world)
    written = world_rows(vicidial_world, installed=False)
    for table, rows in INSTALLED_ROWS.items():
        assert embedded[table][:len(rows)] == list(rows)
        assert not [row for row in written[table] if row in rows]
        assert len(embedded[table]) == len(written[table]) + len(rows)


def test_no_installed_row_carries_the_harness_prefix_of_its_table():
    for table, rows in INSTALLED_ROWS.items():
        declared = BY_TABLE[table]
        for row in rows:
            assert not str(row[declared.owner]).startswith(owner_prefixes(declared, "vcrt")), row
