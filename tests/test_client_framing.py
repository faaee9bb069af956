"""The client names what is wrong with an answer's framing, bounds its time and its size."""

from __future__ import annotations

import ssl
import subprocess
import time

import pytest
from targets import ScriptedTarget

from conformance.client import Request, Target

ANSWER = b"SUCCESS: pause_code function sent - 1001\n"


def send(script, timeout=3.0, max_body=1 << 20, scheme="http", tls=None):
    server = ScriptedTarget(script, tls)
    try:
        return Target(f"{scheme}://127.0.0.1:{server.port}", timeout=timeout, max_body=max_body).send(
            Request("/agc/api.php", (("function", "version"),)))
    finally:
        server.close()


def head(extra: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + extra + b"\r\n"


def test_a_well_framed_answer_has_no_error():
    exchange = send([(head(b"Content-Length: %d\r\n" % len(ANSWER)) + ANSWER, 0)])
    assert (exchange.status, exchange.body, exchange.error) == (200, ANSWER, None)


def test_an_answer_dripped_a_byte_at_a_time_is_cut_at_the_deadline():
    drip = [(head(b"Content-Length: %d\r\n" % len(ANSWER)), 0)] + [(bytes([b]), 0.3) for b in ANSWER]
    started = time.monotonic()
    exchange = send(drip, timeout=1.5)
    assert time.monotonic() - started < 4  # 41 bytes at 0.3 s would take 12 s; each read alone is quick
    assert exchange.error.startswith("no complete answer within 1.5 s (")


def test_headers_dripped_forever_are_cut_too():
    exchange = send([(b"H", 0.2)] + [(b"X", 0.2)] * 40, timeout=1.0)
    assert exchange.status is None and exchange.error.startswith("no complete answer within 1 s")


def test_a_huge_answer_is_kept_to_the_cap_and_counted():
    body = b"x" * 300_000
    exchange = send([(head(b"Content-Length: %d\r\n" % len(body)) + body, 0)], max_body=100_000)
    assert len(exchange.body) == 100_000
    assert exchange.error == "answer too large: 300000 bytes, of which the first 100000 are kept"


@pytest.mark.parametrize("length", [b"-5", b"12abc", b"41, 42"])
def test_an_invalid_content_length_is_named(length):
    exchange = send([(head(b"Content-Length: " + length + b"\r\n") + ANSWER, 0)])
    assert exchange.error.startswith("invalid Content-Length: ")


def test_two_different_content_lengths_are_named():
    exchange = send([(head(b"Content-Length: 41\r\nContent-Length: 7\r\n") + ANSWER, 0)])
    assert exchange.error == "invalid Content-Length: '41', '7'"


def test_a_chunk_size_that_is_not_hexadecimal_is_invalid_chunked_encoding():
    exchange = send([(head(b"Transfer-Encoding: chunked\r\n") + b"zz\r\n" + ANSWER + b"\r\n0\r\n\r\n", 0)])
    assert exchange.error.startswith("invalid chunked encoding after 0 bytes of body")


def test_a_body_that_stops_inside_a_chunk_is_invalid_chunked_encoding():
    exchange = send([(head(b"Transfer-Encoding: chunked\r\n") + b"29\r\n" + ANSWER + b"\r\n40\r\nSUCC", 0)])
    assert exchange.error.startswith("invalid chunked encoding after 45 bytes of body")
    assert exchange.body == ANSWER + b"SUCC"


def test_a_content_encoding_nobody_asked_for_is_named():
    import gzip
    packed = gzip.compress(ANSWER)
    exchange = send([(head(b"Content-Encoding: gzip\r\nContent-Length: %d\r\n" % len(packed)) + packed, 0)])
    assert exchange.error == "content encoding 'gzip', though the request accepted none"


def test_a_short_body_is_truncated():
    exchange = send([(head(b"Content-Length: 100\r\n") + ANSWER[:10], 0)])
    assert exchange.error == "truncated body: got 10 bytes, then the connection closed"


def test_not_http_at_all_is_named():
    exchange = send([(b"SSH-2.0-OpenSSH_9.2\r\n", 0)])
    assert exchange.error == "not an HTTP answer: 'SSH-2.0-OpenSSH_9.2\\r\\n'"


def test_tls_on_an_http_url_is_named(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    exchange = send([(head(b"Content-Length: %d\r\n" % len(ANSWER)) + ANSWER, 0)], tls=context)
    assert exchange.error.startswith("the port speaks TLS, not plain HTTP: use https://")


def test_a_huge_wrong_answer_is_shown_cut_in_the_failure_text_and_the_reports():
    from conformance.client import Exchange
    from conformance.execution import CaseResult, Verdict
    from conformance.failure import describe_failure
    from conformance.matcher import Expected, difference
    from conformance.report.record import REPORTED_BODY, case_record
    from conformance.spec import load_specs
    from conformance.bundle import SPECS_DIR
    from conformance.template import Template

    case = next(c for spec in load_specs(SPECS_DIR) for c in spec.cases if c.name == "paused_agent_break")
    body = b"x" * (3 * 1024 * 1024)
    exchange = Exchange(Request("/agc/api.php"), "http://127.0.0.1/agc/api.php", status=200, body=body)
    expected = Expected(body=Template.parse("SUCCESS\n"))
    verdict = Verdict(case.reference, difference(expected, exchange, {}), "SUCCESS\n")
    result = CaseResult(case=case, contract="reference", exchange=exchange, reference=verdict)
    text = describe_failure(result)
    assert len(text) < 20_000 and f"({len(body) - 2000} more characters)" in text
    record = case_record(result)
    assert len(record["answer"]["body"]) == REPORTED_BODY
    assert record["answer"]["body_characters_left_out"] == len(body) - REPORTED_BODY


@pytest.mark.parametrize("framing, error", [
    (b"Content-Length: -5\r\n", "invalid Content-Length: "),
    (b"Transfer-Encoding: chunked\r\nContent-Length: 5x\r\n", "invalid Content-Length: "),
    (b"Content-Encoding: gzip\r\n", "content encoding 'gzip'"),
])
def test_the_right_text_in_invalid_framing_fails_the_case_and_names_the_framing(vicidial_specs, vicidial_world,
                                                                                framing, error):
    """Before: a Content-Length of -5 was read to the close, so the right text passed 12 of 28 cases."""
    from conformance.execution import run_case
    from conformance.redaction import Redactor
    case = next(c for c in vicidial_specs["agent_api/pause_code"].cases if c.name == "paused_agent_break")
    right = f"SUCCESS: pause_code function sent - {vicidial_world.agents['agent_paused']['user']}\n".encode()

    def verdict(extra: bytes):
        upstream = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-cache, "
                    b"must-revalidate\r\nPragma: no-cache\r\nConnection: close\r\n")   # upstream's headers
        server = ScriptedTarget([(upstream + extra + b"\r\n" + right, 0)])
        try:
            return run_case(case, Target(server.url, timeout=3), vicidial_world, "reference",
                            Redactor(vicidial_world.secrets), writes=True)
        finally:
            server.close()
    assert verdict(b"Content-Length: %d\r\n" % len(right)).status == "passed"   # the text itself is right
    result = verdict(framing)
    [mismatch] = result.reference.mismatches
    assert result.status == "failed" and mismatch.kind == "TransportFailure" and mismatch.actual.startswith(error)


@pytest.mark.slow  # a whole run of huge answers
def test_a_huge_answer_under_q_leaves_small_reports_and_a_short_terminal(httpserver, tmp_path, vicidial_world):
    """Before: a 200 MB body took 5 GB, wrote 2 GB of reports and 401 MB to the terminal even with -q."""
    import json
    import os

    from command import vicicert
    from targets import MisbehavingHandler

    from conformance.bundle import EMBEDDED_WORLD
    from conformance.client import MAX_BODY
    from conformance.report.record import REPORTED_BODY

    def huge(request, answer):
        if request.param("function") == "pause_code":
            answer.body = "SUCCESS " * (4 * MAX_BODY // 8)    # 32 MiB: four times what is kept
        return answer
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, huge)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    env = {**os.environ, "VICIDIAL_PASS": vicidial_world.api_users["api_admin"]["pass"]}
    out = tmp_path / "out"
    done = vicicert("check", "-q", "--target", httpserver.url_for("/").rstrip("/"), "--world", str(EMBEDDED_WORLD),
                    "-k", "pause_code and (paused_agent_break or ready_agent)", "--allow-writes",
                    "--report-dir", str(out), cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(done.stdout) + len(done.stderr) < 64 * 1024, len(done.stdout)
    # each case's answer is kept to REPORTED_BODY characters in the reports (up to 3 bytes each shown in HTML)
    bound = 2 * 3 * REPORTED_BODY + 64 * 1024
    assert {path.name: path.stat().st_size < bound for path in out.iterdir()} == \
        {"report.json": True, "report.html": True, "junit.xml": True}
    cases = json.loads((out / "report.json").read_text())["cases"]
    assert len(cases) == 2 and all(case["status"] == "failed" for case in cases)
    assert all(case["answer"]["body_characters_left_out"] == MAX_BODY - REPORTED_BODY for case in cases)
    assert all(case["answer"]["error"] == f"answer too large: {4 * MAX_BODY} bytes, of which the first {MAX_BODY} "
               "are kept" for case in cases), [case["answer"]["error"] for case in cases]


def test_https_on_a_plain_http_port_is_named():
    exchange = send([(head(b"Content-Length: %d\r\n" % len(ANSWER)) + ANSWER, 0)], scheme="https")
    assert exchange.error.startswith("the port speaks plain HTTP, not TLS: use http://"), exchange.error
