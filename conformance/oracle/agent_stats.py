"""The ``agent_stats_export`` oracle: the export a host must print for given agent-log rows.

Two arithmetics:

- ``reference`` reproduces upstream www/vicidial/non_agent_api.php (2.14-202) exactly,
  quirks included: each agent's first dispo_sec counted twice (without
  group_by_campaign); login time capped only with group_by_campaign; avg_talk_time
  divides the *previous* output row's formatted total_talk_time by this row's calls;
  pause_pct is 100 for an agent with no pauses; wait, talk, dispo and dead print as zero
  for an agent without calls; sessions is at least 1.
- ``documented`` is what each column is documented to mean: no double count, no cap,
  avg_talk_time = total_talk_time / calls of the same agent, pause_pct = pause / login,
  the raw times whatever the call count.

The oracle streams: it holds one accumulator per output row, never the rows themselves,
so it can check a 10,000,000-row window. It shares no aggregation code with the reference
host; both use ``phpmath`` for PHP's own rounding and formatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple

from ..phpmath import math_zdc, php_round, php_str, sec_convert

REFERENCE, DOCUMENTED = "reference", "documented"
ROW_LIMIT = 10_000_000
COLUMNS = ("user", "full_name", "user_group", "calls", "login_time", "total_talk_time", "avg_talk_time",
           "avg_wait_time", "pct_of_queue", "pause_time", "sessions", "avg_session", "pauses", "avg_pause_time",
           "pause_pct", "pauses_per_session", "wait_time", "talk_time", "dispo_time", "dead_time")
SEPARATORS = {"csv": ",", "tab": "\t", "pipe": "|"}


class AgentLogRow(NamedTuple):
    """The vicidial_agent_log columns the export reads."""

    agent_log_id: int
    user: str
    event_time: str
    lead_id: int | None = None
    campaign_id: str | None = None
    pause_epoch: int | None = None
    pause_sec: int | None = None
    wait_sec: int | None = None
    talk_sec: int | None = None
    dispo_sec: int | None = None
    dead_sec: int | None = None
    sub_status: str | None = None


@dataclass(frozen=True)
class StatsQuery:
    """An agent_stats_export request as the oracle reads it (raw parameter values)."""

    user: str
    datetime_start: str = ""
    datetime_end: str = ""
    agent_user: str = ""
    campaign_id: str = ""
    stage: str = ""
    header: str = ""
    time_format: str = ""
    group_by_campaign: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "StatsQuery":
        names = cls.__dataclass_fields__
        values = {name: params.get(name, "") for name in names}
        values["agent_user"] = re.sub(r"[^-_0-9a-zA-Z]", "", values["agent_user"])   # upstream's filter
        return cls(**values)


@dataclass
class Group:
    user: str
    campaign: str | None
    first_id: int
    first_dispo: int
    first_epoch: int
    last_id: int = -1
    last_epoch: int = 0
    last_sum: int = 0
    calls: int = 0
    pauses: int = 0
    sessions: int = 0
    sums: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])  # pause wait talk dispo dead


def _n(value: int | None) -> int:
    return value or 0


ZERO_DATETIME = "0000-00-00 00:00:00"
_LARGEST = (9999, 12, 31, 23, 59, 59)   # year, month, day (any month), hour, minute, second


def _window(text: str) -> str:
    """A filtered datetime as MariaDB compares it with event_time: six numbers of 4, 2, 2, 2, 2
    and 2 digits within their ranges; anything else reads as the zero datetime."""
    parts = re.split(r"\D", text)
    if [len(part) for part in parts] != [4, 2, 2, 2, 2, 2] or \
            any(int(part) > largest for part, largest in zip(parts, _LARGEST)):
        return ZERO_DATETIME
    return "{}-{}-{} {}:{}:{}".format(*parts)


@dataclass(frozen=True)
class ParsedQuery:
    """A request as upstream reads it, or the error line it gets."""

    error: str | None
    start: str = ""
    end: str = ""
    campaign: str = ""
    low: str = ZERO_DATETIME
    high: str = ZERO_DATETIME
    want_user: str | None = None
    want_campaign: str | None = None
    by_campaign: bool = False


def parse_query(query: StatsQuery) -> ParsedQuery:
    start = re.sub(r"[^- +:_0-9]", "", query.datetime_start)
    end = re.sub(r"[^- +:_0-9]", "", query.datetime_end)
    campaign = re.sub(r"[^-_0-9a-zA-Z]", "", query.campaign_id)
    if len(start) != 19 or len(end) != 19:
        return ParsedQuery(f"ERROR: agent_stats_export INVALID SEARCH PARAMETERS: "
                       f"{query.user}|{query.agent_user}|{start}|{end}|{campaign}\n")
    start, end = start.replace("+", " "), end.replace("+", " ")
    return ParsedQuery(None, start, end, campaign, _window(start), _window(end),
                   query.agent_user.upper() if 0 < len(query.agent_user) < 21 else None,
                   campaign.upper() if 0 < len(campaign) < 9 else None,
                   re.sub(r"[^0-9a-zA-Z]", "", query.group_by_campaign) == "YES")


def export(rows: Iterable[AgentLogRow], users: Mapping[str, tuple[str, str]], query: StatsQuery,
           arithmetic: str = REFERENCE) -> str:
    """The whole body a host must print for ``query`` over ``rows``.

    ``users`` maps user to (full_name, user_group), as vicidial_users holds them now.
    """
    parsed = parse_query(query)
    if parsed.error:
        return parsed.error
    groups: dict[tuple[str, str], Group] = {}
    matched = 0
    for row in rows:
        if not parsed.low <= row.event_time <= parsed.high:
            continue
        if parsed.want_user is not None and row.user.upper() != parsed.want_user:
            continue
        if parsed.want_campaign is not None and (row.campaign_id or "").upper() != parsed.want_campaign:
            continue
        matched += 1
        key = ((row.campaign_id or "").upper() if parsed.by_campaign else "", row.user.upper())
        group = groups.get(key)
        if group is None or row.agent_log_id < group.first_id:
            if group is None:
                group = groups[key] = Group(row.user, row.campaign_id, row.agent_log_id,
                                             _n(row.dispo_sec), _n(row.pause_epoch))
            else:
                group.user, group.campaign, group.first_id = row.user, row.campaign_id, row.agent_log_id
                group.first_dispo, group.first_epoch = _n(row.dispo_sec), _n(row.pause_epoch)
        if row.agent_log_id > group.last_id:
            group.last_id, group.last_epoch = row.agent_log_id, _n(row.pause_epoch)
            group.last_sum = _n(row.pause_sec) + _n(row.wait_sec) + _n(row.talk_sec) + _n(row.dispo_sec)
        if _n(row.lead_id) > 0:
            group.calls += 1
        if row.pause_sec is not None:
            group.pauses += 1
        if row.sub_status and "LOGIN" in row.sub_status:
            group.sessions += 1
        for index, value in enumerate((row.pause_sec, row.wait_sec, row.talk_sec, row.dispo_sec, row.dead_sec)):
            group.sums[index] += _n(value)
    return render(groups, matched, users, query, parsed, arithmetic)


def render(groups: Mapping[tuple[str, str], "Group"], matched: int, users: Mapping[str, tuple[str, str]],
           query: StatsQuery, parsed: ParsedQuery, arithmetic: str) -> str:
    """The body from per-line accumulators keyed (campaign, user) in upper case."""
    if matched == 0:
        return (f"ERROR: agent_stats_export NO RECORDS FOUND - "
                f"{query.user}|{query.agent_user}|{parsed.start}|{parsed.end}|{parsed.campaign}\n")
    if matched > ROW_LIMIT:
        raise NotImplementedError("the row-by-row oracle does not model upstream's 10,000,000-row LIMIT; "
                                  "oracle.columns.export_generated does")
    users = {user.upper(): facts for user, facts in users.items()}  # MySQL matches users case-insensitively
    separator = SEPARATORS.get(re.sub(r"[^a-zA-Z]", "", query.stage), "|")
    time_format = re.sub(r"[^A-Z]", "", query.time_format) or "HF"
    lines = []
    if query.header == "YES":
        lines.append(separator.join((("campaign_id",) if parsed.by_campaign else ()) + COLUMNS))
    total_calls = sum(group.calls for group in groups.values())
    previous_total_talk: str | None = None
    for key in sorted(groups):
        group = groups[key]
        values, previous_total_talk = _row(group, users, total_calls, time_format, parsed.by_campaign,
                                           arithmetic, previous_total_talk)
        lines.append(separator.join(([group.campaign or ""] if parsed.by_campaign else []) + values))
    return "".join(line + "\n" for line in lines)


def _row(group: Group, users: Mapping[str, tuple[str, str]], total_calls: int, time_format: str,
         by_campaign: bool, arithmetic: str, previous_total_talk: str | None) -> tuple[list[str], str]:
    pause, wait, talk, dispo, dead = group.sums
    reference = arithmetic == REFERENCE
    if reference and not by_campaign:
        dispo += group.first_dispo                       # upstream seeds the sum with the first row
    login = pause + wait + talk + dispo
    if reference:
        span = (group.last_epoch - (group.first_epoch if by_campaign else 0)) + group.last_sum
        login = min(login, span)
    sessions = max(group.sessions, 1)
    calls = group.calls
    if reference:
        pause_pct = 100 if group.pauses < 1 or login < 1 else math_zdc(pause, login) * 100
    else:
        pause_pct = math_zdc(pause, login) * 100
    if calls < 1 and reference:
        total_talk = shown_wait = shown_talk = shown_dead = shown_dispo = 0
    else:
        total_talk, shown_wait, shown_talk, shown_dead, shown_dispo = talk - dead, wait, talk, dead, dispo
    total_talk_text = sec_convert(total_talk, time_format)
    avg_talk = math_zdc(previous_total_talk, calls) if reference else math_zdc(max(total_talk, 0), calls)
    full_name, user_group = users.get(group.user.upper(), ("", ""))

    def seconds(value) -> str:
        return sec_convert(php_round(value), time_format)

    return [
        group.user, full_name, user_group, str(calls), sec_convert(login, time_format), total_talk_text,
        seconds(avg_talk), seconds(math_zdc(wait, calls)),
        php_str(php_round(math_zdc(calls, total_calls) * 100, 1)) + "%", php_str(pause), str(sessions),
        seconds(math_zdc(login, sessions)), str(group.pauses), seconds(math_zdc(pause, group.pauses)),
        php_str(php_round(pause_pct, 1)) + "%", php_str(php_round(math_zdc(group.pauses, sessions))),
        sec_convert(shown_wait, time_format), sec_convert(shown_talk, time_format),
        sec_convert(shown_dispo, time_format), sec_convert(shown_dead, time_format),
    ], total_talk_text
