"""``agent_stats_export``: per-agent totals of vicidial_agent_log over a window, aggregated in SQL.

Only one row per output line reaches Python, for PHP's formatting; wide windows are scanned
in user ranges on several connections at once (ARCHITECTURE.md says how and why).
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

from ...phpmath import math_zdc, php_round, php_str, sec_convert
from ...tables.database import Database
from ..export import export
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..registry import host_function

ROW_LIMIT = 10_000_000
HEADER = ("user", "full_name", "user_group", "calls", "login_time", "total_talk_time", "avg_talk_time",
          "avg_wait_time", "pct_of_queue", "pause_time", "sessions", "avg_session", "pauses", "avg_pause_time",
          "pause_pct", "pauses_per_session", "wait_time", "talk_time", "dispo_time", "dead_time")
# Characters each parameter keeps in latin mode (upstream filters stage, header and agent_user for every function).
PARAMS = {"stage": "-_0-9a-zA-Z", "campaign_id": "-_0-9a-zA-Z", "datetime_start": "- +:_0-9", "datetime_end": "- +:_0-9",
          "time_format": "A-Z", "group_by_campaign": "0-9a-zA-Z", "agent_user": "-_0-9a-zA-Z",
          "header": "0-9a-zA-Z"}

# One partial aggregate per agent (or campaign and agent) over a slice of the window;
# slices run on their own connections in parallel and merge exactly (min, max, sums).
_PARTIAL = """
SELECT {keys}, MIN(agent_log_id), MAX(agent_log_id), COUNT(*),
       COUNT(CASE WHEN lead_id > 0 THEN 1 END), COUNT(pause_sec), COUNT(CASE WHEN {login} THEN 1 END),
       COALESCE(SUM(pause_sec), 0), COALESCE(SUM(wait_sec), 0), COALESCE(SUM(talk_sec), 0),
       COALESCE(SUM(dispo_sec), 0), COALESCE(SUM(dead_sec), 0)
FROM {source} WHERE {where} GROUP BY {groups}
"""
_ENDS = """
SELECT agent_log_id, user, campaign_id, COALESCE(dispo_sec, 0), COALESCE(pause_epoch, 0),
       COALESCE(pause_sec, 0) + COALESCE(wait_sec, 0) + COALESCE(talk_sec, 0) + COALESCE(dispo_sec, 0)
FROM vicidial_agent_log WHERE agent_log_id IN ({marks})
"""
WORKERS = max(1, min(4, os.cpu_count() or 1))
SLICES_PER_WORKER = 4  # agents differ in rows: more, smaller slices keep every worker busy to the end


@host_function("non_agent_api", "agent_stats_export", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET AGENT INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def agent_stats_export(call: NonAgentCall) -> str:
    p, user = call.p, call.p["user"]
    engine = call.api.resource("agent_stats_export", lambda: StatsEngine(call.db, call.api.arithmetic))
    agent_user, campaign = p["agent_user"], p["campaign_id"]
    start, end = p["datetime_start"], p["datetime_end"]
    if len(start) != 19 or len(end) != 19:
        return f"ERROR: agent_stats_export INVALID SEARCH PARAMETERS: {user}|{agent_user}|{start}|{end}|{campaign}\n"
    start, end = start.replace("+", " "), end.replace("+", " ")
    where, args = [], []
    if 0 < len(agent_user) < 21:
        where.append("user = ?")
        args.append(agent_user)
    if 0 < len(campaign) < 9:
        where.append("campaign_id = ?")
        args.append(campaign)
    by_campaign = p["group_by_campaign"] == "YES"
    groups = engine.groups(_as_datetime(start), _as_datetime(end), where, args, by_campaign)
    if not groups:
        return f"ERROR: agent_stats_export NO RECORDS FOUND - {user}|{agent_user}|{start}|{end}|{campaign}\n"
    columns = (("campaign_id",) if by_campaign else ()) + HEADER
    return export(p["stage"], p["header"], columns, engine.rows(groups, by_campaign, p["time_format"] or "HF"))


class StatsEngine:
    """The export's SQL aggregation and PHP formatting; holds the scanner threads of wide windows."""

    def __init__(self, database: Database, arithmetic: str = "reference"):
        self.db = database
        self.arithmetic = arithmetic
        self.scanners: ThreadPoolExecutor | None = None  # started on the first wide export

    def close(self) -> None:
        """Stop the scanner threads (their connections are already back in the pool)."""
        if self.scanners is not None:
            self.scanners.shutdown(wait=True)
            self.scanners = None

    def groups(self, low: str, high: str, where: list[str], args: list, by_campaign: bool) -> list[tuple]:
        """One aggregate per output line, in upstream's order (case-insensitive, MySQL-like)."""
        keys = "upper(campaign_id), upper(user)" if by_campaign else "'', upper(user)"
        groups = "user, campaign_id" if by_campaign else "user"
        window = ["event_time >= ? AND event_time <= ?", *where]
        login = self.db.dialect.contains("sub_status", "LOGIN")

        def partial(part: tuple[str, list[str], list]) -> list[tuple]:
            source, condition, extra = part
            return self.db.all(_PARTIAL.format(keys=keys, source=source, where=" AND ".join(window + condition),
                                               groups=groups, login=login), low, high, *args, *extra)

        def scanned(part: tuple[str, list[str], list]) -> list[tuple]:   # on a scanner thread's own connection
            try:
                return partial(part)
            finally:
                self.db.release()

        parts = self._partitions(low, high, bool(where))
        if len(parts) == 1:
            partials = [partial(parts[0])]
        else:
            if self.scanners is None:  # sqlite3 releases the GIL while it works
                self.scanners = ThreadPoolExecutor(WORKERS, thread_name_prefix="stats-scan")
            partials = list(self.scanners.map(scanned, parts))
        merged = _merge(partials)
        if sum(group[2] for group in merged.values()) > ROW_LIMIT:  # upstream reads the first 10,000,000 rows
            order = "upper(campaign_id), upper(user)" if by_campaign else "upper(user)"
            limited = (f"(SELECT * FROM vicidial_agent_log WHERE {' AND '.join(window)} "
                       f"ORDER BY {order}, agent_log_id LIMIT {ROW_LIMIT})")
            merged = _merge([self.db.all(_PARTIAL.format(keys=keys, source=limited, where="1", groups=groups,
                                                         login=login),
                                         low, high, *args)])
        ends = {}
        ids = [identifier for group in merged.values() for identifier in group[:2]]
        for offset in range(0, len(ids), 500):
            chunk = ids[offset:offset + 500]
            for identifier, *facts in self.db.all(_ENDS.format(marks=",".join("?" * len(chunk))), *chunk):
                ends[identifier] = tuple(facts)
        found = []
        for key in sorted(merged):
            first_id, last_id, rows, *sums = merged[key]
            user, campaign, first_dispo, first_epoch, _ = ends[first_id]
            _, _, _, last_epoch, last_sum = ends[last_id]
            found.append((rows, *sums, user, campaign, first_dispo, first_epoch, last_epoch, last_sum))
        return found

    def _partitions(self, low: str, high: str, filtered: bool) -> list[tuple[str, list[str], list]]:
        """How to scan: narrow or filtered windows by the event_time or user index in one query;
        wide windows over the covering index, split into user ranges scanned in parallel."""
        plain = [("vicidial_agent_log", [], [])]
        hint = self.db.dialect.index_hint("vicicert_stats_cover")
        if filtered or not hint or not self._holds_a_fifth(low, high):
            return plain
        source = f"vicidial_agent_log {hint}"
        if WORKERS < 2:
            return [(source, [], [])]
        slices = WORKERS * SLICES_PER_WORKER
        users = [row[0] for row in self.db.all("SELECT user FROM vicidial_users ORDER BY user")]
        cuts = sorted({users[len(users) * k // slices] for k in range(1, slices)}) if users else []
        if not cuts:
            return [(source, [], [])]
        parts = [(source, ["user < ?"], [cuts[0]])]
        parts += [(source, ["user >= ? AND user < ?"], [cuts[k], cuts[k + 1]]) for k in range(len(cuts) - 1)]
        parts.append((source, ["user >= ?"], [cuts[-1]]))
        return parts

    def _holds_a_fifth(self, low: str, high: str) -> bool:
        """Whether the window holds at least a fifth of the log's rows, counted in the event_time
        index up to that fifth (cheap either way). Rows, not time: a few rows years older would
        make any window look narrow."""
        # Two subqueries: SQLite answers a lone MIN or MAX from the key, but not both at once.
        ids = self.db.one("SELECT (SELECT MIN(agent_log_id) FROM vicidial_agent_log), "
                          "(SELECT MAX(agent_log_id) FROM vicidial_agent_log)")
        if not ids or ids[0] is None:
            return False
        fifth = max(1, (ids[1] - ids[0] + 1) // 5)
        found = self.db.value("SELECT COUNT(*) FROM (SELECT 1 FROM vicidial_agent_log "
                              "WHERE event_time >= ? AND event_time <= ? LIMIT ?)", low, high, fifth)
        return found >= fifth

    def rows(self, groups: list[tuple], by_campaign: bool, time_format: str) -> list[list[str]]:
        """Each group's fields as upstream prints them (the export formatter joins them)."""
        reference = self.arithmetic == "reference"
        total_calls = sum(group[1] for group in groups)
        carried = None  # upstream's $cust_sec: the previous line's formatted total talk time
        names = {str(user).upper(): (full_name, user_group) for user, full_name, user_group
                 in self.db.all("SELECT user, full_name, user_group FROM vicidial_users")}
        lines = []
        for (_rows, calls, pauses, sessions, pause, wait, talk, dispo, dead,
             user, campaign, first_dispo, first_epoch, last_epoch, last_sum) in groups:
            if reference and not by_campaign:
                dispo += first_dispo
            login = pause + wait + talk + dispo
            # Upstream caps login at the span from the first row's epoch (0 unless grouped by
            # campaign, so then it never bites) to the last row's epoch plus that row's times.
            span = last_epoch - (first_epoch if by_campaign else 0) + last_sum
            if reference and login > span:
                login = span
            sessions = max(sessions, 1)
            if reference and (pauses < 1 or login < 1):
                pause_pct = 100
            else:
                pause_pct = math_zdc(pause, login) * 100
            if calls < 1 and reference:
                cust, shown = 0, (0, 0, 0, 0)
            else:
                cust, shown = talk - dead, (wait, talk, dispo, dead)
            total_talk = sec_convert(cust, time_format)
            avg_talk = math_zdc(carried, calls) if reference else math_zdc(max(cust, 0), calls)
            carried = total_talk
            full_name, user_group = (("" if v is None else str(v)) for v in names.get(str(user).upper(), ("", "")))
            fields = ([campaign or ""] if by_campaign else []) + [
                user, full_name, user_group, str(calls), sec_convert(login, time_format), total_talk,
                sec_convert(php_round(avg_talk), time_format),
                sec_convert(php_round(math_zdc(wait, calls)), time_format),
                php_str(php_round(math_zdc(calls, total_calls) * 100, 1)) + "%",
                str(pause), str(sessions),
                sec_convert(php_round(math_zdc(login, sessions)), time_format), str(pauses),
                sec_convert(php_round(math_zdc(pause, pauses)), time_format),
                php_str(php_round(pause_pct, 1)) + "%", php_str(php_round(math_zdc(pauses, sessions))),
                *(sec_convert(value, time_format) for value in shown),
            ]
            lines.append(fields)
        return lines


def _merge(parts: list[list[tuple]]) -> dict[tuple[str, str], list]:
    """Partial aggregates of the same group combined: min and max id, every count and sum added."""
    merged: dict[tuple[str, str], list] = {}
    for part in parts:
        for campaign_key, user_key, first_id, last_id, *counts in part:
            group = merged.get((campaign_key, user_key))
            if group is None:
                merged[(campaign_key, user_key)] = [first_id, last_id, *counts]
            else:
                group[0], group[1] = min(group[0], first_id), max(group[1], last_id)
                for index, value in enumerate(counts, 2):
                    group[index] += value
    return merged


ZERO_DATETIME = "0000-00-00 00:00:00"


def _as_datetime(text: str) -> str:
    """A 19-character window bound as MariaDB compares it with a DATETIME column: any punctuation
    between the numbers; month up to 12 and day up to 31 (February 30 passes), a valid time of day.
    A bound it cannot read compares as the zero datetime (so every row is after it, none before)."""
    match = re.fullmatch(r"(\d{4})\D(\d{2})\D(\d{2})\D(\d{2})\D(\d{2})\D(\d{2})", text)
    if not match:
        return ZERO_DATETIME
    _, month, day, hour, minute, second = (int(part) for part in match.groups())
    if month > 12 or day > 31 or hour > 23 or minute > 59 or second > 59:
        return ZERO_DATETIME
    return "{}-{}-{} {}:{}:{}".format(*match.groups())
