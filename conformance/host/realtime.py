"""What upstream's real-time Non-Agent functions (agent_status, logged_in_agents,
user_group_status, in_group_status) read from the API user's group and the live tables.

Facts from www/vicidial/non_agent_api.php (2.14-202): the group's ``admin_viewable_groups``
limits the agents shown unless it holds ``--ALL--`` or is 3 characters or fewer; its
``allowed_campaigns`` limits campaigns and calls unless it holds ``-ALL`` (a group with no row
has neither, so it sees every user group and no campaign). Both lists are upstream's
space-separated text with a trailing `` -``: ``" A B -"`` becomes ``('', 'A', 'B')``, the leading
space leaving an empty name as upstream's SQL does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..tables.database import Database


def _names(text: str) -> tuple[str, ...]:
    """Upstream's list text as the names its IN(...) holds: " -" dropped, split at spaces."""
    return tuple(text.replace(" -", "").split(" "))


@dataclass(frozen=True)
class GroupScope:
    """What the API user's group lets it see: None is everything."""

    viewable_groups: tuple[str, ...] | None
    campaigns: tuple[str, ...] | None

    @classmethod
    def of(cls, db: Database, user_group: str) -> "GroupScope":
        row = db.one("SELECT admin_viewable_groups, allowed_campaigns FROM vicidial_user_groups WHERE user_group=?",
                     user_group)
        viewable, campaigns = (row[0] or "", row[1] or "") if row else ("", "")
        groups = None
        if not re.search("--ALL--", viewable, re.IGNORECASE) and len(viewable) > 3:
            groups = ("---ALL---", *_names(viewable))
        allowed = None if re.search("-ALL", campaigns, re.IGNORECASE) else _names(campaigns)
        return cls(groups, allowed)

    def call_campaigns(self, db: Database) -> tuple[str, ...] | None:
        """The campaigns and in-groups whose calls the group sees (user_group_status, in_group_status):
        the allowed campaigns, every in-group of a viewable user group, and an empty name."""
        if self.campaigns is None:
            return None
        where, args = "", ()
        if self.viewable_groups is not None:
            where, args = f" WHERE user_group IN ({marks(self.viewable_groups)})", self.viewable_groups
        ingroups = tuple(str(group) for (group,) in db.all(f"SELECT group_id FROM vicidial_inbound_groups{where}",
                                                             *args))
        return (*self.campaigns, *ingroups, "")


def marks(values: tuple) -> str:
    """Placeholders for ``IN (...)``."""
    return ", ".join("?" for _ in values)


def number(value) -> float:
    """A column compared with ``> 0`` in PHP 8: a numeric string by its value, anything else as 0."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


@dataclass
class LiveAgent:
    """One vicidial_live_agents row as the real-time functions read it."""

    user: str
    status: str
    callerid: str
    lead_id: str
    campaign_id: str
    calls_today: str
    agent_log_id: str
    on_hook_agent: str
    ring_callerid: str
    preview_lead_id: str
    conf_exten: str
    comments: str

    COLUMNS = ("user, status, callerid, lead_id, campaign_id, calls_today, agent_log_id, on_hook_agent, "
               "ring_callerid, preview_lead_id, conf_exten, comments")

    @classmethod
    def from_row(cls, row: tuple) -> "LiveAgent":
        return cls(*("" if value is None else str(value) for value in row))


def screen_status(db: Database, agent: LiveAgent, chat_creator: str) -> tuple[str, str, str]:
    """agent_status's and logged_in_agents' pause code, real-time sub-status and lead_id.

    The sub-status: RING (on hook, a ring caller id over 18 characters), DISPO (paused with a
    lead), PREVIEW (paused with a preview lead, which becomes the lead_id shown), and for INCALL
    3-WAY (another INCALL agent on the lead), PARK (a parked call under the caller id), DEAD (a
    chat whose customer left, or no live call under the caller id unless on an email) or DIAL (a
    manual dial whose live call has no uniqueid and no channel of 5 characters yet)."""
    pause_code = db.value("SELECT sub_status FROM vicidial_agent_log WHERE user=? AND agent_log_id=?",
                          agent.user, agent.agent_log_id)
    lead_id, status = agent.lead_id, ""
    if agent.on_hook_agent == "Y" and len(agent.ring_callerid) > 18:
        status = "RING"
    if agent.status == "PAUSED" and number(agent.lead_id) > 0:
        status = "DISPO"
    if agent.status == "PAUSED" and number(agent.preview_lead_id) > 0:
        status, lead_id = "PREVIEW", agent.preview_lead_id
    if agent.status == "INCALL":
        if number(lead_id) > 0 and len(db.all("SELECT 1 FROM vicidial_live_agents WHERE lead_id=? AND status='INCALL'",
                                              lead_id)) > 1:
            status = "3-WAY"
        if int(db.value("SELECT count(*) FROM parked_channels WHERE channel_group=?", agent.callerid) or 0) > 0:
            status = "PARK"
        elif re.search("CHAT", agent.comments, re.IGNORECASE):
            if _customer_left_chat(db, chat_creator, lead_id):
                status = "DEAD"
        elif re.search("EMAIL", agent.comments, re.IGNORECASE):
            pass
        elif int(db.value("SELECT count(*) FROM vicidial_auto_calls WHERE callerid=?", agent.callerid) or 0) < 1:
            status = "DEAD"
        elif agent.comments == "MANUAL" and manual_dial_ringing(db, agent.callerid):
            status = "DIAL"
    return ("" if pause_code is None else str(pause_code)), status, lead_id


def _customer_left_chat(db: Database, creator: str, lead_id: str) -> bool:
    """The agent's latest chat on the lead has a message ending 'has left chat'."""
    chat = db.one("SELECT chat_id FROM vicidial_live_chats WHERE chat_creator=? AND lead_id=? "
                  "ORDER BY chat_start_time DESC LIMIT 1", creator, lead_id)
    chat_id = "" if chat is None or chat[0] is None else str(chat[0])
    return int(db.value("SELECT count(*) FROM vicidial_chat_log WHERE chat_id=? AND message LIKE '%has left chat'",
                        chat_id) or 0) > 0


def manual_dial_ringing(db: Database, callerid: str) -> bool:
    """The first live call under the caller id has neither a uniqueid nor a channel of 5 characters."""
    call = db.one("SELECT uniqueid, channel FROM vicidial_auto_calls WHERE callerid=? LIMIT 1", callerid)
    return call is not None and len(call[0] or "") < 5 and len(call[1] or "") < 5
