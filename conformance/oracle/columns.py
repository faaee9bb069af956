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

from ..agent_log_generator import LOGIN, MISSING, AgentLogPlan, chunks
from . import agent_stats
from .agent_stats import REFERENCE, StatsQuery, Group, parse_query, render


def export_generated(plan: AgentLogPlan, query: StatsQuery, arithmetic: str = REFERENCE) -> str:
    """What a host holding ``plan``'s rows (and its agents in vicidial_users) must print for ``query``."""
    parsed = parse_query(query)
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

        def matching(columns):
            mask = (columns["epoch"] >= low) & (columns["epoch"] <= high)
            if parsed.want_user is not None:
                mask &= numpy.isin(columns["user"], keep_users)
            if parsed.want_campaign is not None:
                mask &= numpy.isin(columns["campaign"], keep_campaigns)
            return mask

        for columns in chunks(plan):
            mask = matching(columns)
            if mask.any():
                _accumulate({name: values[mask] for name, values in columns.items()}, parsed.by_campaign,
                            len(users), counts, first, last)
        limit = agent_stats.ROW_LIMIT
        if counts[0].sum() > limit:
            # Upstream reads only the first ROW_LIMIT rows in export order ([campaign,] user,
            # agent_log_id): whole agents up to the cut, then the cut agent's earliest rows.
            order = sorted(numpy.flatnonzero(counts[0]).tolist(), key=lambda slot: _order_key(slot, parsed, users, campaigns))
            quota = numpy.zeros(width, dtype=numpy.int64)
            left = limit
            for slot in order:
                quota[slot] = min(int(counts[0, slot]), left)
                left -= quota[slot]
            counts[:], first[:], last[:] = 0, -1, -1
            taken = numpy.zeros(width, dtype=numpy.int64)
            for columns in chunks(plan):
                rows = {name: values[matching(columns)] for name, values in columns.items()}
                key = _slots(rows, parsed.by_campaign, len(users))
                ranks = taken[key] + _occurrence(key)
                keep = ranks < quota[key]
                taken += numpy.bincount(key, minlength=width)
                if keep.any():
                    _accumulate({name: values[keep] for name, values in rows.items()}, parsed.by_campaign,
                                len(users), counts, first, last)
    groups = {}
    for slot in numpy.flatnonzero(counts[0]).tolist():
        user, campaign = users[slot % len(users)], campaigns[slot // len(users)] if parsed.by_campaign else None
        rows, calls, pauses, sessions, *sums = counts[:, slot].tolist()
        group = Group(user, campaign, int(first[0, slot]), int(first[1, slot]), int(first[2, slot]),
                       int(last[0, slot]), int(last[1, slot]), int(last[2, slot]), calls, pauses, sessions, sums)
        groups[((campaign or "").upper(), user.upper())] = group
    return render(groups, int(counts[0].sum()), plan.user_rows(), query, parsed, arithmetic)


def _order_key(slot: int, parsed, users: list[str], campaigns: list[str]) -> tuple[str, str]:
    campaign = campaigns[slot // len(users)].upper() if parsed.by_campaign else ""
    return campaign, users[slot % len(users)].upper()


def _slots(rows: dict[str, numpy.ndarray], by_campaign: bool, user_count: int) -> numpy.ndarray:
    """Each row's output line: campaign * users + user when grouped by campaign, else the user."""
    return rows["campaign"] * user_count + rows["user"] if by_campaign else rows["user"]


def _occurrence(key: numpy.ndarray) -> numpy.ndarray:
    """For each row, how many earlier rows of this chunk share its key (0, 1, 2, ...)."""
    order = numpy.argsort(key, kind="stable")
    sorted_keys = key[order]
    starts = numpy.flatnonzero(numpy.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    run_start = numpy.repeat(starts, numpy.diff(numpy.r_[starts, len(key)]))
    result = numpy.empty(len(key), dtype=numpy.int64)
    result[order] = numpy.arange(len(key)) - run_start
    return result


def _accumulate(rows: dict[str, numpy.ndarray], by_campaign: bool, user_count: int,
                counts: numpy.ndarray, first: numpy.ndarray, last: numpy.ndarray) -> None:
    key = _slots(rows, by_campaign, user_count)
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
