"""``recording_lookup``: recordings of an agent, a lead, an extension, a day or a call, oldest first.

Follows upstream www/vicidial/non_agent_api.php (2.14-202) recording_lookup. The API user needs
Agent API access, view reports and a level above 6. Each search field counts toward a search
that must reach 2: agent_user (3 to 20 characters) 1, lead_id (1 to 10 digits) 2, extension (3
to 100 characters) 1, date (10 characters, the whole day) 1, and uniqueid (over 8 characters) 2
when a call has it: its part before the first dot is matched as a prefix (LIKE, so ``_`` is any
character) in vicidial_log, whose calls' recordings carry it in vicidial_id, and in
vicidial_closer_log, whose calls' recordings carry the closecallid. Fields out of range are
ignored. At most 100000 rows, by start_time. With duration holding a Y the length comes before
the location: length_in_sec when above 0, else end minus start epoch when under a day, else 0;
the header line never names it.
"""

from __future__ import annotations

from ..call_day import day_window
from ..export import delimiter
from ..non_agent_api import NonAgentCall
from ..permission_gate import Gate
from ..php import keep
from ..registry import host_function

PARAMS = {"agent_user": "-_0-9a-zA-Z", "lead_id": "0-9", "extension": "-_0-9a-zA-Z", "date": "-0-9",
          "uniqueid": "- ._0-9a-zA-Z", "stage": "-_0-9a-zA-Z", "header": "0-9a-zA-Z", "duration": "-_0-9a-zA-Z"}
HEADER = ("start_time", "user", "recording_id", "lead_id", "location")
ROW_LIMIT = 100_000
DAY = 86_400


@host_function("non_agent_api", "recording_lookup", params=PARAMS, steps=("source", "permission", "gate"),
               gate=Gate("ERROR: {function} USER DOES NOT HAVE PERMISSION TO GET RECORDING INFO: |{user}|{count}|\n",
                         level=(">", 6)))
def recording_lookup(call: NonAgentCall) -> str:
    p, user = call.p, call.p["user"]
    lead_id, date = keep(p["lead_id"], "0-9"), keep(p["date"], "-0-9")   # filtered in either character mode
    agent_user, extension, uniqueid = p["agent_user"], p["extension"], p["uniqueid"]
    echoed = f"{user}|{agent_user}|{lead_id}|{date}|{uniqueid}"
    where, args, ready = [], [], 0
    if len(uniqueid) > 8:
        found = _uniqueid_search(call, uniqueid.split(".")[0])
        if found is not None:
            where.append(found[0])
            args += found[1]
            ready += 2
    for name, value, low, high, weight in (("user", agent_user, 3, 20, 1), ("lead_id", lead_id, 1, 10, 2),
                                           ("extension", extension, 3, 100, 1)):
        if low <= len(value) <= high:
            where.append(f"{name} = ?")
            args.append(value)
            ready += weight
    if len(date) == 10:
        window = day_window(date)
        where.append("start_time >= ? AND start_time <= ?" if window else "1 = 0")
        args += list(window or ())
        ready += 1
    if ready < 2:
        return f"ERROR: recording_lookup INVALID SEARCH PARAMETERS: {echoed}\n"
    rows = call.db.all("SELECT start_time, user, recording_id, lead_id, location, start_epoch, end_epoch, "
                       f"length_in_sec FROM recording_log WHERE {' AND '.join(where)} ORDER BY start_time "
                       f"LIMIT {ROW_LIMIT}", *args)
    if not rows:
        return f"ERROR: recording_lookup NO RECORDINGS FOUND - {echoed}\n"
    separator = delimiter(p["stage"])
    lines = [separator.join(HEADER)] if p["header"] == "YES" else []
    with_duration = "Y" in p["duration"]
    for start_time, agent, recording_id, lead, location, start_epoch, end_epoch, length in rows:
        values = [_text(start_time), _text(agent), _text(recording_id), _text(lead)]
        if with_duration:
            values.append(str(_duration(start_epoch, end_epoch, length)))
        lines.append(separator.join(values + [_text(location)]))
    return "".join(line + "\n" for line in lines)


def _uniqueid_search(call: NonAgentCall, prefix: str) -> tuple[str, list] | None:
    """The recordings of the calls whose uniqueid starts with ``prefix``, or None when no call has it."""
    pattern = prefix + "%"
    parts, args = [], []
    if int(call.db.value("SELECT count(*) FROM vicidial_log WHERE uniqueid LIKE ?", pattern) or 0) > 0:
        parts.append("vicidial_id LIKE ?")
        args.append(pattern)
    closer_ids = [str(row[0]) for row in call.db.all("SELECT closecallid FROM vicidial_closer_log WHERE uniqueid LIKE ?",
                                                     pattern)]
    if closer_ids:
        parts.append(f"vicidial_id IN ({', '.join('?' for _ in closer_ids)})")
        args += closer_ids
    return (f"({' OR '.join(parts)})", args) if parts else None


def _duration(start_epoch, end_epoch, length) -> int:
    if length is not None and int(length) > 0:
        return int(length)
    spent = int(end_epoch or 0) - int(start_epoch or 0)
    return spent if 0 < spent < DAY else 0


def _text(value) -> str:
    return "" if value is None else str(value)
