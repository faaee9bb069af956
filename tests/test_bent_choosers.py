"""The admin screen's choosers (ingroup_list, callmenu_list, container_list): each bend below is
the reference host's handler or page module monkeypatched, and the named cases fail."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest
from bends import failed_with_body

from conformance.host import registry
from conformance.host.permission_gate import Gate


@pytest.fixture
def run(bent_case):
    """run(function, case) -> CaseResult against the reference host as the test has bent it."""
    return bent_case


def rebind(monkeypatch, function: str, **changes) -> None:
    """Register ``function`` again with ``changes`` to its declaration (steps, gate)."""
    registry.functions("non_agent_api")
    known = registry._REGISTERED["non_agent_api"][function]
    monkeypatch.setitem(registry._REGISTERED["non_agent_api"], function, replace(known, **changes))


CONTROLS = [
    ("ingroup_list", "every_user_group"), ("ingroup_list", "viewable_groups"), ("ingroup_list", "comments_filtered"),
    ("ingroup_list", "level_7"), ("ingroup_list", "function_not_allowed"),
    ("callmenu_list", "every_user_group"), ("callmenu_list", "viewable_groups"),
    ("callmenu_list", "function_not_allowed"),
    ("container_list", "every_user_group"), ("container_list", "viewable_groups"),
    ("container_list", "no_type_before_the_function_check"), ("container_list", "type_filtered_away"),
    ("container_list", "unknown_type"), ("container_list", "comments_as_array"),
]


@pytest.mark.parametrize("function, case", CONTROLS)
def test_the_honest_host_passes(run, function, case):
    """Control: unpatched, the same cases pass, so each failure below is the bend's."""
    assert run(function, case).status == "passed"


def test_rows_shaded_the_other_way_round_are_caught(run, monkeypatch):
    from conformance.host import chooser_page
    honest = chooser_page.shade
    monkeypatch.setattr(chooser_page, "shade", lambda number: honest(number + 1))
    assert failed_with_body(run("ingroup_list", "every_user_group"))


def test_ingroup_list_ignoring_the_viewable_groups_is_caught(run, monkeypatch):
    from conformance.host.non_agent import ingroup_list
    monkeypatch.setattr(ingroup_list, "viewable_groups", lambda text: None)
    result = run("ingroup_list", "viewable_groups")
    assert failed_with_body(result) and "VCERTCHID" in str(result.exchange.body)
    assert run("ingroup_list", "every_user_group").status == "passed"


def test_ingroup_list_escaping_the_names_is_caught(run, monkeypatch):
    from conformance.host.non_agent import ingroup_list
    honest = ingroup_list.page
    monkeypatch.setattr(ingroup_list, "page", lambda header, rows, field: honest(
        header, [(item, html.escape(text), colour) for item, text, colour in rows], field))
    assert failed_with_body(run("ingroup_list", "every_user_group"))


def test_ingroup_list_printing_comments_as_sent_is_caught(run, monkeypatch):
    from conformance.host.non_agent import ingroup_list
    monkeypatch.setattr(ingroup_list, "field_name", lambda comments: comments)
    assert failed_with_body(run("ingroup_list", "comments_filtered"))
    assert run("ingroup_list", "every_user_group").status == "passed"


def test_ingroup_list_gated_above_level_7_is_caught(run, monkeypatch):
    rebind(monkeypatch, "ingroup_list", gate=Gate("ERROR: {function} refused: |{user}|{count}|\n", level=(">", 7),
                                                  flags={}))
    assert failed_with_body(run("ingroup_list", "level_7"))


def test_ingroup_list_without_the_allowed_functions_check_is_caught(run, monkeypatch):
    rebind(monkeypatch, "ingroup_list", steps=("gate",))
    assert failed_with_body(run("ingroup_list", "function_not_allowed"))


def test_callmenu_list_ignoring_the_viewable_groups_is_caught(run, monkeypatch):
    from conformance.host.non_agent import callmenu_list
    monkeypatch.setattr(callmenu_list, "viewable_groups", lambda text: None)
    result = run("callmenu_list", "viewable_groups")
    assert failed_with_body(result) and "VCERTCHMC" in str(result.exchange.body)


def test_callmenu_list_in_byte_order_is_caught(run, monkeypatch):
    """MariaDB puts VCERTCHM_E before VCERTCHMA; a byte-order sort puts it after."""
    from conformance.host.non_agent import callmenu_list
    honest = callmenu_list.page
    monkeypatch.setattr(callmenu_list, "page", lambda header, rows, field: honest(header, sorted(rows), field))
    assert failed_with_body(run("callmenu_list", "every_user_group"))


def test_callmenu_list_with_a_colour_column_is_caught(run, monkeypatch):
    from conformance.host.non_agent import callmenu_list
    honest = callmenu_list.page
    monkeypatch.setattr(callmenu_list, "page", lambda header, rows, field: honest(
        header, [(item, text, "") for item, text, _colour in rows], field))
    assert failed_with_body(run("callmenu_list", "every_user_group"))


def test_callmenu_list_without_the_allowed_functions_check_is_caught(run, monkeypatch):
    rebind(monkeypatch, "callmenu_list", steps=("gate",))
    assert failed_with_body(run("callmenu_list", "function_not_allowed"))


def test_container_list_ignoring_the_viewable_groups_is_caught(run, monkeypatch):
    from conformance.host.non_agent import container_list
    monkeypatch.setattr(container_list, "viewable_groups", lambda text: None)
    result = run("container_list", "viewable_groups")
    assert failed_with_body(result) and "VCERTCHSB" in str(result.exchange.body)


def test_container_list_checking_the_function_before_the_type_is_caught(run, monkeypatch):
    rebind(monkeypatch, "container_list", steps=("gate", "permission", "check"))
    assert failed_with_body(run("container_list", "no_type_before_the_function_check"))
    assert run("container_list", "every_user_group").status == "passed"


def test_container_list_checking_the_type_before_its_filter_is_caught(run, monkeypatch):
    rebind(monkeypatch, "container_list", check=lambda call: None if call.request.param("type") else
           f"ERROR: container_list NO CONTAINER TYPE DEFINED: |{call.p['user']}||\n")
    assert not failed_with_body(run("container_list", "no_type_before_the_function_check"))
    assert failed_with_body(run("container_list", "type_filtered_away"))


def test_container_list_listing_every_type_is_caught(run, monkeypatch):
    from conformance.host.non_agent import container_list
    honest = container_list.page
    monkeypatch.setattr(container_list, "page", lambda header, rows, field: honest(
        header, [*rows, ("VCERTCHSC", "vicicert container C", None)], field))
    assert failed_with_body(run("container_list", "every_user_group"))
    assert failed_with_body(run("container_list", "unknown_type"))


def test_container_list_dying_on_array_comments_is_caught(run, monkeypatch):
    from conformance.host import chooser_page
    from conformance.host.non_agent import container_list
    monkeypatch.setattr(container_list, "field_name",
                        lambda comments: chooser_page.remove(comments, ';#"').replace("+", " "))
    assert run("container_list", "comments_as_array").status == "failed"
