"""moh_list, vm_list and sounds_list: a reference host bent in one place (a handler module or its
registration monkeypatched) fails the case of its spec that guards that place.

The cases set system settings (central sound control, the audio store directory), so each runs
on the embedded host in process, where the case's settings are applied and the bends hold."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.host import registry
from conformance.host.non_agent import moh_list, sounds_list, vm_list
from conformance.host.non_agent_api import STEPS
from conformance.host.realtime import GroupScope
from conformance.host.sound_control import WEB_ROOT, central_control_refusal


@pytest.fixture
def failures(embedded_failures):
    """failures(function, -k expression) -> the names of the failed cases (each failed on its body)."""
    def run(function, expression):
        failed = embedded_failures(f"non_agent_api/{function}", expression)
        assert all(kinds and set(kinds) <= {"UnexpectedBody", "WrongField"} for kinds in failed.values()), failed
        return set(failed)
    return run


class _SeesEverything:
    """A GroupScope lookup that ignores admin_viewable_groups."""

    @staticmethod
    def of(db, user_group):
        return GroupScope(None, None)


def _checks_central_control_first(monkeypatch, name: str, handler) -> None:
    """Register ``name`` so that central sound control is asked before the allowed functions."""
    honest = registry._REGISTERED["non_agent_api"][name]

    def bent(call):
        return (central_control_refusal(call) or STEPS["permission"](call, honest) or handler(call))
    monkeypatch.setitem(registry._REGISTERED["non_agent_api"], name,
                        dataclasses.replace(honest, steps=("gate",), handler=bent))


def test_the_unbent_host_passes_every_case(failures):
    """Control: each failure below is the bend's."""
    for function in ("moh_list", "vm_list", "sounds_list"):
        assert failures(function, function) == set(), function


def test_moh_list_ignoring_the_viewable_groups_fails(failures, monkeypatch):
    monkeypatch.setattr(moh_list, "GroupScope", _SeesEverything)
    failed = failures("moh_list", "restricted_group or docs_example")
    assert failed == {"restricted_group"}


def test_moh_list_with_one_grey_for_every_row_fails(failures, monkeypatch):
    monkeypatch.setattr(moh_list, "shade", lambda number: "#E6E6E6")
    assert failures("moh_list", "docs_example") == {"docs_example"}


def test_moh_list_naming_the_field_unfiltered_fails(failures, monkeypatch):
    monkeypatch.setattr(moh_list, "field_name", lambda raw: raw)
    assert failures("moh_list", "comments_filtered or docs_example") == {"comments_filtered"}


def test_moh_list_without_central_sound_control_fails(failures, monkeypatch):
    monkeypatch.setattr(moh_list, "central_control_refusal", lambda call: None)
    assert failures("moh_list", "central_sound_control_off") == {"central_sound_control_off"}


def test_moh_list_asking_central_sound_control_first_fails(failures, monkeypatch):
    _checks_central_control_first(monkeypatch, "moh_list", moh_list.moh_list)
    assert failures("moh_list", "allowed_functions_before_central_control or function_not_allowed") == {
        "allowed_functions_before_central_control"}


def test_vm_list_ignoring_the_viewable_groups_fails(failures, monkeypatch):
    monkeypatch.setattr(vm_list, "GroupScope", _SeesEverything)
    assert failures("vm_list", "restricted_group or docs_example") == {"restricted_group"}


def test_vm_list_naming_phones_without_their_extension_fails(failures, monkeypatch):
    honest = vm_list._rows

    def no_extension(call, table, columns):
        rows = honest(call, table, columns)
        return [(*row[:3], "") for row in rows] if table == "phones" else rows
    monkeypatch.setattr(vm_list, "_rows", no_extension)
    assert failures("vm_list", "docs_example") == {"docs_example"}


def test_vm_list_asking_for_central_sound_control_fails(failures, monkeypatch):
    """The docs list a central sound control refusal; a host that has one fails the reference, here
    and wherever the setting is left as a fresh install has it (off)."""
    _checks_central_control_first(monkeypatch, "vm_list", vm_list.vm_list)
    assert failures("vm_list", "central_sound_control_off or docs_example") == {
        "central_sound_control_off", "docs_example"}


def test_sounds_list_without_central_sound_control_fails(failures, monkeypatch):
    monkeypatch.setattr(sounds_list, "central_control_refusal", lambda call: None)
    assert failures("sounds_list", "central_sound_control_off") == {"central_sound_control_off"}


def test_sounds_list_naming_the_web_root_alone_fails(failures, monkeypatch):
    monkeypatch.setattr(sounds_list, "audio_store_path", lambda call: f"{WEB_ROOT}/")
    assert failures("sounds_list", "docs_example") == {"docs_example"}


def test_sounds_list_asking_central_sound_control_first_fails(failures, monkeypatch):
    _checks_central_control_first(monkeypatch, "sounds_list", sounds_list.sounds_list)
    assert failures("sounds_list", "allowed_functions_before_central_control or function_not_allowed") == {
        "allowed_functions_before_central_control"}
