"""The call logs the call-report oracles read, and how MariaDB compares their text.

Plain rows (no database): outbound calls (vicidial_log), in-group calls (vicidial_closer_log),
DID calls (vicidial_did_log), statuses system-wide and per campaign, campaigns with their
closer_campaigns, users with their groups, and DIDs with their patterns. Text compares as
upstream's utf8_unicode_ci columns do: letter case and trailing spaces ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple


class Call(NamedTuple):
    """One call of vicidial_log or vicidial_closer_log."""

    campaign_id: str
    call_date: str          # YYYY-MM-DD HH:MM:SS
    status: str
    user: str = ""
    uniqueid: str = ""


class DidCall(NamedTuple):
    """One call of vicidial_did_log."""

    uniqueid: str
    extension: str
    call_date: str
    did_id: str = ""


class Status(NamedTuple):
    """A status of vicidial_statuses (campaign_id None) or vicidial_campaign_statuses."""

    status: str
    human_answered: str = "N"
    category: str = "UNDEFINED"
    campaign_id: str | None = None


@dataclass
class CallLogs:
    outbound: list[Call] = field(default_factory=list)
    inbound: list[Call] = field(default_factory=list)
    did_calls: list[DidCall] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    campaigns: dict[str, str] = field(default_factory=dict)     # campaign_id -> closer_campaigns
    user_groups: dict[str, str] = field(default_factory=dict)   # user -> user_group
    dids: dict[str, str] = field(default_factory=dict)          # did_id -> did_pattern


def same(a: str | None, b: str | None) -> bool:
    """Equal under utf8_unicode_ci: case and trailing spaces ignored (NULL equals nothing)."""
    return a is not None and b is not None and a.rstrip(" ").lower() == b.rstrip(" ").lower()


def among(value: str | None, names) -> bool:
    """``value IN (names)`` under the column's collation."""
    return any(same(value, name) for name in names)


def order_key(text: str) -> str:
    """ORDER BY under utf8_unicode_ci for the letters, digits and dashes the oracles meet."""
    return text.rstrip(" ").lower()


def keep(text: str, allowed: str) -> str:
    """Upstream's parameter filter: every character outside ``allowed`` dropped."""
    return re.sub(f"[^{allowed}]", "", text)


def as_datetime(text: str) -> str:
    """A window bound as MariaDB reads it against a DATETIME column, as comparable text: the
    date's year of 2 or 4 digits (two: 1970 to 2069), month and day of 1 or 2 (zero allowed, day
    31 in any month), then hour, minutes and seconds, each of 1 or 2 digits, the last two
    optional and possibly empty after their colon. Anything else reads as the zero datetime."""
    date, _, time = text.partition(" ")
    pieces = date.split("-")
    clock = time.split(":")
    zero = "0000-00-00 00:00:00"
    if len(pieces) != 3 or len(pieces[0]) not in (2, 4) or not 1 <= len(clock) <= 3:
        return zero
    if not all(piece.isdigit() and len(piece) <= 2 for piece in pieces[1:]) or not pieces[0].isdigit():
        return zero
    if not clock[0].isdigit() or len(clock[0]) > 2 or any(len(p) > 2 or (p and not p.isdigit()) for p in clock[1:]):
        return zero
    year = int(pieces[0]) + ((1900 if int(pieces[0]) >= 70 else 2000) if len(pieces[0]) == 2 else 0)
    numbers = [year, int(pieces[1]), int(pieces[2])] + [int(p) if p else 0 for p in clock] + [0] * (3 - len(clock))
    if numbers[1] > 12 or numbers[2] > 31 or numbers[3] > 23 or numbers[4] > 59 or numbers[5] > 59:
        return zero
    return "%04d-%02d-%02d %02d:%02d:%02d" % tuple(numbers)
