"""Shared fixtures: the embedded host, its world, and misbehaving targets around it."""

from __future__ import annotations

import logging

import pytest

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.host.server import EmbeddedHost
from conformance.world import load_world

pytest_plugins = ["pytester"]

# werkzeug (behind pytest-httpserver) logs every request line, passwords included.
logging.getLogger("werkzeug").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def vicidial_world():
    return load_world(EMBEDDED_WORLD)


@pytest.fixture(scope="session")
def vicidial_host(vicidial_world):
    host = EmbeddedHost().start()
    host.reset(vicidial_world)
    yield host
    host.stop()


@pytest.fixture(scope="session")
def vicidial_specs():
    from conformance.spec import load_specs
    return {f"{spec.api}/{spec.function}": spec for spec in load_specs(SPECS_DIR)}
