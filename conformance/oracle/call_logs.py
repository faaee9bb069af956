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
