"""``add_user``: a new user in ``vicidial_users``.

Upstream (www/vicidial/non_agent_api.php, add_user) asks for Agent API access, ``modify_users``
and user level 8 or more. agent_user and agent_pass need 2 characters, the level, full name and
group 1. A level-8 API user adds levels below its own; a level-9 one any level, its own only with
``modify_same_user_level``. The group must exist among those the API user's group may view, and
the user must be new. Then the user is stored with its optional settings (empty ones take
upstream's defaults; MySQL's non-strict mode cuts texts, clamps numbers and stores '' for an ENUM
outside its members) and logged (section USERS, type ADD). An email's quote (the only one a filter
keeps) goes into the statement as it is: unless the quotes still make one literal the INSERT is an
SQL error, which PHP 8's mysqli throws (HTTP 500, nothing printed or logged); so is a user longer than
the column whose first 20 characters name a user already stored (a duplicate key). Refusals print ``: |user|...``, the success ``- user|...``.
Not modelled: an agent_user holding AUTOGENERA (upstream numbers the user from system_settings and
moves its counter on) and password hashing (upstream runs ../agc/bp.pl when pass_hash_enabled).
"""

from __future__ import annotations

from ..admin_log import log_admin_event
from ..mysql_text import single_literal, stored
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import PhpFatal
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups

TEXT = "- +.:/@_0-9a-zA-Z"   # full name and the custom fields
PARAMS = {"agent_user": "-_0-9a-zA-Z", "agent_pass": "-_0-9a-zA-Z", "agent_user_level": "0-9",
          "agent_full_name": TEXT, "agent_user_group": "-_0-9a-zA-Z", "phone_login": "-_0-9a-zA-Z",
          "phone_pass": "-_0-9a-zA-Z", "hotkeys_active": "0-9", "voicemail_id": "0-9a-zA-Z",
          "email": "- '+.:/@%_0-9a-zA-Z", "custom_one": TEXT, "custom_two": TEXT, "custom_three": TEXT,
          "custom_four": TEXT, "custom_five": TEXT, "wrapup_seconds_override": "-0-9",
          "agent_choose_ingroups": "0-9", "agent_choose_blended": "0-9", "closer_default_blended": "0-9",
          "in_groups": "-|,_0-9a-zA-Z"}
REQUIRED_MIN = {"agent_user": 2, "agent_pass": 2, "agent_user_level": 1, "agent_full_name": 1, "agent_user_group": 1}
DEFAULTS = {"hotkeys_active": "0", "wrapup_seconds_override": "-1", "agent_choose_ingroups": "1",
            "agent_choose_blended": "1", "closer_default_blended": "0"}
COLUMNS = ("user", "pass", "full_name", "user_level", "user_group", "phone_login", "phone_pass", "hotkeys_active",
           "voicemail_id", "email", "custom_one", "custom_two", "custom_three", "custom_four", "custom_five",
           "pass_hash", "wrapup_seconds_override", "agent_choose_ingroups", "agent_choose_blended",
           "closer_default_blended", "closer_campaigns")
FUNCTION = "add_user"


@host_function("non_agent_api", FUNCTION, params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO ADD USERS: |{user}|{count}\n",
                         level=(">=", 8), flags={"vdc_agent_api_access": ("1",), "modify_users": ("1",)}))
def add_user(call: NonAgentCall) -> str:
    p, user = call.p, call.p["user"]
    printed = "|".join(p[name] for name in REQUIRED_MIN)
    if any(len(p[name]) < least for name, least in REQUIRED_MIN.items()):
        return f"ERROR: {FUNCTION} YOU MUST USE ALL REQUIRED FIELDS: |{user}|{printed}\n"
    agent, level, group = p["agent_user"], p["agent_user_level"], p["agent_user_group"]
    api_level, same_level = api_user_levels(call)
    if not level_allowed(api_level, same_level, int(level)):
        return f"ERROR: {FUNCTION} USER DOES NOT HAVE PERMISSION TO ADD USERS IN THIS USER LEVEL: |{user}|{level}|{api_level}\n"
    if not group_visible(call, group):
        return f"ERROR: {FUNCTION} USER GROUP DOES NOT EXIST: |{user}|{group}\n"
    if user_exists(call, agent):
        return f"ERROR: {FUNCTION} USER ALREADY EXISTS: |{user}|{agent}\n"
    settings = {name: p[name] or DEFAULTS[name] for name in DEFAULTS}
    in_groups = p["in_groups"]
    closer_campaigns = f" {in_groups.replace('|', ' ')} -" if in_groups else ""
    email = spaced(p["email"])
    values = (agent, p["agent_pass"], p["agent_full_name"], level, group, p["phone_login"], p["phone_pass"],
              settings["hotkeys_active"], p["voicemail_id"], email, p["custom_one"], p["custom_two"],
              p["custom_three"], p["custom_four"], p["custom_five"], "", settings["wrapup_seconds_override"],
              settings["agent_choose_ingroups"], settings["agent_choose_blended"], settings["closer_default_blended"],
              closer_campaigns)
    read = single_literal(f"'{email}'")   # the email's quotes, read as the statement's SQL
    if read is None:
        raise PhpFatal("SQL syntax error in the user's INSERT")
    kept = [stored("vicidial_users", column, value) for column, value in zip(COLUMNS, values)]
    kept[COLUMNS.index("email")] = stored("vicidial_users", "email", read)
    if user_exists(call, kept[0]):   # a longer user cut to one stored: a duplicate key, which mysqli throws
        raise PhpFatal("duplicate entry in the user's INSERT")
    call.db.write(f"INSERT INTO vicidial_users ({', '.join(COLUMNS)}) "
                      f"VALUES ({', '.join('?' for _ in COLUMNS)})", *kept)
    quoted = ",".join(f"'{value}'" for value in values)
    statement = f"INSERT INTO vicidial_users ({','.join(COLUMNS)}) values({quoted})"
    log_admin_event(call, "USERS", "ADD", agent, "ADMIN API ADD USER", [statement], f"user: {agent}")
    return f"SUCCESS: {FUNCTION} USER HAS BEEN ADDED - {user}|{agent}|{p['agent_pass']}|{level}|{p['agent_full_name']}|{group}\n"


def spaced(email: str) -> str:
    """The email as upstream stores it: each + a space."""
    return email.replace("+", " ")


def api_user_levels(call: NonAgentCall) -> tuple[int, int]:
    """The API user's level and modify_same_user_level."""
    row = call.db.one("SELECT user_level, modify_same_user_level FROM vicidial_users WHERE user = ?", call.p["user"])
    return int(row[0] or 0), int(row[1] or 0)


def level_allowed(api_level: int, same_level: int, level: int) -> bool:
    """Below 9 the API user adds lower levels only; at 9 or more any level, its own only with modify_same_user_level."""
    if api_level < 9:
        return level < api_level
    return same_level >= 1 or level != api_level


def group_visible(call: NonAgentCall, group: str) -> bool:
    """Is the group a row of vicidial_user_groups that the API user's group may view?"""
    _, viewable_text = group_texts(call.db, call.user_group)
    clause, args = in_clause("user_group", viewable_groups(viewable_text))
    return int(call.db.value(f"SELECT count(*) FROM vicidial_user_groups WHERE user_group = ?{clause}",
                             group, *args) or 0) > 0


def user_exists(call: NonAgentCall, agent: str) -> bool:
    """Does vicidial_users hold the user (compared as the database does, without letter case)?"""
    return int(call.db.value("SELECT count(*) FROM vicidial_users WHERE user = ?", agent) or 0) > 0
