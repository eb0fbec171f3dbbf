"""README's run command: `flask --app survey demo` sets up and serves the study, idempotently."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_once(instance: Path) -> tuple[str, bytes]:
    port = free_port()
    env = {**os.environ, "SURVEY_INSTANCE_PATH": str(instance), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "survey", "demo"]
    process = subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    return response.read().decode(), (instance / "secret_key").read_bytes()
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise AssertionError(f"demo did not start:\n{output}") from None
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_demo_serves_the_study_and_a_second_run_reuses_database_and_keys(tmp_path: Path):
    page, secret = serve_once(tmp_path)
    assert "Lebenssituation und Integration im Wetteraukreis" in page
    database = tmp_path / "survey.sqlite3"
    assert database.exists()
    page_again, secret_again = serve_once(tmp_path)
    assert secret_again == secret
    assert "Lebenssituation und Integration im Wetteraukreis" in page_again


def test_procfile_web_process_serves_with_gunicorn(tmp_path: Path):
    serve_once(tmp_path)  # sets up instance/, keys and database as the demo does
    port = free_port()
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    env = {
        **os.environ,
        "SURVEY_INSTANCE_PATH": str(tmp_path),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    process = subprocess.Popen(
        ["bash", "-c", "exec " + web.removeprefix("web:").strip()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/wetterau-integration/?c=SECRET", timeout=2) as r:
                    assert "Deutsch" in r.read().decode()
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
    finally:
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()
    assert "GET /wetterau-integration/" in output
    assert "SECRET" not in output  # the access log leaves out query strings
