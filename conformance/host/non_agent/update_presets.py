"""``update_presets``: list, add, change or delete a campaign's transfer presets (``vicidial_xfer_presets``).

Upstream (www/vicidial/non_agent_api.php, update_presets) asks for Agent API access,
``modify_campaigns`` and user level 8 or more. campaign_id (2 to 8 characters) must be one of the
API user's group's allowed campaigns. LIST prints the campaign's presets by name (``stage`` csv,
tab or pipe; ``header`` YES), or a NOTICE when there are none. Any other action but NEW names a
preset; a name the campaign lacks is the campaign's first preset when it has fewer than two (none:
an empty name), else refused. Then the optional fields, in order: preset_hide_number Y or N,
preset_number of 50 characters at most, preset_dtmf of 50 at most (``--BLANK--`` empties it).
DELETE removes the preset, NEW inserts one (a name may repeat), anything else updates it, each
logged in the admin log with no section; with no field, NEW and updates are a NOTICE.
Refusals print ``: |user|...``, the successes ``- user|...``.
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..export import export
from ..mysql_text import stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import allowed_campaigns, group_texts, in_clause

PARAMS = {"campaign_id": "-_0-9a-zA-Z", "campaign_name": "- .,_0-9a-zA-Z", "preset_name": "- _0-9a-zA-Z",
          "preset_number": "*#._0-9a-zA-Z", "preset_dtmf": "- ,*#0-9a-zA-Z", "preset_hide_number": "0-9a-zA-Z",
          "action": "0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}
CAMPAIGN_LENGTH = (2, 8)
FIELD_MAX = 50            # preset_number and preset_dtmf
HIDE_NUMBER = ("Y", "N")
BLANK = "--BLANK--"
LIST_COLUMNS = ("preset_name", "campaign_id", "preset_number", "preset_hide_number", "preset_dtmf")
LIST_LIMIT = 1000
LIST_ORDER = "preset_name"   # compared as the column's collation does: without letter case
SECTION = ""              # upstream logs an event_section it never sets in this function
FUNCTION = "update_presets"


@host_function("non_agent_api", FUNCTION, params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO UPDATE CAMPAIGNS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "modify_campaigns": ("1",)}))
def update_presets(call: NonAgentCall) -> str:
    user, campaign, action = call.p["user"], call.p["campaign_id"], call.p["action"]
    if not CAMPAIGN_LENGTH[0] <= len(campaign) <= CAMPAIGN_LENGTH[1]:
        return f"ERROR: {FUNCTION} YOU MUST USE ALL REQUIRED FIELDS: |{user}|{campaign}|{call.p['campaign_name']}|{campaign}\n"
    campaigns_text, _ = group_texts(call.db, call.user_group)
    if not campaign_exists(call, campaign, allowed_campaigns(campaigns_text)):
        return f"ERROR: {FUNCTION} CAMPAIGN DOES NOT EXIST: |{user}|{campaign}\n"
    if action == "LIST":
        return preset_list(call, campaign)
    name = call.p["preset_name"]
    if action != "NEW" and presets_named(call, campaign, name) < 1:
        first_two = first_preset_names(call, campaign)
        if len(first_two) >= 2:
            return f"ERROR: {FUNCTION} PRESET NAME DOES NOT EXIST: |{user}|{name}|{campaign}|{len(first_two)}\n"
        name = first_two[0] if first_two else ""
    changes = []
    hide = call.p["preset_hide_number"]
    if hide:
        if hide not in HIDE_NUMBER:
            return f"ERROR: {FUNCTION} PRESET HIDE NUMBER MUST BE Y OR N, THIS IS AN OPTIONAL FIELD: |{user}|{hide}\n"
    number = call.p["preset_number"]
    if number:
        if len(number) > FIELD_MAX:
            return f"ERROR: {FUNCTION} PRESET NUMBER IS NOT VALID, THIS IS AN OPTIONAL FIELD: |{user}|{number}\n"
        changes.append(("preset_number", number))
    dtmf = call.p["preset_dtmf"]
    if dtmf:
        if dtmf == BLANK:
            dtmf = ""
        elif len(dtmf) > FIELD_MAX:
            return f"ERROR: {FUNCTION} PRESET DTMF IS NOT VALID, THIS IS AN OPTIONAL FIELD: |{user}|{dtmf}\n"
        changes.append(("preset_dtmf", dtmf))
    if hide:
        changes.append(("preset_hide_number", hide))
    if action == "DELETE":
        return delete_preset(call, campaign, name)
    if not changes:
        return f"NOTICE: {FUNCTION} NO UPDATES DEFINED: |{user}|\n"
    if action == "NEW":
        return add_preset(call, campaign, name, changes)
    return change_preset(call, campaign, name, changes)


def campaign_exists(call: NonAgentCall, campaign: str, allowed: tuple[str, ...] | None) -> bool:
    """Is the campaign among the group's allowed ones (compared without letter case)?"""
    scope, args = in_clause("campaign_id", allowed)
    return int(call.db.value(f"SELECT count(*) FROM vicidial_campaigns WHERE campaign_id = ?{scope}",
                             campaign, *args) or 0) > 0


def presets_named(call: NonAgentCall, campaign: str, name: str) -> int:
    """How many of the campaign's presets have the name (as the database compares text)?"""
    return int(call.db.value("SELECT count(*) FROM vicidial_xfer_presets WHERE campaign_id = ? AND preset_name = ?",
                             campaign, name) or 0)


def first_preset_names(call: NonAgentCall, campaign: str) -> list[str]:
    """The names of the campaign's first two presets by name."""
    return [row[0] for row in call.db.all("SELECT preset_name FROM vicidial_xfer_presets WHERE campaign_id = ? "
                                          "ORDER BY preset_name LIMIT 2", campaign)]


def preset_list(call: NonAgentCall, campaign: str) -> str:
    """The campaign's presets by name, one line each, or the NOTICE that it has none."""
    rows = call.db.all(f"SELECT {', '.join(LIST_COLUMNS)} FROM vicidial_xfer_presets WHERE campaign_id = ? "
                       f"ORDER BY {LIST_ORDER} LIMIT {LIST_LIMIT}", campaign)
    if not rows:
        return f"NOTICE: {FUNCTION} LIST, No Records Found - {call.p['user']}|{campaign}|0\n"
    return export(call.p["stage"], call.p["header"], LIST_COLUMNS, rows)


def delete_preset(call: NonAgentCall, campaign: str, name: str) -> str:
    call.db.write("DELETE FROM vicidial_xfer_presets WHERE campaign_id = ? AND preset_name = ?", campaign, name)
    statement = f"DELETE FROM vicidial_xfer_presets WHERE campaign_id='{campaign}' and preset_name='{name}'"
    log_admin_event(call, SECTION, "DELETE", campaign, "ADMIN API DELETE PRESET", [statement], notes(campaign, name))
    return f"SUCCESS: {FUNCTION} PRESET HAS BEEN DELETED - {call.p['user']}|{name}|{campaign}\n"


def add_preset(call: NonAgentCall, campaign: str, name: str, changes: list[tuple[str, str]]) -> str:
    values = {"campaign_id": campaign, "preset_name": name, "preset_number": "", **dict(changes)}
    columns = list(values)
    call.db.write(f"INSERT INTO vicidial_xfer_presets ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                  *(stored("vicidial_xfer_presets", column, value) for column, value in values.items()))
    statement = f"INSERT INTO vicidial_xfer_presets SET campaign_id='{campaign}',preset_name='{name}', {assigned(changes)}"
    log_admin_event(call, SECTION, "ADD", campaign, "ADMIN API UPDATE PRESET", [statement], notes(campaign, name))
    return f"SUCCESS: {FUNCTION} PRESET HAS BEEN ADDED - {call.p['user']}|NEW PRESET: {name}|{campaign}\n"


def change_preset(call: NonAgentCall, campaign: str, name: str, changes: list[tuple[str, str]]) -> str:
    call.db.write(f"UPDATE vicidial_xfer_presets SET {', '.join(f'{column} = ?' for column, _ in changes)} "
                  "WHERE campaign_id = ? AND preset_name = ?",
                  *(stored("vicidial_xfer_presets", column, value) for column, value in changes), campaign, name)
    statement = f"UPDATE vicidial_xfer_presets SET {assigned(changes)} WHERE campaign_id='{campaign}' and preset_name='{name}'"
    log_admin_event(call, SECTION, "MODIFY", campaign, "ADMIN API UPDATE PRESET", [statement], notes(campaign, name))
    return f"SUCCESS: {FUNCTION} PRESET HAS BEEN UPDATED - {call.p['user']}|{name}|{campaign}\n"


def assigned(changes: list[tuple[str, str]]) -> str:
    return " ,".join(f"{column}='{value}'" for column, value in changes)


def notes(campaign: str, name: str) -> str:
    return f"campaign: {campaign}|preset_name: {name}"
