"""The reference host orders and matches text as upstream's utf8mb3_unicode_ci does, held against
a real MariaDB; the ASCII-only rule it replaces is caught."""

from __future__ import annotations

import functools
import gzip
import random
import sys
from pathlib import Path

import pymysql
import pytest

from conformance.host.mysql_text import enum_member
from conformance.tables.collation import WEIGHTS_FILE, key_characters, sort_key, mysql_text_order, order_by_weights

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from mariadb import DATABASE, PASSWORD, USER  # noqa: E402
from record_collation import kept_lines, record  # noqa: E402

# Each pair as MariaDB 10.x compares it under utf8mb3_unicode_ci (STRCMP).
KNOWN = [("é", "E", 0), ("ß", "ss", 0), ("ﬁ", "fi", 0), ("Ａ", "a", 0), ("LEAD01 ", "lead01", 0),
         ("ø", "o", 1), ("Æ", "ae", 1), ("ı", "I", 1), ("TEST_1", "TEST1", -1), ("a-b", "a_b", 1),
         ("a\t", "a", -1), (" a", "a", -1), ("a", "b", -1)]


def ascii_only(left: str, right: str) -> int:
    """The rule the host had: ASCII case and trailing spaces only."""
    left, right = left.rstrip(" ").lower(), right.rstrip(" ").lower()
    return (left > right) - (left < right)


@pytest.mark.parametrize("left, right, order", KNOWN)
def test_known_pairs(left, right, order):
    assert mysql_text_order(left, right) == order
    assert mysql_text_order(right, left) == -order


def test_the_ascii_only_rule_gets_accents_punctuation_and_tabs_wrong():
    wrong = [(left, right) for left, right, order in KNOWN if ascii_only(left, right) != order]
    assert wrong == [("é", "E"), ("ß", "ss"), ("ﬁ", "fi"), ("Ａ", "a"), ("TEST_1", "TEST1"),
                     ("a-b", "a_b"), ("a\t", "a")]


def sample(count: int, seed: int) -> list[str]:
    letters = ([chr(point) for point in range(0x20, 0x7F)] + [chr(point) for point in range(0xA0, 0x250)]
               + list("ΑαΒβΩωАаБбЯяﬁＡｚ一丁가"))
    rng = random.Random(seed)
    found = {rng.choice(letters) for _ in range(80)}
    while len(found) < count:
        found.add("".join(rng.choice(letters) for _ in range(rng.randint(1, 5))))
    return sorted(found)


@pytest.fixture
def mariadb(vicidial_mariadb):
    connection = pymysql.connect(host="127.0.0.1", port=vicidial_mariadb.port, user=USER, password=PASSWORD,
                                 database=DATABASE, charset="utf8mb3")
    yield connection
    connection.close()


def test_order_and_equality_are_mariadbs_over_random_texts(mariadb):
    texts = sample(600, seed=7)
    with mariadb.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE texts (id INT PRIMARY KEY, "
                       "text VARCHAR(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci)")
        cursor.executemany("INSERT INTO texts VALUES (%s, %s)", list(enumerate(texts)))
        cursor.execute("SELECT id FROM texts ORDER BY text, id")
        theirs = [texts[row[0]] for row in cursor.fetchall()]
        cursor.execute("SELECT a.id, b.id FROM texts a JOIN texts b ON a.text = b.text AND a.id < b.id")
        equal = {(texts[a], texts[b]) for a, b in cursor.fetchall()}
    ours = sorted(texts, key=lambda text: (functools.cmp_to_key(mysql_text_order)(text), texts.index(text)))
    assert ours == theirs
    assert {(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if mysql_text_order(a, b) == 0} == equal
    assert len(equal) > 50   # the sample holds accented and folded pairs
    assert sorted(texts, key=lambda text: (functools.cmp_to_key(ascii_only)(text), texts.index(text))) != theirs


def test_the_shipped_weights_are_this_mariadbs(vicidial_mariadb):
    shipped = gzip.decompress(WEIGHTS_FILE.read_bytes()).decode("ascii").splitlines()[1:]
    assert kept_lines(record(vicidial_mariadb.url())) == shipped


ENUM_TEXTS = ["Y ", "y", "ý", " Y", "ready", "Y\t", "RÉADY", "N", "n  ", "x", "", "READYS"]


def test_an_enum_stores_the_member_its_collation_names_as_mariadb_does(mariadb):
    members = ["Y", "N", "READY"]
    with mariadb.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = ''")   # upstream's: a text no member names is stored as ''
        cursor.execute("CREATE TEMPORARY TABLE flags (id INT PRIMARY KEY, flag ENUM('Y','N','READY') "
                       "CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci)")
        cursor.executemany("INSERT INTO flags VALUES (%s, %s)", list(enumerate(ENUM_TEXTS)))
        cursor.execute("SELECT flag FROM flags ORDER BY id")
        theirs = [row[0] for row in cursor.fetchall()]
    assert [enum_member(text, members) for text in ENUM_TEXTS] == theirs
    assert theirs[:4] == ["Y", "Y", "Y", ""]
    lower_only = [next((m for m in members if m.lower() == text.lower()), "") for text in ENUM_TEXTS]
    assert lower_only != theirs   # the rule the host had misses the padded and the accented ones


def test_the_sort_key_shortcut_orders_as_the_weights_do():
    """Texts of single-weight characters are compared by a key; every pair of a sample (padding,
    case, accents, punctuation, characters without a key mixed in) gets the weights' answer.
    A key that kept trailing spaces is the control: it orders 'a ' before 'a'."""
    texts = sample(400, seed=7) + ["a", "a ", "a  ", "A", "a b", "ab", "a\t", "", " ", "é ", "E"]
    wrong = [(left, right) for left in texts for right in texts
             if mysql_text_order(left, right) != order_by_weights(left, right)]
    assert wrong == []
    assert sort_key("a ") == sort_key("A") and sort_key("a\t") is None and sort_key("ß") is None
    keep_spaces = "a ".translate(key_characters()[0]) > "a".translate(key_characters()[0])
    assert keep_spaces and order_by_weights("a ", "a") == 0
