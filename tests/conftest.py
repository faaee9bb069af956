"""Shared fixtures: the embedded host, its world, and misbehaving targets around it."""

from __future__ import annotations

import logging
import os

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


@pytest.fixture(scope="session")
def vicidial_mariadb(tmp_path_factory):
    """A private MariaDB server; skipped where MariaDB is not installed, unless CI requires it."""
    from mariadb import PrivateMariaDB, available
    if not available():
        if os.environ.get("VICICERT_REQUIRE_MARIADB") == "1":
            pytest.fail("VICICERT_REQUIRE_MARIADB=1 but mariadbd is not installed (apt-get install mariadb-server)")
        pytest.skip("MariaDB is not installed here (CI installs it: apt-get install mariadb-server)")
    server = PrivateMariaDB(tmp_path_factory.mktemp("mariadb")).start()
    yield server
    server.stop()
