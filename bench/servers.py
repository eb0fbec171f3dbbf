"""The servers a benchmark run starts: a temporary instance set up with the platform's own commands,
and gunicorn started exactly as the Procfile's `web:` line (for the platform, or for the bare
baseline app in the same settings), each in its own process group so that stopping it stops all."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import wire

from survey.config import ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PLATFORM_APP = "'survey:create_app()'"
BARE_APP = "'bench.bare_app:app'"
# A passphrase for a throwaway benchmark key: never one of a real study's.
PASSPHRASE = "Bench passphrase, 4 benchmark runs only"
# Settings a developer's shell may hold that would point the benchmark at another instance.
# Every setting the app reads from the environment, and the two keys it reads besides.
FOREIGN_SETTINGS = (*ENVIRONMENT, "PSEUDONYM_KEY", "TOTP_KEY")
STARTUP_SECONDS = 60
COMMAND_SECONDS = 120


class ServerFailed(RuntimeError):
    """A server or set-up command that did not come up; the message holds its output."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((wire.HOST, 0))
        return probe.getsockname()[1]


def clean_environment(instance: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key.removeprefix("SURVEY_") not in FOREIGN_SETTINGS}
    env["SURVEY_INSTANCE_PATH"] = str(instance)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@dataclass(frozen=True)
class Instance:
    """A temporary instance folder: secret key, pseudonym key, study key pair and database."""

    path: Path
    private_key: Path
    public_key: Path

    @property
    def database(self) -> Path:
        return self.path / "survey.sqlite3"

    def environment(self) -> dict[str, str]:
        return clean_environment(self.path)


def _flask(instance: Path, *arguments: str) -> str:
    env = {**clean_environment(instance), "SURVEY_KEY_PASSPHRASE": PASSPHRASE}
    command = [str(VENV_BIN / "flask"), "--app", "survey", *arguments]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=COMMAND_SECONDS)
    if done.returncode != 0:
        raise ServerFailed(f"{shlex.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare_instance(folder: Path) -> Instance:
    """`flask init`, `flask keys generate`, `flask db upgrade`: what the demo command does, step by step."""
    _flask(folder, "init")
    _flask(folder, "keys", "generate", "--out", str(folder))
    _flask(folder, "db", "upgrade")
    private = next(folder.glob("study-private-*.json"))
    return Instance(folder, private, folder / "study-public.json")


def procfile_web_command() -> str:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    web = next((line for line in lines if line.startswith("web:")), None)
    if web is None:
        raise ServerFailed("the Procfile has no web: line")
    return web.removeprefix("web:").strip()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Gunicorn:
    """gunicorn as the Procfile starts it; `app` swaps only the application it serves."""

    def __init__(self, instance: Instance, app: str = PLATFORM_APP, log: Path | None = None) -> None:
        command = procfile_web_command()
        if PLATFORM_APP not in command:
            raise ServerFailed(f"the Procfile's web: line no longer serves {PLATFORM_APP}: {command}")
        self.command = command.replace(PLATFORM_APP, app)
        self.port = free_port()
        self.env = {**instance.environment(), "PORT": str(self.port)}
        self.log_path = log or instance.path / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Gunicorn:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", "exec " + self.command],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends master and workers together
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                wire.exchange(self.port, wire.request_bytes("GET", "/", self.port), timeout=5)
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise ServerFailed(
                        f"gunicorn did not start:\n{self.log_path.read_text(errors='replace')}"
                    ) from None
                time.sleep(0.2)
                continue
            if len(self.workers()) >= self.expected_workers() or time.monotonic() > deadline:
                return self
            time.sleep(0.2)

    def expected_workers(self) -> int:
        return int(self.env.get("WEB_CONCURRENCY") or 2)

    def workers(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def cpu_seconds(self) -> float:
        """CPU time of the master and its live workers so far."""
        if self.process is None:
            return 0.0
        return sum(_cpu_seconds(pid) for pid in [self.process.pid, *self.workers()])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass
        with contextlib.suppress(ProcessLookupError):  # a worker that outlived its master
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
