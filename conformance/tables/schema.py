"""The subset of upstream tables the covered functions read and write.

Names, MySQL types and defaults follow extras/MySQL_AST_CREATE_tables.sql (schema 1701);
only the columns the covered functions touch are declared. One declaration yields the
SQLite and the MySQL/MariaDB DDL, and the column widths the host truncates to (MySQL
in its non-strict mode cuts an over-long string to the column width).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    mysql_type: str
    default: str | None = None      # SQL literal as upstream writes it, e.g. "'0'"
    not_null: bool = False
    auto_increment: bool = False

    @property
    def width(self) -> int | None:
        match = re.fullmatch(r"VARCHAR\((\d+)\)", self.mysql_type)
        return int(match.group(1)) if match else None

    @property
    def enum_values(self) -> list[str]:
        match = re.fullmatch(r"ENUM\((.*)\)", self.mysql_type)
        return re.findall(r"'([^']*)'", match.group(1)) if match else []


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: str | None = None
    indexes: tuple[tuple[str, ...], ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    host_indexes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # SQLite host only, not upstream
    bulk: bool = False   # millions of rows: SQLite compares its text with NOCASE, not MYSQL_CI, for speed

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


MYSQL_CI = "MYSQL_CI"


def mysql_text_order(left: str, right: str) -> int:
    """How upstream's collation orders two texts, for SQLite: case-insensitive (ASCII letters)
    and PAD SPACE, so 'LEAD01 ' equals 'lead01'."""
    left, right = left.rstrip(" ").lower(), right.rstrip(" ").lower()
    return (left > right) - (left < right)


C = Column
TABLES: dict[str, Table] = {table.name: table for table in (
    Table("system_settings", (
        C("version", "VARCHAR(50)"),
        C("use_non_latin", "ENUM('0','1')", "'0'"),
        C("db_schema_version", "INT(8) UNSIGNED", "'0'"),
        C("vdc_agent_api_active", "ENUM('0','1')", "'0'"),
        C("enable_pause_code_limits", "ENUM('1','0')", "'0'"),
        C("allow_web_debug", "ENUM('0','1','2','3','4','5','6')", "'0'"),
        C("outbound_cid_any", "ENUM('DISABLED','API_ONLY')", "'DISABLED'"),
    )),
    Table("vicidial_users", (
        C("user_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user", "VARCHAR(20)", not_null=True),
        C("pass", "VARCHAR(100)", not_null=True),
        C("full_name", "VARCHAR(50)"),
        C("user_level", "TINYINT(3) UNSIGNED", "'1'"),
        C("user_group", "VARCHAR(20)"),
        C("view_reports", "ENUM('0','1')", "'0'"),
        C("vdc_agent_api_access", "ENUM('0','1')", "'0'"),
        C("active", "ENUM('Y','N')", "'Y'"),
        C("api_list_restrict", "ENUM('1','0')", "'0'"),
        C("api_allowed_functions", "VARCHAR(1000)", "' ALL_FUNCTIONS '"),
        C("api_only_user", "ENUM('0','1')", "'0'"),
        C("modify_campaigns", "ENUM('0','1')", "'0'"),
        C("agentcall_manual", "ENUM('0','1','2','3','4','5')", "'0'"),
        C("custom_three", "VARCHAR(100)", "''"),
        C("modify_leads", "ENUM('0','1','2','3','4','5','6')", "'0'"),
        C("modify_lists", "ENUM('0','1')", "'0'"),
        C("modify_users", "ENUM('0','1')", "'0'"),
        C("failed_login_count", "TINYINT(3) UNSIGNED", "'0'"),
        C("last_login_date", "DATETIME", "'2001-01-01 00:00:01'"),
        C("selected_language", "VARCHAR(100)", "'default English'"),
        C("pass_hash", "VARCHAR(500)", "''"),
    ), primary_key="user_id", unique=(("user",),)),
    Table("servers", (
        C("server_id", "VARCHAR(10)", not_null=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("active", "ENUM('Y','N')"),
        C("active_asterisk_server", "ENUM('Y','N')", "'Y'"),
        C("local_gmt", "VARCHAR(6)", "'-5.00'"),
    )),
    Table("vicidial_user_groups", (
        C("user_group", "VARCHAR(20)", not_null=True),
        C("group_name", "VARCHAR(40)", not_null=True),
        C("allowed_campaigns", "TEXT"),
        C("api_ip_list", "VARCHAR(30)", "''"),
        C("admin_viewable_groups", "TEXT"),
    )),
    Table("vicidial_lists", (
        C("list_id", "BIGINT(14) UNSIGNED", not_null=True),
        C("list_name", "VARCHAR(30)"),
        C("campaign_id", "VARCHAR(8)"),
        C("active", "ENUM('Y','N')"),
        C("list_description", "VARCHAR(255)"),
        C("list_changedate", "DATETIME"),
        C("list_lastcalldate", "DATETIME"),
        C("reset_time", "VARCHAR(100)", "''"),
        C("time_zone_setting", "ENUM('COUNTRY_AND_AREA_CODE','POSTAL_CODE','NANPA_PREFIX','OWNER_TIME_ZONE_CODE')",
          "'COUNTRY_AND_AREA_CODE'"),
        C("expiration_date", "DATE", "'2099-12-31'"),
        C("local_call_time", "VARCHAR(10)", "'campaign'", not_null=True),
        C("daily_reset_limit", "SMALLINT(5)", "'-1'"),
        C("resets_today", "SMALLINT(5) UNSIGNED", "'0'"),
    ), primary_key="list_id"),
    Table("vicidial_campaigns", (
        C("campaign_id", "VARCHAR(8)", not_null=True),
        C("campaign_name", "VARCHAR(40)"),
        C("active", "ENUM('Y','N')"),
        C("agent_pause_codes_active", "ENUM('Y','N','FORCE')", "'N'"),
        C("alt_number_dialing", "ENUM('N','Y','SELECTED','SELECTED_TIMER_ALT','SELECTED_TIMER_ADDR3','UNSELECTED',"
                                "'UNSELECTED_TIMER_ALT','UNSELECTED_TIMER_ADDR3')", "'N'"),
        C("manual_preview_dial", "ENUM('DISABLED','PREVIEW_AND_SKIP','PREVIEW_ONLY')", "'PREVIEW_AND_SKIP'"),
        C("api_manual_dial", "ENUM('STANDARD','QUEUE','QUEUE_AND_AUTOCALL')", "'STANDARD'"),
        C("agent_lead_search", "ENUM('ENABLED','LIVE_CALL_INBOUND','LIVE_CALL_INBOUND_AND_MANUAL','DISABLED')",
          "'DISABLED'"),
    ), primary_key="campaign_id"),
    Table("vicidial_list", (
        C("lead_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("entry_date", "DATETIME"),
        C("status", "VARCHAR(6)"),
        C("user", "VARCHAR(20)"),
        C("vendor_lead_code", "VARCHAR(20)"),
        C("source_id", "VARCHAR(50)"),
        C("list_id", "BIGINT(14) UNSIGNED", "'0'", not_null=True),
        C("gmt_offset_now", "DECIMAL(4,2)", "'0.00'"),
        C("called_since_last_reset", "ENUM('Y','N','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','D')", "'N'"),
        C("phone_code", "VARCHAR(10)"),
        C("phone_number", "VARCHAR(18)", not_null=True),
        C("title", "VARCHAR(4)"),
        C("first_name", "VARCHAR(30)"),
        C("middle_initial", "VARCHAR(1)"),
        C("last_name", "VARCHAR(30)"),
        C("address1", "VARCHAR(100)"),
        C("address2", "VARCHAR(100)"),
        C("address3", "VARCHAR(100)"),
        C("city", "VARCHAR(50)"),
        C("state", "VARCHAR(2)"),
        C("province", "VARCHAR(50)"),
        C("postal_code", "VARCHAR(10)"),
        C("country_code", "VARCHAR(3)"),
        C("gender", "ENUM('M','F','U')", "'U'"),
        C("date_of_birth", "DATE"),
        C("alt_phone", "VARCHAR(12)"),
        C("email", "VARCHAR(70)"),
        C("security_phrase", "VARCHAR(100)"),
        C("comments", "VARCHAR(255)"),
        C("called_count", "SMALLINT(5) UNSIGNED", "'0'"),
        C("last_local_call_time", "DATETIME"),
        C("rank", "SMALLINT(5)", "'0'", not_null=True),
        C("owner", "VARCHAR(20)", "''"),
        C("entry_list_id", "BIGINT(14) UNSIGNED", "'0'", not_null=True),
    ), primary_key="lead_id", indexes=(("phone_number",), ("list_id",), ("status",))),
    Table("vicidial_live_agents", (
        C("live_agent_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user", "VARCHAR(20)"),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("conf_exten", "VARCHAR(20)"),
        C("extension", "VARCHAR(100)"),
        C("status", "ENUM('READY','QUEUE','INCALL','PAUSED','CLOSER','MQUEUE')", "'PAUSED'"),
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("campaign_id", "VARCHAR(8)"),
        C("uniqueid", "VARCHAR(20)"),
        C("callerid", "VARCHAR(20)"),
        C("channel", "VARCHAR(100)"),
        C("user_level", "TINYINT(3) UNSIGNED", "'0'"),
        C("comments", "VARCHAR(20)"),
        C("external_hangup", "VARCHAR(1)", "''"),
        C("external_pause", "VARCHAR(20)", "''"),
        C("external_timer_action", "VARCHAR(20)", "''"),
        C("external_timer_action_message", "VARCHAR(255)", "''"),
        C("external_timer_action_seconds", "MEDIUMINT(7)", "'-1'"),
        C("agent_log_id", "INT(9) UNSIGNED", "'0'"),
        C("last_state_change", "DATETIME"),
        C("external_recording", "VARCHAR(20)", "''"),
        C("external_pause_code", "VARCHAR(6)", "''"),
        C("pause_code", "VARCHAR(6)", "''"),
        C("external_update_fields", "ENUM('0','1')", "'0'"),
        C("external_update_fields_data", "VARCHAR(255)", "''"),
        C("external_dtmf", "VARCHAR(100)", "''"),
        C("external_dial", "VARCHAR(100)", "''"),
        C("external_park", "VARCHAR(40)", "''"),
        C("external_status", "VARCHAR(255)", "''"),
        C("external_lead_id", "INT(9) UNSIGNED", "'0'"),
    ), primary_key="live_agent_id", indexes=(("user",),)),
    Table("vicidial_pause_codes", (
        C("pause_code", "VARCHAR(6)", not_null=True),
        C("pause_code_name", "VARCHAR(30)"),
        C("billable", "ENUM('NO','YES','HALF')", "'NO'"),
        C("campaign_id", "VARCHAR(8)"),
        C("time_limit", "SMALLINT(5) UNSIGNED", "'65000'"),
        C("require_mgr_approval", "ENUM('NO','YES')", "'NO'"),
    ), indexes=(("campaign_id",),)),
    # external_status reads whether a status is a scheduled callback, system-wide or in the agent's campaign.
    Table("vicidial_statuses", (
        C("status", "VARCHAR(6)", not_null=True),
        C("status_name", "VARCHAR(30)"),
        C("selectable", "ENUM('Y','N')", "'N'"),
        C("scheduled_callback", "ENUM('Y','N')", "'N'"),
    ), primary_key="status"),
    Table("vicidial_campaign_statuses", (
        C("status", "VARCHAR(6)", not_null=True),
        C("status_name", "VARCHAR(30)"),
        C("selectable", "ENUM('Y','N')"),
        C("campaign_id", "VARCHAR(20)"),
        C("scheduled_callback", "ENUM('Y','N')", "'N'"),
    ), indexes=(("campaign_id",),), unique=(("status", "campaign_id"),)),
    Table("recording_log", (
        C("recording_id", "INT(10) UNSIGNED", not_null=True, auto_increment=True),
        C("channel", "VARCHAR(100)"),
        C("server_ip", "VARCHAR(15)"),
        C("extension", "VARCHAR(100)"),
        C("start_time", "DATETIME"),
        C("start_epoch", "INT(10) UNSIGNED"),
        C("end_time", "DATETIME"),
        C("end_epoch", "INT(10) UNSIGNED"),
        C("length_in_sec", "MEDIUMINT(8) UNSIGNED"),
        C("length_in_min", "DOUBLE(8,2)"),
        C("filename", "VARCHAR(100)"),
        C("location", "VARCHAR(255)"),
        C("lead_id", "INT(9) UNSIGNED"),
        C("user", "VARCHAR(20)"),
        C("vicidial_id", "VARCHAR(20)"),
    ), primary_key="recording_id", indexes=(("filename",), ("user",))),
    Table("vicidial_agent_log", (
        C("agent_log_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user", "VARCHAR(20)"),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("event_time", "DATETIME"),
        C("lead_id", "INT(9) UNSIGNED"),
        C("campaign_id", "VARCHAR(8)"),
        C("pause_epoch", "INT(10) UNSIGNED"),
        C("pause_sec", "SMALLINT(5) UNSIGNED", "'0'"),
        C("wait_epoch", "INT(10) UNSIGNED"),
        C("wait_sec", "SMALLINT(5) UNSIGNED", "'0'"),
        C("talk_epoch", "INT(10) UNSIGNED"),
        C("talk_sec", "SMALLINT(5) UNSIGNED", "'0'"),
        C("dispo_epoch", "INT(10) UNSIGNED"),
        C("dispo_sec", "SMALLINT(5) UNSIGNED", "'0'"),
        C("status", "VARCHAR(6)"),
        C("user_group", "VARCHAR(20)"),
        C("comments", "VARCHAR(20)"),
        C("sub_status", "VARCHAR(6)"),
        C("dead_epoch", "INT(10) UNSIGNED"),
        C("dead_sec", "SMALLINT(5) UNSIGNED", "'0'"),
        C("processed", "ENUM('Y','N')", "'N'"),
        C("uniqueid", "VARCHAR(20)", "''"),
        C("pause_type", "ENUM('UNDEFINED','SYSTEM','AGENT','API','ADMIN')", "'UNDEFINED'"),
    ), primary_key="agent_log_id", indexes=(("lead_id",), ("user",), ("event_time",)),
        # Covers agent_stats_export so SQLite aggregates agents in index order, with no sort.
        host_indexes={"vicicert_stats_cover": ("user", "campaign_id", "event_time", "lead_id", "pause_sec",
                                               "wait_sec", "talk_sec", "dispo_sec", "dead_sec", "sub_status")},
        bulk=True),
    Table("groups_alias", (
        C("group_alias_id", "VARCHAR(30)", not_null=True),
        C("group_alias_name", "VARCHAR(50)"),
        C("caller_id_number", "VARCHAR(20)"),
        C("caller_id_name", "VARCHAR(20)"),
        C("active", "ENUM('Y','N')", "'N'"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), primary_key="group_alias_id"),
    Table("vicidial_inbound_groups", (
        C("group_id", "VARCHAR(20)", not_null=True),
        C("group_name", "VARCHAR(30)"),
        C("active", "ENUM('Y','N')"),
    ), primary_key="group_id"),
    Table("vicidial_manual_dial_queue", (
        C("mdq_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user", "VARCHAR(20)"),
        C("phone_number", "VARCHAR(100)", "''"),
        C("entry_time", "DATETIME"),
        C("status", "ENUM('READY','QUEUE')", "'READY'"),
        C("external_dial", "VARCHAR(100)", "''"),
    ), primary_key="mdq_id", indexes=(("user",),)),
    Table("vicidial_api_log", (
        C("api_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user", "VARCHAR(20)", not_null=True),
        C("api_date", "DATETIME"),
        C("api_script", "VARCHAR(10)"),
        C("function", "VARCHAR(20)", not_null=True),
        C("agent_user", "VARCHAR(20)"),
        C("value", "VARCHAR(255)"),
        C("result", "VARCHAR(10)"),
        C("result_reason", "VARCHAR(255)"),
        C("source", "VARCHAR(20)"),
        C("data", "TEXT"),
        C("run_time", "VARCHAR(20)", "'0'"),
        C("webserver", "SMALLINT(5) UNSIGNED", "'0'"),
        C("api_url", "INT(9) UNSIGNED", "'0'"),
    ), primary_key="api_id"),
)}


def sqlite_ddl() -> list[str]:
    """CREATE statements for SQLite: ENUMs become CHECKed TEXT, integers INTEGER."""
    statements = []
    for table in TABLES.values():
        lines = []
        for column in table.columns:
            if column.auto_increment:
                lines.append(f'"{column.name}" INTEGER PRIMARY KEY AUTOINCREMENT')
                continue
            sql_type = _sqlite_type(column.mysql_type)
            # Text compares as under upstream's utf8_unicode_ci (case-insensitive, trailing spaces
            # ignored): the MYSQL_CI collation the database registers on every connection.
            collation = "NOCASE" if table.bulk else MYSQL_CI
            line = f'"{column.name}" {sql_type}' + (f" COLLATE {collation}" if sql_type == "TEXT" else "")
            if column.not_null:
                line += " NOT NULL"
            if column.default is not None:
                line += f" DEFAULT {column.default}"
            if column.enum_values:
                # MySQL's non-strict mode stores a value outside the list as '' (the error member).
                values = ", ".join(f"'{value}'" for value in ["", *column.enum_values])
                line += f' CHECK ("{column.name}" IN ({values}))'
            if table.primary_key == column.name:
                line += " PRIMARY KEY"
            lines.append(line)
        statements.append(f'CREATE TABLE IF NOT EXISTS "{table.name}" (\n  ' + ",\n  ".join(lines) + "\n)")
        named = [("INDEX", f"{table.name}_{'_'.join(index)}", index) for index in table.indexes]
        named += [("UNIQUE INDEX", f"{table.name}_{'_'.join(index)}", index) for index in table.unique]
        named += [("INDEX", name, index) for name, index in table.host_indexes.items()]
        for kind, name, index in named:
            columns = ", ".join(f'"{column}"' for column in index)
            statements.append(f'CREATE {kind} IF NOT EXISTS "{name}" ON "{table.name}" ({columns})')
    return statements


def mysql_ddl() -> list[str]:
    """CREATE statements for MySQL/MariaDB as upstream declares the same columns."""
    statements = []
    for table in TABLES.values():
        lines = []
        for column in table.columns:
            line = f"`{column.name}` {column.mysql_type}"
            if column.not_null:
                line += " NOT NULL"
            if column.auto_increment:
                line += " AUTO_INCREMENT"
            if column.default is not None:
                line += f" DEFAULT {column.default}"
            lines.append(line)
        if table.primary_key:
            lines.append(f"PRIMARY KEY (`{table.primary_key}`)")
        for index in table.indexes:
            lines.append(f"INDEX ({', '.join(f'`{column}`' for column in index)})")
        for index in table.unique:
            lines.append(f"UNIQUE INDEX ({', '.join(f'`{column}`' for column in index)})")
        statements.append(f"CREATE TABLE IF NOT EXISTS `{table.name}` (\n  " + ",\n  ".join(lines) + "\n) ENGINE=MyISAM")
    return statements


def _sqlite_type(mysql_type: str) -> str:
    upper = mysql_type.upper()
    if "INT" in upper:
        return "INTEGER"
    if upper.startswith(("DOUBLE", "DECIMAL")):
        return "REAL"
    return "TEXT"


def fit(table: str, column: str, value: str) -> str:
    """``value`` cut to the column's width, as MySQL's non-strict mode stores it.

    The width counts characters of the utf8 column: a PHP byte string (held one character per
    byte) that is valid UTF-8 is cut by its characters, so a one-character column holds 'É'
    (C3 89) whole; any other text by its own characters."""
    width = TABLES[table].column(column).width
    if width is None or len(value) <= width:
        return value
    try:
        characters = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value[:width]
    return characters[:width].encode("utf-8").decode("latin-1")
