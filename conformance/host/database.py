"""The reference host's database: upstream's tables on SQLite, one connection per thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable

from .schema import TABLES, sqlite_ddl


class Database:
    """A SQLite file with the upstream table subset; safe to use from many threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self.write_lock = threading.Lock()
        with self.write_lock:
            connection = self.connection()
            connection.execute("PRAGMA journal_mode=WAL")
            for statement in sqlite_ddl():
                connection.execute(statement)
            connection.commit()

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA busy_timeout=30000")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def one(self, sql: str, *params: Any) -> tuple | None:
        return self.connection().execute(sql, params).fetchone()

    def value(self, sql: str, *params: Any) -> Any:
        row = self.one(sql, *params)
        return row[0] if row else None

    def all(self, sql: str, *params: Any) -> list[tuple]:
        return self.connection().execute(sql, params).fetchall()

    def write(self, sql: str, *params: Any) -> int:
        with self.write_lock:
            return self.connection().execute(sql, params).rowcount

    def replace_rows(self, rows_by_table: dict[str, Iterable[dict[str, Any]]]) -> None:
        """Empty the named tables and insert the given rows, in one transaction."""
        with self.write_lock:
            connection = self.connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                for table, rows in rows_by_table.items():
                    known = {column.name for column in TABLES[table].columns}
                    connection.execute(f'DELETE FROM "{table}"')
                    for row in rows:
                        unknown = set(row) - known
                        if unknown:
                            raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
                        columns = ", ".join(f'"{name}"' for name in row)
                        marks = ", ".join("?" for _ in row)
                        connection.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(row.values()))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
