"""The reference host reads requests as PHP 8 does (names mangled, arrays, repeats, POST), and the
preamble cases catch a target that does not."""

from __future__ import annotations

import http.client
import re
from urllib.parse import unquote_plus

import pytest

from conformance.client import Exchange, Request, Target
from conformance.execution import run_case
from conformance.host.app import ReferenceHost
from conformance.host.http import HostRequest, HostResponse, parse_form, parse_multipart, parse_post, runs, script_path
from conformance.host.server import EmbeddedHost
from conformance.host.php import PhpArray, PhpFatal, keep
from conformance.redaction import Redactor
from conformance.tables.database import SqliteDatabase
from conformance.tables.provisioning import world_rows

import targets
from targets import MisbehavingHandler

ARRAY = "(array)"
# What PHP 8.2's parse_str() gives (php -r 'parse_str($q, $r); echo json_encode($r);'), arrays as ARRAY.
PHP_PARSE_STR = [
    ("a.b=1", {"a_b": "1"}), ("a b=1", {"a_b": "1"}), ("+a=1", {"a": "1"}), ("a[b.c=1", {"a_b_c": "1"}),
    ("a[b=1&x=2", {"a_b": "1", "x": "2"}), ("a[]=1&a[]=2", {"a": ARRAY}), ("a]=1", {"a]": "1"}),
    ("a[x][=1", {"a": ARRAY}), ("a=1&a=2", {"a": "2"}), ("a", {"a": ""}), ("=5", {}), ("a%00b=1", {"a": "1"}),
    ("a[b]c=1", {"a": ARRAY}), ("a.b[c.d]=1", {"a_b": ARRAY}), ("[a]=1", {}), ("a%5Bb=1", {"a_b": "1"}),
    ("a+b=1", {"a_b": "1"}), ("a[=1", {"a_": "1"}), ("...=1", {"___": "1"}), ("a[ b]=1", {"a": ARRAY}),
    ("a[]=1&a=2", {"a": "2"}), ("a=2&a[]=1", {"a": ARRAY}), ("x=a%2Bb+c&&y", {"x": "a+b c", "y": ""}),
]


@pytest.mark.parametrize("query, expected", PHP_PARSE_STR)
def test_names_and_values_are_parsed_as_php_does(query, expected):
    parsed = {name: ARRAY if isinstance(value, PhpArray) else value for name, value in parse_form(query).items()}
    assert parsed == expected


def test_an_array_is_the_text_array_equal_to_nothing_and_fatal_to_string_functions():
    value = PhpArray()
    assert f"|{value}|" == "|Array|" and value != "Array" and value != PhpArray() and value == value
    assert bool(value) and value not in ("version", "Array")
    assert keep(value, "0-9a-zA-Z") is value      # preg_replace() of an array is an array
    for use in (len, lambda v: v[:2], lambda v: "A" in v, lambda v: v.upper(), lambda v: v.strip()):
        with pytest.raises(PhpFatal):
            use(value)


def test_a_php_fatal_is_an_empty_500_with_the_scripts_headers(tmp_path, vicidial_world):
    database = SqliteDatabase(tmp_path / "fatal.sqlite")
    database.replace_rows(world_rows(vicidial_world))
    answer = ReferenceHost(database)(HostRequest("GET", "/agc/api.php", parse_form(
        "source=test&user[]=1&pass=x&agent_user=1&function=external_status")))
    assert (answer.status, answer.body) == (500, "")
    assert ("Cache-Control", "no-cache, must-revalidate") in answer.headers


def naive(text: str) -> dict:
    """A server that keeps names as sent, the first of a repeat and arrays as text."""
    params: dict = {}
    for pair in filter(None, text.split("&")):
        name, _, value = pair.partition("=")
        params.setdefault(unquote_plus(name), unquote_plus(value))
    return params


@pytest.fixture
def check(httpserver, tmp_path, vicidial_world, vicidial_specs):
    """check(spec, case, parse) -> the case's status against the reference host reading requests with ``parse``."""
    def run(spec, name, parse, bodies=True):
        handler = MisbehavingHandler(tmp_path / "php.sqlite", vicidial_world, lambda request, answer: answer,
                                     parse=parse, bodies=bodies)
        httpserver.clear_all_handlers()
        for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
            httpserver.expect_request(endpoint).respond_with_handler(handler)
        case = next(c for c in vicidial_specs[spec].cases if c.name == name)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=10)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True).status
    return run


CASES = [("agent_api/preamble", name) for name in (
    "dotted_name_reads_as_underscore", "encoded_and_space_led_names", "repeated_parameter_last_wins",
    "post_form_body", "array_function_is_no_function", "array_user_is_a_php_fatal",
    "array_password_prints_as_array")] + [("non_agent_api/preamble", name) for name in (
    "dotted_and_encoded_names", "post_form_body", "repeated_function_last_wins", "array_user_prints_as_array",
    "array_function_after_a_good_login")]


# An array function and a missing one answer alike upstream, so those cases show no crash, not the parser.
ALIKE_FOR_A_NAIVE_PARSER = {"post_form_body", "array_function_is_no_function", "array_function_after_a_good_login"}


@pytest.mark.parametrize("spec, name", CASES)
def test_php_parsing_passes_and_a_naive_parser_is_caught(check, spec, name):
    assert check(spec, name, parse_form) == "passed"
    if name not in ALIKE_FOR_A_NAIVE_PARSER:
        assert check(spec, name, naive) == "failed"


@pytest.mark.parametrize("spec", ["agent_api/preamble", "non_agent_api/preamble"])
def test_a_target_that_ignores_form_bodies_is_caught(check, spec):
    assert check(spec, "post_form_body", parse_form, bodies=False) == "failed"


def old_body_rule(content_type, body, parse=parse_form):
    """The rule the host had: a urlencoded form wherever the type holds those words, in lower case."""
    return parse(body.decode("latin-1")) if "application/x-www-form-urlencoded" in content_type else {}


def uploads_as_fields(content_type, body, parse=parse_form):
    """A target that takes a multipart upload for a parameter."""
    return parse_post(content_type, body.replace(b'; filename="f.txt"', b""), parse)


@pytest.mark.parametrize("name, bent", [
    ("multipart_form_body", old_body_rule), ("multipart_with_bare_line_feeds", old_body_rule),
    ("form_type_in_capitals", old_body_rule), ("multipart_upload_is_no_parameter", uploads_as_fields),
    ("text_body_is_no_form", lambda content_type, body, parse=parse_form: parse(body.decode("latin-1"))),
])
def test_bodies_are_read_by_their_type_and_a_host_reading_them_otherwise_is_caught(check, monkeypatch, name, bent):
    assert check("agent_api/preamble", name, parse_form) == "passed"
    monkeypatch.setattr(targets, "parse_post", bent)
    assert check("agent_api/preamble", name, parse_form) == "failed"


@pytest.mark.parametrize("name, bent", [("multipart_form_body", old_body_rule),
                                        ("multipart_upload_is_no_parameter", lambda content_type, body, parse=parse_form:
                                         parse_post(content_type, body.replace(b'; filename="u.txt"', b""), parse))])
def test_the_non_agent_script_reads_multipart_bodies_too(check, monkeypatch, name, bent):
    assert check("non_agent_api/preamble", name, parse_form) == "passed"
    monkeypatch.setattr(targets, "parse_post", bent)
    assert check("non_agent_api/preamble", name, parse_form) == "failed"


@pytest.mark.parametrize("name", ["post_without_value_takes_the_last_field", "post_without_value_ending_in_the_agent"])
def test_a_post_without_value_takes_the_last_field_and_a_host_that_forgets_it_is_caught(check, monkeypatch, name):
    """api.php's loop over $_POST leaves its last value in $value, which the script then reads as
    the parameter value when the request sends none."""
    assert check("agent_api/preamble", name, parse_form) == "passed"
    monkeypatch.setattr(HostRequest, "last_posted", lambda request: "")
    assert check("agent_api/preamble", name, parse_form) == "failed"


def test_the_last_posted_value_is_the_last_field_php_keeps():
    """A repeated field keeps its first place and its last value, as PHP's $_POST does."""
    assert HostRequest("POST", "/", post=parse_form("a=1&b=2&a=3")).last_posted() == "2"
    assert isinstance(HostRequest("POST", "/", post=parse_form("a=1&b[]=2")).last_posted(), PhpArray)
    assert HostRequest("GET", "/", get=parse_form("a=1")).last_posted() == ""


def get_and_post_only(request, answer):
    """A server that runs the script for GET and POST alone, as a framework's router might."""
    if request.method in ("GET", "POST"):
        return answer
    return HostResponse(status=405, reason="Method Not Allowed", body="")


@pytest.mark.parametrize("name, bend", [
    ("put_reads_the_query", "refuse"), ("head_runs_the_script_and_answers_no_body", "refuse"),
    ("lower_case_post_body_is_no_form", "any_letter_case"),
])
def test_every_method_runs_the_script_and_a_host_that_reads_methods_otherwise_is_caught(
        httpserver, tmp_path, vicidial_world, vicidial_specs, name, bend):
    def status(bent: bool):
        handler = MisbehavingHandler(tmp_path / f"{len(list(tmp_path.iterdir()))}.sqlite", vicidial_world,
                                     get_and_post_only if bent and bend == "refuse" else lambda request, answer: answer)
        if bent and bend == "any_letter_case":
            handler.body_methods = ("POST", "post")
        httpserver.clear_all_handlers()
        httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
        case = next(c for c in vicidial_specs["agent_api/preamble"].cases if c.name == name)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=10)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True).status

    assert status(bent=False) == "passed"
    assert status(bent=True) == "failed"


def test_the_host_answers_any_method_and_a_chunked_body(vicidial_world):
    host = EmbeddedHost().start()
    try:
        host.reset(vicidial_world)
        connection = http.client.HTTPConnection("127.0.0.1", int(host.base_url.rsplit(":", 1)[1]), timeout=10)
        for method in ("PUT", "DELETE", "OPTIONS", "get", "PROPFIND"):
            connection.request(method, "/agc/api.php?function=version")
            answer = connection.getresponse()
            assert (answer.status, answer.read()[:9]) == (200, b"VERSION: "), method
        connection.request("HEAD", "/agc/api.php?function=version")
        answer = connection.getresponse()
        assert answer.status == 200 and answer.read() == b""
        connection.request("POST", "/agc/api.php", body=iter([b"func", b"tion=ver", b"sion"]),
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, encode_chunked=True)
        answer = connection.getresponse()
        assert answer.read()[:9] == b"VERSION: "
        connection.request("PUT", "/agc/api.php", body=b"function=version",   # a PUT's body is read and left alone
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        answer = connection.getresponse()
        assert answer.read() == b"ERROR: Invalid Source - \n"
        connection.request("GET", "/agc/api.php?function=version")   # the same connection, still in step
        assert connection.getresponse().read()[:9] == b"VERSION: "
        connection.close()
    finally:
        host.stop()


@pytest.mark.parametrize("raw, path", [
    ("/agc/api.php", "/agc/api.php"), ("//agc//api.php", "/agc/api.php"), ("/%61gc/x/..//./api%2Ephp", "/agc/api.php"),
    ("/agc/api.php/x/y", "/agc/api.php/x/y"), ("/agc%2Fapi.php", ""), ("/agc/api.php%00", ""), ("/../agc/api.php", None),
])
def test_the_script_is_found_as_apache_finds_it(raw, path):
    assert script_path(raw) == path


def test_a_path_runs_its_script_with_a_path_of_its_own_and_nothing_longer():
    assert runs("/agc/api.php", "/agc/api.php") and runs("/agc/api.php", "/agc/api.php/x")
    assert not runs("/agc/api.php", "/agc/api.phpx") and not runs("/agc/api.php", "/agc/api.php;x")


@pytest.mark.parametrize("name", ["path_info_after_the_script", "encoded_and_dotted_path"])
def test_a_host_that_routes_by_the_raw_path_is_caught(httpserver, tmp_path, vicidial_world, vicidial_specs,
                                                      monkeypatch, name):
    from conformance.host import app

    case = next(c for c in vicidial_specs["agent_api/preamble"].cases if c.name == name)

    def status():
        handler = MisbehavingHandler(tmp_path / f"{len(list(tmp_path.iterdir()))}.sqlite", vicidial_world,
                                     lambda request, answer: answer)
        httpserver.clear_all_handlers()
        httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
        target = Target(httpserver.url_for("/").rstrip("/"), timeout=10)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets),
                        failed_logins=True, writes=True).status

    assert status() == "passed"
    monkeypatch.setattr(app, "script_path", lambda raw: raw)   # the raw path, matched whole
    monkeypatch.setattr(app, "runs", lambda script, path: script == path)
    assert status() == "failed"


def numbered(count: int) -> str:
    return "&".join(f"p{number}=1" for number in range(count))


def test_only_the_first_thousand_variables_are_read_as_upstreams_php_reads_them():
    """As upstream's PHP 8.2 answered (max_input_vars 1000): a query keeps 1000 variables, a
    urlencoded body 1001, a multipart body 1000; a repeat and an empty name count, an empty pair not."""
    assert "function" not in parse_form(numbered(1000) + "&function=version")
    assert parse_form(numbered(999) + "&function=version")["function"] == "version"
    assert parse_form("&" * 1000 + "function=version")["function"] == "version"
    assert "function" not in parse_form("&".join(["a=1"] * 1000 + ["function=version"]))
    assert "function" not in parse_form("&".join(["=1"] * 1000 + ["function=version"]))
    form = "application/x-www-form-urlencoded"
    assert parse_post(form, (numbered(1000) + "&function=version").encode())["function"] == "version"
    assert "function" not in parse_post(form, (numbered(1001) + "&function=version").encode())

    def multipart(count: int) -> bytes:
        fields = [f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                  for name, value in [(f"p{number}", "1") for number in range(count)] + [("function", "version")]]
        return ("".join(fields) + "--B--\r\n").encode()
    assert parse_multipart("multipart/form-data; boundary=B", multipart(999))["function"] == "version"
    assert "function" not in parse_multipart("multipart/form-data; boundary=B", multipart(1000))


def test_multipart_fields_are_named_as_php_names_them():
    body = (b'--b\r\nContent-Disposition: form-data; name="agent.user"\r\n\r\nvcrt1\r\n'
            b'--b\r\nContent-Disposition: form-data; name="x[]"\r\n\r\n1\r\n'
            b'--b\r\nContent-Disposition: form-data; name="v"\r\n\r\nfirst\r\n'
            b'--b\r\ncontent-disposition: FORM-DATA; NAME=v\r\n\r\nline one\r\nline two\r\n'
            b'--b\r\nContent-Disposition: form-data; name="up"; filename="a"\r\n\r\ndata\r\n--b--\r\n')
    params = parse_multipart("multipart/form-data; boundary=b", body)
    assert params["agent_user"] == "vcrt1" and isinstance(params["x"], PhpArray)
    assert params["v"] == "line one\r\nline two" and "up" not in params
    assert parse_multipart("multipart/form-data", body) == {}
    assert parse_post("Multipart/Form-Data; Boundary=b", body)["agent_user"] == "vcrt1"
    assert parse_post("application/x-www-form-urlencodedX", b"a=1") == {} == parse_post("", b"a=1")
    assert parse_post("application/x-www-form-urlencoded;charset=UTF-8", b"a=1") == {"a": "1"}


def test_the_curl_line_repeats_a_post_with_the_password_from_the_environment():
    request = Request("/agc/api.php", (("user", "u1"), ("pass", "s3cret-Pw"), ("function", "version")), "POST")
    assert request.target == "/agc/api.php" and request.payload == b"user=u1&pass=s3cret-Pw&function=version"
    line = Exchange(request, "http://h/agc/api.php").curl(Redactor({"s3cret-Pw"}))
    assert line == 'curl -sS -i -g --data-binary "user=u1&pass=${VICIDIAL_PASS}&function=version" ' \
                   '"http://h/agc/api.php"'
    raw = Request("/agc/api.php", (), "GET", "user[]=1&pass=s3cret-Pw")
    assert Exchange(raw, "http://h/agc/api.php?" + raw.query).curl(Redactor({"s3cret-Pw"})) == \
        'curl -sS -i -g "http://h/agc/api.php?user[]=1&pass=${VICIDIAL_PASS}"'
    typed = Request("/agc/api.php", (), "POST", None, b"a=1", "text/plain")
    assert Exchange(typed, "http://h/agc/api.php").curl(Redactor(set())) == \
        'curl -sS -i -g -H "Content-Type: text/plain" --data-binary "a=1" "http://h/agc/api.php"'
