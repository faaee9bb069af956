"""The vicicert summary at the end of pytest's terminal report."""

from __future__ import annotations

from collections import Counter

import pytest

from ..report.terminal import summary_table
from .options import mode_of, settings_from, target_shown
from .state import CERTIFICATE, EXPECTATIONS, HARNESS, RECORDS, SKIP_VERDICT, on_worker

def write_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    records = config.stash.get(RECORDS, [])
    harness = config.stash.get(HARNESS, None)
    if on_worker(config) or not (records or (harness is not None and harness.stopped_mid_run)):
        return
    # Each failure is described once, in its section: the short summary keeps one line per case
    # (pytest would repeat every whole description there when it sees a CI environment).
    config.option.force_short_summary = True
    settings = harness.settings if harness is not None else settings_from(config)
    terminalreporter.write_sep("=", "vicicert summary")
    target = harness.redact(harness.target.base_url) if harness is not None else target_shown(settings)
    workers = "" if harness is not None else f", {getattr(config.option, 'numprocesses', '?')} workers"
    terminalreporter.write_line(f"target: {target} ({mode_of(settings)}{workers}), contract: {settings.contract}")
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
                                    f"{verdicts['unexpected']} otherwise ({config.stash[EXPECTATIONS].path})")
    if SKIP_VERDICT in config.stash:
        terminalreporter.write_line(f"NOT PASSED: {config.stash[SKIP_VERDICT]}", red=True, bold=True)
    if settings.report_dir:
        terminalreporter.write_line(f"reports: {settings.report_dir}/ (report.html, report.json)")
    for line in config.stash.get(CERTIFICATE, []):
        terminalreporter.write_line(line)

