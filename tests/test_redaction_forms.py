"""A secret is masked in every form a host can echo it in, each form shown leaking without the rule."""

from __future__ import annotations

import base64
import html
import os

from urllib.parse import quote_plus

import pytest

from conformance.client import Exchange, Request
from conformance.matcher import Expected, difference
from conformance.redaction import MASK, Redactor, pass_filtered, secret_forms
from conformance.template import Template

from command import vicicert

SECRET = "Zq9!sekret-PW é;x"


@pytest.mark.parametrize("form, shown", [
    ("as given", SECRET),
    ("URL-encoded", "Zq9%21sekret-PW+%C3%A9%3Bx"),
    ("percent-encoded", "Zq9%21sekret-PW%20%C3%A9%3Bx"),
    ("Agent API filter, latin", "Zq9sekret-PWx"),
    ("Agent API filter, non-latin", "Zq9sekret-PWéx"),
    ("Non-Agent API filter, latin", "Zq9sekret-PWx"),
    ("base64", base64.b64encode(SECRET.encode()).decode()),
    ("base64 unpadded", base64.b64encode(SECRET.encode()).decode().rstrip("=")),
    ("HTML-escaped", html.escape(SECRET)),
])
def test_every_form_is_masked(form, shown):
    assert shown in secret_forms(SECRET), form
    echoed = f"ERROR: Invalid Username/Password: |6666|{shown}|0|0|BAD|\n"
    assert Redactor({SECRET})(echoed) == f"ERROR: Invalid Username/Password: |6666|{MASK}|0|0|BAD|\n"


def test_the_upstream_filters_keep_the_characters_each_api_allows():
    forms = secret_forms("a.b+c/d=e_f-g'h\"i\\j k;l")
    assert "a.b+c/d=e_f-ghijkl" in forms        # the Agent API keeps . + / = _ -
    assert "abcde_f-ghijkl" in forms             # the Non-Agent API keeps only _ -


def test_short_derived_forms_are_not_masked_but_the_secret_always_is():
    assert secret_forms("!!ab!!") == {"!!ab!!", "%21%21ab%21%21", "ISFhYiEh"}
    assert Redactor({"!!ab!!"})("cab !!ab!!") == f"cab {MASK}"


@pytest.mark.slow  # a whole embedded run; the forms are masked one by one above
def test_an_embedded_run_never_shows_a_password_with_punctuation(tmp_path):
    """The host echoes the filtered password on each failed login; none of it reaches an output."""
    env = {**os.environ, "VICIDIAL_PASS": "Zq9!sekret-PW"}
    result = vicicert("check", "-k", "pause_code", "--report-dir", str(tmp_path / "out"), cwd=tmp_path, env=env)
    outputs = {"stdout": result.stdout + result.stderr,
               **{path.name: path.read_text() for path in (tmp_path / "out").iterdir()}}
    assert set(outputs) >= {"stdout", "report.json", "report.html", "junit.xml"}
    assert "Invalid Username/Password" in outputs["report.json"]  # the echo happened
    assert {name: text.count("Zq9") for name, text in outputs.items()} == dict.fromkeys(outputs, 0)


def _entities(text: str, hexadecimal: bool) -> str:
    return "".join(f"&#x{ord(char):x};" if hexadecimal else f"&#{ord(char)};" for char in text)


def echoed_forms(secret: str) -> dict[str, str]:
    """Every way a host may echo ``secret``: raw, each letter case, entities, percent escapes, base64, filtered."""
    return {"raw": secret, "upper": secret.upper(), "lower": secret.lower(), "swapped case": secret.swapcase(),
            "HTML-escaped": html.escape(secret), "decimal entities": _entities(secret, False),
            "hex entities": _entities(secret, True), "mixed entities": _entities(secret[:5], True) + secret[5:],
            "percent, every byte": "".join(f"%{byte:02X}" for byte in secret.encode()),
            "percent, lower case": "".join(f"%{byte:02x}" for byte in secret.encode()),
            "URL-encoded": quote_plus(secret), "base64": base64.b64encode(secret.encode()).decode(),
            "Non-Agent filter": pass_filtered(secret, "non_agent_api", False),
            "Agent filter, upper": pass_filtered(secret, "agent_api", False).upper()}


def leaked(text: str, secret: str) -> list[str]:
    """Runs of 4 characters of ``secret`` (any case) or of any of its filtered forms, and runs of 6 of an
    encoded form, found in ``text``: what a reader could learn of the password."""
    found = [run for form in {secret, *(pass_filtered(secret, api, False) for api in ("agent_api", "non_agent_api"))}
             for run in (form[i:i + 4] for i in range(len(form) - 3)) if run.lower() in text.lower()]
    for name, form in echoed_forms(secret).items():
        if name not in ("raw", "upper", "lower", "swapped case", "Non-Agent filter", "Agent filter, upper"):
            found += [form[i:i + 6] for i in range(len(form) - 5) if form[i:i + 6] in text]
    return found


SECRETS = ["Zq9!sekret-PW é;x", "Kw7-Qx_3Vm9Ht2", "a<b>&\"c'Dq9"]


@pytest.mark.parametrize("secret", SECRETS)
def test_no_cut_of_an_answer_shows_any_of_the_secret(secret):
    """The form at every offset 0-40, and every window of the answer cut from the whole, masked."""
    redact = Redactor({secret})
    for name, form in echoed_forms(secret).items():
        for offset in range(41):
            answer = "ERROR: Invalid Username/Password: |6666|"[:offset].ljust(offset, ".") + form + "|0|0|BAD|\n"
            assert leaked(redact(answer), secret) == [], (name, offset)
            for start in range(0, offset + 1, 4):   # windows as the reports cut them: 20 and 40 characters, and to the end
                for stop in (start + 20, start + 40, len(answer)):
                    assert leaked(redact.excerpt(answer, start, stop), secret) == [], (name, offset, start, stop)


@pytest.mark.parametrize("secret", SECRETS)
def test_no_mismatch_shows_any_of_the_secret(secret):
    """The first-difference excerpt, the fields, the whole texts and the failure text are cut from masked texts."""
    redact = Redactor({secret})
    contracts = [Expected(body=Template.parse("ERROR: Invalid Username/Password: |6666|{pass}|0|0|BAD|\n")),
                 Expected(body=Template.parse("SUCCESS: 6666 logged in\n")), Expected(sane_only=True)]
    for name, form in echoed_forms(secret).items():
        for offset in range(41):
            answer = "ERROR: Invalid Username/Password: |6666|"[:offset].ljust(offset, ".") + form + "|0|0|BAD|\n"
            for expected in contracts:
                for mismatch in difference(expected, _exchange(answer), {"pass": secret}, redact):
                    shown = f"{mismatch.expected} {mismatch.actual} {mismatch.detail}"
                    assert leaked(shown, secret) == [], (name, offset, mismatch)


def _exchange(body: str) -> Exchange:
    return Exchange(Request("/agc/api.php"), "http://127.0.0.1/agc/api.php", status=200, body=body.encode())


def test_a_secret_inside_an_escape_is_masked_with_the_whole_escape():
    redact = Redactor({"Kw7-Qx_3Vm9Ht2"})
    assert redact("x&#75;w7-Qx_3Vm9Ht%32y") == f"x{MASK}y"
    assert redact("&amp;&#75;") == "&amp;&#75;"   # escapes without the secret are left as they are
    assert redact.spans("/api.php?pass=abc&x=1") == [(14, 17)]


@pytest.mark.slow
def test_a_host_echoing_the_password_everywhere_leaves_none_of_it_in_any_output(httpserver, tmp_path, vicidial_world):
    """Declared mode against a host that puts the API user's password into its answers, each answer in another
    form at another offset 0-40 (every pair over the run): stdout, the reports, junit.xml and every file of the
    certificate hold no run of 4 of its characters. The run is both preambles (every kind of login answer) and
    specs of both APIs, about 550 cases: enough for every pair, which more cases would only repeat."""
    from conformance.bundle import EMBEDDED_WORLD
    from conformance.certificate.archive import read_archive
    from targets import MisbehavingHandler

    secret = "Kw7-Qx_3Vm9Ht2"
    every = echoed_forms(secret)   # filtered, URL-encoded and HTML-escaped, this secret reads as it is
    forms = [every[name] for name in ("raw", "upper", "lower", "decimal entities", "hex entities",
                                      "percent, every byte", "base64")]
    sent, read = [], set()

    def echo(request, answer):
        if request.param("function") in ("version", "vicicert_preflight"):
            return answer   # the preflight must pass for the cases to run
        if request.param("function") == "agent_status" and request.param("agent_user") not in read:
            read.add(request.param("agent_user"))
            return answer   # so must its one read of each declared agent, before any case
        number = len(sent)
        form, offset = forms[number % len(forms)], number % 41   # 41 and 7 share no factor
        sent.append((form, offset))
        answer.body = answer.body[:offset].ljust(offset, ".") + form + answer.body[offset:]
        return answer

    handler = MisbehavingHandler(tmp_path / "echo.sqlite", vicidial_world.with_credentials(None, secret), echo)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    env = {**os.environ, "ECHO_TEST_PASS": secret}
    chosen = "preamble or external_dial or add_lead or agent_status or recording or user_details"
    result = vicicert("check", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(EMBEDDED_WORLD),
                      "-k", chosen,
                      "--pass-env", "ECHO_TEST_PASS", "--allow-failed-logins", "--allow-writes",
                      "--report-dir", str(tmp_path / "out"), "--certificate", str(tmp_path / "cert"),
                      cwd=tmp_path, env=env, timeout=1200)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert len(set(sent)) >= 41 * len(forms)   # every form at every offset
    outputs = {"stdout": result.stdout + result.stderr,
               **{path.name: path.read_text() for path in (tmp_path / "out").iterdir() if path.is_file()},
               **{f"certificate {name}": data.decode("utf-8", "replace")
                  for name, data in read_archive(tmp_path / "cert" / "vicicert-certificate.tar.gz").items()}}
    assert {"report.json", "report.html", "junit.xml", "certificate manifest.json"} <= set(outputs)
    assert "first difference at byte" in outputs["report.json"]   # the excerpts the secret sat in were written
    assert {name: leaked(text, secret) for name, text in outputs.items()} == dict.fromkeys(outputs, [])


def test_a_cases_own_wrong_password_masks_that_case_only(vicidial_world, vicidial_specs):
    """What a report masks never depends on the cases before it: a case that sent pass=Array masks
    Array in its own texts, and a later case that prints Array as a user name still shows it."""
    from conformance.execution import run_case
    from conformance.host.server import EmbeddedHost
    from conformance.client import Target
    run = Redactor({"Zq9_sekret-PW"})
    host = EmbeddedHost().start()
    try:
        target = Target(host.base_url, 10.0)
        preamble = {case.name: case for case in vicidial_specs["non_agent_api/preamble"].cases}
        own = run_case(preamble["array_user_prints_as_array"], target, vicidial_world, "reference", run, host)
        assert own.redact is not run and own.redact("vcWrong1") == MASK
        assert run("|Array|vcWrong1|") == "|Array|vcWrong1|"   # the run's redactor learnt nothing
    finally:
        host.stop()
