"""``vicicert verify``: everything an archive can prove about itself, and its signature.

The manifest (every file's SHA-256), then that ``verdicts.json`` says what ``report.json``'s
cases imply (each case's outcome, each profile's verdict, recomputed here), then the detached
signature. Editing a verdict and hashing the manifest anew passes the first check and fails the
second; editing both consistently fails only the signature, which is why a certificate that
must show who made it is signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .archive import read_archive, verify
from .outcomes import outcome
from .profiles import profile_verdicts
from .signature import check_signature, load_public_key


@dataclass
class Verification:
    """What ``vicicert verify`` found: problems (none: verified), and what it can say of the signer."""

    problems: list[str] = field(default_factory=list)
    signature: str | None = None      # None: unsigned (or a signature that failed, then in problems)

    @property
    def verified(self) -> bool:
        return not self.problems


def verify_certificate(archive: Path, public_key: Path | None = None, require_signature: bool = False) -> Verification:
    """Check ``archive``; with ``public_key`` its signature must be valid, and present when
    ``require_signature`` (a given public key asks for one)."""
    key = load_public_key(public_key) if public_key is not None else None
    found = Verification(problems=verify(archive))
    if found.problems:
        return found
    found.problems += verdicts_agree(read_archive(archive))
    found.signature, problems = check_signature(archive, key)
    found.problems += problems
    if found.signature is None and not problems and (require_signature or key is not None):
        found.problems.append(f"{archive}: unsigned (no {archive.name}.sig beside it), so its origin is unproven")
    return found


def verdicts_agree(files: dict[str, bytes]) -> list[str]:
    """Where ``verdicts.json`` differs from what ``report.json``'s cases imply."""
    try:
        report = json.loads(files["report.json"])
        verdicts = json.loads(files["verdicts.json"])
        records = sorted(report["cases"], key=lambda record: record["id"])
        stated_profiles = verdicts["profiles"]
        profiles = {entry["profile"]: tuple(entry["functions"]) for entry in stated_profiles}
        implied_cases = {record["id"]: outcome(record) for record in records}
        implied_profiles = profile_verdicts(records, profiles)
    except (KeyError, TypeError, ValueError) as error:
        return [f"report.json or verdicts.json cannot be read as a certificate's ({type(error).__name__}: {error})"]
    problems = [f"verdicts.json: case {case_id} is {verdicts['cases'].get(case_id, 'missing')!r}, report.json's "
                f"record implies {implied!r}" for case_id, implied in implied_cases.items()
                if verdicts["cases"].get(case_id) != implied]
    problems += [f"verdicts.json: case {case_id} is not in report.json" for case_id in verdicts["cases"]
                 if case_id not in implied_cases]
    for stated, implied in zip(stated_profiles, implied_profiles):
        if stated != implied:
            problems.append(f"verdicts.json: profile {stated['profile']!r} says {stated.get('verdict')!r}, report.json's "
                            f"cases imply {implied['verdict']!r}" + ("" if stated.get("verdict") != implied["verdict"]
                                                                     else " (its counts differ)"))
    return problems
