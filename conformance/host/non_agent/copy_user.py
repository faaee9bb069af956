"""``copy_user``: a new user in ``vicidial_users``, a copy of an existing one, with its in-group and
campaign ranks.

Upstream (www/vicidial/non_agent_api.php, copy_user) asks for Agent API access, ``modify_users`` and
user level 8 or more. agent_user and agent_pass need 2 characters, source_user and agent_full_name 1.
A level-8 API user copies users of lower levels only; a level-9 one any level, its own only with
``modify_same_user_level``. A source no row holds has no level (PHP 8 compares its null as false,
so it passes) and no group: the source's group must be one the API user's group may view, or it
"does not exist" (printed empty for a missing source). The new user must be new. Then three
INSERT ... SELECTs copy the source's row (the new user, password and full name, an empty pass_hash;
failed logins and last login keep their defaults), its in-group rows and its campaign rows (calls
today 0 in both), and one admin log row (section USERS, type COPY) counts the rows each added.
MySQL's non-strict mode cuts the texts to their columns; a cut user that meets a stored one, or a
copied rank row the new user already holds, is a duplicate key, which PHP 8's mysqli throws
(HTTP 500, nothing printed or logged; the rows written before it stay, as MyISAM keeps them).
Not modelled, as in add_user: an agent_user holding AUTOGENERA and password hashing.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal
from ..registry import host_function
from .add_user import api_user_levels, group_visible, user_exists

PARAMS = {"agent_user": "-_0-9a-zA-Z", "agent_pass": "-_0-9a-zA-Z", "source_user": "-_0-9a-zA-Z",
          "agent_full_name": "- +.:/@_0-9a-zA-Z"}
REQUIRED_MIN = {"agent_user": 2, "agent_pass": 2, "source_user": 1, "agent_full_name": 1}
PRINTED = ("agent_user", "agent_pass", "source_user", "agent_full_name")
FUNCTION = "copy_user"
# The columns of vicidial_users a copy takes from its source, upstream's list (user, pass and full_name
# are the request's, pass_hash is empty); tables/schema.py declares each.
COPIED = (
    "user_level", "user_group", "phone_login", "phone_pass", "delete_users", "delete_user_groups", "delete_lists",
    "delete_campaigns", "delete_ingroups", "delete_remote_agents", "load_leads", "campaign_detail",
    "ast_admin_access", "ast_delete_phones", "delete_scripts", "modify_leads", "hotkeys_active",
    "change_agent_campaign", "agent_choose_ingroups", "closer_campaigns", "scheduled_callbacks",
    "agentonly_callbacks", "agentcall_manual", "vicidial_recording", "vicidial_transfers", "delete_filters",
    "alter_agent_interface_options", "closer_default_blended", "delete_call_times", "modify_call_times",
    "modify_users", "modify_campaigns", "modify_lists", "modify_scripts", "modify_filters", "modify_ingroups",
    "modify_usergroups", "modify_remoteagents", "modify_servers", "view_reports", "vicidial_recording_override",
    "alter_custdata_override", "qc_enabled", "qc_user_level", "qc_pass", "qc_finish", "qc_commit",
    "add_timeclock_log", "modify_timeclock_log", "delete_timeclock_log", "alter_custphone_override",
    "vdc_agent_api_access", "modify_inbound_dids", "delete_inbound_dids", "active", "alert_enabled",
    "download_lists", "agent_shift_enforcement_override", "manager_shift_enforcement_override", "export_reports",
    "delete_from_dnc", "email", "user_code", "territory", "allow_alerts", "agent_choose_territories", "custom_one",
    "custom_two", "custom_three", "custom_four", "custom_five", "voicemail_id", "agent_call_log_view_override",
    "callcard_admin", "agent_choose_blended", "realtime_block_user_info", "custom_fields_modify",
    "force_change_password", "agent_lead_search_override", "modify_shifts", "modify_phones", "modify_carriers",
    "modify_labels", "modify_statuses", "modify_voicemail", "modify_audiostore", "modify_moh", "modify_tts",
    "preset_contact_search", "modify_contacts", "modify_same_user_level", "admin_hide_lead_data",
    "admin_hide_phone_data", "agentcall_email", "agentcall_chat", "modify_email_accounts",
    "alter_admin_interface_options", "max_inbound_calls", "modify_custom_dialplans", "wrapup_seconds_override",
    "modify_languages", "selected_language", "user_choose_language", "ignore_group_on_search", "api_list_restrict",
    "api_allowed_functions", "lead_filter_id", "admin_cf_show_hidden", "user_hide_realtime", "modify_colors",
    "user_nickname", "user_new_lead_limit", "api_only_user", "modify_auto_reports", "modify_ip_lists",
    "ignore_ip_list", "ready_max_logout", "export_gdpr_leads", "access_recordings", "pause_code_approval",
    "max_hopper_calls", "max_hopper_calls_hour", "mute_recordings", "hide_call_log_info", "next_dial_my_callbacks",
    "user_admin_redirect_url", "max_inbound_filter_enabled", "max_inbound_filter_statuses",
    "max_inbound_filter_ingroups", "max_inbound_filter_min_sec", "status_group_id", "mobile_number",
    "two_factor_override", "manual_dial_filter", "user_location", "download_invalid_files", "user_group_two",
    "modify_dial_prefix", "inbound_credits", "hci_enabled")
# The rank rows copied with the user: table, the column naming the group or campaign, the columns taken.
RANKS = (("vicidial_inbound_group_agents", "group_id", ("group_rank", "group_weight", "group_type", "daily_limit")),
         ("vicidial_campaign_agents", "campaign_id", ("campaign_rank", "campaign_weight")))


@host_function("non_agent_api", FUNCTION, params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO COPY USERS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "modify_users": ("1",)}))
def copy_user(call: NonAgentCall) -> str:
    p, user = call.p, call.p["user"]
    if any(len(p[name]) < least for name, least in REQUIRED_MIN.items()):
        return f"ERROR: {FUNCTION} YOU MUST USE ALL REQUIRED FIELDS: |{user}|{'|'.join(p[name] for name in PRINTED)}\n"
    agent, source = p["agent_user"], p["source_user"]
    api_level, same_level = api_user_levels(call)
    row = call.db.one("SELECT user_level, user_group FROM vicidial_users WHERE user = ?", source)
    source_level, source_group = (None, "") if row is None else (int(row[0] or 0), row[1] or "")
    if level_refused(api_level, same_level, source_level):
        return (f"ERROR: {FUNCTION} USER DOES NOT HAVE PERMISSION TO COPY USERS IN THIS USER LEVEL: "
                f"|{user}|{source_level}|{api_level}\n")
    if not group_visible(call, source_group):
        return f"ERROR: {FUNCTION} USER GROUP DOES NOT EXIST: |{user}|{source_group}\n"
    if user_exists(call, agent):
        return f"ERROR: {FUNCTION} USER ALREADY EXISTS: |{user}|{agent}\n"
    with call.db.write_lock:
        added = copy_rows(call, agent, source)
    statements = [f"INSERT INTO vicidial_users (user,pass,full_name,...) SELECT \"{agent}\",... FROM vicidial_users "
                  f"WHERE user=\"{source}\""]
    statements += [f"INSERT INTO {table} (user,{column},...) SELECT \"{agent}\",{column},... FROM {table} "
                   f"WHERE user=\"{source}\"" for table, column, _taken in RANKS]
    log_admin_event(call, "USERS", "COPY", agent, "ADMIN API COPY USER", statements,
                    f"user: {agent}   source_user: {source}   rows: {','.join(str(count) for count in added)}")
    return (f"SUCCESS: {FUNCTION} USER HAS BEEN COPIED - {user}|{agent}|{p['agent_pass']}|{p['agent_full_name']}"
            f"|{source}\n")


def level_refused(api_level: int, same_level: int, source_level: int | None) -> bool:
    """Below 9 the API user copies lower levels only; at 9 or more its own only with modify_same_user_level.
    A missing source's level is PHP's null, which compares as false: neither rule refuses it."""
    if source_level is None:
        return False
    return (api_level < 9 and api_level <= source_level) or (same_level < 1 and api_level >= 9
                                                             and api_level == source_level)


def copy_rows(call: NonAgentCall, agent: str, source: str) -> list[int]:
    """Copy the source's user row and rank rows as ``agent``; the rows each statement added. A
    duplicate key (a cut user already stored, a rank row the new user holds) is mysqli's throw."""
    db = call.db
    kept = stored("vicidial_users", "user", agent)
    columns = ", ".join(db.quote(column) for column in COPIED)
    row = db.one(f"SELECT {columns} FROM vicidial_users WHERE user = ?", source)
    if row is None:   # only a stored user group '' lets a missing source this far: nothing to copy
        return [0, 0, 0]
    if user_exists(call, kept):
        raise PhpFatal("duplicate entry in the copy's user INSERT")
    values = (kept, stored("vicidial_users", "pass", call.p["agent_pass"]),
              stored("vicidial_users", "full_name", call.p["agent_full_name"]), "", *row)
    db.execute(f"INSERT INTO vicidial_users (user, pass, full_name, pass_hash, {columns}) "
               f"VALUES ({', '.join('?' for _ in values)})", *values)
    added = [1]
    for table, key, taken in RANKS:
        count = 0
        for rank in db.all(f"SELECT {key}, {', '.join(taken)} FROM {table} WHERE user = ?", source):
            if db.value(f"SELECT count(*) FROM {table} WHERE user = ? AND {key} = ?", kept, rank[0]):
                raise PhpFatal(f"duplicate entry in the copy's {table} INSERT")
            db.execute(f"INSERT INTO {table} (user, {key}, {', '.join(taken)}, calls_today) "
                       f"VALUES ({', '.join('?' for _ in range(len(taken) + 3))})", kept, *rank, 0)
            count += 1
        added.append(count)
    return added
