"""The ``call_status_stats`` oracle: the lines a host must print for given call logs.

Written from what the report means (docs/NON-AGENT_API.txt: per campaign and in-group, total
calls, human-answered calls, calls per hour of the day, calls per status), with upstream's
www/vicidial/non_agent_api.php (2.14-202) quirks reproduced and named:

- KEYED_BY_NAME_ASKED: a line belongs to the name as asked, the counts to the campaign as
  stored; a call whose stored campaign differs from every name asked (letter case, padding, or
  any campaign under ALLCAMPAIGNS without a campaign row) gets a line of its own after the sorted
  lines, in the database's order.
- HUMAN_FROM_ANY_CAMPAIGN_ASKED: a status human-answered in one campaign asked counts as
  human-answered in every line, in-groups included; the comparison is PHP's, case-sensitive.
- SHARED_BREAKDOWNS: campaigns and in-groups share one hour and one status table, so an in-group
  named like a campaign asked prints that campaign's hours and statuses again.
- INGROUPS_FROM_CLOSERS: without ingroups, the closer_campaigns of the campaigns asked (trimmed,
  " -" cut off, split on spaces), each once.

The oracle shares no code with the reference host; both use ``phpmath`` for PHP's natural order.
"""

from __future__ import annotations

from typing import Mapping

from ..phpmath import natural_sorted
from .call_logs import CallLogs, among, as_datetime, keep, order_key

HOURS = [f"{hour:02d}" for hour in range(24)]


def call_status_lines(logs: CallLogs, params: Mapping[str, str]) -> str:
    """The answer after the login and permission checks (campaigns of two characters or more)."""
    campaigns = keep(params.get("campaigns", ""), "-,|_0-9a-zA-Z")
    ingroups_asked = keep(params.get("ingroups", ""), "-_0-9a-zA-Z")
    statuses = keep(params.get("statuses", ""), "- .,_0-9a-zA-Z")
    date = keep(params.get("query_date", ""), "-0-9")
    start = as_datetime(f"{date} {keep(params.get('query_time', ''), ':0-9') or '00:00:00'}")
    end = as_datetime(f"{keep(params.get('end_date', ''), '-0-9') or date} "
                      f"{keep(params.get('end_time', ''), ':0-9') or '23:59:59'}")
    asked = campaigns.split("-")
    every = "ALLCAMPAIGNS" in asked or "---ALL---" in campaigns
    if every:
        names = sorted(logs.campaigns, key=order_key)
    else:
        names = asked
    in_request = (lambda campaign: True) if every else (lambda campaign: among(campaign, asked))
    human = {status.status for status in logs.statuses if status.human_answered == "Y" and (
        status.campaign_id is None or in_request(status.campaign_id))}
    if ingroups_asked:
        ingroups = ingroups_asked.split("-")
    else:
        ingroups = []
        for campaign, closers in logs.campaigns.items():
            if closers and in_request(campaign):
                trimmed = closers.strip(" \t\n\r\0\x0b")
                if trimmed.endswith(" -"):
                    trimmed = trimmed[:-2]
                ingroups += [name for name in trimmed.split(" ") if name not in ingroups]
    wanted = statuses.split("-") if statuses else None
    hours: dict[str, dict[str, int]] = {}
    by_status: dict[str, dict[str, int]] = {}
    out = []
    for calls, line_names, matches in (
            (logs.outbound, names, in_request),
            (logs.inbound, ingroups, lambda campaign: among(campaign, ingroups or [""]))):
        lines = {name: [0, 0] for name in natural_sorted(dict.fromkeys(line_names))}
        counted = [call for call in calls if start <= call.call_date <= end and matches(call.campaign_id)
                   and (wanted is None or among(call.status, wanted))]
        for call in sorted(counted, key=lambda call: (order_key(call.campaign_id), order_key(call.status),
                                                       call.call_date[11:13])):
            line = lines.setdefault(call.campaign_id, [0, 0])
            line[0] += 1
            line[1] += call.status in human
            hour = hours.setdefault(call.campaign_id, {})
            hour[call.call_date[11:13]] = hour.get(call.call_date[11:13], 0) + 1
            count = by_status.setdefault(call.campaign_id, {})
            count[call.status] = count.get(call.status, 0) + 1
        out.append(lines)
    text = ""
    for lines in out:
        for name, (total, answered) in lines.items():
            per_hour = ",".join(f"{hour}-{hours.get(name, {}).get(hour, 0)}" for hour in HOURS)
            per_status = by_status.get(name, {})
            text += f"{name}|{total}|{answered}|{per_hour}|" + ",".join(
                f"{status}-{per_status[status]}" for status in natural_sorted(per_status)) + "|\n"
    return text
