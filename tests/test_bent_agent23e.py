"""external_add_lead (and transfer_conference): a reference host bent in one place (its handler
module monkeypatched) fails the case of its spec that guards that place, in its answer or in the
rows it leaves (a host that says "lead added" and stores the wrong lead, or none, is caught)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.host import registry
from conformance.host.agent import external_add_lead, transfer_conference

ADD_LEAD = "agent_api/external_add_lead"


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", ["docs_example", "system_dnc", "system_dnc_small_letters", "both_dnc_lists",
                                  "other_campaign_dnc_list", "campaign_without_row", "alt_user_unknown",
                                  "value_before_phone_number", "docs_not_valid"])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each answer bend below is the bend's."""
    assert bent_case(ADD_LEAD, case).status == "passed"


def test_external_add_lead_that_ignores_dnc_check_fails(bent_case, monkeypatch):
    monkeypatch.setattr(external_add_lead, "_DNC_ANSWERS", ())
    assert failed(bent_case(ADD_LEAD, "system_dnc"))
    assert failed(bent_case(ADD_LEAD, "both_dnc_lists"))


def test_external_add_lead_that_takes_dnc_check_in_any_case_fails(bent_case, monkeypatch):
    monkeypatch.setattr(external_add_lead, "_DNC_ANSWERS", ("YES", "Y", "yes"))
    assert failed(bent_case(ADD_LEAD, "system_dnc_small_letters"))


def test_external_add_lead_that_reads_its_own_campaign_dnc_list_fails(bent_case, monkeypatch):
    real = external_add_lead._found

    def own_list(call, statement, sql, *args):
        if len(args) == 2:   # the campaign DNC look-up: the agent's campaign, not use_other_campaign_dnc
            args = (args[0], call.db.value("SELECT campaign_id FROM vicidial_live_agents WHERE user=?",
                                           call.p["agent_user"]))
        return real(call, statement, sql, *args)
    monkeypatch.setattr(external_add_lead, "_found", own_list)
    assert failed(bent_case(ADD_LEAD, "other_campaign_dnc_list"))


def test_external_add_lead_that_prefers_phone_number_fails(bent_case, monkeypatch):
    real = external_add_lead._valid

    def phone_first(call):
        call.p["value"] = ""
        return real(call)
    known = registry.functions("agent_api")["external_add_lead"]
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "external_add_lead", replace(known, check=phone_first))
    assert failed(bent_case(ADD_LEAD, "value_before_phone_number"))


def test_external_add_lead_that_stops_at_an_unknown_alt_user_fails(bent_case, monkeypatch):
    known = registry.functions("agent_api")["external_add_lead"]
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "external_add_lead",
                        replace(known, steps=("permission", "alt_user")))
    assert failed(bent_case(ADD_LEAD, "alt_user_unknown"))


# -- the full plugin run on the embedded host, in process: it reads the rows each case leaves ---------

def test_external_add_lead_that_stores_the_fields_unfiltered_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(external_add_lead, "_field", lambda call, name: call.request.param(name))
    failures = embedded_failures(ADD_LEAD, "every_lead_field or docs_example")
    assert "WrongEffect" in failures["every_lead_field"]
    assert "WrongEffect" in failures["docs_example"]


def test_external_add_lead_that_stores_the_lead_elsewhere_fails(embedded_failures, monkeypatch):
    real = external_add_lead._insert
    monkeypatch.setattr(external_add_lead, "_insert", lambda call, campaign_id, list_id: real(call, campaign_id, "998"))
    failures = embedded_failures(ADD_LEAD, "docs_example")
    assert failures["docs_example"]


def test_external_add_lead_that_answers_without_storing_fails(embedded_failures, monkeypatch):
    def answer_only(call, campaign_id, list_id):
        call.say(f"SUCCESS: lead added - {call.p['value']}|{campaign_id}|{list_id}|1|{call.p['agent_user']}\n")
    monkeypatch.setattr(external_add_lead, "_insert", answer_only)
    failures = embedded_failures(ADD_LEAD, "number_as_value or vendor_id_before_vendor_lead_code")
    assert "WrongRowCount" in failures["number_as_value"]
    assert failures["vendor_id_before_vendor_lead_code"]


def test_external_add_lead_that_keeps_vendor_lead_code_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(external_add_lead, "free_text", lambda text: "")
    failures = embedded_failures(ADD_LEAD, "vendor_id_before_vendor_lead_code")
    assert "WrongEffect" in failures["vendor_id_before_vendor_lead_code"]


def test_external_add_lead_that_escapes_a_double_quote_fails(embedded_failures, monkeypatch):
    real = external_add_lead._field
    monkeypatch.setattr(external_add_lead, "_field", lambda call, name: real(call, name).replace('"', ""))
    failures = embedded_failures(ADD_LEAD, "comments_with_a_double_quote")
    assert failures["comments_with_a_double_quote"]


# -- transfer_conference -------------------------------------------------------------------------

TRANSFER = "agent_api/transfer_conference"


@pytest.mark.parametrize("case", ["docs_hangup_xfer", "docs_local_closer_default_ingroup",
                                  "default_ingroup_of_inbound_call", "ingroup_inactive", "group_alias_caller_id_3",
                                  "group_alias_without_caller_id", "in_group_with_group_alias", "cid_choice_inside_a_word", "docs_value_not_valid",
                                  "caller_id_of_15_characters", "docs_local_closer_consultative"])
def test_the_unbent_transfer_conference_passes(bent_case, case):
    """Control: each answer bend below is the bend's."""
    assert bent_case(TRANSFER, case).status == "passed"


def test_transfer_conference_that_reads_the_campaign_of_an_inbound_call_fails(bent_case, monkeypatch):
    real = transfer_conference._in_group

    def campaign_only(call, groups, callerid):
        found = call.db.one("SELECT campaign_id FROM vicidial_live_agents WHERE user=?", call.p["agent_user"])
        if "DEFAULTINGROUP" in groups:
            groups = call.db.value("SELECT default_xfer_group FROM vicidial_campaigns WHERE campaign_id=?", found[0])
        return real(call, groups or "", callerid)
    monkeypatch.setattr(transfer_conference, "_in_group", campaign_only)
    assert failed(bent_case(TRANSFER, "default_ingroup_of_inbound_call"))
    assert bent_case(TRANSFER, "docs_local_closer_default_ingroup").status == "passed"


def test_transfer_conference_that_takes_inactive_in_groups_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "_in_group", lambda call, groups, callerid: groups or None)
    assert failed(bent_case(TRANSFER, "ingroup_inactive"))


def test_transfer_conference_that_compares_the_alias_caller_id_as_text_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "compare", lambda text, number: (text > str(number)) - (text < str(number)))
    # "3" < "4" either way, but as text "123" < "4" too: an alias that upstream takes is refused
    assert failed(bent_case(TRANSFER, "in_group_with_group_alias"))


def test_transfer_conference_that_wants_an_exact_cid_choice_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "CID_CHOICES", ())
    assert failed(bent_case(TRANSFER, "cid_choice_inside_a_word"))


def test_transfer_conference_that_takes_any_value_as_a_hangup_fails(bent_case, monkeypatch):
    monkeypatch.setattr(transfer_conference, "HANGUP_VALUES", ("HANGUP_XFER", "HANGUP_BOTH", "LEAVE_3WAY_CALL",
                                                               "XYZFUNCTION"))
    assert failed(bent_case(TRANSFER, "docs_value_not_valid"))


def test_transfer_conference_that_echoes_consultative_as_sent_fails(bent_case, monkeypatch):
    known = registry.functions("agent_api")["transfer_conference"]

    def as_sent(call):
        done = known.check(call)
        call.p["consultative"] = call.request.param("consultative")
        return done
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "transfer_conference", replace(known, check=as_sent))
    assert failed(bent_case(TRANSFER, "docs_hangup_xfer"))


def test_transfer_conference_that_takes_a_short_caller_id_as_a_live_call_fails(bent_case, monkeypatch):
    known = registry.functions("agent_api")["transfer_conference"]

    def padded(call):
        call.db.write("UPDATE vicidial_live_agents SET callerid=callerid || 'X' WHERE user=?", call.p["agent_user"])
        known.handler(call)
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "transfer_conference", replace(known, handler=padded))
    assert failed(bent_case(TRANSFER, "caller_id_of_15_characters"))


def test_transfer_conference_that_stores_no_order_fails(embedded_failures, monkeypatch):
    class NoWrites:
        def __init__(self, db):
            self.db = db

        def write(self, sql, *params):
            return 0 if "external_transferconf" in sql else self.db.write(sql, *params)

        def __getattr__(self, name):
            return getattr(self.db, name)
    known = registry.functions("agent_api")["transfer_conference"]

    def silent(call):
        call.db = NoWrites(call.db)
        known.handler(call)
    monkeypatch.setitem(registry._REGISTERED["agent_api"], "transfer_conference", replace(known, handler=silent))
    failures = embedded_failures(TRANSFER, "docs_blind_transfer or docs_local_closer_consultative")
    assert "WrongEffect" in failures["docs_blind_transfer"]
    assert "WrongEffect" in failures["docs_local_closer_consultative"]


def test_transfer_conference_that_stores_the_order_in_another_shape_fails(embedded_failures, monkeypatch):
    real = transfer_conference._caller_id
    monkeypatch.setattr(transfer_conference, "_caller_id", lambda call: None if real(call) is None else "0")
    failures = embedded_failures(TRANSFER, "docs_dial_override")
    assert "WrongEffect" in failures["docs_dial_override"]
