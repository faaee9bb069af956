"""``vm_list``: the voicemail boxes as an HTML chooser.

Upstream (non_agent_api.php, vm_list block): a level gate (a logged-in API user always passes
it: the login already asks for level 7 and an active account), then the allowed functions; no
central sound control check, although the docs list its refusal. The page lists the active
voicemail boxes, then the active phones' boxes, each by voicemail_id and numbered from 1 again,
of the user groups the API user's group may view (with ---ALL--- and an empty group; all of
them when it views ---ALL--- or has no row). A phone's name is its extension, a dash and its
full name. ``format`` and ``stage`` change nothing.
"""

from __future__ import annotations

from ..chooser_page import END, NORMAL, SMALL, field_name, page_head, pick_link, shade
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..realtime import GroupScope, marks
from ..registry import host_function

HEADER = "<td width=30>#</td>\n<td colspan=2>Voicemail Boxes</td>\n<td>Name</td>\n<td>Email</td>\n"


def _rows(call: NonAgentCall, table: str, columns: str) -> list[tuple]:
    """``columns`` of ``table``'s active rows the API user's group may view, by voicemail_id."""
    groups = GroupScope.of(call.db, call.user_group).viewable_groups
    where, args = "active='Y'", ()
    if groups is not None:
        where, args = f"active='Y' AND user_group IN ({marks(groups)})", groups
    return call.db.all(f"SELECT {columns} FROM {table} WHERE {where} ORDER BY voicemail_id", *args)


@host_function("non_agent_api", "vm_list", params={"comments": None}, steps=("gate", "permission"),
               gate=Gate("ERROR: vm_list USER DOES NOT HAVE PERMISSION TO VIEW VOICEMAIL BOXES LIST: |{user}|{count}|\n",
                         level=(">", 6), flags={}))
def vm_list(call: NonAgentCall) -> str:
    field = field_name(call.p["comments"])
    boxes = _rows(call, "vicidial_voicemail", "voicemail_id, fullname, email")
    phones = [(voicemail_id, f"{extension or ''} - {fullname or ''}", email) for voicemail_id, fullname, email, extension
              in _rows(call, "phones", "voicemail_id, fullname, email, extension")]
    out = [page_head(HEADER)]
    for rows in (boxes, phones):
        for number, (voicemail_id, name, email) in enumerate(rows, start=1):
            out.append(f"<tr bgcolor=\"{shade(number)}\"><td width=30>{SMALL}{number}</td>\n"
                       f"<td colspan=2>{pick_link(voicemail_id or '', field)}</td>\n"
                       f"<td>{NORMAL}{name or ''}</td>\n<td>{NORMAL}{email or ''}</td></tr>\n")
    return "".join(out) + END
