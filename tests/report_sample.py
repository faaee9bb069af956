"""A report to triage: a few failures (one a multi-line export) among many passes, made by the plugin
against a target that bends a few answers."""

from __future__ import annotations

import shutil

from targets import MisbehavingHandler

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR

SPECS = ("agent_api/pause_code.yaml", "agent_api/recording.yaml", "non_agent_api/agent_stats_export.yaml")
BENT_EXPORT_CASE = "export_default"


def bend_a_few(request, answer):
    """A wrong word in pause_code BREAK answers, and one figure on line 3 of the default export."""
    if request.param("function") == "pause_code" and request.param("value") == "BREAK":
        answer.body = answer.body.replace("function sent", "function set")
    if request.param("function") == "agent_stats_export" and answer.body.count("\n") > 3 \
            and not request.param("stage") and request.param("time_format") in ("", None) \
            and request.param("file_download") in ("", None):
        lines = answer.body.split("\n")
        fields = lines[2].split("|")
        if len(fields) > 8:
            fields[7] = "9:99:99"
            lines[2] = "|".join(fields)
            answer.body = "\n".join(lines)
    return answer


def triage_report(pytester, httpserver, tmp_path, world):
    """Run the plugin over SPECS against the bent target; returns (pytester result, report folder)."""
    for spec in SPECS:
        shutil.copy(SPECS_DIR / spec, pytester.path / spec.split("/")[-1])
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", world, bend_a_few)
    for endpoint in ("/agc/api.php", "/vicidial/non_agent_api.php"):
        httpserver.expect_request(endpoint).respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-target", httpserver.url_for("/"),
                                "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-writes",
                                "--vicidial-report-dir", "out")
    return result, pytester.path / "out"
