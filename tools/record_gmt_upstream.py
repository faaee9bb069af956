"""Record upstream's GMT offsets (check_phone_number) at chosen instants: tests/data/gmt_upstream.json.

Not run by CI (CI cannot reach upstream). What it does, on a machine with upstream's scripts and
MariaDB on loopback (the user cron or one with its grants) and libfaketime:

1. takes the harness's run lock (sql_fixture's GET_LOCK, so no vicicert run is in flight), checks
   the host holds none of the fictional code rows below (unassigned country codes 280 to 289, N11
   area codes, postal codes and time zone codes starting VC, the state VCRT), nor the recorder's
   user and call time, and writes them;
2. serves upstream's www with PHP's built-in server on 127.0.0.1:8092 under libfaketime, whose
   clock it sets before each request (a file read at every call), after checking that a request
   that reads no clock answers byte for byte as the shared Apache (8081) does;
3. asks check_phone_number for every input at the instants where this project's port says an
   offset changes (one second before and at the change) and at a few fixed instants, checking
   the clock it set with function=version;
4. deletes its rows (a count proves it) and releases the lock, whatever happened.

The instants come from the port, the answers from upstream: a port wrong about where a change
falls differs from upstream at one of the two instants around it.

    .venv/bin/python tools/record_gmt_upstream.py --world-db mysql://cron:PASS@127.0.0.1:3306/asterisk
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pymysql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.host.app import ReferenceHost  # noqa: E402
from conformance.host.http import HostRequest  # noqa: E402
from conformance.tables.database import SqliteDatabase  # noqa: E402

OUT = ROOT / "tests" / "data" / "gmt_upstream.json"
PORT = 8092
LOCK = "vicicert run on asterisk"
USER = "vcrtgmt22"
CALL_TIME = {"call_time_id": "VCERTGMT", "call_time_name": "vicicert gmt nine to five",
             "ct_default_start": 900, "ct_default_stop": 1700}

# (country_code, areacode, state, GMT_offset, DST, DST_range, tz_code): in insert order
PHONE_CODES = [
    (280, "000", "", "-5.00", "Y", "SSM-FSN", ""), (281, "000", "", "-6.00", "Y", "FSA-LSO", ""),
    (282, "000", "", "+1.00", "Y", "LSM-LSO", ""), (283, "000", "", "+10.00", "Y", "LSO-LSM", ""),
    (284, "000", "", "+10.00", "Y", "FSO-LSM", ""), (285, "000", "", "+9.50", "Y", "FSO-FSA", ""),
    (286, "000", "", "+12.00", "Y", "FSO-TSM", ""), (287, "000", "", "+12.75", "Y", "LSS-FSA", ""),
    (288, "000", "", "-3.00", "Y", "TSO-LSF", ""),
    (1, "211", "", "-3.50", "Y", "SSM-FSN", ""), (1, "311", "", "-5.00", "Y", "SSM-FSN", ""),
    (1, "411", "", "+5.75", "N", "", ""), (1, "511", "", "-9.50", "Y", "SSM-FSN", ""),
    (1, "611", "", "-7.00", "N", "SSM-FSN", ""),   # DST N, yet a range: the range decides
    (1, "711", "", "-4.00", "Y", "FSA-LSO", "VCZ1"), (1, "811", "", "-4.00", "Y", "SSM-FSN", "VCZ1"),
    (52, "011", "", "-6.00", "Y", "FSA-LSO", ""), (52, "111", "", "-7.00", "N", "", ""),
    (61, "000", "VCRQ", "+10.00", "Y", "FSO-FSA", "VCZ2"), (61, "001", "VCRS", "+8.00", "N", "", ""),
    (61, "002", "VCRT", "+9.50", "Y", "LSO-LSM", ""), (280, "001", "", "+5.50", "N", "", "VCZ3"),
]
POSTAL_CODES = [  # (postal_code, GMT_offset, DST, DST_range, country_code)
    ("VCR01", "-5.00", "Y", "SSM-FSN", 1), ("VCR02", "-10.00", "N", "", 1), ("VCR03", "+9.50", "Y", "LSO-LSM", 1),
    ("VCR04", "-3.50", "Y", "SSM-FSN", 1),
]
NANPA = [("911", f"{200 + n}", offset, dst) for n, (offset, dst) in enumerate(
    [("-5.00", "Y"), ("-6.00", "Y"), ("-7.00", "N"), ("-3.50", "Y"), ("-10.00", "N"), ("-8.00", "Y"),
     ("-9.00", "Y"), ("-4.00", "N"), ("+10.00", "Y"), ("-5.50", "Y")])]


def _input(code, phone, method="AREACODE", postal="", state="", owner="", prefix_check=""):
    return {"phone_code": code, "phone_number": phone, "tz_method": method, "postal_code": postal, "state": state,
            "owner": owner, "usacan_prefix_check": prefix_check}


INPUTS = [
    *[_input(str(code), "2125550100") for code in range(280, 289)],
    _input("289", "2125550100"),                     # a code without rows: nothing found
    _input("0282", "2125550100"),                    # the code as a number
    *[_input("1", f"{area}5550100") for area in ("211", "311", "411", "511", "611")],
    _input("1", "0115550100"),                       # code 1, an area without a row: the code's first row
    _input("52", "0115550100"), _input("52", "1115550100"), _input("52", "2225550100"),
    _input("61", "2125550100", state="VCRT"), _input("61", "2125550100", state="vcrs"),
    _input("61", "2125550100", state="VCRX"),        # code 61, no such state: the code's first row
    _input("1", "3115550100", "TZCODE", owner="VCZ1"), _input("61", "2125550100", "TZCODE", owner="vcz2"),
    _input("280", "2125550100", "TZCODE", owner="VCZ3"), _input("289", "2125550100", "TZCODE", owner="VCZ9"),
    _input("1", "5115550100", "TZCODE", owner="VCZ9"),   # no such code: the area code's row
    _input("1", "3115550100", "POSTAL", postal="VCR01"), _input("1", "3115550100", "POSTAL", postal="vcr02"),
    _input("1", "3115550100", "POSTAL", postal="VCR03"), _input("1", "3115550100", "POSTAL", postal="VCR04"),
    _input("1", "4115550100", "POSTAL", postal="VCR99"),  # no such postal code: the area code's row
    *[_input("1", f"911{200 + n}0100", "NANPA") for n in range(10)],
    _input("1", "9112040100", "NANPA", prefix_check="Y"),  # the prefix cut to one digit: no NANPA lookup
    _input("1", "2115550100", "AREACODE-POSTAL-TZCODE-NANPA", postal="VCR03", owner="VCZ1"),
]

# Another PHP zone (--php-zone): fewer inputs, and the zone's own changes (UTC) besides the port's
ZONE_INPUTS = [_input("280", "2125550100"), _input("283", "2125550100"), _input("289", "2125550100"),
               _input("1", "2115550100"), _input("1", "4115550100"), _input("1", "5115550100"),
               _input("289", "2125550100", "TZCODE", owner="VCZ9")]
ZONE_FIXED = {"America/New_York": ["2027-03-14 06:59:59", "2027-03-14 07:00:00", "2027-03-14 07:30:00",
                                   "2027-11-07 05:59:59", "2027-11-07 06:00:00", "2027-11-07 05:30:00"]}
FIXED = ["2027-01-15 12:00:00", "2027-07-15 12:00:00", "2027-03-14 01:30:00", "2027-11-07 06:30:00"]
WINDOWS = [("2027-02-01", "2027-05-01"), ("2027-09-01", "2027-12-01"), ("2028-03-01", "2028-04-01"),
           ("2032-02-15", "2032-03-15")]


def epoch(text: str) -> int:
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S" if " " in text else "%Y-%m-%d"))


def code_rows() -> dict[str, list[dict]]:
    return {
        "vicidial_phone_codes": [dict(zip(("country_code", "areacode", "state", "GMT_offset", "DST", "DST_range",
                                           "tz_code"), row)) for row in PHONE_CODES],
        "vicidial_postal_codes": [dict(zip(("postal_code", "GMT_offset", "DST", "DST_range", "country_code"), row))
                                  for row in POSTAL_CODES],
        "vicidial_nanpa_prefix_codes": [dict(zip(("areacode", "prefix", "GMT_offset", "DST"), row)) for row in NANPA],
    }


def _declared(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows with only the columns the embedded host declares (DST of phone and postal codes is not read)."""
    drop = {"vicidial_phone_codes": {"DST"}, "vicidial_postal_codes": {"DST"}}
    return {table: [{k: v for k, v in row.items() if k not in drop.get(table, ())} for row in table_rows]
            for table, table_rows in rows.items()}


class Port:
    """The reference host with the code rows, asked at any instant."""

    def __init__(self, folder: Path):
        from conformance.bundle import EMBEDDED_WORLD
        from conformance.tables.provisioning import world_rows
        from conformance.world import load_world
        world = load_world(EMBEDDED_WORLD)
        self.user = world.api_users["api_admin"]
        self.db = SqliteDatabase(folder / "port.sqlite")
        rows = world_rows(world)
        rows["vicidial_call_times"] = [*rows.get("vicidial_call_times", []), CALL_TIME]
        self.db.replace_rows({**rows, **_declared(code_rows())})
        self.now = 0
        self.app = ReferenceHost(self.db, clock=lambda: self.now)

    def answer(self, given: dict, at: int) -> str:
        self.now = at
        params = {"function": "check_phone_number", "source": "vicicert", "user": self.user["user"],
                  "pass": self.user["pass"], "local_call_time": CALL_TIME["call_time_id"], **given}
        query = urllib.parse.urlencode(params)
        return self.app(HostRequest("GET", "/vicidial/non_agent_api.php", params, {}, query)).body


def offsets(answer: str) -> list[str]:
    return [part.split("|")[1] for part in answer.split("#")[:-1]]


def changes(port: Port, given: dict) -> list[int]:
    """The instants where the port's offsets change, to the second, within the windows."""
    found = []
    for start, stop in WINDOWS:
        at, end = epoch(start), epoch(stop)
        before = offsets(port.answer(given, at))
        while at < end:
            after = offsets(port.answer(given, at + 3 * 3600))
            if after != before:
                low, high = at, at + 3 * 3600
                while high - low > 1:
                    middle = (low + high) // 2
                    if offsets(port.answer(given, middle)) == before:
                        low = middle
                    else:
                        high = middle
                found.append(high)
            at, before = at + 3 * 3600, after
    return found


def instants(port: Port, given: dict, more: list[str] = ()) -> list[int]:
    chosen = {epoch(text) for text in [*FIXED, *more]}
    for change in changes(port, given):
        chosen |= {change - 1, change}
    return sorted(chosen)


# ---- upstream ---------------------------------------------------------------------------------

def connect(url: str):
    parts = urllib.parse.urlparse(url)
    return pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username,
                           password=urllib.parse.unquote(parts.password or ""), database=parts.path.lstrip("/"),
                           autocommit=True)


def value(connection, statement: str, *args):
    with connection.cursor() as cursor:
        cursor.execute(statement, args or None)
        row = cursor.fetchone()
        return row[0] if row else None


OURS = {
    "vicidial_phone_codes": "country_code BETWEEN 280 AND 289 OR (country_code=1 AND areacode LIKE '_11') "
                            "OR (country_code=52 AND areacode IN ('011','111')) OR state LIKE 'VCR%' "
                            "OR tz_code LIKE 'VCZ%'",
    "vicidial_postal_codes": "postal_code LIKE 'VCR%'",
    "vicidial_nanpa_prefix_codes": "areacode='911'",
    "vicidial_users": f"user='{USER}'",
    "vicidial_call_times": f"call_time_id='{CALL_TIME['call_time_id']}'",
}


def held(connection) -> dict[str, int]:
    return {table: value(connection, f"SELECT count(*) FROM {table} WHERE {where}") for table, where in OURS.items()}


def insert(connection, table: str, row: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})",
                       tuple(row.values()))


def remove(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        for table, where in OURS.items():
            cursor.execute(f"DELETE FROM {table} WHERE {where}")
    return held(connection)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--world-db", required=True, help="mysql://user:pass@host:port/asterisk (upstream's)")
    parser.add_argument("--upstream", default="http://127.0.0.1:8081", help="the shared upstream Apache")
    parser.add_argument("--www", default="/work/upstream/www")
    parser.add_argument("--php-zone", default="UTC", help="PHP's date.timezone (the records of another zone stay)")
    arguments = parser.parse_args()
    zone = arguments.php_zone
    os.environ["TZ"] = zone   # the port reads PHP's zone as its process's
    time.tzset()
    folder = Path(tempfile.mkdtemp(prefix="gmt22-"))
    port = Port(folder)
    inputs = INPUTS if zone == "UTC" else [given for given in INPUTS if given in ZONE_INPUTS]
    plan = [(given, at) for given in inputs for at in instants(port, given, ZONE_FIXED.get(zone, []))]
    print(f"{len(plan)} input/instant pairs", flush=True)

    connection = connect(arguments.world_db)
    while value(connection, "SELECT GET_LOCK(%s, 0)", LOCK) != 1:
        print("the run lock is held; waiting 30 s", flush=True)
        time.sleep(30)
    server = None
    try:
        if any(held(connection).values()):
            raise SystemExit(f"the host already holds rows in the fictional ranges: {held(connection)}")
        password = secrets.token_hex(12)
        insert(connection, "vicidial_users", {"user": USER, "pass": password, "full_name": "vicicert gmt recorder",
                                              "user_level": 9, "user_group": "ADMIN", "active": "Y",
                                              "vdc_agent_api_access": "1", "api_allowed_functions": " ALL_FUNCTIONS "})
        insert(connection, "vicidial_call_times", CALL_TIME)
        for table, rows in code_rows().items():
            for row in rows:
                insert(connection, table, row)

        clock_file = folder / "clock"
        clock_file.write_text("2027-01-15 12:00:00\n")
        library = next(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))
        environment = {**os.environ, "TZ": "UTC", "LD_PRELOAD": str(library), "FAKETIME_TIMESTAMP_FILE": str(clock_file),
                       "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        server = subprocess.Popen(["php", "-d", f"date.timezone={zone}", "-S", f"127.0.0.1:{PORT}", "-t", arguments.www], env=environment,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{PORT}/vicidial/non_agent_api.php"
        for _ in range(50):
            try:
                get(f"{base}?function=version")
                break
            except OSError:
                time.sleep(0.1)
        probe = "?function=check_phone_number&user=nobody-gmt22&pass=x&source=vicicert"
        if get(base + probe) != get(f"{arguments.upstream}/vicidial/non_agent_api.php{probe}"):
            raise SystemExit("PHP's built-in server does not answer as the shared Apache does")

        records = []
        for given, at in plan:
            clock_file.write_text(time.strftime("%Y-%m-%d %H:%M:%S\n", time.gmtime(at)))
            if f"|EPOCH: {at}|" not in get(f"{base}?function=version").decode():
                raise SystemExit(f"the faked clock is not at {at}")
            params = {"function": "check_phone_number", "source": "vicicert", "user": USER, "pass": password,
                      "local_call_time": CALL_TIME["call_time_id"], **given}
            answer = get(f"{base}?{urllib.parse.urlencode(params)}").decode("latin-1")
            records.append({"php_zone": zone, "input": given, "epoch": at, "utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at)),
                            "upstream": answer})
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        left = remove(connection)
        value(connection, "SELECT RELEASE_LOCK(%s)", LOCK)
        print(f"rows left in the fictional ranges: {left}", flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    kept = [record for record in json.loads(OUT.read_text())["records"] if record.get("php_zone", "UTC") != zone] \
        if OUT.exists() else []
    records = kept + records
    OUT.write_text(json.dumps({
        "about": ABOUT, "upstream": "www/vicidial/non_agent_api.php 2.14-202 (commit f1430484), PHP 8.2, "
                                    "date.timezone php_zone (UTC as installed), servers.local_gmt -5.00 (active), "
                                    "MariaDB",
        "call_time": CALL_TIME, "code_rows": code_rows(), "records": records}, indent=1) + "\n")
    print(f"wrote {len(records)} records to {OUT}")
    return 0


ABOUT = [
    "Upstream's check_phone_number answers (one offset and dialable flag per tz_method) for each input",
    "at each instant (epoch; utc is the same instant), recorded by tools/record_gmt_upstream.py with",
    "upstream's PHP under libfaketime and these code rows in its database. tests/test_gmt_upstream.py",
    "holds the port (conformance/host/gmt_lookup.py) to every record.",
    "Upstream's odd parts that the records show and the port reproduces:",
    "- PHP's clock is UTC while the server row says -5.00: the number's clock is UTC moved by",
    "  (offset + 5) hours, 5 hours ahead of its real local time, so each change comes 5 hours early.",
    "- SSM-FSN: on 2027-03-14 (the second Sunday) daylight saving time applies from midnight, not 2 am.",
    "- FSO-TSM: in 2027 it ends on March 14 (the second Sunday), not the 21st.",
    "- LSS-FSA: never starts in September; it starts at midnight on October 1.",
    "- TSO-LSF: starts on October 24, 2027 (the fourth Sunday), and in 2032 ends on February 22, not 29.",
    "- Half-hour differences lose their half (mktime() takes whole hours; PHP cuts toward zero).",
    "- The DST column is never read: a row with DST N and a range keeps daylight saving time.",
    "- With daylight saving time the offset prints as PHP's number (-4, 6.5), else as stored (-5.00).",
    "- usacan_prefix_check=Y cuts the prefix to one digit: the NANPA lookup is skipped.",
    "- Code 1, 52 or 61 without a matching area or state (and any other code) take the code's first row",
    "  (the rows here are inserted in area code order, so index order and insert order agree).",
    "- php_zone America/New_York (recorded with date.timezone set so): the server's offset is local_gmt",
    "  plus one in New York's summer (-4), and the number's clock is New York's wall clock moved by the",
    "  difference, so the changes move with New York's own (2027-03-14 07:00 and 2027-11-07 06:00 UTC).",
]

if __name__ == "__main__":
    sys.exit(main())
