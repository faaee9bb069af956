"""update_presets: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show runs the case
on the embedded host in process, which reads its effects."""

from __future__ import annotations

import pytest
from bends import bend_gate, failed_with_body

from conformance.host import export
from conformance.host.non_agent import update_presets

FUNCTION = "update_presets"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(case expression) -> {case name: mismatch kinds} of the failed cases, effects read."""
    return lambda case: embedded_failures(f"non_agent_api/{FUNCTION}", case)


@pytest.mark.parametrize("case", ["list_docs_example", "list_csv_with_header", "level8_passes", "campaign_not_allowed",
                                  "without_modify_campaigns", "without_agent_api_access", "campaign_id_length_9",
                                  "number_too_long", "preset_hide_number_enum_y_1", "hide_number_checked_first",
                                  "update_sole_preset_without_name", "unknown_preset_name", "update_without_presets",
                                  "delete_sole_preset_without_name", "no_updates"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(FUNCTION, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("new_docs_example or dtmf_blank or delete_docs_example or new_with_a_taken_name "
                    "or new_without_number") == {}


@pytest.mark.parametrize("flag, case", [("modify_campaigns", "without_modify_campaigns"),
                                        ("vdc_agent_api_access", "without_agent_api_access")])
def test_a_gate_without_one_of_its_flags_fails(bent_case, monkeypatch, flag, case):
    bend_gate(monkeypatch, lambda gate: {"flags": {name: values for name, values in gate.flags.items() if name != flag}})
    assert failed_with_body(bent_case(FUNCTION, case))


def test_a_gate_asking_more_than_level_8_fails(bent_case, monkeypatch):
    bend_gate(monkeypatch, lambda gate: {"level": (">", 8)})
    assert failed_with_body(bent_case(FUNCTION, "level8_passes"))


def test_taking_a_nine_character_campaign_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_presets, "CAMPAIGN_LENGTH", (2, 9))
    assert failed_with_body(bent_case(FUNCTION, "campaign_id_length_9"))


def test_ignoring_the_allowed_campaigns_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_presets, "allowed_campaigns", lambda text: None)
    assert failed_with_body(bent_case(FUNCTION, "campaign_not_allowed"))


def test_taking_a_51_character_number_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_presets, "FIELD_MAX", 51)
    assert failed_with_body(bent_case(FUNCTION, "number_too_long"))
    assert failed_with_body(bent_case(FUNCTION, "dtmf_too_long"))


def test_taking_a_lower_case_hide_number_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_presets, "HIDE_NUMBER", ("Y", "N", "y"))
    assert failed_with_body(bent_case(FUNCTION, "preset_hide_number_enum_y_1"))


def test_taking_u_as_hide_number_fails(bent_case, monkeypatch):
    """With U taken, the number after it is refused instead: the case shows which field is checked first."""
    monkeypatch.setattr(update_presets, "HIDE_NUMBER", ("Y", "N", "U"))
    result = bent_case(FUNCTION, "hide_number_checked_first")
    assert failed_with_body(result) and "PRESET NUMBER IS NOT VALID" in str(result.exchange.body)


def test_refusing_an_unknown_name_of_the_sole_preset_fails(bent_case, monkeypatch):
    """A host that refuses every name the campaign lacks (no fallback to its only preset) fails."""
    monkeypatch.setattr(update_presets, "first_preset_names", lambda call, campaign: ["A", "B"])
    assert failed_with_body(bent_case(FUNCTION, "update_sole_preset_without_name"))
    assert failed_with_body(bent_case(FUNCTION, "delete_sole_preset_without_name"))
    assert failed_with_body(bent_case(FUNCTION, "update_without_presets"))
    assert bent_case(FUNCTION, "unknown_preset_name").status == "passed"


def test_listing_in_another_order_fails(bent_case, monkeypatch):
    monkeypatch.setattr(update_presets, "LIST_ORDER", "preset_number DESC")
    assert failed_with_body(bent_case(FUNCTION, "list_docs_example"))


def test_a_delimiter_of_its_own_fails(bent_case, monkeypatch):
    """The LIST goes through the shared export: a csv delimiter bent there fails the csv case."""
    monkeypatch.setattr(export, "DELIMITERS", {**export.DELIMITERS, "csv": ";"})
    assert failed_with_body(bent_case(FUNCTION, "list_csv_with_header"))


def test_not_emptying_the_dtmf_fails(embedded, monkeypatch):
    monkeypatch.setattr(update_presets, "BLANK", "--NONE--")
    assert "WrongEffect" in embedded("dtmf_blank")["dtmf_blank"]


def test_not_logging_fails(embedded, monkeypatch):
    monkeypatch.setattr(update_presets, "log_admin_event", lambda *args: None)
    assert "WrongRowCount" in embedded("new_docs_example")["new_docs_example"]


def test_logging_in_a_section_fails(embedded, monkeypatch):
    monkeypatch.setattr(update_presets, "SECTION", "CAMPAIGNS")
    assert embedded("delete_docs_example")["delete_docs_example"] == ["WrongEffect"]


def test_not_deleting_fails(embedded, monkeypatch):
    original = update_presets.delete_preset

    def logged_only(call, campaign, name):
        answer = original(call, campaign, name + "x")   # deletes no row, answers as if it did
        return answer.replace(f"|{name}x|", f"|{name}|")
    monkeypatch.setattr(update_presets, "delete_preset", logged_only)
    assert "WrongRowCount" in embedded("delete_docs_example")["delete_docs_example"]


def test_refusing_a_taken_name_on_new_fails(bent_case, monkeypatch):
    """A host that looks a NEW name up and refuses a taken one answers no SUCCESS."""
    original = update_presets.add_preset

    def unique(call, campaign, name, changes):
        if update_presets.presets_named(call, campaign, name):
            return "ERROR: update_presets PRESET ALREADY EXISTS\n"
        return original(call, campaign, name, changes)
    monkeypatch.setattr(update_presets, "add_preset", unique)
    assert failed_with_body(bent_case(FUNCTION, "new_with_a_taken_name"))
