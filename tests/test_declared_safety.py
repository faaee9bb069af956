"""Declared mode is safe by default: the cases that change a host are marked in the specs and
skipped unless --allow-writes; the cases that run do not depend on each other's order.

The suite runs through ``vicicert check`` against ``vicicert serve`` in a process of its own
(fresh for each test), shuffled by tests/shuffled_order.py with a different seed each time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from command import vicicert
from host_driver import free_port, serve_command, start_host, stop_host

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.execution import CaseSkipped, run_case
from conformance.redaction import Redactor
from conformance.rerun import node_command, vicicert_command
from conformance.run_order import writes_last
from conformance.spec import load_specs
from conformance.world import load_world

TESTS = Path(__file__).parent
SIGNAL = "the agent's recording signal (vicidial_live_agents.external_recording)"
PAUSE_CODE = "the agent's pause code (vicidial_live_agents.external_pause_code)"


def cases_by_id() -> dict:
    return {case.id: case for spec in load_specs(SPECS_DIR) for case in spec.cases}


def writing_ids(settings_too: bool = True) -> set[str]:
    """The cases that change an agent (and, unless settings_too is False, also those changing system settings,
    which declared mode skips for that reason first)."""
    return {case_id for case_id, case in cases_by_id().items()
            if case.writes and (settings_too or not case.mutates_settings)}


# -- the marker ----------------------------------------------------------------------------------

def test_what_each_case_changes_comes_from_its_answer_or_its_own_word():
    cases = cases_by_id()
    assert cases["agent_api::recording::start_idle"].writes == SIGNAL                  # the response `sent`
    assert cases["agent_api::recording::start_with_stage"].writes == SIGNAL            # inline, says so itself
    assert cases["agent_api::recording::stop_idle"].writes == ""                       # refused: nothing stored
    assert cases["agent_api::recording::status_stage_pending"].writes == ""            # inline, writes: false
    assert cases["agent_api::pause_code::value_length_6"].writes == PAUSE_CODE         # generated, within
    assert cases["agent_api::pause_code::value_length_7"].writes == ""                 # generated, refused
    assert cases["agent_api::preamble::function_name_is_filtered"].writes == PAUSE_CODE
    dial = "agent_api::external_dial::value_charset_{}".format   # outside samples with inline answers
    assert cases[dial("555_0120_1")].writes == cases["agent_api::external_dial::paused_dial"].writes  # the base's
    assert cases[dial("manualnext_4")].writes == ""                                    # its own writes: false
    # a Non-Agent case writes only where its answer reports the write (add_dnc_phone's SUCCESS, ...;
    # hopper_bulk_insert's after a NOTICE line per lead; update_lead's NOTICE of a hopper row, a
    # callback or custom data it stored, changed or removed, which it reports with no SUCCESS line;
    # copy_did's NO DIDS ADDED, after which it has logged the attempt in the admin log), or where PHP
    # died after a write (copy_user's user row stays when copying its ranks meets a duplicate key)
    non_agent_writes = [case for case_id, case in cases.items() if case_id.startswith("non_agent_api::") and case.writes
                        and case.reference.expected.status != 500]
    reported = re.compile(r"(^|\n)(SUCCESS: |NOTICE: update_lead (ADDED TO HOPPER|REMOVED FROM HOPPER|SCHEDULED CALLBACK "
                          r"(ADDED|UPDATED|DELETED)|CUSTOM FIELDS (DATA HAS BEEN DELETED|VALUES UPDATED)) - |"
                          r"ERROR: copy_did NO DIDS ADDED - )")
    assert non_agent_writes and all(case.reference.expected.body is not None
                                    and reported.search(case.reference.expected.body.source)
                                    for case in non_agent_writes)
    assert not cases["non_agent_api::add_dnc_phone::already_in_the_campaign"].writes
    assert cases["non_agent_api::copy_user::rank_rows_already_held"].writes
    # every request that can store a signal or a code is marked: START/STOP that the reference sends,
    # and every pause_code the reference accepts
    # every Agent API answer that reports something stored (a SUCCESS line) is marked; the only others
    # marked are generated cases with an inline answer, which take their base case's word (safe side)
    # (a Non-Agent SUCCESS need not: agent_ingroup_info's text stage reports and stores nothing)
    # (and a read-only Agent API function, one with no writing case, such as calls_in_queue_count,
    # answers SUCCESS with nothing stored)
    writing = {case_id for case_id in writing_ids(settings_too=True) if case_id.startswith("agent_api::")}
    storing = {case.function for case_id, case in cases.items() if case_id in writing}
    succeeding = {case_id for case_id, case in cases.items() if case_id.startswith("agent_api::")
                  and case.function in storing
                  and case.reference.expected.body is not None and "SUCCESS: " in case.reference.expected.body.source}
    assert {"st_get_agent_active_lead", "calls_in_queue_count"}.isdisjoint(storing) and "st_login_log" in storing
    assert succeeding <= writing and len(succeeding) > 80
    # some refusals come after a write upstream, and say so themselves: transfer_conference's tw_check
    # refuses once the multi-dial row is stored; the fronter functions find no fronter once the other
    # cluster they asked is logged (vicidial_url_log)
    refused_after_a_write = {"agent_api::transfer_conference::tw_check_after_multi_dial",
                             "agent_api::force_fronter_leave_3way::ccc_cluster_refuses",
                             "agent_api::force_fronter_audio_stop::ccc_cluster_refuses"}
    # and a HEAD runs the whole script but answers its headers alone, so it says so itself
    unsaid = {"agent_api::preamble::head_runs_the_script_and_answers_no_body"}
    # and audio_playback logs a soundboard's debug steps after a refusal that lets the script run on
    logged_with_a_refusal = {"agent_api::audio_playback::soundboard_logs_after_refusal"}
    assert refused_after_a_write <= writing and unsaid <= writing and logged_with_a_refusal <= writing
    assert all(cases[case_id].generated and cases[case_id].reference.label == "inline"
               for case_id in writing - succeeding - refused_after_a_write - unsaid - logged_with_a_refusal), \
        writing - succeeding


def test_a_write_case_is_skipped_in_declared_mode_with_its_reason():
    case = cases_by_id()["agent_api::recording::start_idle"]
    never_sent = "http://127.0.0.1:9"     # the skip comes before any request (nothing listens on port 9)
    from conformance.client import Target
    with pytest.raises(CaseSkipped) as skipped:
        run_case(case, Target(never_sent, timeout=1), load_world(EMBEDDED_WORLD), "reference", Redactor())
    assert str(skipped.value) == (f"changes {SIGNAL} on the host; declared mode changes nothing unless "
                                  "--allow-writes")


# -- the order with --allow-writes --------------------------------------------------------------

def test_writes_last_keeps_reads_as_they_come_and_orders_writes_by_file_and_position():
    items = [("b.yaml", 1, True), ("a.yaml", 9, False), ("a.yaml", 2, True), ("b.yaml", 0, False),
             ("a.yaml", 1, True)]
    ordered = writes_last(items, lambda item: (Path(item[0]), item[1]) if item[2] else None)
    assert ordered == [("a.yaml", 9, False), ("b.yaml", 0, False), ("a.yaml", 1, True), ("a.yaml", 2, True),
                       ("b.yaml", 1, True)]


def collected_order(seed: str, *options: str) -> list[str]:
    """The node ids in run order of a shuffled declared collection (nothing is sent)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "VICICERT_TEST_SHUFFLE_SEED": seed}
    done = subprocess.run([sys.executable, "-m", "pytest", str(SPECS_DIR), "-p", "shuffled_order",
                           "-p", "no:cacheprovider", "-p", "no:randomly", "--collect-only", "-q",
                           "--rootdir", str(SPECS_DIR), "--vicidial-target", "http://127.0.0.1:9",
                           "--vicidial-world", str(EMBEDDED_WORLD), *options],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if "::" in line]


def order_pinned() -> list[str]:
    """The node ids of the cases that change the host, in the specs' order (file by file, as written)."""
    return [f"{spec.path.relative_to(SPECS_DIR)}::{case.name}"
            for spec in load_specs(SPECS_DIR) for case in spec.cases if case.writes]


@pytest.mark.slow
def test_allow_writes_runs_every_write_after_every_read_in_the_specs_order_whatever_the_shuffle():
    by_node = {f"{case.path.relative_to(SPECS_DIR)}::{case.name}": case for case in cases_by_id().values()}
    written = order_pinned()
    shuffled = collected_order("1")
    assert [node for node in shuffled if by_node[node].writes] != written   # the shuffle does shuffle
    for seed in ("1", "2"):
        pinned = collected_order(seed, "--vicidial-allow-writes")
        assert sorted(pinned) == sorted(shuffled)
        assert pinned[-len(written):] == written
        assert not any(by_node[node].writes for node in pinned[:-len(written)])
    # the recording spec's order that its expected answers are written for (see its comment)
    recording = [node.split("::")[1] for node in written if node.startswith("agent_api/recording.yaml")]
    assert recording.index("stop_recording") < recording.index("start_while_recording") \
        < recording.index("stage_ignored_on_stop")


# -- the whole declared suite against `vicicert serve` ------------------------------------------

@pytest.fixture
def served(tmp_path):
    """A fresh ``vicicert serve`` in its own process; its base URL."""
    port = free_port()
    process = start_host(serve_command(tmp_path), port)
    yield f"http://127.0.0.1:{port}"
    stop_host(process)


def declared_run(target: str, world: Path, report_dir: Path, seed: str, *options: str):
    """``vicicert check`` in declared mode, shuffled with ``seed``; the result and report.json's cases.
    The order the cases ran in is in report_dir/order.txt."""
    report_dir.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "PYTEST_ADDOPTS": "-p shuffled_order -p no:randomly", "VICICERT_TEST_SHUFFLE_SEED": seed,
           "VICICERT_TEST_ORDER_FILE": str(report_dir / "order.txt")}
    done = vicicert("check", "--target", target, "--world", str(world), "--report-dir", str(report_dir), "-q",
                    *options, env=env, timeout=300)
    cases = json.loads((report_dir / "report.json").read_text())["cases"]
    return done, {case["id"]: case for case in cases}


def ran_order(report_dir: Path) -> list[str]:
    return (report_dir / "order.txt").read_text().splitlines()


def readme_world(folder: Path) -> Path:
    """The README's declared world (an API user and one paused agent), with the reference host's accounts."""
    world = load_world(EMBEDDED_WORLD)
    admin, agent = world.api_users["api_admin"], world.agents["agent_paused"]
    path = folder / "my-host.yaml"
    path.write_text("vicicert: world/1\napi_users:\n"
                    f"  api_admin: {{user: \"{admin['user']}\", pass: {admin['pass']}, user_group: ADMIN}}\n"
                    "agents:\n"
                    f"  agent_paused: {{user: \"{agent['user']}\", pass: {agent['pass']}, server_ip: "
                    f"{agent['server_ip']}, conf_exten: \"{agent['conf_exten']}\", status: PAUSED, "
                    f"custom_three: {agent['custom_three']}}}\n")
    return path


@pytest.mark.slow
def test_the_declared_suite_is_read_only_and_passes_twice_in_any_order(served, tmp_path):
    runs = [declared_run(served, EMBEDDED_WORLD, tmp_path / f"run{seed}", seed) for seed in ("11", "12")]
    orders = [ran_order(tmp_path / f"run{seed}") for seed in ("11", "12")]
    assert orders[0] != orders[1] and sorted(orders[0]) == sorted(orders[1])   # two orders, same cases
    for done, cases in runs:
        assert done.returncode == 0, done.stdout[-3000:]
        assert not [case_id for case_id, case in cases.items() if case["status"] == "failed"]
        skipped_writes = {case_id for case_id, case in cases.items()
                          if case["status"] == "skipped" and "unless --allow-writes" in case["skip_reason"]}
        assert skipped_writes == writing_ids(settings_too=False)
        assert sum(case["status"] == "passed" for case in cases.values()) >= 100
    assert runs[0][1]["agent_api::recording::start_idle"]["skip_reason"] == (
        f"changes {SIGNAL} on the host; declared mode changes nothing unless --allow-writes")
    # the README's world (one API user, one paused agent) still checks cases, on the same untouched host
    done, cases = declared_run(served, readme_world(tmp_path), tmp_path / "readme", "13")
    assert done.returncode == 0, done.stdout[-3000:]
    passed = {case_id for case_id, case in cases.items() if case["status"] == "passed"}
    assert {"agent_api::recording::status_idle", "agent_api::pause_code::ready_agent"} & passed
    assert len(passed) >= 40


@pytest.mark.slow
def test_allow_writes_passes_in_any_order_and_its_leftovers_are_caught(tmp_path):
    for seed in ("21", "22"):
        port = free_port()
        (tmp_path / seed).mkdir()
        host = start_host(serve_command(tmp_path / seed), port)
        try:
            target = f"http://127.0.0.1:{port}"
            done, cases = declared_run(target, EMBEDDED_WORLD, tmp_path / f"writes{seed}", seed, "--allow-writes")
            assert done.returncode == 0, done.stdout[-3000:]
            # a case needing a list's custom table is skipped in declared mode, writing or not
            custom = {case_id for case_id, case in cases_by_id().items() if case.custom_tables}
            assert {case_id for case_id, case in cases.items() if case["status"] == "passed"} \
                >= writing_ids(settings_too=False) - custom
            order = ran_order(tmp_path / f"writes{seed}")
            assert order[-len(writing_ids()):] == order_pinned()
            if seed == "21":
                # the signals stay on the host: a second run finds the agents changed, and says so
                again, cases = declared_run(target, EMBEDDED_WORLD, tmp_path / "again", "23")
                assert again.returncode == 1
                assert [case_id for case_id, case in cases.items() if case["status"] == "failed"]
        finally:
            stop_host(host)


# -- options --------------------------------------------------------------------------------------

def test_rerun_commands_keep_allow_writes():
    options = {"target": "http://10.0.0.5", "world": "my-host.yaml", "allow-writes": True}
    assert "--allow-writes" in vicicert_command(options, [], "recording and start_idle").split()
    assert "--vicidial-allow-writes" in node_command(options, SPECS_DIR / "agent_api/recording.yaml",
                                                     "start_idle").split()


def test_allow_writes_on_several_workers_is_refused(tmp_path):
    done = vicicert("check", "--target", "http://127.0.0.1:9", "--world", str(EMBEDDED_WORLD), "--allow-writes",
                    "--workers", "2", "--report-dir", str(tmp_path))
    assert done.returncode == 2
    assert "--allow-writes runs the cases that change the host in one pinned order, in one process: drop " \
           "--workers" in done.stderr
