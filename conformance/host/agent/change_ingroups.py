"""``change_ingroups``: set the in-groups (and blending) of a logged-in agent whose campaign takes
inbound calls, for the agent screen to take up (vicidial_live_agents.external_ingroups), update
the agent's live in-group rows (vicidial_live_inbound_agents) at once, and with set_as_default=YES
make them the agent's defaults (vicidial_users) with an admin log row.

In-group lists are upstream's: names between spaces, closed by ``-``. Where upstream reads such a
list, it drops one trailing ``-``, splits at single spaces and skips the first piece (the empty one
before the leading space, or a first name with no space before it) and pieces of one character.
"""

from __future__ import annotations

import re

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, INGROUP_FILTER, AgentCall, ingroup_choices
from ..php import keep
from ..registry import host_function

# blended and set_as_default keep capitals only, in both modes (so they are filtered again below,
# where the non-latin mode would have kept letters of any script); ingroup_choices turns + into a
# space before its filter (agent_api.INGROUP_FILTER and ingroup_choices, shared with ra_call_control).
PARAMS = {"agent_user": AGENT_FILTERS["agent_user"], "value": AGENT_FILTERS["value"],
          "blended": "A-Z", "set_as_default": "A-Z", "ingroup_choices": INGROUP_FILTER}
# What an in-group without a vicidial_inbound_group_agents row gets: weight, calls, grade,
# filtered calls, daily limit.
NO_SETTINGS = (0, 0, 0, 0, -1)


def listed(text: str) -> list[str]:
    """Every piece of an in-group list as upstream splits it (the first one included)."""
    return re.sub(r"-$", "", text).split(" ")


def groups_of(text: str) -> list[str]:
    """The in-groups upstream acts on in a list: the pieces after the first, of two characters or more."""
    return [group for group in listed(text)[1:] if len(group) > 1]


def _request(call: AgentCall) -> tuple[str, str, str, str]:
    """value, blended, set_as_default (capitals only) and ingroup_choices (+ as a space)."""
    p = call.p
    return (keep(p["value"], "A-Z"), keep(p["blended"], "A-Z"), keep(p["set_as_default"], "A-Z"),
            ingroup_choices(call))


def _valid(call: AgentCall) -> bool:
    value, blended, _, choices = _request(call)
    call.p["value"] = value   # the permission refusal echoes the value as this function filters it
    if len(blended) < 2 or len(call.p["agent_user"]) < 2 or len(value) < 3:
        call.say(f"ERROR: change_ingroups not valid - {value}|{blended}|{choices}|{call.p['agent_user']}\n")
        return False
    return True


@host_function("agent_api", "change_ingroups", params=PARAMS, steps=("permission", "logged_in"), check=_valid)
def change_ingroups(call: AgentCall) -> None:
    user, agent_user = call.p["user"], call.p["agent_user"]
    value, blended, set_as_default, choices = _request(call)
    if not _may_change(call, user, agent_user, blended):
        return
    call.trace(f"select closer_campaigns from vicidial_live_agents where user='{agent_user}';")
    current = call.db.value("SELECT closer_campaigns FROM vicidial_live_agents WHERE user=?", agent_user) or ""
    if choices and not _groups_exist(call, agent_user, choices):
        return call.exit()
    if not choices and value in ("ADD", "REMOVE"):
        call.say(f"ERROR: ingroup_choices are required for ADD and REMOVE values - {agent_user}|{value}|{choices}\n")
        return call.exit()
    if value == "ADD":
        call.trace(f"select closer_campaigns from vicidial_live_agents where user='{agent_user}';")
        choices = added(current, choices)
    elif value == "REMOVE":
        call.trace(f"select closer_campaigns from vicidial_live_agents where user='{agent_user}';")
        choices = removed(current, choices)
    external_blended = "1" if blended == "YES" else "0"
    call.comment(f"UPDATE vicidial_live_agents set external_ingroups='{choices}',external_blended='{external_blended}',"
                 f"external_igb_set_user='{user}',manager_ingroup_set='SET' where user='{agent_user}';")
    call.db.write("UPDATE vicidial_live_agents SET external_ingroups=?, external_blended=?, external_igb_set_user=?, "
                  "manager_ingroup_set='SET' WHERE user=?",
                  choices, external_blended, fit("vicidial_live_agents", "external_igb_set_user", user), agent_user)
    statements = _live_ingroups(call, agent_user, choices, current)
    default = ""
    if set_as_default == "YES":
        default = "User settings set as default"
        _set_default(call, agent_user, choices, external_blended, statements)
    call.say(f"SUCCESS: change_ingroups function set - {user}|{agent_user}|{choices}|{blended}|{default}\n")


def _may_change(call: AgentCall, user: str, agent_user: str, blended: str) -> bool:
    """The agent's campaign takes inbound calls, the API user may change in-groups, and blending
    is asked only where the campaign autodials."""
    call.trace(f"select count(*) from vicidial_live_agents vla, vicidial_campaigns vc where user='{agent_user}' "
               "and campaign_allow_inbound='Y' and vla.campaign_id=vc.campaign_id;")
    if not _campaign_count(call, agent_user, "vc.campaign_allow_inbound='Y'"):
        call.say(f"ERROR: campaign does not allow inbound calls - {agent_user}\n")
        return False
    call.trace(f"select count(*) from vicidial_users where user='{user}' and change_agent_campaign='1';")
    if call.db.value("SELECT count(*) FROM vicidial_users WHERE user=? AND change_agent_campaign='1'", user) < 1:
        call.say(f"ERROR: user is not allowed to change agent in-groups - {user}\n")
        return False
    if blended == "YES":
        call.trace(f"select count(*) from vicidial_live_agents vla, vicidial_campaigns vc where user='{agent_user}' "
                   "and dial_method IN('MANUAL','INBOUND_MAN') and vla.campaign_id=vc.campaign_id;")
        if _campaign_count(call, agent_user, "vc.dial_method IN ('MANUAL','INBOUND_MAN')"):
            call.say(f"ERROR: campaign dial_method does not allow outbound autodial - {agent_user}|{blended}\n")
            call.exit()
            return False
    return True


def _campaign_count(call: AgentCall, agent_user: str, condition: str) -> int:
    return call.db.value("SELECT count(*) FROM vicidial_live_agents vla JOIN vicidial_campaigns vc "
                         f"ON vla.campaign_id=vc.campaign_id WHERE vla.user=? AND {condition}", agent_user)


def _groups_exist(call: AgentCall, agent_user: str, choices: str) -> bool:
    """Each in-group named (but the first piece) has a vicidial_inbound_groups row, letter case aside."""
    for group in groups_of(choices):
        call.trace(f"SELECT count(*) FROM vicidial_inbound_groups where group_id='{group}';")
        if call.db.value("SELECT count(*) FROM vicidial_inbound_groups WHERE group_id=?", group) < 1:
            call.say(f"ERROR: ingroup does not exist - {agent_user}|{group}|{choices}\n")
            return False
    return True


def added(current: str, choices: str) -> str:
    """ADD: the agent's list with each named in-group it lacks (compared case-sensitively) appended."""
    groups = listed(current)
    for group in groups_of(choices):
        if group not in (known for known in groups if len(known) > 1):
            groups.append(group)
    return " " + "".join(f"{group} " for group in groups if len(group) > 1) + "-"


def removed(current: str, choices: str) -> str:
    """REMOVE: the agent's list as stored, without each named in-group it has (case-sensitively),
    where that in-group stands between two spaces."""
    groups = [known for known in listed(current) if len(known) > 1]
    for group in groups_of(choices):
        if group in groups:
            current = current.replace(f" {group} ", " ")
    return current


def _live_ingroups(call: AgentCall, agent_user: str, choices: str, current: str) -> list[str]:
    """Add or update a live in-group row for each chosen in-group (its settings from
    vicidial_inbound_group_agents), then delete the rows of the agent's former in-groups that were
    not chosen again (as named in its list, letter case and all). The statements, for the admin log."""
    statements = []
    for group in groups_of(choices):
        settings = call.db.one("SELECT group_weight, calls_today, group_grade, calls_today_filtered, daily_limit "
                               "FROM vicidial_inbound_group_agents WHERE user=? AND group_id=?", agent_user, group)
        call.trace(f"SELECT group_weight,calls_today,group_grade,calls_today_filtered,daily_limit FROM "
                   f"vicidial_inbound_group_agents where user='{agent_user}' and group_id='{group}';")
        weight, calls, grade, calls_filtered, limit = settings or NO_SETTINGS
        statement = (f"INSERT IGNORE INTO vicidial_live_inbound_agents set user='{agent_user}',group_id='{group}',"
                     f"group_weight='{weight}',group_grade='{grade}',calls_today='{calls}',"
                     f"calls_today_filtered='{calls_filtered}',last_call_time='{call.now}',"
                     f"last_call_finish='{call.now}',last_call_time_filtered='{call.now}',"
                     f"last_call_finish_filtered='{call.now}',daily_limit='{limit}' ON DUPLICATE KEY UPDATE "
                     f"group_weight='{weight}',group_grade='{grade}',calls_today='{calls}',"
                     f"calls_today_filtered='{calls_filtered}',daily_limit='{limit}';")
        statements.append(statement)
        call.comment(statement)
        with call.db.write_lock:   # upstream's INSERT ... ON DUPLICATE KEY UPDATE: the times only when new
            if call.db.execute("SELECT count(*) FROM vicidial_live_inbound_agents WHERE user=? AND group_id=?",
                               agent_user, group).fetchone()[0]:
                call.db.execute(
                    "UPDATE vicidial_live_inbound_agents SET group_weight=?, group_grade=?, calls_today=?, "
                    "calls_today_filtered=?, daily_limit=? WHERE user=? AND group_id=?",
                    weight, grade, calls, calls_filtered, limit, agent_user, group)
            else:
                call.db.execute(
                    "INSERT INTO vicidial_live_inbound_agents (user, group_id, group_weight, group_grade, calls_today, "
                    "calls_today_filtered, last_call_time, last_call_finish, last_call_time_filtered, "
                    "last_call_finish_filtered, daily_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    agent_user, fit("vicidial_live_inbound_agents", "group_id", group), weight, grade, calls,
                    calls_filtered, call.now, call.now, call.now, call.now, limit)
        current = current.replace(f" {group} ", " ")
    for group in groups_of(current):
        statement = f"DELETE FROM vicidial_live_inbound_agents WHERE user='{agent_user}' and group_id='{group}';"
        statements.append(statement)
        call.comment(statement)
        call.db.write("DELETE FROM vicidial_live_inbound_agents WHERE user=? AND group_id=?", agent_user, group)
    return statements


def _set_default(call: AgentCall, agent_user: str, choices: str, external_blended: str,
                 statements: list[str]) -> None:
    """The chosen in-groups and blending become the agent's defaults; the admin log keeps the
    statements run (semicolons removed): the default's, an empty one, then each live in-group's."""
    statement = (f"UPDATE vicidial_users set closer_campaigns='{choices}',closer_default_blended='{external_blended}' "
                 f"where user='{agent_user}';")
    call.comment(statement)
    call.db.write("UPDATE vicidial_users SET closer_campaigns=?, closer_default_blended=? WHERE user=?",
                  choices, external_blended, agent_user)
    event_sql = (f"{statement}||" + "".join(f"{done}|" for done in statements)).replace(";", "")
    ip = call.request.remote_addr
    call.trace(f"|INSERT INTO vicidial_admin_log set event_date=NOW(), user='{call.p['user']}', ip_address='{ip}', "
               f"event_section='USERS', event_type='MODIFY', record_id='{agent_user}', event_code='API MODIFY USER', "
               f"event_sql=\"{event_sql}\", event_notes='';|")
    call.db.write("INSERT INTO vicidial_admin_log (event_date, user, ip_address, event_section, event_type, record_id, "
                  "event_code, event_sql, event_notes) VALUES (?, ?, ?, 'USERS', 'MODIFY', ?, 'API MODIFY USER', ?, '')",
                  call.now, fit("vicidial_admin_log", "user", call.p["user"]), ip[:15],
                  fit("vicidial_admin_log", "record_id", agent_user), event_sql)
