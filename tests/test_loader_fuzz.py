"""Property tests over the four loaders (spec, world, SLO, expectations): whatever the bytes, the answer is
a valid result or the project's error naming the file, a line inside it and a fix, and it
comes within a time bound. Never another exception, never a hang.

Inputs are the shipped files, mutated: bytes inserted, deleted, replaced or lines doubled
(the inserted pieces favour what breaks YAML loaders: NUL, byte-order marks, brackets,
anchors, tags, complex keys), or a random value from a strategy put in place of a random
node of the parsed file. Seeds are fixed (derandomize) so CI sees the same examples.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.errors import SourceFileError, SpecError, WorldError
from conformance.expectations import Expectations, ExpectationsError, load_expectations
from conformance.spec import Spec, load_spec
from conformance.world import World, load_world
from loadtests.slo import Slo

EXPECTATIONS_SEED = b"""vicicert: expectations/1
description: what a lab host is known to do
cases:
  agent_api::pause_code::ready_agent: {expect: fail, reason: "echoes the API user", link: "https://example.org/1"}
  agent_api::recording::status_idle:
    expect: flaky
    reason: a slow disk
  non_agent_api::preamble::teapot: {expect: skip}
"""
SEEDS = {  # the bytes of each loader's valid inputs
    "spec": [(SPECS_DIR / "agent_api" / "pause_code.yaml").read_bytes(),
             (SPECS_DIR / "non_agent_api" / "preamble.yaml").read_bytes()],
    "world": [EMBEDDED_WORLD.read_bytes()],
    "slo": [(Path(__file__).parents[1] / "loadtests" / "slo-example.yaml").read_bytes()],
    "expectations": [EXPECTATIONS_SEED],
}
LOADERS = {"spec": (load_spec, Spec, SpecError), "world": (load_world, World, WorldError),
           "slo": (Slo.from_file, Slo, SourceFileError),
           "expectations": (load_expectations, Expectations, ExpectationsError)}
BOUND = 3.0  # CPU seconds; these loads take milliseconds, the bound only catches a hang or a blow-up
# (CPU time, not wall time: a busy machine stretches the wall clock, not the work a load does)
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PIECES = [b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\x07", b"\x1b", b"\xe2\x80\xa8", b"\t", b"\n", b"\r",
          b" ", b"    ", b":", b": ", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"!!str ", b"!x ",
          b"!!python/object:os.system ", b"? ", b"? [a, b]\n: ", b'"', b"'", b"#", b"|\n", b">-\n", b"~", b"null",
          b"yes", b"on: ", b"1: ", b".nan", b".inf", b"-1", b"{a: 1}", b"[1, 2]", b"<<: ", b"---\n", b"...\n",
          b"%YAML 1.1\n", b"\\", b"{{", b"}", b"[" * 80, b"{a: " * 70]
EDITS = st.tuples(st.sampled_from(["insert", "delete", "replace", "double"]), st.floats(0, 1),
                  st.one_of(st.sampled_from(PIECES), st.binary(min_size=1, max_size=6)), st.integers(1, 60))

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["sane", "success", "api_admin", "agent_paused", "docs",
                                                           "{agent_user}", "{role.nobody.user}", "{", "a-z", "z-a"]))
KEYS = st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(
    ["name", "why", "expect", "reference", "rule", "length", "min", "max", "charset", "enum", "base", "sample",
     "outside_samples", "source", "world", "api", "agent", "request", "user", "pass", "pass_env", "settings",
     "p95_ms", "min_rps", "body", "status", "documented", "constraints"]), st.integers(0, 3), st.booleans())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)


def mutated(data: bytes, edits) -> bytes:
    for kind, where, piece, length in edits:
        at = int(where * len(data))
        if kind == "insert":
            data = data[:at] + piece + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + length:]
        elif kind == "replace":
            data = data[:at] + piece + data[at + len(piece):]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = data[start:end + 1 if end >= 0 else len(data)]
            data = data[:start] + line + line + data[start + len(line):]
    return data


def replaced(document, path: list[float], value):
    """``document`` with the node ``path`` leads to (each step a fraction choosing a child) set to ``value``."""
    if not path or not isinstance(document, (dict, list)) or not document:
        return value
    if isinstance(document, dict):
        keys = list(document)
        key = keys[min(int(path[0] * len(keys)), len(keys) - 1)]
        return {**document, key: replaced(document[key], path[1:], value)}
    index = min(int(path[0] * len(document)), len(document) - 1)
    return [*document[:index], replaced(document[index], path[1:], value), *document[index + 1:]]


def assert_clear_or_valid(kind: str, path: Path, data: bytes) -> None:
    loader, result_type, error_type = LOADERS[kind]
    path.write_bytes(data)
    started = time.process_time()
    try:
        result = loader(path)
    except error_type as error:
        lines = len(data.splitlines()) + 1
        assert error.path == path, error.render()
        assert error.line is not None and 1 <= error.line <= lines, error.render()
        assert error.message and error.fix, error.render()
    except Exception as other:  # noqa: BLE001 - the property: nothing but the project's error
        pytest.fail(f"{type(other).__name__} instead of {error_type.__name__}: {other}\n--- input:\n{data[:2000]!r}")
    else:
        assert isinstance(result, result_type)
    seconds = time.process_time() - started
    assert seconds < BOUND, f"{seconds:.1f} s for {len(data)} bytes"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


# The quick loop fuzzes the small files; the world (55 ms a load) and the spec's random values
# (40 ms an example) take 6 to 8 seconds each and run with the whole suite.
@pytest.mark.parametrize("kind", [pytest.param(kind, marks=pytest.mark.slow) if kind == "world" else kind
                                  for kind in LOADERS])
@FUZZ
@given(data=st.data())
def test_mutated_bytes_give_a_clear_error_or_a_valid_result(scratch, kind, data):
    seed = data.draw(st.sampled_from(SEEDS[kind]), label="seed")
    edits = data.draw(st.lists(EDITS, min_size=1, max_size=4), label="edits")
    assert_clear_or_valid(kind, scratch / f"{kind}.yaml", mutated(seed, edits))


@pytest.mark.parametrize("kind", [pytest.param(kind, marks=pytest.mark.slow) if kind == "spec" else kind
                                  for kind in LOADERS if kind != "world"])
@FUZZ
@given(data=st.data())
def test_a_random_value_anywhere_gives_a_clear_error_or_a_valid_result(scratch, kind, data):
    random_value_anywhere(scratch, kind, data)


@pytest.mark.slow  # the whole world, dumped and loaded per example: a third of a second each
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_a_random_value_anywhere_in_the_world_gives_a_clear_error_or_a_valid_result(scratch, data):
    random_value_anywhere(scratch, "world", data)


def random_value_anywhere(scratch, kind, data):
    """One of ``kind``'s seeds with a random value put at a random place, dumped in a random YAML style."""
    seed = data.draw(st.sampled_from(SEEDS[kind]), label="seed")
    document = yaml.safe_load(seed.decode("utf-8"))
    where = data.draw(st.lists(st.floats(0, 1, exclude_max=True), max_size=7), label="where")
    value = data.draw(VALUES, label="value")
    text = yaml.safe_dump(replaced(document, where, value), sort_keys=False, allow_unicode=True,
                          default_flow_style=data.draw(st.sampled_from([False, None, True]), label="flow"))
    assert_clear_or_valid(kind, scratch / f"{kind}.yaml", text.encode("utf-8"))
