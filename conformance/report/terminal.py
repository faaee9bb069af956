"""The terminal summary: one row per function with passed, failed and skipped counts (in a run
with an expectation file: passed, as expected, stale, unexpected and skipped, each case in one)."""

from __future__ import annotations

from collections import Counter

from tabulate import tabulate

from ..expectations import GATE_OUTCOMES, gate_outcome, gated

PLAIN_OUTCOMES = ("passed", "failed", "skipped")


def summary_table(records: list[dict]) -> str:
    """The table from case records (see ``record.case_record``)."""
    columns = GATE_OUTCOMES if gated(records) else PLAIN_OUTCOMES
    counts: dict[tuple[str, str], Counter] = {}
    for record in records:
        counts.setdefault((record["api"], record["function"]), Counter())[gate_outcome(record)] += 1
    rows = [[api, function, *(c[name] for name in columns), sum(c.values())]
            for (api, function), c in sorted(counts.items())]
    total = Counter()
    for c in counts.values():
        total.update(c)
    rows.append(["all", "", *(total[name] for name in columns), sum(total.values())])
    return tabulate(rows, headers=["api", "function", *columns, "cases"], tablefmt="simple")
