"""Whether a FastHttpUser response ended early, for the profiles' failure classes."""

from __future__ import annotations

from geventhttpclient.response import HTTPConnectionClosed
from locust.contrib.fasthttp import LocustBadStatusCode


def connection_error(response) -> str | None:
    """Why the connection ended before the answer did, or None.

    A reset leaves no status; a connection closed mid-body leaves a status, part of the body
    and its exception. A bad status is an exception to Locust too, but not a dropped connection.
    """
    exception = response.request_meta.get("exception")
    if isinstance(exception, LocustBadStatusCode):
        exception = None
    if exception is not None or not response.status_code:
        return str(exception or "no response")
    return None


def closed_without_answer(response) -> bool:
    """Whether the host closed the connection (FIN or RST) before the first byte of an answer: no
    status, as upstream's web server does when it loses the PHP process. A timeout, a refused
    connection, or an answer cut after its first bytes is not this."""
    exception = response.request_meta.get("exception")
    return not response.status_code and isinstance(exception, (HTTPConnectionClosed, ConnectionResetError))
