"""Debian's redis-server on a free port, without persistence: for the rate-limit store tests and the
load test's `--store redis` (as tests/postgres.py is for PostgreSQL)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """Debian's redis-server on a free port, without persistence, in a folder of the test's own."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
        self.command = [binary, "--bind", "127.0.0.1", "--port", str(free_port()), "--save", "", "--appendonly", "no"]
        self.command += ["--dir", str(folder)]
        self.port = int(self.command[4])
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self, crash: bool = False) -> None:
        """Stop the server; `crash`: with SIGKILL, as a crash or a lost host would."""
        if self.process is not None:
            if crash:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
