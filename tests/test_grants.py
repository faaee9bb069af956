"""SHOW GRANTS read into per-table rights, as MariaDB and MySQL print them."""

from __future__ import annotations

from conformance.sql_fixture import NEEDED
from conformance.tables.grants import missing_privileges, table_privileges

TABLES = ("vicidial_users", "system_settings")
BASE_INSTALL = ["GRANT RELOAD ON *.* TO `cron`@`%` IDENTIFIED BY PASSWORD '*A4B6157319038724E3560894F7F932C8886EBFCF'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES ON `asterisk`.* TO `cron`@`%`"]


def test_base_install_cron_has_the_fixture_rights_but_no_alter():
    granted = table_privileges(BASE_INSTALL, "asterisk", TABLES)
    assert granted == {table: {"SELECT", "INSERT", "UPDATE", "DELETE", "LOCK TABLES"} for table in TABLES}
    assert missing_privileges({t: NEEDED[t] for t in TABLES}, granted) == {}
    assert missing_privileges({"vicidial_users": {"ALTER"}}, granted) == {"vicidial_users": ["ALTER"]}


def test_all_privileges_everywhere():
    granted = table_privileges(["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"], "asterisk", TABLES)
    assert all("ALTER" in rights and "DELETE" in rights for rights in granted.values())


def test_another_database_grants_nothing_here():
    granted = table_privileges(["GRANT ALL ON `asterisk_old`.* TO `cron`@`%`"], "asterisk", TABLES)
    assert granted == {table: set() for table in TABLES}


def test_database_patterns_and_escapes():
    assert table_privileges(["GRANT SELECT ON `aster%`.* TO `x`@`%`"], "asterisk", TABLES)["system_settings"] == {"SELECT"}
    assert table_privileges(["GRANT SELECT ON `as\\_erisk`.* TO `x`@`%`"], "asterisk", TABLES)["system_settings"] == set()
    assert table_privileges(["GRANT SELECT ON `as_erisk`.* TO `x`@`%`"], "asterisk", TABLES)["system_settings"] == {"SELECT"}


def test_table_and_column_level_grants():
    lines = ["GRANT SELECT, DELETE ON `asterisk`.`vicidial_users` TO `x`@`%`",
             "GRANT SELECT (`user`), UPDATE (`pass`) ON `asterisk`.`system_settings` TO `x`@`%`"]
    granted = table_privileges(lines, "asterisk", TABLES)
    assert granted == {"vicidial_users": {"SELECT", "DELETE"}, "system_settings": set()}
    assert missing_privileges({t: NEEDED[t] for t in TABLES}, granted) == {
        "system_settings": ["SELECT", "UPDATE"], "vicidial_users": ["INSERT"]}


def test_roles_and_proxies_are_not_followed():
    assert table_privileges(["GRANT `dba` TO `x`@`%`", "GRANT PROXY ON ''@'%' TO 'x'@'%'"], "asterisk", TABLES) == {
        table: set() for table in TABLES}
