"""``call_status_stats``: calls of campaigns and in-groups in a window, by hour and by status.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) call_status_stats. campaigns (two
characters or more, dash-separated, ``ALLCAMPAIGNS``/``---ALL---`` for every campaign row) is
checked before the allowed functions; then view reports and a level above 8. Each campaign
asked (or every campaign, by campaign_id) gets a line, in natural order (strnatcasecmp), then
each in-group asked (none asked: the closer_campaigns of the campaigns asked) in natural order.
A line: total calls, human-answered calls (statuses human_answered in vicidial_statuses, or in
the campaigns asked), the 24 hours of call_date and the statuses with counts, natural order.
Upstream's keys are PHP array keys: a call whose campaign differs from the name asked (letter
case, or a log-only campaign under ALLCAMPAIGNS) gets a line of its own after the sorted ones,
and an in-group named like a campaign prints that campaign's hours and statuses again.
"""

from __future__ import annotations

import re

from ...phpmath import natural_sorted
from ..call_day import report_window
from ..non_agent_api import STEPS, NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"campaigns": "-,|_0-9a-zA-Z", "ingroups": "-_0-9a-zA-Z", "statuses": "- .,_0-9a-zA-Z",
          "query_date": "-0-9", "query_time": ":0-9", "end_date": "-0-9", "end_time": ":0-9"}
GATE = Gate("ERROR: call_status_stats USER DOES NOT HAVE PERMISSION TO VIEW STATS: |{user}|{count}|\n",
            level=(">", 8), flags={"view_reports": ("1",)})
HOURS = tuple(f"{hour:02d}" for hour in range(24))
EVERY = "---ALL---"


@host_function("non_agent_api", "call_status_stats", params=PARAMS)
def call_status_stats(call: NonAgentCall) -> str:
    p = call.p
    if len(p["campaigns"]) < 2:   # before the allowed functions, in the source check's words
        return (f"ERROR: call_status_stats INVALID OR MISSING CAMPAIGNS - {p['source']}\n"
                f"ERROR: Invalid Source: |{p['source']}|\n")
    refusal = STEPS["permission"](call, call.api.functions["call_status_stats"]) or \
        GATE.refuse(call.db, "call_status_stats", p["user"])
    if refusal:
        return refusal
    low, high = report_window(p, call.epoch)
    asked = p["campaigns"].split("-")
    every = "ALLCAMPAIGNS" in asked or EVERY in p["campaigns"]
    campaign_where, campaign_args = ("", ()) if every else (_in("campaign_id", asked), tuple(asked))
    if every:
        asked = [row[0] for row in call.db.all("SELECT campaign_id FROM vicidial_campaigns ORDER BY campaign_id")]
    human = _human(call, campaign_where, campaign_args)
    status_where, status_args = ("", ()) if not p["statuses"] else \
        (_in("status", p["statuses"].split("-")), tuple(p["statuses"].split("-")))
    if p["ingroups"]:
        ingroups = p["ingroups"].split("-")
    else:
        ingroups = []
        for (closers,) in call.db.all("SELECT closer_campaigns FROM vicidial_campaigns WHERE closer_campaigns "
                                      f"IS NOT NULL AND closer_campaigns != '' {campaign_where}", *campaign_args):
            for name in re.sub(r" -$", "", closers.strip(" \t\n\r\0\x0b")).split(" "):
                if name not in ingroups:
                    ingroups.append(name)
    by_hour: dict[str, dict[str, int]] = {}      # shared by campaigns and in-groups, as upstream's
    by_status: dict[str, dict[str, int]] = {}
    sections = []
    for table, names, where, args in (
            ("vicidial_log", asked, campaign_where, campaign_args),
            ("vicidial_closer_log", ingroups, _in("campaign_id", ingroups or [""]), tuple(ingroups or [""]))):
        totals = {name: [0, 0] for name in natural_sorted(dict.fromkeys(names))}
        for campaign, status, hour, count in call.db.all(
                f"SELECT campaign_id, status, substr(call_date, 12, 2) AS hour, count(*) FROM {table} "
                f"WHERE call_date >= ? AND call_date <= ? {where} {status_where} GROUP BY campaign_id, status, hour "
                "ORDER BY campaign_id, status, hour", low, high, *args, *status_args):
            line = totals.setdefault(campaign, [0, 0])
            line[0] += count
            line[1] += count if status in human else 0
            statuses = by_status.setdefault(campaign, {})
            statuses[status] = statuses.get(status, 0) + count
            hours = by_hour.setdefault(campaign, {})
            hours[hour] = hours.get(hour, 0) + count
        sections.append(totals)
    lines = []
    for totals in sections:
        for name, (total, answered) in totals.items():
            hours = ",".join(f"{hour}-{by_hour.get(name, {}).get(hour, 0)}" for hour in HOURS)
            statuses = by_status.get(name, {})
            counts = ",".join(f"{status}-{statuses[status]}" for status in natural_sorted(statuses))
            lines.append(f"{name}|{total}|{answered}|{hours}|{counts}|\n")
    return "".join(lines)


def _human(call: NonAgentCall, campaign_where: str, campaign_args: tuple[str, ...]) -> set[str]:
    """The human-answered statuses: system-wide, and of the campaigns asked (all under ALLCAMPAIGNS)."""
    return {row[0] for row in call.db.all(
        "SELECT status FROM vicidial_statuses WHERE human_answered='Y' UNION SELECT status FROM "
        f"vicidial_campaign_statuses WHERE human_answered='Y' {campaign_where}", *campaign_args)}


def _in(column: str, values) -> str:
    return f"AND {column} IN ({', '.join('?' for _ in values)})"
