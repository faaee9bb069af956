"""Expectation files: the cases a host is known to fail or skip, each with a reason and a link.

In the way of web-platform-tests' and dEQP's expectation files, a run with ``--expectations
FILE`` fails only on the unexpected: a new failure, and a *stale* expectation (a case
expected to fail that passes now, or expected to be skipped that runs). ``--update-expectations
FILE`` writes the file from a run, keeping the reasons and links of cases still failing.

    vicicert: expectations/1
    cases:
      agent_api::pause_code::ready_agent: {expect: fail, reason: "...", link: "https://..."}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import SpecError
from .spec_schema import EXPECTATIONS_SCHEMA
from .validation import check_document
from .yamlfile import KIB, load_yaml

MAX_EXPECTATIONS_BYTES = 1024 * KIB
KINDS = ("fail", "skip", "flaky")


class ExpectationsError(SpecError):
    """An expectation file that cannot be used; names the file, the line and the fix."""


@dataclass(frozen=True)
class Expectation:
    """What one case is expected to do on this host, and why."""

    case: str
    expect: str            # fail, skip or flaky (fail or pass)
    reason: str
    link: str
    line: int

    def as_record(self, verdict: str | None) -> dict:
        return {"expect": self.expect, "reason": self.reason, "link": self.link, "verdict": verdict}


@dataclass(frozen=True)
class Expectations:
    """An expectation file, by case id."""

    path: Path
    cases: dict[str, Expectation]

    def where(self, expectation: Expectation) -> str:
        return f"{self.path}:{expectation.line}"

    def check_ids(self, case_ids: set[str]) -> None:
        """A case id of a collected function that names no case is a typo: refuse it with its line."""
        functions = {case_id.rsplit("::", 1)[0] for case_id in case_ids}
        for case_id, expectation in self.cases.items():
            if case_id not in case_ids and case_id.rsplit("::", 1)[0] in functions:
                raise ExpectationsError(self.path, expectation.line, f"{case_id!r} names no case",
                                        "give a case id as reports show it (api::function::case), or remove it")


def load_expectations(path: Path) -> Expectations:
    document = load_yaml(path, ExpectationsError, MAX_EXPECTATIONS_BYTES, "an expectation file")
    check_document(document, EXPECTATIONS_SCHEMA, path, ExpectationsError)
    cases = document.get("cases") or {}
    return Expectations(Path(path), {
        case_id: Expectation(case_id, entry["expect"], entry.get("reason", ""), entry.get("link", ""),
                             cases.line_of(case_id))
        for case_id, entry in cases.items()})


def judge(status: str, expectation: Expectation | None) -> str | None:
    """``expected``, ``stale`` or ``unexpected`` for a case with an expectation; None without one."""
    if expectation is None:
        return None
    if expectation.expect == "flaky":
        return "expected" if status in ("failed", "passed") else "unexpected"
    if expectation.expect == "fail":
        return {"failed": "expected", "passed": "stale"}.get(status, "unexpected")
    return "expected" if status == "skipped" else "stale"


def updated_text(records: list[dict], previous: Expectations | None) -> str:
    """The expectation file a run implies: its failures (reasons and links kept), and the flaky
    entries the previous file had."""
    kept = previous.cases if previous else {}
    entries = {}
    for record in sorted(records, key=lambda r: r["id"]):
        old = kept.get(record["id"])
        if old is not None and old.expect == "flaky":
            entries[record["id"]] = {"expect": "flaky", "reason": old.reason, "link": old.link}
        elif record["status"] == "failed":
            entries[record["id"]] = {"expect": "fail", "reason": old.reason if old else "why it fails here",
                                     "link": old.link if old else ""}
    return "vicicert: expectations/1\n" + yaml.safe_dump({"cases": entries}, sort_keys=False, allow_unicode=True,
                                                         width=120)
