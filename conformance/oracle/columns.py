"""The agent_stats_export oracle over generated column chunks, for windows of tens of millions of rows.

The accumulators are numpy (``bincount`` per chunk; first and last rows per agent from the
first and last occurrences, since agent_log_id rises through the chunks); the per-line
arithmetic, the order and the texts are ``agent_stats.render``, the same as the row-by-row
oracle, which the tests hold this one to.
"""

from __future__ import annotations

import calendar
import time

import numpy

from ..agent_log_generator import MISSING, AgentLogPlan, chunks
from .agent_stats import REFERENCE, StatsQuery, _Group, _parse, render

LOGIN = -2


def export_generated(plan: AgentLogPlan, query: StatsQuery, arithmetic: str = REFERENCE) -> str:
    """What a host holding ``plan``'s rows (and its agents in vicidial_users) must print for ``query``."""
    parsed = _parse(query)
    if parsed.error:
        return parsed.error
    users, campaigns = plan.users, plan.campaign_ids
    width = len(users) * (len(campaigns) if parsed.by_campaign else 1)
    counts = numpy.zeros((9, width), dtype=numpy.int64)   # rows calls pauses sessions pause wait talk dispo dead
    first = numpy.full((3, width), -1, dtype=numpy.int64)  # id dispo epoch
    last = numpy.full((3, width), -1, dtype=numpy.int64)   # id epoch pause+wait+talk+dispo
    if parsed.low is not None and parsed.high is not None:
        low, high = (calendar.timegm(time.strptime(bound, "%Y-%m-%d %H:%M:%S")) for bound in (parsed.low, parsed.high))
        keep_users = [i for i, user in enumerate(users) if user.upper() == parsed.want_user]
        keep_campaigns = [i for i, campaign in enumerate(campaigns) if campaign.upper() == parsed.want_campaign]
        for columns in chunks(plan):
            mask = (columns["epoch"] >= low) & (columns["epoch"] <= high)
            if parsed.want_user is not None:
                mask &= numpy.isin(columns["user"], keep_users)
            if parsed.want_campaign is not None:
                mask &= numpy.isin(columns["campaign"], keep_campaigns)
            if mask.any():
                _accumulate({name: values[mask] for name, values in columns.items()}, parsed.by_campaign,
                            len(users), counts, first, last)
    groups = {}
    for slot in numpy.flatnonzero(counts[0]).tolist():
        user, campaign = users[slot % len(users)], campaigns[slot // len(users)] if parsed.by_campaign else None
        rows, calls, pauses, sessions, *sums = counts[:, slot].tolist()
        group = _Group(user, campaign, int(first[0, slot]), int(first[1, slot]), int(first[2, slot]),
                       int(last[0, slot]), int(last[1, slot]), int(last[2, slot]), calls, pauses, sessions, sums)
        groups[((campaign or "").upper(), user.upper())] = group
    return render(groups, int(counts[0].sum()), plan.user_rows(), query, parsed, arithmetic)


def _accumulate(rows: dict[str, numpy.ndarray], by_campaign: bool, user_count: int,
                counts: numpy.ndarray, first: numpy.ndarray, last: numpy.ndarray) -> None:
    key = rows["campaign"] * user_count + rows["user"] if by_campaign else rows["user"]
    width = counts.shape[1]
    pause = numpy.where(rows["pause_sec"] == MISSING, 0, rows["pause_sec"])
    for line, weights in enumerate((None, rows["lead_id"] > 0, rows["pause_sec"] != MISSING,
                                    rows["sub_status"] == LOGIN, pause, rows["wait_sec"], rows["talk_sec"],
                                    rows["dispo_sec"], rows["dead_sec"])):
        counts[line] += numpy.rint(numpy.bincount(key, weights=weights, minlength=width)).astype(numpy.int64)
    slots, at = numpy.unique(key, return_index=True)
    new = first[0, slots] < 0
    slots, at = slots[new], at[new]
    first[:, slots] = rows["agent_log_id"][at], rows["dispo_sec"][at], rows["epoch"][at]
    slots, from_end = numpy.unique(key[::-1], return_index=True)
    at = len(key) - 1 - from_end
    last[:, slots] = (rows["agent_log_id"][at], rows["epoch"][at],
                      pause[at] + rows["wait_sec"][at] + rows["talk_sec"][at] + rows["dispo_sec"][at])
