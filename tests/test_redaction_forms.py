"""A secret is masked in every form a host can echo it in, each form shown leaking without the rule."""

from __future__ import annotations

import base64
import html
import os

import pytest

from conformance.redaction import MASK, Redactor, secret_forms

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


def test_an_embedded_run_never_shows_a_password_with_punctuation(tmp_path):
    """The host echoes the filtered password on each failed login; none of it reaches an output."""
    env = {**os.environ, "VICIDIAL_PASS": "Zq9!sekret-PW"}
    result = vicicert("check", "-k", "pause_code", "--report-dir", str(tmp_path / "out"), cwd=tmp_path, env=env)
    outputs = {"stdout": result.stdout + result.stderr,
               **{path.name: path.read_text() for path in (tmp_path / "out").iterdir()}}
    assert set(outputs) >= {"stdout", "report.json", "report.html", "junit.xml"}
    assert "Invalid Username/Password" in outputs["report.json"]  # the echo happened
    assert {name: text.count("Zq9") for name, text in outputs.items()} == dict.fromkeys(outputs, 0)
