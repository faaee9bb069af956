"""The campaigns the API user's group allows, as the Non-Agent list and lead functions read them.

After their permission gate, list_info, list_custom_fields, lead_field_info and lead_all_info
of upstream's www/vicidial/non_agent_api.php read ``allowed_campaigns`` of the API user's
group and, unless it says every campaign, add ``campaign_id IN(...)`` to their list lookups:
the text without its `` -`` marks, split at each space (the leading space leaves an empty
name). A group with no row reads as no text, which allows the empty name only: no list.
"""

from __future__ import annotations

import re

from ..tables.database import Database

LISTS = (r"-ALL", " -", " ")                     # list_info, list_custom_fields, lead_field_info
LEADS = (r"ALL-CAMPAIGNS", r"\s-", r"\s")       # lead_all_info


def allowed_campaigns(db: Database, user_group: str, reading: tuple[str, str, str] = LISTS) -> tuple[str, ...] | None:
    """The group's campaigns (None: every campaign), read as one of upstream's two ways."""
    everything, mark, separator = reading
    text = db.value("SELECT allowed_campaigns FROM vicidial_user_groups WHERE user_group=?", user_group) or ""
    if re.search(everything, text, re.IGNORECASE):
        return None
    return tuple(re.split(separator, re.sub(mark, "", text)))


def campaign_clause(campaigns: tuple[str, ...] | None) -> tuple[str, list[str]]:
    """`` AND campaign_id IN (...)`` and its values, or nothing for every campaign."""
    if campaigns is None:
        return "", []
    return f" AND campaign_id IN ({', '.join('?' for _ in campaigns)})", list(campaigns)
