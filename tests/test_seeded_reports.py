"""Seeded call reports (loadtests/seeded_reports.py): the calls ``vicicert seed --logs calls`` writes,
read back from a real MariaDB, are the plan's calls, and the oracles over them equal the reference
host's answers over the same database byte for byte; a host bent in one place, and an oracle fed
one call short, are caught by the same comparison. The checksums are as before at the end."""

from __future__ import annotations

import io

import numpy
import pytest

from conformance.call_log_generator import CallLogPlan, chunks
from conformance.host.non_agent import call_dispo_report, call_status_stats
from conformance.host.server import EmbeddedHost
from conformance.sql_fixture import SqlFixture, checksums
from loadtests.call_seeder import remove_calls, seed_into
from loadtests.seeded_reports import DIDS, compare, content_types, read_call_logs, requests, seeded_world, table

PLAN = CallLogPlan(rows=3000, seed=5, agents=12)
HUMAN = {"NA": "N", "A": "N", "B": "N", "DROP": "Y", "SALE": "Y", "NI": "Y", "XFER": "Y", "CALLBK": "Y"}
PASSWORD = "vcSeeded24pass"


@pytest.fixture
def seeded(host_database, tmp_path):
    """The seeded world and calls in a fixture run on a private MariaDB: (fixture, world); removed after."""
    url, database = host_database
    for status, human in HUMAN.items():
        database.write("INSERT INTO vicidial_statuses (status, status_name, human_answered) VALUES (?, ?, ?)",
                       status, f"status {status}", human)
    before = checksums(database)
    fixture = SqlFixture(url, tmp_path / "journal.jsonl", per_case=False)
    world = seeded_world(PLAN, PASSWORD, did_calls=60)
    fixture.begin(world)
    try:
        fixture.reset(world, {})
        seed_into(fixture, PLAN, io.StringIO())
        yield fixture, world
    finally:
        remove_calls(fixture.db, io.StringIO())
        assert fixture.finish() == []
    assert checksums(database) == before


def planned_calls(plan: CallLogPlan) -> tuple[list[tuple], list[tuple]]:
    """(campaign, epoch, status, user, uniqueid) of the plan's outbound and inbound calls, sorted."""
    statuses = ([status for status, _, _ in plan.outbound_statuses], [status for status, _, _ in plan.inbound_statuses])
    found: tuple[list, list] = ([], [])
    for columns in chunks(plan):
        for row in zip(*(columns[key] for key in ("inbound", "campaign", "epoch", "status", "agent", "user", "call"))):
            inbound, campaign, epoch, status, agent, user, call = (int(value) for value in row)
            names = plan.ingroup_ids if inbound else plan.campaign_ids
            who = plan.users[user] if agent else ("VDCL" if inbound else "VDAD")
            found[inbound].append((names[campaign], epoch, statuses[inbound][status], who,
                                   f"{epoch}.{9_000_000 + call % 1_000_000}"))
    return sorted(found[0]), sorted(found[1])


def as_planned(calls) -> list[tuple]:
    epoch = lambda text: int(numpy.datetime64(text.replace(" ", "T"), "s").astype(int))   # noqa: E731
    return sorted((call.campaign_id, epoch(call.call_date), call.status, call.user, call.uniqueid) for call in calls)


def test_read_back_calls_are_the_plan_and_the_oracles_equal_the_reference_host(seeded):
    fixture, world = seeded
    plan = PLAN.with_statuses(set(HUMAN))
    logs = read_call_logs(fixture.db, *plan.window())
    outbound, inbound = planned_calls(plan)
    assert as_planned(logs.outbound) == outbound and as_planned(logs.inbound) == inbound
    assert len(outbound) + len(inbound) == PLAN.rows
    # every DID call names a seeded call of its DID's in-group; the statuses are the host's and the world's
    by_uniqueid = {call.uniqueid: call.campaign_id for call in logs.inbound}
    ingroup_of = {did_id: plan.ingroup_ids[index] for _, did_id, index in DIDS}
    assert len(logs.did_calls) == 60
    assert all(by_uniqueid[did.uniqueid] == ingroup_of[did.did_id] for did in logs.did_calls)
    assert {(s.status, s.campaign_id) for s in logs.statuses} >= {("NA", None), ("NA", plan.campaign_ids[1])}
    assert logs.campaigns[plan.campaign_ids[0]] == f" {plan.ingroup_ids[0]} {plan.ingroup_ids[1]} -"

    host = EmbeddedHost(fixture.url).start()
    try:
        outcomes = compare(logs, {"reference": host.base_url}, world.api_users["api_admin"]["user"], PASSWORD,
                           requests(plan))
    finally:
        host.stop()
    assert len(outcomes) == 20 and all(outcome.answers["reference"].equal for outcome in outcomes), table(outcomes)
    assert content_types(outcomes) == {("reference", "call_status_stats"): {"text/html; charset=utf-8"},
                                       ("reference", "call_dispo_report"): {"text/plain;charset=UTF-8"}}
    assert all(outcome.expected.startswith((b"VCERTSD", b"vcertsd", b"CAMPAIGN,")) for outcome in outcomes)
    assert sum(outcome.rows for outcome in outcomes) > 4 * PLAN.rows   # whole weeks, whole window


def test_a_bent_host_and_an_oracle_one_call_short_are_caught(seeded, monkeypatch):
    fixture, world = seeded
    plan = PLAN.with_statuses(set(HUMAN))
    logs = read_call_logs(fixture.db, *plan.window())
    asked = requests(plan)
    user = world.api_users["api_admin"]["user"]
    host = EmbeddedHost(fixture.url).start()
    try:
        monkeypatch.setattr(call_status_stats, "_human", lambda call, where, args: set())   # no call human-answered
        monkeypatch.setattr(call_dispo_report, "sprintf_1f", lambda value: f"{value:.2f}")   # percentages
        bent = compare(logs, {"bent": host.base_url}, user, PASSWORD, asked)
        monkeypatch.undo()
        short = logs.__class__(**{**vars(logs), "outbound": logs.outbound[1:], "inbound": logs.inbound[1:]})
        one_short = compare(short, {"reference": host.base_url}, user, PASSWORD, asked)
    finally:
        host.stop()
    caught = {outcome.function for outcome in bent if not outcome.answers["bent"].equal}
    assert caught == {"call_status_stats", "call_dispo_report"}, table(bent)
    assert not all(outcome.answers["reference"].equal for outcome in one_short)
    assert "NO (200)" in table(bent)
