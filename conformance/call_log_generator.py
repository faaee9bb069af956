"""Deterministic, realistic call-log rows (vicidial_log, vicidial_closer_log, recording_log) for any size.

Each call is outbound (a vicidial_log row in one of the seeded campaigns) or inbound (a
vicidial_closer_log row in one of the seeded in-groups), to or from a number of the fictional
NPA-555-0100..0199 space; a number is always the same lead, in the same list, of the same
campaign. A call an agent handled carries the agent and one of the agent dispositions, the rest
the dialer's own user (VDAD outbound, VDCL inbound) and a dialer status; a share of the handled
calls has its recording, whose ``vicidial_id`` is the call's uniqueid (outbound) or closecallid
(inbound), as VICIdial writes them. Calls are spread evenly over the window in time order,
drawn in numpy column chunks (``chunks``), so a million take about a second.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from typing import Iterator

import numpy

CHUNK_CALLS = 500_000
LEAD_BASE = 990_000_000     # seeded calls' leads: ids no real host reaches (checked free before seeding)
LIST_BASE = 9_999_100       # seeded calls' lists: vicicert's reserved list range (9990000-9999999)
UNIQUE_BASE = 9_000_000     # uniqueid = "<epoch>.<9nnnnnn>": a sequence an Asterisk's channel counter rarely reaches
CAMPAIGN_PREFIX = "VCERTSD"  # seeded campaigns VCERTSD1.. (vicidial_log.campaign_id is 8 characters) and in-groups
DIALER_USERS = ("VDAD", "VDCL")  # who "handles" a call no agent took: outbound, inbound

# (status, weight, an agent's disposition) as a VICIdial host gives them; the seed keeps those the
# host's vicidial_statuses holds (all of them on a host without any).
OUTBOUND_STATUSES = (("NA", 30, False), ("A", 12, False), ("AA", 8, False), ("B", 4, False), ("AB", 2, False),
                     ("DC", 2, False), ("ADC", 2, False), ("DROP", 3, False), ("PDROP", 1, False), ("N", 3, False),
                     ("NI", 14, True), ("SALE", 6, True), ("CALLBK", 5, True), ("DNC", 2, True), ("XFER", 3, True),
                     ("DEC", 3, True))
INBOUND_STATUSES = (("DROP", 6, False), ("XDROP", 2, False), ("AFTHRS", 3, False), ("TIMEOT", 2, False),
                    ("NI", 20, True), ("SALE", 25, True), ("CALLBK", 12, True), ("XFER", 10, True), ("DNC", 2, True),
                    ("NP", 6, True))


def _area_codes() -> numpy.ndarray:
    """NANP area codes in form (first digit 2-9, no N11, no 9 in the middle, no 555), without 312:
    the world's DNC and DID rows take 312-555-01xx."""
    codes = [code for code in range(200, 1000) if code // 10 % 10 != 9 and code % 100 != 11
             and code not in (312, 555)]
    return numpy.array(codes, dtype=numpy.int64)


AREA_CODES = _area_codes()


@dataclass(frozen=True)
class CallLogPlan:
    """What to generate: how many calls, over which weeks, in which share inbound and recorded."""

    rows: int
    seed: int = 1
    agents: int = 200
    campaigns: int = 6
    ingroups: int = 4
    start: str = "2001-01-01 00:00:00"
    weeks: int = 4
    inbound_share: float = 0.3
    recorded_share: float = 0.6      # of the calls an agent handled
    phones: int = 20_000             # numbers called or calling (at most 100 per area code)
    user_prefix: str = "vcrtsd"      # agents: inside the harness namespace (recording_log's owner mark)
    first_user: int = 3001
    outbound_statuses: tuple = OUTBOUND_STATUSES
    inbound_statuses: tuple = INBOUND_STATUSES

    @property
    def users(self) -> list[str]:
        return [f"{self.user_prefix}{self.first_user + index}" for index in range(self.agents)]

    @property
    def campaign_ids(self) -> list[str]:
        return [f"{CAMPAIGN_PREFIX}{index + 1}" for index in range(self.campaigns)]

    @property
    def ingroup_ids(self) -> list[str]:
        return [f"{CAMPAIGN_PREFIX}IN{index + 1}" for index in range(self.ingroups)]

    @property
    def start_epoch(self) -> int:
        return calendar.timegm(time.strptime(self.start, "%Y-%m-%d %H:%M:%S"))

    def window(self) -> tuple[str, str]:
        """The first and last possible call_date, inclusive."""
        end = self.start_epoch + self.weeks * 7 * 86400 - 1
        return self.start, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(end))

    def lead_range(self) -> tuple[int, int]:
        return LEAD_BASE, LEAD_BASE + self.phones - 1

    def phone_number(self, phone: numpy.ndarray) -> numpy.ndarray:
        """The 10-digit number of each phone index: area code, then 555-0100 to 555-0199."""
        return AREA_CODES[phone // 100] * 10_000_000 + 5_550_100 + phone % 100

    def with_statuses(self, available: set[str]) -> "CallLogPlan":
        """The plan with only the statuses the host knows (all when it knows none)."""
        if not available:
            return self
        from dataclasses import replace
        return replace(self, outbound_statuses=tuple(s for s in self.outbound_statuses if s[0] in available),
                       inbound_statuses=tuple(s for s in self.inbound_statuses if s[0] in available))


def _statuses(random, table: tuple, count: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Status indexes into ``table`` by weight, and whether an agent gave each."""
    weights = numpy.array([weight for _, weight, _ in table], dtype=float)
    drawn = random.choice(len(table), size=count, p=weights / weights.sum())
    return drawn, numpy.array([agent for _, _, agent in table], dtype=bool)[drawn]


def chunks(plan: CallLogPlan) -> Iterator[dict[str, numpy.ndarray]]:
    """The plan's calls as column arrays, ``CHUNK_CALLS`` at a time, in time order.

    Columns: call (index from 0), epoch, length, inbound (bool), campaign (index into
    ``plan.campaign_ids``, or ``plan.ingroup_ids`` when inbound), phone (index; see
    ``phone_number``), lead_id, list_id, status (index into the direction's statuses), agent
    (bool: an agent handled it), user (index into ``plan.users``), term (0 CALLER, 1 AGENT, 2 the
    dialer's: NONE outbound, ABANDON inbound), recorded (bool).
    """
    if plan.phones > 100 * len(AREA_CODES):
        raise ValueError(f"at most {100 * len(AREA_CODES):,} fictional numbers")
    random = numpy.random.Generator(numpy.random.PCG64(plan.seed))
    span = plan.weeks * 7 * 86400
    step = span / max(plan.rows, 1)
    for offset in range(0, plan.rows, CHUNK_CALLS):
        count = min(CHUNK_CALLS, plan.rows - offset)
        call = numpy.arange(offset, offset + count, dtype=numpy.int64)
        inbound = random.random(count) < plan.inbound_share
        phone = random.integers(0, plan.phones, count)
        out_status, out_agent = _statuses(random, plan.outbound_statuses, count)
        in_status, in_agent = _statuses(random, plan.inbound_statuses, count)
        agent = numpy.where(inbound, in_agent, out_agent)
        length = numpy.where(agent, random.integers(15, 900, count), random.integers(0, 45, count))
        yield {
            "call": call,
            "epoch": plan.start_epoch + (call * step).astype(numpy.int64),
            "length": length,
            "inbound": inbound,
            "campaign": numpy.where(inbound, random.integers(0, plan.ingroups, count), phone % plan.campaigns),
            "phone": phone,
            "lead_id": LEAD_BASE + phone,
            "list_id": LIST_BASE + phone % plan.campaigns,
            "status": numpy.where(inbound, in_status, out_status),
            "agent": agent,
            "user": random.integers(0, plan.agents, count),
            "term": numpy.where(agent, random.integers(0, 2, count), 2),
            "recorded": agent & (random.random(count) < plan.recorded_share),
        }
