"""The vectorised LOAD DATA formatter writes exactly what a row-by-row formatter would."""

from __future__ import annotations

import time

import numpy
import pytest

from loadtests.tab_separated import Choice, Timestamp, Whole, constant, format_rows


def by_hand(columns: list[list[str]]) -> bytes:
    return "".join("\t".join(row) + "\n" for row in zip(*columns)).encode("latin-1")


def test_every_kind_of_field_matches_row_by_row_text():
    random = numpy.random.default_rng(7)
    count = 5000
    wide = random.integers(0, 10 ** 10, count)
    wide[:4] = (0, 9, 10, 9_999_999_999)
    small = random.integers(-1, 3, count)  # -1 is NULL
    words = ["", "LOGIN", "BRÉAK", "x"]
    picks = random.integers(0, len(words), count)
    epochs = random.integers(0, 4_102_444_800, count)  # 1970 .. 2100
    epochs[:3] = (0, 951_782_400, 1_709_251_199)   # the epoch, 2000-02-29 00:00:00, 2024-02-29 23:59:59
    got = format_rows([Whole(wide), Whole(small, missing=-1), Choice(words, picks), Timestamp(epochs),
                       constant("vicicert-seed", count)])
    expected = by_hand([[str(v) for v in wide.tolist()], ["\\N" if v == -1 else str(v) for v in small.tolist()],
                        [words[i] for i in picks.tolist()],
                        [time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(e)) for e in epochs.tolist()],
                        ["vicicert-seed"] * count])
    assert got == expected


def test_a_column_of_nulls_and_single_rows():
    assert format_rows([Whole(numpy.array([-1, -1]), missing=-1)]) == b"\\N\n\\N\n"
    assert format_rows([Whole(numpy.array([5])), constant("", 1)]) == b"5\t\n"


def test_negative_numbers_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        format_rows([Whole(numpy.array([3, -4]))])
