"""Workers' summaries sent to the master as Locust messages, so no disk is shared.

A worker sends its summary (with its encoded HDR histogram) when its test stops, before it tells
the master it has stopped (one socket, so in that order). The master, once its own test has
stopped, waits until every worker it dealt users to has either sent its summary or gone missing
(no heartbeat), then writes each summary beside its own summary file (``summary.json.worker<N>``)
and a roster (``summary.json.roster``): each worker, its share of agents, whether its summary came.
The runner merges the summaries and names the workers the roster says died (summary_merge.py).

When the master quits without stopping its workers first (a signal), it asks each worker that has
not reported to stop and send its summary.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import gevent
from locust import events
from locust.runners import STATE_MISSING, MasterRunner, WorkerRunner

SUMMARY_MESSAGE = "vicicert_summary"
REPORT_MESSAGE = "vicicert_report"   # master to worker: stop and send your summary
REPORT_WAIT = 60.0                   # seconds the master waits for the summaries of live workers

DEALT: dict[str, dict] = {}          # master: worker id -> its index and share (a profile adds the share)
RECEIVED: dict[str, dict] = {}       # master: worker id -> its summary
_sent: list[bool] = []               # worker: the summary went (once)


def install(build_summary: Callable[[object], dict]) -> None:
    """Register the listeners; ``build_summary(environment)`` is this process's summary."""

    @events.init.add_listener
    def _register(environment, **_kwargs) -> None:
        runner = environment.runner
        if isinstance(runner, MasterRunner):
            runner.register_message(SUMMARY_MESSAGE, _receive_summary)
        elif isinstance(runner, WorkerRunner):
            runner.register_message(REPORT_MESSAGE, lambda **_: runner.stop())

    @events.test_start.add_listener
    def _roster(environment, **_kwargs) -> None:
        runner = environment.runner
        if isinstance(runner, MasterRunner):
            for worker in [*runner.clients.ready, *runner.clients.running, *runner.clients.spawning]:
                DEALT.setdefault(worker.id, {}).update({"id": worker.id, "index": runner.get_worker_index(worker.id)})

    @events.test_stop.add_listener
    def _on_stop(environment, **_kwargs) -> None:
        runner = environment.runner
        if isinstance(runner, WorkerRunner) and not _sent:
            _sent.append(True)
            summary = build_summary(environment)
            runner.send_message(SUMMARY_MESSAGE, {"index": runner.worker_index, "summary": summary})
        elif isinstance(runner, MasterRunner) and DEALT:
            _gather(runner, Path(getattr(environment.parsed_options, "summary_file", None) or "vicicert-summary.json"))


def _receive_summary(environment, msg, **_kwargs) -> None:
    RECEIVED[msg.node_id] = msg.data["summary"]
    DEALT.setdefault(msg.node_id, {"id": msg.node_id}).setdefault("index", msg.data["index"])


def waiting_for(runner) -> list[str]:
    """Workers dealt users that have neither reported nor gone missing."""
    waiting = []
    for worker in DEALT:
        node = runner.clients.get(worker)
        if worker not in RECEIVED and node is not None and node.state != STATE_MISSING:
            waiting.append(worker)
    return waiting


def _gather(runner, summary_file: Path) -> None:
    """Wait for the live workers' summaries, then write them and the roster beside ``summary_file``."""
    for worker in waiting_for(runner):
        runner.send_message(REPORT_MESSAGE, None, client_id=worker)   # harmless when it already stops
    deadline = time.monotonic() + REPORT_WAIT
    while waiting_for(runner) and time.monotonic() < deadline:
        gevent.sleep(0.1)
    roster = []
    for worker, entry in sorted(DEALT.items(), key=lambda item: item[1].get("index", 0)):
        node = runner.clients.get(worker)
        came = worker in RECEIVED
        if came:
            path = summary_file.with_name(f"{summary_file.name}.worker{entry.get('index', 0)}")
            path.write_text(json.dumps(RECEIVED[worker], indent=2), encoding="utf-8")
        state = "reported" if came else "missing (no heartbeat)" if node is not None and node.state == STATE_MISSING \
            else "gone without a summary" if node is None else "no summary in time"
        roster.append({**entry, "summary": came, "state": state})
    summary_file.with_name(f"{summary_file.name}.roster").write_text(json.dumps(roster, indent=2), encoding="utf-8")
