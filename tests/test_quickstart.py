"""README's run command: `flask --app survey demo` sets up and serves the study, idempotently."""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

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


def _quick_start() -> list[str]:
    spec = importlib.util.spec_from_file_location("readme_commands", ROOT / ".ci" / "readme_commands.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.quick_start_commands((ROOT / "README.md").read_text())


def test_readme_commands_install_only_locked_hashed_packages():
    run, test = _quick_start()
    assert "--require-hashes -r .ci/lock/app.txt" in run and run.endswith("flask --app survey demo")
    assert "--require-hashes -r .ci/lock/test.txt" in test and test.endswith("python -m pytest")
    for command in (run, test):
        assert "--no-deps --no-build-isolation -e ." in command  # the project itself adds nothing unlocked


def _pins(lock: Path) -> dict[str, Version]:
    found = re.findall(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+) \\$", lock.read_text(), re.MULTILINE)
    return {canonicalize_name(name): Version(version) for name, version in found}


def _requirements(section: str) -> list[Requirement]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return [Requirement(line) for line in parser[section.split(":")[0]][section.split(":")[1]].split("\n") if line]


def test_the_locks_pin_every_declared_dependency_within_its_range():
    """A dependency added to setup.cfg without refreshing the lock fails here, not on a new machine."""
    app, test = _pins(ROOT / ".ci" / "lock" / "app.txt"), _pins(ROOT / ".ci" / "lock" / "test.txt")
    for lock, requirements in (
        (app, _requirements("options:install_requires")),
        (test, _requirements("options:install_requires") + _requirements("options.extras_require:test")),
    ):
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{requirement.name} is not locked: run .ci/lock/refresh"
            assert requirement.specifier.contains(lock[name], prereleases=True), f"{name}=={lock[name]} ∉ {requirement}"
    assert all(test[name] == version for name, version in app.items()), "test.txt pins differ from app.txt"
    for lock in ("app.txt", "test.txt"):
        text = (ROOT / ".ci" / "lock" / lock).read_text()
        blocks = re.split(r"^(?=[A-Za-z0-9_.-]+(?:\[[^\]]*\])?==)", text, flags=re.M)[1:]
        assert len(blocks) == len(_pins(ROOT / ".ci" / "lock" / lock))
        assert all("--hash=sha256:" in block for block in blocks), f"{lock}: a pin without its hashes"


def test_a_readme_without_two_one_line_commands_is_refused(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("readme_commands", ROOT / ".ci" / "readme_commands.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit, match="two one-line sh blocks"):
        module.quick_start_commands("## Quick start\n\n```sh\nmake\n```\n\n## Next\n")
    with pytest.raises(SystemExit, match="no '## Quick start'"):
        module.quick_start_commands("# nothing\n")


def test_ci_runs_readmes_commands_word_for_word():
    run, test = _quick_start()
    ci = (ROOT / ".ci" / "run").read_text()
    assert f'run_command="{run}"' in ci and f'test_command="{test}"' in ci
