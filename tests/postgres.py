"""A throwaway PostgreSQL server for the test session: initdb into a temporary folder, listen on a
Unix socket only, stop at the end. As root, the server runs as the `postgres` system user."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class TemporaryPostgres:
    """`durable=True` keeps fsync and synchronous commits on (load and fault runs measure real
    writes); `halt()` and `resume()` stop and start the server on the same data (outage tests)."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.initdb = find_bin("initdb")
        self.pg_ctl = find_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise RuntimeError("PostgreSQL is not installed (initdb/pg_ctl not found); .ci/run installs it")
        self.base = Path(tempfile.mkdtemp(prefix="survey-pg-"))
        self.data = self.base / "data"
        self.socket = self.base / "sock"
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        self.socket.mkdir(parents=True)
        if self.user:
            shutil.chown(self.base, self.user)
            shutil.chown(self.socket, self.user)
        self._run(self.initdb, "-D", str(self.data), "-U", "survey", "--auth=trust", "-E", "UTF8", "--locale=C")
        self.resume()
        return f"postgresql+psycopg://survey@/postgres?host={self.socket}"

    def resume(self) -> None:
        """Start the server on its data folder (again)."""
        options = f"-c listen_addresses='' -c unix_socket_directories={self.socket}"
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-w", "-l", str(self.base / "log"), "start")
        for _ in range(50):
            if any(self.socket.glob(".s.PGSQL.*")):
                break
            time.sleep(0.1)

    def halt(self) -> None:
        """Stop the server at once, as a crash would (no shutdown checkpoint); the data stays."""
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
