"""Run one case against a target and judge it under both contracts.

Independent of pytest so the CLI, the plugin and the load profiles share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from .client import Exchange, Request, Target
from .effects import CHECKS, NOT_READ, effect_mismatches, header_mismatches
from .line_diff import LineDiff, line_diff
from .matcher import Mismatch, TransportFailure, difference
from .redaction import Redactor, pass_filtered
from .spec import REFERENCE, Case, Outcome
from .template import Template
from .world import MissingRole, World


ANSWER_KEPT = 64 * 1024   # bytes of an answer a result keeps after its case (as much as the reports show)


class WorldKeeper(Protocol):
    """Puts a target's state back to the world a case needs (embedded or SQL mode).

    ``reset`` may return ids the database assigned in place of the world's, by the fact that
    echoes them ({"recording_id": {world: real}});
    ``hold`` saves the host's own columns the next case may change (a consented disturbance);
    ``after_case`` puts back what only one case may change (system settings, held columns).
    """

    def reset(self, world: World, settings: dict) -> dict[str, dict[str, str]] | None: ...

    def hold(self, columns: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> None: ...

    def after_case(self) -> None: ...

    def rows(self, table: str, columns: list[str], where: dict[str, str]) -> list[dict[str, Any]]:
        """The state a case's effects name, read after the call."""

    def missing_tables(self, tables: tuple[str, ...]) -> str | None:
        """Why some of ``tables`` (optional ones, custom_<list_id>) cannot hold the world's rows here
        (None: all can)."""


class CaseSkipped(Exception):
    """The case cannot run here; the message says why."""


@dataclass
class Verdict:
    """How one contract judged the answer."""

    outcome: Outcome
    mismatches: list[Mismatch]
    expected_text: str
    diff: LineDiff | None = None    # line by line, when the body differs from an exact text

    @property
    def matched(self) -> bool:
        return not self.mismatches


@dataclass
class CaseResult:
    """Everything the reports need about one run case; secrets already masked."""

    case: Case
    contract: str
    exchange: Exchange | None = None
    reference: Verdict | None = None
    documented: list[Verdict] = field(default_factory=list)
    skip_reason: str = ""
    redact: Redactor = field(default_factory=Redactor)
    effects_note: str = ""    # why the case's effects were not checked, if they were not

    def keep_excerpt(self, limit: int = ANSWER_KEPT) -> None:
        """Once the case's record and failure text are made, keep only the first ``limit`` bytes of
        the answer: a run would otherwise hold every answer whole (8 MiB each at most)."""
        if self.exchange is not None:
            self.exchange = self.exchange.excerpt(limit)

    @property
    def status(self) -> str:
        if self.skip_reason:
            return "skipped"
        return "passed" if self.chosen_matched else "failed"

    @property
    def chosen_matched(self) -> bool:
        if self.contract == REFERENCE:
            return bool(self.reference and self.reference.matched)
        return any(verdict.matched for verdict in self.documented)

    @property
    def chosen(self) -> Verdict | None:
        """The verdict the contract judged by (the closest documented one when none matched)."""
        if self.contract == REFERENCE:
            return self.reference
        return next((v for v in self.documented if v.matched), self.documented[0] if self.documented else None)

    @property
    def matched_sources(self) -> list[str]:
        """Which texts the target's answer matched: 'reference' and/or documented sources."""
        found = [REFERENCE] if self.reference and self.reference.matched else []
        if self.case.drifts:
            found += [v.outcome.source for v in self.documented if v.matched]
        return found


def run_case(case: Case, target: Target, world: World, contract: str,
             redact: Redactor, keeper: WorldKeeper | None = None, failed_logins: bool = False,
             writes: bool = False, version: str | None = None,
             checks: frozenset[str] = frozenset(CHECKS)) -> CaseResult:
    """Send ``case`` to ``target`` and judge the answer; CaseSkipped when it cannot run.
    ``checks`` names what is judged (body, headers, effects); an answer that never came always fails.

    Without a keeper (declared mode) the host and its accounts are real: a case that changes
    the host's state is skipped unless ``writes`` allows it, and one that would be a failed
    login for a declared account unless ``failed_logins`` allows it. ``version``, the target's
    build, picks the reference text where builds differ."""
    case = case.for_build(version)
    try:
        context = world.context(case.api_role, case.agent_role, case.needs_agent_log)
    except MissingRole as missing:
        raise CaseSkipped(str(missing)) from None
    if case.mutates_settings and keeper is None:
        raise CaseSkipped("changes system settings " + ", ".join(case.settings)
                          + "; declared mode never changes a target")
    if case.writes and keeper is None and not writes:
        raise CaseSkipped(f"changes {case.writes} on the host; declared mode changes nothing "
                          "unless --allow-writes")
    if case.custom_tables and keeper is None:
        raise CaseSkipped(f"needs the custom table of list {', '.join(case.custom_tables)}: declared mode cannot "
                          "know whether the host's custom tables hold the world's custom field values")
    if keeper is not None:
        assigned = keeper.reset(world, dict(case.settings)) or {}
        if case.disturbs:
            keeper.hold(case.disturbs.columns)
        needed = (*case.tables, *(f"custom_{list_id}" for list_id in case.custom_tables))
        missing = keeper.missing_tables(needed) if needed else None
        if missing:
            keeper.after_case()
            raise CaseSkipped(f"needs {_named_tables(case)}: {missing}")
        if assigned:  # the ids the database gave in place of the world's, in the facts that echo them
            context = {key: assigned.get(key.rsplit(".", 1)[-1], {}).get(value, value)
                       for key, value in context.items()}
    params = []
    omitted = []
    for name, template in case.request:
        if template is None:
            omitted.append(name)
            continue
        try:
            params.append((name, template.render(context)))
        except KeyError as missing:
            raise CaseSkipped(f"parameter {name} needs {missing}, which the world does not give") from None
        if name == "pass":  # even a deliberately wrong password is never shown
            redact = redact.with_secret(params[-1][1])
    if keeper is None and not failed_logins:
        account = _failed_login_for(dict(params), world, case.api)
        if account:
            raise CaseSkipped(f"would be a failed login for the real account {account} (upstream locks an account "
                              "after 10 in 15 minutes); --allow-failed-logins sends it")
    context.update({name: "" for name in omitted})  # PHP reads a missing parameter as ''
    context.update(params)
    sent = dict(params)
    context.update({f"filtered.{name}": re.sub(f"[^{chars}]", "", sent.get(name, "")) for name, chars in case.filters})
    context.update({key: Template.parse(value).render(context) for key, value in case.vars.items()})
    try:
        exchange = target.send(_request(case, tuple(params), context))
        result = CaseResult(case=case, contract=contract, exchange=exchange, redact=redact)
        result.reference = _judge(case.reference, exchange, context, redact, "body" in checks)
        result.documented = [_judge(outcome, exchange, context, redact, "body" in checks)
                             for outcome in case.documented_outcomes]
        beyond_the_body = header_mismatches(case, exchange) if "headers" in checks else []
        if case.effects and keeper is None:
            result.effects_note = NOT_READ
        elif case.effects and not exchange.error and "effects" in checks:
            beyond_the_body += effect_mismatches(case, keeper.rows, context)
    except KeyError as missing:
        raise CaseSkipped(f"the expected text needs {missing}, which the world does not give") from None
    finally:
        if keeper is not None:
            keeper.after_case()
    for verdict in (result.reference, *result.documented):   # the same state and headers whichever text
        verdict.mismatches.extend(beyond_the_body)
    return result


def _named_tables(case: Case) -> str:
    """The tables a case needs, as its skip names them."""
    named = [f"the table {table}" for table in case.tables]
    if case.custom_tables:
        named.append(f"the custom table of list {', '.join(case.custom_tables)}")
    return " and ".join(named)


def _request(case: Case, params: tuple[tuple[str, str], ...], context: dict[str, str]) -> Request:
    """The request as the case sends it: an encoded GET, or its own method, query and body."""
    if case.send is None:
        return Request(case.endpoint, params)
    query, body, path = (None if template is None else template.render(context)
                         for template in (case.send.query, case.send.body, case.send.path))
    return Request(path or case.endpoint, params, case.send.method, query,
                   None if body is None else body.encode("utf-8"), case.send.content_type or Request.content_type)


def _failed_login_for(sent: dict[str, str], world: World, api: str) -> str | None:
    """The declared user this request names with a password that will not log in, if any."""
    if "user" not in sent:
        return None
    for row in [*world.api_users.values(), *world.agents.values()]:
        if str(row.get("user")) == sent["user"]:
            right = str(row.get("pass", ""))
            given = sent.get("pass", "")  # a missing pass is PHP's '': a failed login too
            kept = {pass_filtered(given, api, non_latin) for non_latin in (False, True)}
            return None if right in kept else sent["user"]
    return None


def _judge(outcome: Outcome, exchange: Exchange, context: dict[str, str], redact: Redactor,
           body: bool = True) -> Verdict:
    expected = outcome.expected
    if expected.body is None:
        text = "any sane answer (status below 500, a body, no PHP error text)"
    else:
        text = expected.body.render(context, expected.patterns)
    mismatches = difference(expected, exchange, context, redact)
    if not body:   # the body check left out: only a missing answer still counts
        mismatches = [mismatch for mismatch in mismatches if isinstance(mismatch, TransportFailure)]
    diff = None
    if mismatches and expected.body is not None and not expected.sane_only and not exchange.error:
        diff = line_diff(expected.body, context, expected.patterns, exchange.text, redact.excerpt)
    return Verdict(outcome, mismatches, text, diff)

