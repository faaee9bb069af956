"""api.php's own query string, as refresh_panel reads it over a real socket: the query string as
sent for GET (still percent-encoded), the decoded POST fields for POST, both when both came.
The specs cover GET against upstream; POST is what the code at f1430484 builds."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlencode

import pytest

from conformance.host.agent_api import query_string
from conformance.host.http import HostRequest
from conformance.host.server import EmbeddedHost


@pytest.fixture(scope="module")
def host(vicidial_world, tmp_path_factory):
    served = EmbeddedHost(tmp_path_factory.mktemp("query") / "host.sqlite").start()
    served.reset(vicidial_world)
    yield served
    served.stop()


def call(host, world, get: dict, post: dict | None = None) -> str:
    login = {"source": "qstest", "user": world.api_users["api_admin"]["user"],
             "pass": world.api_users["api_admin"]["pass"], "function": "refresh_panel",
             "agent_user": world.agents["agent_ready"]["user"]}
    fields = {**login, **get}
    data = None
    if post is not None:
        data = urlencode(post).encode()
    with urllib.request.urlopen(f"{host.base_url}/agc/api.php?{urlencode(fields)}", data=data, timeout=30) as answer:
        return answer.read().decode("latin-1")


def test_get_matches_the_query_string_as_sent(host, vicidial_world):
    assert call(host, vicidial_world, {"chatreload": "1"}).endswith("|1|chatreload|\n")
    # The quote arrives as %27, which the strip leaves: no panel.
    assert call(host, vicidial_world, {"value": "form'reload"}).startswith("ERROR: no panels have been defined")


def test_post_matches_the_decoded_fields(host, vicidial_world):
    # Decoded, the quote is a quote and is stripped, so form'reload is formreload.
    assert call(host, vicidial_world, {}, {"value": "form'reload"}).endswith("|formreload|\n")
    assert call(host, vicidial_world, {}, {"emailreload": "1"}).endswith("|emailreload|\n")


def test_the_composition_follows_api_php():
    assert query_string(HostRequest("GET", "/agc/api.php", query="a=%27b;c")) == "a=%27bc"
    post_only = HostRequest("POST", "/agc/api.php", post={"x": "it's", "y": "2"})
    assert query_string(post_only) == "x=its&y=2&GET-AND-POST=Y&x=its&y=2"
    both = HostRequest("POST", "/agc/api.php", post={"x": "1"}, query="q=1")
    assert query_string(both) == "q=1&GET-AND-POST=Y&x=1"
    # Two characters of POST fields or fewer are left out, as upstream requires more than two.
    assert query_string(HostRequest("POST", "/agc/api.php", post={"x": ""}, query="q=1")) == "q=1"
