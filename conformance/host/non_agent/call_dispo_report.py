"""``call_dispo_report``: calls per campaign, in-group or DID in a window, optionally by status.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) call_dispo_report. One of campaigns
(vicidial_log), ingroups (vicidial_closer_log) or DIDs (did_ids, or the did_id of each
vicidial_inbound_dids row whose did_pattern is asked; vicidial_did_log joined to the closer log
by uniqueid, only when no ingroups are asked) is needed, checked before the allowed functions;
then view reports and a level above 8 (refused in call_status_stats' words). statuses and
categories (statuses of those categories, system-wide or in the campaigns asked; every
campaign's when none is asked), users and user_groups narrow the calls; ALL... words and
``---ALL---`` lift each filter. Lines in the order the rows come (campaign_id, then status); a DID's
line is named by its extension. With status_breakdown the header lists the statuses in the order
first seen (a DID row adds its status each time, so a status may repeat) and each line gives
every status's count in natural order, which need not be the header's; show_percentages adds
each count's share of its line. The last line, TOTAL, ends without a newline. The report (not a
refusal) answers ``Content-Type: text/plain;charset=UTF-8``; with file_download above 0 it comes as
an attachment instead (application/octet-stream, a file name stamped with the host's local time,
caching headers of its own).
"""

from __future__ import annotations

import datetime as _dt

from ...phpmath import natural_sorted, sprintf_1f
from ..call_day import report_window
from ..non_agent_api import STEPS, NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

PARAMS = {"campaigns": "-,|_0-9a-zA-Z", "ingroups": "-_0-9a-zA-Z", "statuses": "- .,_0-9a-zA-Z",
          "query_date": "-0-9", "query_time": ":0-9", "end_date": "-0-9", "end_time": ":0-9",
          "did_ids": ",+0-9a-zA-Z", "did_patterns": ",:+*#._0-9a-zA-Z", "categories": "-,_0-9a-zA-Z",
          "users": "-,_0-9a-zA-Z", "user_groups": "-|,_0-9a-zA-Z", "status_breakdown": "1Y",
          "show_percentages": "1Y", "file_download": "0-9"}
GATE = Gate("ERROR: call_status_stats USER DOES NOT HAVE PERMISSION TO VIEW STATS: |{user}|{count}|\n",
            level=(">", 8), flags={"view_reports": ("1",)})
EVERY = "---ALL---"
REPORT_TYPE = "text/plain;charset=UTF-8"   # the report's own header; PHP adds its default charset to a text type


@host_function("non_agent_api", "call_dispo_report", params=PARAMS)
def call_dispo_report(call: NonAgentCall) -> str:
    p = call.p
    if len(p["campaigns"]) < 2 and len(p["ingroups"]) < 2 and not p["did_ids"] and len(p["did_patterns"]) < 2:
        return (f"ERROR: call_dispo_report INVALID OR MISSING CAMPAIGNS, INGROUPS, OR DIDS - {p['source']}\n"
                f"ERROR: Invalid Source: |{p['source']}|\n")
    refusal = STEPS["permission"](call, call.api.functions["call_dispo_report"]) or \
        GATE.refuse(call.db, "call_dispo_report", p["user"])
    if refusal:
        return refusal
    window = report_window(p, call.epoch)
    breakdown = bool(p["status_breakdown"])
    percentages = breakdown and bool(p["show_percentages"])
    campaigns = _names(p["campaigns"], ("ALLCAMPAIGNS",))
    statuses, users = _statuses(call, campaigns), _users(call)
    sections = []
    for table, asked, every_word in (("vicidial_log", p["campaigns"], "ALLCAMPAIGNS"),
                                     ("vicidial_closer_log", p["ingroups"], "ALLGROUPS")):
        if not asked:
            continue
        names = _names(asked, (every_word,))
        where, args = _filters(("campaign_id", names), ("status", statuses), ("user", users))
        sections.append(("key", call.db.all(
            f"SELECT campaign_id, status, count(*) FROM {table} WHERE call_date >= ? AND call_date <= ? {where} "
            "GROUP BY campaign_id, status ORDER BY campaign_id, status", *window, *args)))
    if (p["did_ids"] or p["did_patterns"]) and not p["ingroups"]:   # no DIDs beside in-groups
        dids = _dids(call)
        where, args = _filters(("vdl.did_id", dids), ("vcl.status", statuses), ("vcl.user", users))
        sections.append(("did", call.db.all(
            "SELECT vdl.extension, vcl.status, count(*) FROM vicidial_did_log vdl, vicidial_closer_log vcl "
            f"WHERE vdl.call_date >= ? AND vdl.call_date <= ? {where} AND vcl.uniqueid = vdl.uniqueid "
            "GROUP BY vcl.campaign_id, vcl.status ORDER BY vcl.campaign_id, vcl.status", *window, *args)))
    seen: list[str] = []        # the header's statuses
    grand: dict[str, int] = {}
    blocks = []
    for kind, rows in sections:
        lines: dict[str, dict[str, int]] = {}
        for name, status, count in rows:
            name, status = _text(name), _text(status)
            line = lines.setdefault(name, {})
            line[""] = line.get("", 0) + count     # "" holds the line's total
            if breakdown:
                if (name if kind == "did" else status) not in seen:   # a DID row looks its extension up
                    seen.append(status)
                line[status] = line.get(status, 0) + count
                grand[status] = grand.get(status, 0) + count
        blocks.append(lines)
    total = sum(line[""] for lines in blocks for line in lines.values())
    out = "CAMPAIGN,TOTAL CALLS" + "".join(f",{status}" for status in seen if breakdown) + "\n"
    for lines in blocks:
        for name, line in lines.items():
            calls = line.pop("")
            out += f"{name},{calls}"
            if breakdown:
                for status in seen:
                    line.setdefault(status, 0)
                out += "".join(_count(line[status], calls, percentages) for status in natural_sorted(line))
            out += "\n"
    out += f"TOTAL,{total}"
    if _wants_download(p["file_download"]):
        for name, value in _download_headers(call.epoch):
            call.header(name, value)
    else:
        call.header("Content-type", REPORT_TYPE)
    return out + "".join(_count(grand[status], total, percentages) for status in natural_sorted(grand))


def _wants_download(file_download: str) -> bool:
    """file_download above 0, after its filter kept the digits ("" is 0)."""
    return int(file_download or 0) > 0


def _download_headers(epoch: int) -> tuple[tuple[str, str], ...]:
    """file_download: the report as an attachment named by the host's local time, and caching headers
    of its own in place of the script's."""
    stamp = _dt.datetime.fromtimestamp(epoch).strftime("%Y%m%d%H%M%S")
    return (("Content-type", "application/octet-stream"),
            ("Content-Disposition", f'attachment; filename="API_call_dispo_report_{stamp}.csv"'),
            ("Expires", "0"), ("Cache-Control", "must-revalidate, post-check=0, pre-check=0"), ("Pragma", "public"))


def _names(text: str, every_word: tuple[str, ...]) -> list[str] | None:
    """Dash-separated names, or None (no filter) for an ALL word or ---ALL---."""
    names = text.split("-")
    return None if any(word in names for word in every_word) or EVERY in text else names


def _dids(call: NonAgentCall) -> list[str] | None:
    p = call.p
    ids, patterns = p["did_ids"].split("-"), p["did_patterns"].split("-")
    marks = ",".join("?" for _ in patterns)
    for did_id, pattern in call.db.all(f"SELECT did_id, did_pattern FROM vicidial_inbound_dids "
                                       f"WHERE did_pattern IN ({marks})", *patterns):
        if str(did_id) not in ids:
            ids.append(str(did_id))
            patterns.append(_text(pattern))
    if "ALLDIDS" in ids or EVERY in p["did_ids"] or "ALLPATTERNS" in patterns or EVERY in p["did_patterns"]:
        return None
    return ids


def _statuses(call: NonAgentCall, campaigns: list[str] | None) -> list[str] | None:
    p = call.p
    if not (p["categories"] or p["statuses"]):
        return None
    statuses, categories = p["statuses"].split("-"), p["categories"].split("-")
    marks = ",".join("?" for _ in categories)
    where, args = _filters(("campaign_id", campaigns)) if p["campaigns"] else ("", ())
    for (status,) in call.db.all(
            f"SELECT status FROM vicidial_statuses WHERE category IN ({marks}) UNION SELECT status FROM "
            f"vicidial_campaign_statuses WHERE category IN ({marks}) {where}", *categories, *categories, *args):
        if _text(status) not in statuses:
            statuses.append(_text(status))
    if "ALLSTATUSES" in statuses or EVERY in p["statuses"] or "ALLCATEGORIES" in categories or \
            EVERY in p["categories"]:
        return None
    return statuses


def _users(call: NonAgentCall) -> list[str] | None:
    p = call.p
    if not (p["users"] or p["user_groups"]):
        return None
    users, groups = p["users"].split("-"), p["user_groups"].split("-")
    marks = ",".join("?" for _ in groups)
    for (user,) in call.db.all(f"SELECT user FROM vicidial_users WHERE user_group IN ({marks})", *groups):
        if _text(user) not in users:
            users.append(_text(user))
    if "ALLUSERS" in users or EVERY in p["users"] or "ALLGROUPS" in groups or EVERY in p["user_groups"]:
        return None
    return users


def _filters(*conditions: tuple[str, list[str] | None]) -> tuple[str, tuple[str, ...]]:
    """`` AND column IN (...)`` for each condition that filters (None: no filter)."""
    where, args = "", ()
    for column, values in conditions:
        if values is not None:
            where += f" AND {column} IN ({', '.join('?' for _ in values)})"
            args += tuple(values)
    return where, args


def _count(count: int, total: int, percentages: bool) -> str:
    return f",{count} ({sprintf_1f(100 * count / total)}%)" if percentages else f",{count}"


def _text(value) -> str:
    return "" if value is None else str(value)
