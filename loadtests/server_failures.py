"""What a failed answer means, in the words both load profiles and the capacity page use (no locust
import: tests read it too): the kind of a 5xx answer, the connection closed before any answer, and
the likely cause of each kind that has one."""

from __future__ import annotations

CLOSED_WITHOUT_ANSWER = "closed_without_answer"

LIKELY_CAUSES = {
    "php_fatal": "an empty HTTP 500 is upstream's PHP dying on an uncaught error: a database connection refused "
                 "under load (see the database's counters) or its memory_limit; the web server's PHP error log "
                 "names which",
    CLOSED_WITHOUT_ANSWER: "the host closed the connection before the first byte of an answer (no HTTP status): "
                           "the web server lost the PHP process running the request, often with no log line; on "
                           "large export windows usually PHP's memory_limit or max_execution_time, or a proxy's "
                           "timeout in front of the host; the web server's error log and the kernel's (dmesg: "
                           "the OOM killer) may say which",
}


def server_failure(status: int, body: str) -> str:
    """The kind of a 5xx answer: an empty HTTP 500 is how upstream's PHP dies (an uncaught error:
    a refused database connection under load, the memory limit), apart from any other 5xx."""
    return "php_fatal" if status == 500 and not body.strip() else "http_5xx"


def likely_causes(kinds) -> dict[str, str]:
    """The likely cause of each of ``kinds`` (failure kinds) that has one, in their order."""
    return {kind: LIKELY_CAUSES[kind] for kind in kinds if kind in LIKELY_CAUSES}
