"""Preflight: a target that is not VICIdial, or a login that fails, stops the run before any case."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
import threading

import pytest
from command import vicicert
from targets import MisbehavingHandler, RawSocketTarget
from werkzeug import Response

from conformance.bundle import EMBEDDED_WORLD
from conformance.client import Target
from conformance.errors import UsageError
from conformance.preflight import preflight

README = Path(__file__).resolve().parent.parent / "README.md"


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


def only(world, api_users=("api_admin",), agents=(), **changed):
    """``world`` holding only the named roles; ``changed``: role -> facts declared otherwise."""
    def pick(section, roles):
        return {role: {**section[role], **changed.get(role, {})} for role in roles}
    return replace(world, api_users=pick(world.api_users, api_users), agents=pick(world.agents, agents))


def test_a_vicidial_host_says_its_builds_and_the_user_logs_in(host, vicidial_world):
    target, _ = host
    found = preflight(target, only(vicidial_world))
    user = vicidial_world.api_users["api_admin"]["user"]
    assert found.lines() == [f"Agent API: VICIdial {found.builds['agent_api']}",
                             f"Non-Agent API: VICIdial {found.builds['non_agent_api']}",
                             f"Agent API login as {user}: logged in", f"Non-Agent API login as {user}: logged in"]
    assert found.builds["agent_api"].startswith("2.14-") and "(build " in found.builds["agent_api"]


def test_the_declared_api_users_and_agents_are_checked(host, vicidial_world):
    """Each API user logs in once (an inactive one is not tried: its login would count as failed); each
    agent is read with agent_status: logged in, logged out, or a live row without an account."""
    target, handler = host
    world = only(vicidial_world, ("api_admin", "api_no_access", "api_limited", "api_inactive"),
                 ("agent_paused", "agent_incall", "agent_logged_out", "rt_no_user"))
    found = preflight(target, world, meaning=vicidial_world)
    assert found.lines()[4:] == ["API users as declared: 2 logged in once each",
                                 "API users not tried: api_inactive (inactive: its login would count as a failed one)",
                                 "agents as declared: 4 (read with agent_status)"]
    assert not handler.refused or all(user == world.api_users["api_no_access"]["user"] for user, _ in handler.refused)
    # a role declared without the fact its name means (api_inactive's active N) gets it from the embedded world
    silent = replace(world, api_users={**world.api_users, "api_inactive": {
        key: value for key, value in world.api_users["api_inactive"].items() if key != "active"}})
    assert "api_inactive (inactive" in preflight(target, silent, meaning=vicidial_world).lines()[5]


@pytest.mark.parametrize("changed, said", [
    ({"agent_paused": {"user": "vcrt1999"}}, "agent role agent_paused (user vcrt1999) is not on the host: "
                                             "agent_status said 'ERROR: agent_status AGENT NOT FOUND: vcrt6666|vcrt1999'"),
    ({"agent_ready": {"status": "PAUSED"}}, "agent role agent_ready (user vcrt1002): status PAUSED declared, the "
                                            "host says READY"),
    ({"agent_ready": {"conf_exten": "8600099", "campaign_id": "VCERTZ"}}, "campaign_id VCERTZ declared, the host "
                                                                         "says VCERTA; conf_exten 8600099 declared"),
    ({"agent_logged_out": {"user": "vcrt1001"}}, "is declared logged out, but the host has it logged in (PAUSED)"),
    ({"agent_ready": {"user": "vcrt1004"}}, "is declared logged in, but the host said 'ERROR: agent_status AGENT "
                                            "NOT LOGGED IN: vcrt6666|vcrt1004'"),
])
def test_an_agent_the_host_lacks_or_holds_otherwise_stops_the_run(host, vicidial_world, changed, said):
    target, _ = host
    world = only(vicidial_world, agents=("agent_paused", "agent_ready", "agent_logged_out"), **changed)
    with pytest.raises(UsageError) as stopped:
        preflight(target, world)
    assert said in str(stopped.value) and "no case was sent" in str(stopped.value)
    assert str(stopped.value).count("agent role") == 1   # the other declared agents hold


def test_only_the_roles_the_run_names_are_checked(host, vicidial_world):
    target, handler = host
    world = only(vicidial_world, ("api_admin", "api_limited"), ("agent_paused", "agent_ready"),
                 agent_ready={"user": "vcrt1999"}, api_limited={"pass": "wrongPass9"})
    found = preflight(target, world, roles={"api_admin", "agent_paused"})
    assert found.lines()[-1] == "agents as declared: 1 (read with agent_status)"
    assert handler.refused == []


@pytest.mark.parametrize("changed, said", [
    ({"pass": "wrongPass9"}, "API user role api_limited (user vcrt6668): the host refused its login (BAD)"),
    ({"vdc_agent_api_access": "0"}, "is declared without Agent API access (vdc_agent_api_access 0), but the host let "
                                    "it log in"),
    ({"user": "vcrt6667", "pass": "vcPass-6667"}, "API user role api_limited (user vcrt6667) logs in but has no "
                                                  "Agent API access"),
])
def test_an_api_user_that_does_not_log_in_as_declared_stops_after_one_login(host, vicidial_world, changed, said):
    target, handler = host
    world = only(vicidial_world, ("api_admin", "api_limited"), api_limited=changed)
    with pytest.raises(UsageError) as stopped:
        preflight(target, world, ("agent_api",))
    assert said in str(stopped.value)
    assert "the host said 'ERROR: Invalid Username/Password: |" in str(stopped.value) or "let it log in" in said
    assert "wrongPass9" not in str(stopped.value)
    user = world.api_users["api_limited"]["user"]
    assert [login for login in handler.logins if login[1] == user] == [("/agc/api.php", user, world.api_users[
        "api_limited"]["pass"])]


def test_agents_an_api_user_may_not_read_are_said_unchecked(host, vicidial_world):
    target, _ = host
    world = only(vicidial_world, ("api_level7_no_reports",), ("agent_paused",))
    world = replace(world, api_users={"api_admin": world.api_users["api_level7_no_reports"]})
    found = preflight(target, world, ("non_agent_api",))
    assert found.lines()[-1].startswith("agents NOT checked: the Non-Agent API does not let user vcrt6678 call "
                                        "agent_status ('ERROR: agent_status USER DOES NOT HAVE PERMISSION")


class Starting:
    """A host that answers 503 to its first ``starting`` requests, then as the reference host does."""

    def __init__(self, handler, starting: int):
        self.handler, self.left = handler, starting

    def __call__(self, request):
        if self.left > 0:
            self.left -= 1
            return Response("Service Unavailable", status=503)
        return self.handler(request)


def test_wait_asks_a_starting_target_again(httpserver, tmp_path, vicidial_world):
    handler = Starting(MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, lambda r, a: a), 3)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    target = Target(httpserver.url_for("/").rstrip("/"), timeout=5)
    with pytest.raises(UsageError, match=r"Agent API \(HTTP 503.*a host still starting: --wait SECONDS asks again"):
        preflight(target, None)                                          # no --wait: one try, and the hint
    found = preflight(target, only(vicidial_world), wait=600)             # 2 more 503s, then the host is up
    assert found.logins["agent_api"].endswith("logged in") and handler.left == 0


def test_wait_gives_up_with_a_clear_message():
    server = RawSocketTarget("reset")
    try:
        with pytest.raises(UsageError, match=r"did not answer within --wait 1 s \(connection reset by the target\)"):
            preflight(Target(server.url, timeout=3), None, wait=1)
    finally:
        server.close()


@pytest.mark.slow  # whole vicicert processes
def test_the_readme_example_against_a_host_lacking_its_agent_stops_at_preflight(httpserver, tmp_path, vicidial_world):
    """The README's my-host.yaml as written (API user 6666, agent_paused 1000 PAUSED in session 8600051),
    against a host whose API user 6666 exists but agent 1000 does not: exit 2 before any case, naming the
    role; with the agent there, preflight passes."""
    block = re.search(r"```yaml\n(# my-host.yaml\n.*?)```", README.read_text(), re.S).group(1)
    (tmp_path / "my-host.yaml").write_text(block)
    admin = {**vicidial_world.api_users["api_admin"], "user": "6666"}
    host_world = replace(vicidial_world, api_users={**vicidial_world.api_users, "api_admin": admin})
    handler = CountingHandler(tmp_path / "host.sqlite", host_world, lambda request, answer: answer)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    url, env = httpserver.url_for("/").rstrip("/"), {**os.environ, "VICIDIAL_PASS": admin["pass"]}
    result = vicicert("check", "--target", url, "--world", "my-host.yaml", "--report-dir", "out", cwd=tmp_path,
                      env=env, timeout=300)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "preflight: the host does not hold the declared agents (my-host.yaml)" in result.stderr
    assert "agent role agent_paused (user 1000) is not on the host: agent_status said 'ERROR: agent_status AGENT " \
           "NOT FOUND: 6666|1000'" in result.stderr
    assert not any(function == "vicicert_preflight" for function in ()) and handler.refused == []
    assert not (tmp_path / "out" / "report.json").exists()    # no case ran

    paused = {**vicidial_world.agents["agent_paused"], "user": "1000"}
    there = CountingHandler(tmp_path / "there.sqlite", replace(host_world, agents={**host_world.agents, "agent_paused": paused}),
                            lambda request, answer: answer)
    httpserver.clear_all_handlers()
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(there)
    passed = vicicert("check", "--target", url, "--world", "my-host.yaml", "--preflight-only", cwd=tmp_path, env=env,
                      timeout=120)
    assert passed.returncode == 0, passed.stderr
    assert "vicicert preflight: agents as declared: 1 (read with agent_status)" in passed.stdout


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
    assert len(handler.logins) == 1   # and the Non-Agent API, which would read the agents, is not asked


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


@pytest.mark.slow  # whole vicicert processes
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


@pytest.mark.slow  # whole vicicert processes
def test_preflight_only_prints_what_it_found(host, tmp_path, vicidial_world):
    target, handler = host
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}
    result = vicicert("check", "--target", target.base_url, "--world", str(EMBEDDED_WORLD), "--preflight-only",
                      cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("vicicert preflight: Agent API: VICIdial 2.14-")
    others = [role for role, row in vicidial_world.api_users.items() if role != "api_admin" and row.get("active") != "N"]
    assert result.stdout.count("login as") == 2
    assert f"API users as declared: {len(others)} logged in once each" in result.stdout
    assert f"agents as declared: {len(vicidial_world.agents)} (read with agent_status)" in result.stdout
    assert len(handler.logins) == 2 + len(others) + len(vicidial_world.agents)   # one login each, agent_status as api_admin


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
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
        preflight(target, wrong, refusals=refusals, roles=())
    host_name = host_of(target.base_url)   # http://localhost:PORT
    assert str(refused.value).endswith(f"vicicert will not try user {admin['user']} on {host_name} again before "
                                       "08:15:00 UTC unless run with --retry-refused-login")
    stored = refused_logins_file.read_text()
    assert admin["user"] not in stored and "wrongPass9" not in stored and "localhost" not in stored
    now[0] += 14 * 60
    for world in (wrong, vicidial_world):   # the password fixed or not: the same stop, before any login
        with pytest.raises(UsageError) as held:
            preflight(target, world, refusals=refusals, roles=())
        assert (f"the login of user {admin['user']} on {host_name} was refused" in str(held.value)
                and "was refused at 08:00:00 UTC" in str(held.value)
                and "does not try it again before 08:15:00 UTC (no login was tried)" in str(held.value)
                and "or at once with --retry-refused-login" in str(held.value)
                and str(refused_logins_file) in str(held.value))
    assert len(handler.logins) == 1
    preflight(target, vicidial_world, refusals=RefusedLogins(refused_logins_file, clock=lambda: now[0], retry=True), roles=())
    assert len(handler.logins) == 3 and json.loads(refused_logins_file.read_text())["refused"] == {}
    with pytest.raises(UsageError, match="refused the login"):   # forgotten after the login worked; then again
        preflight(target, wrong, refusals=refusals, roles=())
    now[0] += 15 * 60
    preflight(target, vicidial_world, refusals=refusals, roles=())   # 15 minutes on, the login is tried
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
    preflight(target, vicidial_world, refusals=RefusedLogins(refused_logins_file), roles=())
    assert len(handler.logins) == 2


def test_agents_on_a_target_serving_the_agent_api_alone_are_said_unchecked(httpserver, tmp_path, vicidial_world):
    """A proxy may expose /agc/api.php alone: a run of Agent API cases goes on, and the summary says why
    the agents were not read."""
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, lambda request, answer: answer)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    target = Target(httpserver.url_for("/").rstrip("/"), timeout=5)
    found = preflight(target, only(vicidial_world, agents=("agent_paused",)), ("agent_api",))
    assert list(found.builds) == ["agent_api"]
    assert found.lines()[-1].startswith("agents NOT checked (1 declared): http://") and \
        found.lines()[-1].endswith("/vicidial/non_agent_api.php does not answer like VICIdial's Non-Agent API (HTTP 500)")
