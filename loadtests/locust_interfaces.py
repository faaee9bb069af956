"""Locust's own interfaces, offered through ``vicicert load``: its web UI for a run (``--web``), and
the Locust options vicicert does not know, handed on to Locust as they were given.

In the web UI the run is started by hand (the form holds ``--users``, ``--spawn-rate`` and
``--seconds``); when it stops, by its run time or the UI's stop button, Locust is asked to quit,
its summary is written, and the run is judged as a headless one is.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field

from conformance.errors import UsageError

# Options Locust has that vicicert sets itself, each with what to give vicicert instead.
SET_BY_VICICERT = {
    ("-f", "--locustfile"): "the profile is chosen by `vicicert load recording|stats`",
    ("-H", "--host"): "--target URL (or none: the embedded host)",
    ("-u", "--users"): "vicicert's --users",
    ("-r", "--spawn-rate"): "vicicert's --spawn-rate",
    ("-t", "--run-time"): "--seconds",
    ("--headless", "--autostart", "--autoquit"): "nothing (runs are headless), or --web for Locust's UI",
    ("--web-host", "--web-port", "-P"): "--web [HOST:]PORT",
    ("--csv", "--html", "--only-summary"): "--report-dir (Locust's tables and locust.html are written there)",
    ("--master", "--worker", "--expect-workers", "--master-host", "--master-port", "--master-bind-host",
     "--master-bind-port", "--processes"): "--workers N",
    ("--stop-timeout",): "nothing: users stop within 5 s so that every answer is judged",
}


@dataclass(frozen=True)
class LocustInterfaces:
    """The web UI's address (None: headless) and the options passed on to Locust's master."""
    web: tuple[str, int] | None = None
    passed_on: tuple[str, ...] = field(default_factory=tuple)

    @property
    def web_url(self) -> str | None:
        return f"http://{self.web[0]}:{self.web[1]}" if self.web else None

    def mode_arguments(self) -> list[str]:
        """Locust's arguments for headless running or for its web UI."""
        return ["--web-host", self.web[0], "--web-port", str(self.web[1])] if self.web else ["--headless"]


def passed_on_options(options: list[str]) -> tuple[str, ...]:
    """The options vicicert does not know, checked: one vicicert sets itself is a usage error naming
    vicicert's own option for it."""
    for option in options:
        name = option.split("=", 1)[0]
        for names, instead in SET_BY_VICICERT.items():
            if name in names:
                raise UsageError(f"{option}: vicicert load sets Locust's {name} itself; give {instead}")
    return tuple(options)


def web_address(text: str) -> tuple[str, int]:
    """``--web``'s value: PORT or HOST:PORT (the host 127.0.0.1 unless given)."""
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--web {text}: give a port (8089) or HOST:PORT (127.0.0.1:8089)")
    return host or "127.0.0.1", int(port)


class WebRun:
    """Watches the run started in Locust's web UI: ``ended()`` is true once a run the UI started has
    stopped (Locust's state went to spawning or running, then to stopped)."""

    def __init__(self, url: str):
        self.url, self.started, self.announced = url, False, False

    def ended(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/stats/requests", timeout=2) as answer:
                state = json.loads(answer.read()).get("state")
        except (OSError, ValueError):
            return False   # not up yet, or busy: asked again at the next poll
        if not self.announced:
            print(f"vicicert load: Locust's web UI is at {self.url}: start the run there; it is judged when it "
                  "stops (its run time, or the stop button)", flush=True)
            self.announced = True
        self.started = self.started or state in ("spawning", "running")
        return self.started and state == "stopped"
