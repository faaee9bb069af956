"""No silent zero: a run that checked nothing, or skipped more than its stated share, does not pass.

A declared world with a mistyped role skips every case; without this gate the run would exit
0 and a CI gate would pass having checked nothing.
"""

from __future__ import annotations

from collections import Counter

NOTHING_CHECKED = 6   # pytest's exit status for it (pytest uses 0 to 5); `vicicert check` exits 3


def skip_verdict(statuses: list[str], max_skipped_percent: float | None, allow_nothing: bool) -> str | None:
    """Why the run must not pass for what it skipped, or None."""
    counts = Counter(statuses)
    total, skipped = len(statuses), counts["skipped"]
    if total and skipped == total and not allow_nothing:
        return (f"no case was checked: all {total} were skipped (see the skip reasons); "
                "--allow-nothing-checked accepts that")
    if max_skipped_percent is not None and total and skipped * 100 > max_skipped_percent * total:
        return (f"{skipped} of {total} cases ({skipped * 100 / total:.0f}%) were skipped, more than "
                f"--max-skipped {max_skipped_percent:g}%: declare the roles the skip reasons name, or raise the share")
    return None
