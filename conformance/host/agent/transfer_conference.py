"""``transfer_conference``: order the agent screen's transfer-conference frame to act on the agent's
live call (send it to an in-group, to a number or to voicemail, dial a third party with the
customer on the line or parked, hang up the third party or both, leave the 3-way call).

Follows upstream www/agc/api.php (2.14-82), transfer_conference block: the order goes into the
agent's vicidial_live_agents.external_transferconf as fields joined by "---", for the agent screen
to carry out; nothing is queued for Asterisk here. Not emulated: multi_dial_phones (press-1
multi-dial rows in vicidial_3way_press_multi, with md_check) and tw_check (the agent's active 3-way
channels in live_sip_channels); the host takes neither parameter.
"""

from __future__ import annotations

from ...phpmath import php_str
from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AGENT_STEPS, INGROUP_FILTER, AgentCall, ingroup_choices
from ..php import compare, keep
from ..registry import host_function

PARAMS = {**AGENT_FILTERS, "ingroup_choices": INGROUP_FILTER, "phone_number": "*#0-9a-zA-Z",
          "consultative": "A-Z", "dial_override": "A-Z", "group_alias": "0-9a-zA-Z", "cid_choice": "-_0-9a-zA-Z"}
IN_GROUP_VALUES = ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL")   # to an in-group with consultative=YES
NUMBER_VALUES = ("BLIND_TRANSFER", "LEAVE_VM", "DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL")
HANGUP_VALUES = ("HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL")
CID_CHOICES = ("CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID")   # looked for anywhere in cid_choice


def _valid(call: AgentCall) -> bool:
    p = call.p
    for name in ("consultative", "dial_override"):   # capitals only, in the non-latin mode too
        p[name] = keep(p[name], "A-Z")
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
    statement = f"UPDATE vicidial_live_agents set external_transferconf='{order}' where user='{agent_user}';"
    call.comment(statement)
    call.trace(statement)
    call.db.write("UPDATE vicidial_live_agents SET external_transferconf=? WHERE user=?",
                  fit("vicidial_live_agents", "external_transferconf", order), agent_user)
    call.say(f"SUCCESS: transfer_conference function set - {value}|{groups}|{phone_number}|{consultative}|"
             f"{agent_user}|{callerid}|\n")


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
