"""The ``call_dispo_report`` oracle: the report a host must print for given call logs.

Written from what the report means (docs/NON-AGENT_API.txt: calls per campaign, in-group or
DID in a window, narrowed by statuses, status categories and users, optionally broken down by
status with each count's share), with upstream's www/vicidial/non_agent_api.php (2.14-202)
quirks reproduced and named:

- ROW_ORDER: lines come in the database's order of (campaign_id, status), not natural order.
- HEADER_FIRST_SEEN_VALUES_NATURAL: the header names the statuses in the order first seen, each
  line gives its counts in natural order (strnatcasecmp), so a count may sit under another status.
- DID_HEADER_REPEATS: a DID row looks its extension up among the header's statuses instead of
  its status, so each DID row adds its status to the header again.
- DID_GROUPED_BY_INGROUP: DID calls are grouped by in-group and status and each group is named by
  the extension of its first row; DIDs are reported only when no in-group is asked.
- DID_IDS_ONE_ID: did_ids keeps no dash, so it names at most one DID.
- CATEGORY_BY_CAMPAIGNS_ASKED: a category adds the statuses of that category system-wide and in
  the campaigns asked (every campaign's when none is asked).
- TOTAL_WITHOUT_LINE_END: the TOTAL line has no newline.

The oracle shares no code with the reference host; both use ``phpmath`` for PHP's natural
order and ``sprintf("%.1f")``.
"""

from __future__ import annotations

from typing import Mapping

from ..phpmath import natural_sorted, sprintf_1f
from .call_logs import CallLogs, among, as_datetime, keep, order_key

ALL = "---ALL---"


def call_dispo_text(logs: CallLogs, params: Mapping[str, str]) -> str:
    """The report after the request and permission checks."""
    get = {name: params.get(name, "") for name in (
        "campaigns", "ingroups", "did_ids", "did_patterns", "statuses", "categories", "users", "user_groups",
        "query_date", "query_time", "end_date", "end_time", "status_breakdown", "show_percentages")}
    campaigns = keep(get["campaigns"], "-,|_0-9a-zA-Z")
    ingroups = keep(get["ingroups"], "-_0-9a-zA-Z")
    did_ids, did_patterns = keep(get["did_ids"], ",+0-9a-zA-Z"), keep(get["did_patterns"], ",:+*#._0-9a-zA-Z")
    statuses, categories = keep(get["statuses"], "- .,_0-9a-zA-Z"), keep(get["categories"], "-,_0-9a-zA-Z")
    users, user_groups = keep(get["users"], "-,_0-9a-zA-Z"), keep(get["user_groups"], "-|,_0-9a-zA-Z")
    date = keep(get["query_date"], "-0-9")
    start = as_datetime(f"{date} {keep(get['query_time'], ':0-9') or '00:00:00'}")
    end = as_datetime(f"{keep(get['end_date'], '-0-9') or date} {keep(get['end_time'], ':0-9') or '23:59:59'}")
    breakdown = keep(get["status_breakdown"], "1Y") != ""
    percentages = breakdown and keep(get["show_percentages"], "1Y") != ""

    campaign_names = campaigns.split("-")
    every_campaign = "ALLCAMPAIGNS" in campaign_names or ALL in campaigns
    campaign_ok = lambda campaign: every_campaign or among(campaign, campaign_names)   # noqa: E731
    ingroup_names = ingroups.split("-")
    ingroup_ok = lambda campaign: "ALLGROUPS" in ingroup_names or ALL in ingroups or \
        among(campaign, ingroup_names)   # noqa: E731

    status_ok = lambda status: True   # noqa: E731
    if statuses or categories:
        chosen, category_names = statuses.split("-"), categories.split("-")
        for status in logs.statuses:
            in_scope = status.campaign_id is None or not campaigns or campaign_ok(status.campaign_id)
            if among(status.category, category_names) and in_scope and status.status not in chosen:
                chosen.append(status.status)
        if not ("ALLSTATUSES" in chosen or ALL in statuses or "ALLCATEGORIES" in category_names or ALL in categories):
            status_ok = lambda status: among(status, chosen)   # noqa: E731
    user_ok = lambda user: True   # noqa: E731
    if users or user_groups:
        chosen_users, group_names = users.split("-"), user_groups.split("-")
        chosen_users += [user for user, group in logs.user_groups.items() if among(group, group_names)
                         and user not in chosen_users]
        if not ("ALLUSERS" in chosen_users or ALL in users or "ALLGROUPS" in group_names or ALL in user_groups):
            user_ok = lambda user: among(user, chosen_users)   # noqa: E731

    window = lambda call_date: start <= call_date <= end   # noqa: E731
    kept = lambda call: status_ok(call.status) and user_ok(call.user)   # noqa: E731
    sections: list[tuple[str, list[tuple[str, str, int]]]] = []
    if campaigns:
        sections.append(("name", _grouped(call for call in logs.outbound if window(call.call_date) and
                                          campaign_ok(call.campaign_id) and kept(call))))
    if ingroups:
        sections.append(("name", _grouped(call for call in logs.inbound if window(call.call_date) and
                                          ingroup_ok(call.campaign_id) and kept(call))))
    elif did_ids or did_patterns:
        ids, patterns = did_ids.split("-"), did_patterns.split("-")
        for did_id, pattern in logs.dids.items():
            if among(pattern, patterns) and did_id not in ids:
                ids.append(did_id)
                patterns.append(pattern)
        every_did = "ALLDIDS" in ids or ALL in did_ids or "ALLPATTERNS" in patterns or ALL in did_patterns
        calls_of: dict[str, list] = {}   # the closer rows of each uniqueid, in their order (a join, not a scan per DID)
        for call in logs.inbound:
            calls_of.setdefault(call.uniqueid, []).append(call)
        joined = [(did, call) for did in logs.did_calls
                  if window(did.call_date) and (every_did or among(did.did_id, ids))
                  for call in calls_of.get(did.uniqueid, ()) if kept(call)]
        groups: dict[tuple[str, str], list] = {}
        for did, call in joined:   # first row of each group names it (MariaDB's pick for a column not grouped)
            key = (order_key(call.campaign_id), order_key(call.status))
            groups.setdefault(key, [did.extension, call.status, 0])[2] += 1
        sections.append(("did", [tuple(groups[key]) for key in sorted(groups)]))

    header: list[str] = []
    lines: list[tuple[str, dict[str, int], int]] = []
    grand: dict[str, int] = {}
    for kind, rows in sections:
        block: dict[str, dict[str, int]] = {}
        totals: dict[str, int] = {}
        for name, status, count in rows:
            totals[name] = totals.get(name, 0) + count
            counts = block.setdefault(name, {})
            if breakdown:
                if (name if kind == "did" else status) not in header:
                    header.append(status)
                counts[status] = counts.get(status, 0) + count
                grand[status] = grand.get(status, 0) + count
        lines += [(name, block[name], totals[name]) for name in block]
    total = sum(calls for _, _, calls in lines)
    text = "CAMPAIGN,TOTAL CALLS" + "".join("," + status for status in header) + "\n"
    for name, counts, calls in lines:
        text += f"{name},{calls}"
        if breakdown:
            full = {**counts, **{status: counts.get(status, 0) for status in header}}
            text += "".join(_cell(full[status], calls, percentages) for status in natural_sorted(full))
        text += "\n"
    return text + f"TOTAL,{total}" + "".join(_cell(grand[status], total, percentages)
                                             for status in natural_sorted(grand))


def _grouped(calls) -> list[tuple[str, str, int]]:
    """Calls counted per (campaign_id, status) in the database's order."""
    counts: dict[tuple[str, str], list] = {}
    for call in calls:
        key = (order_key(call.campaign_id), order_key(call.status))
        counts.setdefault(key, [call.campaign_id, call.status, 0])[2] += 1
    return [tuple(counts[key]) for key in sorted(counts)]


def _cell(count: int, of: int, percentages: bool) -> str:
    return f",{count} ({sprintf_1f(100 * count / of)}%)" if percentages else f",{count}"
