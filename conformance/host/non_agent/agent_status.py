"""``agent_status``: one logged-in agent's real-time state, as one export line.

Upstream (non_agent_api.php, agent_status block): agent_user of 1 to 99 characters is the
search; the agent must be a user the API user's group may view (AGENT NOT FOUND) and logged in
(AGENT NOT LOGGED IN). The line: the live row's status, callerid, lead_id, campaign and calls
today, the user's name, group and level, the pause code (its open agent-log row's sub_status),
the real-time sub-status (``realtime.screen_status``), the phone number (the live call's when it
has more than 3 characters, else the lead's), the lead's vendor_lead_code, the session and, with
include_ip=YES, the IP of the last LOGIN older than two days (only when over 3 characters).
"""

from __future__ import annotations

import datetime as _dt

from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..realtime import GroupScope, LiveAgent, marks, number, screen_status
from ..registry import host_function

HEADER = ("status", "callerid", "lead_id", "campaign_id", "calls_today", "full_name", "user_group", "user_level",
          "pause_code", "real_time_sub_status", "phone_number", "vendor_lead_code", "session_id")
PARAMS = {"agent_user": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z", "include_ip": "0-9a-zA-Z"}


@host_function("non_agent_api", "agent_status", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET AGENT INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def agent_status(call: NonAgentCall) -> str:
    p, db = call.p, call.db
    user, agent_user = p["user"], p["agent_user"]
    if not 0 < len(agent_user) < 100:
        return f"ERROR: agent_status INVALID SEARCH PARAMETERS: {user}|{agent_user}\n"
    scope = GroupScope.of(db, call.user_group)
    where, args = "user=?", [agent_user]
    if scope.viewable_groups is not None:
        where += f" AND user_group IN ({marks(scope.viewable_groups)})"
        args += scope.viewable_groups
    person = db.one(f"SELECT full_name, user_group, user_level FROM vicidial_users WHERE {where}", *args)
    if person is None:
        return f"ERROR: agent_status AGENT NOT FOUND: {user}|{agent_user}\n"
    live = db.one(f"SELECT {LiveAgent.COLUMNS} FROM vicidial_live_agents WHERE user=?", agent_user)
    if live is None:
        return f"ERROR: agent_status AGENT NOT LOGGED IN: {user}|{agent_user}\n"
    agent = LiveAgent.from_row(live)
    agent.user = agent_user   # upstream looks the agent log up by the user as asked
    pause_code, sub_status, lead_id = screen_status(db, agent, agent_user)
    vendor_lead_code = phone_number = ""
    if number(lead_id) > 0:
        lead = db.one("SELECT vendor_lead_code, phone_number FROM vicidial_list WHERE lead_id=?", lead_id)
        if lead is not None:
            vendor_lead_code, phone_number = (_text(value) for value in lead)
    if agent.callerid:
        call_phone = db.one("SELECT phone_number FROM vicidial_auto_calls WHERE callerid=?", agent.callerid)
        if call_phone is not None and len(_text(call_phone[0])) > 3:
            phone_number = _text(call_phone[0])
    separator = delimiter(p["stage"])
    fields = (agent.status, agent.callerid, lead_id, agent.campaign_id, agent.calls_today, *(_text(v) for v in person),
              pause_code, sub_status, phone_number, vendor_lead_code, agent.conf_exten)
    line = separator.join(fields)
    if p["include_ip"] == "YES":
        line += _computer_ip(call, agent_user, separator)
    head = separator.join(HEADER) + (separator + "computer_ip" if p["include_ip"] == "YES" else "") + "\n"
    return (head if p["header"] == "YES" else "") + line + "\n"


def _computer_ip(call: NonAgentCall, agent_user: str, separator: str) -> str:
    """The IP of the agent's last LOGIN older than two days, with its delimiter; empty unless over 3 characters."""
    moment = _dt.datetime.fromtimestamp(call.epoch)
    two_days_ago = (moment - _dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    row = call.db.one("SELECT computer_ip FROM vicidial_user_log WHERE user=? AND event='LOGIN' AND event_date < ? "
                      "ORDER BY event_date DESC LIMIT 1", agent_user, two_days_ago)
    ip = _text(row[0]) if row else ""
    return separator + ip if len(ip) > 3 else ""


def _text(value) -> str:
    return "" if value is None else str(value)
