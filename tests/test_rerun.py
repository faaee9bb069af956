"""The rerun lines printed under a failure select exactly that case again, run as printed."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest
from command import vicicert
from targets import MisbehavingHandler

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR

PAUSE_CODE = SPECS_DIR / "agent_api" / "pause_code.yaml"


def broken(request, answer):
    answer.body += "!"
    return answer


def rerun_lines(output: str) -> dict[str, list[list[str]]]:
    """The printed rerun commands, split as the shell would, by the program they start."""
    commands: dict[str, list[list[str]]] = {"vicicert": [], "pytest": []}
    for line in output.splitlines():
        if line.startswith("rerun: "):
            words = shlex.split(line[len("rerun: "):])
            commands[words[0]].append(words[1:])
    return commands


def collected(pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
                                "-p", "no:xdist", *args)   # plugins the check does not need load slowly
    return [line for line in result.stdout.lines if "::" in line]


@pytest.mark.slow  # whole vicicert processes
def test_every_failure_prints_commands_that_select_it_alone(pytester, httpserver, tmp_path, vicidial_world,
                                                            monkeypatch):
    """Names that contain one another (alt_user_not_found, alt_user_not_found_agent_user_logged_in) included.

    In a CI environment too, where pytest would otherwise repeat each failure in the short summary.
    """
    monkeypatch.setenv("CI", "true")
    (pytester.path / "pause_code.yaml").write_text(PAUSE_CODE.read_text())
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, broken)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-target", httpserver.url_for("/"),
                                "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-writes")
    commands = rerun_lines(result.stdout.str())
    failed = result.parseoutcomes()["failed"]
    assert failed >= 25 and len(commands["vicicert"]) == len(commands["pytest"]) == failed
    names = [words[words.index("-k") + 1] for words in commands["vicicert"]]
    nested = [expression for expression in names if "not (" in expression]
    assert any("alt_user_not_found_agent_user_logged_in" in expression for expression in nested)
    for words in commands["vicicert"]:
        assert words[:3] == ["check", "--specs", "pause_code.yaml"] and "--target" in words and "--world" in words
        assert "--allow-writes" in words     # the run's own options, so the case runs again as it did
        expression = words[words.index("-k") + 1]
        case = expression.split(" and ")[1]
        assert collected(pytester, "-k", expression) == [f"pause_code.yaml::{case}"], expression
    for words in commands["pytest"][:3]:
        assert words[1:] == ["--vicidial-target", httpserver.url_for("/"), "--vicidial-world", str(EMBEDDED_WORLD),
                             "--vicidial-allow-writes"]
        [line] = collected(pytester, *words)   # rootdir moves with the world's path; the case does not
        assert line.endswith("::" + words[0].split("::")[1])


@pytest.mark.slow
def test_the_cli_rerun_lines_run_that_one_case(tmp_path):
    """`vicicert check` prints both lines; each, run as printed from the same folder, runs that case alone."""
    first = vicicert("check", "--contract", "documented", "-k", "paused_agent_break", cwd=tmp_path,
                     env={**os.environ, "CI": "true"})
    assert first.returncode == 1, first.stdout[-2000:] + first.stderr
    commands = rerun_lines(first.stdout)
    [again], [node] = commands["vicicert"], commands["pytest"]
    assert again == ["check", "--contract", "documented", "-k", "pause_code and paused_agent_break"]
    assert node[0].endswith("agent_api/pause_code.yaml::paused_agent_break")
    rerun = vicicert(*again, "--report-dir", "again", cwd=tmp_path)
    assert rerun.returncode == 1
    report = json.loads((tmp_path / "again" / "report.json").read_text())
    assert [case["id"] for case in report["cases"]] == ["agent_api::pause_code::paused_agent_break"]
    by_pytest = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *node], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
    assert by_pytest.returncode == 1
    assert by_pytest.stdout.count("PASSED") + by_pytest.stdout.count("FAILED") <= 1
    assert "1 failed in" in by_pytest.stdout and " passed" not in by_pytest.stdout.splitlines()[-1]


@pytest.mark.slow  # whole vicicert processes
def test_the_readme_keyword_selects_one_function(tmp_path):
    """README: `vicicert check -k pause_code` runs the pause_code cases and nothing else."""
    result = vicicert("check", "-q", "-k", "pause_code", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    report = json.loads((tmp_path / "reports/out/report.json").read_text())
    assert {case["function"] for case in report["cases"]} == {"pause_code"}
    assert report["totals"]["cases"] == len(list(__import__("conformance.spec", fromlist=["load_spec"])
                                                .load_spec(PAUSE_CODE).cases))


def test_workers_without_xdist_is_one_message(capsys, tmp_path, monkeypatch):
    import importlib.util

    from conformance import cli
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "xdist" else real(name, *a))
    assert cli.main(["check", "--workers", "2", "--report-dir", str(tmp_path)]) == 2
    assert "--workers needs pytest-xdist, which is not installed: pip install pytest-xdist" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--target", "http://127.0.0.1:9", "--world-db", "mysql://u:p@h/asterisk"], "--world-db (SQL fixture mode) runs in one process"),
    (["--host-db", "x.sqlite"], "--host-db would be shared by every worker"),
])
def test_workers_refuse_what_one_process_must_do(argv, message, capsys, tmp_path):
    from conformance import cli
    assert cli.main(["check", "--workers", "2", "--report-dir", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_cli_workers_write_one_whole_report(tmp_path):
    selection = ("-k", "pause_code or recording")
    listed = vicicert("check", "-q", *selection, "--collect-only", cwd=tmp_path)
    cases = [line for line in listed.stdout.splitlines() if "::" in line]
    assert len(cases) > 60, listed.stdout[-2000:]
    result = vicicert("check", "-q", "--workers", "2", *selection, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    report = json.loads((tmp_path / "reports/out/report.json").read_text())
    assert report["totals"]["cases"] == report["totals"]["passed"] == len(cases)
    assert result.stdout.count("vicicert summary") == 1
