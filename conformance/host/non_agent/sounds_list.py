"""``sounds_list``: the audio store's files, as text, links or an HTML chooser.

Upstream (non_agent_api.php, sounds_list block): a level gate (a logged-in API user always
passes it), the allowed functions, central sound control, then the audio store directory
(web root / system_settings.sounds_web_directory) must exist on the web server's disk. Only
then are the .wav and .gsm files listed (sorted by ``stage``, printed by ``format``, wav files
audio_store_details marks BAD flagged). The reference host has no audio store on disk
(sound_control.py), so it answers every request that gets that far with the missing-directory
error; what a real host lists depends on its files, which no world row can give.
"""

from __future__ import annotations

from ..non_agent_api import NonAgentCall
from ..registry import host_function
from ..sound_control import SOUNDS_GATE, audio_store_path, central_control_refusal


@host_function("non_agent_api", "sounds_list", params={}, steps=("gate", "permission"), gate=SOUNDS_GATE)
def sounds_list(call: NonAgentCall) -> str:
    refusal = central_control_refusal(call)
    if refusal is not None:
        return refusal
    return f"ERROR: audio store web directory does not exist: |{call.p['user']}|sounds_list|{audio_store_path(call)}|\n"
