"""The certification archive from a pytest run: the target's facts gathered before the harness
stops, and the archive written last, once the reports and junit.xml exist."""

from __future__ import annotations

import datetime as _dt
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from ..certificate.package import Submission, security_findings, write_certificate
from ..certificate.profiles import profile_verdicts
from ..certificate.security import probe_lockout
from ..errors import VicicertError
from ..harness import Harness
from ..preflight import preflight
from ..report.writer import write_reports
from .options import mode_of, option, settings_from, target_shown
from .state import CERTIFICATE, EXPECTATIONS, FACTS, HARNESS, RECORDS, STARTED, on_worker

def certificate_facts(config: pytest.Config, harness: Harness) -> None:
    """Before the harness stops: the target's builds and, where the harness owns the accounts
    (embedded, SQL fixture), the lockout probe (on one xdist worker only)."""
    builds = dict(harness.preflight.builds) if harness.preflight else {}
    facts: dict = {"builds": builds, "lockout": None}
    try:
        if not builds:
            facts["builds"] = preflight(harness.target, None).builds
    except VicicertError as error:
        facts["builds"] = {"error": harness.redact(str(error))}
    first = getattr(config, "workerinput", {}).get("workerid", "gw0") == "gw0"
    if harness.keeper is not None and first:
        try:
            harness.keeper.reset(harness.world, {})
            facts["lockout"] = probe_lockout(harness.target, harness.world)
        except Exception as error:  # noqa: BLE001 - an informational probe must never cost the cleanup
            facts["lockout"] = {"probed": False, "reason": harness.redact(f"the probe failed ({type(error).__name__})")}
    elif harness.keeper is None:
        facts["lockout"] = {"probed": False, "reason": "declared accounts are real ones: never locked on purpose"}
    if on_worker(config):
        config.workeroutput["vicicert_facts"] = facts
    else:
        config.stash[FACTS].append(facts)

class CertificateWriter:
    """Writes the certification archive last, once the reports and junit.xml exist; signs it with
    ``key`` when given (``ARCHIVE.sig`` beside it)."""

    def __init__(self, key=None):
        self.key = key

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = session.config
        records = config.stash.get(RECORDS, [])
        if not records:
            return
        settings = settings_from(config)
        facts = config.stash.get(FACTS, [])
        builds = next((fact["builds"] for fact in facts if fact.get("builds")), {})
        lockout = next((fact["lockout"] for fact in facts if fact.get("lockout")), None)
        expectations = config.stash.get(EXPECTATIONS, None)
        with tempfile.TemporaryDirectory(prefix="vicicert-certificate-") as folder:
            harness = config.stash.get(HARNESS, None)
            written = write_reports(records, target_shown(settings), settings.contract, Path(folder),
                                    harness.database_outcome() if harness is not None else None)
            reports = {path.name: path.read_bytes() for path in written.values()}
        junit = getattr(config.option, "xmlpath", None)
        if junit and Path(junit).is_file():
            reports["junit.xml"] = Path(junit).read_bytes()
        submission = Submission(
            records=records, target=target_shown(settings), mode=mode_of(settings), contract=settings.contract,
            reports=reports, spec_files=spec_files(records, config.rootpath), builds=builds,
            expectations=(expectations.path.name, expectations.path.read_bytes()) if expectations else None,
            lockout=lockout, started_at=config.stash[STARTED], finished_at=now())
        folder = Path(option(config, "certificate"))
        from ..certificate.signature import key_id, sign_archive, signature_path   # cryptography, only here
        try:
            archive = write_certificate(submission, folder)
            lines = [f"certificate: {archive}"]
            if self.key is not None:
                lines.append(f"  signed: {sign_archive(archive, self.key)} (key {key_id(self.key.public_key())})")
            else:
                signature_path(archive).unlink(missing_ok=True)   # an older run's signature would not match
        except OSError as error:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            lines = [f"certificate NOT WRITTEN to {folder} ({error.strerror or error}): give a folder you can write to"]
        lines += [f"  profile {p['profile']}: {p['verdict']}" for p in profile_verdicts(records)]
        findings = security_findings(submission)
        lines.append(f"  security (informational, never fails the run): {len(findings)} finding(s)"
                     + "".join(f"; {kind} x{count}" for kind, count in sorted(Counter(f['kind'] for f in findings).items())))
        config.stash[CERTIFICATE] = lines

def spec_files(records: list[dict], root: Path) -> dict[str, bytes]:
    """The spec files the run's cases came from, named relative to the rootdir."""
    files = {}
    for path in {Path(record["spec"].rpartition(":")[0]) for record in records}:
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = f"{path.parent.name}/{path.name}"
        files[name] = path.read_bytes()
    return files

def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
