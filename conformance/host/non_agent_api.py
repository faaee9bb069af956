"""``/vicidial/non_agent_api.php``: the Non-Agent API preamble and ``agent_stats_export``.

Behaviour follows upstream www/vicidial/non_agent_api.php (2.14-149, build 210329-2016)
and the ``user_authorization`` of www/vicidial/functions.php ('REPORTS': level 7 and up).
The export is aggregated in SQL, one row per agent (or campaign and agent); only those
rows reach Python, for PHP's formatting.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from typing import Callable

from ..phpmath import math_zdc, php_round, php_str, sec_convert
from .database import Database
from .http import HostRequest, HostResponse
from .php import keep, remove

VERSION, BUILD = "2.14-149", "210329-2016"
COFFEE = ("coffee", "start_coffee", "make_coffee", "brew_coffee")
LOCK_ATTEMPTS, LOCK_SECONDS = 10, 900
ROW_LIMIT = 10_000_000
HEADER = ("user", "full_name", "user_group", "calls", "login_time", "total_talk_time", "avg_talk_time",
          "avg_wait_time", "pct_of_queue", "pause_time", "sessions", "avg_session", "pauses", "avg_pause_time",
          "pause_pct", "pauses_per_session", "wait_time", "talk_time", "dispo_time", "dead_time")
# Characters each parameter keeps in latin mode; agent_user and header are not filtered upstream.
FILTERS = {
    "user": "-_0-9a-zA-Z", "pass": "-_0-9a-zA-Z", "function": "-_0-9a-zA-Z", "source": "0-9a-zA-Z",
    "stage": "a-zA-Z", "campaign_id": "-_0-9a-zA-Z", "datetime_start": "- +:_0-9",
    "datetime_end": "- +:_0-9", "time_format": "A-Z", "group_by_campaign": "0-9a-zA-Z",
}
RAW = ("agent_user", "header")

_AGGREGATE = """
SELECT g.rows, g.calls, g.pauses, g.sessions, g.pause, g.wait, g.talk, g.dispo, g.dead,
       f.user, f.campaign_id, COALESCE(f.dispo_sec, 0), COALESCE(f.pause_epoch, 0),
       COALESCE(l.pause_epoch, 0),
       COALESCE(l.pause_sec, 0) + COALESCE(l.wait_sec, 0) + COALESCE(l.talk_sec, 0) + COALESCE(l.dispo_sec, 0)
FROM (SELECT MIN(agent_log_id) AS first_id, MAX(agent_log_id) AS last_id, COUNT(*) AS rows,
             COALESCE(SUM(lead_id > 0), 0) AS calls, COUNT(pause_sec) AS pauses,
             COALESCE(SUM(instr(sub_status, 'LOGIN') > 0), 0) AS sessions,
             COALESCE(SUM(pause_sec), 0) AS pause, COALESCE(SUM(wait_sec), 0) AS wait,
             COALESCE(SUM(talk_sec), 0) AS talk, COALESCE(SUM(dispo_sec), 0) AS dispo,
             COALESCE(SUM(dead_sec), 0) AS dead
      FROM {source} WHERE {where} GROUP BY {groups}) AS g
JOIN vicidial_agent_log AS f ON f.agent_log_id = g.first_id
JOIN vicidial_agent_log AS l ON l.agent_log_id = g.last_id
ORDER BY {order}
"""


class NonAgentApi:
    """Answers Non-Agent API requests; ``arithmetic`` 'documented' fixes upstream's export quirks."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time, arithmetic: str = "reference"):
        self.db = database
        self.clock = clock
        self.arithmetic = arithmetic

    def __call__(self, request: HostRequest) -> HostResponse:
        response = HostResponse()
        response.body = self._answer(request, response)
        return response

    def _answer(self, request: HostRequest, response: HostResponse) -> str:
        settings = self.db.one("SELECT use_non_latin FROM system_settings")
        non_latin = bool(settings and int(settings[0] or 0) > 0)
        raw = {name: request.param(name) for name in (*FILTERS, *RAW)}
        if non_latin:  # upstream then strips only quotes, backslash, ; and # from three values
            p = dict(raw)
            for name in ("user", "pass", "source"):
                p[name] = remove(raw[name], "'\"\\;#")
        else:
            p = {name: keep(value, FILTERS[name]) if name in FILTERS else value for name, value in raw.items()}
        epoch = int(self.clock())
        function = p["function"]
        if function == "version":
            return self._version(epoch)
        if function in COFFEE:
            response.status, response.reason = 418, "I'm a teapot"
            return f"Coffee: {function}|Error 418 I'm a teapot"
        auth = self._authorize(p["user"], p["pass"], epoch)
        if auth == "LOCK":
            return f"ERROR: Too many login attempts, try again in 15 minutes: |{p['user']}|LOCK|\n"
        if auth != "GOOD":
            return f"ERROR: Login incorrect, please try again: |{p['user']}|{p['pass']}|{auth}|\n"
        allowed = self.db.value("SELECT api_allowed_functions FROM vicidial_users WHERE user=? AND active='Y'",
                                p["user"]) or ""
        if function == "agent_stats_export":
            return self._agent_stats_export(p, allowed)
        return "ERROR: NO FUNCTION SPECIFIED\n"

    def _version(self, epoch: int) -> str:
        moment = _dt.datetime.fromtimestamp(epoch)
        dst = int(bool(time.localtime(epoch).tm_isdst))
        gmt = self.db.value("SELECT local_gmt FROM servers WHERE active='Y' LIMIT 1")
        if gmt is not None:
            tz, tznow = str(gmt), (php_str(float(gmt) + 1) if dst and gmt else str(gmt))
        else:
            offset = moment.astimezone().strftime("%z")
            tz, tznow = "", php_str(int(offset.replace("+", "")) / 100 if int(offset) % 100 else int(offset) // 100)
        return (f"VERSION: {VERSION}|BUILD: {BUILD}|DATE: {moment:%Y-%m-%d %H:%M:%S}|EPOCH: {epoch}|"
                f"DST: {dst}|TZ: {tz}|TZNOW: {tznow}|\n")

    def _authorize(self, user: str, password: str, epoch: int) -> str:
        """www/vicidial/functions.php user_authorization with the 'REPORTS' option."""
        lock_over = epoch - LOCK_SECONDS
        matched = self.db.value(
            "SELECT count(*) FROM vicidial_users WHERE user=? AND pass=? AND user_level > 6 AND active='Y' "
            "AND (failed_login_count < ? OR CAST(strftime('%s', last_login_date) AS INTEGER) < ?)",
            user, password, LOCK_ATTEMPTS, lock_over)
        now = _dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")
        if matched > 0:
            self.db.write("UPDATE vicidial_users SET last_login_date=?, failed_login_count=0 WHERE user=?", now, user)
            return "GOOD"
        row = self.db.one("SELECT failed_login_count, CAST(strftime('%s', last_login_date) AS INTEGER) "
                          "FROM vicidial_users WHERE user=?", user)
        if row is not None:
            failed, last_login = int(row[0] or 0), int(row[1] or 0)
            if failed < LOCK_ATTEMPTS:
                self.db.write("UPDATE vicidial_users SET failed_login_count=failed_login_count+1 WHERE user=?", user)
            elif lock_over > last_login:
                self.db.write("UPDATE vicidial_users SET last_login_date=?, failed_login_count=1 WHERE user=?", now, user)
            else:
                return "LOCK"
        return "BAD"

    # -- agent_stats_export --------------------------------------------------------------

    def _agent_stats_export(self, p: dict[str, str], allowed: str) -> str:
        user, source = p["user"], p["source"]
        if len(source) < 2:
            return f"ERROR: Invalid Source - {source}\nERROR: Invalid Source: |{source}|\n"
        if " agent_stats_export " not in allowed and "ALL_FUNCTIONS" not in allowed:
            return f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |{user}|agent_stats_export|\n"
        permitted = self.db.value(
            "SELECT count(*) FROM vicidial_users WHERE user=? AND vdc_agent_api_access='1' AND view_reports='1' "
            "AND user_level > 6 AND active='Y'", user)
        if permitted < 1:
            return f"ERROR: agent_stats_export USER DOES NOT HAVE PERMISSION TO GET AGENT INFO: |{user}|{permitted}|\n"
        agent_user, campaign = p["agent_user"], p["campaign_id"]
        start, end = p["datetime_start"], p["datetime_end"]
        if len(start) != 19 or len(end) != 19:
            return f"ERROR: agent_stats_export INVALID SEARCH PARAMETERS: {user}|{agent_user}|{start}|{end}|{campaign}\n"
        start, end = start.replace("+", " "), end.replace("+", " ")
        low, high = _as_datetime(start), _as_datetime(end)
        if low is None or high is None:  # MySQL cannot read the bound: no row compares true
            where, args = ["0"], []
        else:
            where, args = ["event_time >= ? AND event_time <= ?"], [low, high]
        if 0 < len(agent_user) < 21:
            where.append("user = ?")
            args.append(agent_user)
        if 0 < len(campaign) < 9:
            where.append("campaign_id = ?")
            args.append(campaign)
        by_campaign = p["group_by_campaign"] == "YES"
        groups = self._groups(" AND ".join(where), args, by_campaign)
        if not groups:
            return f"ERROR: agent_stats_export NO RECORDS FOUND - {user}|{agent_user}|{start}|{end}|{campaign}\n"
        separator = {"csv": ",", "tab": "\t", "pipe": "|"}.get(p["stage"], "|")
        time_format = p["time_format"] or "HF"
        lines = []
        if p["header"] == "YES":
            lines.append(separator.join((("campaign_id",) if by_campaign else ()) + HEADER))
        lines += self._rows(groups, by_campaign, time_format, separator)
        return "".join(line + "\n" for line in lines)

    def _groups(self, where: str, args: list, by_campaign: bool) -> list[tuple]:
        """One aggregate row per output line, in upstream's order (case-insensitive, MySQL-like)."""
        groups = "campaign_id, user" if by_campaign else "user"
        order = "upper(f.campaign_id), upper(f.user)" if by_campaign else "upper(f.user)"
        found = self.db.all(_AGGREGATE.format(source="vicidial_agent_log", where=where, groups=groups, order=order),
                            *args)
        if sum(row[0] for row in found) > ROW_LIMIT:  # upstream reads the first 10,000,000 rows only
            key = "upper(campaign_id), upper(user)" if by_campaign else "upper(user)"
            limited = (f"(SELECT * FROM vicidial_agent_log WHERE {where} "
                       f"ORDER BY {key}, agent_log_id LIMIT {ROW_LIMIT})")
            found = self.db.all(_AGGREGATE.format(source=limited, where="1", groups=groups, order=order), *args)
        return found

    def _rows(self, groups: list[tuple], by_campaign: bool, time_format: str, separator: str) -> list[str]:
        reference = self.arithmetic == "reference"
        total_calls = sum(group[1] for group in groups)
        carried = None  # upstream's $cust_sec: the previous line's formatted total talk time
        lines = []
        for (_rows, calls, pauses, sessions, pause, wait, talk, dispo, dead,
             user, campaign, first_dispo, first_epoch, last_epoch, last_sum) in groups:
            if reference and not by_campaign:
                dispo += first_dispo
            login = pause + wait + talk + dispo
            if reference and login > (last_epoch - (first_epoch if by_campaign else 0)) + last_sum:
                login = (last_epoch - (first_epoch if by_campaign else 0)) + last_sum
            sessions = max(sessions, 1)
            if not reference:
                pause_pct = math_zdc(pause, login) * 100
            elif pauses < 1 or login < 1:
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
            name = self.db.one("SELECT full_name, user_group FROM vicidial_users WHERE user=? LIMIT 1", user)
            full_name, user_group = (("" if v is None else str(v)) for v in (name or ("", "")))
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
            lines.append(separator.join(fields))
        return lines


def _as_datetime(text: str) -> str | None:
    """A 19-character window bound as MySQL reads it: any punctuation between the numbers."""
    match = re.fullmatch(r"(\d{4})\D(\d{2})\D(\d{2})\D(\d{2})\D(\d{2})\D(\d{2})", text)
    return "{}-{}-{} {}:{}:{}".format(*match.groups()) if match else None
