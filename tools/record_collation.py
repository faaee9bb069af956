"""Record MariaDB's utf8mb3_unicode_ci weights: conformance/tables/unicode_ci_weights.txt.gz.

Upstream's tables are utf8mb3_unicode_ci (UCA 4.0.0: case and accents ignored, ß = ss, trailing
spaces padded, punctuation before digits before letters). The reference host compares text on
SQLite with the weights this writes (conformance/tables/collation.py). Not run by CI; run it
against any MariaDB (it writes nothing but a temporary table of its own session):

    .venv/bin/python tools/record_collation.py --db mysql://USER:PASS@127.0.0.1:3306/DATABASE

For each character of the Basic Multilingual Plane (all that utf8mb3 can hold) it reads
WEIGHT_STRING under the collation, and keeps those whose weights are not UCA's implicit ones
(computed from the code point: CJK ideographs, unassigned characters), one line each:
``CODEPOINT WEIGHT WEIGHT...`` in hex, no weight for an ignorable character.
"""

from __future__ import annotations

import argparse
import gzip
import urllib.parse
from pathlib import Path

import pymysql

from conformance.tables.collation import WEIGHTS_FILE, implicit_weights

CHUNK = 4000


def record(url: str) -> dict[int, tuple[int, ...]]:
    parts = urllib.parse.urlparse(url)
    connection = pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username,
                                 password=urllib.parse.unquote(parts.password or ""),
                                 database=parts.path.lstrip("/"), charset="utf8mb3")
    points = [point for point in range(1, 0x10000) if not 0xD800 <= point <= 0xDFFF]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE vicicert_characters (point INT PRIMARY KEY, "
                       "text VARCHAR(4) CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci)")
        for start in range(0, len(points), CHUNK):
            chunk = points[start:start + CHUNK]
            cursor.executemany("INSERT INTO vicicert_characters VALUES (%s, %s)", [(p, chr(p)) for p in chunk])
        cursor.execute("SELECT point, HEX(WEIGHT_STRING(text)) FROM vicicert_characters ORDER BY point")
        found = {point: bytes.fromhex(weights or "") for point, weights in cursor.fetchall()}
    connection.close()
    if len(found) != len(points):
        raise SystemExit(f"record_collation: {len(points) - len(found)} characters did not go in")
    return {point: tuple(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2))
            for point, raw in found.items()}


def kept_lines(weights: dict[int, tuple[int, ...]]) -> list[str]:
    """The file's lines: each character whose weights UCA does not compute from its code point."""
    return [f"{point:04X} " + " ".join(f"{weight:04X}" for weight in found)
            for point, found in sorted(weights.items()) if found != implicit_weights(point)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="mysql://USER:PASS@HOST:PORT/DATABASE")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    args = parser.parse_args()
    weights = record(args.db)
    kept = kept_lines(weights)
    header = "# MariaDB utf8mb3_unicode_ci weights (UCA 4.0.0) of the characters whose weights are not implicit\n"
    args.out.write_bytes(gzip.compress((header + "\n".join(kept) + "\n").encode(), mtime=0))
    print(f"record_collation: {len(weights)} characters read, {len(kept)} kept in {args.out}")


if __name__ == "__main__":
    main()
