"""Preflight: a target that is not VICIdial, or a login that fails, stops the run before any case."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import threading

import pytest
from command import vicicert
from targets import MisbehavingHandler, RawSocketTarget

from conformance.bundle import EMBEDDED_WORLD
from conformance.client import Target
from conformance.errors import UsageError
from conformance.preflight import preflight


REFUSALS = (b"ERROR: Invalid Username/Password", b"ERROR: Login incorrect")


class CountingHandler(MisbehavingHandler):
    """The reference host, counting the requests that carry a password, and the refused logins."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.logins: list[tuple[str, str, str]] = []
        self.refused: list[tuple[str, str]] = []  # (user, pass) of each login the host refused

    def __call__(self, request):
        if "pass" in request.args:
            self.logins.append((request.path, request.args.get("user", ""), request.args["pass"]))
        response = super().__call__(request)
        if response.get_data().startswith(REFUSALS):
            self.refused.append((request.args.get("user", ""), request.args.get("pass", "")))
        return response


@pytest.fixture
def host(httpserver, tmp_path, vicidial_world):
    handler = CountingHandler(tmp_path / "host.sqlite", vicidial_world, lambda request, answer: answer)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    return Target(httpserver.url_for("/").rstrip("/"), timeout=5), handler


def test_a_vicidial_host_says_its_builds_and_the_user_logs_in(host, vicidial_world):
    target, _ = host
    found = preflight(target, vicidial_world)
    user = vicidial_world.api_users["api_admin"]["user"]
    assert found.lines() == [f"Agent API: VICIdial {found.builds['agent_api']}",
                             f"Non-Agent API: VICIdial {found.builds['non_agent_api']}",
                             f"Agent API login as {user}: logged in", f"Non-Agent API login as {user}: logged in"]
    assert found.builds["agent_api"].startswith("2.14-") and "(build " in found.builds["agent_api"]


def test_a_wrong_password_stops_after_one_login(host, vicidial_world):
    target, handler = host
    admin = {**vicidial_world.api_users["api_admin"], "pass": "wrongPass9"}
    world = replace(vicidial_world, api_users={**vicidial_world.api_users, "api_admin": admin})
    with pytest.raises(UsageError) as refused:
        preflight(target, world)
    message = str(refused.value)
    assert f"refused the login of user {admin['user']}" in message and "10 failed logins" in message
    assert "wrongPass9" not in message
    assert handler.logins == [("/agc/api.php", admin["user"], "wrongPass9")]  # one login, then the stop


@pytest.mark.parametrize("password, apis, message", [
    ("Zq9!sekret-PW", ("agent_api", "non_agent_api"), "holds 1 character the Agent API drops from pass"),
    ("Zq9 sek;ret", ("agent_api",), "holds 2 characters the Agent API drops from pass"),
    ("Zq9.sekret+PW", ("non_agent_api",), "holds 2 characters the Non-Agent API drops from pass before the login, "
                                          "so it can never log in there: upstream keeps only letters, digits, - and _"),
])
def test_a_password_the_api_filter_changes_is_refused_before_any_login(host, vicidial_world, password, apis, message):
    """Upstream filters pass before comparing it: such a password would make every case a failed login."""
    target, handler = host
    world = vicidial_world.with_credentials(None, password)
    with pytest.raises(UsageError) as refused:
        preflight(target, world, apis)
    assert message in str(refused.value) and "(no login was tried)" in str(refused.value)
    assert password not in str(refused.value) and "!" not in str(refused.value)
    assert handler.logins == []


def test_a_password_only_the_other_api_would_change_logs_in(host, vicidial_world):
    """The Agent API keeps . + / =: a run on the Agent API alone is not refused for them."""
    target, handler = host
    world = vicidial_world.with_credentials(None, "vcPass.6666")
    with pytest.raises(UsageError, match="refused the login"):   # the host's password is another: one try
        preflight(target, world, ("agent_api",))
    assert len(handler.logins) == 1


def test_a_user_without_api_access_is_named(host, vicidial_world):
    target, _ = host
    agent = vicidial_world.agents["agent_paused"]
    world = replace(vicidial_world, api_users={"api_admin": {"user": agent["user"], "pass": agent["pass"]}})
    with pytest.raises(UsageError, match="logs in but has no Agent API access"):
        preflight(target, world)


def test_a_plain_web_server_is_not_vicidial(tmp_path):
    (tmp_path / "agc").mkdir()
    (tmp_path / "agc/api.php").write_text("<?php echo 'hi'; ?>")
    handler = lambda *args: SimpleHTTPRequestHandler(*args, directory=str(tmp_path))  # noqa: E731
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(UsageError, match=r"does not answer like VICIdial's Agent API \(HTTP 200, \"<\?php"):
            preflight(Target(f"http://127.0.0.1:{server.server_address[1]}"), None)
    finally:
        server.shutdown()


def test_a_url_with_the_script_on_it_is_named(host):
    target, _ = host
    with pytest.raises(UsageError, match="give the host's root URL"):
        preflight(Target(target.base_url + "/agc/api.php", timeout=5), None)


def test_a_host_that_is_down_is_named():
    server = RawSocketTarget("reset")
    try:
        with pytest.raises(UsageError, match=r"did not answer \(connection reset by the target\)"):
            preflight(Target(server.url, timeout=3), None)
    finally:
        server.close()


def test_the_command_line_stops_with_exit_2_and_sends_no_case(host, tmp_path):
    target, handler = host
    env = {**os.environ, "VICIDIAL_PASS": "wrongPass9"}
    result = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "--report-dir",
                      str(tmp_path / "out"), cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "refused the login" in result.stdout + result.stderr and "wrongPass9" not in result.stdout + result.stderr
    assert [path for path, _, _ in handler.logins] == ["/agc/api.php"]
    again = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "--preflight-only",
                     cwd=tmp_path, env=env, timeout=120)   # a CI retry: no second failed login
    assert again.returncode == 2 and "(no login was tried)" in again.stderr and len(handler.logins) == 1, again.stderr
    retried = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "--preflight-only",
                       "--retry-refused-login", cwd=tmp_path, env=env, timeout=120)
    assert retried.returncode == 2 and "refused the login" in retried.stderr and len(handler.logins) == 2


def test_preflight_only_prints_what_it_found(host, tmp_path, vicidial_world):
    target, handler = host
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}
    result = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "--preflight-only",
                      cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("vicicert preflight: Agent API: VICIdial 2.14-")
    assert result.stdout.count("logged in") == 2 and len(handler.logins) == 2


def test_declared_mode_skips_failed_logins_for_the_declared_accounts(host, tmp_path, vicidial_world):
    target, handler = host
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}
    result = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "-k", "preamble",
                      "--report-dir", str(tmp_path / "out"), cwd=tmp_path, env=env, timeout=300)
    declared = {row["user"]: row.get("pass", "") for row in [*vicidial_world.api_users.values(), *vicidial_world.agents.values()]}
    assert "would be a failed login for the real account" in result.stdout
    # refused: unknown users, and declared ones refused for their level or state with their own password
    wrong = [(user, password) for user, password in handler.refused if user in declared and password != declared[user]]
    assert handler.refused and wrong == []
    allowed = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "-k", "preamble",
                       "--allow-failed-logins", "--report-dir", str(tmp_path / "out2"), cwd=tmp_path, env=env, timeout=300)
    assert "would be a failed login" not in allowed.stdout
    assert any(user in declared and password != declared[user] for user, password in handler.refused)


def test_https_against_a_plain_http_host_is_named(host):
    target, handler = host
    with pytest.raises(UsageError, match=r"did not answer \(the port speaks plain HTTP, not TLS: use http://"):
        preflight(Target(target.base_url.replace("http://", "https://"), timeout=5), None)
    assert handler.logins == []


def test_a_refused_login_is_not_tried_again_for_15_minutes(host, vicidial_world, refused_logins_file):
    """Ten CI retries with a wrong password would lock the account: the second one logs in no more."""
    from conformance.refused_logins import RefusedLogins, host_of
    target, handler = host
    admin = {**vicidial_world.api_users["api_admin"], "pass": "wrongPass9"}
    wrong = replace(vicidial_world, api_users={**vicidial_world.api_users, "api_admin": admin})
    now = [1_800_000_000.0]   # 2027-01-15 08:00:00 UTC
    refusals = RefusedLogins(refused_logins_file, clock=lambda: now[0])
    with pytest.raises(UsageError) as refused:
        preflight(target, wrong, refusals=refusals)
    host_name = host_of(target.base_url)   # http://localhost:PORT
    assert str(refused.value).endswith(f"vicicert will not try user {admin['user']} on {host_name} again before "
                                       "08:15:00 UTC unless run with --retry-refused-login")
    stored = refused_logins_file.read_text()
    assert admin["user"] not in stored and "wrongPass9" not in stored and "localhost" not in stored
    now[0] += 14 * 60
    for world in (wrong, vicidial_world):   # the password fixed or not: the same stop, before any login
        with pytest.raises(UsageError) as held:
            preflight(target, world, refusals=refusals)
        assert (f"the login of user {admin['user']} on {host_name} was refused" in str(held.value)
                and "was refused at 08:00:00 UTC" in str(held.value)
                and "does not try it again before 08:15:00 UTC (no login was tried)" in str(held.value)
                and "or at once with --retry-refused-login" in str(held.value)
                and str(refused_logins_file) in str(held.value))
    assert len(handler.logins) == 1
    preflight(target, vicidial_world, refusals=RefusedLogins(refused_logins_file, clock=lambda: now[0], retry=True))
    assert len(handler.logins) == 3 and json.loads(refused_logins_file.read_text())["refused"] == {}
    with pytest.raises(UsageError, match="refused the login"):   # forgotten after the login worked; then again
        preflight(target, wrong, refusals=refusals)
    now[0] += 15 * 60
    preflight(target, vicidial_world, refusals=refusals)   # 15 minutes on, the login is tried
    assert len(handler.logins) == 6


def test_a_refusal_that_cannot_be_remembered_is_said(host, vicidial_world, tmp_path):
    from conformance.refused_logins import RefusedLogins
    target, _ = host
    (tmp_path / "file").write_text("")
    world = vicidial_world.with_credentials(None, "wrongPass9")
    with pytest.raises(UsageError) as refused:
        preflight(target, world, refusals=RefusedLogins(tmp_path / "file" / "refused.json"))
    assert "refused the login" in str(refused.value)
    assert str(refused.value).endswith("so it will not stop a retry: set VICICERT_REFUSED_LOGINS to a file you can write")


def test_an_unreadable_refusals_file_holds_nothing(host, vicidial_world, refused_logins_file):
    from conformance.refused_logins import RefusedLogins
    target, handler = host
    refused_logins_file.write_text("{not json")
    preflight(target, vicidial_world, refusals=RefusedLogins(refused_logins_file))
    assert len(handler.logins) == 2
