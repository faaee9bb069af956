"""What a failure was, free of clocks and ids: its mismatch kind, its first difference as text,
and a fingerprint of both, from a case's plain-data record.

Two failures are the same when the judged text's mismatches name the same kinds and fields in
the same order, and the answer reads the same where it first departs, once every run of digits
(an epoch, a date, an id the database assigned, a port) and every long hex run (a session or
call id) reads as ``#``. An expectation recorded with a fingerprint holds only a failure with the
same fingerprint; the same fingerprints also group a run's failures by cause.
"""

from __future__ import annotations

import hashlib
import json
import re

HEX_RUN = re.compile(r"\b(?=[0-9A-Fa-f]*\d)[0-9A-Fa-f]{8,}\b")
DIGITS = re.compile(r"\d+")
SHOWN = 160        # characters of the first difference kept in the signature
BODY_KIND = "UnexpectedBody"


def normalised(text: str) -> str:
    """``text`` with its long hex runs and then its digit runs each read as ``#``."""
    return DIGITS.sub("#", HEX_RUN.sub("#", text))


def failure_signature(record: dict) -> dict | None:
    """``{kind, difference, fingerprint, mismatches}`` of a failed case's record, or None when the
    record holds no mismatch (a skip, a pass)."""
    verdicts = ([record["reference"], *record.get("documented", [])] if "reference" in record else [])
    if not verdicts:
        return None
    chosen = verdicts[record.get("chosen", 0)]
    mismatches = chosen["mismatches"]
    if not mismatches:
        return None
    first = mismatches[0]
    difference = normalised(f"{first['kind']} in {first['field']}: {_first_difference(first, chosen)}")
    difference = difference if len(difference) <= SHOWN else difference[:SHOWN] + "…"
    shape = [[m["kind"], normalised(m["field"])] for m in mismatches]
    digest = hashlib.sha256(json.dumps([difference, shape], ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"kind": first["kind"], "difference": difference, "fingerprint": digest[:16],
            "mismatches": [f"{kind} in {field}" for kind, field in shape]}


def _first_difference(mismatch: dict, verdict: dict) -> str:
    """The answer where it first departs: its first differing line for a whole-body difference,
    otherwise what the mismatch found (a field's value, a header's, a status, an error)."""
    diff = verdict.get("diff")
    if mismatch["kind"] == BODY_KIND and diff is not None:
        actual = diff["actual_line"] or "(the answer stops early)"
        return f"line {diff['first_line']}: {actual!r}" if diff["first_line"] > 1 else repr(actual)
    return mismatch["actual"]
