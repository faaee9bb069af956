"""``campaigns_list``: the dialing settings of the campaigns the API user's group allows.

Upstream (www/vicidial/non_agent_api.php, campaigns_list) lists campaigns that are active Y
or N, narrowed by the group's allowed_campaigns and an optional campaign_id, with no ORDER
BY: MySQL then reads a restricted list (``campaign_id IN``) in key order and an unrestricted
one in the table's own order, which here is insertion order.
"""

from __future__ import annotations

import re

from ..export import export
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function
from ..user_group_scope import allowed_campaigns, group_texts, in_clause

HEADER = ("campaign_id", "campaign_name", "active", "user_group", "dial_method", "dial_level", "lead_order",
          "dial_statuses", "dial_timeout", "dial_prefix", "manual_dial_prefix", "three_way_dial_prefix")
COLUMNS = ("campaign_id, campaign_name, active, user_group, dial_method, auto_dial_level, lead_order, dial_statuses, "
           "dial_timeout, dial_prefix, manual_dial_prefix, three_way_dial_prefix")
PARAMS = {"campaign_id": "-_0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z"}


@host_function("non_agent_api", "campaigns_list", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET CAMPAIGN INFO: |{user}|{count}|\n",
                         level=(">", 7)))
def campaigns_list(call: NonAgentCall) -> str:
    p = call.p
    allowed, _ = group_texts(call.db, call.user_group)
    campaigns = allowed_campaigns(allowed)
    scope, args = in_clause("campaign_id", campaigns)
    if p["campaign_id"]:
        scope += " AND campaign_id = ?"
        args.append(p["campaign_id"])
    if campaigns is not None or p["campaign_id"]:
        order = " ORDER BY campaign_id"
    else:   # MySQL's own table order; SQLite's is rowid's
        order = call.db.dialect.as_inserted
    rows = call.db.all(f"SELECT {COLUMNS} FROM vicidial_campaigns WHERE active IN ('Y', 'N'){scope}{order}", *args)
    if not rows:
        return f"ERROR: campaigns_list THIS USER HAS NO VIEWABLE CAMPAIGNS: {p['user']}|\n"
    shown = [(*row[:7], dial_statuses(row[7]), *row[8:]) for row in rows]
    return export(p["stage"], p["header"], HEADER, shown)


def dial_statuses(text: str | None) -> str:
    """The statuses without their leading space and trailing " -" (" NEW NA -" is "NEW NA")."""
    return re.sub(r"^ | -$", "", text or "")
