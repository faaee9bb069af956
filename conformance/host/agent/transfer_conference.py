"""``transfer_conference``: order the agent screen's transfer-conference frame to act on the agent's
live call (send it to an in-group, to a number or to voicemail, dial a third party with the
customer on the line or parked, hang up the third party or both, leave the 3-way call).

Follows upstream www/agc/api.php (2.14-82), transfer_conference block: the order goes into the
agent's vicidial_live_agents.external_transferconf as fields joined by "---", for the agent screen
to carry out; nothing is queued for Asterisk here. Before the order is stored, multi_dial_phones
(five characters or more) leaves the agent a press-1 multi-dial order in vicidial_3way_press_multi
(refused with md_check=YES while a 3-way call of the agent's from the last half hour is going on,
vicidial_3way_press_live), and tw_check=YES refuses an agent whose conference has a 3-way call's
channel live (live_sip_channels).
"""

from __future__ import annotations

import datetime as _dt
import re

from ...phpmath import php_str
from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AGENT_STEPS, INGROUP_FILTER, AgentCall, ingroup_choices
from ..php import compare, keep
from ..registry import host_function

PARAMS = {**AGENT_FILTERS, "ingroup_choices": INGROUP_FILTER, "phone_number": "*#0-9a-zA-Z",
          "consultative": "A-Z", "dial_override": "A-Z", "group_alias": "0-9a-zA-Z", "cid_choice": "-_0-9a-zA-Z",
          "multi_dial_phones": ",0-9", "md_check": "0-9a-zA-Z", "tw_check": "0-9a-zA-Z"}
# Filtered before upstream's non-latin branch: ASCII only in both modes.
LATIN_ONLY = {"consultative": "A-Z", "dial_override": "A-Z", "multi_dial_phones": ",0-9", "md_check": "0-9a-zA-Z",
              "tw_check": "0-9a-zA-Z"}
IN_GROUP_VALUES = ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL")   # to an in-group with consultative=YES
NUMBER_VALUES = ("BLIND_TRANSFER", "LEAVE_VM", "DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL")
HANGUP_VALUES = ("HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL")
CID_CHOICES = ("CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID")   # looked for anywhere in cid_choice


def _valid(call: AgentCall) -> bool:
    p = call.p
    for name, allowed in LATIN_ONLY.items():   # consultative: capitals only, in the non-latin mode too
        p[name] = keep(p[name], allowed)
    # upstream's global setting, for every function: anything but YES is NO
    p["consultative"] = "YES" if p["consultative"] == "YES" else "NO"
    value, agent_user = p["value"], p["agent_user"]
    if len(value) < 8 or (len(agent_user) < 1 and len(p["alt_user"]) < 2):
        call.say(f"ERROR: transfer_conference not valid - {value}|{agent_user}\n")
        return False
    return True


@host_function("agent_api", "transfer_conference", params=PARAMS, steps=AGENT_STEPS, check=_valid)
def transfer_conference(call: AgentCall) -> None:
    p = call.p
    value, agent_user = p["value"], p["agent_user"]
    call.trace(f"select lead_id,callerid,server_ip,conf_exten,status from vicidial_live_agents where user='{agent_user}';")
    lead_id, callerid = call.db.one("SELECT lead_id, callerid FROM vicidial_live_agents WHERE user=?", agent_user)
    callerid = php_str(callerid)
    if not (int(lead_id or 0) > 0 and len(callerid) > 15):
        call.say(f"ERROR: agent_user does not have a live call - {agent_user}\n")
        return
    groups, phone_number, consultative = ingroup_choices(call), p["phone_number"], p["consultative"]
    if value == "LOCAL_CLOSER" or (value in IN_GROUP_VALUES and consultative == "YES"):
        groups = _in_group(call, groups, callerid)
        caller_id = None if groups is None else _caller_id(call)
        if caller_id is None:
            return
        order = (f"{value}---{groups}---{phone_number}---{consultative}------{p['group_alias']}---{caller_id}---"
                 f"{call.epoch}---{p['cid_choice']}")
    elif value in NUMBER_VALUES:
        caller_id = _caller_id(call)
        if caller_id is None:
            return
        order = (f"{value}------{phone_number}---NO---{p['dial_override']}---{p['group_alias']}---{caller_id}---"
                 f"{call.epoch}---{p['cid_choice']}")
    elif value in HANGUP_VALUES:
        order = f"{value}---------NO------------{call.epoch}"
    else:
        call.say(f"ERROR: value is not valid - {value}|{p['user']}\n")
        return
    multi_phones = _multi_dial(call)
    if multi_phones is None or not _no_three_way_call(call):
        return
    statement = f"UPDATE vicidial_live_agents set external_transferconf='{order}' where user='{agent_user}';"
    call.comment(statement)
    call.trace(statement)
    call.db.write("UPDATE vicidial_live_agents SET external_transferconf=? WHERE user=?",
                  fit("vicidial_live_agents", "external_transferconf", order), agent_user)
    call.say(f"SUCCESS: transfer_conference function set - {value}|{groups}|{phone_number}|{consultative}|"
             f"{agent_user}|{callerid}{multi_phones}|\n")


def _in_group(call: AgentCall, groups: str, callerid: str) -> str | None:
    """The in-group to send the call to (DEFAULTINGROUP: the call's campaign's or in-group's default);
    None, with the refusal said, when it is too short or not an active in-group."""
    if len(groups) < 2:
        call.say(f"ERROR: ingroup is not valid - {groups}\n")
        return None
    if "DEFAULTINGROUP" in groups:
        call.trace(f"select campaign_id,call_type from vicidial_auto_calls where callerid='{callerid}';")
        found = call.db.one("SELECT campaign_id, call_type FROM vicidial_auto_calls WHERE callerid=? "
                            "ORDER BY auto_call_id", callerid)
        campaign_id, call_type = (php_str(field) for field in (found or (None, None)))
        if call_type == "IN":
            call.trace(f"select default_xfer_group from vicidial_inbound_groups where group_id='{campaign_id}';")
            default = call.db.value("SELECT default_xfer_group FROM vicidial_inbound_groups WHERE group_id=?",
                                    campaign_id)
        else:
            call.trace(f"select default_xfer_group from vicidial_campaigns where campaign_id='{campaign_id}';")
            default = call.db.value("SELECT default_xfer_group FROM vicidial_campaigns WHERE campaign_id=?",
                                    campaign_id)
        groups = php_str(default)
    call.trace(f"select count(*) from vicidial_inbound_groups where group_id='{groups}' and active='Y';")
    # the column's collation compares as MySQL's: without regard to case, trailing spaces ignored
    if call.db.value("SELECT count(*) FROM vicidial_inbound_groups WHERE group_id=? AND active='Y'",
                     groups) < 1:
        call.say(f"ERROR: ingroup is not valid - {groups}\n")
        return None
    return groups


def _caller_id(call: AgentCall) -> str | None:
    """The group alias's caller id ('' without an alias); None, with the refusal said and the
    script ended, for an unknown alias, one whose number is below 4, or an unknown cid_choice."""
    agent_user, group_alias, cid_choice = call.p["agent_user"], call.p["group_alias"], call.p["cid_choice"]
    caller_id = ""
    if len(group_alias) > 1:
        call.trace(f"select caller_id_number from groups_alias where group_alias_id='{group_alias}';")
        found = call.db.one("SELECT caller_id_number FROM groups_alias WHERE group_alias_id=?", group_alias)
        if found is None:
            call.say(f"ERROR: group_alias is not valid - {agent_user}|{group_alias}\n")
            call.exit()
            return None
        caller_id = php_str(found[0])
        # PHP 8 compares the number with 4 as a number when it is numeric: "3" and NULL fail, "123" passes.
        if found[0] is None or compare(caller_id, 4) < 0:
            call.say(f"ERROR: caller_id_number from group_alias is not valid - {agent_user}|{group_alias}|{caller_id}\n")
            call.exit()
            return None
    if len(cid_choice) > 1 and not any(choice in cid_choice for choice in CID_CHOICES):
        call.say(f"ERROR: cid_choice is not valid - {agent_user}|{cid_choice}\n")
        call.exit()
        return None
    return caller_id


# md_check: a 3-way call in one of these states has ended
ENDED_3WAY = ("HUNGUP", "DEFEATED", "TRANSFER", "TOOSLOW", "DECLINED")


def _multi_dial(call: AgentCall) -> str | None:
    """The answer's multi-dial note ('' without multi_dial_phones of five characters or more), after
    storing the agent's press-1 multi-dial order; None, with the refusal said and the script ended,
    when md_check asks for it and a 3-way call of the agent's from the last half hour is going on."""
    sent, agent_user = call.p["multi_dial_phones"], call.p["agent_user"]
    if len(sent) <= 4:
        return ""
    entries = sent.split(",")
    kept = ""
    accepted = 0
    for phone in entries:
        # upstream looks each number up in those kept so far as a pattern: any text it is part of counts
        if 4 < len(phone) < 19 and phone not in kept:
            kept += ("," if accepted else "") + phone
            accepted += 1
    affected = 0
    if accepted:
        md_check = call.p["md_check"]
        if re.search("YES", md_check, re.IGNORECASE):
            since = _dt.datetime.fromtimestamp(call.epoch - 1800).strftime("%Y-%m-%d %H:%M:%S")
            ended = ",".join(f"'{status}'" for status in ENDED_3WAY)
            call.trace(f"select count(*) from vicidial_3way_press_live where user='{agent_user}' and status NOT "
                       f"IN({ended}) and call_date > \"{since}\";")
            live = call.db.value(f"SELECT count(*) FROM vicidial_3way_press_live WHERE user=? AND status NOT IN "
                                 f"({','.join('?' * len(ENDED_3WAY))}) AND call_date > ?", agent_user, *ENDED_3WAY,
                                 since)
            if live > 0:
                call.say(f"ERROR: agent_user has previous active 3-way calls - {agent_user}|{live}|0|{md_check}\n")
                call.exit()
                return None
        affected = _store_multi_dial(call, fit("vicidial_3way_press_multi", "phone_numbers", kept), min(accepted, 127))
    return f"|Multi-phones: {accepted} {len(entries)} {affected}"


def _store_multi_dial(call: AgentCall, phones: str, count: int) -> int:
    """INSERT IGNORE ... ON DUPLICATE KEY UPDATE of the agent's order, and MySQL's affected rows:
    1 for a new row, 2 for a changed one, 0 for one that already held the same."""
    agent_user = call.p["agent_user"]
    found = call.db.one("SELECT call_date, phone_numbers, phone_numbers_ct, status FROM vicidial_3way_press_multi "
                        "WHERE user=?", agent_user)
    if found is None:
        call.db.write("INSERT INTO vicidial_3way_press_multi (user, call_date, phone_numbers, phone_numbers_ct, "
                      "status) VALUES (?, ?, ?, ?, 'NEW')", agent_user, call.now, phones, count)
        return 1
    stored = tuple(str(field) if isinstance(field, _dt.datetime) else php_str(field) for field in found)  # MySQL: a datetime
    if stored == (call.now, phones, str(count), "NEW"):
        return 0
    call.db.write("UPDATE vicidial_3way_press_multi SET call_date=?, phone_numbers=?, phone_numbers_ct=?, "
                  "status='NEW' WHERE user=?", call.now, phones, count, agent_user)
    return 2


def _no_three_way_call(call: AgentCall) -> bool:
    """tw_check (YES anywhere, any case): False, with the refusal said and the script ended, when the
    agent's conference on its server has a 3-way call's channel live (channel group DC...W)."""
    tw_check, agent_user = call.p["tw_check"], call.p["agent_user"]
    if not re.search("YES", tw_check, re.IGNORECASE):
        return True
    server_ip, conf_exten = call.db.one("SELECT server_ip, conf_exten FROM vicidial_live_agents WHERE user=?",
                                        agent_user)
    server_ip, conf_exten = php_str(server_ip), php_str(conf_exten)
    call.trace(f"SELECT conf_engine from servers where server_ip='{server_ip}';")
    # the engine names the conference table, which upstream then reads nowhere
    call.db.value("SELECT conf_engine FROM servers WHERE server_ip=?", server_ip)
    call.trace(f"SELECT count(*) from live_sip_channels where server_ip='{server_ip}' and channel_group LIKE "
               f"\"DC%W\" and extension='{conf_exten}';")
    live = call.db.value("SELECT count(*) FROM live_sip_channels WHERE server_ip=? AND channel_group LIKE 'DC%W' "
                         "AND extension=?", server_ip, conf_exten)
    if live > 0:
        call.say(f"ERROR: agent_user has current active 3-way call - {agent_user}|{live}|0|{tw_check}\n")
        call.exit()
        return False
    return True
