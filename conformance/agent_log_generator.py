"""Deterministic, realistic vicidial_agent_log rows for any size of window.

About 200 agents in several campaigns, spread over weeks: each agent's day is a LOGIN,
then calls (wait, talk, dispo, some dead time) and pauses with pause codes; a few rows
carry the NULLs real logs have (no pause_sec, no lead_id). The same seed always gives the
same rows, in agent_log_id (time) order, so an export over them can be checked by the
oracle without storing them.
"""

from __future__ import annotations

import calendar
import random
import time
from dataclasses import dataclass
from typing import Iterator

from .oracle.agent_stats import AgentLogRow

PAUSE_CODES = ("BREAK", "LUNCH", "TRAIN", "WRAP", "")


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

    def window(self) -> tuple[str, str]:
        """The first and last possible event_time, inclusive."""
        start = calendar.timegm(time.strptime(self.start, "%Y-%m-%d %H:%M:%S"))
        end = start + self.weeks * 7 * 86400 - 1
        return self.start, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(end))


def generate(plan: AgentLogPlan) -> Iterator[AgentLogRow]:
    """``plan.rows`` rows in time order; agent_log_id counts up from ``plan.first_id``."""
    rng = random.Random(plan.seed)
    users = plan.users
    campaigns = plan.campaign_ids
    home = {user: campaigns[rng.randrange(len(campaigns))] for user in users}
    other = {user: campaigns[rng.randrange(len(campaigns))] for user in users}
    start = calendar.timegm(time.strptime(plan.start, "%Y-%m-%d %H:%M:%S"))
    span = plan.weeks * 7 * 86400
    step = span / max(plan.rows, 1)
    last_login: dict[str, int] = {}
    random_value, choice, randrange = rng.random, rng.choice, rng.randrange
    for index in range(plan.rows):
        epoch = start + int(index * step)
        user = users[randrange(len(users))]
        campaign = home[user] if random_value() < 0.8 else other[user]
        day = epoch // 86400
        roll = random_value()
        if last_login.get(user) != day:
            last_login[user] = day
            lead, pause, wait, talk, dispo, dead, sub = 0, randrange(5, 300), 0, 0, 0, 0, "LOGIN"
        elif roll < 0.62:
            talk = randrange(0, 900)
            lead, pause, wait, dispo = 100000 + randrange(900000), randrange(0, 40), randrange(0, 120), randrange(2, 90)
            dead, sub = (randrange(0, talk // 10 + 1) if random_value() < 0.2 else 0), ""
        else:
            lead, pause, wait, talk, dispo, dead = 0, randrange(10, 1800), randrange(0, 60), 0, 0, 0
            sub = choice(PAUSE_CODES)
        if random_value() < 0.02:
            pause = None
        if random_value() < 0.01:
            lead = None
        yield AgentLogRow(plan.first_id + index, user, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch)),
                          lead, campaign, epoch, pause, wait, talk, dispo, dead, sub)
