"""``vicicert load recording --worker --master-host H``: one Locust worker for a master on another machine.

Nothing is provisioned here and no world file is read: the master sends this worker its share of
agents with what it needs of the load world (the agents' sessions, the API user), the host to load
and the stages; the worker sends its summary back as a message when its test stops. Locust's
master-worker channel (ZeroMQ) is not encrypted: the API user's password crosses it, so run the
master and its workers on a trusted network. No locust import: Locust runs as a child.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance import stopping

from .child_processes import ask_to_quit, how_it_ended, kill, start_child
from .locust_process import PROFILE, QUIT_GRACE

POLL_SECONDS = 0.2


def run_worker(master_host: str, master_port: int, report_dir: Path, profile: Path = PROFILE) -> int:
    """The worker until its master ends the run; Locust's exit code (2 when it could not run)."""
    folder = report_dir / "load-recording-worker"
    folder.mkdir(parents=True, exist_ok=True)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("VICICERT_")}
    environment["VICICERT_LOAD_SUMMARY"] = str(folder / "summary.json")   # its figures go to the master
    command = [sys.executable, "-m", "locust", "-f", str(profile), "--worker", "--master-host", master_host,
               "--master-port", str(master_port), "--loglevel", "WARNING"]
    print(f"vicicert load: Locust worker for the master at {master_host}:{master_port} "
          "(its share of agents and the API user come from the master)", flush=True)
    with tempfile.TemporaryFile("w+") as errors_file:
        worker = start_child(command, env=environment, stdout=subprocess.DEVNULL, stderr=errors_file, text=True)
        asked = None
        try:
            while worker.poll() is None:
                if stopping.received() is not None and asked is None:
                    print(f"vicicert load: asking the Locust worker to stop ({stopping.name()})", file=sys.stderr)
                    ask_to_quit(worker)
                    asked = time.monotonic()
                if asked is not None and time.monotonic() > asked + QUIT_GRACE:
                    stopping.check()
                time.sleep(POLL_SECONDS)
        finally:
            kill(worker)
        errors_file.seek(0)
        errors = errors_file.read()
    code = worker.returncode
    print(f"vicicert load: Locust worker {how_it_ended(code)}; its summary went to the master, which judges the run")
    if code not in (0, 1) and errors.strip():
        print(errors[-3000:], file=sys.stderr)
    return 0 if code in (0, 1) else 2   # 1 is an SLO the worker alone judged: the master's verdict is the run's
