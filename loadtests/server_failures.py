"""What a 5xx answer means, in the words both load profiles use (no locust import: tests read it too)."""

from __future__ import annotations


def server_failure(status: int, body: str) -> str:
    """The kind of a 5xx answer: an empty HTTP 500 is how upstream's PHP dies (an uncaught error:
    a refused database connection under load, the memory limit), apart from any other 5xx."""
    return "php_fatal" if status == 500 and not body.strip() else "http_5xx"
