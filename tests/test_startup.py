"""A broken questionnaire stops every way of starting the app with the checker's problems, a non-zero
exit and no traceback: `flask demo`, `flask run` and gunicorn as the Procfile's web line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from survey.vault.keys import load_private

from .conftest import ROOT, study_keys
from .test_quickstart import free_port

PROBLEM = "/pages/3/show_if: error: condition 'nope = 1': unknown question 'nope'"


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh checkout whose questionnaire folder holds one planted mistake."""
    data = json.loads((ROOT / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8"))
    data["pages"][3]["show_if"] = "nope = 1"
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "broken.json").write_text(json.dumps(data), encoding="utf-8")
    env = {
        **os.environ,
        "QUESTIONNAIRE_DIR": str(folder),
        "SURVEY_INSTANCE_PATH": str(tmp_path / "instance"),
        "PORT": str(free_port()),
        "STUDY_PUBLIC_KEY": str(study_keys()[0]),
        "WEB_CONCURRENCY": "1",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    env.pop("DATABASE_URL", None)
    started([sys.executable, "-m", "flask", "--app", "survey", "init"], env)  # instance/ secrets, as README says
    return env


def started(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def assert_clean_refusal(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output and 'File "' not in output, output
    assert f"broken.json: {PROBLEM}" in result.stderr
    assert "1 error(s) in the questionnaires" in result.stderr


def test_a_missing_key_is_named_without_a_traceback(broken):
    del broken["STUDY_PUBLIC_KEY"]
    result = started([sys.executable, "-m", "flask", "--app", "survey", "run", "--port", broken["PORT"]], broken)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "No study public key at" in result.stderr


def test_demo_prints_the_problems_of_a_broken_questionnaire(broken):
    assert_clean_refusal(started([sys.executable, "-m", "flask", "--app", "survey", "demo"], broken))


def test_demo_passphrase_is_a_line_of_its_own_that_unlocks_the_demo_key(broken):
    result = started([sys.executable, "-m", "flask", "--app", "survey", "demo"], broken)
    lines = result.stdout.splitlines()
    announced = next(i for i, line in enumerate(lines) if "passphrase, shown once, is the next line" in line)
    passphrase = lines[announced + 1]
    assert re.fullmatch(r"[A-Za-z0-9]{28}", passphrase)  # a double click selects all of it, and nothing more
    (private_file,) = Path(broken["SURVEY_INSTANCE_PATH"]).glob("study-private-*.json")
    assert load_private(private_file, passphrase).key_id in private_file.name


def test_flask_run_prints_the_problems_of_a_broken_questionnaire(broken):
    command = [sys.executable, "-m", "flask", "--app", "survey", "run", "--port", broken["PORT"]]
    assert_clean_refusal(started(command, broken))


def test_gunicorn_as_in_the_procfile_prints_the_problems_of_a_broken_questionnaire(broken):
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    result = started(["bash", "-c", "exec " + web.removeprefix("web:").strip()], broken)
    assert_clean_refusal(result)
    assert "Booting worker" not in result.stdout + result.stderr  # stopped before any worker started
