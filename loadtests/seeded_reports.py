"""The call-report oracles over seeded call logs, read back from the database the hosts answer from.

``seeded_world``: what the reports need beside the seeded calls (``vicicert seed --logs calls``),
as harness rows of a SQL fixture run: the API user, the seeded campaigns with their in-groups
(closer_campaigns), campaign statuses that change what is human-answered and a category, and
calls in on two harness DIDs, each the DID log row of a seeded in-group call (one in-group per
DID). ``read_call_logs`` reads a window of the database's call logs, statuses, campaigns, users
and DIDs back into the oracles' ``CallLogs``: every row there, the host's own too, so the
oracles see what the hosts see. ``compare`` sends each request to each host, times it and holds
the answer to the oracle's text byte for byte.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy

from conformance.call_log_generator import CallLogPlan, chunks
from conformance.oracle.call_dispo import call_dispo_text
from conformance.oracle.call_logs import Call, CallLogs, DidCall, Status, as_datetime, keep
from conformance.oracle.call_status import call_status_lines
from conformance.world import World

from .target_state import admin_world

# extension, did_id, index of the plan's in-group its calls reach
DIDS = (("3125550171", "9905171", 0), ("3125550172", "9905172", 1))
CATEGORY = "VCSDCAT1"
REPORTS = {"call_status_stats": call_status_lines, "call_dispo_report": call_dispo_text}


def seeded_world(plan: CallLogPlan, password: str, did_calls: int = 400) -> World:
    """The API user (``password``), the plan's campaigns and their statuses, and ``did_calls``
    DID log rows spread over the window (extension 312-555-0171 or 0172, reserved for harness
    DIDs), each naming a seeded in-group call by its uniqueid."""
    base = admin_world(password)
    ingroups = plan.ingroup_ids
    closers = [f" {ingroups[0]} {ingroups[1 % len(ingroups)]} -", f"{ingroups[-1]} -", "", f" {ingroups[0]} -"]
    campaigns = [{"campaign_id": campaign, "campaign_name": "vicicert seeded calls", "active": "Y",
                  "closer_campaigns": closers[index % len(closers)]} for index, campaign in enumerate(plan.campaign_ids)]
    first, second = plan.campaign_ids[1 % plan.campaigns], plan.campaign_ids[2 % plan.campaigns]
    statuses = [  # NA human-answered in one campaign (a request naming it counts NA for all), B of a category
        {"campaign_id": first, "status": "NA", "status_name": "vicicert human NA", "selectable": "Y",
         "human_answered": "Y", "category": CATEGORY},
        {"campaign_id": second, "status": "B", "status_name": "vicicert busy", "selectable": "Y",
         "human_answered": "N", "category": CATEGORY},
        {"campaign_id": second, "status": "VCSDX", "status_name": "vicicert unused", "selectable": "Y",
         "human_answered": "Y", "category": "VCSDCAT2"}]
    return replace(base, rows={**base.rows, "campaigns": campaigns, "campaign_statuses": statuses,
                               "did_log": _did_rows(plan, did_calls)})


def _did_rows(plan: CallLogPlan, count: int) -> list[dict[str, str]]:
    """DID log rows of in-group calls the plan seeds, evenly spaced among those of the DIDs' in-groups."""
    picked: list[tuple[int, int, int]] = []   # (call, epoch, did index)
    for columns in chunks(plan):
        for index, (_, _, ingroup) in enumerate(DIDS):
            mask = columns["inbound"] & (columns["campaign"] == ingroup)
            picked += [(int(call), int(epoch), index) for call, epoch in zip(columns["call"][mask],
                                                                              columns["epoch"][mask])]
    picked.sort()
    chosen = [picked[int(n)] for n in numpy.linspace(0, len(picked) - 1, min(count, len(picked)))] if picked else []
    return [{"uniqueid": f"{epoch}.{9_000_000 + call % 1_000_000}", "channel": f"SIP/vcertsd-{n:08x}",
             "server_ip": "192.0.2.15", "caller_id_number": "3125550176", "extension": DIDS[index][0],
             "call_date": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch)), "did_id": DIDS[index][1]}
            for n, (call, epoch, index) in enumerate(dict.fromkeys(chosen))]


def requests(plan: CallLogPlan) -> list[tuple[str, dict[str, str]]]:
    """Ten requests of each report over the plan's window: campaigns, in-groups, DIDs, statuses,
    categories, users, breakdowns, percentages, days, weeks and hours of the day."""
    c, i = plan.campaign_ids, plan.ingroup_ids
    first_day, last_day = plan.window()[0][:10], plan.window()[1][:10]
    day = lambda n: time.strftime("%Y-%m-%d", time.gmtime(plan.start_epoch + n * 86400))   # noqa: E731
    status = [
        {"campaigns": c[0], "query_date": day(7)},
        {"campaigns": "-".join(c[:3]), "query_date": first_day, "end_date": last_day},
        {"campaigns": "ALLCAMPAIGNS", "query_date": day(14), "end_date": day(20)},
        {"campaigns": c[1], "statuses": "SALE-NI-DROP", "query_date": day(2), "end_date": day(9)},
        {"campaigns": "-".join(c[3:5]), "ingroups": "-".join(i[2:4]), "query_date": day(9), "end_date": day(11),
         "query_time": "08:00:00", "end_time": "17:30:00"},
        {"campaigns": c[-1].lower(), "query_date": day(19)},
        {"campaigns": "---ALL---", "statuses": "NA-A-B", "query_date": first_day, "end_date": day(13)},
        {"campaigns": c[2], "ingroups": i[0], "query_date": day(4), "query_time": "12:00:00"},
        {"campaigns": f"{c[1]}-{c[-1]}", "query_date": first_day, "end_date": last_day},
        {"campaigns": c[4 % len(c)], "query_date": day(26), "end_date": day(30)},
    ]
    users = "-".join(plan.users[:2] + ["VDAD"])
    dispo = [
        {"campaigns": f"{c[0]}-{c[1]}", "status_breakdown": "1", "query_date": day(7)},
        {"campaigns": "ALLCAMPAIGNS", "status_breakdown": "1", "show_percentages": "1", "query_date": first_day,
         "end_date": last_day},
        {"ingroups": "ALLGROUPS", "status_breakdown": "1", "query_date": first_day, "end_date": day(6)},
        {"ingroups": "-".join(i[1:3]), "statuses": "SALE-XFER", "status_breakdown": "1", "show_percentages": "1",
         "query_date": day(9), "end_date": day(19)},
        {"did_ids": "ALLDIDS", "status_breakdown": "1", "show_percentages": "1", "query_date": first_day,
         "end_date": last_day},
        {"did_ids": DIDS[1][1], "status_breakdown": "1", "query_date": first_day, "end_date": last_day},
        {"campaigns": c[2], "categories": CATEGORY, "status_breakdown": "1", "query_date": day(3), "end_date": day(5)},
        {"campaigns": c[3 % len(c)], "users": users, "status_breakdown": "Y", "query_date": first_day,
         "end_date": last_day},
        {"campaigns": "-".join(c[4:6]), "ingroups": i[-1], "query_date": day(14), "end_date": day(15),
         "query_time": "09:00:00", "end_time": "18:00:00"},
        {"campaigns": c[0], "did_ids": "ALLDIDS", "status_breakdown": "1", "query_date": day(11)},
    ]
    return [("call_status_stats", r) for r in status] + [("call_dispo_report", r) for r in dispo]


def read_call_logs(database, start: str, end: str) -> CallLogs:
    """Every call of vicidial_log, vicidial_closer_log and vicidial_did_log from ``start`` to
    ``end`` (inclusive), with every status, campaign, user and DID of the database, as the
    oracles' ``CallLogs``. The same texts share one string (a million calls name a few dozen)."""
    names: dict[str, str] = {}
    shared = lambda text: names.setdefault(text, text) if isinstance(text, str) else text   # noqa: E731

    def calls(table: str) -> list[Call]:
        return [Call(shared(campaign), when, shared(status), shared(user), uniqueid)
                for campaign, when, status, user, uniqueid in database.all(
                    f"SELECT campaign_id, CAST(call_date AS CHAR), status, user, uniqueid FROM {table} "
                    "WHERE call_date >= ? AND call_date <= ?", start, end)]

    did_calls = [DidCall(uniqueid, extension, when, "" if did_id is None else str(did_id))
                 for uniqueid, extension, when, did_id in database.all(
                     "SELECT uniqueid, extension, CAST(call_date AS CHAR), did_id FROM vicidial_did_log "
                     "WHERE call_date >= ? AND call_date <= ?", start, end)]
    statuses = [Status(status, human, category) for status, human, category in database.all(
        "SELECT status, human_answered, category FROM vicidial_statuses")]
    statuses += [Status(status, human, category, campaign) for status, human, category, campaign in database.all(
        "SELECT status, human_answered, category, campaign_id FROM vicidial_campaign_statuses")]
    return CallLogs(
        outbound=calls("vicidial_log"), inbound=calls("vicidial_closer_log"), did_calls=did_calls, statuses=statuses,
        campaigns={campaign: closers or "" for campaign, closers in database.all(
            "SELECT campaign_id, closer_campaigns FROM vicidial_campaigns")},
        user_groups={user: group or "" for user, group in database.all("SELECT user, user_group FROM vicidial_users")},
        dids={str(did_id): pattern or "" for did_id, pattern in database.all(
            "SELECT did_id, did_pattern FROM vicidial_inbound_dids")})


def rows_read(logs: CallLogs, function: str, params: Mapping[str, str]) -> int:
    """The call-log rows inside a request's window in the logs it reads (campaigns: vicidial_log,
    in-groups: the closer log, DIDs: the DID log), before any other filter."""
    date = keep(params.get("query_date", ""), "-0-9")
    start = as_datetime(f"{date} {params.get('query_time') or '00:00:00'}")
    end = as_datetime(f"{params.get('end_date') or date} {params.get('end_time') or '23:59:59'}")
    inside = lambda rows: sum(1 for row in rows if start <= row.call_date <= end)   # noqa: E731
    ingroups = params.get("ingroups") or (function == "call_status_stats" and params.get("campaigns"))
    dids = function == "call_dispo_report" and params.get("did_ids") and not params.get("ingroups")
    return (inside(logs.outbound) if params.get("campaigns") else 0) + (inside(logs.inbound) if ingroups else 0) \
        + (inside(logs.did_calls) if dids else 0)


@dataclass
class Answer:
    """One host's answer to one request: status, milliseconds, equal to the oracle's text or not."""

    status: int
    milliseconds: float
    equal: bool
    body: bytes = b""
    content_type: str = ""


@dataclass
class Outcome:
    """One request: what the oracle says and what each host answered."""

    function: str
    params: dict[str, str]
    rows: int
    oracle_milliseconds: float
    expected: bytes
    answers: dict[str, Answer] = field(default_factory=dict)


def ask(base_url: str, function: str, params: Mapping[str, str], user: str, password: str,
        timeout: float = 600) -> tuple[int, bytes, float, str]:
    """One Non-Agent API request: status, the body's bytes, seconds to the last byte, Content-Type."""
    query = urllib.parse.urlencode({"source": "vicicert", "user": user, "pass": password, "function": function,
                                    **params})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{base_url}/vicidial/non_agent_api.php?{query}", timeout=timeout) as answer:
            status, body, headers = answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read(), error.headers
    return status, body, time.perf_counter() - started, headers.get("Content-Type", "")


def compare(logs: CallLogs, hosts: Mapping[str, str], user: str, password: str,
            asked: list[tuple[str, dict[str, str]]]) -> list[Outcome]:
    """Each request: the oracle's text, then each host's answer (by name: base URL), timed and
    held to that text byte for byte (HTTP 200 too)."""
    outcomes = []
    for function, params in asked:
        started = time.perf_counter()
        expected = REPORTS[function](logs, params).encode("latin-1")
        outcome = Outcome(function, dict(params), rows_read(logs, function, params),
                          (time.perf_counter() - started) * 1000, expected)
        for name, base_url in hosts.items():
            status, body, seconds, content_type = ask(base_url, function, params, user, password)
            outcome.answers[name] = Answer(status, seconds * 1000, status == 200 and body == expected, body,
                                           content_type)
        outcomes.append(outcome)
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    """The outcomes as a text table: request, rows, each host's milliseconds and equality, the oracle's time."""
    from tabulate import tabulate

    names = list(outcomes[0].answers) if outcomes else []
    rows = []
    for outcome in outcomes:
        request = outcome.function + " " + " ".join(f"{key}={value}" for key, value in outcome.params.items())
        row = [request, f"{outcome.rows:,}", f"{len(outcome.expected):,}"]
        for name in names:
            answer = outcome.answers[name]
            row += [f"{answer.milliseconds:,.0f}", "yes" if answer.equal else f"NO ({answer.status})"]
        rows.append(row + [f"{outcome.oracle_milliseconds:,.0f}"])
    headers = ["request", "rows", "bytes"] + [part for name in names for part in (f"{name} ms", f"{name} equal")]
    return tabulate(rows, headers=headers + ["oracle ms"], tablefmt="simple", disable_numparse=True)


def content_types(outcomes: list[Outcome]) -> dict[tuple[str, str], set[str]]:
    """The Content-Type each host answered each function with, by (host, function)."""
    found: dict[tuple[str, str], set[str]] = {}
    for outcome in outcomes:
        for name, answer in outcome.answers.items():
            found.setdefault((name, outcome.function), set()).add(answer.content_type)
    return found
