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

from pathlib import Path

import pytest

from .. import stopping
from ..errors import VicicertError
from ..expectations import load_expectations, updated_text
from ..report.writer import write_reports
from ..run_order import writes_last
from ..skip_gate import NOTHING_CHECKED, skip_verdict
from ..spec import is_spec_file
from .certificate_hooks import CertificateWriter, certificate_facts, now
from .items import CaseItem, SpecFile, collected_entry
from .options import add_options, check_distributed_options, max_skipped, mode_of, option, settings_from, switch, \
    target_shown
from .state import COLLECTED, EXPECTATIONS, FACTS, HARNESS, RECORD, RECORDS, RESULT, SKIP_VERDICT, SOFT_STOP, STARTED, UPDATED, \
    distributed, harness_for, on_worker
from .summary import GateWords, OneLinePerCause, write_summary


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if is_spec_file(file_path):
        return SpecFile.from_parent(parent, path=file_path)
    return None

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """What -k sees of every collected case, before -k deselects any (for exact rerun expressions)."""
    config.stash[COLLECTED] = [collected_entry(item) for item in items if isinstance(item, CaseItem)]
    expectations = config.stash.get(EXPECTATIONS, None)
    if expectations is not None:
        try:
            expectations.check_ids({item.case.id for item in items if isinstance(item, CaseItem)})
        except VicicertError as error:
            raise pytest.UsageError(str(error)) from None

def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the harness before the first case, so option errors are usage errors (exit 4)."""
    if session.config.option.collectonly:
        return
    cases = [item.case for item in session.items if isinstance(item, CaseItem)]
    if cases:
        harness_for(session.config, frozenset(case.api for case in cases),
                    frozenset(role for case in cases for role in case.roles))

def pytest_sessionstart(session: pytest.Session) -> None:
    """Under ``vicicert`` (which installs the handlers, stopping.py) a signal stops the run between two
    cases: the case being sent ends, no other is sent, and the session finishes as after Ctrl-C, the
    harness's cleanup and the reports included, uncut by a second signal. On an xdist controller the
    signal interrupts at once, as Ctrl-C does there (its workers are stopped by xdist)."""
    if not on_worker(session.config) and not distributed(session.config):
        session.config.stash[SOFT_STOP] = stopping.on_signal(_stop_between_cases(session))

@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    if stopping.received() is not None and SOFT_STOP in session.config.stash:   # during the harness's start
        raise session.Interrupted(session.shouldstop or f"stopped by {stopping.name()}")

def _stop_between_cases(session: pytest.Session):
    def stop(number: int) -> None:
        session.shouldstop = f"stopped by {stopping.name(number)}"
    return stop

def pytest_unconfigure(config: pytest.Config) -> None:
    if SOFT_STOP in config.stash:
        stopping.on_signal(config.stash[SOFT_STOP])

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vicidial: a vicicert conformance case")
    config.addinivalue_line("markers", "agent_api: a case of the Agent API (/agc/api.php); select with -m agent_api")
    config.addinivalue_line("markers", "non_agent_api: a case of the Non-Agent API (/vicidial/non_agent_api.php)")
    config.stash[RECORDS] = []
    config.stash[FACTS] = []
    config.stash[STARTED] = now()
    sign_key = option(config, "sign-key")
    if sign_key and not option(config, "certificate"):
        raise pytest.UsageError("--vicidial-sign-key signs the certificate, so it needs one: --vicidial-certificate DIR")
    if option(config, "certificate") and not on_worker(config):
        try:   # a missing or wrong key is named before any case runs
            key = _private_key(Path(sign_key)) if sign_key else None
        except VicicertError as error:
            raise pytest.UsageError(str(error)) from None
        config.pluginmanager.register(CertificateWriter(key), "vicicert-certificate")
    config.pluginmanager.register(_RecordCollector(config.stash[RECORDS]), "vicicert-records")
    config.pluginmanager.register(_WritesLast(), "vicicert-writes-last")
    config.pluginmanager.register(GateWords(config), "vicicert-gate-words")
    config.pluginmanager.register(OneLinePerCause(config), "vicicert-one-line-per-cause")
    max_skipped(config)  # a bad share is a usage error before anything runs
    expectations = option(config, "expectations")
    update = config.getoption("vicidial_update_expectations")
    try:
        config.stash[EXPECTATIONS] = load_expectations(Path(expectations)) if expectations else None
        # The file to rewrite, if it holds anything, must be an expectation file (a world or a spec given
        # by mistake is refused, never overwritten), and its reasons and links are kept.
        config.stash[UPDATED] = load_expectations(Path(update)) if update and _not_empty(Path(update)) else None
    except VicicertError as error:
        raise pytest.UsageError(str(error)) from None
    if distributed(config):
        check_distributed_options(config)

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    if call.when == "call" and isinstance(item, CaseItem) and RECORD in item.stash:
        outcome.get_result().vicicert = item.stash[RECORD]   # serialised by xdist with the report
    if call.when == "call" and isinstance(item, CaseItem) and RESULT in item.stash:
        item.stash[RESULT].keep_excerpt()   # record and failure text are made: the whole answer can go

class _WritesLast:
    """With --vicidial-allow-writes in declared mode, the cases that change the host run after all
    others, in the specs' order (run_order.py says why); last, so no shuffle or -k undoes it."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list) -> None:
        settings = settings_from(config)
        if settings.writes and mode_of(settings) == "declared":
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
        node.config.stash[FACTS].append(facts)

def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    harness = session.config.stash.get(HARNESS, None)
    if harness is not None:
        if option(session.config, "certificate"):
            certificate_facts(session.config, harness)
        harness.stop()
        if harness.cleanup_failed:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
        elif harness.problems and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    records = session.config.stash.get(RECORDS, [])
    if on_worker(session.config) or not (records or (harness is not None and harness.stopped_mid_run)):
        return  # (a run its first case stopped still reports: no case, and what became of the database)
    settings = settings_from(session.config)
    verdict = skip_verdict([record["status"] for record in records], max_skipped(session.config),
                           switch(session.config, "allow-nothing-checked"))
    if verdict and session.exitstatus == pytest.ExitCode.OK:
        session.config.stash[SKIP_VERDICT] = verdict
        session.exitstatus = NOTHING_CHECKED
    if settings.report_dir:
        write_reports(records, target_shown(settings), settings.contract, settings.report_dir,
                      harness.database_outcome() if harness is not None else None)
    update = session.config.getoption("vicidial_update_expectations")
    if update:
        previous = session.config.stash.get(EXPECTATIONS, None) or session.config.stash.get(UPDATED, None)
        Path(update).write_text(updated_text(records, previous), encoding="utf-8")


def _private_key(path: Path):
    from ..certificate.signature import load_private_key   # cryptography loads only when a run signs
    return load_private_key(path)


def _not_empty(path: Path) -> bool:
    return path.exists() and (path.is_dir() or path.stat().st_size > 0)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    write_summary(terminalreporter, exitstatus, config)
