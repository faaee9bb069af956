"""Every loader refuses bad input in one clear message: the project's error type naming the
file, the right line and a fix, within a second; never another exception, a hang, or a
silent skip. The CLI turns each into exit 2 with no traceback.

The files are in tests/malformed/{spec,world,slo,expectations}/. Each says on its first line what it is
and what the loader must answer:  # WHAT -> line N: "MESSAGE FRAGMENT" fix: "FIX FRAGMENT"
(files in UTF-16 or behind a byte-order mark say it in their own encoding).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from command import vicicert

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.errors import SourceFileError, SpecError, WorldError
from conformance.expectations import MAX_EXPECTATIONS_BYTES, ExpectationsError, load_expectations
from conformance.spec import load_spec, load_specs, spec_files
from conformance.world import MAX_WORLD_BYTES, load_world
from conformance.yamlfile import KIB, MAX_SCALAR
from loadtests.slo import Slo

MALFORMED = Path(__file__).parent / "malformed"
LOADERS = {"spec": (load_spec, SpecError), "world": (load_world, WorldError), "slo": (Slo.from_file, SourceFileError),
           "expectations": (load_expectations, ExpectationsError)}
HEADER = re.compile(r'# (?P<what>.+?) -> line (?P<line>\d+|none): "(?P<message>[^"]+)" fix: "(?P<fix>[^"]+)"$')
SECOND = 1.0  # generous: these loads take milliseconds


def expectation(path: Path) -> re.Match:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data[1:2] == b"\x00":
        text = data.decode("utf-16-le")
    else:
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    found = HEADER.match(text.splitlines()[0])
    assert found, f"{path}: the first line must say what the file is and what the loader answers"
    return found


def refusal(kind: str, path: Path) -> tuple[SourceFileError, float]:
    """The loader's error for ``path`` and the seconds it took; any other outcome fails."""
    loader, error_type = LOADERS[kind]
    started = time.monotonic()
    try:
        loader(path)
    except error_type as error:
        return error, time.monotonic() - started
    except Exception as other:  # noqa: BLE001 - the point: nothing but the project's error
        pytest.fail(f"{path.name}: {type(other).__name__} instead of {error_type.__name__}: {other}")
    pytest.fail(f"{path.name} loaded without complaint")


FIXTURES = sorted((kind, path) for kind in LOADERS for path in (MALFORMED / kind).glob("*.yaml"))


def test_there_are_several_dozen_fixtures_for_each_loader():
    counts = {kind: sum(1 for k, _ in FIXTURES if k == kind) for kind in LOADERS}
    assert counts["spec"] >= 40 and counts["world"] >= 20 and counts["slo"] >= 20, counts
    assert counts["expectations"] >= 12, counts


@pytest.mark.parametrize("kind, path", FIXTURES, ids=[f"{kind}/{path.stem}" for kind, path in FIXTURES])
def test_a_malformed_file_is_refused_with_file_line_and_fix(kind, path):
    expected = expectation(path)
    error, seconds = refusal(kind, path)
    line = None if expected["line"] == "none" else int(expected["line"])
    assert error.path == path
    assert error.line == line, error.render()
    assert expected["message"] in error.message, error.render()
    assert expected["fix"] in error.fix, error.render()
    assert error.render().startswith(f"{path}:{line}: " if line else f"{path}: ")
    assert seconds < SECOND, f"{path.name} took {seconds:.2f} s"


# -- too big: generated here rather than kept as files --------------------------------------

CAPS = [("spec", 256 * KIB, "a spec file"), ("world", MAX_WORLD_BYTES, "a world file"),
        ("slo", 64 * KIB, "an SLO file"), ("expectations", MAX_EXPECTATIONS_BYTES, "an expectation file")]


@pytest.mark.parametrize("kind, cap, what", CAPS, ids=[kind for kind, _, _ in CAPS])
def test_a_file_over_its_size_cap_is_refused_before_parsing(tmp_path, kind, cap, what):
    path = tmp_path / f"{kind}.yaml"
    path.write_text("# padding\n" * (cap // 10 + 1))
    error, seconds = refusal(kind, path)
    assert error.line is None and f"larger than {cap // KIB} KiB, the most {what} may hold" in error.message
    assert "right file" in error.fix and seconds < SECOND


def test_a_ten_megabyte_string_is_refused_in_well_under_a_second(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("vicicert: spec/1\nsummary: \"" + "x" * 10_000_000 + "\"\n")
    error, seconds = refusal("spec", path)
    assert "larger than 256 KiB" in error.message and seconds < SECOND


def test_a_scalar_over_its_cap_is_refused_with_its_line(tmp_path):
    path = tmp_path / "world.yaml"
    path.write_text(f"vicicert: world/1\ndescription: long\nsettings:\n  note: {'y' * (MAX_SCALAR + 1)}\n")
    error, seconds = refusal("world", path)
    assert error.line == 4 and f"a value of {MAX_SCALAR + 1:,} characters" in error.message
    assert "shorten it" in error.fix and seconds < SECOND


# -- what must still load -------------------------------------------------------------------

def test_the_bundled_specs_worlds_and_slo_example_still_load():
    # Every spec file of the API folders loads, whatever functions have been added since.
    spec_files = sorted(SPECS_DIR.glob("*_api/*.yaml"))
    assert len(spec_files) >= 8
    assert sorted(spec.path.name for spec in load_specs(SPECS_DIR)) == sorted(path.name for path in spec_files)
    assert "api_admin" in load_world(EMBEDDED_WORLD).api_users
    assert Slo.from_file(Path(__file__).parents[1] / "loadtests" / "slo-example.yaml").min_rps == 50


@pytest.mark.slow  # builds the largest load world
def test_the_largest_load_world_fits_the_world_cap(tmp_path):
    from loadtests.agents import MAX_LOAD_AGENTS, signals_world, write_world
    path = write_world(signals_world(MAX_LOAD_AGENTS), tmp_path / "world.yaml")
    assert path.stat().st_size < MAX_WORLD_BYTES * 0.75, path.stat().st_size  # room for longer names


def test_a_load_run_over_the_agent_limit_is_a_usage_error(tmp_path):
    from loadtests.agents import MAX_LOAD_AGENTS
    result = vicicert("load", "recording", "--agents", str(MAX_LOAD_AGENTS + 1), "--seconds", "1",
                      "--report-dir", str(tmp_path), timeout=60)
    assert result.returncode == 2 and f"at most {MAX_LOAD_AGENTS:,}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# -- the spec folder: every YAML file is a spec or a world ---------------------------------

def spec_folder(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "specs"
    (folder / "worlds").mkdir(parents=True)
    (folder / "ok.yaml").write_bytes((SPECS_DIR / "agent_api" / "pause_code.yaml").read_bytes())
    (folder / "worlds" / "lab.yaml").write_bytes(EMBEDDED_WORLD.read_bytes())
    (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize("content, line, message, fix", [
    (b"# my notes\njust: notes\n", 2, "is neither a spec nor a world", "start it with the line 'vicicert: spec/1'"),
    (b"vicicert: spec/2\napi: agent_api\n", 1, "declares vicicert: spec/2, which this version does not read",
     "'vicicert: spec/1'"),
    (b"", None, "is neither a spec nor a world", "or move it out of the folder"),
])
def test_a_stray_yaml_file_in_the_spec_folder_is_an_error_not_a_skip(tmp_path, content, line, message, fix):
    folder = spec_folder(tmp_path, "stray.yaml", content)
    with pytest.raises(SpecError) as caught:
        spec_files(folder)
    assert caught.value.path == folder / "stray.yaml" and caught.value.line == line
    assert message in caught.value.message and fix in caught.value.fix


@pytest.mark.parametrize("name", ["bom_utf8", "utf16_with_bom"])
def test_a_spec_behind_a_byte_order_mark_is_collected_and_refused(tmp_path, name):
    folder = spec_folder(tmp_path, "marked.yaml", (MALFORMED / "spec" / f"{name}.yaml").read_bytes())
    assert folder / "marked.yaml" in spec_files(folder)
    with pytest.raises(SpecError, match="byte-order mark"):
        load_specs(folder)


def test_hidden_folders_and_worlds_are_not_specs(tmp_path):
    folder = spec_folder(tmp_path, "another_world.yaml", b"# a second world\nvicicert: world/1\n")
    (folder / ".github").mkdir()
    (folder / ".github" / "ci.yml").write_text("on: push\n")
    assert spec_files(folder) == [folder / "ok.yaml"]


def test_the_plugin_reports_a_spec_behind_a_byte_order_mark_instead_of_skipping_it(pytester):
    (pytester.path / "marked.yaml").write_bytes((MALFORMED / "spec" / "bom_utf8.yaml").read_bytes())
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error
    result.stdout.fnmatch_lines(["*marked.yaml:1: the file starts with a UTF-8 byte-order mark*",
                                 "*fix: remove the byte-order mark*"])


# -- the command line: exit 2, the message, no traceback -------------------------------------

@pytest.mark.parametrize("args, where, message", [
    (["check", "--specs", str(MALFORMED / "spec" / "bom_utf8.yaml")], "bom_utf8.yaml:1", "remove the byte-order mark"),
    (["check", "--specs", str(MALFORMED / "spec" / "deep_flow_sequence.yaml")], "deep_flow_sequence.yaml:26",
     "nested more than 64 levels"),
    (["check", "--specs", str(MALFORMED / "spec" / "unknown_agent_role.yaml")], "unknown_agent_role.yaml:25",
     "agent role 'agent_flying' is not in the embedded world"),
    (["check", "--world", str(MALFORMED / "world" / "alias_bomb.yaml")], "alias_bomb.yaml:7", "anchor &a"),
    (["serve", "--world", str(MALFORMED / "world" / "nul_byte.yaml")], "nul_byte.yaml:11", "a NUL byte"),
    (["load", "recording", "--agents", "2", "--seconds", "1", "--slo-file", str(MALFORMED / "slo" / "nan.yaml")],
     "nan.yaml:2", "p95_ms is milliseconds, not nan"),
    (["check", "-k", "pause_code", "--expectations", str(MALFORMED / "expectations" / "nul_byte.yaml")],
     "nul_byte.yaml:4", "a NUL byte in column 64"),
    (["load", "stats", "--seconds", "1", "--slo-file", str(MALFORMED / "slo" / "complex_key.yaml")],
     "complex_key.yaml:3", "a mapping key is a list or a mapping"),
])
def test_the_cli_exits_2_with_the_message_and_no_traceback(tmp_path, args, where, message):
    extra = ["--report-dir", str(tmp_path / "reports")] if args[0] in ("check", "load") else []
    result = vicicert(*args, *extra, cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    assert where in result.stderr and message in result.stderr and "fix: " in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
