"""A world of one's own: roles and rows added to the bundled world, named by one's own specs, and
written into a lab database by SQL fixture mode under the harness's ownership rules."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from command import vicicert

from conformance.bundle import EMBEDDED_WORLD
from conformance.errors import SpecError, WorldError
from conformance.host.server import EmbeddedHost
from conformance.spec import load_spec, load_specs
from conformance.sql_fixture import checksums
from conformance.tables.database import open_database
from conformance.world import load_world, world_to_write

_numbers = itertools.count(1)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "own-world"   # the README's example
OWN_WORLD = (EXAMPLE / "world.yaml").read_text(encoding="utf-8")
OWN_SPEC = (EXAMPLE / "specs" / "pause_on_break.yaml").read_text(encoding="utf-8")


def own_files(tmp_path, world: str = OWN_WORLD, spec: str = OWN_SPEC):
    """A spec folder of one's own and a world file beside it (not inside: one run reads it once)."""
    specs = tmp_path / "my-specs"
    specs.mkdir(exist_ok=True)
    (specs / "pause_on_break.yaml").write_text(spec, encoding="utf-8")
    world_file = tmp_path / "my-world.yaml"
    world_file.write_text(world, encoding="utf-8")
    return specs, world_file


@pytest.fixture
def lab(vicidial_mariadb):
    """A fresh lab database with a host's own rows, and the reference host serving it."""
    name = f"own{next(_numbers)}"
    vicidial_mariadb.admin(f"CREATE DATABASE {name}")
    url = vicidial_mariadb.url(name)
    database = open_database(url)
    for statement in (
            "INSERT INTO system_settings (version, db_schema_version, use_non_latin, vdc_agent_api_active) "
            "VALUES ('2.14b0.5', 1701, '0', '1')",
            "INSERT INTO servers (server_id, server_ip, active, active_asterisk_server, local_gmt) "
            "VALUES ('LAB1', '10.9.8.7', 'Y', 'Y', '-5.00')",
            "INSERT INTO vicidial_users (user, pass, full_name, user_level, user_group) "
            "VALUES ('6666', 'labAdmin1', 'Lab admin', 9, 'ADMIN')",
            "INSERT INTO vicidial_list (vendor_lead_code, list_id, phone_number) VALUES ('CRM-1', 101, '3125550100')"):
        database.write(statement)
    host = EmbeddedHost(url).start()
    yield url, host, database
    host.stop()


# -- the world: bundled underneath, one's own on top -----------------------------------------

def test_a_world_of_ones_own_goes_on_top_of_the_bundled_one(tmp_path):
    _, world_file = own_files(tmp_path)
    bundled, world = load_world(EMBEDDED_WORLD), world_to_write(world_file)
    assert world.files == (EMBEDDED_WORLD, world_file)
    assert set(world.agents) == {*bundled.agents, "agent_on_break"}
    assert set(world.api_users) == {*bundled.api_users, "api_qa_admin"}
    assert world.section("leads")[-1]["vendor_lead_code"] == "vcrtQA7701"
    assert world.where("leads", len(world.section("leads")) - 1) == (world_file, 26)
    assert world.where("agents", "agent_on_break") == (world_file, 15)


@pytest.mark.parametrize("change, line, message", [
    (("agent_on_break:", "agent_paused:"), 15, "role 'agent_paused' is the bundled world's (embedded.yaml)"),
    (('user: "vcrt7702"', 'user: "vcrt1001"'), 15, "role 'agent_on_break' has user 'vcrt1001', which role "
                                                    "'agent_paused' already has"),
    (("lead_id: 9007701", "lead_id: 9000201"), 26,
     f"leads row has lead_id 9000201, which the row at {EMBEDDED_WORLD}:{{lead_9000201}} has too"),
])
def test_what_would_replace_a_bundled_role_or_row_is_refused_at_its_line(tmp_path, change, line, message):
    _, world_file = own_files(tmp_path, OWN_WORLD.replace(*change))
    with pytest.raises(WorldError) as caught:
        world_to_write(world_file)
    assert (caught.value.path, caught.value.line) == (world_file, line)
    bundled = load_world(EMBEDDED_WORLD)
    leads = bundled.section("leads")
    first = next(index for index, row in enumerate(leads) if row["lead_id"] == 9000201)
    assert message.format(lead_9000201=bundled.where("leads", first)[1]) in caught.value.message


def test_specs_may_name_the_roles_of_ones_own_world(tmp_path):
    specs, world_file = own_files(tmp_path)
    [spec] = load_specs(specs, world_to_write(world_file))
    assert [(case.api_role, case.agent_role) for case in spec.cases] == [
        ("api_admin", "agent_on_break"), ("api_qa_admin", "agent_on_break")]


def test_an_unknown_role_says_where_roles_come_from(tmp_path):
    specs, world_file = own_files(tmp_path)
    spec = specs / "pause_on_break.yaml"
    with pytest.raises(SpecError) as bundled_only:
        load_spec(spec)
    error = bundled_only.value
    assert (error.path, error.line) == (spec, 26)
    assert f"agent role 'agent_on_break' is not in the embedded world (embedded.yaml; worlds read: " \
           f"{EMBEDDED_WORLD})" in error.message
    assert "roles come from the bundled world and from a world file of your own, given with --world FILE " \
           "(with --world-db, or on the embedded host)" in error.fix
    assert "add 'agent_on_break' under 'agents' there" in error.fix
    own_files(tmp_path, OWN_WORLD.replace("agent_on_break:", "agent_on_brake:"))
    with pytest.raises(SpecError) as with_own:
        load_spec(spec, world_to_write(world_file))
    assert f"is not in the worlds read ({EMBEDDED_WORLD}, the bundled world; {world_file} (--world))" \
        in with_own.value.message
    assert with_own.value.fix.startswith("did you mean 'agent_on_brake'? roles come from the bundled world")


def test_the_command_names_the_spec_line_and_the_worlds_read(tmp_path):
    specs, world_file = own_files(tmp_path, OWN_WORLD.replace("agent_on_break:", "agent_on_brake:"))
    result = vicicert("check", "--specs", str(specs), "--world", str(world_file), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{specs / 'pause_on_break.yaml'}:26: case 'our_agent_on_break': agent role 'agent_on_break' is not " \
           f"in the worlds read ({EMBEDDED_WORLD}, the bundled world; {world_file} (--world))" in result.stderr
    assert "fix: did you mean 'agent_on_brake'? roles come from the bundled world and from a world file of your " \
           "own, given with --world FILE" in result.stderr


def test_ones_own_world_passes_on_the_embedded_host(tmp_path):
    specs, world_file = own_files(tmp_path)
    result = vicicert("check", "--specs", str(specs), "--world", str(world_file), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout


# -- SQL fixture mode: provisioned, journalled, removed, checksums equal -----------------------

def test_ones_own_world_goes_into_a_lab_database_and_out_again(lab, tmp_path):
    url, host, database = lab
    specs, world_file = own_files(tmp_path)
    before = checksums(database)
    result = vicicert("check", "--specs", str(specs), "--world", str(world_file), "--target", host.base_url,
                      "--world-db", url, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout
    assert "harness rows removed, checksums equal to before the run" in result.stdout
    assert checksums(database) == before
    journal = (tmp_path / "reports/out/vicicert-journal.jsonl").read_text()
    assert "vcrt7702" in journal and "vcrtQA7701" in journal   # our agent and our lead went in, journalled
    assert "dbPass-test1" not in journal + result.stdout + result.stderr


@pytest.mark.parametrize("change, line, message", [
    (('user: "vcrt7702"', 'user: "qa7702"'), 15, "role 'agent_on_break' has user 'qa7702' outside the harness "
                                                 "namespace"),
    (("vendor_lead_code: vcrtQA7701", "vendor_lead_code: CRM-7701"), 26,
     "leads row with vendor_lead_code 'CRM-7701' is outside the harness namespace, so no cleanup could tell it "
     "from the host's own"),
])
def test_a_row_not_recognisably_the_harnesss_is_refused_before_anything_is_written(lab, tmp_path, change, line,
                                                                                   message):
    url, host, database = lab
    specs, world_file = own_files(tmp_path, OWN_WORLD.replace(*change))
    before = checksums(database)
    result = vicicert("check", "--specs", str(specs), "--world", str(world_file), "--target", host.base_url,
                      "--world-db", url, cwd=tmp_path, timeout=600)
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert f"{world_file}:{line}: {message}" in result.stdout + result.stderr
    assert checksums(database) == before


def test_a_host_that_fails_ones_own_cases_is_caught_and_still_left_as_found(lab, tmp_path):
    """The lab host has no active server, so it refuses every Agent API call: our own cases fail with
    the answer it gave, and the database is still left as found."""
    url, host, database = lab
    database.write("DELETE FROM servers")
    specs, world_file = own_files(tmp_path)
    before = checksums(database)
    result = vicicert("check", "--specs", str(specs), "--world", str(world_file), "--target", host.base_url,
                      "--world-db", url, cwd=tmp_path, timeout=600)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 failed" in result.stdout and "ERRSERVERS" in result.stdout
    assert "WrongEffect in vicidial_live_agents.external_pause_code" in result.stdout
    assert "harness rows removed, checksums equal to before the run" in result.stdout
    assert checksums(database) == before
