"""What a target's MariaDB/MySQL went through while a load run sent: connections it refused at
its limit, row lock waits and deadlocks.

Read from ``SHOW GLOBAL STATUS`` and ``SHOW GLOBAL VARIABLES`` (no privilege needed, so the
``cron`` account of a real host can) before and after Locust. The counters are server-wide:
other clients' refusals and waits during the run are in them too, which the report says. They
tell a planner why upstream's PHP died in an empty 500 (``php_fatal``): each refused connection
is one such death, and a lock wait longer than ``innodb_lock_wait_timeout`` is another.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

# MariaDB counts a connection refused at max_connections in Aborted_connects (with failed logins),
# MySQL in Connection_errors_max_connections: the larger growth of the two is the refusals.
REFUSALS = ("Aborted_connects", "Connection_errors_max_connections")
COUNTERS = (*REFUSALS, "Innodb_row_lock_waits", "Innodb_row_lock_time", "Innodb_deadlocks")
LIMITS = ("max_connections", "innodb_lock_wait_timeout")


def _named_integers(database, statement: str, names: tuple[str, ...]) -> dict[str, int]:
    listed = ", ".join(f"'{name}'" for name in names)
    rows = database.all(f"{statement} WHERE Variable_name IN ({listed})")
    return {name: int(value) for name, value in rows if str(value).lstrip("-").isdigit()}


def read_counters(database) -> dict[str, int]:
    """The server's counters this module reads (a server lacking one leaves it out)."""
    return _named_integers(database, "SHOW GLOBAL STATUS", COUNTERS)


def read_limits(database) -> dict[str, int]:
    return _named_integers(database, "SHOW GLOBAL VARIABLES", LIMITS)


@dataclass
class Pressure:
    """The counters' growth over a run, with the limits they are measured against."""

    growth: dict[str, int] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)

    @classmethod
    def between(cls, before: dict[str, int], after: dict[str, int], limits: dict[str, int]) -> "Pressure":
        return cls({name: after[name] - before[name] for name in after if name in before}, dict(limits))

    def lines(self) -> list[str]:
        """One line per counter that grew (none: one line saying so)."""
        grew, limits, found = self.growth, self.limits, []
        refused = max(grew.get(name, 0) for name in REFUSALS)
        if refused:
            found.append(f"refused {refused:,} connections (max_connections {limits.get('max_connections', '?')}); "
                         "upstream's PHP dies in an empty 500 on each")
        if grew.get("Innodb_row_lock_waits"):
            found.append(f"{grew['Innodb_row_lock_waits']:,} row lock waits, {grew.get('Innodb_row_lock_time', 0):,} ms "
                         f"waited in all (a wait past innodb_lock_wait_timeout, "
                         f"{limits.get('innodb_lock_wait_timeout', '?')} s, fails its statement)")
        if grew.get("Innodb_deadlocks"):
            found.append(f"{grew['Innodb_deadlocks']:,} deadlocks (each rolls back one statement)")
        if not found and grew:
            found.append("no refused connections, row lock waits or deadlocks")
        return [f"{line} (server-wide counts)" for line in found]


@contextlib.contextmanager
def watched(database) -> Iterator[Pressure]:
    """``with watched(db) as pressure:`` run the load; afterwards ``pressure`` holds the growth."""
    before = read_counters(database)
    pressure = Pressure()
    yield pressure
    grown = Pressure.between(before, read_counters(database), read_limits(database))
    pressure.growth, pressure.limits = grown.growth, grown.limits


def announce(pressure: Pressure) -> list[str]:
    """What the target's database went through while Locust sent, printed; the lines."""
    lines = pressure.lines()
    for line in lines:
        print(f"vicicert load: database during the run: {line}")
    return lines
