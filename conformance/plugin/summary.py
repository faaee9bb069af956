"""The vicicert summary at the end of pytest's terminal report, and pytest's own last line in the
expectation gate's words."""

from __future__ import annotations

import pytest

from ..effects import CHECKS
from ..expectations import gate_counts, gate_outcome, gated
from ..report.causes import failure_causes
from ..report.terminal import summary_table
from .options import mode_of, settings_from, switch, target_shown
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
    causes = failure_causes(records)
    if causes:
        terminalreporter.write_line("failures by kind:")
        for cause in causes:
            terminalreporter.write_line(f"  {cause.line}", red=True)
    if settings.checks != frozenset(CHECKS):
        left_out = ", ".join(name for name in CHECKS if name not in settings.checks)
        terminalreporter.write_line(f"checks: {', '.join(name for name in CHECKS if name in settings.checks)} "
                                    f"({left_out} not judged)", yellow=True)
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
        if harness.journal_note:
            terminalreporter.write_line(f"  {harness.journal_note}", yellow=True)
    unread = sum(1 for record in records if record.get("effects", {}).get("note"))
    if unread:
        terminalreporter.write_line(f"effects: not checked in {unread} cases (declared mode reads no database of "
                                    "the host; --world-db checks them)", yellow=True)
    if gated(records):
        counts = gate_counts(records)
        terminalreporter.write_line(f"expectations: {counts['as expected']} as expected, {counts['stale']} stale, "
                                    f"{counts['unexpected']} unexpected ({config.stash[EXPECTATIONS].path})",
                                    red=bool(counts["stale"] or counts["unexpected"]))
    if SKIP_VERDICT in config.stash:
        terminalreporter.write_line(f"NOT PASSED: {config.stash[SKIP_VERDICT]}", red=True, bold=True)
    if settings.report_dir:
        terminalreporter.write_line(f"reports: {settings.report_dir}/ (report.html, report.json)")
    for line in config.stash.get(CERTIFICATE, []):
        terminalreporter.write_line(line)


JUDGED = ("as expected", "stale", "unexpected")


class GateWords:
    """In a run with an expectation file, pytest's last line counts what the summary counts (``2
    unexpected, 1 stale, 5 as expected, 40 passed``) rather than failed and xfailed: once pytest's own
    sections are written (they list the failures), each judged case's report moves to its outcome."""

    def __init__(self, config: pytest.Config):
        self.config = config

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter):
        try:
            return (yield)
        finally:
            records = self.config.stash.get(RECORDS, [])
            if gated(records) and not on_worker(self.config):
                relabel(terminalreporter, {record["nodeid"]: gate_outcome(record) for record in records})

    @pytest.hookimpl(tryfirst=True)   # before junitxml writes its file
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """junit.xml's test suite carries the same counts as properties (its failures are the stale and
        unexpected cases, its skips include those as expected)."""
        records = self.config.stash.get(RECORDS, [])
        if not gated(records) or on_worker(self.config):
            return
        counts = gate_counts(records)
        for plugin in self.config.pluginmanager.get_plugins():
            if hasattr(plugin, "add_global_property") and hasattr(plugin, "logfile"):   # pytest's LogXML
                for name in JUDGED:
                    plugin.add_global_property(f"vicicert {name}", str(counts[name]))


def relabel(terminalreporter, outcomes: dict[str, str]) -> None:
    stats = terminalreporter.stats
    for key in ("failed", "xfailed", "passed", "skipped"):
        kept = []
        for report in stats.get(key, []):
            outcome = outcomes.get(getattr(report, "nodeid", None))
            if outcome in JUDGED and getattr(report, "when", "call") == "call":
                stats.setdefault(outcome, []).append(report)
            else:
                kept.append(report)
        if key in stats:
            stats[key] = kept
    for key in ("xfailed", "passed", "skipped", "failed"):
        if key in stats and not stats[key]:
            del stats[key]
    if "stale" in stats or "unexpected" in stats:
        stats.setdefault("failed", [])   # present, empty: pytest colours the line red
    recolour = getattr(terminalreporter, "_set_main_color", None)
    if recolour is not None:
        recolour()


class OneLinePerCause:
    """pytest's failure sections describe the first failure of each cause in full and each further one
    in a line naming it, with its rerun commands (``--vicidial-all-failures`` describes every one), so
    one cause breaking every case is one description, not hundreds."""

    def __init__(self, config: pytest.Config):
        self.config = config

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter):
        records = self.config.stash.get(RECORDS, [])
        if not on_worker(self.config) and not switch(self.config, "all-failures"):
            shorten_repeated(terminalreporter.stats.get("failed", []), records)
        return (yield)


def shorten_repeated(reports: list, records: list[dict]) -> None:
    by_node = {record["nodeid"]: record for record in records if record["status"] == "failed"}
    first_of: dict[str, str] = {}
    for report in reports:
        record = by_node.get(getattr(report, "nodeid", None))
        failure = (record or {}).get("failure")
        if not failure or getattr(report, "when", "call") != "call":
            continue
        first = first_of.setdefault(failure["fingerprint"], record["id"])
        if first != record["id"]:
            verdict = record.get("expectation", {}).get("verdict")
            report.longrepr = (("unexpected: " if verdict == "unexpected" else "") +
                               f"{record['id']}: the same cause as {first}, described above "
                               f"({failure['difference']}); --all-failures describes each" +
                               "".join(f"\nrerun: {command}" for command in record.get("rerun", [])))
