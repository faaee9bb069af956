"""The reference host's database: upstream's tables on SQLite (default) or MySQL/MariaDB.

``open_database(location)`` takes a file path or ``sqlite:///path`` or
``mysql://user:pass@host:port/db``. Host code writes SQLite-flavoured SQL with ``?``
placeholders and asks the database's ``dialect`` for the few fragments that differ.

A database is *owned* when vicicert created its tables (it then holds the table
``OWNER_TABLE``, or it had none of the tables, or only empty ones). Only an owned database
may have its rows replaced: a real VICIdial database is never wiped by mistake.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import unquote, urlsplit

from ..errors import UsageError
from ..redaction import mask_url
from .collation import mysql_text_order
from .schema import MYSQL_CI, TABLES, Table, mysql_ddl, sqlite_ddl


@dataclass(frozen=True)
class Dialect:
    """SQL fragments that differ between SQLite and MySQL."""

    name: str

    def epoch(self, column: str) -> str:
        """A DATETIME column as Unix seconds."""
        if self.name == "mysql":
            return f"UNIX_TIMESTAMP({column})"
        return f"CAST(strftime('%s', {column}) AS INTEGER)"

    def contains(self, column: str, literal: str) -> str:
        """1 when ``column`` holds ``literal``, case-sensitively (PHP's preg_match), else 0 or NULL."""
        if self.name == "mysql":
            return f"(INSTR(BINARY {column}, '{literal}') > 0)"
        return f"(instr({column}, '{literal}') > 0)"

    def index_hint(self, index: str) -> str:
        """Force a host-only index where it exists (SQLite); MySQL plans for itself."""
        return f"INDEXED BY {index}" if self.name == "sqlite" else ""

    @property
    def as_inserted(self) -> str:
        """An ORDER BY giving a query without one upstream's order: rows as inserted (MyISAM's and
        MEMORY's table order; SQLite's is its rowid's, which a reset can reorder otherwise)."""
        return "" if self.name == "mysql" else " ORDER BY rowid"


OWNER_TABLE = "vicicert_reference_host"


IDLE_CAP = 32          # idle connections kept warm between requests; more are closed when given back
STALE_AFTER = 60.0    # seconds idle after which a pooled server connection is pinged before reuse


class Database:
    """Thread-safe access to the host tables through a small connection pool.

    A thread checks a connection out on its first query and keeps it until ``release()`` (the
    host releases after every request), so one request sees one connection. ``close()`` closes
    every connection the pool holds; afterwards released connections are closed, not kept.
    """

    dialect: Dialect
    owned: bool = False

    def __init__(self) -> None:
        self._local = threading.local()
        self._idle: list[tuple[Any, float]] = []   # (connection, monotonic time it was given back)
        self._pool_lock = threading.Lock()
        self._closed = False
        self.open_connections = 0
        self.write_lock = threading.Lock()

    def connection(self):
        """This thread's connection, checked out of the pool (or opened) on first use; one the server
        or the network closed is replaced by a fresh one."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and not self._alive(connection):
            self.forget_connection()
            connection = None
        if connection is None:
            with self._pool_lock:
                idle = self._idle.pop() if self._idle else None
            if idle is None:
                connection = self._open()
            else:
                connection = self._refresh(*idle)
            self._local.connection = connection
            self._local.unused = idle is not None   # a pooled connection no statement of this checkout used yet
        return connection

    def release(self) -> None:
        """Give this thread's connection back to the pool; nothing happens if it holds none. A closed
        one (the server restarted, a query broke it) is dropped, never pooled for the next request."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            return
        self._local.connection = None
        if getattr(self._local, "busy", False) or not self._alive(connection):
            self._local.busy = False
            self._discard(connection)
            return
        try:
            if self._in_transaction(connection):   # an interrupted write never leaks into the next request
                self._rollback_on(connection)
        except Exception:  # noqa: BLE001 - a broken connection is closed, not pooled
            self._discard(connection)
            return
        with self._pool_lock:
            if not self._closed and len(self._idle) < IDLE_CAP:
                self._idle.append((connection, time.monotonic()))
                return
        self._discard(connection)

    def forget_connection(self) -> None:
        """Close this thread's connection, whatever its state (a query cut by a signal can leave it
        mid-answer); the next query opens a fresh one."""
        connection = getattr(self._local, "connection", None)
        self._local.busy = False
        if connection is not None:
            self._local.connection = None
            self._discard(connection)

    def close(self) -> None:
        """Close the idle connections and this thread's own; later releases close theirs."""
        self.release()
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection, _ in idle:
            self._discard(connection)

    def idle_connections(self) -> int:
        with self._pool_lock:
            return len(self._idle)

    def _open(self):
        connection = self._connect()
        with self._pool_lock:
            self.open_connections += 1
        return connection

    def _discard(self, connection) -> None:
        with self._pool_lock:
            self.open_connections -= 1
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection may fail; it is gone either way
            pass

    def _refresh(self, connection, idle_since: float):
        """A pooled connection ready for use (server databases may have dropped idle ones)."""
        return connection

    def _alive(self, connection) -> bool:
        """False once the connection is known closed (no round trip)."""
        return True

    def _in_transaction(self, connection) -> bool:
        raise NotImplementedError

    def _rollback_on(self, connection) -> None:
        connection.rollback()

    def _connect(self):
        raise NotImplementedError

    def _execute(self, sql: str, params: tuple):
        raise NotImplementedError

    def _statement(self, sql: str, params: tuple):
        """``_execute`` with this thread's connection marked busy until the statement's answer is read
        (the cursors buffer it): a KeyboardInterrupt (Ctrl-C, vicicert's signals) that cuts it leaves
        the mark, and the connection is not reused (its answer may still be on the way, and would be read
        as the next statement's). An error the database answered leaves it usable."""
        if getattr(self._local, "busy", False):
            self.forget_connection()
        self.connection()
        unused, self._local.unused = getattr(self._local, "unused", False), False
        self._local.busy = True
        try:
            cursor = self._execute(sql, params)
        except Exception:
            self._local.busy = False
            if not unused or self._alive(self._local.connection):
                raise
            # It died while pooled (the database restarted): the statement never reached a server. Once
            # more on a fresh connection, so the first request after a restart is answered right too.
            self.forget_connection()
            self.connection()
            self._local.busy = True
            cursor = self._execute(sql, params)
        self._local.busy = False
        return cursor

    def one(self, sql: str, *params: Any) -> tuple | None:
        return self._statement(sql, params).fetchone()

    def value(self, sql: str, *params: Any) -> Any:
        row = self.one(sql, *params)
        return row[0] if row else None

    def all(self, sql: str, *params: Any) -> list[tuple]:
        return list(self._statement(sql, params).fetchall())

    def write(self, sql: str, *params: Any) -> int:
        with self.write_lock:
            return self._statement(sql, params).rowcount

    def execute(self, sql: str, *params: Any):
        """Run one statement and return its cursor (for ``lastrowid``); callers hold ``write_lock``."""
        return self._statement(sql, params)

    def require_owned(self) -> None:
        """Refuse to rewrite rows of a database vicicert does not own (a real VICIdial one)."""
        if not self.owned:
            raise UsageError(f"{self.describe()} holds VICIdial tables with rows that vicicert did not write; "
                             "replacing them would destroy them. Give vicicert an empty database of its own "
                             "(it creates the tables), or serve this one as it is with --keep-data")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction on this thread's connection, rolled back on any error; callers hold ``write_lock``."""
        self._begin()
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._commit()

    def make_tables(self, made: Mapping[str, Table]) -> None:
        """Create the tables ``made`` anew (a world's custom_<list_id> tables, not upstream's fixed
        ones); callers hold ``write_lock``, outside a transaction (MySQL commits around DDL)."""
        if not made:
            return
        for name in made:
            self._execute(f"DROP TABLE IF EXISTS {self.quote(name)}", ())
        ddl = mysql_ddl if self.dialect.name == "mysql" else sqlite_ddl
        for statement in ddl(made.values()):
            self._execute(statement, ())

    def fill(self, table: str, rows: Iterable[dict[str, Any]], declared: Table | None = None) -> None:
        """Empty ``table`` and insert ``rows`` (``declared``: a table ``make_tables`` made, else
        upstream's); callers hold ``write_lock`` (and a transaction)."""
        known = {column.name for column in (declared or TABLES[table]).columns}
        self._execute(f"DELETE FROM {self.quote(table)}", ())
        for row in rows:
            unknown = set(row) - known
            if unknown:
                raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
            columns = ", ".join(self.quote(name) for name in row)
            marks = ", ".join("?" for _ in row)
            self._execute(f"INSERT INTO {self.quote(table)} ({columns}) VALUES ({marks})", tuple(row.values()))

    def replace_rows(self, rows_by_table: dict[str, Iterable[dict[str, Any]]],
                     made: Mapping[str, Table] | None = None) -> None:
        """Empty the named tables and insert the given rows (owned databases only); the tables
        ``made`` (a world's custom_<list_id> tables) are created anew first."""
        made = dict(made or {})
        self.require_owned()
        with self.write_lock:
            self.make_tables(made)
            with self.transaction():
                for table, rows in rows_by_table.items():
                    self.fill(table, rows, made.get(table))

    def select_rows(self, table: str, columns: list[str], where: dict[str, str]) -> list[dict[str, Any]]:
        """``columns`` of the rows of ``table`` whose columns equal ``where`` (compared as the
        database compares them: case-insensitively, as MySQL's default collations do)."""
        wanted = ", ".join(self.quote(name) for name in columns) or "1"
        condition = " AND ".join(f"{self.quote(name)} = ?" for name in where) or "1=1"
        found = self.all(f"SELECT {wanted} FROM {self.quote(table)} WHERE {condition}", *where.values())
        return [{column: _as_declared(table, column, value) for column, value in zip(columns, row)} for row in found]

    def quote(self, name: str) -> str:
        return f"`{name}`" if self.dialect.name == "mysql" else f'"{name}"'

    def _begin(self) -> None:
        self._execute("BEGIN", ())

    def _commit(self) -> None:
        self._execute("COMMIT", ())

    def _rollback(self) -> None:
        self._execute("ROLLBACK", ())

    def describe(self) -> str:
        raise NotImplementedError

    def table_names(self) -> set[str]:
        """The tables this database holds."""
        raise NotImplementedError

    def column_names(self, table: str) -> list[str]:
        """The columns of ``table`` in their order (MySQL's DESCRIBE); none for a missing table."""
        raise NotImplementedError

    def _create_tables(self, statements: list[str]) -> None:
        """Create what is missing and claim the database, unless it holds someone else's rows."""
        existing = self.table_names()
        foreign = OWNER_TABLE not in existing and any(
            self.value(f"SELECT 1 FROM {self.quote(name)} LIMIT 1") for name in existing & set(TABLES))
        if foreign:  # a real VICIdial database: its tables are upstream's own, never created or wiped here
            return
        with self.write_lock:
            for statement in statements:
                self._execute(statement, ())
            self._execute(f"CREATE TABLE IF NOT EXISTS {self.quote(OWNER_TABLE)} (created_by VARCHAR(20))", ())
        self.owned = True


class SqliteDatabase(Database):
    """A SQLite file in WAL mode."""

    dialect = Dialect("sqlite")

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)
        with self.write_lock:
            self.connection().execute("PRAGMA journal_mode=WAL")
        self._create_tables(sqlite_ddl())

    def _connect(self):
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        connection.create_collation(MYSQL_CI, mysql_text_order)
        connection.execute("PRAGMA busy_timeout=30000")
        connection.execute("PRAGMA synchronous=NORMAL")
        # A REPLACE's deletions fire delete triggers only so (the reset's change log, tables/restore.py).
        connection.execute("PRAGMA recursive_triggers=ON")
        return connection

    def _execute(self, sql: str, params: tuple):
        return self.connection().execute(sql, params)

    def _in_transaction(self, connection) -> bool:
        return connection.in_transaction

    def _rollback_on(self, connection) -> None:
        connection.execute("ROLLBACK")

    def _begin(self) -> None:
        self._execute("BEGIN IMMEDIATE", ())

    def describe(self) -> str:
        return f"sqlite:///{self.path}"

    def table_names(self) -> set[str]:
        return {name for (name,) in self.all("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def column_names(self, table: str) -> list[str]:
        return [row[1] for row in self.all("SELECT * FROM pragma_table_info(?) ORDER BY cid", table)]


class MysqlDatabase(Database):
    """A MySQL or MariaDB schema reached with PyMySQL; tables are created if missing."""

    dialect = Dialect("mysql")

    def __init__(self, url: str, create_tables: bool = True, php_bytes: bool = False):
        """``php_bytes``: the connection is the reference host's, and behaves as upstream's scripts'
        do: its strings (PHP byte strings, held one character per byte) go as UTF-8 on the wire, so
        a utf8 column holds 'É' where PHP sent the bytes C3 89, and upstream's non-strict sql_mode
        cuts what does not fit. Otherwise latin1 on the wire: text in, text out, for the harness's
        own reads and writes."""
        super().__init__()
        parts = urlsplit(url)
        if not parts.hostname or not parts.path.strip("/"):
            raise UsageError(f"database URL {mask_url(url)} needs a host and a database: "
                             "mysql://user:pass@127.0.0.1:3306/asterisk")
        self.url = url
        self._settings = {
            "host": parts.hostname, "port": parts.port or 3306, "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""), "database": parts.path.strip("/"),
            "charset": "utf8mb4" if php_bytes else "latin1", "autocommit": True, "local_infile": True,
            # upstream's sql_mode (its install docs): values that do not fit are cut, not refused
            **({"sql_mode": "NO_ENGINE_SUBSTITUTION"} if php_bytes else {}),
        }
        if create_tables:
            self._create_tables(mysql_ddl())

    def _connect(self):
        try:
            import pymysql
        except ImportError:   # raised here, where the plugin and every command meet it, as a usage error
            raise UsageError("the Python package pymysql is missing, so this install is incomplete: "
                             "pip install pymysql (or reinstall vicicert)") from None
        from pymysql.constants import FIELD_TYPE
        from pymysql.converters import conversions
        # SUM() of integer columns arrives as DECIMAL; whole values become int, as in SQLite.
        decimals = {**conversions, FIELD_TYPE.NEWDECIMAL: _whole_or_decimal}
        try:
            connection = pymysql.connect(**self._settings, conv=decimals)
        except pymysql.err.OperationalError as error:
            raise UsageError(f"cannot reach {mask_url(self.url)}: {error.args[-1]}") from None
        # PyMySQL reads MySQL's latin1 as cp1252, which has no character for some bytes; the
        # host holds PHP byte strings as latin-1 text, so bytes must pass through one for one.
        connection.encoding = "latin-1"
        return connection

    def _execute(self, sql: str, params: tuple):
        cursor = self.connection().cursor()
        cursor.execute(sql.replace("%", "%%").replace("?", "%s") if params else sql, params or None)
        return cursor

    def _in_transaction(self, connection) -> bool:
        from pymysql.constants import SERVER_STATUS
        return bool(connection.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS)

    def _refresh(self, connection, idle_since: float):
        if time.monotonic() - idle_since > STALE_AFTER:
            try:
                connection.ping(False)   # the server may have closed it (wait_timeout)
            except Exception:  # noqa: BLE001 - replaced by a new one
                self._discard(connection)
                return self._open()
        return connection

    def _alive(self, connection) -> bool:
        return bool(connection.open)   # PyMySQL closes it on a socket error or a lost server

    def _begin(self) -> None:
        self.connection().begin()

    def _commit(self) -> None:
        self.connection().commit()

    def _rollback(self) -> None:
        self.connection().rollback()

    def describe(self) -> str:
        return mask_url(self.url)

    def table_names(self) -> set[str]:
        return {name for (name,) in self.all(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")}

    def column_names(self, table: str) -> list[str]:
        return [name for (name,) in self.all(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
            "ORDER BY ORDINAL_POSITION", table)]

    def load_data(self, path: Path, table: str, columns: tuple[str, ...], local: bool = True) -> int:
        """Bulk-load a tab-separated file (``\\N`` for NULL): sent by the client (LOCAL) or, when
        ``local`` is false, read by the server itself from the same path (about twice as fast)."""
        with self.write_lock:
            cursor = self.connection().cursor()
            cursor.execute(f"LOAD DATA {'LOCAL ' if local else ''}INFILE '{path}' INTO TABLE `{table}` "
                           f"CHARACTER SET latin1 FIELDS TERMINATED BY '\\t' "
                           f"({', '.join(f'`{name}`' for name in columns)})")
            return cursor.rowcount


def _whole_or_decimal(text: str):
    from decimal import Decimal
    return int(text) if "." not in text else Decimal(text)


def open_database(location: str | Path, create_tables: bool = True, php_bytes: bool = False) -> Database:
    """The database at a path, ``sqlite:///path`` or ``mysql://user:pass@host:port/db``
    (``php_bytes``: for the reference host, see MysqlDatabase)."""
    text = str(location)
    if text.startswith(("mysql://", "mariadb://")):
        return MysqlDatabase(text.replace("mariadb://", "mysql://", 1), create_tables, php_bytes)
    if "://" in text and not text.startswith("sqlite:///"):
        raise UsageError(f"unknown database URL {mask_url(text)}: use a file path, sqlite:///PATH or mysql://...")
    path = Path(text.removeprefix("sqlite:///"))
    if not path.parent.is_dir():
        raise UsageError(f"cannot create the SQLite database {path}: the folder {path.parent} does not exist")
    try:
        return SqliteDatabase(path)
    except sqlite3.DatabaseError as error:
        raise UsageError(f"{path} is not a usable SQLite database ({error}): give a new file name or a "
                         "database vicicert wrote") from None


def _as_declared(table: str, column: str, value: Any) -> Any:
    """A DECIMAL(p,s) read back as MySQL prints it, with its s places (SQLite holds a REAL: -5.5 is -5.50)."""
    declared = TABLES.get(table)
    if declared is None or value is None or isinstance(value, (str, bytes)):
        return value
    mysql_type = next((known.mysql_type for known in declared.columns if known.name == column), "")
    match = re.fullmatch(r"DECIMAL\(\d+,(\d+)\)", mysql_type)
    return f"{value:.{int(match.group(1))}f}" if match else value
