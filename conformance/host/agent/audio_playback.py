"""``audio_playback``: play an audio file into the agent's conference, or stop, pause, resume or
restart what plays there, by queueing an Asterisk action (vicidial_manager) for the manager daemon.

Follows upstream www/agc/api.php (2.14-82), audio_playback block. Audio playing in a conference is
an IAX2/ASTplay channel in live_channels with the conference as its extension, on the agent's
server. PLAY originates the file into the conference (refused while something plays, unless
dial_override=Y, which first hangs the playing channel up); STOP hangs it up; PAUSE and RESUME
(one action, a toggle) and RESTART originate a control call to it. The actions dial in the
server's ext_context. Any other stage of four characters or more, with audio playing, builds no
statement: PHP 8's mysqli refuses the empty query and the request ends with HTTP 500. With
source=soundboard and system_settings.agent_debug_logging above 0, the agent screen's debug steps
(agent_debug) go to vicidial_ajax_log, unless the script stopped early (exit).
"""

from __future__ import annotations

import time

from ...tables.schema import fit
from ..agent_api import AGENT_FILTERS, AgentCall
from ..php import PhpFatal, compare, keep
from ..registry import host_function

PARAMS = {**AGENT_FILTERS, "dial_override": "A-Z", "agent_debug": "- .:|_0-9a-zA-Z"}
STAGE_MIN = 4          # a stage shorter than this is not valid
ALT_USER_MIN = 2       # an alt_user shorter than this does not stand in for agent_user
SESSION_MIN = 6        # the agent's conference and server address need this many characters
PLAYER = "IAX2/ASTplay-"               # the name of a playing channel (its start, as upstream strips it)
PLAY_EXTEN = "473782158521111"         # the playback extension PLAY originates to
CONTROL_EXTEN = "473782138521111"      # the control extension PAUSE, RESUME and RESTART originate to
CONFERENCE_DIAL = "47378216"           # dialed before the conference: the file is played into it
CONTROL_DIAL = "473782148521111"       # dialed before the playing channel's number: a control call
CONTROL_DIGIT = {"RESTART": ("PLAYRS", "4"), "PAUSE": ("PLAYPA", "3"), "RESUME": ("PLAYPA", "3")}


@host_function("agent_api", "audio_playback", params=PARAMS)
def audio_playback(call: AgentCall) -> None:
    started = time.time()
    call.p["dial_override"] = keep(call.p["dial_override"], "A-Z")   # capitals only, in the non-latin mode too
    _play(call)
    if not call.ended:
        _log_debug_steps(call, started)


def _play(call: AgentCall) -> None:
    """The checks in upstream's order, then the action queued and the answer."""
    p, stage = call.p, call.stage
    value, agent_user = p["value"], p["agent_user"]
    no_agent = len(agent_user) < 1 and len(p["alt_user"]) < ALT_USER_MIN
    if (len(value) < 1 and stage == "PLAY") or len(stage) < STAGE_MIN or no_agent:
        call.say(f"ERROR: audio_playback not valid - {value}|{stage}|{agent_user}\n")
        return
    if not call.permitted("audio_playback"):
        return
    _resolve_alt_user(call)
    agent_user = p["agent_user"]
    call.trace(f"select count(*) from vicidial_live_agents where user='{agent_user}';")
    agent = call.db.one("SELECT conf_exten, server_ip FROM vicidial_live_agents WHERE user=?", agent_user)
    if agent is None:
        call.say(f"ERROR: agent_user is not logged in - {stage}|{agent_user}\n")
        return
    call.trace(f"select conf_exten,server_ip from vicidial_live_agents where user='{agent_user}';")
    # upstream's "no session data" answer needs the row counted a moment before to be gone: unreachable here
    conf_exten, server_ip = (_text(field) for field in agent)
    if len(conf_exten) < SESSION_MIN or len(server_ip) < SESSION_MIN:
        call.say(f"ERROR: audio_playback error - entry is empty - {stage}|{agent_user}\n")
        return
    call.trace(f"select ext_context from servers where server_ip='{server_ip}';")
    context = _text(call.db.value("SELECT ext_context FROM servers WHERE server_ip=?", server_ip))
    channel = _playing_channel(call, conf_exten, server_ip)
    if stage == "PLAY":
        if channel is not None:
            if p["dial_override"] != "Y":
                call.say(f"ERROR: audio_playback error - audio already playing in agent session - "
                         f"{conf_exten}|{server_ip}|{stage}|{p['dial_override']}|{agent_user}\n")
                call.exit()
                return
            _queue(call, server_ip, "Hangup", f"PLAYHU{_entry_date(call)}", f"Channel: {channel}")
            call.say(f"NOTICE: audio_playback previous playback stopped - {stage}|Y|{agent_user}\n")
        _queue(call, server_ip, "Originate", value, f"Channel: Local\\/{CONFERENCE_DIAL}{conf_exten}@{context}",
               f"Context: {context}", f"Exten: {PLAY_EXTEN}", "Priority: 1", f'CallerID: "{value}" <{PLAY_EXTEN}>')
    elif channel is None:
        call.say(f"ERROR: audio_playback error - no audio playing in agent session - "
                 f"{conf_exten}|{server_ip}|{stage}|{agent_user}\n")
        call.exit()
        return
    elif stage == "STOP":
        _queue(call, server_ip, "Hangup", f"PLAYHU{_entry_date(call)}", f"Channel: {channel}")
    elif stage in CONTROL_DIGIT:
        prefix, digit = CONTROL_DIGIT[stage]
        number = channel.replace(PLAYER, "")
        _queue(call, server_ip, "Originate", f"{prefix}{_entry_date(call)}",
               f"Channel: Local\\/{CONTROL_DIAL}{number}@{context}", f"Context: {context}",
               f"Exten: {CONTROL_EXTEN}", "Priority: 1", f"CallerID: {digit}")
    else:   # no statement was built: mysqli_query() refuses an empty query (a ValueError in PHP 8)
        call.comment("")
        raise PhpFatal("mysqli_query(): Argument #2 ($query) cannot be empty")
    call.say(f"SUCCESS: audio_playback function sent - {value}|{stage}|{agent_user}\n")


def _playing_channel(call: AgentCall, conf_exten: str, server_ip: str) -> str | None:
    """The audio playing in the conference: the first IAX2/ASTplay channel (any case, as MySQL's
    LIKE compares) with the conference as its extension on the agent's server; None if none."""
    call.trace(f"select channel from live_channels where extension='{conf_exten}' and server_ip='{server_ip}' "
               'and channel LIKE "IAX2/ASTplay%";')
    playing = call.db.one("SELECT channel FROM live_channels WHERE extension=? AND server_ip=? AND channel LIKE "
                          f"'IAX2/ASTplay%'{call.db.dialect.as_inserted}", conf_exten, server_ip)
    return _text(playing[0]) if playing else None


def _resolve_alt_user(call: AgentCall) -> None:
    """alt_user (custom_three) names the agent; one nobody has is reported, and the request goes on."""
    alt_user = call.p["alt_user"]
    if len(alt_user) < ALT_USER_MIN:
        return
    call.trace(f"select count(*) from vicidial_users where custom_three='{alt_user}';")
    found = call.db.one("SELECT user FROM vicidial_users WHERE custom_three=? ORDER BY user", alt_user)
    if found:
        call.trace(f"select user from vicidial_users where custom_three='{alt_user}' order by user;")
        call.p["agent_user"] = found[0]
    else:
        call.say(f"ERROR: no user found - {call.stage}|{alt_user}\n")


def _queue(call: AgentCall, server_ip: str, action: str, caller_id: str, *lines: str) -> None:
    """One action for the manager daemon. Upstream writes Local\\/ in its statement (PHP keeps the
    backslash, MySQL's string reading drops it): the debug page shows it, the row has Local/."""
    lines = lines + ("",) * (5 - len(lines))
    shown = "','".join((*lines, "", "", "", "", ""))
    call.comment(f"INSERT INTO vicidial_manager values('','','{call.now}','NEW','N','{server_ip}','','{action}',"
                 f"'{caller_id}','{shown}');")
    stored = [fit("vicidial_manager", column, text.replace("\\/", "/")) for column, text in
              zip(("cmd_line_b", "cmd_line_c", "cmd_line_d", "cmd_line_e", "cmd_line_f"), lines)]
    call.db.write("INSERT INTO vicidial_manager (uniqueid, entry_date, status, response, server_ip, channel, action, "
                  "callerid, cmd_line_b, cmd_line_c, cmd_line_d, cmd_line_e, cmd_line_f) "
                  "VALUES ('', ?, 'NEW', 'N', ?, '', ?, ?, ?, ?, ?, ?, ?)",
                  call.now, fit("vicidial_manager", "server_ip", server_ip), action,
                  fit("vicidial_manager", "callerid", caller_id), *stored)


def _log_debug_steps(call: AgentCall, started: float) -> None:
    """source=soundboard: each of agent_debug's steps (time-----action---options, joined by |) is a
    vicidial_ajax_log row of the agent, when system_settings.agent_debug_logging is above 0."""
    steps = call.p["agent_debug"]
    if call.p["source"] != "soundboard" or len(steps) < 2:
        return
    setting = _text(call.db.value("SELECT agent_debug_logging FROM system_settings"))
    if compare(setting, 0) <= 0:
        return
    run_time = f"{time.time() - started:.6f}"
    for number, step in enumerate(steps.removesuffix("|").split("|")):
        parts = step.split("-----")
        start_time, named = parts[0], (parts[1].split("---") if len(parts) > 1 else [""])
        action, options = named[0], (named[1] if len(named) > 1 else "")
        call.db.write("INSERT INTO vicidial_ajax_log (user, start_time, db_time, run_time, php_script, action, stage, "
                      "last_sql) VALUES (?, ?, ?, ?, 'api.php', ?, ?, '')",
                      fit("vicidial_ajax_log", "user", call.p["agent_user"]), start_time, call.now, run_time,
                      fit("vicidial_ajax_log", "action", action),
                      fit("vicidial_ajax_log", "stage", f"{number}|{options}"))


def _entry_date(call: AgentCall) -> str:
    """upstream's ENTRYdate: the request's time as YYYYMMDDHHMMSS."""
    return "".join(char for char in call.now if char.isdigit())


def _text(value) -> str:
    return "" if value is None else str(value)
