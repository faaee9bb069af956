"""``send_notification``: queue a text alert and/or a confetti effect for the agent screens of a
user, a user group or a campaign (a row of vicidial_agent_notifications)."""

from __future__ import annotations

import re

from ..agent_api import AgentCall, SqlError
from ..mysql_text import datetime_text, integer, single_literal
from ..php import remove
from ..registry import host_function
from ...tables.schema import fit

# Filters that are character classes (latin mode; letters of any script stay in non-latin mode).
# notification_date, notification_text, notification_retry and show_confetti are filtered in the
# same way in both modes, below.
PARAMS = {
    "value": r"-|_0-9a-zA-Z", "recipient": "-_0-9a-zA-Z", "recipient_type": "_a-zA-Z",
    "text_size": "0-9", "text_font": r",\- a-zA-Z", "text_weight": ",a-zA-Z", "text_color": "0-9a-zA-Z",
    "duration": "0-9", "maxParticleCount": "0-9", "particleSpeed": "0-9",
    "notification_date": None, "notification_text": None, "notification_retry": None, "show_confetti": None,
}
RECIPIENT_TABLES = {"USER": ("vicidial_users", "user"), "USER_GROUP": ("vicidial_user_groups", "user_group"),
                    "CAMPAIGN": ("vicidial_campaigns", "campaign_id")}
# The date upstream takes for one (not anchored: the text only has to hold such a date).
_DATE = re.compile(r"[0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2}\s?[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?")
CONFETTI = ("duration", "maxParticleCount", "particleSpeed")
CONFETTI_DEFAULTS = {"duration": "2", "maxParticleCount": "2350", "particleSpeed": "2"}


def truthy(text: str) -> bool:
    """PHP's truth of a string: all but '' and '0'."""
    return text not in ("", "0")


def _enabled(call: AgentCall) -> bool:
    setting = call.db.value("SELECT agent_notifications FROM system_settings")
    if int(setting or 0) < 1:
        call.say(f"ERROR: Agent API Notifications are disabled on this system - {setting or ''}\n")
        return False
    return True


@host_function("agent_api", "send_notification", params=PARAMS, steps=("permission",), check=_enabled)
def send_notification(call: AgentCall) -> None:
    p = call.p
    recipient, recipient_type, value = p["recipient"], p["recipient_type"], p["value"]
    if truthy(recipient) and recipient_type not in RECIPIENT_TABLES:
        call.say(f"Invalid recipient_type ({recipient_type}), ")
        recipient_type = _recipient_type(call, recipient)
        if recipient_type is None:
            call.say(f"ERROR: no matching recipient found in users, user_groups, or campaigns - {recipient}\n")
            return call.exit()
        call.say(f"NOTICE: found {recipient} as {recipient_type}<BR>\n")
    if not (truthy(recipient) and recipient_type):
        call.say(f"ERROR: Missing recipient or recipient_type - {recipient}|{recipient_type}\n")
        return
    table, column = RECIPIENT_TABLES[recipient_type]
    call.trace(f"select {column} from {table} where {column}='{recipient}'<BR>")
    if call.db.one(f"SELECT {column} FROM {table} WHERE {column}=?", recipient) is None:
        call.say(f"ERROR: {recipient} DOES NOT EXIST in {table} - {value}|{recipient}\n")
        return call.exit()
    if recipient_type != "USER" and not _group_may_reach(call, recipient, recipient_type):
        return call.exit()
    _queue(call, recipient, recipient_type)


def _recipient_type(call: AgentCall, recipient: str) -> str | None:
    """What the recipient names: a user first, then a user group, then a campaign."""
    for kind, (table, column) in RECIPIENT_TABLES.items():
        if call.db.one(f"SELECT 1 FROM {table} WHERE {column}=?", recipient) is not None:
            return kind
    return None


def _group_may_reach(call: AgentCall, recipient: str, recipient_type: str) -> bool:
    """The API user's group sees the campaign (-ALL or the campaign in allowed_campaigns) or the
    user group (---ALL or the group in admin_viewable_groups), letter case aside."""
    p = call.p
    call.trace(f"|SELECT allowed_campaigns, admin_viewable_groups from vicidial_user_groups "
               f"where user_group='{call.user_group}';|")
    group = call.db.one("SELECT allowed_campaigns, admin_viewable_groups FROM vicidial_user_groups WHERE user_group=?",
                        call.user_group)
    if group is None:
        call.say(f"ERROR: user_group DOES NOT EXIST - {p['value']}|{call.user_group}\n")
        return False
    campaigns, groups = (text or "" for text in group)
    named = f" {recipient} ".lower()
    if recipient_type == "CAMPAIGN" and "-all" not in campaigns.lower() and named not in campaigns.lower():
        call.say(f"ERROR: ACCESS TO CAMPAIGN {recipient} NOT ALLOWED FOR USER {p['user']} ({campaigns}) - "
                 f"{p['value']}|{recipient}\n")
        return False
    if recipient_type == "USER_GROUP" and "---all" not in groups.lower() and named not in groups.lower():
        call.say(f"ERROR: ACCESS TO USER GROUP {recipient} NOT ALLOWED FOR USER {p['user']} - "
                 f"{p['value']}|{recipient}\n")
        return False
    return True


def _queue(call: AgentCall, recipient: str, recipient_type: str) -> None:
    p = call.p
    date = remove_except(p["notification_date"], "- :0123456789")
    date = date if truthy(date) else call.now
    retry = "Y" if "y" in keep_yn(p["notification_retry"]).lower() else "N"
    text_size = p["text_size"] if truthy(p["text_size"]) else "12"
    text_font = p["text_font"] if truthy(p["text_font"]) else "Arial"
    text_weight = p["text_weight"] if truthy(p["text_weight"]) else "bold"
    text_color = p["text_color"] if truthy(p["text_color"]) else "black"
    if re.fullmatch(r"[0-9A-F]{3,6}", text_color):
        text_color = "#" + text_color
    if not _DATE.search(date):
        call.say(f"NOTICE: Invalid notification date {date}, changing to now")
        date = call.now
    row = {"recipient": recipient, "recipient_type": recipient_type, "notification_date": date,
           "notification_retry": retry, "notification_status": "QUEUED"}
    text = remove(p["notification_text"], ";#").replace("+", " ")
    if text:
        row.update(notification_text=text, text_size=text_size, text_font=text_font,
                   text_weight=text_weight, text_color=text_color)
    if keep_yn(p["show_confetti"]) == "Y":
        row.update(show_confetti="Y", confetti_options=",".join(_confetti(call)))
    if len(row) == 5:
        call.say(f"ERROR: invalid request - {recipient}|{recipient_type}\n")
        return
    values = ", ".join(f"'{value}'" for value in row.values())
    call.trace(f"INSERT INTO vicidial_agent_notifications({', '.join(row)}) VALUES({values})<BR>")
    if text and single_literal(f"'{text}'") is None:   # pasted between quotes unescaped: a quote breaks it
        raise SqlError(text)
    row = {column: stored(column, value) for column, value in row.items()}
    row["entry_date"] = call.now   # the column's default, the moment of the insert
    columns = ", ".join(row)
    with call.db.write_lock:
        cursor = call.db.execute(f"INSERT INTO vicidial_agent_notifications ({columns}) "
                                 f"VALUES ({', '.join('?' for _ in row)})", *row.values())
        notification_id = cursor.lastrowid
    call.say(f"SUCCESS: notification queued - {recipient}|{recipient_type}|{notification_id}\n")


def stored(column: str, value: str) -> str | int:
    """What MySQL keeps of a text in the column (non-strict mode)."""
    if column == "notification_date":
        return datetime_text(value)
    if column == "notification_text":
        return single_literal(f"'{value}'")
    if column == "text_size":
        return integer(value, 0, 255)
    return fit("vicidial_agent_notifications", column, value)


def _confetti(call: AgentCall) -> list[str]:
    """duration, maxParticleCount and particleSpeed: as sent, else the CONFETTI_SETTINGS
    container's lines ``name => value`` (lines starting with ; are comments), else the defaults."""
    settings = {name: call.p[name] for name in CONFETTI}
    if not all(truthy(settings[name]) for name in CONFETTI):
        entry = call.db.value("SELECT container_entry FROM vicidial_settings_containers "
                              "WHERE container_id='CONFETTI_SETTINGS'")
        for line in (entry or "").split("\n"):
            if line.startswith(";") or not re.search(r"\s=>\s", line):
                continue
            parts = line.strip(" \t\n\r\0\x0b").split(" => ")
            name, setting = parts[0], parts[1] if len(parts) > 1 else ""
            if name in settings and not truthy(settings[name]):
                settings[name] = setting
    return [settings[name] if truthy(settings[name]) else CONFETTI_DEFAULTS[name] for name in CONFETTI]


def keep_yn(text: str) -> str:
    """notification_retry's and show_confetti's filter: Y and N of either case, in both modes."""
    return re.sub(r"[^YNyn]", "", text)


def remove_except(text: str, allowed: str) -> str:
    """notification_date's filter, the same in both modes."""
    return "".join(char for char in text if char in allowed)

