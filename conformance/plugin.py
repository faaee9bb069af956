"""The pytest plugin: spec files become items, one per case, with pytest's own node ids
(``agent_api/pause_code.yaml::ready_agent``, relative to the rootdir).

Options come as ``--vicidial-*`` flags, ``vicidial_*`` ini keys or ``VICIDIAL_*``
environment variables (flag wins, then environment, then ini). Spec files are recognised
by their first line (``vicicert: spec/1``), so the plugin is inert in other test suites.

Each case's result travels as a plain-data record on its test report (``report.vicicert``),
so under pytest-xdist the workers run cases and the controller alone collects the records,
writes report.json and report.html and prints the summary.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from .certificate.package import Submission, security_findings, write_certificate
from .certificate.profiles import profile_verdicts
from .certificate.security import case_findings, probe_lockout
from .errors import FixtureFailure, SourceFileError, VicicertError
from .execution import CaseResult, CaseSkipped, run_case
from .failure import describe_failure
from .harness import Harness, Settings
from .preflight import preflight
from .redaction import mask_url
from .report.record import case_record
from .report.terminal import summary_table
from .report.writer import write_reports
from .run_order import writes_last
from .rerun import Collected, vicicert_command, keyword_expression, node_command
from .expectations import Expectation, Expectations, judge, load_expectations, updated_text
from .skip_gate import NOTHING_CHECKED, skip_verdict
from .spec import Case, is_spec_file, load_spec

_OPTIONS = {
    # name: (help, default)
    "target": ("base URL of the host to check; without it the embedded reference host is started", None),
    "user": ("API user for the main API role (api_admin)", None),
    "pass": ("password of that API user (prefer the VICIDIAL_PASS environment variable)", None),
    "world": ("YAML world file: what the target has (declared mode) or what to create (embedded)", None),
    "contract": ("which texts must match: reference (upstream code) or documented (docs, articles)", "reference"),
    "report-dir": ("folder for the JSON and HTML reports (none written when unset)", None),
    "timeout": ("seconds for each whole answer to arrive", "10"),
    "db": ("database of the embedded host (SQLite path or mysql:// URL; default: a temporary file)", None),
    "world-db": ("SQL fixture mode: the target's own database (mysql://user:pass@host:port/asterisk)", None),
    "journal": ("SQL fixture journal file (default: REPORT_DIR/vicicert-journal.jsonl)", None),
    "namespace": ("prefix of every user the harness creates (2-8 lowercase letters and digits)", "vcrt"),
    "max-skipped": ("percentage of skipped cases above which the run fails with exit status 6", None),
    "expectations": ("expectation file: the cases this host is known to fail or skip (fail only on the "
                     "unexpected)", None),
}
_HARNESS = pytest.StashKey[Harness]()
_RESULT = pytest.StashKey[CaseResult]()
_RECORD = pytest.StashKey[dict]()
_RECORDS = pytest.StashKey[list]()                    # every case's record, on the process that reports
_COLLECTED = pytest.StashKey[list]()                  # what -k sees of every collected case, before -k
_SKIP_VERDICT = pytest.StashKey[str]()                # why the run does not pass for what it skipped
_EXPECTATIONS = pytest.StashKey[Expectations | None]()
_FACTS = pytest.StashKey[list]()                      # builds and lockout probe, from each process with a harness
_STARTED = pytest.StashKey[str]()
_CERTIFICATE = pytest.StashKey[list]()                # the summary's lines about the archive


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vicicert", "VICIdial conformance (vicicert)")
    for name, (help_text, _default) in _OPTIONS.items():
        key = name.replace("-", "_")
        group.addoption(f"--vicidial-{name}", dest=f"vicidial_{key}", default=None,
                        help=f"{help_text} [ini vicidial_{key}, env VICIDIAL_{key.upper()}]")
        parser.addini(f"vicidial_{key}", help_text, default=None)
    group.addoption("--vicidial-no-global-changes", action="store_true", dest="vicidial_no_global_changes",
                    help="skip cases that toggle system_settings (for hosts where that is not acceptable)")
    group.addoption("--vicidial-update-expectations", dest="vicidial_update_expectations", metavar="FILE",
                    help="write an expectation file from this run (reasons and links of cases still failing kept)")
    group.addoption("--vicidial-allow-nothing-checked", action="store_true", dest="vicidial_allow_nothing_checked",
                    help="let a run in which every case was skipped pass (otherwise exit status 6)")
    group.addoption("--vicidial-certificate", dest="vicidial_certificate", metavar="DIR",
                    help="write a certification archive (reports, case logs, builds, spec hash, profile verdicts, "
                         "security findings, SHA-256 manifest) into DIR")
    group.addoption("--vicidial-allow-failed-logins", action="store_true", dest="vicidial_allow_failed_logins",
                    help="declared mode: send the cases that are failed logins for the declared accounts too")
    group.addoption("--vicidial-allow-writes", action="store_true", dest="vicidial_allow_writes",
                    help="declared mode: send the cases that change the host's state too (after every read-only "
                         "case, in the specs' order)")


def _option(config: pytest.Config, name: str) -> str | None:
    key = name.replace("-", "_")
    value = config.getoption(f"vicidial_{key}")
    if value is None:
        value = os.environ.get(f"VICIDIAL_{key.upper()}")
    if value is None:
        value = config.getini(f"vicidial_{key}")
    return value if value not in (None, "") else _OPTIONS[name][1]


def settings_from(config: pytest.Config) -> Settings:
    world, report_dir, journal = _option(config, "world"), _option(config, "report-dir"), _option(config, "journal")
    try:
        timeout = float(_option(config, "timeout") or 10)
    except ValueError:
        raise pytest.UsageError("--vicidial-timeout takes a number of seconds") from None
    return Settings(
        target=_option(config, "target"), user=_option(config, "user"), password=_option(config, "pass"),
        world=Path(world) if world else None, contract=_option(config, "contract") or "reference",
        report_dir=Path(report_dir) if report_dir else None, timeout=timeout, db=_option(config, "db"),
        world_db=_world_db(config), journal=Path(journal) if journal else None,
        namespace=_option(config, "namespace") or "vcrt",
        global_changes=not config.getoption("vicidial_no_global_changes"),
        failed_logins=config.getoption("vicidial_allow_failed_logins"),
        writes=config.getoption("vicidial_allow_writes"),
    )


def _world_db(config: pytest.Config) -> str | None:
    """The SQL fixture database; one that comes only from the environment or an ini key does not
    turn a declared world given on the command line (``--vicidial-world``) into SQL fixture mode."""
    if config.getoption("vicidial_world") is not None and config.getoption("vicidial_world_db") is None:
        return None
    return _option(config, "world-db")


def harness_for(config: pytest.Config, apis: frozenset[str] | None = None) -> Harness:
    """The session's harness, started on first use (so runs without spec items start nothing)."""
    if _HARNESS not in config.stash:
        try:
            config.stash[_HARNESS] = Harness.start(settings_from(config), apis)
        except VicicertError as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_HARNESS]


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if is_spec_file(file_path):
        return SpecFile.from_parent(parent, path=file_path)
    return None


class SpecFile(pytest.File):
    """A spec file; its cases (explicit and generated) are the items."""

    def collect(self):
        spec = load_spec(self.path)
        for position, case in enumerate(spec.cases):
            yield CaseItem.from_parent(self, name=case.name, case=case, position=position)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SourceFileError):
            return excinfo.value.render()
        return super().repr_failure(excinfo, style)


class CaseFailed(Exception):
    """The target's answer broke the chosen contract."""


class StaleExpectation(Exception):
    """The expectation file says this case fails (or is skipped), and it no longer does."""


class CaseItem(pytest.Item):
    """One case of a spec, run against the session's target."""

    def __init__(self, *, case: Case, position: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.position = position     # among its spec file's cases, as written
        self.add_marker(pytest.mark.vicidial)

    def runtest(self) -> None:
        harness = harness_for(self.config)
        if self.case.mutates_settings and not harness.settings.global_changes:
            reason = "changes system settings; excluded by --vicidial-no-global-changes"
            self._keep(CaseResult(case=self.case, contract=harness.settings.contract, skip_reason=reason,
                                  redact=harness.redact))
            raise pytest.skip.Exception(reason, _use_item_location=True)
        try:
            version = harness.preflight.versions.get(self.case.api) if harness.preflight else None
            result = run_case(self.case, harness.target, harness.world, harness.settings.contract,
                              harness.redact, harness.keeper, harness.settings.failed_logins,
                              harness.settings.writes, version)
        except FixtureFailure as failure:  # the reports are still written, and cleanup is named
            pytest.exit(harness.redact(f"{self.case.id}: {failure}"), returncode=pytest.ExitCode.USAGE_ERROR)
        except CaseSkipped as skipped:
            result = CaseResult(case=self.case, contract=harness.settings.contract,
                                skip_reason=str(skipped), redact=harness.redact)
        self._keep(result)
        expectation = self._expectation()
        verdict = judge(result.status, expectation)
        if expectation is not None:
            self.stash[_RECORD]["expectation"] = expectation.as_record(verdict)
        if verdict == "stale":
            raise StaleExpectation()
        if result.status == "skipped":
            raise pytest.skip.Exception(result.skip_reason, _use_item_location=True)
        if result.status == "failed":
            if verdict == "expected":
                raise pytest.xfail.Exception(f"expected ({expectation.reason})")
            raise CaseFailed()

    def _expectation(self) -> Expectation | None:
        expectations = self.config.stash.get(_EXPECTATIONS, None)
        return expectations.cases.get(self.case.id) if expectations else None

    def _keep(self, result: CaseResult) -> None:
        self.stash[_RESULT] = result
        rerun = self.rerun_commands() if result.status == "failed" else ()
        self.stash[_RECORD] = case_record(result, self.nodeid, rerun)
        if self.config.getoption("vicidial_certificate"):
            self.stash[_RECORD]["security"] = case_findings(result, result.redact)

    def rerun_commands(self) -> tuple[str, ...]:
        """``vicicert check -k ...`` and ``pytest <path>::<case>``, each selecting this case alone."""
        harness = harness_for(self.config)
        options = given_options(self.config)
        collected = self.config.stash.get(_COLLECTED, [])
        me = next((entry for entry in collected if entry.nodeid == self.nodeid), None) or _collected(self)
        commands = []
        expression = keyword_expression(me, collected or [me])
        if expression is not None:
            commands.append(vicicert_command(options, sorted({entry.path for entry in collected}) or [self.path],
                                          expression))
        commands.append(node_command(options, self.path, self.name))
        return tuple(harness.redact(command) for command in commands)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, StaleExpectation):
            expectation = self._expectation()
            now = "passes" if self.stash[_RESULT].status == "passed" else f"is {self.stash[_RESULT].status}"
            return (f"{self.case.id}: stale expectation at {self.config.stash[_EXPECTATIONS].where(expectation)}: "
                    f"expected to {expectation.expect}, but the case {now} now; remove the entry (or write the "
                    "file anew with --update-expectations)")
        if isinstance(excinfo.value, CaseFailed) and _RESULT in self.stash:
            return describe_failure(self.stash[_RESULT], tuple(self.stash[_RECORD]["rerun"]))
        harness = self.config.stash.get(_HARNESS, None)
        text = str(super().repr_failure(excinfo, style))
        return harness.redact(text) if harness else text

    def reportinfo(self):
        return self.path, self.case.line - 1, self.case.id


def _collected(item: CaseItem) -> Collected:
    names = {node.name for node in item.listchain()
             if not isinstance(node, pytest.Session)
             and not (isinstance(node, pytest.Directory) and isinstance(node.parent, pytest.Session))}
    names |= {mark.name for mark in item.iter_markers()}
    return Collected(item.nodeid, item.path, item.path.stem, item.name, frozenset(names))


def given_options(config: pytest.Config) -> dict[str, str | bool | None]:
    """The run's vicicert options that differ from their defaults (for the rerun commands)."""
    options: dict[str, str | bool | None] = {}
    for name, (_help, default) in _OPTIONS.items():
        value = _option(config, name)
        if value is None or value == default:
            continue
        if name == "timeout" and float(value) == float(default):
            continue
        options[name] = mask_url(value) if name == "target" else value
    options["no-global-changes"] = bool(config.getoption("vicidial_no_global_changes"))
    options["allow-failed-logins"] = bool(config.getoption("vicidial_allow_failed_logins"))
    options["allow-writes"] = bool(config.getoption("vicidial_allow_writes"))
    return options


def _distributed(config: pytest.Config) -> bool:
    """True on the pytest-xdist controller of a run with workers."""
    return getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput")


def _on_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """What -k sees of every collected case, before -k deselects any (for exact rerun expressions)."""
    config.stash[_COLLECTED] = [_collected(item) for item in items if isinstance(item, CaseItem)]
    expectations = config.stash.get(_EXPECTATIONS, None)
    if expectations is not None:
        try:
            expectations.check_ids({item.case.id for item in items if isinstance(item, CaseItem)})
        except VicicertError as error:
            raise pytest.UsageError(str(error)) from None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the harness before the first case, so option errors are usage errors (exit 4)."""
    if session.config.option.collectonly:
        return
    apis = frozenset(item.case.api for item in session.items if isinstance(item, CaseItem))
    if apis:
        harness_for(session.config, apis)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vicidial: a vicicert conformance case")
    config.stash[_RECORDS] = []
    config.stash[_FACTS] = []
    config.stash[_STARTED] = _now()
    if config.getoption("vicidial_certificate") and not _on_worker(config):
        config.pluginmanager.register(_CertificateWriter(), "vicicert-certificate")
    config.pluginmanager.register(_RecordCollector(config.stash[_RECORDS]), "vicicert-records")
    config.pluginmanager.register(_WritesLast(), "vicicert-writes-last")
    _max_skipped(config)  # a bad share is a usage error before anything runs
    expectations = _option(config, "expectations")
    try:
        config.stash[_EXPECTATIONS] = load_expectations(Path(expectations)) if expectations else None
    except VicicertError as error:
        raise pytest.UsageError(str(error)) from None
    if _distributed(config):
        _check_distributed_options(config)


def _check_distributed_options(config: pytest.Config) -> None:
    """On the xdist controller, before any worker starts: what cannot run on several workers, and bad options."""
    settings = settings_from(config)
    if settings.world_db:
        raise pytest.UsageError("SQL fixture mode (--vicidial-world-db) runs in one process: its journal and "
                                "rows belong to one run; drop -n (or use -n 0)")
    if settings.db:
        raise pytest.UsageError("--vicidial-db gives every worker the same embedded database, and each case "
                                "rewrites its rows; drop --vicidial-db (each worker then gets its own) or -n")
    if settings.writes and _mode(settings) == "declared":
        raise pytest.UsageError("--vicidial-allow-writes runs the cases that change the host in one pinned "
                                "order, in one process: drop -n (or use -n 0)")
    try:
        Harness.check(settings)
    except VicicertError as error:
        raise pytest.UsageError(str(error)) from None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    if call.when == "call" and isinstance(item, CaseItem) and _RECORD in item.stash:
        outcome.get_result().vicicert = item.stash[_RECORD]   # serialised by xdist with the report


class _WritesLast:
    """With --vicidial-allow-writes in declared mode, the cases that change the host run after all
    others, in the specs' order (run_order.py says why); last, so no shuffle or -k undoes it."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list) -> None:
        settings = settings_from(config)
        if settings.writes and _mode(settings) == "declared":
            items[:] = writes_last(items, _writing_place)


def _writing_place(item: pytest.Item) -> tuple[Path, int] | None:
    if isinstance(item, CaseItem) and item.case.writes:
        return item.path, item.position
    return None


class _RecordCollector:
    """Keeps the record each case's report carries, whichever process ran the case."""

    def __init__(self, records: list):
        self.records = records

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, "vicicert", None)
        if record is not None:
            self.records.append(record)


@pytest.hookimpl(optionalhook=True)   # an xdist hook: the plugin works without xdist installed
def pytest_testnodedown(node, error) -> None:
    """On the xdist controller: what a worker's harness found (builds, lockout probe)."""
    facts = getattr(node, "workeroutput", {}).get("vicicert_facts")
    if facts:
        node.config.stash[_FACTS].append(facts)


def _certificate_facts(config: pytest.Config, harness: Harness) -> None:
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
    if _on_worker(config):
        config.workeroutput["vicicert_facts"] = facts
    else:
        config.stash[_FACTS].append(facts)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    harness = session.config.stash.get(_HARNESS, None)
    if harness is not None:
        if session.config.getoption("vicidial_certificate"):
            _certificate_facts(session.config, harness)
        harness.stop()
        if harness.cleanup_failed:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
        elif harness.problems and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    records = session.config.stash.get(_RECORDS, [])
    if _on_worker(session.config) or not records:
        return
    settings = settings_from(session.config)
    verdict = skip_verdict([record["status"] for record in records], _max_skipped(session.config),
                           session.config.getoption("vicidial_allow_nothing_checked"))
    if verdict and session.exitstatus == pytest.ExitCode.OK:
        session.config.stash[_SKIP_VERDICT] = verdict
        session.exitstatus = NOTHING_CHECKED
    if settings.report_dir:
        write_reports(records, _target_shown(settings), settings.contract, settings.report_dir)
    update = session.config.getoption("vicidial_update_expectations")
    if update:
        Path(update).write_text(updated_text(records, session.config.stash.get(_EXPECTATIONS, None)),
                                encoding="utf-8")


class _CertificateWriter:
    """Writes the certification archive last, once the reports and junit.xml exist."""

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = session.config
        records = config.stash.get(_RECORDS, [])
        if not records:
            return
        settings = settings_from(config)
        facts = config.stash.get(_FACTS, [])
        builds = next((fact["builds"] for fact in facts if fact.get("builds")), {})
        lockout = next((fact["lockout"] for fact in facts if fact.get("lockout")), None)
        expectations = config.stash.get(_EXPECTATIONS, None)
        with tempfile.TemporaryDirectory(prefix="vicicert-certificate-") as folder:
            written = write_reports(records, _target_shown(settings), settings.contract, Path(folder))
            reports = {path.name: path.read_bytes() for path in written.values()}
        junit = getattr(config.option, "xmlpath", None)
        if junit and Path(junit).is_file():
            reports["junit.xml"] = Path(junit).read_bytes()
        submission = Submission(
            records=records, target=_target_shown(settings), mode=_mode(settings), contract=settings.contract,
            reports=reports, spec_files=_spec_files(records, config.rootpath), builds=builds,
            expectations=(expectations.path.name, expectations.path.read_bytes()) if expectations else None,
            lockout=lockout, started_at=config.stash[_STARTED], finished_at=_now())
        folder = Path(config.getoption("vicidial_certificate"))
        try:
            lines = [f"certificate: {write_certificate(submission, folder)}"]
        except OSError as error:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            lines = [f"certificate NOT WRITTEN to {folder} ({error.strerror or error}): give a folder you can write to"]
        lines += [f"  profile {p['profile']}: {p['verdict']}" for p in profile_verdicts(records)]
        findings = security_findings(submission)
        lines.append(f"  security (informational, never fails the run): {len(findings)} finding(s)"
                     + "".join(f"; {kind} x{count}" for kind, count in sorted(Counter(f['kind'] for f in findings).items())))
        config.stash[_CERTIFICATE] = lines


def _spec_files(records: list[dict], root: Path) -> dict[str, bytes]:
    """The spec files the run's cases came from, named relative to the rootdir."""
    files = {}
    for path in {Path(record["spec"].rpartition(":")[0]) for record in records}:
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = f"{path.parent.name}/{path.name}"
        files[name] = path.read_bytes()
    return files


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _max_skipped(config: pytest.Config) -> float | None:
    value = _option(config, "max-skipped")
    if value is None:
        return None
    try:
        share = float(str(value).rstrip("%"))
    except ValueError:
        share = -1.0
    if not 0 <= share <= 100:
        raise pytest.UsageError(f"--vicidial-max-skipped {value!r}: give a percentage from 0 to 100")
    return share


def _target_shown(settings: Settings) -> str:
    return mask_url(settings.target) if settings.target else "embedded reference host"


def _mode(settings: Settings) -> str:
    if settings.target is None:
        return "embedded"
    return "sql" if settings.world_db else "declared"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    records = config.stash.get(_RECORDS, [])
    if _on_worker(config) or not records:
        return
    # Each failure is described once, in its section: the short summary keeps one line per case
    # (pytest would repeat every whole description there when it sees a CI environment).
    config.option.force_short_summary = True
    harness = config.stash.get(_HARNESS, None)
    settings = harness.settings if harness is not None else settings_from(config)
    terminalreporter.write_sep("=", "vicicert summary")
    target = harness.redact(harness.target.base_url) if harness is not None else _target_shown(settings)
    workers = "" if harness is not None else f", {getattr(config.option, 'numprocesses', '?')} workers"
    terminalreporter.write_line(f"target: {target} ({_mode(settings)}{workers}), contract: {settings.contract}")
    for line in harness.preflight.lines() if harness is not None and harness.preflight else ():
        terminalreporter.write_line(f"preflight: {harness.redact(line)}")
    for line in summary_table(records).splitlines():
        terminalreporter.write_line(line)
    if harness is not None and harness.mode == "sql":
        if harness.problems:
            terminalreporter.write_line("DATABASE NOT LEFT AS FOUND:", red=True, bold=True)
            for problem in harness.problems:
                terminalreporter.write_line(f"  {problem}", red=True)
        else:
            terminalreporter.write_line("database: harness rows removed, checksums equal to before the run",
                                        green=True)
        for counter in harness.counters:
            terminalreporter.write_line(f"  {counter}", yellow=True)
    unread = sum(1 for record in records if record.get("effects", {}).get("note"))
    if unread:
        terminalreporter.write_line(f"effects: not checked in {unread} cases (declared mode reads no database of "
                                    "the host; --world-db checks them)", yellow=True)
    verdicts = Counter(record["expectation"]["verdict"] for record in records if "expectation" in record)
    if verdicts:
        terminalreporter.write_line(f"expectations: {verdicts['expected']} as expected, {verdicts['stale']} stale, "
                                    f"{verdicts['unexpected']} otherwise ({config.stash[_EXPECTATIONS].path})")
    if _SKIP_VERDICT in config.stash:
        terminalreporter.write_line(f"NOT PASSED: {config.stash[_SKIP_VERDICT]}", red=True, bold=True)
    if settings.report_dir:
        terminalreporter.write_line(f"reports: {settings.report_dir}/ (report.html, report.json)")
    for line in config.stash.get(_CERTIFICATE, []):
        terminalreporter.write_line(line)
