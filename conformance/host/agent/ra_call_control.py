"""``ra_call_control``: end a remote agent's call (hang it up, or send it to a number or an in-group),
close its call log with a status, and free the agent; what Asterisk must do is queued as a
vicidial_manager action (Hangup or Redirect) for the manager daemon to send.

The call is the vicidial_auto_calls row whose caller id is the value; the agent freed is the one
whose live row names that caller id, not necessarily agent_user. QueueMetrics logging (four queue_log
rows in the QueueMetrics server's own database, over a second connection, and its socket URL) is not
emulated: the host's system settings have it off (the spec's summary says what upstream does with it on).
"""

from __future__ import annotations

import random

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, INGROUP_FILTER, AgentCall, ingroup_choices
from ..registry import host_function

# ingroup_choices: filtered as every function that reads it (agent_api.INGROUP_FILTER, ingroup_choices).
PARAMS = {"value": AGENT_FILTERS["value"], "agent_user": AGENT_FILTERS["agent_user"],
          "phone_number": "*#0-9a-zA-Z", "status": "-_0-9a-zA-Z", "ingroup_choices": INGROUP_FILTER}
STAGES = ("HANGUP", "EXTENSIONTRANSFER", "INGROUPTRANSFER")


def _valid(call: AgentCall) -> bool:
    value, agent_user = call.p["value"], call.p["agent_user"]
    if len(value) >= 1 and len(agent_user) >= 1 and len(call.stage) >= 1:
        return True
    call.say(f"ERROR: ra_call_control not valid - {value}|{agent_user}|{call.stage}\n")
    return False


def _text(value) -> str:
    return "" if value is None else str(value)


@host_function("agent_api", "ra_call_control", params=PARAMS, steps=("permission", "logged_in"), check=_valid)
def ra_call_control(call: AgentCall) -> None:
    value = call.p["value"]
    call.trace(f"select count(*) from vicidial_auto_calls where callerid='{value}';")
    if call.db.value("SELECT count(*) FROM vicidial_auto_calls WHERE callerid=?", value) == 0:
        call.say(f"ERROR: no active call found - {value}\n")
        return
    call.trace("select channel,server_ip,call_type,campaign_id,lead_id,phone_number,uniqueid,stage,queue_position "
               f"from vicidial_auto_calls where callerid='{value}';")
    channel, server_ip, call_type, campaign_id, lead_id, phone, uniqueid = (_text(field) for field in call.db.one(
        "SELECT channel, server_ip, call_type, campaign_id, lead_id, phone_number, uniqueid FROM vicidial_auto_calls "
        "WHERE callerid=? ORDER BY auto_call_id", value))
    call.trace(f"select server_ip,user,extension from vicidial_live_agents where callerid='{value}';")
    agent = call.db.one("SELECT server_ip, user FROM vicidial_live_agents WHERE callerid=? ORDER BY live_agent_id",
                        value)
    ra_server_ip, ra_user = (_text(field) for field in (agent or (None, None)))

    action = _action(call, server_ip, channel, call_type, campaign_id, lead_id, phone)
    if action is None:
        return
    _close_call(call, call_type, uniqueid, lead_id, campaign_id)
    call.comment(action[0])
    call.db.write("INSERT INTO vicidial_manager (uniqueid, entry_date, status, response, server_ip, channel, action, "
                  "callerid, cmd_line_b, cmd_line_c, cmd_line_d, cmd_line_e, cmd_line_f) "
                  "VALUES ('', ?, 'NEW', 'N', ?, '', ?, ?, ?, ?, ?, ?, ?)",
                  call.now, *(fit("vicidial_manager", column, text) for column, text in zip(
                      ("server_ip", "action", "callerid", "cmd_line_b", "cmd_line_c", "cmd_line_d", "cmd_line_e",
                       "cmd_line_f"), (server_ip, *action[1:]))))
    _free_agent(call, ra_user, ra_server_ip)


def _action(call: AgentCall, server_ip: str, channel: str, call_type: str, campaign_id: str, lead_id: str,
            phone: str) -> tuple[str, ...] | None:
    """The answer, and the action to queue (its statement, then action, callerid and command lines b to f);
    None where the request is refused."""
    value, agent_user, stage = call.p["value"], call.p["agent_user"], call.stage
    if stage == "HANGUP":
        caller_id = "HAPI" + value[4:]
        call.say(f"SUCCESS: ra_call_control hungup - {agent_user}|{value}|HANGUP\n")
        return (f"INSERT INTO vicidial_manager values('','','{call.now}','NEW','N','{server_ip}','','Hangup',"
                f"'{caller_id}','Channel: {channel}','','','','','','','','','');",
                "Hangup", caller_id, f"Channel: {channel}", "", "", "", "")
    if stage == "EXTENSIONTRANSFER":
        number = call.p["phone_number"]
        if len(number) < 2:
            call.say(f"ERROR: phone_number is not valid - {number}\n")
            return None
        return _redirect(call, server_ip, channel, number)
    if stage == "INGROUPTRANSFER":
        ingroup = ingroup_choices(call)
        if len(ingroup) < 2:
            call.say(f"ERROR: ingroup is not valid - {ingroup}\n")
            return None
        if "DEFAULTINGROUP" in ingroup:
            table, key = ("vicidial_inbound_groups", "group_id") if call_type == "IN" else \
                ("vicidial_campaigns", "campaign_id")
            call.trace(f"select default_xfer_group from {table} where {key}='{campaign_id}';")
            ingroup = _text(call.db.value(f"SELECT default_xfer_group FROM {table} WHERE {key}=?", campaign_id))
        call.trace(f"select count(*) from vicidial_inbound_groups where group_id='{ingroup}' and active='Y';")
        if call.db.value("SELECT count(*) FROM vicidial_inbound_groups WHERE group_id=? AND active='Y'", ingroup) < 1:
            call.say(f"ERROR: ingroup is not valid - {ingroup}\n")
            return None
        return _redirect(call, server_ip, channel, f"90009*{ingroup}**{lead_id}**{phone}**{agent_user}**")
    call.say(f"ERROR: stage is not valid - {stage}\n")
    return None


def _redirect(call: AgentCall, server_ip: str, channel: str, exten: str) -> tuple[str, ...]:
    """A Redirect of the call to ``exten`` in the call's server's dialing context."""
    call.trace(f"select ext_context from servers where server_ip='{server_ip}';")
    context = _text(call.db.value("SELECT ext_context FROM servers WHERE server_ip=?", server_ip))
    caller_id = "XAPI" + call.p["value"][4:]
    call.say(f"SUCCESS: ra_call_control transfer - {call.p['agent_user']}|{call.p['value']}|{call.p['phone_number']}\n")
    lines = (f"Channel: {channel}", f"Context: {context}", f"Exten: {exten}", "Priority: 1", f"CallerID: {caller_id}")
    return (f"INSERT INTO vicidial_manager values('','','{call.now}','NEW','N','{server_ip}','','Redirect',"
            f"'{caller_id}','{lines[0]}','{lines[1]}','{lines[2]}','{lines[3]}','{lines[4]}','','','','','');",
            "Redirect", caller_id, *lines)


def _close_call(call: AgentCall, call_type: str, uniqueid: str, lead_id: str, campaign_id: str) -> None:
    """The call's log row (the newest) and its lead take the status (RAXFER unless one is given)."""
    status, agent_user = call.p["status"] or "RAXFER", call.p["agent_user"]
    if call_type == "IN":
        call.comment(f"UPDATE vicidial_closer_log SET status='{status}',length_in_sec=(UNIX_TIMESTAMP(NOW()) - "
                     f"start_epoch),end_epoch=UNIX_TIMESTAMP(NOW()) where uniqueid='{uniqueid}' and "
                     f"lead_id='{lead_id}' and campaign_id='{campaign_id}' order by closecallid desc limit 1;")
        call.db.write("UPDATE vicidial_closer_log SET status=?, length_in_sec=?-start_epoch, end_epoch=? "
                      "WHERE closecallid=(SELECT closecallid FROM vicidial_closer_log WHERE uniqueid=? AND lead_id=? "
                      "AND campaign_id=? ORDER BY closecallid DESC LIMIT 1)",
                      fit("vicidial_closer_log", "status", status), call.epoch, call.epoch, uniqueid, lead_id,
                      campaign_id)
    else:
        call.comment(f"UPDATE vicidial_log SET status='{status}',user='{agent_user}',length_in_sec=(UNIX_TIMESTAMP("
                     f"NOW()) - start_epoch),end_epoch=UNIX_TIMESTAMP(NOW()) where uniqueid='{uniqueid}' and "
                     f"lead_id='{lead_id}' order by call_date desc limit 1;")
        call.db.write("UPDATE vicidial_log SET status=?, user=?, length_in_sec=?-start_epoch, end_epoch=? "
                      "WHERE uniqueid=? AND lead_id=?", fit("vicidial_log", "status", status),
                      fit("vicidial_log", "user", agent_user), call.epoch, call.epoch, uniqueid, lead_id)
    call.comment(f"UPDATE vicidial_list SET status='{status}' where lead_id='{lead_id}' limit 1;")
    call.db.write("UPDATE vicidial_list SET status=? WHERE lead_id=?", fit("vicidial_list", "status", status), lead_id)
    call.trace("SELECT enable_queuemetrics_logging,queuemetrics_server_ip,queuemetrics_dbname,queuemetrics_login,"
               "queuemetrics_pass,queuemetrics_log_id,queuemetrics_pe_phone_append,queuemetrics_socket,"
               "queuemetrics_socket_url,queuemetrics_pause_type FROM system_settings;")


def _free_agent(call: AgentCall, ra_user: str, ra_server_ip: str) -> None:
    """The agent on the call is READY for the next one; the call is gone, and no phone rings with it."""
    value = call.p["value"]
    random_id = random.randint(1000000, 9999999) + 10000000
    call.comment(f"UPDATE vicidial_live_agents set random_id='{random_id}',last_call_finish='{call.now}',lead_id='',"
                 f"uniqueid='',callerid='',channel='',last_state_change='{call.now}' where user='{ra_user}' and "
                 f"server_ip='{ra_server_ip}';")
    call.db.write("UPDATE vicidial_live_agents SET random_id=?, last_call_finish=?, lead_id=0, uniqueid='', "
                  "callerid='', channel='', last_state_change=? WHERE user=? AND server_ip=?",
                  random_id, call.now, call.now, ra_user, ra_server_ip)
    call.comment(f"UPDATE vicidial_live_agents set status='READY' where user='{ra_user}' and "
                 f"server_ip='{ra_server_ip}';")
    call.db.write("UPDATE vicidial_live_agents SET status='READY' WHERE user=? AND server_ip=?", ra_user, ra_server_ip)
    call.comment(f"DELETE from vicidial_auto_calls where callerid='{value}';")
    call.db.write("DELETE FROM vicidial_auto_calls WHERE callerid=?", value)
    call.comment(f"UPDATE vicidial_live_agents set ring_callerid='' where ring_callerid='{value}';")
    call.db.write("UPDATE vicidial_live_agents SET ring_callerid='' WHERE ring_callerid=?", value)
