"""``external_dial``: have the agent screen place a manual call (or queue it), by number or by lead.

Follows upstream www/agc/api.php (2.14-82), external_dial block: the request check, the
campaign's api_manual_dial (STANDARD writes vicidial_live_agents.external_dial for the agent
screen, any other value a row of vicidial_manual_dial_queue), the group alias and outbound
caller id, the lead's numbers, and the fourteen fields the screen reads, joined by "!".
The Vtiger lookup (system_settings.enable_vtiger_integration on) needs a Vtiger database and
is not reproduced: the host answers as upstream does with the integration off.
"""

from __future__ import annotations

import re

from ...phpmath import php_str
from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AGENT_STEPS, AgentCall
from ..php import PhpFatal, compare, keep, loose_equals, remove
from ..registry import host_function

PARAMS = {**AGENT_FILTERS, "phone_code": "0-9X", "search": "-_0-9a-zA-Z", "preview": "-_0-9a-zA-Z",
          "focus": "-_0-9a-zA-Z", "lead_id": "0-9", "dial_prefix": "0-9a-zA-Z", "group_alias": "0-9a-zA-Z",
          "vtiger_callback": "A-Z", "alt_dial": "0-9A-Z", "dial_ingroup": "-_0-9a-zA-Z",
          "outbound_cid": "-_0-9a-zA-Z"}
# Filtered the same way in upstream's non-latin mode (no \p{L} in these).
_ASCII_ONLY = ("phone_code", "lead_id", "vtiger_callback", "alt_dial")
# The lead column each alt_dial reads (anything else: the main number).
_LEAD_COLUMN = {"ALT": "alt_phone", "ADDR3": "address3"}


def _valid(call: AgentCall) -> bool:
    p = call.p
    for name in _ASCII_ONLY:
        p[name] = keep(p[name], PARAMS[name])
    # MANUALNEXT (the Dial Next Number button) stays; any other value keeps its digits only.
    value = p["value"] = p["value"] if p["value"] == "MANUALNEXT" else re.sub(r"[^0-9]", "", p["value"])
    # Upstream removes ; and # from vendor_id and turns + into a space; nothing else.
    p["vendor_id"] = remove(call.request.param("vendor_id"), ";#").replace("+", " ")
    if (len(value) < 2 and len(p["lead_id"]) < 1) or (len(p["agent_user"]) < 2 and len(p["alt_user"]) < 2) \
            or min(len(p["search"]), len(p["preview"]), len(p["focus"])) < 2:
        call.say(f"ERROR: external_dial not valid - {value}|{p['phone_code']}|{p['search']}|{p['preview']}|"
                 f"{p['focus']}|{p['lead_id']}|{p['agent_user']}|{p['alt_user']}\n")
        return False
    return True


@host_function("agent_api", "external_dial", params=PARAMS, steps=AGENT_STEPS, check=_valid)
def external_dial(call: AgentCall) -> None:
    p = call.p
    agent_user = p["agent_user"]
    campaign_id = call.db.value("SELECT campaign_id FROM vicidial_live_agents WHERE user=?", agent_user)
    # A campaign without a row leaves api_manual_dial unset: not STANDARD, so the call is queued.
    manual_dial = call.db.value("SELECT api_manual_dial FROM vicidial_campaigns WHERE campaign_id=?", campaign_id)
    standard = manual_dial == "STANDARD"
    if standard:
        call.trace(f"select count(*) from vicidial_live_agents where user='{agent_user}' and status='PAUSED' "
                   "and lead_id < 1;")
    ready = not standard or call.db.value(
        "SELECT count(*) FROM vicidial_live_agents WHERE user=? AND status='PAUSED' AND lead_id < 1", agent_user) > 0
    dial_ingroup = p["dial_ingroup"]
    if dial_ingroup:
        call.trace(f"select count(*) from vicidial_inbound_groups where group_id='{dial_ingroup}';")
    if dial_ingroup and call.db.value("SELECT count(*) FROM vicidial_inbound_groups WHERE group_id=?",
                                      dial_ingroup) < 1:
        call.say(f"NOTICE: defined dial_ingroup not found - {dial_ingroup}\n")   # and on, without it
        dial_ingroup = ""
    if not ready and not dial_ingroup:   # an existing in-group lets an agent who is not paused dial
        call.say(f"ERROR: agent_user is not paused - {agent_user}\n")
        return
    call.trace(f"select count(*) from vicidial_users where user='{agent_user}' and agentcall_manual='1';")
    if call.db.value("SELECT count(*) FROM vicidial_users WHERE user=? AND agentcall_manual='1'", agent_user) < 1:
        call.say(f"ERROR: agent_user is not allowed to place manual dial calls - {agent_user}\n")
        return
    group_alias, caller_id = p["group_alias"], ""
    if len(group_alias) > 1:
        call.trace(f"select caller_id_number from groups_alias where group_alias_id='{group_alias}';")
        found = call.db.one("SELECT caller_id_number FROM groups_alias WHERE group_alias_id=?", group_alias)
        if found is None:
            call.say(f"ERROR: group_alias is not valid - {agent_user}|{group_alias}\n")
            return call.exit()
        caller_id = php_str(found[0])
        # PHP 8 compares the caller id with 4 as a number when it is numeric: "3" and NULL fail, "123" passes.
        if found[0] is None or compare(caller_id, 4) < 0:
            call.say(f"ERROR: caller_id_number from group_alias is not valid - {agent_user}|{group_alias}|{caller_id}\n")
            return call.exit()
    outbound_cid = p["outbound_cid"]
    if len(outbound_cid) > 1:
        setting = call.db.value("SELECT outbound_cid_any FROM system_settings") or ""
        if setting != "API_ONLY":
            call.say(f"ERROR: outbound_cid is not allowed on this system - {agent_user}|{outbound_cid}|{setting}\n")
            return call.exit()
        caller_id, group_alias = outbound_cid, "-FORCE-"
    value = p["value"]
    if "YES" in p["vtiger_callback"] and value.startswith("99"):
        # A Vtiger event id: 99 goes and the rest counts as a number (leading zeros go). With the
        # integration off (as here) nothing is looked up. Nothing left ('' + 0) is PHP 8's TypeError.
        rest = value[2:]
        if not rest:
            raise PhpFatal("Unsupported operand types: string + int")
        number = int(rest)
        value = str(number) if number <= 2**63 - 1 else php_str(float(number))
    lead_id, alt_dial, phone_code = p["lead_id"], p["alt_dial"], p["phone_code"]
    if lead_id:
        phone_search, value, phone_code = value, "", ""
        if alt_dial == "SEARCH":
            alt_dial = ""
            lead = call.db.one("SELECT phone_number, alt_phone, address3 FROM vicidial_list WHERE lead_id=?", lead_id)
            if lead is not None:
                # The last match wins: the main number over the alternate over address3.
                for column, name in ((lead[2], "ADDR3"), (lead[1], "ALT"), (lead[0], "MAIN")):
                    if loose_equals(column, phone_search):
                        alt_dial = name
                if not alt_dial:
                    call.say(f"ERROR: phone number lead_id search not found - {agent_user}|{value}|{lead_id}|{alt_dial}\n")
                    return call.exit()
        column = _LEAD_COLUMN.get(alt_dial, "phone_number")
        call.trace(f"select {column},phone_code from vicidial_list where lead_id='{lead_id}';")
        lead = call.db.one(f"SELECT {column}, phone_code FROM vicidial_list WHERE lead_id=?", lead_id)
        if lead is None:
            call.say(f"ERROR: lead_id is not valid - {agent_user}|{lead_id}\n")
            return call.exit()
        value, phone_code = re.sub(r"[^0-9]", "", php_str(lead[0])), php_str(lead[1])
        if len(value) < 2:
            call.say(f"ERROR: phone number is not valid - {agent_user}|{value}|{lead_id}|{alt_dial}\n")
            return call.exit()
    search, preview, focus, vendor_id, dial_prefix = (p[name] for name in
                                                      ("search", "preview", "focus", "vendor_id", "dial_prefix"))
    fields = (value, phone_code, search, preview, focus, vendor_id, str(call.epoch), dial_prefix, group_alias,
              caller_id, "", lead_id, alt_dial, dial_ingroup)   # the empty one: a Vtiger callback id
    signal = "!".join(fields)
    if standard:
        call.trace(f"UPDATE vicidial_live_agents set external_dial='{signal}' where user='{agent_user}';")
        call.signal("external_dial", signal)
    else:
        call.trace(f"select count(*) from vicidial_manual_dial_queue where user='{agent_user}' "
                   f"and phone_number='{value}';")
        if call.db.value("SELECT count(*) FROM vicidial_manual_dial_queue WHERE user=? AND phone_number=?",
                         agent_user, value) > 0:
            call.say(f"ERROR: phone_number is already in this agents manual dial queue - {agent_user}|{value}\n")
            return
        call.comment(f"INSERT INTO vicidial_manual_dial_queue set user='{agent_user}',phone_number='{value}',"
                     f"entry_time=NOW(),status='READY',external_dial='{signal}';")
        call.db.write("INSERT INTO vicidial_manual_dial_queue (user, phone_number, entry_time, status, external_dial) "
                      "VALUES (?, ?, ?, 'READY', ?)", agent_user, fit("vicidial_manual_dial_queue", "phone_number", value),
                      call.now, fit("vicidial_manual_dial_queue", "external_dial", signal))
    call.say(f"SUCCESS: external_dial function set - {value}|{agent_user}|{phone_code}|{search}|{preview}|{focus}|"
             f"{vendor_id}|{call.epoch}|{dial_prefix}|{group_alias}|{caller_id}|{alt_dial}\n")
