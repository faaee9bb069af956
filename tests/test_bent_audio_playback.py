"""audio_playback: a reference host bent in one place (its handler module monkeypatched) fails the
case of its spec that guards that place.

A bend the answer shows runs through ``bent_case``; a bend only the stored rows show (the queued
Asterisk action, the logged debug steps) runs the cases on the embedded host in process, which
reads their effects."""

from __future__ import annotations

import pytest

from conformance.host.agent import audio_playback

SPEC = "agent_api/audio_playback"


@pytest.fixture
def embedded(embedded_failures):
    """embedded(expression) -> {case name: mismatch kinds} of the failed audio_playback cases, effects read."""
    return lambda expression: embedded_failures(SPEC, expression)


def failed(result) -> list[str]:
    assert result.status == "failed", (result.exchange.status, result.exchange.body)
    return [mismatch.kind for mismatch in result.reference.mismatches]


@pytest.mark.parametrize("case", [
    "docs_play_over_playing_audio", "docs_not_logged_in", "docs_alt_user_unknown", "play_in_small_letters",
    "channel_in_small_letters_refuses_play", "playing_on_another_server", "unknown_stage_with_audio_playing",
    "stage_of_three_characters",
])
def test_the_unbent_host_passes(bent_case, case):
    """Control: each failure below is the bend's."""
    assert bent_case(SPEC, case).status == "passed"


def test_the_unbent_embedded_host_stores_what_the_cases_state(embedded):
    """Control for the effect bends below."""
    assert embedded("docs_play or docs_pause or docs_restart or channel_in_small_letters_plays or "
                    "long_value_cut_in_caller_id or soundboard or other_source_not_logged") == {}


def test_a_host_that_ignores_dial_override_fails(bent_case, monkeypatch):
    real = audio_playback._play

    def no_override(call):
        call.p["dial_override"] = ""
        real(call)
    monkeypatch.setattr(audio_playback, "_play", no_override)
    assert "UnexpectedBody" in failed(bent_case(SPEC, "docs_play_over_playing_audio"))


def test_a_host_that_compares_the_stage_without_regard_to_case_fails(bent_case, monkeypatch):
    real = audio_playback._play

    def upper(call):
        call.stage = call.stage.upper()
        real(call)
    monkeypatch.setattr(audio_playback, "_play", upper)
    assert "UnexpectedBody" in failed(bent_case(SPEC, "play_in_small_letters"))


def test_a_host_that_answers_an_unknown_stage_fails(bent_case, monkeypatch):
    """Upstream ends with HTTP 500 where no statement was built; a host treating it as STOP does not."""
    monkeypatch.setattr(audio_playback, "CONTROL_DIGIT", {**audio_playback.CONTROL_DIGIT, "LOUD": ("PLAYPA", "3")})
    assert failed(bent_case(SPEC, "unknown_stage_with_audio_playing"))


def test_a_host_that_takes_a_stage_of_three_characters_fails(bent_case, monkeypatch):
    monkeypatch.setattr(audio_playback, "STAGE_MIN", 3)
    assert "UnexpectedBody" in failed(bent_case(SPEC, "stage_of_three_characters"))


def test_a_host_whose_refusals_leave_the_stage_out_fails(bent_case, monkeypatch):
    """The shared alt_user step reports the alt_user alone; audio_playback's names the stage first."""
    from conformance.host.agent_api import AgentCall
    monkeypatch.setattr(audio_playback, "_resolve_alt_user", lambda call: AgentCall.resolve_alt_user(call, ""))
    assert "UnexpectedBody" in failed(bent_case(SPEC, "docs_alt_user_unknown"))
    assert bent_case(SPEC, "docs_not_logged_in").status == "passed"


def test_a_host_that_finds_playing_channels_by_exact_case_fails(bent_case, monkeypatch):
    def exact_case(call, conf_exten, server_ip):
        row = call.db.one("SELECT channel FROM live_channels WHERE extension=? AND server_ip=? AND channel GLOB "
                          "'IAX2/ASTplay*'", conf_exten, server_ip)
        return row[0] if row else None
    monkeypatch.setattr(audio_playback, "_playing_channel", exact_case)
    assert "UnexpectedBody" in failed(bent_case(SPEC, "channel_in_small_letters_refuses_play"))


def test_a_host_that_finds_playing_channels_on_any_server_fails(bent_case, monkeypatch):
    def any_server(call, conf_exten, server_ip):
        row = call.db.one("SELECT channel FROM live_channels WHERE extension=? AND channel LIKE 'IAX2/ASTplay%'",
                          conf_exten)
        return row[0] if row else None
    monkeypatch.setattr(audio_playback, "_playing_channel", any_server)
    assert "UnexpectedBody" in failed(bent_case(SPEC, "playing_on_another_server"))


def test_a_host_that_swaps_pause_and_restart_fails_on_its_effects(embedded, monkeypatch):
    """The answers stay right; only the queued control calls' caller ids differ."""
    monkeypatch.setattr(audio_playback, "CONTROL_DIGIT",
                        {"RESTART": ("PLAYPA", "3"), "PAUSE": ("PLAYRS", "4"), "RESUME": ("PLAYRS", "4")})
    # two columns differ in each: the caller id and the CallerID line
    assert embedded("docs_pause or docs_restart") == {"docs_pause": ["WrongEffect"] * 2,
                                                      "docs_restart": ["WrongEffect"] * 2}


def test_a_host_that_stores_the_statements_backslash_fails_on_its_effects(embedded, monkeypatch):
    """Local\\/ is how upstream's statement reads; MySQL stores Local/."""
    real = audio_playback._queue

    def with_backslash(call, server_ip, action, caller_id, *lines):
        real(call, server_ip, action, caller_id, *(line.replace("\\/", "\\\\/") for line in lines))
    monkeypatch.setattr(audio_playback, "_queue", with_backslash)
    assert embedded("docs_play") == {"docs_play": ["WrongEffect"], "docs_play_over_playing_audio": ["WrongEffect"]}


def test_a_host_that_strips_the_channel_name_in_any_case_fails_on_its_effects(embedded, monkeypatch):
    monkeypatch.setattr(audio_playback, "PLAYER", "iax2/astplay-")
    assert embedded("channel_in_small_letters_plays or docs_restart") == \
        {"channel_in_small_letters_plays": ["WrongEffect"], "docs_restart": ["WrongEffect"]}


def test_a_host_that_keeps_a_long_caller_id_whole_fails_on_its_effects(embedded, monkeypatch):
    real = audio_playback.fit
    monkeypatch.setattr(audio_playback, "fit",
                        lambda table, column, value: value if column == "callerid" else real(table, column, value))
    assert embedded("long_value_cut_in_caller_id") == {"long_value_cut_in_caller_id": ["WrongEffect"]}


def test_a_host_that_skips_the_override_hangup_fails_on_its_effects(embedded, monkeypatch):
    real = audio_playback._queue
    monkeypatch.setattr(audio_playback, "_queue",
                        lambda call, server_ip, action, *rest: action == "Hangup" or real(call, server_ip, action,
                                                                                          *rest))
    failures = embedded("docs_play_over_playing_audio")
    assert set(failures) == {"docs_play_over_playing_audio"}
    assert "WrongRowCount" in failures["docs_play_over_playing_audio"]


def test_a_host_that_logs_no_debug_steps_fails_on_its_effects(embedded, monkeypatch):
    monkeypatch.setattr(audio_playback, "_log_debug_steps", lambda call, started: None)
    failures = embedded("soundboard")
    assert set(failures) == {"soundboard_logs_debug_steps", "soundboard_logs_after_refusal"}


def test_a_host_that_logs_debug_steps_after_an_exit_fails_on_its_effects(embedded, monkeypatch):
    real_play = audio_playback._play

    def play_then_forget_the_exit(call):
        real_play(call)
        call.ended = False
    monkeypatch.setattr(audio_playback, "_play", play_then_forget_the_exit)
    assert embedded("soundboard_not_logged_after_exit") == {"soundboard_not_logged_after_exit": ["WrongRowCount"]}


def test_a_host_that_logs_debug_steps_for_any_source_fails_on_its_effects(embedded, monkeypatch):
    real = audio_playback._log_debug_steps

    def any_source(call, started):
        call.p["source"] = "soundboard"
        real(call, started)
    monkeypatch.setattr(audio_playback, "_log_debug_steps", any_source)
    assert embedded("other_source_not_logged") == {"other_source_not_logged": ["WrongRowCount"]}
