"""What sounds_list and moh_list share before their answers: the level check whose refusal names
sounds_list, central sound control, and where the audio store would be on disk.

The reference host has no file system of sounds: its web root is the one upstream's
dbconnect_mysqli.php assumes when /etc/astguiclient.conf names none, and no audio store
directory exists under it, so sounds_list always ends with the missing-directory error (a real
host's answer there depends on its disk: see specs/non_agent_api/sounds_list.yaml).
"""

from __future__ import annotations

from .non_agent_api import NonAgentCall
from .permission_gate import Gate

# upstream's text names sounds_list for moh_list too
SOUNDS_GATE = Gate("ERROR: sounds_list USER DOES NOT HAVE PERMISSION TO VIEW SOUNDS LIST: |{user}|{count}|\n",
                   level=(">", 6), flags={})
WEB_ROOT = "/usr/local/apache2/htdocs"


def central_control_refusal(call: NonAgentCall) -> str | None:
    """The refusal when system_settings.sounds_central_control_active is below 1, with its value."""
    active = call.db.value("SELECT sounds_central_control_active FROM system_settings LIMIT 1")
    if active is None or int(active or 0) < 1:
        return (f"ERROR: sounds_list CENTRAL SOUND CONTROL IS NOT ACTIVE: |{call.p['user']}|"
                f"{'' if active is None else active}|\n")
    return None


def audio_store_path(call: NonAgentCall) -> str:
    """The audio store's directory: the web root, a slash, system_settings.sounds_web_directory."""
    directory = call.db.value("SELECT sounds_web_directory FROM system_settings LIMIT 1")
    return f"{WEB_ROOT}/{directory or ''}"
