"""Locust profile ``recording_signals``: every user drives its own agent through START, STATUS, STOP.

Each answer is checked against the texts of specs/agent_api/recording.yaml for the state
that user's agent is in (only its own requests change it), so cross-talk between agents,
another agent's session, a lost signal or a wrong text is a failure with its class. Run it
through ``vicicert load recording``; environment variables carry the world, the SLOs and
where to write the summary.
"""

from __future__ import annotations

import heapq
import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

from conformance.matcher import PHP_ERROR
from conformance.world import load_world
from loadtests.agent_shares import MESSAGE as AGENT_SHARE, as_free_agents, send_shares
from loadtests.latency import LatencyRecorder, OpenSchedule, send_time
from loadtests.progress_file import publish
from loadtests.recording_rules import expected_answer
from loadtests.slo import Slo
from loadtests.transport import connection_error

WORLD = load_world(Path(os.environ["VICICERT_LOAD_WORLD"]))
AGENTS = sorted(WORLD.agents.values(), key=lambda agent: agent["user"])
ADMIN = WORLD.api_users["api_admin"]
RECORDER = LatencyRecorder()
FAILURES: dict[str, int] = {}
EXAMPLES: list[str] = []                  # the first few wrong answers, whole
LAST_SIGNAL: dict[str, str] = {}          # agent -> what external_recording must now hold
# This process's agents not in use, lowest first: all of them, or (on a Locust worker) the share
# the master sends (loadtests/agent_shares.py); a stopped user's agent goes back for the next.
_free_agents: list[int] = [] if int(os.environ.get("VICICERT_WORKERS", "1")) > 1 else list(range(len(AGENTS)))
SCHEDULE = OpenSchedule.from_environment()  # None: the closed model
# 0 only for the benchmark of verification's cost: no expected answer, no comparison, no state
VERIFY = os.environ.get("VICICERT_VERIFY", "1") != "0"


def classify(body: str, agent: dict, status: int, dropped: bool) -> str:
    """What kind of wrong an answer is (``dropped``: the connection ended before the answer did)."""
    if status >= 500:
        return "http_5xx"
    if dropped:
        return "transport"
    if PHP_ERROR.search(body):
        return "php_error_text"
    # agent|signal or recording id|filename|recording server|start time|agent server|session|status
    fields = body.split(" - ", 1)[1].rstrip("\n ").split("|") if " - " in body else []
    if fields and fields[0] != agent["user"]:
        return "cross_talk"
    if len(fields) == 8 and (fields[5], fields[6]) != (agent["server_ip"], agent["conf_exten"]):
        return "wrong_session"
    return "wrong_text"


class RecordingSignalsUser(FastHttpUser):
    """One agent per user; a random signal each iteration."""

    wait_time = constant(0)

    def on_start(self) -> None:
        # No two users share an agent, across workers too; users that come and go never run out.
        if not _free_agents:
            raise RuntimeError(f"more users than agents ({len(AGENTS)}): give --agents at least --users")
        index = heapq.heappop(_free_agents)
        self.index = index
        self.agent = AGENTS[index]
        self.state = LAST_SIGNAL.get(self.agent["user"], self.agent.get("external_recording", "") or "")
        self.random = random.Random(index)
        # Encoded once: urlencode on every request cost the generator a sixth of its rate.
        self.query = "/agc/api.php?" + urlencode({"source": "vcload", "user": ADMIN["user"], "pass": ADMIN["pass"],
                                                  "agent_user": self.agent["user"], "function": "recording"})
        self.slots = SCHEDULE.slots(index) if SCHEDULE else None  # open model: this user's send times

    def on_stop(self) -> None:
        heapq.heappush(_free_agents, self.index)

    @task
    def signal(self) -> None:
        roll = self.random.random()
        action = "START" if roll < 0.4 else "STATUS" if roll < 0.7 else "STOP"
        value, path = action, f"{self.query}&value={action}"
        if action == "START" and self.random.random() < 0.5:
            stage = f"_L{self.random.randrange(1000):03d}"  # letters, digits and _: nothing to escape
            value, path = "START" + stage, f"{path}&stage={stage}"
        if VERIFY:
            expected, after = expected_answer(action, value, self.agent, self.state)
        started = send_time(self.slots)
        with self.client.get(path, name=f"recording {action}", catch_response=True) as response:
            body = response.text or ""
            RECORDER.record(time.monotonic() - started)
            if not VERIFY:
                return
            if response.status_code == 200 and body == expected:
                self.state = after
                LAST_SIGNAL[self.agent["user"]] = after
                response.success()
                return
            kind = classify(body, self.agent, response.status_code or 0, connection_error(response) is not None)
            FAILURES[kind] = FAILURES.get(kind, 0) + 1
            if len(EXAMPLES) < 20:
                EXAMPLES.append(f"{kind}: {self.agent['user']} {value}: expected {expected!r}, got {body[:200]!r}")
            # One message per kind: Locust keeps a row per distinct message, for the whole run.
            response.failure(kind)
            if body.startswith("SUCCESS: recording function sent") and after == value:
                # The host says it stored the signal: follow it, so one bad answer is counted once.
                self.state = after
                LAST_SIGNAL[self.agent["user"]] = after


@events.user_error.add_listener
def _count_profile_error(*_args, **_kwargs) -> None:
    """An exception in the profile itself (say, more users than agents) fails the run."""
    FAILURES["profile_exception"] = FAILURES.get("profile_exception", 0) + 1


@events.init.add_listener
def _take_agent_share(environment, **_kwargs) -> None:
    """On a worker: the master's message replaces the (empty) pool of free agents with this worker's share."""
    from locust.runners import WorkerRunner
    if isinstance(environment.runner, WorkerRunner):
        environment.runner.register_message(AGENT_SHARE, _receive_agent_share)


def _receive_agent_share(msg, **_kwargs) -> None:
    _free_agents[:] = as_free_agents(msg.data)


@events.test_start.add_listener
def _send_agent_shares(environment, **_kwargs) -> None:
    """On the master, before it deals out users: each worker its exact, disjoint share of agents."""
    from locust.runners import MasterRunner
    if isinstance(environment.runner, MasterRunner):
        send_shares(environment.runner, environment.runner.target_user_count)


@events.init.add_listener
def _publish_progress(environment, **_kwargs) -> None:
    """Requests, failures and p95 so far, once a second, for the runner's progress line."""
    publish(environment, lambda: {"requests": RECORDER.count(), "failures": sum(FAILURES.values()),
                                  "histogram": RECORDER.encoded()})


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    """Latency from the HDR histogram, failures by class, SLO verdict; sets the exit code.

    In a distributed run each worker writes its own file (``.worker<N>`` added) and the
    runner merges them; the master, which sends no requests, writes nothing.
    """
    from locust.runners import MasterRunner
    if isinstance(environment.runner, MasterRunner):
        return
    # Counted here, not from environment.stats: a worker's stats are reset after each report.
    elapsed = RECORDER.elapsed()
    summary = RECORDER.summary()
    requests, failures = summary["count"], sum(FAILURES.values())
    summary.update({
        "requests": requests, "failures": failures, "error_ratio": failures / requests if requests else 1.0,
        "rps": requests / elapsed, "failures_by_kind": FAILURES, "examples": EXAMPLES, "last_signal": LAST_SIGNAL,
        "agents_driven": len(LAST_SIGNAL), "histogram": RECORDER.encoded(), "verified": VERIFY,
    })
    if Slo.from_environment().judge(summary):
        environment.process_exit_code = 1
    path = Path(os.environ["VICICERT_LOAD_SUMMARY"])
    worker = getattr(environment.runner, "worker_index", None)
    if int(os.environ.get("VICICERT_WORKERS", "1")) > 1 and worker is not None:
        path = path.with_name(f"{path.name}.worker{worker}")
    path.write_text(json.dumps(summary, indent=2), encoding="utf-8")
