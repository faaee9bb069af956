"""force_fronter_leave_3way and force_fronter_audio_stop: a reference host bent in one place (a handler
module, or the steps they share in host/fronter_call.py, monkeypatched) fails the case of its spec that
guards that place, in its answer or in the rows it leaves (a host that answers SUCCESS and signals or
queues nothing, or asks the other cluster and logs nothing, is caught)."""

from __future__ import annotations

import datetime

import pytest

from conformance.host import fronter_call
from conformance.host.agent import force_fronter_audio_stop as audio_stop
from conformance.host.agent import force_fronter_leave_3way as leave_3way

LEAVE = "agent_api/force_fronter_leave_3way"
AUDIO = "agent_api/force_fronter_audio_stop"


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("spec,case", [
    (LEAVE, "docs_local_only"), (LEAVE, "earliest_last_call_time_first"), (LEAVE, "ccc_remote_lead_id"),
    (LEAVE, "ccc_remote_lead_id_over_own_call"), (LEAVE, "alt_user_unknown_ccc_remote"),
    (AUDIO, "docs_local_only"), (AUDIO, "fronter_left_recent_session"), (AUDIO, "old_session_is_no_fronter"),
    (AUDIO, "no_audio_playing"), (AUDIO, "no_fronter_session"), (AUDIO, "ccc_cluster_refuses"),
])
def test_the_unbent_host_passes(bent_case, spec, case):
    """Control: each answer bend below is the bend's."""
    assert bent_case(spec, case).status == "passed"


def test_the_latest_fronter_first_fails(bent_case, monkeypatch):
    def latest(call, lead_id):
        row = call.db.one("SELECT user FROM vicidial_live_agents WHERE user<>? AND lead_id=? "
                          "ORDER BY last_call_time DESC LIMIT 1", call.p["agent_user"], lead_id)
        return row[0] if row else None
    monkeypatch.setattr(leave_3way, "live_fronter", latest)
    assert "UnexpectedBody" in failed(bent_case(LEAVE, "docs_local_only"))
    assert "UnexpectedBody" in failed(bent_case(LEAVE, "earliest_last_call_time_first"))


def test_ccc_remote_that_wants_a_login_fails(bent_case, monkeypatch):
    honest = fronter_call.call_lead

    def logged_in_only(call):
        if call.db.value("SELECT count(*) FROM vicidial_live_agents WHERE user=?", call.p["agent_user"]) == 0:
            call.say(f"ERROR: agent_user is not logged in - {call.p['agent_user']}\n")
            return None
        return honest(call)
    monkeypatch.setattr(leave_3way, "call_lead", logged_in_only)
    assert "UnexpectedBody" in failed(bent_case(LEAVE, "ccc_remote_lead_id"))
    assert bent_case(LEAVE, "docs_local_only").status == "passed"


def test_ccc_remote_that_keeps_the_agents_own_lead_fails(bent_case, monkeypatch):
    honest = fronter_call.call_lead

    def own_lead_first(call):
        own = call.db.value("SELECT lead_id FROM vicidial_live_agents WHERE user=?", call.p["agent_user"])
        return own if own else honest(call)
    monkeypatch.setattr(leave_3way, "call_lead", own_lead_first)
    assert "UnexpectedBody" in failed(bent_case(LEAVE, "ccc_remote_lead_id_over_own_call"))


def test_an_unknown_alt_user_that_ends_the_request_fails(bent_case, monkeypatch):
    from conformance.host import agent_api
    honest = agent_api.AgentCall.resolve_alt_user

    def stops(call, function):   # the step as the dispatcher runs it (agent_api.STEPS)
        said = len(call.out)
        honest(call, function)
        return len(call.out) == said
    monkeypatch.setitem(agent_api.STEPS, "alt_user", stops)
    assert "UnexpectedBody" in failed(bent_case(LEAVE, "alt_user_unknown_ccc_remote"))


def test_a_fronter_never_signalled_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(leave_3way, "_signal", lambda call, fronter: None)
    failures = embedded_failures(LEAVE, "docs_local_only or earliest_last_call_time_first")
    assert "WrongEffect" in failures["docs_local_only"]
    assert "WrongEffect" in failures["earliest_last_call_time_first"]


def test_a_recent_session_of_any_age_fails(bent_case, monkeypatch):
    monkeypatch.setattr(audio_stop, "_RECENT", datetime.timedelta(days=36500))
    assert "UnexpectedBody" in failed(bent_case(AUDIO, "old_session_is_no_fronter"))
    assert bent_case(AUDIO, "fronter_left_recent_session").status == "passed"


def test_recent_sessions_never_read_fail(bent_case, monkeypatch):
    monkeypatch.setattr(audio_stop, "_recent_session", lambda call, lead_id: (None, "", ""))
    assert "UnexpectedBody" in failed(bent_case(AUDIO, "fronter_left_recent_session"))


def test_a_five_character_conference_taken_for_a_session_fails(bent_case, monkeypatch):
    monkeypatch.setattr(audio_stop, "_SESSION_MIN", 4)
    assert "UnexpectedBody" in failed(bent_case(AUDIO, "no_fronter_session"))


def test_audio_on_any_server_fails(bent_case, monkeypatch):
    def any_server(call, conf_exten, server_ip):
        row = call.db.one("SELECT channel FROM live_channels WHERE extension=? AND channel LIKE 'IAX2/ASTplay%'",
                          conf_exten)
        return row[0] if row else None
    monkeypatch.setattr(audio_stop, "_audio_channel", any_server)
    assert "UnexpectedBody" in failed(bent_case(AUDIO, "no_audio_playing"))


def test_a_hangup_never_queued_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(audio_stop, "_queue_hangup", lambda call, server_ip, channel: None)
    failures = embedded_failures(AUDIO, "docs_local_only or fronter_left_recent_session")
    assert "WrongRowCount" in failures["docs_local_only"]
    assert "WrongRowCount" in failures["fronter_left_recent_session"]


def test_the_other_cluster_never_asked_fails(embedded_failures, monkeypatch):
    monkeypatch.setattr(leave_3way, "over_ccc", lambda call, function, lead_id: False)
    monkeypatch.setattr(audio_stop, "over_ccc", lambda call, function, lead_id: False)
    assert "WrongRowCount" in embedded_failures(LEAVE, "ccc_cluster_refuses")["ccc_cluster_refuses"]
    assert "WrongRowCount" in embedded_failures(AUDIO, "ccc_cluster_refuses")["ccc_cluster_refuses"]


def test_a_plain_text_php_error_fails(embedded_failures, monkeypatch):
    """upstream's PHP writes its warning as HTML (html_errors): & is &amp; in the logged error."""
    monkeypatch.setattr(fronter_call, "_html", lambda text: text)
    assert "WrongEffect" in embedded_failures(LEAVE, "ccc_cluster_refuses")["ccc_cluster_refuses"]
