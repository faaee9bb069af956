"""Shared fixtures: the embedded host, its world, and misbehaving targets around it."""

from __future__ import annotations

import logging
import json
import os
import uuid

import pytest

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.host.server import EmbeddedHost
from conformance.world import load_world

pytest_plugins = ["pytester"]


def _keep_what_inline_runs_import() -> None:
    """An in-process pytest run (pytester) forgets every module it imported, so each would import
    the host's handler modules and Hypothesis's reporting anew (about 2 s a run); imported here,
    in the test process, they stay."""
    import hypothesis.internal.observability  # noqa: F401  (the Hypothesis plugin's summary imports it)
    from conformance.host import registry
    for api in registry.PACKAGES:
        registry.functions(api)


_keep_what_inline_runs_import()

# werkzeug (behind pytest-httpserver) logs every request line, passwords included.
logging.getLogger("werkzeug").setLevel(logging.ERROR)


@pytest.fixture(scope="session", autouse=True)
def no_process_left_by_the_run():
    """Every process this test process starts (and everything those start, whatever their session or
    group) inherits a mark in its environment; when the run ends none may be left: 30 s to exit after
    the last fixture has stopped what it started, then survivors fail the run and are killed."""
    from processes import RUN_MARK, survivors
    mark = f"vicicert-run-{os.getpid()}-{uuid.uuid4().hex}"
    os.environ[RUN_MARK] = mark
    yield
    left = survivors(RUN_MARK, mark)
    assert not left, f"processes the tests started are still running after the run: {left}"


@pytest.fixture(scope="session")
def refused_logins_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("refused-logins")


@pytest.fixture(autouse=True)
def refused_logins_file(refused_logins_folder, monkeypatch):
    """Each test remembers refused logins in a file of its own (never the user's): pytest-httpserver
    keeps one port for the session, so a refusal one test provokes would stop the next test's login."""
    path = refused_logins_folder / f"{uuid.uuid4().hex}.json"
    monkeypatch.setenv("VICICERT_REFUSED_LOGINS", str(path))
    return path


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


@pytest.fixture
def host_database(vicidial_mariadb):
    """A fresh database on the private MariaDB with upstream's tables (the optional ones too), as a
    VICIdial install has them, with its system settings row: (URL, Database)."""
    from conformance.tables.database import open_database
    name = f"host{uuid.uuid4().hex[:12]}"
    vicidial_mariadb.admin(f"CREATE DATABASE {name}")
    url = vicidial_mariadb.url(name)
    database = open_database(url)
    database.write("INSERT INTO system_settings (version, db_schema_version, use_non_latin, vdc_agent_api_active) "
                   "VALUES ('2.14b0.5', 1701, '0', '1')")
    return url, database


@pytest.fixture
def no_process_left():
    """An environment for the processes a test starts, marked; after the test every process carrying
    the mark (the test's children and everything they started, whatever their session or group) must
    be gone within 30 s. Survivors fail the test and are then killed, by pid."""
    from processes import PROCESS_MARK, survivors
    mark = f"vicicert-test-{os.getpid()}-{uuid.uuid4().hex}"
    yield {**os.environ, PROCESS_MARK: mark}
    left = survivors(PROCESS_MARK, mark)
    assert not left, f"processes left behind: {left}"


@pytest.fixture
def bent_case(httpserver, tmp_path, vicidial_world, vicidial_specs):
    """bent_case("non_agent_api/list_info", case_name) -> that case's CaseResult against the reference
    host as the test has bent it (its handler modules monkeypatched), world reset before each request."""
    from targets import MisbehavingHandler

    from conformance.client import Target
    from conformance.execution import run_case
    from conformance.redaction import Redactor
    paths = {"agent_api": "/agc/api.php", "non_agent_api": "/vicidial/non_agent_api.php"}

    def run(spec, case_name):
        spec = spec if "/" in spec else f"non_agent_api/{spec}"
        handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, lambda request, answer: answer)
        httpserver.clear_all_handlers()
        httpserver.expect_request(paths[spec.split("/")[0]]).respond_with_handler(handler)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=10.0)
        case = next(c for c in vicidial_specs[spec].cases if c.name == case_name)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True)
    return run


@pytest.fixture
def embedded_failures(pytester, tmp_path):
    """embedded_failures("agent_api/change_ingroups", "-k expression") -> {case name: mismatch kinds}
    of the failed cases, run by the plugin on the embedded host in this process (so the test's
    monkeypatches hold there), with the effects read from its database."""
    from conformance.bundle import SPECS_DIR

    def run(spec, expression):
        pytester.runpytest_inprocess(str(SPECS_DIR / f"{spec}.yaml"), "-p", "no:cacheprovider",
                                     "--vicidial-report-dir", str(tmp_path), "-k", expression)
        report = json.loads((tmp_path / "report.json").read_text())
        assert report["cases"], "the case ran"
        return {record["id"].split("::")[-1]: [m["kind"] for m in record["reference"]["mismatches"]]
                for record in report["cases"] if record["status"] == "failed"}
    return run
