"""Locust profile ``recording_signals``: every user drives its own agent through START, STATUS, STOP.

Each answer is checked against the texts of specs/agent_api/recording.yaml for the state
that user's agent is in (only its own requests change it), so cross-talk between agents,
another agent's session, a lost signal or a wrong text is a failure with its class. Run it
through ``vicicert load recording``, or with plain Locust against a host that serves a load
world (``python -m loadtests.agents 100 FILE``, then ``vicicert serve --world FILE``)::

    locust -f loadtests/recording_signals.py --headless --host http://127.0.0.1:8080 \
        --world FILE -u 10 -r 10 -t 30s --summary-file summary.json --slo '{"p95_ms": 100}'

``--stages 10:30,20:30`` runs stages in this one process (``StagesShape``); the options also
come from the environment variables ``vicicert load`` sets (VICICERT_LOAD_WORLD, ...).
"""

from __future__ import annotations

import heapq
import random
from pathlib import Path
from urllib.parse import urlencode

from locust import events, task

from loadtests.agent_shares import MESSAGE as AGENT_SHARE, as_free_agents, send_shares
from loadtests.answer_kinds import signal_answer_kind
from loadtests.recording_rules import answer_templates, expected_answer, use_answer_templates
from loadtests.server_failures import CLOSED_WITHOUT_ANSWER
from loadtests.transport import closed_without_answer, connection_error
from loadtests.verified_user import VerifiedUser, on_summary, print_options, stages_of
from loadtests.worker_summaries import DEALT
from loadtests.verified_user import StagesShape  # noqa: F401 (Locust takes the shape from the locustfile)

AGENTS: dict[int, dict] = {}             # the world's agents by index, in user name order (a worker: its share's)
ADMIN: dict = {}
LAST_SIGNAL: dict[str, str] = {}          # agent -> what external_recording must now hold
UNANSWERED: dict[str, list[str]] = {}     # agent -> signals sent since then whose answer failed (stored or not)
IN_FLIGHT: dict[str, str] = {}            # agent -> the signal on its way (a user stopped mid-request leaves it)
# This process's agents not in use, lowest first: all of them, or (on a Locust worker) the share
# the master sends (loadtests/agent_shares.py); a stopped user's agent goes back for the next.
_free_agents: list[int] = []
VERIFY = True  # False only for the benchmark of verification's cost: no expected answer, no comparison, no state
LOAD_AGENT_KEYS = ("user", "server_ip", "conf_exten", "status")   # what the expected answers are made of


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    group = parser.add_argument_group("recording_signals")
    group.add_argument("--world", env_var="VICICERT_LOAD_WORLD", default="",
                       help="the load world the host serves (agents, API user; a password may come by environment)")
    group.add_argument("--verify", env_var="VICICERT_VERIFY", default="1", choices=["0", "1"],
                       help="0 only to benchmark what checking costs: no answer is checked, so no verdict")


@events.init.add_listener
def _load_world(environment, **_kwargs) -> None:
    """The world and the free agents, once the options are parsed."""
    global VERIFY
    from locust.runners import MasterRunner, WorkerRunner
    options = environment.parsed_options
    if isinstance(environment.runner, WorkerRunner):
        # No world on a worker's disk: its agents, the API user and the answer templates come from
        # the master with its share, so a worker reads no world and parses no spec.
        environment.runner.register_message(AGENT_SHARE, _receive_agent_share)
        return
    from conformance.world import load_world   # here: a worker never imports the world loader and its schemas
    if not getattr(options, "world", ""):
        raise SystemExit("recording_signals needs --world FILE (the load world the host serves)")
    world = load_world(Path(options.world))
    AGENTS.clear()
    AGENTS.update(enumerate(sorted(world.agents.values(), key=lambda agent: agent["user"])))
    missing = sorted({key for agent in AGENTS.values() for key in LOAD_AGENT_KEYS if key not in agent})
    if not AGENTS or missing:
        raise SystemExit(f"recording_signals: {options.world} is not a load world (its agents lack "
                         f"{', '.join(missing) or 'nothing, but it has none'}): make one with "
                         "`python -m loadtests.agents 100 load-world.yaml`, serve it with "
                         "`vicicert serve --world load-world.yaml`, and give the same file to --world")
    ADMIN.clear()
    ADMIN.update(world.api_users["api_admin"])  # its password may have come by environment (pass_env)
    VERIFY = getattr(options, "verify", "1") != "0"
    answer_templates()   # read now, not in the first user's first request
    if not isinstance(environment.runner, MasterRunner):
        _free_agents[:] = range(len(AGENTS))


def _classify(response, body: str, agent: dict) -> str:
    return signal_answer_kind(body, agent, response.status_code or 0, connection_error(response) is not None,
                              closed_without_answer(response))


class RecordingSignalsUser(VerifiedUser):
    """One agent per user; a random signal each iteration."""

    def on_start(self) -> None:
        # No two users share an agent, across workers too; users that come and go never run out.
        if not _free_agents:
            raise RuntimeError(f"more users than agents ({len(AGENTS)}): give --agents at least --users")
        index = heapq.heappop(_free_agents)
        self.index = index
        self.agent = AGENTS[index]
        self.random = random.Random(index)
        # Encoded once: urlencode on every request cost the generator a sixth of its rate.
        self.query = "/agc/api.php?" + urlencode({"source": "vcload", "user": ADMIN["user"], "pass": ADMIN["pass"],
                                                  "agent_user": self.agent["user"], "function": "recording"})
        self.slot_index = index  # open model: this user's place in each stage's schedule
        super().on_start()
        known = LAST_SIGNAL.get(self.agent["user"])
        self.state = known if known is not None else self._state_now() if VERIFY else ""

    def on_stop(self) -> None:
        heapq.heappush(_free_agents, self.index)

    def _state_now(self) -> str:
        """The agent's signal as this run finds it, whatever an earlier run against the same host
        left: a STOP tells it (refused, the answer names the state, "" or STOP; accepted, the agent
        was recording and now holds STOP). The STOP is a request of the run, checked as the others:
        an answer that is neither leaves the state the world declares, and counts as its kind."""
        started = self.intended_send_time()   # a request of the run: in the open model, in its schedule
        with self.client.get(f"{self.query}&value=STOP", name="recording STOP (state at start)",
                             catch_response=True) as response:
            body = response.text or ""
            self.record(started)
            refused = body.split(" - ", 1)[1].split("|")[1] if body.startswith("ERROR: stop recording error - ") \
                and body.count("|") >= 2 else None
            accepted = expected_answer("STOP", "STOP", self.agent, "START")[0]
            if response.status_code == 200 and refused in ("", "STOP") \
                    and body == expected_answer("STOP", "STOP", self.agent, refused)[0]:
                state = refused
            elif response.status_code == 200 and body == accepted:
                state = "STOP"
            else:
                kind = _classify(response, body, self.agent)
                self.fail(response, kind, f"{kind}: {self.agent['user']} STOP (state at start): got {body[:200]!r}")
                return self.agent.get("external_recording", "") or ""
            response.success()
        LAST_SIGNAL[self.agent["user"]] = state
        return state

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
        started = self.intended_send_time()
        if VERIFY and after == value:
            IN_FLIGHT[self.agent["user"]] = value
        # The signal stays in flight until its answer is booked: a user ended anywhere before that
        # leaves it there, for the summary to count as sent and maybe stored.
        with self.client.get(path, name=f"recording {action}", catch_response=True) as response:
            body = response.text or ""
            self.record(started)
            if not VERIFY:
                return
            if response.status_code == 200 and body == expected:
                self.state = after
                LAST_SIGNAL[self.agent["user"]] = after
                if after == value:   # a stored signal confirmed: what failed before it is overwritten
                    UNANSWERED.pop(self.agent["user"], None)
                IN_FLIGHT.pop(self.agent["user"], None)
                response.success()
                return
            kind = _classify(response, body, self.agent)
            if kind in ("php_fatal", "http_5xx", "transport", CLOSED_WITHOUT_ANSWER) and after == value:
                UNANSWERED.setdefault(self.agent["user"], []).append(value)   # the host may have stored it
            self.fail(response, kind, f"{kind}: {self.agent['user']} {value}: expected {expected!r}, got {body[:200]!r}")
            if body.startswith("SUCCESS: recording function sent") and after == value:
                # The host says it stored the signal: follow it, so one bad answer is counted once.
                self.state = after
                LAST_SIGNAL[self.agent["user"]] = after
            IN_FLIGHT.pop(self.agent["user"], None)


def _receive_agent_share(msg, **_kwargs) -> None:
    """A worker's share: its agents by index, the API user, whether answers are checked, the answers' templates."""
    global VERIFY
    share = msg.data
    use_answer_templates(share["templates"])
    AGENTS.clear()
    AGENTS.update(zip(range(share["first"], share["first"] + share["count"]), share["agents"]))
    ADMIN.clear()
    ADMIN.update(share["api_user"])
    VERIFY = share["verify"]
    _free_agents[:] = as_free_agents(share)


def _share_of(first: int, count: int) -> dict:
    """What a worker needs of the world for agents ``first`` to ``first + count - 1`` (no agent passwords)."""
    return {"agents": [{key: value for key, value in AGENTS[index].items() if key != "pass"}
                       for index in range(first, first + count)],
            "api_user": {"user": ADMIN["user"], "pass": ADMIN["pass"]}, "verify": VERIFY,
            "templates": answer_templates()}


@events.test_start.add_listener
def _send_agent_shares(environment, **_kwargs) -> None:
    """On the master, before it deals out users: each worker its exact, disjoint share of agents,
    as many as the largest stage has users."""
    from locust.runners import MasterRunner
    if isinstance(environment.runner, MasterRunner):
        most = max(stage.users for stage in stages_of(environment.parsed_options))
        shares = send_shares(environment.runner, max(most, environment.runner.target_user_count or 0), _share_of)
        for worker, (first, count) in shares.items():
            last = AGENTS[first + count - 1]["user"] if count else None
            DEALT.setdefault(worker, {"id": worker}).update(
                {"first": first, "count": count, "agents": f"{AGENTS[first]['user']}-{last}" if count else "none"})


@on_summary
def _signals(summary: dict, _environment) -> None:
    """The signals each agent must now hold, for the runner to compare with the database."""
    unanswered = {agent: [*values] for agent, values in UNANSWERED.items()}
    for agent, value in IN_FLIGHT.items():   # sent when the run ended: the host may have stored it
        unanswered.setdefault(agent, []).append(value)
    summary.update({"last_signal": LAST_SIGNAL, "unanswered": unanswered, "agents_driven": len(LAST_SIGNAL),
                    "verified": VERIFY})


if __name__ == "__main__":   # python -m loadtests.recording_signals --help: what locust -f FILE --help cannot list
    print_options("recording_signals")
