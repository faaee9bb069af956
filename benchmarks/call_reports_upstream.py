"""The call-report oracles against a host over a larger generated call log.

    .venv/bin/python benchmarks/call_reports_upstream.py --rows 2000 --out /tmp/calls
    .venv/bin/vicicert check --target URL --world-db mysql://... --world /tmp/calls/world.yaml \
        --specs /tmp/calls/specs

Writes a world of one's own (harness campaigns VCERTG2, VCERTG10, VCERTGA, in-groups VCERTGI2,
VCERTGI10, DIDs 312-555-0191 and 0192, calls of 2000-07-03 and 04 spread over the day) and
a spec folder whose ten cases (five requests of each function) expect what the oracles
compute from those rows, so a check run compares the oracles with the target. Not a test:
figures go in the notes.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from conformance.oracle.call_dispo import call_dispo_text
from conformance.oracle.call_logs import Call, CallLogs, DidCall, Status
from conformance.oracle.call_status import call_status_lines

CAMPAIGNS = {"VCERTG2": " VCERTGI2 VCERTGI10 -", "VCERTG10": " VCERTGI10 -", "VCERTGA": ""}
INGROUPS = ["VCERTGI2", "VCERTGI10"]
STATUSES = ["VCG2", "VCG10", "VCGA", "VCGB1"]
USERS = ["vcrtGu1", "vcrtGu2", "vcrtGu3"]
DIDS = {"3125550191": ("9905191", "VCERTGI2"), "3125550192": ("9905192", "VCERTGI10")}
EPOCH_0703 = 962582400   # 2000-07-03 00:00:00 UTC

STATUS_REQUESTS = [
    {"campaigns": "VCERTG10-VCERTG2-VCERTGA"},
    {"campaigns": "VCERTG2", "end_date": "2000-07-04"},
    {"campaigns": "vcertg10", "statuses": "VCG10-VCGA"},
    {"campaigns": "VCERTG2-VCERTG10", "ingroups": "VCERTGI10-VCERTG2", "query_time": "06:00:00",
     "end_time": "18:00:00"},
    {"campaigns": "VCERTGA", "statuses": "VCG2", "end_date": "2000-07-04"},
]
DISPO_REQUESTS = [
    {"campaigns": "VCERTG2-VCERTG10-VCERTGA", "status_breakdown": "1", "show_percentages": "1",
     "end_date": "2000-07-04"},
    {"ingroups": "ALLGROUPS", "status_breakdown": "1"},
    {"did_ids": "ALLDIDS", "status_breakdown": "1", "show_percentages": "1", "end_date": "2000-07-04"},
    {"campaigns": "ALLCAMPAIGNS", "categories": "VCERTGK1", "users": "vcrtGu1-vcrtGu3", "status_breakdown": "Y"},
    {"campaigns": "VCERTG2", "did_ids": "9905192", "status_breakdown": "1", "query_time": "12:00:00"},
]


def generate(rows: int, seed: int) -> CallLogs:
    rng = random.Random(seed)

    def moment() -> str:
        second = rng.randrange(2 * 86400)
        day, rest = divmod(second, 86400)
        return f"2000-07-0{3 + day} {rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}"

    outbound = [Call(rng.choice(list(CAMPAIGNS)), moment(), rng.choice(STATUSES), rng.choice(USERS))
                for _ in range(rows)]
    inbound = [Call(rng.choice(INGROUPS), moment(), rng.choice(STATUSES), rng.choice(USERS), f"962500000.{70000 + n}")
               for n in range(rows // 2)]
    did_calls = []
    for n in range(rows // 5):
        extension = rng.choice(sorted(DIDS))
        did_id, ingroup = DIDS[extension]
        uniqueid = f"962600000.{80000 + n}"
        when = moment()
        did_calls.append(DidCall(uniqueid, extension, when, did_id))
        for _ in range(rng.choice([0, 1, 1, 2])):
            inbound.append(Call(ingroup, when, rng.choice(STATUSES), rng.choice(USERS), uniqueid))
    statuses = [Status("VCG2", "Y", "VCERTGK1", "VCERTG2"), Status("VCGA", "Y", "UNDEFINED", "VCERTG10"),
                Status("VCG10", "N", "VCERTGK1", "VCERTG10")]
    return CallLogs(outbound, inbound, did_calls, statuses, dict(CAMPAIGNS), {}, {})


def world_text(logs: CallLogs) -> str:
    lines = ["vicicert: world/1", "campaigns:"]
    lines += [f"  - {{campaign_id: {campaign}, campaign_name: vicicert generated calls, active: \"Y\", "
              f"closer_campaigns: {json.dumps(closers)}}}" for campaign, closers in CAMPAIGNS.items()]
    lines.append("campaign_statuses:")
    lines += [f"  - {{campaign_id: {s.campaign_id}, status: {s.status}, status_name: generated, selectable: \"Y\", "
              f"human_answered: \"{s.human_answered}\", category: {s.category}}}" for s in logs.statuses]
    lines.append("call_log:")
    lines += [f"  - {{uniqueid: \"962400000.{60000 + n}\", lead_id: 0, campaign_id: {c.campaign_id}, "
              f"call_date: \"{c.call_date}\", status: {c.status}, phone_number: \"3125550176\", user: {c.user}}}"
              for n, c in enumerate(logs.outbound)]
    lines.append("closer_log:")
    lines += [f"  - {{lead_id: 0, campaign_id: {c.campaign_id}, call_date: \"{c.call_date}\", status: {c.status}, "
              f"phone_number: \"3125550176\", user: {c.user}, uniqueid: \"{c.uniqueid}\"}}" for c in logs.inbound]
    lines.append("did_log:")
    lines += [f"  - {{uniqueid: \"{d.uniqueid}\", channel: SIP/vcertgen, server_ip: 192.0.2.15, "
              f"caller_id_number: \"3125550176\", extension: \"{d.extension}\", call_date: \"{d.call_date}\", "
              f"did_id: \"{d.did_id}\"}}" for d in logs.did_calls]
    return "\n".join(lines) + "\n"


def spec_text(function: str, requests: list[dict[str, str]], answers: list[str]) -> str:
    lines = ["vicicert: spec/1", "api: non_agent_api", f"function: {function}", "endpoint: /vicidial/non_agent_api.php",
             "summary: the oracle's answers over a generated call log (benchmarks/call_reports_upstream.py)",
             "sources:", "  oracle: conformance/oracle, over the generated world", "defaults:", "  source: vicicert",
             "  user: \"{api.user}\"", "  pass: \"{api.pass}\"", f"  function: {function}",
             "  query_date: \"2000-07-03\"", "responses:",
             "  refused: \"ERROR: call_status_stats USER DOES NOT HAVE PERMISSION TO VIEW STATS: |{user}|0|\\n\"",
             "cases:"]
    for n, (request, answer) in enumerate(zip(requests, answers), start=1):
        lines += [f"  - name: generated_{n}", "    why: the oracle's answer", f"    request: {json.dumps(request)}",
                  f"    expect: {{reference: {{body: {json.dumps(answer)}}}}}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    logs = generate(args.rows, args.seed)
    (args.out / "specs").mkdir(parents=True, exist_ok=True)
    (args.out / "world.yaml").write_text(world_text(logs))
    base = {"query_date": "2000-07-03"}
    (args.out / "specs" / "call_status_stats.yaml").write_text(spec_text(
        "call_status_stats", STATUS_REQUESTS, [call_status_lines(logs, {**base, **r}) for r in STATUS_REQUESTS]))
    (args.out / "specs" / "call_dispo_report.yaml").write_text(spec_text(
        "call_dispo_report", DISPO_REQUESTS, [call_dispo_text(logs, {**base, **r}) for r in DISPO_REQUESTS]))
    print(f"{len(logs.outbound)} outbound, {len(logs.inbound)} in-group and {len(logs.did_calls)} DID calls "
          f"written to {args.out}")


if __name__ == "__main__":
    main()
