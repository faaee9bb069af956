"""One long statement on MariaDB, with its progress read while it runs.

A statement that removes millions of rows costs least as one statement: slicing it by key ranges
reads the rows in key order and rewrites the indexes per slice. A second connection of the same
account watches it instead: ``information_schema.PROCESSLIST`` shows the rows the statement has
examined so far (MariaDB's ``EXAMINED_ROWS``; an account sees its own connections without the
PROCESS privilege). Where that column is missing (MySQL), the statement runs unwatched.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from conformance.tables.database import MysqlDatabase

EVERY = 1.0   # seconds between readings


def watched_write(database: MysqlDatabase, sql: str, *params, examined: Callable[[int], None],
                  every: float = EVERY) -> int:
    """Run ``sql`` on this thread's connection to ``database`` and return its row count; meanwhile,
    from another thread's connection, call ``examined`` with the rows it has examined so far, every
    ``every`` seconds."""
    statement = database.value("SELECT CONNECTION_ID()")
    finished = threading.Event()

    def watch() -> None:
        try:
            while not finished.wait(every):
                rows = database.value("SELECT EXAMINED_ROWS FROM information_schema.PROCESSLIST WHERE ID = ?",
                                      statement)
                if rows is not None and not finished.is_set():
                    examined(int(rows))
        except Exception:  # noqa: BLE001 - no such column (MySQL) or a lost connection: no more readings
            pass
        finally:
            database.forget_connection()   # the watcher's own connection

    thread = threading.Thread(target=watch, name="watched-statement", daemon=True)
    thread.start()
    try:
        return database.write(sql, *params)
    finally:
        finished.set()
        thread.join()
