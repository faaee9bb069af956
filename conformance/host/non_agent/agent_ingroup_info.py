"""``agent_ingroup_info``: a logged-in agent's in-groups, blending and manager override, as HTML or text.

Upstream (www/vicidial/non_agent_api.php, agent_ingroup_info) answers with an HTML fragment
for the agent screen's manager pop-up: ``stage=change`` (for an API user allowed to change
agents' campaigns) is a form, any other stage a table, ``text`` plain lines. The campaign's
closer_campaigns are listed only when it takes inbound calls and does not dial MANUAL; its
first name is never marked as picked, since the marking starts at the second name (the
first is the empty name before the list's leading space). A ``source`` of exactly
``queuemetrics`` skips the permission check.
"""

from __future__ import annotations

from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import loose_equals
from ..registry import host_function
from ..user_group_scope import group_texts, in_clause, viewable_groups

PARAMS = {"agent_user": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z"}
GATE = Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET AGENT INFO: |{user}|{count}|\n",
            level=(">", 6), flags={"vdc_agent_api_access": ("1",)})
_LIVE = ("SELECT campaign_id, closer_campaigns, outbound_autodial, manager_ingroup_set, external_igb_set_user, "
         "on_hook_agent, on_hook_ring_time FROM vicidial_live_agents WHERE user = ?")
_CHANGE_FORM = (
    '<TR><TD ALIGN=RIGHT>Change, Add, Remove:\n</TD><TD ALIGN=LEFT>\n'
    '<SELECT SIZE=1 NAME=ingroup_add_remove_change ID=ingroup_add_remove_change>\n'
    '<option value="CHANGE">CHANGE - Set in-groups to those selected above</option>\n'
    '<option value="ADD">ADD - Add in-groups selected above to agent selected</option>\n'
    '<option value="REMOVE">REMOVE - Remove in-groups selected above from agent selected</option>\n'
    '</SELECT>\n</TD></TR>\n')


@host_function("non_agent_api", "agent_ingroup_info", params=PARAMS, steps=("source", "permission"))
def agent_ingroup_info(call: NonAgentCall) -> str:
    p, user, agent_user, db = call.p, call.p["user"], call.p["agent_user"], call.db
    if p["source"] != "queuemetrics":
        refusal = GATE.refuse(db, "agent_ingroup_info", user)
        if refusal is not None:
            return refusal
    _, viewable = group_texts(db, call.user_group)
    scope, args = in_clause("user_group", viewable_groups(viewable))
    invalid = f"ERROR: agent_ingroup_info INVALID USER ID - {agent_user}|{user}\n"
    if not db.value(f"SELECT count(*) FROM vicidial_users WHERE user = ?{scope}", agent_user, *args):
        return invalid
    live = db.one(_LIVE, agent_user)
    if live is None:
        return invalid
    campaign, picked, blended, manager_set, manager, on_hook, ring_time = ("" if v is None else str(v) for v in live)
    if p["stage"] == "text":
        return (f"SUCCESS:  - {agent_user}|text\nSELECTED INGROUPS: {picked}\nOUTBOUND AUTODIAL: {blended}\n"
                f"MANAGER OVERRIDE: {manager_set}\nMANAGER: {manager}\n\n")
    full_name = _text(db.value("SELECT full_name FROM vicidial_users WHERE user = ?", agent_user))
    inbound = db.value("SELECT count(*) FROM vicidial_campaigns WHERE campaign_id = ? AND campaign_allow_inbound = 'Y' "
                       "AND dial_method NOT IN ('MANUAL')", campaign)
    autodial = db.value("SELECT count(*) FROM vicidial_campaigns WHERE campaign_id = ? "
                        "AND dial_method NOT IN ('MANUAL', 'INBOUND_MAN')", campaign)
    may_change = _granted(call, "change_agent_campaign")
    closers = _text(db.value("SELECT closer_campaigns FROM vicidial_campaigns WHERE campaign_id = ?", campaign)) \
        if inbound else ""
    groups = _names(closers)
    chosen = _names(picked)
    marked = picked_positions(groups, chosen)
    out = ('<TABLE WIDTH=680 CELLPADDING=0 CELLSPACING=5 BGCOLOR="#D9E6FE"><TR><TD ALIGN=LEFT>\n'
           f'Agent: {agent_user} - {full_name} </TD><TD>\n'
           f' &nbsp; Campaign: {campaign}</TD><TD>\n'
           '<a href="#" onclick="hide_ingroup_info();">Close</a></TD></TR><TR><TD COLSPAN=3 BGCOLOR="#CCCCFF">\n'
           '<TABLE CELLPADDING=0 CELLSPACING=3 BORDER=0>\n')
    listed = [(index, group, _group_name(call, group)) for index, group in enumerate(groups) if len(group) > 1]
    if not (may_change and p["stage"] == "change"):
        out += "".join(f"<TR><TD>{group}{' *' if index in marked else ''}</TD><TD>{name}</TD></TR>\n"
                       for index, group, name in listed)
        out += "" if listed else "<TR><TD>No In-Groups Allowed</TD></TR>\n"
        return out + (f"</TABLE><BR>\nSELECTED INGROUPS: {picked}<BR>\nOUTBOUND AUTODIAL: {blended}<BR>\n"
                      f"MANAGER OVERRIDE: {manager_set}<BR>\nMANAGER: {manager}<BR>\n\n</TD></TR></TABLE>\n")
    if on_hook == "Y":
        out += ("<TR><TD ALIGN=CENTER VALIGN=TOP COLSPAN=2><B>This is a Phone On-Hook Agent</B> &nbsp; "
                f"Maximum Ring Time:  {ring_time}</TD></TR>\n")
    out += ("<TR><TD ALIGN=RIGHT VALIGN=TOP>Selected In-Groups: </TD><TD ALIGN=LEFT>\n"
            f'<INPUT TYPE=HIDDEN NAME=agent_user ID=agent_user value="{agent_user}">\n'
            "<SELECT SIZE=10 NAME=ingroup_new_selections ID=ingroup_new_selections multiple>\n")
    out += "".join(f'<option value="{group}"{" SELECTED" if index in marked else ""}>{group} - {name}</option>\n'
                   for index, group, name in listed)
    out += "" if listed else '<option value="">No In-Groups Allowed</option>\n'
    out += "</SELECT><BR></TD></TR>\n" + _CHANGE_FORM
    if not autodial:
        blended = "N"
    out += ("<TR><TD ALIGN=RIGHT>Blended Outbound Autodial:\n</TD><TD ALIGN=LEFT>\n"
            f"<SELECT SIZE=1 NAME=blended ID=blended{'' if autodial else ' DISABLED'}>\n"
            f'<option value="YES"{" SELECTED" if blended == "Y" else ""}>Yes</option>\n'
            f'<option value="NO"{" SELECTED" if blended == "N" else ""}>No</option>\n'
            "</SELECT>\n</TD></TR>\n"
            "<TR><TD ALIGN=RIGHT>Set As User Default:\n</TD><TD ALIGN=LEFT>\n"
            f"<SELECT SIZE=1 NAME=set_as_default ID=set_as_default"
            f"{'' if _granted(call, 'modify_users') else ' DISABLED'}>\n"
            '<option value="YES">Yes</option>\n<option value="NO" SELECTED>No</option>\n</SELECT>\n</TD></TR>\n')
    if manager_set in ("SET", "Y"):
        manager_name = _text(db.value("SELECT full_name FROM vicidial_users WHERE user = ?", manager))
        out += ("<TR><TD ALIGN=RIGHT>Manager In-Group Override:\n</TD><TD ALIGN=LEFT>\n"
                f"{manager_set} - {manager} - {manager_name}\n</TD></TR>\n")
    return out + ("<TR><TD ALIGN=CENTER COLSPAN=2>\n"
                  '<INPUT TYPE=BUTTON NAME=SUBMIT ID=SUBMIT VALUE="Submit Changes" '
                  f"onclick=\"submit_ingroup_changes('{agent_user}')\">\n"
                  "</TD></TR>\n</TABLE>\n</TD></TR></TABLE>\n")


def picked_positions(groups: list[str], chosen: list[str]) -> set[int]:
    """The positions of the campaign's in-groups the agent picked, counted from the second name
    (upstream's loop starts there: the first is the empty name before the leading space)."""
    return {k for k in range(1, len(groups)) if len(groups[k]) > 1 and
            any(len(name) > 1 and loose_equals(groups[k], name) for name in chosen)}


def _granted(call: NonAgentCall, flag: str) -> bool:
    """Whether the active API user has ``flag`` set to 1 (change_agent_campaign, modify_users)."""
    return bool(call.db.value(f"SELECT count(*) FROM vicidial_users WHERE user = ? AND {flag} = '1' AND active = 'Y'",
                              call.p["user"]))


def _group_name(call: NonAgentCall, group: str) -> str:
    return _text(call.db.value("SELECT group_name FROM vicidial_inbound_groups WHERE group_id = ?", group))


def _names(text: str) -> list[str]:
    """A closer_campaigns text cut at spaces after one trailing - goes (" A B -" is '', A, B, '')."""
    return (text[:-1] if text.endswith("-") else text).split(" ")


def _text(value) -> str:
    return "" if value is None else str(value)
