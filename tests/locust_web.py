"""Driving Locust's web UI as a user does: wait until it answers, then start a run from its form."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode()


def start_run_in_web_ui(ui: str, process: subprocess.Popen, users: int, run_time: str) -> str:
    """Poll ``ui`` until it answers (``process`` must stay alive meanwhile; 120 s at most), check
    that nothing runs yet, start a run of ``users`` for ``run_time`` from the form; the UI's page."""
    deadline = time.monotonic() + 120
    while True:   # readiness by polling: provisioning and Locust's start-up take what the machine takes
        try:
            page = get(ui)
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.2)
    assert json.loads(get(f"{ui}/stats/requests"))["state"] == "ready"   # nothing runs until the UI says so
    form = urllib.parse.urlencode({"user_count": users, "spawn_rate": users, "run_time": run_time}).encode()
    with urllib.request.urlopen(urllib.request.Request(f"{ui}/swarm", data=form), timeout=10) as started:
        assert json.loads(started.read())["success"] is True
    return page
