"""What a user group lets its members see: admin_viewable_groups and allowed_campaigns.

Several Non-Agent functions (www/vicidial/non_agent_api.php: user_details, campaigns_list,
agent_campaigns, agent_ingroup_info) read the API user's group row and narrow their queries
with it. Upstream's rules: viewable groups restrict only when the text is longer than 3
characters and holds no ``--ALL--`` (any case), and then always admit ``---ALL---``; allowed
campaigns restrict unless the text holds ``-ALL`` (any case). A group without a row reads as
NULL: no user restriction, and no campaign at all. Each list is the text with every `` -``
removed, cut at spaces, so its leading space leaves an empty name in the list. copy_did reads
the viewable groups without the length rule (``viewable_groups_of_any_length``).
"""

from __future__ import annotations

import re

from ..tables.database import Database


def group_texts(db: Database, user_group: str) -> tuple[str | None, str | None]:
    """The group's (allowed_campaigns, admin_viewable_groups); (None, None) without a row."""
    row = db.one("SELECT allowed_campaigns, admin_viewable_groups FROM vicidial_user_groups WHERE user_group = ?",
                 user_group)
    return (row[0], row[1]) if row else (None, None)


def viewable_groups(text: str | None) -> tuple[str, ...] | None:
    """The user groups a viewer may see (None: every group)."""
    text = text or ""
    if re.search(r"--ALL--", text, re.IGNORECASE) or len(text) <= 3:
        return None
    return ("---ALL---", *_names(text))


def allowed_campaigns(text: str | None) -> tuple[str, ...] | None:
    """The campaigns a group allows (None: every campaign)."""
    text = text or ""
    if re.search(r"-ALL", text, re.IGNORECASE):
        return None
    return _names(text)


def in_clause(column: str, names: tuple[str, ...] | None) -> tuple[str, list[str]]:
    """`` AND column IN (...)`` and its arguments; nothing when ``names`` is None (no restriction)."""
    if names is None:
        return "", []
    return f" AND {column} IN ({', '.join('?' for _ in names)})", list(names)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.replace(" -", "").split(" "))


def viewable_groups_of_any_length(text: str | None) -> tuple[str, ...] | None:
    """copy_did's reading of admin_viewable_groups: every group (None) when the text holds ``--ALL--``
    (any case), else ---ALL--- and the text's names whatever its length (so an empty or " -" text
    admits ---ALL--- and '' only)."""
    if re.search(r"--ALL--", text or "", re.IGNORECASE):
        return None
    return ("---ALL---", *_names(text or ""))
