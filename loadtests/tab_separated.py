"""Millions of rows as LOAD DATA text (tab between fields, newline after each row, ``\\N`` for NULL).

Built column-wise with numpy instead of one Python string per field: every field becomes a
fixed-width byte matrix plus a mask of the bytes it really uses (no leading zeros, no
padding), the matrices are laid side by side, and the masked bytes, read row by row, are
the text. About ten times faster than joining strings, which is what lets seeding keep up
with the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

NULL = b"\\N"


@dataclass(frozen=True)
class Whole:
    """Non-negative integers in decimal, zero-padded to ``digits``; ``missing`` (if given) prints as NULL."""
    values: numpy.ndarray
    missing: int | None = None
    digits: int = 1


@dataclass(frozen=True)
class Choice:
    """``texts[index]`` for each row: a small vocabulary (users, campaigns, statuses, constants)."""
    texts: list[str]
    index: numpy.ndarray


@dataclass(frozen=True)
class Timestamp:
    """Unix epochs as ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    epochs: numpy.ndarray


@dataclass(frozen=True)
class Joined:
    """Fields written one after the other with ``between`` (bytes) in between: one column's text."""
    fields: tuple
    between: bytes = b""


Field = Whole | Choice | Timestamp | Joined


def constant(text: str, count: int) -> Choice:
    """The same text on every row."""
    return Choice([text], numpy.zeros(count, dtype=numpy.int64))


def format_rows(fields: list[Field]) -> bytes:
    """The rows as latin-1 bytes: fields in order, tab-separated, each row ending in a newline."""
    count = _count(fields[0])
    pieces: list[tuple[numpy.ndarray, numpy.ndarray]] = []
    for position, field in enumerate(fields):
        pieces += _pieces(field, count)
        pieces.append(_literal(b"\n" if position == len(fields) - 1 else b"\t", count))
    matrix = numpy.concatenate([piece for piece, _ in pieces], axis=1)
    used = numpy.concatenate([mask for _, mask in pieces], axis=1)
    return matrix[used].tobytes()


def _pieces(field: Field, count: int) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
    if isinstance(field, Whole):
        return [_whole(field)]
    if isinstance(field, Choice):
        return [_choice(field)]
    if isinstance(field, Joined):
        pieces = []
        for position, part in enumerate(field.fields):
            if position and field.between:
                pieces.append(_literal(field.between, count))
            pieces += _pieces(part, count)
        return pieces
    return [_timestamp(field.epochs)]


def _count(field: Field) -> int:
    if isinstance(field, Joined):
        return _count(field.fields[0])
    return len(field.values if isinstance(field, Whole) else field.index if isinstance(field, Choice)
               else field.epochs)


def _literal(text: bytes, count: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    row = numpy.frombuffer(text, dtype=numpy.uint8)
    return numpy.broadcast_to(row, (count, len(row))), numpy.ones((count, len(row)), dtype=bool)


def _digits(values: numpy.ndarray, width: int) -> numpy.ndarray:
    """(rows, width) ASCII digits, zero-padded on the left."""
    matrix = numpy.empty((len(values), width), dtype=numpy.uint8)
    rest = values.astype(numpy.int64, copy=True)
    for column in range(width - 1, -1, -1):
        rest, digit = numpy.divmod(rest, 10)
        matrix[:, column] = digit + ord("0")
    return matrix


def _whole(field: Whole) -> tuple[numpy.ndarray, numpy.ndarray]:
    values = field.values.astype(numpy.int64)
    absent = values == field.missing if field.missing is not None else numpy.zeros(len(values), dtype=bool)
    present = numpy.where(absent, 0, values)
    if (present < 0).any():
        raise ValueError("Whole prints non-negative integers only")
    width = max(len(str(int(present.max()))) if len(present) else 1, len(NULL), field.digits)
    matrix = _digits(present, width)
    lengths = numpy.ones(len(values), dtype=numpy.int64)
    for power in range(1, width):
        lengths += present >= 10 ** power
    lengths = numpy.maximum(lengths, field.digits)
    used = numpy.arange(width) >= (width - lengths)[:, None]
    if absent.any():
        matrix[absent] = numpy.frombuffer(NULL.ljust(width, b" "), dtype=numpy.uint8)
        used[absent] = numpy.arange(width) < len(NULL)
    return matrix, used


def _choice(field: Choice) -> tuple[numpy.ndarray, numpy.ndarray]:
    encoded = [text.encode("latin-1") for text in field.texts]
    width = max(max(map(len, encoded)), 1)
    table = numpy.frombuffer(b"".join(text.ljust(width, b" ") for text in encoded), dtype=numpy.uint8)
    lengths = numpy.array([len(text) for text in encoded], dtype=numpy.int64)
    index = numpy.asarray(field.index)
    matrix = table.reshape(len(encoded), width)[index]
    return matrix, numpy.arange(width) < lengths[index][:, None]


def _timestamp(epochs: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    seconds = epochs.astype("datetime64[s]")
    days = seconds.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    clock = (seconds - days).astype(numpy.int64)
    parts = ((years.astype(numpy.int64) + 1970, 4), (months.astype(numpy.int64) % 12 + 1, 2),
             ((days - months).astype(numpy.int64) + 1, 2), (clock // 3600, 2), (clock // 60 % 60, 2), (clock % 60, 2))
    count = len(epochs)
    columns = []
    for position, (values, width) in enumerate(parts):
        columns.append(_digits(values, width))
        if position < len(parts) - 1:
            columns.append(numpy.full((count, 1), b"-- ::"[position], dtype=numpy.uint8))
    matrix = numpy.concatenate(columns, axis=1)
    return matrix, numpy.ones(matrix.shape, dtype=bool)
