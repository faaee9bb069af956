"""multi_alt_phones (add_lead, update_lead's insert): a new lead's further numbers.

Upstream (non_agent_api.php 2.14-202) splits the filtered value at ``!`` into entries of
``number_code_note``, prints each entry's three parts joined by ``|`` with no line end (a part
left out prints empty), and stores one vicidial_list_alt_phones row per entry (phone code 1 when
none is given; alt_phone_count counts the entries from 1); then one NOTICE with the rows stored.
"""

from __future__ import annotations

from .mysql_text import stored

FILTER = "- +!:_0-9a-zA-Z"   # upstream's filter of multi_alt_phones (latin mode); + then reads as a space


def load_alt_phones(call, function: str, lead_id: int, text: str) -> str:
    """What upstream prints for ``text`` (the filtered value; nothing at 5 characters or fewer)
    after storing its rows for ``lead_id``."""
    if len(text) <= 5:
        return ""
    printed, loaded = "", 0
    for count, entry in enumerate(text.split("!"), 1):
        parts = (entry.split("_") + ["", ""])[:3]
        number, code, note = parts
        printed += "|".join(parts)
        row = {"lead_id": lead_id, "phone_code": stored("vicidial_list_alt_phones", "phone_code", code or "1"),
               "phone_number": stored("vicidial_list_alt_phones", "phone_number", number),
               "alt_phone_note": stored("vicidial_list_alt_phones", "alt_phone_note", note),
               "alt_phone_count": count}
        loaded += call.db.write(f"INSERT INTO vicidial_list_alt_phones ({', '.join(row)}) "
                                f"VALUES ({', '.join('?' for _ in row)})", *row.values())
    return printed + f"NOTICE: {function} MULTI-ALT-PHONE NUMBERS LOADED - {loaded}|{lead_id}|{call.p['user']}\n"
