"""Deterministic, realistic vicidial_agent_log rows for any size of window.

About 200 agents in several campaigns, spread over weeks: each agent's day starts with a
LOGIN row, then calls (wait, talk, dispo, some dead time) and pauses with pause codes; a
few rows carry the NULLs real logs have (no pause_sec, no lead_id). The same plan always
gives the same rows, in agent_log_id (time) order. Rows are drawn in numpy column chunks
(``chunks``), so ten million take seconds; ``generate`` yields the same rows one by one.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from typing import Iterator

import numpy

from .oracle.agent_stats import AgentLogRow

PAUSE_CODES = ("BREAK", "LUNCH", "TRAIN", "WRAP", "")
LOGIN = -2                                   # sub_status of a LOGIN row; 0.. index PAUSE_CODES
SUB_STATUSES = ("LOGIN", "", *PAUSE_CODES)   # the text of sub_status s: SUB_STATUSES[s - LOGIN]
CHUNK_ROWS = 1_000_000
MISSING = -1  # NULL in the integer columns


@dataclass(frozen=True)
class AgentLogPlan:
    """What to generate: how many rows, for whom, over which weeks, from which seed."""

    rows: int
    seed: int = 1
    agents: int = 200
    campaigns: int = 6
    start: str = "2026-05-04 00:00:00"
    weeks: int = 4
    first_user: int = 3001
    first_id: int = 1
    user_prefix: str = "vcsd"   # seeded agents: apart from the world's vcrt users and from real ones

    @property
    def users(self) -> list[str]:
        return [f"{self.user_prefix}{self.first_user + index}" for index in range(self.agents)]

    @property
    def campaign_ids(self) -> list[str]:
        return [f"GENC{index + 1:02d}" for index in range(self.campaigns)]

    def user_rows(self) -> dict[str, tuple[str, str]]:
        """full_name and user_group of each generated agent (for vicidial_users)."""
        return {user: (f"Agent {user}", f"TEAM{index % 5 + 1}") for index, user in enumerate(self.users)}

    @property
    def start_epoch(self) -> int:
        return calendar.timegm(time.strptime(self.start, "%Y-%m-%d %H:%M:%S"))

    def window(self) -> tuple[str, str]:
        """The first and last possible event_time, inclusive."""
        end = self.start_epoch + self.weeks * 7 * 86400 - 1
        return self.start, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(end))


def chunks(plan: AgentLogPlan) -> Iterator[dict[str, numpy.ndarray]]:
    """The plan's rows as column arrays, ``CHUNK_ROWS`` at a time; NULL is ``MISSING`` (-1).

    Columns: agent_log_id, epoch (event time and pause_epoch), user (index into
    ``plan.users``), campaign (index into ``plan.campaign_ids``), lead_id, pause_sec,
    wait_sec, talk_sec, dispo_sec, dead_sec, sub_status (index into PAUSE_CODES, or LOGIN).
    """
    random = numpy.random.Generator(numpy.random.PCG64(plan.seed))
    home = random.integers(0, plan.campaigns, plan.agents)
    other = random.integers(0, plan.campaigns, plan.agents)
    span = plan.weeks * 7 * 86400
    step = span / max(plan.rows, 1)
    days = plan.weeks * 7 + 1
    logged_in = numpy.zeros(days * plan.agents, dtype=bool)   # (day, agent) already had its LOGIN
    for offset in range(0, plan.rows, CHUNK_ROWS):
        count = min(CHUNK_ROWS, plan.rows - offset)
        index = numpy.arange(offset, offset + count, dtype=numpy.int64)
        epoch = plan.start_epoch + (index * step).astype(numpy.int64)
        user = random.integers(0, plan.agents, count)
        campaign = numpy.where(random.random(count) < 0.8, home[user], other[user])
        key = ((epoch - plan.start_epoch) // 86400) * plan.agents + user
        first_keys, first_rows = numpy.unique(key, return_index=True)
        fresh = ~logged_in[first_keys]
        login = numpy.zeros(count, dtype=bool)
        login[first_rows[fresh]] = True
        logged_in[first_keys] = True
        call = ~login & (random.random(count) < 0.62)
        pause_only = ~login & ~call
        talk = numpy.where(call, random.integers(0, 900, count), 0)
        dead = numpy.where(call & (random.random(count) < 0.2),
                           (random.random(count) * (talk // 10 + 1)).astype(numpy.int64), 0)
        columns = {
            "agent_log_id": plan.first_id + index,
            "epoch": epoch,
            "user": user,
            "campaign": campaign,
            "lead_id": numpy.where(call, 100000 + random.integers(0, 900000, count), 0),
            "pause_sec": numpy.select([login, call], [random.integers(5, 300, count), random.integers(0, 40, count)],
                                      random.integers(10, 1800, count)),
            "wait_sec": numpy.select([call, pause_only], [random.integers(0, 120, count),
                                                          random.integers(0, 60, count)], 0),
            "talk_sec": talk,
            "dispo_sec": numpy.where(call, random.integers(2, 90, count), 0),
            "dead_sec": dead,
            "sub_status": numpy.where(login, LOGIN, numpy.where(pause_only, random.integers(0, len(PAUSE_CODES), count),
                                                              len(PAUSE_CODES) - 1)),
        }
        columns["pause_sec"][random.random(count) < 0.02] = MISSING
        columns["lead_id"][random.random(count) < 0.01] = MISSING
        yield columns


def generate(plan: AgentLogPlan) -> Iterator[AgentLogRow]:
    """The plan's rows one by one, in time order; agent_log_id counts up from ``plan.first_id``."""
    users, campaigns = plan.users, plan.campaign_ids
    times: dict[int, str] = {}
    for columns in chunks(plan):
        values = zip(*(columns[name].tolist() for name in (
            "agent_log_id", "epoch", "user", "campaign", "lead_id", "pause_sec", "wait_sec", "talk_sec",
            "dispo_sec", "dead_sec", "sub_status")))
        for row_id, epoch, user, campaign, lead, pause, wait, talk, dispo, dead, status in values:
            stamp = times.get(epoch)
            if stamp is None:
                if len(times) > 100_000:
                    times.clear()
                stamp = times[epoch] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
            yield AgentLogRow(row_id, users[user], stamp, None if lead == MISSING else lead, campaigns[campaign],
                              epoch, None if pause == MISSING else pause, wait, talk, dispo, dead, SUB_STATUSES[status - LOGIN])
