"""``force_fronter_audio_stop``: stop the soundboard audio playing in the fronter's conference, by
queueing a Hangup of its IAX2/ASTplay channel for Asterisk (a vicidial_manager row).

Follows upstream www/agc/api.php (2.14-82), force_fronter_audio_stop block. The fronter is another
logged-in agent on the call's lead or, once it left the call, the newest session on that lead in
the last five minutes (vicidial_sessions_recent); its conference and server come from that session
or its live row. What it shares with force_fronter_leave_3way is ``host/fronter_call.py``.
"""

from __future__ import annotations

import datetime as _dt

from ...phpmath import php_str
from ...tables.schema import fit
from ..agent_api import AgentCall
from ..fronter_call import PARAMS, call_lead, fronter_check, live_fronter, over_ccc
from ..registry import host_function

FUNCTION = "force_fronter_audio_stop"
_RECENT = _dt.timedelta(minutes=5)
_SESSION_MIN = 5   # a conference and a server this long or shorter are no session


@host_function("agent_api", FUNCTION, params=PARAMS, steps=("permission", "alt_user"), check=fronter_check(FUNCTION))
def force_fronter_audio_stop(call: AgentCall) -> None:
    lead_id = call_lead(call)
    if lead_id is None:
        return
    agent_user = call.p["agent_user"]
    conf_exten = server_ip = ""
    fronter = live_fronter(call, lead_id)
    if fronter is None:
        fronter, conf_exten, server_ip = _recent_session(call, lead_id)
    if fronter is None:
        if call.p["value"] == "LOCAL_AND_CCC" and over_ccc(call, FUNCTION, lead_id):
            return
        call.say(f"ERROR: no fronter found - {agent_user}\n")
        return
    if len(server_ip) < 5 and len(conf_exten) < 1:
        call.trace(f"select conf_exten,server_ip from vicidial_live_agents where user='{fronter}';")
        row = call.db.one("SELECT conf_exten, server_ip FROM vicidial_live_agents WHERE user=? ORDER BY live_agent_id",
                          fronter)
        if row:
            conf_exten, server_ip = php_str(row[0]), php_str(row[1])
    if len(conf_exten) <= _SESSION_MIN or len(server_ip) <= _SESSION_MIN:
        call.say(f"ERROR: {FUNCTION} error - no fronter session found - {call.stage}|{agent_user}|{fronter}\n")
        return
    channel = _audio_channel(call, conf_exten, server_ip)
    if channel is None:
        call.say(f"ERROR: {FUNCTION} error - no audio playing in other agent session - "
                 f"{conf_exten}|{server_ip}|{call.stage}|{agent_user}|{fronter}\n")
        call.exit()
        return
    _queue_hangup(call, server_ip, channel)
    call.say(f"SUCCESS: {FUNCTION} function sent - {call.p['value']}|{call.stage}|{agent_user}|{fronter}\n")


def _recent_session(call: AgentCall, lead_id: int) -> tuple[str | None, str, str]:
    """The newest session of another agent on the lead in the last five minutes: user, conference, server."""
    agent_user = call.p["agent_user"]
    call.trace(f"|SELECT user,conf_exten,server_ip from vicidial_sessions_recent where user!='{agent_user}' and "
               f"lead_id='{lead_id}' and call_date > DATE_SUB(NOW(), INTERVAL 5 MINUTE) order by call_date desc "
               "limit 1;|")
    since = (_dt.datetime.fromtimestamp(call.epoch) - _RECENT).strftime("%Y-%m-%d %H:%M:%S")
    row = call.db.one("SELECT user, conf_exten, server_ip FROM vicidial_sessions_recent WHERE user<>? AND lead_id=? "
                      "AND call_date > ? ORDER BY call_date DESC LIMIT 1", agent_user, lead_id, since)
    if row is None:
        return None, "", ""
    return php_str(row[0]), php_str(row[1]), php_str(row[2])


def _audio_channel(call: AgentCall, conf_exten: str, server_ip: str) -> str | None:
    """The first soundboard channel (IAX2/ASTplay...) Asterisk reports in the conference on its server."""
    call.trace(f"SELECT channel from live_channels where extension='{conf_exten}' and server_ip='{server_ip}' "
               "and channel LIKE \"IAX2/ASTplay%\";")
    order = call.db.dialect.as_inserted   # MEMORY's order: as inserted
    row = call.db.one("SELECT channel FROM live_channels WHERE extension=? AND server_ip=? "
                      f"AND channel LIKE 'IAX2/ASTplay%'{order}", conf_exten, server_ip)
    return php_str(row[0]) if row else None


def _queue_hangup(call: AgentCall, server_ip: str, channel: str) -> None:
    """A Hangup of the channel for Asterisk, its caller id PLAYHU and the moment's digits."""
    caller_id = "PLAYHU" + _dt.datetime.fromtimestamp(call.epoch).strftime("%Y%m%d%H%M%S")
    call.comment(f"INSERT INTO vicidial_manager values('','','{call.now}','NEW','N','{server_ip}','','Hangup',"
                 f"'{caller_id}','Channel: {channel}','','','','','','','','','');")
    call.db.write("INSERT INTO vicidial_manager (uniqueid, entry_date, status, response, server_ip, channel, action, "
                  "callerid, cmd_line_b, cmd_line_c, cmd_line_d, cmd_line_e, cmd_line_f) "
                  "VALUES ('', ?, 'NEW', 'N', ?, '', 'Hangup', ?, ?, '', '', '', '')",
                  call.now, server_ip, caller_id, fit("vicidial_manager", "cmd_line_b", f"Channel: {channel}"))
