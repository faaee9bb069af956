"""The reference host as a pure handler: HostRequest in, HostResponse out."""

from __future__ import annotations

import time
from typing import Callable

from .agent_api import AgentApi
from ..tables.database import Database
from .http import HostRequest, HostResponse, runs, script_path
from .non_agent_api import NonAgentApi


class ReferenceHost:
    """Routes the VICIdial endpoints vicicert covers; anything else is a 404."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time, arithmetic: str = "reference"):
        self.database = database
        self.routes = {"/agc/api.php": AgentApi(database, clock),
                       "/vicidial/non_agent_api.php": NonAgentApi(database, clock, arithmetic)}

    def __call__(self, request: HostRequest) -> HostResponse:
        """Answer one request on one pooled database connection, given back when it is answered."""
        path = script_path(request.path)
        if path is None:
            return HostResponse(status=400, reason="Bad Request", body="Bad Request\n")
        handler = next((handler for script, handler in self.routes.items() if runs(script, path)), None)
        if handler is None:
            return HostResponse(status=404, reason="Not Found", body="Not Found\n")
        try:
            return handler(request)
        finally:
            self.database.release()

    def close(self) -> None:
        """Stop the endpoints' helper threads; the database is its opener's to close."""
        for handler in self.routes.values():
            close = getattr(handler, "close", None)
            if close is not None:
                close()
