"""Every kind of wrong answer each load profile names, judged without a run (the Locust runs in
test_load_recording.py and test_load_stats.py show the kinds reach the summary)."""

from __future__ import annotations

import pytest

from loadtests.answer_kinds import export_answer_problem, signal_answer_kind
from loadtests.recording_rules import expected_answer

AGENT = {"user": "vcrtl000007", "server_ip": "10.10.10.15", "conf_exten": "8700007", "status": "PAUSED"}
SENT, _ = expected_answer("START", "START", AGENT, "")
PHP_WARNING = "<br />\n<b>Warning</b>:  Undefined variable $x in api.php on line 9\n"


def test_the_right_answer_names_the_agent_and_its_session():
    assert SENT.startswith("SUCCESS: recording function sent - vcrtl000007|") and "|10.10.10.15|8700007|" in SENT


@pytest.mark.parametrize("body, status, dropped, kind", [
    ("", 500, False, "php_fatal"),
    ("<html><body>502 Bad Gateway</body></html>\n", 502, False, "http_5xx"),
    (SENT[:20], 200, True, "transport"),
    (PHP_WARNING + SENT, 200, False, "php_error_text"),
    (SENT.replace("vcrtl000007", "vcrtl000099", 1), 200, False, "cross_talk"),
    (SENT.replace("|8700007|", "|8700008|"), 200, False, "wrong_session"),
    (SENT.replace("|10.10.10.15|", "|10.10.10.16|"), 200, False, "wrong_session"),
    (SENT.replace("function sent", "function set"), 200, False, "wrong_text"),
    ("ERROR: no user found\n", 200, False, "wrong_text"),
])
def test_each_wrong_signal_answer_has_its_kind(body, status, dropped, kind):
    assert signal_answer_kind(body, AGENT, status, dropped) == kind


EXPORT = ("USER|NAME|CALLS|TIME|PAUSE|PAUSEAVG|WAIT|WAITAVG|TALK|TALKAVG\n"
          "vcrta1|Agent One|12|1:02:03|0:10:00|0:00:50|0:05:00|0:00:25|0:40:00|0:03:20\n"
          "vcrta2|Agent Two|3|0:12:00|0:01:00|0:00:20|0:02:00|0:00:40|0:08:00|0:02:40\n")


def test_the_expected_export_is_no_problem():
    assert export_answer_problem(200, EXPORT, None, EXPORT) is None


@pytest.mark.parametrize("status, body, error, kind, detail", [
    (0, "", "connection reset by peer", "dropped_connection", "connection reset by peer"),
    (500, "", None, "php_fatal", "HTTP 500 with an empty body: PHP died"),
    (502, "<html>Bad Gateway</html>\n", None, "http_5xx", "HTTP 502"),
    (203, EXPORT, None, "http_status", "HTTP 203 with the expected body"),
    (200, PHP_WARNING + EXPORT, None, "php_error_text", "<br />\n<b>Warning</b>"),
    (200, EXPORT[:-1], None, "truncated_or_malformed", f"{len(EXPORT) - 1} of {len(EXPORT)} bytes, 2 lines"),
    (200, EXPORT.rsplit("\n", 2)[0] + "\n", None, "truncated_or_malformed", f"of {len(EXPORT)} bytes, 2 lines"),
    (200, EXPORT.replace("|12|1:02:03|", "|13|1:02:03|"), None, "wrong_figures", "expected 12, got 13"),
])
def test_each_wrong_export_has_its_kind_and_says_where(status, body, error, kind, detail):
    found = export_answer_problem(status, body, error, EXPORT)
    assert found is not None and found[0] == kind, found
    assert detail in found[1], found


def test_a_connection_closed_before_any_answer_is_its_own_kind():
    assert signal_answer_kind("", AGENT, 0, True, closed=True) == "closed_without_answer"
    assert signal_answer_kind("", AGENT, 500, False, closed=True) == "php_fatal"   # an answer did come
    kind, detail = export_answer_problem(0, "", "connection closed", EXPORT, closed=True)
    assert kind == "closed_without_answer" and detail.startswith("connection closed: ")
