"""The subset of upstream tables the covered functions read and write.

Names, MySQL types and defaults follow extras/MySQL_AST_CREATE_tables.sql (schema 1701);
only the columns the covered functions touch are declared. One declaration yields the
SQLite and the MySQL/MariaDB DDL, and the column widths the host truncates to (MySQL
in its non-strict mode cuts an over-long string to the column width).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping


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
    # A table a host may lack, and who creates it ("": every install has it). SQL fixture mode then
    # leaves it alone and skips the cases that need it (spec `needs_tables`), giving this as the fix.
    optional: str = ""

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


MYSQL_CI = "MYSQL_CI"   # the SQLite collation that compares as utf8mb3_unicode_ci (collation.py)
# Upstream's engine, and the character set and collation its install docs give the asterisk
# database (so its tables'): vicicert's own tables compare and sort text as upstream's do, whatever
# the server's defaults (a server's own default is often latin1_swedish_ci, which sorts _ after letters).
MYSQL_TABLE_OPTIONS = "ENGINE=MyISAM DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_unicode_ci"


C = Column
# vicidial_call_times has a start and a stop column for each of these days (ct_sunday_start, ...).
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
# A callback's columns after its id: vicidial_callbacks_archive is created LIKE vicidial_callbacks.
_CALLBACK_COLUMNS = (
    C("lead_id", "INT(9) UNSIGNED"),
    C("list_id", "BIGINT(14) UNSIGNED"),
    C("campaign_id", "VARCHAR(8)"),
    C("status", "VARCHAR(10)"),
    C("entry_time", "DATETIME"),
    C("callback_time", "DATETIME"),
    C("user", "VARCHAR(20)"),
    C("recipient", "ENUM('USERONLY','ANYONE')"),
    C("comments", "VARCHAR(255)"),
    C("user_group", "VARCHAR(20)"),
    C("lead_status", "VARCHAR(6)", "'CALLBK'"),
    C("customer_timezone", "VARCHAR(100)", "''"),
    C("customer_time", "DATETIME"),
)
TABLES: dict[str, Table] = {table.name: table for table in (
    Table("system_settings", (
        C("version", "VARCHAR(50)"),
        C("use_non_latin", "ENUM('0','1')", "'0'"),
        C("reload_timestamp", "DATETIME"),   # server_refresh stamps it with the database's NOW()
        C("db_schema_version", "INT(8) UNSIGNED", "'0'"),
        C("vdc_agent_api_active", "ENUM('0','1')", "'0'"),
        C("enable_pause_code_limits", "ENUM('1','0')", "'0'"),
        C("allow_web_debug", "ENUM('0','1','2','3','4','5','6')", "'0'"),
        C("outbound_cid_any", "ENUM('DISABLED','API_ONLY')", "'DISABLED'"),
        C("custom_fields_enabled", "ENUM('0','1')", "'0'"),
        C("active_modules", "TEXT"),
        C("agent_notifications", "ENUM('0','1','2','3','4','5','6','7')", "'0'"),
        # the HTML choosers (sounds_list, moh_list): central sound control and where the audio store is served
        C("sounds_central_control_active", "ENUM('0','1')", "'0'"),
        C("sounds_web_server", "VARCHAR(50)", "'127.0.0.1'"),
        C("sounds_web_directory", "VARCHAR(255)", "''"),
        C("admin_web_directory", "VARCHAR(255)", "'vicidial'"),
        # audio_playback: above 0, a soundboard request's agent_debug steps go to vicidial_ajax_log
        C("agent_debug_logging", "VARCHAR(20)", "'0'"),
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
        C("custom_four", "VARCHAR(100)", "''"),
        C("modify_leads", "ENUM('0','1','2','3','4','5','6')", "'0'"),
        C("modify_lists", "ENUM('0','1')", "'0'"),
        C("modify_users", "ENUM('0','1')", "'0'"),
        C("failed_login_count", "TINYINT(3) UNSIGNED", "'0'"),
        C("last_login_date", "DATETIME", "'2001-01-01 00:00:01'"),
        C("selected_language", "VARCHAR(100)", "'default English'"),
        C("pass_hash", "VARCHAR(500)", "''"),
        C("admin_hide_lead_data", "ENUM('0','1')", "'0'"),
        C("admin_hide_phone_data", "ENUM('0','1','2_DIGITS','3_DIGITS','4_DIGITS')", "'0'"),
        C("admin_cf_show_hidden", "ENUM('1','0')", "'0'"),
        C("change_agent_campaign", "ENUM('0','1')", "'0'"),
        C("delete_from_dnc", "ENUM('0','1')", "'0'"),
        # change_ingroups with set_as_default=YES: the agent's default in-groups and blending
        C("closer_campaigns", "TEXT"),
        C("closer_default_blended", "ENUM('0','1')", "'0'"),
        # add_group_alias: administration from the API asks for "ast admin access"
        C("ast_admin_access", "ENUM('0','1')", "'0'"),
        # update_phone_alias with delete_alias=Y: deleting asks for "ast delete phones"
        C("ast_delete_phones", "ENUM('0','1')", "'0'"),
        # update_remote_agent: its gate asks for modify_remoteagents; the agent it changes must be of a
        # lower level than the API user's, or the same level when the API user may modify its own level
        C("modify_remoteagents", "ENUM('0','1')", "'0'"),
        C("modify_same_user_level", "ENUM('0','1')", "'1'"),
        # copy_did: administration of DIDs from the API asks for "Modify DIDs"
        C("modify_inbound_dids", "ENUM('0','1')", "'0'"),
        # add_user: the settings a new user is given (the rest keep their defaults)
        C("phone_login", "VARCHAR(20)"),
        C("phone_pass", "VARCHAR(100)"),
        C("hotkeys_active", "ENUM('0','1')", "'0'"),
        C("voicemail_id", "VARCHAR(10)"),
        C("email", "VARCHAR(100)", "''"),
        C("custom_one", "VARCHAR(100)", "''"),
        C("custom_two", "VARCHAR(100)", "''"),
        C("custom_five", "VARCHAR(100)", "''"),
        C("wrapup_seconds_override", "SMALLINT(4)", "'-1'"),
        C("agent_choose_ingroups", "ENUM('0','1')", "'1'"),
        C("agent_choose_blended", "ENUM('0','1')", "'1'"),
        # copy_user: the settings a copy takes from its source (failed_login_count and last_login_date
        # it does not), each with upstream's type and default; permissions off by default (0 of '0','1')
        *(C(name, "ENUM('0','1')", "'0'") for name in (
            "agentonly_callbacks", "delete_users", "delete_user_groups", "delete_lists", "delete_campaigns",
            "delete_ingroups", "delete_remote_agents", "load_leads", "campaign_detail", "delete_scripts", "delete_filters",
            "alter_agent_interface_options", "delete_call_times", "modify_call_times", "modify_scripts",
            "modify_filters", "modify_ingroups", "modify_usergroups", "modify_servers", "qc_enabled",
            "qc_pass", "qc_finish", "qc_commit", "add_timeclock_log", "modify_timeclock_log",
            "delete_timeclock_log", "delete_inbound_dids", "alert_enabled", "download_lists",
            "manager_shift_enforcement_override", "export_reports", "allow_alerts", "realtime_block_user_info",
            "custom_fields_modify", "agentcall_email", "modify_email_accounts", "max_inbound_filter_enabled",
            "download_invalid_files",)),
        # ... and those upstream declares the other way round ('1','0')
        *(C(name, "ENUM('1','0')", "'0'") for name in (
            "callcard_admin", "modify_shifts", "modify_phones", "modify_carriers", "modify_labels",
            "modify_statuses", "modify_voicemail", "modify_audiostore", "modify_moh", "modify_tts",
            "modify_contacts", "agentcall_chat", "modify_custom_dialplans", "modify_languages",
            "user_choose_language", "ignore_group_on_search", "user_hide_realtime", "modify_colors",
            "modify_auto_reports", "modify_ip_lists", "ignore_ip_list", "pause_code_approval",)),
        C("vicidial_recording", "ENUM('0','1')", "'1'"),
        C("vicidial_transfers", "ENUM('0','1')", "'1'"),
        C("vicidial_recording_override", "ENUM('DISABLED','NEVER','ONDEMAND','ALLCALLS','ALLFORCE')", "'DISABLED'"),
        C("alter_custdata_override", "ENUM('NOT_ACTIVE','ALLOW_ALTER')", "'NOT_ACTIVE'"),
        C("qc_user_level", "INT(2)", "'1'"),
        C("alter_custphone_override", "ENUM('NOT_ACTIVE','ALLOW_ALTER')", "'NOT_ACTIVE'"),
        C("agent_shift_enforcement_override", "ENUM('DISABLED','OFF','START','ALL')", "'DISABLED'"),
        C("agent_choose_territories", "ENUM('0','1')", "'1'"),
        C("agent_call_log_view_override", "ENUM('DISABLED','Y','N')", "'DISABLED'"),
        C("force_change_password", "ENUM('Y','N')", "'N'"),
        C("agent_lead_search_override",
          "ENUM('NOT_ACTIVE','ENABLED','LIVE_CALL_INBOUND','LIVE_CALL_INBOUND_AND_MANUAL','DISABLED')", "'NOT_ACTIVE'"),
        C("preset_contact_search", "ENUM('NOT_ACTIVE','ENABLED','DISABLED')", "'NOT_ACTIVE'"),
        C("alter_admin_interface_options", "ENUM('0','1')", "'1'"),
        C("max_inbound_calls", "SMALLINT(5) UNSIGNED", "'0'"),
        C("lead_filter_id", "VARCHAR(20)", "'NONE'"),
        C("user_new_lead_limit", "SMALLINT(5)", "'-1'"),
        C("ready_max_logout", "MEDIUMINT(7)", "'-1'"),
        C("export_gdpr_leads", "ENUM('0','1','2')", "'0'"),
        C("access_recordings", "ENUM('0', '1')", "'0'"),
        C("max_hopper_calls", "SMALLINT(5) UNSIGNED", "'0'"),
        C("max_hopper_calls_hour", "SMALLINT(5) UNSIGNED", "'0'"),
        C("mute_recordings", "ENUM('DISABLED','Y','N')", "'DISABLED'"),
        C("hide_call_log_info", "ENUM('DISABLED','Y','N',%s)" % ",".join(f"'SHOW_{n}'" for n in range(1, 11)),
          "'DISABLED'"),
        C("next_dial_my_callbacks", "ENUM('NOT_ACTIVE','DISABLED','ENABLED')", "'NOT_ACTIVE'"),
        C("user_admin_redirect_url", "TEXT"),
        C("max_inbound_filter_statuses", "TEXT"),
        C("max_inbound_filter_ingroups", "TEXT"),
        C("max_inbound_filter_min_sec", "SMALLINT(5)", "'-1'"),
        C("status_group_id", "VARCHAR(20)", "''"),
        C("mobile_number", "VARCHAR(20)", "''"),
        C("two_factor_override", "ENUM('NOT_ACTIVE','ENABLED','DISABLED')", "'NOT_ACTIVE'"),
        C("manual_dial_filter", "VARCHAR(50)", "'DISABLED'"),
        C("user_location", "VARCHAR(100)", "''"),
        C("user_group_two", "VARCHAR(20)", "''"),
        C("modify_dial_prefix", "ENUM('0','1','2','3','4','5','6')", "'0'"),
        C("inbound_credits", "MEDIUMINT(7)", "'-1'"),
        C("hci_enabled", "ENUM('0','1','2','3','4','5','6')", "'0'"),
        C("scheduled_callbacks", "ENUM('0','1')", "'1'"),
        C("user_code", "VARCHAR(100)", "''"),
        C("territory", "VARCHAR(100)", "''"),
        C("user_nickname", "VARCHAR(50)", "''"),
    ), primary_key="user_id", unique=(("user",),)),
    Table("servers", (
        C("server_id", "VARCHAR(10)", not_null=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("active", "ENUM('Y','N')"),
        C("active_asterisk_server", "ENUM('Y','N')", "'Y'"),
        C("local_gmt", "VARCHAR(6)", "'-5.00'"),
        C("ext_context", "VARCHAR(20)", "'default'", not_null=True),   # ra_call_control's transfers dial in it
        # transfer_conference with tw_check reads it (it names the conference table, which nothing then reads)
        C("conf_engine", "ENUM('MEETME','CONFBRIDGE')", "'MEETME'"),
        # server_refresh sets it on every server (the servers then rebuild their Asterisk conf files)
        C("rebuild_conf_files", "ENUM('Y','N')", "'Y'"),
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
        C("dial_statuses", "VARCHAR(255)", "' NEW -'"),
        C("local_call_time", "VARCHAR(10)", "'9am-9pm'"),
        C("lead_filter_id", "VARCHAR(20)", "'NONE'"),
        C("use_other_campaign_dnc", "VARCHAR(8)", "''"),   # check_phone_number's campaign DNC list
        C("drop_lockout_time", "VARCHAR(6)", "'0'"),
        C("call_count_limit", "SMALLINT(5) UNSIGNED", "'0'"),
        # campaigns_list prints these; agent_campaigns and agent_ingroup_info read the in-groups
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
        C("dial_method", "ENUM('MANUAL','RATIO','ADAPT_HARD_LIMIT','ADAPT_TAPERED','ADAPT_AVERAGE','INBOUND_MAN',"
                         "'SHARED_RATIO','SHARED_ADAPT_HARD_LIMIT','SHARED_ADAPT_TAPERED','SHARED_ADAPT_AVERAGE')",
          "'MANUAL'"),
        C("auto_dial_level", "VARCHAR(6)", "'0'"),
        C("lead_order", "VARCHAR(30)"),
        C("dial_timeout", "TINYINT UNSIGNED", "'60'"),
        C("dial_prefix", "VARCHAR(20)", "'9'"),
        C("manual_dial_prefix", "VARCHAR(20)", "''"),
        C("three_way_dial_prefix", "VARCHAR(20)", "''"),
        C("closer_campaigns", "TEXT"),
        C("campaign_allow_inbound", "ENUM('Y','N')", "'N'"),
        C("default_xfer_group", "VARCHAR(20)", "'---NONE---'"),   # ra_call_control's DEFAULTINGROUP
        C("manual_dial_list_id", "BIGINT(14) UNSIGNED", "'998'"),   # external_add_lead's list
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
        # agent_ingroup_info: the agent's in-groups, blending and manager override
        C("closer_campaigns", "TEXT"),
        C("outbound_autodial", "ENUM('Y','N')", "'N'"),
        C("manager_ingroup_set", "ENUM('Y','N','SET')", "'N'"),
        C("external_igb_set_user", "VARCHAR(20)", "''"),
        C("on_hook_agent", "ENUM('Y','N')", "'N'"),
        C("on_hook_ring_time", "SMALLINT(5)", "'15'"),
        # what the real-time functions read (agent_status, logged_in_agents, user_group_status, in_group_status)
        C("calls_today", "SMALLINT(5) UNSIGNED", "'0'"),
        C("ring_callerid", "VARCHAR(20)", "''"),
        C("preview_lead_id", "INT(9) UNSIGNED", "'0'"),
        C("last_call_time", "DATETIME"),
        # change_ingroups: the in-groups and blending an API user set, for the agent screen to take
        C("external_ingroups", "TEXT"),
        C("external_blended", "ENUM('0','1')", "'0'"),
        # ra_call_control frees a remote agent after its call
        C("random_id", "INT(8) UNSIGNED"),
        C("last_call_finish", "DATETIME"),
        C("external_transferconf", "VARCHAR(120)", "''"),   # transfer_conference's order for the agent screen
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
        # call_status_stats counts human-answered calls; call_dispo_report picks statuses by category
        C("human_answered", "ENUM('Y','N')", "'N'"),
        C("category", "VARCHAR(20)", "'UNDEFINED'"),
    ), primary_key="status"),
    Table("vicidial_campaign_statuses", (
        C("status", "VARCHAR(6)", not_null=True),
        C("status_name", "VARCHAR(30)"),
        C("selectable", "ENUM('Y','N')"),
        C("campaign_id", "VARCHAR(20)"),
        C("scheduled_callback", "ENUM('Y','N')", "'N'"),
        C("human_answered", "ENUM('Y','N')", "'N'"),
        C("category", "VARCHAR(20)", "'UNDEFINED'"),
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
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
        C("default_xfer_group", "VARCHAR(20)", "'---NONE---'"),   # ra_call_control's DEFAULTINGROUP
        C("group_color", "VARCHAR(20)"),   # ingroup_list's colour cell
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
    # lead_callback_info: scheduled callbacks, and their archive (LIKE vicidial_callbacks, but its
    # callback_id is no AUTO_INCREMENT: the archiving copies the id)
    Table("vicidial_callbacks", (
        C("callback_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True), *_CALLBACK_COLUMNS,
    ), primary_key="callback_id", indexes=(("lead_id",),)),
    Table("vicidial_callbacks_archive", (
        C("callback_id", "INT(9) UNSIGNED", not_null=True), *_CALLBACK_COLUMNS,
    ), primary_key="callback_id", indexes=(("lead_id",),)),
    # hopper_list: the leads queued to dial (a MEMORY table upstream)
    Table("vicidial_hopper", (
        C("hopper_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("campaign_id", "VARCHAR(8)"),
        C("status", "ENUM('READY','QUEUE','INCALL','DONE','HOLD','DNC','RHOLD','RQUEUE')", "'READY'"),
        C("user", "VARCHAR(20)"),
        C("list_id", "BIGINT(14) UNSIGNED", not_null=True),
        C("gmt_offset_now", "DECIMAL(4,2)", "'0.00'"),
        C("state", "VARCHAR(2)", "''"),
        C("alt_dial", "VARCHAR(6)", "'NONE'"),
        C("priority", "TINYINT(2)", "'0'"),
        C("source", "VARCHAR(1)", "''"),
        C("vendor_lead_code", "VARCHAR(20)", "''"),
    ), primary_key="hopper_id", indexes=(("lead_id",),)),
    # list_info, list_custom_fields, lead_field_info, lead_all_info: a list's custom fields
    # (each with a column in the list's custom_<list_id> table, see custom_table below)
    Table("vicidial_lists_fields", (
        C("field_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("list_id", "BIGINT(14) UNSIGNED", "'0'", not_null=True),
        C("field_label", "VARCHAR(50)"),
        C("field_name", "VARCHAR(5000)"),
        C("field_rank", "SMALLINT(5)"),
        C("field_type", "ENUM('TEXT','AREA','SELECT','MULTI','RADIO','CHECKBOX','DATE','TIME','DISPLAY','SCRIPT',"
                        "'HIDDEN','READONLY','HIDEBLOB','SWITCH','SOURCESELECT','BUTTON')", "'TEXT'"),
        C("field_options", "VARCHAR(5000)"),
        C("field_max", "SMALLINT(5)"),
        C("field_default", "VARCHAR(255)"),
        C("field_order", "SMALLINT(5)", "'1'"),
        C("field_encrypt", "ENUM('Y','N')", "'N'"),
        C("field_show_hide", "ENUM('DISABLED','X_OUT_ALL','LAST_1','LAST_2','LAST_3','LAST_4','FIRST_1_LAST_4')",
          "'DISABLED'"),
        C("field_duplicate", "ENUM('Y','N')", "'N'"),
    ), primary_key="field_id", unique=(("list_id", "field_label"),)),
    # The real-time tables of agent_status, logged_in_agents, user_group_status and in_group_status:
    # live calls, parked calls, chats, in-group memberships and the agents' login log.
    Table("vicidial_auto_calls", (
        C("auto_call_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("campaign_id", "VARCHAR(20)"),
        C("status", "ENUM('SENT','RINGING','LIVE','XFER','PAUSED','CLOSER','BUSY','DISCONNECT','IVR')", "'PAUSED'"),
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("uniqueid", "VARCHAR(20)"),
        C("callerid", "VARCHAR(20)"),
        C("channel", "VARCHAR(100)"),
        C("phone_number", "VARCHAR(18)"),
        C("call_type", "ENUM('IN','OUT','OUTBALANCE')", "'OUT'"),
        C("agent_only", "VARCHAR(20)", "''"),
    ), primary_key="auto_call_id", indexes=(("uniqueid",), ("callerid",))),
    Table("parked_channels", (
        C("channel", "VARCHAR(100)", not_null=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("channel_group", "VARCHAR(30)"),
        C("parked_time", "DATETIME"),
    )),
    Table("vicidial_live_chats", (
        C("chat_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("chat_start_time", "DATETIME"),
        C("status", "VARCHAR(20)"),
        C("chat_creator", "VARCHAR(20)"),
        C("lead_id", "INT(9) UNSIGNED"),
    ), primary_key="chat_id", indexes=(("lead_id",),)),
    Table("vicidial_chat_log", (
        C("message_row_id", "INT(10) UNSIGNED", not_null=True, auto_increment=True),
        C("chat_id", "VARCHAR(20)"),
        C("message", "MEDIUMTEXT"),
        C("poster", "VARCHAR(100)"),
    ), primary_key="message_row_id", indexes=(("poster",), ("chat_id",))),
    Table("vicidial_live_inbound_agents", (
        C("user", "VARCHAR(20)"),
        C("group_id", "VARCHAR(20)"),
        # change_ingroups writes these (from vicidial_inbound_group_agents, or its own defaults)
        C("group_weight", "TINYINT(1)", "'0'"),
        C("calls_today", "SMALLINT(5) UNSIGNED", "'0'"),
        C("last_call_time", "DATETIME"),
        C("last_call_finish", "DATETIME"),
        C("group_grade", "TINYINT(2) UNSIGNED", "'1'"),
        C("calls_today_filtered", "SMALLINT(5) UNSIGNED", "'0'"),
        C("last_call_time_filtered", "DATETIME"),
        C("last_call_finish_filtered", "DATETIME"),
        C("daily_limit", "SMALLINT(5)", "'-1'"),
    ), indexes=(("group_id",),), unique=(("user", "group_id"),)),
    Table("vicidial_user_log", (
        C("user_log_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user", "VARCHAR(20)"),
        C("event", "VARCHAR(50)"),
        C("campaign_id", "VARCHAR(8)"),
        C("event_date", "DATETIME"),
        C("user_group", "VARCHAR(20)"),
        C("computer_ip", "VARCHAR(15)"),
    ), primary_key="user_log_id", indexes=(("user",), ("event_date",))),
    # vm_message: the recorded messages an agent's VM button plays for a lead
    Table("vicidial_lead_messages", (
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("call_date", "DATETIME"),
        C("user", "VARCHAR(20)"),
        C("played", "TINYINT(3)", "'0'"),
        C("message_entry", "MEDIUMTEXT"),
    ), indexes=(("lead_id",), ("call_date",))),
    # send_notification: the host's settings containers (CONFETTI_SETTINGS) and the queued notifications
    # callmenu_list: the call menus, for the admin screen's chooser
    Table("vicidial_call_menu", (
        C("menu_id", "VARCHAR(50)", not_null=True),
        C("menu_name", "VARCHAR(100)"),
        C("menu_prompt", "VARCHAR(255)"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), primary_key="menu_id"),
    Table("vicidial_settings_containers", (
        C("container_id", "VARCHAR(40)", not_null=True),
        C("container_notes", "VARCHAR(255)", "''"),
        C("container_type", "VARCHAR(40)", "'OTHER'"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
        C("container_entry", "MEDIUMTEXT"),
    ), primary_key="container_id"),
    Table("vicidial_agent_notifications", (
        C("notification_id", "INT(10) UNSIGNED", not_null=True, auto_increment=True),
        C("entry_date", "DATETIME", "CURRENT_TIMESTAMP"),
        C("recipient", "VARCHAR(20)"),
        C("recipient_type", "ENUM('USER','USER_GROUP','CAMPAIGN','ALT_DISPLAY')"),
        C("notification_date", "DATETIME", "CURRENT_TIMESTAMP"),
        C("notification_retry", "ENUM('Y','N')", "'N'"),
        C("notification_text", "TEXT"),
        C("text_size", "TINYINT(3) UNSIGNED", "'12'"),
        C("text_font", "VARCHAR(30)", "'Arial'"),
        C("text_weight", "VARCHAR(30)", "'bold'"),
        C("text_color", "VARCHAR(15)"),
        C("show_confetti", "ENUM('Y','N')", "'N'"),
        C("confetti_options", "VARCHAR(15)"),
        C("notification_status", "ENUM('QUEUED','READY','SENT','DEAD')"),
    ), primary_key="notification_id", indexes=(("recipient",), ("notification_date",))),
    # webphone_url: the agent screen's session, with the webphone's URL
    Table("vicidial_session_data", (
        C("session_name", "VARCHAR(40)", not_null=True),
        C("user", "VARCHAR(20)"),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("conf_exten", "VARCHAR(20)"),
        C("extension", "VARCHAR(100)", not_null=True),
        C("login_time", "DATETIME", not_null=True),
        C("webphone_url", "TEXT"),
        C("agent_login_call", "TEXT"),   # call_agent: the Originate of the agent's login, a vicidial_manager row
    ), unique=(("session_name",),)),
    # calls_in_queue_count: emails waiting in an in-group's queue
    Table("vicidial_email_list", (
        C("email_row_id", "INT(10) UNSIGNED", not_null=True, auto_increment=True),
        C("group_id", "VARCHAR(20)"),
        C("status", "VARCHAR(10)"),
    ), primary_key="email_row_id", indexes=(("group_id",),)),
    # add_dnc_phone, delete_dnc_phone, add_fpg_phone, delete_fpg_phone: the system and campaign DNC
    # lists, their log, filter phone groups and their numbers, and the admin log those writes add to
    Table("vicidial_dnc", (
        C("phone_number", "VARCHAR(18)", not_null=True),
    ), primary_key="phone_number"),
    Table("vicidial_campaign_dnc", (
        C("phone_number", "VARCHAR(18)", not_null=True),
        C("campaign_id", "VARCHAR(8)", not_null=True),
    ), indexes=(("phone_number",),), unique=(("phone_number", "campaign_id"),)),
    Table("vicidial_dnc_log", (
        C("phone_number", "VARCHAR(18)", not_null=True),
        C("campaign_id", "VARCHAR(8)", not_null=True),
        C("action", "ENUM('add','delete')", "'add'"),
        C("action_date", "DATETIME", not_null=True),
        C("user", "VARCHAR(20)", "''"),
    ), indexes=(("phone_number",),)),
    Table("vicidial_admin_log", (
        C("admin_log_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("event_date", "DATETIME", not_null=True),
        C("user", "VARCHAR(20)", not_null=True),
        C("ip_address", "VARCHAR(15)", not_null=True),
        C("event_section", "VARCHAR(30)", not_null=True),
        C("event_type", "ENUM('ADD','COPY','LOAD','RESET','MODIFY','DELETE','SEARCH','LOGIN','LOGOUT','CLEAR',"
                        "'OVERRIDE','EXPORT','OTHER')", "'OTHER'"),
        C("record_id", "VARCHAR(50)", not_null=True),
        C("event_code", "VARCHAR(255)", not_null=True),
        C("event_sql", "MEDIUMTEXT"),
        C("event_notes", "MEDIUMTEXT"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), primary_key="admin_log_id", indexes=(("user",), ("event_section",), ("record_id",))),
    Table("vicidial_filter_phone_groups", (
        C("filter_phone_group_id", "VARCHAR(20)", not_null=True),
        C("filter_phone_group_name", "VARCHAR(40)", not_null=True),
        C("filter_phone_group_description", "VARCHAR(100)"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), indexes=(("filter_phone_group_id",),)),
    Table("vicidial_filter_phone_numbers", (
        C("phone_number", "VARCHAR(18)", not_null=True),
        C("filter_phone_group_id", "VARCHAR(20)", not_null=True),
    ), indexes=(("phone_number",),), unique=(("phone_number", "filter_phone_group_id"),)),
    # hopper_bulk_insert (hopper_local_call_time_check=Y): a campaign's or list's local call time,
    # the hours of each local weekday (HHMM; a day of 0 to 0 takes the default hours)
    Table("vicidial_call_times", (
        C("call_time_id", "VARCHAR(10)", not_null=True),
        C("call_time_name", "VARCHAR(30)", not_null=True),
        C("ct_default_start", "SMALLINT(4) UNSIGNED", "'900'", not_null=True),
        C("ct_default_stop", "SMALLINT(4) UNSIGNED", "'2100'", not_null=True),
        *(C(f"ct_{day}_{edge}", "SMALLINT(4) UNSIGNED", "'0'") for day in WEEKDAYS for edge in ("start", "stop")),
        C("ct_state_call_times", "TEXT"),
    ), primary_key="call_time_id"),
    # check_phone_number (usacan_areacode_check=Y): the host's own country and area codes; and the
    # GMT lookup (host/gmt_lookup.py) of check_phone_number, add_lead and update_lead: a code's
    # offset and daylight saving rule by area code, state, time zone code (tz_code) or the code alone.
    # The harness's rows (world section phone_codes) are of unassigned country codes (280 to 289),
    # named by their geographic_description
    Table("vicidial_phone_codes", (
        C("country_code", "SMALLINT(5) UNSIGNED"),
        C("areacode", "CHAR(3)"),
        C("state", "VARCHAR(4)"),
        C("GMT_offset", "VARCHAR(6)"),
        C("DST_range", "VARCHAR(8)"),
        C("geographic_description", "VARCHAR(100)"),
        C("tz_code", "VARCHAR(4)", "''"),
    ), indexes=(("country_code", "areacode"),)),
    # check_phone_number (tz_method POSTAL): the host's own postal codes, none of them the harness's;
    # the GMT lookup reads a postal code's offset and daylight saving rule
    Table("vicidial_postal_codes", (
        C("postal_code", "VARCHAR(10)", not_null=True),
        C("GMT_offset", "VARCHAR(6)"),
        C("DST_range", "VARCHAR(8)"),
        C("country_code", "SMALLINT(5) UNSIGNED"),
    ), indexes=(("country_code", "postal_code"),)),
    # add_lead and check_phone_number (NANPA options): the host's NANPA prefix data (a default
    # install creates the table empty; the data is loaded apart), and the harness's rows of area
    # codes 100 to 199 (world section nanpa_prefix_codes); the GMT lookup reads a prefix's offset
    # and whether it keeps daylight saving time
    Table("vicidial_nanpa_prefix_codes", (
        C("areacode", "CHAR(3)"),
        C("prefix", "CHAR(3)"),
        C("GMT_offset", "VARCHAR(6)"),
        C("DST", "ENUM('Y','N')"),
    ), indexes=(("areacode", "prefix"),)),
    # change_ingroups: an agent's settings for an in-group, copied into vicidial_live_inbound_agents
    Table("vicidial_inbound_group_agents", (
        C("user", "VARCHAR(20)"),
        C("group_id", "VARCHAR(20)"),
        C("group_weight", "TINYINT(1)", "'0'"),
        C("calls_today", "SMALLINT(5) UNSIGNED", "'0'"),
        C("group_grade", "TINYINT(2) UNSIGNED", "'1'"),
        C("calls_today_filtered", "SMALLINT(5) UNSIGNED", "'0'"),
        C("daily_limit", "SMALLINT(5)", "'-1'"),
        # copy_user copies a user's rows, these two with them
        C("group_rank", "TINYINT(1)", "'0'"),
        C("group_type", "VARCHAR(1)", "'C'"),
    ), indexes=(("group_id",), ("user",)), unique=(("user", "group_id"),)),
    # copy_user: the campaigns a user is ranked in, copied with the user (calls_today starts at 0)
    Table("vicidial_campaign_agents", (
        C("user", "VARCHAR(20)"),
        C("campaign_id", "VARCHAR(20)"),
        C("campaign_rank", "TINYINT(1)", "'0'"),
        C("campaign_weight", "TINYINT(1)", "'0'"),
        C("calls_today", "SMALLINT(5) UNSIGNED", "'0'"),
        C("campaign_grade", "TINYINT(2) UNSIGNED", "'1'"),
    ), indexes=(("campaign_id",), ("user",)), unique=(("user", "campaign_id"),)),
    # ra_call_control closes a remote agent's call in these call logs (status, end and length; the
    # outbound log also the agent) and hands Asterisk its actions (vicidial_manager rows, which the
    # Asterisk manager daemon sends and marks SENT); update_log_entry rewrites a call's status in
    # them (it finds the call by uniqueid, lead and list, or call date and phone number)
    Table("vicidial_log", (
        C("uniqueid", "VARCHAR(20)", not_null=True),
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("list_id", "BIGINT(14) UNSIGNED"),
        C("campaign_id", "VARCHAR(8)"),
        C("call_date", "DATETIME"),
        C("start_epoch", "INT(10) UNSIGNED"),
        C("end_epoch", "INT(10) UNSIGNED"),
        C("length_in_sec", "INT(10)"),
        C("status", "VARCHAR(6)"),
        C("phone_number", "VARCHAR(18)"),
        C("user", "VARCHAR(20)"),
        # phone_number_log and recording_lookup (issue 24) read this too
        C("term_reason", "ENUM('CALLER','AGENT','QUEUETIMEOUT','ABANDON','AFTERHOURS','NONE','SYSTEM')", "'NONE'"),
    ), primary_key="uniqueid", indexes=(("lead_id",), ("call_date",))),
    Table("vicidial_closer_log", (
        C("closecallid", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("list_id", "BIGINT(14) UNSIGNED"),
        C("campaign_id", "VARCHAR(20)"),
        C("call_date", "DATETIME"),
        C("start_epoch", "INT(10) UNSIGNED"),
        C("end_epoch", "INT(10) UNSIGNED"),
        C("length_in_sec", "INT(10)"),
        C("status", "VARCHAR(6)"),
        C("phone_number", "VARCHAR(18)"),
        C("user", "VARCHAR(20)"),
        C("uniqueid", "VARCHAR(20)", "''", not_null=True),
        # phone_number_log, recording_lookup and did_log_export (issue 24) read this too
        C("term_reason", "ENUM('CALLER','AGENT','QUEUETIMEOUT','ABANDON','AFTERHOURS','HOLDRECALLXFER','HOLDTIME',"
                         "'NOAGENT','NONE','MAXCALLS','ACFILTER','CLOSETIME')", "'NONE'"),
    ), primary_key="closecallid", indexes=(("lead_id",), ("call_date",), ("campaign_id",), ("uniqueid",))),
    Table("vicidial_manager", (
        C("man_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("uniqueid", "VARCHAR(20)"),
        C("entry_date", "DATETIME"),
        C("status", "ENUM('NEW','QUEUE','SENT','UPDATED','DEAD')"),
        C("response", "ENUM('Y','N')"),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("channel", "VARCHAR(100)"),
        C("action", "VARCHAR(20)"),
        C("callerid", "VARCHAR(20)"),
        C("cmd_line_b", "VARCHAR(100)"),
        C("cmd_line_c", "VARCHAR(100)"),
        C("cmd_line_d", "VARCHAR(200)"),
        C("cmd_line_e", "VARCHAR(100)"),
        C("cmd_line_f", "VARCHAR(100)"),
    ), primary_key="man_id", indexes=(("callerid",), ("uniqueid",), ("server_ip", "status"))),
    # did_log_export: the calls that came in on a DID (extension), one row per call
    Table("vicidial_did_log", (
        C("uniqueid", "VARCHAR(20)", not_null=True),
        C("channel", "VARCHAR(100)", not_null=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("caller_id_number", "VARCHAR(18)"),
        C("extension", "VARCHAR(100)"),
        C("call_date", "DATETIME"),
        C("did_id", "VARCHAR(9)", "''"),   # call_dispo_report counts a DID's calls by it
    ), indexes=(("uniqueid",), ("caller_id_number",), ("extension",), ("call_date",))),
    # callid_info, ccc_lead_info: a call's caller code (the call id an agent screen or another
    # cluster passes on) and its uniqueid, date and lead; the dialer's own calls (DC...) are in the dial log
    Table("vicidial_log_extended", (
        C("uniqueid", "VARCHAR(50)", not_null=True),
        C("call_date", "DATETIME"),
        C("lead_id", "INT(9) UNSIGNED"),
        C("caller_code", "VARCHAR(30)", not_null=True),
    ), primary_key="uniqueid", indexes=(("call_date",), ("lead_id",), ("caller_code",))),
    Table("vicidial_dial_log", (
        C("caller_code", "VARCHAR(30)", not_null=True),
        C("lead_id", "INT(9) UNSIGNED", "'0'"),
        C("call_date", "DATETIME"),
        C("uniqueid", "VARCHAR(20)", "''"),
    ), indexes=(("caller_code",), ("lead_id",), ("call_date",))),
    # add_lead and update_lead (multi_alt_phones): a lead's further numbers, one row each
    Table("vicidial_list_alt_phones", (
        C("alt_phone_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("lead_id", "INT(9) UNSIGNED", not_null=True),
        C("phone_code", "VARCHAR(10)"),
        C("phone_number", "VARCHAR(18)"),
        C("alt_phone_note", "VARCHAR(30)"),
        C("alt_phone_count", "SMALLINT(5) UNSIGNED"),
        C("active", "ENUM('Y','N')", "'Y'"),
    ), primary_key="alt_phone_id", indexes=(("lead_id",), ("phone_number",))),
    # transfer_conference's multi_dial_phones (md_check) and tw_check: an agent's press-1 multi-dial
    # order, the agent's 3-way calls still going on, and the SIP channels live on each server
    Table("vicidial_3way_press_multi", (
        C("user", "VARCHAR(20)"),
        C("call_date", "DATETIME"),
        C("phone_numbers", "VARCHAR(255)", "''"),
        C("phone_numbers_ct", "TINYINT(3)", "'0'"),
        C("status", "VARCHAR(40)", "''"),
    ), primary_key="user", indexes=(("call_date",),)),
    Table("vicidial_3way_press_live", (
        C("call_date", "DATETIME(6)"),
        C("caller_code", "VARCHAR(30)", not_null=True),
        C("call_3way_id", "VARCHAR(30)", not_null=True),
        C("user", "VARCHAR(20)"),
        C("status", "VARCHAR(40)"),
    ), indexes=(("call_date",), ("caller_code",), ("call_3way_id",))),
    # audio_playback: the channels Asterisk has up (live_channels; an IAX2/ASTplay channel in the
    # agent's conference is audio playing there), and the agent screen's debug steps it logs
    Table("live_channels", (
        C("channel", "VARCHAR(100)", not_null=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("channel_group", "VARCHAR(30)"),
        C("extension", "VARCHAR(100)"),
        C("channel_data", "VARCHAR(100)"),
    )),
    Table("vicidial_ajax_log", (
        C("user", "VARCHAR(20)", "''"),
        C("start_time", "DATETIME", not_null=True),
        C("db_time", "DATETIME", not_null=True),
        C("run_time", "VARCHAR(20)", "'0'"),
        C("php_script", "VARCHAR(40)", not_null=True),
        C("action", "VARCHAR(100)", "''"),
        C("lead_id", "INT(10) UNSIGNED", "'0'"),
        C("stage", "VARCHAR(100)", "''"),
        C("session_name", "VARCHAR(40)", "''"),
        C("last_sql", "TEXT"),
    ), indexes=(("db_time",),)),
    Table("live_sip_channels", (
        C("channel", "VARCHAR(100)", not_null=True),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("channel_group", "VARCHAR(30)"),
        C("extension", "VARCHAR(100)"),
    )),
    # call_dispo_report: the DIDs whose did_pattern is asked add their did_id. copy_did: a new DID
    # takes the source's columns from did_description to did_carrier_description (the last three
    # are not copied, so the new DID has their defaults), and the source is seen by its user_group.
    Table("vicidial_inbound_dids", (
        C("did_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("did_pattern", "VARCHAR(50)", not_null=True),
        C("did_description", "VARCHAR(50)"),
        C("did_active", "ENUM('Y','N')", "'Y'"),
        C("did_route", "ENUM('EXTEN','VOICEMAIL','AGENT','PHONE','IN_GROUP','CALLMENU','VMAIL_NO_INST')", "'EXTEN'"),
        C("extension", "VARCHAR(50)", "'9998811112'"),
        C("exten_context", "VARCHAR(50)", "'default'"),
        C("voicemail_ext", "VARCHAR(10)"),
        C("phone", "VARCHAR(100)"),
        C("server_ip", "VARCHAR(15)"),
        C("user", "VARCHAR(20)"),
        C("user_unavailable_action", "ENUM('IN_GROUP','EXTEN','VOICEMAIL','PHONE','VMAIL_NO_INST')", "'VOICEMAIL'"),
        C("user_route_settings_ingroup", "VARCHAR(20)", "'AGENTDIRECT'"),
        C("group_id", "VARCHAR(20)"),
        C("call_handle_method", "VARCHAR(40)", "'CID'"),
        C("agent_search_method", "ENUM('LO','LB','SO')", "'LB'"),
        C("list_id", "BIGINT(14) UNSIGNED", "'999'"),
        C("campaign_id", "VARCHAR(8)"),
        C("phone_code", "VARCHAR(10)", "'1'"),
        C("menu_id", "VARCHAR(50)", "''"),
        C("record_call", "ENUM('Y','N','Y_QUEUESTOP')", "'N'"),
        C("filter_inbound_number", "ENUM('DISABLED','GROUP','URL','DNC_INTERNAL','DNC_CAMPAIGN','GROUP_AREACODE')",
          "'DISABLED'"),
        C("filter_phone_group_id", "TEXT"),
        C("filter_url", "VARCHAR(1000)", "''"),
        C("filter_action", "ENUM('EXTEN','VOICEMAIL','AGENT','PHONE','IN_GROUP','CALLMENU','VMAIL_NO_INST')",
          "'EXTEN'"),
        C("filter_extension", "VARCHAR(50)", "'9998811112'"),
        C("filter_exten_context", "VARCHAR(50)", "'default'"),
        C("filter_voicemail_ext", "VARCHAR(10)"),
        C("filter_phone", "VARCHAR(100)"),
        C("filter_server_ip", "VARCHAR(15)"),
        C("filter_user", "VARCHAR(20)"),
        C("filter_user_unavailable_action", "ENUM('IN_GROUP','EXTEN','VOICEMAIL','PHONE','VMAIL_NO_INST')",
          "'VOICEMAIL'"),
        C("filter_user_route_settings_ingroup", "VARCHAR(20)", "'AGENTDIRECT'"),
        C("filter_group_id", "VARCHAR(20)"),
        C("filter_call_handle_method", "VARCHAR(40)", "'CID'"),
        C("filter_agent_search_method", "ENUM('LO','LB','SO')", "'LB'"),
        C("filter_list_id", "BIGINT(14) UNSIGNED", "'999'"),
        C("filter_campaign_id", "VARCHAR(8)"),
        C("filter_phone_code", "VARCHAR(10)", "'1'"),
        C("filter_menu_id", "VARCHAR(50)", "''"),
        C("filter_clean_cid_number", "VARCHAR(20)", "''"),
        *(C(f"custom_{number}", "VARCHAR(100)", "''") for number in ("one", "two", "three", "four", "five")),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
        C("filter_dnc_campaign", "VARCHAR(8)", "''"),
        C("filter_url_did_redirect", "ENUM('Y','N')", "'N'"),
        C("no_agent_ingroup_redirect", "ENUM('DISABLED','Y','NO_PAUSED','READY_ONLY')", "'DISABLED'"),
        C("no_agent_ingroup_id", "VARCHAR(20)", "''"),
        C("no_agent_ingroup_extension", "VARCHAR(50)", "'9998811112'"),
        C("pre_filter_phone_group_id", "TEXT"),
        C("pre_filter_extension", "VARCHAR(50)", "''"),
        C("entry_list_id", "BIGINT(14) UNSIGNED", "'0'"),
        C("filter_entry_list_id", "BIGINT(14) UNSIGNED", "'0'"),
        C("max_queue_ingroup_calls", "SMALLINT(5)", "'0'"),
        C("max_queue_ingroup_id", "VARCHAR(20)", "''"),
        C("max_queue_ingroup_extension", "VARCHAR(50)", "'9998811112'"),
        C("did_carrier_description", "VARCHAR(255)", "''"),
        C("inbound_route_answer", "ENUM('Y','N')", "'Y'"),
        C("pre_filter_recent_call", "VARCHAR(20)", "''"),
        C("pre_filter_recent_extension", "VARCHAR(50)", "''"),
    ), primary_key="did_id", unique=(("did_pattern",),), indexes=(("group_id",),)),
    # the local call time check (add_lead, update_lead, hopper_bulk_insert, check_phone_number): a
    # call time's ct_state_call_times names state call times (|id|id|); a lead of that state takes
    # the first one's hours (default and each weekday, HHMM). A default install creates the table
    # with some states' rows; the harness's are VCERT...
    Table("vicidial_state_call_times", (
        C("state_call_time_id", "VARCHAR(10)", not_null=True),
        C("state_call_time_state", "VARCHAR(2)", not_null=True),
        C("state_call_time_name", "VARCHAR(30)", not_null=True),
        C("sct_default_start", "SMALLINT(4) UNSIGNED", "'900'", not_null=True),
        C("sct_default_stop", "SMALLINT(4) UNSIGNED", "'2100'", not_null=True),
        *(C(f"sct_{day}_{edge}", "SMALLINT(4) UNSIGNED", "'0'") for day in WEEKDAYS for edge in ("start", "stop")),
    ), primary_key="state_call_time_id"),
    # moh_list: music on hold classes and their files (a fresh install has the class "default")
    Table("vicidial_music_on_hold", (
        C("moh_id", "VARCHAR(100)", not_null=True),
        C("moh_name", "VARCHAR(255)"),
        C("active", "ENUM('Y','N')", "'N'"),
        C("random", "ENUM('Y','N')", "'N'"),
        C("remove", "ENUM('Y','N')", "'N'"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), primary_key="moh_id"),
    Table("vicidial_music_on_hold_files", (
        C("filename", "VARCHAR(100)", not_null=True),
        C("moh_id", "VARCHAR(100)", not_null=True),
        C("rank", "SMALLINT(5)"),
    ), unique=(("filename", "moh_id"),)),
    # vm_list: voicemail boxes, and the phones whose boxes it lists too
    Table("vicidial_voicemail", (
        C("voicemail_id", "VARCHAR(10)", not_null=True),
        C("active", "ENUM('Y','N')", "'Y'"),
        C("pass", "VARCHAR(10)", not_null=True),
        C("fullname", "VARCHAR(100)", not_null=True),
        C("email", "VARCHAR(100)"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), primary_key="voicemail_id"),
    Table("phones", (
        C("extension", "VARCHAR(100)"),
        C("voicemail_id", "VARCHAR(10)"),
        C("server_ip", "VARCHAR(15)"),
        C("login", "VARCHAR(15)"),   # add_phone_alias, update_phone_alias: an alias lists phones by login
        C("active", "ENUM('Y','N')"),
        C("fullname", "VARCHAR(50)"),
        C("email", "VARCHAR(100)"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), unique=(("extension", "server_ip"),), indexes=(("voicemail_id",),)),
    # add_phone_alias, update_phone_alias: one name for several phones, listed by their logins
    Table("phones_alias", (
        C("alias_id", "VARCHAR(20)", not_null=True),
        C("alias_name", "VARCHAR(50)"),
        C("logins_list", "VARCHAR(255)"),
        C("user_group", "VARCHAR(20)", "'---ALL---'"),
    ), primary_key="alias_id"),
    # force_fronter_leave_3way, force_fronter_audio_stop: a call another cluster fronted (CCC) names
    # the container holding that cluster's URL; the URLs called are logged; the fronter's session is
    # found in the channels Asterisk reports live (live_channels, declared for audio_playback above)
    # or, once it left the call, in the recent sessions
    Table("vicidial_ccc_log", (
        C("call_date", "DATETIME"),
        C("remote_call_id", "VARCHAR(30)", "''"),
        C("local_call_id", "VARCHAR(30)", "''"),
        C("lead_id", "INT(9) UNSIGNED"),
        C("uniqueid", "VARCHAR(20)", "''"),
        C("channel", "VARCHAR(100)", "''"),
        C("server_ip", "VARCHAR(60)", not_null=True),
        C("list_id", "BIGINT(14) UNSIGNED"),
        C("container_id", "VARCHAR(40)", "''"),
        C("remote_lead_id", "INT(9) UNSIGNED"),
    ), indexes=(("call_date",), ("local_call_id",), ("lead_id",))),
    Table("vicidial_url_log", (
        C("url_log_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("uniqueid", "VARCHAR(50)", not_null=True),
        C("url_date", "DATETIME"),
        C("url_type", "VARCHAR(10)", "''"),
        C("response_sec", "SMALLINT(5) UNSIGNED", "'0'"),
        C("url", "TEXT"),
        C("url_response", "TEXT"),
    ), primary_key="url_log_id", indexes=(("uniqueid",),)),
    Table("vicidial_sessions_recent", (
        C("lead_id", "INT(9) UNSIGNED"),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("call_date", "DATETIME"),
        C("user", "VARCHAR(20)"),
        C("campaign_id", "VARCHAR(20)"),
        C("conf_exten", "VARCHAR(20)"),
        C("call_type", "VARCHAR(1)", "''"),
    ), indexes=(("lead_id",), ("call_date",))),
    # update_remote_agent: remote agents (agents VICIdial dials on lines of their own), by the user
    # they log in as (user_start); upstream declares no index on it
    Table("vicidial_remote_agents", (
        C("remote_agent_id", "INT(9) UNSIGNED", not_null=True, auto_increment=True),
        C("user_start", "VARCHAR(20)"),
        C("number_of_lines", "TINYINT UNSIGNED", "'1'"),
        C("server_ip", "VARCHAR(15)", not_null=True),
        C("conf_exten", "VARCHAR(20)"),
        C("status", "ENUM('ACTIVE','INACTIVE')", "'INACTIVE'"),
        C("campaign_id", "VARCHAR(8)"),
    ), primary_key="remote_agent_id"),
    # update_presets: a campaign's transfer presets (numbers agents may transfer a call to); upstream
    # declares no key, only an index on the name, so a name may repeat within a campaign
    Table("vicidial_xfer_presets", (
        C("campaign_id", "VARCHAR(20)", not_null=True),
        C("preset_name", "VARCHAR(40)", not_null=True),
        C("preset_number", "VARCHAR(50)", not_null=True),
        C("preset_dtmf", "VARCHAR(50)", "''"),
        C("preset_hide_number", "ENUM('Y','N')", "'N'"),
    ), indexes=(("preset_name",),)),
)}
# lead_dearchive: archived leads. Upstream's install does not create the table; its
# docs/LEAD_ARCHIVING.txt has the operator create it LIKE vicidial_list with a lead_id that is no
# AUTO_INCREMENT (the archiving copies the id), so it follows vicidial_list's declaration.
TABLES["vicidial_list_archive"] = Table("vicidial_list_archive", (
    C("lead_id", "INT(9) UNSIGNED", not_null=True), *TABLES["vicidial_list"].columns[1:],
), primary_key="lead_id", indexes=TABLES["vicidial_list"].indexes, optional=(
    "upstream's install does not create it; an operator who archives leads creates it as docs/LEAD_ARCHIVING.txt "
    "says: CREATE TABLE vicidial_list_archive LIKE vicidial_list; then ALTER TABLE vicidial_list_archive MODIFY "
    "lead_id INT(9) UNSIGNED NOT NULL"))
# The tables a host may lack (see Table.optional).
OPTIONAL_TABLES = {name: table for name, table in TABLES.items() if table.optional}
# Fields that hold no data: upstream's admin page gives them no column in custom_<list_id>.
NO_COLUMN_TYPES = ("DISPLAY", "SCRIPT", "SWITCH", "BUTTON")


def custom_table(list_id: Any, fields: Iterable[Mapping[str, Any]]) -> Table:
    """A list's custom_<list_id> table as upstream's admin_lists_custom.php creates it from the
    list's vicidial_lists_fields rows (in the order they were added): lead_id, then one column
    per field that holds data, typed by the field's type. Fields named like a standard lead
    column, duplicates and encrypted fields are not supported here (the world has none)."""
    columns = [C("lead_id", "INT(9) UNSIGNED", not_null=True)]
    standard = {column.name for column in TABLES["vicidial_list"].columns}
    for field_row in fields:
        kind = field_row.get("field_type") or "TEXT"
        label = str(field_row["field_label"])
        if kind in NO_COLUMN_TYPES or label in standard:
            continue
        default = field_row.get("field_default")
        literal = None if default in (None, "NULL") or kind in ("AREA", "DATE", "TIME") else f"'{default}'"
        columns.append(C(label, _custom_type(kind, field_row), literal))
    return Table(f"custom_{list_id}", tuple(columns), primary_key="lead_id",
                 optional="upstream's admin page creates it with the list's first custom field")


def _custom_type(kind: str, field_row: Mapping[str, Any]) -> str:
    options = [line.split(",")[0] for line in str(field_row.get("field_options") or "").split("\n") if "," in line]
    if kind in ("SELECT", "RADIO"):
        return "ENUM(" + ",".join(f"'{option}'" for option in options) + ")"
    if kind in ("MULTI", "CHECKBOX"):
        return f"VARCHAR({max(1, len(','.join(repr(option) for option in options)))})"
    simple = {"AREA": "TEXT", "DATE": "DATE", "TIME": "TIME", "HIDEBLOB": "BLOB"}
    return simple.get(kind) or f"VARCHAR({max(1, int(field_row.get('field_max') or 0))})"


def sqlite_ddl(tables: Iterable[Table] | None = None) -> list[str]:
    """CREATE statements for SQLite (every declared table by default): ENUMs become CHECKed TEXT,
    integers INTEGER."""
    statements = []
    for table in TABLES.values() if tables is None else tables:
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


def mysql_ddl(tables: Iterable[Table] | None = None) -> list[str]:
    """CREATE statements for MySQL/MariaDB as upstream declares the same columns (every declared
    table by default)."""
    statements = []
    for table in TABLES.values() if tables is None else tables:
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
        statements.append(f"CREATE TABLE IF NOT EXISTS `{table.name}` (\n  " + ",\n  ".join(lines) + f"\n) {MYSQL_TABLE_OPTIONS}")
    return statements


def _sqlite_type(mysql_type: str) -> str:
    upper = mysql_type.upper()
    if "INT" in upper:
        return "INTEGER"
    if upper.startswith(("DOUBLE", "DECIMAL")):
        return "REAL"
    return "TEXT"


def fit(table: str, column: str, value: str) -> str:
    """``value`` cut to the column's width, as MySQL's non-strict mode stores it (see ``cut``)."""
    return cut(TABLES[table].column(column), value)


def cut(column: Column, value: str) -> str:
    """``value`` cut to ``column``'s width, as MySQL's non-strict mode stores it.

    The width counts characters of the utf8 column: a PHP byte string (held one character per
    byte) that is valid UTF-8 is cut by its characters, so a one-character column holds 'É'
    (C3 89) whole; any other text by its own characters."""
    width = column.width
    if width is None or len(value) <= width:
        return value
    try:
        characters = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value[:width]
    return characters[:width].encode("utf-8").decode("latin-1")
