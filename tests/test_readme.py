"""The README is true line by line: every command in its ``sh`` blocks runs here, at a small size where
it names a large one, with loopback stand-ins for the hosts and databases it names."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from locust_web import start_run_in_web_ui
from mariadb import add_install_rows

from conformance.commands.load import SLO_OPTIONS
from conformance.tables.database import open_database
from loadtests.locust_process import free_port, wait_until_up

CHECKOUT = Path(__file__).resolve().parent.parent
# A large size in the README, and the small one run here.
SMALLER = [("--agents 1000", "--agents 20"), ("--arrival-rate 500", "--arrival-rate 40"),
           ("--steps 10,20,40,80,160", "--steps 2,4"), ("--windows 10000,100000,1000000,10000000", "--windows 2000,20000"),
           ("--rows 10000000", "--rows 20000"), ("--rows 2000000", "--rows 20000"), ("--rows 1000000", "--rows 20000"),
           ("--rows 3000000", "--rows 20000"), ("--windows 10000,100000,1000000,3000000", "--windows 2000,20000"),
           ("--agents 200", "--agents 10"), ("--agents 100 --users 20", "--agents 10 --users 4"),
           ("world_reset.py --rows 1000 --cases 100", "world_reset.py --rows 50 --cases 3"),
           ("--agents 10000", "--agents 20"), ("--expect-workers 4", "--expect-workers 2")]
MASTER_ADDRESS = "10.0.0.20"   # the README's master machine, here 127.0.0.1
SECONDS = re.compile(r"--seconds \d+")
# Commands judged by an SLO (any of the load command's own SLO options) may exit 1 on a slow machine;
# they must still have run (exit 2 never).
SLO_GATED = tuple(flag for flag, _ in SLO_OPTIONS)


def readme_commands() -> list[str]:
    """Every command line of the README's ``sh`` blocks, comments and ``export`` lines left out."""
    blocks = re.findall(r"```sh\n(.*?)```", (CHECKOUT / "README.md").read_text(), re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "export "))]


def test_the_readme_opens_with_the_two_commands():
    first, second = readme_commands()[:2]
    assert first.startswith("python3 -m venv .venv") and first.endswith(".venv/bin/vicicert check")
    assert second.startswith("python3 -m venv .venv")
    assert second.endswith(".venv/bin/python -m pytest -n 2 --dist loadfile")
    ci = (CHECKOUT / ".ci" / "run").read_text()
    assert second in ci, "CI must run exactly the README's test command"


@pytest.fixture(scope="module")
def stage(tmp_path_factory, vicidial_mariadb, vicidial_world):
    """A folder laid out like the checkout (``.venv`` is this interpreter's), the hosts the README names
    served on loopback, and the environment its commands expect."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / ".venv").symlink_to(Path(sys.prefix))
    for name in ("specs", "loadtests", "benchmarks", "examples"):
        (folder / name).symlink_to(CHECKOUT / name)
    hosts, processes = {}, []
    # the declared host (my-host.yaml) and the lab host whose database the fixtures write into
    lab_url = vicidial_mariadb.url("readme_lab")
    vicidial_mariadb.admin("CREATE DATABASE IF NOT EXISTS readme_lab")
    lab = open_database(lab_url)  # upstream's tables, as a VICIdial install has them, with its settings and server
    lab.write("INSERT INTO system_settings (version, use_non_latin, vdc_agent_api_active) VALUES ('2.14b0.5', '0', '1')")
    lab.write("INSERT INTO servers (server_id, server_ip, active, active_asterisk_server) "
              "VALUES ('LAB1', '10.9.8.7', 'Y', 'Y')")
    add_install_rows(lab)
    for name, database in (("declared", str(folder / "declared.sqlite")), ("lab", lab_url)):
        port = free_port()
        arguments = ["--db", database] + (["--keep-data"] if name == "lab" else [])
        process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "--port", str(port), *arguments],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        processes.append(process)
        wait_until_up(f"http://127.0.0.1:{port}", process)
        hosts[name] = f"http://127.0.0.1:{port}"
    # my-host.yaml as the README shows it, naming the served world's API user and paused agent
    block = re.search(r"```yaml\n(# my-host.yaml\n.*?)```", (CHECKOUT / "README.md").read_text(), re.S).group(1)
    declared = yaml.safe_load(block)
    admin, paused = vicidial_world.api_users["api_admin"], vicidial_world.agents["agent_paused"]
    declared["api_users"]["api_admin"]["user"] = admin["user"]
    declared["agents"]["agent_paused"].update({key: paused[key] for key in ("user", "server_ip", "conf_exten")})
    (folder / "my-host.yaml").write_text(yaml.safe_dump(declared))
    environment = {**os.environ, "VICIDIAL_PASS": admin["pass"], "VICIDIAL_WORLD_DB": lab_url}
    yield folder, hosts, environment, vicidial_mariadb
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


def _small(command: str, hosts: dict[str, str], mariadb) -> str:
    for large, small in SMALLER:
        command = command.replace(large, small)
    command = SECONDS.sub("--seconds 4", command)
    if " load " in command and "--seconds" not in command and " --worker " not in command:
        command += " --seconds 4"   # the default run time (60 s) is a large size too
    if " check " in command and ("--world-db" in command and "--certificate" in command or "--workers" in command):
        # whole suites: over SQL fixtures, the lab check before this one (and test_sql_fixture's); on two
        # workers, test_certificate's (the same certificate as one process)
        command += ' -k "pause_code or recording"'
    command = command.replace("http://vicidial.lab.example", hosts["declared"]).replace("http://10.0.0.5", hosts["lab"])
    command = command.replace("mysql://vicicert:...@127.0.0.1:3306/vicicert_host", mariadb.url("readme_serve"))
    if "benchmarks/load_rate.py" in command:
        command += " --seconds 2 --users 4 --pairs 1 --only verify"
    if "benchmarks/remote_workers.py" in command:
        command = command.replace("--agents 200 --seconds 10 --pairs 2", "--agents 10 --seconds 2 --pairs 1")
    if "benchmarks/agent_stats_export.py" in command:
        command += " --workdir bench-data"
    return command


def _serve(command: str, folder: Path, environment: dict) -> int:
    """``vicicert serve`` runs until Ctrl-C: answer one request, then stop it as a user would."""
    port = free_port()
    process = subprocess.Popen(["bash", "-c", command.replace("--port 8080", f"--port {port}")], cwd=folder,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.communicate(timeout=60)
    return process.returncode


def _web(command: str, folder: Path, environment: dict) -> int:
    """``vicicert load ... --web`` waits for a run started in Locust's UI: start one there, as a user would."""
    port = free_port()
    process = subprocess.Popen(["bash", "-c", command.replace("--web", f"--web {port}")], cwd=folder,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        start_run_in_web_ui(f"http://127.0.0.1:{port}", process, users=4, run_time="3s")
        process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return process.returncode


def _cluster(master_command: str, folder: Path, environment: dict) -> int:
    """The README's master command on loopback, with its worker command started as often as it expects."""
    port = free_port()
    master_command = master_command.replace(f"{MASTER_ADDRESS}:5557", f"127.0.0.1:{port}")
    worker_command = next(line for line in readme_commands() if " --worker " in line)
    worker_command = worker_command.replace(MASTER_ADDRESS, "127.0.0.1").replace("5557", str(port))
    count = int(re.search(r"--expect-workers (\d+)", master_command).group(1))
    master = subprocess.Popen(["bash", "-c", master_command], cwd=folder, env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers = []
    try:
        workers = [subprocess.Popen(["bash", "-c", worker_command], cwd=folder, env=environment,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True) for _ in range(count)]
        out, err = master.communicate(timeout=600)
        assert "Traceback" not in out + err and master.returncode in (0, 1), out[-3000:] + err[-3000:]
        assert all(worker.wait(timeout=120) == 0 for worker in workers)
    finally:
        for process in [master, *workers]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return master.returncode


@pytest.mark.slow
@pytest.mark.parametrize("command", readme_commands()[2:])
def test_a_readme_command_runs(command, stage):
    folder, hosts, environment, mariadb = stage
    if "vicicert_host" in command:
        mariadb.admin("CREATE DATABASE IF NOT EXISTS readme_serve")
    small = _small(command, hosts, mariadb)
    if " serve " in f"{small} ":
        assert _serve(small, folder, environment) == 130      # stopped by Ctrl-C, as every command exits then
        return
    if " --web" in small:
        assert _web(small, folder, environment) == 0
        return
    if " --worker " in small:
        pytest.skip("the README's worker command runs with its master's (test of the --master command)")
    if " --master " in small:
        assert _cluster(small, folder, environment) in (0, 1)   # --p99-ms may break on a slow machine
        return
    done = subprocess.run(["bash", "-c", small], cwd=folder, env=environment, capture_output=True, text=True,
                          timeout=600)
    allowed = {0, 1} if any(option in command for option in SLO_GATED) or "--vicidial-world " in command else {0}
    if "--world my-host.yaml" in command:
        allowed = {0, 1}  # declared mode runs what the declared host has; its verdict is not the point here
    assert done.returncode in allowed, f"{small}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stdout + done.stderr
