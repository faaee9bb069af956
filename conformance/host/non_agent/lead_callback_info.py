"""``lead_callback_info``: a lead's scheduled callbacks, archived ones first, each in callback_id order.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) lead_callback_info. A list-restricted
API user (``api_list_restrict``) sees a callback only when its list belongs to one of the user
group's allowed campaigns; the first callback outside them ends the answer with LEAD NOT FOUND.
Upstream's list check takes over the result the loop reads from, so a restricted user's second
callback of a pass reads as empty (no list) and is refused too.
The answer is printed only when it is long enough: more than 10 bytes without a header, more
than 170 with one; any other header value prints nothing and so finds no callback.
"""

from __future__ import annotations

from ...tables.database import Database
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import keep
from ..registry import host_function

PARAMS = {"lead_id": "0-9", "stage": "-_0-9a-zA-Z", "search_location": "A-Z", "header": "0-9a-zA-Z"}
DELIMITERS = {"csv": ",", "tab": "\t", "newline": "\n", "pipe": "|"}
HEADER = ("lead_id", "callback_type", "recipient", "callback_status", "lead_status", "callback_date", "entry_date",
          "user", "list_id", "campaign_id", "user_group", "customer_timezone", "customer_time", "comments")
SOURCES = (("ARCHIVE", "vicidial_callbacks_archive", ("ARCHIVE", "ALL")),
           ("CURRENT", "vicidial_callbacks", ("CURRENT", "ALL", "")))
_COLUMNS = ("recipient, status, lead_status, callback_time, entry_time, user, list_id, campaign_id, user_group, "
            "comments, customer_timezone, customer_time")


@host_function("non_agent_api", "lead_callback_info", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def lead_callback_info(call: NonAgentCall) -> str:
    user = call.p["user"]
    lead_id, location = keep(call.p["lead_id"], "0-9"), keep(call.p["search_location"], "A-Z")
    stage, header = call.p["stage"], call.p["header"]
    if not 0 < len(lead_id) < 12:
        return f"ERROR: lead_callback_info INVALID SEARCH PARAMETERS: {user}|{lead_id}\n"
    campaigns = _allowed_campaigns(call.db, call.user_group, user)
    separator = DELIMITERS.get(stage)
    if separator is None:
        separator, stage = "|", "pipe"
    output = separator.join(HEADER) + "\n" if header == "YES" else ""
    for kind, table, locations in SOURCES:
        if location not in locations:
            continue
        rows = call.db.all(f"SELECT {_COLUMNS} FROM {table} WHERE lead_id=? ORDER BY callback_id", lead_id)
        for index, row in enumerate(rows):
            if campaigns is not None and index > 0:
                row = (None,) * len(row)   # upstream's list check reused the loop's result: the next fetch is empty
            recipient, status, lead_status, callback_time, entry_time, agent, list_id, campaign, group, \
                comments, timezone, customer_time = ("" if value is None else str(value) for value in row)
            if campaigns is not None and not _list_allowed(call.db, list_id, campaigns):
                return f"ERROR: lead_callback_info LEAD NOT FOUND: |{user}|1|\n"
            output += separator.join((lead_id, kind, recipient, status, lead_status, callback_time, entry_time, agent,
                                      list_id, campaign, group, timezone.replace(",", "-"), customer_time,
                                      comments)) + "\n"
    if (header in ("NO", "") and len(output) > 10) or (header == "YES" and len(output) > 170):
        return output
    return f"ERROR: lead_callback_info CALLBACK NOT FOUND: {user}|{lead_id}|{stage}|{location}\n"


def _allowed_campaigns(db: Database, group: str, user: str) -> tuple[str, ...] | None:
    """The campaigns a list-restricted user's callbacks must belong to (None: no restriction).

    Only ALL-CAMPAIGNS lifts it; a group without a row allows the empty name alone."""
    restrict = db.value("SELECT api_list_restrict FROM vicidial_users WHERE user=? AND active='Y'", user)
    if int(restrict or 0) < 1:
        return None
    allowed = db.value("SELECT allowed_campaigns FROM vicidial_user_groups WHERE user_group=?", group) or ""
    if "ALL-CAMPAIGNS" in allowed.upper():
        return None
    spaced = "".join(" " if char.isspace() else char for char in allowed)
    return tuple(spaced.replace(" -", "").split(" "))


def _list_allowed(db: Database, list_id: str, campaigns: tuple[str, ...]) -> bool:
    marks = ", ".join("?" for _ in campaigns)
    return bool(db.value(f"SELECT count(*) FROM vicidial_lists WHERE list_id=? AND campaign_id IN ({marks})",
                         list_id, *campaigns))
