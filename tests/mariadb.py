"""A private MariaDB server for the tests: its own data folder, loopback only, stopped afterwards."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from loadtests.locust_process import free_port

USER, PASSWORD, DATABASE = "vicicert", "dbPass-test1", "asterisk"


def available() -> bool:
    return bool(shutil.which("mariadbd") and shutil.which("mariadb-install-db"))


class PrivateMariaDB:
    """mariadbd on 127.0.0.1 and a free port, with a fresh data folder under ``root``."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.socket = root / "mariadb.sock"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, database: str = DATABASE) -> str:
        return f"mysql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def start(self) -> "PrivateMariaDB":
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={self.data}", "--user=root",
                        "--auth-root-authentication-method=socket", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)
        self._launch()
        self.admin(f"CREATE DATABASE {DATABASE}; CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'; "
                   f"GRANT ALL ON *.* TO '{USER}'@'127.0.0.1';")
        return self

    def restart(self) -> None:
        """Stop the server and start it again on the same port and data (every connection is lost)."""
        self.stop()
        self.socket.unlink(missing_ok=True)   # readiness is the new server's socket
        self._launch()

    def _launch(self) -> None:
        self.process = subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={self.data}", f"--socket={self.socket}",
             f"--port={self.port}", "--bind-address=127.0.0.1", f"--pid-file={self.root / 'mariadb.pid'}",
             "--user=root", "--skip-log-bin", f"--log-error={self.root / 'error.log'}",
             f"--tmpdir={self.root}"],  # its own: /tmp is shared with other servers and their cleanups
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mariadbd did not start: " + (self.root / "error.log").read_text()[-2000:])
            time.sleep(0.1)

    def admin(self, sql: str) -> str:
        done = subprocess.run(["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-N", "-e", sql],
                              check=True, capture_output=True, text=True, timeout=60)
        return done.stdout

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)
            self.process = None


def add_install_rows(database) -> None:
    """A fresh VICIdial install's own rows in tables the harness shares (the hold music class
    "default", ...), which a lab host needs as a real one has them (provisioning.INSTALLED_ROWS)."""
    from conformance.tables.provisioning import INSTALLED_ROWS
    for table, rows in INSTALLED_ROWS.items():
        for row in rows:
            database.write(f"INSERT INTO {table} ({', '.join(f'`{column}`' for column in row)}) "
                           f"VALUES ({', '.join('?' * len(row))})", *row.values())
