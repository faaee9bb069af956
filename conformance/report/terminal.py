"""The terminal summary: one row per function with passed, failed and skipped counts."""

from __future__ import annotations

from collections import Counter

from tabulate import tabulate


def summary_table(records: list[dict]) -> str:
    """The table from case records (see ``record.case_record``)."""
    counts: dict[tuple[str, str], Counter] = {}
    for record in records:
        counts.setdefault((record["api"], record["function"]), Counter())[record["status"]] += 1
    rows = [[api, function, c["passed"], c["failed"], c["skipped"], sum(c.values())]
            for (api, function), c in sorted(counts.items())]
    total = Counter()
    for c in counts.values():
        total.update(c)
    rows.append(["all", "", total["passed"], total["failed"], total["skipped"], sum(total.values())])
    return tabulate(rows, headers=["api", "function", "passed", "failed", "skipped", "cases"], tablefmt="simple")
