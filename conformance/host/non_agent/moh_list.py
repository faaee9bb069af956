"""``moh_list``: the music on hold classes as an HTML chooser.

Upstream (non_agent_api.php, moh_list block): a level gate whose refusal names sounds_list (a
logged-in API user always passes it: the login already asks for level 7 and an active account),
then the allowed functions, then central sound control, whose refusal names sounds_list too.
The page lists the active classes of the user groups the API user's group may view (with
---ALL--- and an empty group; every class when it views ---ALL--- or has no row), by moh_id,
each with its id as the link, name and random flag, then a row of its files in the order the
table gives them. ``format`` and ``stage`` change nothing.
"""

from __future__ import annotations

from ..chooser_page import END, NORMAL, SMALL, field_name, page_head, pick_link, shade
from ..non_agent_api import NonAgentCall
from ..realtime import GroupScope, marks
from ..registry import host_function
from ..sound_control import SOUNDS_GATE, central_control_refusal

HEADER = ("<td width=30>#</td>\n<td colspan=2>Music On Hold Class</td>\n<td>Name</td>\n<td>Random</td>\n")


@host_function("non_agent_api", "moh_list", params={"comments": None}, steps=("gate", "permission"),
               gate=SOUNDS_GATE)
def moh_list(call: NonAgentCall) -> str:
    refusal = central_control_refusal(call)
    if refusal is not None:
        return refusal
    db, field = call.db, field_name(call.p["comments"])
    groups = GroupScope.of(db, call.user_group).viewable_groups
    where, args = "active='Y'", ()
    if groups is not None:
        where, args = f"active='Y' AND user_group IN ({marks(groups)})", groups
    out = [page_head(HEADER)]
    for number, (moh_id, name, random) in enumerate(
            db.all(f"SELECT moh_id, moh_name, random FROM vicidial_music_on_hold WHERE {where} ORDER BY moh_id",
                   *args), start=1):
        moh_id, colour = moh_id or "", f"bgcolor=\"{shade(number)}\""
        files = "".join(f"{filename or ''} &nbsp; " for (filename,) in
                        db.all("SELECT filename FROM vicidial_music_on_hold_files WHERE moh_id=?", moh_id))
        out.append(f"<tr {colour}><td width=30>{SMALL}{number}</td>\n"
                   f"<td colspan=2>{pick_link(moh_id, field)}</td>\n"
                   f"<td>{NORMAL}{name or ''}</td>\n<td>{NORMAL}{random or ''}</td></tr>\n"
                   f"<tr {colour}><td colspan=2 width=100>{SMALL}&nbsp;</td>\n"
                   f"<td colspan=3 width=590>{NORMAL}Files: </font>{SMALL}{files}</td></tr>\n")
    return "".join(out) + END
