"""The HTML report in a real browser (headless Chromium): failures show first, without scrolling
past passes, and the inline filters work. Skipped where Chromium is absent, unless
VICICERT_REQUIRE_CHROMIUM=1 (CI installs Debian's chromium)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from report_sample import triage_report

WINDOW = (1280, 800)
# Runs after the report's own script: where each case lies, then what each filter leaves visible.
PROBE = """<script>
(function () {
  function shown(status) {
    return Array.prototype.filter.call(document.querySelectorAll('.case[data-status=' + status + ']'),
      function (s) { return s.offsetParent !== null; }).length;
  }
  var tops = {failed: [], passed: [], skipped: []};
  document.querySelectorAll('.case').forEach(function (s) {
    tops[s.dataset.status].push(s.getBoundingClientRect().top + window.scrollY);
  });
  var probe = {height: window.innerHeight, tops: tops, all: {failed: shown('failed'), passed: shown('passed')}};
  var passed = document.querySelector('.status-filter[value=passed]');
  passed.checked = false; passed.dispatchEvent(new Event('change'));
  probe.without_passed = {failed: shown('failed'), passed: shown('passed')};
  passed.checked = true; passed.dispatchEvent(new Event('change'));
  var fn = document.getElementById('function-filter');
  fn.value = 'agent_api::recording'; fn.dispatchEvent(new Event('change'));
  probe.recording_only = {failed: shown('failed'), passed: shown('passed')};
  fn.value = ''; fn.dispatchEvent(new Event('change'));
  var search = document.getElementById('search');
  search.value = 'EXPORT_DEFAULT'; search.dispatchEvent(new Event('input'));
  probe.search = {failed: shown('failed'), passed: shown('passed'), label: document.getElementById('shown').textContent};
  var out = document.createElement('pre'); out.id = 'probe'; out.textContent = JSON.stringify(probe);
  document.body.appendChild(out);
})();
</script>
"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("VICICERT_REQUIRE_CHROMIUM") == "1":
        pytest.fail("VICICERT_REQUIRE_CHROMIUM=1 but chromium is not installed (apt-get install -y chromium)")
    pytest.skip("Chromium is not installed here (CI installs it: apt-get install -y chromium)")


@pytest.mark.slow
def test_failures_are_visible_first_and_filters_work(pytester, httpserver, tmp_path, vicidial_world):
    browser = chromium()
    result, folder = triage_report(pytester, httpserver, tmp_path, vicidial_world)
    document = json.loads((folder / "report.json").read_text())
    page = folder / "probed.html"
    page.write_text((folder / "report.html").read_text().replace("</body>", PROBE + "</body>"))
    dumped = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         f"--window-size={WINDOW[0]},{WINDOW[1]}", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dumped.stdout, re.S)
    assert found, dumped.stderr[-2000:]
    probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    failed, passed = probe["tops"]["failed"], probe["tops"]["passed"]
    totals = document["totals"]
    assert len(failed) == totals["failed"] >= 3 and len(passed) == totals["passed"] > 50
    assert min(failed) < probe["height"]            # the first failure is on the first screen
    assert max(failed) < min(passed)                # every failure above every pass
    assert probe["all"] == {"failed": totals["failed"], "passed": totals["passed"]}
    assert probe["without_passed"] == {"failed": totals["failed"], "passed": 0}
    recording = [case for case in document["cases"] if case["function"] == "recording" and case["status"] == "passed"]
    assert probe["recording_only"] == {"failed": 0, "passed": len(recording)}
    assert probe["search"] == {"failed": 1, "passed": 0, "label": "1 shown"}
