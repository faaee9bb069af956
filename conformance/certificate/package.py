"""What goes into a certificate, laid out as files (name -> bytes), from the run's records.

Everything here is plain data already redacted by the run. Files whose bytes depend on
when the run happened are listed in ``TIMESTAMPED``; every other file is the same for the
same inputs (same specs, target answers, options and expectations).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from .archive import MANIFEST, write_archive
from .outcomes import outcome
from .profiles import profile_verdicts
from .security import lockout_findings, plain_http_logins

ARCHIVE_NAME = "vicicert-certificate.tar.gz"
# run.json holds the start and end; the reports hold their generation time and each answer's
# elapsed milliseconds; junit.xml its timestamp and durations; the manifest hashes them all.
TIMESTAMPED = ("run.json", "report.json", "report.html", "junit.xml", MANIFEST)
# A case log holds the host's clock when its reference text does: the spec patterns that match a time,
# a format=debug page's run time, and the statements it prints (an INSERT's date, a new random id).
CLOCK_PLACEHOLDERS = ("{date}", "{epoch}", "{lock_epoch}", "{dst}", "{tznow}", "{runtime}")


@dataclass
class Submission:
    """One run, as the certificate needs it."""

    records: list[dict]
    target: str                      # already masked
    mode: str                        # embedded, declared or sql
    contract: str
    reports: dict[str, bytes]        # report.json, report.html and junit.xml (when written)
    spec_files: dict[str, bytes]     # name relative to the spec root -> bytes
    builds: dict[str, str] = field(default_factory=dict)
    expectations: tuple[str, bytes] | None = None     # file name and bytes
    lockout: dict | None = None      # what security.probe_lockout found, when it ran
    started_at: str = ""
    finished_at: str = ""


def vicicert_version() -> str:
    try:
        return metadata.version("vicicert")
    except metadata.PackageNotFoundError:
        return "unknown"


def spec_set_hash(spec_files: dict[str, bytes]) -> tuple[str, dict[str, str]]:
    """The spec set's content hash (over names and bytes, in name order) and each file's SHA-256."""
    each = {name: hashlib.sha256(spec_files[name]).hexdigest() for name in sorted(spec_files)}
    whole = hashlib.sha256("".join(f"{digest}  {name}\n" for name, digest in each.items()).encode()).hexdigest()
    return whole, each


def certificate_files(submission: Submission) -> dict[str, bytes]:
    """Every file of the certificate but the manifest, by name."""
    records = sorted(submission.records, key=lambda record: record["id"])
    files = {name: data for name, data in submission.reports.items()}
    for record in records:
        files[case_log_name(record)] = case_log(record).encode()
    verdicts = {"profiles": profile_verdicts(records), "cases": {record["id"]: outcome(record) for record in records}}
    files["verdicts.json"] = _json(verdicts)
    files["security.json"] = _json({
        "profile": "Security (informational: never fails a case or the run)",
        "findings": security_findings(submission),
        "lockout_probe": submission.lockout or {"probed": False, "reason": "not run"},
    })
    if submission.expectations is not None:
        name, data = submission.expectations
        files[f"expectations/{name}"] = data
    files["run.json"] = _json({"started_at": submission.started_at, "finished_at": submission.finished_at})
    spec_hash, spec_each = spec_set_hash(submission.spec_files)
    files["manifest.json"] = _json({
        "vicicert": "certificate/1",
        "vicicert_version": vicicert_version(),
        "target": submission.target, "mode": submission.mode, "contract": submission.contract,
        "builds": dict(sorted(submission.builds.items())),
        "spec_set": {"sha256": spec_hash, "files": spec_each},
        "expectations": f"expectations/{submission.expectations[0]}" if submission.expectations else None,
        "files": sorted([*files, "manifest.json", MANIFEST]),
        "timestamped": timestamped(records, files),
        "outcomes": "passed, documented_only (a documented text matched, the reference did not), not_implemented "
                    "(answered like a function the API lacks), failed, skipped",
    })
    return files


def security_findings(submission: Submission) -> list[dict]:
    """The security profile's findings: per case (found in the run), then per run."""
    findings = sorted((finding for record in submission.records for finding in record.get("security", [])),
                      key=lambda finding: (finding["case"], finding["kind"]))
    return findings + plain_http_logins(submission.records) + lockout_findings(submission.lockout)


def write_certificate(submission: Submission, folder: Path) -> Path:
    """The archive in ``folder``; returns its path."""
    return write_archive(certificate_files(submission), folder / ARCHIVE_NAME)


def case_log_name(record: dict) -> str:
    return f"cases/{record['api']}/{record['function']}/{record['name']}.log"


def timestamped(records: list[dict], files: dict[str, bytes]) -> list[str]:
    """The files whose bytes depend on when the run happened (all others repeat with the same inputs)."""
    clock = sorted(case_log_name(record) for record in records
                   if any(name in record.get("reference", {}).get("expected", "") for name in CLOCK_PLACEHOLDERS))
    return [name for name in TIMESTAMPED if name in files or name == MANIFEST] + clock


def case_log(record: dict) -> str:
    """One case's request and answer, as text (redacted; no host or port, so it reads the same anywhere)."""
    spec_path, _, line = record["spec"].rpartition(":")
    lines = [f"case: {record['id']}", f"spec: {record['api']}/{Path(spec_path).name}:{line}",
             f"outcome: {outcome(record)}", f"status: {record['status']}"]
    if record.get("skip_reason"):
        lines.append(f"skipped: {record['skip_reason']}")
    if "expectation" in record:
        lines.append(f"expectation: {record['expectation']['verdict']} (expected to {record['expectation']['expect']})")
    if "request" in record:
        parts = urlsplit(record["request"])
        lines.append(f"request: GET {parts.path}" + (f"?{parts.query}" if parts.query else ""))
    answer = record.get("answer")
    if answer is not None:
        lines.append(f"answer: HTTP {answer['status']}, {answer['bytes']} bytes"
                     + (f", error: {answer['error']}" if answer["error"] else ""))
        lines += ["--- answer body ---", answer["body"], "--- end of answer ---"]
    for text in record.get("texts", []):
        lines.append(f"text {text['source']} ({text['label']}): {'matched' if text['matched'] else 'differs'}")
    if "reference" in record:
        lines += ["--- reference text ---", record["reference"]["expected"], "--- end of reference ---"]
    return "\n".join(lines) + "\n"


def _json(document) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
