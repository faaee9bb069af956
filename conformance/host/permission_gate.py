"""A Non-Agent function's own permission gate: the count of vicidial_users rows that let the
logged-in API user call it.

After the login and the allowed-functions check, each function of upstream's
www/vicidial/non_agent_api.php counts the API user's row under its own flags and user-level
comparison (``user_level > 7`` for lead_search although its docs say 7 and up); a count below
one is its refusal, whose text the function's spec holds. Declared once with the function's
registration (``@host_function(..., gate=Gate(...))``), run by the ``gate`` step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..tables.database import Database

API_AND_REPORTS = {"vdc_agent_api_access": ("1",), "view_reports": ("1",)}
LEAD_EDITORS = ("1", "2", "3", "4")   # modify_leads IN(...) of the functions that change or show leads
LEAD_READERS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Gate:
    """``flags``: column -> the values that pass; ``level``: upstream's comparison on user_level
    (``("> ", 6)`` is ``user_level > 6``); ``refusal``: the answer when the count is below one,
    with ``{function}``, ``{user}`` and ``{count}``."""

    refusal: str
    level: tuple[str, int]
    flags: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(API_AND_REPORTS))

    def __post_init__(self) -> None:
        if self.level[0] not in (">", ">="):
            raise ValueError(f"gate level comparison {self.level[0]!r}: upstream compares with > or >=")

    def count(self, db: Database, user: str) -> int:
        """How many active rows of ``user`` pass (upstream prints this number in its refusal)."""
        conditions, args = ["user = ?"], [user]
        for column, values in self.flags.items():
            conditions.append(f"{column} IN ({', '.join('?' for _ in values)})")
            args += values
        conditions.append(f"user_level {self.level[0]} ?")
        args.append(self.level[1])
        return int(db.value(f"SELECT count(*) FROM vicidial_users WHERE {' AND '.join(conditions)} AND active='Y'",
                            *args) or 0)

    def refuse(self, db: Database, function: str, user: str) -> str | None:
        """The refusal, or None when the user passes."""
        count = self.count(db, user)
        return self.refusal.format(function=function, user=user, count=count) if count < 1 else None
