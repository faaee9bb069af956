"""The certification package: reproducible, verifiable, honest outcomes, informational security, no secrets."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

import pytest
from command import vicicert
from targets import MisbehavingHandler, api_user_echoed

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.certificate.archive import MANIFEST, TOP, read_archive, verify, write_archive
from conformance.certificate.outcomes import UNKNOWN_FUNCTION_ANSWER, outcome
from conformance.certificate.package import TIMESTAMPED
from conformance.certificate.profiles import profile_verdicts, shipped_profiles
from conformance.certificate.security import lockout_findings, probe_lockout
from conformance.client import Target
from conformance.redaction import secret_forms
from conformance.spec import load_specs

PASSWORD = "Zq9_sekret-PW"        # the api_admin password for these runs (kept whole by both APIs' filters)


def certify(folder, *options):
    """The bundled suite (``options`` may narrow it) against the embedded host, its certificate in
    ``folder``: (archive, run)."""
    env = {**os.environ, "VICIDIAL_PASS": PASSWORD}
    done = vicicert("check", "-q", "--report-dir", str(folder / "out"), "--certificate", str(folder / "cert"),
                    *options, cwd=folder, env=env)
    return folder / "cert" / "vicicert-certificate.tar.gz", done


def certify_twice(tmp_path_factory, *options):
    return [certify(tmp_path_factory.mktemp(f"run{number}"), *options) for number in (1, 2)]


@pytest.fixture(scope="module")
def preamble_run(tmp_path_factory):
    """Both APIs' preambles (logins, failed logins, versions, PHP's request parsing): (archive, run)."""
    return certify(tmp_path_factory.mktemp("run1"), "-k", "preamble")


@pytest.fixture(scope="module")
def two_runs(preamble_run, tmp_path_factory):
    """The preamble run and a second one like it (the quick loop needs only the first)."""
    return [preamble_run, certify(tmp_path_factory.mktemp("run2"), "-k", "preamble")]


@pytest.fixture(scope="module")
def two_full_runs(tmp_path_factory):
    return certify_twice(tmp_path_factory)


def preamble_cases() -> int:
    return sum(len(spec.cases) for spec in load_specs(SPECS_DIR) if spec.function == "preamble")


def manifest_of(files: dict[str, bytes]) -> dict[str, str]:
    return {name: digest for digest, _, name in
            (line.partition("  ") for line in files[MANIFEST].decode().splitlines())}


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
def test_same_inputs_same_hashes_apart_from_timestamped_files(two_runs):
    steady = same_hashes_apart_from_timestamped(two_runs)
    assert len(steady) >= 30 and "manifest.json" in steady and "verdicts.json" in steady
    assert "security.json" in steady


@pytest.mark.slow
def test_the_whole_suite_gives_the_same_hashes_apart_from_timestamped_files(two_full_runs):
    steady = same_hashes_apart_from_timestamped(two_full_runs)
    assert len(steady) >= 150


CLOCK_PLACEHOLDERS = ("date", "epoch", "lock_epoch", "dst", "tznow", "runtime")


def same_hashes_apart_from_timestamped(runs) -> list[str]:
    """Asserts two runs' archives differ only in the files the manifest lists as timestamped; returns the rest."""
    (first, done), (second, _) = runs
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    one, two = manifest_of(read_archive(first)), manifest_of(read_archive(second))
    assert set(one) == set(two)
    declared = json.loads(read_archive(first)["manifest.json"])["timestamped"]
    assert declared[:len(TIMESTAMPED)] == list(TIMESTAMPED)
    # the case logs whose answers carry the host's clock (version date, lock epoch, a signal's epoch),
    # named from the specs' own texts, not from the code under test; a placeholder that names one of
    # the case's parameters (did_log_export's date) is the value sent, not the clock
    clock = sorted(name for name in declared if name.startswith("cases/"))
    ran = {name.removeprefix("cases/").removesuffix(".log") for name in one if name.startswith("cases/")}
    timed = sorted(f"cases/{case.api}/{case.function}/{case.name}.log" for spec in load_specs(SPECS_DIR)
                   for case in spec.cases if f"{case.api}/{case.function}/{case.name}" in ran
                   and case.reference.expected.body is not None
                   and any(f"{{{name}}}" in case.reference.expected.body.source
                           for name in set(CLOCK_PLACEHOLDERS) - {parameter for parameter, _ in case.request}))
    assert clock == timed and "cases/agent_api/preamble/version_needs_no_credentials.log" in clock
    differing = {name for name in one if one[name] != two[name]}
    assert differing <= set(declared), sorted(differing - set(declared))
    return [name for name in one if name not in declared]


def test_the_archive_is_byte_identical_for_identical_files(tmp_path):
    files = {"b.txt": b"two\n", "a/one.log": b"one\n"}
    first = write_archive(files, tmp_path / "1" / "x.tar.gz").read_bytes()
    second = write_archive(dict(reversed(files.items())), tmp_path / "2" / "x.tar.gz").read_bytes()
    assert first == second
    changed = write_archive({**files, "b.txt": b"Two\n"}, tmp_path / "3" / "x.tar.gz")
    assert changed.read_bytes() != first
    with tarfile.open(changed) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == [f"{TOP}/a/one.log", f"{TOP}/b.txt", f"{TOP}/{MANIFEST}"]
    assert {(m.mtime, m.mode, m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0o644, 0, 0, "", "")}


def test_the_manifest_lists_every_file_with_its_sha256(preamble_run):
    archive, _ = preamble_run
    files = read_archive(archive)
    listed = manifest_of(files)
    assert set(listed) == set(files) - {MANIFEST}
    for name, data in files.items():
        if name != MANIFEST:
            assert hashlib.sha256(data).hexdigest() == listed[name], name
    assert verify(archive) == []
    manifest = json.loads(files["manifest.json"])
    assert set(manifest["files"]) == set(files)
    assert manifest["vicicert_version"] and manifest["mode"] == "embedded"
    assert manifest["builds"] == {"agent_api": "2.14-82 (build 250122-1010)",
                                  "non_agent_api": "2.14-202 (build 250720-1841)"}
    spec_files = {str(p.relative_to(SPECS_DIR)): hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in SPECS_DIR.glob("*_api/preamble.yaml")}
    assert manifest["spec_set"]["files"] == spec_files
    assert {"report.html", "report.json", "junit.xml", "verdicts.json", "security.json"} <= set(files)
    assert len([name for name in files if name.startswith("cases/")]) == preamble_cases()


def _rewritten(archive, tmp_path, change):
    """The archive's files after ``change(files)``, packed again with the original manifest."""
    files = read_archive(archive)
    change(files)
    out = tmp_path / "tampered.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{TOP}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.parametrize("change,problem", [
    (lambda f: f.__setitem__("verdicts.json", f["verdicts.json"].replace(b'"failed"', b'"passed"', 1)),
     "verdicts.json: SHA-256 differs from manifest.sha256 (altered)"),
    (lambda f: f.pop("security.json"), "security.json: listed in manifest.sha256 but missing"),
    (lambda f: f.__setitem__("extra.txt", b"slipped in\n"), "extra.txt: in the archive but not in manifest.sha256"),
])
def test_a_tampered_archive_is_caught(preamble_run, tmp_path, change, problem):
    archive, _ = preamble_run
    tampered = _rewritten(archive, tmp_path, change)
    assert verify(tampered) == [problem]
    checked = subprocess.run([sys.executable, "-m", "conformance.certificate", "verify", str(tampered)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 1 and f"NOT VERIFIED: {problem}" in checked.stdout
    intact = subprocess.run([sys.executable, "-m", "conformance.certificate", "verify", str(archive)],
                            capture_output=True, text=True, timeout=60)
    assert intact.returncode == 0, intact.stdout


def test_no_password_in_any_archived_file(preamble_run, vicidial_world):
    archive, _ = preamble_run
    files = read_archive(archive)
    secrets = {form for secret in {*vicidial_world.secrets, PASSWORD} for form in secret_forms(secret)}
    for name, data in files.items():
        text = data.decode("utf-8", "replace")
        found = sorted(secret for secret in secrets if secret in text)
        assert not found, f"{name} holds a password form"
    # not vacuous: the raw answers did echo a world password (vcrt6669's, on a failed login)
    findings = json.loads(files["security.json"])["findings"]
    assert {"kind": "secret_echoed", "case": "agent_api::preamble::inactive_user"} in \
        [{"kind": f["kind"], "case": f["case"]} for f in findings]


def test_security_findings_for_the_reference_host_never_fail_the_run(preamble_run):
    archive, done = preamble_run
    assert done.returncode == 0 and f"{preamble_cases()} passed" in done.stdout
    security = json.loads(read_archive(archive)["security.json"])
    kinds = {(f["kind"], f["case"]) for f in security["findings"]}
    # upstream's Agent API failed login echoes the password and its SQL statement
    assert {("secret_echoed", "agent_api::preamble::unknown_user"), ("sql_echoed", "agent_api::preamble::unknown_user"),
            ("secret_echoed", "non_agent_api::preamble::wrong_password")} <= kinds
    answers = {case["id"]: case["answer"]["body"] for case in json.loads(read_archive(archive)["report.json"])["cases"]}
    refused = {case for case, body in answers.items() if body.startswith(("ERROR: Invalid Username", "ERROR: Login"))}
    echoes = {case for kind, case in kinds if kind in ("secret_echoed", "sql_echoed")}
    # format=debug prints the statements it runs, as upstream does: SQL, never a password
    debug_pages = {case for case, body in answers.items() if body.startswith("<html>")}
    assert {case for kind, case in kinds if kind == "sql_echoed"} & debug_pages
    assert {case for kind, case in kinds if kind == "secret_echoed"} <= refused
    assert echoes <= refused | debug_pages and len(answers) - len(refused) >= 20   # else an accepted login echoes nothing
    assert ("credentials_over_http", security["findings"][-1]["case"]) in kinds
    assert security["lockout_probe"] == {"probed": True, "locked": True, "failures": 10, "account": "api_wrong_pass"}
    assert "never_locks" not in {kind for kind, _ in kinds}
    assert "security (informational, never fails the run): " in done.stdout
    verdicts = json.loads(read_archive(archive)["verdicts.json"])
    assert {p["profile"]: p["verdict"] for p in verdicts["profiles"]} == dict.fromkeys(
        shipped_profiles(), "incomplete")  # -k preamble


@pytest.mark.slow
def test_the_reference_host_is_certified_on_every_profile(two_full_runs):
    archive, done = two_full_runs[0]
    cases = sum(len(spec.cases) for spec in load_specs(SPECS_DIR))
    assert done.returncode == 0 and f"{cases} passed" in done.stdout
    files = read_archive(archive)
    verdicts = json.loads(files["verdicts.json"])
    assert {p["profile"]: p["verdict"] for p in verdicts["profiles"]} == dict.fromkeys(shipped_profiles(), "certified")
    assert set(verdicts["cases"].values()) == {"passed"} and len(verdicts["cases"]) == cases
    secrets = {form for secret in {PASSWORD} for form in secret_forms(secret)}
    assert not [name for name, data in files.items() if any(s in data.decode("utf-8", "replace") for s in secrets)]


@pytest.mark.parametrize("resets,locked", [(False, True), (True, False)])
def test_the_lockout_probe_tells_a_host_that_never_locks(httpserver, tmp_path, vicidial_world, resets, locked):
    """A host that forgets failed logins (its database reset on every request) never locks."""
    handler = MisbehavingHandler(tmp_path / "host.sqlite", vicidial_world, lambda request, answer: answer,
                                 reset_each_request=resets)
    httpserver.expect_request("/vicidial/non_agent_api.php").respond_with_handler(handler)
    probe = probe_lockout(Target(httpserver.url_for("/").rstrip("/"), 5.0), vicidial_world)
    assert probe["probed"] and probe["locked"] is locked
    assert [f["kind"] for f in lockout_findings(probe)] == ([] if locked else ["never_locks"])


def recording_missing(request, answer):
    """A host without the recording function: past the preamble it answers as to an unknown function."""
    if request.param("function") == "recording" and not answer.body.startswith(("ERROR: Invalid", "ERROR: System API")):
        answer.body = UNKNOWN_FUNCTION_ANSWER["agent_api"][1]
    return answer


def echo_and_no_recording(request, answer):
    return recording_missing(request, api_user_echoed(request, answer))


@pytest.mark.slow  # whole vicicert processes
def test_outcomes_of_a_target_lacking_a_function_and_one_matching_only_documented_texts(
        pytester, httpserver, tmp_path, vicidial_world):
    for name in ("pause_code", "recording"):
        shutil.copy(SPECS_DIR / "agent_api" / f"{name}.yaml", pytester.path / f"{name}.yaml")
    handler = MisbehavingHandler(tmp_path / "bent.sqlite", vicidial_world, echo_and_no_recording)
    httpserver.expect_request("/agc/api.php").respond_with_handler(handler)
    result = pytester.runpytest("-p", "no:cacheprovider", "--vicidial-target", httpserver.url_for("/"),
                                "--vicidial-world", str(EMBEDDED_WORLD), "--vicidial-allow-failed-logins",
                                "--vicidial-allow-writes", "--vicidial-certificate", str(tmp_path / "cert"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    files = read_archive(tmp_path / "cert" / "vicicert-certificate.tar.gz")
    verdicts = json.loads(files["verdicts.json"])
    cases = verdicts["cases"]
    assert cases["agent_api::pause_code::paused_agent_break"] == "documented_only"    # docs and seed 000 match
    assert cases["agent_api::pause_code::value_length_6"] == "failed"                 # no documented text
    assert cases["agent_api::pause_code::ready_agent"] == "passed"
    recording = {case: kind for case, kind in cases.items() if case.startswith("agent_api::recording::")}
    assert set(recording.values()) <= {"not_implemented", "passed", "skipped"}
    # declared mode changes no system setting, so the non-latin case is skipped
    assert [case for case, kind in recording.items() if kind == "skipped"] == [
        "agent_api::recording::non_latin_keeps_letters"]
    assert list(recording.values()).count("not_implemented") >= 20
    assert cases["agent_api::recording::start_idle"] == "not_implemented"
    profiles = {p["profile"]: p for p in verdicts["profiles"]}
    assert profiles["Agent recording"]["verdict"] == "not implemented"
    assert profiles["Agent pause codes"]["verdict"] == "failed"
    assert profiles["Non-Agent reporting"]["verdict"] == "not checked"
    assert "outcome: not_implemented" in files["cases/agent_api/recording/start_idle.log"].decode()
    manifest = json.loads(files["manifest.json"])
    assert manifest["mode"] == "declared" and manifest["builds"]["agent_api"] == "2.14-82 (build 250122-1010)"
    assert json.loads(files["security.json"])["lockout_probe"]["probed"] is False   # declared accounts are real
    result.stdout.fnmatch_lines(["*profile Agent recording: not implemented*"])


def _record(case_id, status, reference=False, documented=(), answer=(200, "x")):
    api, function, name = case_id.split("::")
    return {"id": case_id, "api": api, "function": function, "name": name, "status": status,
            "reference": {"matched": reference}, "documented": [{"matched": m} for m in documented],
            "answer": {"status": answer[0], "body": answer[1], "error": None}}


def test_outcome_and_profile_rules():
    assert outcome(_record("agent_api::recording::a", "passed", reference=True)) == "passed"
    assert outcome(_record("agent_api::recording::a", "failed", documented=(False, True))) == "documented_only"
    assert outcome(_record("agent_api::recording::a", "failed", answer=(200, ""))) == "not_implemented"
    assert outcome(_record("agent_api::recording::a", "failed", answer=(500, ""))) == "failed"
    assert outcome(_record("non_agent_api::preamble::a", "failed",
                           answer=(200, "ERROR: NO FUNCTION SPECIFIED\n"))) == "not_implemented"
    assert outcome(_record("agent_api::recording::a", "failed", answer=(200, "ERROR: NO FUNCTION SPECIFIED\n"))) == "failed"
    only = {"P": ("agent_api/recording", "agent_api/preamble")}
    verdict = lambda *records: profile_verdicts(list(records), only)[0]["verdict"]  # noqa: E731
    passed = _record("agent_api::preamble::p", "passed", reference=True)
    assert verdict(passed, _record("agent_api::recording::a", "passed", reference=True)) == "certified"
    assert verdict(passed, _record("agent_api::recording::a", "failed", documented=(True,))) == "documented texts only"
    assert verdict(passed, _record("agent_api::recording::a", "failed", answer=(200, ""))) == "not implemented"
    assert verdict(passed, _record("agent_api::recording::a", "failed")) == "failed"
    assert verdict(passed, _record("agent_api::recording::a", "skipped")) == "incomplete"
    assert verdict(_record("agent_api::recording::a", "skipped")) == "not checked"


def test_the_unknown_function_answers_are_the_specs(vicidial_specs):
    """outcomes.py's 'not implemented' answers are what the preamble specs pin for an unknown function."""
    for key, case_name in (("agent_api/preamble", "function_unknown"),
                           ("non_agent_api/preamble", "good_login_unknown_function")):
        spec = vicidial_specs[key]
        case = next(c for c in spec.cases if c.name == case_name)
        expected = case.reference.expected
        assert (expected.status, expected.body.source) == UNKNOWN_FUNCTION_ANSWER[spec.api], key


@pytest.mark.slow
def test_xdist_workers_give_the_same_certificate_as_one_process(two_full_runs, tmp_path):
    """Builds and the lockout probe come from the workers; case files are the same as one process wrote."""
    env = {**os.environ, "VICIDIAL_PASS": PASSWORD}
    done = vicicert("check", "-q", "--report-dir", str(tmp_path / "out"), "--certificate", str(tmp_path / "cert"),
                    "--workers", "2", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout[-2000:]
    single = read_archive(two_full_runs[0][0])
    workers = read_archive(tmp_path / "cert" / "vicicert-certificate.tar.gz")
    declared = set(json.loads(single["manifest.json"])["timestamped"])
    one, two = manifest_of(single), manifest_of(workers)
    assert set(one) == set(two)
    assert sorted(name for name in one if one[name] != two[name] and name not in declared) == []
    assert json.loads(workers["security.json"])["lockout_probe"]["locked"] is True


# -- vicicert verify: the manifest, verdicts against the report, a detached signature ---------------------

def _repacked(archive, tmp_path, change, name="repacked.tar.gz"):
    """The archive's files after ``change(files)``, with the manifest computed anew (as a forger would)."""
    files = read_archive(archive)
    files.pop(MANIFEST)
    change(files)
    return write_archive(files, tmp_path / name)


def _edit_json(files, name, edit):
    document = json.loads(files[name])
    edit(document)
    files[name] = (json.dumps(document, indent=2) + "\n").encode()


def test_a_tampered_rehashed_certificate_fails_verify(preamble_run, tmp_path):
    archive, _ = preamble_run
    intact = vicicert("verify", str(archive))
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "verdicts.json agrees with report.json" in intact.stdout and "unsigned: this proves integrity" in intact.stdout

    def promote(verdicts):   # a profile said to be certified, a case said to pass
        verdicts["profiles"][0]["verdict"] = "certified"
        case_id = next(iter(verdicts["cases"]))
        verdicts["cases"][case_id] = "failed"
    forged = _repacked(archive, tmp_path, lambda files: _edit_json(files, "verdicts.json", promote))
    assert verify(forged) == []          # the manifest alone is satisfied
    checked = vicicert("verify", str(forged))
    assert checked.returncode == 1, checked.stdout
    profile = json.loads(read_archive(archive)["verdicts.json"])["profiles"][0]
    assert (f"NOT VERIFIED: verdicts.json: profile {profile['profile']!r} says 'certified', report.json's cases "
            f"imply {profile['verdict']!r}") in checked.stdout
    assert "report.json's record implies 'passed'" in checked.stdout
    old = subprocess.run([sys.executable, "-m", "conformance.certificate", "verify", str(forged)],
                         capture_output=True, text=True, timeout=60)
    assert old.returncode == 1


@pytest.mark.slow  # a whole vicicert run over every spec: tens of seconds
def test_a_signed_certificate_passes_and_a_consistent_forgery_fails_its_signature(tmp_path):
    key = tmp_path / "keys" / "vendor.key"
    made = vicicert("keygen", str(key))
    assert made.returncode == 0, made.stderr
    assert oct(key.stat().st_mode & 0o777) == "0o600" and (tmp_path / "keys" / "vendor.key.pub").is_file()
    assert vicicert("keygen", str(key)).returncode == 2          # never overwritten
    public = f"{key}.pub"
    env = {**os.environ, "VICIDIAL_PASS": PASSWORD}
    run = vicicert("check", "-q", "-k", "preamble", "--report-dir", str(tmp_path / "out"), "--certificate",
                   str(tmp_path / "cert"), "--sign-key", str(key), cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    archive = tmp_path / "cert" / "vicicert-certificate.tar.gz"
    signature = tmp_path / "cert" / "vicicert-certificate.tar.gz.sig"
    assert f"signed: {signature}" in run.stdout and str(key.read_text()) not in run.stdout

    good = vicicert("verify", str(archive), "--public-key", public)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "signature valid: signed with key" in good.stdout

    def forge(files):   # report.json edited (the verdicts still agree), the manifest anew: only the signature knows
        _edit_json(files, "report.json", lambda report: report["totals"].update(cases=999))
    forged = _repacked(archive, tmp_path, forge, "vicicert-certificate.tar.gz")
    shutil.copy(signature, f"{forged}.sig")
    assert vicicert("verify", str(forged)).returncode == 0      # no key given: integrity only, and it says so
    caught = vicicert("verify", str(forged), "--public-key", public)
    assert caught.returncode == 1
    assert "the signature does not match the archive (altered since it was signed)" in caught.stdout

    other = tmp_path / "other.key"
    vicicert("keygen", str(other))
    stranger = vicicert("verify", str(archive), "--public-key", f"{other}.pub")
    assert stranger.returncode == 1 and "not with the given public key" in stranger.stdout
    signature.unlink()
    unsigned = vicicert("verify", str(archive), "--public-key", public)
    assert unsigned.returncode == 1 and "unsigned" in unsigned.stdout
    assert vicicert("verify", str(archive), "--public-key", str(key)).returncode == 2   # a private key given
    refused = vicicert("check", "-q", "-k", "preamble", "--sign-key", str(key), cwd=tmp_path, env=env)
    assert refused.returncode == 2 and "--certificate DIR" in refused.stderr
