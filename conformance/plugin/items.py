"""Spec files as pytest collectors and their cases as items: run, judged, recorded, described."""

from __future__ import annotations

import pytest

from ..certificate.security import case_findings
from ..errors import FixtureFailure, SourceFileError
from ..execution import CaseResult, CaseSkipped, run_case
from ..expectations import Expectation, judge
from ..failure import describe_failure
from ..harness import Harness
from ..report.record import case_record
from ..rerun import Collected, keyword_expression, node_command, vicicert_command
from ..spec import Case, load_spec
from .options import given_options, option
from .state import COLLECTED, EXPECTATIONS, HARNESS, RECORD, RESULT, harness_for, roles_for

class SpecFile(pytest.File):
    """A spec file; its cases (explicit and generated) are the items."""

    def collect(self):
        spec = load_spec(self.path, roles_for(self.config))
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
        self.add_marker(getattr(pytest.mark, case.api))   # -m agent_api: that API's cases alone (-k matches parts)

    def _excluded_by_the_run(self, harness: Harness) -> str:
        """Why this run's options keep the case from being sent ("" when they do not)."""
        if self.case.mutates_settings and not harness.settings.global_changes:
            return "changes system settings, which this run excludes (no global changes)"
        if self.case.disturbs and harness.mode != "embedded" and not harness.settings.disturbing:
            return (f"disturbs the whole host: {self.case.disturbs.what}; sent to a target only with "
                    "--allow-disturbing")
        return ""

    def runtest(self) -> None:
        harness = harness_for(self.config)
        reason = self._excluded_by_the_run(harness)
        if reason:
            self._keep(CaseResult(case=self.case, contract=harness.settings.contract, skip_reason=reason,
                                  redact=harness.redact))
            raise pytest.skip.Exception(reason, _use_item_location=True)
        try:
            version = harness.preflight.versions.get(self.case.api) if harness.preflight else None
            result = run_case(self.case, harness.target, harness.world, harness.settings.contract,
                              harness.redact, harness.keeper, harness.settings.failed_logins,
                              harness.settings.writes, version, harness.settings.checks)
        except FixtureFailure as failure:  # the reports are still written, and cleanup is named
            harness.stopped_mid_run = True
            pytest.exit(harness.redact(f"{self.case.id}: {failure}"), returncode=pytest.ExitCode.USAGE_ERROR)
        except CaseSkipped as skipped:
            result = CaseResult(case=self.case, contract=harness.settings.contract,
                                skip_reason=str(skipped), redact=harness.redact)
        self._keep(result)
        expectation = self._expectation()
        verdict = judge(result.status, expectation, self.stash[RECORD].get("failure"))
        if expectation is not None:
            self.stash[RECORD]["expectation"] = expectation.as_record(verdict)
        elif result.status == "failed" and self.config.stash.get(EXPECTATIONS, None) is not None:
            # a gate run: a failure the file does not list is unexpected, and every report says so
            self.stash[RECORD]["expectation"] = {"expect": "pass", "reason": "", "link": "", "verdict": "unexpected",
                                                 "kind": "", "fingerprint": "", "difference": ""}
        if verdict == "stale":
            raise StaleExpectation()
        if result.status == "skipped":
            raise pytest.skip.Exception(result.skip_reason, _use_item_location=True)
        if result.status == "failed":
            if verdict == "expected":
                raise pytest.xfail.Exception(f"as expected ({expectation.reason})")
            raise CaseFailed()

    def _expectation(self) -> Expectation | None:
        expectations = self.config.stash.get(EXPECTATIONS, None)
        return expectations.cases.get(self.case.id) if expectations else None

    def _keep(self, result: CaseResult) -> None:
        self.stash[RESULT] = result
        rerun = self.rerun_commands() if result.status == "failed" else ()
        self.stash[RECORD] = case_record(result, self.nodeid, rerun)
        if option(self.config, "certificate"):
            self.stash[RECORD]["security"] = case_findings(result, result.redact)

    def rerun_commands(self) -> tuple[str, ...]:
        """``vicicert check -k ...`` and ``pytest <path>::<case>``, each selecting this case alone."""
        harness = harness_for(self.config)
        options = given_options(self.config)
        collected = self.config.stash.get(COLLECTED, [])
        me = next((entry for entry in collected if entry.nodeid == self.nodeid), None) or collected_entry(self)
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
            now = "passes" if self.stash[RESULT].status == "passed" else f"is {self.stash[RESULT].status}"
            return (f"{self.case.id}: stale expectation at {self.config.stash[EXPECTATIONS].where(expectation)}: "
                    f"expected to {expectation.expect}, but the case {now} now; remove the entry (or write the "
                    "file anew with --update-expectations)")
        if isinstance(excinfo.value, CaseFailed) and RESULT in self.stash:
            return self._unexpected() + describe_failure(self.stash[RESULT], tuple(self.stash[RECORD]["rerun"]))
        harness = self.config.stash.get(HARNESS, None)
        text = str(super().repr_failure(excinfo, style))
        return harness.redact(text) if harness else text

    def _unexpected(self) -> str:
        """In a gate run, the line that calls a failure unexpected and says how it differs from the
        one recorded; empty without an expectation file."""
        expectations = self.config.stash.get(EXPECTATIONS, None)
        if expectations is None:
            return ""
        failure = self.stash[RECORD].get("failure") or {}
        expectation = self._expectation()
        if expectation is None:
            return f"unexpected: a new failure ({failure.get('difference', '')}), not in {expectations.path}\n"
        return (f"unexpected: fails otherwise than expected at {expectations.where(expectation)}: recorded "
                f"{expectation.fingerprint} {expectation.difference!r}, now {failure.get('fingerprint')} "
                f"{failure.get('difference', '')!r}\n")

    def reportinfo(self):
        return self.path, self.case.line - 1, self.case.id

def collected_entry(item: CaseItem) -> Collected:
    names = {node.name for node in item.listchain()
             if not isinstance(node, pytest.Session)
             and not (isinstance(node, pytest.Directory) and isinstance(node.parent, pytest.Session))}
    names |= {mark.name for mark in item.iter_markers()}
    return Collected(item.nodeid, item.path, item.path.stem, item.name, frozenset(names))
