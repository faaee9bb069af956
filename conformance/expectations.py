"""Expectation files: the cases a host is known to fail or skip, each with a reason and a link.

In the way of web-platform-tests' and dEQP's expectation files, a run with ``--expectations
FILE`` fails only on the unexpected: a new failure, and a *stale* expectation (a case
expected to fail that passes now, or expected to be skipped that runs). ``--update-expectations
FILE`` writes the file from a run, keeping the reasons and links of cases still failing.

An expected failure also records what it was (``fingerprint.py``): its mismatch kind, its first
difference and their fingerprint. A case that fails with another fingerprint is unexpected; an
entry without one (a file written before fingerprints) holds any failure. In a run with an
expectation file every case falls in one outcome (``gate_outcome``): passed, skipped, as expected,
stale or unexpected (a failure without an entry is unexpected too); every report counts these.

    vicicert: expectations/1
    cases:
      agent_api::pause_code::ready_agent:
        expect: fail
        kind: UnexpectedBody
        fingerprint: 0c1e9a5b7d2f4a61
        difference: "UnexpectedBody in body: 'SUCCESS: not recording'"
        reason: "..."
        link: "https://..."
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from collections import Counter

import yaml

from .errors import SpecError
from .spec_schema import EXPECTATIONS_SCHEMA
from .validation import check_document
from .yamlfile import KIB, load_yaml

MAX_EXPECTATIONS_BYTES = 1024 * KIB
KINDS = ("fail", "skip", "flaky")
GATE_OUTCOMES = ("passed", "as expected", "stale", "unexpected", "skipped")   # a run with an expectation file


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
    kind: str = ""          # what the failure was when recorded (empty: any failure)
    fingerprint: str = ""
    difference: str = ""

    def as_record(self, verdict: str | None) -> dict:
        return {"expect": self.expect, "reason": self.reason, "link": self.link, "verdict": verdict,
                "kind": self.kind, "fingerprint": self.fingerprint, "difference": self.difference}

    def holds(self, failure: dict | None) -> bool:
        """Whether a failure (a record's ``failure``) is the one recorded; any is, without a fingerprint."""
        return not self.fingerprint or (failure or {}).get("fingerprint") == self.fingerprint


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
                             cases.line_of(case_id), entry.get("kind", ""), entry.get("fingerprint", ""),
                             entry.get("difference", ""))
        for case_id, entry in cases.items()})


def judge(status: str, expectation: Expectation | None, failure: dict | None = None) -> str | None:
    """``expected``, ``stale`` or ``unexpected`` for a case with an expectation; None without one.
    ``failure`` (a failed record's) must carry the recorded fingerprint, if the entry has one."""
    if expectation is None:
        return None
    if status == "failed" and expectation.expect in ("fail", "flaky") and not expectation.holds(failure):
        return "unexpected"
    if expectation.expect == "flaky":
        return "expected" if status in ("failed", "passed") else "unexpected"
    if expectation.expect == "fail":
        return {"failed": "expected", "passed": "stale"}.get(status, "unexpected")
    return "expected" if status == "skipped" else "stale"


def gate_outcome(record: dict) -> str:
    """A case's one outcome: ``as expected``, ``stale`` or ``unexpected`` where the expectation file
    judged it, otherwise its status (passed, failed, skipped; a failure is always judged in a run with
    an expectation file)."""
    verdict = record.get("expectation", {}).get("verdict")
    if verdict == "expected":
        return "as expected"
    return verdict or record["status"]


def gate_counts(records: list[dict]) -> Counter:
    return Counter(gate_outcome(record) for record in records)


def gated(records: list[dict]) -> bool:
    """Whether an expectation file judged this run (its records carry verdicts)."""
    return any("expectation" in record for record in records)


def updated_text(records: list[dict], previous: Expectations | None) -> str:
    """The expectation file a run implies: its failures (reasons and links kept), and the flaky
    entries the previous file had."""
    kept = previous.cases if previous else {}
    entries = {}
    for record in sorted(records, key=lambda r: r["id"]):
        old = kept.get(record["id"])
        if old is not None and old.expect == "flaky":
            recorded = {"kind": old.kind, "fingerprint": old.fingerprint, "difference": old.difference}
            entries[record["id"]] = {"expect": "flaky", **{k: v for k, v in recorded.items() if v},
                                     "reason": old.reason, "link": old.link}
        elif record["status"] == "failed":
            failure = record.get("failure") or {}
            entries[record["id"]] = {"expect": "fail", "kind": failure.get("kind", ""),
                                     "fingerprint": failure.get("fingerprint", ""),
                                     "difference": failure.get("difference", ""),
                                     "reason": old.reason if old else "why it fails here",
                                     "link": old.link if old else ""}
    return "vicicert: expectations/1\n" + yaml.safe_dump({"cases": entries}, sort_keys=False, allow_unicode=True,
                                                         width=120)
