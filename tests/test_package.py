"""vicicert as a user installs it: a wheel in a fresh virtual environment, run from another folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tomllib
import urllib.request
import venv
from pathlib import Path

import pytest

from conformance.bundle import SPECS_DIR
from conformance.spec import load_specs
from loadtests.locust_process import free_port, wait_until_up

CHECKOUT = Path(__file__).resolve().parent.parent


def _outside() -> dict[str, str]:
    """This environment without what points into the checkout (with PYTHONPATH set, pip would find the
    checkout's vicicert.egg-info and skip the install, and the venv would import the checkout)."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_the_wheel_declares_every_package():
    """pyproject lists packages by hand (specs/ is mapped into conformance.specs): none may be forgotten."""
    setuptools = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {".".join(init.parent.relative_to(CHECKOUT).parts)
             for top in ("conformance", "loadtests") for init in (CHECKOUT / top).rglob("__init__.py")}
    assert set(setuptools["packages"]) == found | {"conformance.specs"}
    assert setuptools["package-dir"] == {"conformance.specs": "specs"}


def test_every_package_a_documented_command_needs_is_a_core_dependency():
    """The README's first command installs no extra, so what its commands import is core (pytest-xdist
    included: the README shows `vicicert check --workers 2`); the test extra holds only the suite's tools."""
    from conformance.cli import _DEPENDENCIES
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())["project"]

    def names(requirements: list[str]) -> set[str]:
        return {requirement.split(">")[0].split("=")[0].split("[")[0].strip().lower() for requirement in requirements}
    core = names(project["dependencies"])
    assert set(_DEPENDENCIES.values()) | {"pytest-xdist"} <= core
    assert names(project["optional-dependencies"]["test"]) == {"pytest-httpserver", "hypothesis", "pipx"}
    assert "--workers 2" in (CHECKOUT / "README.md").read_text()
    sources = [path for top in ("conformance", "loadtests", "benchmarks") for path in (CHECKOUT / top).rglob("*.py")]
    for source in sources:
        text = source.read_text()
        assert "import hypothesis" not in text and "pytest_httpserver" not in text and "pipx" not in text, \
            f"{source} needs the test extra"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this checkout, installed with its dependencies in a new venv; its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root / "dist"), str(CHECKOUT)],
                   check=True, capture_output=True, timeout=300)
    wheel, = (root / "dist").glob("vicicert-*.whl")
    venv.create(root / "venv", with_pip=True)
    subprocess.run([str(root / "venv/bin/pip"), "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=600, env=_outside())
    return root / "venv/bin"


def _run(bin_folder: Path, *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_folder / "vicicert"), *args], cwd=cwd, env=_outside(), capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
def test_the_installed_wheel_checks_serves_seeds_and_loads_outside_the_checkout(installed, tmp_path):
    import json

    located = subprocess.run([str(installed / "python"), "-c", "import conformance; print(conformance.__file__)"],
                             cwd=tmp_path, env=_outside(), capture_output=True, text=True, check=True)
    assert "site-packages" in located.stdout and str(CHECKOUT) not in located.stdout

    check = _run(installed, "check", "-q", cwd=tmp_path)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-2000:]
    totals = json.loads((tmp_path / "reports/out/report.json").read_text())["totals"]
    assert totals["passed"] == totals["cases"] > 100

    workers = _run(installed, "check", "-q", "--workers", "2", "-k", "pause_code", "--report-dir", "workers",
                   cwd=tmp_path)   # pytest-xdist comes with the wheel, no extra needed
    assert workers.returncode == 0, workers.stdout[-3000:] + workers.stderr[-2000:]
    cases = sum(len(spec.cases) for spec in load_specs(SPECS_DIR) if spec.function == "pause_code")
    assert json.loads((tmp_path / "workers/report.json").read_text())["totals"]["passed"] == cases

    seed = _run(installed, "seed", "--rows", "1000", "--db", str(tmp_path / "seeded.sqlite"), cwd=tmp_path)
    assert seed.returncode == 0 and "1,000 rows" in seed.stdout, seed.stdout + seed.stderr

    _loads_and_serves(installed, tmp_path)


def _loads_and_serves(bin_folder: Path, folder: Path) -> None:
    """The issue's load run (`--agents 20 --seconds 5`), and `serve` answering `version`, from ``folder``."""
    import json

    load = _run(bin_folder, "load", "recording", "--agents", "20", "--seconds", "5", cwd=folder)
    assert load.returncode == 0, load.stdout[-3000:] + load.stderr[-3000:]
    assert json.loads((folder / "reports/out/load-recording/summary.json").read_text())["verified"]

    port = free_port()
    serve = subprocess.Popen([str(bin_folder / "vicicert"), "serve", "--port", str(port)], cwd=folder,
                             env=_outside(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", serve)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/agc/api.php?function=version", timeout=5) as answer:
            assert answer.read().decode().startswith("VERSION: ")
    finally:
        serve.send_signal(signal.SIGINT)
        serve.communicate(timeout=30)
    assert serve.returncode == 130   # stopped by SIGINT: 128 + the signal, as every command exits


@pytest.mark.slow  # builds and installs the wheel (the fixture the other slow wheel tests share)
def test_the_wheel_carries_the_license_and_the_example_slo(installed):
    site = next((installed.parent / "lib").glob("python3*/site-packages"))
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in next(site.glob("vicicert-*.dist-info/**/LICENSE*")).read_text()
    assert (site / "loadtests" / "slo-example.yaml").is_file()
    assert (site / "conformance" / "specs" / "worlds" / "embedded.yaml").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("installer", ["pip", "pipx"])
def test_installing_the_checkout_checks_seeds_loads_and_serves_outside_it(tmp_path, installer):
    """`pip install .` (not the wheel file, not editable) in a fresh venv, and `pipx install .`
    (its own venv and bin folder, kept under tmp_path): the other ways in the issue found broken."""
    environment = {**_outside(), "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
                   "PIPX_MAN_DIR": str(tmp_path / "man")}
    if installer == "pip":
        venv.create(tmp_path / "venv", with_pip=True)
        bin_folder = tmp_path / "venv/bin"
        command = [str(bin_folder / "pip"), "install", "-q", "."]
    else:
        bin_folder = tmp_path / "bin"
        command = [sys.executable, "-m", "pipx", "install", "--quiet", "."]
    subprocess.run(command, cwd=CHECKOUT, check=True, capture_output=True, timeout=600, env=environment)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _run(bin_folder, "keygen", "vendor.key", cwd=elsewhere).returncode == 0
    check = _run(bin_folder, "check", "-q", "-k", "recording", "--certificate", "cert", "--sign-key", "vendor.key",
                 cwd=elsewhere)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-2000:]
    assert (elsewhere / "reports/out/report.html").is_file()
    verified = _run(bin_folder, "verify", "cert/vicicert-certificate.tar.gz", "--public-key", "vendor.key.pub",
                    cwd=elsewhere)   # a signed certificate checks under this install too
    assert verified.returncode == 0 and "signature valid" in verified.stdout, verified.stdout + verified.stderr
    seed = _run(bin_folder, "seed", "--rows", "1000", "--db", str(elsewhere / "seeded.sqlite"), cwd=elsewhere)
    assert seed.returncode == 0 and "1,000 rows" in seed.stdout, seed.stdout + seed.stderr
    _loads_and_serves(bin_folder, elsewhere)
