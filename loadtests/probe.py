"""Locust profile ``probe``: one GET path at a constant arrival rate (open model) or back to back.

Used to prove the latency measurement: environment variables name the path
(VICICERT_PROBE_PATH), the arrival rate (VICICERT_ARRIVAL_RATE; unset for the closed
model), the user count (VICICERT_USERS) and the summary file (VICICERT_LOAD_SUMMARY).
Each request carries its intended send time (``t``, monotonic seconds) so a test target
can compute the true latency of that very arrival.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

from locust import FastHttpUser, constant, events, task

from loadtests.latency import LatencyRecorder, OpenSchedule, send_time
from loadtests.progress_file import publish
from loadtests.quit_signal import install as install_quit_signal

PATH = os.environ.get("VICICERT_PROBE_PATH", "/")
SCHEDULE = OpenSchedule.from_environment()  # None: the closed model
RECORDER = LatencyRecorder()
_next_user = itertools.count()
install_quit_signal()


class ProbeUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.slots = SCHEDULE.slots(next(_next_user)) if SCHEDULE else None

    @task
    def probe(self) -> None:
        intended = send_time(self.slots)
        # FastHttpUser has read the whole body when the response comes back.
        with self.client.get(f"{PATH}?t={intended:.6f}", name="probe", catch_response=True):
            RECORDER.record(time.monotonic() - intended)


@events.init.add_listener
def _publish_progress(environment, **_kwargs) -> None:
    publish(environment, lambda: {"requests": RECORDER.count(), "failures": environment.stats.total.num_failures,
                                  "histogram": RECORDER.encoded()})


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    summary = RECORDER.summary()
    summary["model"] = "open" if SCHEDULE else "closed"
    summary["failures"] = environment.stats.total.num_failures
    Path(os.environ["VICICERT_LOAD_SUMMARY"]).write_text(json.dumps(summary, indent=2), encoding="utf-8")
