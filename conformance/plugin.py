"""The pytest plugin: spec files become items, one per case, with ids ``<api>::<function>::<case>``.

Options come as ``--vicidial-*`` flags, ``vicidial_*`` ini keys or ``VICIDIAL_*``
environment variables (flag wins, then environment, then ini). Spec files are recognised
by their first line (``vicicert: spec/1``), so the plugin is inert in other test suites.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .errors import SourceFileError, VicicertError
from .execution import CaseResult, CaseSkipped, run_case
from .failure import describe_failure
from .harness import Harness, Settings
from .report.writer import write_reports
from .report.terminal import summary_table
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
}
_HARNESS = pytest.StashKey[Harness]()
_RESULT = pytest.StashKey[CaseResult]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vicicert", "VICIdial conformance (vicicert)")
    for name, (help_text, _default) in _OPTIONS.items():
        key = name.replace("-", "_")
        group.addoption(f"--vicidial-{name}", dest=f"vicidial_{key}", default=None,
                        help=f"{help_text} [ini vicidial_{key}, env VICIDIAL_{key.upper()}]")
        parser.addini(f"vicidial_{key}", help_text, default=None)
    group.addoption("--vicidial-no-global-changes", action="store_true", dest="vicidial_no_global_changes",
                    help="skip cases that toggle system_settings (for hosts where that is not acceptable)")
    group.addoption("--vicidial-allow-failed-logins", action="store_true", dest="vicidial_allow_failed_logins",
                    help="declared mode: send the cases that are failed logins for the declared accounts too")


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
        world_db=_option(config, "world-db"), journal=Path(journal) if journal else None,
        namespace=_option(config, "namespace") or "vcrt",
        global_changes=not config.getoption("vicidial_no_global_changes"),
        failed_logins=config.getoption("vicidial_allow_failed_logins"),
    )


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
        for case in spec.cases:
            yield CaseItem.from_parent(self, name=case.name, case=case, nodeid=case.id)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SourceFileError):
            return excinfo.value.render()
        return super().repr_failure(excinfo, style)


class CaseFailed(Exception):
    """The target's answer broke the chosen contract."""


class CaseItem(pytest.Item):
    """One case of a spec, run against the session's target."""

    def __init__(self, *, case: Case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.add_marker(pytest.mark.vicidial)

    def runtest(self) -> None:
        harness = harness_for(self.config)
        if self.case.mutates_settings and not harness.settings.global_changes:
            raise pytest.skip.Exception("changes system settings; excluded by --vicidial-no-global-changes",
                                        _use_item_location=True)
        try:
            result = run_case(self.case, harness.target, harness.world, harness.settings.contract,
                              harness.redact, harness.keeper, harness.settings.failed_logins)
        except CaseSkipped as skipped:
            result = CaseResult(case=self.case, contract=harness.settings.contract,
                                skip_reason=str(skipped), redact=harness.redact)
            harness.results.append(result)
            raise pytest.skip.Exception(str(skipped), _use_item_location=True) from None
        harness.results.append(result)
        self.stash[_RESULT] = result
        if result.status == "failed":
            raise CaseFailed()

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed) and _RESULT in self.stash:
            return describe_failure(self.stash[_RESULT])
        harness = self.config.stash.get(_HARNESS, None)
        text = str(super().repr_failure(excinfo, style))
        return harness.redact(text) if harness else text

    def reportinfo(self):
        return self.path, self.case.line - 1, self.case.id


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the harness before the first case, so option errors are usage errors (exit 4)."""
    apis = frozenset(item.case.api for item in session.items if isinstance(item, CaseItem))
    if apis:
        harness_for(session.config, apis)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vicidial: a vicicert conformance case")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    harness = session.config.stash.get(_HARNESS, None)
    if harness is None:
        return
    harness.stop()
    if harness.cleanup_failed:
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
    elif harness.problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if harness.settings.report_dir and harness.results:
        write_reports(harness.results, harness.settings, harness.settings.report_dir)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    harness = config.stash.get(_HARNESS, None)
    if harness is None or not harness.results:
        return
    terminalreporter.write_sep("=", "vicicert summary")
    terminalreporter.write_line(f"target: {harness.redact(harness.target.base_url)} ({harness.mode}), "
                                f"contract: {harness.settings.contract}")
    for line in harness.preflight.lines() if harness.preflight else ():
        terminalreporter.write_line(f"preflight: {harness.redact(line)}")
    for line in summary_table(harness.results).splitlines():
        terminalreporter.write_line(line)
    if harness.mode == "sql":
        if harness.problems:
            terminalreporter.write_line("DATABASE NOT LEFT AS FOUND:", red=True, bold=True)
            for problem in harness.problems:
                terminalreporter.write_line(f"  {problem}", red=True)
        else:
            terminalreporter.write_line("database: harness rows removed, checksums equal to before the run",
                                        green=True)
        for counter in harness.counters:
            terminalreporter.write_line(f"  {counter}", yellow=True)
    if harness.settings.report_dir:
        terminalreporter.write_line(f"reports: {harness.settings.report_dir}/ (report.html, report.json)")
